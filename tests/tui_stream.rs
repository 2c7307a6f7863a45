//! The TUI's streaming path through the headless harness: a line that waits runs on the
//! worker, prints as the clock moves, stays responsive to keys, stops on Ctrl-C with `^C`
//! and the prompt back, and prints what headless `timeout` prints over the same time.

use kubetutor::engine::Cluster;
use kubetutor::shell::Shell;
use kubetutor::tui::harness::{Harness, SEED};

fn streaming() -> Harness {
    let mut h = Harness::new(100, 30);
    h.enable_streams();
    h
}

/// The scrollback's text after the line `from` (the typed command).
fn lines_after(h: &mut Harness, command: &str) -> Vec<String> {
    let lines = h.app.scrollback();
    let start = lines
        .iter()
        .rposition(|l| l.ends_with(command))
        .map_or(0, |i| i + 1);
    lines[start..].to_vec()
}

#[test]
fn an_endless_loop_prints_as_time_passes_and_ctrl_c_returns_the_prompt() {
    let mut h = streaming();
    let cmd = "while true; do echo x; sleep 1; done";
    h.type_line(cmd);
    assert!(h.is_streaming());
    assert_eq!(lines_after(&mut h, cmd), ["x"]);
    h.advance(1);
    assert_eq!(lines_after(&mut h, cmd), ["x", "x"]);
    h.advance(2);
    assert_eq!(lines_after(&mut h, cmd), ["x", "x", "x", "x"]);
    // Keys still work: scrolling, the help, and typing is refused politely.
    h.press("F1");
    assert!(h.screen().contains("F5"));
    h.press("Esc");
    h.press("Ctrl-C");
    assert!(!h.is_streaming());
    assert_eq!(lines_after(&mut h, cmd), ["x", "x", "x", "x", "^C"]);
    h.type_line("echo $?");
    assert_eq!(lines_after(&mut h, "echo $?"), ["130"]);
}

#[test]
fn a_loop_inside_a_pod_streams_through_kubectl_exec_and_ctrl_c_ends_it() {
    let mut h = streaming();
    h.type_line("kubectl create deployment jumpbox --image nginx");
    h.press("F7"); // let the pod start
    let cmd = "kubectl exec -it deployment/jumpbox -- bash -c \"while true; do echo in-pod; sleep 1; done\"";
    h.type_line(cmd);
    assert!(h.is_streaming());
    assert_eq!(lines_after(&mut h, cmd), ["in-pod"]);
    h.advance(2);
    assert_eq!(lines_after(&mut h, cmd), ["in-pod", "in-pod", "in-pod"]);
    h.press("Ctrl-C");
    assert!(!h.is_streaming());
    assert_eq!(
        lines_after(&mut h, cmd),
        [
            "in-pod",
            "in-pod",
            "in-pod",
            "^C",
            "command terminated with exit code 130"
        ]
    );
}

#[test]
fn speed_multiplies_the_time_granted() {
    let mut h = streaming();
    h.press("F6"); // x2
    let cmd = "while true; do echo x; sleep 1; done";
    h.type_line(cmd);
    h.advance(2);
    assert_eq!(lines_after(&mut h, cmd).len(), 5);
    h.press("F5"); // paused: nothing moves
    h.advance(5);
    assert_eq!(lines_after(&mut h, cmd).len(), 5);
    h.press("Ctrl-C");
    assert!(!h.is_streaming());
}

#[test]
fn a_watch_in_the_tui_prints_what_headless_timeout_prints() {
    let setup = [
        "kubectl create namespace dev-system",
        "kubectl -n dev-system create deployment web --image=demo:1.0.0 --replicas=2",
    ];
    let mut h = streaming();
    for line in setup {
        h.type_line(line);
    }
    let cmd = "kubectl -n dev-system get pods -w";
    h.type_line(cmd);
    for _ in 0..10 {
        h.advance(1);
    }
    h.press("Ctrl-C");
    let mut tui = lines_after(&mut h, cmd);
    assert_eq!(tui.pop().as_deref(), Some("^C"));

    let mut cluster = Cluster::kind(SEED, 3);
    let mut shell = Shell::new();
    for line in setup {
        shell.run(line, &mut cluster);
    }
    let out = shell.run(&format!("timeout 10 {cmd}"), &mut cluster);
    assert_eq!(out.status, 124);
    let headless: Vec<String> = out.stdout.lines().map(str::to_string).collect();
    assert_eq!(tui, headless);
    assert!(headless.len() > 3, "{headless:?}");
}

#[test]
fn watch_refreshes_the_whole_pane_each_interval() {
    let mut h = streaming();
    h.type_line("watch -n 1 echo hello");
    let first = h.app.scrollback();
    assert_eq!(first.len(), 3, "{first:?}");
    assert!(first[0].starts_with("Every 1.0s: echo hello"), "{first:?}");
    assert_eq!(first[2], "hello");
    h.advance(1);
    // A fresh screen: the same three lines, one second later in the title.
    let second = h.app.scrollback();
    assert_eq!(second.len(), 3, "{second:?}");
    assert_ne!(first[0], second[0]);
    h.press("Ctrl-C");
    assert!(!h.is_streaming());
    assert_eq!(h.app.scrollback().last().map(String::as_str), Some("^C"));
}

#[test]
fn rollout_status_prints_its_lines_as_the_rollout_moves_and_ends_by_itself() {
    let setup = [
        "kubectl create deployment web --image=demo:1.0.0 --replicas=3",
        "sleep 30",
        "kubectl rollout restart deployment/web",
    ];
    let cmd = "kubectl rollout status deployment/web";
    let mut cluster = Cluster::kind(SEED, 3);
    let mut shell = Shell::new();
    for line in setup {
        shell.run(line, &mut cluster);
    }
    let headless = shell.run(cmd, &mut cluster);
    assert_eq!(headless.status, 0, "{headless:?}");
    let want: Vec<String> = headless.stdout.lines().map(str::to_string).collect();
    assert!(want.len() >= 3, "{want:?}");

    let mut h = streaming();
    for line in setup {
        h.type_line(line);
        while h.is_streaming() {
            h.advance(1);
        }
    }
    h.type_line(cmd);
    assert!(h.is_streaming());
    let early = lines_after(&mut h, cmd);
    assert!(early.len() < want.len(), "{early:?}");
    let mut ticks = 0;
    while h.is_streaming() && ticks < 600 {
        h.advance_millis(250);
        ticks += 1;
    }
    assert!(!h.is_streaming());
    assert_eq!(lines_after(&mut h, cmd), want);
}

#[test]
fn a_paste_that_reaches_a_stream_types_the_rest_when_it_ends() {
    let mut h = streaming();
    h.paste("echo one\nsleep 2\necho two\necho three\n");
    assert!(h.is_streaming());
    assert_eq!(
        lines_after(&mut h, "echo one"),
        ["one", "~/environment $ sleep 2"]
    );
    h.advance(2);
    assert!(!h.is_streaming());
    let lines = lines_after(&mut h, "sleep 2");
    assert_eq!(
        lines,
        [
            "~/environment $ echo two",
            "two",
            "~/environment $ echo three",
            "three"
        ]
    );
}

#[test]
fn the_status_clock_moves_during_a_quiet_sleep() {
    let mut h = streaming();
    h.type_line("sleep 100");
    let status = |h: &mut Harness| h.screen().lines().last().unwrap_or_default().to_string();
    let before = status(&mut h);
    h.advance(3);
    let after = status(&mut h);
    assert_ne!(before, after);
    assert!(h.is_streaming());
    h.press("Ctrl-C");
    assert!(!h.is_streaming());
}
