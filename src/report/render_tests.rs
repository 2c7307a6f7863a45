//! The report facing hostile or huge records: terminal escapes in names and titles, cells
//! that would widen every row, and two lessons of one title.

use std::path::PathBuf;

use super::tests::record;
use super::{Format, build};

/// The text any terminal would act on: ESC, BEL, CSI (C1) and a right-to-left override.
const ESCAPES: [char; 4] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'];

#[test]
fn control_characters_in_names_and_titles_are_shown_escaped_in_every_text_format() {
    let (p, mut r) = record(
        "\u{1b}]0;owned\u{7}eve\u{1b}[2J",
        &[true, false],
        &[(false, "\u{9b}31m")],
    );
    r.lesson = "Evil\u{202e}txt.exe".into();
    r.steps[1].title = "step \u{1b}[5m".into();
    let report = build(
        vec![(p, r)],
        vec![(PathBuf::from("bad\u{1b}[1m.json"), "not \u{7}ok".into())],
    );
    for format in [Format::Table, Format::Csv, Format::Junit] {
        let text = report.render(format);
        assert!(!text.contains(ESCAPES), "{format:?}: {text:?}");
        assert!(
            text.contains("\\x1b]0;owned\\x07eve\\x1b[2J"),
            "{format:?}: {text}"
        );
    }
    let table = report.render(Format::Table);
    assert!(table.contains("Evil\\u{202e}txt.exe"), "{table}");
    assert!(table.contains("bad\\x1b[1m.json: not \\x07ok"), "{table}");
    assert!(table.contains("\\x9b31m"), "{table}");
}

#[test]
fn a_huge_name_or_title_is_cut_and_the_steps_table_stays_within_120_columns() {
    let huge = "x".repeat(1 << 20);
    let (p, mut r) = record(&huge, &[true, false], &[(false, &huge)]);
    r.lesson = huge.clone();
    r.steps[0].title = huge.clone();
    r.steps[1].number = 9999;
    let (q, other) = record("bob", &[true, false], &[(true, "a")]);
    let table = build(vec![(p, r), (q, other)], Vec::new()).render(Format::Table);
    assert!(table.len() < 4096, "{} bytes", table.len());
    assert!(table.contains('…'), "{table}");
    let steps = table.split("\nSteps: ").nth(1).unwrap();
    let steps = steps.split("\n\n").next().unwrap();
    for line in steps.lines() {
        assert!(
            line.chars().count() <= 120,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn two_lessons_of_one_title_are_kept_apart_by_identity_and_old_records_by_title() {
    let mut records = Vec::new();
    for (learner, id, done) in [
        ("ada", "12-daemonsets-aaaa0001", true),
        ("bob", "12-daemonsets-bbbb0002", false),
        ("cy", "", true),
    ] {
        let (p, mut r) = record(learner, &[done], &[]);
        r.lesson = "12. DaemonSets".into();
        r.lesson_id = id.into();
        records.push((p, r));
    }
    // ada also tried the other lesson: a separate row, not a second attempt.
    let (p, mut r) = record("ada", &[false], &[]);
    r.lesson = "12. DaemonSets".into();
    r.lesson_id = "12-daemonsets-bbbb0002".into();
    records.push((p, r));
    let report = build(records, Vec::new());
    let rows: Vec<(&str, &str, usize)> = report
        .learners
        .iter()
        .map(|l| (l.learner.as_str(), l.lesson_id.as_str(), l.attempts))
        .collect();
    assert_eq!(
        rows,
        [
            ("ada", "12-daemonsets-aaaa0001", 1),
            ("ada", "12-daemonsets-bbbb0002", 1),
            ("bob", "12-daemonsets-bbbb0002", 1),
            ("cy", "", 1),
        ]
    );
    let completed: Vec<(&str, usize)> = report
        .steps
        .iter()
        .map(|s| (s.lesson_id.as_str(), s.completed))
        .collect();
    assert_eq!(
        completed,
        [
            ("", 1),
            ("12-daemonsets-aaaa0001", 1),
            ("12-daemonsets-bbbb0002", 0)
        ]
    );
    let table = report.render(Format::Table);
    assert!(
        table.contains("\nSteps: 12. DaemonSets (12-daemonsets-aaaa0001)\n"),
        "{table}"
    );
    assert!(
        table.contains("\nSteps: 12. DaemonSets (12-daemonsets-bbbb0002)\n"),
        "{table}"
    );
    assert!(table.contains("\nSteps: 12. DaemonSets\n"), "{table}");
    let junit = report.render(Format::Junit);
    assert_eq!(junit.matches("<testsuite name=").count(), 3, "{junit}");
    let csv = report.render(Format::Csv);
    assert!(
        csv.lines().next().unwrap().ends_with(",ended,lesson_id"),
        "{csv}"
    );
}

#[test]
fn a_record_of_huge_texts_adds_a_bounded_amount_to_every_format() {
    let huge = "y".repeat(200_000);
    let (p, mut r) = record(&huge, &[false; 1000], &[(false, &huge)]);
    r.lesson = huge.clone();
    for s in &mut r.steps {
        s.title = huge.clone();
    }
    let report = build(vec![(p, r)], Vec::new());
    for format in [Format::Table, Format::Csv, Format::Json, Format::Junit] {
        let text = report.render(format);
        // Uncut, JUnit alone would be 1000 cases of 400,000 characters: 400 MB.
        assert!(text.len() < 2_000_000, "{format:?}: {} bytes", text.len());
    }
    assert_eq!(report.learners[0].learner.chars().count(), 257);
    assert!(report.learners[0].learner.ends_with('…'));
}
