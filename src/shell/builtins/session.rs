//! Session builtins: time (`sleep`), the screen (`clear`), `history`, `help`, `exit`,
//! `true`/`false`, variables (`export`, `unset`, `env`) and `which`/`type`.

use std::time::Duration;

use super::{BUILTINS, Call};
use crate::shell::expand::is_name;
use crate::shell::{Export, Output, Shell};

/// The longest single `sleep`, so a typo like `sleep 1000000` cannot make the simulated
/// cluster grind through months of controller ticks.
const MAX_SLEEP: Duration = Duration::from_secs(24 * 3600);
/// `sleep N[smhd]...`: simulated time passes through the shell's pace (at the clock's speed
/// in the TUI, at once headless); Ctrl-C or a `timeout` can end it early.
pub(crate) fn sleep(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let total_secs = match parse_interval("sleep", call.args) {
        Ok(secs) => secs,
        Err(message) => return Output::err(message, 1),
    };
    let dt = Duration::try_from_secs_f64(total_secs)
        .unwrap_or(MAX_SLEEP)
        .min(MAX_SLEEP);
    if sh
        .wait(call.cluster, dt, crate::shell::stream::WaitKind::Finite)
        .is_err()
    {
        return Output::err("", crate::shell::stream::INTERRUPT_STATUS);
    }
    if total_secs > MAX_SLEEP.as_secs_f64() || !total_secs.is_finite() {
        // Said plainly: the simulated time that passed is not what was asked for.
        return Output {
            stderr: format!(
                "kubetutor: sleep is capped at {}h of simulated time; {}h passed\n",
                MAX_SLEEP.as_secs() / 3600,
                MAX_SLEEP.as_secs() / 3600
            ),
            ..Output::default()
        };
    }
    Output::default()
}

/// Adds up GNU-style intervals (`N[smhd]`, fractions allowed) in seconds; the error is
/// coreutils' two lines for `cmd`.
pub(crate) fn parse_interval(cmd: &str, args: &[String]) -> Result<f64, String> {
    if args.is_empty() {
        return Err(format!(
            "{cmd}: missing operand\nTry '{cmd} --help' for more information.\n"
        ));
    }
    let mut total_secs = 0.0f64;
    for arg in args {
        let (number, unit_secs) = match arg.char_indices().last() {
            Some((i, 's')) => (&arg[..i], 1.0),
            Some((i, 'm')) => (&arg[..i], 60.0),
            Some((i, 'h')) => (&arg[..i], 3600.0),
            Some((i, 'd')) => (&arg[..i], 86_400.0),
            _ => (arg.as_str(), 1.0),
        };
        let valid = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.');
        match number.parse::<f64>() {
            Ok(n) if valid && n.is_finite() => total_secs += n * unit_secs,
            _ => {
                return Err(format!(
                    "{cmd}: invalid time interval ‘{arg}’\nTry '{cmd} --help' for more information.\n"
                ));
            }
        }
    }
    Ok(total_secs)
}

/// `clear`: the escape sequence the TUI turns into a cleared shell pane.
pub(crate) fn clear(_sh: &mut Shell, _call: &mut Call<'_>) -> Output {
    Output::ok("\x1b[H\x1b[2J")
}

/// `history [N]`, `history -c`: numbered as bash numbers them.
pub(crate) fn history(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let limit = match call.args.first().map(String::as_str) {
        None => None,
        Some("-c") => {
            sh.clear_history();
            return Output::default();
        }
        Some(n) => match n.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                return Output::err(
                    format!("bash: history: {n}: numeric argument required\n"),
                    1,
                );
            }
        },
    };
    let entries = sh.history();
    let skip = limit.map_or(0, |n| entries.len().saturating_sub(n));
    let offset = sh.history_offset();
    let text: String = entries
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, line)| format!("{:5}  {line}\n", offset + i + 1))
        .collect();
    Output::ok(text)
}

/// `help`: what this simulated shell can do, in our own words.
pub(crate) fn help(_sh: &mut Shell, _call: &mut Call<'_>) -> Output {
    Output::ok(HELP)
}

const HELP: &str = "\
This is a small simulated bash. It understands:

  kubectl ...            the simulated cluster's client
  cat [-n] FILE...       show files (or what is piped in)
  tee [-a] FILE...       copy input to files and to the screen
  echo [-n] [-e] ...     print words;  printf FORMAT ARGS...  formatted printing
  grep [-ivcnwqExlF] [-A N] [-B N] PATTERN [FILE...]   find matching lines
  head / tail [-n N]     first / last lines;  wc [-lwc]  count lines, words, bytes
  sort [-nru] [-k N[,M]] [-t C]   uniq [-cdu]   cut -d C -f LIST | -c LIST
  seq [FIRST [STEP]] LAST   base64 [-d] [-w N]   xargs [-n N] [-I {}] CMD (these commands)
  awk [-F SEP] [-v N=V] 'PROG'   {print $1, $NF}, NR, NF, /re/, $2 == \"x\", BEGIN/END, if
  ls [-la1]  pwd  cd [DIR|-]  mkdir [-p]  rm [-rf]  touch
  sleep N[smhd]          let simulated time pass (Ctrl-C stops it)
  timeout N CMD...       stop CMD after N simulated seconds (status 124)
  watch [-n N] CMD...    run CMD every N seconds (2) until Ctrl-C
  export  unset  env     variables;  which / type NAME  where a command comes from
  history  clear  help  true  false  :  exit [N]
  test / [ EXPR ]        -z -n -e -f -d -s = == != -eq -ne -lt -le -gt -ge ! -a -o
  read [-r] NAME...      one line of input;  local  shift  break [N]  continue [N]  return [N]
  let EXPR               arithmetic, like (( EXPR ))

Shell syntax: quotes, $VAR and ${VAR}, $?, $1..$9 $# $@, $(command), `command`,
$(( )) and (( )) arithmetic, ~, globs (* ? [..]), pipes |, && and ||, ;, ! , # comments,
redirections > >> < 2> 2>&1 &> and <<<, heredocs (<<EOF, <<'EOF', <<-EOF),
for/while/until loops, if/elif/else, case, [[ ]], functions (name() { ...; }),
( ) subshells and { } groups. One command line runs at most 10000 commands.

Not here: brace expansion {a,b}, select, arrays, job control, awk loops,
and programs other than the ones above.
Files live in memory under /home/learner; everything else is read-only.
";

/// `exit [N]`: asks the TUI to leave; status N modulo 256, or the last status.
pub(crate) fn exit(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let status = match call.args {
        [] => sh.last_status,
        [n] => match n.parse::<i64>() {
            Ok(n) => n.rem_euclid(256) as i32,
            Err(_) => {
                sh.exit_requested = Some(2);
                return Output::err(format!("bash: exit: {n}: numeric argument required\n"), 2);
            }
        },
        _ => return Output::err("bash: exit: too many arguments\n", 1),
    };
    sh.exit_requested = Some(status);
    Output {
        status,
        ..Output::default()
    }
}

pub(crate) fn true_(_sh: &mut Shell, _call: &mut Call<'_>) -> Output {
    Output::default()
}

pub(crate) fn false_(_sh: &mut Shell, _call: &mut Call<'_>) -> Output {
    Output {
        status: 1,
        ..Output::default()
    }
}

/// `export [-p] [NAME[=VALUE]...]`: with no names, lists exported variables as bash does.
pub(crate) fn export(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let names: Vec<&String> = call
        .args
        .iter()
        .filter(|a| *a != "-p" && *a != "--")
        .collect();
    if names.is_empty() {
        let text: String = sh
            .vars
            .iter()
            .filter(|(_, v)| v.exported)
            .map(|(name, v)| format!("declare -x {name}=\"{}\"\n", escape_declare(&v.value)))
            .collect();
        return Output::ok(text);
    }
    let mut out = Output::default();
    for arg in names {
        let (name, value) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        if !is_name(name) {
            out.stderr
                .push_str(&format!("bash: export: `{arg}': not a valid identifier\n"));
            out.status = 1;
            continue;
        }
        match value {
            Some(value) => sh.set_var(name, value, Export::Yes),
            None => {
                if let Some(var) = sh.vars.get_mut(name) {
                    var.exported = true;
                }
            }
        }
    }
    out
}

fn escape_declare(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `unset NAME...`.
pub(crate) fn unset(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let functions = call.args.iter().any(|a| a == "-f");
    for name in call.args.iter().filter(|a| !a.starts_with('-')) {
        // Like bash: `-f` unsets functions; plain `unset` a variable, else a function.
        if functions || sh.vars.remove(name).is_none() {
            sh.functions.remove(name);
        }
    }
    Output::default()
}

/// `env`: the exported variables, one `NAME=value` a line.
pub(crate) fn env(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    if let Some(first) = call.args.first() {
        return Output::err(
            format!("env: ‘{first}’: running programs through env is not supported here\n"),
            125,
        );
    }
    let text: String = sh
        .vars
        .iter()
        .filter(|(_, v)| v.exported)
        .map(|(name, v)| format!("{name}={}\n", v.value))
        .collect();
    Output::ok(text)
}

/// `which NAME...`: kubectl's path; builtins are named as such.
pub(crate) fn which(_sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let mut out = Output::default();
    for name in call.args {
        if let Some(path) = crate::shell::host::which(_sh, name) {
            out.stdout.push_str(&format!("{path}\n"));
        } else if BUILTINS.iter().any(|(n, _)| n == name) {
            out.stdout.push_str(&format!("{name}: shell builtin\n"));
        } else {
            out.status = 1;
        }
    }
    out
}

/// `type NAME...`: bash's description of what a name runs.
pub(crate) fn type_(_sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let mut out = Output::default();
    for name in call.args {
        if let Some(path) = crate::shell::host::which(_sh, name) {
            out.stdout.push_str(&format!("{name} is {path}\n"));
        } else if BUILTINS.iter().any(|(n, _)| n == name) {
            out.stdout.push_str(&format!("{name} is a shell builtin\n"));
        } else {
            out.stderr
                .push_str(&format!("bash: type: {name}: not found\n"));
            out.status = 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
