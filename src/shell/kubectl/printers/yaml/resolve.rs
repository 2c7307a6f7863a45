//! Whether go-yaml v2 (v2.4.0, the one kubectl 1.21 vendors) must quote a string: it quotes
//! exactly the strings that would read back as something else when written plain (a bool,
//! null, int, float or timestamp under YAML 1.1 rules), plus YAML 1.1 base-60 floats.
//!
//! Must not import: anything outside std.

/// The words go-yaml resolves to a bool, null or special float rather than a string.
const SPECIAL_WORDS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No",
    "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan",
    ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
];

/// True when a plain (unquoted) `s` would not read back as the same string.
pub(super) fn needs_quotes(s: &str) -> bool {
    !resolves_to_string(s) || is_base60_float(s)
}

/// go-yaml's `resolve("", s)` returning the string tag.
fn resolves_to_string(s: &str) -> bool {
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return true,
    };
    if SPECIAL_WORDS.contains(&s) {
        return false;
    }
    match hint {
        b'.' => !is_dot_float(s),
        b'D' | b'S' => {
            if is_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|c| *c != '_').collect();
            if parses_as_int(&plain) || is_yaml_style_float(&plain) {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                return !parse_int(rest, 2, Signed::Yes);
            }
            if let Some(rest) = plain.strip_prefix("-0b") {
                return !parse_int(&format!("-{rest}"), 2, Signed::Yes);
            }
            true
        }
        _ => true,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Signed {
    Yes,
    No,
}

/// `strconv.ParseInt(s, 0, 64)` or `strconv.ParseUint(s, 0, 64)` succeeds.
fn parses_as_int(s: &str) -> bool {
    parse_int(s, 0, Signed::Yes) || parse_int(s, 0, Signed::No)
}

/// Go's `ParseInt`/`ParseUint` (64-bit) success test, with base 0 meaning "from the prefix".
fn parse_int(s: &str, base: u32, signed: Signed) -> bool {
    let (negative, body) = match (signed, s.as_bytes().first()) {
        (Signed::Yes, Some(b'+')) => (false, &s[1..]),
        (Signed::Yes, Some(b'-')) => (true, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return false;
    }
    let (radix, digits) = if base != 0 {
        (base, body)
    } else if let Some(after_zero) = body.strip_prefix('0') {
        let lower = after_zero.as_bytes().first().map(u8::to_ascii_lowercase);
        match lower {
            Some(b'b') if body.len() >= 3 => (2, &after_zero[1..]),
            Some(b'o') if body.len() >= 3 => (8, &after_zero[1..]),
            Some(b'x') if body.len() >= 3 => (16, &after_zero[1..]),
            _ => (8, after_zero),
        }
    } else {
        (10, body)
    };
    let mut value: u128 = 0;
    for c in digits.chars() {
        let Some(d) = c.to_digit(radix) else {
            return false;
        };
        value = value * u128::from(radix) + u128::from(d);
        if value > u128::from(u64::MAX) {
            return false;
        }
    }
    match (signed, negative) {
        (Signed::No, _) => true,
        (Signed::Yes, false) => value <= i64::MAX as u128,
        (Signed::Yes, true) => value <= 1u128 << 63,
    }
}

/// `strconv.ParseFloat` on a string starting with `.`: `.digits` with an optional exponent.
fn is_dot_float(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('.') else {
        return false;
    };
    let frac_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    frac_len > 0 && exponent_ok(&rest[frac_len..]) && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, then a finite `ParseFloat`.
fn is_yaml_style_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &body[int_len..];
    let rest = if int_len == 0 {
        let Some(frac) = rest.strip_prefix('.') else {
            return false;
        };
        let frac_len = frac.bytes().take_while(u8::is_ascii_digit).count();
        if frac_len == 0 {
            return false;
        }
        &frac[frac_len..]
    } else if let Some(frac) = rest.strip_prefix('.') {
        &frac[frac.bytes().take_while(u8::is_ascii_digit).count()..]
    } else {
        rest
    };
    exponent_ok(rest) && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Empty, or `[eE][-+]?[0-9]+` to the end.
fn exponent_ok(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let Some(e) = s.strip_prefix(['e', 'E']) else {
        return false;
    };
    let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: YAML 1.1 sexagesimal, still quoted.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(b'+' | b'-' | b'0'..=b'9') if s.contains(':') => {}
        _ => return false,
    }
    let mut i = usize::from(matches!(b[0], b'+' | b'-'));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml's timestamp test: `time.Parse` with its four layouts (RFC 3339 with short fields,
/// the same with a lower-case `t`, space-separated without a zone, and a bare date).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = Cursor { b, i: 5 };
    let year: i64 = s[..4].parse().unwrap_or(0);
    let Some(month) = p.number(1..=12) else {
        return false;
    };
    if !p.literal(b'-') {
        return false;
    }
    let Some(day) = p.number(1..=31) else {
        return false;
    };
    if day > days_in(month, year) {
        return false;
    }
    if p.done() {
        return true;
    }
    let zone = match b[p.i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    p.i += 1;
    if !zone {
        while p.peek() == Some(b' ') {
            p.i += 1;
        }
    }
    let time_ok = p.number(0..=23).is_some()
        && p.literal(b':')
        && p.number(0..=59).is_some()
        && p.literal(b':')
        && p.number(0..=59).is_some();
    if !time_ok {
        return false;
    }
    if p.peek() == Some(b'.') && p.b.get(p.i + 1).is_some_and(u8::is_ascii_digit) {
        p.i += 1;
        let mut n = 0;
        while n < 9 && p.peek().is_some_and(|c| c.is_ascii_digit()) {
            p.i += 1;
            n += 1;
        }
    }
    if zone {
        match p.peek() {
            Some(b'Z') => p.i += 1,
            Some(b'+' | b'-') => {
                let z = &b[p.i..];
                let ok = z.len() >= 6
                    && z[1..3].iter().all(u8::is_ascii_digit)
                    && z[3] == b':'
                    && z[4..6].iter().all(u8::is_ascii_digit);
                if !ok {
                    return false;
                }
                p.i += 6;
            }
            _ => return false,
        }
    }
    p.done()
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A byte cursor for the timestamp layouts.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    fn literal(&mut self, c: u8) -> bool {
        let ok = self.peek() == Some(c);
        self.i += usize::from(ok);
        ok
    }

    /// Go's `getnum(value, false)`: one or two digits, then a range check.
    fn number(&mut self, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        let first = self.peek().filter(u8::is_ascii_digit)?;
        self.i += 1;
        let mut n = i64::from(first - b'0');
        if let Some(second) = self.peek().filter(u8::is_ascii_digit) {
            self.i += 1;
            n = n * 10 + i64::from(second - b'0');
        }
        range.contains(&n).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::needs_quotes;

    #[test]
    fn numbers_bools_nulls_and_timestamps_are_quoted() {
        for s in [
            "4321",
            "true",
            "y",
            "No",
            "~",
            "",
            "1.5",
            ".5",
            "1e3",
            "0x1F",
            "0o17",
            "0b101",
            "-0b1",
            "+12",
            "2021-07-01",
            "2021-7-1",
            "2021-07-01T10:00:00Z",
            "2021-07-01 10:00:00",
            "2021-07-01t10:00:00.5+02:00",
            "1:20",
            "190:20:30.15",
            ".inf",
            "-.INF",
        ] {
            assert!(needs_quotes(s), "{s:?} should be quoted");
        }
    }

    #[test]
    fn ordinary_words_stay_plain() {
        for s in [
            "demo",
            "demo:1.0.0",
            "IfNotPresent",
            "1.2.3",
            "2021-13-01",
            "1e400",
            "0x",
            "yes-no",
            "10.244.1.0/24",
            "1:60",
            "<<",
            "-",
            "+",
            ".",
            "0xFFFFFFFFFFFFFFFFF",
            "2021-02-30",
        ] {
            assert!(!needs_quotes(s), "{s:?} should stay plain");
        }
    }
}
