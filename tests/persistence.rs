//! Progress that is never lost: `kubetutor shell --lesson` is driven through part of the
//! lesson, killed with SIGKILL, started again, and must carry on at the same step with the same
//! cluster (pod names, ages: the saved clock) and the same files as a run that was never
//! interrupted. A damaged state file is moved aside with a message; `--fresh` starts over.
#![allow(clippy::disallowed_methods)] // these tests start the real kubetutor binary and kill it

mod support;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use kubetutor::persist::state_json;

const SCRIPT: &str = include_str!("scripts/lesson.sh");
/// Commands that show everything a resume must keep: pods with names, nodes and ages, the
/// DaemonSet, the learner's files, and where the lesson stands (`:hint`).
const QUERIES: &str = "kubectl get pods -A -o wide
kubectl -n dev-system get ds -o wide
kubectl get events -n dev-system
ls -l ~/environment
cat ~/environment/013-demo-daemonset.yaml
:hint
";
const MARK: &str = "=== after the break ===";

/// A fresh folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubetutor-persist-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The lesson script up to and including the wait after the DaemonSet is created (step 5).
fn first_part() -> &'static str {
    let mut end = 0;
    for _ in 0..2 {
        end += SCRIPT[end..].find("\nsleep 60\n").unwrap() + "\nsleep 60\n".len();
    }
    &SCRIPT[..end]
}

fn kubetutor(state: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubetutor"));
    cmd.args(["shell", "--lesson", "--learner", "ada", "--state-dir"])
        .arg(state)
        .args(extra)
        .env_remove("NO_COLOR");
    cmd
}

fn run(state: &Path, extra: &[&str], input: &str) -> Output {
    support::bin::feed(&mut kubetutor(state, extra), input)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn state_file(state: &Path) -> PathBuf {
    state.join("ada--12-daemonsets.json")
}

fn saved(state: &Path) -> serde_json::Value {
    serde_json::from_slice(&state_json(&fs::read(state_file(state)).unwrap()).unwrap()).unwrap()
}

/// Starts a run, feeds it `input`, waits until it has printed `marker` (every line before
/// the marker's line has then been run and saved), and kills it with SIGKILL.
fn run_and_kill(state: &Path, input: &str, marker: &str) {
    let stderr = fs::File::create(state.with_extension("stderr")).unwrap();
    let mut child = kubetutor(state, &["--seed", "7"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert_ne!(
            stdout.read_line(&mut line).unwrap(),
            0,
            "ended before {marker}"
        );
        if line.trim_end() == marker {
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "{status:?}");
    drop(stdin);
}

#[test]
fn the_four_node_lessons_state_stays_under_60_kb_mid_step_and_at_the_end() {
    let dir = temp_dir("size");
    // Mid-lesson (a step with its checkpoint), and the whole lesson.
    for (name, input) in [("mid", first_part()), ("end", SCRIPT)] {
        let state = dir.join(name);
        // The script ends on a command that fails on purpose (a taint already removed).
        run(&state, &["--seed", "1"], input);
        let bytes = fs::metadata(state_file(&state)).unwrap().len();
        assert!(bytes < 60 * 1024, "{name}: {bytes} bytes");
        let saved = saved(&state);
        let mid = name == "mid";
        assert_eq!(
            saved["progress"].get("checkpoint_delta").is_some(),
            mid,
            "{name}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_killed_session_resumes_at_the_same_step_with_the_same_cluster_and_files() {
    let dir = temp_dir("kill");
    // The run that is never interrupted.
    let reference = run(
        &dir.join("reference"),
        &["--seed", "7"],
        &format!("{}echo {MARK}\n{QUERIES}", first_part()),
    );
    assert!(reference.status.success(), "{}", text(&reference.stderr));
    let reference = text(&reference.stdout);
    let (_, expected) = reference.split_once(&format!("{MARK}\n")).unwrap();

    // The same commands, then SIGKILL once the state file holds them all: lines run one at a
    // time, each saved before the next is read, so `echo saved` printing proves the save.
    let state = dir.join("killed");
    run_and_kill(
        &state,
        &format!("{}echo saved\nsleep 1\n", first_part()),
        "saved",
    );
    let before = saved(&state);
    assert_eq!(before["format"], 1);
    assert_eq!(before["progress"]["current"], 5, "steps 1-5 done");
    let history = before["progress"]["shell"]["history"].as_array().unwrap();
    assert_eq!(
        history.get(6).and_then(|h| h.as_str()),
        Some("sleep 60"),
        "{history:?}"
    );
    assert!(!state.join(".ada--12-daemonsets.json").exists());

    // Started again, with another seed that must not matter: the saved cluster is used.
    let resumed = run(
        &state,
        &["--seed", "999"],
        &format!("echo {MARK}\n{QUERIES}"),
    );
    let stderr = text(&resumed.stderr);
    assert!(
        stderr.starts_with("kubetutor: resuming ada's progress on 12. DaemonSets at step 6\n"),
        "{stderr}"
    );
    let resumed = text(&resumed.stdout);
    let (_, actual) = resumed.split_once(&format!("{MARK}\n")).unwrap();
    assert!(actual.contains("demo-daemon-"), "{actual}");
    assert!(actual.contains("kind: DaemonSet"), "{actual}");
    assert!(actual.contains("waiting for: "), "{actual}");
    assert_eq!(actual, expected);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_damaged_state_file_is_moved_aside_and_the_learner_starts_fresh() {
    let dir = temp_dir("corrupt");
    let state = dir.join("state");
    fs::create_dir_all(&state).unwrap();
    fs::write(
        state_file(&state),
        b"{\"format\": 1, \"lesson_id\": \"12-daemon",
    )
    .unwrap();
    let out = run(&state, &["--seed", "3"], "kubectl get nodes -o wide\n");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let aside = state.join("ada--12-daemonsets.json.corrupt-1");
    assert!(
        stderr.contains(&format!(
            "kubetutor: the saved progress in {} could not be used (not a kubetutor state file: ",
            state_file(&state).display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "it was moved to {} and the lesson starts fresh",
            aside.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("resuming"), "{stderr}");
    assert_eq!(
        fs::read(&aside).unwrap(),
        b"{\"format\": 1, \"lesson_id\": \"12-daemon"
    );
    assert!(text(&out.stdout).contains("kind-worker3"));
    let now = saved(&state);
    assert_eq!(now["progress"]["current"], 1);

    // A state file from a newer kubetutor is not misread either.
    fs::write(state_file(&state), b"{\"format\": 2, \"progress\": {}}").unwrap();
    let out = run(&state, &[], ":hint\n");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("it is in format 2, and this kubetutor reads format 1"),
        "{stderr}"
    );
    assert!(state.join("ada--12-daemonsets.json.corrupt-2").exists());
    assert!(text(&out.stdout).contains("ran kubectl get nodes -o wide"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn fresh_starts_over_and_replaces_the_saved_progress() {
    let dir = temp_dir("fresh");
    let state = dir.join("state");
    let out = run(&state, &["--seed", "4"], first_part());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(saved(&state)["progress"]["current"], 5);

    let out = run(
        &state,
        &["--fresh", "--seed", "4"],
        "ls ~/environment\n:hint\n",
    );
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("resuming"), "{stderr}");
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("012-dev-system-namespace.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("ran kubectl get nodes -o wide"), "{stdout}");
    let now = saved(&state);
    assert_eq!(now["progress"]["current"], 0);
    let history = now["progress"]["shell"]["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{history:?}");

    let out = run(&state, &[], "history\n");
    assert!(text(&out.stderr).contains("at step 1\n"));
    assert!(text(&out.stdout).contains("ls ~/environment"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_lesson_finished_over_several_runs_leaves_one_result_record() {
    let dir = temp_dir("record");
    let (state, results) = (dir.join("state"), dir.join("results"));
    let results_arg = results.to_str().unwrap();
    let first = run(&state, &["--seed", "5"], first_part());
    assert!(first.status.success());
    let rest = &SCRIPT[first_part().len()..];
    let second = run(
        &state,
        &["--results-dir", results_arg],
        &format!("{rest}:answer 1 1\n:quiz\n"),
    );
    let stderr = text(&second.stderr);
    assert!(stderr.contains("kubetutor: lesson complete\n"), "{stderr}");
    assert!(
        text(&second.stdout).contains("quiz: "),
        "{}",
        text(&second.stdout)
    );
    let files: Vec<_> = fs::read_dir(&results).unwrap().collect();
    assert_eq!(files.len(), 1, "one file per attempt: {files:?}");
    let (records, bad) = kubetutor::results::read_dir(&results).unwrap();
    assert!(bad.is_empty());
    let record = &records[0].1;
    assert_eq!(record.learner, "ada");
    assert_eq!(record.steps_done(), record.steps.len());
    assert!(record.quiz.is_some());
    let _ = fs::remove_dir_all(&dir);
}
