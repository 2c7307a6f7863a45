//! Which quiz F8 opens. A plain lesson has one quiz. A workshop's quiz is its chapters'
//! questions one after the other; F8 opens the questions of one chapter: the chapter the
//! learner is in, or the one just finished while the next has not been started on. Answers go
//! to the session at the workshop quiz's own indexes, so per-chapter and workshop results read
//! the same answers.
//!
//! Must not import tokio or touch the real clock or files.

use crate::content::{self, Quiz, Score};
use crate::session::Session;
use crate::tui::app::App;

/// One chapter's questions as a quiz of their own.
#[derive(Clone, Debug)]
pub struct QuizPart {
    /// The chapter (an index into the workshop's chapters).
    pub chapter: usize,
    /// Where its questions start in the workshop's quiz.
    pub offset: usize,
    pub quiz: Quiz,
}

/// The chapter whose quiz F8 opens in a workshop.
pub fn quiz_chapter(session: &Session) -> usize {
    let lesson = session.lesson();
    let Some(step) = session.current_step() else {
        return lesson.chapters.len().saturating_sub(1);
    };
    let here = lesson.chapter_of_step(step);
    let at_start = lesson
        .chapters
        .get(here)
        .is_some_and(|c| c.steps.start == step);
    let begun = session
        .progress()
        .steps
        .get(step)
        .is_some_and(|r| !r.ran.is_empty());
    if at_start && !begun && here > 0 {
        here - 1
    } else {
        here
    }
}

/// The questions of chapter `chapter` of a workshop; `None` when it has none.
pub fn part(session: &Session, chapter: usize) -> Option<QuizPart> {
    let lesson = session.lesson();
    let range = lesson.chapters.get(chapter)?.questions.clone();
    let quiz = lesson.quiz.as_ref()?;
    let questions = quiz.questions.get(range.clone())?.to_vec();
    if questions.is_empty() {
        return None;
    }
    Some(QuizPart {
        chapter,
        offset: range.start,
        quiz: Quiz {
            options: quiz.options.clone(),
            questions,
        },
    })
}

impl App {
    /// The quiz the quiz screen shows: a workshop chapter's part, else the lesson's quiz.
    pub(super) fn shown_quiz<'a>(&'a self, session: &'a Session) -> Option<&'a Quiz> {
        match &self.quiz_part {
            Some(p) => Some(&p.quiz),
            None => session.lesson().quiz.as_ref(),
        }
    }

    /// Picks the quiz F8 opens; false (with a message) when there is none. A workshop's
    /// chapter quiz that differs from the one open before starts afresh.
    pub(super) fn choose_quiz(&mut self, session: &Session) -> bool {
        if !session.lesson().is_workshop() {
            self.quiz_part = None;
            return session.lesson().quiz.is_some();
        }
        let chapter = quiz_chapter(session);
        if self.quiz_part.as_ref().map(|p| p.chapter) != Some(chapter) {
            self.quiz = None;
            self.quiz_part = part(session, chapter);
        }
        self.quiz_part.is_some()
    }

    /// The score of the quiz shown, from the session's answers.
    pub(super) fn shown_score(&self, session: &Session) -> Option<Score> {
        match &self.quiz_part {
            Some(p) => {
                let answers = &session.progress().answers;
                let end = (p.offset + p.quiz.questions.len()).min(answers.len());
                Some(content::score(&p.quiz, answers.get(p.offset..end)?))
            }
            None => session.score(),
        }
    }
}
