//! Bash's `$(( ))` arithmetic over 64-bit integers: `+ - * / % **`, comparisons, `! && ||`,
//! `& | ^ << >>`, `?:`, parentheses, and variables with or without `$` (assignment forms
//! `= += -= *= /= %=` and `++`/`--` set them). Errors use bash's words.
//!
//! Must not import the executor; variables are read and written through [`Vars`].

/// Where the expression's variables live.
pub(crate) trait Vars {
    fn get(&self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: i64);
}

/// Deepest nesting of parentheses and of variables holding expressions.
const MAX_DEPTH: usize = 64;

/// Evaluates `expr` (already `$`-expanded); `Err` is bash's message without `bash: `.
pub(crate) fn eval(expr: &str, vars: &mut dyn Vars) -> Result<i64, String> {
    let tokens = tokenize(expr)?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut p = P {
        toks: tokens,
        pos: 0,
        src: expr.trim().to_string(),
        vars,
        depth: 0,
    };
    let value = p.comma(true)?;
    if p.pos < p.toks.len() {
        let rest = p.rest();
        return Err(format!(
            "{}: syntax error in expression (error token is \"{rest}\")",
            p.src
        ));
    }
    Ok(value)
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "**=", "<<=", ">>=", "**", "++", "--", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=",
    "/=", "%=", "<<", ">>", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "!", "~", "(",
    ")", "?", ":", "=", "&", "|", "^", ",",
];

fn tokenize(expr: &str) -> Result<Vec<T>, String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(T::Num(number(&text, expr)?));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(T::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..].iter().take(3).collect();
            let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                let token: String = chars[i..].iter().collect();
                return Err(format!(
                    "{}: syntax error: operand expected (error token is \"{token}\")",
                    expr.trim()
                ));
            };
            i += op.len();
            out.push(T::Op(op));
        }
    }
    Ok(out)
}

fn number(text: &str, expr: &str) -> Result<i64, String> {
    let parsed = if let Some(hex) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        i64::from_str_radix(&text[1..], 8).ok()
    } else {
        text.parse::<i64>().ok()
    };
    parsed.ok_or_else(|| {
        format!(
            "{}: value too great for base (error token is \"{text}\")",
            expr.trim()
        )
    })
}

struct P<'v> {
    toks: Vec<T>,
    pos: usize,
    src: String,
    vars: &'v mut dyn Vars,
    depth: usize,
}

impl P<'_> {
    fn rest(&self) -> String {
        self.toks[self.pos..]
            .iter()
            .map(|t| match t {
                T::Num(n) => n.to_string(),
                T::Name(n) => n.clone(),
                T::Op(o) => o.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(T::Op(op)) => Some(op),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn operand_expected(&self) -> String {
        let rest = self.rest();
        format!(
            "{}: syntax error: operand expected (error token is \"{rest}\")",
            self.src
        )
    }

    /// `a, b`: both evaluated, the last one's value.
    fn comma(&mut self, live: bool) -> Result<i64, String> {
        let mut value = self.ternary(live)?;
        while self.eat(",") {
            value = self.ternary(live)?;
        }
        Ok(value)
    }

    /// `c ? a : b` and assignments; `live` is false in a branch not taken (no side effects).
    fn ternary(&mut self, live: bool) -> Result<i64, String> {
        if let (Some(T::Name(name)), Some(T::Op(op))) = (
            self.toks.get(self.pos).cloned(),
            self.toks.get(self.pos + 1),
        ) && matches!(
            *op,
            "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "**=" | "<<=" | ">>=" | "&=" | "|=" | "^="
        ) {
            let op = *op;
            self.pos += 2;
            let rhs = self.ternary(live)?;
            let value = if op == "=" {
                rhs
            } else {
                let old = self.var(&name)?;
                self.binary(&op[..op.len() - 1], old, rhs)?
            };
            if live {
                self.vars.set(&name, value);
            }
            return Ok(value);
        }
        let cond = self.binary_level(0, live)?;
        if self.eat("?") {
            let a = self.ternary(live && cond != 0)?;
            if !self.eat(":") {
                return Err(format!(
                    "{}: expected `:' (error token is \"{}\")",
                    self.src,
                    self.rest()
                ));
            }
            let b = self.ternary(live && cond == 0)?;
            return Ok(if cond != 0 { a } else { b });
        }
        Ok(cond)
    }

    fn binary_level(&mut self, level: usize, live: bool) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.power(live);
        };
        let mut left = self.binary_level(level + 1, live)?;
        while let Some(op) = self.peek_op().filter(|op| ops.contains(op)) {
            self.pos += 1;
            let short = match op {
                "||" => left != 0,
                "&&" => left == 0,
                _ => false,
            };
            let right = self.binary_level(level + 1, live && !short)?;
            left = match op {
                "||" => i64::from(left != 0 || right != 0),
                "&&" => i64::from(left != 0 && right != 0),
                _ if !live => 0,
                _ => self.binary(op, left, right)?,
            };
        }
        Ok(left)
    }

    fn power(&mut self, live: bool) -> Result<i64, String> {
        let base = self.unary(live)?;
        if self.eat("**") {
            let exp = self.power(live)?;
            return self.binary("**", base, exp);
        }
        Ok(base)
    }

    fn binary(&self, op: &str, a: i64, b: i64) -> Result<i64, String> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" if b == 0 => {
                return Err(format!(
                    "{}: division by 0 (error token is \"{b}\")",
                    self.src
                ));
            }
            "/" => a.wrapping_div(b),
            "%" => a.wrapping_rem(b),
            "**" if b < 0 => {
                return Err(format!(
                    "{}: exponent less than 0 (error token is \"{b}\")",
                    self.src
                ));
            }
            "**" => a.wrapping_pow(u32::try_from(b).unwrap_or(u32::MAX)),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "<" => i64::from(a < b),
            "<=" => i64::from(a <= b),
            ">" => i64::from(a > b),
            ">=" => i64::from(a >= b),
            "<<" => a.wrapping_shl(b as u32),
            ">>" => a.wrapping_shr(b as u32),
            "&" => a & b,
            "|" => a | b,
            "^" => a ^ b,
            _ => 0,
        })
    }

    fn unary(&mut self, live: bool) -> Result<i64, String> {
        match self.peek_op() {
            Some(op @ ("-" | "+" | "!" | "~")) => {
                self.pos += 1;
                let v = self.unary(live)?;
                Ok(match op {
                    "-" => v.wrapping_neg(),
                    "!" => i64::from(v == 0),
                    "~" => !v,
                    _ => v,
                })
            }
            Some(op @ ("++" | "--")) => {
                self.pos += 1;
                let Some(T::Name(name)) = self.toks.get(self.pos).cloned() else {
                    return Err(self.operand_expected());
                };
                self.pos += 1;
                let v = self.var(&name)?;
                let new = if op == "++" {
                    v.wrapping_add(1)
                } else {
                    v.wrapping_sub(1)
                };
                if live {
                    self.vars.set(&name, new);
                }
                Ok(new)
            }
            _ => self.primary(live),
        }
    }

    fn primary(&mut self, live: bool) -> Result<i64, String> {
        match self.toks.get(self.pos).cloned() {
            Some(T::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(T::Name(name)) => {
                self.pos += 1;
                let v = self.var(&name)?;
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.pos += 1;
                    if live {
                        let new = if op == "++" {
                            v.wrapping_add(1)
                        } else {
                            v.wrapping_sub(1)
                        };
                        self.vars.set(&name, new);
                    }
                }
                Ok(v)
            }
            Some(T::Op("(")) => {
                self.pos += 1;
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!("{}: expression recursion level exceeded", self.src));
                }
                let v = self.comma(live)?;
                self.depth -= 1;
                if !self.eat(")") {
                    return Err(format!(
                        "{}: missing `)' (error token is \"{}\")",
                        self.src,
                        self.rest()
                    ));
                }
                Ok(v)
            }
            _ => Err(self.operand_expected()),
        }
    }

    /// A variable's value as a number: unset or empty is 0, an expression is evaluated.
    fn var(&mut self, name: &str) -> Result<i64, String> {
        let text = self.vars.get(name).unwrap_or_default();
        let text = text.trim();
        if text.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = text.parse::<i64>() {
            return Ok(n);
        }
        if self.depth >= MAX_DEPTH {
            return Err(format!("{name}: expression recursion level exceeded"));
        }
        self.depth += 1;
        let tokens = tokenize(text)?;
        let mut inner = P {
            toks: tokens,
            pos: 0,
            src: text.to_string(),
            vars: &mut *self.vars,
            depth: self.depth,
        };
        let v = inner.ternary(true);
        self.depth -= 1;
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    impl Vars for BTreeMap<String, String> {
        fn get(&self, name: &str) -> Option<String> {
            BTreeMap::get(self, name).cloned()
        }
        fn set(&mut self, name: &str, value: i64) {
            self.insert(name.to_string(), value.to_string());
        }
    }

    fn ev(expr: &str) -> Result<i64, String> {
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        vars.insert("x".to_string(), "7".into());
        eval(expr, &mut vars)
    }

    #[test]
    fn precedence_and_operators_follow_bash() {
        assert_eq!(ev("1 + 2 * 3"), Ok(7));
        assert_eq!(ev("(1 + 2) * 3"), Ok(9));
        assert_eq!(ev("2 ** 3 ** 2"), Ok(512));
        assert_eq!(ev("-7 / 2"), Ok(-3));
        assert_eq!(ev("-7 % 3"), Ok(-1));
        assert_eq!(ev("x * 2 + 1"), Ok(15));
        assert_eq!(ev("x > 5 && x < 10"), Ok(1));
        assert_eq!(ev("x == 7 ? 10 : 20"), Ok(10));
        assert_eq!(ev("!0 || 0"), Ok(1));
        assert_eq!(ev("unset + 1"), Ok(1));
        assert_eq!(ev("010 + 0x10"), Ok(24));
        assert_eq!(ev(""), Ok(0));
        assert_eq!(ev("y = 3, y + 1"), Ok(4));
    }

    #[test]
    fn errors_are_bash_words() {
        assert_eq!(
            ev("1/0"),
            Err("1/0: division by 0 (error token is \"0\")".into())
        );
        assert_eq!(
            ev("1 +"),
            Err("1 +: syntax error: operand expected (error token is \"\")".into())
        );
        assert_eq!(
            ev("2 ** -1"),
            Err("2 ** -1: exponent less than 0 (error token is \"-1\")".into())
        );
    }

    #[test]
    fn assignments_and_increments_set_variables() {
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        assert_eq!(eval("i = 3", &mut vars), Ok(3));
        assert_eq!(eval("i++", &mut vars), Ok(3));
        assert_eq!(eval("++i", &mut vars), Ok(5));
        assert_eq!(eval("i += 10", &mut vars), Ok(15));
        assert_eq!(vars.get("i").map(String::as_str), Some("15"));
        assert_eq!(eval("0 && (j = 1)", &mut vars), Ok(0));
        assert_eq!(vars.get("j"), None);
    }

    #[test]
    fn deep_parentheses_are_refused_not_overflowing() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(ev(&deep).unwrap_err().contains("recursion level exceeded"));
    }
}
