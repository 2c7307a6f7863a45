//! `kubetutor report DIR`: the instructor's view of a class from its result records:
//! per learner, per step and per quiz question; as a table, CSV, JSON or JUnit XML. Lessons
//! are told apart by identity (two lessons may share a title), and each learner's latest
//! attempt per lesson counts; files that are not records are listed, never fatal. Texts are
//! cut to [`MAX_TEXT_CHARS`] so no record can blow up the output.
//!
//! Must not import: the session, the engine, the TUI or std::fs (records arrive already read).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::results::ResultRecord;

mod render;
#[cfg(test)]
mod render_tests;

pub use render::printable;

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
    /// The lesson's title.
    pub lesson: String,
    /// The lesson's identity (empty for records written before lessons had one).
    pub lesson_id: String,
    pub steps_done: usize,
    pub steps_total: usize,
    /// The first step not done, as `N title`.
    pub current_step: Option<String>,
    pub minutes: f64,
    pub quiz: Option<String>,
    /// Steps where a hint / the solution was used.
    pub hints: usize,
    pub solutions: usize,
    /// Records this learner left for this lesson (the latest one counts).
    pub attempts: usize,
    /// When the latest attempt's record was written (RFC 3339).
    pub ended: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepRow {
    pub lesson: String,
    pub lesson_id: String,
    pub number: usize,
    pub title: String,
    pub completed: usize,
    pub median_seconds: Option<f64>,
    /// Learners whose current step this is.
    pub stuck: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct QuestionRow {
    pub lesson: String,
    pub lesson_id: String,
    pub title: String,
    pub answered: usize,
    pub correct: usize,
    pub share_correct: f64,
    pub most_common_wrong: Option<String>,
}

/// A file in the results folder that is not a readable record.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// The whole class view.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub learners: Vec<LearnerRow>,
    pub steps: Vec<StepRow>,
    pub questions: Vec<QuestionRow>,
    /// Files that were not result records, with why.
    pub skipped: Vec<Skipped>,
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

/// What tells lessons apart: the lesson's identity; for a record written before lessons had
/// one, its title (such records are grouped by title, apart from those with an identity).
type LessonKey = (String, String);

fn lesson_key(r: &ResultRecord) -> LessonKey {
    if r.lesson_id.is_empty() {
        (String::new(), r.lesson.clone())
    } else {
        (r.lesson_id.clone(), String::new())
    }
}

/// Builds the report; each learner's latest attempt per lesson counts.
pub fn build(records: Vec<(PathBuf, ResultRecord)>, skipped: Vec<(PathBuf, String)>) -> Report {
    let mut latest: BTreeMap<(String, LessonKey), (ResultRecord, usize)> = BTreeMap::new();
    for (_, r) in records {
        let key = (r.learner.clone(), lesson_key(&r));
        match latest.get_mut(&key) {
            Some((old, attempts)) => {
                *attempts += 1;
                if r.ended >= old.ended {
                    *old = r;
                }
            }
            None => {
                latest.insert(key, (r, 1));
            }
        }
    }
    let attempts: Vec<usize> = latest.values().map(|(_, n)| *n).collect();
    let records: Vec<ResultRecord> = latest.into_values().map(|(r, _)| bounded(r)).collect();
    let learners = records
        .iter()
        .zip(attempts)
        .map(|(r, attempts)| {
            let secs: f64 = r.steps.iter().filter_map(|s| s.seconds).sum();
            LearnerRow {
                learner: r.learner.clone(),
                lesson: r.lesson.clone(),
                lesson_id: r.lesson_id.clone(),
                steps_done: r.steps_done(),
                steps_total: r.steps.len(),
                current_step: r
                    .current_step()
                    .map(|s| format!("{} {}", s.number, s.title)),
                minutes: (secs / 60.0 * 10.0).round() / 10.0,
                quiz: r.quiz.as_ref().map(|q| format!("{}/{}", q.points, q.total)),
                hints: r.steps.iter().filter(|s| s.hint_used).count(),
                solutions: r.steps.iter().filter(|s| s.solution_used).count(),
                attempts,
                ended: r.ended.clone(),
            }
        })
        .collect();
    // The title each lesson is shown with (its first record's).
    let mut titles: BTreeMap<LessonKey, String> = BTreeMap::new();
    for r in &records {
        titles
            .entry(lesson_key(r))
            .or_insert_with(|| r.lesson.clone());
    }
    let title_of = |key: &LessonKey| titles.get(key).cloned().unwrap_or_default();
    // (title, completed, times of those who completed it, stuck here) per lesson and step.
    type StepTally = (String, usize, Vec<f64>, usize);
    let mut steps: BTreeMap<(LessonKey, usize), StepTally> = BTreeMap::new();
    for r in &records {
        let current = r.current_step().map(|s| s.number);
        for s in &r.steps {
            let e = steps
                .entry((lesson_key(r), s.number))
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
        .map(
            |((lesson, number), (title, completed, times, stuck))| StepRow {
                lesson: title_of(&lesson),
                lesson_id: lesson.0,
                number,
                title,
                completed,
                median_seconds: median(times),
                stuck,
            },
        )
        .collect();
    // Keyed by lesson and title, in the order first seen (records keep the quiz's order).
    type Tally = ((LessonKey, String), usize, usize, BTreeMap<String, usize>);
    let mut questions: Vec<Tally> = Vec::new();
    for r in &records {
        for q in r.quiz.iter().flat_map(|q| &q.questions) {
            let key = (lesson_key(r), q.title.clone());
            let idx = match questions.iter().position(|x| x.0 == key) {
                Some(i) => i,
                None => {
                    questions.push((key, 0, 0, BTreeMap::new()));
                    questions.len() - 1
                }
            };
            let Some(e) = questions.get_mut(idx) else {
                continue;
            };
            e.1 += 1;
            if q.correct {
                e.2 += 1;
            } else {
                *e.3.entry(answer_text(&q.answer)).or_default() += 1;
            }
        }
    }
    let questions = questions
        .into_iter()
        .map(|((lesson, title), answered, correct, wrong)| {
            let most = wrong
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(a, _)| a);
            QuestionRow {
                lesson: title_of(&lesson),
                lesson_id: lesson.0,
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
        .map(|(p, reason)| Skipped {
            file: p.display().to_string(),
            reason,
        })
        .collect();
    Report {
        learners,
        steps,
        questions,
        skipped,
        records,
    }
}

/// The most characters of any one text of a record (name, title, answer) the report carries
/// (in every format); longer ones end in `…`. With at most `results::MAX_RECORD_ITEMS`
/// steps a record then adds at most a few MB to any format, however its 1 MiB is spent.
pub const MAX_TEXT_CHARS: usize = 256;

fn cut(text: &mut String) {
    if let Some((i, _)) = text.char_indices().nth(MAX_TEXT_CHARS) {
        text.truncate(i);
        text.push('…');
    }
}

/// The record with every text cut to [`MAX_TEXT_CHARS`] (after grouping, which uses the
/// whole names).
fn bounded(mut r: ResultRecord) -> ResultRecord {
    for text in [
        &mut r.learner,
        &mut r.lesson,
        &mut r.lesson_id,
        &mut r.ended,
    ] {
        cut(text);
    }
    for s in &mut r.steps {
        cut(&mut s.title);
    }
    for q in r.quiz.iter_mut().flat_map(|q| &mut q.questions) {
        cut(&mut q.title);
        q.answer.iter_mut().for_each(cut);
    }
    r
}

/// A learner's answer as one line: the picked answers joined, or `(no answer)`.
fn answer_text(answer: &[String]) -> String {
    if answer.is_empty() {
        "(no answer)".to_string()
    } else {
        answer.join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{FORMAT, QuestionResult, QuizResult, StepResult};

    pub(super) fn record(
        learner: &str,
        done: &[bool],
        quiz: &[(bool, &str)],
    ) -> (PathBuf, ResultRecord) {
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
                lesson_id: String::new(),
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
        assert!(table.contains("  bad.json: not a record"), "{table}");
        let junit = r.render(Format::Junit);
        assert!(junit.contains("tests=\"9\" failures=\"5\""), "{junit}");
    }

    #[test]
    fn steps_and_questions_of_different_lessons_are_kept_apart() {
        let (p, mut other) = record("ada", &[true], &[(false, "x")]);
        other.lesson = "M".into();
        let r = build(
            vec![record("ada", &[false], &[(true, "all")]), (p, other)],
            Vec::new(),
        );
        assert_eq!(r.learners.len(), 2);
        assert_eq!(r.steps.len(), 2);
        assert_eq!((r.steps[0].lesson.as_str(), r.steps[0].completed), ("L", 0));
        assert_eq!((r.steps[1].lesson.as_str(), r.steps[1].completed), ("M", 1));
        assert_eq!(r.questions.len(), 2);
        let junit = r.render(Format::Junit);
        assert_eq!(junit.matches("<testsuite name=").count(), 2, "{junit}");
        let table = r.render(Format::Table);
        assert!(
            table.contains("Steps: L\n") && table.contains("Quiz: M\n"),
            "{table}"
        );
    }

    #[test]
    fn the_latest_attempt_counts_and_attempts_are_counted() {
        let (p1, mut first) = record("ada", &[false, false], &[]);
        first.ended = "2026-01-01T10:00:00Z".into();
        let (p2, mut second) = record("ada", &[true, true], &[]);
        second.ended = "2026-01-02T10:00:00Z".into();
        let r = build(vec![(p2, second), (p1, first)], Vec::new());
        assert_eq!(r.learners.len(), 1);
        assert_eq!((r.learners[0].steps_done, r.learners[0].attempts), (2, 2));
    }

    #[test]
    fn unanswered_questions_and_hostile_names_render_safely() {
        let (p, mut rec) = record("=cmd|' /C calc'!A0", &[true], &[(false, "")]);
        if let Some(q) = rec.quiz.as_mut() {
            q.questions[0].answer.clear();
        }
        rec.lesson = "<a & \"b\">\u{1}".into();
        let r = build(vec![(p, rec)], Vec::new());
        assert_eq!(
            r.questions[0].most_common_wrong.as_deref(),
            Some("(no answer)")
        );
        let csv = r.render(Format::Csv);
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("'=cmd|' /C calc'!A0,"),
            "{csv}"
        );
        let junit = r.render(Format::Junit);
        assert!(
            junit.contains("<testsuite name=\"&lt;a &amp; &quot;b&quot;&gt;\\x01\""),
            "{junit}"
        );
        assert!(!junit.contains('\u{1}'));
    }
}
