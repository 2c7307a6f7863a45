//! `head`, `tail` and `wc`: the first or last lines of files or stdin, and counts.

use super::{Call, getopt, read_operand};
use crate::shell::vfs::VfsError;
use crate::shell::{Output, Shell};

/// How many lines, and from which end (`-n 5`, `-n -5` for head, `-n +5` for tail).
#[derive(Clone, Copy)]
enum Count {
    /// The first (head) or last (tail) N lines.
    Lines(usize),
    /// head: all but the last N; tail: from line N on.
    Except(usize),
}

/// Rewrites the old `-5` form as `-n 5`, which getopt understands.
fn numeric_shorthand(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for arg in args {
        let after_n = out.last().is_some_and(|prev| prev == "-n");
        match arg.strip_prefix('-') {
            Some(digits)
                if !after_n && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) =>
            {
                out.push("-n".to_string());
                out.push(digits.to_string());
            }
            _ => out.push(arg.clone()),
        }
    }
    out
}

fn parse_count(cmd: &str, value: Option<&str>) -> Result<Count, String> {
    let Some(value) = value else {
        return Ok(Count::Lines(10));
    };
    let invalid = || format!("{cmd}: invalid number of lines: ‘{value}’\n");
    let (except, digits) = match (cmd, value.chars().next()) {
        ("head", Some('-')) | ("tail", Some('+')) => (true, &value[1..]),
        (_, Some('+' | '-')) => (false, &value[1..]),
        _ => (false, value),
    };
    let n = digits.parse::<usize>().map_err(|_| invalid())?;
    Ok(if except {
        Count::Except(n)
    } else {
        Count::Lines(n)
    })
}

fn head_or_tail(sh: &mut Shell, call: &mut Call<'_>, cmd: &str) -> Output {
    let args = numeric_shorthand(call.args);
    let spec = if cmd == "head" { "n:qv" } else { "n:qvf" };
    let opts = match getopt(cmd, &args, spec) {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let count = match parse_count(cmd, opts.value('n')) {
        Ok(count) => count,
        Err(message) => return Output::err(message, 1),
    };
    let mut operands = opts.operands.clone();
    if operands.is_empty() {
        operands.push("-".to_string());
    }
    let headers = (operands.len() > 1 || opts.has('v')) && !opts.has('q');
    let mut out = Output::default();
    let mut first = true;
    for name in &operands {
        let text = match read_operand(sh, name, call.stdin) {
            Ok(text) => text,
            Err(VfsError::IsADirectory) => {
                out.stderr
                    .push_str(&format!("{cmd}: error reading '{name}': Is a directory\n"));
                out.status = 1;
                continue;
            }
            Err(e) => {
                out.stderr
                    .push_str(&format!("{cmd}: cannot open '{name}' for reading: {e}\n"));
                out.status = 1;
                continue;
            }
        };
        if headers {
            let shown = if name == "-" {
                "standard input"
            } else {
                name.as_str()
            };
            out.stdout.push_str(&format!(
                "{}==> {shown} <==\n",
                if first { "" } else { "\n" }
            ));
        }
        first = false;
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let total = lines.len();
        let range = match (cmd, count) {
            ("head", Count::Lines(n)) => 0..n.min(total),
            ("head", Count::Except(n)) => 0..total.saturating_sub(n),
            (_, Count::Lines(n)) => total.saturating_sub(n)..total,
            (_, Count::Except(n)) => n.saturating_sub(1).min(total)..total,
        };
        out.stdout.push_str(&lines[range].concat());
    }
    out
}

/// `head [-n N|-N] [FILE...]`: the first ten lines unless told otherwise.
pub(crate) fn head(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    head_or_tail(sh, call, "head")
}

/// `tail [-n N|-n +N|-N] [FILE...]`: the last ten lines unless told otherwise.
pub(crate) fn tail(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    head_or_tail(sh, call, "tail")
}

/// `wc [-lwcm] [FILE...]`: newline, word and byte counts, laid out as GNU wc does.
pub(crate) fn wc(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("wc", call.args, "lwcm") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let mut which: Vec<char> = ['l', 'w', 'm', 'c']
        .into_iter()
        .filter(|f| opts.has(*f))
        .collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    let mut operands = opts.operands.clone();
    let from_stdin = operands.is_empty();
    if from_stdin {
        operands.push("-".to_string());
    }
    let mut out = Output::default();
    let mut rows: Vec<(Vec<usize>, String)> = Vec::new();
    let mut totals = vec![0usize; which.len()];
    let mut regular_bytes = 0usize;
    let mut any_stream = false;
    for name in &operands {
        let text = match read_operand(sh, name, call.stdin) {
            Ok(text) => text,
            Err(e) => {
                out.stderr.push_str(&format!("wc: {name}: {e}\n"));
                out.status = 1;
                continue;
            }
        };
        if name == "-" || sh.vfs.resolve(&sh.cwd, name) == "/dev/null" {
            any_stream = true;
        } else {
            regular_bytes += text.len();
        }
        let counts: Vec<usize> = which
            .iter()
            .map(|f| match f {
                'l' => text.matches('\n').count(),
                'w' => text.split_whitespace().count(),
                'm' => text.chars().count(),
                _ => text.len(),
            })
            .collect();
        for (total, n) in totals.iter_mut().zip(&counts) {
            *total += n;
        }
        rows.push((
            counts,
            if from_stdin {
                String::new()
            } else {
                name.clone()
            },
        ));
    }
    if operands.len() > 1 {
        rows.push((totals, "total".to_string()));
    }
    let width = if which.len() == 1 && operands.len() == 1 {
        1
    } else {
        let digits = regular_bytes.to_string().len();
        if any_stream { digits.max(7) } else { digits }
    };
    for (counts, name) in rows {
        let cells: Vec<String> = counts.iter().map(|n| format!("{n:>width$}")).collect();
        let mut line = cells.join(" ");
        if !name.is_empty() {
            line.push(' ');
            line.push_str(&name);
        }
        out.stdout.push_str(&line);
        out.stdout.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::shell::tests::{run, sh};

    fn numbered(t: &mut crate::shell::Shell) {
        run(
            t,
            "printf '1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\n11\\n12\\n' > n",
        );
    }

    #[test]
    fn head_and_tail_take_lines_from_either_end() {
        let mut t = sh();
        numbered(&mut t);
        assert_eq!(run(&mut t, "head n").stdout.lines().count(), 10);
        assert_eq!(run(&mut t, "head -n 2 n").stdout, "1\n2\n");
        assert_eq!(run(&mut t, "head -3 n").stdout, "1\n2\n3\n");
        assert_eq!(run(&mut t, "head -n -10 n").stdout, "1\n2\n");
        assert_eq!(run(&mut t, "tail -n 2 n").stdout, "11\n12\n");
        assert_eq!(run(&mut t, "tail -1 n").stdout, "12\n");
        assert_eq!(run(&mut t, "tail -n +11 n").stdout, "11\n12\n");
        assert_eq!(run(&mut t, "cat n | tail -n2").stdout, "11\n12\n");
    }

    #[test]
    fn head_prints_headers_and_errors() {
        let mut t = sh();
        run(&mut t, "echo a > a; echo b > b");
        assert_eq!(
            run(&mut t, "head -n1 a b").stdout,
            "==> a <==\na\n\n==> b <==\nb\n"
        );
        let out = run(&mut t, "head nope");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            (
                "head: cannot open 'nope' for reading: No such file or directory\n",
                1
            )
        );
        assert_eq!(
            run(&mut t, "tail -n x a").stderr,
            "tail: invalid number of lines: ‘x’\n"
        );
    }

    #[test]
    fn wc_counts_and_aligns_like_gnu_wc() {
        let mut t = sh();
        run(&mut t, "echo hello > f");
        assert_eq!(
            run(&mut t, "echo hi | wc").stdout,
            "      1       1       3\n"
        );
        assert_eq!(run(&mut t, "echo hi | wc -l").stdout, "1\n");
        assert_eq!(run(&mut t, "wc f").stdout, "1 1 6 f\n");
        assert_eq!(run(&mut t, "wc -l f").stdout, "1 f\n");
        assert_eq!(run(&mut t, "wc -l f f").stdout, " 1 f\n 1 f\n 2 total\n");
        assert_eq!(run(&mut t, "printf 'a b\\nc' | wc -w").stdout, "3\n");
        assert_eq!(
            run(&mut t, "wc nope").stderr,
            "wc: nope: No such file or directory\n"
        );
    }
}
