//! Boxes drawn over the screen: the help with every key (a scrolling [`Page`], so every key
//! can be read at 80x24), and yes/no confirmations.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::page::{Page, max_scroll};
use crate::tui::keymap::HELP;
use crate::tui::theme::Theme;
use crate::tui::view::Overlay;

pub struct OverlayBox<'a> {
    pub overlay: &'a Overlay,
    pub theme: &'a Theme,
}

/// A rectangle of at most `width` x `height`, centred in `area`.
fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The help's lines, with the keys in one column.
fn help_lines(t: &Theme) -> Vec<Line<'static>> {
    let key_w = HELP.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    HELP.iter()
        .map(|(k, what)| {
            if k.is_empty() {
                Line::styled(what.to_string(), t.heading)
            } else {
                Line::from(vec![
                    Span::styled(format!("{k:<key_w$}  "), t.title),
                    Span::styled(what.to_string(), t.text),
                ])
            }
        })
        .collect()
}

/// Widest the help box gets.
const HELP_WIDTH: u16 = 80;

/// Where the help box goes on a screen of `area`.
fn help_rect(area: Rect) -> Rect {
    centred(area, HELP_WIDTH, HELP.len() as u16 + 2)
}

/// The largest useful scroll of the help on a screen of `area`.
pub fn help_max_scroll(area: Rect) -> usize {
    max_scroll(&help_lines(&crate::tui::theme::PLAIN), help_rect(area))
}

impl Widget for OverlayBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        match self.overlay {
            Overlay::Help(scroll) => {
                let rect = help_rect(area);
                Clear.render(rect, buf);
                Page {
                    title: " Keys (Esc closes; Up/Down/PgUp/PgDn scroll) ".to_string(),
                    lines: help_lines(t),
                    scroll: *scroll,
                    theme: t,
                }
                .render(rect, buf);
            }
            Overlay::Confirm(question) => {
                let lines = vec![
                    Line::styled(question.clone(), t.title),
                    Line::default(),
                    Line::styled("y: yes    n or Esc: no", t.dim),
                ];
                let rect = centred(area, 52, lines.len() as u16 + 2);
                Clear.render(rect, buf);
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(
                        Block::default()
                            .borders(Borders::ALL)
                            .border_style(t.border_focused)
                            .title(Span::styled(" Confirm ", t.title)),
                    )
                    .render(rect, buf);
            }
        }
    }
}
