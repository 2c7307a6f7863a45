//! The store's pod counts per ReplicaSet: how many of its pods are not being deleted, how
//! many of those are live (not Succeeded or Failed) and how many are ready, kept current on
//! every pod write. The ReplicaSet controller reads them instead of walking its pods, so a
//! sync costs the same at 5 replicas and at 5,000.
//!
//! Part of the derived indexes (see `index.rs`); must not import anything outside the engine.

use std::collections::HashMap;

use serde_json::Value;

use super::objects::{meta, pod};
use super::store::ObjKey;

/// The counts of one ReplicaSet's pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PodCounts {
    /// Pods without a deletionTimestamp (`status.replicas`).
    pub not_deleting: usize,
    /// Of those, pods not Succeeded or Failed (what the controller keeps at `spec.replicas`).
    pub live: usize,
    /// Of those, pods Ready.
    pub ready: usize,
}

/// What one pod adds to its owner's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PodState {
    not_deleting: bool,
    live: bool,
    ready: bool,
}

impl PodState {
    fn of(p: &Value) -> PodState {
        let not_deleting = !meta::is_deleting(p);
        PodState {
            not_deleting,
            live: not_deleting && !matches!(pod::phase(p), "Succeeded" | "Failed"),
            ready: not_deleting && pod::is_ready(p),
        }
    }

    fn apply(self, counts: &mut PodCounts, add: bool) {
        let step = |n: &mut usize, on: bool| {
            if on {
                *n = if add { *n + 1 } else { n.saturating_sub(1) };
            }
        };
        step(&mut counts.not_deleting, self.not_deleting);
        step(&mut counts.live, self.live);
        step(&mut counts.ready, self.ready);
    }
}

/// The counts by ReplicaSet uid, and what each counted pod contributes.
#[derive(Clone, Debug, Default)]
pub struct OwnerCounts {
    pods: HashMap<ObjKey, (String, PodState)>,
    counts: HashMap<String, PodCounts>,
}

impl OwnerCounts {
    /// Files a pod just written (`obj`) or removed (`None`) under `key`.
    pub fn note(&mut self, key: &ObjKey, obj: Option<&Value>) {
        let new = obj.and_then(|p| {
            let (kind, _, uid) = meta::controller_ref(p)?;
            (kind == "ReplicaSet").then(|| (uid, PodState::of(p)))
        });
        if let (Some((uid, state)), Some((old_uid, old_state))) = (&new, self.pods.get(key))
            && uid == old_uid
            && state == old_state
        {
            return;
        }
        if let Some((old_uid, old_state)) = self.pods.remove(key)
            && let Some(c) = self.counts.get_mut(&old_uid)
        {
            old_state.apply(c, false);
            if *c == PodCounts::default() {
                self.counts.remove(&old_uid);
            }
        }
        if let Some((uid, state)) = new {
            state.apply(self.counts.entry(uid.to_string()).or_default(), true);
            self.pods.insert(key.clone(), (uid.to_string(), state));
        }
    }

    /// The counts of the ReplicaSet with `uid` (all zero when it has no pods).
    pub fn of(&self, uid: &str) -> PodCounts {
        self.counts.get(uid).copied().unwrap_or_default()
    }

    /// Whether two indexes count the same pods the same way.
    pub fn files_like(&self, other: &OwnerCounts) -> bool {
        self.pods == other.pods && self.counts == other.counts
    }
}
