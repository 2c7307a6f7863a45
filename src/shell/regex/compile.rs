//! Pattern text to syntax tree to instructions. The parser is recursive only through
//! groups, whose depth is capped; the emitter counts its work so huge `{n,m}` repeats
//! fail with "regular expression too big" instead of hanging.

use super::{
    Assert, Class, Inst, MAX_DEPTH, MAX_PROGRAM, Named, Node, Options, Regex, RegexError, Syntax,
    Whole,
};

/// Largest repeat count POSIX promises (`RE_DUP_MAX`).
const MAX_REPEAT: u32 = 32_767;

pub(super) fn compile(pattern: &str, options: Options) -> Result<Regex, RegexError> {
    let mut sets = Vec::new();
    let mut branches = Vec::new();
    // grep treats each line of a pattern as a separate pattern.
    for line in pattern.split('\n') {
        let mut parser = Parser {
            chars: line.chars().collect(),
            pos: 0,
            syntax: options.syntax,
            sets: &mut sets,
        };
        let node = parser.alternation(0)?;
        if parser.pos < parser.chars.len() {
            return Err(RegexError::UnmatchedCloseParen);
        }
        branches.push(node);
    }
    let node = if branches.len() == 1 {
        branches.pop().unwrap_or(Node::Empty)
    } else {
        Node::Alt(branches)
    };
    let node = match options.whole {
        Whole::Anywhere => node,
        Whole::Word => Node::Concat(vec![
            Node::Assert(Assert::NotWordBefore),
            node,
            Node::Assert(Assert::NotWordAfter),
        ]),
        Whole::Line => Node::Concat(vec![
            Node::Assert(Assert::LineStart),
            node,
            Node::Assert(Assert::LineEnd),
        ]),
    };
    let mut emitter = Emitter {
        program: Vec::new(),
        work: 0,
    };
    emitter.emit(&node)?;
    emitter.push(Inst::Match)?;
    let required = match options.case {
        super::Case::Sensitive => required_chars(&node),
        super::Case::Insensitive => Vec::new(),
    };
    Ok(Regex {
        program: emitter.program,
        sets,
        case: options.case,
        required,
    })
}

/// Characters every match must contain (a line without one of them cannot match): the
/// literal characters of a concatenation, those common to every branch of an alternation,
/// and those of a repeat that must happen at least once.
fn required_chars(node: &Node) -> Vec<char> {
    let mut out = match node {
        Node::Char(c) => vec![*c],
        Node::Concat(items) => items.iter().flat_map(required_chars).collect(),
        Node::Alt(branches) => {
            let mut iter = branches.iter().map(required_chars);
            let first = iter.next().unwrap_or_default();
            iter.fold(first, |common, other| {
                common.into_iter().filter(|c| other.contains(c)).collect()
            })
        }
        Node::Repeat { node, min, .. } if *min >= 1 => required_chars(node),
        _ => Vec::new(),
    };
    out.sort_unstable();
    out.dedup();
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
    Bracket,
    Open,
    Close,
    Alt,
    Star,
    Plus,
    Quest,
    Brace,
    Caret,
    Dollar,
    Set(Named, bool),
    Assert(Assert),
    End,
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    syntax: Syntax,
    sets: &'a mut Vec<Class>,
}

impl Parser<'_> {
    /// The next token and how many characters it spans.
    fn peek(&self) -> Result<(Tok, usize), RegexError> {
        let Some(&c) = self.chars.get(self.pos) else {
            return Ok((Tok::End, 0));
        };
        let extended = self.syntax == Syntax::Extended;
        if c == '\\' {
            let Some(&e) = self.chars.get(self.pos + 1) else {
                return Err(RegexError::TrailingBackslash);
            };
            let tok = match e {
                '(' if !extended => Tok::Open,
                ')' if !extended => Tok::Close,
                '|' if !extended => Tok::Alt,
                '{' if !extended => Tok::Brace,
                '+' if !extended => Tok::Plus,
                '?' if !extended => Tok::Quest,
                'w' => Tok::Set(Named::Word, false),
                'W' => Tok::Set(Named::Word, true),
                's' => Tok::Set(Named::Space, false),
                'S' => Tok::Set(Named::Space, true),
                '<' => Tok::Assert(Assert::WordStart),
                '>' => Tok::Assert(Assert::WordEnd),
                'b' => Tok::Assert(Assert::WordBoundary),
                other => Tok::Lit(other),
            };
            return Ok((tok, 2));
        }
        let tok = match c {
            '(' if extended => Tok::Open,
            ')' if extended => Tok::Close,
            '|' if extended => Tok::Alt,
            '{' if extended => Tok::Brace,
            '+' if extended => Tok::Plus,
            '?' if extended => Tok::Quest,
            '*' => Tok::Star,
            '.' => Tok::Any,
            '[' => Tok::Bracket,
            '^' => Tok::Caret,
            '$' => Tok::Dollar,
            other => Tok::Lit(other),
        };
        Ok((tok, 1))
    }

    fn alternation(&mut self, depth: usize) -> Result<Node, RegexError> {
        let mut branches = vec![self.concat(depth)?];
        while let (Tok::Alt, len) = self.peek()? {
            self.pos += len;
            branches.push(self.concat(depth)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self, depth: usize) -> Result<Node, RegexError> {
        let basic = self.syntax == Syntax::Basic;
        let mut items: Vec<Node> = Vec::new();
        loop {
            let (tok, len) = self.peek()?;
            match tok {
                Tok::End | Tok::Alt => break,
                Tok::Close if depth > 0 => break,
                _ => {}
            }
            self.pos += len;
            let at_start =
                items.is_empty() || (basic && items == [Node::Assert(Assert::LineStart)]);
            let node = match tok {
                Tok::Close if basic => return Err(RegexError::UnmatchedCloseParen),
                Tok::Close => Node::Char(')'),
                Tok::Caret if basic && !items.is_empty() => Node::Char('^'),
                Tok::Caret => Node::Assert(Assert::LineStart),
                Tok::Dollar
                    if basic && !matches!(self.peek()?.0, Tok::End | Tok::Close | Tok::Alt) =>
                {
                    Node::Char('$')
                }
                Tok::Dollar => Node::Assert(Assert::LineEnd),
                Tok::Star | Tok::Plus | Tok::Quest | Tok::Brace if at_start => {
                    if basic {
                        Node::Char(match tok {
                            Tok::Plus => '+',
                            Tok::Quest => '?',
                            Tok::Brace => '{',
                            _ => '*',
                        })
                    } else {
                        // GNU grep -E ignores a repeat with nothing before it.
                        if tok == Tok::Brace && self.interval()?.is_none() {
                            items.push(Node::Char('{'));
                        }
                        continue;
                    }
                }
                Tok::Star | Tok::Plus | Tok::Quest | Tok::Brace => {
                    let (min, max) = match tok {
                        Tok::Star => (0, None),
                        Tok::Plus => (1, None),
                        Tok::Quest => (0, Some(1)),
                        _ => match self.interval()? {
                            Some(bounds) => bounds,
                            None => {
                                items.push(Node::Char('{'));
                                continue;
                            }
                        },
                    };
                    let last = items.pop().unwrap_or(Node::Empty);
                    Node::Repeat {
                        node: Box::new(last),
                        min,
                        max,
                    }
                }
                Tok::Open => {
                    if depth >= MAX_DEPTH {
                        return Err(RegexError::TooBig);
                    }
                    let inner = self.alternation(depth + 1)?;
                    match self.peek()? {
                        (Tok::Close, len) => self.pos += len,
                        _ => return Err(RegexError::UnmatchedParen),
                    }
                    inner
                }
                Tok::Bracket => self.bracket()?,
                Tok::Any => Node::Any,
                Tok::Lit(c) => Node::Char(c),
                Tok::Set(named, negated) => {
                    self.sets.push(Class::of(named, negated));
                    Node::Set(self.sets.len() - 1)
                }
                Tok::Assert(kind) => Node::Assert(kind),
                Tok::End | Tok::Alt => break,
            };
            items.push(node);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// `{n}`, `{n,}`, `{,m}`, `{n,m}` after the opening brace. In extended syntax an
    /// ill-formed interval means the brace was literal (`None`, position restored).
    fn interval(&mut self) -> Result<Option<(u32, Option<u32>)>, RegexError> {
        let start = self.pos;
        let basic = self.syntax == Syntax::Basic;
        let mut text = String::new();
        loop {
            match self.chars.get(self.pos) {
                Some('\\') if basic && self.chars.get(self.pos + 1) == Some(&'}') => {
                    self.pos += 2;
                    break;
                }
                Some('}') if !basic => {
                    self.pos += 1;
                    break;
                }
                Some(&c) if c.is_ascii_digit() || c == ',' => {
                    text.push(c);
                    self.pos += 1;
                }
                _ if basic => {
                    return Err(if self.pos >= self.chars.len() {
                        RegexError::UnmatchedBrace
                    } else {
                        RegexError::BadInterval
                    });
                }
                _ => {
                    self.pos = start;
                    return Ok(None);
                }
            }
        }
        let number = |s: &str| -> Result<Option<u32>, RegexError> {
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<u32>() {
                Ok(n) if n <= MAX_REPEAT => Ok(Some(n)),
                _ => Err(RegexError::TooBig),
            }
        };
        let (min, max) = match text.split_once(',') {
            Some((lo, hi)) if !hi.contains(',') => (number(lo)?.unwrap_or(0), number(hi)?),
            None if !text.is_empty() => {
                let n = number(&text)?;
                (n.unwrap_or(0), n)
            }
            _ if basic => return Err(RegexError::BadInterval),
            _ => {
                self.pos = start;
                return Ok(None);
            }
        };
        if max.is_some_and(|m| m < min) {
            return Err(RegexError::BadInterval);
        }
        Ok(Some((min, max)))
    }

    /// A bracket expression after its `[`.
    fn bracket(&mut self) -> Result<Node, RegexError> {
        let mut class = Class {
            negated: false,
            ranges: Vec::new(),
            named: Vec::new(),
        };
        if self.chars.get(self.pos) == Some(&'^') {
            class.negated = true;
            self.pos += 1;
        }
        let first = self.pos;
        loop {
            let Some(&c) = self.chars.get(self.pos) else {
                return Err(if self.pos == first {
                    RegexError::Invalid
                } else {
                    RegexError::UnmatchedBracket
                });
            };
            if c == ']' && self.pos > first {
                self.pos += 1;
                break;
            }
            if c == '[' && self.chars.get(self.pos + 1) == Some(&':') {
                let rest: String = self.chars[self.pos + 2..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return Err(RegexError::UnmatchedBracket);
                };
                let name = &rest[..end];
                class
                    .named
                    .push(Named::from_name(name).ok_or(RegexError::InvalidClassName)?);
                self.pos += 2 + name.chars().count() + 2;
                continue;
            }
            let is_range = self.chars.get(self.pos + 1) == Some(&'-')
                && self.chars.get(self.pos + 2).is_some_and(|e| *e != ']');
            if is_range {
                let end = self.chars[self.pos + 2];
                if end < c {
                    return Err(RegexError::InvalidRangeEnd);
                }
                class.ranges.push((c, end));
                self.pos += 3;
            } else {
                class.ranges.push((c, c));
                self.pos += 1;
            }
        }
        self.sets.push(class);
        Ok(Node::Set(self.sets.len() - 1))
    }
}

struct Emitter {
    program: Vec<Inst>,
    work: usize,
}

impl Emitter {
    fn push(&mut self, inst: Inst) -> Result<usize, RegexError> {
        if self.program.len() >= MAX_PROGRAM {
            return Err(RegexError::TooBig);
        }
        self.program.push(inst);
        Ok(self.program.len() - 1)
    }

    fn patch(&mut self, at: usize, inst: Inst) {
        if let Some(slot) = self.program.get_mut(at) {
            *slot = inst;
        }
    }

    fn emit(&mut self, node: &Node) -> Result<(), RegexError> {
        self.work += 1;
        if self.work > 50 * MAX_PROGRAM {
            return Err(RegexError::TooBig);
        }
        match node {
            Node::Empty => {}
            Node::Char(c) => {
                self.push(Inst::Char(*c))?;
            }
            Node::Any => {
                self.push(Inst::Any)?;
            }
            Node::Set(i) => {
                self.push(Inst::Set(*i))?;
            }
            Node::Assert(kind) => {
                self.push(Inst::Assert(*kind))?;
            }
            Node::Concat(items) => {
                for item in items {
                    self.emit(item)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    if i + 1 == branches.len() {
                        self.emit(branch)?;
                    } else {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(branch)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.program.len();
                        self.patch(split, Inst::Split(split + 1, next));
                    }
                }
                let end = self.program.len();
                for jump in jumps {
                    self.patch(jump, Inst::Jmp(end));
                }
            }
            Node::Repeat { node, min, max } => {
                for _ in 0..*min {
                    self.emit(node)?;
                }
                match max {
                    None => {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(node)?;
                        self.push(Inst::Jmp(split))?;
                        let end = self.program.len();
                        self.patch(split, Inst::Split(split + 1, end));
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.emit(node)?;
                        }
                        let end = self.program.len();
                        for split in splits {
                            self.patch(split, Inst::Split(split + 1, end));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
