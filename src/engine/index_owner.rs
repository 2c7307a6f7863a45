//! What the store files by controller: the pod counts per ReplicaSet (how many of its pods
//! are not being deleted, how many of those are live, not Succeeded or Failed, and how many
//! are ready), and the objects (ReplicaSets, ControllerRevisions) each controller owns.
//! Kept current on every write, so the ReplicaSet controller reads counts instead of walking
//! its pods, and the Deployment and DaemonSet controllers find their ReplicaSets and
//! revisions without walking every one in the namespace.
//!
//! Part of the derived indexes (see `index.rs`); must not import anything outside the engine.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::value::Value;

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

/// Objects of one kind by their controller's uid, and each one's controller.
#[derive(Clone, Debug, Default)]
pub struct Owned {
    by_owner: BTreeMap<String, BTreeSet<ObjKey>>,
    /// Per object: its controller's kind, key (same namespace) and uid.
    owner: HashMap<ObjKey, (String, ObjKey, String)>,
}

impl Owned {
    /// Files an object just written (`obj`) or removed (`None`). Returns the controllers
    /// (kind and key) it was and is filed under: those must look at it again.
    pub fn note(&mut self, key: &ObjKey, obj: Option<&Value>) -> Vec<(String, ObjKey)> {
        let mut touched = Vec::new();
        if let Some((kind, owner_key, uid)) = self.owner.remove(key) {
            if let Some(set) = self.by_owner.get_mut(&uid) {
                set.remove(key);
                if set.is_empty() {
                    self.by_owner.remove(&uid);
                }
            }
            touched.push((kind, owner_key));
        }
        if let Some((kind, name, uid)) = obj.and_then(meta::controller_ref) {
            let owner_key = ObjKey::new(&key.namespace, name);
            self.by_owner
                .entry(uid.to_string())
                .or_default()
                .insert(key.clone());
            self.owner.insert(
                key.clone(),
                (kind.to_string(), owner_key.clone(), uid.to_string()),
            );
            if !touched.iter().any(|(k, o)| k == kind && *o == owner_key) {
                touched.push((kind.to_string(), owner_key));
            }
        }
        touched
    }

    /// The objects whose controller has `uid`, in (namespace, name) order.
    pub fn owned_by(&self, uid: &str) -> impl Iterator<Item = &ObjKey> {
        self.by_owner.get(uid).into_iter().flatten()
    }

    pub fn files_like(&self, other: &Owned) -> bool {
        self.by_owner == other.by_owner && self.owner == other.owner
    }
}
