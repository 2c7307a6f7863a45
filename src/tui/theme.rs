//! The styles every widget draws with, in two sets: colours, and plain (for `NO_COLOR` and
//! `--no-color`), where only bold, dim, underline and reverse remain.
//!
//! Colour never carries meaning on its own: every state also has a mark or a word (see
//! [`PodState::mark`](crate::tui::view::PodState::mark)), so the plain theme loses nothing.
//! Must not import the session or the engine: it is only styles.

use ratatui::style::{Color, Modifier, Style};

/// Every style the interface uses, by role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub heading: Style,
    pub code: Style,
    pub keyword: Style,
    pub string: Style,
    pub comment: Style,
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub step_done: Style,
    pub step_current: Style,
    pub step_pending: Style,
    pub prompt: Style,
    pub stderr: Style,
    pub info: Style,
    pub success: Style,
    pub warning: Style,
    pub selected: Style,
    pub status_bar: Style,
    pub pod_running: Style,
    pub pod_pending: Style,
    pub pod_creating: Style,
    pub pod_terminating: Style,
    pub pod_failed: Style,
    pub highlight: Style,
}

const fn fg(color: Color) -> Style {
    Style::new().fg(color)
}

/// The default, coloured theme.
pub const COLOR: Theme = Theme {
    text: Style::new(),
    dim: Style::new().add_modifier(Modifier::DIM),
    heading: fg(Color::Cyan).add_modifier(Modifier::BOLD),
    code: fg(Color::Yellow),
    keyword: fg(Color::Magenta),
    string: fg(Color::Green),
    comment: fg(Color::DarkGray),
    border: fg(Color::DarkGray),
    border_focused: fg(Color::Cyan),
    title: Style::new().add_modifier(Modifier::BOLD),
    step_done: fg(Color::Green),
    step_current: fg(Color::Yellow).add_modifier(Modifier::BOLD),
    step_pending: Style::new(),
    prompt: fg(Color::Green).add_modifier(Modifier::BOLD),
    stderr: fg(Color::Red),
    info: fg(Color::Cyan),
    success: fg(Color::Green).add_modifier(Modifier::BOLD),
    warning: fg(Color::Yellow),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    status_bar: Style::new().bg(Color::Blue).fg(Color::White),
    pod_running: fg(Color::Green),
    pod_pending: fg(Color::Yellow),
    pod_creating: fg(Color::Blue),
    pod_terminating: fg(Color::Magenta),
    pod_failed: fg(Color::Red).add_modifier(Modifier::BOLD),
    highlight: Style::new()
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED),
};

/// No colours at all: `NO_COLOR` (no-color.org) or `--no-color`.
pub const PLAIN: Theme = Theme {
    text: Style::new(),
    dim: Style::new().add_modifier(Modifier::DIM),
    heading: Style::new().add_modifier(Modifier::BOLD),
    code: Style::new(),
    keyword: Style::new().add_modifier(Modifier::BOLD),
    string: Style::new(),
    comment: Style::new().add_modifier(Modifier::DIM),
    border: Style::new(),
    border_focused: Style::new().add_modifier(Modifier::BOLD),
    title: Style::new().add_modifier(Modifier::BOLD),
    step_done: Style::new(),
    step_current: Style::new().add_modifier(Modifier::BOLD),
    step_pending: Style::new(),
    prompt: Style::new().add_modifier(Modifier::BOLD),
    stderr: Style::new(),
    info: Style::new(),
    success: Style::new().add_modifier(Modifier::BOLD),
    warning: Style::new().add_modifier(Modifier::BOLD),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    status_bar: Style::new().add_modifier(Modifier::REVERSED),
    pod_running: Style::new(),
    pod_pending: Style::new(),
    pod_creating: Style::new(),
    pod_terminating: Style::new().add_modifier(Modifier::DIM),
    pod_failed: Style::new().add_modifier(Modifier::BOLD),
    highlight: Style::new()
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED),
};

/// Whether the interface may use colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    Color,
    NoColor,
}

impl ColorMode {
    /// `NO_COLOR` set to anything non-empty turns colour off (no-color.org), as does the flag.
    pub fn from_env_and_flag(no_color_env: Option<&str>, flag: bool) -> ColorMode {
        if flag || no_color_env.is_some_and(|v| !v.is_empty()) {
            ColorMode::NoColor
        } else {
            ColorMode::Color
        }
    }

    pub fn theme(self) -> &'static Theme {
        match self {
            ColorMode::Color => &COLOR,
            ColorMode::NoColor => &PLAIN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_no_color_leaves_colour_on() {
        assert_eq!(
            ColorMode::from_env_and_flag(Some(""), false),
            ColorMode::Color
        );
        assert_eq!(
            ColorMode::from_env_and_flag(Some("1"), false),
            ColorMode::NoColor
        );
        assert_eq!(ColorMode::from_env_and_flag(None, true), ColorMode::NoColor);
    }

    #[test]
    fn the_plain_theme_uses_no_colour() {
        let styles = [PLAIN.text, PLAIN.status_bar, PLAIN.pod_failed, PLAIN.prompt];
        assert!(styles.iter().all(|s| s.fg.is_none() && s.bg.is_none()));
    }
}
