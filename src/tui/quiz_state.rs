//! The quiz screen's state: which question is shown, the learner's draft answer to each, the
//! cursor, and the results once the quiz is handed in. Pure: keys arrive as [`QuizMove`]s and
//! the finished answers leave as [`Response`]s for the session to keep and score.
//!
//! Must not import crossterm, tokio or the session.

use std::collections::BTreeSet;

use crate::content::{self, Presentation, Question, QuestionKind, Quiz, Response, Score};

/// What the learner does on the quiz screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuizMove {
    Up,
    Down,
    /// Tick, pick, or grab/drop an item of a sequence.
    Toggle,
    Hint,
    Next,
    Previous,
    Retry,
}

/// The draft answer to one question; indexes are in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Draft {
    Single(Option<usize>),
    Multiple(BTreeSet<usize>),
    /// The items in the order the learner has put them.
    Sequence(Vec<usize>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Asking,
    Results,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizState {
    seed: u64,
    presentation: Presentation,
    at: usize,
    cursor: usize,
    drafts: Vec<Draft>,
    hint: bool,
    grabbed: bool,
    phase: Phase,
}

/// One answer row as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRow<'a> {
    pub text: &'a str,
    /// Ticked, picked, or (for a sequence) always false.
    pub chosen: bool,
}

/// The right/wrong line of one question, with the comments of the answers picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultLine<'a> {
    pub title: &'a str,
    pub right: bool,
    pub comments: Vec<&'a str>,
}

/// What the quiz widget draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuizView<'a> {
    Question {
        number: usize,
        total: usize,
        question: &'a Question,
        rows: Vec<AnswerRow<'a>>,
        cursor: usize,
        grabbed: bool,
        hint: Option<&'a str>,
    },
    Results {
        score: Score,
        lines: Vec<ResultLine<'a>>,
        verdict: Option<String>,
        retry: bool,
    },
}

impl QuizState {
    pub fn new(quiz: &Quiz, seed: u64) -> QuizState {
        let presentation = content::presentation(quiz, seed);
        let drafts = presentation
            .questions
            .iter()
            .map(|p| match quiz.questions.get(p.index).map(|q| q.kind) {
                Some(QuestionKind::Multiple) => Draft::Multiple(BTreeSet::new()),
                Some(QuestionKind::Sequence) => Draft::Sequence(p.answer_order.clone()),
                _ => Draft::Single(None),
            })
            .collect();
        QuizState {
            seed,
            presentation,
            at: 0,
            cursor: 0,
            drafts,
            hint: false,
            grabbed: false,
            phase: Phase::Asking,
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The source index of the question on screen.
    pub fn question_index(&self) -> Option<usize> {
        self.presentation.questions.get(self.at).map(|p| p.index)
    }

    /// Answer source indexes in the order shown.
    fn order(&self) -> Vec<usize> {
        match self.drafts.get(self.at) {
            Some(Draft::Sequence(order)) => order.clone(),
            _ => self
                .presentation
                .questions
                .get(self.at)
                .map(|p| p.answer_order.clone())
                .unwrap_or_default(),
        }
    }

    /// Applies one move; returns the answers to store when the quiz was handed in.
    pub fn apply(&mut self, m: QuizMove, quiz: &Quiz) -> Option<Vec<(usize, Response)>> {
        if self.phase == Phase::Results {
            if m == QuizMove::Retry && quiz.options.enable_retry {
                // quizdown-js shuffles again on retry: the next seed gives a new order.
                *self = QuizState::new(quiz, self.seed.wrapping_add(1));
            }
            return None;
        }
        let rows = self.order().len();
        let order = self.order();
        match m {
            QuizMove::Up | QuizMove::Down => {
                let target = match m {
                    QuizMove::Up => self.cursor.checked_sub(1),
                    _ => Some(self.cursor + 1).filter(|c| *c < rows),
                };
                if let Some(target) = target {
                    if self.grabbed
                        && let Some(Draft::Sequence(seq)) = self.drafts.get_mut(self.at)
                    {
                        seq.swap(self.cursor, target);
                    }
                    self.cursor = target;
                }
            }
            QuizMove::Toggle => {
                let picked = order.get(self.cursor).copied();
                match (self.drafts.get_mut(self.at), picked) {
                    (Some(Draft::Single(choice)), Some(i)) => *choice = Some(i),
                    (Some(Draft::Multiple(set)), Some(i)) => {
                        // Ticking a ticked answer unticks it.
                        let ticked = set.contains(&i);
                        set.retain(|x| *x != i);
                        if !ticked {
                            set.insert(i);
                        }
                    }
                    (Some(Draft::Sequence(_)), Some(_)) => self.grabbed = !self.grabbed,
                    _ => {}
                }
            }
            QuizMove::Hint => self.hint = !self.hint,
            QuizMove::Previous => {
                if self.at > 0 {
                    self.go_to(self.at - 1);
                }
            }
            QuizMove::Next => {
                if self.at + 1 < self.drafts.len() {
                    self.go_to(self.at + 1);
                } else {
                    self.phase = Phase::Results;
                    return Some(self.responses());
                }
            }
            QuizMove::Retry => {}
        }
        None
    }

    fn go_to(&mut self, at: usize) {
        self.at = at;
        self.cursor = 0;
        self.hint = false;
        self.grabbed = false;
    }

    /// Every answer, by source question index.
    pub fn responses(&self) -> Vec<(usize, Response)> {
        self.presentation
            .questions
            .iter()
            .zip(&self.drafts)
            .map(|(p, d)| {
                let r = match d {
                    Draft::Single(Some(i)) => Response::Single(*i),
                    Draft::Single(None) => Response::Unanswered,
                    Draft::Multiple(set) => Response::Multiple(set.clone()),
                    Draft::Sequence(order) => Response::Sequence(order.clone()),
                };
                (p.index, r)
            })
            .collect()
    }

    pub fn view<'a>(&self, quiz: &'a Quiz) -> QuizView<'a> {
        match self.phase {
            Phase::Asking => self.question_view(quiz),
            Phase::Results => results_view(quiz, &self.responses()),
        }
    }

    fn question_view<'a>(&self, quiz: &'a Quiz) -> QuizView<'a> {
        let Some(question) = self.question_index().and_then(|i| quiz.questions.get(i)) else {
            return results_view(quiz, &self.responses());
        };
        let draft = self.drafts.get(self.at);
        let rows = self
            .order()
            .into_iter()
            .filter_map(|i| {
                let chosen = match draft {
                    Some(Draft::Single(c)) => *c == Some(i),
                    Some(Draft::Multiple(set)) => set.contains(&i),
                    _ => false,
                };
                question.answers.get(i).map(|a| AnswerRow {
                    text: &a.text,
                    chosen,
                })
            })
            .collect();
        QuizView::Question {
            number: self.at + 1,
            total: self.drafts.len(),
            question,
            rows,
            cursor: self.cursor,
            grabbed: self.grabbed,
            hint: if self.hint {
                question.hint.as_deref()
            } else {
                None
            },
        }
    }
}

fn results_view<'a>(quiz: &'a Quiz, responses: &[(usize, Response)]) -> QuizView<'a> {
    let mut by_source = vec![Response::Unanswered; quiz.questions.len()];
    for (i, r) in responses {
        if let Some(slot) = by_source.get_mut(*i) {
            *slot = r.clone();
        }
    }
    let score = content::score(quiz, &by_source);
    let lines = responses
        .iter()
        .filter_map(|(i, r)| {
            let q = quiz.questions.get(*i)?;
            let picked: Vec<usize> = match r {
                Response::Single(a) => vec![*a],
                Response::Multiple(set) => set.iter().copied().collect(),
                _ => Vec::new(),
            };
            Some(ResultLine {
                title: &q.title,
                right: content::is_right(q, r),
                comments: picked
                    .iter()
                    .filter_map(|a| q.answers.get(*a).and_then(|x| x.comment.as_deref()))
                    .collect(),
            })
        })
        .collect();
    let verdict = score.passed.map(|passed| {
        let custom = if passed {
            &quiz.options.custom_pass_msg
        } else {
            &quiz.options.custom_fail_msg
        };
        custom
            .clone()
            .unwrap_or_else(|| if passed { "Passed." } else { "Not passed yet." }.to_string())
    });
    QuizView::Results {
        score,
        lines,
        verdict,
        retry: quiz.options.enable_retry,
    }
}

#[cfg(test)]
mod tests;
