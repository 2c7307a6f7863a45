//! Playing steps for the learner: `lesson run` plays every step of a lesson or workshop this
//! way, and a workshop entered at a later chapter replays the chapters before it (each step's
//! commands run headless on the same seeded cluster, then the cluster settles), so a learner
//! starting at chapter 10 finds the cluster, files and clock chapter 9 left.
//!
//! Replay is step by step ([`Replay::step`]) so a caller with a screen can draw a progress bar
//! between steps and stay responsive. An endless command (`while true; do ...; done`) ends at
//! the shell's budget of commands per line, so a replay always ends.
//!
//! Must not import: the TUI, terminals, std::fs, std::process or any real clock.

use std::time::Duration;

use super::{Session, StepStatus};
use crate::content::Lesson;

/// How long simulated time may run after a step's commands for the cluster to settle: generous,
/// since image pulls and graceful deletions take seconds to a minute.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(10 * 60);

/// The session a lesson or workshop starts from: the one place that decides how the first
/// chapter's cluster, files and clock are made.
pub fn first_session(lesson: Lesson, seed: u64, workers: usize) -> Session {
    Session::new(lesson, seed, workers)
}

/// Plays step `index`: moves the session to it (skipping steps left behind), runs its
/// commands, lets the cluster settle. `Ok` when the step's check held after it and not
/// before; else why not.
pub fn play_step(session: &mut Session, index: usize) -> Result<(), String> {
    let Some(step) = session.lesson().steps.get(index).cloned() else {
        return Ok(());
    };
    // A failed step earlier leaves the session behind: move it to this step.
    while session
        .current_step()
        .is_some_and(|current| current < index)
    {
        session.skip_step();
    }
    let commands = step.commands();
    let held_before = !commands.is_empty()
        && (session.step_status(index) == StepStatus::Done || session.check_step(index).is_ok());
    let mut failures = Vec::new();
    for command in &commands {
        let output = session.submit(command);
        // A stream stopped at the headless bound counts as the learner's Ctrl-C.
        let stopped = session.shell().last_stop() == Some(crate::shell::stream::Stop::Bound);
        if output.status != 0 && !stopped {
            failures.push(failure(command, output.status, &output.stderr));
        }
        // A chapter's `exit` leaves a nested shell (`bash` ... `exit`); played headless it
        // must not end the session, or every later command would be refused unrun.
        session.progress.shell.exit_requested = None;
    }
    session.settle(SETTLE_LIMIT);
    if held_before {
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
    }
}

/// A replay in progress: the steps before `target` played one at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    next: usize,
    target: usize,
}

impl Replay {
    /// Replays the steps before step `target` of the session's lesson (the session should be
    /// at its start: see [`Session::reset_lesson`]).
    pub fn to_step(target: usize) -> Replay {
        Replay { next: 0, target }
    }

    /// Plays the next step; false once every step before the target is played.
    pub fn step(&mut self, session: &mut Session) -> bool {
        let target = self.target.min(session.lesson().steps.len());
        if self.next >= target {
            return false;
        }
        let index = self.next;
        let _ = play_step(session, index);
        session.mark_replayed(index);
        self.next += 1;
        // A step that did not complete is skipped, so the learner starts at the target.
        if self.next >= target {
            while session.current_step().is_some_and(|c| c < target) {
                session.skip_step();
            }
        }
        true
    }

    /// Steps played and steps to play in all (for a progress bar).
    pub fn progress(&self) -> (usize, usize) {
        (self.next.min(self.target), self.target)
    }

    /// Plays every remaining step.
    pub fn finish(&mut self, session: &mut Session) {
        while self.step(session) {}
    }
}

/// A session at the start of chapter `chapter` of a workshop: a fresh session with every
/// earlier chapter replayed. `on_step(done, total)` is called after each replayed step.
pub fn start_at_chapter(
    lesson: Lesson,
    chapter: usize,
    seed: u64,
    workers: usize,
    on_step: &mut dyn FnMut(usize, usize),
) -> Session {
    let target = lesson.chapters.get(chapter).map_or(0, |c| c.steps.start);
    let mut session = first_session(lesson, seed, workers);
    let mut replay = Replay::to_step(target);
    while replay.step(&mut session) {
        let (done, total) = replay.progress();
        on_step(done, total);
    }
    session
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load_lesson;

    #[test]
    fn an_exit_in_a_played_step_does_not_end_the_session() {
        // Chapter 3 of the workshop: `bash` opens a nested shell, a later step `exit`s it.
        let text = "---\ntitle: t\n---\n\n{{< step >}}Leave.{{< /step >}}\n```bash\nexit\n```\n\n\
                    {{< step >}}Make a.{{< /step >}}\n```bash\nkubectl create namespace a\n```\n\
                    <!-- check: kubectl get ns a -o jsonpath={.status.phase} == Active -->\n";
        let lesson = load_lesson("t.md", text).unwrap();
        let mut s = first_session(lesson, 1, 1);
        let _ = play_step(&mut s, 0);
        assert_eq!(s.shell().exit_requested(), None);
        assert_eq!(play_step(&mut s, 1), Ok(()));
    }

    #[test]
    fn an_endless_loop_in_a_replayed_step_ends_and_the_replay_goes_on() {
        // Chapter 10's "hit the service forever" step, as a loop of the shell's own commands.
        let text = "---\ntitle: t\n---\n\n{{< step >}}Forever.{{< /step >}}\n```bash\n\
                    while true; do echo hello; sleep 0.25; done\n```\n\n\
                    {{< step >}}Make a.{{< /step >}}\n```bash\nkubectl create namespace a\n```\n\n\
                    {{< step >}}Then.{{< /step >}}\n```bash\nkubectl get ns a\n```\n";
        let lesson = load_lesson("t.md", text).unwrap();
        let mut s = first_session(lesson, 1, 1);
        let mut replay = Replay::to_step(2);
        replay.finish(&mut s);
        assert_eq!(replay.progress(), (2, 2));
        assert_eq!(s.current_step(), Some(2));
        let out = s.submit("kubectl get ns a -o name");
        assert_eq!(out.stdout, "namespace/a\n");
    }
}
