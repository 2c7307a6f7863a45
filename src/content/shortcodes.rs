//! Hugo shortcodes (`{{< name args >}}` and `{{% name args %}}`) found in raw text, with spans:
//! the first of the loader's two passes (the markdown between them is parsed afterwards).
//!
//! Must not import the markdown parser or anything outside `content::error`.

use super::error::{ContentError, ErrorKind, LineIndex};

/// The delimiters a shortcode was written with; Hugo accepts both for every shortcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// `{{< name >}}`: the inner text is not markdown-rendered by Hugo.
    Angle,
    /// `{{% name %}}`: the inner text is markdown-rendered by Hugo.
    Percent,
}

/// One argument of a shortcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Positional(String),
    Named(String, String),
}

/// An opening (or self-contained) shortcode tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub name: String,
    pub args: Vec<Arg>,
    pub spelling: Spelling,
    /// Byte span of the whole tag in the source.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub col: usize,
}

impl Shortcode {
    /// The first positional argument, if any.
    pub fn positional(&self, index: usize) -> Option<&str> {
        self.args
            .iter()
            .filter_map(|a| match a {
                Arg::Positional(v) => Some(v.as_str()),
                Arg::Named(..) => None,
            })
            .nth(index)
    }

    /// The value of a `key="value"` argument.
    pub fn named(&self, key: &str) -> Option<&str> {
        self.args.iter().find_map(|a| match a {
            Arg::Named(k, v) if k == key => Some(v.as_str()),
            _ => None,
        })
    }
}

/// The shortcode structure of a text: plain runs and shortcodes with their inner nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Source bytes `start..end`, to be read as markdown.
    Text { start: usize, end: usize },
    /// Text produced by Hugo's comment escape `{{</* x */>}}`, shown as written inside.
    Literal { text: String, at: usize },
    /// A shortcode; `inner` is `Some` when a matching `{{< /name >}}` closes it.
    Code {
        code: Shortcode,
        inner: Option<Inner>,
    },
}

/// What sits between a shortcode and its closing tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inner {
    /// Byte span of the raw inner text.
    pub start: usize,
    pub end: usize,
    pub nodes: Vec<Node>,
}

/// Shortcodes that always take a body: a missing closing tag is an error, not a standalone use.
const BLOCK_SHORTCODES: &[&str] = &["step", "output", "notice", "quizdown"];

enum Piece {
    Text(usize, usize),
    Literal(String, usize),
    Open(Shortcode),
    Close {
        name: String,
        start: usize,
        line: usize,
        col: usize,
    },
}

/// Scans `text` for shortcodes and pairs openings with closings.
pub fn parse(file: &str, text: &str) -> Result<Vec<Node>, ContentError> {
    let index = LineIndex::new(text);
    let pieces = scan(file, text, &index)?;
    build(file, pieces)
}

fn scan(file: &str, text: &str, index: &LineIndex) -> Result<Vec<Piece>, ContentError> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    let mut run_start = 0;
    while let Some(found) = find_opening(text, pos) {
        let (spelling, open_at) = found;
        if open_at > run_start {
            pieces.push(Piece::Text(run_start, open_at));
        }
        let (line, col) = index.line_col(open_at);
        let opening = if spelling == Spelling::Angle {
            "{{<"
        } else {
            "{{%"
        };
        let unterminated = || {
            ContentError::at(
                file,
                line,
                col,
                ErrorKind::UnterminatedShortcode {
                    opening: opening.to_string(),
                },
            )
        };
        let closer = if spelling == Spelling::Angle {
            ">}}"
        } else {
            "%}}"
        };
        let body_start = open_at + 3;
        let rest = text.get(body_start..).unwrap_or("");
        let trimmed = rest.trim_start();
        if trimmed.starts_with("/*") {
            let comment_end = format!("*/{closer}");
            let rel = rest.find(&comment_end).ok_or_else(unterminated)?;
            let inner = rest.get(..rel).unwrap_or("").trim_start();
            let inner = inner.strip_prefix("/*").unwrap_or(inner);
            pieces.push(Piece::Literal(format!("{opening}{inner}{closer}"), open_at));
            pos = body_start + rel + comment_end.len();
            run_start = pos;
            continue;
        }
        let body_len = tag_body_len(rest, closer).ok_or_else(unterminated)?;
        let body = rest.get(..body_len).unwrap_or("");
        let end = body_start + body_len + closer.len();
        let body = body.trim();
        if let Some(name) = body.strip_prefix('/') {
            pieces.push(Piece::Close {
                name: name.trim().to_string(),
                start: open_at,
                line,
                col,
            });
        } else {
            let body = body.strip_suffix('/').unwrap_or(body).trim_end();
            let (name, args) = split_name(body);
            if name.is_empty() {
                return Err(unterminated());
            }
            pieces.push(Piece::Open(Shortcode {
                name: name.to_string(),
                args: parse_args(args).ok_or_else(unterminated)?,
                spelling,
                start: open_at,
                end,
                line,
                col,
            }));
        }
        pos = end;
        run_start = end;
    }
    if run_start < text.len() {
        pieces.push(Piece::Text(run_start, text.len()));
    }
    Ok(pieces)
}

fn find_opening(text: &str, from: usize) -> Option<(Spelling, usize)> {
    let rest = text.get(from..)?;
    let at = rest.find("{{")?;
    let mut search = at;
    loop {
        let tail = rest.get(search..)?;
        if tail.starts_with("{{<") {
            return Some((Spelling::Angle, from + search));
        }
        if tail.starts_with("{{%") {
            return Some((Spelling::Percent, from + search));
        }
        let next = tail.get(2..)?.find("{{")?;
        search += 2 + next;
    }
}

/// Length of a tag's body up to its closer, skipping quoted arguments; `None` if it never closes
/// (or another shortcode opens first, which means this one was left open).
fn tag_body_len(rest: &str, closer: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => {
                let tail = rest.get(i..).unwrap_or("");
                if tail.starts_with(closer) {
                    return Some(i);
                }
                if tail.starts_with("{{<") || tail.starts_with("{{%") {
                    return None;
                }
                if c == '"' || c == '`' {
                    quote = Some(c);
                }
            }
        }
    }
    None
}

fn split_name(body: &str) -> (&str, &str) {
    match body.find(char::is_whitespace) {
        Some(i) => (body.get(..i).unwrap_or(""), body.get(i..).unwrap_or("")),
        None => (body, ""),
    }
}

/// Splits `a "b c" key="v" key2=v2` into arguments; `None` on an unterminated quote.
fn parse_args(text: &str) -> Option<Vec<Arg>> {
    let mut args = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Some(args);
        }
        let first = read_word(&mut chars)?;
        if chars.peek() == Some(&'=') && !first.quoted {
            chars.next();
            let value = read_word(&mut chars)?;
            args.push(Arg::Named(first.text, value.text));
        } else {
            args.push(Arg::Positional(first.text));
        }
    }
}

struct Word {
    text: String,
    quoted: bool,
}

fn read_word(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<Word> {
    if let Some(q) = chars.next_if(|c| *c == '"' || *c == '`') {
        let mut text = String::new();
        loop {
            match chars.next()? {
                '\\' if q == '"' => text.push(chars.next()?),
                c if c == q => return Some(Word { text, quoted: true }),
                c => text.push(c),
            }
        }
    }
    let mut text = String::new();
    while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
        text.push(c);
    }
    Some(Word {
        text,
        quoted: false,
    })
}

struct Frame {
    code: Shortcode,
    nodes: Vec<Node>,
}

fn build(file: &str, pieces: Vec<Piece>) -> Result<Vec<Node>, ContentError> {
    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(start, end) => top(&mut root, &mut stack).push(Node::Text { start, end }),
            Piece::Literal(text, at) => top(&mut root, &mut stack).push(Node::Literal { text, at }),
            Piece::Open(code) => stack.push(Frame {
                code,
                nodes: Vec::new(),
            }),
            Piece::Close {
                name,
                start,
                line,
                col,
            } => {
                let Some(depth) = stack.iter().rposition(|f| f.code.name == name) else {
                    return Err(ContentError::at(
                        file,
                        line,
                        col,
                        ErrorKind::UnexpectedClosing { name },
                    ));
                };
                while stack.len() > depth + 1 {
                    close_standalone(file, &mut root, &mut stack)?;
                }
                if let Some(frame) = stack.pop() {
                    let inner = Inner {
                        start: frame.code.end,
                        end: start,
                        nodes: frame.nodes,
                    };
                    top(&mut root, &mut stack).push(Node::Code {
                        code: frame.code,
                        inner: Some(inner),
                    });
                }
            }
        }
    }
    while !stack.is_empty() {
        close_standalone(file, &mut root, &mut stack)?;
    }
    Ok(root)
}

fn top<'a>(root: &'a mut Vec<Node>, stack: &'a mut [Frame]) -> &'a mut Vec<Node> {
    match stack.last_mut() {
        Some(frame) => &mut frame.nodes,
        None => root,
    }
}

/// Pops a frame that never got its closing tag: a standalone shortcode whose "children" are
/// really its following siblings. Block shortcodes must close, so for them this is an error.
fn close_standalone(
    file: &str,
    root: &mut Vec<Node>,
    stack: &mut Vec<Frame>,
) -> Result<(), ContentError> {
    let Some(frame) = stack.pop() else {
        return Ok(());
    };
    if BLOCK_SHORTCODES.contains(&frame.code.name.as_str()) {
        return Err(ContentError::at(
            file,
            frame.code.line,
            frame.code.col,
            ErrorKind::UnclosedShortcode {
                percent: frame.code.spelling == Spelling::Percent,
                name: frame.code.name,
            },
        ));
    }
    let parent = top(root, stack);
    parent.push(Node::Code {
        code: frame.code,
        inner: None,
    });
    parent.extend(frame.nodes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text { .. } => "text".to_string(),
                Node::Literal { text, .. } => format!("lit:{text}"),
                Node::Code { code, inner } => {
                    let kids = inner.as_ref().map(|i| names(&i.nodes).join(","));
                    format!("{}[{}]", code.name, kids.unwrap_or_else(|| "-".into()))
                }
            })
            .collect()
    }

    #[test]
    fn both_spellings_pair_and_nest() {
        let text = "a {{% notice tip %}}x {{< step >}}y{{< /step >}}{{% /notice %}} b";
        let nodes = parse("f.md", text).unwrap();
        assert_eq!(names(&nodes), ["text", "notice[text,step[text]]", "text"]);
    }

    #[test]
    fn args_positional_and_named() {
        let text = r#"{{< column title="Left side" >}}{{< expand "My title" other >}}"#;
        let nodes = parse("f.md", text).unwrap();
        let Node::Code { code, inner: None } = &nodes[0] else {
            panic!("{nodes:?}")
        };
        assert_eq!(code.named("title"), Some("Left side"));
        let Node::Code { code, .. } = &nodes[1] else {
            panic!("{nodes:?}")
        };
        assert_eq!(code.positional(0), Some("My title"));
        assert_eq!(code.positional(1), Some("other"));
    }

    #[test]
    fn standalone_shortcode_keeps_following_text_as_siblings() {
        let nodes = parse("f.md", "{{< ref \"x.md\" >}} tail").unwrap();
        assert_eq!(names(&nodes), ["ref[-]", "text"]);
    }

    #[test]
    fn unterminated_shortcode_names_its_line_and_column() {
        let err = parse("f.md", "one\n  {{< step \n two").unwrap_err();
        assert_eq!((err.line, err.col), (2, 3));
        assert!(
            err.to_string()
                .starts_with("f.md:2:3: unterminated shortcode")
        );
    }

    #[test]
    fn unclosed_block_shortcode_is_an_error() {
        let err = parse("f.md", "x\n{{< output >}}\nNAME\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(matches!(err.kind, ErrorKind::UnclosedShortcode { .. }));
    }

    #[test]
    fn stray_closing_is_an_error() {
        let err = parse("f.md", "x\n\n{{% /notice %}}").unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn comment_escape_is_literal() {
        let nodes = parse("f.md", "{{</* step */>}}").unwrap();
        assert_eq!(names(&nodes), ["lit:{{< step >}}"]);
    }
}
