//! The learner's command line: words, quotes, pipes, heredocs and redirections, a few
//! builtins over an in-memory home directory, and the simulated `kubectl`.
//!
//! Must not import: ratatui, crossterm, tokio, std::fs, std::process. It never runs a
//! host program and never reads or writes a host file.

pub mod kubectl;
pub mod vfs;

/// What one command line printed, and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl Output {
    pub fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            stderr: String::new(),
            status: 0,
        }
    }

    pub fn err(stderr: impl Into<String>, status: i32) -> Output {
        Output {
            stdout: String::new(),
            stderr: stderr.into(),
            status,
        }
    }
}
