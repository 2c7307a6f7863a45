//! The compound commands of bash's grammar: `for`, `while`/`until`, `if`, `case`, `{ …; }`,
//! `( … )`, `[[ … ]]` and function definitions, each followed by optional redirections.
//!
//! Reserved words count only where a command name would stand. Nesting is bounded by
//! [`super::MAX_NESTING`] so a line of ten thousand `(` cannot overflow the stack.

use std::sync::Arc;

use super::lex::Token;
use super::{
    Command, Compound, CondTok, MAX_NESTING, ParseError, Parser, Part, Word, redirection, reserved,
    unexpected,
};

impl Parser {
    /// A compound command at the cursor, or `None` when a simple command starts there.
    pub(super) fn compound_command(&mut self) -> Result<Option<Command>, ParseError> {
        let keyword = match self.peek()? {
            Token::Op("(") => "(",
            Token::Word(word) => match reserved(word) {
                Some(kw) => kw,
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(ParseError::TooDeep);
        }
        let result = self.compound_body(keyword);
        self.nesting -= 1;
        let compound = result?;
        let mut command = Command {
            compound: Some(Box::new(compound)),
            ..Command::default()
        };
        while let Token::Redir(_) = self.peek()? {
            let Token::Redir(tok) = self.next()? else {
                break;
            };
            let target = self.redirect_target(&tok)?;
            command.redirs.push(redirection(tok, target));
        }
        Ok(Some(command))
    }

    fn compound_body(&mut self, keyword: &str) -> Result<Compound, ParseError> {
        let opening = self.next()?;
        match keyword {
            "(" => {
                if let Some(expr) = self.lexer.arith_command()? {
                    return Ok(Compound::Arith(expr));
                }
                let body = self.list(&[")"], false)?;
                self.expect_op(")")?;
                Ok(Compound::Subshell(body))
            }
            "{" => {
                let body = self.list(&["}"], false)?;
                self.expect_word("}")?;
                Ok(Compound::Brace(body))
            }
            "for" => self.for_loop(),
            "while" | "until" => {
                let cond = self.list(&["do"], false)?;
                self.expect_word("do")?;
                let body = self.list(&["done"], false)?;
                self.expect_word("done")?;
                Ok(Compound::Loop {
                    until: keyword == "until",
                    cond,
                    body,
                })
            }
            "if" => self.if_clause(),
            "case" => self.case_clause(),
            "[[" => self.cond_expression(),
            "select" => Err(ParseError::Unsupported("`select' menus")),
            "function" => {
                let name = match self.next()? {
                    Token::Word(word) => word,
                    other => return Err(unexpected(&other)),
                };
                if *self.peek()? == Token::Op("(") {
                    self.next()?;
                    self.expect_op(")")?;
                }
                self.function_body(&name)
            }
            other => Err(match opening {
                Token::Eof => ParseError::UnexpectedEof,
                _ => ParseError::UnexpectedToken(other.to_string()),
            }),
        }
    }

    fn for_loop(&mut self) -> Result<Compound, ParseError> {
        let var = match self.next()? {
            Token::Word(word) => literal(&word),
            other => return Err(unexpected(&other)),
        };
        if !super::super::expand::is_name(&var) {
            return Err(ParseError::BadName(var));
        }
        let mut words = None;
        match self.peek()? {
            Token::Op(";") => {
                self.next()?;
            }
            _ => {
                self.skip_newlines()?;
                if let Token::Word(word) = self.peek()?
                    && literal(word) == "in"
                {
                    self.next()?;
                    let mut list = Vec::new();
                    loop {
                        match self.next()? {
                            Token::Word(word) => list.push(word),
                            Token::Newline | Token::Op(";") => break,
                            Token::Eof => return Err(ParseError::UnexpectedEof),
                            other => return Err(unexpected(&other)),
                        }
                    }
                    words = Some(list);
                }
            }
        }
        self.skip_newlines()?;
        self.expect_word("do")?;
        let body = self.list(&["done"], false)?;
        self.expect_word("done")?;
        Ok(Compound::For { var, words, body })
    }

    fn if_clause(&mut self) -> Result<Compound, ParseError> {
        let mut arms = Vec::new();
        loop {
            let cond = self.list(&["then"], false)?;
            self.expect_word("then")?;
            let body = self.list(&["elif", "else", "fi"], false)?;
            arms.push((cond, body));
            match self.next_keyword()?.as_str() {
                "elif" => continue,
                "else" => {
                    let otherwise = self.list(&["fi"], false)?;
                    self.expect_word("fi")?;
                    return Ok(Compound::If {
                        arms,
                        otherwise: Some(otherwise),
                    });
                }
                _ => {
                    return Ok(Compound::If {
                        arms,
                        otherwise: None,
                    });
                }
            }
        }
    }

    fn case_clause(&mut self) -> Result<Compound, ParseError> {
        let word = match self.next()? {
            Token::Word(word) => word,
            Token::Eof => return Err(ParseError::UnexpectedEof),
            other => return Err(unexpected(&other)),
        };
        self.skip_newlines()?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            match self.peek()? {
                Token::Word(w) if reserved(w) == Some("esac") => {
                    self.next()?;
                    return Ok(Compound::Case { word, arms });
                }
                Token::Op("(") => {
                    self.next()?;
                }
                Token::Eof => return Err(ParseError::UnexpectedEof),
                _ => {}
            }
            let mut patterns = Vec::new();
            loop {
                match self.next()? {
                    Token::Word(w) => patterns.push(w),
                    Token::Eof => return Err(ParseError::UnexpectedEof),
                    other => return Err(unexpected(&other)),
                }
                match self.next()? {
                    Token::Op("|") => continue,
                    Token::Op(")") => break,
                    Token::Eof => return Err(ParseError::UnexpectedEof),
                    other => return Err(unexpected(&other)),
                }
            }
            let body = self.list(&[";;", "esac"], true)?;
            arms.push((patterns, body));
            if *self.peek()? == Token::Op(";;") {
                self.next()?;
            }
        }
    }

    fn cond_expression(&mut self) -> Result<Compound, ParseError> {
        let mut toks = Vec::new();
        loop {
            match self.next()? {
                Token::Word(word) if literal(&word) == "]]" && !toks.is_empty() => {
                    return Ok(Compound::Cond(toks));
                }
                Token::Word(word) => toks.push(CondTok::Word(word)),
                Token::Op(op @ ("&&" | "||" | "(" | ")")) => toks.push(CondTok::Op(op)),
                Token::Redir(r) if matches!(r.op, "<" | ">") && r.fd.is_none() => {
                    toks.push(CondTok::Op(r.op))
                }
                Token::Newline if !toks.is_empty() => {}
                Token::Eof => return Err(ParseError::UnexpectedEof),
                other => return Err(unexpected(&other)),
            }
        }
    }

    /// `name ( )` was read up to the `(`: the rest of a function definition.
    pub(super) fn function_definition(&mut self, name: &Word) -> Result<Command, ParseError> {
        self.next()?;
        self.expect_op(")")?;
        let compound = self.function_body(name)?;
        Ok(Command {
            compound: Some(Box::new(compound)),
            ..Command::default()
        })
    }

    fn function_body(&mut self, name: &Word) -> Result<Compound, ParseError> {
        self.skip_newlines()?;
        match self.compound_command()? {
            Some(body) => Ok(Compound::Function {
                name: literal(name),
                body: Arc::new(body),
            }),
            None => {
                let other = self.next()?;
                Err(match other {
                    Token::Eof => ParseError::UnexpectedEof,
                    other => unexpected_word(&other),
                })
            }
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), ParseError> {
        match self.next()? {
            Token::Op(found) if found == op => Ok(()),
            Token::Eof => Err(ParseError::UnexpectedEof),
            other => Err(unexpected_word(&other)),
        }
    }

    fn expect_word(&mut self, keyword: &str) -> Result<(), ParseError> {
        match self.next()? {
            Token::Word(word) if literal(&word) == keyword => Ok(()),
            Token::Eof => Err(ParseError::UnexpectedEof),
            other => Err(unexpected_word(&other)),
        }
    }

    fn next_keyword(&mut self) -> Result<String, ParseError> {
        match self.next()? {
            Token::Word(word) => Ok(literal(&word)),
            Token::Eof => Err(ParseError::UnexpectedEof),
            other => Err(unexpected(&other)),
        }
    }
}

/// A word's unquoted literal text (empty for anything quoted or expanded).
fn literal(word: &Word) -> String {
    match word.parts.as_slice() {
        [Part::Lit(text)] => text.clone(),
        _ => String::new(),
    }
}

/// Like [`unexpected`], but naming a plain word as bash does.
fn unexpected_word(token: &Token) -> ParseError {
    match token {
        Token::Word(word) if !literal(word).is_empty() => {
            ParseError::UnexpectedToken(literal(word))
        }
        other => unexpected(other),
    }
}
