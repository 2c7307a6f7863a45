//! A classroom: many learners write result records into one shared folder at the same time,
//! and `kubetutor report` reads the class back, in every format, naming any file that is not
//! a readable record instead of failing.
#![allow(clippy::disallowed_methods)] // these tests start the real kubetutor binary

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use kubetutor::content::{self, Response};
use kubetutor::report;
use kubetutor::results;

const LEARNERS: usize = 50;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubetutor-class-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn kubetutor(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubetutor"));
    cmd.args(args);
    cmd
}

fn report(dir: &Path, format: &str) -> Output {
    kubetutor(&["report", dir.to_str().unwrap(), "--format", format])
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Learner `i`'s session: the commands of the first `i % 4` steps, then answer `i % 2 + 1`
/// to the first quiz question, then the quiz is evaluated (which writes the record).
fn script(i: usize) -> String {
    let lesson = content::builtin_lessons().unwrap().remove(0);
    let mut text = String::new();
    for step in lesson.steps.iter().take(i % 4) {
        for command in step.commands() {
            text.push_str(&command);
            text.push('\n');
        }
    }
    text.push_str(&format!(":answer 1 {}\n:quiz\n", i % 2 + 1));
    text
}

/// A record like a learner's, for shape tests.
fn write_sample(dir: &Path, learner: &str, done: &[bool]) {
    let lesson = content::builtin_lessons().unwrap().remove(0);
    let mut session = kubetutor::session::Session::new(lesson, 1, 3);
    for (i, d) in done.iter().enumerate() {
        if *d {
            for command in session.lesson().steps[i].commands() {
                session.submit(&command);
            }
        }
    }
    let record = session.result_record(learner, "2026-03-01T09:00:00Z", "2026-03-01T09:30:00Z");
    results::write_record(dir, &record, "1").unwrap();
}

#[test]
fn fifty_learners_writing_at_once_leave_fifty_intact_records_and_a_correct_report() {
    let dir = temp_dir("fifty");
    let (state, results_dir) = (dir.join("state"), dir.join("results"));
    let mut children = Vec::new();
    for i in 0..LEARNERS {
        let learner = format!("learner-{i:02}");
        let mut child = kubetutor(&[
            "shell",
            "--lesson",
            "--learner",
            &learner,
            "--seed",
            &i.to_string(),
            "--state-dir",
            state.to_str().unwrap(),
            "--results-dir",
            results_dir.to_str().unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        children.push((i, child.stdin.take().unwrap(), child));
    }
    // Every process is running before any is fed: they all write at about the same moment.
    let mut running = Vec::new();
    for (i, mut stdin, child) in children {
        stdin.write_all(script(i).as_bytes()).unwrap();
        drop(stdin);
        running.push(child);
    }
    for child in running {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }

    let (records, bad) = results::read_dir(&results_dir).unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(records.len(), LEARNERS);
    let names: Vec<String> = fs::read_dir(&results_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), LEARNERS, "no temporary files left: {names:?}");

    let lesson = content::builtin_lessons().unwrap().remove(0);
    let quiz = lesson.quiz.as_ref().unwrap();
    let first = &quiz.questions[0];
    let right = |i: usize| {
        let pick = i % 2;
        let response = match first.kind {
            content::QuestionKind::Single => Response::Single(pick),
            content::QuestionKind::Multiple => Response::Multiple([pick].into()),
            content::QuestionKind::Sequence => Response::Sequence(vec![pick]),
        };
        content::is_right(first, &response)
    };
    let class = report::build(records, Vec::new());
    assert_eq!(class.learners.len(), LEARNERS);
    for (i, row) in class.learners.iter().enumerate() {
        assert_eq!(row.learner, format!("learner-{i:02}"));
        assert_eq!(row.steps_done, i % 4);
        assert_eq!(row.steps_total, lesson.steps.len());
        let points = usize::from(right(i));
        assert_eq!(row.quiz, Some(format!("{points}/{}", quiz.questions.len())));
    }
    for (n, step) in class.steps.iter().take(4).enumerate() {
        let completed = (0..LEARNERS).filter(|i| i % 4 > n).count();
        let stuck = (0..LEARNERS).filter(|i| i % 4 == n).count();
        assert_eq!(
            (step.completed, step.stuck),
            (completed, stuck),
            "step {}",
            n + 1
        );
    }
    let q = &class.questions[0];
    let correct = (0..LEARNERS).filter(|i| right(*i)).count();
    assert_eq!((q.answered, q.correct), (LEARNERS, correct));
    assert_eq!(q.share_correct, correct as f64 / LEARNERS as f64);

    // The binary's JSON says the same.
    let out = report(&results_dir, "json");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["learners"].as_array().unwrap().len(), LEARNERS);
    assert_eq!(json["questions"][0]["correct"], correct);
    assert_eq!(json["skipped"].as_array().unwrap().len(), 0);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn threads_racing_for_one_record_name_never_overwrite_each_other() {
    let dir = temp_dir("race");
    let lesson = content::builtin_lessons().unwrap().remove(0);
    let session = kubetutor::session::Session::new(lesson, 1, 3);
    std::thread::scope(|scope| {
        for i in 0..20 {
            let (dir, session) = (&dir, &session);
            scope.spawn(move || {
                let record = session.result_record("ada", &format!("t{i:02}"), "e");
                results::write_record(dir, &record, "same-attempt").unwrap();
            });
        }
    });
    let (records, bad) = results::read_dir(&dir).unwrap();
    assert!(bad.is_empty());
    let mut starts: Vec<String> = records.into_iter().map(|(_, r)| r.started).collect();
    starts.sort();
    let expected: Vec<String> = (0..20).map(|i| format!("t{i:02}")).collect();
    assert_eq!(starts, expected);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_record_is_named_and_the_report_still_printed() {
    let dir = temp_dir("corrupt");
    write_sample(&dir, "ada", &[true, true]);
    write_sample(&dir, "bob", &[true]);
    fs::write(
        dir.join("carol--12._DaemonSets--2.json"),
        b"{\"format\": 1, \"learn",
    )
    .unwrap();
    let out = report(&dir, "table");
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Learners\nLEARNER "), "{stdout}");
    assert!(
        stdout.contains("\nada ") && stdout.contains("\nbob "),
        "{stdout}"
    );
    assert!(stdout.contains("Skipped 1 unreadable file(s):"), "{stdout}");
    assert!(
        stdout.contains("carol--12._DaemonSets--2.json: not a result record"),
        "{stdout}"
    );
    let out = report(&dir, "csv");
    assert!(out.status.success());
    assert!(text(&out.stderr).contains("skipped"));
    assert!(text(&out.stderr).contains("carol--12._DaemonSets--2.json"));
    assert_eq!(text(&out.stdout).lines().count(), 3);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn csv_has_one_row_per_learner_with_fixed_columns() {
    let dir = temp_dir("csv");
    write_sample(&dir, "ada", &[true, true, true]);
    write_sample(&dir, "bob, the second", &[true]);
    let out = report(&dir, "csv");
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "learner,lesson,steps_done,steps_total,current_step,minutes,quiz_points,quiz_total,hints,solutions,attempts,ended,lesson_id"
    );
    let id = content::builtin_lessons().unwrap()[0].identity();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("ada,12. DaemonSets,3,15,\"4 Create a dev-system namespace, and keep"),
        "{csv}"
    );
    assert!(
        lines[1].ends_with(&format!(",0.0,,,0,0,1,2026-03-01T09:30:00Z,{id}")),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("\"bob, the second\",12. DaemonSets,1,15,"),
        "{csv}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn junit_has_one_test_case_per_learner_and_step() {
    let dir = temp_dir("junit");
    write_sample(&dir, "ada", &[true, true]);
    write_sample(&dir, "bob", &[true]);
    let out = report(&dir, "junit");
    let xml = text(&out.stdout);
    let steps = content::builtin_lessons().unwrap()[0].steps.len();
    let (tests, failures) = (2 * steps, 2 * steps - 3);
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{xml}"
    );
    assert!(
        xml.contains(&format!(
            "<testsuites name=\"kubetutor\" tests=\"{tests}\" failures=\"{failures}\">"
        )),
        "{xml}"
    );
    let id = content::builtin_lessons().unwrap()[0].identity();
    assert!(xml.contains(&format!(
        "<testsuite name=\"12. DaemonSets ({id})\" tests=\"{tests}\" failures=\"{failures}\">"
    )));
    assert_eq!(xml.matches("<testcase ").count(), tests);
    assert_eq!(xml.matches("<failure ").count(), failures);
    assert_eq!(xml.matches("classname=\"ada\"").count(), steps);
    assert!(xml.contains("<testcase classname=\"bob\" name=\"step 1: List the nodes of the cluster, with their addresses.\" time=\"0.0\"/>"), "{xml}");
    assert!(xml.trim_end().ends_with("</testsuites>"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn lesson_run_writes_a_record_per_run_as_a_learner_would() {
    let dir = temp_dir("lesson-run");
    for _ in 0..2 {
        let out = kubetutor(&["lesson", "run", "--learner", "smoke-test", "--results-dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("kubetutor: result written to "));
    }
    let (records, bad) = results::read_dir(&dir).unwrap();
    assert!(bad.is_empty());
    assert_eq!(records.len(), 2, "attempts never overwrite each other");
    let r = &records[0].1;
    assert_eq!(r.learner, "smoke-test");
    assert_eq!(r.steps_done(), r.steps.len());
    let out = report(&dir, "table");
    let table = text(&out.stdout);
    assert!(table.contains("smoke-test "), "{table}");
    assert!(table.contains(" finished "), "{table}");
    let _ = fs::remove_dir_all(&dir);
}
