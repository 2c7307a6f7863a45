//! Runs a parsed awk program over its input records, with awk's string/number values.

use std::collections::BTreeMap;

use super::super::{full, lines, read_operand};
use super::{Expr, Lvalue, Pattern, Rule, Stmt};
use crate::shell::regex::{Case, Options, Regex, Syntax, Whole};
use crate::shell::{Output, Shell};

/// An awk value: a number, a string, or input text that compares as a number when it
/// looks like one (a "strnum"); unset variables are both "" and 0.
#[derive(Clone, Debug)]
enum Val {
    Num(f64),
    Str(String),
    StrNum(String),
}

fn looks_numeric(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The leading number of a string, as awk converts it (`"3abc"` is 3).
fn leading(text: &str) -> f64 {
    let t = text.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        let ok = c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'));
        if !ok {
            break;
        }
        end = i + c.len_utf8();
    }
    let mut slice = &t[..end];
    while !slice.is_empty() && slice.parse::<f64>().is_err() {
        slice = &slice[..slice.len() - 1];
    }
    slice.parse().unwrap_or(0.0)
}

/// A number as awk prints it: integers plainly, others with `%.6g`.
fn format_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e16 {
        return format!("{}", n as i64);
    }
    if !n.is_finite() {
        return if n.is_nan() {
            "nan".into()
        } else if n > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let exp = n.abs().log10().floor() as i32;
    if !(-4..6).contains(&exp) {
        let s = format!("{:.5e}", n);
        let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = mant.trim_end_matches('0').trim_end_matches('.');
        let e: i32 = e.parse().unwrap_or(0);
        return format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let decimals = usize::try_from(5 - exp).unwrap_or(0);
    let s = format!("{n:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => leading(s),
        }
    }

    fn text(&self) -> String {
        match self {
            Val::Num(n) => format_num(*n),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => match looks_numeric(s) {
                Some(n) => n != 0.0,
                None => !s.is_empty(),
            },
        }
    }

    /// The number to compare by, when this value compares numerically.
    fn numeric(&self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(*n),
            Val::Str(_) => None,
            Val::StrNum(s) if s.is_empty() => Some(0.0),
            Val::StrNum(s) => looks_numeric(s),
        }
    }
}

enum Flow {
    Go,
    Next,
}

struct Run {
    vars: BTreeMap<String, Val>,
    fields: Vec<String>,
    record: String,
    nr: usize,
    out: String,
    err: Option<String>,
    regexes: BTreeMap<String, Option<Regex>>,
}

impl Run {
    fn fs(&self) -> String {
        self.vars
            .get("FS")
            .map(Val::text)
            .unwrap_or_else(|| " ".to_string())
    }

    fn set_record(&mut self, record: &str) {
        self.record = record.to_string();
        let fs = self.fs();
        self.fields = if fs == " " {
            record.split_whitespace().map(str::to_string).collect()
        } else if record.is_empty() {
            Vec::new()
        } else if fs.chars().count() == 1 {
            record.split(fs.as_str()).map(str::to_string).collect()
        } else {
            match self.regex(&fs) {
                Some(re) => split_regex(record, &re),
                None => vec![record.to_string()],
            }
        };
    }

    fn regex(&mut self, pattern: &str) -> Option<Regex> {
        if let Some(cached) = self.regexes.get(pattern) {
            return cached.clone();
        }
        let options = Options {
            syntax: Syntax::Extended,
            case: Case::Sensitive,
            whole: Whole::Anywhere,
        };
        let compiled = Regex::new(pattern, options).ok();
        if compiled.is_none() && self.err.is_none() {
            self.err = Some(format!(
                "awk: regular expression compile failed ({pattern})\n"
            ));
        }
        self.regexes.insert(pattern.to_string(), compiled.clone());
        compiled
    }

    fn matches(&mut self, pattern: &str, text: &str) -> bool {
        self.regex(pattern).is_some_and(|re| re.is_match(text))
    }

    fn field(&self, i: usize) -> Val {
        if i == 0 {
            return Val::StrNum(self.record.clone());
        }
        Val::StrNum(self.fields.get(i - 1).cloned().unwrap_or_default())
    }

    fn get(&mut self, lv: &Lvalue) -> Val {
        match lv {
            Lvalue::Var(name) => match name.as_str() {
                "NR" | "FNR" => Val::Num(self.nr as f64),
                "NF" => Val::Num(self.fields.len() as f64),
                _ => self
                    .vars
                    .get(name)
                    .cloned()
                    .unwrap_or(Val::StrNum(String::new())),
            },
            Lvalue::Field(index) => {
                let i = self.eval(index).num();
                self.field(if i < 0.0 { 0 } else { i as usize })
            }
        }
    }

    fn set(&mut self, lv: &Lvalue, value: Val) {
        match lv {
            Lvalue::Var(name) if name == "NF" => {
                let n = value.num().max(0.0) as usize;
                self.fields.resize(n.min(10_000), String::new());
                self.rebuild();
            }
            Lvalue::Var(name) => {
                self.vars.insert(name.clone(), value);
            }
            Lvalue::Field(index) => {
                let i = self.eval(index).num().max(0.0) as usize;
                if i == 0 {
                    let text = value.text();
                    self.set_record(&text);
                } else if i <= 10_000 {
                    if self.fields.len() < i {
                        self.fields.resize(i, String::new());
                    }
                    self.fields[i - 1] = value.text();
                    self.rebuild();
                }
            }
        }
    }

    fn rebuild(&mut self) {
        let ofs = self
            .vars
            .get("OFS")
            .map(Val::text)
            .unwrap_or_else(|| " ".to_string());
        self.record = self.fields.join(&ofs);
    }

    fn eval(&mut self, expr: &Expr) -> Val {
        match expr {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Regex(r) => {
                let record = self.record.clone();
                Val::Num(f64::from(u8::from(self.matches(r, &record))))
            }
            Expr::Lv(lv) => self.get(lv),
            Expr::Assign(lv, op, value) => {
                let v = self.eval(value);
                let result = if *op == "=" {
                    v
                } else {
                    let old = self.get(lv).num();
                    Val::Num(arith(&op[..1], old, v.num()))
                };
                self.set(lv, result.clone());
                result
            }
            Expr::Incr(lv, step, pre) => {
                let old = self.get(lv).num();
                self.set(lv, Val::Num(old + step));
                Val::Num(if *pre { old + step } else { old })
            }
            Expr::Neg(e) => Val::Num(-self.eval(e).num()),
            Expr::Not(e) => Val::Num(f64::from(u8::from(!self.eval(e).truthy()))),
            Expr::Bin(op, a, b) => {
                let (a, b) = (self.eval(a), self.eval(b));
                match *op {
                    "<" | "<=" | "==" | "!=" | ">" | ">=" => {
                        let order = match (a.numeric(), b.numeric()) {
                            (Some(x), Some(y)) => x.partial_cmp(&y),
                            _ => Some(a.text().cmp(&b.text())),
                        };
                        let Some(order) = order else {
                            return Val::Num(0.0);
                        };
                        use std::cmp::Ordering::*;
                        let yes = match *op {
                            "<" => order == Less,
                            "<=" => order != Greater,
                            "==" => order == Equal,
                            "!=" => order != Equal,
                            ">" => order == Greater,
                            _ => order != Less,
                        };
                        Val::Num(f64::from(u8::from(yes)))
                    }
                    _ => {
                        if matches!(*op, "/" | "%") && b.num() == 0.0 {
                            if self.err.is_none() {
                                self.err = Some("awk: division by zero\n".to_string());
                            }
                            return Val::Num(0.0);
                        }
                        Val::Num(arith(op, a.num(), b.num()))
                    }
                }
            }
            Expr::Concat(a, b) => {
                let mut s = self.eval(a).text();
                s.push_str(&self.eval(b).text());
                Val::Str(s)
            }
            Expr::Match(positive, a, re) => {
                let text = self.eval(a).text();
                let pattern = match &**re {
                    Expr::Regex(r) => r.clone(),
                    other => self.eval(other).text(),
                };
                let hit = self.matches(&pattern, &text);
                Val::Num(f64::from(u8::from(hit == *positive)))
            }
            Expr::And(a, b) => {
                let v = self.eval(a).truthy() && self.eval(b).truthy();
                Val::Num(f64::from(u8::from(v)))
            }
            Expr::Or(a, b) => {
                let v = self.eval(a).truthy() || self.eval(b).truthy();
                Val::Num(f64::from(u8::from(v)))
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c).truthy() {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Expr::Call(name, args) => self.call(name, args),
        }
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Val {
        let vals: Vec<Val> = args.iter().map(|a| self.eval(a)).collect();
        let text = |i: usize| vals.get(i).map(Val::text);
        match name {
            "length" => Val::Num(
                text(0)
                    .unwrap_or_else(|| self.record.clone())
                    .chars()
                    .count() as f64,
            ),
            "tolower" => Val::Str(text(0).unwrap_or_default().to_lowercase()),
            "toupper" => Val::Str(text(0).unwrap_or_default().to_uppercase()),
            "index" => {
                let (s, t) = (text(0).unwrap_or_default(), text(1).unwrap_or_default());
                Val::Num(s.find(&t).map_or(0, |b| s[..b].chars().count() + 1) as f64)
            }
            _ => {
                let s: Vec<char> = text(0).unwrap_or_default().chars().collect();
                let start = vals.get(1).map_or(1.0, Val::num).round();
                let len = vals.get(2).map_or(f64::INFINITY, Val::num).round();
                let from = start.max(1.0);
                let to = (start + len).min(s.len() as f64 + 1.0);
                if to <= from {
                    return Val::Str(String::new());
                }
                Val::Str(s[(from as usize - 1)..(to as usize - 1)].iter().collect())
            }
        }
    }

    fn exec(&mut self, stmts: &[Stmt]) -> Flow {
        for stmt in stmts {
            match stmt {
                Stmt::Print(args) => {
                    let ofs = self
                        .vars
                        .get("OFS")
                        .map(Val::text)
                        .unwrap_or_else(|| " ".to_string());
                    let line = if args.is_empty() {
                        self.record.clone()
                    } else {
                        let parts: Vec<String> = args.iter().map(|a| self.eval(a).text()).collect();
                        parts.join(&ofs)
                    };
                    self.out.push_str(&line);
                    self.out.push('\n');
                }
                Stmt::Printf(args) => {
                    let vals: Vec<String> = args.iter().map(|a| self.eval(a).text()).collect();
                    if let Some((format, rest)) = vals.split_first() {
                        let mut out = Output::default();
                        let mut next = 0;
                        super::super::echo::one_pass(format, rest, &mut next, &mut out);
                        self.out.push_str(&out.stdout);
                    }
                }
                Stmt::Expr(e) => {
                    self.eval(e);
                }
                Stmt::If(cond, then, otherwise) => {
                    let branch = if self.eval(cond).truthy() {
                        then
                    } else {
                        otherwise
                    };
                    if let Flow::Next = self.exec(branch) {
                        return Flow::Next;
                    }
                }
                Stmt::Next => return Flow::Next,
            }
            if full(&self.out) {
                return Flow::Next;
            }
        }
        Flow::Go
    }
}

fn arith(op: &str, a: f64, b: f64) -> f64 {
    match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        "%" => a % b,
        _ => a.powf(b),
    }
}

/// Splits on every match of a regex separator (`-F '[:,]'`).
fn split_regex(record: &str, re: &Regex) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    for c in record.chars() {
        if re.is_match(&c.to_string()) {
            fields.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    fields.push(cur);
    fields
}

pub(super) fn run(
    sh: &mut Shell,
    stdin: &str,
    files: &[String],
    rules: &[Rule],
    fs: Option<String>,
    assigns: Vec<(String, String)>,
) -> Output {
    let mut run = Run {
        vars: BTreeMap::new(),
        fields: Vec::new(),
        record: String::new(),
        nr: 0,
        out: String::new(),
        err: None,
        regexes: BTreeMap::new(),
    };
    // FS and OFS start as one space, so `x FS y` in a program joins with it as awk does.
    run.vars.insert(
        "FS".to_string(),
        Val::Str(fs.unwrap_or_else(|| " ".to_string())),
    );
    run.vars
        .entry("OFS".to_string())
        .or_insert_with(|| Val::Str(" ".to_string()));
    for (name, value) in assigns {
        run.vars.insert(name, Val::StrNum(value));
    }
    let mut output = Output::default();
    for rule in rules.iter().filter(|r| matches!(r.pattern, Pattern::Begin)) {
        if let Some(action) = &rule.action {
            run.exec(action);
        }
    }
    let has_main = rules.iter().any(|r| !matches!(r.pattern, Pattern::Begin));
    if has_main {
        let mut text = String::new();
        if files.is_empty() {
            text.push_str(stdin);
        }
        for name in files {
            match read_operand(sh, name, stdin) {
                Ok(t) => text.push_str(&t),
                Err(e) => {
                    output
                        .stderr
                        .push_str(&format!("awk: cannot open {name} ({e})\n"));
                    output.status = 2;
                }
            }
        }
        'records: for line in lines(&text) {
            run.nr += 1;
            run.set_record(line);
            for rule in rules {
                let selected = match &rule.pattern {
                    Pattern::Begin | Pattern::End => false,
                    Pattern::All => true,
                    Pattern::When(e) => run.eval(e).truthy(),
                };
                if !selected {
                    continue;
                }
                match &rule.action {
                    None => {
                        run.out.push_str(&run.record.clone());
                        run.out.push('\n');
                    }
                    Some(action) => {
                        if let Flow::Next = run.exec(action) {
                            continue 'records;
                        }
                    }
                }
            }
            if full(&run.out) {
                break;
            }
        }
        for rule in rules.iter().filter(|r| matches!(r.pattern, Pattern::End)) {
            if let Some(action) = &rule.action {
                run.exec(action);
            }
        }
    }
    output.stdout = run.out;
    if let Some(err) = run.err {
        output.stderr.push_str(&err);
        output.status = 2;
    }
    output
}
