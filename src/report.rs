//! `kubetutor report DIR`: the instructor's view of a class from its result records:
//! per learner, per step and per quiz question; as a table, CSV, JSON or JUnit XML.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::results::ResultRecord;

/// The output formats of `kubetutor report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Junit,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "table" => Some(Format::Table),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "junit" => Some(Format::Junit),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct LearnerRow {
    pub learner: String,
    pub lesson: String,
    pub steps_done: usize,
    pub steps_total: usize,
    /// The first step not done, as `N title`.
    pub current_step: Option<String>,
    pub minutes: f64,
    pub quiz: Option<String>,
    pub hints: usize,
    pub solutions: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepRow {
    pub number: usize,
    pub title: String,
    pub completed: usize,
    pub median_seconds: Option<f64>,
    /// Learners whose current step this is.
    pub stuck: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct QuestionRow {
    pub title: String,
    pub answered: usize,
    pub correct: usize,
    pub share_correct: f64,
    pub most_common_wrong: Option<String>,
}

/// The whole class view.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub learners: Vec<LearnerRow>,
    pub steps: Vec<StepRow>,
    pub questions: Vec<QuestionRow>,
    /// Files that were not result records, with why.
    pub skipped: Vec<(String, String)>,
    #[serde(skip)]
    records: Vec<ResultRecord>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Builds the report; each learner's latest attempt per lesson counts.
pub fn build(records: Vec<(PathBuf, ResultRecord)>, skipped: Vec<(PathBuf, String)>) -> Report {
    let mut latest: BTreeMap<(String, String), ResultRecord> = BTreeMap::new();
    for (_, r) in records {
        let key = (r.learner.clone(), r.lesson.clone());
        let newer = latest.get(&key).is_none_or(|old| r.ended >= old.ended);
        if newer {
            latest.insert(key, r);
        }
    }
    let records: Vec<ResultRecord> = latest.into_values().collect();
    let learners = records
        .iter()
        .map(|r| {
            let secs: f64 = r.steps.iter().filter_map(|s| s.seconds).sum();
            LearnerRow {
                learner: r.learner.clone(),
                lesson: r.lesson.clone(),
                steps_done: r.steps_done(),
                steps_total: r.steps.len(),
                current_step: r
                    .current_step()
                    .map(|s| format!("{} {}", s.number, s.title)),
                minutes: (secs / 60.0 * 10.0).round() / 10.0,
                quiz: r.quiz.as_ref().map(|q| format!("{}/{}", q.points, q.total)),
                hints: r.steps.iter().filter(|s| s.hint_used).count(),
                solutions: r.steps.iter().filter(|s| s.solution_used).count(),
            }
        })
        .collect();
    let mut steps: BTreeMap<usize, (String, usize, Vec<f64>, usize)> = BTreeMap::new();
    for r in &records {
        let current = r.current_step().map(|s| s.number);
        for s in &r.steps {
            let e = steps
                .entry(s.number)
                .or_insert_with(|| (s.title.clone(), 0, Vec::new(), 0));
            if s.done {
                e.1 += 1;
                if let Some(t) = s.seconds {
                    e.2.push(t);
                }
            }
            if current == Some(s.number) {
                e.3 += 1;
            }
        }
    }
    let steps = steps
        .into_iter()
        .map(|(number, (title, completed, times, stuck))| StepRow {
            number,
            title,
            completed,
            median_seconds: median(times),
            stuck,
        })
        .collect();
    let mut questions: Vec<(String, usize, usize, BTreeMap<String, usize>)> = Vec::new();
    for r in &records {
        for q in r.quiz.iter().flat_map(|q| &q.questions) {
            let idx = match questions.iter().position(|x| x.0 == q.title) {
                Some(i) => i,
                None => {
                    questions.push((q.title.clone(), 0, 0, BTreeMap::new()));
                    questions.len() - 1
                }
            };
            let e = &mut questions[idx];
            e.1 += 1;
            if q.correct {
                e.2 += 1;
            } else {
                *e.3.entry(q.answer.join(" | ")).or_default() += 1;
            }
        }
    }
    let questions = questions
        .into_iter()
        .map(|(title, answered, correct, wrong)| {
            let most = wrong
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(a, _)| a);
            QuestionRow {
                title,
                answered,
                correct,
                share_correct: if answered == 0 {
                    0.0
                } else {
                    correct as f64 / answered as f64
                },
                most_common_wrong: most,
            }
        })
        .collect();
    let skipped = skipped
        .into_iter()
        .map(|(p, why)| (p.display().to_string(), why))
        .collect();
    Report {
        learners,
        steps,
        questions,
        skipped,
        records,
    }
}

fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut text = headers.join("\t");
    text.push('\n');
    for r in rows {
        text.push_str(&r.join("\t"));
        text.push('\n');
    }
    crate::shell::kubectl::tabwriter::format(&text, crate::shell::kubectl::tabwriter::GET)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
        ]
    }

    fn render_table(&self) -> String {
        if self.learners.is_empty() {
            let mut out = String::from("No result records found.\n");
            for (path, why) in &self.skipped {
                let _ = writeln!(out, "skipped {path}: {why}");
            }
            return out;
        }
        let mut out = String::from("Learners\n");
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
            ],
            &rows,
        ));
        out.push_str("\nSteps\n");
        let rows: Vec<Vec<String>> = self
            .steps
            .iter()
            .map(|s| {
                vec![
                    s.number.to_string(),
                    s.title.clone(),
                    s.completed.to_string(),
                    s.median_seconds.map_or("-".into(), |m| format!("{m:.0}s")),
                    s.stuck.to_string(),
                ]
            })
            .collect();
        out.push_str(&table(
            &["STEP", "TITLE", "COMPLETED", "MEDIAN TIME", "STUCK HERE"],
            &rows,
        ));
        if !self.questions.is_empty() {
            out.push_str("\nQuiz questions\n");
            let rows: Vec<Vec<String>> = self
                .questions
                .iter()
                .map(|q| {
                    vec![
                        q.title.clone(),
                        format!(
                            "{}/{} ({:.0}%)",
                            q.correct,
                            q.answered,
                            q.share_correct * 100.0
                        ),
                        q.most_common_wrong.clone().unwrap_or_else(|| "-".into()),
                    ]
                })
                .collect();
            out.push_str(&table(
                &["QUESTION", "CORRECT", "MOST COMMON WRONG ANSWER"],
                &rows,
            ));
        }
        for (path, why) in &self.skipped {
            let _ = writeln!(out, "\nskipped {path}: {why}");
        }
        out
    }

    fn render_csv(&self) -> String {
        let mut out = String::from(
            "learner,lesson,steps_done,steps_total,current_step,minutes,quiz,hints,solutions\n",
        );
        for l in &self.learners {
            let cells = [
                l.learner.clone(),
                l.lesson.clone(),
                l.steps_done.to_string(),
                l.steps_total.to_string(),
                l.current_step.clone().unwrap_or_default(),
                format!("{:.1}", l.minutes),
                l.quiz.clone().unwrap_or_default(),
                l.hints.to_string(),
                l.solutions.to_string(),
            ];
            out.push_str(
                &cells
                    .iter()
                    .map(|c| csv_field(c))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
        }
        out
    }

    fn render_junit(&self) -> String {
        let mut cases = String::new();
        let (mut tests, mut failures) = (0, 0);
        for r in &self.records {
            for s in &r.steps {
                tests += 1;
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
                    failures += 1;
                    cases.push_str(
                        ">\n      <failure message=\"step not completed\"/>\n    </testcase>\n",
                    );
                }
            }
            for q in r.quiz.iter().flat_map(|q| &q.questions) {
                tests += 1;
                let _ = write!(
                    cases,
                    "    <testcase classname=\"{}\" name=\"quiz: {}\"",
                    xml(&r.learner),
                    xml(&q.title)
                );
                if q.correct {
                    cases.push_str("/>\n");
                } else {
                    failures += 1;
                    let _ = write!(
                        cases,
                        ">\n      <failure message=\"wrong answer: {}\"/>\n    </testcase>\n",
                        xml(&q.answer.join(" | "))
                    );
                }
            }
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"kubetutor\" tests=\"{tests}\" failures=\"{failures}\">\n{cases}  </testsuite>\n</testsuites>\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{FORMAT, QuestionResult, QuizResult, StepResult};

    fn record(learner: &str, done: &[bool], quiz: &[(bool, &str)]) -> (PathBuf, ResultRecord) {
        let steps = done
            .iter()
            .enumerate()
            .map(|(i, d)| StepResult {
                number: i + 1,
                title: format!("s{}", i + 1),
                done: *d,
                seconds: Some(10.0 * (i + 1) as f64),
                hint_used: i == 0,
                solution_used: false,
            })
            .collect();
        let questions: Vec<QuestionResult> = quiz
            .iter()
            .map(|(c, a)| QuestionResult {
                title: "Which nodes?".into(),
                correct: *c,
                answer: vec![a.to_string()],
            })
            .collect();
        let points = questions.iter().filter(|q| q.correct).count();
        let total = questions.len();
        (
            PathBuf::from(format!("{learner}.json")),
            ResultRecord {
                format: FORMAT,
                learner: learner.into(),
                lesson: "L".into(),
                tutor_version: "0".into(),
                started: "a".into(),
                ended: "b".into(),
                steps,
                quiz: (!questions.is_empty()).then_some(QuizResult {
                    points,
                    total,
                    passed: None,
                    questions,
                }),
            },
        )
    }

    #[test]
    fn aggregates_learners_steps_and_questions() {
        let r = build(
            vec![
                record("ada", &[true, true], &[(true, "all")]),
                record("bob", &[true, false], &[(false, "some")]),
                record("cy", &[false, false], &[(false, "some")]),
            ],
            vec![(PathBuf::from("bad.json"), "not a record".into())],
        );
        assert_eq!(r.learners.len(), 3);
        assert_eq!(r.steps[0].completed, 2);
        assert_eq!(r.steps[0].median_seconds, Some(10.0));
        assert_eq!(r.steps[0].stuck, 1);
        assert_eq!(r.steps[1].stuck, 1);
        assert_eq!(r.questions[0].correct, 1);
        assert_eq!(r.questions[0].most_common_wrong.as_deref(), Some("some"));
        let table = r.render(Format::Table);
        assert!(table.contains("skipped bad.json: not a record"), "{table}");
        let junit = r.render(Format::Junit);
        assert!(junit.contains("tests=\"9\" failures=\"5\""), "{junit}");
    }
}
