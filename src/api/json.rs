//! `-o json`: what Go's `json.MarshalIndent(obj, "", "    ")` prints for an unstructured
//! object, plus the Go number and string formatting the other structured printers share.
//!
//! kubectl 1.21 is built with Go 1.16, so strings escape `<`, `>`, `&`, U+2028 and U+2029,
//! and control characters other than `\n`, `\r`, `\t` as `\u00xx` (Go 1.22 added `\b`, `\f`).
//!
//! Must not import: anything outside `serde_json` and std (no engine, no shell state).

use crate::engine::value::{Number, Value};

/// Exactly what `kubectl get -o json` prints for one object (or one List object).
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_indented(&mut out, v, 0);
    out.push('\n');
    out
}

/// A JSON number as the Go side holds it after decoding into an unstructured object.
///
/// apimachinery decodes a JSON number to `int64` when it parses as one, else to `float64`;
/// our values went through serde, so an integral float in `int64` range is an `int64` in Go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum GoNum {
    Int(i64),
    Float(f64),
}

/// Classifies a number the way a round trip through Go's JSON and unstructured decoding does.
pub(crate) fn go_num(n: &Number) -> GoNum {
    if let Some(i) = n.as_i64() {
        return GoNum::Int(i);
    }
    if let Some(u) = n.as_u64() {
        return GoNum::Float(u as f64);
    }
    let f = n.as_f64().unwrap_or(0.0);
    // -2^63 is exact in f64; 2^63 is the first integral value past i64::MAX.
    if f.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
    {
        GoNum::Int(f as i64)
    } else {
        GoNum::Float(f)
    }
}

/// The `strconv.FormatFloat` verbs we need, always with the shortest precision (`-1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FloatVerb {
    /// `'f'`: no exponent.
    Fixed,
    /// `'e'`: `d.ddde±XX`, at least two exponent digits.
    Exp,
    /// `'g'`: `%e` when the exponent is below -4 or at least 6 (what Go's `%v` prints).
    General,
}

/// `strconv.FormatFloat(f, verb, -1, 64)` for a finite `f`.
pub(crate) fn format_float(f: f64, verb: FloatVerb) -> String {
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if f == 0.0 {
        out.push_str(match verb {
            FloatVerb::Exp => "0e+00",
            _ => "0",
        });
        return out;
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as Go's shortest mode does.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let use_exp = match verb {
        FloatVerb::Fixed => false,
        FloatVerb::Exp => true,
        FloatVerb::General => !(-4..6).contains(&exp),
    };
    if use_exp {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
        return out;
    }
    let point = exp + 1; // digits before the decimal point
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

/// Go's `encoding/json` float text: `'f'` in [1e-6, 1e21), else `'e'` with `e-07` cut to `e-7`.
pub(crate) fn json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = format_float(f, FloatVerb::Exp);
        let n = s.len();
        if n >= 4 && s.as_bytes()[n - 4] == b'e' && &s[n - 3..n - 1] == "-0" {
            s.remove(n - 2);
        }
        s
    } else {
        format_float(f, FloatVerb::Fixed)
    }
}

/// Appends a number as Go's JSON encoder writes it.
pub(crate) fn write_number(out: &mut String, n: &Number) {
    match go_num(n) {
        GoNum::Int(i) => out.push_str(&i.to_string()),
        GoNum::Float(f) => out.push_str(&json_float(f)),
    }
}

/// Appends `s` as a Go JSON string literal, HTML-escaped as `json.Marshal` does by default.
pub(crate) fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut plain_from = 0;
    for (i, c) in s.char_indices() {
        let escape: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let needs_hex = (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}');
        if escape.is_none() && !needs_hex {
            continue;
        }
        out.push_str(&s[plain_from..i]);
        plain_from = i + c.len_utf8();
        match escape {
            Some(e) => out.push_str(e),
            None => {
                let code = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((code >> shift) & 0xF) as usize] as char);
                }
            }
        }
    }
    out.push_str(&s[plain_from..]);
    out.push('"');
}

/// Appends `json.Marshal(v)`: no spaces at all.
pub(crate) fn write_compact(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_compact(out, item);
            }
            out.push('}');
        }
    }
}

/// Appends `json.MarshalIndent(v, "", "    ")` for a value nested `depth` levels deep.
pub(crate) fn write_indented(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_indented(out, item, depth + 1);
            }
            newline_indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_indented(out, item, depth + 1);
            }
            newline_indent(out, depth);
            out.push('}');
        }
        _ => write_compact(out, v),
    }
}

fn newline_indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    #[test]
    fn floats_format_like_go_strconv() {
        assert_eq!(format_float(1234567.5, FloatVerb::General), "1.2345675e+06");
        assert_eq!(format_float(123456.0, FloatVerb::General), "123456");
        assert_eq!(format_float(0.0001, FloatVerb::General), "0.0001");
        assert_eq!(format_float(0.00001, FloatVerb::General), "1e-05");
        assert_eq!(format_float(1e20, FloatVerb::General), "1e+20");
        assert_eq!(format_float(1e100, FloatVerb::General), "1e+100");
        assert_eq!(format_float(-2.5, FloatVerb::General), "-2.5");
        assert_eq!(
            format_float(1e20, FloatVerb::Fixed),
            "100000000000000000000"
        );
        assert_eq!(format_float(0.000123, FloatVerb::Fixed), "0.000123");
    }

    #[test]
    fn json_floats_switch_to_exponent_outside_go_range() {
        assert_eq!(json_float(1e21), "1e+21");
        assert_eq!(json_float(1e-7), "1e-7");
        assert_eq!(json_float(0.000001), "0.000001");
        assert_eq!(json_float(1.5), "1.5");
        assert_eq!(json_float(-1.5e-10), "-1.5e-10");
    }

    #[test]
    fn integral_floats_and_huge_integers_classify_as_go_does() {
        assert_eq!(go_num(&Number::from_f64(3.0).unwrap()), GoNum::Int(3));
        assert_eq!(
            go_num(&Number::from(u64::MAX)),
            GoNum::Float(u64::MAX as f64)
        );
        assert_eq!(go_num(&Number::from_f64(1e20).unwrap()), GoNum::Float(1e20));
    }

    #[test]
    fn strings_are_html_escaped_and_controls_use_u_escapes() {
        let mut out = String::new();
        write_string(&mut out, "<a&b>\u{8}\t\"\\\u{2028}é");
        assert_eq!(out, r#""\u003ca\u0026b\u003e\u0008\t\"\\\u2028é""#);
    }

    #[test]
    fn indented_output_keeps_empty_collections_compact() {
        let v = json!({"a": {}, "b": [], "c": [1, {"d": null}]});
        let expected = "{\n    \"a\": {},\n    \"b\": [],\n    \"c\": [\n        1,\n        {\n            \"d\": null\n        }\n    ]\n}\n";
        assert_eq!(to_json(&v), expected);
    }
}
