//! The app while a command line streams on the worker thread (see [`crate::tui::stream`]):
//! which keys still work (scrolling, focus, help, zoom, pause and speed), Ctrl-C and quit
//! becoming an interrupt, real ticks becoming grants of simulated time, and the worker's
//! reports shown as they come.
//!
//! Must not import tokio or touch the real clock or files.

use crate::engine::{Cluster, SimTime};
use crate::session::Session;
use crate::shell::Output;
use crate::tui::action::Action;
use crate::tui::app::{App, SETTLE_LIMIT};
use crate::tui::stream::Control;
use crate::tui::view::{LineKind, MessageKind, Run};

/// What a terminal's `clear` prints (home the cursor, erase the screen).
const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J";

/// Whether a report changed what the screen shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redraw {
    Yes,
    No,
}

impl App {
    /// A complete command line that should run as a stream, once; the driver starts it.
    pub fn take_queued(&mut self) -> Option<String> {
        self.queued.take()
    }

    /// Whether a command line is running on the worker.
    pub fn is_streaming(&self) -> bool {
        self.streaming
    }

    /// The driver started the queued line.
    pub fn stream_started(&mut self) {
        self.streaming = true;
    }

    /// What the driver must send the worker, oldest first.
    pub fn take_controls(&mut self) -> Vec<Control> {
        std::mem::take(&mut self.outbox)
    }

    /// One action while a line streams: `session` is the copy being drawn.
    pub(super) fn update_streaming(&mut self, action: Action, session: &mut Session) {
        match action {
            Action::Tick(real) => {
                if self.run == Run::Running && !real.is_zero() {
                    self.outbox.push(Control::Grant(real * self.speed.factor()));
                }
            }
            Action::Settle => {
                self.outbox.push(Control::Grant(SETTLE_LIMIT));
                self.say(
                    format!("granted {}s to the running command", SETTLE_LIMIT.as_secs()),
                    MessageKind::Info,
                );
            }
            Action::CancelLine => self.outbox.push(Control::Interrupt),
            Action::Quit => {
                self.quit = true;
                self.outbox.push(Control::Interrupt);
            }
            Action::Resize { .. }
            | Action::ScrollTerminal(_)
            | Action::Scroll { .. }
            | Action::ScrollLesson(_)
            | Action::PageLesson(_)
            | Action::LessonTop
            | Action::LessonBottom
            | Action::FollowStep
            | Action::JumpSection(_)
            | Action::CycleFocus
            | Action::FocusTerminal
            | Action::ToggleZoom
            | Action::ToggleTopPane
            | Action::SelectNode(_)
            | Action::ExplainNode
            | Action::ToggleSystemPods
            | Action::ShowHelp
            | Action::ScrollHelp(_)
            | Action::CloseOverlay
            | Action::TogglePause
            | Action::CycleSpeed => {
                self.streaming = false;
                self.update(action, session);
                self.streaming = true;
            }
            _ => self.say("a command is running: Ctrl-C stops it", MessageKind::Info),
        }
    }

    /// The worker waits: shows what it printed and the cluster as it is now; says whether
    /// the screen changed (a quiet wait in the same second draws nothing new).
    pub fn stream_blocked(
        &mut self,
        out: &Output,
        now: SimTime,
        cluster: Option<Cluster>,
        session: &mut Session,
    ) -> Redraw {
        let second = |t: Option<SimTime>| t.map(|t| t.as_secs());
        let changed = !out.stdout.is_empty()
            || !out.stderr.is_empty()
            || cluster.is_some()
            || second(self.stream_now) != second(Some(now));
        self.show_lines(out);
        self.stream_now = Some(now);
        if let Some(cluster) = cluster {
            session.mirror_cluster(cluster);
            self.map.update(session.cluster());
        }
        if changed { Redraw::Yes } else { Redraw::No }
    }

    /// The line ended: `session` is the real one again.
    pub fn stream_done(&mut self, out: &Output, interrupted: bool, session: &mut Session) {
        self.streaming = false;
        self.stream_now = None;
        self.outbox.clear();
        if interrupted {
            // A terminal echoes the Ctrl-C where the cursor is; bash drops what was typed
            // ahead.
            self.push_line("^C", LineKind::Stdout);
            self.paste_rest = None;
        }
        self.show_result(out, session);
        self.map.update(session.cluster());
        if let Some(rest) = self.paste_rest.take()
            && !self.quit
        {
            self.paste(&rest, session);
        }
    }

    /// The terminal pane's lines, oldest first (for tests and the harness).
    pub fn scrollback(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.text.clone()).collect()
    }

    /// Pushes `out`'s lines (stdout, then stderr) into the scrollback.
    pub(super) fn show_lines(&mut self, out: &Output) {
        let mut stdout = out.stdout.as_str();
        // `watch` (and `clear` in a loop) start a fresh screen: the pane clears.
        if let Some(i) = stdout.rfind(CLEAR_SCREEN) {
            self.lines.clear();
            stdout = &stdout[i + CLEAR_SCREEN.len()..];
        }
        for l in stdout.lines() {
            self.push_line(l, LineKind::Stdout);
        }
        for l in out.stderr.lines() {
            self.push_line(l, LineKind::Stderr);
        }
    }
}
