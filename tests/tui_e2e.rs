//! End to end: the real `kubetutor` binary in a tmux pane. Types the lesson's first commands,
//! checks that the screen shows the nodes and the command's output, resizes to 60x15 and
//! back, quits with Ctrl-Q and checks that the terminal left the alternate screen.
//!
//! A real program in a real terminal can only be watched, so this test polls tmux's copy of
//! the screen (every 50 ms, up to a deadline); the screen tests in `screens.rs` need no
//! waiting at all. Skips with a note when tmux is not installed (CI installs it).
#![allow(clippy::disallowed_methods)] // this test runs tmux and the real binary

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    _state: TempDir,
}

/// A directory removed when the test ends (the tutor saves its progress there).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    /// Types text literally, then Enter.
    fn type_line(&self, text: &str) {
        self.send(&["-l", text]);
        self.send(&["Enter"]);
    }

    /// Waits until the screen satisfies `ok`, or fails with the last screen.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[test]
fn the_real_binary_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("note: tmux is not installed; skipping the terminal end-to-end test");
        return;
    }
    let id = format!("kubetutor-e2e-{}", std::process::id());
    let state = std::env::temp_dir().join(&id);
    std::fs::create_dir_all(&state).unwrap();
    let tmux = Tmux {
        socket: id,
        _state: TempDir(state.clone()),
    };
    let bin = env!("CARGO_BIN_EXE_kubetutor");
    // The pane runs a shell that prints a marker after the tutor exits, so the test can see
    // the normal screen come back; the sleep keeps the pane open until the test ends.
    let script = format!(
        "'{bin}' --state-dir '{}' --learner e2e --fresh --seed 7; echo TUTOR-EXITED-$?; sleep 60",
        state.display()
    );
    let started = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "100",
        "-y",
        "30",
        "sh",
        "-c",
        &script,
    ]);
    assert!(started.status.success(), "{started:?}");

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
    let saved = std::fs::read_dir(&state).unwrap().count();
    assert!(saved > 0, "no progress saved in {}", state.display());
}
