//! A learner's progress through one lesson as plain data: the simulated cluster with its clock,
//! the shell (files, history), the step cursor, what was run and what help was used in each
//! step, and the quiz answers. It is `Serialize + Deserialize` so that progress can be saved and
//! resumed; the lesson itself is not part of it (it is loaded again from its source).
//!
//! Must not import: the TUI, terminals, std::fs. Saving and loading live at the edge.

use serde::{Deserialize, Serialize};

use crate::content::Response;
use crate::engine::Cluster;
use crate::engine::clock::SimTime;
use crate::shell::Shell;

/// Most command lines kept per step; the oldest are dropped first (the shell keeps its own
/// history, so this only bounds memory on a runaway step).
pub const MAX_RAN_PER_STEP: usize = 1000;

/// Everything a session changes, as plain data.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Progress {
    /// The seed the cluster was made with (a lesson reset makes the same cluster again).
    pub seed: u64,
    pub workers: usize,
    pub cluster: Cluster,
    pub shell: Shell,
    /// Index of the current step; the number of steps once the lesson is finished.
    pub current: usize,
    /// One record per step of the lesson, in order.
    pub steps: Vec<StepRecord>,
    /// The cluster and shell as the current step found them, so the step can be reset.
    pub checkpoint: Option<Box<Checkpoint>>,
    /// One answer per quiz question, in source order.
    pub answers: Vec<Response>,
}

/// What happened in one step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// When the step first became current (simulated time).
    pub started_at: Option<SimTime>,
    /// When its check first held.
    pub completed_at: Option<SimTime>,
    /// Command lines run while this step was current (cleared by a step reset).
    pub ran: Vec<RanCommand>,
    /// How often the learner asked what the step waits for.
    pub hints: u32,
    /// How often the learner had the step's command put in the prompt.
    pub solutions: u32,
}

/// One command line the learner ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RanCommand {
    pub line: String,
    /// The exit status: a `ran` condition only counts lines that succeeded.
    pub status: i32,
    pub at: SimTime,
    /// The objects the command created or changed (a step without a check may be done by
    /// a differently spelled command with the same effect). Older saves have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<Touched>,
}

/// Most objects kept per command in [`RanCommand::changed`] (a command that changes more is
/// judged by the first ones).
pub const MAX_TOUCHED_PER_COMMAND: usize = 100;

/// An object a command created or changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Touched {
    /// The kind as the API spells it (`DaemonSet`).
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// The newest change's sequence number, to tell later changes from earlier ones.
pub fn last_change(cluster: &Cluster) -> Option<u64> {
    cluster.changes().back().map(|c| c.seq)
}

/// The objects added or modified after change `after`, each once, at most
/// [`MAX_TOUCHED_PER_COMMAND`].
pub fn touched_since(cluster: &Cluster, after: Option<u64>) -> Vec<Touched> {
    use crate::engine::events::ChangeKind;
    let mut out: Vec<Touched> = Vec::new();
    for c in cluster
        .changes()
        .iter()
        .filter(|c| after.is_none_or(|a| c.seq > a))
    {
        if c.what == ChangeKind::Deleted {
            continue;
        }
        let t = Touched {
            kind: c.kind.name().to_string(),
            namespace: c.namespace.clone(),
            name: c.name.clone(),
        };
        if !out.contains(&t) {
            if out.len() >= MAX_TOUCHED_PER_COMMAND {
                break;
            }
            out.push(t);
        }
    }
    out
}

/// The cluster and the shell at the start of a step.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Checkpoint {
    pub cluster: Cluster,
    pub shell: Shell,
}

impl Progress {
    /// A fresh cluster and shell, at the first step.
    pub fn start(seed: u64, workers: usize, steps: usize, questions: usize) -> Progress {
        Progress {
            seed,
            workers,
            cluster: Cluster::kind(seed, workers),
            shell: Shell::new(),
            current: 0,
            steps: vec![StepRecord::default(); steps],
            checkpoint: None,
            answers: vec![Response::Unanswered; questions],
        }
    }

    /// Makes saved progress fit a lesson that may have changed since it was saved: one record
    /// per step, one answer per question, the cursor within bounds.
    pub fn fit(&mut self, steps: usize, questions: usize) {
        self.steps.resize_with(steps, StepRecord::default);
        self.answers.resize(questions, Response::Unanswered);
        self.current = self.current.min(steps);
    }
}
