//! Golden tests: every kubectl output format and error message of the headless shell,
//! pinned as command/output pairs (kwok's input/output style).
//!
//! # File format (`tests/golden/NAME.txt`)
//!
//! ```text
//! Free text before the first command: what the file pins (not run).
//! $ kubectl get ns dev-system
//! NAME         STATUS   AGE          <- stdout, verbatim
//! ! Error from server (NotFound): ... <- a stderr line, prefixed "! "
//! [exit 1]                           <- the exit status, only when it is not 0
//! $ cat <<EOF | kubectl apply -f -   <- a command
//! > kind: Namespace                  <- its next lines (a heredoc body), behind "> " as
//! > EOF                                 bash's PS2 prompt shows them; ">" alone is an
//! namespace/x created                   empty line
//! ```
//!
//! Each command's output is its stdout lines, then its stderr lines, then the status.
//! A stream whose text does not end in a newline gets the line `[no newline]` after its
//! last line. A stdout line that begins with one of the markers (`$ `, `> `, `! `, `| `,
//! `[exit `, `[no newline]`) or is `>` is written behind `| `, so it cannot be read as
//! a marker. A command's output ends where the next `$ ` line begins; a command line
//! that is incomplete (an unterminated quote) runs as it stands, as bash runs a
//! script's last line.
//!
//! Every file runs, in order, against one fresh `Cluster::kind(SEED, 3)` through one
//! `Shell`; simulated time passes only through commands that wait (`sleep`, `delete`).
//! On a mismatch the test prints a line diff. `UPDATE_GOLDEN=1 cargo test --test golden`
//! rewrites the files from what the shell printed, for review against
//! `shared/kubectl-fidelity.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kubetutor::engine::Cluster;
use kubetutor::shell::{Output, Shell};

/// Seed for every golden cluster: fixes generated names, uids and hashes.
const SEED: u64 = 7;
/// The lesson's cluster: one control plane and three workers.
const WORKERS: usize = 3;

const COMMAND: &str = "$ ";
const CONTINUATION: &str = "> ";
const EMPTY_CONTINUATION: &str = ">";
const STDERR: &str = "! ";
const ESCAPE: &str = "| ";
const EXIT: &str = "[exit ";
const NO_NEWLINE: &str = "[no newline]";

/// A golden file read back: its free-text preamble and its commands, in order.
struct Golden {
    preamble: String,
    commands: Vec<String>,
}

/// Splits a golden file into its preamble and commands (expected output is discarded:
/// it is re-rendered and the whole text compared).
fn parse_golden(text: &str) -> Golden {
    let mut preamble = String::new();
    let mut commands = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(first) = line.strip_prefix(COMMAND) else {
            if commands.is_empty() {
                preamble.push_str(line);
                preamble.push('\n');
            }
            continue;
        };
        let mut command = first.to_string();
        while let Some(more) = lines.next_if(|l| is_continuation(l)) {
            command.push('\n');
            command.push_str(more.strip_prefix(CONTINUATION).unwrap_or_default());
        }
        commands.push(command);
    }
    Golden { preamble, commands }
}

fn is_continuation(line: &str) -> bool {
    line.starts_with(CONTINUATION) || line == EMPTY_CONTINUATION
}

/// A command as the file shows it: its first line behind `$ `, the rest behind `> `.
fn render_command(out: &mut String, command: &str) {
    for (i, line) in command.split('\n').enumerate() {
        match (i, line.is_empty()) {
            (0, _) => out.push_str(COMMAND),
            (_, true) => out.push_str(EMPTY_CONTINUATION),
            (_, false) => out.push_str(CONTINUATION),
        }
        out.push_str(line);
        out.push('\n');
    }
}

/// One stream's text as golden lines, each behind `prefix`.
fn render_stream(out: &mut String, text: &str, prefix: &str) {
    if text.is_empty() {
        return;
    }
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let escaped = prefix.is_empty()
            && (body == EMPTY_CONTINUATION
                || [COMMAND, CONTINUATION, STDERR, ESCAPE, EXIT, NO_NEWLINE]
                    .iter()
                    .any(|m| body.starts_with(m)));
        out.push_str(prefix);
        if escaped {
            out.push_str(ESCAPE);
        }
        out.push_str(body);
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.push_str(NO_NEWLINE);
        out.push('\n');
    }
}

fn render_output(out: &mut String, output: &Output) {
    render_stream(out, &output.stdout, "");
    render_stream(out, &output.stderr, STDERR);
    if output.status != 0 {
        let _ = writeln!(out, "{EXIT}{}]", output.status);
    }
}

/// Runs every command of `golden` on a fresh cluster and renders the file it should be.
fn render(golden: &Golden) -> String {
    let mut cluster = Cluster::kind(SEED, WORKERS);
    let mut shell = Shell::new();
    let mut out = golden.preamble.clone();
    for command in &golden.commands {
        render_command(&mut out, command);
        let output = shell.run(command, &mut cluster);
        render_output(&mut out, &output);
    }
    out
}

/// A line diff (longest common subsequence): `-` expected, `+` actual, with line numbers
/// of the golden file, and only the changed regions with two lines of context.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // (tag, golden line number, text)
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i + 1, a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(('+', i + 1, b[j]));
            j += 1;
        } else {
            ops.push(('-', i + 1, a[i]));
            i += 1;
        }
    }
    let near_change = |k: usize| {
        let lo = k.saturating_sub(2);
        let hi = (k + 2).min(ops.len() - 1);
        ops[lo..=hi].iter().any(|op| op.0 != ' ')
    };
    let mut text = String::new();
    let mut skipped = false;
    for (k, (tag, line, body)) in ops.iter().enumerate() {
        if near_change(k) {
            if skipped {
                text.push_str("   ...\n");
                skipped = false;
            }
            let _ = writeln!(text, "{line:>4} {tag} {body}");
        } else {
            skipped = true;
        }
    }
    text
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Checks (or with `UPDATE_GOLDEN=1` rewrites) one golden file.
fn check(name: &str) {
    let path = golden_dir().join(format!("{name}.txt"));
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let golden = parse_golden(&expected);
    assert!(
        !golden.commands.is_empty(),
        "{} holds no `$ ` command",
        path.display()
    );
    let actual = render(&golden);
    if actual == expected {
        return;
    }
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, &actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    panic!(
        "{} differs from what the shell prints (- golden, + actual; \
         UPDATE_GOLDEN=1 rewrites it):\n{}",
        path.display(),
        diff(&expected, &actual)
    );
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// Every file under tests/golden has a test above, so none is silently skipped.
        #[test]
        fn every_golden_file_has_a_test() {
            let known = [$(stringify!($name)),*];
            let mut missing = Vec::new();
            for entry in std::fs::read_dir(golden_dir()).expect("tests/golden is readable") {
                let path = entry.expect("a directory entry").path();
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                if path.extension().is_some_and(|e| e == "txt") && !known.contains(&stem) {
                    missing.push(stem.to_string());
                }
            }
            assert!(missing.is_empty(), "golden files without a test: {missing:?}");
        }
    };
}

golden!(
    lesson,
    prune,
    get_tables,
    get_structured,
    jsonpath,
    apply,
    taint,
    delete,
    describe,
    errors,
    version,
    rollout,
    explain,
    describe_workloads,
    roundtrip,
    configmaps,
    exec,
    services,
    watch,
);

#[test]
fn rendering_escapes_markers_and_marks_missing_newlines() {
    let mut out = String::new();
    render_output(
        &mut out,
        &Output {
            stdout: "$ not a command\nlast".to_string(),
            stderr: "oops\n".to_string(),
            status: 2,
        },
    );
    assert_eq!(
        out,
        "| $ not a command\nlast\n[no newline]\n! oops\n[exit 2]\n"
    );
}

#[test]
fn parsing_keeps_heredocs_with_their_command() {
    let text = "about\n$ cat <<EOF\n> $ inside\n>\n> EOF\n| $ inside\n\n$ echo 'open\n! err\n$ echo hi\nhi\n";
    let golden = parse_golden(text);
    assert_eq!(golden.preamble, "about\n");
    assert_eq!(
        golden.commands,
        vec!["cat <<EOF\n$ inside\n\nEOF", "echo 'open", "echo hi"]
    );
    let mut rendered = String::new();
    render_command(&mut rendered, &golden.commands[0]);
    assert_eq!(rendered, "$ cat <<EOF\n> $ inside\n>\n> EOF\n");
}
