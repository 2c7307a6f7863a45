//! Splits a JSON manifest stream into values the way Go's `encoding/json` Decoder does, with
//! its syntax error texts (`json: offset N: invalid character '}' looking for beginning of
//! object key string`), so that kubectl's `error parsing STDIN: ...` lines come out the same.
//!
//! Must not import anything outside `std` and `serde_json`; it is a pure function of the text.

use crate::engine::value::Value;

/// Deepest nesting accepted; serde_json refuses more than this, so we stop first.
const MAX_DEPTH: usize = 100;

/// Why a JSON stream could not be split into values: the text after `error parsing SOURCE: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct JsonStreamError(pub String);

/// One top-level value: its text as written (kubectl quotes it verbatim) and its parsed form.
pub(super) struct RawValue<'a> {
    pub text: &'a str,
    pub value: Value,
    /// The text is longer than the bound it was read with: it was not parsed (`value` is
    /// null), so a huge array never becomes a tree in memory.
    pub too_large: bool,
}

/// Splits `text` into its top-level JSON values; stops at the first error, as kubectl does.
/// A value whose text is longer than `limit` bytes is only delimited, not parsed.
pub(super) fn values(text: &str, limit: usize) -> Vec<Result<RawValue<'_>, JsonStreamError>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        while pos < bytes.len() && is_space(bytes[pos]) {
            pos += 1;
        }
        if pos >= bytes.len() {
            return out;
        }
        let start = pos;
        let mut scanner = Scanner { bytes, pos };
        let result = scanner.value(0).and_then(|()| {
            let slice = text.get(start..scanner.pos).unwrap_or_default();
            if slice.len() > limit {
                return Ok(RawValue {
                    text: slice,
                    value: Value::Null,
                    too_large: true,
                });
            }
            serde_json::from_str::<Value>(slice)
                .map(|value| RawValue {
                    text: slice,
                    value,
                    too_large: false,
                })
                .map_err(|err| JsonStreamError(format!("json: {err}")))
        });
        let failed = result.is_err();
        out.push(result);
        if failed {
            return out;
        }
        pos = scanner.pos;
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A recursive-descent checker that reports errors in the words of Go's JSON scanner.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Go reports the offset just past the offending byte, counted from the stream start.
    fn invalid(&self, context: &str) -> JsonStreamError {
        let c = self.peek().unwrap_or(0);
        JsonStreamError(format!(
            "json: offset {}: invalid character {} {context}",
            self.pos + 1,
            quote_char(c)
        ))
    }

    /// The next byte, or Go's `unexpected EOF` when the text ends inside a value.
    fn next_byte(&self) -> Result<u8, JsonStreamError> {
        self.peek()
            .ok_or_else(|| JsonStreamError("unexpected EOF".to_string()))
    }

    fn value(&mut self, depth: usize) -> Result<(), JsonStreamError> {
        self.skip_space();
        let c = self.next_byte()?;
        if depth > MAX_DEPTH && matches!(c, b'{' | b'[') {
            return Err(JsonStreamError(format!(
                "json: offset {}: exceeded max depth",
                self.pos + 1
            )));
        }
        match c {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => Err(self.invalid("looking for beginning of value")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), JsonStreamError> {
        self.pos += 1;
        self.skip_space();
        if self.next_byte()? == b'}' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_space();
            if self.next_byte()? != b'"' {
                return Err(self.invalid("looking for beginning of object key string"));
            }
            self.string()?;
            self.skip_space();
            if self.next_byte()? != b':' {
                return Err(self.invalid("after object key"));
            }
            self.pos += 1;
            self.value(depth + 1)?;
            self.skip_space();
            match self.next_byte()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.invalid("after object key:value pair")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), JsonStreamError> {
        self.pos += 1;
        self.skip_space();
        if self.next_byte()? == b']' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value(depth + 1)?;
            self.skip_space();
            match self.next_byte()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.invalid("after array element")),
            }
        }
    }

    fn string(&mut self) -> Result<(), JsonStreamError> {
        self.pos += 1;
        loop {
            let c = self.next_byte()?;
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    match self.next_byte()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.pos += 1,
                        b'u' => {
                            self.pos += 1;
                            for _ in 0..4 {
                                if !self.next_byte()?.is_ascii_hexdigit() {
                                    return Err(self.invalid("in \\u hexadecimal character escape"));
                                }
                                self.pos += 1;
                            }
                        }
                        _ => return Err(self.invalid("in string escape code")),
                    }
                }
                0..=0x1f => return Err(self.invalid("in string literal")),
                _ => self.pos += 1,
            }
        }
    }

    /// Numbers end at the first byte that cannot continue them; that byte is judged by the caller.
    fn number(&mut self) -> Result<(), JsonStreamError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
            if !self.next_byte()?.is_ascii_digit() {
                return Err(self.invalid("in numeric literal"));
            }
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.next_byte()?.is_ascii_digit() {
                return Err(self.invalid("after decimal point in numeric literal"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.next_byte()?.is_ascii_digit() {
                return Err(self.invalid("in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonStreamError> {
        self.pos += 1;
        for expected in word.bytes().skip(1) {
            if self.next_byte()? != expected {
                return Err(self.invalid(&format!(
                    "in literal {word} (expecting {})",
                    quote_char(expected)
                )));
            }
            self.pos += 1;
        }
        Ok(())
    }
}

/// Go's `quoteChar`: a byte shown as a single-quoted Go rune literal.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        0x07 => "'\\a'".to_string(),
        0x08 => "'\\b'".to_string(),
        0x0c => "'\\f'".to_string(),
        b'\n' => "'\\n'".to_string(),
        b'\r' => "'\\r'".to_string(),
        b'\t' => "'\\t'".to_string(),
        0x0b => "'\\v'".to_string(),
        b'\\' => "'\\\\'".to_string(),
        0..=0x1f | 0x7f => format!("'\\x{c:02x}'"),
        0x80..=0x9f => format!("'\\u{:04x}'", u32::from(c)),
        _ => format!("'{}'", char::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &str) -> String {
        match values(text, usize::MAX).into_iter().find_map(Result::err) {
            Some(JsonStreamError(msg)) => msg,
            None => String::from("no error"),
        }
    }

    // Expected texts printed by real kubectl (see tests/fixtures/manifests/json_errors.txt).
    #[test]
    fn errors_use_go_words_and_offsets() {
        let cases = [
            (
                r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x",}}"#,
                "json: offset 68: invalid character '}' looking for beginning of object key string",
            ),
            (
                r#"{"apiVersion" "v1"}"#,
                "json: offset 15: invalid character '\"' after object key",
            ),
            (
                r#"{"a": tru}"#,
                "json: offset 10: invalid character '}' in literal true (expecting 'e')",
            ),
            (
                r#"{"a": 1 "b": 2}"#,
                "json: offset 9: invalid character '\"' after object key:value pair",
            ),
            (
                r#"{"a": [1 2]}"#,
                "json: offset 10: invalid character '2' after array element",
            ),
            (
                "{\"a\": \"\x01\"}",
                "json: offset 8: invalid character '\\x01' in string literal",
            ),
            (
                r#"{"a": 01}"#,
                "json: offset 8: invalid character '1' after object key:value pair",
            ),
            (
                r#"{"a": "\q"}"#,
                "json: offset 9: invalid character 'q' in string escape code",
            ),
            (r#"{"a": "x""#, "unexpected EOF"),
        ];
        for (input, expected) in cases {
            assert_eq!(first_error(input), expected, "input {input}");
        }
    }

    #[test]
    fn offsets_count_from_the_stream_start() {
        let one = r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}"#;
        let text = format!("{one}\n  {one} x");
        let results = values(&text, usize::MAX);
        assert_eq!(results.len(), 3);
        assert_eq!(
            results[2].as_ref().err(),
            Some(&JsonStreamError(
                "json: offset 141: invalid character 'x' looking for beginning of value".into()
            ))
        );
    }

    #[test]
    fn values_keep_their_text_verbatim() {
        let results = values("  {\"a\":  1}\n{}\n", usize::MAX);
        let texts: Vec<&str> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|v| v.text))
            .collect();
        assert_eq!(texts, vec!["{\"a\":  1}", "{}"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(first_error(&text).contains("exceeded max depth"));
    }
}
