//! `-o yaml`: what kubectl 1.21 prints through sigs.k8s.io/yaml, i.e. go-yaml v2.4.0's
//! emitter fed with the object's JSON form.
//!
//! The emitter below follows libyaml's block-style rules as go-yaml ports them: the same
//! indentation bookkeeping (`indent`, `whitespace`, `indention`, `column`), the same scalar
//! analysis and style choice, and the same folding of long plain and quoted scalars past
//! column 80. Only what a JSON tree can produce is covered: block mappings and sequences,
//! `{}`/`[]` for empty ones, and the four scalar styles (plain, single- and double-quoted,
//! literal).
//!
//! Must not import: anything outside `serde_json`, std and the sibling `json` printer.

mod keys;
mod resolve;
mod scalar;

use crate::api::json::{FloatVerb, GoNum, format_float, go_num, json_float};
use crate::engine::value::{Map, Value};
use scalar::{Style, analyze, is_break, is_printable, requested_string_style, select_style};

/// Column past which go-yaml folds long scalars at a space (its default `best_width`).
const BEST_WIDTH: usize = 80;
/// go-yaml's default `best_indent`.
const BEST_INDENT: isize = 2;
/// Longest key written as `key: value`; longer ones use the explicit `? key` form.
const MAX_SIMPLE_KEY_BYTES: usize = 128;

/// Exactly what `kubectl get -o yaml` prints for one object (or one List object).
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
    };
    e.node(v, Context::ROOT);
    // DOCUMENT-END: an implicit end still breaks the last line.
    e.indent = -1;
    e.write_indent();
    e.out
}

/// The text go-yaml writes for a number that came from kubectl's JSON.
///
/// sigs.k8s.io/yaml re-reads the JSON text as YAML: text that parses as a 64-bit integer
/// stays as written, anything else becomes a float64 printed with `%g`-style shortest digits.
fn number_text(n: &serde_json::Number) -> String {
    match go_num(n) {
        GoNum::Int(i) => i.to_string(),
        GoNum::Float(f) => {
            let text = json_float(f);
            if text.bytes().all(|b| b.is_ascii_digit()) && text.parse::<u64>().is_ok() {
                text
            } else {
                format_float(f, FloatVerb::General)
            }
        }
    }
}

/// Where a node sits, as the emitter's `mapping_context` / `simple_key_context` flags.
#[derive(Clone, Copy)]
struct Context {
    mapping: bool,
    simple_key: bool,
}

impl Context {
    const ROOT: Context = Context {
        mapping: false,
        simple_key: false,
    };
}

struct Emitter {
    out: String,
    column: usize,
    indent: isize,
    indents: Vec<isize>,
    whitespace: bool,
    indention: bool,
}

impl Emitter {
    fn node(&mut self, v: &Value, ctx: Context) {
        match v {
            Value::Null => self.scalar("null", Style::Plain, ctx),
            Value::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, ctx),
            Value::Number(n) => self.scalar(&number_text(n), Style::Plain, ctx),
            Value::String(s) => self.scalar(s, requested_string_style(s), ctx),
            Value::Array(items) if items.is_empty() => self.empty_flow("[]"),
            Value::Object(map) if map.is_empty() => self.empty_flow("{}"),
            Value::Array(items) => self.sequence(items, ctx),
            Value::Object(map) => self.mapping(map),
        }
    }

    fn empty_flow(&mut self, text: &str) {
        let (open, close) = text.split_at(1);
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn sequence(&mut self, items: &[Value], ctx: Context) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(
                item,
                Context {
                    mapping: false,
                    simple_key: false,
                },
            );
        }
        self.pop_indent();
    }

    fn mapping(&mut self, map: &Map) {
        self.increase_indent(false, false);
        let mut keys: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
        keys::sort_keys(&mut keys);
        for key in keys {
            self.write_indent();
            let simple = key.len() <= MAX_SIMPLE_KEY_BYTES && !analyze(key).multiline;
            if simple {
                self.scalar(
                    key,
                    requested_string_style(key),
                    Context {
                        mapping: true,
                        simple_key: true,
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.scalar(
                    key,
                    requested_string_style(key),
                    Context {
                        mapping: true,
                        simple_key: false,
                    },
                );
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            if let Some(value) = map.get(key) {
                self.node(
                    value,
                    Context {
                        mapping: true,
                        simple_key: false,
                    },
                );
            }
        }
        self.pop_indent();
    }

    fn scalar(&mut self, text: &str, requested: Style, ctx: Context) {
        let analysis = analyze(text);
        let style = select_style(requested, &analysis, ctx.simple_key);
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, allow_breaks),
            Style::Single => self.write_single_quoted(text, allow_breaks),
            Style::Double => self.write_double_quoted(text, allow_breaks),
            Style::Literal => self.write_literal(text),
        }
        self.pop_indent();
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        text: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in text.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Plain and single-quoted text share the break handling; `quoted` doubles `'` inside.
    fn write_folding(&mut self, value: &str, allow_breaks: bool, quoted: bool) {
        // Fast path: no line breaks, and no space can sit past the fold column.
        let count = value.chars().count();
        let cannot_fold =
            !allow_breaks || self.column + count <= BEST_WIDTH || !value.contains(' ');
        if cannot_fold && !value.chars().any(is_break) {
            if quoted {
                self.out.push_str(&value.replace('\'', "''"));
                self.column += count + value.matches('\'').count();
            } else {
                self.out.push_str(value);
                self.column += count;
            }
            if count > 0 {
                self.indention = false;
            }
            return;
        }
        let (mut spaces, mut breaks) = (false, false);
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if c == ' ' {
                let inside = !quoted || (i > 0 && i + 1 < value.len());
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && inside
                    && next != Some(' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if quoted && c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        self.write_folding(value, allow_breaks, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        self.write_folding(value, allow_breaks, true);
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        // go-yaml checks for a BOM at the start of the whole value at every position.
        let starts_with_bom = value.starts_with('\u{FEFF}');
        self.write_indicator("\"", true, false, false);
        let mut spaces = false;
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let named = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                if let Some(n) = named {
                    self.put(n);
                } else {
                    let code = c as u32;
                    let (letter, digits) = match code {
                        0..=0xFF => ('x', 2),
                        0x100..=0xFFFF => ('u', 4),
                        _ => ('U', 8),
                    };
                    self.put(letter);
                    for k in (0..digits).rev() {
                        self.put(HEX[((code >> (4 * k)) & 0xF) as usize] as char);
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < value.len()
                {
                    self.write_indent();
                    if next == Some(' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        if value.starts_with(' ') || value.chars().next().is_some_and(is_break) {
            let hint = char::from(b'0' + BEST_INDENT as u8);
            self.write_indicator(&hint.to_string(), false, false, false);
        }
        let mut tail = value.chars().rev();
        let chomp = match (tail.next(), tail.next()) {
            (Some(last), _) if !is_break(last) => Some('-'),
            (Some(_), None) => Some('+'),
            (Some(_), Some(before)) if is_break(before) => Some('+'),
            _ => None,
        };
        if let Some(c) = chomp {
            self.write_indicator(&c.to_string(), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        if !value.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
            // Only `\n` breaks: write whole lines (empty lines get no indentation).
            for (i, line) in value.split('\n').enumerate() {
                if i > 0 {
                    self.put_break();
                    self.indention = true;
                }
                if !line.is_empty() {
                    self.write_indent();
                    self.out.push_str(line);
                    self.column += line.chars().count();
                    self.indention = false;
                }
            }
            return;
        }
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_yaml;
    use crate::engine::value::json;

    #[test]
    fn sequences_under_a_key_align_with_the_key() {
        let v = json!({"spec": {"containers": [{"name": "demo", "args": ["a", "b"]}], "x": {}}});
        let expected =
            "spec:\n  containers:\n  - args:\n    - a\n    - b\n    name: demo\n  x: {}\n";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn nested_sequences_share_the_dash_line() {
        let v = json!({"a": [["x", "y"], [], {}]});
        assert_eq!(to_yaml(&v), "a:\n- - x\n  - \"y\"\n- []\n- {}\n");
    }

    #[test]
    fn multi_line_strings_use_literal_blocks_with_chomping() {
        let v = json!({"a": "x\ny\n", "b": "x\ny", "c": " x\ny", "d": "x\n\n"});
        let expected = "a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |2-\n   x\n  y\nd: |+\n  x\n\n";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn strings_that_would_misread_are_quoted() {
        let v = json!({"a": "", "b": "*x", "c": "a\tb", "d": "it's", "e": "- x", "f": "\u{1F600}"});
        let expected = "a: \"\"\nb: '*x'\nc: \"a\\tb\"\nd: it's\ne: '- x'\nf: \"\\U0001F600\"\n";
        assert_eq!(to_yaml(&v), expected);
    }
}
