//! `kubetutor shell`: command lines from a reader run against one fresh cluster, their
//! output written exactly as the tutor's terminal would show it. Simulated time passes
//! only through commands that wait (`sleep`, `kubectl delete`) and streams, at once; a
//! stream ends at its `timeout` or the headless bound (`shell::stream`).

use std::io::{BufRead, Write};

use crate::engine::Cluster;
use crate::shell::Shell;
use crate::shell::input::{Assembled, CommandReader};

/// Runs every command line of `input` and returns the last command's exit status.
pub fn run_script(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    cluster: &mut Cluster,
) -> std::io::Result<i32> {
    run_script_with(input, stdout, stderr, cluster, Shell::new())
}

/// [`run_script`] in a given shell (a lesson start's host, see `session::start::world`).
pub fn run_script_with(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    cluster: &mut Cluster,
    mut shell: Shell,
) -> std::io::Result<i32> {
    let mut status = 0;
    let mut reader = CommandReader::new(input);
    while let Some(next) = reader.next_command()? {
        let out = match next {
            Assembled::Command(line) if line.trim().is_empty() => continue,
            Assembled::Command(line) => shell.run(&line, cluster),
            Assembled::TooLong(bytes) => shell.refuse_too_long(bytes),
        };
        stdout.write_all(out.stdout.as_bytes())?;
        stdout.flush()?;
        stderr.write_all(out.stderr.as_bytes())?;
        stderr.flush()?;
        status = out.status;
        if let Some(code) = shell.exit_requested() {
            return Ok(code);
        }
    }
    Ok(shell.exit_requested().unwrap_or(status))
}
