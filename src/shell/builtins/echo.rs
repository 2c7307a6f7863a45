//! `echo` and `printf`: print their arguments, with backslash escapes on request.

use super::{Call, full};
use crate::shell::{Output, Shell};

/// `echo [-neE] ARG...`: options count only before the first other word, as in bash.
pub(crate) fn echo(_sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let mut newline = true;
    let mut escapes = false;
    let mut words = call.args;
    while let Some((first, rest)) = words.split_first() {
        let Some(flags) = first
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && f.chars().all(|c| "neE".contains(c)))
        else {
            break;
        };
        for flag in flags.chars() {
            match flag {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        words = rest;
    }
    let joined = words.join(" ");
    let mut text = if escapes {
        let (expanded, stop) = unescape(&joined);
        if stop {
            return Output::ok(expanded);
        }
        expanded
    } else {
        joined
    };
    if newline {
        text.push('\n');
    }
    Output::ok(text)
}

/// Expands backslash escapes; the flag says `\c` asked to stop all further output.
fn unescape(text: &str) -> (String, bool) {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' || i >= chars.len() {
            out.push(c);
            continue;
        }
        let e = chars[i];
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            'c' => return (out, true),
            '0' | 'x' => {
                let (radix, max) = if e == 'x' { (16, 2) } else { (8, 3) };
                let digits: String = chars[i..]
                    .iter()
                    .take(max)
                    .take_while(|d| d.is_digit(radix))
                    .collect();
                i += digits.len();
                if digits.is_empty() && e == 'x' {
                    out.push_str("\\x");
                } else {
                    let code = u32::from_str_radix(&digits, radix).unwrap_or(0);
                    out.extend(char::from_u32(code));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// `printf FORMAT [ARG...]`: the format is reused until every argument is consumed.
pub(crate) fn printf(_sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let Some((format, args)) = call.args.split_first() else {
        return Output::err(
            "bash: printf: usage: printf [-v var] format [arguments]\n",
            2,
        );
    };
    let format = if format == "--" {
        args.first().cloned().unwrap_or_default()
    } else {
        format.clone()
    };
    let args = if call.args.first().is_some_and(|f| f == "--") {
        args.get(1..).unwrap_or(&[])
    } else {
        args
    };
    let mut out = Output::default();
    let mut next = 0usize;
    loop {
        let before = next;
        let stop = one_pass(&format, args, &mut next, &mut out);
        if stop || next >= args.len() || next == before || full(&out.stdout) {
            break;
        }
    }
    out
}

/// Applies the format once; returns true when `\c` asked to stop.
pub(super) fn one_pass(format: &str, args: &[String], next: &mut usize, out: &mut Output) -> bool {
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let end = (i + 5).min(chars.len());
            let mut j = i + 2;
            if chars.get(i + 1).is_some_and(|e| matches!(e, '0' | 'x')) {
                while j < end && chars[j].is_ascii_hexdigit() {
                    j += 1;
                }
            }
            let piece: String = chars[i..j.min(chars.len())].iter().collect();
            let (text, stop) = unescape(&piece);
            out.stdout.push_str(&text);
            if stop {
                return true;
            }
            i = j;
            continue;
        }
        if c != '%' {
            out.stdout.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut spec = String::new();
        while i < chars.len() && "-+ 0#.123456789".contains(chars[i]) {
            spec.push(chars[i]);
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.stdout.extend(&chars[start..]);
            break;
        };
        i += 1;
        if conv == '%' {
            out.stdout.push('%');
            continue;
        }
        let arg = args.get(*next).map(String::as_str);
        if arg.is_some() {
            *next += 1;
        }
        let text = match conv {
            's' | 'b' | 'c' => {
                let s = arg.unwrap_or("");
                let s = if conv == 'b' {
                    unescape(s).0
                } else {
                    s.to_string()
                };
                if conv == 'c' {
                    s.chars().take(1).collect()
                } else {
                    s
                }
            }
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let n = number(arg, out);
                match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => n.to_string(),
                }
            }
            'f' | 'e' | 'g' => {
                let value = arg
                    .map(|a| a.trim().parse::<f64>().unwrap_or(0.0))
                    .unwrap_or(0.0);
                // Capped like widths (see `pad`): Rust's formatter refuses more than
                // 65535 digits, and no terminal needs them.
                let precision = spec
                    .split_once('.')
                    .and_then(|(_, p)| p.parse::<usize>().ok())
                    .unwrap_or(6)
                    .min(MAX_FIELD);
                format!("{value:.precision$}")
            }
            other => {
                out.stderr.push_str(&format!(
                    "bash: printf: `{other}': invalid format character\n"
                ));
                out.status = 1;
                return true;
            }
        };
        out.stdout.push_str(&pad(&text, &spec, conv));
    }
    false
}

fn number(arg: Option<&str>, out: &mut Output) -> i64 {
    let Some(arg) = arg else { return 0 };
    let trimmed = arg.trim();
    if let Some(quoted) = trimmed.strip_prefix(['\'', '"']) {
        return quoted.chars().next().map_or(0, |c| c as i64);
    }
    match trimmed.parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            out.stderr
                .push_str(&format!("bash: printf: {arg}: invalid number\n"));
            out.status = 1;
            0
        }
    }
}

/// Widest field and longest precision `printf` pads or prints to; larger ones are cut to it.
const MAX_FIELD: usize = 4096;

/// Applies `-` (left), `0` (zeros), width and, for strings, `.precision`.
fn pad(text: &str, spec: &str, conv: char) -> String {
    let left = spec.contains('-');
    let (width_part, precision) = match spec.split_once('.') {
        Some((w, p)) => (w, p.parse::<usize>().ok()),
        None => (spec, None),
    };
    let digits: String = width_part.chars().filter(char::is_ascii_digit).collect();
    let zero = digits.starts_with('0') && !left && conv != 's';
    let width = digits.parse::<usize>().unwrap_or(0).min(MAX_FIELD);
    let text: String = match precision {
        Some(p) if matches!(conv, 's' | 'b') => text.chars().take(p).collect(),
        _ => text.to_string(),
    };
    let len = text.chars().count();
    if len >= width {
        return text;
    }
    let fill = width - len;
    if left {
        format!("{text}{}", " ".repeat(fill))
    } else if zero {
        match text.strip_prefix('-') {
            Some(rest) => format!("-{}{rest}", "0".repeat(fill)),
            None => format!("{}{text}", "0".repeat(fill)),
        }
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::tests::{run, sh};

    #[test]
    fn echo_joins_words_and_handles_n_and_e() {
        let mut t = sh();
        assert_eq!(run(&mut t, "echo a   b").stdout, "a b\n");
        assert_eq!(run(&mut t, "echo -n x").stdout, "x");
        assert_eq!(run(&mut t, "echo -e 'a\\tb\\nc'").stdout, "a\tb\nc\n");
        assert_eq!(run(&mut t, "echo 'a\\tb'").stdout, "a\\tb\n");
        assert_eq!(run(&mut t, "echo -ne 'x\\cy'").stdout, "x");
        assert_eq!(run(&mut t, "echo -x y").stdout, "-x y\n");
        assert_eq!(run(&mut t, "echo").stdout, "\n");
    }

    #[test]
    fn printf_caps_huge_widths_and_precisions_instead_of_panicking() {
        let mut t = sh();
        let out = run(&mut t, "printf '%.99999999f' 1");
        assert_eq!((out.stdout.len(), out.status), (4098, 0));
        assert_eq!(run(&mut t, "printf '%99999999d' 1").stdout.len(), 4096);
        assert_eq!(run(&mut t, "printf '%.70000e' 1").stdout.len(), 4098);
    }

    #[test]
    fn printf_formats_and_reuses_the_format() {
        let mut t = sh();
        assert_eq!(
            run(&mut t, "printf '%s=%d\\n' a 1 b 2").stdout,
            "a=1\nb=2\n"
        );
        assert_eq!(
            run(&mut t, "printf '[%5s|%-3s|%03d]\\n' ab c 7").stdout,
            "[   ab|c  |007]\n"
        );
        assert_eq!(run(&mut t, "printf 'no newline'").stdout, "no newline");
        assert_eq!(run(&mut t, "printf '%s\\n'").stdout, "\n");
        assert_eq!(run(&mut t, "printf '100%%\\n'").stdout, "100%\n");
        assert_eq!(
            run(&mut t, "printf '%x %.2f\\n' 255 3.14159").stdout,
            "ff 3.14\n"
        );
    }

    #[test]
    fn printf_reports_bad_numbers_and_missing_format() {
        let mut t = sh();
        let out = run(&mut t, "printf '%d\\n' x");
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str(), out.status),
            ("0\n", "bash: printf: x: invalid number\n", 1)
        );
        let out = run(&mut t, "printf");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            (
                "bash: printf: usage: printf [-v var] format [arguments]\n",
                2
            )
        );
    }
}
