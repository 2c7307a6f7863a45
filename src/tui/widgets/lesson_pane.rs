//! The lesson pane: the laid-out lesson in a bordered box, scrolled to the current step or
//! to where the learner put it, with the section in view named in the title.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::lesson_text::{LaidOut, lay_out};
use crate::tui::theme::Theme;
use crate::tui::view::{LessonView, Scroll, StepMark};

/// Rows kept above the current step when the pane follows it.
pub const FOLLOW_MARGIN: usize = 1;

pub struct LessonPane<'a> {
    pub view: &'a LessonView<'a>,
    pub theme: &'a Theme,
}

/// The first row shown for `scroll`, kept within the text.
pub fn first_row(laid: &LaidOut, marks: &[StepMark], scroll: Scroll, height: usize) -> usize {
    let max = laid.lines.len().saturating_sub(height.max(1));
    let wanted = match scroll {
        Scroll::At(row) => row,
        Scroll::FollowStep => marks
            .iter()
            .position(|m| *m == StepMark::Current)
            .and_then(|i| {
                // A chapter's first step: from the chapter's banner.
                let banner = laid.chapter_rows.iter().find(|(s, _)| *s == i);
                banner
                    .map(|(_, row)| *row)
                    .or_else(|| laid.step_rows.get(i).copied())
            })
            .map_or(max, |row| row.saturating_sub(FOLLOW_MARGIN)),
    };
    wanted.min(max)
}

/// The width the lesson is laid out at inside a pane of `outer` width.
pub fn text_width(outer: u16) -> usize {
    usize::from(outer.saturating_sub(3))
}

impl Widget for LessonPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let v = self.view;
        let laid = lay_out(v.lesson, &v.marks, text_width(area.width), t);
        let height = usize::from(area.height.saturating_sub(2));
        let top = first_row(&laid, &v.marks, v.scroll, height);
        // A chapter banner at the top: name the section it opens (under the banner's rows).
        let probe = laid
            .chapter_rows
            .iter()
            .find(|(_, r)| (top..=top + 2).contains(r))
            .map_or(top + 1, |(_, r)| r + 4);
        let section = laid
            .section_rows
            .iter()
            .rposition(|r| *r <= probe)
            .and_then(|i| v.lesson.sections.get(i))
            .map_or(String::new(), |s| format!(": {}", s.title));
        let done = v.marks.iter().filter(|m| **m == StepMark::Done).count();
        // A title longer than the border ends with `…`, never silently cut.
        let full = if v.lesson.is_workshop() {
            let words = super::chapters::title(v.lesson, &v.marks);
            format!(" {words}{section}")
        } else {
            format!(" Lesson {done}/{} done{section}", v.marks.len())
        };
        let room = usize::from(area.width.saturating_sub(3));
        let title = Line::from(vec![Span::styled(
            format!("{} ", super::lesson_text::clip(&full, room)),
            t.title,
        )]);
        let more = if top + height < laid.lines.len() {
            " more ↓ "
        } else {
            ""
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if v.focused {
                t.border_focused
            } else {
                t.border
            })
            .title(title)
            .title_bottom(Line::styled(more, t.dim).right_aligned());
        let shown: Vec<Line> = laid.lines.into_iter().skip(top).take(height).collect();
        let inner = block.inner(area);
        block.render(area, buf);
        let text_area = Rect {
            x: inner.x.saturating_add(1).min(inner.right()),
            width: inner.width.saturating_sub(1),
            ..inner
        };
        Paragraph::new(shown).render(text_area, buf);
    }
}
