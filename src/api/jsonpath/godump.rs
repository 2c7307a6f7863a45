//! Go's `fmt` renderings that kubectl's jsonpath messages contain: `%#v` of the object
//! (`map[string]interface {}{"kind":"Node", ...}`), `%v` of a value (`map[kind:Node]`),
//! `%q` of the template and `%#U` of a character.
//!
//! Go's `unicode.IsPrint` is approximated (control, format, separator and private-use
//! characters count as unprintable); ASCII and common text match exactly.
//!
//! Must not import: anything outside `serde_json`, std and the sibling `json` printer.

use crate::api::json::{FloatVerb, GoNum, format_float, go_num};
use crate::engine::value::Value;
use std::fmt::Write as _;

/// Go's `strconv.IsPrint`, approximately for non-ASCII.
pub(super) fn is_go_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let code = c as u32;
    let format_char = matches!(
        code,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
            | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
    );
    let private_or_nonchar =
        matches!(code, 0xE000..=0xF8FF | 0xF0000.. ) || (code & 0xFFFE) == 0xFFFE;
    !(c.is_control() || c.is_whitespace() || format_char || private_or_nonchar)
}

/// `strconv.Quote(s)`: the `%q` and `%#v` form of a string.
pub(super) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_go_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
}

/// `fmt.Sprintf("%#U", c)`: `U+0027 '''`, without the quoted form when unprintable.
pub(super) fn go_sharp_u(c: char) -> String {
    if is_go_print(c) {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

/// Go's `%v` of a number held in an unstructured object.
pub(super) fn go_number(n: &serde_json::Number) -> String {
    match go_num(n) {
        GoNum::Int(i) => i.to_string(),
        GoNum::Float(f) => format_float(f, FloatVerb::General),
    }
}

/// `fmt.Sprintf("%#v", obj)` for the object kubectl hands to the jsonpath engine.
pub(super) fn go_sharp_v(v: &Value) -> String {
    let mut out = String::new();
    push_sharp_v(&mut out, v, true);
    out
}

fn push_sharp_v(out: &mut String, v: &Value, top: bool) {
    match v {
        // A nil inside a map or slice is a nil `interface {}`; a top-level nil is untyped.
        Value::Null if top => out.push_str("<nil>"),
        Value::Null => out.push_str("interface {}(nil)"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => push_quoted(out, s),
        Value::Array(items) => {
            out.push_str("[]interface {}{");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_sharp_v(out, item, false);
            }
            out.push('}');
        }
        Value::Object(map) => {
            out.push_str("map[string]interface {}{");
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_quoted(out, k);
                out.push(':');
                push_sharp_v(out, item, false);
            }
            out.push('}');
        }
    }
}

/// `fmt.Sprintf("%v", v)`: `map[a:1 b:[x y]]`, strings bare, nil as `<nil>`.
pub(super) fn go_v(v: &Value) -> String {
    let mut out = String::new();
    push_v(&mut out, v);
    out
}

fn push_v(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                push_v(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("map[");
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                push_v(out, item);
            }
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    #[test]
    fn sharp_v_dump_matches_go_fmt() {
        let v = json!({"a": [1, 2.5, "x\n"], "b": null, "c": {}, "d": true});
        let expected = r#"map[string]interface {}{"a":[]interface {}{1, 2.5, "x\n"}, "b":interface {}(nil), "c":map[string]interface {}{}, "d":true}"#;
        assert_eq!(go_sharp_v(&v), expected);
    }

    #[test]
    fn plain_v_matches_go_fmt() {
        assert_eq!(
            go_v(&json!({"b": [1, "x"], "a": null})),
            "map[a:<nil> b:[1 x]]"
        );
    }

    #[test]
    fn quoting_and_rune_names_match_go() {
        assert_eq!(go_quote("{.a}\t\u{1}é"), "\"{.a}\\t\\x01é\"");
        assert_eq!(go_sharp_u('\''), "U+0027 '''");
        assert_eq!(go_sharp_u('\t'), "U+0009");
    }
}
