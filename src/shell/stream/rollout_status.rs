//! `kubectl rollout status` as a stream: each progress line printed when the cluster gets
//! there, as the clock moves (in the tutor at its speed), until the rollout is done or
//! Ctrl-C. Each look is the verb's own `--watch=false` run, so the lines are kubectl's; the
//! wait goes to the cluster's next activity. With `--timeout`, `--watch=false`, or headless
//! once nothing is left to happen, the verb's own loop runs instead (it says when a rollout
//! is stuck; in the tutor a stuck rollout waits for Ctrl-C, as kubectl does).

use std::time::Duration;

use super::WaitKind;
use crate::engine::Cluster;
use crate::shell::kubectl::{self, flags};
use crate::shell::{Output, Shell};

/// As long as the verb's own loop waits before it says a rollout is stuck (simulated).
const GIVE_UP: Duration = Duration::from_secs(600);
/// The longest wait in the tutor while nothing is scheduled to happen.
const IDLE_STEP: Duration = Duration::from_secs(1);

/// Whether `kubectl ARGS` is a `rollout status` that watches (and has no `--timeout`).
pub(crate) fn wants_status(args: &[String]) -> bool {
    let Some(i) = flags::find_verb(args) else {
        return false;
    };
    args[i] == "rollout"
        && args[i + 1..]
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(String::as_str)
            == Some("status")
        && !args.iter().any(|a| {
            a.starts_with("--timeout") || a.starts_with("--watch=") || a.starts_with("-w=")
        })
        && !args.iter().any(|a| a == "-h" || a == "--help")
}

/// Runs `kubectl ARGS` (a watching `rollout status`) until the rollout is done or stopped.
pub(crate) fn status(
    sh: &mut Shell,
    args: &[String],
    stdin: &str,
    cluster: &mut Cluster,
) -> Output {
    let mut once = args.to_vec();
    once.push("--watch=false".to_string());
    let mut held = Output::default();
    let mut last = String::new();
    let give_up = cluster.now() + GIVE_UP;
    loop {
        let out = run(sh, &once, stdin, cluster);
        if out.status != 0 {
            sh.print_now(&mut held, &out.stdout);
            sh.print_err_now(&mut held, &out.stderr);
            held.status = out.status;
            return held;
        }
        if out.stdout != last {
            sh.print_now(&mut held, &out.stdout);
            last = out.stdout;
        }
        if last.contains(" successfully rolled out") {
            return held;
        }
        let now = cluster.now();
        let step = match cluster.next_activity() {
            Some(at) if at <= give_up || sh.pace.is_interactive() => {
                Duration::from_millis((at.0 - now.0).max(1) as u64)
            }
            _ if sh.pace.is_interactive() => IDLE_STEP,
            _ => {
                // Headless and stuck: the verb's own words, without the line printed already.
                let mut rest = run(sh, args, stdin, cluster);
                if let Some(after) = rest.stdout.strip_prefix(last.as_str()) {
                    rest.stdout = after.to_string();
                }
                sh.print_now(&mut held, &rest.stdout);
                sh.print_err_now(&mut held, &rest.stderr);
                held.status = rest.status;
                return held;
            }
        };
        if sh.wait(cluster, step, WaitKind::Finite).is_err() {
            return held;
        }
    }
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
