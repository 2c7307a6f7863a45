//! The builtins that steer the shell itself: `break`, `continue`, `return`, `local`,
//! `shift`, `read`, `let` and `:`.
//!
//! They set [`Flow`] for the executor to unwind, or change variables and positional
//! parameters. Messages are bash's own.

use super::super::{Export, Flow, Output, Shell};
use super::Call;

/// `let EXPR...`: arithmetic; status 1 when the last value is 0.
pub(crate) fn let_(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    if call.args.is_empty() {
        return Output::err("bash: let: expression expected\n", 1);
    }
    let mut last = 0;
    for expr in call.args {
        match super::super::arith::eval(expr, sh) {
            Ok(value) => last = value,
            Err(message) => return Output::err(format!("bash: let: {message}\n"), 1),
        }
    }
    Output::err("", i32::from(last == 0))
}

pub(crate) fn colon(_sh: &mut Shell, _call: &mut Call<'_>) -> Output {
    Output::default()
}

pub(crate) fn break_(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    loop_control(sh, call, "break")
}

pub(crate) fn continue_(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    loop_control(sh, call, "continue")
}

fn loop_control(sh: &mut Shell, call: &Call<'_>, name: &str) -> Output {
    let levels = match call.args.first() {
        None => 1,
        Some(arg) => match arg.parse::<i64>() {
            Ok(n) if n >= 1 => usize::try_from(n).unwrap_or(usize::MAX),
            Ok(_) => {
                return Output::err(format!("bash: {name}: {arg}: loop count out of range\n"), 1);
            }
            Err(_) => {
                return Output::err(
                    format!("bash: {name}: {arg}: numeric argument required\n"),
                    128,
                );
            }
        },
    };
    if sh.loop_depth == 0 {
        return Output::err(
            format!("bash: {name}: only meaningful in a `for', `while', or `until' loop\n"),
            0,
        );
    }
    let levels = levels.min(sh.loop_depth);
    sh.flow = Some(if name == "break" {
        Flow::Break(levels)
    } else {
        Flow::Continue(levels)
    });
    Output::default()
}

pub(crate) fn return_(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    if sh.locals.is_empty() {
        return Output::err(
            "bash: return: can only `return' from a function or sourced script\n",
            1,
        );
    }
    let status = match call.args.first() {
        None => sh.last_status,
        Some(arg) => match arg.parse::<i64>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                sh.flow = Some(Flow::Return);
                return Output::err(
                    format!("bash: return: {arg}: numeric argument required\n"),
                    2,
                );
            }
        },
    };
    sh.flow = Some(Flow::Return);
    Output::err("", status)
}

pub(crate) fn local(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    if sh.locals.is_empty() {
        return Output::err("bash: local: can only be used in a function\n", 1);
    }
    let mut out = Output::default();
    for arg in call.args {
        let (name, value) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), None),
        };
        if !super::super::expand::is_name(name) {
            out.stderr
                .push_str(&format!("bash: local: `{arg}': not a valid identifier\n"));
            out.status = 1;
            continue;
        }
        let old = sh.vars.get(name).cloned();
        if let Some(frame) = sh.locals.last_mut()
            && !frame.iter().any(|(n, _)| n == name)
        {
            frame.push((name.to_string(), old.clone()));
        }
        let value = value.map(str::to_string).unwrap_or_default();
        if value.is_empty() && old.is_none() && !arg.contains('=') {
            sh.vars.remove(name);
        } else {
            sh.set_var(name, value, Export::Keep);
        }
    }
    out
}

pub(crate) fn shift(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let n = match call.args.first().map(|a| a.parse::<usize>()) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return Output::err(
                format!("bash: shift: {}: numeric argument required\n", call.args[0]),
                1,
            );
        }
    };
    if n > sh.positional.len() {
        return Output::err("", 1);
    }
    sh.positional.drain(..n);
    Output::default()
}

/// `read [-r] [-p PROMPT] [NAME…]`: one line of the command's input into variables,
/// split on blanks, the last name taking the rest. Status 1 at the end of the input.
pub(crate) fn read(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let mut raw = false;
    let mut names = Vec::new();
    let mut args = call.args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-r" => raw = true,
            "-p" => {
                args.next();
            }
            a if a.starts_with('-') && names.is_empty() && a.len() > 1 => {
                return Output::err(
                    format!(
                        "bash: read: {a}: invalid option\nread: usage: read [-r] [-p prompt] [name ...]\n"
                    ),
                    2,
                );
            }
            name => {
                if !super::super::expand::is_name(name) {
                    return Output::err(
                        format!("bash: read: `{name}': not a valid identifier\n"),
                        1,
                    );
                }
                names.push(name.to_string());
            }
        }
    }
    let input = call.stdin;
    let (line, used, complete) = match input.find('\n') {
        Some(end) => (&input[..end], end + 1, true),
        None => (input, input.len(), false),
    };
    sh.stdin_used = used;
    if input.is_empty() {
        for name in names
            .iter()
            .chain(names.is_empty().then_some(&"REPLY".to_string()))
        {
            sh.set_var(name, String::new(), Export::Keep);
        }
        return Output::err("", 1);
    }
    let line = if raw {
        line.to_string()
    } else {
        unescape(line)
    };
    if names.is_empty() {
        sh.set_var("REPLY", line, Export::Keep);
    } else {
        let ifs: Vec<char> = sh.var("IFS").unwrap_or(" \t\n").chars().collect();
        let blank = |c: char| ifs.contains(&c) && c.is_whitespace();
        let mut rest = line.trim_matches(blank);
        let last = names.len() - 1;
        for (i, name) in names.iter().enumerate() {
            let value = if i == last {
                std::mem::take(&mut rest).to_string()
            } else {
                let (field, after) = rest
                    .split_once(|c: char| ifs.contains(&c))
                    .unwrap_or((rest, ""));
                // One separator, with the IFS blanks around it.
                rest = after.trim_start_matches(blank);
                field.to_string()
            };
            sh.set_var(name, value, Export::Keep);
        }
    }
    Output::err("", if complete { 0 } else { 1 })
}

/// Without `-r`, a backslash takes the next character literally (as in a glob pattern).
fn unescape(line: &str) -> String {
    crate::shell::glob::unescape(line)
}
