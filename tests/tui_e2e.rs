//! End to end: the real `kubetutor` binary in a tmux pane. Types the lesson's first commands,
//! checks that the screen shows the nodes and the command's output, resizes to 60x15 and
//! back, quits with Ctrl-Q and checks that the terminal left the alternate screen.
//!
//! A real program in a real terminal can only be watched, so this test polls tmux's copy of
//! the screen (every 50 ms, up to a deadline); the screen tests in `screens.rs` need no
//! waiting at all. Skips with a note when tmux is not installed (CI installs it).
#![allow(clippy::disallowed_methods)] // this test runs tmux and the real binary

mod support;

use support::tmux::Tmux;

#[test]
fn the_real_binary_in_tmux() {
    let Some(tmux) = Tmux::start("e2e", 100, 30, 20) else {
        return;
    };

    let first = tmux.wait_for("the first screen", |s| s.contains("Cluster: 4 nodes"));
    assert!(first.contains("kind-control-plane") && first.contains("kind-worker3"));
    assert!(first.contains("~/environment $"));

    tmux.type_line("kubectl get nodes -o wide");
    let after = tmux.wait_for("the nodes table", |s| s.contains("Step 1 done"));
    assert!(
        after.contains("INTERNAL-IP") || after.contains("172.18.0.2"),
        "{after}"
    );
    tmux.type_line("kubectl -n kube-system get daemonsets -o wide");
    tmux.wait_for("step 2 done", |s| s.contains("Step 2 done"));

    let _ = tmux.run(&["resize-window", "-t", "t", "-x", "60", "-y", "15"]);
    let small = tmux.wait_for("the narrow layout", |s| s.contains("F4 switches"));
    assert!(small.lines().count() <= 15, "{small}");
    let _ = tmux.run(&["resize-window", "-t", "t", "-x", "100", "-y", "30"]);
    tmux.wait_for("the wide layout again", |s| {
        s.contains("Cluster: 4 nodes") && !s.contains("F4 switches")
    });

    tmux.send(&["C-q"]);
    let end = tmux.wait_for("the tutor to exit", |s| s.contains("TUTOR-EXITED-"));
    assert!(end.contains("TUTOR-EXITED-0"), "{end}");
    // Back on the normal screen: the tutor's panes are gone.
    assert!(!end.contains("Cluster: 4 nodes"), "{end}");
    let mode = tmux.run(&["display-message", "-p", "-t", "t", "#{alternate_on}"]);
    assert_eq!(String::from_utf8_lossy(&mode.stdout).trim(), "0");
    let saved = std::fs::read_dir(tmux.state()).unwrap().count();
    assert!(saved > 0, "no progress saved in {}", tmux.state().display());
}
