//! `kubectl logs -f` / `--follow`: what `logs` prints now, then each new line as the
//! container writes it, until Ctrl-C or until the container goes away (the stream closes
//! and kubectl exits 0, as it does when a followed container terminates).
//!
//! New lines are found by reading the container's whole log again after each wait and
//! printing what was appended to it; a log that no longer starts with what was read (a new
//! container) or a pod that is gone ends the stream.

use std::time::Duration;

use super::WaitKind;
use crate::engine::Cluster;
use crate::shell::kubectl::{self, flags};
use crate::shell::{Output, Shell};

/// How often the log is read again (simulated): a line shows at most this late.
const POLL: Duration = Duration::from_secs(1);

const FOLLOW_FLAGS: &[&str] = &["-f", "--follow", "--follow=true"];

/// Whether `kubectl ARGS` is a `logs` that follows.
pub(crate) fn wants_follow(args: &[String]) -> bool {
    flags::find_verb(args).is_some_and(|i| args[i] == "logs")
        && args.iter().any(|a| FOLLOW_FLAGS.contains(&a.as_str()))
}

/// Runs `kubectl ARGS` (a following `logs`) until it is stopped or the container is gone.
pub(crate) fn follow(
    sh: &mut Shell,
    args: &[String],
    stdin: &str,
    cluster: &mut Cluster,
) -> Output {
    let plain: Vec<String> = args
        .iter()
        .filter(|a| !FOLLOW_FLAGS.contains(&a.as_str()))
        .cloned()
        .collect();
    let whole = without_tail(&plain);
    let first = run(sh, &plain, stdin, cluster);
    if first.status != 0 {
        return first;
    }
    let mut held = Output::default();
    sh.print_now(&mut held, &first.stdout);
    sh.print_err_now(&mut held, &first.stderr);
    let mut read = run(sh, &whole, stdin, cluster).stdout;
    loop {
        let waited = sh.wait(cluster, POLL, WaitKind::Open);
        let now = run(sh, &whole, stdin, cluster);
        if now.status != 0 {
            // A container that has not started yet is waited for; one that has gone (or
            // a pod that is gone) ends the stream.
            if !read.is_empty() || now.stderr.contains("(NotFound)") || waited.is_err() {
                return held;
            }
            continue;
        }
        let Some(new) = now.stdout.strip_prefix(read.as_str()) else {
            return held;
        };
        sh.print_now(&mut held, new);
        read = now.stdout;
        if waited.is_err() {
            return held;
        }
    }
}

/// The arguments without `--tail` (a re-read needs the whole log to see what was added).
fn without_tail(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if a == "--tail" {
            skip = true;
        } else if !a.starts_with("--tail=") {
            out.push(a.clone());
        }
    }
    out
}

fn run(sh: &mut Shell, args: &[String], stdin: &str, cluster: &mut Cluster) -> Output {
    let mut ctx = kubectl::Ctx {
        cluster,
        vfs: &sh.vfs,
        cwd: &sh.cwd,
        pace: None,
    };
    kubectl::run(&mut ctx, args, stdin)
}
