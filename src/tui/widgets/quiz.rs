//! The quiz screen: one question at a time with radio buttons `( )`, checkboxes `[ ]` or a
//! numbered list to reorder, the hint on request, then the results with a right/wrong line per
//! question and the comments of the answers picked.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::lesson_text::runs;
use crate::content::{QuestionKind, markdown_inlines};
use crate::tui::quiz_state::QuizView;
use crate::tui::theme::Theme;

pub struct QuizScreen<'a> {
    pub view: &'a QuizView<'a>,
    pub theme: &'a Theme,
}

fn md(text: &str, t: &Theme) -> Vec<Span<'static>> {
    runs(&markdown_inlines(text), t)
        .into_iter()
        .map(|(s, st)| Span::styled(s, st))
        .collect()
}

impl QuizScreen<'_> {
    fn question_lines(&self) -> (String, Vec<Line<'static>>) {
        let t = self.theme;
        let QuizView::Question {
            number,
            total,
            question,
            rows,
            cursor,
            grabbed,
            hint,
        } = self.view
        else {
            return (String::new(), Vec::new());
        };
        let how = match question.kind {
            QuestionKind::Single => "pick one: Space",
            QuestionKind::Multiple => "tick every right answer: Space",
            QuestionKind::Sequence => "put in order: Space grabs/drops, Up/Down moves",
        };
        let title = format!(" Quiz: question {number} of {total} ");
        let mut lines = vec![
            Line::from(md(&question.title, t)).style(t.heading),
            Line::default(),
        ];
        for para in question.body.split("\n\n") {
            lines.push(Line::from(md(para, t)));
        }
        lines.push(Line::default());
        lines.push(Line::styled(format!("({how})"), t.dim));
        for (i, row) in rows.iter().enumerate() {
            let box_ = match question.kind {
                QuestionKind::Single if row.chosen => "(o)".to_string(),
                QuestionKind::Single => "( )".to_string(),
                QuestionKind::Multiple if row.chosen => "[x]".to_string(),
                QuestionKind::Multiple => "[ ]".to_string(),
                QuestionKind::Sequence => format!("{}.", i + 1),
            };
            let here = i == *cursor;
            let pointer = match (here, *grabbed) {
                (true, true) => "=> ",
                (true, false) => " > ",
                _ => "   ",
            };
            let mut spans = vec![Span::styled(format!("{pointer}{box_} "), t.title)];
            spans.extend(md(row.text, t));
            let line = Line::from(spans);
            lines.push(if here { line.style(t.selected) } else { line });
        }
        lines.push(Line::default());
        match hint {
            Some(h) => {
                let mut spans = vec![Span::styled("Hint: ", t.title)];
                spans.extend(md(h, t));
                lines.push(Line::from(spans).style(t.info));
            }
            None if question.hint.is_some() => {
                lines.push(Line::styled("h: show the hint", t.dim));
            }
            None => {}
        }
        lines.push(Line::styled(
            "Enter: next   Backspace: previous   Esc: back to the lesson",
            t.dim,
        ));
        (title, lines)
    }

    fn result_lines(&self) -> (String, Vec<Line<'static>>) {
        let t = self.theme;
        let QuizView::Results {
            score,
            lines: results,
            verdict,
            retry,
        } = self.view
        else {
            return (String::new(), Vec::new());
        };
        let title = format!(" Quiz results: {} of {} right ", score.points, score.total);
        let mut lines = Vec::new();
        if let Some(v) = verdict {
            let mark = if score.passed == Some(true) {
                "PASSED"
            } else {
                "NOT PASSED"
            };
            let style = if score.passed == Some(true) {
                t.success
            } else {
                t.warning
            };
            lines.push(Line::styled(format!("{mark}: {v}"), style));
            lines.push(Line::default());
        }
        for r in results {
            let (mark, style) = if r.right {
                ("[right]", t.success)
            } else {
                ("[wrong]", t.stderr)
            };
            let mut spans = vec![Span::styled(format!("{mark} "), style)];
            spans.extend(md(r.title, t));
            lines.push(Line::from(spans));
            for c in &r.comments {
                let mut spans = vec![Span::styled("        ", t.dim)];
                spans.extend(md(c, t));
                lines.push(Line::from(spans).style(t.dim));
            }
        }
        lines.push(Line::default());
        let keys = if *retry {
            "r: retry   Esc: back to the lesson"
        } else {
            "Esc: back to the lesson"
        };
        lines.push(Line::styled(keys, t.dim));
        (title, lines)
    }
}

impl Widget for QuizScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (title, lines) = match self.view {
            QuizView::Question { .. } => self.question_lines(),
            QuizView::Results { .. } => self.result_lines(),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.border_focused)
            .title(Span::styled(title, self.theme.title));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
    }
}
