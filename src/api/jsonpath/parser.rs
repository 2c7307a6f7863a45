//! The template parser: text outside braces, and inside each `{...}` action a list of
//! nodes (fields, indexes and slices, filters, wildcards, `..`, unions, literals, `range`
//! and `end`). It follows client-go's `util/jsonpath` parser token by token, quirks
//! included (`['a.b']` splits at the dot, `[]` means `[0]`, a union splits at every comma),
//! and reports errors in its words.
//!
//! Must not import: anything outside std and this module's siblings.

use super::godump::go_sharp_u;
use super::quote::unquote;

/// One parsed node. A template is a list of `Text` and `List` (one per action).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Node {
    /// Nodes applied one after the other: an action, a union member, a filter side.
    List(Vec<Node>),
    Text(String),
    Field(String),
    /// `range`, `end`, or an unknown word (an error when evaluated).
    Identifier(String),
    Array([Param; 3]),
    Filter(Box<Filter>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
}

/// One of `start:end:step`, as client-go's `ParamsEntry`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Param {
    pub known: bool,
    pub value: i64,
    /// The end of a plain index `[n]`: `n + 1`, counted from the end when `n` is negative.
    pub derived: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Filter {
    pub left: Vec<Node>,
    pub right: Vec<Node>,
    /// `==`, `!=`, `<`, ... as written, or `exists` for a bare `?(@.x)`.
    pub operator: String,
}

/// Nesting of union members and filter sides kept well below any stack limit.
const MAX_DEPTH: usize = 64;

/// Parses a whole template into its top-level nodes.
pub(super) fn parse(text: &str) -> Result<Vec<Node>, String> {
    parse_at_depth(text, 0)
}

fn parse_at_depth(text: &str, depth: usize) -> Result<Vec<Node>, String> {
    if depth > MAX_DEPTH {
        return Err("jsonpath template nested too deeply".to_string());
    }
    let mut p = Parser {
        input: text,
        pos: 0,
        start: 0,
        width: 0,
        depth,
    };
    p.parse_text()
}

/// client-go's `parseAction`: parses `{text}` and returns the action's nodes.
fn parse_action(text: &str, depth: usize) -> Result<Vec<Node>, String> {
    let nodes = parse_at_depth(&format!("{{{text}}}"), depth + 1)?;
    Ok(match nodes.into_iter().next() {
        Some(Node::List(inner)) => inner,
        _ => Vec::new(),
    })
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    depth: usize,
}

fn is_terminator(r: Option<char>) -> bool {
    matches!(
        r,
        None | Some(' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
    )
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_digit(c)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

impl Parser<'_> {
    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
            None => {
                self.width = 0;
                None
            }
        }
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }

    fn consume(&mut self) -> &str {
        let text = &self.input[self.start..self.pos];
        self.start = self.pos;
        text
    }

    /// The byte just before the one most recently read (for `\"`-style escapes).
    fn escaped(&self) -> bool {
        self.pos >= 2 && self.input.as_bytes()[self.pos - 2] == b'\\'
    }

    fn parse_text(&mut self) -> Result<Vec<Node>, String> {
        let mut root = Vec::new();
        loop {
            match self.input[self.pos..].find('{') {
                None => {
                    self.pos = self.input.len();
                    if self.pos > self.start {
                        root.push(Node::Text(self.consume().to_string()));
                    }
                    return Ok(root);
                }
                Some(offset) => {
                    self.pos += offset;
                    if self.pos > self.start {
                        root.push(Node::Text(self.consume().to_string()));
                    }
                    self.pos += 1;
                    self.start = self.pos;
                    let mut action = Vec::new();
                    self.parse_inside_action(&mut action)?;
                    root.push(Node::List(action));
                }
            }
        }
    }

    /// Reads nodes until the closing `}`.
    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            let rest = &self.input[self.pos..];
            if rest.starts_with('}') {
                self.pos += 1;
                self.start = self.pos;
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                self.parse_recursive(cur)?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".to_string()),
                Some(' ' | '@' | '$') => self.start = self.pos,
                Some('[') => self.parse_array(cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(cur, q)?,
                Some('.') => self.parse_field(cur),
                Some(c) if c == '+' || c == '-' || is_digit(c) => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                Some(c) => {
                    return Err(format!(
                        "unrecognized character in action: {}",
                        go_sharp_u(c)
                    ));
                }
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        while !is_terminator(self.next()) {}
        self.backup();
        let value = self.consume();
        cur.push(match value {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => Node::Identifier(value.to_string()),
        });
    }

    fn parse_recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if cur.last() == Some(&Node::Recursive) {
            return Err("invalid multiple recursive descent".to_string());
        }
        self.pos += 2;
        self.start = self.pos;
        cur.push(Node::Recursive);
        if self.peek().is_some_and(is_alphanumeric) {
            self.parse_field(cur);
        }
        Ok(())
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(c) if c == '.' || is_digit(c) => {}
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        let value = self.consume();
        if let Ok(i) = value.parse::<i64>() {
            cur.push(Node::Int(i));
            return Ok(());
        }
        match value.parse::<f64>() {
            Ok(f) if f.is_finite() && value.bytes().any(|b| b.is_ascii_digit()) => {
                cur.push(Node::Float(f));
                Ok(())
            }
            _ => Err(format!("cannot parse number {value}")),
        }
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".to_string()),
                Some(']') => break,
                Some(_) => {}
            }
        }
        let depth = self.depth;
        let text = self.consume();
        let inner = &text[1..text.len() - 1];
        let inner = if inner == "*" { ":" } else { inner };

        if inner.contains(',') {
            let mut members = Vec::new();
            for part in inner.split(',') {
                members.push(parse_action(
                    &format!("[{}]", part.trim_matches(' ')),
                    depth,
                )?);
            }
            cur.push(Node::Union(members));
            return Ok(());
        }
        if let Some(key) = dict_key(inner) {
            cur.extend(parse_action(&format!(".{key}"), depth)?);
            return Ok(());
        }
        let Some(groups) = slice_groups(inner) else {
            return Err(format!("invalid array index {inner}"));
        };
        let mut params = [Param::default(); 3];
        for (i, group) in groups.iter().enumerate() {
            if group.is_empty() {
                if i == 1 {
                    params[1] = Param {
                        known: true,
                        value: params[0].value.wrapping_add(1),
                        derived: true,
                    };
                }
                continue;
            }
            let number = if i > 0 { &group[1..] } else { group };
            if i > 0 && number.is_empty() {
                continue;
            }
            let value = number
                .parse::<i64>()
                .map_err(|_| format!("array index {number} is not a number"))?;
            params[i] = Param {
                known: true,
                value,
                derived: false,
            };
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.start = self.pos;
        let (mut begin, mut end) = (false, false);
        let mut pair = '"';
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".to_string()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if !self.escaped() && q == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                Some(_) => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".to_string());
        }
        let depth = self.depth;
        let text = self.consume();
        let text = &text[..text.len() - 2];
        let filter = match split_comparison(text) {
            None => Filter {
                left: parse_action(text, depth)?,
                right: Vec::new(),
                operator: "exists".to_string(),
            },
            Some((left, operator, right)) => Filter {
                left: parse_action(left, depth)?,
                right: parse_action(right, depth)?,
                operator: operator.to_string(),
            },
        };
        cur.push(Node::Filter(Box::new(filter)));
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, quote: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".to_string()),
                Some(c) if c == quote && !self.escaped() => break,
                Some(_) => {}
            }
        }
        let value = self.consume();
        let text =
            unquote(value).ok_or_else(|| format!("unquote string {value} error invalid syntax"))?;
        cur.push(Node::Text(text));
        Ok(())
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.start = self.pos;
        loop {
            let r = self.next();
            if r == Some('\\') {
                self.next();
            } else if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let value = self.consume();
        cur.push(if value == "*" {
            Node::Wildcard
        } else {
            Node::Field(value.replace('\\', ""))
        });
    }
}

/// `^'([^']*)'$`: a quoted key such as `['name']`.
fn dict_key(text: &str) -> Option<&str> {
    let key = text.strip_prefix('\'')?.strip_suffix('\'')?;
    (!key.contains('\'')).then_some(key)
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$`, each group empty when absent.
fn slice_groups(text: &str) -> Option<[&str; 3]> {
    fn group(s: &str, colon: bool) -> usize {
        let b = s.as_bytes();
        let mut i = 0;
        if colon {
            if b.first() != Some(&b':') {
                return 0;
            }
            i = 1;
        }
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    }
    let first = group(text, false);
    let second = first + group(&text[first..], true);
    let third = second + group(&text[second..], true);
    (third == text.len()).then(|| [&text[..first], &text[first..second], &text[second..third]])
}

/// `^([^!<>=]+)([!<>=~]+)(.+?)$` on a filter body: left side, operator, right side.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=' | '~');
    let left_max = text.find(['!', '<', '>', '=']).unwrap_or(text.len());
    // Backtrack the greedy left side (it may end in `~`), then the greedy operator.
    for left_end in (1..=left_max).rev().filter(|&e| text.is_char_boundary(e)) {
        let rest = &text[left_end..];
        let op_len = rest.find(|c: char| !is_op(c)).unwrap_or(rest.len());
        for op_end in (1..=op_len).rev() {
            let right = &rest[op_end..];
            if !right.is_empty() && !right.contains('\n') {
                return Some((&text[..left_end], &rest[..op_end], right));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse_into_fields_arrays_and_text() {
        let nodes = parse("x{.a.b[1]}{\"\\n\"}").unwrap();
        let index = Param {
            known: true,
            value: 1,
            derived: false,
        };
        let end = Param {
            known: true,
            value: 2,
            derived: true,
        };
        assert_eq!(
            nodes,
            vec![
                Node::Text("x".into()),
                Node::List(vec![
                    Node::Field("a".into()),
                    Node::Field("b".into()),
                    Node::Array([index, end, Param::default()]),
                ]),
                Node::List(vec![Node::Text("\n".into())]),
            ]
        );
    }

    #[test]
    fn filters_split_into_sides_and_operator() {
        assert_eq!(split_comparison("@.a==\"x\""), Some(("@.a", "==", "\"x\"")));
        assert_eq!(split_comparison("@.a >= 3"), Some(("@.a ", ">=", " 3")));
        assert_eq!(split_comparison("@.a"), None);
        assert_eq!(split_comparison("@.a=="), Some(("@.a", "=", "=")));
    }

    #[test]
    fn parse_errors_use_client_go_messages() {
        assert_eq!(parse("{.a["), Err("unterminated array".to_string()));
        assert_eq!(parse("{.a"), Err("unclosed action".to_string()));
        let descent = vec![
            Node::Recursive,
            Node::Field("a".into()),
            Node::Recursive,
            Node::Field("b".into()),
        ];
        assert_eq!(parse("{..a..b}"), Ok(vec![Node::List(descent)]));
        assert_eq!(
            parse("{....}"),
            Err("invalid multiple recursive descent".to_string())
        );
        assert_eq!(parse("{[x]}"), Err("invalid array index x".to_string()));
        assert_eq!(parse("{'a}"), Err("unterminated quoted string".to_string()));
        assert_eq!(parse("{.a[?(@.b]}"), Err("unterminated filter".to_string()));
        assert_eq!(
            parse("{.a[?(@.b)x}"),
            Err("unclosed array expect ]".to_string())
        );
    }
}
