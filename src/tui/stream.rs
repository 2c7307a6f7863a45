//! Streaming command lines in the TUI: a line that may wait (`sleep`, `-w`, `watch`,
//! `timeout`, loops …) runs on a worker thread that owns the session while it runs; the UI
//! thread keeps a copy to draw, and talks to the worker over two channels.
//!
//! - UI → worker ([`Control`]): `Grant(d)`, simulated time the worker may let pass (the
//!   UI's real ticks times the clock's speed; nothing while paused; F7 grants a minute),
//!   and `Interrupt` (Ctrl-C, quit).
//! - Worker → UI ([`Report`]): `Blocked` each time the command line waits for more time,
//!   with the text printed since the last report and a copy of the cluster for the map;
//!   `Done` at the end, with the session handed back and the rest of the output.
//!
//! Every grant and every interrupt is answered by exactly one report, so a driver that
//! grants fixed amounts (the test harness) sees the same output every run: the command
//! line's output depends only on the grants and on where the interrupt falls between them.
//! The worker blocks on its channel between grants and the UI on its event stream: no
//! thread spins while a stream waits.
//!
//! Must not touch files or the real clock (time arrives as grants).

use std::sync::mpsc;
use std::time::Duration;

use crate::engine::{Cluster, SimTime};
use crate::session::Session;
use crate::shell::Output;
use crate::shell::stream::{Pace, Waited, Waiter};

/// What the UI tells the running command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// This much more simulated time may pass.
    Grant(Duration),
    /// Ctrl-C.
    Interrupt,
}

/// What the running command line tells the UI.
pub enum Report {
    /// It waits for more time; `out` is what it printed since the last report, `now` the
    /// cluster's clock, `cluster` a copy for the map when an object changed since the last
    /// copy (copied only then: a long `sleep` on a quiet cluster costs no copies).
    Blocked {
        out: Output,
        now: SimTime,
        cluster: Option<Box<Cluster>>,
    },
    /// It ended; the session comes back with the rest of the output.
    Done {
        session: Box<Session>,
        out: Output,
        interrupted: bool,
    },
}

/// Words that make a command line run as a stream (it may wait on the simulated clock).
/// Anything else runs at once on the UI thread, as it always has.
const STREAMING_WORDS: &[&str] = &["sleep", "watch", "timeout", "while", "until"];

/// Whether `line` may wait on the clock (decided from its words, so deterministically):
/// `sleep`, `watch`, `timeout`, `while`/`until` loops, `kubectl get -w`, `logs -f`,
/// `rollout status`. A function defined earlier that sleeps is not seen: it runs at once.
pub fn may_stream(line: &str) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '{' | '}' | '`' | '$')
        })
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    words.iter().any(|w| STREAMING_WORDS.contains(w))
        || (has("get") && words.iter().any(|w| *w == "-w" || w.starts_with("--watch")))
        || (has("logs")
            && words
                .iter()
                .any(|w| *w == "-f" || w.starts_with("--follow")))
        || (has("rollout") && has("status"))
}

/// The worker's side of the channels: the waiter the shell calls.
struct Worker {
    control: mpsc::Receiver<Control>,
    reports: tokio::sync::mpsc::UnboundedSender<Report>,
    /// Time granted and not yet used.
    credit: Duration,
    /// The resourceVersion of the last copy sent.
    copied_rv: Option<u64>,
}

impl Waiter for Worker {
    fn wait(&mut self, cluster: &mut Cluster, dt: Duration, live: &mut Output) -> Waited {
        let mut left = dt;
        loop {
            let take = self.credit.min(left);
            if !take.is_zero() {
                cluster.advance(take);
                self.credit -= take;
                left -= take;
            }
            if left.is_zero() {
                return Waited::Done;
            }
            let rv = cluster.resource_version();
            let copy = (self.copied_rv != Some(rv)).then(|| Box::new(cluster.clone()));
            self.copied_rv = Some(rv);
            let report = Report::Blocked {
                out: std::mem::take(live),
                now: cluster.now(),
                cluster: copy,
            };
            if self.reports.send(report).is_err() {
                return Waited::Interrupted;
            }
            match self.control.recv() {
                Ok(Control::Grant(d)) => self.credit += d,
                Ok(Control::Interrupt) | Err(_) => {
                    self.credit = Duration::ZERO;
                    return Waited::Interrupted;
                }
            }
        }
    }
}

/// A command line running on the worker thread.
pub struct Running {
    control: mpsc::Sender<Control>,
    pub reports: tokio::sync::mpsc::UnboundedReceiver<Report>,
}

impl Running {
    /// Starts `line` on a worker thread that owns `session` until it is done.
    pub fn start(mut session: Session, line: String) -> std::io::Result<Running> {
        let (control, control_rx) = mpsc::channel();
        let (reports_tx, reports) = tokio::sync::mpsc::unbounded_channel();
        let worker = Worker {
            control: control_rx,
            reports: reports_tx.clone(),
            credit: Duration::ZERO,
            copied_rv: None,
        };
        std::thread::Builder::new()
            .name("command line".to_string())
            .spawn(move || {
                session.set_pace(Pace::interactive(Box::new(worker)));
                let out = session.submit(&line);
                session.set_pace(Pace::default());
                let interrupted =
                    session.shell().last_stop() == Some(crate::shell::stream::Stop::Interrupt);
                let _ = reports_tx.send(Report::Done {
                    session: Box::new(session),
                    out,
                    interrupted,
                });
            })?;
        Ok(Running { control, reports })
    }

    /// Sends a control; a worker that has ended ignores it.
    pub fn send(&self, control: Control) {
        let _ = self.control.send(control);
    }
}

#[cfg(test)]
mod tests {
    use super::may_stream;

    #[test]
    fn only_lines_that_may_wait_stream() {
        for line in [
            "sleep 5",
            "kubectl get pods -w",
            "kubectl -n dev get pods --watch-only",
            "kubectl logs -f demo",
            "kubectl rollout status ds/demo-daemon",
            "while true; do echo x; done",
            "timeout 5 kubectl get pods -w",
            "watch kubectl get pods",
            "x=$(sleep 1)",
        ] {
            assert!(may_stream(line), "{line}");
        }
        for line in [
            "kubectl apply -f ds.yaml",
            "cat <<EOF | kubectl apply -f -\nkind: Namespace\nEOF\n",
            "kubectl get pods -o wide",
            "kubectl rollout history ds/x",
            "echo sleeping",
        ] {
            assert!(!may_stream(line), "{line}");
        }
    }
}
