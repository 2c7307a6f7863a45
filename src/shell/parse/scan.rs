//! A resumable scanner that follows typed or piped text one piece at a time and tells,
//! in time linear in the text, whether it may already be a whole command line.
//!
//! [`super::completeness`] parses the whole text, so asking it after every line of a long
//! heredoc or quoted string costs time quadratic in the input. The scanner mirrors the
//! lexer's states (quotes, `$( )`, `${ }`, backquotes, backslashes, comments, heredoc
//! delimiters and bodies) and the few parser rules that matter at a line's end (a trailing
//! `|`, `&&`, `||`; tokens that are a syntax error), keeping only constant state besides
//! heredoc delimiters. [`Scanner::may_be_complete`] is `false` only when the text is surely
//! incomplete; when it is `true` the caller confirms with [`super::completeness`] once.
//! After a compound command (`(`, `{`, `if`, `for`, …) it defers: always `true`, and
//! the input reader bounds how often it parses (see `input.rs`). Pure: must not import the executor.

use std::collections::VecDeque;

/// Reserved words: at a command's start the scanner then defers to the parser.
use super::RESERVED;
/// Characters that end an unquoted word, and the operators: the lexer's own tables.
use super::lex::{META, OPS};

/// Characters that start an operator.
const OP_START: &[char] = &['|', '&', ';', '<', '>', '(', ')'];

/// A construct the scanner is inside of, innermost last.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ctx {
    /// An unquoted word.
    Word,
    /// `'…'`.
    Single,
    /// `"…"`.
    Double,
    /// `` `…` ``.
    Backtick,
    /// `$( … )` with its parenthesis depth and the quote open inside it.
    Subst { depth: usize, quote: Option<char> },
    /// `${ … }`.
    Brace,
}

/// What the previous character left undecided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Micro {
    #[default]
    None,
    /// A backslash: the next character is taken by the current context's rule.
    Escape,
    /// A `$` in a word or in double quotes: the next character says what follows.
    Dollar,
    /// `$NAME`: name characters continue it.
    DollarName,
    /// Operator characters at a token's start (at most three).
    Op(String),
    /// Digits at a token's start: a descriptor number if `<` or `>` follows, else a word.
    Digits(String),
}

/// Heredocs whose bodies are being read, line by line.
#[derive(Clone, Debug, Default)]
struct Bodies {
    /// Delimiters still to meet, with their strip-tabs flag, in order.
    queue: VecDeque<(String, bool)>,
    /// The current body line so far (leading tabs dropped for `<<-`), kept only while it can
    /// still equal the delimiter.
    line: String,
    /// The current line is longer than the delimiter: it cannot end the body.
    too_long: bool,
    /// Whether anything of the current line was seen (a last line without a newline may
    /// still be the delimiter).
    started: bool,
}

/// The scanner's state; feed it text with [`Scanner::feed`].
#[derive(Clone, Debug, Default)]
pub struct Scanner {
    stack: Vec<Ctx>,
    micro: Micro,
    /// Inside a `#` comment.
    comment: bool,
    /// `<<` or `<<-` was seen: the next word is a delimiter (the flag is `<<-`).
    want_delimiter: Option<bool>,
    /// The raw text of the delimiter word being read.
    capture: Option<(String, bool)>,
    /// Delimiters whose bodies start at the next newline.
    pending: Vec<(String, bool)>,
    /// Heredoc bodies being read (set between a newline and the last delimiter line).
    bodies: Option<Bodies>,
    /// The last token was `|`, `|&`, `&&` or `||`: a newline does not end the command.
    connector: bool,
    /// No word or redirection yet in the current command.
    need_command: bool,
    /// A redirection operator waits for its target word.
    need_target: bool,
    /// A syntax error was seen: the text is complete (running it reports the error).
    error: bool,
    /// The last thing fed was a backslash-newline outside quotes: bash asks for more.
    continued: bool,
    /// A compound command (`(`, `{`, `if`, `for`, `while`, `case`…) or `)`/`;;` was seen:
    /// the grammar is beyond this scanner, so every newline may end the command line.
    compound: bool,
    /// The word at a command's start, while it may still be a reserved word.
    command_word: Option<String>,
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner {
            need_command: true,
            ..Scanner::default()
        }
    }

    /// Follows `text`, which continues everything fed before. Runs of characters that
    /// cannot change the state (most of a heredoc body, a quoted string or a long word)
    /// are skipped with a byte search.
    pub fn feed(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() && !self.error {
            let used = if self.bodies.is_some() {
                self.body_text(rest)
            } else {
                self.plain_run(rest)
            };
            if used > 0 {
                self.continued = false;
                rest = &rest[used..];
                continue;
            }
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                self.push(c);
            }
            rest = chars.as_str();
        }
    }

    /// How many leading bytes of `text` leave the state as it is.
    fn plain_run(&self, text: &str) -> usize {
        if self.micro != Micro::None || self.capture.is_some() || self.command_word.is_some() {
            return 0;
        }
        let found = match self.stack.last() {
            None if self.comment => text.bytes().position(|b| b == b'\n'),
            None => return 0,
            Some(Ctx::Word) => text.bytes().position(|b| {
                matches!(
                    b,
                    b' ' | b'\t'
                        | b'\n'
                        | b'|'
                        | b'&'
                        | b';'
                        | b'<'
                        | b'>'
                        | b'('
                        | b')'
                        | b'\\'
                        | b'\''
                        | b'"'
                        | b'`'
                        | b'$'
                )
            }),
            Some(
                Ctx::Single
                | Ctx::Subst {
                    quote: Some('\''), ..
                },
            ) => text.bytes().position(|b| b == b'\''),
            Some(Ctx::Double) => text
                .bytes()
                .position(|b| matches!(b, b'"' | b'\\' | b'`' | b'$')),
            Some(Ctx::Backtick) => text.bytes().position(|b| matches!(b, b'`' | b'\\')),
            Some(Ctx::Subst { quote: None, .. }) => text
                .bytes()
                .position(|b| matches!(b, b'(' | b')' | b'\\' | b'\'' | b'"')),
            Some(Ctx::Subst { .. }) => text.bytes().position(|b| matches!(b, b'"' | b'\\')),
            Some(Ctx::Brace) => text.bytes().position(|b| b == b'}'),
        };
        // Every stop byte is ASCII, so the position is a character boundary.
        found.unwrap_or(text.len())
    }

    /// `false` when the text fed so far surely is not a whole command line (bash would
    /// prompt `> `); `true` when it may be, to be confirmed by parsing it.
    pub fn may_be_complete(&self) -> bool {
        if self.error || self.compound {
            return true;
        }
        if self.continued {
            return false;
        }
        if let Some(bodies) = &self.bodies {
            // A last line without its newline may be the delimiter.
            return bodies.started && bodies.queue.len() == 1;
        }
        match self.micro {
            Micro::Escape => return false,
            Micro::None => {}
            _ => return true,
        }
        if self.stack.iter().any(|c| *c != Ctx::Word) {
            return false;
        }
        if self.need_target {
            return true;
        }
        if !self.pending.is_empty() || self.capture.is_some() || self.connector {
            return false;
        }
        true
    }

    fn push(&mut self, c: char) {
        // A character another state declined is looked at again; each pass consumes or
        // changes state, so this ends.
        self.continued = false;
        let mut c = Some(c);
        while let Some(ch) = c.take() {
            if !self.step(ch) {
                c = Some(ch);
            }
        }
    }

    /// Handles one character; `false` when it must be looked at again in the new state.
    fn step(&mut self, c: char) -> bool {
        if self.bodies.is_some() {
            let mut utf8 = [0; 4];
            self.body_text(c.encode_utf8(&mut utf8));
            return true;
        }
        match std::mem::take(&mut self.micro) {
            Micro::None => {}
            Micro::Escape => return self.escaped(c),
            Micro::Dollar => return self.after_dollar(c),
            Micro::DollarName => {
                if c.is_ascii_alphanumeric() || c == '_' {
                    self.take(c);
                    self.micro = Micro::DollarName;
                    return true;
                }
                return false;
            }
            Micro::Op(buf) => {
                // Every prefix of an operator is one too, so the longest match is found
                // one character at a time.
                let mut longer = buf.clone();
                longer.push(c);
                if OPS.iter().any(|op| op.starts_with(longer.as_str())) {
                    if longer.len() == 3 {
                        self.operator(&longer);
                    } else {
                        self.micro = Micro::Op(longer);
                    }
                    return true;
                }
                self.operator(&buf);
                return false;
            }
            Micro::Digits(mut digits) => {
                if c.is_ascii_digit() {
                    digits.push(c);
                    self.micro = Micro::Digits(digits);
                    return true;
                }
                if c == '<' || c == '>' {
                    self.micro = Micro::Op(c.to_string());
                    return true;
                }
                self.start_word();
                for d in digits.chars() {
                    self.take(d);
                }
                return false;
            }
        }
        match self.stack.last().cloned() {
            None => self.token_start(c),
            Some(Ctx::Word) => self.in_word(c),
            Some(Ctx::Single) => {
                self.take(c);
                if c == '\'' {
                    self.stack.pop();
                }
                true
            }
            Some(Ctx::Double) => self.in_double(c),
            Some(Ctx::Backtick) => {
                self.take(c);
                match c {
                    '`' => {
                        self.stack.pop();
                    }
                    '\\' => self.micro = Micro::Escape,
                    _ => {}
                }
                true
            }
            Some(Ctx::Subst { depth, quote }) => {
                self.take(c);
                self.in_subst(c, depth, quote);
                true
            }
            Some(Ctx::Brace) => {
                self.take(c);
                if c == '}' {
                    self.stack.pop();
                }
                true
            }
        }
    }

    /// Between tokens, outside any word.
    fn token_start(&mut self, c: char) -> bool {
        if self.comment {
            if c != '\n' {
                return true;
            }
            self.comment = false;
        }
        match c {
            ' ' | '\t' => {}
            '#' => self.comment = true,
            '\n' => self.newline(),
            '\\' => {
                // `\` newline is skipped here; anything else starts a word at the backslash.
                self.micro = Micro::Escape;
            }
            '0'..='9' => self.micro = Micro::Digits(c.to_string()),
            _ if OP_START.contains(&c) => self.micro = Micro::Op(c.to_string()),
            _ => {
                self.start_word();
                return false;
            }
        }
        true
    }

    fn newline(&mut self) {
        if self.need_target {
            self.error = true;
            return;
        }
        if !self.connector {
            self.need_command = true;
        }
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            self.bodies = Some(Bodies {
                queue: pending.into(),
                ..Bodies::default()
            });
        }
    }

    /// Whether the scanner has left the decision to the parser (see `compound`).
    pub fn defers_to_parser(&self) -> bool {
        self.compound
    }

    fn start_word(&mut self) {
        self.stack.push(Ctx::Word);
        if self.need_target {
            self.need_target = false;
        } else {
            if self.need_command {
                self.command_word = Some(String::new());
            }
            self.need_command = false;
        }
        self.connector = false;
        if let Some(strip) = self.want_delimiter.take() {
            self.capture = Some((String::new(), strip));
        }
    }

    fn in_word(&mut self, c: char) -> bool {
        if META.contains(&c) {
            self.stack.pop();
            self.end_word();
            return false;
        }
        self.take(c);
        if let Some(word) = &mut self.command_word {
            if word.len() < 8 {
                word.push(c);
            } else {
                self.command_word = None;
            }
        }
        match c {
            '\\' => self.micro = Micro::Escape,
            '\'' => self.stack.push(Ctx::Single),
            '"' => self.stack.push(Ctx::Double),
            '`' => self.stack.push(Ctx::Backtick),
            '$' => self.micro = Micro::Dollar,
            _ => {}
        }
        true
    }

    fn end_word(&mut self) {
        // A backslash may be a line continuation (`}\` then a newline is the word `}`) or a
        // quote (`\}` is not reserved): either way the parser decides, so the scanner defers.
        if let Some(word) = self.command_word.take()
            && RESERVED.contains(&word.replace(['\\', '\n'], "").as_str())
        {
            self.compound = true;
        }
        if let Some((raw, strip)) = self.capture.take() {
            let delimiter = raw.chars().filter(|c| !matches!(c, '\'' | '"' | '\\'));
            self.pending.push((delimiter.collect(), strip));
        }
    }

    fn in_double(&mut self, c: char) -> bool {
        self.take(c);
        match c {
            '"' => {
                self.stack.pop();
            }
            '\\' => self.micro = Micro::Escape,
            '`' => self.stack.push(Ctx::Backtick),
            '$' => self.micro = Micro::Dollar,
            _ => {}
        }
        true
    }

    fn in_subst(&mut self, c: char, depth: usize, quote: Option<char>) {
        let top = match quote {
            Some('\'') if c == '\'' => Ctx::Subst { depth, quote: None },
            Some('\'') => return,
            Some(_) if c == '"' => Ctx::Subst { depth, quote: None },
            Some(_) if c == '\\' => {
                self.micro = Micro::Escape;
                return;
            }
            Some(_) => return,
            None => match c {
                '(' => Ctx::Subst {
                    depth: depth + 1,
                    quote: None,
                },
                ')' if depth <= 1 => {
                    self.stack.pop();
                    return;
                }
                ')' => Ctx::Subst {
                    depth: depth - 1,
                    quote: None,
                },
                '\\' => {
                    self.micro = Micro::Escape;
                    return;
                }
                '\'' | '"' => Ctx::Subst {
                    depth,
                    quote: Some(c),
                },
                _ => return,
            },
        };
        if let Some(last) = self.stack.last_mut() {
            *last = top;
        }
    }

    /// The character after a backslash.
    fn escaped(&mut self, c: char) -> bool {
        match self.stack.last() {
            None => {
                if c == '\n' {
                    self.continued = true;
                    return true;
                }
                // The word starts at the backslash, which escapes this character.
                self.start_word();
                self.take('\\');
                self.take(c);
                true
            }
            Some(Ctx::Double) => {
                if matches!(c, '\n' | '$' | '`' | '\\' | '"') {
                    self.take(c);
                    true
                } else {
                    false
                }
            }
            Some(ctx) => {
                self.continued = c == '\n' && *ctx == Ctx::Word;
                self.take(c);
                true
            }
        }
    }

    /// The character after a `$`.
    fn after_dollar(&mut self, c: char) -> bool {
        match c {
            '(' => self.stack.push(Ctx::Subst {
                depth: 1,
                quote: None,
            }),
            '{' => self.stack.push(Ctx::Brace),
            '?' | '$' | '#' | '!' | '@' | '*' | '-' | '0'..='9' => {}
            _ if c.is_ascii_alphabetic() || c == '_' => self.micro = Micro::DollarName,
            _ => return false,
        }
        self.take(c);
        true
    }

    /// The parser's view of one operator token.
    fn operator(&mut self, op: &str) {
        if self.need_target {
            self.error = true;
            return;
        }
        match op {
            "(" | ")" | ";;" => self.compound = true,
            "|" | "|&" | "&&" | "||" | ";" | "&" => {
                if self.need_command {
                    self.error = true;
                    return;
                }
                self.connector = !matches!(op, ";" | "&");
                self.need_command = true;
            }
            _ => {
                // A redirection: its target word follows.
                self.need_target = true;
                self.need_command = false;
                self.connector = false;
                if op == "<<" || op == "<<-" {
                    self.want_delimiter = Some(op == "<<-");
                }
            }
        }
    }

    /// Appends a character of the delimiter word being read.
    fn take(&mut self, c: char) {
        if let Some((raw, _)) = &mut self.capture {
            raw.push(c);
        }
    }

    /// Heredoc body text up to and including its first newline; returns the bytes used.
    fn body_text(&mut self, text: &str) -> usize {
        let Some(bodies) = &mut self.bodies else {
            return 0;
        };
        let Some((delimiter, strip)) = bodies.queue.front() else {
            self.bodies = None;
            return 0;
        };
        let newline = text.find('\n');
        let mut line = &text[..newline.unwrap_or(text.len())];
        if !line.is_empty() {
            bodies.started = true;
        }
        if *strip && bodies.line.is_empty() && !bodies.too_long {
            line = line.trim_start_matches('\t');
        }
        if bodies.line.len() + line.len() > delimiter.len() {
            bodies.too_long = true;
        } else if !bodies.too_long {
            bodies.line.push_str(line);
        }
        let Some(at) = newline else {
            return text.len();
        };
        let ends = !bodies.too_long && bodies.line == *delimiter;
        bodies.line.clear();
        bodies.too_long = false;
        bodies.started = false;
        if ends {
            bodies.queue.pop_front();
            if bodies.queue.is_empty() {
                self.bodies = None;
            }
        }
        at + 1
    }
}

#[cfg(test)]
mod tests;
