//! The real `kubetutor` binary, run to the end with some input.
#![allow(clippy::disallowed_methods)] // runs the real binary

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `cmd` with `input` on its stdin and waits for it; its stdout and stderr captured.
pub fn feed(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
