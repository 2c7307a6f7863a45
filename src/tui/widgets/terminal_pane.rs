//! The terminal pane: the scrollback wrapped as a terminal wraps it, then the prompt line
//! with the cursor shown as a reversed cell (or bash's reverse-i-search line during Ctrl-R).
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use crate::tui::theme::Theme;
use crate::tui::view::{LineKind, TermLine, TerminalView};

pub struct TerminalPane<'a> {
    pub view: &'a TerminalView<'a>,
    pub theme: &'a Theme,
}

/// Cuts `text` into rows of at most `width` characters (an empty text is one empty row).
pub fn hard_wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let chars: Vec<char> = text.chars().filter(|c| *c != '\r').collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars
        .chunks(width)
        .map(|c| {
            c.iter()
                .map(|ch| if *ch == '\t' { ' ' } else { *ch })
                .collect()
        })
        .collect()
}

/// The rows one scrollback line takes at `width`: the tutor's own messages wrap between
/// words; commands and their output wrap as a terminal wraps them, at the edge.
pub fn rows_of(line: &TermLine, width: usize) -> Vec<String> {
    match line.kind {
        LineKind::Info | LineKind::Success => super::wrap::wrap_words(&line.text, width, "  "),
        _ => hard_wrap(&line.text, width),
    }
}

fn style_of(kind: LineKind, t: &Theme) -> Style {
    match kind {
        LineKind::Command => t.text,
        LineKind::Stdout => t.text,
        LineKind::Stderr => t.stderr,
        LineKind::Info => t.info,
        LineKind::Success => t.success,
    }
}

impl TerminalPane<'_> {
    /// The prompt row(s): styled runs with the cursor's cell reversed.
    fn prompt_rows(&self, width: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let v = self.view;
        if let Some((query, found)) = v.search {
            let text = format!("(reverse-i-search)`{query}': {found}");
            return hard_wrap(&text, width)
                .into_iter()
                .map(|r| Line::styled(r, t.info))
                .collect();
        }
        // A multi-line command shows as lines, each after bash's `> ` continuation prompt.
        let mut logical: Vec<Vec<(char, Style)>> =
            vec![v.prompt.chars().map(|c| (c, t.prompt)).collect()];
        for (i, c) in v.input.chars().enumerate() {
            let here = v.focused && i == v.cursor;
            let Some(row) = logical.last_mut() else { break };
            if c == '\n' {
                if here {
                    row.push((' ', t.selected));
                }
                logical.push("> ".chars().map(|c| (c, t.prompt)).collect());
            } else {
                let c = if c == '\t' { ' ' } else { c };
                row.push((
                    c,
                    if here {
                        t.text.patch(t.selected)
                    } else {
                        t.text
                    },
                ));
            }
        }
        if v.focused
            && v.cursor >= v.input.chars().count()
            && let Some(row) = logical.last_mut()
        {
            row.push((' ', t.selected));
        }
        logical
            .iter()
            .flat_map(|cells| {
                let rows: Vec<&[(char, Style)]> = if cells.is_empty() {
                    vec![&[][..]]
                } else {
                    cells.chunks(width.max(1)).collect()
                };
                rows.into_iter().map(|row| {
                    Line::from(
                        row.iter()
                            .map(|(c, s)| Span::styled(c.to_string(), *s))
                            .collect::<Vec<_>>(),
                    )
                })
            })
            .collect()
    }
}

impl Widget for TerminalPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let v = self.view;
        let zoom = if v.zoomed {
            "F12: panes back"
        } else {
            "F12: zoom"
        };
        let title = if v.back > 0 {
            format!(" Terminal (scrolled back {} rows; {zoom}) ", v.back)
        } else {
            format!(" Terminal ({zoom}) ")
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if v.focused {
                t.border_focused
            } else {
                t.border
            })
            .title(Span::styled(title, t.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let width = usize::from(inner.width);
        let height = usize::from(inner.height);
        if width == 0 || height == 0 {
            return;
        }
        let prompt = self.prompt_rows(width);
        // Only the rows that can show are wrapped: walk the scrollback from the end.
        let wanted = height + v.back;
        let mut rows: Vec<Line<'static>> = Vec::new();
        for line in v.lines.iter().rev() {
            if rows.len() + prompt.len() >= wanted {
                break;
            }
            let style = style_of(line.kind, t);
            for r in rows_of(line, width).into_iter().rev() {
                rows.push(Line::styled(r, style));
            }
        }
        rows.reverse();
        rows.extend(prompt);
        let end = rows
            .len()
            .saturating_sub(v.back.min(rows.len().saturating_sub(1)));
        let start = end.saturating_sub(height);
        for (i, line) in rows[start..end].iter().enumerate() {
            let y = inner.y + i as u16;
            buf.set_line(inner.x, y, line, inner.width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character() {
        assert_eq!(hard_wrap("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(hard_wrap("", 4), vec![""]);
        assert_eq!(hard_wrap("ab", 0), vec!["a", "b"]);
    }
}
