//! A workshop session's class results per chapter: one record per chapter, keyed by the
//! chapter's own identity and numbered as the chapter numbers its steps, so the report shows
//! a chapter's results the same whether it was played alone or inside the workshop. Chapters
//! the tutor replayed for the learner (a workshop entered at a later chapter) leave no record.
//!
//! Must not import: the TUI, terminals, std::fs, std::process or a real clock.

use super::Session;
use crate::results::{QuizResult, ResultRecord};

impl Session {
    /// One record per chapter the learner worked in (none for a plain lesson: its
    /// [`Session::result_record`] is its record).
    pub fn chapter_records(&self, learner: &str, started: &str, ended: &str) -> Vec<ResultRecord> {
        if !self.lesson.is_workshop() {
            return Vec::new();
        }
        let whole = self.result_record(learner, started, ended);
        let mut records = Vec::new();
        for chapter in &self.lesson.chapters {
            let replayed = chapter
                .steps
                .clone()
                .all(|i| self.progress.steps.get(i).is_some_and(|r| r.replayed));
            let reached = chapter.steps.clone().any(|i| {
                self.progress
                    .steps
                    .get(i)
                    .is_some_and(|r| r.started_at.is_some() && !r.replayed)
            });
            if (replayed && !chapter.steps.is_empty()) || !reached {
                continue;
            }
            let steps = chapter
                .steps
                .clone()
                .filter_map(|i| {
                    let mut step = whole.steps.get(i)?.clone();
                    let own = self.lesson.steps.get(i)?;
                    step.number = own.number;
                    step.title = own.title.clone();
                    Some(step)
                })
                .collect();
            let quiz = whole
                .quiz
                .as_ref()
                .and_then(|q| chapter_quiz(self, q, chapter));
            records.push(ResultRecord {
                lesson: chapter.title.clone(),
                lesson_id: chapter.identity.clone(),
                steps,
                quiz,
                ..whole.clone()
            });
        }
        records
    }
}

/// The chapter's questions of the workshop's quiz, scored on their own; `None` when the
/// chapter has no question or none is answered yet.
fn chapter_quiz(
    session: &Session,
    whole: &QuizResult,
    chapter: &crate::content::Chapter,
) -> Option<QuizResult> {
    use crate::content::Response;
    let quiz = session.lesson.quiz.as_ref()?;
    let range = chapter.questions.clone();
    let answered = range.clone().any(|i| {
        session
            .progress
            .answers
            .get(i)
            .is_some_and(|r| *r != Response::Unanswered)
    });
    if range.is_empty() || !answered || quiz.options.n_questions.is_some() {
        return None;
    }
    let questions: Vec<_> = whole.questions.get(range.clone())?.to_vec();
    let points = questions.iter().filter(|q| q.correct).count();
    Some(QuizResult {
        points,
        total: questions.len(),
        passed: None,
        questions,
    })
}
