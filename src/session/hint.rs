//! Hints in plain words: what the learner should do next for the current step, then what the
//! world shows now against what the step wants. Built from the first unmet condition
//! ([`Unmet`] and its [`Gap`]) and the step's own command; the condition's internal wording
//! comes last, for the curious.
//!
//! Pure: must not import the TUI, terminals, std::fs or std::process.

use super::Session;
use super::evaluate::{Gap, Unmet};
use crate::content::Step;

/// Longest one-line command quoted whole in a hint (characters); the rest is cut with `…`.
const MAX_QUOTED_CHARS: usize = 200;
/// Longest first line of a multi-line command (a heredoc) quoted in a hint.
const MAX_FIRST_LINE_CHARS: usize = 60;

/// A hint for the current step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// The step's number as the learner reads it.
    pub step: usize,
    /// The next action, in plain words.
    pub next: String,
    /// What the learner's world shows now.
    pub observed: String,
    /// What the step wants.
    pub wanted: String,
    /// The condition as the lesson states it.
    pub condition: String,
}

impl Session {
    /// A plain-words hint for the current step; `None` when no step is current or when the
    /// current step is about to complete.
    pub fn hint(&self) -> Option<Hint> {
        let index = self.current_step()?;
        let step = self.lesson().steps.get(index)?;
        let unmet = self.waiting_for()?;
        let ran_it = step.command.as_deref().is_some_and(|c| {
            self.progress()
                .steps
                .get(index)
                .is_some_and(|r| r.ran.iter().any(|x| x.line.trim() == c.trim()))
        });
        let settled = self.cluster().is_settled();
        // `kubectl get ... -o jsonpath={.status.numberReady} == 3` wants "3" of what: say so.
        let wanted = match &unmet.field {
            Some(f) => format!("{} for {f}", unmet.expected),
            None => unmet.expected.clone(),
        };
        Some(Hint {
            step: step.number,
            next: next_action(step, &unmet, ran_it, settled),
            observed: unmet.observed,
            wanted,
            condition: unmet.condition,
        })
    }
}

/// The next action for `step` given what its check still waits for.
fn next_action(step: &Step, unmet: &Unmet, ran_it: bool, settled: bool) -> String {
    let run = run_the_command(step);
    match unmet.gap.as_ref() {
        Gap::Missing {
            kind,
            name,
            namespace,
        } => {
            let place = namespace
                .as_deref()
                .map(|ns| format!(" in namespace {ns}"))
                .unwrap_or_default();
            if ran_it && !settled {
                format!(
                    "the {kind} {name}{place} does not exist yet: the cluster is still working on it; wait a moment, or press F7 to run the clock until it settles"
                )
            } else {
                format!("the {kind} {name}{place} does not exist yet: {run}")
            }
        }
        Gap::StillThere if !settled => {
            "it is still going away: wait a moment, or press F7 to run the clock until the cluster settles".to_string()
        }
        Gap::StillThere => format!("it is still there: {run}"),
        Gap::NoFile { path } => format!("the file {path} does not exist yet: {run}"),
        Gap::NotRun => run,
        Gap::Differs if !settled => {
            "the cluster is still changing: wait a moment, or press F7 to run the clock until it settles".to_string()
        }
        Gap::Differs if ran_it => format!(
            "the cluster is not yet as the step asks, though its command ran: read the step again (it may ask for a change first, or for the command again), then {run}"
        ),
        Gap::Differs => format!("the cluster is not yet as the step asks: {run}"),
    }
}

/// "run `cmd` (F3 puts it in the prompt)", said for a one-line command or a heredoc.
fn run_the_command(step: &Step) -> String {
    let Some(command) = step
        .command
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    else {
        return "do what the step's text asks".to_string();
    };
    let mut lines = command.lines();
    let first = lines.next().unwrap_or("").trim();
    if lines.next().is_none() {
        return format!(
            "run `{}` (F3 puts it in the prompt)",
            cut(first, MAX_QUOTED_CHARS)
        );
    }
    let shown = cut(first, MAX_FIRST_LINE_CHARS);
    let what = if first.contains("<<") {
        "the heredoc"
    } else {
        "the multi-line command"
    };
    let saves = first.contains("tee ") || first.contains("> ");
    let applies =
        first.contains("kubectl") && (first.contains(" apply") || first.contains(" create"));
    let does = match (saves, applies) {
        (true, true) => ", which saves the manifest with tee and applies it",
        (true, false) => ", which saves the manifest to a file",
        (false, true) => ", which sends the manifest to the cluster",
        (false, false) => "",
    };
    format!("run {what} that starts `{shown}`{does} (F3 puts it all in the prompt)")
}

fn cut(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
