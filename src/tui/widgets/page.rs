//! A bordered page of wrapped text that scrolls: the quiz and the help overlay draw through it,
//! so nothing they hold is ever out of reach on a small screen. The scroll is clamped to the
//! last page, and the bottom border says when there is more above or below and which keys
//! move it.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

/// Rows of wrapped text `lines` make inside a bordered box of `area`, and the rows shown.
fn rows(lines: &[Line<'_>], area: Rect) -> (usize, usize) {
    let inner_w = area.width.saturating_sub(2);
    let shown = usize::from(area.height.saturating_sub(2));
    if inner_w == 0 {
        return (0, shown);
    }
    let total = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(inner_w);
    (total, shown)
}

/// The largest useful scroll of `lines` in a bordered box of `area`.
pub fn max_scroll(lines: &[Line<'_>], area: Rect) -> usize {
    let (total, shown) = rows(lines, area);
    total.saturating_sub(shown)
}

/// A bordered, scrolled page.
pub struct Page<'a> {
    pub title: String,
    pub lines: Vec<Line<'a>>,
    pub scroll: usize,
    pub theme: &'a Theme,
}

impl Widget for Page<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let (total, shown) = rows(&self.lines, area);
        let max = total.saturating_sub(shown);
        let scroll = self.scroll.min(max);
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused)
            .title(Span::styled(
                super::lesson_text::clip(&self.title, usize::from(area.width.saturating_sub(2))),
                t.title,
            ));
        let more = match (scroll > 0, scroll < max) {
            (true, true) => Some(format!(" ↑↓ more: PgUp/PgDn ({}/{total}) ", scroll + shown)),
            (false, true) => Some(format!(" ↓ more below: PgDn ({shown}/{total}) ")),
            (true, false) => Some(" ↑ more above: PgUp ".to_string()),
            (false, false) => None,
        };
        if let Some(m) = more {
            block = block.title_bottom(Line::styled(m, t.title).right_aligned());
        }
        let offset = u16::try_from(scroll).unwrap_or(u16::MAX);
        Paragraph::new(self.lines)
            .wrap(Wrap { trim: false })
            .scroll((offset, 0))
            .block(block)
            .render(area, buf);
    }
}
