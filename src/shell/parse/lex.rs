//! The tokenizer: turns command-line text into words, operators and redirections, and
//! reads heredoc bodies when the line that opened them ends.
//!
//! Heredocs are read here rather than in the parser because their bodies start at the
//! next newline, wherever the parser happens to be. Pure: must not import the executor.

use super::{Part, Word};

/// An operator or a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Word(Word),
    Newline,
    /// `|`, `|&`, `&&`, `||`, `;`, `;;`, `&`, `(`, `)`.
    Op(&'static str),
    Redir(RedirTok),
    Eof,
}

/// A redirection operator with its optional file-descriptor number (`2>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirTok {
    pub fd: Option<u32>,
    /// `<`, `>`, `>>`, `>|`, `&>`, `&>>`, `<<`, `<<-`, `<<<`, `>&`, `<&`.
    pub op: &'static str,
}

/// One heredoc: its delimiter and, once its line ended, its body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    /// Whether `$VAR` expands in the body (the delimiter had no quotes).
    pub expand: bool,
    pub strip_tabs: bool,
    pub body: String,
    /// The 1-based line of the `<<` operator, for bash's end-of-file warning.
    pub line: usize,
    /// Set when the input ended before the delimiter line.
    pub hit_eof: bool,
}

/// Why the text cannot be a whole command line yet: bash would ask for more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// Inside `'`, `"` or `` ` ``.
    Quote(char),
    /// Inside `$(`, `${`.
    Substitution(char),
    /// The text ends with a backslash.
    Backslash,
    /// More than [`MAX_PIECES`] tokens and word parts: refused rather than built.
    TooComplex,
}

/// Most tokens plus word parts (quoted pieces, expansions) one text may have, so that
/// 8 MiB of `'' '' ''…` or `a;a;a;…` cannot take a gigabyte as a syntax tree (each piece
/// costs some 50 bytes against one or two of input).
pub const MAX_PIECES: usize = 200_000;

/// Tokenizer state over the whole input.
pub struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    pub heredocs: Vec<Heredoc>,
    /// Heredocs whose body starts at the next newline.
    pending: Vec<usize>,
    /// Set after `<<`: the next word is a heredoc delimiter.
    want_delimiter: Option<usize>,
    /// Tokens and word parts made so far (see [`MAX_PIECES`]).
    pieces: usize,
}

pub(super) const META: &[char] = &[' ', '\t', '\n', '|', '&', ';', '<', '>', '(', ')'];

/// The operators, longest first (the scanner reads the same table).
pub(super) const OPS: &[&str] = &[
    "&>>", "<<<", "<<-", "&&", "||", "|&", ";;", ">>", ">|", "&>", "<<", ">&", "<&", "|", "&", ";",
    "(", ")", "<", ">",
];

impl Lexer {
    pub fn new(text: &str) -> Lexer {
        Lexer {
            chars: text.chars().collect(),
            pos: 0,
            line: 1,
            heredocs: Vec::new(),
            pending: Vec::new(),
            want_delimiter: None,
            pieces: 0,
        }
    }

    /// Whether the next character (not token) is `c`.
    pub fn at(&self, c: char) -> bool {
        self.peek() == Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// Counts one more token or part; an error past [`MAX_PIECES`].
    fn piece(&mut self) -> Result<(), Open> {
        self.pieces += 1;
        if self.pieces > MAX_PIECES {
            return Err(Open::TooComplex);
        }
        Ok(())
    }

    /// The next token, or why the input stops in the middle of one.
    pub fn next_token(&mut self) -> Result<Token, Open> {
        self.piece()?;
        loop {
            match self.peek() {
                Some(' ' | '\t') => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.peek() else {
            self.finish_heredocs_at_eof();
            return Ok(Token::Eof);
        };
        if c == '\n' {
            self.bump();
            self.read_pending_heredocs();
            return Ok(Token::Newline);
        }
        if let Some(tok) = self.operator() {
            return Ok(tok);
        }
        let start = self.pos;
        let word = self.word()?;
        if let Some(index) = self.want_delimiter.take() {
            let raw: String = self.chars[start..self.pos].iter().collect();
            let quoted = raw.contains(['\'', '"', '\\']);
            let delimiter: String = raw
                .chars()
                .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                .collect();
            if let Some(doc) = self.heredocs.get_mut(index) {
                doc.delimiter = delimiter;
                doc.expand = !quoted;
            }
            self.pending.push(index);
        }
        Ok(Token::Word(word))
    }

    fn operator(&mut self) -> Option<Token> {
        let digits: String = self.chars[self.pos..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let after_digits = self.peek_at(digits.len());
        let fd = if !digits.is_empty() && matches!(after_digits, Some('<' | '>')) {
            digits.parse::<u32>().ok()
        } else {
            None
        };
        let skip = if fd.is_some() { digits.len() } else { 0 };
        let rest: String = self.chars[self.pos + skip..].iter().take(3).collect();
        let op = OPS.iter().find(|op| rest.starts_with(**op))?;
        if fd.is_some() && !op.starts_with(['<', '>']) {
            return None;
        }
        for _ in 0..skip + op.chars().count() {
            self.bump();
        }
        if matches!(
            *op,
            "<" | ">" | ">>" | ">|" | "&>" | "&>>" | "<<" | "<<-" | "<<<" | ">&" | "<&"
        ) {
            if matches!(*op, "<<" | "<<-") {
                let index = self.heredocs.len();
                self.heredocs.push(Heredoc {
                    strip_tabs: *op == "<<-",
                    line: self.line,
                    ..Heredoc::default()
                });
                self.want_delimiter = Some(index);
            }
            return Some(Token::Redir(RedirTok { fd, op }));
        }
        Some(Token::Op(op))
    }

    /// One word up to the next unquoted metacharacter.
    fn word(&mut self) -> Result<Word, Open> {
        let mut parts = Vec::new();
        let at_start = self.pos;
        let mut counted = 0;
        while let Some(c) = self.peek() {
            if META.contains(&c) {
                break;
            }
            while counted < parts.len() {
                counted += 1;
                self.piece()?;
            }
            match c {
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(escaped) => parts.push(Part::Quoted(escaped.to_string())),
                        None => return Err(Open::Backslash),
                    }
                }
                '\'' => {
                    self.bump();
                    let mut text = String::new();
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some(ch) => text.push(ch),
                            None => return Err(Open::Quote('\'')),
                        }
                    }
                    parts.push(Part::Quoted(text));
                }
                '"' => {
                    self.bump();
                    let inner = self.double_quoted(Some('"'))?;
                    parts.push(Part::Double(inner));
                }
                '$' | '`' => {
                    if let Some(part) = self.dollar()? {
                        parts.push(part);
                    } else {
                        self.bump();
                        push_lit(&mut parts, '$');
                    }
                }
                '~' if self.pos == at_start => {
                    self.bump();
                    let mut user = String::new();
                    while let Some(u) = self
                        .peek()
                        .filter(|u| u.is_ascii_alphanumeric() || *u == '_' || *u == '-')
                    {
                        user.push(u);
                        self.bump();
                    }
                    if matches!(self.peek(), None | Some('/'))
                        || self.peek().is_some_and(|n| META.contains(&n))
                    {
                        parts.push(Part::Tilde(user));
                    } else {
                        push_lit(&mut parts, '~');
                        for u in user.chars() {
                            push_lit(&mut parts, u);
                        }
                    }
                }
                _ => {
                    self.bump();
                    push_lit(&mut parts, c);
                }
            }
        }
        Ok(Word { parts })
    }

    /// The inside of a double-quoted string (or, with no terminator, a heredoc body).
    pub fn double_quoted(&mut self, terminator: Option<char>) -> Result<Vec<Part>, Open> {
        let mut parts = Vec::new();
        let mut counted = 0;
        loop {
            while counted < parts.len() {
                counted += 1;
                self.piece()?;
            }
            let Some(c) = self.peek() else {
                return match terminator {
                    Some(t) => Err(Open::Quote(t)),
                    None => Ok(parts),
                };
            };
            if Some(c) == terminator {
                self.bump();
                return Ok(parts);
            }
            match c {
                '\\' => {
                    self.bump();
                    match self.peek() {
                        Some('\n') => {
                            self.bump();
                        }
                        Some(e @ ('$' | '`' | '\\')) => {
                            self.bump();
                            push_lit(&mut parts, e);
                        }
                        Some('"') if terminator.is_some() => {
                            self.bump();
                            push_lit(&mut parts, '"');
                        }
                        Some(_) => push_lit(&mut parts, '\\'),
                        None if terminator.is_none() => push_lit(&mut parts, '\\'),
                        None => return Err(Open::Quote('"')),
                    }
                }
                '$' | '`' => {
                    if let Some(part) = self.dollar()? {
                        parts.push(part);
                    } else {
                        self.bump();
                        push_lit(&mut parts, '$');
                    }
                }
                _ => {
                    self.bump();
                    push_lit(&mut parts, c);
                }
            }
        }
    }

    /// `$NAME`, `${NAME}`, `$?`, `$(...)` or `` `...` `` at the cursor; `None` for a lone `$`.
    fn dollar(&mut self) -> Result<Option<Part>, Open> {
        if self.peek() == Some('`') {
            self.bump();
            let mut source = String::new();
            loop {
                match self.bump() {
                    Some('`') => return Ok(Some(Part::Subst(source))),
                    Some('\\') => match self.bump() {
                        Some(e @ ('$' | '`' | '\\')) => source.push(e),
                        Some(e) => {
                            source.push('\\');
                            source.push(e);
                        }
                        None => return Err(Open::Quote('`')),
                    },
                    Some(ch) => source.push(ch),
                    None => return Err(Open::Quote('`')),
                }
            }
        }
        match self.peek_at(1) {
            Some('(') => {
                self.bump();
                self.bump();
                self.command_substitution().map(|source| {
                    // `$(( … ))`: the same text as a substitution of a subshell, so the
                    // scanner's parenthesis count agrees.
                    match source
                        .strip_prefix('(')
                        .and_then(|inner| inner.strip_suffix(')'))
                    {
                        Some(expr) => Some(Part::Arith(expr.to_string())),
                        None => Some(Part::Subst(source)),
                    }
                })
            }
            Some('{') => {
                self.bump();
                self.bump();
                let mut name = String::new();
                loop {
                    match self.bump() {
                        Some('}') => return Ok(Some(Part::Param(name))),
                        Some(ch) => name.push(ch),
                        None => return Err(Open::Substitution('}')),
                    }
                }
            }
            Some(c @ ('?' | '$' | '#' | '!' | '@' | '*' | '-' | '0'..='9')) => {
                self.bump();
                self.bump();
                Ok(Some(Part::Param(c.to_string())))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.bump();
                let mut name = String::new();
                while let Some(n) = self
                    .peek()
                    .filter(|n| n.is_ascii_alphanumeric() || *n == '_')
                {
                    name.push(n);
                    self.bump();
                }
                Ok(Some(Part::Param(name)))
            }
            _ => Ok(None),
        }
    }

    /// The source text of `$( ... )` up to its matching parenthesis.
    fn command_substitution(&mut self) -> Result<String, Open> {
        let mut depth = 1usize;
        let mut source = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(Open::Substitution(')'));
            };
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(source);
                    }
                }
                '\\' => {
                    source.push(c);
                    match self.bump() {
                        Some(e) => source.push(e),
                        None => return Err(Open::Backslash),
                    }
                    continue;
                }
                '\'' | '"' => {
                    source.push(c);
                    loop {
                        match self.bump() {
                            Some(q) if q == c => break,
                            Some('\\') if c == '"' => {
                                source.push('\\');
                                if let Some(e) = self.bump() {
                                    source.push(e);
                                }
                                continue;
                            }
                            Some(q) => source.push(q),
                            None => return Err(Open::Quote(c)),
                        }
                    }
                }
                _ => {}
            }
            source.push(c);
        }
    }

    /// Right after a `(` that starts a command: when another `(` follows at once, the
    /// text of a `(( … ))` arithmetic command up to its `))`. `None` (cursor unchanged)
    /// when the parentheses do not close as `))`: then it is a subshell in a subshell.
    pub fn arith_command(&mut self) -> Result<Option<String>, Open> {
        if self.peek() != Some('(') {
            return Ok(None);
        }
        let (start, line) = (self.pos, self.line);
        self.bump();
        let mut depth = 0usize;
        let mut expr = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(Open::Substitution(')'));
            };
            match c {
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                ')' if self.peek() == Some(')') => {
                    self.bump();
                    return Ok(Some(expr));
                }
                ')' => {
                    self.pos = start;
                    self.line = line;
                    return Ok(None);
                }
                _ => {}
            }
            expr.push(c);
        }
    }

    /// Reads the bodies of every heredoc opened on the line that just ended.
    fn read_pending_heredocs(&mut self) {
        for index in std::mem::take(&mut self.pending) {
            let Some(doc) = self.heredocs.get(index) else {
                continue;
            };
            let (delimiter, strip_tabs) = (doc.delimiter.clone(), doc.strip_tabs);
            let mut body = String::new();
            let mut hit_eof = true;
            while self.pos < self.chars.len() {
                let mut line = String::new();
                while let Some(c) = self.bump() {
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                let line = if strip_tabs {
                    line.trim_start_matches('\t').to_string()
                } else {
                    line
                };
                if line == delimiter {
                    hit_eof = false;
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            if let Some(doc) = self.heredocs.get_mut(index) {
                doc.body = body;
                doc.hit_eof = hit_eof;
            }
        }
    }

    /// Heredocs opened on the last line, with no newline after it, get empty bodies.
    fn finish_heredocs_at_eof(&mut self) {
        for index in std::mem::take(&mut self.pending) {
            if let Some(doc) = self.heredocs.get_mut(index) {
                doc.hit_eof = true;
            }
        }
    }
}

/// Appends one unquoted character, merging it into a trailing literal.
fn push_lit(parts: &mut Vec<Part>, c: char) {
    if let Some(Part::Lit(text)) = parts.last_mut() {
        text.push(c);
    } else {
        parts.push(Part::Lit(c.to_string()));
    }
}
