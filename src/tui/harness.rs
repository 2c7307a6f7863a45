//! A driver for tests and benchmarks: the real app and session drawn on ratatui's
//! `TestBackend`, with keys pressed, lines typed and simulated time advanced by hand. No real
//! clock and no sleeps: time moves only through [`Harness::advance`].
//!
//! Must not import tokio or touch files.

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::content;
use crate::engine::bootstrap::DEFAULT_WORKERS;
use crate::session::Session;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap;
use crate::tui::stream::{Report, Running};
use crate::tui::theme::{PLAIN, Theme};

/// The seed screen tests use, so pod names are the same on every run.
pub const SEED: u64 = 7;

pub struct Harness {
    pub app: App,
    pub session: Session,
    terminal: Terminal<TestBackend>,
    theme: &'static Theme,
    /// The streaming line running on its worker (with [`Harness::enable_streams`]).
    running: Option<Running>,
}

impl Harness {
    /// The built-in lesson on a fresh seeded cluster, at `width` x `height`, without colour.
    pub fn new(width: u16, height: u16) -> Harness {
        Harness::with_workers(width, height, DEFAULT_WORKERS)
    }

    /// As [`Harness::new`], with another number of worker nodes.
    pub fn with_workers(width: u16, height: u16, workers: usize) -> Harness {
        let lesson = content::builtin_lessons()
            .ok()
            .and_then(|l| l.into_iter().next())
            .unwrap_or_else(empty_lesson);
        let session = Session::new(lesson, SEED, workers);
        Harness::with_session(session, width, height)
    }

    pub fn with_session(session: Session, width: u16, height: u16) -> Harness {
        let app = App::new(&session, width, height);
        let terminal = match Terminal::new(TestBackend::new(width, height)) {
            Ok(t) => t,
            Err(never) => match never {},
        };
        Harness {
            app,
            session,
            terminal,
            theme: &PLAIN,
            running: None,
        }
    }

    /// Runs lines that may wait as the real loop does: on a worker, time passing only
    /// through [`Harness::advance`] (each call answered before it returns).
    pub fn enable_streams(&mut self) {
        self.app.enable_streams();
    }

    /// Whether a streaming line is still running.
    pub fn is_streaming(&self) -> bool {
        self.running.is_some()
    }

    /// Feeds one terminal event through the keymap, as the real loop does.
    pub fn event(&mut self, event: Event) {
        if let Some(action) = keymap::action_for(self.app.mode(), &event) {
            self.app.update(action, &mut self.session);
        }
        self.pump();
    }

    /// Starts a queued streaming line and passes controls and reports, waiting for the
    /// one report each control gets, so every run sees the same output.
    fn pump(&mut self) {
        if self.running.is_none()
            && let Some(line) = self.app.take_queued()
        {
            match Running::start(self.session.clone(), line) {
                Ok(r) => {
                    self.running = Some(r);
                    self.app.stream_started();
                    self.receive();
                }
                Err(e) => {
                    // A worker that could not start: said in the terminal, the line not run.
                    let out = crate::shell::Output::err(
                        format!("kubetutor: cannot run the command: {e}\n"),
                        1,
                    );
                    self.app.stream_started();
                    self.app.stream_done(&out, false, &mut self.session);
                }
            }
        }
        for control in self.app.take_controls() {
            if let Some(r) = &self.running {
                r.send(control);
                self.receive();
            }
        }
    }

    /// Waits for the worker's next report and hands it to the app.
    fn receive(&mut self) {
        let Some(r) = self.running.as_mut() else {
            return;
        };
        match r.reports.blocking_recv() {
            Some(Report::Blocked { out, now, cluster }) => {
                self.app
                    .stream_blocked(&out, now, cluster.map(|c| *c), &mut self.session);
            }
            Some(Report::Done {
                session,
                out,
                interrupted,
            }) => {
                self.session = *session;
                self.running = None;
                self.app.stream_done(&out, interrupted, &mut self.session);
                // The rest of a paste may start another stream.
                self.pump();
            }
            None => self.running = None,
        }
    }

    /// Presses a key named like the help names them: `Enter`, `Tab`, `Esc`, `Up`, `F8`,
    /// `Ctrl-R`, `Shift-PageUp`, `Space`, or a single character.
    pub fn press(&mut self, name: &str) {
        let (modifiers, key) = match name.split_once('-') {
            Some(("Ctrl", k)) if !k.is_empty() => (KeyModifiers::CONTROL, k),
            Some(("Shift", k)) if !k.is_empty() => (KeyModifiers::SHIFT, k),
            _ => (KeyModifiers::NONE, name),
        };
        let code = match key {
            "Enter" => KeyCode::Enter,
            "Tab" => KeyCode::Tab,
            "Esc" => KeyCode::Esc,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            "Backspace" => KeyCode::Backspace,
            "Space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('F') => match f[1..].parse() {
                Ok(n) => KeyCode::F(n),
                Err(_) => return self.type_text(name),
            },
            // Terminals report Ctrl-letter as the lowercase letter with CONTROL.
            k if k.chars().count() == 1 && modifiers == KeyModifiers::CONTROL => {
                KeyCode::Char(k.chars().next().unwrap_or(' ').to_ascii_lowercase())
            }
            k if k.chars().count() == 1 => KeyCode::Char(k.chars().next().unwrap_or(' ')),
            _ => return self.type_text(name),
        };
        self.event(Event::Key(KeyEvent::new(code, modifiers)));
    }

    /// Types text key by key (newlines press Enter).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            self.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        }
    }

    /// Types a command line (several for a heredoc) and presses Enter.
    pub fn type_line(&mut self, line: &str) {
        self.type_text(line);
        self.press("Enter");
    }

    /// Pastes text as a terminal with bracketed paste delivers it.
    pub fn paste(&mut self, text: &str) {
        self.event(Event::Paste(text.to_string()));
    }

    /// Lets `secs` seconds of real time pass (the app applies pause and speed).
    pub fn advance(&mut self, secs: u64) {
        self.advance_millis(secs * 1000);
    }

    /// As [`Harness::advance`], in milliseconds.
    pub fn advance_millis(&mut self, millis: u64) {
        self.app.update(
            Action::Tick(Duration::from_millis(millis)),
            &mut self.session,
        );
        self.pump();
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.event(Event::Resize(width, height));
    }

    /// Draws a frame and returns the screen as text, one line per row, right-trimmed.
    pub fn screen(&mut self) -> String {
        let (app, session, theme) = (&self.app, &self.session, self.theme);
        let _ = self.terminal.draw(|f| app.render(f, session, theme));
        let buffer = self.terminal.backend().buffer();
        let width = usize::from(buffer.area.width);
        let mut out = String::new();
        for row in buffer.content.chunks(width.max(1)) {
            let line: String = row.iter().map(|c| c.symbol()).collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A stand-in when the built-in lesson cannot load (its own tests fail loudly then).
fn empty_lesson() -> content::Lesson {
    let text = "---\ntitle: \"Empty\"\n---\n";
    match content::load_lesson("empty.md", text) {
        Ok(l) => l,
        Err(_) => content::Lesson {
            meta: content::Meta::default(),
            sections: Vec::new(),
            steps: Vec::new(),
            quiz: None,
            warnings: Vec::new(),
            chapters: Vec::new(),
            start: content::Start::Tutor,
        },
    }
}
