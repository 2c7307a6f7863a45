//! Keys and mouse gestures to [`Action`]s: a pure function of the app's mode and the event,
//! and the help table listing every key (the help overlay draws [`HELP`]).
//!
//! Must not import the session or tokio; it reads only the app's mode.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

use crate::tui::action::{Action, Edit};
use crate::tui::quiz_state::QuizMove;
use crate::tui::view::Focus;

/// Every key, as the help overlay lists it; an empty key starts a group.
pub const HELP: &[(&str, &str)] = &[
    ("", "Anywhere"),
    (
        "Ctrl-Q",
        "quit (progress is saved); `exit` at the prompt too",
    ),
    ("F1", "this help (`?` outside the terminal)"),
    ("F2", "hint: what the current step still waits for"),
    (
        "F3 Ctrl-Y",
        "put the step's command in the prompt (counts as help)",
    ),
    ("F4", "narrow screens: show the lesson or the cluster map"),
    ("F5", "pause or resume the cluster's clock"),
    ("F6", "clock speed x1, x2, x10"),
    ("F7", "advance the clock until the cluster settles"),
    ("F8", "the quiz"),
    ("F12", "zoom: the terminal on the whole screen, and back"),
    (
        "F9 / F10",
        "reset the current step / the whole lesson (asks first)",
    ),
    (
        "Ctrl-T",
        "next pane: terminal, lesson, cluster map (Esc: terminal)",
    ),
    (
        "PgUp PgDn",
        "the lesson a page up / down (mouse wheel: the pane under it)",
    ),
    ("", "Terminal"),
    (
        "Enter",
        "run the line (`> ` asks for more: heredoc, quote, |)",
    ),
    (
        "Tab",
        "complete commands, kubectl verbs, kinds, names, flags",
    ),
    (
        "Up Down",
        "history (in a multi-line command: its lines); Ctrl-R searches",
    ),
    ("Alt-Enter", "a new line inside a multi-line command"),
    ("Ctrl-C", "cancel the line; Ctrl-L clears the screen"),
    (
        "Shift-PgUp",
        "scroll the terminal back (Shift-PgDn forward)",
    ),
    ("", "Lesson pane"),
    ("j k g G", "scroll, top, bottom; f follows the current step"),
    ("[ ]", "previous / next section"),
    (
        "< >",
        "workshop: start at the previous / next chapter (asks first)",
    ),
    ("", "Cluster map"),
    (
        "Up Down",
        "select a node; Enter or w: why DaemonSets run there (PgDn scrolls it)",
    ),
    ("a", "list or count the system pods"),
    ("", "Quiz"),
    (
        "Up Down Space",
        "move, pick / tick, grab and drop (ordering)",
    ),
    ("h Enter Bksp", "hint, next question, previous question"),
    (
        "r R",
        "results: retry the questions not right / the whole quiz",
    ),
    ("PgUp PgDn", "scroll the question or the results"),
];

/// The app's mode, as far as keys care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Main(Focus),
    Searching,
    Quiz,
    Help,
    Confirm,
}

/// The action an event asks for in `mode`, if any.
pub fn action_for(mode: Mode, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(mode, key),
        Event::Paste(text) => match mode {
            Mode::Main(_) | Mode::Searching => Some(Action::Paste(text.clone())),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Mouse(m) => mouse_action(mode, m),
        _ => None,
    }
}

fn mouse_action(mode: Mode, m: &MouseEvent) -> Option<Action> {
    let step = match m.kind {
        MouseEventKind::ScrollUp => -3,
        MouseEventKind::ScrollDown => 3,
        _ => return None,
    };
    match mode {
        // The app knows which pane is under the pointer; it routes the scroll.
        Mode::Main(_) => Some(Action::Scroll {
            column: m.column,
            row: m.row,
            delta: step,
        }),
        Mode::Quiz => Some(Action::Quiz(QuizMove::Scroll(step))),
        Mode::Help => Some(Action::ScrollHelp(step)),
        _ => None,
    }
}

fn key_action(mode: Mode, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    // Keys that mean the same everywhere.
    match key.code {
        KeyCode::Char('q') if ctrl => return Some(Action::Quit),
        KeyCode::F(1) if mode != Mode::Help => return Some(Action::ShowHelp),
        _ => {}
    }
    match mode {
        Mode::Help => Some(match key.code {
            KeyCode::Up | KeyCode::Char('k') => Action::ScrollHelp(-1),
            KeyCode::Down | KeyCode::Char('j') => Action::ScrollHelp(1),
            KeyCode::PageUp => Action::ScrollHelp(-10),
            KeyCode::PageDown | KeyCode::Char(' ') => Action::ScrollHelp(10),
            KeyCode::Home | KeyCode::Char('g') => Action::ScrollHelp(i32::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => Action::ScrollHelp(i32::MAX / 2),
            _ => Action::CloseOverlay,
        }),
        Mode::Confirm => match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::Confirm),
            _ => Some(Action::CloseOverlay),
        },
        Mode::Quiz => quiz_key(key),
        Mode::Searching => match key.code {
            KeyCode::Char('r') if ctrl => Some(Action::SearchHistory),
            KeyCode::Char('c' | 'g') if ctrl => Some(Action::CancelLine),
            KeyCode::Esc => Some(Action::CancelLine),
            KeyCode::Enter => Some(Action::SubmitLine),
            KeyCode::Backspace => Some(Action::Edit(Edit::Backspace)),
            KeyCode::Char(c) if !ctrl => Some(Action::Edit(Edit::Insert(c))),
            // Any other key accepts the match for editing, as bash does.
            _ => Some(Action::Edit(Edit::End)),
        },
        Mode::Main(focus) => global_key(key, ctrl, shift).or_else(|| match focus {
            Focus::Terminal => terminal_key(key, ctrl),
            Focus::Lesson => lesson_key(key),
            Focus::Map => map_key(key),
        }),
    }
}

fn global_key(key: &KeyEvent, ctrl: bool, shift: bool) -> Option<Action> {
    Some(match key.code {
        KeyCode::F(2) => Action::Hint,
        KeyCode::F(3) => Action::Solution,
        KeyCode::Char('y') if ctrl => Action::Solution,
        KeyCode::F(4) => Action::ToggleTopPane,
        KeyCode::F(5) => Action::TogglePause,
        KeyCode::F(6) => Action::CycleSpeed,
        KeyCode::F(7) => Action::Settle,
        KeyCode::F(8) => Action::OpenQuiz,
        KeyCode::F(9) => Action::ResetStep,
        KeyCode::F(10) => Action::ResetLesson,
        KeyCode::F(12) => Action::ToggleZoom,
        KeyCode::Char('t') if ctrl => Action::CycleFocus,
        KeyCode::PageUp if shift => Action::ScrollTerminal(10),
        KeyCode::PageDown if shift => Action::ScrollTerminal(-10),
        KeyCode::PageUp => Action::PageLesson(-1),
        KeyCode::PageDown => Action::PageLesson(1),
        _ => return None,
    })
}

fn terminal_key(key: &KeyEvent, ctrl: bool) -> Option<Action> {
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Enter if alt => Action::Edit(Edit::Insert('\n')),
        KeyCode::Enter => Action::SubmitLine,
        // A line feed: how a paste without bracketed paste (or `tmux send-keys`) ends a
        // line; bash accepts the line on Ctrl-J and Ctrl-M as on Enter.
        KeyCode::Char('j' | 'm') if ctrl => Action::SubmitLine,
        KeyCode::Char('\n' | '\r') => Action::SubmitLine,
        KeyCode::Tab => Action::Complete,
        KeyCode::Up => Action::HistoryPrevious,
        KeyCode::Down => Action::HistoryNext,
        KeyCode::Char('r') if ctrl => Action::SearchHistory,
        KeyCode::Char('c') if ctrl => Action::CancelLine,
        KeyCode::Char('l') if ctrl => Action::ClearTerminal,
        KeyCode::Char('a') if ctrl => Action::Edit(Edit::Home),
        KeyCode::Char('e') if ctrl => Action::Edit(Edit::End),
        KeyCode::Char('u') if ctrl => Action::Edit(Edit::KillBefore),
        KeyCode::Char('k') if ctrl => Action::Edit(Edit::KillAfter),
        KeyCode::Char('w') if ctrl => Action::Edit(Edit::KillWord),
        KeyCode::Char('d') if ctrl => Action::Edit(Edit::Delete),
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char(c) => Action::Edit(Edit::Insert(c)),
        KeyCode::Backspace => Action::Edit(Edit::Backspace),
        KeyCode::Delete => Action::Edit(Edit::Delete),
        KeyCode::Left => Action::Edit(Edit::Left),
        KeyCode::Right => Action::Edit(Edit::Right),
        KeyCode::Home => Action::Edit(Edit::Home),
        KeyCode::End => Action::Edit(Edit::End),
        _ => return None,
    })
}

fn lesson_key(key: &KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Action::ScrollLesson(1),
        KeyCode::Char('k') | KeyCode::Up => Action::ScrollLesson(-1),
        KeyCode::Char(' ') => Action::PageLesson(1),
        KeyCode::Char('g') | KeyCode::Home => Action::LessonTop,
        KeyCode::Char('G') | KeyCode::End => Action::LessonBottom,
        KeyCode::Char('f') => Action::FollowStep,
        KeyCode::Char(']') => Action::JumpSection(1),
        KeyCode::Char('[') => Action::JumpSection(-1),
        KeyCode::Char('>') => Action::JumpChapter(1),
        KeyCode::Char('<') => Action::JumpChapter(-1),
        KeyCode::Char('?') => Action::ShowHelp,
        KeyCode::Char('h') => Action::Hint,
        KeyCode::Char('s') => Action::Solution,
        KeyCode::Char('r') => Action::ResetStep,
        KeyCode::Char('R') => Action::ResetLesson,
        KeyCode::Esc | KeyCode::Char('i') | KeyCode::Enter => Action::FocusTerminal,
        KeyCode::Tab => Action::CycleFocus,
        _ => return None,
    })
}

fn map_key(key: &KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Action::SelectNode(1),
        KeyCode::Char('k') | KeyCode::Up => Action::SelectNode(-1),
        KeyCode::Enter | KeyCode::Char('w') => Action::ExplainNode,
        KeyCode::Char('a') => Action::ToggleSystemPods,
        KeyCode::Char('?') => Action::ShowHelp,
        KeyCode::Char('h') => Action::Hint,
        KeyCode::Esc | KeyCode::Char('i') => Action::FocusTerminal,
        KeyCode::Tab => Action::CycleFocus,
        _ => return None,
    })
}

fn quiz_key(key: &KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Quiz(QuizMove::Up),
        KeyCode::Down | KeyCode::Char('j') => Action::Quiz(QuizMove::Down),
        KeyCode::Char(' ' | 'x') => Action::Quiz(QuizMove::Toggle),
        KeyCode::Char('h') => Action::Quiz(QuizMove::Hint),
        KeyCode::Enter | KeyCode::Right => Action::Quiz(QuizMove::Next),
        KeyCode::Backspace | KeyCode::Left => Action::Quiz(QuizMove::Previous),
        KeyCode::Char('r') => Action::Quiz(QuizMove::Retry),
        KeyCode::Char('R') => Action::Quiz(QuizMove::RetryAll),
        KeyCode::PageUp => Action::Quiz(QuizMove::Scroll(-10)),
        KeyCode::PageDown => Action::Quiz(QuizMove::Scroll(10)),
        KeyCode::Char('?') => Action::ShowHelp,
        KeyCode::Esc | KeyCode::F(8) => Action::CloseOverlay,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn letters_type_at_the_prompt_but_command_the_lesson_pane() {
        let j = key(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            action_for(Mode::Main(Focus::Terminal), &j),
            Some(Action::Edit(Edit::Insert('j')))
        );
        assert_eq!(
            action_for(Mode::Main(Focus::Lesson), &j),
            Some(Action::ScrollLesson(1))
        );
    }

    #[test]
    fn a_line_feed_runs_the_line_as_enter_does() {
        for k in [
            key(KeyCode::Char('j'), KeyModifiers::CONTROL),
            key(KeyCode::Char('m'), KeyModifiers::CONTROL),
            key(KeyCode::Char('\n'), KeyModifiers::NONE),
            key(KeyCode::Enter, KeyModifiers::NONE),
        ] {
            assert_eq!(
                action_for(Mode::Main(Focus::Terminal), &k),
                Some(Action::SubmitLine)
            );
        }
    }

    #[test]
    fn ctrl_q_quits_from_every_mode() {
        let q = key(KeyCode::Char('q'), KeyModifiers::CONTROL);
        for mode in [
            Mode::Main(Focus::Map),
            Mode::Searching,
            Mode::Quiz,
            Mode::Help,
            Mode::Confirm,
        ] {
            assert_eq!(action_for(mode, &q), Some(Action::Quit));
        }
    }

    #[test]
    fn every_global_key_is_in_the_help() {
        let listed: String = HELP.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(" ");
        for k in [
            "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F12", "Ctrl-T",
        ] {
            assert!(listed.contains(k), "{k} missing from the help");
        }
    }
}
