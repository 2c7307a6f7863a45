//! A learner's progress through one lesson as plain data: the simulated cluster with its clock,
//! the shell (files, history), the step cursor, what was run and what help was used in each
//! step, and the quiz answers. It is `Serialize + Deserialize` so that progress can be saved and
//! resumed; the lesson itself is not part of it (it is loaded again from its source).
//!
//! Must not import: the TUI, terminals, std::fs. Saving and loading live at the edge.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::content::Response;
use crate::engine::Cluster;
use crate::engine::clock::SimTime;
use crate::engine::objects::Kind;
use crate::shell::Shell;

use super::delta::Delta;

/// Most command lines kept per step; the oldest are dropped first (the shell keeps its own
/// history, so this only bounds memory on a runaway step).
pub const MAX_RAN_PER_STEP: usize = 1000;

/// Everything a session changes, as plain data. Saved with the checkpoint written as its
/// difference from the present cluster and shell ([`Delta`]), so a save holds one cluster.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "ProgressWire")]
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
    /// The tutor played the step for the learner (a workshop started at a later chapter
    /// replays the chapters before it): not the learner's work in class results.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
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

/// Up to how many nodes a checkpoint is saved as its difference from the present (the
/// workshop's clusters have 4; a 5,000-node cluster's trees would take gigabytes).
const MAX_DELTA_NODES: usize = 100;

/// How [`Progress`] is read back.
#[derive(Deserialize)]
struct ProgressWire {
    seed: u64,
    workers: usize,
    cluster: Cluster,
    shell: Shell,
    current: usize,
    steps: Vec<StepRecord>,
    /// The checkpoint, whole: what files written before the delta was introduced hold.
    #[serde(default)]
    checkpoint: Option<Box<Checkpoint>>,
    /// The checkpoint as its difference from `{"cluster": .., "shell": ..}` above.
    #[serde(default)]
    checkpoint_delta: Option<Delta>,
    answers: Vec<Response>,
}

/// The present cluster and shell as one value, the base a checkpoint's delta is taken from.
fn world(cluster: &Cluster, shell: &Shell) -> Result<Value, serde_json::Error> {
    Ok(serde_json::json!({
        "cluster": serde_json::to_value(cluster)?,
        "shell": serde_json::to_value(shell)?,
    }))
}

/// The same, borrowed, so a save copies nothing but the checkpoint's difference.
#[derive(Serialize)]
struct ProgressWireRef<'a> {
    seed: u64,
    workers: usize,
    cluster: &'a Cluster,
    shell: &'a Shell,
    current: usize,
    steps: &'a [StepRecord],
    #[serde(skip_serializing_if = "Option::is_none")]
    checkpoint: Option<&'a Checkpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checkpoint_delta: Option<Delta>,
    answers: &'a [Response],
}

impl Serialize for Progress {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Serialising our own types to values cannot fail (string keys, no non-finite
        // floats); should it ever, the checkpoint is saved whole rather than lost. A large
        // cluster's checkpoint is saved whole too: its difference would first build both
        // clusters as JSON trees, twice the cluster's memory for every save.
        let (checkpoint, checkpoint_delta) = match self.checkpoint.as_deref() {
            None => (None, None),
            Some(c) if self.cluster.count(Kind::Node) > MAX_DELTA_NODES => (Some(c), None),
            Some(c) => match (
                world(&self.cluster, &self.shell),
                world(&c.cluster, &c.shell),
            ) {
                (Ok(base), Ok(then)) => (None, Some(Delta::between(&base, &then))),
                _ => (Some(c), None),
            },
        };
        ProgressWireRef {
            seed: self.seed,
            workers: self.workers,
            cluster: &self.cluster,
            shell: &self.shell,
            current: self.current,
            steps: &self.steps,
            checkpoint,
            checkpoint_delta,
            answers: &self.answers,
        }
        .serialize(s)
    }
}

impl TryFrom<ProgressWire> for Progress {
    type Error = String;

    fn try_from(w: ProgressWire) -> Result<Progress, String> {
        let checkpoint = match (w.checkpoint, &w.checkpoint_delta) {
            (Some(c), _) => Some(c),
            (None, None) => None,
            (None, Some(delta)) => {
                let base = world(&w.cluster, &w.shell).map_err(|e| e.to_string())?;
                let then = delta.apply(&base).map_err(|e| e.to_string())?;
                let c: Checkpoint = serde_json::from_value(then)
                    .map_err(|e| format!("the step's checkpoint does not load: {e}"))?;
                Some(Box::new(c))
            }
        };
        Ok(Progress {
            seed: w.seed,
            workers: w.workers,
            cluster: w.cluster,
            shell: w.shell,
            current: w.current,
            steps: w.steps,
            checkpoint,
            answers: w.answers,
        })
    }
}

impl Progress {
    /// A fresh cluster and shell, at the first step.
    pub fn start(seed: u64, workers: usize, steps: usize, questions: usize) -> Progress {
        Progress::start_from(
            crate::content::Start::Tutor,
            seed,
            workers,
            steps,
            questions,
        )
    }

    /// A fresh world for `start` (see [`super::start::world`]), at the first step.
    pub fn start_from(
        start: crate::content::Start,
        seed: u64,
        workers: usize,
        steps: usize,
        questions: usize,
    ) -> Progress {
        let (cluster, shell) = super::start::world(start, seed, workers);
        Progress {
            seed,
            workers,
            cluster,
            shell,
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
