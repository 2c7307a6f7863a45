//! Boxes drawn over the screen: the help with every key, and yes/no confirmations.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

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

impl Widget for OverlayBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let (title, lines, width) = match self.overlay {
            Overlay::Help => {
                let key_w = HELP.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                let lines: Vec<Line> = HELP
                    .iter()
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
                    .collect();
                (" Keys (Esc closes) ", lines, 78)
            }
            Overlay::Confirm(question) => (
                " Confirm ",
                vec![
                    Line::styled(question.clone(), t.title),
                    Line::default(),
                    Line::styled("y: yes    n or Esc: no", t.dim),
                ],
                52,
            ),
        };
        let height = lines.len() as u16 + 2;
        let rect = centred(area, width, height);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.border_focused)
                    .title(Span::styled(title, t.title)),
            )
            .render(rect, buf);
    }
}
