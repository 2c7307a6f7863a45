//! Renders a [`Report`]: aligned tables for the terminal, CSV (one row per learner and
//! lesson) for spreadsheets, JSON, and JUnit XML (one test case per learner and step or quiz
//! question) for autograding in CI or an LMS.
//!
//! Names and titles come from records anyone in the class could write, so no text reaches
//! the instructor's terminal raw: control characters (ESC starts a terminal command) and
//! bidirectional overrides are shown escaped (`\x1b`) in tables, CSV and XML (JSON escapes
//! its own), and table cells are cut at a width with `…` so one long name cannot widen every
//! row.
//!
//! Must not import: the session, the engine, std::fs (rendering is text only).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Format, LearnerRow, Report, answer_text};
use crate::tabwriter;

/// The widest a table cell gets, in characters: the steps table (STEP 6-7, TITLE at most
/// [`TITLE_CELL`] + 3, COMPLETED 12, MEDIAN TIME 14, STUCK HERE 10) stays within 120 columns,
/// and a learner row within about 200.
const CELL: usize = 28;
const TITLE_CELL: usize = 72;
/// A lesson's title and identity in a section heading: `Steps: ` + 60 + ` (` + 40 + `)`.
const HEADING_TITLE: usize = 60;
const HEADING_ID: usize = 40;

/// Whether `c` must not reach a terminal as itself: C0 and C1 controls (ESC, CSI, BEL, ...),
/// DEL, and the invisible characters that reorder or hide text (bidirectional overrides and
/// isolates, zero-width marks).
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// `s` with every unsafe character escaped, `\x1b` or `\u{202e}`, so it prints as text.
pub fn printable(s: &str) -> String {
    if !s.chars().any(unsafe_char) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if let Ok(byte) = u8::try_from(u32::from(c)) {
            let _ = write!(out, "\\x{byte:02x}");
        } else {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
    out
}

/// A table cell: printable, and cut to `max` characters with `…`.
fn cell(s: &str, max: usize) -> String {
    let s = printable(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Tab-separated rows aligned the way kubectl aligns its tables; cells are made printable
/// and cut (the callers' widths for titles, [`CELL`] for the rest).
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut text = headers.join("\t");
    text.push('\n');
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c, TITLE_CELL)).collect();
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    tabwriter::format(&text, tabwriter::GET)
}

/// A lesson as a section heading names it: the title, and its identity when it has one.
fn lesson_heading(title: &str, id: &str) -> String {
    if id.is_empty() {
        cell(title, HEADING_TITLE)
    } else {
        format!("{} ({})", cell(title, HEADING_TITLE), cell(id, HEADING_ID))
    }
}

/// A CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (a learner
/// could call themselves `=HYPERLINK(...)`) gets a leading `'`, as OWASP advises.
fn csv_text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{}", printable(s))
    } else {
        printable(s)
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Text for an XML attribute: escaped, with control characters (XML 1.0 forbids most)
/// shown as `\x..` text.
fn xml(s: &str) -> String {
    printable(s)
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
            cell(&l.learner, CELL),
            cell(&l.lesson, CELL),
            cell(
                if l.lesson_id.is_empty() {
                    "-"
                } else {
                    &l.lesson_id
                },
                CELL,
            ),
            format!("{}/{}", l.steps_done, l.steps_total),
            cell(l.current_step.as_deref().unwrap_or("finished"), CELL),
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
                    "LESSON ID",
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
        let mut lessons: BTreeMap<(&str, &str), Vec<Vec<String>>> = BTreeMap::new();
        for s in &self.steps {
            let key = (s.lesson_id.as_str(), s.lesson.as_str());
            lessons.entry(key).or_default().push(vec![
                s.number.to_string(),
                s.title.clone(),
                s.completed.to_string(),
                s.median_seconds.map_or("-".into(), |m| format!("{m:.0}s")),
                s.stuck.to_string(),
            ]);
        }
        for ((id, title), rows) in &lessons {
            let _ = writeln!(out, "\nSteps: {}", lesson_heading(title, id));
            out.push_str(&table(
                &["STEP", "TITLE", "COMPLETED", "MEDIAN TIME", "STUCK HERE"],
                rows,
            ));
        }
        let mut quizzes: BTreeMap<(&str, &str), Vec<Vec<String>>> = BTreeMap::new();
        for q in &self.questions {
            let key = (q.lesson_id.as_str(), q.lesson.as_str());
            quizzes.entry(key).or_default().push(vec![
                cell(&q.title, TITLE_CELL),
                format!(
                    "{}/{} ({:.0}%)",
                    q.correct,
                    q.answered,
                    q.share_correct * 100.0
                ),
                cell(q.most_common_wrong.as_deref().unwrap_or("-"), CELL),
            ]);
        }
        for ((id, title), rows) in &quizzes {
            let _ = writeln!(out, "\nQuiz: {}", lesson_heading(title, id));
            out.push_str(&table(
                &["QUESTION", "CORRECT", "MOST COMMON WRONG ANSWER"],
                rows,
            ));
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\nSkipped {} unreadable file(s):", self.skipped.len());
            for s in &self.skipped {
                let _ = writeln!(out, "  {}: {}", printable(&s.file), printable(&s.reason));
            }
        }
        out
    }

    fn render_csv(&self) -> String {
        let mut out = String::from(
            "learner,lesson,steps_done,steps_total,current_step,minutes,quiz_points,quiz_total,hints,solutions,attempts,ended,lesson_id\n",
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
                csv_text(&l.lesson_id),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// One test suite per lesson; in it one test case per learner and step, then per learner
    /// and quiz question. A step not done or a wrong answer is a failure.
    fn render_junit(&self) -> String {
        let mut suites: BTreeMap<(&str, &str), (String, usize, usize)> = BTreeMap::new();
        for r in &self.records {
            let key = (r.lesson_id.as_str(), r.lesson.as_str());
            let (cases, tests, failures) = suites.entry(key).or_default();
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
        for ((id, title), (cases, tests, failures)) in &suites {
            let name = if id.is_empty() {
                (*title).to_string()
            } else {
                format!("{title} ({id})")
            };
            let _ = write!(
                out,
                "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\">\n{cases}  </testsuite>\n",
                xml(&name)
            );
        }
        out.push_str("</testsuites>\n");
        out
    }
}
