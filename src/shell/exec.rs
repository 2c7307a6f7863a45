//! Runs a parsed command line: and-or lists, pipelines (each stage's stdout is the next
//! stage's stdin, run one after another), redirections, assignments, and the dispatch
//! to builtins, to functions or to the simulated kubectl. Compound commands run in
//! `compound`.
//!
//! Must not import the TUI; never runs a host process.

use super::expand::Cx;
mod compound;

use std::sync::Arc;

use super::parse::{self, Command, Compound, Connector, ParseError, Pipeline, RedirKind, Script};
use super::vfs::WriteMode;
use super::{
    Export, Flow, MAX_EXEC_DEPTH, MAX_READ_BYTES, MAX_STREAM_BYTES, Output, Shell, Var, builtins,
    kubectl,
};
use crate::engine::Cluster;

/// Where a file descriptor's text goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Sink {
    /// The pipe to the next stage, or the terminal for the last one.
    Stdout,
    Stderr,
    /// An absolute path, and the name as typed for error messages.
    File {
        abs: String,
        shown: String,
    },
}

impl Sink {
    fn dest_of(&self) -> super::stream::DestOf {
        match self {
            Sink::Stdout => super::stream::DestOf::Stdout,
            Sink::Stderr => super::stream::DestOf::Stderr,
            Sink::File { .. } => super::stream::DestOf::File,
        }
    }
}

/// A command with its words expanded and its redirections opened.
struct Prepared {
    args: Vec<String>,
    assigns: Vec<(String, String)>,
    stdin: Option<String>,
    fd1: Sink,
    fd2: Sink,
}

/// Whether a pipeline stage's stdout feeds another stage.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Piped,
    Last,
}

/// A command line's input not read yet: `read` takes lines from it, one per call.
#[derive(Debug, Default)]
pub(crate) struct Stdin {
    text: String,
    pos: usize,
}

impl Stdin {
    pub(crate) fn new(text: String) -> Stdin {
        Stdin { text, pos: 0 }
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn advance(&mut self, bytes: usize) {
        let mut pos = (self.pos + bytes).min(self.text.len());
        while !self.text.is_char_boundary(pos) {
            pos += 1;
        }
        self.pos = pos;
    }
}

impl Shell {
    /// Parses and runs `text`; `depth` counts enclosing command substitutions.
    pub(crate) fn run_source(&mut self, text: &str, cluster: &mut Cluster, depth: usize) -> Output {
        let parsed = match parse::parse(text) {
            // bash drops a backslash that ends the input.
            Err(ParseError::TrailingBackslash) => {
                parse::parse(text.strip_suffix('\\').unwrap_or(text))
            }
            other => other,
        };
        let script = match parsed {
            Ok(script) => script,
            Err(error) => return Output::err(error.to_string(), 2),
        };
        let mut out = Output {
            stdout: String::new(),
            stderr: script.warnings.concat(),
            status: self.last_status,
        };
        if !script.items.is_empty() {
            let mut input = Stdin::default();
            out.status = self.exec_script(&script, cluster, depth, &mut input, &mut out);
        }
        out
    }

    /// Runs a list of and-or lists, stopping at `exit`, `break`, `continue`, `return` or
    /// the step budget; returns the last status.
    pub(crate) fn exec_script(
        &mut self,
        script: &Script,
        cluster: &mut Cluster,
        depth: usize,
        input: &mut Stdin,
        out: &mut Output,
    ) -> i32 {
        let mut status = 0;
        for item in &script.items {
            if self.interrupted() {
                break;
            }
            status = self.exec_pipeline(&item.first, cluster, depth, input, out);
            self.last_status = status;
            for (connector, pipeline) in &item.rest {
                if self.interrupted() {
                    break;
                }
                let run = match connector {
                    Connector::And => status == 0,
                    Connector::Or => status != 0,
                };
                if run {
                    status = self.exec_pipeline(pipeline, cluster, depth, input, out);
                    self.last_status = status;
                }
            }
        }
        status
    }

    /// Whether the commands after this point must not run.
    pub(crate) fn interrupted(&self) -> bool {
        self.exit_requested.is_some() || self.flow.is_some()
    }

    fn exec_pipeline(
        &mut self,
        pipeline: &Pipeline,
        cluster: &mut Cluster,
        depth: usize,
        input: &mut Stdin,
        out: &mut Output,
    ) -> i32 {
        let mut piped = String::new();
        let mut status = 0;
        let count = pipeline.commands.len();
        // Every stage of a bash pipeline runs in a subshell: `exit | cat` exits nothing,
        // and `echo a | read x` leaves `x` as it was.
        let saved = (count > 1).then(|| self.save_subshell());
        for (i, command) in pipeline.commands.iter().enumerate() {
            let stage = if i + 1 == count {
                Stage::Last
            } else {
                Stage::Piped
            };
            let live_out = self.out_dest;
            if stage == Stage::Piped {
                self.out_dest = super::stream::Dest::Held;
            }
            let result = if i == 0 {
                self.exec_command(command, cluster, depth, input, stage)
            } else {
                let mut stream = Stdin::new(std::mem::take(&mut piped));
                self.exec_command(command, cluster, depth, &mut stream, stage)
            };
            self.out_dest = live_out;
            // Inside a container with a terminal, stderr and stdout are the same terminal.
            if self.container.as_deref().is_some_and(|c| c.tty) {
                push_capped(&mut out.stdout, &result.stderr);
            } else {
                push_capped(&mut out.stderr, &result.stderr);
            }
            status = result.status;
            match stage {
                Stage::Last => push_capped(&mut out.stdout, &result.stdout),
                Stage::Piped => piped = result.stdout,
            }
            if stage == Stage::Piped && !self.charge_read(piped.len()) {
                push_capped(
                    &mut out.stderr,
                    &format!(
                        "bash: pipeline stopped: its commands passed more than {MAX_READ_BYTES} bytes between them\n"
                    ),
                );
                status = 1;
                break;
            }
            if count > 1 && self.flow != Some(Flow::Abort) {
                self.flow = None;
            }
        }
        if let Some(saved) = saved {
            self.restore_subshell(saved);
        }
        if pipeline.negate {
            status = i32::from(status == 0);
        }
        status
    }

    /// Runs one command, refusing past [`MAX_EXEC_DEPTH`] nested commands (functions,
    /// groups and substitutions together) so no input can overflow the stack.
    fn exec_command(
        &mut self,
        command: &Command,
        cluster: &mut Cluster,
        depth: usize,
        input: &mut Stdin,
        stage: Stage,
    ) -> Output {
        if self.exec_depth >= MAX_EXEC_DEPTH {
            return Output::err(
                format!(
                    "kubetutor: commands nested too deeply (over {MAX_EXEC_DEPTH} levels of functions, groups and substitutions)\n"
                ),
                1,
            );
        }
        self.exec_depth += 1;
        let out = self.exec_one(command, cluster, depth, input, stage);
        self.exec_depth -= 1;
        out
    }

    fn exec_one(
        &mut self,
        command: &Command,
        cluster: &mut Cluster,
        depth: usize,
        input: &mut Stdin,
        stage: Stage,
    ) -> Output {
        if let Some(stop) = self.charge_step() {
            return stop;
        }
        if let Some(Compound::Function { name, body }) = command.compound.as_deref() {
            self.functions.insert(name.clone(), Arc::clone(body));
            return Output::default();
        }
        let (prepared, mut stderr, subst_status) = {
            let mut cx = Cx::new(cluster, depth);
            let prepared = self.prepare(&mut cx, command);
            (prepared, cx.stderr, cx.subst_status)
        };
        let mut prepared = match prepared {
            Ok(prepared) => prepared,
            Err(message) => {
                stderr.push_str(&message);
                return Output {
                    stdout: String::new(),
                    stderr,
                    status: 1,
                };
            }
        };
        let mut own_input = prepared.stdin.take().map(Stdin::new);
        let stream = own_input.as_mut().unwrap_or(input);
        let outer_dests = (self.out_dest, self.err_dest);
        let inner_dests = (
            self.dest_of(prepared.fd1.dest_of()),
            self.dest_of(prepared.fd2.dest_of()),
        );
        if let Some(compound) = command.compound.as_deref() {
            let mut body = Output::default();
            (self.out_dest, self.err_dest) = inner_dests;
            body.status = self.exec_compound(compound, cluster, depth, stream, &mut body);
            (self.out_dest, self.err_dest) = outer_dests;
            return self.finish(&prepared, body, stderr);
        }
        if prepared.args.is_empty() {
            for (name, value) in prepared.assigns {
                self.set_var(&name, value, Export::Keep);
            }
            let mut result = Output {
                stdout: String::new(),
                stderr,
                status: subst_status.unwrap_or(0),
            };
            self.emit_live(&mut result);
            return result;
        }
        let saved: Vec<(String, Option<Var>)> = prepared
            .assigns
            .iter()
            .map(|(name, _)| (name.clone(), self.vars.get(name).cloned()))
            .collect();
        for (name, value) in &prepared.assigns {
            self.set_var(name, value.clone(), Export::Yes);
        }
        let to_terminal = stage == Stage::Last && prepared.fd1 == Sink::Stdout;
        (self.out_dest, self.err_dest) = inner_dests;
        let produced = match self.functions.get(&prepared.args[0]).cloned() {
            Some(body) => self.call_function(&body, &prepared.args, cluster, depth, stream, stage),
            None => {
                self.stdin_used = 0;
                let mut produced =
                    self.dispatch(&prepared.args, stream.rest(), cluster, to_terminal);
                stream.advance(self.stdin_used);
                self.charge_printed(&mut produced);
                produced
            }
        };
        (self.out_dest, self.err_dest) = outer_dests;
        for (name, old) in saved.into_iter().rev() {
            match old {
                Some(var) => self.vars.insert(name, var),
                None => self.vars.remove(&name),
            };
        }
        self.finish(&prepared, produced, stderr)
    }

    /// A command's result: what it `produced` sent where its redirections say, after the
    /// `stderr` its expansions printed, and the terminal-bound part handed to the stream.
    fn finish(&mut self, prepared: &Prepared, produced: Output, stderr: String) -> Output {
        let mut result = Output {
            stdout: String::new(),
            stderr,
            status: produced.status,
        };
        self.route(&prepared.fd1, &produced.stdout, &mut result);
        self.route(&prepared.fd2, &produced.stderr, &mut result);
        self.emit_live(&mut result);
        result
    }

    /// Expands words and assignment values, then performs redirections in order.
    fn prepare(&mut self, cx: &mut Cx<'_>, command: &Command) -> Result<Prepared, String> {
        let args = self.expand_words(cx, &command.words)?;
        let mut assigns = Vec::new();
        for assign in &command.assigns {
            assigns.push((assign.name.clone(), self.expand_plain(cx, &assign.value)?));
        }
        let mut prepared = Prepared {
            args,
            assigns,
            stdin: None,
            fd1: Sink::Stdout,
            fd2: Sink::Stderr,
        };
        for redir in &command.redirs {
            let target = match &redir.kind {
                RedirKind::Input(word)
                | RedirKind::Output(word, _)
                | RedirKind::OutputBoth(word, _) => self.expand_plain(cx, word)?,
                _ => String::new(),
            };
            match &redir.kind {
                RedirKind::Input(_) => {
                    let data = self
                        .vfs
                        .read(&self.cwd, &target)
                        .map_err(|e| format!("bash: {target}: {e}\n"))?;
                    if redir.fd == 0 {
                        prepared.stdin = Some(data);
                    }
                }
                RedirKind::Output(_, mode) | RedirKind::OutputBoth(_, mode) => {
                    let sink = self.open_for_writing(&target, *mode)?;
                    if matches!(redir.kind, RedirKind::OutputBoth(..)) {
                        prepared.fd1 = sink.clone();
                        prepared.fd2 = sink;
                    } else if redir.fd == 1 {
                        prepared.fd1 = sink;
                    } else if redir.fd == 2 {
                        prepared.fd2 = sink;
                    }
                }
                RedirKind::Dup(from) => {
                    let copy = match from {
                        1 => prepared.fd1.clone(),
                        2 => prepared.fd2.clone(),
                        0 => continue,
                        other => return Err(format!("bash: {other}: Bad file descriptor\n")),
                    };
                    match redir.fd {
                        1 => prepared.fd1 = copy,
                        2 => prepared.fd2 = copy,
                        _ => {}
                    }
                }
                RedirKind::Heredoc { body, expand } => {
                    let text = if *expand {
                        self.expand_heredoc(cx, body)?
                    } else {
                        body.clone()
                    };
                    prepared.stdin = Some(text);
                }
                RedirKind::HereString(word) => {
                    let mut text = self.expand_plain(cx, word)?;
                    text.push('\n');
                    prepared.stdin = Some(text);
                }
            }
        }
        Ok(prepared)
    }

    /// Creates or truncates the target now, as bash does before the command runs.
    fn open_for_writing(&mut self, target: &str, mode: WriteMode) -> Result<Sink, String> {
        if target.is_empty() {
            return Err("bash: : No such file or directory\n".to_string());
        }
        self.vfs
            .write(&self.cwd, target, "", mode)
            .map_err(|e| format!("bash: {target}: {e}\n"))?;
        Ok(Sink::File {
            abs: self.vfs.resolve(&self.cwd, target),
            shown: target.to_string(),
        })
    }

    fn route(&mut self, sink: &Sink, text: &str, result: &mut Output) {
        if text.is_empty() {
            return;
        }
        match sink {
            Sink::Stdout => push_capped(&mut result.stdout, text),
            Sink::Stderr => push_capped(&mut result.stderr, text),
            Sink::File { abs, shown } => {
                if let Err(e) = self.vfs.write("/", abs, text, WriteMode::Append) {
                    push_capped(&mut result.stderr, &format!("bash: {shown}: {e}\n"));
                    result.status = 1;
                }
            }
        }
    }

    pub(crate) fn dispatch(
        &mut self,
        args: &[String],
        stdin: &str,
        cluster: &mut Cluster,
        to_terminal: bool,
    ) -> Output {
        if self.container.is_some() {
            return super::container::dispatch(self, args, stdin, cluster, to_terminal);
        }
        let Some((name, rest)) = args.split_first() else {
            return Output::default();
        };
        let base = ["/usr/local/bin/", "/usr/bin/", "/bin/"]
            .iter()
            .find_map(|dir| name.strip_prefix(dir))
            .unwrap_or(name);
        if base == "watch" {
            return super::stream::watch_cmd::watch(self, rest, cluster);
        }
        if base == "timeout" {
            return super::stream::timeout::timeout(self, rest, stdin, cluster, to_terminal);
        }
        let program = match super::host::resolve_program(self, name) {
            Some(Err(refused)) => return refused,
            Some(Ok(program)) => Some(program),
            None => None,
        };
        if program == Some("kind") {
            return super::host::kind::kind(self, rest, stdin, cluster);
        }
        if program == Some("kubectl") {
            if let Some(out) = super::host::kubeconfig::gate(self, cluster, rest, stdin) {
                return out;
            }
            if super::stream::rollout_status::wants_status(rest) {
                return super::stream::rollout_status::status(self, rest, stdin, cluster);
            }
            if super::stream::logs_follow::wants_follow(rest) {
                return super::stream::logs_follow::follow(self, rest, stdin, cluster);
            }
            if super::stream::watch_get::wants_watch(rest) {
                return super::stream::watch_get::watch(self, rest, stdin, cluster);
            }
            let live = self.out_dest == super::stream::Dest::LiveOut;
            let mut ctx = kubectl::Ctx {
                cluster,
                vfs: &self.vfs,
                cwd: &self.cwd,
                pace: Some((&mut self.pace, live)),
            };
            if let Some(attached) = kubectl::attach(&mut ctx, rest, stdin) {
                return match attached {
                    Ok((shell, out)) => {
                        self.attached = Some(shell);
                        out
                    }
                    Err(out) => out,
                };
            }
            return kubectl::run(&mut ctx, rest, stdin);
        }
        if let Some(builtin) = builtins::lookup(base) {
            let mut call = builtins::Call {
                args: rest,
                stdin,
                cluster,
                to_terminal,
            };
            return builtin(self, &mut call);
        }
        if let Some(out) = super::host::run_program(self, base, rest, stdin, cluster, to_terminal) {
            return out;
        }
        if name.contains('/') {
            return if self.vfs.exists(&self.cwd, name) {
                Output::err(format!("bash: {name}: Permission denied\n"), 126)
            } else {
                Output::err(format!("bash: {name}: No such file or directory\n"), 127)
            };
        }
        match super::unavailable::note(base) {
            Some(note) => Output::err(
                format!("bash: {name}: command not found (kubetutor: {note})\n"),
                127,
            ),
            None => Output::err(format!("bash: {name}: command not found\n"), 127),
        }
    }
}

/// Appends `text`, cutting it at [`MAX_STREAM_BYTES`] in total.
pub(crate) fn push_capped(buf: &mut String, text: &str) {
    let room = MAX_STREAM_BYTES.saturating_sub(buf.len());
    if text.len() <= room {
        buf.push_str(text);
        return;
    }
    let mut cut = room;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    buf.push_str(&text[..cut]);
}
