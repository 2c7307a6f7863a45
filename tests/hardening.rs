//! Hostile input through the real binary (issue 16): command lines over the size bound are
//! refused whole and never split into commands, a huge line is never held in memory, and
//! arguments that are not UTF-8 get a usage error instead of a panic.
#![allow(clippy::disallowed_methods)] // these tests start the real kubetutor binary

use std::io::Write;
use std::process::{Command, Output, Stdio};

use kubetutor::shell::MAX_INPUT_BYTES;

fn kubetutor<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubetutor"));
    cmd.args(args);
    cmd
}

/// Runs `kubetutor shell` with `input` on stdin.
fn shell(input: Vec<u8>) -> Output {
    shell_streamed(move |stdin| stdin.write_all(&input))
}

/// Runs `kubetutor shell` with what `write` writes on stdin (from a thread, so a large
/// input cannot deadlock against the output pipes).
fn shell_streamed(
    write: impl FnOnce(&mut std::process::ChildStdin) -> std::io::Result<()> + Send + 'static,
) -> Output {
    let mut child = kubetutor(&["shell", "--seed", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = write(&mut stdin);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The issue's heredoc: `lines` lines of 99 characters, then two lines that must stay body.
fn injecting_heredoc(lines: usize) -> String {
    let body: String = (0..lines)
        .map(|_| format!("{}\n", "y".repeat(99)))
        .collect();
    format!("cat <<EOF > d\n{body}echo INJECTED\ntouch pwned\nEOF\nls\nwc -l d\n")
}

#[test]
fn a_heredoc_of_300_kb_is_one_command_and_its_lines_stay_body() {
    let out = shell(injecting_heredoc(3000).into_bytes());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(stdout, "d\n3002 d\n", "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn a_heredoc_over_the_bound_is_refused_whole_and_nothing_of_it_runs() {
    let lines = MAX_INPUT_BYTES / 100 + 1000;
    let input = injecting_heredoc(lines);
    let refused = input.len() - "ls\nwc -l d\n".len();
    let out = shell(input.into_bytes());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!stdout.contains("INJECTED"), "{stdout}");
    assert!(!stdout.contains("pwned"), "{stdout}");
    assert_eq!(
        stderr,
        format!(
            "kubetutor: command line too long ({refused} bytes, heredocs included; the limit is {MAX_INPUT_BYTES} bytes): none of it was run\nwc: d: No such file or directory\n"
        )
    );
    assert_eq!(stdout, "");
}

#[cfg(target_os = "linux")]
fn children_peak_rss_kb() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

#[cfg(target_os = "linux")]
#[test]
fn a_32_mb_line_is_never_held_whole_and_is_reported_once() {
    // Written in pieces, so that this test process never holds the line either.
    let out = shell_streamed(|stdin| {
        stdin.write_all(b"echo ")?;
        let piece = [b'x'; 1 << 16];
        for _ in 0..512 {
            stdin.write_all(&piece)?;
        }
        stdin.write_all(b"\necho after\n")
    });
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(stdout, "after\n");
    assert_eq!(
        stderr.matches("command line too long").count(),
        1,
        "{stderr}"
    );
    assert!(out.status.success());
    // Reading the line whole would take 32 MB at least, twice over with its copy; every
    // child of this test binary stays far below that.
    let peak_kb = children_peak_rss_kb();
    assert!(peak_kb < 40 << 10, "peak resident size {peak_kb} KB");
}

#[test]
fn a_pasted_heredoc_over_the_bound_is_refused_whole_in_the_tutor() {
    use kubetutor::tui::harness::Harness;
    let mut h = Harness::new(100, 30);
    let paste = injecting_heredoc(MAX_INPUT_BYTES / 100 + 1000).replace("wc -l d\n", "");
    h.paste(&paste);
    let shell = h.session.shell();
    let exists = |name: &str| shell.vfs().exists(shell.cwd(), name);
    assert!(!exists("pwned") && !exists("d"));
    assert!(!shell.history().iter().any(|l| l.contains("INJECTED")));
    assert_eq!(shell.history().last().map(String::as_str), Some("ls"));
    let screen = h.screen();
    assert!(screen.contains("command line too long"), "{screen}");
}

#[test]
fn a_pasted_manifest_of_several_megabytes_is_written_whole() {
    // Over the old 64 KB command-line and 1 MiB file bounds, under the 8 MiB one.
    let body = "  - key: value-with-some-length\n".repeat(100_000);
    let input = format!("cat <<'EOF' > big.yaml\n{body}EOF\nwc -c big.yaml\n");
    let out = shell(input.into_bytes());
    assert_eq!(text(&out.stdout), format!("{} big.yaml\n", body.len()));
    assert_eq!(text(&out.stderr), "");
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error_in_every_mode() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let bad = OsStr::from_bytes(b"\xff\xfe");
    let cases: Vec<Vec<&OsStr>> = vec![
        vec![bad],
        vec![OsStr::new("--learner"), bad],
        vec![OsStr::new("shell"), OsStr::new("--seed"), bad],
        vec![OsStr::new("shell"), OsStr::new("--lesson"), bad],
        vec![OsStr::new("shell"), OsStr::new("--state-dir"), bad],
        vec![
            OsStr::new("lesson"),
            OsStr::new("run"),
            OsStr::new("--learner"),
            bad,
        ],
        vec![OsStr::new("lesson"), OsStr::new("run"), bad],
        vec![OsStr::new("lesson"), OsStr::new("check"), bad],
        vec![OsStr::new("report"), bad],
        vec![OsStr::new("report"), OsStr::new("--format"), bad],
    ];
    for args in cases {
        let out = kubetutor(&args).stdin(Stdio::null()).output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let position = args.len();
        assert!(
            stderr.starts_with(&format!(
                "kubetutor: argument {position} (\"\\xFF\\xFE\") is not valid UTF-8"
            )),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_yaml_alias_bomb_is_refused_as_the_api_server_refuses_a_large_body() {
    // The issue's file: an annotation `&s` of 30,000 characters referenced 6,000 times
    // (180 MB expanded), then a small namespace that must still be created.
    let mut yaml = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bomb\n  annotations:\n    a0: &s \"{}\"\n",
        "x".repeat(30_000)
    );
    for i in 1..=6000 {
        yaml.push_str(&format!("    a{i}: *s\n"));
    }
    yaml.push_str("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: small\n");
    let input = format!(
        "cat <<'EOF' > bomb.yaml\n{yaml}EOF\nkubectl apply -f bomb.yaml\necho \"status $?\"\nkubectl get ns bomb small -o name\n"
    );
    let out = shell(input.into_bytes());
    assert_eq!(
        text(&out.stdout),
        "namespace/small created\nstatus 1\nnamespace/small\n"
    );
    assert_eq!(
        text(&out.stderr),
        "Error from server (RequestEntityTooLarge): error when creating \"bomb.yaml\": Request entity too large: limit is 3145728\n\
         Error from server (NotFound): namespaces \"bomb\" not found\n"
    );
}

#[test]
fn an_object_whose_apply_request_passes_the_bound_is_refused() {
    // 2 MB of annotation: the document fits, but apply sends it twice (the object and its
    // last-applied copy), over 3 MiB, so the body is refused before anything else.
    let yaml = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: big\n  annotations:\n    a: \"{}\"\n",
        "y".repeat(2_000_000)
    );
    let input = format!("cat <<'EOF' > big.yaml\n{yaml}EOF\nkubectl apply -f big.yaml\n");
    let out = shell(input.into_bytes());
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "Error from server (RequestEntityTooLarge): error when creating \"big.yaml\": Request entity too large: limit is 3145728\n"
    );
}

#[test]
fn the_issues_grep_over_a_960_kb_line_answers_at_once() {
    let input = format!(
        "cat <<'EOF' > f\n{}\nEOF\ngrep -cE '.{{1,1999}}x' f\necho \"status $?\"\n",
        "y".repeat(959_999)
    );
    let out = shell(input.into_bytes());
    assert_eq!(text(&out.stdout), "0\nstatus 1\n");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn a_pasted_line_over_the_bound_never_enters_the_prompt() {
    use kubetutor::tui::harness::Harness;
    let mut h = Harness::new(100, 30);
    let paste = format!("echo {}\nls\n", "z".repeat(MAX_INPUT_BYTES + 10));
    h.paste(&paste);
    let history = h.session.shell().history();
    assert_eq!(history, ["ls".to_string()]);
    let screen = h.screen();
    assert!(screen.contains("command line too long"), "{screen}");
}

#[test]
fn one_kubectl_command_reads_at_most_4_mib_of_manifests() {
    let yaml = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: big\n  annotations:\n    a: \"{}\"\n",
        "y".repeat(1_500_000)
    );
    let input = format!(
        "cat <<'EOF' > b.yaml\n{yaml}EOF\nkubectl apply -f b.yaml -f b.yaml -f b.yaml\necho \"status $?\"\nkubectl delete -f b.yaml -f b.yaml -f b.yaml\nkubectl get ns big -o name\n"
    );
    let out = shell(input.into_bytes());
    assert_eq!(text(&out.stdout), "status 1\n");
    let refused = "error: the manifests given add up to more than 4194304 bytes: the tutor's kubectl reads at most that much per command\n";
    assert_eq!(
        text(&out.stderr),
        format!("{refused}{refused}Error from server (NotFound): namespaces \"big\" not found\n")
    );
}

#[test]
fn a_heredoc_over_the_bound_is_refused_whole_in_a_lesson_run_too() {
    let dir = std::env::temp_dir().join(format!("kubetutor-harden-lesson-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let input = injecting_heredoc(MAX_INPUT_BYTES / 100 + 1000);
    let mut child = kubetutor(&[
        "shell",
        "--lesson",
        "--learner",
        "t",
        "--seed",
        "1",
        "--fresh",
    ])
    .args([std::ffi::OsStr::new("--state-dir"), dir.as_os_str()])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !stdout.contains("INJECTED") && !stdout.contains("pwned"),
        "{stdout}"
    );
    assert_eq!(
        stderr.matches("command line too long").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("wc: d: No such file or directory"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
