//! The line tools of tutorial pipelines: `seq`, `sort`, `uniq`, `cut` and `base64`, in
//! GNU coreutils' words, with the C locale's byte order for `sort`.

use super::{Call, MAX_STREAM_BYTES, full, getopt, lines, read_operand};
use crate::shell::{Output, Shell};

/// The operands' text joined, or stdin when there are none; errors as `cmd: name: …`.
fn gather(sh: &mut Shell, cmd: &str, operands: &[String], stdin: &str, out: &mut Output) -> String {
    if operands.is_empty() {
        return stdin.to_string();
    }
    let mut text = String::new();
    for name in operands {
        match read_operand(sh, name, stdin) {
            Ok(t) => text.push_str(&t),
            Err(e) => {
                out.stderr.push_str(&format!("{cmd}: {name}: {e}\n"));
                out.status = 1;
            }
        }
    }
    text
}

/// `seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST`.
pub(crate) fn seq(_sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let mut sep = "\n".to_string();
    let mut width = false;
    let mut nums = Vec::new();
    let mut args = call.args.iter();
    while let Some(arg) = args.next() {
        let is_option = arg.starts_with('-')
            && arg.len() > 1
            && !arg[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.');
        if !is_option {
            nums.push(arg.clone());
            continue;
        }
        match arg.as_str() {
            "-w" => width = true,
            "-s" => match args.next() {
                Some(s) => sep = s.clone(),
                None => {
                    return Output::err(
                        "seq: option requires an argument -- 's'\nTry 'seq --help' for more information.\n",
                        1,
                    );
                }
            },
            other if other.starts_with("-s") => sep = other[2..].to_string(),
            other => {
                return Output::err(
                    format!(
                        "seq: invalid option -- '{}'\nTry 'seq --help' for more information.\n",
                        other.chars().nth(1).unwrap_or('-')
                    ),
                    1,
                );
            }
        }
    }
    let parsed: Result<Vec<i64>, String> = nums
        .iter()
        .map(|n| {
            n.parse::<i64>()
                .map_err(|_| format!("seq: invalid floating point argument: ‘{n}’\nTry 'seq --help' for more information.\n"))
        })
        .collect();
    let parsed = match parsed {
        Ok(p) => p,
        Err(message) => return Output::err(message, 1),
    };
    let (first, step, last) = match parsed.as_slice() {
        [last] => (1, 1, *last),
        [first, last] => (*first, 1, *last),
        [first, step, last] => (*first, *step, *last),
        [] => {
            return Output::err(
                "seq: missing operand\nTry 'seq --help' for more information.\n",
                1,
            );
        }
        [_, _, _, extra, ..] => {
            return Output::err(
                format!("seq: extra operand ‘{extra}’\nTry 'seq --help' for more information.\n"),
                1,
            );
        }
    };
    if step == 0 {
        return Output::err(
            "seq: invalid Zero increment value: ‘0’\nTry 'seq --help' for more information.\n",
            1,
        );
    }
    let digits = if width {
        first.to_string().len().max(last.to_string().len())
    } else {
        0
    };
    let mut out = String::new();
    let mut n = first;
    let mut any = false;
    while (step > 0 && n <= last) || (step < 0 && n >= last) {
        if any {
            out.push_str(&sep);
        }
        any = true;
        out.push_str(&format!("{n:0digits$}"));
        if full(&out) {
            break;
        }
        let Some(next) = n.checked_add(step) else {
            break;
        };
        n = next;
    }
    if any {
        out.push('\n');
    }
    Output::ok(out)
}

/// The leading number of `text` as `sort -n` reads it (blanks skipped, none is 0).
fn leading_number(text: &str) -> f64 {
    let t = text.trim_start_matches([' ', '\t']);
    let end = t
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    t[..end].parse::<f64>().unwrap_or(0.0)
}

/// The part of `line` that `-k start[,end]` selects, fields split by `sep` or by blanks.
fn key(line: &str, sep: Option<char>, start: usize, end: Option<usize>) -> &str {
    // Byte offsets where each field starts; with blanks, a field keeps its leading blanks.
    let mut starts = vec![0];
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    for (k, (i, c)) in bytes.iter().enumerate() {
        match sep {
            Some(s) if *c == s => starts.push(i + c.len_utf8()),
            None if k > 0 && (*c == ' ' || *c == '\t') => {
                let prev = bytes[k - 1].1;
                if prev != ' ' && prev != '\t' {
                    starts.push(*i);
                }
            }
            _ => {}
        }
    }
    let Some(&from) = starts.get(start.saturating_sub(1)) else {
        return "";
    };
    let to = match end {
        Some(e) => match starts.get(e) {
            Some(&next) if sep.is_some() => next.saturating_sub(1),
            Some(&next) => next,
            None => line.len(),
        },
        None => line.len(),
    };
    line.get(from..to.max(from)).unwrap_or("")
}

/// `sort [-n] [-r] [-u] [-k N[,M]] [-t C] [FILE...]`.
pub(crate) fn sort(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("sort", call.args, "nruk:t:") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 2),
    };
    let sep = match opts.value('t') {
        None => None,
        Some(t) if t.chars().count() == 1 => t.chars().next(),
        Some(t) => return Output::err(format!("sort: multi-character tab ‘{t}’\n"), 2),
    };
    let (start, end) = match opts.value('k') {
        None => (None, None),
        Some(k) => {
            let (a, b) = k.split_once(',').map_or((k, None), |(a, b)| (a, Some(b)));
            let field = |s: &str| {
                s.split('.')
                    .next()
                    .and_then(|n| {
                        n.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                            .parse::<usize>()
                            .ok()
                    })
                    .filter(|n| *n > 0)
            };
            match (field(a), b.map(field)) {
                (Some(a), None) => (Some(a), None),
                (Some(a), Some(Some(b))) => (Some(a), Some(b)),
                _ => {
                    return Output::err(
                        format!(
                            "sort: invalid number at field start: invalid count at start of ‘{k}’\n"
                        ),
                        2,
                    );
                }
            }
        }
    };
    let mut out = Output::default();
    let text = gather(sh, "sort", &opts.operands, call.stdin, &mut out);
    if out.status != 0 {
        out.status = 2;
        return out;
    }
    let numeric = opts.has('n');
    let reverse = opts.has('r');
    let keyed = |line: &str| -> String {
        match start {
            Some(s) => key(line, sep, s, end).to_string(),
            None => line.to_string(),
        }
    };
    let compare_keys = |a: &str, b: &str| {
        if numeric {
            leading_number(a)
                .partial_cmp(&leading_number(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            a.as_bytes().cmp(b.as_bytes())
        }
    };
    let mut rows: Vec<(String, &str)> = lines(&text).into_iter().map(|l| (keyed(l), l)).collect();
    rows.sort_by(|(ka, a), (kb, b)| {
        let order = compare_keys(ka, kb).then_with(|| {
            if opts.has('u') {
                std::cmp::Ordering::Equal
            } else {
                a.as_bytes().cmp(b.as_bytes())
            }
        });
        if reverse { order.reverse() } else { order }
    });
    if opts.has('u') {
        rows.dedup_by(|(kb, _), (ka, _)| compare_keys(ka, kb) == std::cmp::Ordering::Equal);
    }
    for (_, line) in rows {
        out.stdout.push_str(line);
        out.stdout.push('\n');
    }
    out
}

/// `uniq [-c] [-d] [-u] [INPUT]`: adjacent equal lines collapsed.
pub(crate) fn uniq(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("uniq", call.args, "cdu") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let mut out = Output::default();
    let text = gather(
        sh,
        "uniq",
        &opts.operands[..opts.operands.len().min(1)],
        call.stdin,
        &mut out,
    );
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for line in lines(&text) {
        match groups.last_mut() {
            Some((count, last)) if *last == line => *count += 1,
            _ => groups.push((1, line)),
        }
    }
    for (count, line) in groups {
        if (opts.has('d') && count < 2) || (opts.has('u') && count > 1) {
            continue;
        }
        if opts.has('c') {
            out.stdout.push_str(&format!("{count:7} "));
        }
        out.stdout.push_str(line);
        out.stdout.push('\n');
    }
    out
}

/// A `cut` list (`1,3-5,7-`) as inclusive 1-based ranges.
fn ranges(list: &str) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for piece in list.split(',') {
        let (a, b) = match piece.split_once('-') {
            Some((a, b)) => (
                if a.is_empty() { 1 } else { a.parse().ok()? },
                if b.is_empty() {
                    usize::MAX
                } else {
                    b.parse().ok()?
                },
            ),
            None => {
                let n = piece.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 || b < a {
            return None;
        }
        out.push((a, b));
    }
    Some(out)
}

/// `cut -f LIST [-d C] [-s]` or `cut -c LIST`.
pub(crate) fn cut(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("cut", call.args, "f:d:c:b:s") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let (list, by_chars) = match (opts.value('f'), opts.value('c').or(opts.value('b'))) {
        (Some(f), None) => (f, false),
        (None, Some(c)) => (c, true),
        (Some(_), Some(_)) => {
            return Output::err(
                "cut: only one type of list may be specified\nTry 'cut --help' for more information.\n",
                1,
            );
        }
        (None, None) => {
            return Output::err(
                "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
                1,
            );
        }
    };
    let Some(ranges) = ranges(list) else {
        return Output::err(
            format!("cut: invalid field value ‘{list}’\nTry 'cut --help' for more information.\n"),
            1,
        );
    };
    let delim = match opts.value('d') {
        None => '\t',
        Some(d) if d.chars().count() == 1 => d.chars().next().unwrap_or('\t'),
        Some(_) => {
            return Output::err(
                "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n",
                1,
            );
        }
    };
    let wanted = |i: usize| ranges.iter().any(|(a, b)| (*a..=*b).contains(&i));
    let mut out = Output::default();
    let text = gather(sh, "cut", &opts.operands, call.stdin, &mut out);
    for line in lines(&text) {
        if by_chars {
            let picked: String = line
                .chars()
                .enumerate()
                .filter(|(i, _)| wanted(i + 1))
                .map(|(_, c)| c)
                .collect();
            out.stdout.push_str(&picked);
        } else if !line.contains(delim) {
            if opts.has('s') {
                continue;
            }
            out.stdout.push_str(line);
        } else {
            let fields: Vec<&str> = line
                .split(delim)
                .enumerate()
                .filter(|(i, _)| wanted(i + 1))
                .map(|(_, f)| f)
                .collect();
            out.stdout.push_str(&fields.join(&delim.to_string()));
        }
        out.stdout.push('\n');
        if full(&out.stdout) {
            out.stdout.truncate(MAX_STREAM_BYTES);
            break;
        }
    }
    out
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `base64 [-d] [-w COLS] [FILE]`.
pub(crate) fn base64(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let args: Vec<String> = call
        .args
        .iter()
        .map(|a| match a.as_str() {
            "--decode" => "-d".to_string(),
            a if a.starts_with("--wrap=") => format!("-w{}", &a[7..]),
            other => other.to_string(),
        })
        .collect();
    let opts = match getopt("base64", &args, "dw:i") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let mut out = Output::default();
    let text = gather(
        sh,
        "base64",
        &opts.operands[..opts.operands.len().min(1)],
        call.stdin,
        &mut out,
    );
    if opts.has('d') {
        let mut bits = 0u32;
        let mut nbits = 0;
        let mut bytes = Vec::new();
        for c in text.bytes() {
            if c == b'=' || c == b'\n' || (opts.has('i') && !ALPHABET.contains(&c)) {
                continue;
            }
            let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
                out.stdout = String::from_utf8_lossy(&bytes).into_owned();
                out.stderr.push_str("base64: invalid input\n");
                out.status = 1;
                return out;
            };
            bits = (bits << 6) | v as u32;
            nbits += 6;
            if nbits >= 8 {
                nbits -= 8;
                bytes.push((bits >> nbits) as u8);
                bits &= (1 << nbits) - 1;
            }
        }
        out.stdout = String::from_utf8_lossy(&bytes).into_owned();
        return out;
    }
    let wrap = match opts.value('w').map(str::parse::<usize>) {
        None => 76,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return Output::err(
                format!(
                    "base64: invalid wrap size: ‘{}’\n",
                    opts.value('w').unwrap_or_default()
                ),
                1,
            );
        }
    };
    let mut encoded = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                encoded.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    if wrap == 0 {
        out.stdout = encoded;
    } else {
        for (i, c) in encoded.chars().enumerate() {
            if i > 0 && i % wrap == 0 {
                out.stdout.push('\n');
            }
            out.stdout.push(c);
        }
        if !encoded.is_empty() {
            out.stdout.push('\n');
        }
    }
    out
}
