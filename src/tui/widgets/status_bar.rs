//! The status bar: the simulated clock and its speed, whether the cluster is still busy, the
//! step counter, the latest message, and where help is.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::lesson_text::clip;
use crate::tui::theme::Theme;
use crate::tui::view::{MessageKind, Run, StatusView};

pub struct StatusBar<'a> {
    pub view: &'a StatusView,
    pub theme: &'a Theme,
}

impl Widget for StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let v = self.view;
        buf.set_style(area, t.status_bar);
        let run = match v.run {
            Run::Running => "",
            Run::Paused => " PAUSED",
        };
        let busy = if v.settled { "settled" } else { "busy" };
        let left = format!(
            " {} x{}{run} | {busy} | {} ",
            v.clock,
            v.speed.factor(),
            v.step
        );
        let right = " F1 help ";
        let width = usize::from(area.width);
        let room = width.saturating_sub(left.chars().count() + right.chars().count());
        let mut spans = vec![Span::styled(left.clone(), t.status_bar)];
        if let Some(m) = &v.message {
            let mark = match m.kind {
                MessageKind::Info => "",
                MessageKind::Success => "✓ ",
                MessageKind::Warning => "! ",
            };
            let text = clip(&format!("{mark}{}", m.text), room);
            let used = text.chars().count();
            spans.push(Span::styled(text, t.status_bar));
            spans.push(Span::styled(
                " ".repeat(room.saturating_sub(used)),
                t.status_bar,
            ));
        } else {
            spans.push(Span::styled(" ".repeat(room), t.status_bar));
        }
        if left.chars().count() + right.chars().count() <= width {
            spans.push(Span::styled(right, t.status_bar));
        }
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    }
}
