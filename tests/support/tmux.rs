//! The real `kubetutor` binary in a tmux pane, for the end-to-end tests: start it, type,
//! press keys, and poll tmux's copy of the screen (every 50 ms, up to a deadline).
#![allow(clippy::disallowed_methods)] // runs tmux and the real binary

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of its own running the tutor in window `t`; killed, with the tutor's state
/// folder removed, when dropped.
pub struct Tmux {
    socket: String,
    state: PathBuf,
    /// How long `wait_for` waits.
    patience: Duration,
}

impl Tmux {
    /// Starts the tutor (`--state-dir`, `--learner e2e --fresh --seed 7`) in a `width` x
    /// `height` pane whose shell prints `TUTOR-EXITED-<status>` after it exits. `None`, with a
    /// note, when tmux is not installed.
    pub fn start(name: &str, width: u16, height: u16, patience_secs: u64) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            println!("note: tmux is not installed; skipping the terminal end-to-end test");
            return None;
        }
        let id = format!("kubetutor-{name}-{}", std::process::id());
        let state = std::env::temp_dir().join(&id);
        std::fs::create_dir_all(&state).unwrap();
        let tmux = Tmux {
            socket: id,
            state: state.clone(),
            patience: Duration::from_secs(patience_secs),
        };
        let bin = env!("CARGO_BIN_EXE_kubetutor");
        // The sleep keeps the pane open after the tutor exits, so the test can see the
        // normal screen come back.
        let script = format!(
            "'{bin}' --state-dir '{}' --learner e2e --fresh --seed 7; echo TUTOR-EXITED-$?; sleep 60",
            state.display()
        );
        let (w, h) = (width.to_string(), height.to_string());
        let started = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &w,
            "-y",
            &h,
            "sh",
            "-c",
            &script,
        ]);
        assert!(started.status.success(), "{started:?}");
        Some(tmux)
    }

    /// The tutor's state folder (its saved progress).
    pub fn state(&self) -> &std::path::Path {
        &self.state
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    /// Types text literally, then Enter.
    pub fn type_line(&self, text: &str) {
        self.send(&["-l", text]);
        self.send(&["Enter"]);
    }

    /// Waits until the screen satisfies `ok`, or fails with the last screen.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + self.patience;
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
        let _ = std::fs::remove_dir_all(&self.state);
    }
}
