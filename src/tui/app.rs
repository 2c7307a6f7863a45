//! The app state (focus, scrolling, the terminal's scrollback and prompt, the map's selection,
//! the clock's pace, the quiz) and [`App::update`], the one function that changes it and the
//! session. [`App::view`] (in `app_view.rs`) builds the read models the widgets draw.
//!
//! Must not import tokio or touch the real clock or files: time arrives as `Action::Tick`.
//! The terminal-pane half of `update` lives in `app_terminal.rs`, the hint, solution and quiz
//! half in `app_help.rs`.

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

/// How often the screen refreshes while the cluster is changing.
pub const BUSY_TICK: Duration = Duration::from_millis(200);
/// How often the clock ticks while the cluster is settled: the status bar shows seconds.
pub const IDLE_TICK: Duration = Duration::from_secs(1);

/// Longest time "advance to settled" lets pass (simulated).
pub const SETTLE_LIMIT: Duration = Duration::from_secs(600);

/// What a confirmation overlay is asking about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pending {
    ResetStep,
    ResetLesson,
    /// Start over at this chapter (an index into the workshop's chapters).
    Chapter(usize),
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
    /// Rows the help is scrolled down.
    pub(super) help_scroll: usize,
    /// The terminal pane has the whole screen.
    pub(super) zoomed: bool,
    /// The zoom was offered after a wide output (said once).
    pub(super) zoom_offered: bool,
    pub(super) confirm: Option<Pending>,
    pub(super) scroll: Scroll,
    pub(super) lines: Vec<TermLine>,
    pub(super) back: usize,
    pub(super) prompt: Prompt,
    /// The first lines of a command bash is still asking `> ` for.
    pub(super) pending: Assembler,
    pub(super) selected: Option<usize>,
    pub(super) explain: bool,
    /// Rows the map's explanation is scrolled down.
    pub(super) why_scroll: usize,
    pub(super) system_pods: SystemPods,
    /// The cluster map's model, brought up to date after every action.
    pub(super) map: MapModel,
    pub(super) speed: Speed,
    pub(super) run: Run,
    pub(super) message: Option<Message>,
    pub(super) quit: bool,
    pub(super) save_requested: bool,
    /// A workshop's earlier chapters being replayed, a few steps per tick (`app_chapters.rs`).
    pub(super) replay: Option<crate::session::Replay>,
    /// A workshop: the chapter whose questions the quiz screen shows (`app_quiz.rs`).
    pub(super) quiz_part: Option<crate::tui::app_quiz::QuizPart>,
    /// Streaming lines run on a worker (the real loop and streaming harnesses turn it on).
    pub(super) streams: bool,
    /// A line waiting for the driver to start it as a stream.
    pub(super) queued: Option<String>,
    /// A line is streaming now.
    pub(super) streaming: bool,
    /// The streaming line's clock (the copy drawn is refreshed only when objects change).
    pub(super) stream_now: Option<crate::engine::SimTime>,
    /// The rest of a paste that reached a streaming line, typed when it ends.
    pub(super) paste_rest: Option<String>,
    /// Controls for the streaming line, for the driver to send.
    pub(super) outbox: Vec<crate::tui::stream::Control>,
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
            help_scroll: 0,
            zoomed: false,
            zoom_offered: false,
            confirm: None,
            // A fresh lesson opens at its introduction; resumed progress at the current step.
            scroll: if session.current_step() == Some(0) {
                Scroll::At(0)
            } else {
                Scroll::FollowStep
            },
            lines: Vec::new(),
            back: 0,
            prompt: Prompt::default(),
            pending: Assembler::new(),
            selected: None,
            explain: false,
            why_scroll: 0,
            system_pods: SystemPods::Counted,
            map: MapModel::new(session.cluster()),
            speed: Speed::X1,
            run: Run::Running,
            message: None,
            quit: false,
            save_requested: false,
            replay: None,
            quiz_part: None,
            streams: false,
            queued: None,
            streaming: false,
            paste_rest: None,
            stream_now: None,
            outbox: Vec::new(),
        };
        if nodes == 0 {
            // A lesson that starts before the cluster exists (`start: none`).
            app.info(
                "No cluster yet: this machine has Docker; `kind create cluster` makes a \
                 simulated KinD cluster (Kubernetes v1.21.1).",
            );
        } else {
            app.info(&format!(
                "A simulated KinD cluster is ready: {nodes} nodes, Kubernetes v1.21.1."
            ));
        }
        // A workshop entered at a later chapter has its earlier steps replayed, not resumed.
        let current = session
            .current_step()
            .unwrap_or(session.lesson().steps.len());
        let replayed = current > 0
            && session
                .progress()
                .steps
                .iter()
                .take(current)
                .all(|r| r.replayed);
        if replayed {
            app.info("The chapters before this one were replayed for you: the cluster and files are as they left them.");
        } else if current != 0 {
            app.info("Your saved progress was resumed (`kubetutor --fresh` starts over).");
        }
        app.info("Type the lesson's commands here. F1 lists the keys; F3 puts the current step's command in the prompt.");
        app
    }

    /// Shows problems found before the tutor started (a saved progress file that could not be
    /// read and was moved aside): each as a terminal line, the first in the status bar, so
    /// the learner learns it now rather than after quitting.
    pub fn startup_notices(&mut self, notices: &[String]) {
        for n in notices {
            self.info(&format!("Note: {n}"));
        }
        if let Some(first) = notices.first() {
            let more = if notices.len() > 1 {
                " (more in the terminal)"
            } else {
                ""
            };
            self.say(format!("{first}{more}"), MessageKind::Warning);
        }
    }

    /// Lets command lines that may wait run as streams (see [`crate::tui::stream`]); the
    /// driver must then start [`App::take_queued`] lines and pass their reports.
    pub fn enable_streams(&mut self) {
        self.streams = true;
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
        match Layout::for_size(self.width, self.height, self.top) {
            Layout::TooSmall => Layout::TooSmall,
            _ if self.zoomed => Layout::Zoomed,
            layout => layout,
        }
    }

    /// Whether the clock should tick often: running, and something is moving or shown
    /// as just changed.
    pub fn wants_ticks(&self, session: &Session) -> bool {
        self.run == Run::Running
            && (!session.cluster().is_settled() || !self.map.ghosts().is_empty())
    }

    /// How long the loop may wait for input before the clock ticks by itself: often while
    /// the cluster changes, once a second while it is settled (the status bar's clock moves
    /// with the simulated clock), never while paused.
    pub fn tick_interval(&self, session: &Session) -> Option<Duration> {
        if self.replay.is_some() {
            Some(crate::tui::app_chapters::REPLAY_TICK)
        } else if self.run == Run::Paused {
            None
        } else if self.wants_ticks(session) {
            Some(BUSY_TICK)
        } else {
            Some(IDLE_TICK)
        }
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
            // Colours a host program printed for a terminal (kind's green ✓) are not drawn.
            text: crate::shell::host::strip_sgr(text),
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
        if self.streaming {
            return self.update_streaming(action, session);
        }
        let before = session.current_step();
        if self.replaying(&action, session) {
            return;
        }
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
            Action::ShowHelp => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::ScrollHelp(d) => {
                let max = crate::tui::widgets::overlay::help_max_scroll(
                    ratatui::layout::Rect::new(0, 0, self.width, self.height),
                );
                let row = (self.help_scroll as i64 + i64::from(d)).clamp(0, max as i64);
                self.help_scroll = row as usize;
            }
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
                    self.quiz_part = None;
                    self.scroll = Scroll::FollowStep;
                    self.info("The lesson was reset: a fresh cluster, every step to do again.");
                    self.say("lesson reset", MessageKind::Info);
                }
                Some(Pending::Chapter(chapter)) => self.start_chapter(chapter, session),
                None => {}
            },
            Action::JumpChapter(d) => self.ask_chapter(d, session),
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
                self.zoomed = false;
                self.focus = match self.focus {
                    Focus::Terminal => Focus::Lesson,
                    Focus::Lesson => Focus::Map,
                    Focus::Map => Focus::Terminal,
                };
                self.show_focused_pane();
            }
            Action::FocusTerminal => self.focus = Focus::Terminal,
            Action::ToggleZoom => {
                self.zoomed = !self.zoomed;
                if self.zoomed {
                    self.focus = Focus::Terminal;
                }
                self.say(
                    if self.zoomed {
                        "the terminal has the whole screen: F12 brings the panes back"
                    } else {
                        "the panes are back: F12 zooms the terminal"
                    },
                    MessageKind::Info,
                );
            }
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
                    self.why_scroll = 0;
                }
            }
            Action::ExplainNode => {
                self.selected.get_or_insert(0);
                self.explain = !self.explain;
                self.why_scroll = 0;
            }
            Action::ToggleSystemPods => {
                self.system_pods = match self.system_pods {
                    SystemPods::Counted => SystemPods::Listed,
                    SystemPods::Listed => SystemPods::Counted,
                };
            }
            Action::ScrollLesson(d) => self.scroll_lesson(session.lesson(), &marks(session), d),
            // With the map's explanation open and the map focused (or the only pane shown
            // above the terminal), PgUp/PgDn scroll the explanation.
            Action::PageLesson(d)
                if self.explain
                    && (self.focus == Focus::Map
                        || self.layout() == Layout::Narrow(TopPane::Map)) =>
            {
                let (max, page) = self.why_rows(session);
                let row =
                    (self.why_scroll as i64 + i64::from(d) * page as i64).clamp(0, max as i64);
                self.why_scroll = row as usize;
            }
            Action::PageLesson(d) => {
                let page = self.lesson_page_rows(session);
                self.scroll_lesson(session.lesson(), &marks(session), d.saturating_mul(page));
            }
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
        let lesson = session.lesson();
        match next {
            Some(_) if self.chapter_begun(session, now, first) => {}
            Some(step) => self.say(
                format!("step done. Next: step {}: {}", step.number, step.title),
                MessageKind::Success,
            ),
            None => {
                // The quiz waits for the learner: the last step's output stays on screen.
                // A workshop's F8 opens its last chapter's questions.
                let questions = if lesson.is_workshop() {
                    let last = lesson.chapters.len().saturating_sub(1);
                    lesson.chapters.get(last).map_or(0, |c| c.questions.len())
                } else {
                    lesson.quiz.as_ref().map_or(0, |q| q.questions.len())
                };
                match (questions > 0).then_some(questions) {
                    Some(n) => {
                        let s = if n == 1 { "" } else { "s" };
                        self.info(&format!(
                            "Every step is done. The quiz is ready ({n} question{s}): press F8 to start it."
                        ));
                        self.say(
                            "every step is done: F8 starts the quiz",
                            MessageKind::Success,
                        );
                    }
                    None => self.say(
                        "every step is done: the lesson is complete",
                        MessageKind::Success,
                    ),
                }
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
}
