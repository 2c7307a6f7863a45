//! What the learner meant, independent of the key or mouse gesture that said it. The keymap
//! turns events into [`Action`]s and `App::update` carries them out: the one place where
//! state changes.
//!
//! Must not import crossterm or tokio.

use std::time::Duration;

use crate::tui::quiz_state::QuizMove;

/// An edit of the prompt line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-U: delete up to the cursor.
    KillBefore,
    /// Ctrl-K: delete from the cursor on.
    KillAfter,
    /// Ctrl-W: delete the word before the cursor.
    KillWord,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Real time passed (the app applies pause and speed).
    Tick(Duration),
    Resize {
        width: u16,
        height: u16,
    },
    Edit(Edit),
    /// Enter at the prompt.
    SubmitLine,
    /// Pasted text: its lines run one after the other, the last one stays in the prompt.
    Paste(String),
    Complete,
    HistoryPrevious,
    HistoryNext,
    /// Ctrl-R: start a reverse search, or find the next older match.
    SearchHistory,
    CancelLine,
    ClearTerminal,
    ScrollTerminal(i32),
    /// The mouse wheel at a screen position: the pane under it scrolls.
    Scroll {
        column: u16,
        row: u16,
        delta: i32,
    },
    ScrollLesson(i32),
    /// PgUp (-1) / PgDn (+1): the lesson moves by a page.
    PageLesson(i32),
    LessonTop,
    LessonBottom,
    FollowStep,
    /// Jump to the next (+1) or previous (-1) section.
    JumpSection(i32),
    /// A workshop: start over at the next (+1) or previous (-1) chapter, the chapters before
    /// it replayed (asks first).
    JumpChapter(i32),
    CycleFocus,
    FocusTerminal,
    /// The terminal takes the whole screen, or gives it back.
    ToggleZoom,
    ToggleTopPane,
    SelectNode(i32),
    ExplainNode,
    ToggleSystemPods,
    ShowHelp,
    /// Scroll the help by this many rows (negative: up).
    ScrollHelp(i32),
    CloseOverlay,
    Hint,
    Solution,
    TogglePause,
    CycleSpeed,
    Settle,
    OpenQuiz,
    Quiz(QuizMove),
    ResetStep,
    ResetLesson,
    Confirm,
}
