//! `resource.Quantity` as spew sees it in the controller-manager: the API server stores a
//! quantity in its canonical text (`Quantity.String()`), and the protobuf decoder rebuilds it
//! with `ParseQuantity` (k8s.io/apimachinery v0.21.1 `quantity.go`), which fills the
//! unexported fields spew prints: `i` (value and scale), `d` (a big decimal, nil on the
//! int64 path), `s` (the text, kept only when it is already canonical) and `Format`.
//!
//! The int64 path (every quantity up to 18 digits) is followed exactly. A quantity only a
//! big decimal holds (more digits, or finer than `1n`) is written with its text in `s` and
//! no decimal: deterministic, but not what spew prints for it.

use std::fmt::{self, Write};

use crate::engine::value::Value;

/// A parsed quantity on the int64 path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Quantity {
    value: i64,
    scale: i32,
    format: &'static str,
    /// The text, when `ParseQuantity` keeps it (it is canonical already).
    s: Option<String>,
}

const DECIMAL_SI: &str = "DecimalSI";
const BINARY_SI: &str = "BinarySI";
const DECIMAL_EXPONENT: &str = "DecimalExponent";

/// Writes a Quantity's fields as spew prints them (without the type, which the caller wrote).
/// An absent non-pointer quantity is `"0"` after the protobuf round trip.
pub(super) fn write<W: Write>(out: &mut W, v: Option<&Value>) -> fmt::Result {
    let text = match v {
        Some(Value::String(s)) => s.to_string(),
        Some(other) => other.to_string(),
        None => "0".to_string(),
    };
    // What the API server stores, then what the controller-manager decodes from it.
    let stored = parse(&text).map_or_else(|| text.clone(), |q| canonical(&q));
    let q = parse(&stored).unwrap_or(Quantity {
        value: 0,
        scale: 0,
        format: DECIMAL_SI,
        s: Some(stored.clone()),
    });
    write!(
        out,
        "{{i:(resource.int64Amount){{value:(int64){} scale:(resource.Scale){}}} d:(resource.infDecAmount){{Dec:(*inf.Dec)<nil>}} s:(string){} Format:(resource.Format){}}}",
        q.value,
        q.scale,
        q.s.as_deref().unwrap_or(""),
        q.format
    )
}

/// `ParseQuantity`, int64 path only (`None`: an error, or a value the int64 path does not hold).
fn parse(str: &str) -> Option<Quantity> {
    if str.is_empty() {
        return None;
    }
    if str == "0" {
        return Some(Quantity {
            value: 0,
            scale: 0,
            format: DECIMAL_SI,
            s: Some(str.into()),
        });
    }
    let (positive, num, denom, suffix) = split(str)?;
    let (exponent, format) = interpret(suffix)?;
    let (mut scale, precision, mantissa) = match format {
        BINARY_SI if exponent >= 0 && denom.is_empty() => {
            let precision = 15 - num.len() as i32 - (exponent as f32 * 3.0 / 10.0) as i32 - 1;
            (0, precision, 1i64.checked_shl(exponent as u32)?)
        }
        BINARY_SI => return None,
        _ => (exponent, 18 - (num.len() + denom.len()) as i32, 1),
    };
    if precision < 0 {
        return None;
    }
    scale -= denom.len() as i32;
    if scale < -9 {
        return None;
    }
    let shifted = format!("{num}{denom}");
    let value: i64 = shifted.parse().ok()?;
    let mut result = value.checked_mul(mantissa)?;
    if !positive {
        result = -result;
    }
    let keep = match format {
        BINARY_SI => exponent % 10 == 0 && value & 0x07 != 0,
        _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
    };
    Some(Quantity {
        value: result,
        scale,
        format,
        s: keep.then(|| str.to_string()),
    })
}

/// `parseQuantityString`: sign, numerator (leading zeros dropped), denominator, suffix.
fn split(str: &str) -> Option<(bool, &str, &str, &str)> {
    let b = str.as_bytes();
    let mut pos = 0;
    let positive = b.first() != Some(&b'-');
    if matches!(b.first(), Some(b'-' | b'+')) {
        pos += 1;
    }
    while pos < b.len() && b[pos] == b'0' {
        pos += 1;
    }
    if pos == b.len() {
        return Some((positive, "0", "", ""));
    }
    let digits = |from: usize| {
        (from..b.len())
            .find(|&i| !b[i].is_ascii_digit())
            .unwrap_or(b.len())
    };
    let end = digits(pos);
    let num = if end == pos { "0" } else { &str[pos..end] };
    pos = end;
    let mut denom = "";
    if pos < b.len() && b[pos] == b'.' {
        let end = digits(pos + 1);
        denom = &str[pos + 1..end];
        pos = end;
    }
    let suffix = &str[pos..];
    // The suffix: letters of `eEinumkKMGTP`, then an optional signed exponent.
    let letters = suffix
        .bytes()
        .take_while(|c| b"eEinumkKMGTP".contains(c))
        .count();
    let mut rest = &suffix.as_bytes()[letters..];
    if let Some(b'-' | b'+') = rest.first() {
        rest = &rest[1..];
    }
    if !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((positive, num, denom, suffix))
}

/// `quantitySuffixer.interpret`: the suffix's power (of 2 or 10) and format.
fn interpret(suffix: &str) -> Option<(i32, &'static str)> {
    let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    if let Some(i) = binary.iter().position(|s| *s == suffix) {
        return Some((10 * (i as i32 + 1), BINARY_SI));
    }
    if let Some(e) = decimal_exponent(suffix) {
        return Some((e, DECIMAL_SI));
    }
    let digits = suffix.strip_prefix(['e', 'E'])?;
    Some((digits.parse().ok()?, DECIMAL_EXPONENT))
}

const DECIMAL: [(&str, i32); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

fn decimal_exponent(suffix: &str) -> Option<i32> {
    DECIMAL.iter().find(|(s, _)| *s == suffix).map(|(_, e)| *e)
}

/// `Quantity.String()`: the kept text, or `CanonicalizeBytes` of the value.
fn canonical(q: &Quantity) -> String {
    if let Some(s) = &q.s {
        return s.clone();
    }
    if q.value == 0 {
        return "0".into();
    }
    // A binary quantity under 1024 (or one not whole, impossible on this path) prints in SI.
    if q.format == BINARY_SI && !(q.value > -1024 && q.value < 1024) && q.scale >= 0 {
        let whole = q
            .value
            .checked_mul(10i64.checked_pow(q.scale as u32).unwrap_or(0));
        if let Some(whole) = whole.filter(|w| *w != 0) {
            let (amount, times) = remove_factors(whole, 1024);
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .get(times as usize)
                .copied()
                .unwrap_or("");
            return format!("{amount}{suffix}");
        }
    }
    let (mut amount, times) = remove_factors(q.value, 10);
    let mut exponent = q.scale + times;
    match exponent % 3 {
        1 | -2 => {
            amount = amount.saturating_mul(10);
            exponent -= 1;
        }
        2 | -1 => {
            amount = amount.saturating_mul(100);
            exponent -= 2;
        }
        _ => {}
    }
    let suffix = if q.format == DECIMAL_EXPONENT {
        if exponent == 0 {
            String::new()
        } else {
            format!("e{exponent}")
        }
    } else {
        DECIMAL
            .iter()
            .find(|(_, e)| *e == exponent)
            .map_or(String::new(), |(s, _)| (*s).to_string())
    };
    format!("{amount}{suffix}")
}

/// `removeInt64Factors`: divides `base` out of `value` as often as it goes.
fn remove_factors(value: i64, base: i64) -> (i64, i32) {
    let negative = value < 0;
    let mut result = value.unsigned_abs();
    let base = base.unsigned_abs();
    let mut times = 0;
    while result >= base && result.is_multiple_of(base) {
        times += 1;
        result /= base;
    }
    let result = result as i64;
    (if negative { -result } else { result }, times)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(text: &str) -> String {
        let mut s = String::new();
        write(&mut s, Some(&Value::String(text.into()))).ok();
        s
    }

    #[test]
    fn canonical_quantities_keep_their_text() {
        assert_eq!(
            dump("170Mi"),
            "{i:(resource.int64Amount){value:(int64)178257920 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)170Mi Format:(resource.Format)BinarySI}"
        );
        assert!(dump("100m").contains("value:(int64)100 scale:(resource.Scale)-3} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)100m Format:(resource.Format)DecimalSI"));
        // 128 is a multiple of 8: ParseQuantity does not keep the text.
        assert!(dump("128Mi").contains("s:(string) Format:(resource.Format)BinarySI"));
        assert!(dump("0").contains("s:(string)0 Format:(resource.Format)DecimalSI"));
    }

    #[test]
    fn quantities_are_canonicalized_as_the_api_server_stores_them() {
        let canon = |t: &str| parse(t).map(|q| canonical(&q));
        assert_eq!(canon("0.1").as_deref(), Some("100m"));
        assert_eq!(canon("1000m").as_deref(), Some("1"));
        assert_eq!(canon("1024Mi").as_deref(), Some("1Gi"));
        assert_eq!(canon("1000").as_deref(), Some("1k"));
        assert_eq!(canon("1.5Gi").as_deref(), None);
        assert_eq!(canon("12e6").as_deref(), Some("12e6"));
        assert_eq!(canon("0.5Ki").as_deref(), None);
        assert_eq!(canon("bad"), None);
        // An absent divisor is "0" after the protobuf round trip.
        let mut s = String::new();
        write(&mut s, None).ok();
        assert_eq!(s, dump("0"));
    }
}
