//! The full-screen terminal interface: the only module that knows about terminals.
//!
//! One owner, one loop: [`run`] owns the terminal, the [`App`] and the session; crossterm's
//! event stream and one timer feed [`App::update`] through [`keymap::action_for`]; every
//! frame draws read-only `…View` values ([`view`]). The real clock lives here and only here
//! ([`RealClock`]); it turns wall time into `Action::Tick`. The timer wakes the loop often
//! while the cluster is changing and once a second while it is settled (so the status clock
//! moves with the simulated clock); paused, the loop sleeps until input. A burst of input is
//! handled whole, then drawn once. A command line that may wait (`sleep`, `-w`, `watch`,
//! loops …) runs on a worker thread ([`stream`]): the loop turns its ticks into grants of
//! simulated time and Ctrl-C into an interrupt, and draws the worker's reports as they come.
//!
//! May use the session, the content, the shell's parser and the engine's read API; must not
//! touch files (saving is the caller's, through the `save` callback).

pub mod action;
pub mod app;
mod app_chapters;
mod app_help;
mod app_quiz;
mod app_stream;
pub use app_stream::Redraw;
mod app_terminal;
mod app_view;
pub mod cluster_view;
pub mod completion;
pub mod harness;
pub mod keymap;
pub mod map_model;
pub mod map_services;
pub mod prompt;
pub mod quiz_state;
pub mod stream;
pub mod theme;
pub mod view;
pub mod widgets;

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    EventStream,
};
use futures_util::StreamExt;

pub use app::App;
use theme::ColorMode;

use crate::session::Session;
use action::Action;

/// Most events of one burst (a paste without bracketed paste, held keys) handled before the
/// frame is drawn; a longer burst draws in between.
pub const MAX_BURST: usize = 512;
/// Longest stretch of real time handed to the cluster at once (a laptop waking from sleep
/// should not make the simulation catch up on hours).
const MAX_LAP: Duration = Duration::from_secs(600);

/// How the tutor looks.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub color: ColorMode,
    /// `--chapter`: start the workshop over at this chapter (an index), the chapters before
    /// it replayed behind a progress bar once the screen is up.
    pub start_chapter: Option<usize>,
}

/// The one real clock of the program.
struct RealClock {
    last: Instant,
}

impl RealClock {
    // The TUI is where real time enters: it becomes `Action::Tick` durations, and the engine
    // only ever sees those (clippy.toml forbids `Instant::now` everywhere else).
    #[allow(clippy::disallowed_methods)]
    fn start() -> RealClock {
        RealClock {
            last: Instant::now(),
        }
    }

    /// The real time since the last lap.
    #[allow(clippy::disallowed_methods)]
    fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let d = now.saturating_duration_since(self.last);
        self.last = now;
        d.min(MAX_LAP)
    }
}

/// Runs the tutor until the learner quits (Ctrl-Q, `exit`) or the process is asked to stop
/// (SIGTERM, SIGINT, SIGHUP). `notices` (problems found before the start, such as a save
/// that could not be read) are shown on the first screen. `save` is called after every
/// completed step and once at the end. The terminal is restored on every way out, panics
/// included.
pub fn run(
    session: &mut Session,
    options: Options,
    notices: &[String],
    save: &mut dyn FnMut(&Session),
) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the tutor needs an interactive terminal (stdin and stdout); use `kubetutor shell` or `kubetutor lesson run` from a pipe",
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    install_panic_hook();
    let mut terminal = ratatui::try_init()?;
    let result = crossterm::execute!(io::stdout(), EnableBracketedPaste, EnableMouseCapture)
        .and_then(|()| {
            runtime.block_on(event_loop(&mut terminal, session, options, notices, save))
        });
    restore();
    save(session);
    result
}

/// Leaves mouse capture and bracketed paste, then raw mode and the alternate screen.
fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
}

/// ratatui's own hook (installed after this one, so run first) leaves raw mode and the
/// alternate screen; this one then turns off what ratatui does not know we turned on.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
        previous(info);
    }));
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    session: &mut Session,
    options: Options,
    notices: &[String],
    save: &mut dyn FnMut(&Session),
) -> io::Result<()> {
    let theme = options.color.theme();
    let size = terminal.size()?;
    let mut app = App::new(session, size.width, size.height);
    app.startup_notices(notices);
    if let Some(chapter) = options.start_chapter {
        app.start_chapter(chapter, session);
    }
    let mut events = EventStream::new();
    let mut clock = RealClock::start();
    let mut stop = Stop::new()?;
    app.enable_streams();
    let mut running: Option<stream::Running> = None;
    let mut redraw = Redraw::Yes;
    loop {
        if running.is_none() && app.take_save_request() {
            save(session);
        }
        if app.should_quit() && running.is_none() {
            return Ok(());
        }
        if running.is_none()
            && let Some(line) = app.take_queued()
        {
            running = Some(stream::Running::start(session.clone(), line)?);
            app.stream_started();
            clock.lap();
        }
        if let Some(r) = &running {
            for control in app.take_controls() {
                r.send(control);
            }
        }
        // Every way through the loop below is input, a tick, a report or a resize: each
        // redraws, except a streaming line's ticks and its reports that change nothing shown.
        if redraw == Redraw::Yes {
            terminal.draw(|f| app.render(f, session, theme))?;
        }
        redraw = Redraw::Yes;
        let tick = match &running {
            Some(_) if app.run == view::Run::Running => Some(app::BUSY_TICK),
            Some(_) => None,
            None => app.tick_interval(session),
        };
        let report = async {
            match running.as_mut() {
                Some(r) => r.reports.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => {
                    app.update(Action::Tick(clock.lap()), session);
                    handle(&mut app, session, &event);
                    // The rest of the burst, all of it before one frame: every burst ends
                    // with a redraw, and a long one does not draw once per key.
                    let more = drain_burst(&mut app, session, &mut events).await?;
                    if more == Input::Ended {
                        finish(&mut running, session).await;
                        return Ok(());
                    }
                }
                Some(Err(e)) => return Err(e),
                None => {
                    finish(&mut running, session).await;
                    return Ok(());
                }
            },
            () = tokio::time::sleep(tick.unwrap_or(Duration::MAX)), if tick.is_some() => {
                app.update(Action::Tick(clock.lap()), session);
                if running.is_some() {
                    // A grant: the worker's report says what changed.
                    redraw = Redraw::No;
                }
            }
            report = report => match report {
                Some(stream::Report::Blocked { out, now, cluster }) => {
                    redraw = app.stream_blocked(&out, now, cluster.map(|c| *c), session);
                }
                Some(stream::Report::Done { session: real, out, interrupted }) => {
                    *session = *real;
                    running = None;
                    app.stream_done(&out, interrupted, session);
                }
                None => {
                    running = None;
                    let out = crate::shell::Output::err("kubetutor: the command stopped unexpectedly\n", 1);
                    app.stream_done(&out, false, session);
                }
            },
            () = stop.requested() => {
                finish(&mut running, session).await;
                return Ok(());
            }
        }
    }
}

/// Stops a streaming line (as Ctrl-C) and takes the session back from the worker.
async fn finish(running: &mut Option<stream::Running>, session: &mut Session) {
    let Some(mut r) = running.take() else { return };
    r.send(stream::Control::Interrupt);
    while let Some(report) = r.reports.recv().await {
        if let stream::Report::Done { session: real, .. } = report {
            *session = *real;
            return;
        }
        r.send(stream::Control::Interrupt);
    }
}

/// Whether input can still arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Open,
    Ended,
}

/// Handles the events of a burst that are already waiting, at most [`MAX_BURST`], so that
/// the frame drawn next shows all of them. Each look polls `events` once with this task's
/// own waker (a zero timeout): crossterm's `EventStream` remembers the first waker it is
/// given while none is ready, so it must never be polled with a throwaway one.
pub async fn drain_burst<S>(
    app: &mut App,
    session: &mut Session,
    events: &mut S,
) -> io::Result<Input>
where
    S: futures_util::Stream<Item = io::Result<crossterm::event::Event>> + Unpin,
{
    for _ in 0..MAX_BURST {
        if app.should_quit() {
            break;
        }
        match tokio::time::timeout(Duration::ZERO, events.next()).await {
            Ok(Some(Ok(event))) => handle(app, session, &event),
            Ok(Some(Err(e))) => return Err(e),
            Ok(None) => return Ok(Input::Ended),
            Err(_) => break,
        }
    }
    Ok(Input::Open)
}

/// One terminal event through the keymap into the app.
fn handle(app: &mut App, session: &mut Session, event: &crossterm::event::Event) {
    if let Some(action) = keymap::action_for(app.mode(), event) {
        app.update(action, session);
    }
}

/// The signals that end the tutor cleanly (raw mode means Ctrl-C arrives as a key, not as
/// SIGINT; a SIGINT from elsewhere still quits).
#[cfg(unix)]
struct Stop {
    terminate: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Stop {
    fn new() -> io::Result<Stop> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Stop {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    async fn requested(&mut self) {
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.interrupt.recv() => {}
            _ = self.hangup.recv() => {}
        }
    }
}

#[cfg(not(unix))]
struct Stop;

#[cfg(not(unix))]
impl Stop {
    fn new() -> io::Result<Stop> {
        Ok(Stop)
    }

    async fn requested(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
