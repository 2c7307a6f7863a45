//! Quoted string literals in templates (`{"\n"}`, `{'x'}`): client-go's `UnquoteExtend`,
//! i.e. Go's `strconv.Unquote` escapes, accepting single quotes around any text too.
//!
//! Must not import: anything outside std.

/// client-go's `UnquoteExtend`: Go's `strconv.Unquote` rules, for `"..."` and `'...'`.
pub(super) fn unquote(s: &str) -> Option<String> {
    let quote = s.chars().next()?;
    if s.len() < 2 || !s.ends_with(quote) || !matches!(quote, '"' | '\'') {
        return None;
    }
    let body = &s[1..s.len() - 1];
    if !body.contains('\\') && !body.contains(quote) {
        return Some(body.to_string());
    }
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if c == quote {
            return None;
        }
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let escape = rest[1..].chars().next()?;
        rest = &rest[1 + escape.len_utf8()..];
        let simple = match escape {
            'a' => Some(7u8),
            'b' => Some(8),
            'f' => Some(12),
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            'v' => Some(11),
            '\\' => Some(b'\\'),
            '\'' | '"' if escape == quote => Some(escape as u8),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        match escape {
            'x' | 'u' | 'U' => {
                let n = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits = rest.get(..n)?;
                let v = u32::from_str_radix(digits, 16).ok()?;
                if digits.starts_with(['+', '-']) {
                    return None;
                }
                rest = &rest[n..];
                if escape == 'x' {
                    out.push(v as u8);
                } else {
                    let c = char::from_u32(v)?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
            '0'..='7' => {
                let digits = rest.get(..2)?;
                let mut v = escape as u32 - '0' as u32;
                for d in digits.chars() {
                    v = (v << 3) | d.to_digit(8)?;
                }
                if v > 255 {
                    return None;
                }
                rest = &rest[2..];
                out.push(v as u8);
            }
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::unquote;

    #[test]
    fn quoted_literals_unescape_like_go() {
        assert_eq!(unquote("'a\\tb'"), Some("a\tb".to_string()));
        assert_eq!(unquote("\"\\u00e9\\x41\\101\""), Some("éAA".to_string()));
        assert_eq!(unquote("'\\\"'"), None);
    }
}
