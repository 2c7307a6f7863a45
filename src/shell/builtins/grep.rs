//! `grep`: print the lines of files or stdin that match a pattern, with GNU grep's
//! options, prefixes and exit statuses (0 matched, 1 nothing matched, 2 trouble).

use super::{Call, full, getopt, lines, read_operand};
use crate::shell::regex::{Budget, Case, MATCH_BUDGET, Options, Regex, Syntax, Whole};
use crate::shell::{Output, Shell};

const USAGE: &str =
    "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n";

/// `grep [-EFivcnwxqlhH] [-e PATTERN] [-A N] [-B N] [-C N] PATTERN [FILE...]`.
pub(crate) fn grep(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    grep_within(sh, call, MATCH_BUDGET)
}

/// [`grep`] with `steps` of matching work allowed over all its input.
fn grep_within(sh: &mut Shell, call: &mut Call<'_>, steps: u64) -> Output {
    // Colour is a terminal nicety; the simulated terminal prints plain text.
    let args: Vec<String> = call
        .args
        .iter()
        .filter(|a| !a.starts_with("--color"))
        .cloned()
        .collect();
    let opts = match getopt("grep", &args, "EFGivcnwxqlhHse:A:B:C:") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message.replace(USAGE_TAIL_COREUTILS, USAGE), 2),
    };
    let mut operands = opts.operands.clone();
    let patterns: Vec<&str> = opts
        .flags
        .iter()
        .filter(|(f, _)| *f == 'e')
        .filter_map(|(_, v)| v.as_deref())
        .collect();
    let pattern = if patterns.is_empty() {
        if operands.is_empty() {
            return Output::err(USAGE, 2);
        }
        operands.remove(0)
    } else {
        patterns.join("\n")
    };
    let pattern = if opts.has('F') {
        escape_fixed(&pattern)
    } else {
        pattern
    };
    let options = Options {
        syntax: if opts.has('E') {
            Syntax::Extended
        } else {
            Syntax::Basic
        },
        case: if opts.has('i') {
            Case::Insensitive
        } else {
            Case::Sensitive
        },
        whole: if opts.has('x') {
            Whole::Line
        } else if opts.has('w') {
            Whole::Word
        } else {
            Whole::Anywhere
        },
    };
    let regex = match Regex::new(&pattern, options) {
        Ok(regex) => regex,
        Err(e) => return Output::err(format!("grep: {e}\n"), 2),
    };
    let mut context = (0usize, 0usize);
    let with_context = opts.has('A') || opts.has('B') || opts.has('C');
    for (flag, value) in &opts.flags {
        if !matches!(flag, 'A' | 'B' | 'C') {
            continue;
        }
        let Some(n) = value.as_deref().and_then(|v| v.parse::<usize>().ok()) else {
            return Output::err(
                format!(
                    "grep: {}: invalid context length argument\n",
                    value.as_deref().unwrap_or("")
                ),
                2,
            );
        };
        match flag {
            'A' => context.1 = n,
            'B' => context.0 = n,
            _ => context = (n, n),
        }
    }
    if operands.is_empty() {
        operands.push("-".to_string());
    }
    let show_names = (operands.len() > 1 || opts.has('H')) && !opts.has('h');
    let mut out = Output {
        status: 1,
        ..Output::default()
    };
    let mut trouble = false;
    let mut printed_group = false;
    let mut budget = Budget(steps);
    for name in &operands {
        let text = match read_operand(sh, name, call.stdin) {
            Ok(text) => text,
            Err(e) => {
                if !opts.has('s') {
                    out.stderr.push_str(&format!("grep: {name}: {e}\n"));
                }
                trouble = true;
                continue;
            }
        };
        let shown = if name == "-" {
            "(standard input)"
        } else {
            name.as_str()
        };
        let all = lines(&text);
        let selected: Result<Vec<bool>, _> = all
            .iter()
            .map(|line| {
                regex
                    .is_match_within(line, &mut budget)
                    .map(|hit| hit != opts.has('v'))
            })
            .collect();
        let Ok(selected) = selected else {
            out.stderr.push_str(&format!(
                "grep: {shown}: the pattern is too costly for this input: the tutor stops after {steps} matching steps (a large {{n,m}} count over long lines costs the most)\n"
            ));
            out.status = 2;
            return out;
        };
        let count = selected.iter().filter(|s| **s).count();
        if count > 0 {
            out.status = 0;
            if opts.has('q') {
                return Output {
                    stdout: String::new(),
                    stderr: String::new(),
                    status: 0,
                };
            }
        }
        if opts.has('q') {
            continue;
        }
        if opts.has('l') {
            if count > 0 {
                out.stdout.push_str(&format!("{shown}\n"));
            }
            continue;
        }
        if opts.has('c') {
            let prefix = if show_names {
                format!("{shown}:")
            } else {
                String::new()
            };
            out.stdout.push_str(&format!("{prefix}{count}\n"));
            continue;
        }
        let mut last_printed: Option<usize> = None;
        let mut after_left = 0usize;
        for (i, line) in all.iter().enumerate() {
            let is_match = selected[i];
            let in_before = (i + 1..=i + context.0).any(|j| selected.get(j) == Some(&true));
            let keep = is_match || after_left > 0 || in_before;
            if is_match {
                after_left = context.1;
            } else {
                after_left = after_left.saturating_sub(1);
            }
            if !keep {
                continue;
            }
            let gap = match last_printed {
                Some(prev) => prev + 1 != i,
                None => printed_group,
            };
            if gap && with_context {
                out.stdout.push_str("--\n");
            }
            let sep = if is_match { ':' } else { '-' };
            if show_names {
                out.stdout.push_str(&format!("{shown}{sep}"));
            }
            if opts.has('n') {
                out.stdout.push_str(&format!("{}{sep}", i + 1));
            }
            out.stdout.push_str(line);
            out.stdout.push('\n');
            last_printed = Some(i);
            printed_group = true;
            if full(&out.stdout) {
                break;
            }
        }
    }
    if trouble && !(opts.has('q') && out.status == 0) {
        out.status = 2;
    }
    out
}

/// getopt's hint line, which grep words differently.
const USAGE_TAIL_COREUTILS: &str = "Try 'grep --help' for more information.\n";

/// Escapes the characters that are special in a basic pattern, for `-F`.
fn escape_fixed(pattern: &str) -> String {
    let mut out = String::new();
    for c in pattern.chars() {
        if matches!(c, '.' | '[' | ']' | '*' | '^' | '$' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Call, grep_within};
    use crate::shell::tests::{cluster, run, sh};

    #[test]
    fn grep_stops_with_an_error_when_matching_costs_too_much() {
        let mut t = sh();
        let mut cluster = cluster();
        let line = format!("{}\n", "q".repeat(100_000));
        let args = ["-cE".to_string(), "[a-z]{1,1999}[0-9]".to_string()];
        let mut call = Call {
            args: &args,
            stdin: &line,
            cluster: &mut cluster,
            to_terminal: false,
        };
        let out = grep_within(&mut t, &mut call, 1_000_000);
        assert_eq!(out.status, 2);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "grep: (standard input): the pattern is too costly for this input: the tutor stops after 1000000 matching steps (a large {n,m} count over long lines costs the most)\n"
        );
    }

    fn setup() -> crate::shell::Shell {
        let mut t = sh();
        run(
            &mut t,
            "printf 'alpha\\nBeta\\ngamma\\nalphabet\\nx+y\\n' > f",
        );
        t
    }

    #[test]
    fn grep_selects_counts_numbers_and_inverts() {
        let mut t = setup();
        assert_eq!(run(&mut t, "grep alpha f").stdout, "alpha\nalphabet\n");
        assert_eq!(run(&mut t, "grep -i beta f").stdout, "Beta\n");
        assert_eq!(run(&mut t, "grep -c a f").stdout, "4\n");
        assert_eq!(run(&mut t, "grep -n gamma f").stdout, "3:gamma\n");
        assert_eq!(run(&mut t, "grep -v a f").stdout, "x+y\n");
        assert_eq!(run(&mut t, "grep -w alpha f").stdout, "alpha\n");
        assert_eq!(
            run(&mut t, "cat f | grep -in BET").stdout,
            "2:Beta\n4:alphabet\n"
        );
    }

    #[test]
    fn basic_and_extended_syntax_differ_as_in_gnu_grep() {
        let mut t = setup();
        assert_eq!(run(&mut t, "grep 'x+y' f").stdout, "x+y\n");
        assert_eq!(run(&mut t, "grep -E 'x+y' f").status, 1);
        assert_eq!(
            run(&mut t, "grep -E '^(alpha|gamma)$' f").stdout,
            "alpha\ngamma\n"
        );
        assert_eq!(
            run(&mut t, "grep 'alpha\\|gamma' f").stdout,
            "alpha\ngamma\nalphabet\n"
        );
        assert_eq!(run(&mut t, "grep -E 'p?h[a-c]+$' f").stdout, "alpha\n");
    }

    #[test]
    fn grep_statuses_and_errors() {
        let mut t = setup();
        let out = run(&mut t, "grep -q zzz f");
        assert_eq!((out.stdout.as_str(), out.status), ("", 1));
        assert_eq!(run(&mut t, "grep -q alpha f").status, 0);
        let out = run(&mut t, "grep -E '(a' f");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            ("grep: Unmatched ( or \\(\n", 2)
        );
        let out = run(&mut t, "grep a nope");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            ("grep: nope: No such file or directory\n", 2)
        );
        assert_eq!(run(&mut t, "grep").stderr, super::USAGE);
    }

    #[test]
    fn grep_prefixes_names_and_prints_context() {
        let mut t = setup();
        run(&mut t, "echo alpha > g");
        assert_eq!(run(&mut t, "grep -c alpha f g").stdout, "f:2\ng:1\n");
        assert_eq!(run(&mut t, "grep -A1 Beta f").stdout, "Beta\ngamma\n");
        assert_eq!(
            run(&mut t, "grep -n -B1 gamma f").stdout,
            "2-Beta\n3:gamma\n"
        );
        assert_eq!(
            run(&mut t, "grep -A0 -e Beta -e x f").stdout,
            "Beta\n--\nx+y\n"
        );
    }
}
