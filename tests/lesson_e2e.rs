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
    let chapters: Vec<String> = WORKSHOP
        .iter()
        .map(|file| workshop_lesson(file).meta.title)
        .collect();
    for lesson in &lessons {
        // Chapters 7-11 continue each other's cluster: they are played in order below.
        if !chapters.contains(&lesson.meta.title) {
            assert_all_pass(lesson, 1);
        }
    }
}

/// Our lessons for workshop chapters 7-11, in play order: they continue each other's cluster
/// (chapter 7 starts with no cluster and makes it with `kind create cluster`).
const WORKSHOP: &[&str] = &[
    "017_meet_kubernetes.md",
    "019_orchestrate_containers.md",
    "021_running_at_scale.md",
    "023_services.md",
    "025_config_as_code.md",
];

fn workshop_lesson(file: &str) -> Lesson {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("lessons")
        .join(file);
    content::load_path(&path).unwrap().remove(0)
}

/// Plays chapters 7-11 as one lesson (one cluster, one home folder, in order, as the workshop
/// does) and checks that every step of each chapter passes, with its check false before the
/// step (`run_lesson` fails a step whose check already held).
#[test]
fn our_workshop_chapters_pass_every_step_in_order() {
    let mut chapters = WORKSHOP.iter().map(|file| workshop_lesson(file));
    let mut joined = chapters.next().unwrap();
    let mut spans = vec![(0, joined.steps.len())];
    for chapter in chapters {
        let first = joined.steps.len();
        joined.steps.extend(chapter.steps);
        spans.push((first, joined.steps.len()));
    }
    let (_, text) = play(&joined, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        joined.start,
        content::Start::None,
        "chapter 7 starts with no cluster"
    );
    for (file, (first, end)) in WORKSHOP.iter().zip(&spans) {
        for (index, step) in joined.steps[*first..*end].iter().enumerate() {
            let line = lines[first + index];
            assert!(
                line.starts_with("✓ "),
                "{file} step {}: {line}",
                step.number
            );
        }
    }
}

/// Every step of our chapters 7-11 has a check, every chapter has its quiz, and the folder
/// orders them by weight as the workshop's chapters.
#[test]
fn our_workshop_chapters_are_fully_checked_and_titled_in_order() {
    let titles: Vec<String> = WORKSHOP
        .iter()
        .map(|file| {
            let lesson = workshop_lesson(file);
            assert!(lesson.steps.iter().all(|s| s.check.is_some()), "{file}");
            assert!(lesson.quiz.is_some(), "{file} has no quiz");
            lesson.meta.title
        })
        .collect();
    assert_eq!(
        titles,
        [
            "7. Meet Kubernetes",
            "8. Orchestrate Containers",
            "9. Running at Scale",
            "10. Services",
            "11. Configuration as Code"
        ]
    );
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

/// Issue 15 item 13: `lesson check` shows the quiz the tutor attaches, lists every error in
/// one run (text and JSON), names the right closing delimiter and pluralises.
#[test]
fn lesson_check_shows_the_attached_quiz_and_every_error_at_once() {
    let bin = env!("CARGO_BIN_EXE_kubetutor");
    let root = env!("CARGO_MANIFEST_DIR");
    let ok = Command::new(bin)
        .args(["lesson", "check", "lessons/daemonsets.md"])
        .current_dir(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8(ok.stdout).unwrap();
    assert!(ok.status.success(), "{stdout}");
    let questions = kubetutor::content::load_quiz("q.md", kubetutor::content::QUIZ, 1)
        .unwrap()
        .questions
        .len();
    assert!(
        stdout.contains(&format!(
            "quiz from quizzes/daemonsets.md: {questions} questions ("
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("quiz: none"), "{stdout}");
    let json = Command::new(bin)
        .args(["lesson", "check", "lessons/daemonsets.md", "--json"])
        .current_dir(root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["quiz_file"], "quizzes/daemonsets.md");
    assert_eq!(
        report["quiz"]["questions"].as_array().unwrap().len(),
        questions
    );

    let dir = std::env::temp_dir().join(format!("kubetutor-check-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::create_dir_all(dir.join("quizzes")).unwrap();
    let lesson = "---\ntitle: \"Broken\"\n---\n\n{{% notice note %}}\nNever closed.\n\n\
                  {{< step >}}One.{{< /step >}}\n\n```bash\nkubectl get nodes\n```\n\
                  <!-- check: kubectl get nodes frobnicate -->\n\n\
                  {{< step >}}Two.{{< /step >}}\n\n```bash\nkubectl get pods\n```\n\
                  <!-- check: kubectl get pods wibble -->\n";
    std::fs::write(dir.join("lessons/broken.md"), lesson).unwrap();
    std::fs::write(
        dir.join("quizzes/broken.md"),
        "## Only one\n\n1. [x] a\n1. [ ] b\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("quizzes/one.md"),
        "## Only one\n\n1. [x] a\n1. [ ] b\n",
    )
    .unwrap();
    let text = Command::new(bin)
        .args(["lesson", "check", "lessons/broken.md"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let json = Command::new(bin)
        .args(["lesson", "check", "lessons/broken.md", "--json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let one = Command::new(bin)
        .args(["lesson", "check", "quizzes/one.md"])
        .current_dir(&dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8(text.stderr).unwrap();
    assert_eq!(text.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{stderr}");
    assert!(
        lines[0].starts_with(
            "lessons/broken.md:5:1: unclosed shortcode block `notice`: expected `{{% /notice %}}`"
        ),
        "{stderr}"
    );
    assert!(lines[1].starts_with("lessons/broken.md:13:"), "{stderr}");
    assert!(lines[2].starts_with("lessons/broken.md:20:"), "{stderr}");
    assert_eq!(lines[3], "3 errors");
    assert_eq!(json.status.code(), Some(1));
    let errors: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(errors["errors"].as_array().unwrap().len(), 3, "{errors}");
    assert_eq!(errors["errors"][0]["line"], 5);
    assert_eq!(errors["errors"][2]["line"], 20);
    let one = String::from_utf8(one.stdout).unwrap();
    assert!(one.contains("quiz: 1 question (1 single"), "{one}");
}

/// Issue 15 item 10: an image tag that does not exist goes ErrImagePull, then
/// ImagePullBackOff, as real Kubernetes reports it.
#[test]
fn a_tag_that_does_not_exist_fails_to_pull() {
    use std::io::Write;
    let bin = env!("CARGO_BIN_EXE_kubetutor");
    let mut child = Command::new(bin)
        .args(["shell", "--seed", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"kubectl run web --image=nginx:doesnotexist\nsleep 5\nkubectl get pod web\nsleep 60\nkubectl get pod web\nkubectl describe pod web | grep -c 'Failed to pull image'\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("web ")).collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(
        rows.iter()
            .any(|r| r.contains("ErrImagePull") || r.contains("ImagePullBackOff")),
        "{stdout}"
    );
    assert!(rows[1].contains("ImagePullBackOff"), "{stdout}");
    assert!(!stdout.contains("Running"), "{stdout}");
}
