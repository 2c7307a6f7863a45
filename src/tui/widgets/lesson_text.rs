//! The lesson laid out as lines for a given width: a table of contents, section headings,
//! wrapped paragraphs and lists, boxed notices, highlighted code, example outputs (wide ones
//! wrapped with `↪`, never cut) and marked steps. Pure, so the app can ask where the current step sits when it scrolls.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::highlight;
use crate::content::{Block, Inline, Lesson, NoticeKind, Section};
use crate::tui::theme::Theme;
use crate::tui::view::StepMark;

/// The lesson as rows, and the row where each step and section starts.
pub struct LaidOut {
    pub lines: Vec<Line<'static>>,
    pub step_rows: Vec<usize>,
    pub section_rows: Vec<usize>,
    /// A workshop's chapters: (first step, row of the chapter's banner), so the pane
    /// following a chapter's first step shows where the chapter begins.
    pub chapter_rows: Vec<(usize, usize)>,
}

pub fn lay_out(lesson: &Lesson, marks: &[StepMark], width: usize, theme: &Theme) -> LaidOut {
    let width = width.max(10);
    let mut out = Writer {
        lines: Vec::new(),
        step_rows: vec![0; lesson.steps.len()],
        section_rows: Vec::new(),
        width,
        theme,
        lesson,
        marks,
    };
    out.push(Line::styled(lesson.meta.title.clone(), theme.heading));
    // A workshop lists its chapters instead of every section, and marks where each begins.
    let workshop = lesson.is_workshop();
    let mut chapter_rows = Vec::new();
    if workshop {
        out.lines
            .extend(super::chapters::contents(lesson, marks, width, theme));
    } else {
        out.push(Line::styled("Contents", theme.title));
        for (i, section) in lesson.sections.iter().enumerate() {
            let mark = section_mark(section, marks);
            out.push(Line::from(vec![
                Span::styled(format!("  {mark} "), theme.dim),
                Span::styled(format!("{}. {}", i + 1, section.title), theme.text),
            ]));
        }
    }
    for (i, section) in lesson.sections.iter().enumerate() {
        let mut number = i + 1;
        if workshop {
            let chapter = lesson.chapters.iter().position(|c| c.sections.contains(&i));
            if let Some((c, ch)) = chapter.and_then(|c| Some((c, lesson.chapters.get(c)?))) {
                number = i - ch.sections.start + 1;
                if i == ch.sections.start {
                    out.blank();
                    chapter_rows.push((ch.steps.start, out.lines.len()));
                    let banner =
                        super::chapters::banner(ch, c, lesson.chapters.len(), width, theme);
                    out.lines.extend(banner);
                }
            }
        }
        out.blank();
        out.section_rows.push(out.lines.len());
        out.wrap(
            &[(format!("{number}. {}", section.title), theme.heading)],
            "",
            "",
        );
        out.push(Line::styled(
            "─".repeat(section.title.chars().count().min(width) + 3),
            theme.heading,
        ));
        out.blocks(&section.blocks, "");
    }
    LaidOut {
        lines: out.lines,
        step_rows: out.step_rows,
        section_rows: out.section_rows,
        chapter_rows,
    }
}

/// `[x]` when every step of the section is done, `[>]` when it holds the current step.
fn section_mark(section: &Section, marks: &[StepMark]) -> &'static str {
    let steps: Vec<StepMark> = section
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Step(i) => marks.get(*i).copied(),
            _ => None,
        })
        .collect();
    if steps.contains(&StepMark::Current) {
        StepMark::Current.symbol()
    } else if !steps.is_empty() && steps.iter().all(|m| *m == StepMark::Done) {
        StepMark::Done.symbol()
    } else {
        "   "
    }
}

struct Writer<'a> {
    lines: Vec<Line<'static>>,
    step_rows: Vec<usize>,
    section_rows: Vec<usize>,
    width: usize,
    theme: &'a Theme,
    lesson: &'a Lesson,
    marks: &'a [StepMark],
}

impl Writer<'_> {
    fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| l.width() > 0) {
            self.lines.push(Line::default());
        }
    }

    fn blocks(&mut self, blocks: &[Block], indent: &str) {
        for block in blocks {
            self.block(block, indent);
        }
    }

    fn block(&mut self, block: &Block, indent: &str) {
        let t = self.theme;
        match block {
            Block::Heading { text, .. } => {
                self.blank();
                self.wrap(&[(text.clone(), t.heading)], indent, indent);
            }
            Block::Paragraph(inlines) => {
                self.blank();
                self.wrap(&runs(inlines, t), indent, indent);
            }
            Block::List { start, items } => {
                self.blank();
                for (n, item) in items.iter().enumerate() {
                    let bullet = match start {
                        Some(s) => format!("{}. ", s + n as u64),
                        None => "• ".to_string(),
                    };
                    let hang = format!("{indent}{}", " ".repeat(bullet.chars().count()));
                    let first = format!("{indent}{bullet}");
                    self.list_item(item, &first, &hang);
                }
            }
            Block::Code { lang, text } => {
                self.blank();
                let prefix = format!("{indent}│ ");
                for spans in highlight::code(text, lang.as_deref(), t) {
                    self.wrap(&spans, &prefix, &prefix);
                }
            }
            Block::Quote(inner) => self.blocks(inner, &format!("{indent}> ")),
            Block::Notice { kind, blocks } => self.notice(*kind, blocks, indent),
            Block::Output(text) => {
                self.blank();
                // A wide example wraps, never cut: the column a step is about (NODE in
                // `get pods -o wide`) must stay readable. Continuation rows start with `↪`.
                let prefix = format!("{indent}┆ ");
                let more = format!("{indent}┆↪");
                let room = self.width.saturating_sub(prefix.chars().count()).max(1);
                for line in text.lines() {
                    for (i, row) in super::wrap::wrap_words(line, room, "")
                        .into_iter()
                        .enumerate()
                    {
                        let lead = if i == 0 { &prefix } else { &more };
                        self.push(Line::from(vec![
                            Span::styled(lead.clone(), t.dim),
                            Span::styled(row, t.dim),
                        ]));
                    }
                }
            }
            Block::Step(i) => self.step(*i, indent),
            Block::Quiz => {
                self.blank();
                self.wrap(
                    &[("Quiz: press F8 to take it.".to_string(), t.info)],
                    indent,
                    indent,
                );
            }
            Block::Plain(text) => {
                self.blank();
                for line in text.lines() {
                    self.wrap(&[(line.to_string(), t.text)], indent, indent);
                }
            }
            Block::Rule => {
                self.blank();
                let n = self.width.saturating_sub(indent.chars().count());
                self.push(Line::styled(format!("{indent}{}", "─".repeat(n)), t.dim));
            }
        }
    }

    fn list_item(&mut self, item: &[Block], first: &str, hang: &str) {
        let mut prefix = first.to_string();
        for block in item {
            match block {
                Block::Paragraph(inlines) => {
                    let r = runs(inlines, self.theme);
                    self.wrap(&r, &prefix, hang);
                }
                other => {
                    if prefix != hang {
                        self.push(Line::raw(prefix.clone()));
                    }
                    self.block(other, hang);
                }
            }
            prefix = hang.to_string();
        }
    }

    fn notice(&mut self, kind: NoticeKind, blocks: &[Block], indent: &str) {
        let t = self.theme;
        let label = match kind {
            NoticeKind::Note => "Note",
            NoticeKind::Info => "Info",
            NoticeKind::Tip => "Tip",
            NoticeKind::Warning => "Warning",
        };
        let style = if kind == NoticeKind::Warning {
            t.warning
        } else {
            t.info
        };
        self.blank();
        let inner = self.width.saturating_sub(indent.chars().count() + 4);
        let top = format!(
            "{indent}┌─ {label} {}",
            "─".repeat(inner.saturating_sub(label.len()))
        );
        self.push(Line::styled(top, style));
        let start = self.lines.len();
        self.blocks(blocks, &format!("{indent}│ "));
        // Blank rows inside the box keep its left edge.
        for line in self.lines.iter_mut().skip(start) {
            if line.width() == 0 {
                *line = Line::raw(format!("{indent}│"));
            }
        }
        self.push(Line::styled(
            format!("{indent}└{}", "─".repeat(inner + 2)),
            style,
        ));
    }

    fn step(&mut self, index: usize, indent: &str) {
        let t = self.theme;
        let Some(step) = self.lesson.steps.get(index) else {
            return;
        };
        let mark = self.marks.get(index).copied().unwrap_or(StepMark::Pending);
        let style = match mark {
            StepMark::Done => t.step_done,
            StepMark::Current => t.step_current,
            StepMark::Pending => t.step_pending,
        };
        self.blank();
        if let Some(row) = self.step_rows.get_mut(index) {
            *row = self.lines.len();
        }
        let head = format!("{indent}{} Step {}: ", mark.symbol(), step.number);
        let hang = " ".repeat(head.chars().count());
        let mut r = vec![(head, style)];
        r.extend(runs(&step.caption, t).into_iter().map(|(s, st)| {
            let st = if mark == StepMark::Current {
                st.patch(t.step_current)
            } else {
                st
            };
            (s, st)
        }));
        self.wrap(&r, "", &hang);
    }

    /// Word-wraps styled runs into rows of `self.width`, starting rows with the prefixes.
    fn wrap(&mut self, runs: &[(String, Style)], first: &str, rest: &str) {
        let dim = self.theme.dim;
        let mut rows: Vec<Line<'static>> = Vec::new();
        let mut current: Vec<Span<'static>> = vec![Span::styled(first.to_string(), dim)];
        let mut used = first.chars().count();
        let rest_width = rest.chars().count();
        for (text, style) in runs {
            for piece in split_keep_spaces(text) {
                let n = piece.chars().count();
                if used + n > self.width && used > rest_width && !piece.trim().is_empty() {
                    rows.push(Line::from(std::mem::take(&mut current)));
                    current.push(Span::styled(rest.to_string(), dim));
                    used = rest_width;
                }
                if used == rest_width && !rows.is_empty() && piece.trim().is_empty() {
                    continue;
                }
                // A word longer than a whole row is cut into row-sized pieces.
                let mut piece = piece.to_string();
                while used + piece.chars().count() > self.width {
                    let room = self.width.saturating_sub(used).max(1);
                    let head: String = piece.chars().take(room).collect();
                    piece = piece.chars().skip(room).collect();
                    current.push(Span::styled(head, *style));
                    rows.push(Line::from(std::mem::take(&mut current)));
                    current.push(Span::styled(rest.to_string(), dim));
                    used = rest_width;
                }
                used += piece.chars().count();
                current.push(Span::styled(piece, *style));
            }
        }
        rows.push(Line::from(current));
        self.lines.extend(rows);
    }
}

/// Inline runs with their styles.
pub(super) fn runs(inlines: &[Inline], t: &Theme) -> Vec<(String, Style)> {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(s) => (s.clone(), t.text),
            Inline::Code(s) => (s.clone(), t.code),
            Inline::Strong(s) => (s.clone(), t.title),
            Inline::Emphasis(s) => (s.clone(), t.text.add_modifier(ITALIC)),
            Inline::Link { text, .. } => (text.clone(), t.text.add_modifier(UNDERLINED)),
        })
        .map(|(s, st)| (s.replace('\n', " "), st))
        .collect()
}

const ITALIC: ratatui::style::Modifier = ratatui::style::Modifier::ITALIC;
const UNDERLINED: ratatui::style::Modifier = ratatui::style::Modifier::UNDERLINED;

/// Words with the spaces after them as separate pieces.
fn split_keep_spaces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|s| s != space) {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Cuts a line to `room` characters, marking the cut with `…`.
pub fn clip(line: &str, room: usize) -> String {
    if line.chars().count() <= room {
        line.to_string()
    } else {
        let mut s: String = line.chars().take(room.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}
