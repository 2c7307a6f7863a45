//! A session as a class result record: each step with the time it took and the help used,
//! and the quiz with each question's answer and correctness, for `kubetutor report`.
//!
//! Must not import: the TUI, terminals, std::fs, std::process or a real clock (the caller
//! passes the wall-clock start and end).

use super::Session;
use crate::content::{Question, Quiz, Response};
use crate::results::{FORMAT, QuestionResult, QuizResult, ResultRecord, StepResult};

impl Session {
    /// The record of this session so far: `started` and `ended` are the learner's wall-clock
    /// times (RFC 3339), step times are the session's own (simulated) seconds. The quiz is
    /// included once at least one question has an answer.
    pub fn result_record(&self, learner: &str, started: &str, ended: &str) -> ResultRecord {
        let now = self.progress.cluster.now();
        let steps = self
            .lesson
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let record = self.progress.steps.get(i);
                let seconds = record.and_then(|r| {
                    let start = r.started_at?;
                    let end = r.completed_at.unwrap_or(now);
                    Some(end.since(start).0.max(0) as f64 / 1000.0)
                });
                // A workshop's steps are numbered through (chapters each start at 1) and say
                // their chapter: `10.3 Create the Service`.
                let (number, title) = if self.lesson.is_workshop() {
                    let chapter = self.lesson.chapters.get(self.lesson.chapter_of_step(i));
                    let n = chapter.map_or(0, |c| c.number);
                    (i + 1, format!("{n}.{} {}", step.number, step.title))
                } else {
                    (step.number, step.title.clone())
                };
                StepResult {
                    number,
                    title,
                    done: record.is_some_and(|r| r.completed_at.is_some()),
                    seconds,
                    hint_used: record.is_some_and(|r| r.hints > 0),
                    solution_used: record.is_some_and(|r| r.solutions > 0),
                }
            })
            .collect();
        let answered = self
            .progress
            .answers
            .iter()
            .any(|r| *r != Response::Unanswered);
        let quiz = match (&self.lesson.quiz, self.score()) {
            (Some(quiz), Some(score)) if answered => Some(QuizResult {
                points: score.points,
                total: score.total,
                passed: score.passed,
                questions: questions(quiz, &self.progress.answers, &score.per_question),
            }),
            _ => None,
        };
        ResultRecord {
            format: FORMAT,
            learner: learner.to_string(),
            lesson: self.lesson.meta.title.clone(),
            lesson_id: self.lesson.identity(),
            tutor_version: env!("CARGO_PKG_VERSION").to_string(),
            started: started.to_string(),
            ended: ended.to_string(),
            steps,
            quiz,
        }
    }
}

/// Each question's result; with `nQuestions` only the questions answered (the others were
/// not asked).
fn questions(quiz: &Quiz, answers: &[Response], right: &[bool]) -> Vec<QuestionResult> {
    quiz.questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let response = answers.get(i).unwrap_or(&Response::Unanswered);
            if quiz.options.n_questions.is_some() && *response == Response::Unanswered {
                return None;
            }
            Some(QuestionResult {
                title: q.title.clone(),
                correct: right.get(i).copied().unwrap_or(false),
                answer: answer_texts(q, response),
            })
        })
        .collect()
}

/// The picked answers as their text, in the order the learner gave them.
fn answer_texts(question: &Question, response: &Response) -> Vec<String> {
    let text = |i: &usize| question.answers.get(*i).map(|a| a.text.clone());
    match response {
        Response::Unanswered => Vec::new(),
        Response::Single(i) => text(i).into_iter().collect(),
        Response::Multiple(set) => set.iter().filter_map(text).collect(),
        Response::Sequence(order) => order.iter().filter_map(text).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, QuestionKind};
    use std::time::Duration;

    fn session() -> Session {
        let lesson = content::builtin_lessons().unwrap().remove(0);
        Session::new(lesson, 1, 3)
    }

    #[test]
    fn a_fresh_session_records_no_step_done_and_no_quiz() {
        let s = session();
        let r = s.result_record("ada", "2026-01-01T10:00:00Z", "2026-01-01T10:05:00Z");
        assert_eq!(r.learner, "ada");
        assert_eq!(r.lesson, "12. DaemonSets");
        assert_eq!(r.steps.len(), s.lesson().steps.len());
        assert_eq!(r.steps_done(), 0);
        assert_eq!(r.steps[0].seconds, Some(0.0));
        assert_eq!(r.steps[1].seconds, None);
        assert!(r.quiz.is_none());
    }

    #[test]
    fn step_times_help_and_quiz_answers_are_recorded() {
        let mut s = session();
        s.advance(Duration::from_secs(42));
        s.record_hint();
        let out = s.submit("kubectl get nodes -o wide");
        assert_eq!(out.status, 0);
        s.record_solution();
        s.advance(Duration::from_secs(8));
        let quiz = s.lesson().quiz.clone().unwrap();
        let right = quiz.questions[0]
            .answers
            .iter()
            .position(|a| a.correct)
            .unwrap();
        let wrong = (right + 1) % quiz.questions[0].answers.len();
        let response = match quiz.questions[0].kind {
            QuestionKind::Single => Response::Single(wrong),
            QuestionKind::Multiple => Response::Multiple([wrong].into()),
            QuestionKind::Sequence => Response::Sequence(vec![wrong]),
        };
        s.answer(0, response).unwrap();
        let r = s.result_record("ada", "a", "b");
        assert!(r.steps[0].done);
        assert_eq!(r.steps[0].seconds, Some(42.0));
        assert!(r.steps[0].hint_used && !r.steps[0].solution_used);
        assert!(r.steps[1].solution_used);
        assert_eq!(r.steps[1].seconds, Some(8.0));
        let q = r.quiz.unwrap();
        assert_eq!(q.total, quiz.questions.len());
        assert_eq!(q.questions.len(), quiz.questions.len());
        assert!(!q.questions[0].correct);
        assert_eq!(
            q.questions[0].answer,
            vec![quiz.questions[0].answers[wrong].text.clone()]
        );
        assert!(q.questions[1].answer.is_empty());
    }
}
