//! A tiny regular-expression engine for `grep`: POSIX basic and extended syntax with
//! GNU's usual extensions, compiled to a small instruction list and run as a Pike VM, so
//! matching time stays linear in the line whatever the pattern (no backtracking blow-up).
//!
//! Supported: literals, `.`, `[...]` (ranges, negation, `[:alpha:]`-style classes), `*`,
//! `+`, `?`, `{n,m}`, `^`, `$`, `|` and groups (with `\+ \? \| \( \) \{ \}` in basic
//! syntax, where the bare characters are literal), `\w \W \s \S \< \> \b`. Not supported:
//! back-references. Must not import anything outside `std`.

use std::fmt;

/// Which grammar the pattern uses (`grep` or `grep -E`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Basic,
    Extended,
}

/// Whether letters match regardless of case (`-i`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Sensitive,
    Insensitive,
}

/// What a match must cover (`-w` whole words, `-x` whole lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whole {
    Anywhere,
    Word,
    Line,
}

/// Compile options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub syntax: Syntax,
    pub case: Case,
    pub whole: Whole,
}

/// A bad pattern; `Display` is GNU grep's wording (without the `grep: ` prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegexError {
    UnmatchedParen,
    UnmatchedCloseParen,
    UnmatchedBracket,
    UnmatchedBrace,
    InvalidClassName,
    InvalidRangeEnd,
    BadInterval,
    TrailingBackslash,
    Invalid,
    TooBig,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegexError::UnmatchedParen => "Unmatched ( or \\(",
            RegexError::UnmatchedCloseParen => "Unmatched ) or \\)",
            RegexError::UnmatchedBracket => "Unmatched [, [^, [:, [., or [=",
            RegexError::UnmatchedBrace => "Unmatched \\{",
            RegexError::InvalidClassName => "Invalid character class name",
            RegexError::InvalidRangeEnd => "Invalid range end",
            RegexError::BadInterval => "Invalid content of \\{\\}",
            RegexError::TrailingBackslash => "Trailing backslash",
            RegexError::Invalid => "Invalid regular expression",
            RegexError::TooBig => "regular expression too big",
        })
    }
}

impl std::error::Error for RegexError {}

/// Deepest group nesting accepted, so the recursive parser cannot exhaust the stack.
const MAX_DEPTH: usize = 64;
/// Most instructions a compiled pattern may have (large `{n,m}` counts multiply).
const MAX_PROGRAM: usize = 4000;

/// A set of characters from a bracket expression or an escape like `\w`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
    named: Vec<Named>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Alpha,
    Digit,
    Alnum,
    Upper,
    Lower,
    Space,
    Blank,
    Punct,
    Print,
    Graph,
    Cntrl,
    Xdigit,
    Word,
}

impl Named {
    fn from_name(name: &str) -> Option<Named> {
        Some(match name {
            "alpha" => Named::Alpha,
            "digit" => Named::Digit,
            "alnum" => Named::Alnum,
            "upper" => Named::Upper,
            "lower" => Named::Lower,
            "space" => Named::Space,
            "blank" => Named::Blank,
            "punct" => Named::Punct,
            "print" => Named::Print,
            "graph" => Named::Graph,
            "cntrl" => Named::Cntrl,
            "xdigit" => Named::Xdigit,
            _ => return None,
        })
    }

    fn contains(self, c: char) -> bool {
        match self {
            Named::Alpha => c.is_alphabetic(),
            Named::Digit => c.is_ascii_digit(),
            Named::Alnum => c.is_alphanumeric(),
            Named::Upper => c.is_uppercase(),
            Named::Lower => c.is_lowercase(),
            Named::Space => c.is_whitespace(),
            Named::Blank => c == ' ' || c == '\t',
            Named::Punct => c.is_ascii_punctuation(),
            Named::Print => !c.is_control(),
            Named::Graph => !c.is_control() && !c.is_whitespace(),
            Named::Cntrl => c.is_control(),
            Named::Xdigit => c.is_ascii_hexdigit(),
            Named::Word => is_word_char(c),
        }
    }
}

impl Class {
    fn of(named: Named, negated: bool) -> Class {
        Class {
            negated,
            ranges: Vec::new(),
            named: vec![named],
        }
    }

    fn contains(&self, c: char, case: Case) -> bool {
        let test = |ch: char| {
            self.ranges.iter().any(|(lo, hi)| *lo <= ch && ch <= *hi)
                || self.named.iter().any(|n| n.contains(ch))
        };
        let hit = test(c)
            || (case == Case::Insensitive
                && (c.to_lowercase().any(test) || c.to_uppercase().any(test)));
        hit != self.negated
    }
}

/// Zero-width conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assert {
    LineStart,
    LineEnd,
    WordStart,
    WordEnd,
    WordBoundary,
    NotWordBefore,
    NotWordAfter,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Empty,
    Char(char),
    Any,
    Set(usize),
    Assert(Assert),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Inst {
    Char(char),
    Any,
    Set(usize),
    Assert(Assert),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Regex {
    program: Vec<Inst>,
    sets: Vec<Class>,
    case: Case,
    /// Characters every match contains: a line lacking one is skipped without running.
    required: Vec<char>,
}

/// The matching work a [`Budget`] allows ran out: the pattern costs too much for the text
/// (a Pike VM's time is the pattern's size times the text's length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exhausted;

/// How many thread steps matching may still take. `grep` gives one budget to a whole run,
/// so `grep -E '.{1,1999}x'` over a megabyte stops in well under a second instead of
/// taking half a minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget(pub u64);

/// Thread steps one `grep` may take (about half a second of matching).
pub const MATCH_BUDGET: u64 = 40_000_000;

mod compile;

impl Regex {
    /// Compiles `pattern`; a bad one gives GNU grep's error.
    pub fn new(pattern: &str, options: Options) -> Result<Regex, RegexError> {
        compile::compile(pattern, options)
    }

    /// Whether the pattern matches somewhere in `line` (which holds no newline).
    pub fn is_match(&self, line: &str) -> bool {
        self.is_match_within(line, &mut Budget(u64::MAX))
            .unwrap_or(false)
    }

    /// [`Regex::is_match`], spending at most what is left of `budget`.
    pub fn is_match_within(&self, line: &str, budget: &mut Budget) -> Result<bool, Exhausted> {
        if self.required.iter().any(|c| !line.contains(*c)) {
            return Ok(false);
        }
        let text: Vec<char> = line.chars().collect();
        let n = self.program.len();
        let mut current: Vec<usize> = Vec::with_capacity(n);
        let mut next: Vec<usize> = Vec::with_capacity(n);
        let mut seen = vec![usize::MAX; n];
        let mut stack = Vec::new();
        for pos in 0..=text.len() {
            // A new thread starts at every position: the search is unanchored.
            if self.add(&mut current, &mut seen, &mut stack, 0, pos, &text) {
                return Ok(true);
            }
            if pos == text.len() {
                break;
            }
            let cost = current.len() as u64 + 1;
            budget.0 = budget.0.checked_sub(cost).ok_or(Exhausted)?;
            next.clear();
            let c = text[pos];
            for &pc in &current {
                let step = match self.program[pc] {
                    Inst::Char(want) => self.same(c, want),
                    Inst::Any => true,
                    Inst::Set(i) => self
                        .sets
                        .get(i)
                        .is_some_and(|set| set.contains(c, self.case)),
                    _ => false,
                };
                if step && self.add(&mut next, &mut seen, &mut stack, pc + 1, pos + 1, &text) {
                    return Ok(true);
                }
            }
            std::mem::swap(&mut current, &mut next);
        }
        Ok(false)
    }

    fn same(&self, c: char, want: char) -> bool {
        c == want || (self.case == Case::Insensitive && c.to_lowercase().eq(want.to_lowercase()))
    }

    /// Adds the thread at `pc` and everything reachable without consuming a character;
    /// returns true when one of them is `Match`.
    fn add(
        &self,
        list: &mut Vec<usize>,
        seen: &mut [usize],
        stack: &mut Vec<usize>,
        pc: usize,
        pos: usize,
        text: &[char],
    ) -> bool {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if pc >= self.program.len() || seen[pc] == pos {
                continue;
            }
            seen[pc] = pos;
            match self.program[pc] {
                Inst::Match => return true,
                Inst::Jmp(to) => stack.push(to),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Inst::Assert(kind) => {
                    if holds(kind, text, pos) {
                        stack.push(pc + 1);
                    }
                }
                _ => list.push(pc),
            }
        }
        false
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn holds(kind: Assert, text: &[char], pos: usize) -> bool {
    let before = pos
        .checked_sub(1)
        .and_then(|i| text.get(i))
        .is_some_and(|c| is_word_char(*c));
    let after = text.get(pos).is_some_and(|c| is_word_char(*c));
    match kind {
        Assert::LineStart => pos == 0,
        Assert::LineEnd => pos == text.len(),
        Assert::WordStart => !before && after,
        Assert::WordEnd => before && !after,
        Assert::WordBoundary => before != after,
        Assert::NotWordBefore => !before,
        Assert::NotWordAfter => !after,
    }
}

#[cfg(test)]
mod tests;
