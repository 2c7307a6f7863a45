//! `timeout DURATION COMMAND [ARG]...` (GNU coreutils, without `--signal`/`--kill-after`):
//! runs a command and stops it when DURATION of simulated time has passed, with status 124.
//! Headless, this is how a script bounds a stream (`timeout 10 kubectl get pods -w`).

use std::time::Duration;

use crate::engine::Cluster;
use crate::shell::stream::Stop;
use crate::shell::{Flow, Output, Shell};

/// GNU timeout's status when the command timed out.
pub const TIMED_OUT: i32 = 124;
/// GNU timeout's status when timeout itself fails (bad usage).
const USAGE_STATUS: i32 = 125;
/// The longest deadline (as `sleep`'s cap), so `timeout 1e9 …` stays a plain bound.
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

const TRY_HELP: &str = "Try 'timeout --help' for more information.\n";

fn not_simulated(option: &str) -> Output {
    Output::err(
        format!(
            "timeout: {option} is not simulated (kubetutor: timeout stops its command as the terminal's Ctrl-C would)\n"
        ),
        USAGE_STATUS,
    )
}

/// Runs `timeout` with `args` (without the command name).
pub(crate) fn timeout(
    sh: &mut Shell,
    args: &[String],
    stdin: &str,
    cluster: &mut Cluster,
    to_terminal: bool,
) -> Output {
    let mut rest = args;
    while let Some(first) = rest.first() {
        let s = first.as_str();
        match s {
            "--foreground" | "-v" | "--verbose" => rest = &rest[1..],
            "--" => {
                rest = &rest[1..];
                break;
            }
            "-s" | "-k" | "--preserve-status" => return not_simulated(s),
            _ if s.starts_with("--signal") || s.starts_with("--kill-after") => {
                return not_simulated(s);
            }
            _ if s.starts_with("--") => {
                return Output::err(
                    format!("timeout: unrecognized option '{s}'\n{TRY_HELP}"),
                    USAGE_STATUS,
                );
            }
            _ if s.len() > 1 && s.starts_with('-') => {
                let c = s.chars().nth(1).unwrap_or('-');
                return Output::err(
                    format!("timeout: invalid option -- '{c}'\n{TRY_HELP}"),
                    USAGE_STATUS,
                );
            }
            _ => break,
        }
    }
    let Some((duration, command)) = rest.split_first() else {
        return Output::err(
            format!("timeout: missing operand\n{TRY_HELP}"),
            USAGE_STATUS,
        );
    };
    let secs =
        match crate::shell::builtins::parse_interval("timeout", std::slice::from_ref(duration)) {
            Ok(secs) => secs,
            Err(message) => return Output::err(message, USAGE_STATUS),
        };
    if command.is_empty() {
        return Output::err(
            format!("timeout: missing operand\n{TRY_HELP}"),
            USAGE_STATUS,
        );
    }
    let span = Duration::try_from_secs_f64(secs)
        .unwrap_or(MAX_TIMEOUT)
        .min(MAX_TIMEOUT);
    // GNU timeout treats 0 as "no timeout".
    if span.is_zero() {
        return sh.dispatch(command, stdin, cluster, to_terminal);
    }
    let level = sh.pace.deadlines.len();
    sh.pace.deadlines.push(cluster.now() + span);
    let mut out = sh.dispatch(command, stdin, cluster, to_terminal);
    sh.pace.deadlines.truncate(level);
    if sh.pace.stopped == Some(Stop::Timeout(level)) {
        // Ours: the command is stopped, the command line goes on after us.
        sh.pace.stopped = None;
        if sh.flow == Some(Flow::Abort) {
            sh.flow = None;
        }
        out.status = TIMED_OUT;
    }
    out
}
