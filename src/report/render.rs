//! Renders a [`Report`]: aligned tables for the terminal, CSV (one row per learner and
//! lesson) for spreadsheets, JSON, and JUnit XML (one test case per learner and step or quiz
//! question) for autograding in CI or an LMS.
//!
//! Must not import: the session, the engine, std::fs (rendering is text only).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Format, LearnerRow, Report, answer_text};
use crate::tabwriter;

/// Tab-separated rows aligned the way kubectl aligns its tables.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut text = headers.join("\t");
    text.push('\n');
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| c.replace(['\t', '\n'], " ")).collect();
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    tabwriter::format(&text, tabwriter::GET)
}

/// A CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (a learner
/// could call themselves `=HYPERLINK(...)`) gets a leading `'`, as OWASP advises.
fn csv_text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Text for an XML attribute: escaped, and without the control characters XML 1.0 forbids.
fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
}

impl Report {
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.render_table(),
            Format::Csv => self.render_csv(),
            Format::Json => serde_json::to_string_pretty(self).unwrap_or_default() + "\n",
            Format::Junit => self.render_junit(),
        }
    }

    fn learner_cells(l: &LearnerRow) -> Vec<String> {
        vec![
            l.learner.clone(),
            l.lesson.clone(),
            format!("{}/{}", l.steps_done, l.steps_total),
            l.current_step.clone().unwrap_or_else(|| "finished".into()),
            format!("{:.1}", l.minutes),
            l.quiz.clone().unwrap_or_else(|| "-".into()),
            format!("{}/{}", l.hints, l.solutions),
            l.attempts.to_string(),
        ]
    }

    fn render_table(&self) -> String {
        let mut out = String::new();
        if self.learners.is_empty() {
            out.push_str("No result records found.\n");
        } else {
            out.push_str("Learners\n");
            let rows: Vec<Vec<String>> = self.learners.iter().map(Self::learner_cells).collect();
            out.push_str(&table(
                &[
                    "LEARNER",
                    "LESSON",
                    "STEPS",
                    "CURRENT STEP",
                    "MINUTES",
                    "QUIZ",
                    "HINTS/SOLUTIONS",
                    "ATTEMPTS",
                ],
                &rows,
            ));
        }
        let mut lessons: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::new();
        for s in &self.steps {
            lessons.entry(&s.lesson).or_default().push(vec![
                s.number.to_string(),
                s.title.clone(),
                s.completed.to_string(),
                s.median_seconds.map_or("-".into(), |m| format!("{m:.0}s")),
                s.stuck.to_string(),
            ]);
        }
        for (lesson, rows) in &lessons {
            let _ = writeln!(out, "\nSteps: {lesson}");
            out.push_str(&table(
                &["STEP", "TITLE", "COMPLETED", "MEDIAN TIME", "STUCK HERE"],
                rows,
            ));
        }
        let mut quizzes: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::new();
        for q in &self.questions {
            quizzes.entry(&q.lesson).or_default().push(vec![
                q.title.clone(),
                format!(
                    "{}/{} ({:.0}%)",
                    q.correct,
                    q.answered,
                    q.share_correct * 100.0
                ),
                q.most_common_wrong.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        for (lesson, rows) in &quizzes {
            let _ = writeln!(out, "\nQuiz: {lesson}");
            out.push_str(&table(
                &["QUESTION", "CORRECT", "MOST COMMON WRONG ANSWER"],
                rows,
            ));
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\nSkipped {} unreadable file(s):", self.skipped.len());
            for s in &self.skipped {
                let _ = writeln!(out, "  {}: {}", s.file, s.reason);
            }
        }
        out
    }

    fn render_csv(&self) -> String {
        let mut out = String::from(
            "learner,lesson,steps_done,steps_total,current_step,minutes,quiz_points,quiz_total,hints,solutions,attempts,ended\n",
        );
        for l in &self.learners {
            let (points, total) = l
                .quiz
                .as_deref()
                .and_then(|q| q.split_once('/'))
                .unwrap_or_default();
            let cells = [
                csv_text(&l.learner),
                csv_text(&l.lesson),
                l.steps_done.to_string(),
                l.steps_total.to_string(),
                csv_text(l.current_step.as_deref().unwrap_or_default()),
                format!("{:.1}", l.minutes),
                points.to_string(),
                total.to_string(),
                l.hints.to_string(),
                l.solutions.to_string(),
                l.attempts.to_string(),
                csv_text(&l.ended),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// One test suite per lesson; in it one test case per learner and step, then per learner
    /// and quiz question. A step not done or a wrong answer is a failure.
    fn render_junit(&self) -> String {
        let mut suites: BTreeMap<&str, (String, usize, usize)> = BTreeMap::new();
        for r in &self.records {
            let (cases, tests, failures) = suites.entry(&r.lesson).or_default();
            for s in &r.steps {
                *tests += 1;
                let _ = write!(
                    cases,
                    "    <testcase classname=\"{}\" name=\"step {}: {}\"",
                    xml(&r.learner),
                    s.number,
                    xml(&s.title)
                );
                if let Some(t) = s.seconds {
                    let _ = write!(cases, " time=\"{t:.1}\"");
                }
                if s.done {
                    cases.push_str("/>\n");
                } else {
                    *failures += 1;
                    cases.push_str(
                        ">\n      <failure message=\"step not completed\"/>\n    </testcase>\n",
                    );
                }
            }
            for q in r.quiz.iter().flat_map(|q| &q.questions) {
                *tests += 1;
                let _ = write!(
                    cases,
                    "    <testcase classname=\"{}\" name=\"quiz: {}\"",
                    xml(&r.learner),
                    xml(&q.title)
                );
                if q.correct {
                    cases.push_str("/>\n");
                } else {
                    *failures += 1;
                    let _ = write!(
                        cases,
                        ">\n      <failure message=\"wrong answer: {}\"/>\n    </testcase>\n",
                        xml(&answer_text(&q.answer))
                    );
                }
            }
        }
        let tests: usize = suites.values().map(|s| s.1).sum();
        let failures: usize = suites.values().map(|s| s.2).sum();
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubetutor\" tests=\"{tests}\" failures=\"{failures}\">\n"
        );
        for (lesson, (cases, tests, failures)) in &suites {
            let _ = write!(
                out,
                "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\">\n{cases}  </testsuite>\n",
                xml(lesson)
            );
        }
        out.push_str("</testsuites>\n");
        out
    }
}
