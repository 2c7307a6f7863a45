//! `awk [-F SEP] [-v NAME=VALUE] 'PROGRAM' [FILE...]`: the subset tutorials use. Rules
//! `PATTERN { ACTIONS }` with `BEGIN`, `END`, `/regex/` and expression patterns; actions
//! `print`, `printf`, assignments (`= += -= *= /= ++ --`), `if`/`else`, `next`; fields
//! `$N`/`$0`, `NF`, `NR`, `FS`, `OFS`; string concatenation, arithmetic, comparisons,
//! `~`/`!~`, `&&`/`||`/`!`, `?:`, and `length`, `substr`, `index`, `tolower`, `toupper`.
//! Not here: loops, arrays, user functions, `getline`, output redirection.
//!
//! The program is parsed here; `eval` runs it.

mod eval;
mod lex;

use lex::{Tok, lex};

use super::Call;
use crate::shell::{Output, Shell};

/// Where a value can be stored.
#[derive(Clone, Debug)]
enum Lvalue {
    Var(String),
    Field(Box<Expr>),
}

#[derive(Clone, Debug)]
enum Expr {
    Num(f64),
    Str(String),
    /// A bare `/re/`: whether `$0` matches.
    Regex(String),
    Lv(Lvalue),
    Assign(Lvalue, &'static str, Box<Expr>),
    /// `++x`/`x++`: the lvalue, the step, and whether the new value is the result.
    Incr(Lvalue, f64, bool),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    /// `a ~ re` (`true`) or `a !~ re`.
    Match(bool, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Clone, Debug)]
enum Stmt {
    Print(Vec<Expr>),
    Printf(Vec<Expr>),
    Expr(Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    Next,
}

#[derive(Clone, Debug)]
enum Pattern {
    Begin,
    End,
    All,
    When(Expr),
}

#[derive(Clone, Debug)]
struct Rule {
    pattern: Pattern,
    /// `None`: print the record.
    action: Option<Vec<Stmt>>,
}

const FUNCS: &[&str] = &["length", "substr", "index", "tolower", "toupper"];

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

type Parsed<T> = Result<T, String>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error(&self) -> String {
        let near = match self.peek() {
            Some(Tok::Num(n)) => n.to_string(),
            Some(Tok::Str(s)) => format!("\"{s}\""),
            Some(Tok::Regex(r)) => format!("/{r}/"),
            Some(Tok::Name(n)) => n.clone(),
            Some(Tok::Op(o)) => o.to_string(),
            Some(Tok::Newline) => "newline".to_string(),
            None => "end of program".to_string(),
        };
        format!("line 1: syntax error at or near {near}")
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) || self.is_op(";") {
            self.pos += 1;
        }
    }

    fn program(&mut self) -> Parsed<Vec<Rule>> {
        let mut rules = Vec::new();
        loop {
            self.skip_newlines();
            let Some(tok) = self.peek().cloned() else {
                return Ok(rules);
            };
            let pattern = match tok {
                Tok::Name(n) if n == "BEGIN" => {
                    self.pos += 1;
                    Pattern::Begin
                }
                Tok::Name(n) if n == "END" => {
                    self.pos += 1;
                    Pattern::End
                }
                Tok::Op("{") => Pattern::All,
                _ => Pattern::When(self.expr()?),
            };
            let action = if self.eat("{") {
                Some(self.block()?)
            } else if matches!(pattern, Pattern::Begin | Pattern::End) {
                return Err(self.error());
            } else {
                None
            };
            rules.push(Rule { pattern, action });
        }
    }

    /// Statements up to the `}` that closes a block (already opened).
    fn block(&mut self) -> Parsed<Vec<Stmt>> {
        self.depth += 1;
        if self.depth > 50 {
            return Err("program nested too deeply".to_string());
        }
        let mut stmts = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat("}") {
                self.depth -= 1;
                return Ok(stmts);
            }
            if self.peek().is_none() {
                return Err("line 1: missing } near end of file".to_string());
            }
            stmts.push(self.statement()?);
        }
    }

    fn body(&mut self) -> Parsed<Vec<Stmt>> {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
        if self.eat("{") {
            self.block()
        } else {
            Ok(vec![self.statement()?])
        }
    }

    fn statement(&mut self) -> Parsed<Stmt> {
        let stmt = match self.peek().cloned() {
            Some(Tok::Name(n)) if n == "print" || n == "printf" => {
                self.pos += 1;
                let parens = self.is_op("(") && n == "printf";
                let mut args = Vec::new();
                if parens {
                    self.pos += 1;
                }
                if !self.at_statement_end() && !self.is_op(")") {
                    args.push(self.expr_no_gt()?);
                    while self.eat(",") {
                        while matches!(self.peek(), Some(Tok::Newline)) {
                            self.pos += 1;
                        }
                        args.push(self.expr_no_gt()?);
                    }
                }
                if parens && !self.eat(")") {
                    return Err(self.error());
                }
                if self.is_op(">") {
                    return Err(
                        "output redirection is not supported in this simulated awk".to_string()
                    );
                }
                if n == "print" {
                    Stmt::Print(args)
                } else {
                    Stmt::Printf(args)
                }
            }
            Some(Tok::Name(n)) if n == "next" => {
                self.pos += 1;
                Stmt::Next
            }
            Some(Tok::Name(n)) if n == "if" => {
                self.pos += 1;
                if !self.eat("(") {
                    return Err(self.error());
                }
                let cond = self.expr()?;
                if !self.eat(")") {
                    return Err(self.error());
                }
                let then = self.body()?;
                let save = self.pos;
                self.skip_newlines();
                let otherwise = if matches!(self.peek(), Some(Tok::Name(n)) if n == "else") {
                    self.pos += 1;
                    self.body()?
                } else {
                    self.pos = save;
                    Vec::new()
                };
                return Ok(Stmt::If(cond, then, otherwise));
            }
            Some(Tok::Name(n))
                if matches!(n.as_str(), "while" | "for" | "do" | "getline" | "function") =>
            {
                return Err(format!("`{n}' is not supported in this simulated awk"));
            }
            Some(Tok::Op("{")) => {
                self.pos += 1;
                let inner = self.block()?;
                return Ok(Stmt::If(Expr::Num(1.0), inner, Vec::new()));
            }
            _ => Stmt::Expr(self.expr()?),
        };
        if !self.at_statement_end() {
            return Err(self.error());
        }
        Ok(stmt)
    }

    fn at_statement_end(&self) -> bool {
        matches!(self.peek(), None | Some(Tok::Newline | Tok::Op(";" | "}")))
    }

    fn expr(&mut self) -> Parsed<Expr> {
        self.ternary(true)
    }

    /// In `print`, an unparenthesized `>` is redirection, not comparison.
    fn expr_no_gt(&mut self) -> Parsed<Expr> {
        self.ternary(false)
    }

    fn ternary(&mut self, gt: bool) -> Parsed<Expr> {
        let start = self.pos;
        let cond = self.or(gt)?;
        if let Some(Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^="))) =
            self.peek().cloned()
        {
            let lv = match cond {
                Expr::Lv(lv) => lv,
                _ => {
                    self.pos = start;
                    return Err(self.error());
                }
            };
            self.pos += 1;
            let value = self.ternary(gt)?;
            return Ok(Expr::Assign(lv, op, Box::new(value)));
        }
        if self.eat("?") {
            let a = self.ternary(gt)?;
            if !self.eat(":") {
                return Err(self.error());
            }
            let b = self.ternary(gt)?;
            return Ok(Expr::Cond(Box::new(cond), Box::new(a), Box::new(b)));
        }
        Ok(cond)
    }

    fn or(&mut self, gt: bool) -> Parsed<Expr> {
        let mut left = self.and(gt)?;
        while self.eat("||") {
            let right = self.and(gt)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, gt: bool) -> Parsed<Expr> {
        let mut left = self.matching(gt)?;
        while self.eat("&&") {
            let right = self.matching(gt)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn matching(&mut self, gt: bool) -> Parsed<Expr> {
        let mut left = self.comparison(gt)?;
        loop {
            let positive = if self.eat("~") {
                true
            } else if self.eat("!~") {
                false
            } else {
                return Ok(left);
            };
            let right = self.comparison(gt)?;
            left = Expr::Match(positive, Box::new(left), Box::new(right));
        }
    }

    fn comparison(&mut self, gt: bool) -> Parsed<Expr> {
        let left = self.concat()?;
        let op = match self.peek() {
            Some(Tok::Op(op @ ("<" | "<=" | "==" | "!=" | ">="))) => *op,
            Some(Tok::Op(">")) if gt => ">",
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.concat()?;
        Ok(Expr::Bin(op, Box::new(left), Box::new(right)))
    }

    fn starts_operand(&self) -> bool {
        match self.peek() {
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Regex(_)) => true,
            Some(Tok::Name(n)) => !matches!(n.as_str(), "in" | "getline"),
            Some(Tok::Op(op)) => matches!(*op, "$" | "(" | "!" | "-" | "+" | "++" | "--"),
            _ => false,
        }
    }

    fn concat(&mut self) -> Parsed<Expr> {
        let mut left = self.additive()?;
        while self.starts_operand() && !self.is_op("-") && !self.is_op("+") && !self.is_op("!") {
            let right = self.additive()?;
            left = Expr::Concat(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn additive(&mut self) -> Parsed<Expr> {
        let mut left = self.term()?;
        while let Some(Tok::Op(op @ ("+" | "-"))) = self.peek().cloned() {
            self.pos += 1;
            let right = self.term()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Parsed<Expr> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op @ ("*" | "/" | "%"))) = self.peek().cloned() {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Parsed<Expr> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("+") {
            return Ok(Expr::Bin(
                "+",
                Box::new(Expr::Num(0.0)),
                Box::new(self.unary()?),
            ));
        }
        self.power()
    }

    fn power(&mut self) -> Parsed<Expr> {
        let base = self.postfix()?;
        if self.eat("^") {
            let exp = self.unary()?;
            return Ok(Expr::Bin("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Parsed<Expr> {
        if let Some(Tok::Op(op @ ("++" | "--"))) = self.peek().cloned() {
            self.pos += 1;
            let Expr::Lv(lv) = self.primary()? else {
                return Err(self.error());
            };
            return Ok(Expr::Incr(lv, if op == "++" { 1.0 } else { -1.0 }, true));
        }
        let value = self.primary()?;
        if let Expr::Lv(lv) = &value
            && let Some(Tok::Op(op @ ("++" | "--"))) = self.peek().cloned()
        {
            self.pos += 1;
            return Ok(Expr::Incr(
                lv.clone(),
                if op == "++" { 1.0 } else { -1.0 },
                false,
            ));
        }
        Ok(value)
    }

    fn primary(&mut self) -> Parsed<Expr> {
        self.depth += 1;
        if self.depth > 100 {
            return Err("program nested too deeply".to_string());
        }
        let result = self.primary_inner();
        self.depth -= 1;
        result
    }

    fn primary_inner(&mut self) -> Parsed<Expr> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.error());
        };
        self.pos += 1;
        Ok(match tok {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Regex(r) => Expr::Regex(r),
            Tok::Op("$") => Expr::Lv(Lvalue::Field(Box::new(self.postfix()?))),
            Tok::Op("(") => {
                let inner = self.expr()?;
                if !self.eat(")") {
                    return Err(self.error());
                }
                inner
            }
            Tok::Name(name) if FUNCS.contains(&name.as_str()) => {
                let mut args = Vec::new();
                if self.eat("(") && !self.eat(")") {
                    {
                        args.push(self.expr()?);
                        while self.eat(",") {
                            args.push(self.expr()?);
                        }
                        if !self.eat(")") {
                            return Err(self.error());
                        }
                    }
                }
                Expr::Call(name, args)
            }
            Tok::Name(name)
                if matches!(
                    name.as_str(),
                    "BEGIN" | "END" | "print" | "printf" | "if" | "else" | "next"
                ) =>
            {
                self.pos -= 1;
                return Err(self.error());
            }
            Tok::Name(name) => Expr::Lv(Lvalue::Var(name)),
            _ => {
                self.pos -= 1;
                return Err(self.error());
            }
        })
    }
}

/// The awk builtin: options, then the program, then files (or stdin).
pub(crate) fn awk(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let mut fs: Option<String> = None;
    let mut assigns: Vec<(String, String)> = Vec::new();
    let mut rest = call.args;
    while let Some((arg, tail)) = rest.split_first() {
        let (flag, inline) = match arg.as_str() {
            "--" => {
                rest = tail;
                break;
            }
            a if a.starts_with("-F") || a.starts_with("-v") => (&a[..2], &a[2..]),
            a if a.starts_with('-') && a.len() > 1 => {
                return Output::err(format!("awk: not an option: {a}\n"), 2);
            }
            _ => break,
        };
        let (value, after) = if inline.is_empty() {
            match tail.split_first() {
                Some((v, more)) => (v.clone(), more),
                None => {
                    return Output::err(
                        format!("awk: option requires an argument -- {}\n", &flag[1..]),
                        2,
                    );
                }
            }
        } else {
            (inline.to_string(), tail)
        };
        rest = after;
        if flag == "-F" {
            fs = Some(if value == "t" || value == "\\t" {
                "\t".to_string()
            } else {
                value
            });
        } else {
            match value.split_once('=') {
                Some((n, v)) => assigns.push((n.to_string(), v.to_string())),
                None => return Output::err(format!("awk: invalid -v argument: {value}\n"), 2),
            }
        }
    }
    let Some((program, files)) = rest.split_first() else {
        return Output::err(
            "usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n",
            2,
        );
    };
    let rules = match lex(program).and_then(|toks| {
        Parser {
            toks,
            pos: 0,
            depth: 0,
        }
        .program()
    }) {
        Ok(rules) => rules,
        Err(message) => {
            return Output::err(format!("awk: {message}\n"), 2);
        }
    };
    eval::run(sh, call.stdin, files, &rules, fs, assigns)
}
