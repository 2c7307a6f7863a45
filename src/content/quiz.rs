//! Quizzes with quizdown-js (v0.6) semantics: the typed quiz, its options, all-or-nothing
//! scoring and seeded shuffling. Parsing quizdown text lives in `quizdown.rs`.
//!
//! Pure: must not import the engine, the shell or anything that does IO.

use std::collections::BTreeSet;

pub use super::quizdown::parse;

/// A quiz: options and questions in source order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Quiz {
    pub options: QuizOptions,
    pub questions: Vec<Question>,
}

/// Quiz-wide options (quizdown-js names in camelCase or snake_case).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuizOptions {
    /// `shuffleAnswers`: quizdown-js shuffles answers unless told not to.
    pub shuffle_answers: bool,
    pub shuffle_questions: bool,
    /// `nQuestions`: ask only this many of the questions.
    pub n_questions: Option<usize>,
    /// `passingGrade` in percent: decides pass/fail when set.
    pub passing_grade: Option<f64>,
    pub enable_retry: bool,
    pub custom_pass_msg: Option<String>,
    pub custom_fail_msg: Option<String>,
    pub locale: Option<String>,
    /// `primaryColor`, `secondaryColor`, `textColor`: a web page's colours, kept for a theme.
    pub colors: Vec<(String, String)>,
}

impl Default for QuizOptions {
    fn default() -> Self {
        QuizOptions {
            shuffle_answers: true,
            shuffle_questions: false,
            n_questions: None,
            passing_grade: None,
            enable_retry: true,
            custom_pass_msg: None,
            custom_fail_msg: None,
            locale: None,
            colors: Vec::new(),
        }
    }
}

/// Per-question options; set values override the quiz's.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct QuestionOptions {
    pub shuffle_answers: Option<bool>,
}

/// One question; `title`, `body`, `hint`, answers and comments keep their markdown source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    pub title: String,
    pub body: String,
    pub hint: Option<String>,
    pub kind: QuestionKind,
    /// Answers in source order (for a sequence, the source order is the right order).
    pub answers: Vec<Answer>,
    pub options: QuestionOptions,
    /// Line of the question's heading.
    pub line: usize,
}

/// How a question is answered, decided by its first list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum QuestionKind {
    /// `1. [ ]` items: pick exactly one.
    Single,
    /// `- [ ]` items: tick a set.
    Multiple,
    /// `1. A` items: put in order.
    Sequence,
}

impl QuestionKind {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Sequence => "sequence",
        }
    }
}

/// An answer; `correct` is meaningless for a sequence (false there).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Answer {
    pub text: String,
    pub correct: bool,
    /// Shown after grading when the learner picked this answer.
    pub comment: Option<String>,
}

/// A learner's answer to one question; indexes are in SOURCE order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Response {
    Single(usize),
    Multiple(BTreeSet<usize>),
    Sequence(Vec<usize>),
    /// Not answered (or not asked, with `nQuestions`).
    Unanswered,
}

/// The result of a quiz.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    pub points: usize,
    /// Questions asked: all of them, or `nQuestions` when set.
    pub total: usize,
    /// Right or wrong, per question in source order.
    pub per_question: Vec<bool>,
    /// Set when the quiz has a `passingGrade`.
    pub passed: Option<bool>,
}

/// Whether `response` answers `question` right (one point, all or nothing).
pub fn is_right(question: &Question, response: &Response) -> bool {
    match (question.kind, response) {
        (QuestionKind::Single, Response::Single(i)) => {
            question.answers.get(*i).is_some_and(|a| a.correct)
        }
        (QuestionKind::Multiple, Response::Multiple(picked)) => {
            let right: BTreeSet<usize> = (0..question.answers.len())
                .filter(|i| question.answers.get(*i).is_some_and(|a| a.correct))
                .collect();
            *picked == right
        }
        (QuestionKind::Sequence, Response::Sequence(order)) => {
            order.len() == question.answers.len() && order.iter().enumerate().all(|(i, j)| i == *j)
        }
        _ => false,
    }
}

/// How much of one answer is right, shown to the learner beside the all-or-nothing point
/// (quizdown-js scores a question whole; seeing "3 of 4" tells the learner how close they were).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Credit {
    /// Nothing picked, ticked or reordered.
    NotAnswered,
    /// The whole point.
    Right,
    /// Wrong, but `right` of `of` parts are as they should be: for a multiple choice, each
    /// answer ticked or left as it should be; for a sequence, each item in its place.
    Partly {
        right: usize,
        of: usize,
    },
    Wrong,
}

/// The credit `response` earns on `question`.
pub fn credit(question: &Question, response: &Response) -> Credit {
    if is_right(question, response) {
        return Credit::Right;
    }
    let of = question.answers.len();
    let right = match (question.kind, response) {
        (_, Response::Unanswered) => return Credit::NotAnswered,
        (QuestionKind::Multiple, Response::Multiple(picked)) if picked.is_empty() => {
            return Credit::NotAnswered;
        }
        (QuestionKind::Multiple, Response::Multiple(picked)) => question
            .answers
            .iter()
            .enumerate()
            .filter(|(i, a)| a.correct == picked.contains(i))
            .count(),
        (QuestionKind::Sequence, Response::Sequence(order)) => order
            .iter()
            .enumerate()
            .filter(|(place, item)| *place == **item)
            .count(),
        _ => 0,
    };
    if right > 0 {
        Credit::Partly { right, of }
    } else {
        Credit::Wrong
    }
}

/// Scores a quiz; `answers[i]` answers `quiz.questions[i]`, and missing ones count as wrong.
pub fn score(quiz: &Quiz, answers: &[Response]) -> Score {
    let per_question: Vec<bool> = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| answers.get(i).is_some_and(|r| is_right(q, r)))
        .collect();
    let points = per_question.iter().filter(|r| **r).count();
    let total = match quiz.options.n_questions {
        Some(n) => n.min(quiz.questions.len()),
        None => quiz.questions.len(),
    };
    let passed = quiz.options.passing_grade.map(|grade| {
        let percent = if total == 0 {
            100.0
        } else {
            points as f64 * 100.0 / total as f64
        };
        percent >= grade
    });
    Score {
        points,
        total,
        per_question,
        passed,
    }
}

/// The order a learner sees: which questions, and each one's answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Presentation {
    pub questions: Vec<PresentedQuestion>,
}

/// One question as presented: its source index and its answers' source indexes in display order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PresentedQuestion {
    pub index: usize,
    pub answer_order: Vec<usize>,
}

/// Decides question and answer order from a seed, following the quiz's options: questions
/// shuffled only with `shuffleQuestions`, then cut to `nQuestions`; answers shuffled unless
/// `shuffleAnswers` is false (a question's own option wins); sequences always shuffled and
/// never shown already in the right order.
pub fn presentation(quiz: &Quiz, seed: u64) -> Presentation {
    let mut rng = SplitMix64(seed);
    let mut order: Vec<usize> = (0..quiz.questions.len()).collect();
    if quiz.options.shuffle_questions {
        shuffle(&mut order, &mut rng);
    }
    if let Some(n) = quiz.options.n_questions {
        order.truncate(n);
    }
    let questions = order
        .into_iter()
        .map(|index| {
            let n = quiz.questions.get(index).map_or(0, |q| q.answers.len());
            let mut answer_order: Vec<usize> = (0..n).collect();
            if let Some(q) = quiz.questions.get(index) {
                let shuffle_answers = q.kind == QuestionKind::Sequence
                    || q.options
                        .shuffle_answers
                        .unwrap_or(quiz.options.shuffle_answers);
                if shuffle_answers {
                    shuffle(&mut answer_order, &mut rng);
                }
                if q.kind == QuestionKind::Sequence && n >= 2 && is_identity(&answer_order) {
                    answer_order.rotate_left(1);
                }
            }
            PresentedQuestion {
                index,
                answer_order,
            }
        })
        .collect();
    Presentation { questions }
}

fn is_identity(order: &[usize]) -> bool {
    order.iter().enumerate().all(|(i, j)| i == *j)
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seedable generator, enough for shuffling.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Fisher-Yates.
fn shuffle(items: &mut [usize], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
