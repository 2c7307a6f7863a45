//! Turning typed, pasted or piped lines into whole command lines, as bash's reader does
//! (a heredoc, an open quote or a trailing `|` asks for more), with two guarantees:
//!
//! - **Linear time.** A [`Scanner`] follows the text as it arrives, and the parser confirms
//!   a command only when the scanner says it may be whole, so a heredoc of 100,000 lines is
//!   read in time proportional to its size.
//! - **Bounded memory, refused whole.** One command line (heredoc bodies included) may hold
//!   at most [`MAX_INPUT_BYTES`]. A longer one is not kept: the rest of it is skipped up to
//!   where it ends (the heredoc's delimiter, the closing quote, the end of the line) and it
//!   is reported once as [`Assembled::TooLong`]. None of it runs, so the lines of a too-long
//!   heredoc are never taken for commands. [`CommandReader`] reads a byte stream in pieces of
//!   at most that size, so a 100 MB line never sits in memory.
//!
//! Used by `kubetutor shell` (with or without `--lesson`) and by the TUI's prompt and paste.
//! Must not import the terminal, files or processes: it reads any [`BufRead`].

use std::io::{self, BufRead, Read};

use super::parse::{Completeness, Scanner, completeness};

/// Most bytes one command line may have, heredoc bodies included: enough for a pasted
/// manifest of several megabytes.
pub const MAX_INPUT_BYTES: usize = 8 << 20;

/// Bytes read at a time while skipping a too-long input.
const SKIP_CHUNK: u64 = 64 << 10;

/// A whole command line, or the size of one that was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assembled {
    /// The text of a whole command line, without the newline that ended it.
    Command(String),
    /// A command line longer than [`MAX_INPUT_BYTES`]: how many bytes it had. None of it ran.
    TooLong(usize),
}

/// The message shown for a refused command line (newline included).
pub fn too_long_message(bytes: usize) -> String {
    format!(
        "kubetutor: command line too long ({bytes} bytes, heredocs included; the limit is {MAX_INPUT_BYTES} bytes): none of it was run\n"
    )
}

/// Gathers lines until they make a whole command line.
#[derive(Clone, Debug)]
pub struct Assembler {
    limit: usize,
    pending: String,
    scanner: Scanner,
    /// Set while skipping a too-long command line: the bytes it had so far.
    skipped: Option<usize>,
    /// Length of the pending text when the parser last said it was incomplete.
    parsed_len: usize,
}

/// Pending text up to this size is parsed at every newline once the scanner defers to the
/// parser (compound commands); past it, only when it has doubled since the last parse or
/// at an empty line, so a long piped loop is gathered in linear time.
const ALWAYS_PARSE_BYTES: usize = 4 << 10;

impl Default for Assembler {
    fn default() -> Assembler {
        Assembler::new()
    }
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler::with_limit(MAX_INPUT_BYTES)
    }

    /// An assembler with another bound (tests use small ones).
    pub fn with_limit(limit: usize) -> Assembler {
        Assembler {
            limit,
            pending: String::new(),
            scanner: Scanner::new(),
            skipped: None,
            parsed_len: 0,
        }
    }

    /// Nothing is waiting: bash would show its main prompt, not `> `.
    pub fn is_idle(&self) -> bool {
        self.pending.is_empty() && self.skipped.is_none()
    }

    /// Drops what was gathered (Ctrl-C).
    pub fn clear(&mut self) {
        *self = Assembler::with_limit(self.limit);
    }

    /// Takes the next piece of input: a line with its newline, or (for a line longer than
    /// the limit, or the input's last line) part of one.
    pub fn push(&mut self, text: &str) -> Option<Assembled> {
        self.scanner.feed(text);
        if let Some(skipped) = &mut self.skipped {
            *skipped += text.len();
            let bytes = *skipped;
            if text.ends_with('\n') && self.scanner.may_be_complete() {
                self.clear();
                return Some(Assembled::TooLong(bytes));
            }
            return None;
        }
        if self.pending.len() + text.len() > self.limit {
            self.skipped = Some(self.pending.len() + text.len());
            self.pending = String::new();
            if text.ends_with('\n') && self.scanner.may_be_complete() {
                let bytes = self.skipped.unwrap_or_default();
                self.clear();
                return Some(Assembled::TooLong(bytes));
            }
            return None;
        }
        self.pending.push_str(text);
        if !text.ends_with('\n') || !self.scanner.may_be_complete() {
            return None;
        }
        if self.scanner.defers_to_parser()
            && self.pending.len() > ALWAYS_PARSE_BYTES
            && self.pending.len() < 2 * self.parsed_len
            && text != "\n"
        {
            return None;
        }
        self.parsed_len = self.pending.len();
        // Parsed without the newline just typed, as the TUI's prompt would: `ls \` asks
        // for more, `EOF` ends a heredoc.
        let typed = self.pending.strip_suffix('\n').unwrap_or(&self.pending);
        if completeness(typed) == Completeness::Incomplete {
            return None;
        }
        let mut line = std::mem::take(&mut self.pending);
        self.clear();
        if line.ends_with('\n') {
            line.pop();
        }
        Some(Assembled::Command(line))
    }

    /// The end of input: what is left runs as it is (bash reports an unclosed quote then).
    pub fn finish(&mut self) -> Option<Assembled> {
        let out = match self.skipped {
            Some(bytes) => Some(Assembled::TooLong(bytes)),
            None if self.pending.trim().is_empty() => None,
            None => {
                let mut line = std::mem::take(&mut self.pending);
                if line.ends_with('\n') {
                    line.pop();
                }
                Some(Assembled::Command(line))
            }
        };
        self.clear();
        out
    }
}

/// Reads whole command lines from a byte stream, holding at most [`MAX_INPUT_BYTES`] (and
/// a small piece while skipping a too-long one). Invalid UTF-8 becomes U+FFFD.
pub struct CommandReader<'a> {
    input: &'a mut dyn BufRead,
    assembler: Assembler,
    buf: Vec<u8>,
    done: bool,
}

impl<'a> CommandReader<'a> {
    pub fn new(input: &'a mut dyn BufRead) -> CommandReader<'a> {
        CommandReader::with_limit(input, MAX_INPUT_BYTES)
    }

    /// A reader with another bound (tests use small ones).
    pub fn with_limit(input: &'a mut dyn BufRead, limit: usize) -> CommandReader<'a> {
        CommandReader {
            input,
            assembler: Assembler::with_limit(limit),
            buf: Vec::new(),
            done: false,
        }
    }

    /// The next command line, or `None` at the end of input.
    pub fn next_command(&mut self) -> io::Result<Option<Assembled>> {
        while !self.done {
            self.buf.clear();
            let room = match self.assembler.skipped {
                Some(_) => SKIP_CHUNK,
                None => (self.assembler.limit + 1 - self.assembler.pending.len()) as u64,
            };
            let n = (&mut *self.input)
                .take(room)
                .read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                self.done = true;
                return Ok(self.assembler.finish());
            }
            let text = String::from_utf8_lossy(&self.buf);
            if let Some(done) = self.assembler.push(&text) {
                return Ok(Some(done));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests;
