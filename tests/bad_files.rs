//! The binary facing bad files in its own folders and a second session: a FIFO or a link to
//! `/dev/zero` as the state file or in the results folder, a hand-edited state file, stale
//! temporary files, two sessions of one learner and lesson. Each must end promptly with a
//! message naming the file, and no saved progress or record may be lost.
#![allow(clippy::disallowed_methods)] // these tests start the real kubetutor binary

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use kubetutor::persist::state_json;

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kubetutor-badfiles-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn kubetutor(state: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubetutor"));
    cmd.args([
        "shell",
        "--lesson",
        "--learner",
        "ada",
        "--seed",
        "3",
        "--state-dir",
    ])
    .arg(state)
    .args(extra);
    cmd
}

fn run(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A run that is refused ends without reading its input.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn a_fifo_or_a_link_to_dev_zero_as_the_state_file_is_named_moved_aside_and_the_lesson_starts() {
    for (name, make, kind) in [
        (
            "fifo",
            mkfifo as fn(&Path),
            "it is a FIFO (named pipe), not a regular file",
        ),
        (
            "zero",
            |p: &Path| std::os::unix::fs::symlink("/dev/zero", p).unwrap(),
            "it is a symbolic link, not a regular file",
        ),
    ] {
        let state = temp_dir(name);
        let file = state.join("ada--12-daemonsets.json");
        make(&file);
        let out = run(&mut kubetutor(&state, &[]), "kubectl get nodes\n");
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "the saved progress in {} could not be used ({kind}; it was not read); it was moved to {}.corrupt-1",
                file.display(),
                file.display()
            )),
            "{stderr}"
        );
        assert!(text(&out.stdout).contains("kind-worker3"));
        let saved: serde_json::Value =
            serde_json::from_slice(&state_json(&fs::read(&file).unwrap()).unwrap()).unwrap();
        assert_eq!(saved["progress"]["current"], 0);
        let _ = fs::remove_dir_all(&state);
    }
}

#[test]
fn a_hand_edited_step_cursor_is_rejected_as_damaged() {
    let state = temp_dir("edited");
    let out = run(&mut kubetutor(&state, &[]), "kubectl get nodes -o wide\n");
    assert!(out.status.success());
    let file = state.join("ada--12-daemonsets.json");
    let mut saved: serde_json::Value =
        serde_json::from_slice(&state_json(&fs::read(&file).unwrap()).unwrap()).unwrap();
    assert_eq!(saved["progress"]["current"], 1);
    saved["progress"]["current"] = 999.into();
    fs::write(&file, serde_json::to_vec(&saved).unwrap()).unwrap();
    let out = run(&mut kubetutor(&state, &[]), ":hint\n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("(damaged state file: it is at step 1000 of a lesson of 15 steps)"),
        "{stderr}"
    );
    assert!(state.join("ada--12-daemonsets.json.corrupt-1").exists());
    assert!(!stderr.contains("resuming"), "{stderr}");
    let _ = fs::remove_dir_all(&state);
}

/// A first session, left running (waiting for input) after it has run `lines`, with its
/// output still being read.
fn hold(state: &Path, results: &Path, lines: &str) -> (Child, BufReader<ChildStdout>) {
    let mut child = kubetutor(state, &["--results-dir"])
        .arg(results)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.as_mut().unwrap();
    stdin.write_all(lines.as_bytes()).unwrap();
    stdin.write_all(b"echo held\n").unwrap();
    stdin.flush().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while line.trim_end() != "held" {
        line.clear();
        assert_ne!(
            out.read_line(&mut line).unwrap(),
            0,
            "the first session ended"
        );
    }
    (child, out)
}

#[test]
fn a_second_session_is_refused_naming_the_first_and_read_only_loses_nothing() {
    let dir = temp_dir("lock");
    let (state, results) = (dir.join("state"), dir.join("results"));
    let (mut first, mut first_out) = hold(&state, &results, "kubectl get nodes -o wide\n");
    let pid = first.id();
    for extra in [&[][..], &["--fresh"][..]] {
        let out = run(
            kubetutor(&state, extra).arg("--results-dir").arg(&results),
            "kubectl get nodes\n",
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "kubetutor: ada's progress on \"12. DaemonSets\" is open in another kubetutor (pid {pid} on "
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains("--read-only") && stderr.contains("--fresh"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty(), "nothing ran");
    }
    let out = run(
        kubetutor(&state, &["--read-only", "--results-dir"]).arg(&results),
        ":hint\nkubectl create namespace scratch\n",
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("kubetutor: read-only: nothing is saved"),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains("namespace/scratch created"));
    // The first session goes on and its work is what is saved.
    let stdin = first.stdin.as_mut().unwrap();
    stdin
        .write_all(b"kubectl -n kube-system get daemonsets -o wide\n")
        .unwrap();
    drop(first.stdin.take());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut first_out, &mut rest).unwrap();
    assert!(rest.contains("kube-proxy"), "{rest}");
    assert!(first.wait().unwrap().success());
    let saved: serde_json::Value = serde_json::from_slice(
        &state_json(&fs::read(state.join("ada--12-daemonsets.json")).unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(saved["progress"]["current"], 2);
    let records = fs::read_dir(&results).unwrap().count();
    assert_eq!(records, 1, "the read-only run wrote no record");
    // Now free, the lesson opens for saving again.
    let out = run(&mut kubetutor(&state, &[]), ":hint\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn stale_temporary_files_of_a_killed_save_are_removed_on_start() {
    let state = temp_dir("stale");
    let stale = state.join(".ada--12-daemonsets.json.4242.0.tmp");
    fs::write(&stale, b"{\"format\": 1, \"lesson_id\": ").unwrap();
    let out = run(&mut kubetutor(&state, &[]), "kubectl get nodes\n");
    assert!(out.status.success());
    assert!(!stale.exists());
    let left: Vec<_> = fs::read_dir(&state)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let _ = fs::remove_dir_all(&state);
}

#[test]
fn the_report_names_a_fifo_and_a_link_to_dev_zero_in_the_results_folder() {
    let results = temp_dir("report");
    let state = results.join(".state");
    let out = run(
        kubetutor(&state, &["--results-dir"]).arg(&results),
        "kubectl get nodes -o wide\n",
    );
    assert!(out.status.success());
    mkfifo(&results.join("x.json"));
    std::os::unix::fs::symlink("/dev/zero", results.join("zero.json")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubetutor"))
        .arg("report")
        .arg(&results)
        .output()
        .unwrap();
    let table = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(table.contains("ada "), "{table}");
    assert!(table.contains("Skipped 2 unreadable file(s):"), "{table}");
    assert!(
        table.contains("x.json: it is a FIFO (named pipe), not a regular file; it was not read"),
        "{table}"
    );
    assert!(
        table.contains("zero.json: it is a symbolic link, not a regular file; it was not read"),
        "{table}"
    );
    let _ = fs::remove_dir_all(&results);
}

#[test]
fn ten_machines_with_one_learner_name_and_seed_and_look_alike_names_never_overwrite_a_record() {
    let dir = temp_dir("collide");
    let results = dir.join("results");
    let learners = ["student"; 10].into_iter().chain(["Anna Lee", "Anna_Lee"]);
    let children: Vec<Child> = learners
        .enumerate()
        .map(|(i, learner)| {
            // Each machine has its own state folder; the results folder is shared.
            let mut child = Command::new(env!("CARGO_BIN_EXE_kubetutor"))
                .args(["shell", "--lesson", "--seed", "1", "--learner", learner])
                .arg("--state-dir")
                .arg(dir.join(format!("machine-{i}")))
                .arg("--results-dir")
                .arg(&results)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(b"kubectl get nodes -o wide\n").unwrap();
            child
        })
        .collect();
    let mut written = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let line = stderr
            .lines()
            .find(|l| l.starts_with("kubetutor: result written to "))
            .unwrap_or_else(|| panic!("{stderr}"))
            .to_string();
        written.push(line);
    }
    written.sort();
    written.dedup();
    assert_eq!(written.len(), 12, "{written:#?}");
    let out = Command::new(env!("CARGO_BIN_EXE_kubetutor"))
        .args(["report", "--format", "json"])
        .arg(&results)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = report["learners"].as_array().unwrap();
    let attempts = |name: &str| {
        rows.iter()
            .find(|r| r["learner"] == name)
            .map(|r| r["attempts"].as_u64().unwrap())
    };
    assert_eq!(attempts("student"), Some(10));
    assert_eq!(attempts("Anna Lee"), Some(1));
    assert_eq!(attempts("Anna_Lee"), Some(1));
    let _ = fs::remove_dir_all(&dir);
}
