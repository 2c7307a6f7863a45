//! The learner's command line: words, quotes, pipes, heredocs and redirections, a few
//! builtins over an in-memory home directory, and the simulated `kubectl`.
//!
//! Flow: [`parse`] turns text into a [`parse::Script`]; `exec` runs it, using `expand`
//! for `$VAR`, `$( )`, `~` and globs; `builtins` and [`kubectl`] do the work.
//!
//! Must not import: ratatui, crossterm, tokio, std::fs, std::process. It never runs a
//! host program and never reads or writes a host file.

mod arith;
mod builtins;
mod cond;
mod container;
mod exec;
mod expand;
mod glob;
pub mod host;
pub mod input;
pub mod kubectl;
pub mod parse;
pub mod regex;
pub mod stream;
mod unavailable;
pub mod vfs;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::Cluster;
use vfs::Vfs;

pub use input::MAX_INPUT_BYTES;
/// Most text one command may print or one expansion may produce (bytes); past it the
/// output is cut, so a loop of `cat f f f …` cannot exhaust memory.
pub const MAX_STREAM_BYTES: usize = 8 << 20;
/// Most bytes one command line may read from files and pass between piped commands, so
/// `grep x f f f …` over 200 copies of an 8 MiB file, or 8 MiB through 1,000 `| cat`,
/// ends in a clear error instead of running for seconds.
pub const MAX_READ_BYTES: usize = 64 << 20;
/// Most commands (simple and compound, functions included) one command line may run, so
/// `while true; do :; done` ends with a message instead of freezing the terminal.
pub const MAX_STEPS: usize = 10_000;
/// The status of a command line stopped by [`MAX_STEPS`] (as if interrupted by Ctrl-C).
pub const STEP_LIMIT_STATUS: i32 = 130;
/// Deepest nesting of commands inside commands (function calls, groups, loops,
/// substitutions together), so no command line can overflow the stack.
pub const MAX_EXEC_DEPTH: usize = 250;
/// Deepest nesting of function calls (bash's `FUNCNEST`), so `f() { f; }; f` ends cleanly.
pub const MAX_FUNCTION_DEPTH: usize = 100;
/// Most text the commands of one command line may print, kept or discarded (`>/dev/null`).
pub const MAX_PRINTED_BYTES: usize = 64 << 20;
/// Most text `$VAR`, `$( )` and `$(( ))` may produce in one command line, loops included.
pub const MAX_EXPANDED_BYTES: usize = 16 << 20;
/// History entries kept, oldest dropped first.
pub const MAX_HISTORY: usize = 1000;
/// Longest history entry kept (bytes): a pasted 8 MB manifest is remembered by its start,
/// so a thousand of them cannot fill memory or the saved progress.
pub const MAX_HISTORY_ENTRY_BYTES: usize = 64 << 10;

/// What one command line printed, and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl Output {
    pub fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            stderr: String::new(),
            status: 0,
        }
    }

    pub fn err(stderr: impl Into<String>, status: i32) -> Output {
        Output {
            stdout: String::new(),
            stderr: stderr.into(),
            status,
        }
    }
}

/// A shell variable; exported ones are what `env` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Var {
    pub value: String,
    pub exported: bool,
}

/// The simulated bash session: files, working directory, variables and history.
/// It is saved with the learner's progress, so it holds only plain data.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Shell {
    pub(crate) vfs: Vfs,
    pub(crate) cwd: String,
    pub(crate) vars: BTreeMap<String, Var>,
    history: Vec<String>,
    /// How many old entries were dropped, so `history` numbers keep counting up.
    history_dropped: usize,
    pub(crate) last_status: i32,
    pub(crate) exit_requested: Option<i32>,
    /// The learner's host: Docker's images, the kind cluster (see [`host`]).
    #[serde(default)]
    pub(crate) host: host::Host,
    /// Bytes read and piped by the command line running now (see [`MAX_READ_BYTES`]).
    #[serde(skip)]
    pub(crate) read_bytes: usize,
    /// Bytes printed by the command line running now (see [`MAX_PRINTED_BYTES`]).
    #[serde(skip)]
    pub(crate) printed_bytes: usize,
    /// Bytes expanded by the command line running now (see [`MAX_EXPANDED_BYTES`]).
    #[serde(skip)]
    pub(crate) expanded_bytes: usize,
    /// Commands run by the command line running now (see [`MAX_STEPS`]).
    #[serde(skip)]
    pub(crate) steps: usize,
    /// A `break`, `continue` or `return` unwinding, or the step budget spent.
    #[serde(skip)]
    pub(crate) flow: Option<Flow>,
    /// Functions defined this session (not saved with the progress).
    #[serde(skip)]
    pub(crate) functions: BTreeMap<String, Arc<parse::Command>>,
    /// `$1`, `$2`…: the running function's arguments.
    #[serde(skip)]
    pub(crate) positional: Vec<String>,
    /// Per running function, the variables `local` shadowed, to restore on return.
    #[serde(skip)]
    pub(crate) locals: Vec<Vec<(String, Option<Var>)>>,
    /// Loops around the running command (for `break`'s "only meaningful" error).
    #[serde(skip)]
    pub(crate) loop_depth: usize,
    /// Commands running inside one another now (see [`MAX_EXEC_DEPTH`]).
    #[serde(skip)]
    pub(crate) exec_depth: usize,
    /// Bytes of its input the last builtin consumed (`read` takes one line).
    #[serde(skip)]
    pub(crate) stdin_used: usize,
    /// Set when this shell runs inside a container (`kubectl exec`): its command table.
    #[serde(skip)]
    pub(crate) container: Option<Box<container::Inside>>,
    /// An interactive shell in a container (`kubectl exec -it POD -- bash`) that the next
    /// lines run in, until `exit`.
    #[serde(skip)]
    pub(crate) attached: Option<Box<Shell>>,
    /// How simulated time passes inside a command line, and the text printed meanwhile
    /// (see [`stream`]).
    #[serde(skip)]
    pub(crate) pace: stream::Pace,
    /// Where the running command's stdout and stderr end up (see [`stream::Dest`]).
    #[serde(skip)]
    pub(crate) out_dest: stream::Dest,
    #[serde(skip)]
    pub(crate) err_dest: stream::Dest,
    /// `while`/`until` loops around the running command (their waits are open-ended).
    #[serde(skip)]
    pub(crate) open_loops: usize,
    /// Why the last command line stopped at a wait, if it did.
    #[serde(skip)]
    pub(crate) last_stop: Option<stream::Stop>,
}

/// Why the commands of a list stop running before its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// `break N`: loops still to leave.
    Break(usize),
    /// `continue N`.
    Continue(usize),
    /// `return` from a function.
    Return,
    /// [`MAX_STEPS`] commands ran: everything stops.
    Abort,
    /// An arithmetic error: bash abandons the rest of the command line, status 1.
    Fatal,
}

impl Default for Shell {
    fn default() -> Shell {
        Shell::new()
    }
}

impl Shell {
    /// A fresh login: in `~/environment`, with bash's usual variables.
    pub fn new() -> Shell {
        let mut vars = BTreeMap::new();
        for (name, value) in [
            ("HOME", vfs::HOME),
            ("USER", "learner"),
            ("PWD", vfs::ENVIRONMENT),
            ("SHELL", "/bin/bash"),
            ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ] {
            vars.insert(
                name.to_string(),
                Var {
                    value: value.to_string(),
                    exported: true,
                },
            );
        }
        Shell {
            vfs: Vfs::with_home(),
            cwd: vfs::ENVIRONMENT.to_string(),
            vars,
            history: Vec::new(),
            history_dropped: 0,
            last_status: 0,
            exit_requested: None,
            host: host::Host::default(),
            read_bytes: 0,
            expanded_bytes: 0,
            printed_bytes: 0,
            steps: 0,
            flow: None,
            functions: BTreeMap::new(),
            positional: Vec::new(),
            locals: Vec::new(),
            loop_depth: 0,
            exec_depth: 0,
            stdin_used: 0,
            container: None,
            attached: None,
            pace: stream::Pace::default(),
            out_dest: stream::Dest::Held,
            err_dest: stream::Dest::Held,
            open_loops: 0,
            last_stop: None,
        }
    }

    /// Runs one complete command line (which may span several lines: heredoc bodies included).
    /// The commands the shell runs: its builtins and `kubectl`, sorted (for completion).
    pub fn commands() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = builtins::BUILTINS.iter().map(|(n, _)| *n).collect();
        names.push("kubectl");
        names.push("kind");
        names.extend(host::HOST_PROGRAMS.iter().map(|(n, _)| *n));
        names.push("timeout");
        names.push("watch");
        names.sort_unstable();
        names
    }

    pub fn run(&mut self, line: &str, cluster: &mut Cluster) -> Output {
        if line.len() > MAX_INPUT_BYTES {
            return self.refuse_too_long(line.len());
        }
        let mut entry = line.trim_end_matches('\n');
        if entry.len() > MAX_HISTORY_ENTRY_BYTES {
            let mut end = MAX_HISTORY_ENTRY_BYTES;
            while !entry.is_char_boundary(end) {
                end -= 1;
            }
            entry = &entry[..end];
        }
        if !entry.trim().is_empty() {
            self.history.push(entry.to_string());
            if self.history.len() > MAX_HISTORY {
                let excess = self.history.len() - MAX_HISTORY;
                self.history.drain(..excess);
                self.history_dropped += excess;
            }
        }
        self.vfs.set_now(cluster.now().as_secs());
        self.read_bytes = 0;
        self.expanded_bytes = 0;
        self.printed_bytes = 0;
        self.steps = 0;
        if self.attached.is_some() {
            return self.run_attached(line, cluster);
        }
        self.begin_stream();
        let mut out = self.run_source(line, cluster, 0);
        self.end_stream(&mut out);
        match self.flow.take() {
            Some(Flow::Abort) => out.status = STEP_LIMIT_STATUS,
            Some(Flow::Fatal) => out.status = 1,
            _ => {}
        }
        self.loop_depth = 0;
        self.exec_depth = 0;
        self.locals.clear();
        self.positional.clear();
        self.last_status = out.status;
        out
    }

    /// Refuses a command line of `bytes` bytes, over [`MAX_INPUT_BYTES`]: none of it runs.
    pub fn refuse_too_long(&mut self, bytes: usize) -> Output {
        self.last_status = 1;
        Output::err(input::too_long_message(bytes), 1)
    }

    /// Counts `bytes` more read or piped by this command line; `false` past the bound.
    pub(crate) fn charge_read(&mut self, bytes: usize) -> bool {
        self.read_bytes = self.read_bytes.saturating_add(bytes);
        self.read_bytes <= MAX_READ_BYTES
    }

    /// The working directory, absolute.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// The working directory as bash's prompt shows it: `$HOME` becomes `~`.
    pub fn prompt_dir(&self) -> String {
        let home = self.var("HOME").unwrap_or(vfs::HOME);
        match self.cwd.strip_prefix(home) {
            Some("") => "~".to_string(),
            Some(rest) if rest.starts_with('/') && home != "/" => format!("~{rest}"),
            _ => self.cwd.clone(),
        }
    }

    /// The prompt: `~/environment $ `, or inside a container `root@POD:DIR# `.
    pub fn prompt(&self) -> String {
        match &self.attached {
            Some(inner) => container::prompt(inner),
            None => format!("{} $ ", self.prompt_dir()),
        }
    }

    /// Every line run, oldest first (the last [`MAX_HISTORY`]).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// What the learner's host holds besides files.
    pub fn host(&self) -> &host::Host {
        &self.host
    }

    pub fn vfs(&self) -> &Vfs {
        &self.vfs
    }

    pub fn vfs_mut(&mut self) -> &mut Vfs {
        &mut self.vfs
    }

    /// The status given to `exit`, once the learner has typed it.
    pub fn exit_requested(&self) -> Option<i32> {
        self.exit_requested
    }

    /// A variable's value, set or exported.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    /// The number bash's `history` prints before the first kept entry, minus one.
    pub(crate) fn history_offset(&self) -> usize {
        self.history_dropped
    }

    /// `history -c`: bash numbers from 1 again afterwards.
    pub(crate) fn clear_history(&mut self) {
        self.history_dropped = 0;
        self.history.clear();
    }

    /// Sets a variable, keeping its exported flag (or exporting it when asked).
    pub(crate) fn set_var(&mut self, name: &str, value: String, export: Export) {
        let exported = export == Export::Yes || self.vars.get(name).is_some_and(|v| v.exported);
        self.vars.insert(name.to_string(), Var { value, exported });
    }
}

/// Whether [`Shell::set_var`] marks the variable for export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Export {
    Yes,
    Keep,
}

#[cfg(test)]
mod tests;
