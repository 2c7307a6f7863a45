//! Read models handed to the widgets (`…View`): plain values built from the app state and
//! the session each frame, so that widgets have no side effects and can be snapshotted.
//!
//! Must not import crossterm or tokio; widgets read these, and only `app.rs` builds them.

use crate::content::Lesson;
use crate::tui::cluster_view::ClusterView;
use crate::tui::quiz_state::QuizView;

/// A step's mark in the lesson pane: a symbol, never colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepMark {
    Done,
    Current,
    Pending,
}

impl StepMark {
    pub fn symbol(self) -> &'static str {
        match self {
            StepMark::Done => "[x]",
            StepMark::Current => "[>]",
            StepMark::Pending => "[ ]",
        }
    }
}

/// Which pane takes plain keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Terminal,
    Lesson,
    Map,
}

/// Where the lesson pane is scrolled to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scroll {
    /// Keep the current step near the top.
    FollowStep,
    /// A row chosen by the learner.
    At(usize),
}

#[derive(Clone, Debug)]
pub struct LessonView<'a> {
    pub lesson: &'a Lesson,
    pub marks: Vec<StepMark>,
    pub scroll: Scroll,
    pub focused: bool,
}

/// What kind of text a terminal line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A command line as typed, with its prompt.
    Command,
    Stdout,
    Stderr,
    /// A message from the tutor (hints, step completions); starts with its own mark.
    Info,
    Success,
}

/// One logical line of the terminal's scrollback (wrapped when drawn).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermLine {
    pub text: String,
    pub kind: LineKind,
}

#[derive(Clone, Debug)]
pub struct TerminalView<'a> {
    pub lines: &'a [TermLine],
    /// `~/environment $ ` or bash's `> ` continuation prompt.
    pub prompt: String,
    pub input: &'a str,
    /// Cursor position in characters.
    pub cursor: usize,
    /// Rows scrolled back from the bottom.
    pub back: usize,
    /// Ctrl-R search: the query and the line it found.
    pub search: Option<(&'a str, &'a str)>,
    pub focused: bool,
    /// The terminal has the whole screen.
    pub zoomed: bool,
}

/// The simulated clock's pace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    X1,
    X2,
    X10,
}

impl Speed {
    pub fn factor(self) -> u32 {
        match self {
            Speed::X1 => 1,
            Speed::X2 => 2,
            Speed::X10 => 10,
        }
    }

    pub fn next(self) -> Speed {
        match self {
            Speed::X1 => Speed::X2,
            Speed::X2 => Speed::X10,
            Speed::X10 => Speed::X1,
        }
    }
}

/// Whether the simulated clock moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    Running,
    Paused,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Success,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusView {
    /// The simulated wall clock, `HH:MM:SS` UTC.
    pub clock: String,
    pub speed: Speed,
    pub run: Run,
    /// Nothing more will happen in the cluster on its own.
    pub settled: bool,
    /// `step 3/14` or `lesson done`.
    pub step: String,
    pub message: Option<Message>,
}

/// A box drawn over everything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// Every key, scrolled down this many rows.
    Help(usize),
    /// A yes/no question (resets).
    Confirm(String),
}

/// How the panes share the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Lesson on the left; terminal above the cluster map on the right.
    Wide,
    /// One pane above the terminal, picked by tab.
    Narrow(TopPane),
    /// The terminal alone, on the whole screen (F12, and back).
    Zoomed,
    TooSmall,
}

/// The pane above the terminal in the narrow layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopPane {
    Lesson,
    Map,
}

/// Smallest size the interface draws itself in (anything smaller gets a notice).
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// From this size on, the three panes sit side by side.
pub const WIDE_WIDTH: u16 = 100;
pub const WIDE_HEIGHT: u16 = 26;

impl Layout {
    pub fn for_size(width: u16, height: u16, top: TopPane) -> Layout {
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            Layout::TooSmall
        } else if width >= WIDE_WIDTH && height >= WIDE_HEIGHT {
            Layout::Wide
        } else {
            Layout::Narrow(top)
        }
    }
}

/// Everything on screen.
#[derive(Clone, Debug)]
pub struct ScreenView<'a> {
    pub layout: Layout,
    pub focus: Focus,
    pub lesson: LessonView<'a>,
    pub terminal: TerminalView<'a>,
    pub cluster: ClusterView,
    pub status: StatusView,
    pub quiz: Option<QuizView<'a>>,
    pub overlay: Option<Overlay>,
}
