//! Markdown between shortcodes turned into render blocks (pulldown-cmark, `into_offset_iter`):
//! the second of the loader's two passes. The TUI renders [`Block`] and [`Inline`] values.
//!
//! Must not import shortcodes, lessons or quizzes: it only knows markdown.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use std::ops::Range;

/// A block of lesson content, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Vec<Inline>),
    /// `start` is the first number of an ordered list, `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    Quote(Vec<Block>),
    Notice {
        kind: NoticeKind,
        blocks: Vec<Block>,
    },
    /// An example output, verbatim (a `...` in it means "left out").
    Output(String),
    /// Where step `lesson.steps[index]` sits in the flow.
    Step(usize),
    /// Where the lesson's inline quiz sits in the flow.
    Quiz,
    /// Text shown as written (tables, diagrams, inner text of unknown shortcodes).
    Plain(String),
    Rule,
}

/// A run of inline text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
    Link { text: String, url: String },
}

/// The callout variants of Hugo's `notice` shortcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum NoticeKind {
    Note,
    Info,
    Tip,
    Warning,
}

impl NoticeKind {
    /// Reads a notice's first argument; `None` for a variant the theme does not define.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "note" => Some(NoticeKind::Note),
            "info" => Some(NoticeKind::Info),
            "tip" => Some(NoticeKind::Tip),
            "warning" => Some(NoticeKind::Warning),
            _ => None,
        }
    }
}

/// A top-level markdown element with the line it starts on; HTML blocks are kept raw because a
/// lesson's step checks live in HTML comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Block { block: Block, line: usize },
    Html { html: String, line: usize },
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Parser events with byte ranges, for callers that need source positions (the quiz parser).
pub fn events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .collect()
}

/// Parses `text`, whose first line is line `first_line` of its file, into top-level items.
pub fn items(text: &str, first_line: usize) -> Vec<Item> {
    let mut reader = Reader {
        text,
        events: events(text),
        pos: 0,
    };
    let mut out = Vec::new();
    while let Some((event, range)) = reader.next() {
        let line = first_line + text.get(..range.start).unwrap_or("").matches('\n').count();
        match event {
            Event::Start(Tag::HtmlBlock) => out.push(Item::Html {
                html: reader.raw_until_end(),
                line,
            }),
            Event::Start(tag) => {
                if let Some(block) = reader.block(tag, range) {
                    out.push(Item::Block { block, line });
                }
            }
            Event::Rule => out.push(Item::Block {
                block: Block::Rule,
                line,
            }),
            Event::Html(html) => out.push(Item::Html {
                html: html.to_string(),
                line,
            }),
            _ => {}
        }
    }
    out
}

/// Parses markdown into blocks, dropping HTML comments.
pub fn blocks(text: &str) -> Vec<Block> {
    items(text, 1)
        .into_iter()
        .filter_map(|item| match item {
            Item::Block { block, .. } => Some(block),
            Item::Html { html, .. } => html_block(&html),
        })
        .collect()
}

/// Parses a one-paragraph markdown snippet (a step caption, an answer) into inline runs.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for block in blocks(text) {
        if !out.is_empty() {
            out.push(Inline::Text(" ".to_string()));
        }
        match block {
            Block::Paragraph(runs) => out.extend(runs),
            Block::Heading { text, .. } | Block::Plain(text) => out.push(Inline::Text(text)),
            Block::Code { text, .. } => out.push(Inline::Code(text.trim_end().to_string())),
            other => out.push(Inline::Text(plain_blocks(&[other]))),
        }
    }
    merge_text(out)
}

/// The text of inline runs without markup.
pub fn plain(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Code(t) | Inline::Strong(t) | Inline::Emphasis(t) => {
                t.as_str()
            }
            Inline::Link { text, .. } => text.as_str(),
        })
        .collect()
}

/// The text of blocks without markup, one line per block.
pub fn plain_blocks(blocks: &[Block]) -> String {
    let mut lines = Vec::new();
    for block in blocks {
        match block {
            Block::Heading { text, .. } | Block::Plain(text) | Block::Output(text) => {
                lines.push(text.clone())
            }
            Block::Code { text, .. } => lines.push(text.trim_end().to_string()),
            Block::Paragraph(runs) => lines.push(plain(runs)),
            Block::List { items, .. } => lines.extend(items.iter().map(|i| plain_blocks(i))),
            Block::Quote(inner) | Block::Notice { blocks: inner, .. } => {
                lines.push(plain_blocks(inner))
            }
            Block::Step(_) | Block::Quiz | Block::Rule => {}
        }
    }
    lines.join("\n")
}

fn html_block(html: &str) -> Option<Block> {
    let trimmed = html.trim();
    if trimmed.is_empty() || (trimmed.starts_with("<!--") && trimmed.ends_with("-->")) {
        None
    } else {
        Some(Block::Plain(trimmed.to_string()))
    }
}

fn merge_text(runs: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for run in runs {
        match (out.last_mut(), run) {
            (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
            (_, run) => out.push(run),
        }
    }
    out
}

struct Reader<'a> {
    text: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let item = self.events.get(self.pos).cloned();
        self.pos += 1;
        item
    }

    fn peek_is_end(&self) -> bool {
        matches!(self.events.get(self.pos), Some((Event::End(_), _)) | None)
    }

    /// Reads one block whose `Start(tag)` was just consumed, through its `End`.
    fn block(&mut self, tag: Tag<'a>, range: Range<usize>) -> Option<Block> {
        match tag {
            Tag::Paragraph => Some(Block::Paragraph(self.inlines_until_end())),
            Tag::Heading { level, .. } => Some(Block::Heading {
                level: level as u8,
                text: plain(&self.inlines_until_end()),
            }),
            Tag::BlockQuote(_) => Some(Block::Quote(self.blocks_until_end())),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                Some(Block::Code {
                    lang,
                    text: self.raw_until_end(),
                })
            }
            Tag::HtmlBlock => html_block(&self.raw_until_end()),
            Tag::List(start) => {
                let mut items = Vec::new();
                while let Some((event, _)) = self.next() {
                    match event {
                        Event::Start(Tag::Item) => items.push(self.item()),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                Some(Block::List { start, items })
            }
            _ => {
                self.skip_until_end();
                let source = self.text.get(range).unwrap_or("").trim_end();
                Some(Block::Plain(source.to_string()))
            }
        }
    }

    /// Reads a list item: nested blocks, or the bare inline text of a tight list.
    fn item(&mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut runs = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::End(_) => break,
                Event::Start(tag) if is_block(&tag) => {
                    if !runs.is_empty() {
                        blocks.push(Block::Paragraph(merge_text(std::mem::take(&mut runs))));
                    }
                    blocks.extend(self.block(tag, range));
                }
                Event::TaskListMarker(done) => {
                    runs.push(Inline::Text(if done { "[x] " } else { "[ ] " }.to_string()))
                }
                other => self.inline(other, &mut runs),
            }
        }
        if !runs.is_empty() {
            blocks.push(Block::Paragraph(merge_text(runs)));
        }
        blocks
    }

    fn blocks_until_end(&mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::End(_) => break,
                Event::Start(tag) => blocks.extend(self.block(tag, range)),
                Event::Rule => blocks.push(Block::Rule),
                _ => {}
            }
        }
        blocks
    }

    fn inlines_until_end(&mut self) -> Vec<Inline> {
        let mut runs = Vec::new();
        while let Some((event, _)) = self.next() {
            if let Event::End(_) = event {
                break;
            }
            self.inline(event, &mut runs);
        }
        merge_text(runs)
    }

    fn inline(&mut self, event: Event<'a>, runs: &mut Vec<Inline>) {
        match event {
            Event::Text(t) | Event::InlineHtml(t) | Event::Html(t) => {
                runs.push(Inline::Text(t.to_string()))
            }
            Event::Code(c) => runs.push(Inline::Code(c.to_string())),
            Event::SoftBreak => runs.push(Inline::Text(" ".to_string())),
            Event::HardBreak => runs.push(Inline::Text("\n".to_string())),
            Event::Start(Tag::Strong) => runs.push(Inline::Strong(self.text_until_end())),
            Event::Start(Tag::Emphasis) => runs.push(Inline::Emphasis(self.text_until_end())),
            Event::Start(Tag::Link { dest_url, .. }) => runs.push(Inline::Link {
                text: self.text_until_end(),
                url: dest_url.to_string(),
            }),
            Event::Start(_) => runs.push(Inline::Text(self.text_until_end())),
            Event::FootnoteReference(name) => runs.push(Inline::Text(format!("[^{name}]"))),
            _ => {}
        }
    }

    /// Plain text of everything up to the matching `End`.
    fn text_until_end(&mut self) -> String {
        let mut depth = 0usize;
        let mut out = String::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak => out.push(' '),
                _ => {}
            }
        }
        out
    }

    /// Raw text events up to the matching `End` (code blocks, HTML blocks).
    fn raw_until_end(&mut self) -> String {
        let mut out = String::new();
        while !self.peek_is_end() {
            if let Some((Event::Text(t) | Event::Html(t), _)) = self.next() {
                out.push_str(&t);
            }
        }
        self.next();
        out
    }

    fn skip_until_end(&mut self) {
        let mut depth = 0usize;
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return,
                Event::End(_) => depth -= 1,
                _ => {}
            }
        }
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_carry_lines_and_html() {
        let text = "# T\n\npara **bold** `c` [l](u)\n\n```bash\nls\n```\n<!-- check: x -->\n";
        let items = items(text, 10);
        assert_eq!(items.len(), 4);
        assert!(
            matches!(&items[0], Item::Block { line: 10, block: Block::Heading { level: 1, text } } if text == "T")
        );
        let Item::Block {
            block: Block::Paragraph(runs),
            line: 12,
        } = &items[1]
        else {
            panic!("{items:?}")
        };
        assert_eq!(
            runs,
            &vec![
                Inline::Text("para ".into()),
                Inline::Strong("bold".into()),
                Inline::Text(" ".into()),
                Inline::Code("c".into()),
                Inline::Text(" ".into()),
                Inline::Link {
                    text: "l".into(),
                    url: "u".into()
                }
            ]
        );
        assert!(
            matches!(&items[2], Item::Block { line: 14, block: Block::Code { lang: Some(l), text } } if l == "bash" && text == "ls\n")
        );
        assert!(matches!(&items[3], Item::Html { line: 17, html } if html.contains("check: x")));
    }

    #[test]
    fn tight_and_loose_lists_hold_paragraphs() {
        let blocks = blocks("- a\n- b\n\n1. x\n\n2. y\n");
        assert_eq!(blocks.len(), 2);
        let Block::List { start: None, items } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            items[1],
            vec![Block::Paragraph(vec![Inline::Text("b".into())])]
        );
        assert!(matches!(&blocks[1], Block::List { start: Some(1), items } if items.len() == 2));
    }

    #[test]
    fn inlines_of_a_caption() {
        let runs = inlines("Create the *dev-system* namespace");
        assert_eq!(plain(&runs), "Create the dev-system namespace");
    }
}
