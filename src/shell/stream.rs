//! The streaming seam: every place where simulated time passes inside a command line
//! (`sleep`, `kubectl get -w`, `kubectl logs -f`, `watch`, `timeout`) calls one hook,
//! [`Shell::wait`], which hands the text printed to the terminal so far to a [`Waiter`],
//! lets the cluster's clock move, and says whether to go on.
//!
//! - Text a command prints to the terminal (not piped, redirected or captured by `$( )`)
//!   goes to the [`Pace`]'s live buffer as soon as the command returns; the TUI's waiter
//!   shows it and empties the buffer at each wait, the headless one leaves it for the end.
//! - A wait can stop the command line: Ctrl-C in the TUI ([`Stop::Interrupt`]), the deadline
//!   of a `timeout` around it ([`Stop::Timeout`]), or headless, the default bound on
//!   open-ended streams ([`Stop::Bound`], [`HEADLESS_STREAM_BOUND`]). A stop unwinds the
//!   whole command line as bash does on SIGINT (status 130); `timeout` catches its own
//!   deadline and returns 124, and the commands after it run.
//! - A nested shell (a command run inside a container) waits through the same pace: take
//!   it with [`Shell::lend_pace`] and give it back the same way.
//!
//! Must not import the TUI, tokio or a real clock: the waiter is where real time enters.

pub(crate) mod logs_follow;
pub(crate) mod rollout_status;
pub(crate) mod timeout;
pub(crate) mod watch_cmd;
pub(crate) mod watch_get;

#[cfg(test)]
mod tests;

use std::time::Duration;

use super::exec::push_capped;
use super::{Flow, Output, Shell};
use crate::engine::Cluster;
use crate::engine::clock::SimTime;

/// Headless (`kubetutor shell`, `lesson run`), the simulated time a command line may spend
/// in open-ended waits (`kubectl get -w`, `logs -f`, `watch`, `sleep` inside a `while` or
/// `until` loop) before it is stopped as if Ctrl-C was pressed.
pub const HEADLESS_STREAM_BOUND: Duration = Duration::from_secs(60);

/// The status of a command line stopped by Ctrl-C or by the headless bound (bash: 128+SIGINT).
pub const INTERRUPT_STATUS: i32 = 130;

/// What headless says when it stopped a stream at [`HEADLESS_STREAM_BOUND`].
pub fn bound_note() -> String {
    format!(
        "kubetutor: stopped after {}s of simulated time, as if Ctrl-C was pressed (streams have no end without a terminal; `timeout N COMMAND` sets another bound)\n",
        HEADLESS_STREAM_BOUND.as_secs()
    )
}

/// Whether a wait ends on its own or only when stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitKind {
    /// `sleep N` outside a `while`/`until` loop: it ends by itself.
    Finite,
    /// A watch, a follow, `watch`, or a `sleep` in a loop that may never end.
    Open,
}

/// Why a command line stopped at a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The learner pressed Ctrl-C.
    Interrupt,
    /// The deadline of the `timeout` at this nesting level (0 = outermost) came.
    Timeout(usize),
    /// Headless: [`HEADLESS_STREAM_BOUND`] of open-ended waiting passed.
    Bound,
}

/// What the waiter says after a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    /// The time passed: go on.
    Done,
    /// Ctrl-C came before the time passed (the clock moved as far as it got).
    Interrupted,
}

/// Where time passes: the TUI's waiter waits at the clock's speed and listens for Ctrl-C;
/// the headless one lets the time pass at once.
pub trait Waiter: Send {
    /// Lets `dt` of simulated time pass on `cluster`. `live` holds the text printed to the
    /// terminal since the last wait: a waiter that shows it empties it.
    fn wait(&mut self, cluster: &mut Cluster, dt: Duration, live: &mut Output) -> Waited;
}

/// The headless waiter: the time passes at once, the text stays for the end of the line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Instant;

impl Waiter for Instant {
    fn wait(&mut self, cluster: &mut Cluster, dt: Duration, _live: &mut Output) -> Waited {
        cluster.advance(dt);
        Waited::Done
    }
}

/// A shell's way of letting time pass, and what it printed to the terminal meanwhile.
pub struct Pace {
    /// In a mutex only so that a shell can be shared between threads (`Sync`); one
    /// thread runs a command line at a time.
    waiter: std::sync::Mutex<Box<dyn Waiter>>,
    /// Headless: the open-ended waiting a command line may do ([`HEADLESS_STREAM_BOUND`]).
    bound: Option<Duration>,
    /// What is left of `bound` for the command line running now.
    bound_left: Option<Duration>,
    pub(crate) live: Output,
    /// The deadlines of the `timeout`s running now, outermost first.
    pub(crate) deadlines: Vec<SimTime>,
    /// Why the running command line stopped, once it has.
    pub(crate) stopped: Option<Stop>,
}

impl Default for Pace {
    /// Headless: time passes at once, open-ended streams stop after [`HEADLESS_STREAM_BOUND`].
    fn default() -> Pace {
        Pace {
            waiter: std::sync::Mutex::new(Box::new(Instant)),
            bound: Some(HEADLESS_STREAM_BOUND),
            bound_left: Some(HEADLESS_STREAM_BOUND),
            live: Output::default(),
            deadlines: Vec::new(),
            stopped: None,
        }
    }
}

/// A copy of a shell (a step's checkpoint) waits headless: the waiter belongs to the
/// terminal the original runs in.
impl Clone for Pace {
    fn clone(&self) -> Pace {
        Pace::default()
    }
}

impl std::fmt::Debug for Pace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pace")
            .field("bound", &self.bound)
            .field("deadlines", &self.deadlines)
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

impl Pace {
    /// A pace that waits through `waiter` with no bound of its own (the TUI: Ctrl-C ends
    /// streams).
    pub fn interactive(waiter: Box<dyn Waiter>) -> Pace {
        Pace {
            waiter: std::sync::Mutex::new(waiter),
            bound: None,
            bound_left: None,
            ..Pace::default()
        }
    }

    /// Whether a terminal shows the text as it comes (the TUI), not at the end.
    pub(crate) fn is_interactive(&self) -> bool {
        self.bound.is_none()
    }

    /// Starts a command line: no stop, the full bound.
    fn begin(&mut self) {
        self.stopped = None;
        self.deadlines.clear();
        self.bound_left = self.bound;
    }
}

/// Where a command's stdout or stderr ends up while the command line runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Dest {
    /// Held in the command's output (piped, redirected, captured or a nested shell's).
    #[default]
    Held,
    /// The terminal's stdout.
    LiveOut,
    /// The terminal's stderr.
    LiveErr,
}

/// Where one of a command's fds was sent by its redirections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DestOf {
    Stdout,
    Stderr,
    File,
}

impl Shell {
    /// Puts this shell's waiter in place (the TUI's, for the length of a command line).
    pub fn set_pace(&mut self, pace: Pace) {
        self.pace = pace;
    }

    /// Takes this shell's pace back out (a headless one is left in its place).
    pub fn take_pace(&mut self) -> Pace {
        std::mem::take(&mut self.pace)
    }

    /// Swaps paces with `other`: a nested shell (a command run in a container) waits through
    /// its parent's pace and stops when it stops; call again to give it back.
    pub fn lend_pace(&mut self, other: &mut Shell) {
        std::mem::swap(&mut self.pace, &mut other.pace);
    }

    /// Why the last command line stopped at a wait (Ctrl-C, a `timeout`, the headless bound).
    pub fn last_stop(&self) -> Option<Stop> {
        self.last_stop
    }

    /// Called when a command line starts: terminal-bound text goes live.
    pub(crate) fn begin_stream(&mut self) {
        self.pace.begin();
        self.last_stop = None;
        self.out_dest = Dest::LiveOut;
        self.err_dest = Dest::LiveErr;
        self.open_loops = 0;
    }

    /// Called when a command line ends: what is still live comes first in its output.
    pub(crate) fn end_stream(&mut self, out: &mut Output) {
        self.out_dest = Dest::Held;
        self.err_dest = Dest::Held;
        let live = std::mem::take(&mut self.pace.live);
        out.stdout.insert_str(0, &live.stdout);
        out.stderr.insert_str(0, &live.stderr);
        self.last_stop = self.pace.stopped.take();
        self.pace.deadlines.clear();
        if self.last_stop == Some(Stop::Bound) {
            out.stderr.push_str(&bound_note());
        }
    }

    /// Moves what `result` (a command's output, routed) holds for the terminal into the
    /// live buffer, as its destinations say.
    pub(crate) fn emit_live(&mut self, result: &mut Output) {
        let stdout = std::mem::take(&mut result.stdout);
        let stderr = std::mem::take(&mut result.stderr);
        match self.out_dest {
            Dest::Held => result.stdout = stdout,
            Dest::LiveOut => push_capped(&mut self.pace.live.stdout, &stdout),
            Dest::LiveErr => push_capped(&mut self.pace.live.stderr, &stdout),
        }
        match self.err_dest {
            Dest::Held => result.stderr = stderr,
            Dest::LiveOut => push_capped(&mut self.pace.live.stdout, &stderr),
            Dest::LiveErr => push_capped(&mut self.pace.live.stderr, &stderr),
        }
    }

    /// The destination of a command's fd whose sink is `sink`, inside a command whose
    /// stdout and stderr go to the shell's current destinations.
    pub(crate) fn dest_of(&self, to: DestOf) -> Dest {
        match to {
            DestOf::Stdout => self.out_dest,
            DestOf::Stderr => self.err_dest,
            DestOf::File => Dest::Held,
        }
    }

    /// Prints `text` on the command's stdout now: to the terminal when that is where it goes
    /// (the next wait shows it), else into `held`, the command's own output.
    pub(crate) fn print_now(&mut self, held: &mut Output, text: &str) {
        match self.out_dest {
            Dest::Held => push_capped(&mut held.stdout, text),
            Dest::LiveOut => push_capped(&mut self.pace.live.stdout, text),
            Dest::LiveErr => push_capped(&mut self.pace.live.stderr, text),
        }
    }

    /// Prints `text` on the command's stderr now (see [`Shell::print_now`]).
    pub(crate) fn print_err_now(&mut self, held: &mut Output, text: &str) {
        match self.err_dest {
            Dest::Held => push_capped(&mut held.stderr, text),
            Dest::LiveOut => push_capped(&mut self.pace.live.stdout, text),
            Dest::LiveErr => push_capped(&mut self.pace.live.stderr, text),
        }
    }

    /// The one hook through which simulated time passes inside a command line: lets `dt`
    /// pass (less when a stop comes first), showing what was printed so far. On a stop the
    /// whole command line unwinds (bash's SIGINT); `Err` says why.
    pub(crate) fn wait(
        &mut self,
        cluster: &mut Cluster,
        dt: Duration,
        kind: WaitKind,
    ) -> Result<(), Stop> {
        if let Some(stop) = self.pace.stopped {
            return Err(stop);
        }
        let kind = if self.open_loops > 0 {
            WaitKind::Open
        } else {
            kind
        };
        let mut span = dt;
        let mut stop = None;
        let now = cluster.now();
        let earliest = self
            .pace
            .deadlines
            .iter()
            .enumerate()
            .min_by_key(|(i, d)| (**d, *i));
        if let Some((i, deadline)) = earliest {
            let left = Duration::from_millis(deadline.0.saturating_sub(now.0).max(0) as u64);
            if span >= left {
                span = left;
                stop = Some(Stop::Timeout(i));
            }
        }
        // An explicit `timeout` is the bound while it runs.
        let bounded = kind == WaitKind::Open && self.pace.deadlines.is_empty();
        if bounded
            && let Some(left) = self.pace.bound_left
            && span > left
        {
            span = left;
            stop = Some(Stop::Bound);
        }
        let pace = &mut self.pace;
        let waiter = pace
            .waiter
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if waiter.wait(cluster, span, &mut pace.live) == Waited::Interrupted {
            stop = Some(Stop::Interrupt);
        }
        if bounded && let Some(left) = self.pace.bound_left.as_mut() {
            *left = left.saturating_sub(span);
        }
        self.vfs.set_now(cluster.now().as_secs());
        if !span.is_zero() {
            // Time passed for real: a loop that waits is no runaway, so the per-line
            // budgets count from here.
            self.steps = 0;
            self.printed_bytes = 0;
            self.expanded_bytes = 0;
            self.read_bytes = 0;
        }
        match stop {
            Some(stop) => {
                self.pace.stopped = Some(stop);
                self.flow = Some(Flow::Abort);
                Err(stop)
            }
            None => Ok(()),
        }
    }
}
