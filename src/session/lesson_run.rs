//! `kubetutor lesson run`: plays a lesson headless against a fresh cluster, the way an author
//! proves it works. Each step's check must be false before the step and true after its
//! commands ran and the cluster settled; one line per step, then a total.
//!
//! Must not import: the TUI, terminals, std::fs or std::process (the caller loads the lesson
//! and owns the output stream).

use std::io::{self, Write};
use std::time::Duration;

use super::{Session, StepStatus};
use crate::content::Lesson;
use crate::engine::bootstrap::DEFAULT_WORKERS;

/// How long simulated time may run after a step's commands for the cluster to settle: generous,
/// since image pulls and graceful deletions take seconds to a minute.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(10 * 60);

/// Plays `lesson` on a cluster made from `seed`, writing `✓ N title` or `✗ N title: why` per step
/// and `K/N steps passed`; true when every step passed.
pub fn run_lesson(lesson: &Lesson, seed: u64, out: &mut dyn Write) -> io::Result<bool> {
    play_lesson(lesson, seed, out).map(|(passed, _)| passed)
}

/// Like [`run_lesson`], and also hands back the played session (for its result record).
pub fn play_lesson(lesson: &Lesson, seed: u64, out: &mut dyn Write) -> io::Result<(bool, Session)> {
    let mut session = Session::new(lesson.clone(), seed, DEFAULT_WORKERS);
    let mut passed = 0;
    for (index, step) in lesson.steps.iter().enumerate() {
        // A failed step earlier leaves the session behind: move it to this step.
        while session
            .current_step()
            .is_some_and(|current| current < index)
        {
            session.skip_step();
        }
        let commands = step.commands();
        let held_before = !commands.is_empty()
            && (session.step_status(index) == StepStatus::Done
                || session.check_step(index).is_ok());
        let mut failures = Vec::new();
        for command in &commands {
            let output = session.submit(command);
            // A stream stopped at the headless bound counts as the learner's Ctrl-C.
            let stopped = session.shell().last_stop() == Some(crate::shell::stream::Stop::Bound);
            if output.status != 0 && !stopped {
                failures.push(failure(command, output.status, &output.stderr));
            }
        }
        session.settle(SETTLE_LIMIT);
        let verdict = if held_before {
            Err("check already holds before the step".to_string())
        } else if session.step_status(index) == StepStatus::Done {
            Ok(())
        } else {
            let why = session.check_step(index).err().map_or_else(
                || "the step did not complete".to_string(),
                |u| u.to_string(),
            );
            failures.insert(0, why);
            Err(failures.join("; "))
        };
        match verdict {
            Ok(()) => {
                passed += 1;
                writeln!(out, "✓ {} {}", step.number, step.title)?;
            }
            Err(why) => writeln!(out, "✗ {} {}: {why}", step.number, step.title)?,
        }
    }
    let total = lesson.steps.len();
    writeln!(out, "{passed}/{total} steps passed")?;
    Ok((passed == total, session))
}

/// A failed command, briefly: its first line, status and first line of error output.
fn failure(command: &str, status: i32, stderr: &str) -> String {
    let first = command.lines().next().unwrap_or("").trim();
    let err = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if err.is_empty() {
        format!("`{first}` exited {status}")
    } else {
        format!("`{first}` exited {status}: {}", err.trim())
    }
}
