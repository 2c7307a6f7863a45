//! The app state (focus, scrolling, the terminal's scrollback and prompt, the map's selection,
//! the clock's pace, the quiz) and [`App::update`], the one function that changes it and the
//! session. [`App::view`] (in `app_view.rs`) builds the read models the widgets draw.
//!
//! Must not import tokio or touch the real clock or files: time arrives as `Action::Tick`.
//! The terminal-pane half of `update` lives in `app_terminal.rs`.

use std::time::Duration;

use crate::session::{Session, StepStatus};
use crate::shell::input::Assembler;
use crate::tui::action::Action;
use crate::tui::app_view::marks;
use crate::tui::cluster_view::SystemPods;
use crate::tui::keymap::Mode;
use crate::tui::map_model::MapModel;
use crate::tui::prompt::Prompt;
use crate::tui::quiz_state::QuizState;
use crate::tui::view::{
    Focus, Layout, LineKind, Message, MessageKind, Run, Scroll, Speed, TermLine, TopPane,
};
use crate::tui::widgets::areas;

/// Longest time "advance to settled" lets pass (simulated).
pub const SETTLE_LIMIT: Duration = Duration::from_secs(600);

/// What a confirmation overlay is asking about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pending {
    ResetStep,
    ResetLesson,
}

/// The state that is the interface's own (the session holds the lesson's).
#[derive(Clone, Debug)]
pub struct App {
    pub(super) width: u16,
    pub(super) height: u16,
    pub(super) focus: Focus,
    pub(super) top: TopPane,
    pub(super) quiz_open: bool,
    pub(super) quiz: Option<QuizState>,
    pub(super) help: bool,
    pub(super) confirm: Option<Pending>,
    pub(super) scroll: Scroll,
    pub(super) lines: Vec<TermLine>,
    pub(super) back: usize,
    pub(super) prompt: Prompt,
    /// The first lines of a command bash is still asking `> ` for.
    pub(super) pending: Assembler,
    pub(super) selected: Option<usize>,
    pub(super) explain: bool,
    pub(super) system_pods: SystemPods,
    /// The cluster map's model, brought up to date after every action.
    pub(super) map: MapModel,
    pub(super) speed: Speed,
    pub(super) run: Run,
    pub(super) message: Option<Message>,
    pub(super) quit: bool,
    pub(super) save_requested: bool,
}

impl App {
    pub fn new(session: &Session, width: u16, height: u16) -> App {
        let nodes = session.cluster().count(crate::engine::objects::Kind::Node);
        let mut app = App {
            width,
            height,
            focus: Focus::Terminal,
            top: TopPane::Lesson,
            quiz_open: false,
            quiz: None,
            help: false,
            confirm: None,
            scroll: Scroll::FollowStep,
            lines: Vec::new(),
            back: 0,
            prompt: Prompt::default(),
            pending: Assembler::new(),
            selected: None,
            explain: false,
            system_pods: SystemPods::Counted,
            map: MapModel::new(session.cluster()),
            speed: Speed::X1,
            run: Run::Running,
            message: None,
            quit: false,
            save_requested: false,
        };
        app.info(&format!(
            "A simulated KinD cluster is ready: {nodes} nodes, Kubernetes v1.21.1."
        ));
        if session.current_step() != Some(0) {
            app.info("Your saved progress was resumed (`kubetutor --fresh` starts over).");
        }
        app.info("Type the lesson's commands here. F1 lists the keys; F3 puts the current step's command in the prompt.");
        app
    }

    /// Whether the learner asked to leave.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Whether progress should be saved now (a step completed); clears the request.
    pub fn take_save_request(&mut self) -> bool {
        std::mem::take(&mut self.save_requested)
    }

    pub fn layout(&self) -> Layout {
        Layout::for_size(self.width, self.height, self.top)
    }

    /// Whether the clock should tick by itself: running, and something is moving or shown
    /// as just changed.
    pub fn wants_ticks(&self, session: &Session) -> bool {
        self.run == Run::Running
            && (!session.cluster().is_settled() || !self.map.ghosts().is_empty())
    }

    pub fn mode(&self) -> Mode {
        if self.help {
            Mode::Help
        } else if self.confirm.is_some() {
            Mode::Confirm
        } else if self.quiz_open {
            Mode::Quiz
        } else if self.prompt.search().is_some() {
            Mode::Searching
        } else {
            Mode::Main(self.focus)
        }
    }

    pub(super) fn push_line(&mut self, text: &str, kind: LineKind) {
        /// Most scrollback lines kept (oldest dropped), like a terminal's history limit.
        const MAX_LINES: usize = 5000;
        self.lines.push(TermLine {
            text: text.to_string(),
            kind,
        });
        /// Dropped in batches, so a pasted 80,000-line heredoc does not shift the whole
        /// scrollback once per line.
        const SLACK: usize = 500;
        if self.lines.len() > MAX_LINES + SLACK {
            let excess = self.lines.len() - MAX_LINES;
            self.lines.drain(..excess);
        }
    }

    pub(super) fn info(&mut self, text: &str) {
        self.push_line(&format!("# {text}"), LineKind::Info);
    }

    pub(super) fn say(&mut self, text: impl Into<String>, kind: MessageKind) {
        self.message = Some(Message {
            text: text.into(),
            kind,
        });
    }

    /// Carries out one action: the only place where the app or the session changes.
    pub fn update(&mut self, action: Action, session: &mut Session) {
        let before = session.current_step();
        match action {
            Action::Quit => self.quit = true,
            Action::Tick(real) => {
                if self.run == Run::Running {
                    session.advance(real * self.speed.factor());
                }
            }
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            Action::ShowHelp => self.help = true,
            Action::CloseOverlay => {
                if self.help {
                    self.help = false;
                } else if self.confirm.is_some() {
                    self.confirm = None;
                } else {
                    self.quiz_open = false;
                }
            }
            Action::Confirm => match self.confirm.take() {
                Some(Pending::ResetStep) => {
                    session.reset_step();
                    self.map.reset(session.cluster());
                    self.info("The current step was reset.");
                    self.say("step reset", MessageKind::Info);
                }
                Some(Pending::ResetLesson) => {
                    session.reset_lesson();
                    self.map.reset(session.cluster());
                    self.quiz = None;
                    self.scroll = Scroll::FollowStep;
                    self.info("The lesson was reset: a fresh cluster, every step to do again.");
                    self.say("lesson reset", MessageKind::Info);
                }
                None => {}
            },
            Action::ResetStep => {
                self.confirm = Some(Pending::ResetStep);
            }
            Action::ResetLesson => {
                self.confirm = Some(Pending::ResetLesson);
            }
            Action::TogglePause => {
                self.run = match self.run {
                    Run::Running => Run::Paused,
                    Run::Paused => Run::Running,
                };
            }
            Action::CycleSpeed => self.speed = self.speed.next(),
            Action::Settle => {
                let passed = session.settle(SETTLE_LIMIT);
                self.say(
                    format!("advanced {}s: the cluster has settled", passed.as_secs()),
                    MessageKind::Info,
                );
            }
            Action::Hint => self.hint(session),
            Action::Solution => self.solution(session),
            Action::OpenQuiz => self.open_quiz(session),
            Action::Quiz(m) => self.quiz_move(m, session),
            Action::CycleFocus => {
                self.focus = match self.focus {
                    Focus::Terminal => Focus::Lesson,
                    Focus::Lesson => Focus::Map,
                    Focus::Map => Focus::Terminal,
                };
                self.show_focused_pane();
            }
            Action::FocusTerminal => self.focus = Focus::Terminal,
            Action::ToggleTopPane => {
                self.top = match self.top {
                    TopPane::Lesson => TopPane::Map,
                    TopPane::Map => TopPane::Lesson,
                };
            }
            Action::SelectNode(d) => {
                let n = session.cluster().count(crate::engine::objects::Kind::Node);
                if n > 0 {
                    let cur = self.selected.map_or(-1, |i| i as i64);
                    self.selected = Some((cur + i64::from(d)).rem_euclid(n as i64) as usize);
                }
            }
            Action::ExplainNode => {
                self.selected.get_or_insert(0);
                self.explain = !self.explain;
            }
            Action::ToggleSystemPods => {
                self.system_pods = match self.system_pods {
                    SystemPods::Counted => SystemPods::Listed,
                    SystemPods::Listed => SystemPods::Counted,
                };
            }
            Action::ScrollLesson(d) => self.scroll_lesson(session.lesson(), &marks(session), d),
            Action::LessonTop => self.scroll = Scroll::At(0),
            Action::LessonBottom => self.scroll = Scroll::At(usize::MAX / 2),
            Action::FollowStep => self.scroll = Scroll::FollowStep,
            Action::JumpSection(d) => self.jump_section(session, d),
            Action::Scroll { column, row, delta } => {
                let a = areas(
                    ratatui::layout::Rect::new(0, 0, self.width, self.height),
                    self.layout(),
                );
                let at = ratatui::layout::Position::new(column, row);
                if a.lesson.is_some_and(|r| r.contains(at)) {
                    self.scroll_lesson(session.lesson(), &marks(session), delta);
                } else if a.terminal.is_some_and(|r| r.contains(at)) {
                    self.scroll_terminal(-delta);
                }
            }
            other => self.update_terminal(other, session),
        }
        self.after(session, before);
    }

    /// Brings the map up to date (pods that went away become ghosts) and notes completed
    /// steps (scrollback line, message, save).
    fn after(&mut self, session: &Session, before: Option<usize>) {
        self.map.update(session.cluster());
        let now = session.current_step();
        let done_up_to = now.unwrap_or(session.lesson().steps.len());
        let Some(first) = before else { return };
        if done_up_to <= first {
            return;
        }
        for i in first..done_up_to {
            if session.step_status(i) == StepStatus::Done
                && let Some(step) = session.lesson().steps.get(i)
            {
                let text = format!("✓ Step {} done: {}", step.number, step.title);
                self.push_line(&text, LineKind::Success);
            }
        }
        self.save_requested = true;
        self.scroll = Scroll::FollowStep;
        let next = now.and_then(|i| session.lesson().steps.get(i));
        match next {
            Some(step) => self.say(
                format!("step done. Next: step {}: {}", step.number, step.title),
                MessageKind::Success,
            ),
            None => {
                // The quiz comes at the end of the lesson; Esc goes back to the terminal.
                self.say(
                    "every step is done: the quiz is open (Esc returns, F8 reopens)",
                    MessageKind::Success,
                );
                self.open_quiz(session);
            }
        }
    }

    fn show_focused_pane(&mut self) {
        match self.focus {
            Focus::Lesson => self.top = TopPane::Lesson,
            Focus::Map => {
                self.top = TopPane::Map;
                self.selected.get_or_insert(0);
            }
            Focus::Terminal => {}
        }
    }

    fn hint(&mut self, session: &mut Session) {
        let Some(index) = session.current_step() else {
            self.say("every step is done: F8 opens the quiz", MessageKind::Info);
            return;
        };
        session.record_hint();
        let number = session.lesson().steps.get(index).map_or(0, |s| s.number);
        match session.waiting_for() {
            Some(unmet) => {
                self.info(&format!(
                    "Hint: step {number} waits for `{}`: it is {} now; it should be {}.",
                    unmet.condition, unmet.observed, unmet.expected
                ));
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

    fn solution(&mut self, session: &mut Session) {
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

    fn open_quiz(&mut self, session: &Session) {
        match &session.lesson().quiz {
            Some(quiz) => {
                if self.quiz.is_none() {
                    self.quiz = Some(QuizState::new(quiz, session.progress().seed));
                }
                self.quiz_open = true;
            }
            None => self.say("this lesson has no quiz", MessageKind::Warning),
        }
    }

    fn quiz_move(&mut self, m: crate::tui::quiz_state::QuizMove, session: &mut Session) {
        let (Some(state), Some(quiz)) = (&mut self.quiz, &session.lesson().quiz) else {
            return;
        };
        let Some(answers) = state.apply(m, quiz) else {
            return;
        };
        for (q, r) in answers {
            // The quiz state only hands back indexes of this quiz's own questions.
            let _ = session.answer(q, r);
        }
        self.save_requested = true;
        if let Some(score) = session.score() {
            self.say(
                format!("quiz: {} of {} right", score.points, score.total),
                MessageKind::Info,
            );
        }
    }
}
