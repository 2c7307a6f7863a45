//! Headless end-to-end: `lesson run` plays whole lessons against a fresh simulated cluster and
//! every step must pass, with each check false before its step (a check that already holds is
//! reported as a failure).
#![allow(clippy::disallowed_methods)] // these tests run the real kubetutor binary

use std::path::Path;
use std::process::Command;

use kubetutor::content::{self, Lesson};
use kubetutor::session::run_lesson;

fn play(lesson: &Lesson, seed: u64) -> (bool, String) {
    let mut out = Vec::new();
    let passed = run_lesson(lesson, seed, &mut out).unwrap();
    (passed, String::from_utf8(out).unwrap())
}

fn assert_all_pass(lesson: &Lesson, seed: u64) {
    let (passed, text) = play(lesson, seed);
    let lines: Vec<&str> = text.lines().collect();
    let steps = lesson.steps.len();
    assert_eq!(lines.len(), steps + 1, "{text}");
    for (line, step) in lines.iter().zip(&lesson.steps) {
        assert_eq!(*line, format!("✓ {} {}", step.number, step.title), "{text}");
    }
    assert_eq!(lines[steps], format!("{steps}/{steps} steps passed"));
    assert!(passed, "{text}");
}

#[test]
fn the_builtin_lesson_passes_every_step_and_no_check_holds_early() {
    let lessons = content::builtin_lessons().unwrap();
    assert_eq!(lessons.len(), 1);
    assert!(lessons[0].steps.iter().all(|s| s.check.is_some()));
    assert_all_pass(&lessons[0], 1);
}

#[test]
fn the_builtin_lesson_passes_whatever_the_seed() {
    let lesson = content::builtin_lessons().unwrap().remove(0);
    for seed in [2, 2024] {
        assert_all_pass(&lesson, seed);
    }
}

#[test]
fn every_lesson_in_the_lessons_directory_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let lessons = content::load_path(&root).unwrap();
    assert!(!lessons.is_empty());
    for lesson in &lessons {
        assert_all_pass(lesson, 1);
    }
}

#[test]
fn an_unmodified_hugo_chapter_completes_by_its_commands() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons/hugo_chapter.md");
    let lesson = content::load_path(&path).unwrap().remove(0);
    assert!(lesson.steps.iter().all(|s| s.check.is_none()));
    assert_all_pass(&lesson, 1);
}

const EARLY: &str = r#"---
title: "Early"
---
{{< step >}}Create the default namespace.{{< /step >}}

```bash
kubectl create namespace default
```
<!-- check: kubectl get ns default exists -->

{{< step >}}Create demo.{{< /step >}}

```bash
kubectl create namespace demo
```
<!-- check: kubectl get ns demo -o jsonpath={.metadata.labels.team} == web -->

{{< step >}}List the nodes.{{< /step >}}

```bash
kubectl get nodes
```
"#;

#[test]
fn a_check_that_already_holds_or_never_holds_is_reported() {
    let lesson = content::load_lesson("early.md", EARLY).unwrap();
    let (passed, text) = play(&lesson, 1);
    assert!(!passed);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "✗ 1 Create the default namespace.: check already holds before the step"
    );
    assert_eq!(
        lines[1],
        "✗ 2 Create demo.: kubectl get ns demo -o jsonpath={.metadata.labels.team} == web: observed nothing (empty output), expected \"web\""
    );
    // A failed step does not hold the next one back.
    assert_eq!(lines[2], "✓ 3 List the nodes.");
    assert_eq!(lines[3], "1/3 steps passed");
}

#[test]
fn a_failing_command_is_named_in_the_step_line() {
    let text = "---\ntitle: t\n---\n{{< step >}}Delete a namespace.{{< /step >}}\n\n```bash\nkubectl delete namespace nowhere\n```\n<!-- check: kubectl get ns nowhere absent ; ran kubectl delete namespace nowhere -->\n";
    let lesson = content::load_lesson("t.md", text).unwrap();
    let (passed, out) = play(&lesson, 1);
    assert!(!passed);
    assert_eq!(
        out.lines().next().unwrap(),
        "✗ 1 Delete a namespace.: ran kubectl delete namespace nowhere: observed it ran but failed (exit status 1), expected this command, or an equivalent one, to succeed; `kubectl delete namespace nowhere` exited 1: Error from server (NotFound): namespaces \"nowhere\" not found"
    );
}

#[test]
fn the_binary_runs_a_lesson_and_exits_by_the_result() {
    let bin = env!("CARGO_BIN_EXE_kubetutor");
    let root = env!("CARGO_MANIFEST_DIR");
    let ok = Command::new(bin)
        .args(["lesson", "run", "lessons/daemonsets.md", "--seed", "3"])
        .current_dir(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8(ok.stdout).unwrap();
    assert!(ok.status.success(), "{stdout}");
    assert!(stdout.ends_with("15/15 steps passed\n"), "{stdout}");

    let dir = std::env::temp_dir().join(format!("kubetutor-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("early.md");
    std::fs::write(&file, EARLY).unwrap();
    let bad = Command::new(bin)
        .args(["lesson", "run"])
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8(bad.stdout)
            .unwrap()
            .ends_with("1/3 steps passed\n")
    );

    let builtin = Command::new(bin).args(["lesson", "run"]).output().unwrap();
    assert!(builtin.status.success());
}
