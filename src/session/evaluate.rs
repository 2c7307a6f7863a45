//! Step checks evaluated against the learner's world: the cluster, the virtual files and the
//! commands run during the step. A `kubectl get ... -o jsonpath=` condition reads the objects
//! straight from the engine, wrapped exactly as `kubectl get` would hand them to its printer
//! (one object, or a `List`), and runs the same jsonpath `Template`; kubectl's text output is
//! never parsed. Pure: nothing here changes the cluster or the files.
//!
//! Must not import: the TUI, terminals, std::fs or std::process.

use std::fmt;

use super::progress::RanCommand;
use crate::api::query::Query;
use crate::api::views::ObjectView;
use crate::content::{Check, Condition, FileTest, Op, Step, effect, equivalent};
use crate::engine::Cluster;
use crate::engine::objects::Kind;
use crate::shell::vfs::Vfs;

/// Longest observed value quoted back to the learner (characters); the rest is cut.
const MAX_OBSERVED_CHARS: usize = 160;

/// What a check is evaluated against.
#[derive(Clone, Copy, Debug)]
pub struct EvalContext<'a> {
    pub cluster: &'a Cluster,
    pub vfs: &'a Vfs,
    /// The shell's working directory, for relative `file` paths.
    pub cwd: &'a str,
    /// The command lines run while the step was current, oldest first.
    pub ran: &'a [RanCommand],
}

/// The first condition a step still waits for, in words a learner can read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Unmet {
    /// The condition as the lesson states it (`ran COMMAND` for a step without a check).
    pub condition: String,
    /// What the learner's world shows now.
    pub observed: String,
    /// What the condition wants.
    pub expected: String,
    /// What kind of gap this is, for a hint in plain words.
    /// Boxed: an `Unmet` travels in `Err` and should stay small.
    #[serde(skip)]
    pub gap: Box<Gap>,
    /// The jsonpath template a query condition compares, so a hint can say what the
    /// expected value is of (`"3" for {.status.numberReady}`).
    #[serde(skip)]
    pub field: Option<String>,
}

/// What stands between the learner's world and a condition, in terms a hint can name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Gap {
    /// The object the condition reads does not exist (yet).
    Missing {
        /// The kind as the API spells it (`DaemonSet`).
        kind: String,
        name: String,
        namespace: Option<String>,
    },
    /// An object that should be gone is still there (or still being deleted).
    StillThere,
    /// The file the condition reads does not exist.
    NoFile { path: String },
    /// A command (or an equivalent one) has not run successfully during the step.
    NotRun,
    /// Everything is there, but a value is not yet what the condition wants.
    #[default]
    Differs,
}

impl fmt::Display for Unmet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: observed {}, expected {}",
            self.condition, self.observed, self.expected
        )
    }
}

/// Whether every condition of `check` holds; the first one that does not is the error.
pub fn evaluate(check: &Check, ctx: &EvalContext<'_>) -> Result<(), Unmet> {
    check.conditions.iter().try_for_each(|c| condition(c, ctx))
}

/// Whether a step is complete: its check holds or, for a step without one (an unmodified Hugo
/// chapter), every command of its block (or an equivalent one) ran during the step. A step with
/// neither a check nor a command has nothing to wait for.
pub fn evaluate_step(step: &Step, ctx: &EvalContext<'_>) -> Result<(), Unmet> {
    match &step.check {
        Some(check) => evaluate(check, ctx),
        None => step
            .commands()
            .iter()
            .try_for_each(|command| ran(command, &short_command(command), ctx)),
    }
}

/// One condition.
pub fn condition(condition: &Condition, ctx: &EvalContext<'_>) -> Result<(), Unmet> {
    let unmet = |observed: String, expected: String| Unmet {
        condition: condition.to_string(),
        observed,
        expected,
        gap: Box::new(Gap::Differs),
        field: match condition {
            Condition::Query { query, .. } => query.text().template.clone(),
            _ => None,
        },
    };
    let missing = |observed: String, expected: String, query: &Query| Unmet {
        gap: Box::new(missing_object(query, ctx.cluster).unwrap_or_default()),
        ..unmet(observed, expected)
    };
    match condition {
        Condition::Query {
            query,
            op,
            expected,
        } => {
            let observed = query
                .observe(ctx.cluster)
                .map_err(|why| missing(why, wanted(*op, expected), query))?;
            if op.holds(&observed, expected) {
                Ok(())
            } else {
                Err(unmet(quote(&observed), wanted(*op, expected)))
            }
        }
        Condition::Exists(query) => match query.object(ctx.cluster) {
            Ok(_) => Ok(()),
            Err(why) => Err(missing(why, "it exists".to_string(), query)),
        },
        Condition::Absent(query) => match query.object(ctx.cluster) {
            Ok(obj) if ObjectView::of(obj).is_deleting() => Err(Unmet {
                gap: Box::new(Gap::StillThere),
                ..unmet(
                    "it is still being deleted".to_string(),
                    "it is gone".to_string(),
                )
            }),
            Ok(_) => Err(Unmet {
                gap: Box::new(Gap::StillThere),
                ..unmet("it exists".to_string(), "it is gone".to_string())
            }),
            Err(_) => Ok(()),
        },
        Condition::File { path, test } => {
            let read = ctx.vfs.read(ctx.cwd, path);
            match (test, read) {
                (FileTest::Exists, Ok(_)) => Ok(()),
                (FileTest::Contains(text), Ok(data)) if data.contains(text.as_str()) => Ok(()),
                (FileTest::Exists, Err(e)) => Err(Unmet {
                    gap: Box::new(Gap::NoFile { path: path.clone() }),
                    ..unmet(e.to_string(), "the file exists".to_string())
                }),
                (FileTest::Contains(text), Ok(_)) => Err(unmet(
                    format!("the file does not contain {}", quote(text)),
                    format!("it contains {}", quote(text)),
                )),
                (FileTest::Contains(text), Err(e)) => Err(Unmet {
                    gap: Box::new(Gap::NoFile { path: path.clone() }),
                    ..unmet(
                        e.to_string(),
                        format!("the file exists and contains {}", quote(text)),
                    )
                }),
            }
        }
        Condition::Ran(command) => ran(command, &condition.to_string(), ctx),
    }
}

/// `ran COMMAND`: some command run during the step, which succeeded, is equivalent to it,
/// or had the same effect: for a write, the objects COMMAND declares were created or changed
/// by the step's commands and now hold every field its manifest sets; for a `kubectl get`,
/// a successful `get` of the same resources (print and filter flags may be added).
fn ran(command: &str, shown: &str, ctx: &EvalContext<'_>) -> Result<(), Unmet> {
    let matching: Vec<&RanCommand> = ctx
        .ran
        .iter()
        .filter(|r| equivalent(command, &r.line))
        .collect();
    if matching.iter().any(|r| r.status == 0) {
        return Ok(());
    }
    let succeeded = || ctx.ran.iter().filter(|r| r.status == 0);
    if succeeded().any(|r| effect::same_read(command, &r.line)) {
        return Ok(());
    }
    let by_effect = super::by_effect::same_writes(command, ctx);
    if by_effect == Ok(true) {
        return Ok(());
    }
    let last_ok = succeeded().next_back();
    let observed = match (matching.last(), &by_effect, last_ok, ctx.ran.last()) {
        (Some(failed), _, _, _) => {
            format!("it ran but failed (exit status {})", failed.status)
        }
        (None, Err(why), _, _) => why.clone(),
        (None, Ok(_), Some(last), _) => {
            let diff = effect::difference(command, &last.line)
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            format!(
                "other commands only (the last that succeeded was {}{diff})",
                quote(&short_command(&last.line))
            )
        }
        (None, Ok(_), None, Some(last)) => format!(
            "other commands only, and they failed (the last was {})",
            quote(&short_command(&last.line))
        ),
        (None, Ok(_), None, None) => "no command run during this step yet".to_string(),
    };
    Err(Unmet {
        condition: shown.to_string(),
        observed,
        expected: "this command, or an equivalent one, to succeed".to_string(),
        gap: Box::new(Gap::NotRun),
        field: None,
    })
}

/// `ran ` and the first line of a command (a heredoc body is summarised as `…`).
fn short_command(command: &str) -> String {
    let mut lines = command.lines();
    let first = lines.next().unwrap_or("").trim();
    if lines.next().is_some() {
        format!("ran {first} …")
    } else {
        format!("ran {first}")
    }
}

/// The expectation of `op` against `expected`, in words.
fn wanted(op: Op, expected: &str) -> String {
    let e = quote(expected.trim());
    match op {
        Op::Eq => e,
        Op::Ne => format!("anything but {e}"),
        Op::Ge => format!("a number >= {e}"),
        Op::Le => format!("a number <= {e}"),
        Op::Gt => format!("a number > {e}"),
        Op::Lt => format!("a number < {e}"),
        Op::SameWords => format!("the words {e} in any order"),
        Op::Contains => format!("text containing {e}"),
        Op::NotContains => format!("text without {e}"),
    }
}

/// An observed or expected text in quotes, cut when long; empty text is named as such.
fn quote(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return "nothing (empty output)".to_string();
    }
    let mut cut: String = text.chars().take(MAX_OBSERVED_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    format!("\"{}\"", cut.replace('\n', " "))
}

/// The object a named query reads when it does not exist (`None` when it does, or when the
/// query names no single object): what the learner has to create next.
fn missing_object(query: &Query, cluster: &Cluster) -> Option<Gap> {
    let name = query.text().name.as_deref()?;
    if query.object(cluster).is_ok() {
        return None;
    }
    let kind = query.kind();
    // A namespaced object whose namespace is missing: the namespace is what to create.
    if let Some(ns) = query.scope()
        && cluster.get(Kind::Namespace, "", ns).is_none()
    {
        return Some(Gap::Missing {
            kind: Kind::Namespace.name().to_string(),
            name: ns.to_string(),
            namespace: None,
        });
    }
    Some(Gap::Missing {
        kind: kind.name().to_string(),
        name: name.to_string(),
        namespace: query.scope().map(str::to_string),
    })
}
