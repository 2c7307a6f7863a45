//! The UI-free tutor core: one lesson, the simulated cluster, the learner's shell, the step
//! cursor and the help used. The TUI and the headless modes both drive a [`Session`]: they hand
//! it command lines ([`Session::submit`]) and the passing of time ([`Session::advance`]), and it
//! completes every step whose check holds, in order.
//!
//! Steps are addressed by their index in `lesson.steps` (0-based); `Step::number` is the
//! 1-based number a learner reads.
//!
//! Must not import: the TUI, terminals, tokio, std::fs, std::process or any real clock.

mod by_effect;
mod chapter_record;
mod delta;
pub mod evaluate;
mod hint;
pub mod lesson_run;
pub mod progress;
mod record;
pub mod replay;
pub mod start;

#[cfg(test)]
mod evaluate_tests;
#[cfg(test)]
mod tests;

use std::time::Duration;

use crate::content::{self, Lesson, Response, Score};
use crate::engine::Cluster;
use crate::shell::{Output, Shell};
pub use evaluate::{EvalContext, Gap, Unmet, evaluate, evaluate_step};
pub use hint::Hint;
pub use lesson_run::{ChapterScore, play_lesson, play_workshop, run_lesson};
use progress::{Checkpoint, MAX_RAN_PER_STEP, RanCommand};
pub use progress::{Progress, StepRecord};
pub use replay::{Replay, first_session, play_step, start_at_chapter};

/// Where a step stands for the learner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum StepStatus {
    Done,
    Current,
    /// Not reached yet, or skipped without its check holding.
    Pending,
}

/// A request the session cannot satisfy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionError {
    /// The lesson has no quiz.
    NoQuiz,
    /// The quiz has no question with this index.
    NoSuchQuestion(usize),
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionError::NoQuiz => write!(f, "this lesson has no quiz"),
            SessionError::NoSuchQuestion(i) => write!(f, "the quiz has no question {}", i + 1),
        }
    }
}

impl std::error::Error for SessionError {}

/// A learner working through one lesson.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Session {
    lesson: Lesson,
    progress: Progress,
    /// The current step's check as last evaluated, and the state it was evaluated in: checks
    /// run again only when the cluster, the files, the directory, the commands run or the step
    /// moved (never saved).
    #[serde(skip)]
    last_check: Option<(CheckInputs, Unmet)>,
    /// Command lines submitted since this session started (never saved).
    #[serde(skip)]
    submitted: u64,
    /// Checks evaluated by [`Session::complete_met_steps`] since this session started.
    #[serde(skip)]
    evaluations: u64,
}

/// What a step's check can depend on: a check evaluated on equal inputs gives the same answer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CheckInputs {
    step: usize,
    resource_version: u64,
    files: u64,
    cwd: String,
    submitted: u64,
}

impl Session {
    /// A fresh KinD cluster made from `seed`, a fresh shell, at the lesson's first step.
    pub fn new(lesson: Lesson, seed: u64, workers: usize) -> Session {
        let progress = Progress::start_from(
            lesson.start,
            seed,
            workers,
            lesson.steps.len(),
            questions(&lesson),
        );
        Session::resume(lesson, progress)
    }

    /// Continues saved progress on `lesson` (loaded again from its source).
    pub fn resume(lesson: Lesson, mut progress: Progress) -> Session {
        progress.fit(lesson.steps.len(), questions(&lesson));
        let mut session = Session {
            lesson,
            progress,
            last_check: None,
            submitted: 0,
            evaluations: 0,
        };
        if session.progress.checkpoint.is_none() {
            session.begin_current_step();
        }
        session.complete_met_steps();
        session
    }

    /// Runs one command line (heredoc bodies included) in the shell, records it as run during
    /// the current step, then completes every step whose check now holds.
    pub fn submit(&mut self, line: &str) -> Output {
        self.submitted += 1;
        let p = &mut self.progress;
        let before = progress::last_change(&p.cluster);
        let out = p.shell.run(line, &mut p.cluster);
        let changed = progress::touched_since(&p.cluster, before);
        let entry = line.trim_end_matches('\n');
        if let Some(record) = p.steps.get_mut(p.current)
            && !entry.trim().is_empty()
        {
            if record.ran.len() >= MAX_RAN_PER_STEP {
                record.ran.remove(0);
            }
            // A stream the learner stopped with Ctrl-C (or headless, its bound) ran as it
            // should: `kubectl get -w` and an endless loop end no other way.
            let stopped = matches!(
                p.shell.last_stop(),
                Some(crate::shell::stream::Stop::Interrupt | crate::shell::stream::Stop::Bound)
            );
            record.ran.push(RanCommand {
                line: entry.to_string(),
                status: if stopped { 0 } else { out.status },
                at: p.cluster.now(),
                changed,
            });
        }
        self.complete_met_steps();
        out
    }

    /// Moves the cluster's clock on by `dt`, then completes the steps whose checks now hold
    /// (pods starting or going away can complete a step without a command).
    pub fn advance(&mut self, dt: Duration) {
        self.progress.cluster.advance(dt);
        self.complete_met_steps();
    }

    /// Lets the cluster run until nothing more happens on its own, or `limit` has passed;
    /// returns the simulated time that passed. Checks are evaluated once, at the end.
    pub fn settle(&mut self, limit: Duration) -> Duration {
        let passed = self.progress.cluster.settle(limit);
        self.complete_met_steps();
        passed
    }

    /// The index of the step the learner is on; `None` once every step is behind them.
    pub fn current_step(&self) -> Option<usize> {
        (self.progress.current < self.lesson.steps.len()).then_some(self.progress.current)
    }

    pub fn step_status(&self, index: usize) -> StepStatus {
        let done = self
            .progress
            .steps
            .get(index)
            .is_some_and(|r| r.completed_at.is_some());
        if done {
            StepStatus::Done
        } else if index == self.progress.current {
            StepStatus::Current
        } else {
            StepStatus::Pending
        }
    }

    /// What the current step's check still waits for; `None` when no step is current.
    pub fn waiting_for(&self) -> Option<Unmet> {
        let index = self.current_step()?;
        match &self.last_check {
            Some((inputs, unmet)) if *inputs == self.check_inputs(index) => Some(unmet.clone()),
            _ => self.check_step(index).err(),
        }
    }

    /// How many times a step's check was evaluated as the session moved (for tests and
    /// benchmarks: it stays put while nothing a check reads changes).
    pub fn check_evaluations(&self) -> u64 {
        self.evaluations
    }

    /// The state step `index`'s check would be evaluated in now.
    fn check_inputs(&self, index: usize) -> CheckInputs {
        let p = &self.progress;
        CheckInputs {
            step: index,
            resource_version: p.cluster.resource_version(),
            files: p.shell.vfs().generation(),
            cwd: p.shell.cwd().to_string(),
            submitted: self.submitted,
        }
    }

    /// Evaluates step `index` now, against the commands run while it was current.
    pub fn check_step(&self, index: usize) -> Result<(), Unmet> {
        let Some(step) = self.lesson.steps.get(index) else {
            return Ok(());
        };
        let ran = self
            .progress
            .steps
            .get(index)
            .map_or(&[][..], |r| r.ran.as_slice());
        let ctx = EvalContext {
            cluster: &self.progress.cluster,
            vfs: self.progress.shell.vfs(),
            cwd: self.progress.shell.cwd(),
            ran,
        };
        evaluate_step(step, &ctx)
    }

    /// Moves on to the next step without its check holding (it stays pending).
    pub fn skip_step(&mut self) {
        if self.current_step().is_some() {
            self.progress.current += 1;
            self.begin_current_step();
            self.complete_met_steps();
        }
    }

    pub fn cluster(&self) -> &Cluster {
        &self.progress.cluster
    }

    /// Puts the shell's way of letting time pass in place (the TUI's streaming waiter).
    pub fn set_pace(&mut self, pace: crate::shell::stream::Pace) {
        self.progress.shell.set_pace(pace);
    }

    /// Shows `cluster` in this session: for the copy the TUI draws while the real session
    /// runs a streaming command line on another thread (the copy is replaced at its end).
    pub fn mirror_cluster(&mut self, cluster: Cluster) {
        self.progress.cluster = cluster;
    }

    pub fn shell(&self) -> &Shell {
        &self.progress.shell
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    /// The plain data to save; [`Session::resume`] takes it back.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Notes that the tutor played step `index` for the learner (a replayed chapter).
    pub fn mark_replayed(&mut self, index: usize) {
        if let Some(record) = self.progress.steps.get_mut(index) {
            record.replayed = true;
        }
    }

    /// Notes that the learner asked what the current step waits for.
    pub fn record_hint(&mut self) {
        if let Some(record) = self.progress.steps.get_mut(self.progress.current) {
            record.hints = record.hints.saturating_add(1);
        }
    }

    /// Notes that the learner had the current step's command handed to them.
    pub fn record_solution(&mut self) {
        if let Some(record) = self.progress.steps.get_mut(self.progress.current) {
            record.solutions = record.solutions.saturating_add(1);
        }
    }

    /// Undoes the current step: the cluster's objects and the learner's files, variables and
    /// directory go back to how the step found them, and its commands are forgotten. The clock
    /// does not go back: the restored cluster runs forward to the present, as if the step's
    /// commands had never been typed. Shell history and the help used are kept.
    pub fn reset_step(&mut self) {
        let Some(checkpoint) = self.progress.checkpoint.clone() else {
            return;
        };
        let p = &mut self.progress;
        let now = p.cluster.now();
        let Checkpoint { mut cluster, shell } = *checkpoint;
        let behind = now.since(cluster.now()).0;
        if behind > 0 {
            cluster.advance(Duration::from_millis(behind.unsigned_abs()));
        }
        p.cluster = cluster;
        restore_shell(&mut p.shell, shell);
        // The restored world may repeat an earlier state's numbers: evaluate afresh.
        self.last_check = None;
        if let Some(record) = p.steps.get_mut(p.current) {
            record.ran.clear();
        }
        self.begin_current_step();
        self.complete_met_steps();
    }

    /// Starts the lesson over: the same cluster the seed made at the start, fresh files and
    /// variables, every step pending and the quiz unanswered. Shell history is kept.
    pub fn reset_lesson(&mut self) {
        let p = &self.progress;
        // Made as the lesson's first session is (`replay::first_session`), so a workshop
        // started over, or entered at a later chapter, starts from the same world.
        let mut fresh = replay::first_session(self.lesson.clone(), p.seed, p.workers).progress;
        let mut shell = std::mem::take(&mut self.progress.shell);
        restore_shell(&mut shell, fresh.shell);
        fresh.shell = shell;
        self.progress = fresh;
        self.last_check = None;
        self.begin_current_step();
        self.complete_met_steps();
    }

    /// Stores the answer to quiz question `question` (index in source order).
    pub fn answer(&mut self, question: usize, response: Response) -> Result<(), SessionError> {
        if self.lesson.quiz.is_none() {
            return Err(SessionError::NoQuiz);
        }
        let slot = self
            .progress
            .answers
            .get_mut(question)
            .ok_or(SessionError::NoSuchQuestion(question))?;
        *slot = response;
        Ok(())
    }

    /// The quiz's score with the answers given so far; `None` when the lesson has no quiz.
    pub fn score(&self) -> Option<Score> {
        let quiz = self.lesson.quiz.as_ref()?;
        Some(content::score(quiz, &self.progress.answers))
    }

    /// Completes the current step while its check holds, moving on each time. A check that
    /// failed is not evaluated again until something it reads has changed.
    fn complete_met_steps(&mut self) {
        while let Some(index) = self.current_step() {
            let inputs = self.check_inputs(index);
            if self.last_check.as_ref().is_some_and(|(i, _)| *i == inputs) {
                break;
            }
            self.evaluations += 1;
            if let Err(unmet) = self.check_step(index) {
                self.last_check = Some((inputs, unmet));
                break;
            }
            let now = self.progress.cluster.now();
            if let Some(record) = self.progress.steps.get_mut(index) {
                record.completed_at = Some(now);
            }
            self.progress.current += 1;
            self.begin_current_step();
        }
    }

    /// Stamps the current step's start (once) and keeps the world as it found it.
    fn begin_current_step(&mut self) {
        let p = &mut self.progress;
        let now = p.cluster.now();
        match p.steps.get_mut(p.current) {
            Some(record) => {
                record.started_at.get_or_insert(now);
                p.checkpoint = Some(Box::new(Checkpoint {
                    cluster: p.cluster.clone(),
                    shell: p.shell.clone(),
                }));
            }
            None => p.checkpoint = None,
        }
    }
}

fn questions(lesson: &Lesson) -> usize {
    lesson.quiz.as_ref().map_or(0, |q| q.questions.len())
}

/// Puts `saved`'s files, directory and variables into `shell`, keeping `shell`'s history.
fn restore_shell(shell: &mut Shell, saved: Shell) {
    shell.vfs = saved.vfs;
    shell.cwd = saved.cwd;
    shell.vars = saved.vars;
    shell.last_status = 0;
}
