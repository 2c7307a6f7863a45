//! The streaming seam: waits hand over what was printed, stops unwind as bash's SIGINT,
//! `timeout` catches its own deadline, headless streams end at their bound.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Pace, Waited, Waiter, bound_note};
use crate::engine::{Cluster, SimTime};
use crate::shell::{Output, Shell};

fn cluster() -> Cluster {
    Cluster::empty(1, SimTime::from_secs(0))
}

/// A terminal for tests: shows (records) what each wait hands over, and presses Ctrl-C
/// at the wait numbered `interrupt_at` (1-based).
struct Scripted {
    shown: Arc<Mutex<Vec<String>>>,
    waits: usize,
    interrupt_at: usize,
}

impl Waiter for Scripted {
    fn wait(&mut self, cluster: &mut Cluster, dt: Duration, live: &mut Output) -> Waited {
        let chunk = std::mem::take(live);
        if let Ok(mut shown) = self.shown.lock() {
            shown.push(format!("{}{}", chunk.stdout, chunk.stderr));
        }
        self.waits += 1;
        if self.waits == self.interrupt_at {
            return Waited::Interrupted;
        }
        cluster.advance(dt);
        Waited::Done
    }
}

fn scripted(interrupt_at: usize) -> (Shell, Arc<Mutex<Vec<String>>>) {
    let shown = Arc::new(Mutex::new(Vec::new()));
    let mut shell = Shell::new();
    shell.set_pace(Pace::interactive(Box::new(Scripted {
        shown: Arc::clone(&shown),
        waits: 0,
        interrupt_at,
    })));
    (shell, shown)
}

fn shown(chunks: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    chunks.lock().map(|c| c.clone()).unwrap_or_default()
}

#[test]
fn an_endless_loop_prints_before_each_wait_and_ctrl_c_ends_it_with_130() {
    let (mut shell, chunks) = scripted(3);
    let mut c = cluster();
    let out = shell.run("while true; do echo x; sleep 1; done; echo after", &mut c);
    assert_eq!(shown(&chunks), ["x\n", "x\n", "x\n"]);
    // Everything was shown at the waits; the line's own output holds nothing more.
    assert_eq!(out.stdout, "");
    assert_eq!(out.status, 130);
    assert_eq!(c.now(), SimTime::from_secs(2));
    assert_eq!(shell.last_stop(), Some(super::Stop::Interrupt));
    // The next line runs normally.
    let out = shell.run("echo $?; echo next", &mut c);
    assert_eq!(out.stdout, "130\nnext\n");
}

#[test]
fn piped_or_redirected_text_is_not_shown_at_waits() {
    let (mut shell, chunks) = scripted(0);
    let mut c = cluster();
    let out = shell.run(
        "for i in 1 2; do echo $i; sleep 1; done | cat; { echo f; sleep 1; } > f; echo done",
        &mut c,
    );
    // The pipe's text reaches the terminal when `cat` has it, before the group's wait.
    assert_eq!(shown(&chunks), ["", "", "1\n2\n"]);
    assert_eq!(out.stdout, "done\n");
    assert_eq!(
        shell.vfs().read(shell.cwd(), "f").ok().as_deref(),
        Some("f\n")
    );
}

#[test]
fn stderr_and_stdout_stay_apart_when_live() {
    let (mut shell, chunks) = scripted(2);
    let mut c = cluster();
    let out = shell.run("echo out; ls nothere; sleep 1; echo more; sleep 1", &mut c);
    assert_eq!(
        shown(&chunks),
        [
            "out\nls: cannot access 'nothere': No such file or directory\n",
            "more\n"
        ]
    );
    assert_eq!(out.status, 130);
}

#[test]
fn headless_sleep_passes_time_at_once_and_keeps_output_whole() {
    let mut shell = Shell::new();
    let mut c = cluster();
    let out = shell.run("echo a; sleep 300; echo b", &mut c);
    assert_eq!(out.stdout, "a\nb\n");
    assert_eq!(c.now(), SimTime::from_secs(300));
    assert_eq!(out.status, 0);
}

#[test]
fn headless_endless_loop_stops_at_the_bound_as_ctrl_c() {
    let mut shell = Shell::new();
    let mut c = cluster();
    let out = shell.run("while true; do echo x; sleep 1; done", &mut c);
    assert_eq!(out.stdout, "x\n".repeat(61));
    assert_eq!(out.stderr, bound_note());
    assert_eq!(out.status, 130);
    assert_eq!(c.now(), SimTime::from_secs(60));
    assert_eq!(shell.last_stop(), Some(super::Stop::Bound));
}

#[test]
fn a_loop_that_waits_is_not_stopped_by_the_step_budget() {
    // 0.25 s per turn: 240 turns in the bound, 720 commands; and 20,000 commands between
    // waits would still be refused (the budget counts from the last wait).
    let mut shell = Shell::new();
    let mut c = cluster();
    let out = shell.run(
        "n=0; while true; do n=$((n+1)); sleep 0.25; done; echo $n",
        &mut c,
    );
    assert_eq!(out.status, 130);
    let out = shell.run("echo $n", &mut c);
    assert_eq!(out.stdout, "241\n");
}

#[test]
fn timeout_stops_its_command_with_124_and_the_line_goes_on() {
    let mut shell = Shell::new();
    let mut c = cluster();
    let out = shell.run(
        "timeout 5 sleep 10; echo $?; timeout 10 sleep 3; echo $?",
        &mut c,
    );
    assert_eq!(out.stdout, "124\n0\n");
    assert_eq!(out.status, 0);
    assert_eq!(c.now(), SimTime::from_secs(8));
}

#[test]
fn nested_timeouts_the_earlier_deadline_wins() {
    let mut shell = Shell::new();
    let mut c = cluster();
    let out = shell.run("timeout 3 timeout 10 sleep 20; echo $?", &mut c);
    assert_eq!(out.stdout, "124\n");
    assert_eq!(c.now(), SimTime::from_secs(3));
    let out = shell.run("timeout 10 timeout 2 sleep 20; echo $?", &mut c);
    assert_eq!(out.stdout, "124\n");
    assert_eq!(c.now(), SimTime::from_secs(5));
}

#[test]
fn timeout_usage_errors_are_gnus() {
    let mut shell = Shell::new();
    let mut c = cluster();
    let out = shell.run("timeout", &mut c);
    assert_eq!(
        out.stderr,
        "timeout: missing operand\nTry 'timeout --help' for more information.\n"
    );
    assert_eq!(out.status, 125);
    let out = shell.run("timeout 5x sleep 1", &mut c);
    assert_eq!(
        out.stderr,
        "timeout: invalid time interval ‘5x’\nTry 'timeout --help' for more information.\n"
    );
    assert_eq!(out.status, 125);
    let out = shell.run("timeout 5", &mut c);
    assert_eq!(out.status, 125);
    let out = shell.run("timeout -s KILL 5 sleep 1", &mut c);
    assert_eq!(out.status, 125);
    assert!(out.stderr.contains("not simulated"), "{}", out.stderr);
    let out = shell.run("timeout 0 sleep 3; echo $?", &mut c);
    assert_eq!(out.stdout, "0\n");
}

#[test]
fn ctrl_c_during_a_sleep_skips_the_rest_of_the_line() {
    let (mut shell, chunks) = scripted(1);
    let mut c = cluster();
    let out = shell.run("echo before; sleep 5; echo after", &mut c);
    assert_eq!(shown(&chunks), ["before\n"]);
    assert_eq!(out.stdout, "");
    assert_eq!(out.status, 130);
    assert_eq!(c.now(), SimTime::from_secs(0));
}
