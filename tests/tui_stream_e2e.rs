//! End to end, streaming: the real binary in tmux. After the DaemonSet lesson's apply,
//! `kubectl -n dev-system get pods -w` shows the daemon pods appear and start as the clock
//! moves; Ctrl-C prints `^C` and gives the prompt back; an endless `while` loop prints
//! until Ctrl-C. Polls tmux's screen (every 50 ms, up to a deadline); skips with a note
//! when tmux is not installed.
#![allow(clippy::disallowed_methods)] // this test runs tmux and the real binary

mod support;

use support::tmux::Tmux;

const DAEMONSET: &[&str] = &[
    "cat <<EOF | kubectl -n dev-system apply -f -",
    "apiVersion: apps/v1",
    "kind: DaemonSet",
    "metadata:",
    "  name: demo-daemon",
    "spec:",
    "  selector:",
    "    matchLabels:",
    "      app: demo-daemon",
    "  template:",
    "    metadata:",
    "      labels:",
    "        app: demo-daemon",
    "    spec:",
    "      containers:",
    "      - name: demo",
    "        image: demo:1.0.0",
    "EOF",
];

#[test]
fn get_pods_watch_and_an_endless_loop_stream_live_until_ctrl_c() {
    let Some(tmux) = Tmux::start("stream", 120, 40, 30) else {
        return;
    };
    tmux.wait_for("the first screen", |s| s.contains("Cluster: 4 nodes"));
    tmux.send(&["F12"]); // the terminal on the whole screen
    tmux.type_line("kubectl create namespace dev-system");
    tmux.wait_for("the namespace", |s| {
        s.contains("namespace/dev-system created")
    });
    tmux.send(&["F5"]); // pause: the pods must appear during the watch, not before it
    for line in DAEMONSET {
        tmux.type_line(line);
    }
    tmux.wait_for("the DaemonSet", |s| {
        s.contains("daemonset.apps/demo-daemon created")
    });
    tmux.type_line("kubectl -n dev-system get pods -w");
    let first = tmux.wait_for("the initial list", |s| s.contains("RESTARTS"));
    // No prompt while the watch runs, and no pod is running yet (the clock is paused).
    assert!(!first.contains("get pods -w\n~/environment $"), "{first}");
    let after_cmd = first
        .split("get pods -w")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(!after_cmd.contains("~/environment $"), "{first}");
    assert!(!after_cmd.contains("Running"), "{first}");
    tmux.send(&["F5"]); // the clock runs again: the pods start live
    let live = tmux.wait_for("the pods running", |s| s.matches("Running").count() >= 3);
    assert!(!live.contains("^C"), "{live}");
    tmux.send(&["C-c"]);
    let back = tmux.wait_for("the prompt after ^C", |s| {
        s.lines()
            .skip_while(|l| !l.contains("│^C"))
            .any(|l| l.contains("~/environment $"))
    });
    assert!(back.contains("^C"), "{back}");

    tmux.type_line("clear");
    tmux.type_line("while true; do echo tick; sleep 1; done");
    tmux.wait_for("a few ticks", |s| s.matches("tick").count() >= 4);
    tmux.send(&["C-c"]);
    tmux.wait_for("the prompt after the loop", |s| {
        s.lines()
            .skip_while(|l| !l.contains("│^C"))
            .any(|l| l.contains("~/environment $"))
    });
    tmux.type_line("echo status=$?");
    tmux.wait_for("the loop's status", |s| s.contains("status=130"));

    tmux.send(&["C-q"]);
    let end = tmux.wait_for("the tutor to exit", |s| s.contains("TUTOR-EXITED-"));
    assert!(end.contains("TUTOR-EXITED-0"), "{end}");
}
