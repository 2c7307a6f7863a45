//! `xargs [-n N] [-I REPL] [-r] [CMD [ARG...]]`: builds command lines from its input and
//! runs them, as the simulated shell's own commands (kubectl and the builtins) only.
//!
//! Each command run counts against the line's step budget ([`crate::shell::MAX_STEPS`]).

use super::{Call, lookup};
use crate::shell::{Output, Shell};

/// Items of the input: blank-separated words with `'…'`, `"…"` and `\` quoting, as GNU
/// xargs reads them; `Err` names the unmatched quote.
fn items(input: &str) -> Result<Vec<String>, char> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut started = false;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            '\'' | '"' => {
                started = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => return Err(c),
                        Some(q) => cur.push(q),
                    }
                }
            }
            '\\' => {
                started = true;
                cur.extend(chars.next());
            }
            _ => {
                started = true;
                cur.push(c);
            }
        }
    }
    if started {
        out.push(cur);
    }
    Ok(out)
}

pub(crate) fn xargs(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let mut per_command: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut no_empty = false;
    let mut rest = call.args;
    while let Some((arg, tail)) = rest.split_first() {
        let (flag, value) = match arg.as_str() {
            "-r" | "--no-run-if-empty" => {
                no_empty = true;
                rest = tail;
                continue;
            }
            "-n" | "-I" => match tail.split_first() {
                Some((v, more)) => {
                    rest = more;
                    (arg.as_str(), v.clone())
                }
                None => {
                    return Output::err(
                        format!(
                            "xargs: option requires an argument -- '{}'\nTry 'xargs --help' for more information.\n",
                            &arg[1..]
                        ),
                        1,
                    );
                }
            },
            a if a.starts_with("-n") || a.starts_with("-I") => {
                rest = tail;
                (&a[..2], a[2..].to_string())
            }
            a if a.starts_with('-') && a.len() > 1 => {
                return Output::err(
                    format!(
                        "xargs: invalid option -- '{}'\nTry 'xargs --help' for more information.\n",
                        &a[1..2]
                    ),
                    1,
                );
            }
            _ => break,
        };
        if flag == "-n" {
            match value.parse::<usize>() {
                Ok(n) if n > 0 => per_command = Some(n),
                _ => {
                    return Output::err(
                        format!("xargs: invalid number \"{value}\" for -n option\n"),
                        1,
                    );
                }
            }
        } else {
            replace = Some(value);
        }
    }
    let command: Vec<String> = if rest.is_empty() {
        vec!["echo".to_string()]
    } else {
        rest.to_vec()
    };
    let name = command[0].as_str();
    if name != "kubectl" && lookup(name).is_none() {
        return Output::err(format!("xargs: {name}: No such file or directory\n"), 127);
    }
    let mut runs: Vec<Vec<String>> = Vec::new();
    if let Some(repl) = &replace {
        for line in call.stdin.lines() {
            let item = line.trim_start_matches([' ', '\t']);
            if item.is_empty() {
                continue;
            }
            runs.push(
                command
                    .iter()
                    .map(|a| a.replace(repl.as_str(), item))
                    .collect(),
            );
        }
    } else {
        let words = match items(call.stdin) {
            Ok(words) => words,
            Err(q) => {
                let kind = if q == '\'' { "single" } else { "double" };
                return Output::err(
                    format!(
                        "xargs: unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option\n"
                    ),
                    1,
                );
            }
        };
        if words.is_empty() {
            if !no_empty {
                runs.push(command.clone());
            }
        } else {
            let size = per_command.unwrap_or(words.len());
            for chunk in words.chunks(size) {
                let mut args = command.clone();
                args.extend(chunk.iter().cloned());
                runs.push(args);
            }
        }
    }
    let mut out = Output::default();
    // Like GNU xargs, it reads all of its input (a `while read` loop around it gets none).
    sh.stdin_used = call.stdin.len();
    for args in runs {
        if let Some(stop) = sh.charge_step() {
            out.stderr.push_str(&stop.stderr);
            out.status = stop.status;
            break;
        }
        let result = sh.dispatch(&args, "", call.cluster, call.to_terminal);
        out.stdout.push_str(&result.stdout);
        out.stderr.push_str(&result.stderr);
        if result.status == 255 {
            out.stderr.push_str(&format!(
                "xargs: {name}: exited with status 255; aborting\n"
            ));
            out.status = 124;
            break;
        }
        if result.status != 0 {
            out.status = 123;
        }
        if super::full(&out.stdout) {
            break;
        }
    }
    out
}
