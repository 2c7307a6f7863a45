//! A lesson (a Hugo chapter) as typed data: front matter, sections of render blocks, numbered
//! steps with their command, example output and check, and an inline quiz.
//!
//! Must not import the engine, the shell or the TUI: it only reads text.

use super::check::{self, Check};
use super::error::{ContentError, ErrorKind, LineIndex};
use super::frontmatter::{self, Meta};
use super::markdown::{self, Block, Inline, Item, NoticeKind};
use super::quiz::{self, Quiz};
use super::shortcodes::{self, Node, Shortcode};
use super::words;

/// A loaded lesson.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lesson {
    pub meta: Meta,
    /// Split at `##` headings (the table of contents); text before the first one forms a
    /// section titled with the lesson's title.
    pub sections: Vec<Section>,
    pub steps: Vec<Step>,
    pub quiz: Option<Quiz>,
    /// Things an author should know that did not stop loading (unknown shortcodes ...).
    pub warnings: Vec<String>,
    /// A workshop's chapters (empty for a lesson of one chapter): see `chapters.rs`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chapters: Vec<super::chapters::Chapter>,
    /// What the lesson starts from when played first (front matter `start:`).
    pub start: super::start::Start,
}

/// A `##` section of a lesson.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    pub title: String,
    pub line: usize,
    pub blocks: Vec<Block>,
}

/// A numbered step: what the learner does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// 1-based across the whole file (the site numbers steps with a CSS counter).
    pub number: usize,
    /// The caption as plain text.
    pub title: String,
    pub caption: Vec<Inline>,
    /// The fenced block after the step, before the next step or heading.
    pub command: Option<String>,
    /// The fence language: only a hint (heredocs are often fenced as yaml).
    pub command_lang: Option<String>,
    /// The first `{{< output >}}` after the step, verbatim.
    pub example_output: Option<String>,
    pub check: Option<Check>,
    pub line: usize,
}

impl Step {
    /// The separate commands in the step's command block (heredoc bodies kept with theirs).
    pub fn commands(&self) -> Vec<String> {
        self.command
            .as_deref()
            .map(words::commands)
            .unwrap_or_default()
    }
}

/// Loads a lesson from `text`; `file` names it in errors and warnings.
pub fn load(file: &str, text: &str) -> Result<Lesson, ContentError> {
    let (meta, body_start) = frontmatter::split(file, text)?;
    // Shortcodes are scanned over the whole text so that spans and lines are the file's own.
    let mut masked = text.to_string();
    if let Some(head) = masked.get(..body_start) {
        let blank: String = head
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        masked.replace_range(..body_start, &blank);
    }
    let nodes = shortcodes::parse(file, &masked)?;
    let mut builder = Builder {
        file,
        text: &masked,
        lines: LineIndex::new(&masked),
        lesson: Lesson {
            start: meta.start,
            meta,
            sections: Vec::new(),
            steps: Vec::new(),
            quiz: None,
            warnings: Vec::new(),
            chapters: Vec::new(),
        },
        containers: Vec::new(),
        open_step: None,
        pending: Pending::default(),
    };
    builder.nodes(&nodes)?;
    builder.flush()?;
    let mut lesson = builder.lesson;
    lesson.start = inferred_start(&lesson);
    Ok(lesson)
}

impl Lesson {
    /// Whether a step's command runs the words `run` in a row (`["kubectl"]`,
    /// `["kind", "create", "cluster"]`), anywhere in a pipeline or a list.
    pub fn runs(&self, run: &[&str]) -> bool {
        self.steps.iter().any(|step| {
            step.commands().iter().any(|c| {
                let words: Vec<&str> = c
                    .split(|ch: char| ch.is_whitespace() || matches!(ch, '|' | ';' | '&'))
                    .filter(|w| !w.is_empty())
                    .collect();
                words.windows(run.len()).any(|w| w == run)
            })
        })
    }
}

/// The start a lesson declares, or for one that declares none (an unmodified Hugo chapter)
/// and whose steps make the cluster with `kind create cluster`: no cluster at all, as the
/// workshop's chapter 7 assumes.
fn inferred_start(lesson: &Lesson) -> super::start::Start {
    if lesson.meta.start_given {
        return lesson.meta.start;
    }
    let makes_cluster = lesson.runs(&["kind", "create", "cluster"]);
    if makes_cluster {
        super::start::Start::None
    } else {
        lesson.meta.start
    }
}

/// Markdown text waiting to be parsed: consecutive text runs and inline shortcodes.
#[derive(Default)]
struct Pending {
    text: String,
    first_line: usize,
}

struct Builder<'a> {
    file: &'a str,
    text: &'a str,
    lines: LineIndex,
    lesson: Lesson,
    /// Open notices / unknown shortcodes collecting blocks; empty means "the current section".
    containers: Vec<Vec<Block>>,
    /// Index of the step that may still receive its command, output or check.
    open_step: Option<usize>,
    pending: Pending,
}

impl Builder<'_> {
    fn warn(&mut self, line: usize, what: String) {
        self.lesson
            .warnings
            .push(format!("{}:{line}: {what}", self.file));
    }

    fn push_text(&mut self, text: &str, at: usize) {
        if self.pending.text.is_empty() {
            self.pending.first_line = self.lines.line(at);
        }
        self.pending.text.push_str(text);
    }

    fn nodes(&mut self, nodes: &[Node]) -> Result<(), ContentError> {
        for node in nodes {
            match node {
                Node::Text { start, end } => {
                    let text = self.text.get(*start..*end).unwrap_or("");
                    self.push_text(text, *start);
                }
                Node::Literal { text, at } => self.push_text(text, *at),
                Node::Code { code, inner } => self.shortcode(code, inner.as_ref())?,
            }
        }
        Ok(())
    }

    fn shortcode(
        &mut self,
        code: &Shortcode,
        inner: Option<&shortcodes::Inner>,
    ) -> Result<(), ContentError> {
        let raw = inner.map_or("", |i| self.text.get(i.start..i.end).unwrap_or(""));
        match code.name.as_str() {
            "ref" | "relref" => {
                self.warn(
                    code.line,
                    format!("`{}` shortcode shown as its target", code.name),
                );
                let target = code.positional(0).unwrap_or("").to_string();
                self.push_text(&target, code.start);
                return Ok(());
            }
            _ => self.flush()?,
        }
        match code.name.as_str() {
            "step" => self.step(code, raw),
            "output" => {
                let body = raw
                    .strip_prefix("\r\n")
                    .or_else(|| raw.strip_prefix('\n'))
                    .unwrap_or(raw);
                let body = body.strip_suffix('\n').unwrap_or(body);
                let body = body.strip_suffix('\r').unwrap_or(body).to_string();
                if let Some(step) = self.open_step.and_then(|i| self.lesson.steps.get_mut(i)) {
                    step.example_output.get_or_insert_with(|| body.clone());
                }
                self.push_block(Block::Output(body));
            }
            "notice" => {
                let name = code.positional(0).unwrap_or("note");
                let kind = NoticeKind::from_name(name).unwrap_or_else(|| {
                    self.warn(
                        code.line,
                        format!("notice variant `{name}` shown as a note"),
                    );
                    NoticeKind::Note
                });
                self.containers.push(Vec::new());
                if let Some(inner) = inner {
                    self.nodes(&inner.nodes)?;
                }
                self.flush()?;
                let blocks = self.containers.pop().unwrap_or_default();
                self.push_block(Block::Notice { kind, blocks });
            }
            "quizdown" => {
                let first_line = inner.map_or(code.line, |i| self.lines.line(i.start));
                let parsed = quiz::parse(self.file, raw, first_line)?;
                match &mut self.lesson.quiz {
                    Some(quiz) => quiz.questions.extend(parsed.questions),
                    None => self.lesson.quiz = Some(parsed),
                }
                self.push_block(Block::Quiz);
            }
            name => {
                let how = if inner.is_some() {
                    "its inner text shown plainly"
                } else {
                    "skipped"
                };
                self.warn(code.line, format!("unknown shortcode `{name}`: {how}"));
                if name == "mermaid" {
                    self.push_block(Block::Plain(raw.trim_matches('\n').to_string()));
                } else if let Some(inner) = inner {
                    let label = code
                        .positional(0)
                        .or(code.named("title"))
                        .or(code.named("name"));
                    if let Some(label) = label {
                        self.push_block(Block::Paragraph(vec![Inline::Strong(label.to_string())]));
                    }
                    self.nodes(&inner.nodes)?;
                    self.flush()?;
                }
            }
        }
        Ok(())
    }

    fn step(&mut self, code: &Shortcode, raw: &str) {
        let caption = markdown::inlines(raw);
        let index = self.lesson.steps.len();
        self.lesson.steps.push(Step {
            number: index + 1,
            title: markdown::plain(&caption).trim().to_string(),
            caption,
            command: None,
            command_lang: None,
            example_output: None,
            check: None,
            line: code.line,
        });
        self.open_step = Some(index);
        self.push_block(Block::Step(index));
    }

    fn push_block(&mut self, block: Block) {
        if let Some(container) = self.containers.last_mut() {
            container.push(block);
            return;
        }
        if self.lesson.sections.is_empty() {
            self.lesson.sections.push(Section {
                title: self.lesson.meta.title.clone(),
                line: 1,
                blocks: Vec::new(),
            });
        }
        if let Some(section) = self.lesson.sections.last_mut() {
            section.blocks.push(block);
        }
    }

    /// Parses the pending markdown and files its blocks.
    fn flush(&mut self) -> Result<(), ContentError> {
        let pending = std::mem::take(&mut self.pending);
        if pending.text.trim().is_empty() {
            return Ok(());
        }
        for item in markdown::items(&pending.text, pending.first_line) {
            match item {
                Item::Html { html, line } => self.html(&html, line)?,
                Item::Block { block, line } => self.block(block, line),
            }
        }
        Ok(())
    }

    fn block(&mut self, block: Block, line: usize) {
        match &block {
            Block::Heading { level, text } => {
                self.open_step = None;
                if *level == 2 && self.containers.is_empty() {
                    self.lesson.sections.push(Section {
                        title: text.clone(),
                        line,
                        blocks: Vec::new(),
                    });
                    return;
                }
            }
            Block::Code { lang, text } => {
                if let Some(step) = self.open_step.and_then(|i| self.lesson.steps.get_mut(i))
                    && step.command.is_none()
                {
                    step.command = Some(text.trim_end_matches('\n').to_string());
                    step.command_lang = lang.clone();
                }
            }
            _ => {}
        }
        self.push_block(block);
    }

    fn html(&mut self, html: &str, line: usize) -> Result<(), ContentError> {
        let found = check::from_comment(html, line).map_err(|e| {
            ContentError::at(
                self.file,
                line + e.line_offset,
                1,
                ErrorKind::BadCheck { reason: e.reason },
            )
        })?;
        let Some(found) = found else {
            if let Some(block) = markdown_html_block(html) {
                self.push_block(block);
            }
            return Ok(());
        };
        let misplaced = |reason: &str| {
            ContentError::at(
                self.file,
                line,
                1,
                ErrorKind::MisplacedCheck {
                    reason: reason.to_string(),
                },
            )
        };
        let step = self
            .open_step
            .and_then(|i| self.lesson.steps.get_mut(i))
            .ok_or_else(|| misplaced("expected it after a step's command block"))?;
        if step.check.is_some() {
            return Err(misplaced(
                "expected one check per step; this step already has one",
            ));
        }
        step.check = Some(found);
        Ok(())
    }
}

fn markdown_html_block(html: &str) -> Option<Block> {
    let trimmed = html.trim();
    if trimmed.is_empty() || trimmed.starts_with("<!--") {
        None
    } else {
        Some(Block::Plain(trimmed.to_string()))
    }
}
