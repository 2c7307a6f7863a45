//! Runs compound commands (loops, conditionals, `case`, groups, subshells, `[[ ]]`) and
//! function calls, and keeps the per-line step budget ([`MAX_STEPS`]).
//!
//! Must not import the TUI; never runs a host process.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::super::expand::Cx;
use super::super::parse::{Command, Compound, Part, Script, Word};
use super::super::{
    Export, Flow, MAX_FUNCTION_DEPTH, MAX_PRINTED_BYTES, MAX_STEPS, Output, STEP_LIMIT_STATUS,
    Shell, Var, glob,
};
use super::{Stage, Stdin, push_capped};
use crate::engine::Cluster;

/// What a subshell may change that must not leak out of it.
pub(crate) struct Saved {
    cwd: String,
    vars: BTreeMap<String, Var>,
    exit_requested: Option<i32>,
    positional: Vec<String>,
}

impl Shell {
    pub(crate) fn save_subshell(&self) -> Saved {
        Saved {
            cwd: self.cwd.clone(),
            vars: self.vars.clone(),
            exit_requested: self.exit_requested,
            positional: self.positional.clone(),
        }
    }

    pub(crate) fn restore_subshell(&mut self, saved: Saved) {
        self.cwd = saved.cwd;
        self.vars = saved.vars;
        self.exit_requested = saved.exit_requested;
        self.positional = saved.positional;
        if self.flow != Some(Flow::Abort) {
            self.flow = None;
        }
    }

    /// Counts what one command printed (kept or discarded) against
    /// [`MAX_PRINTED_BYTES`]; past it the rest of the line is skipped, so
    /// `while true; do seq 1000000 >/dev/null; done` ends in a fraction of a second.
    pub(crate) fn charge_printed(&mut self, out: &mut Output) {
        let bytes = out.stdout.len() + out.stderr.len();
        self.printed_bytes = self.printed_bytes.saturating_add(bytes);
        if self.printed_bytes > MAX_PRINTED_BYTES && self.flow.is_none() {
            self.flow = Some(Flow::Fatal);
            out.stderr.push_str(&format!(
                "kubetutor: stopped: this command line's commands printed more than {MAX_PRINTED_BYTES} bytes\n"
            ));
            out.status = 1;
        }
    }

    /// Counts one command; past [`MAX_STEPS`] the line stops, with one message.
    pub(crate) fn charge_step(&mut self) -> Option<Output> {
        if self.flow == Some(Flow::Abort) {
            return Some(Output::err("", STEP_LIMIT_STATUS));
        }
        self.steps += 1;
        if self.steps <= MAX_STEPS {
            return None;
        }
        self.flow = Some(Flow::Abort);
        Some(Output::err(
            format!(
                "kubetutor: stopped after {MAX_STEPS} commands in one command line (an endless loop?); see README, Limits on input\n"
            ),
            STEP_LIMIT_STATUS,
        ))
    }

    pub(crate) fn exec_compound(
        &mut self,
        compound: &Compound,
        cluster: &mut Cluster,
        depth: usize,
        input: &mut Stdin,
        out: &mut Output,
    ) -> i32 {
        match compound {
            Compound::Brace(body) => self.exec_script(body, cluster, depth, input, out),
            Compound::Subshell(body) => {
                let saved = self.save_subshell();
                let mut status = self.exec_script(body, cluster, depth, input, out);
                if let Some(code) = self.exit_requested {
                    status = code;
                }
                self.restore_subshell(saved);
                status
            }
            Compound::For { var, words, body } => {
                let values = match words {
                    Some(words) => {
                        let mut cx = Cx::new(cluster, depth);
                        let values = self.expand_words(&mut cx, words);
                        push_capped(&mut out.stderr, &cx.stderr);
                        match values {
                            Ok(values) => values,
                            Err(message) => {
                                push_capped(&mut out.stderr, &message);
                                return 1;
                            }
                        }
                    }
                    None => self.positional.clone(),
                };
                self.loop_depth += 1;
                let mut status = 0;
                for value in values {
                    self.set_var(var, value, Export::Keep);
                    status = self.exec_script(body, cluster, depth, input, out);
                    if self.leave_loop() {
                        break;
                    }
                }
                self.loop_depth -= 1;
                status
            }
            Compound::Loop { until, cond, body } => {
                self.loop_depth += 1;
                self.open_loops += 1;
                let mut status = 0;
                loop {
                    let test = self.exec_script(cond, cluster, depth, input, out);
                    if self.leave_loop() || (test == 0) == *until {
                        break;
                    }
                    status = self.exec_script(body, cluster, depth, input, out);
                    if self.leave_loop() {
                        break;
                    }
                }
                self.loop_depth -= 1;
                self.open_loops -= 1;
                status
            }
            Compound::If { arms, otherwise } => {
                for (cond, body) in arms {
                    let test = self.exec_script(cond, cluster, depth, input, out);
                    if self.interrupted() {
                        return test;
                    }
                    if test == 0 {
                        return self.exec_script(body, cluster, depth, input, out);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_script(body, cluster, depth, input, out),
                    None => 0,
                }
            }
            Compound::Case { word, arms } => {
                let mut cx = Cx::new(cluster, depth);
                let chosen = self.choose_arm(&mut cx, word, arms);
                push_capped(&mut out.stderr, &cx.stderr);
                match chosen {
                    Ok(Some(body)) => self.exec_script(body, cluster, depth, input, out),
                    Ok(None) => 0,
                    Err(message) => {
                        push_capped(&mut out.stderr, &message);
                        1
                    }
                }
            }
            Compound::Cond(toks) => {
                let mut cx = Cx::new(cluster, depth);
                let result = self.eval_cond(&mut cx, toks);
                push_capped(&mut out.stderr, &cx.stderr);
                match result {
                    Ok(true) => 0,
                    Ok(false) => 1,
                    Err(message) => {
                        push_capped(&mut out.stderr, &message);
                        2
                    }
                }
            }
            Compound::Arith(source) => {
                let mut cx = Cx::new(cluster, depth);
                let value = self.expand_value(&mut cx, &Part::Arith(source.clone()));
                push_capped(&mut out.stderr, &cx.stderr);
                match value {
                    Ok(value) => i32::from(value == "0"),
                    Err(message) => {
                        push_capped(&mut out.stderr, &message);
                        1
                    }
                }
            }
            Compound::Function { name, body } => {
                self.functions.insert(name.clone(), Arc::clone(body));
                0
            }
        }
    }

    fn choose_arm<'s>(
        &mut self,
        cx: &mut Cx<'_>,
        word: &Word,
        arms: &'s [(Vec<Word>, Script)],
    ) -> Result<Option<&'s Script>, String> {
        let subject = self.expand_plain(cx, word)?;
        for (patterns, body) in arms {
            for pattern in patterns {
                let pattern = self.expand_pattern(cx, pattern)?;
                if glob::matches(&pattern, &subject) {
                    return Ok(Some(body));
                }
            }
        }
        Ok(None)
    }

    /// After a loop body: whether to leave the loop, consuming one level of `break`/`continue`.
    fn leave_loop(&mut self) -> bool {
        match self.flow {
            Some(Flow::Break(n)) => {
                self.flow = (n > 1).then(|| Flow::Break(n - 1));
                true
            }
            Some(Flow::Continue(n)) if n > 1 => {
                self.flow = Some(Flow::Continue(n - 1));
                true
            }
            Some(Flow::Continue(_)) => {
                self.flow = None;
                false
            }
            Some(_) => true,
            None => self.exit_requested.is_some(),
        }
    }

    /// Runs a function's body with `args[1..]` as `$1`…, its `local`s undone on return.
    pub(super) fn call_function(
        &mut self,
        body: &Command,
        args: &[String],
        cluster: &mut Cluster,
        depth: usize,
        input: &mut Stdin,
        stage: Stage,
    ) -> Output {
        if self.locals.len() >= MAX_FUNCTION_DEPTH {
            return Output::err(
                format!(
                    "bash: {}: maximum function nesting level exceeded ({MAX_FUNCTION_DEPTH})\n",
                    args[0]
                ),
                1,
            );
        }
        let saved_positional = std::mem::replace(&mut self.positional, args[1..].to_vec());
        let saved_loops = std::mem::take(&mut self.loop_depth);
        self.locals.push(Vec::new());
        let out = self.exec_command(body, cluster, depth, input, stage);
        for (name, old) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            match old {
                Some(var) => self.vars.insert(name, var),
                None => self.vars.remove(&name),
            };
        }
        self.positional = saved_positional;
        self.loop_depth = saved_loops;
        if self.flow == Some(Flow::Return) {
            self.flow = None;
        }
        out
    }
}
