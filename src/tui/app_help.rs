//! The learner's help half of [`App::update`]: the hint for the current step, the step's
//! command put in the prompt, and the quiz (opening it, moving through it, handing it in).
//!
//! Must not import tokio or touch the real clock or files.

use crate::session::Session;
use crate::tui::app::App;
use crate::tui::quiz_state::QuizState;
use crate::tui::view::{Focus, MessageKind};
use crate::tui::widgets::areas;

impl App {
    pub(super) fn hint(&mut self, session: &mut Session) {
        let Some(index) = session.current_step() else {
            self.say("every step is done: F8 opens the quiz", MessageKind::Info);
            return;
        };
        session.record_hint();
        let number = session.lesson().steps.get(index).map_or(0, |s| s.number);
        match session.hint() {
            Some(hint) => {
                self.info(&format!("Hint for step {number}: {}.", hint.next));
                self.info(&format!("  now:    {}", hint.observed));
                self.info(&format!("  wanted: {}", hint.wanted));
                self.info(&format!("  (the step's check: {})", hint.condition));
                self.say(
                    format!("hint for step {number} in the terminal"),
                    MessageKind::Info,
                );
            }
            None => self.say(
                format!("step {number} is about to complete"),
                MessageKind::Info,
            ),
        }
    }

    pub(super) fn solution(&mut self, session: &mut Session) {
        let command = session
            .current_step()
            .and_then(|i| session.lesson().steps.get(i))
            .and_then(|s| s.command.clone());
        match command {
            Some(cmd) => {
                session.record_solution();
                self.pending.clear();
                self.prompt.set(cmd.trim_end_matches('\n'));
                self.focus = Focus::Terminal;
                self.say(
                    "the step's command is in the prompt: Enter runs it",
                    MessageKind::Info,
                );
            }
            None => self.say("this step has no command to copy", MessageKind::Warning),
        }
    }

    pub(super) fn open_quiz(&mut self, session: &Session) {
        let chosen = self.choose_quiz(session);
        match self.shown_quiz(session).filter(|_| chosen) {
            Some(quiz) => {
                if self.quiz.is_none() {
                    self.quiz = Some(QuizState::new(quiz, session.progress().seed));
                }
                self.quiz_open = true;
            }
            None if session.lesson().is_workshop() => {
                self.say("this chapter has no quiz", MessageKind::Warning)
            }
            None => self.say("this lesson has no quiz", MessageKind::Warning),
        }
    }

    pub(super) fn quiz_move(&mut self, m: crate::tui::quiz_state::QuizMove, session: &mut Session) {
        let main = areas(
            ratatui::layout::Rect::new(0, 0, self.width, self.height),
            self.layout(),
        )
        .main;
        let part = self.quiz_part.clone();
        let offset = part.as_ref().map_or(0, |p| p.offset);
        let quiz = match &part {
            Some(p) => &p.quiz,
            None => match &session.lesson().quiz {
                Some(q) => q,
                None => return,
            },
        };
        let Some(state) = &mut self.quiz else {
            return;
        };
        let handed_in = state.apply(m, quiz);
        // Keep the scroll within the page as drawn, so the next key moves it at once.
        let view = state.view(quiz);
        let max = crate::tui::widgets::quiz::QuizScreen {
            view: &view,
            theme: &crate::tui::theme::PLAIN,
        }
        .max_scroll(main);
        state.clamp_scroll(max);
        let Some(answers) = handed_in else {
            return;
        };
        for (q, r) in answers {
            // The quiz state only hands back indexes of this quiz's own questions.
            let _ = session.answer(q + offset, r);
        }
        self.save_requested = true;
        if let Some(score) = self.shown_score(session) {
            self.say(
                format!("quiz: {} of {} right", score.points, score.total),
                MessageKind::Info,
            );
        }
    }
}
