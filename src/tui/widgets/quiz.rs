//! The quiz screen: one question at a time with radio buttons `( )`, checkboxes `[ ]` or a
//! numbered list to reorder, the hint on request, then the results: the score against the pass
//! mark, and per question the verdict (right, partly right with how much, wrong, not
//! answered), the learner's answer, the right one, the comments of the answers picked and the
//! question's hint. Both pages scroll (a [`Page`]).
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::lesson_text::runs;
use super::page::{Page, max_scroll};
use super::wrap::hang_spans;
use crate::content::{Credit, QuestionKind, markdown_inlines};
use crate::tui::quiz_state::{QuizView, ResultLine};
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
            retrying,
            ..
        } = self.view
        else {
            return (String::new(), Vec::new());
        };
        let how = match question.kind {
            QuestionKind::Single => "pick one: Space",
            QuestionKind::Multiple => "tick every right answer: Space",
            QuestionKind::Sequence => "put in order: Space grabs/drops, Up/Down moves",
        };
        let again = if *retrying { " (again)" } else { "" };
        let title = format!(" Quiz: question {number} of {total}{again} ");
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

    fn result_lines(&self, width: usize) -> (String, Vec<Line<'static>>) {
        let t = self.theme;
        let QuizView::Results {
            score,
            lines: results,
            verdict,
            pass_mark,
            retry,
            to_retry,
            ..
        } = self.view
        else {
            return (String::new(), Vec::new());
        };
        let title = format!(" Quiz results: {} of {} right ", score.points, score.total);
        let percent = if score.total == 0 {
            100.0
        } else {
            score.points as f64 * 100.0 / score.total as f64
        };
        let mut lines = Vec::new();
        let summary = format!("{} of {} right ({percent:.0}%)", score.points, score.total);
        match (score.passed, pass_mark) {
            (Some(passed), Some(mark)) => {
                let (word, style) = if passed {
                    ("PASSED", t.success)
                } else {
                    ("NOT PASSED", t.warning)
                };
                lines.push(Line::styled(
                    format!("{word}: {summary}; the pass mark is {mark:.0}%."),
                    style,
                ));
                if let Some(v) = verdict {
                    lines.push(Line::from(md(v, t)));
                }
            }
            _ => lines.push(Line::styled(
                format!("{summary}; this quiz has no pass mark."),
                t.title,
            )),
        }
        lines.push(Line::styled(
            "A question counts only when wholly right; partly right ones show how close they were.",
            t.dim,
        ));
        for r in results {
            lines.push(Line::default());
            result(&mut lines, r, t, width);
        }
        lines.push(Line::default());
        let keys = match (*retry, *to_retry) {
            (true, 0) => {
                "R: take the quiz again   PgUp/PgDn Up/Down: scroll   Esc: back to the lesson"
                    .to_string()
            }
            (true, n) => format!(
                "r: retry the {n} not right   R: the whole quiz again   PgUp/PgDn: scroll   Esc: back"
            ),
            (false, _) => "PgUp/PgDn Up/Down: scroll   Esc: back to the lesson".to_string(),
        };
        lines.push(Line::styled(keys, t.dim));
        (title, lines)
    }

    /// The page's title and lines, as drawn in a box of `area`.
    pub fn page(&self, area: Rect) -> (String, Vec<Line<'static>>) {
        match self.view {
            QuizView::Question { .. } => self.question_lines(),
            QuizView::Results { .. } => {
                self.result_lines(usize::from(area.width.saturating_sub(2)))
            }
        }
    }

    /// The largest useful scroll of this page in `area`.
    pub fn max_scroll(&self, area: Rect) -> usize {
        max_scroll(&self.page(area).1, area)
    }
}

/// One question's block on the results page.
fn result(lines: &mut Vec<Line<'static>>, r: &ResultLine<'_>, t: &Theme, width: usize) {
    let (mark, style) = match r.credit {
        Credit::Right => ("[right]".to_string(), t.success),
        Credit::Partly { right, of } => {
            let what = match r.kind {
                QuestionKind::Sequence => format!("{right} of {of} in the right place"),
                _ => format!("{right} of {of} choices right"),
            };
            (format!("[partly right: {what}]"), t.warning)
        }
        Credit::Wrong => ("[wrong]".to_string(), t.stderr),
        Credit::NotAnswered => ("[not answered]".to_string(), t.warning),
    };
    let mut spans = vec![
        Span::styled(format!("{}. ", r.number), t.title),
        Span::styled(format!("{mark} "), style),
    ];
    spans.extend(md(r.title, t));
    lines.push(Line::from(spans));
    let sep = match r.kind {
        QuestionKind::Sequence => " → ",
        _ => "; ",
    };
    let joined = |items: &[&str]| -> Vec<Span<'static>> {
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(Span::styled(sep, t.dim));
            }
            out.extend(md(item, t));
        }
        out
    };
    // Values wrap under themselves, not under the label.
    let labelled = |label: &str, rest: Vec<Span<'static>>| {
        let lead = vec![Span::styled(format!("   {label:<13}"), t.title)];
        hang_spans(lead, rest, width, 16)
    };
    if !r.right {
        let yours = if r.yours.is_empty() {
            vec![Span::styled("(nothing)", t.dim)]
        } else {
            joined(&r.yours)
        };
        lines.extend(labelled("your answer", yours));
    }
    let right_label = match r.kind {
        QuestionKind::Sequence => "right order",
        QuestionKind::Multiple => "right ones",
        QuestionKind::Single => "right answer",
    };
    lines.extend(labelled(right_label, joined(&r.answer)));
    for c in &r.comments {
        lines.extend(labelled("note", md(c, t)));
    }
    if !r.right
        && let Some(h) = r.hint
    {
        lines.extend(labelled("hint", md(h, t)));
    }
}

impl Widget for QuizScreen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (title, lines) = self.page(area);
        let scroll = match self.view {
            QuizView::Question { scroll, .. } | QuizView::Results { scroll, .. } => *scroll,
        };
        Page {
            title,
            lines,
            scroll,
            theme: self.theme,
        }
        .render(area, buf);
    }
}
