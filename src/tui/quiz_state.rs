//! The quiz screen's state: which question is shown, the learner's draft answer to each, the
//! cursor, the page's scroll, and the results once the quiz is handed in: per question the
//! learner's answer, the right one, the comments and hint, and the credit earned. A retry asks
//! again only the questions not answered right (or, with `RetryAll`, every one). Pure: keys arrive as [`QuizMove`]s and
//! the finished answers leave as [`Response`]s for the session to keep and score.
//!
//! Must not import crossterm, tokio or the session.

use std::collections::BTreeSet;

use crate::content::{self, Credit, Presentation, Question, QuestionKind, Quiz, Response, Score};

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
    /// Ask again the questions not answered right; the right answers are kept.
    Retry,
    /// Start the whole quiz over.
    RetryAll,
    /// Scroll the page by this many rows (negative: up).
    Scroll(i32),
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
    /// Whether each sequence was reordered at all (an untouched one is not answered).
    touched: Vec<bool>,
    /// Answers kept from an earlier round (the right ones), by source question index.
    kept: Vec<(usize, Response)>,
    /// The source indexes of every question of the first round, in the order asked.
    asked: Vec<usize>,
    /// Rows the page is scrolled down.
    scroll: usize,
}

/// One answer row as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRow<'a> {
    pub text: &'a str,
    /// Ticked, picked, or (for a sequence) always false.
    pub chosen: bool,
}

/// One question's result: the learner's answer beside the right one, the comments of the
/// answers picked, the question's hint, and the credit earned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultLine<'a> {
    /// 1-based, in the order the questions were asked.
    pub number: usize,
    pub title: &'a str,
    pub kind: QuestionKind,
    pub right: bool,
    pub credit: Credit,
    /// The answers the learner picked or ticked, or the sequence as they left it.
    pub yours: Vec<&'a str>,
    /// The right answers (for a sequence, in the right order).
    pub answer: Vec<&'a str>,
    pub comments: Vec<&'a str>,
    pub hint: Option<&'a str>,
}

/// What the quiz widget draws.
#[derive(Clone, Debug, PartialEq)]
pub enum QuizView<'a> {
    Question {
        number: usize,
        total: usize,
        question: &'a Question,
        rows: Vec<AnswerRow<'a>>,
        cursor: usize,
        grabbed: bool,
        hint: Option<&'a str>,
        /// Of the questions asked again, when this is a retry of the wrong ones.
        retrying: bool,
        scroll: usize,
    },
    Results {
        score: Score,
        lines: Vec<ResultLine<'a>>,
        verdict: Option<String>,
        /// `passingGrade` in percent, when the quiz sets one.
        pass_mark: Option<f64>,
        retry: bool,
        /// How many questions a retry would ask again.
        to_retry: usize,
        scroll: usize,
    },
}

impl QuizState {
    pub fn new(quiz: &Quiz, seed: u64) -> QuizState {
        let presentation = content::presentation(quiz, seed);
        let asked = presentation.questions.iter().map(|p| p.index).collect();
        QuizState::asking(quiz, seed, presentation, Vec::new(), asked)
    }

    /// A round asking `presentation`'s questions, with `kept` answers from earlier rounds.
    fn asking(
        quiz: &Quiz,
        seed: u64,
        presentation: Presentation,
        kept: Vec<(usize, Response)>,
        asked: Vec<usize>,
    ) -> QuizState {
        let drafts = presentation
            .questions
            .iter()
            .map(|p| match quiz.questions.get(p.index).map(|q| q.kind) {
                Some(QuestionKind::Multiple) => Draft::Multiple(BTreeSet::new()),
                Some(QuestionKind::Sequence) => Draft::Sequence(p.answer_order.clone()),
                _ => Draft::Single(None),
            })
            .collect::<Vec<_>>();
        QuizState {
            seed,
            at: 0,
            cursor: 0,
            touched: vec![false; drafts.len()],
            drafts,
            presentation,
            hint: false,
            grabbed: false,
            phase: Phase::Asking,
            kept,
            asked,
            scroll: 0,
        }
    }

    /// Asks again the questions not answered right, keeping the right answers; when every
    /// answer was right, starts over. quizdown-js shuffles again on retry: the next seed
    /// gives a new order.
    fn retry_wrong(&self, quiz: &Quiz) -> QuizState {
        let seed = self.seed.wrapping_add(1);
        let answers = self.responses();
        let (kept, again): (Vec<_>, Vec<_>) = answers.into_iter().partition(|(i, r)| {
            quiz.questions
                .get(*i)
                .is_some_and(|q| content::is_right(q, r))
        });
        if again.is_empty() {
            return QuizState::new(quiz, seed);
        }
        let fresh = content::presentation(quiz, seed);
        let mut questions = Vec::new();
        for (i, _) in &again {
            let order = fresh
                .questions
                .iter()
                .find(|p| p.index == *i)
                .map(|p| p.answer_order.clone())
                .unwrap_or_else(|| {
                    (0..quiz.questions.get(*i).map_or(0, |q| q.answers.len())).collect()
                });
            questions.push(content::PresentedQuestion {
                index: *i,
                answer_order: order,
            });
        }
        QuizState::asking(
            quiz,
            seed,
            Presentation { questions },
            kept,
            self.asked.clone(),
        )
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
        if let QuizMove::Scroll(d) = m {
            self.scroll_by(d);
            return None;
        }
        if self.phase == Phase::Results {
            match m {
                QuizMove::Retry if quiz.options.enable_retry => *self = self.retry_wrong(quiz),
                QuizMove::RetryAll if quiz.options.enable_retry => {
                    *self = QuizState::new(quiz, self.seed.wrapping_add(1));
                }
                QuizMove::Up => self.scroll_by(-1),
                QuizMove::Down => self.scroll_by(1),
                _ => {}
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
                        if let Some(t) = self.touched.get_mut(self.at) {
                            *t = true;
                        }
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
                    self.scroll = 0;
                    return Some(self.responses());
                }
            }
            QuizMove::Retry | QuizMove::RetryAll | QuizMove::Scroll(_) => {}
        }
        None
    }

    fn scroll_by(&mut self, d: i32) {
        // The widget clamps to the page's length; this only keeps the number sane.
        let rows = (self.scroll as i64 + i64::from(d)).clamp(0, i64::from(u16::MAX));
        self.scroll = rows as usize;
    }

    /// Lets the widget keep the scroll within the page it drew.
    pub fn clamp_scroll(&mut self, max: usize) {
        self.scroll = self.scroll.min(max);
    }

    fn go_to(&mut self, at: usize) {
        self.at = at;
        self.cursor = 0;
        self.hint = false;
        self.grabbed = false;
        self.scroll = 0;
    }

    /// Every answer, by source question index: the ones kept from earlier rounds, then this
    /// round's. A sequence never reordered is not answered.
    pub fn responses(&self) -> Vec<(usize, Response)> {
        let this_round = self
            .presentation
            .questions
            .iter()
            .zip(&self.drafts)
            .zip(&self.touched)
            .map(|((p, d), touched)| {
                let r = match d {
                    Draft::Single(Some(i)) => Response::Single(*i),
                    Draft::Single(None) => Response::Unanswered,
                    Draft::Multiple(set) if set.is_empty() => Response::Unanswered,
                    Draft::Multiple(set) => Response::Multiple(set.clone()),
                    Draft::Sequence(_) if !touched => Response::Unanswered,
                    Draft::Sequence(order) => Response::Sequence(order.clone()),
                };
                (p.index, r)
            });
        self.kept.iter().cloned().chain(this_round).collect()
    }

    pub fn view<'a>(&self, quiz: &'a Quiz) -> QuizView<'a> {
        match self.phase {
            Phase::Asking => self.question_view(quiz),
            Phase::Results => self.results_view(quiz),
        }
    }

    fn question_view<'a>(&self, quiz: &'a Quiz) -> QuizView<'a> {
        let Some(question) = self.question_index().and_then(|i| quiz.questions.get(i)) else {
            return self.results_view(quiz);
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
            retrying: !self.kept.is_empty(),
            scroll: self.scroll,
        }
    }

    fn results_view<'a>(&self, quiz: &'a Quiz) -> QuizView<'a> {
        let responses = self.responses();
        let mut by_source = vec![Response::Unanswered; quiz.questions.len()];
        for (i, r) in &responses {
            if let Some(slot) = by_source.get_mut(*i) {
                *slot = r.clone();
            }
        }
        let score = content::score(quiz, &by_source);
        let lines: Vec<ResultLine<'a>> = self
            .asked
            .iter()
            .enumerate()
            .filter_map(|(n, i)| {
                let q = quiz.questions.get(*i)?;
                let r = by_source.get(*i)?;
                Some(result_line(n + 1, q, r))
            })
            .collect();
        let to_retry = lines.iter().filter(|l| !l.right).count();
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
            pass_mark: quiz.options.passing_grade,
            retry: quiz.options.enable_retry,
            to_retry,
            scroll: self.scroll,
        }
    }
}

/// One question's result line: what was picked, what is right, what the quiz says about it.
fn result_line<'a>(number: usize, q: &'a Question, r: &Response) -> ResultLine<'a> {
    let text = |i: &usize| q.answers.get(*i).map(|a| a.text.as_str());
    let picked: Vec<usize> = match r {
        Response::Single(a) => vec![*a],
        Response::Multiple(set) => set.iter().copied().collect(),
        Response::Sequence(order) => order.clone(),
        Response::Unanswered => Vec::new(),
    };
    let answer: Vec<&str> = match q.kind {
        QuestionKind::Sequence => q.answers.iter().map(|a| a.text.as_str()).collect(),
        _ => q
            .answers
            .iter()
            .filter(|a| a.correct)
            .map(|a| a.text.as_str())
            .collect(),
    };
    let comments = match q.kind {
        QuestionKind::Sequence => Vec::new(),
        _ => picked
            .iter()
            .filter_map(|a| q.answers.get(*a).and_then(|x| x.comment.as_deref()))
            .collect(),
    };
    ResultLine {
        number,
        title: &q.title,
        kind: q.kind,
        right: content::is_right(q, r),
        credit: content::credit(q, r),
        yours: picked.iter().filter_map(text).collect(),
        answer,
        comments,
        hint: q.hint.as_deref(),
    }
}

#[cfg(test)]
mod tests;
