//! Step checks: the `<!-- check ... -->` annotation that says which cluster state completes a
//! step (our extension; Hugo drops HTML comments). Parsing and printing only: evaluating a check
//! against the cluster belongs to the session. A `kubectl get` condition is parsed into an
//! [`api::query::Query`](crate::api::query::Query) here, so a bad resource word, selector or
//! jsonpath is reported when the lesson loads, with its line. Must not import the engine or the
//! shell (the API vocabulary is all it needs).
//!
//! Syntax (all conditions must hold), either one per line:
//! ```text
//! <!-- check
//! kubectl get ns dev-system -o jsonpath={.status.phase} == Active
//! file ~/environment/012-dev-system-namespace.yaml contains kind: Namespace
//! -->
//! ```
//! or on one line, separated by `;`: `<!-- check: COND ; COND -->`.
//!
//! The comment may sit anywhere after its step (usually right after the command block) and
//! before the next step or heading; one check per step. Conditions:
//! - `kubectl get TYPE [NAME] [-n NS | --namespace NS | -A] [-l SELECTOR] [-o jsonpath=TEMPLATE] OP EXPECTED`,
//!   OP one of `==` `!=` (strings, trimmed), `>=` `<=` `>` `<` (numbers), `=~` (the same words
//!   in any order), `contains`, `!contains`. Without `-o jsonpath` the observed value is the space-separated
//!   names of what matched. TEMPLATE and EXPECTED may be quoted with '…' or "…"; EXPECTED is the
//!   rest of the condition. `TYPE/NAME` is accepted for `TYPE NAME`.
//! - `kubectl get TYPE NAME [-n NS] exists` / `... absent`.
//! - `file PATH exists` / `file PATH contains TEXT` (TEXT is the rest of the condition).
//! - `ran COMMAND`: the learner ran this command or an equivalent one during the step.

use super::words::{Token, tokens};
use crate::api::query::{Query, QueryText};
use std::fmt;

/// The conditions that complete a step, all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub conditions: Vec<Condition>,
    /// Line of the check comment in its file.
    pub line: usize,
}

/// One condition of a check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Condition {
    /// `kubectl get TYPE [NAME] [-n NS] [-A] [-l SEL] [-o jsonpath=TEMPLATE] OP EXPECTED`.
    /// Without a template the observed value is the space-separated names of what matched.
    Query {
        query: Query,
        op: Op,
        expected: String,
    },
    /// `kubectl get TYPE NAME [-n NS] exists` (the query always has a name).
    Exists(Query),
    /// `kubectl get TYPE NAME [-n NS] absent` (the query always has a name).
    Absent(Query),
    /// `file PATH exists` / `file PATH contains TEXT` (in the learner's virtual files).
    File { path: String, test: FileTest },
    /// `ran COMMAND`: the learner ran this command or an equivalent one.
    Ran(String),
}

/// What a `file` condition asks of the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum FileTest {
    Exists,
    Contains(String),
}

/// How a query's observed value is compared with the expected one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Op {
    /// `==`: equal strings after trimming.
    Eq,
    /// `!=`
    Ne,
    /// `>=` (numbers)
    Ge,
    /// `<=` (numbers)
    Le,
    /// `>` (numbers)
    Gt,
    /// `<` (numbers)
    Lt,
    /// `=~`: the same whitespace-separated words, in any order.
    SameWords,
    /// `contains`: the observed text contains the expected text.
    Contains,
    /// `!contains`: the observed text does not contain the expected text (a taint key gone
    /// while other taints stay, where `!=` would wrongly compare the whole list).
    NotContains,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            ">" => Op::Gt,
            "<" => Op::Lt,
            "=~" => Op::SameWords,
            "contains" => Op::Contains,
            "!contains" => Op::NotContains,
            _ => return None,
        })
    }

    /// How the operator is written in a check.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Lt => "<",
            Op::SameWords => "=~",
            Op::Contains => "contains",
            Op::NotContains => "!contains",
        }
    }

    fn is_numeric(self) -> bool {
        matches!(self, Op::Ge | Op::Le | Op::Gt | Op::Lt)
    }

    /// Whether `observed` satisfies this operator against `expected`; a numeric operator on
    /// text that is not a number is false.
    pub fn holds(self, observed: &str, expected: &str) -> bool {
        let (o, e) = (observed.trim(), expected.trim());
        let numbers = || Some((o.parse::<f64>().ok()?, e.parse::<f64>().ok()?));
        match self {
            Op::Eq => o == e,
            Op::Ne => o != e,
            Op::SameWords => {
                let mut a: Vec<&str> = o.split_whitespace().collect();
                let mut b: Vec<&str> = e.split_whitespace().collect();
                a.sort_unstable();
                b.sort_unstable();
                a == b
            }
            Op::Contains => o.contains(e),
            Op::NotContains => !o.contains(e),
            Op::Ge => numbers().is_some_and(|(a, b)| a >= b),
            Op::Le => numbers().is_some_and(|(a, b)| a <= b),
            Op::Gt => numbers().is_some_and(|(a, b)| a > b),
            Op::Lt => numbers().is_some_and(|(a, b)| a < b),
        }
    }
}

/// A malformed check: the line offset inside the comment and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError {
    pub line_offset: usize,
    pub reason: String,
}

/// Reads an HTML comment found at `line`: `Ok(None)` when it is not a check comment.
pub fn from_comment(html: &str, line: usize) -> Result<Option<Check>, CheckError> {
    let lead = html.len() - html.trim_start().len();
    let lead_lines = html.get(..lead).unwrap_or("").matches('\n').count();
    let Some(inner) = html.trim().strip_prefix("<!--") else {
        return Ok(None);
    };
    let inner_trimmed = inner.trim_start();
    let skipped = inner.len() - inner_trimmed.len();
    let mut offset = lead_lines + inner.get(..skipped).unwrap_or("").matches('\n').count();
    let Some(rest) = inner_trimmed.strip_prefix("check") else {
        return Ok(None);
    };
    if !(rest.starts_with(':') || rest.starts_with(char::is_whitespace) || rest.starts_with("-->"))
    {
        return Ok(None);
    }
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let Some(body) = rest.trim_end().strip_suffix("-->") else {
        return Err(CheckError {
            line_offset: offset,
            reason: "expected `-->` to end the check comment".to_string(),
        });
    };
    let mut conditions = Vec::new();
    for text in body.split('\n') {
        for part in split_semicolons(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let condition = parse_condition(part).map_err(|reason| CheckError {
                line_offset: offset,
                reason: format!("{reason} in `{part}`"),
            })?;
            conditions.push(condition);
        }
        offset += 1;
    }
    if conditions.is_empty() {
        return Err(CheckError {
            line_offset: lead_lines,
            reason: "expected at least one condition".to_string(),
        });
    }
    Ok(Some(Check { conditions, line }))
}

/// Splits on `;` outside quotes.
fn split_semicolons(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ';') => {
                parts.push(text.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text.get(start..).unwrap_or(""));
    parts
}

/// Parses one condition in the syntax the module doc shows.
pub fn parse_condition(text: &str) -> Result<Condition, String> {
    let words: Vec<(String, usize, usize)> = tokens(text)?
        .into_iter()
        .filter_map(|t| match t {
            Token::Word { text, start, end } => Some((text, start, end)),
            _ => None,
        })
        .collect();
    let rest_after = |i: usize| -> String {
        let start = words.get(i).map_or(text.len(), |w| w.2);
        unquote(text.get(start..).unwrap_or("").trim())
    };
    match words.first().map(|w| w.0.as_str()) {
        Some("kubectl") => parse_kubectl(&words, &rest_after),
        Some("file") => {
            let path = words
                .get(1)
                .map(|w| w.0.clone())
                .ok_or("expected a path after `file`")?;
            match words.get(2).map(|w| w.0.as_str()) {
                Some("exists") if words.len() == 3 => Ok(Condition::File {
                    path,
                    test: FileTest::Exists,
                }),
                Some("contains") if words.len() > 3 => Ok(Condition::File {
                    path,
                    test: FileTest::Contains(rest_after(2)),
                }),
                _ => Err("expected `file PATH exists` or `file PATH contains TEXT`".to_string()),
            }
        }
        Some("ran") if words.len() > 1 => Ok(Condition::Ran(rest_after(0))),
        _ => Err("expected `kubectl get ...`, `file PATH ...` or `ran COMMAND`".to_string()),
    }
}

fn unquote(text: &str) -> String {
    for q in ['\'', '"'] {
        if text.len() >= 2 && text.starts_with(q) && text.ends_with(q) {
            return text.get(1..text.len() - 1).unwrap_or("").to_string();
        }
    }
    text.to_string()
}

/// The words of a `kubectl get` condition, before they are parsed into a [`Query`].
#[derive(Default)]
struct Query_ {
    positionals: Vec<String>,
    namespace: Option<String>,
    all_namespaces: bool,
    selector: Option<String>,
    template: Option<String>,
}

fn parse_kubectl(
    words: &[(String, usize, usize)],
    rest_after: &dyn Fn(usize) -> String,
) -> Result<Condition, String> {
    let mut q = Query_::default();
    let mut i = 1;
    let value = |i: usize, flag: &str| {
        words
            .get(i + 1)
            .map(|w| w.0.clone())
            .ok_or_else(|| format!("expected a value after `{flag}`"))
    };
    while let Some((word, ..)) = words.get(i) {
        let w = word.as_str();
        if let Some(op) = Op::parse(w) {
            let expected = rest_after(i);
            if op.is_numeric() && expected.parse::<f64>().is_err() {
                return Err(format!("expected a number after `{w}`"));
            }
            return finish_query(q, op, expected);
        }
        match w {
            "exists" | "absent" if words.len() == i + 1 => return finish_presence(q, w),
            "-n" | "--namespace" => {
                q.namespace = Some(value(i, w)?);
                i += 1;
            }
            "-A" | "--all-namespaces" => q.all_namespaces = true,
            "-l" | "--selector" => {
                q.selector = Some(value(i, w)?);
                i += 1;
            }
            "-o" | "--output" => {
                q.template = Some(template(&value(i, w)?)?);
                i += 1;
            }
            _ if w.starts_with("--namespace=") => q.namespace = w.get(12..).map(str::to_string),
            _ if w.starts_with("--selector=") => q.selector = w.get(11..).map(str::to_string),
            _ if w.starts_with("--output=") => {
                q.template = Some(template(w.get(9..).unwrap_or(""))?)
            }
            _ if w.starts_with("-o") && w.len() > 2 => {
                q.template = Some(template(w.get(2..).unwrap_or("").trim_start_matches('='))?)
            }
            _ if w.starts_with("-n") && w.len() > 2 => q.namespace = w.get(2..).map(str::to_string),
            _ if w.starts_with('-') => return Err(format!("unsupported flag `{w}`")),
            _ => q.positionals.push(word.clone()),
        }
        i += 1;
    }
    Err(
        "expected an operator (== != >= <= > < =~ contains !contains) or `exists` / `absent` at the end"
            .to_string(),
    )
}

fn template(output: &str) -> Result<String, String> {
    output
        .strip_prefix("jsonpath=")
        .map(str::to_string)
        .ok_or_else(|| format!("expected `-o jsonpath=TEMPLATE`, found `-o {output}`"))
}

/// Splits `get TYPE NAME` / `get TYPE/NAME` positionals into resource and optional name.
fn target(positionals: &[String]) -> Result<(String, Option<String>), String> {
    let [verb, rest @ ..] = positionals else {
        return Err("expected `kubectl get TYPE [NAME]`".to_string());
    };
    if verb != "get" {
        return Err(format!("expected `kubectl get`, found `kubectl {verb}`"));
    }
    match rest {
        [one] => match one.split_once('/') {
            Some((r, n)) if !r.is_empty() && !n.is_empty() => {
                Ok((r.to_string(), Some(n.to_string())))
            }
            _ => Ok((one.clone(), None)),
        },
        [resource, name] => Ok((resource.clone(), Some(name.clone()))),
        _ => Err(
            "expected `kubectl get TYPE [NAME]` with one resource type and at most one name"
                .to_string(),
        ),
    }
}

fn parsed(q: Query_, name: Option<String>, resource: String) -> Result<Query, String> {
    Query::parse(QueryText {
        resource,
        name,
        namespace: q.namespace,
        all_namespaces: q.all_namespaces,
        selector: q.selector,
        template: q.template,
    })
    .map_err(|e| e.detail())
}

fn finish_query(q: Query_, op: Op, expected: String) -> Result<Condition, String> {
    let (resource, name) = target(&q.positionals)?;
    Ok(Condition::Query {
        query: parsed(q, name, resource)?,
        op,
        expected,
    })
}

fn finish_presence(q: Query_, word: &str) -> Result<Condition, String> {
    let (resource, name) = target(&q.positionals)?;
    let name = name.ok_or_else(|| format!("expected a NAME before `{word}`"))?;
    let query = parsed(q, Some(name), resource)?;
    Ok(if word == "exists" {
        Condition::Exists(query)
    } else {
        Condition::Absent(query)
    })
}

/// Quotes a word for printing back when it would not survive the word splitter unquoted.
fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && !word
            .chars()
            .any(|c| c.is_whitespace() || "'\"\\;|&#<".contains(c));
    if plain {
        word.to_string()
    } else if word.contains('\'') {
        format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        format!("'{word}'")
    }
}

fn write_query(f: &mut fmt::Formatter<'_>, query: &Query) -> fmt::Result {
    let t = query.text();
    write!(f, "kubectl get {}", quoted(&t.resource))?;
    if let Some(name) = &t.name {
        write!(f, " {}", quoted(name))?;
    }
    if let Some(ns) = &t.namespace {
        write!(f, " -n {}", quoted(ns))?;
    }
    if t.all_namespaces {
        write!(f, " -A")?;
    }
    if let Some(sel) = &t.selector {
        write!(f, " -l {}", quoted(sel))?;
    }
    if let Some(template) = &t.template {
        write!(f, " -o {}", quoted(&format!("jsonpath={template}")))?;
    }
    Ok(())
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Query {
                query,
                op,
                expected,
            } => {
                write_query(f, query)?;
                write!(f, " {} {}", op.symbol(), quote_rest(expected))
            }
            Condition::Exists(query) => {
                write_query(f, query)?;
                write!(f, " exists")
            }
            Condition::Absent(query) => {
                write_query(f, query)?;
                write!(f, " absent")
            }
            Condition::File {
                path,
                test: FileTest::Exists,
            } => write!(f, "file {} exists", quoted(path)),
            Condition::File {
                path,
                test: FileTest::Contains(text),
            } => {
                write!(f, "file {} contains {}", quoted(path), quote_rest(text))
            }
            Condition::Ran(command) => write!(f, "ran {command}"),
        }
    }
}

/// Trailing free text is printed as is unless trimming or a `;` would change it.
fn quote_rest(text: &str) -> String {
    let needs =
        text.is_empty() || text.trim() != text || text.contains(';') || unquote(text) != text;
    if needs {
        quoted(text)
    } else {
        text.to_string()
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.conditions.iter().map(|c| c.to_string()).collect();
        write!(f, "{}", parts.join(" ; "))
    }
}
