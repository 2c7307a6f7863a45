//! Converts one YAML document to JSON the way kubectl 1.21 does (sigs.k8s.io/yaml over
//! go-yaml v2): YAML 1.1 scalars (`yes`, `on`, `0777`, `1_000`), last duplicate key wins,
//! merge keys, non-string keys turned into strings, and go-yaml's error texts
//! (`yaml: line N: <problem>`, with go-yaml's own line arithmetic).
//!
//! Must not import anything outside `std`, `serde`, `serde_yaml` and `serde_json`.

use std::cell::{Cell, RefCell};
use std::fmt;

use crate::engine::value::{Map, Number, Value};
use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// Splits a YAML stream into documents on `---` lines, as apimachinery's YAMLReader does.
/// Each line keeps a `\n` (a `\r` before it is dropped); line numbers restart in every document.
pub(super) fn split_documents(text: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut buffer = String::new();
    for raw in text.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line
            .strip_prefix("---")
            .is_some_and(|rest| rest.trim_end().is_empty())
        {
            if !buffer.is_empty() {
                docs.push(std::mem::take(&mut buffer));
            }
            continue;
        }
        buffer.push_str(line);
        buffer.push('\n');
    }
    if !buffer.is_empty() {
        docs.push(buffer);
    }
    docs
}

/// Why a document could not be converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Failure {
    /// go-yaml's text, after `error converting YAML to JSON: `.
    Syntax(String),
    /// The JSON it expands to (aliases included) is longer than the bound.
    TooLarge,
}

/// Parses one document; `Ok(Value::Null)` for an empty or comment-only one. Conversion
/// stops as soon as the JSON it builds would pass `limit` bytes: aliases are expanded as
/// they are met, so a few kilobytes that reference a long string thousands of times never
/// reach memory.
pub(super) fn to_json_bounded(doc: &str, limit: usize) -> Result<Value, Failure> {
    let failure = RefCell::new(None);
    let Some(first) = serde_yaml::Deserializer::from_str(doc).next() else {
        return Ok(Value::Null);
    };
    let used = Cell::new(0);
    let seed = Convert {
        input: doc,
        failure: &failure,
        used: &used,
        limit,
    };
    match seed.deserialize(first) {
        Ok(value) => Ok(value),
        Err(_) if used.get() > limit => Err(Failure::TooLarge),
        Err(err) => Err(Failure::Syntax(
            failure
                .into_inner()
                .unwrap_or_else(|| go_yaml_error(&err, doc)),
        )),
    }
}

/// [`to_json_bounded`] with no practical bound, with go-yaml's text as the error.
#[cfg(test)]
pub(super) fn to_json(doc: &str) -> Result<Value, String> {
    to_json_bounded(doc, usize::MAX).map_err(|f| match f {
        Failure::Syntax(text) => text,
        Failure::TooLarge => "too large".to_string(),
    })
}

/// Builds JSON from YAML events. Failures of our own are parked in `failure` with kubectl's
/// exact words, since serde_yaml would otherwise decorate them with a path and a position.
#[derive(Clone, Copy)]
struct Convert<'a> {
    input: &'a str,
    failure: &'a RefCell<Option<String>>,
    /// Bytes of JSON built so far (an estimate: text, quotes, separators).
    used: &'a Cell<usize>,
    limit: usize,
}

impl Convert<'_> {
    fn fail<E: de::Error>(&self, msg: String) -> E {
        let mut slot = self.failure.borrow_mut();
        if slot.is_none() {
            *slot = Some(msg);
        }
        E::custom("conversion failed")
    }

    /// Gives back what a value replaced by a later duplicate key was counted for (never
    /// more than it was: scalars count least here), so a document that repeats its keys
    /// is measured by what it builds.
    fn refund_entry(&self, key_len: usize, old: &Value) {
        fn size(v: &Value) -> usize {
            match v {
                Value::String(s) => s.len() + 2,
                Value::Array(items) => 2 + items.iter().map(|i| size(i) + 1).sum::<usize>(),
                Value::Object(m) => 2 + m.iter().map(|(k, v)| k.len() + 4 + size(v)).sum::<usize>(),
                _ => 1,
            }
        }
        self.used
            .set(self.used.get().saturating_sub(key_len + 4 + size(old)));
    }

    /// Sets a mapping's key; the last duplicate wins, as in go-yaml.
    fn insert(&self, out: &mut Map, name: String, value: Value) {
        let key_len = name.len();
        if let Some(old) = out.insert(name, value) {
            self.refund_entry(key_len, &old);
        }
    }

    /// Counts `bytes` more of output; an error once past the bound.
    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let used = self.used.get().saturating_add(bytes);
        self.used.set(used);
        if used > self.limit {
            return Err(E::custom("request entity too large"));
        }
        Ok(())
    }

    /// True when serde_yaml handed us a slice of the input that is not between quotes.
    fn is_plain(&self, s: &str) -> bool {
        let base = self.input.as_ptr() as usize;
        let Some(start) = (s.as_ptr() as usize).checked_sub(base) else {
            return false;
        };
        let end = start + s.len();
        if end > self.input.len() {
            return false;
        }
        let bytes = self.input.as_bytes();
        let quoted = start > 0
            && end < bytes.len()
            && matches!(bytes[start - 1], b'"' | b'\'')
            && bytes[start - 1] == bytes[end];
        !quoted && !Self::follows_tag(&bytes[..start])
    }

    /// True when the text before a scalar ends with a tag (`!!str 5`): tagged scalars are not
    /// resolved as YAML 1.1 plain scalars.
    fn follows_tag(before: &[u8]) -> bool {
        let trimmed = before
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map_or(&before[..0], |i| &before[..=i]);
        let token_start = trimmed
            .iter()
            .rposition(|b| b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        trimmed.get(token_start) == Some(&b'!')
    }
}

impl<'de> DeserializeSeed<'de> for Convert<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Convert<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.charge(5)?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.charge(20)?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.charge(20)?;
        match i64::try_from(v) {
            Ok(i) => Ok(Value::from(i)),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.charge(24)?;
        json_float(v).map_err(|msg| self.fail(msg))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.charge(v.len() + 2)?;
        Ok(Value::from(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Value, E> {
        self.charge(v.len() + 2)?;
        if self.is_plain(v) {
            resolve_yaml11(v).map_err(|msg| self.fail(msg))
        } else {
            Ok(Value::from(v))
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.charge(4)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.charge(4)?;
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.charge(2)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            self.charge(1)?;
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.charge(2)?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            // The key's own text was counted when it was read; its colon and comma here.
            self.charge(2)?;
            let value = map.next_value_seed(self)?;
            match key {
                Key::Merge => merge_into(&mut out, value).map_err(|msg| self.fail(msg))?,
                Key::Plain(Value::String(name)) => self.insert(&mut out, name.to_string(), value),
                Key::Plain(other) => {
                    let name = key_string(&other, &value).map_err(|msg| self.fail(msg))?;
                    self.insert(&mut out, name, value);
                }
            }
        }
        Ok(Value::Object(out))
    }

    /// A node with a local tag (`!foo`): go-yaml ignores the tag and keeps the content.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// A mapping key: the YAML merge key `<<` (plain) or an ordinary value.
enum Key {
    Merge,
    Plain(Value),
}

struct KeySeed<'a>(Convert<'a>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key, E> {
        if v == "<<" && self.0.is_plain(v) {
            return Ok(Key::Merge);
        }
        self.0.visit_borrowed_str(v).map(Key::Plain)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        self.0.visit_str(v).map(Key::Plain)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
        self.0.visit_bool(v).map(Key::Plain)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
        self.0.visit_i64(v).map(Key::Plain)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        self.0.visit_u64(v).map(Key::Plain)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
        self.0.visit_f64(v).map(Key::Plain)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
        self.0.visit_unit().map(Key::Plain)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Key, A::Error> {
        let value = self.0.visit_seq(seq)?;
        Err(self
            .0
            .fail(format!("yaml: invalid map key: {}", go_sharp_v(&value))))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Key, A::Error> {
        let value = self.0.visit_map(map)?;
        Err(self
            .0
            .fail(format!("yaml: invalid map key: {}", go_sharp_v(&value))))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Key, A::Error> {
        self.0.visit_enum(data).map(Key::Plain)
    }
}

/// go-yaml v2 merges the mapping (or the list of mappings, the first winning) into the parent.
fn merge_into(out: &mut Map, value: Value) -> Result<(), String> {
    match value {
        Value::Object(entries) => {
            out.extend(entries);
            Ok(())
        }
        Value::Array(items) => {
            for item in items.into_iter().rev() {
                match item {
                    Value::Object(entries) => out.extend(entries),
                    _ => return Err(MERGE_ERROR.to_string()),
                }
            }
            Ok(())
        }
        _ => Err(MERGE_ERROR.to_string()),
    }
}

/// go-yaml v2's text for a merge key whose value is not a mapping.
const MERGE_ERROR: &str = "yaml: map merge requires map or sequence of maps as the value";

/// sigs.k8s.io/yaml's conversion of a non-string key into a JSON object key.
fn key_string(key: &Value, value: &Value) -> Result<String, String> {
    match key {
        Value::String(s) => Ok(s.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) if n.is_f64() => Ok(n
            .as_f64()
            .map(|f| format!("{}", f as f32))
            .unwrap_or_default()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Null => Err(format!(
            "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
            go_sharp_v(value)
        )),
        other => Err(format!("yaml: invalid map key: {}", go_sharp_v(other))),
    }
}

/// An approximation of Go's `%#v` for decoded YAML, used only inside error texts.
fn go_sharp_v(value: &Value) -> String {
    match value {
        Value::Null => "interface {}(nil)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(go_sharp_v).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{:?}:{}", k, go_sharp_v(v)))
                .collect();
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

/// A YAML float as kubectl's JSON round trip leaves it: whole values become integers, and
/// infinities and NaN are refused as Go's encoder refuses them.
fn json_float(v: f64) -> Result<Value, String> {
    if v.is_nan() {
        return Err("json: unsupported value: NaN".to_string());
    }
    if v.is_infinite() {
        let sign = if v > 0.0 { "+" } else { "-" };
        return Err(format!("json: unsupported value: {sign}Inf"));
    }
    // Go prints whole floats below 1e21 without an exponent and parses them back as int64.
    if v.fract() == 0.0 && v.abs() < 9.2e18 {
        return Ok(Value::from(v as i64));
    }
    Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
}

/// YAML 1.1 resolution of a plain scalar that YAML 1.2 (serde_yaml) left as a string.
fn resolve_yaml11(s: &str) -> Result<Value, String> {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Ok(Value::Bool(true)),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Ok(Value::Bool(false)),
        _ => {}
    }
    if !s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Ok(Value::from(s));
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = go_parse_int(&plain) {
        return Ok(Value::from(i));
    }
    if let Some(u) = plain
        .strip_prefix('+')
        .map_or(Some(plain.as_str()), |_| None)
        .and_then(go_parse_uint)
    {
        return json_float(u as f64);
    }
    if is_yaml_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
    {
        return json_float(f);
    }
    Ok(Value::from(s))
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then a 0x/0o/0b/0 prefix picks the base.
fn go_parse_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = go_parse_uint(digits)?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` without underscores (the caller removed them).
fn go_parse_uint(s: &str) -> Option<u64> {
    let lower = s.get(..2).map(str::to_ascii_lowercase);
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &s[2..]),
        Some("0o") => (8, &s[2..]),
        Some("0b") => (2, &s[2..]),
        _ if s.len() > 1 && s.starts_with('0') => (8, &s[1..]),
        _ => (10, s),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && all_digits(frac),
        Some((int, frac)) => !int.is_empty() && all_digits(int) && all_digits(frac),
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Renders a serde_yaml error as go-yaml v2 would have: `yaml: [line N: ]<problem>`.
fn go_yaml_error(err: &serde_yaml::Error, doc: &str) -> String {
    let debug = format!("{err:?}");
    if let Some(fields) = debug.strip_prefix("Error { kind: ") {
        let scanner = fields.starts_with("SCANNER");
        let problem = quoted_field(fields, "problem: ").unwrap_or_default();
        let problem_line = mark_line(fields, "problem_mark: Mark { line: ");
        let context_line = mark_line(fields, "context_mark: Mark { line: ");
        // go-yaml: problem mark line (0-based) plus one for scanner errors only; when that
        // line is 0, the context mark's 0-based line; no "line" at all when both are 0.
        let line = match (problem_line, context_line) {
            (Some(p), _) if p > 1 => p - 1 + u64::from(scanner),
            (_, Some(c)) if c > 1 => c - 1,
            _ => 0,
        };
        return if line == 0 {
            format!("yaml: {problem}")
        } else {
            format!("yaml: line {line}: {problem}")
        };
    }
    let text = err.to_string();
    if text.starts_with("unknown anchor") {
        let name = err
            .location()
            .map(|loc| alias_at(doc, loc.line(), loc.column()));
        return format!(
            "yaml: unknown anchor '{}' referenced",
            name.unwrap_or_default()
        );
    }
    if text.starts_with("recursion limit exceeded") {
        return "yaml: exceeded max depth of 128".to_string();
    }
    if text.starts_with("repetition limit exceeded") {
        return "yaml: document contains excessive aliasing".to_string();
    }
    format!("yaml: {text}")
}

/// The string value of `name"..."` in a Debug rendering, unescaping `\"` and `\\`.
fn quoted_field(fields: &str, name: &str) -> Option<String> {
    let start = fields.find(name)? + name.len();
    let mut chars = fields[start..].strip_prefix('"')?.chars();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            _ => out.push(c),
        }
    }
    None
}

/// The 1-based line of a mark in a Debug rendering.
fn mark_line(fields: &str, name: &str) -> Option<u64> {
    let start = fields.find(name)? + name.len();
    let digits: String = fields[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The alias name written at a 1-based line/column (pointing at its `*`).
fn alias_at(doc: &str, line: usize, column: usize) -> String {
    let text = doc.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    let rest: String = text.chars().skip(column.saturating_sub(1)).collect();
    rest.trim_start_matches('*')
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
