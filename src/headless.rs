//! `kubetutor shell`: command lines from a reader run against one fresh cluster, their
//! output written exactly as the tutor's terminal would show it. Simulated time passes
//! only through commands that wait (`sleep`, `kubectl delete`).

use std::io::{BufRead, Write};

use crate::engine::Cluster;
use crate::shell::parse::{Completeness, completeness};
use crate::shell::{MAX_LINE_BYTES, Shell};

/// Runs every command line of `input` and returns the last command's exit status.
pub fn run_script(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    cluster: &mut Cluster,
) -> std::io::Result<i32> {
    let mut shell = Shell::new();
    let mut pending = String::new();
    let mut status = 0;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = input.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        pending.push_str(&String::from_utf8_lossy(&buf));
        if pending.len() > MAX_LINE_BYTES * 4 || completeness(&pending) == Completeness::Complete {
            status = run_one(&mut shell, &mut pending, cluster, stdout, stderr)?;
            if shell.exit_requested().is_some() {
                return Ok(shell.exit_requested().unwrap_or(status));
            }
        }
    }
    if !pending.trim().is_empty() {
        status = run_one(&mut shell, &mut pending, cluster, stdout, stderr)?;
    }
    Ok(shell.exit_requested().unwrap_or(status))
}

fn run_one(
    shell: &mut Shell,
    pending: &mut String,
    cluster: &mut Cluster,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> std::io::Result<i32> {
    let line = std::mem::take(pending);
    let line = line.strip_suffix('\n').unwrap_or(&line);
    if line.trim().is_empty() {
        return Ok(0);
    }
    let out = shell.run(line, cluster);
    stdout.write_all(out.stdout.as_bytes())?;
    stdout.flush()?;
    stderr.write_all(out.stderr.as_bytes())?;
    stderr.flush()?;
    Ok(out.status)
}
