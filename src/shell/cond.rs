//! Conditional expressions: the `test` and `[` builtins and bash's `[[ … ]]`, sharing one
//! evaluator (`!`, `( )`, `-a`/`-o` or `&&`/`||`, `-z -n -e -f -d -s`, `= == !=`, `< >`,
//! `-eq -ne -lt -le -gt -ge`, and in `[[ ]]` glob matching with `==` and `=~` regexes).
//!
//! File tests look at the simulated home directory only. Must not import the TUI.

use super::builtins::Call;
use super::expand::Cx;
use super::parse::{CondTok, Part, Word};
use super::regex::{Case, Options, Regex, Syntax, Whole};
use super::{Output, Shell, arith, glob};

/// One argument: its text, whether it may be an operator (unquoted), and for the right
/// side of `==` in `[[ ]]`, the text as a glob pattern.
struct Item {
    text: String,
    op: bool,
    pattern: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `test` and `[`: `-a`/`-o`, strict integers, `==` compares strings.
    Test,
    /// `[[ ]]`: `&&`/`||`, arithmetic integers, `==` matches a glob.
    Cond,
}

struct Eval<'s> {
    items: Vec<Item>,
    pos: usize,
    mode: Mode,
    shell: &'s mut Shell,
    /// What errors start with: `bash: [: ` or `bash: [[: `… as bash names the command.
    who: &'static str,
}

const UNARY: &[&str] = &[
    "-z", "-n", "-e", "-f", "-d", "-s", "-r", "-w", "-x", "-a", "-h", "-L",
];
const BINARY: &[&str] = &[
    "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "=~",
];

impl Eval<'_> {
    fn peek(&self) -> Option<&Item> {
        self.items.get(self.pos)
    }

    fn peek_op(&self, op: &str) -> bool {
        self.peek().is_some_and(|i| i.op && i.text == op)
    }

    fn or(&mut self) -> Result<bool, String> {
        let sym = if self.mode == Mode::Test { "-o" } else { "||" };
        let mut value = self.and()?;
        while self.peek_op(sym) {
            self.pos += 1;
            let right = self.and()?;
            value = value || right;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let sym = if self.mode == Mode::Test { "-a" } else { "&&" };
        let mut value = self.not()?;
        while self.peek_op(sym) {
            self.pos += 1;
            let right = self.not()?;
            value = value && right;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        let remaining = self.items.len() - self.pos;
        if self.peek_op("!") && remaining > 1 {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let remaining = self.items.len() - self.pos;
        let Some(first) = self.peek() else {
            return Err(format!("{}argument expected\n", self.who));
        };
        if first.op && first.text == "(" && remaining > 1 {
            self.pos += 1;
            let value = self.or()?;
            if !self.peek_op(")") {
                return Err(format!("{}`)' expected\n", self.who));
            }
            self.pos += 1;
            return Ok(value);
        }
        if remaining >= 3
            && let Some(op) = self.items.get(self.pos + 1).filter(|i| i.op)
            && BINARY.contains(&op.text.as_str())
        {
            let op = op.text.clone();
            let left = self.items[self.pos].text.clone();
            let right = &self.items[self.pos + 2];
            let (right_text, pattern) = (right.text.clone(), right.pattern.clone());
            self.pos += 3;
            return self.binary(&op, &left, &right_text, pattern);
        }
        if remaining >= 2 && first.op && UNARY.contains(&first.text.as_str()) {
            let op = first.text.clone();
            let arg = self.items[self.pos + 1].text.clone();
            self.pos += 2;
            return Ok(self.unary(&op, &arg));
        }
        let text = first.text.clone();
        self.pos += 1;
        Ok(!text.is_empty())
    }

    fn unary(&self, op: &str, arg: &str) -> bool {
        let vfs = &self.shell.vfs;
        let cwd = &self.shell.cwd;
        match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-d" => vfs.is_dir(cwd, arg),
            "-f" => vfs.exists(cwd, arg) && !vfs.is_dir(cwd, arg),
            "-s" => vfs.read(cwd, arg).is_ok_and(|text| !text.is_empty()),
            _ => vfs.exists(cwd, arg),
        }
    }

    fn binary(
        &mut self,
        op: &str,
        left: &str,
        right: &str,
        pattern: Option<String>,
    ) -> Result<bool, String> {
        Ok(match op {
            "=" | "==" | "!=" => {
                let equal = match (self.mode, pattern) {
                    (Mode::Cond, Some(pattern)) => glob::matches(&pattern, left),
                    _ => left == right,
                };
                equal == (op != "!=")
            }
            "<" => left < right,
            ">" => left > right,
            "=~" if self.mode == Mode::Cond => {
                let options = Options {
                    syntax: Syntax::Extended,
                    case: Case::Sensitive,
                    whole: Whole::Anywhere,
                };
                match Regex::new(right, options) {
                    Ok(regex) => regex.is_match(left),
                    Err(_) => return Err(String::new()),
                }
            }
            _ => {
                let (a, b) = (self.integer(left)?, self.integer(right)?);
                match op {
                    "-eq" => a == b,
                    "-ne" => a != b,
                    "-lt" => a < b,
                    "-le" => a <= b,
                    "-gt" => a > b,
                    _ => a >= b,
                }
            }
        })
    }

    fn integer(&mut self, text: &str) -> Result<i64, String> {
        if self.mode == Mode::Cond {
            return arith::eval(text, self.shell).map_err(|e| format!("bash: {e}\n"));
        }
        text.trim()
            .parse::<i64>()
            .map_err(|_| format!("{}{text}: integer expression expected\n", self.who))
    }
}

/// `test EXPR` and `[ EXPR ]`: status 0 true, 1 false, 2 an error.
pub(crate) fn test(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    run_test(sh, call.args, "bash: test: ")
}

pub(crate) fn bracket(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    match call.args.split_last() {
        Some((last, rest)) if last == "]" => run_test(sh, rest, "bash: [: "),
        _ => Output::err("bash: [: missing `]'\n", 2),
    }
}

fn run_test(sh: &mut Shell, args: &[String], who: &'static str) -> Output {
    if args.is_empty() {
        return Output::err("", 1);
    }
    let items = args
        .iter()
        .map(|text| Item {
            text: text.clone(),
            op: true,
            pattern: None,
        })
        .collect();
    finish(Eval {
        items,
        pos: 0,
        mode: Mode::Test,
        shell: sh,
        who,
    })
}

fn finish(mut eval: Eval<'_>) -> Output {
    match eval.or() {
        Ok(_) if eval.pos < eval.items.len() => {
            let extra = eval.items[eval.pos].text.clone();
            let message = match eval.mode {
                Mode::Test => format!("{}too many arguments\n", eval.who),
                Mode::Cond => format!(
                    "bash: syntax error in conditional expression: unexpected token `{extra}'\n"
                ),
            };
            Output::err(message, 2)
        }
        Ok(true) => Output::default(),
        Ok(false) => Output::err("", 1),
        Err(message) => Output::err(message, 2),
    }
}

impl Shell {
    /// Evaluates `[[ … ]]`'s tokens: words are expanded without splitting or globbing.
    pub(crate) fn eval_cond(&mut self, cx: &mut Cx<'_>, toks: &[CondTok]) -> Result<bool, String> {
        let mut items: Vec<Item> = Vec::new();
        for tok in toks {
            match tok {
                CondTok::Op(op) => items.push(Item {
                    text: op.to_string(),
                    op: true,
                    pattern: None,
                }),
                CondTok::Word(word) => {
                    let after_eq = items
                        .last()
                        .is_some_and(|i| i.op && matches!(i.text.as_str(), "=" | "==" | "!="));
                    let text = self.expand_plain(cx, word)?;
                    let pattern = if after_eq {
                        Some(self.expand_pattern(cx, word)?)
                    } else {
                        None
                    };
                    items.push(Item {
                        text,
                        op: is_unquoted(word),
                        pattern,
                    });
                }
            }
        }
        let out = finish(Eval {
            items,
            pos: 0,
            mode: Mode::Cond,
            shell: self,
            who: "bash: [[: ",
        });
        match out.status {
            0 => Ok(true),
            1 => Ok(false),
            _ => Err(out.stderr),
        }
    }
}

fn is_unquoted(word: &Word) -> bool {
    matches!(word.parts.as_slice(), [Part::Lit(_)])
}
