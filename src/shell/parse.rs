//! The command-line grammar: lists (`;`, `&&`, `||`, newlines) of pipelines of simple
//! commands with assignments, words and redirections, and the completeness check that
//! decides whether the TUI shows bash's `> ` continuation prompt.
//!
//! Compound commands (`for`, `while`, `until`, `if`, `case`, `{ …; }`, `( … )`, `[[ … ]]`,
//! function definitions) are parsed in `compound`. Not supported: brace expansion (`{a,b}`
//! stays literal, so kubectl's `{.spec.taints[*]}` passes through untouched), `select`,
//! arrays and coprocesses.
//!
//! Pure: must not import the executor, the file system or the engine.

mod compound;
mod lex;
mod scan;

use std::fmt;
use std::sync::Arc;

use lex::{Lexer, Open, RedirTok, Token};

use super::vfs::WriteMode;

pub use scan::Scanner;

/// One piece of a word, kept apart so expansion knows what was quoted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: glob characters are live here.
    Lit(String),
    /// Single-quoted or backslash-escaped text, taken as is.
    Quoted(String),
    /// The inside of `"…"`: its literals are quoted, its expansions are not split.
    Double(Vec<Part>),
    /// `$NAME`, `${NAME}`, `$?`.
    Param(String),
    /// `$( … )` or `` ` … ` ``: the source of the command to run.
    Subst(String),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
    /// `$(( … ))`: the expression's source.
    Arith(String),
}

/// A shell word before expansion.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub parts: Vec<Part>,
}

/// `NAME=value`, before a command or alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assign {
    pub name: String,
    pub value: Word,
}

/// What a redirection does to its file descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirKind {
    /// `<file`.
    Input(Word),
    /// `>file`, `>>file`.
    Output(Word, WriteMode),
    /// `&>file`, `&>>file`: stdout and stderr both.
    OutputBoth(Word, WriteMode),
    /// `N>&M`: the descriptor becomes a copy of `M`.
    Dup(u32),
    /// `<<EOF` … `EOF`.
    Heredoc { body: String, expand: bool },
    /// `<<< word`: the word and a newline.
    HereString(Word),
}

/// One redirection of descriptor `fd`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redir {
    pub fd: u32,
    pub kind: RedirKind,
}

/// A simple command: `A=1 cmd arg >file`, or a compound command with its redirections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Command {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// Set for `for`, `while`, `if`, groups…: then `assigns` and `words` are empty.
    pub compound: Option<Box<Compound>>,
}

/// One token inside `[[ … ]]`: a word, or an operator the lexer made (`&&`, `(`, `<`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CondTok {
    Word(Word),
    Op(&'static str),
}

/// A compound command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compound {
    /// `{ …; }`.
    Brace(Script),
    /// `( … )`: runs in a copy of the variables and working directory.
    Subshell(Script),
    /// `for NAME [in WORDS]; do …; done` (no `in`: the positional parameters).
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: Script,
    },
    /// `while`/`until COND; do …; done`.
    Loop {
        until: bool,
        cond: Script,
        body: Script,
    },
    /// `if C; then …; elif C; then …; else …; fi`.
    If {
        arms: Vec<(Script, Script)>,
        otherwise: Option<Script>,
    },
    /// `case WORD in PAT|PAT) …;; esac`.
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, Script)>,
    },
    /// `[[ … ]]`.
    Cond(Vec<CondTok>),
    /// `(( … ))`: status 0 when the expression is not zero.
    Arith(String),
    /// `name() BODY` or `function name BODY`: defines the function.
    Function { name: String, body: Arc<Command> },
}

/// Commands joined by `|`, optionally negated with `!`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pipeline {
    pub commands: Vec<Command>,
    pub negate: bool,
}

/// How a pipeline is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// Pipelines joined by `&&` and `||`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

/// A whole command line: and-or lists run one after another.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub items: Vec<AndOr>,
    /// bash's warnings that do not stop the run (heredoc ended by end of input).
    pub warnings: Vec<String>,
}

/// Why a command line cannot run; `Display` is bash's own message, newline included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The input stopped inside a quote or substitution.
    Unclosed(char),
    /// The input ends with a backslash.
    TrailingBackslash,
    /// The input ends after `|`, `&&` or `||`.
    UnexpectedEof,
    /// A token where none may stand (`| x`, `echo >`, `;;`).
    UnexpectedToken(String),
    /// More tokens and word parts than [`lex::MAX_PIECES`].
    TooComplex,
    /// Compound commands nested deeper than [`MAX_NESTING`].
    TooDeep,
    /// `for 1 in …`: bash's "not a valid identifier".
    BadName(String),
    /// bash grammar this shell does not have (`select`, arrays).
    Unsupported(&'static str),
}

/// Deepest nesting of compound commands one line may have (the parser recurses per level).
pub const MAX_NESTING: usize = 100;

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Unclosed(c) => write!(
                f,
                "bash: unexpected EOF while looking for matching `{c}'\nbash: syntax error: unexpected end of file\n"
            ),
            ParseError::TrailingBackslash | ParseError::UnexpectedEof => {
                f.write_str("bash: syntax error: unexpected end of file\n")
            }
            ParseError::UnexpectedToken(t) => {
                writeln!(f, "bash: syntax error near unexpected token `{t}'")
            }
            ParseError::TooComplex => writeln!(
                f,
                "kubetutor: command line too complex (over {} words, operators and quoted pieces): none of it was run",
                lex::MAX_PIECES
            ),
            ParseError::TooDeep => writeln!(
                f,
                "kubetutor: command line nested too deeply (over {MAX_NESTING} levels of loops, groups or conditionals): none of it was run"
            ),
            ParseError::BadName(name) => writeln!(f, "bash: `{name}': not a valid identifier"),
            ParseError::Unsupported(what) => writeln!(
                f,
                "bash: {what} are not supported in this simulated shell (see `help'): none of the line was run"
            ),
        }
    }
}

impl From<Open> for ParseError {
    fn from(open: Open) -> ParseError {
        match open {
            Open::Quote(c) | Open::Substitution(c) => ParseError::Unclosed(c),
            Open::Backslash => ParseError::TrailingBackslash,
            Open::TooComplex => ParseError::TooComplex,
        }
    }
}

/// Whether typed text is a whole command line or bash would prompt `> ` for more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    Incomplete,
}

/// Open heredocs, unterminated quotes or substitutions, a trailing `|`, `&&`, `||` or
/// backslash make the text incomplete; a syntax error is complete (running it reports it).
pub fn completeness(text: &str) -> Completeness {
    let mut parser = Parser::new(text);
    match parser.script() {
        Ok(_) if parser.lexer.heredocs.iter().any(|doc| doc.hit_eof) => Completeness::Incomplete,
        Ok(_)
        | Err(
            ParseError::UnexpectedToken(_)
            | ParseError::TooComplex
            | ParseError::TooDeep
            | ParseError::BadName(_)
            | ParseError::Unsupported(_),
        ) => Completeness::Complete,
        Err(_) => Completeness::Incomplete,
    }
}

/// Parses a whole command line (heredoc bodies included).
pub fn parse(text: &str) -> Result<Script, ParseError> {
    let mut parser = Parser::new(text);
    let mut script = parser.script()?;
    let docs = &parser.lexer.heredocs;
    for doc in docs.iter().filter(|doc| doc.hit_eof) {
        script.warnings.push(format!(
            "bash: warning: here-document at line {} delimited by end-of-file (wanted `{}')\n",
            doc.line, doc.delimiter
        ));
    }
    // The parser meets `<<` operators in the order the lexer numbered them.
    let mut bodies = docs.iter();
    fill_heredocs(&mut script, &mut bodies);
    Ok(script)
}

/// Gives each `<<` its body, in source order (a compound's body before its own redirections).
fn fill_heredocs(script: &mut Script, bodies: &mut std::slice::Iter<'_, lex::Heredoc>) {
    for item in &mut script.items {
        for pipeline in std::iter::once(&mut item.first).chain(item.rest.iter_mut().map(|(_, p)| p))
        {
            for command in &mut pipeline.commands {
                fill_command(command, bodies);
            }
        }
    }
}

fn fill_command(command: &mut Command, bodies: &mut std::slice::Iter<'_, lex::Heredoc>) {
    if let Some(compound) = command.compound.as_deref_mut() {
        match compound {
            Compound::Brace(s) | Compound::Subshell(s) | Compound::For { body: s, .. } => {
                fill_heredocs(s, bodies)
            }
            Compound::Loop { cond, body, .. } => {
                fill_heredocs(cond, bodies);
                fill_heredocs(body, bodies);
            }
            Compound::If { arms, otherwise } => {
                for (cond, body) in arms {
                    fill_heredocs(cond, bodies);
                    fill_heredocs(body, bodies);
                }
                if let Some(s) = otherwise {
                    fill_heredocs(s, bodies);
                }
            }
            Compound::Case { arms, .. } => {
                for (_, s) in arms {
                    fill_heredocs(s, bodies);
                }
            }
            Compound::Cond(_) | Compound::Arith(_) => {}
            Compound::Function { body, .. } => fill_command(Arc::make_mut(body), bodies),
        }
    }
    for redir in &mut command.redirs {
        if let RedirKind::Heredoc { body, expand } = &mut redir.kind
            && let Some(doc) = bodies.next()
        {
            *body = doc.body.clone();
            *expand = doc.expand;
        }
    }
}

/// The parts of a heredoc body with an unquoted delimiter, where `$VAR`, `$( )` and
/// `\$` work as inside double quotes but `"` is plain text.
pub fn heredoc_parts(body: &str) -> Vec<Part> {
    Lexer::new(body)
        .double_quoted(None)
        .unwrap_or_else(|_| vec![Part::Quoted(body.to_string())])
}

struct Parser {
    lexer: Lexer,
    peeked: Option<Token>,
    /// Compound commands open around the cursor (see [`MAX_NESTING`]).
    nesting: usize,
}

impl Parser {
    fn new(text: &str) -> Parser {
        Parser {
            lexer: Lexer::new(text),
            peeked: None,
            nesting: 0,
        }
    }

    fn peek(&mut self) -> Result<&Token, ParseError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token()?);
        }
        Ok(self.peeked.get_or_insert(Token::Eof))
    }

    fn next(&mut self) -> Result<Token, ParseError> {
        self.peek()?;
        Ok(self.peeked.take().unwrap_or(Token::Eof))
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while *self.peek()? == Token::Newline {
            self.next()?;
        }
        Ok(())
    }

    fn script(&mut self) -> Result<Script, ParseError> {
        self.list(&[], true)
    }

    /// Commands up to one of `stops` (a reserved word at a command's start, `)` or `;;`),
    /// which is left unread; with no stops, up to the end of the text.
    fn list(&mut self, stops: &[&str], allow_empty: bool) -> Result<Script, ParseError> {
        let mut script = Script::default();
        loop {
            self.skip_newlines()?;
            let stop = match self.peek()? {
                Token::Eof if stops.is_empty() => return Ok(script),
                Token::Eof => return Err(ParseError::UnexpectedEof),
                Token::Op(op) if stops.contains(op) => Some(op.to_string()),
                Token::Word(word) => reserved(word)
                    .filter(|kw| stops.contains(kw))
                    .map(str::to_string),
                _ => None,
            };
            if let Some(stop) = stop {
                if script.items.is_empty() && !allow_empty {
                    return Err(ParseError::UnexpectedToken(stop));
                }
                return Ok(script);
            }
            script.items.push(self.and_or()?);
            match self.peek()? {
                Token::Eof => {}
                Token::Newline | Token::Op(";" | "&") => {
                    self.next()?;
                }
                Token::Op(op) if stops.contains(op) => {}
                _ => {
                    let other = self.next()?;
                    return Err(unexpected(&other));
                }
            }
        }
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek()? {
                Token::Op("&&") => Connector::And,
                Token::Op("||") => Connector::Or,
                _ => return Ok(AndOr { first, rest }),
            };
            self.next()?;
            self.skip_newlines()?;
            if *self.peek()? == Token::Eof {
                return Err(ParseError::UnexpectedEof);
            }
            rest.push((connector, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let mut negate = false;
        while let Token::Word(word) = self.peek()?
            && reserved(word) == Some("!")
        {
            self.next()?;
            negate = !negate;
        }
        let mut commands = vec![self.command()?];
        while let Token::Op(op @ ("|" | "|&")) = self.peek()? {
            if *op == "|&"
                && let Some(last) = commands.last_mut()
            {
                last.redirs.push(Redir {
                    fd: 2,
                    kind: RedirKind::Dup(1),
                });
            }
            self.next()?;
            self.skip_newlines()?;
            if *self.peek()? == Token::Eof {
                return Err(ParseError::UnexpectedEof);
            }
            commands.push(self.command()?);
        }
        Ok(Pipeline { commands, negate })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        if let Some(command) = self.compound_command()? {
            return Ok(command);
        }
        let mut command = Command::default();
        loop {
            match self.peek()? {
                Token::Word(_) => {
                    let Token::Word(word) = self.next()? else {
                        continue;
                    };
                    match assignment(&word) {
                        Some(assign) if command.words.is_empty() => {
                            if assign.value.parts.is_empty() && *self.peek()? == Token::Op("(") {
                                return Err(ParseError::Unsupported("arrays (`name=(a b c)')"));
                            }
                            command.assigns.push(assign);
                        }
                        _ => command.words.push(word),
                    }
                    if command.words.len() == 1
                        && command.assigns.is_empty()
                        && command.redirs.is_empty()
                        && *self.peek()? == Token::Op("(")
                    {
                        return self.function_definition(&command.words[0]);
                    }
                }
                Token::Redir(_) => {
                    let Token::Redir(tok) = self.next()? else {
                        continue;
                    };
                    let target = self.redirect_target(&tok)?;
                    command.redirs.push(redirection(tok, target));
                }
                other => {
                    if command.assigns.is_empty()
                        && command.words.is_empty()
                        && command.redirs.is_empty()
                    {
                        return Err(unexpected(other));
                    }
                    return Ok(command);
                }
            }
        }
    }
}

impl Parser {
    /// The word after a redirection operator; `<(` is named as unsupported.
    fn redirect_target(&mut self, tok: &RedirTok) -> Result<Word, ParseError> {
        let process = ParseError::Unsupported("process substitutions (`<( … )', `>( … )')");
        match self.next()? {
            Token::Word(word) => Ok(word),
            Token::Op("(") if matches!(tok.op, "<" | ">") => Err(process),
            Token::Redir(r) if matches!(r.op, "<" | ">") && self.lexer.at('(') => Err(process),
            other => Err(unexpected(&other)),
        }
    }
}

/// The reserved word a word is, when it is one (unquoted, alone).
/// Bash's reserved words (the scanner reads the same table).
pub(super) const RESERVED: &[&str] = &[
    "if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "{", "}", "[[", "]]", "!",
];

fn reserved(word: &Word) -> Option<&'static str> {
    match word.parts.as_slice() {
        [Part::Lit(text)] => RESERVED.iter().find(|kw| **kw == text).copied(),
        _ => None,
    }
}

fn unexpected(token: &Token) -> ParseError {
    ParseError::UnexpectedToken(match token {
        Token::Word(Word { parts }) => match parts.as_slice() {
            [Part::Lit(text)] => text.clone(),
            _ => "newline".to_string(),
        },
        Token::Newline | Token::Eof => "newline".to_string(),
        Token::Op(op) => op.to_string(),
        Token::Redir(r) => r.op.to_string(),
    })
}

fn redirection(tok: RedirTok, target: Word) -> Redir {
    let default_fd = if tok.op.starts_with('<') { 0 } else { 1 };
    let fd = tok.fd.unwrap_or(default_fd);
    let digits = match target.parts.as_slice() {
        [Part::Lit(text)] if text.chars().all(|c| c.is_ascii_digit()) => text.parse::<u32>().ok(),
        _ => None,
    };
    let kind = match tok.op {
        "<" => RedirKind::Input(target),
        ">>" => RedirKind::Output(target, WriteMode::Append),
        "&>" => RedirKind::OutputBoth(target, WriteMode::Truncate),
        "&>>" => RedirKind::OutputBoth(target, WriteMode::Append),
        "<<" | "<<-" => RedirKind::Heredoc {
            body: String::new(),
            expand: false,
        },
        "<<<" => RedirKind::HereString(target),
        ">&" | "<&" => match digits {
            Some(n) => RedirKind::Dup(n),
            None if tok.fd.is_none() && tok.op == ">&" => {
                RedirKind::OutputBoth(target, WriteMode::Truncate)
            }
            None => RedirKind::Output(target, WriteMode::Truncate),
        },
        _ => RedirKind::Output(target, WriteMode::Truncate),
    };
    Redir { fd, kind }
}

/// `NAME=value` when the word starts with an unquoted valid name and `=`.
fn assignment(word: &Word) -> Option<Assign> {
    let Some(Part::Lit(first)) = word.parts.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let mut parts = Vec::new();
    if rest == "~" || rest.starts_with("~/") {
        parts.push(Part::Tilde(String::new()));
        if rest.len() > 1 {
            parts.push(Part::Lit(rest[1..].to_string()));
        }
    } else if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(word.parts[1..].iter().cloned());
    Some(Assign {
        name: name.to_string(),
        value: Word { parts },
    })
}

#[cfg(test)]
mod tests;
