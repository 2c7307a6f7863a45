//! Runs a parsed command line: and-or lists, pipelines (each stage's stdout is the next
//! stage's stdin, run one after another), redirections, assignments, and the dispatch
//! to builtins or to the simulated kubectl.
//!
//! Must not import the TUI; never runs a host process.

use super::expand::Cx;
use super::parse::{self, AndOr, Command, Connector, ParseError, Part, Pipeline, RedirKind};
use super::vfs::WriteMode;
use super::{Export, MAX_READ_BYTES, MAX_STREAM_BYTES, Output, Shell, Var, builtins, kubectl};
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
enum Stage {
    Piped,
    Last,
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
        if let Some(word) = script.items.iter().find_map(keyword_in) {
            return Output::err(
                format!(
                    "bash: `{word}': loops, conditionals and groups are not supported in this simulated shell (see `help')\n"
                ),
                2,
            );
        }
        let mut out = Output {
            stdout: String::new(),
            stderr: script.warnings.concat(),
            status: self.last_status,
        };
        for item in &script.items {
            let mut status = self.exec_pipeline(&item.first, cluster, depth, &mut out);
            self.last_status = status;
            for (connector, pipeline) in &item.rest {
                if self.exit_requested.is_some() {
                    break;
                }
                let run = match connector {
                    Connector::And => status == 0,
                    Connector::Or => status != 0,
                };
                if run {
                    status = self.exec_pipeline(pipeline, cluster, depth, &mut out);
                    self.last_status = status;
                }
            }
            out.status = status;
            if self.exit_requested.is_some() {
                break;
            }
        }
        out
    }

    fn exec_pipeline(
        &mut self,
        pipeline: &Pipeline,
        cluster: &mut Cluster,
        depth: usize,
        out: &mut Output,
    ) -> i32 {
        let mut stdin = String::new();
        let mut status = 0;
        let saved_exit = self.exit_requested;
        let count = pipeline.commands.len();
        for (i, command) in pipeline.commands.iter().enumerate() {
            let stage = if i + 1 == count {
                Stage::Last
            } else {
                Stage::Piped
            };
            let result = self.exec_command(command, cluster, depth, &stdin, stage);
            push_capped(&mut out.stderr, &result.stderr);
            status = result.status;
            match stage {
                Stage::Last => push_capped(&mut out.stdout, &result.stdout),
                Stage::Piped => stdin = result.stdout,
            }
            if stage == Stage::Piped && !self.charge_read(stdin.len()) {
                push_capped(
                    &mut out.stderr,
                    &format!(
                        "bash: pipeline stopped: its commands passed more than {MAX_READ_BYTES} bytes between them\n"
                    ),
                );
                status = 1;
                break;
            }
        }
        if count > 1 {
            // Every stage of a bash pipeline runs in a subshell: `exit | cat` exits nothing.
            self.exit_requested = saved_exit;
        }
        status
    }

    fn exec_command(
        &mut self,
        command: &Command,
        cluster: &mut Cluster,
        depth: usize,
        stdin: &str,
        stage: Stage,
    ) -> Output {
        let (prepared, mut stderr, subst_status) = {
            let mut cx = Cx::new(cluster, depth);
            let prepared = self.prepare(&mut cx, command);
            (prepared, cx.stderr, cx.subst_status)
        };
        let prepared = match prepared {
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
        if prepared.args.is_empty() {
            for (name, value) in prepared.assigns {
                self.set_var(&name, value, Export::Keep);
            }
            return Output {
                stdout: String::new(),
                stderr,
                status: subst_status.unwrap_or(0),
            };
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
        let input = prepared.stdin.as_deref().unwrap_or(stdin);
        let produced = self.dispatch(&prepared.args, input, cluster, to_terminal);
        for (name, old) in saved.into_iter().rev() {
            match old {
                Some(var) => self.vars.insert(name, var),
                None => self.vars.remove(&name),
            };
        }
        let mut result = Output {
            stdout: String::new(),
            stderr,
            status: produced.status,
        };
        self.route(&prepared.fd1, &produced.stdout, &mut result);
        self.route(&prepared.fd2, &produced.stderr, &mut result);
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

    fn dispatch(
        &mut self,
        args: &[String],
        stdin: &str,
        cluster: &mut Cluster,
        to_terminal: bool,
    ) -> Output {
        let Some((name, rest)) = args.split_first() else {
            return Output::default();
        };
        let base = ["/usr/local/bin/", "/usr/bin/", "/bin/"]
            .iter()
            .find_map(|dir| name.strip_prefix(dir))
            .unwrap_or(name);
        if base == "kubectl" {
            let mut ctx = kubectl::Ctx {
                cluster,
                vfs: &self.vfs,
                cwd: &self.cwd,
            };
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

/// bash's reserved words that open compound commands this shell does not have.
const KEYWORDS: &[&str] = &[
    "if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "select", "function", "{", "}", "[[", "]]", "!",
];

/// The first reserved word standing where a command name would, if any: running the rest
/// of such a line would only print confusing "command not found" errors.
fn keyword_in(item: &AndOr) -> Option<String> {
    std::iter::once(&item.first)
        .chain(item.rest.iter().map(|(_, p)| p))
        .find_map(|pipeline| {
            pipeline.commands.iter().find_map(|command| {
                match command.words.first()?.parts.as_slice() {
                    [Part::Lit(word)]
                        if command.assigns.is_empty() && KEYWORDS.contains(&word.as_str()) =>
                    {
                        Some(word.clone())
                    }
                    _ => None,
                }
            })
        })
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
