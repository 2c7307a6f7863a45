//! The terminal pane's half of [`App::update`]: running lines (with bash's `> ` continuation
//! for heredocs, open quotes and trailing pipes), pastes, completion, history, Ctrl-R, Ctrl-C,
//! Ctrl-L and scrolling back.
//!
//! Must not import tokio or touch the real clock or files.

use crate::session::Session;
use crate::shell::input::{Assembled, too_long_message};
use crate::shell::{MAX_INPUT_BYTES, Output};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::completion::complete;
use crate::tui::view::{LineKind, MessageKind};
use crate::tui::widgets::terminal_pane::rows_of;

/// What `clear` prints (home the cursor, erase the screen).
const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J";

impl App {
    /// `~/environment $ `, or `> ` while bash waits for the rest of a command.
    pub(super) fn prompt_text(&self, session: &Session) -> String {
        if self.pending.is_idle() {
            session.shell().prompt()
        } else {
            "> ".to_string()
        }
    }

    pub(super) fn update_terminal(&mut self, action: Action, session: &mut Session) {
        let history = session.shell().history();
        if self.prompt.search().is_some() {
            match action {
                Action::SearchHistory => self.prompt.search_older(history),
                Action::CancelLine => self.prompt.cancel_search(),
                Action::SubmitLine => {
                    self.prompt.accept_search(history);
                    self.submit(session);
                }
                Action::Edit(e) => self.prompt.search_edit(&e, history),
                _ => {}
            }
            return;
        }
        match action {
            Action::Edit(e) => {
                self.back = 0;
                self.prompt.edit(&e);
            }
            Action::SubmitLine => self.submit(session),
            Action::Paste(text) => self.paste(&text, session),
            Action::Complete => self.complete(session),
            // In a multi-line command Up/Down move between its lines first.
            Action::HistoryPrevious if !self.prompt.move_line(-1) => {
                self.prompt.history_previous(history);
            }
            Action::HistoryNext if !self.prompt.move_line(1) => {
                self.prompt.history_next(history);
            }
            Action::SearchHistory => self.prompt.search_older(history),
            Action::CancelLine => {
                let echo = format!("{}{}^C", self.prompt_text(session), self.prompt.input());
                self.push_line(&echo, LineKind::Command);
                self.prompt.take();
                self.pending.clear();
                self.back = 0;
            }
            Action::ClearTerminal => {
                self.lines.clear();
                self.back = 0;
            }
            Action::ScrollTerminal(d) => self.scroll_terminal(d),
            _ => {}
        }
    }

    /// Columns inside the terminal pane's border, at the current size and layout.
    fn terminal_width(&self) -> usize {
        let pane = crate::tui::widgets::areas(
            ratatui::layout::Rect::new(0, 0, self.width, self.height),
            self.layout(),
        )
        .terminal
        .map_or(self.width, |r| r.width);
        usize::from(pane.max(2) - 2)
    }

    /// Moves the view `delta` rows back (positive) or forward, within the scrollback.
    pub(super) fn scroll_terminal(&mut self, delta: i32) {
        let width = self.terminal_width();
        let rows: usize = self.lines.iter().map(|l| rows_of(l, width).len()).sum();
        let back = (self.back as i64 + i64::from(delta)).clamp(0, rows as i64);
        self.back = back as usize;
    }

    /// Enter: echoes the line; runs the command once it is complete.
    fn submit(&mut self, session: &mut Session) {
        let line = self.prompt.take();
        self.back = 0;
        let mut prompt = self.prompt_text(session);
        for (i, part) in line.split('\n').enumerate() {
            if i > 0 {
                prompt = "> ".to_string();
            }
            self.push_line(&format!("{prompt}{part}"), LineKind::Command);
        }
        let assembled = self.pending.push(&format!("{line}\n"));
        self.run_assembled(assembled, session);
    }

    /// Runs a whole command line (or reports a refused one) and shows its output.
    fn run_assembled(&mut self, assembled: Option<Assembled>, session: &mut Session) {
        let out = match assembled {
            None => return,
            Some(Assembled::Command(full)) if full.trim().is_empty() => return,
            Some(Assembled::Command(full))
                if self.streams && crate::tui::stream::may_stream(&full) =>
            {
                self.queued = Some(full);
                return;
            }
            Some(Assembled::Command(full)) => session.submit(&full),
            Some(Assembled::TooLong(bytes)) => Output::err(too_long_message(bytes), 1),
        };
        self.show_result(&out, session);
    }

    /// Shows a finished command line's output (a `clear` in it clears the scrollback).
    pub(super) fn show_result(&mut self, out: &Output, session: &Session) {
        // Saved after every command, so a killed tutor resumes where it stopped.
        self.save_requested = true;
        let mut stdout = out.stdout.as_str();
        if let Some(i) = stdout.rfind(CLEAR_SCREEN) {
            self.lines.clear();
            stdout = &stdout[i + CLEAR_SCREEN.len()..];
        }
        let room = self.terminal_width();
        let wide = !self.zoomed && stdout.lines().any(|l| l.chars().count() > room);
        for l in stdout.lines() {
            self.push_line(l, LineKind::Stdout);
        }
        if wide && !self.zoom_offered {
            // Once: the tip would be noise after every wide command.
            self.zoom_offered = true;
            self.info("Wide output wraps in this pane: F12 zooms the terminal to the whole screen (F12 again brings the panes back).");
        }
        for l in out.stderr.lines() {
            self.push_line(l, LineKind::Stderr);
        }
        if session.shell().exit_requested().is_some() {
            self.quit = true;
        }
    }

    /// A paste runs line by line, as typing it would; the last, unfinished line stays.
    pub(super) fn paste(&mut self, text: &str, session: &mut Session) {
        let text = if text.contains('\r') {
            std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        let mut parts = text.split('\n').peekable();
        while let Some(part) = parts.next() {
            if self.prompt.input().len() + part.len() > MAX_INPUT_BYTES {
                // Never copied into the prompt: it goes to the reader, which refuses it
                // whole (and everything up to where its command ends).
                let head = self.prompt.take();
                let shown: String = part.chars().take(80).collect();
                let echo = format!("{}{head}{shown}…", self.prompt_text(session));
                self.push_line(&echo, LineKind::Command);
                let mut done = self.pending.push(&head);
                done = done.or_else(|| self.pending.push(part));
                if parts.peek().is_some() {
                    done = done.or_else(|| self.pending.push("\n"));
                }
                self.run_assembled(done, session);
                continue;
            }
            let clean: String = part
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !c.is_control())
                .collect();
            self.prompt.insert_str(&clean);
            if parts.peek().is_some() {
                self.submit(session);
            }
            if self.quit {
                return;
            }
            if self.queued.is_some() {
                // A streaming line runs first; the rest of the paste is typed when it ends,
                // as a terminal holds typed-ahead input for the shell.
                if parts.peek().is_some() {
                    let rest: Vec<&str> = parts.collect();
                    self.paste_rest = Some(rest.join("\n"));
                }
                return;
            }
        }
    }

    /// Tab: finishes the word when there is one way to, lists the choices otherwise.
    fn complete(&mut self, session: &Session) {
        let before: String = self
            .prompt
            .input()
            .chars()
            .take(self.prompt.cursor())
            .collect();
        let c = complete(&before, session.cluster(), session.shell());
        let word = &before[c.start..];
        match c.candidates.as_slice() {
            [] => self.say("no completions", MessageKind::Info),
            [only] => {
                let rest = only.get(word.len()..).unwrap_or("");
                let space = if only.ends_with('/') || only.ends_with('=') {
                    ""
                } else {
                    " "
                };
                self.prompt.insert_str(&format!("{rest}{space}"));
            }
            many => {
                let common = c.common_prefix();
                if common.len() > word.len() {
                    self.prompt
                        .insert_str(common.get(word.len()..).unwrap_or(""));
                } else {
                    let echo = format!("{}{}", self.prompt_text(session), self.prompt.input());
                    self.push_line(&echo, LineKind::Command);
                    self.push_line(&many.join("  "), LineKind::Stdout);
                }
            }
        }
    }
}
