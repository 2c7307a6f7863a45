//! The controllers of the simulated control plane, one per file, each a `sync` that the
//! cluster runs until nothing is left to do at the current instant.

pub mod claims;
pub mod config_quantity;
pub mod config_refs;
pub mod daemonset;
#[cfg(debug_assertions)]
mod daemonset_check;
pub(super) mod daemonset_state;
pub mod deployment;
pub mod endpoints;
pub mod endpointslice;
pub mod kubelet;
pub mod kubelet_backoff;
mod kubelet_config;
pub mod kubelet_node;
pub mod namespace;
pub mod node_lifecycle;
pub mod replicaset;
pub mod scheduler;
pub mod taint_manager;
pub mod template_hash;

use crate::engine::value::Value;

use super::Cluster;
use super::index::Watch;
use super::objects::Kind;

/// What the controllers remember between passes, each its own part. The cluster holds it
/// and saves it flattened (the saved field names are the controllers' own), so a state file
/// keeps the shape it always had.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Memory {
    #[serde(flatten)]
    pub(crate) kubelet: kubelet::KubeletMemory,
    #[serde(flatten)]
    pub(crate) scheduler: scheduler::SchedulerMemory,
    #[serde(flatten)]
    pub(crate) taints: taint_manager::TaintManagerMemory,
    #[serde(flatten)]
    pub(crate) replicasets: replicaset::ReplicaSetMemory,
    #[serde(skip)]
    pub(crate) daemonsets: daemonset::DaemonSetMemory,
    #[serde(flatten)]
    pub(crate) runtime: crate::engine::runtime::RuntimeMemory,
    #[serde(skip)]
    pub(crate) endpoints: endpoints::EndpointsMemory,
}

impl Memory {
    /// Forgets what any controller remembered of a pod that is gone.
    pub(crate) fn forget_pod(&mut self, uid: &str) {
        self.kubelet.kubelet_seen.remove(uid);
        self.runtime.container_runs.remove(uid);
        self.taints.evictions.remove(uid);
        self.scheduler.sched_messages.remove(uid);
        self.scheduler.sched_backoff.remove(uid);
    }
}

/// The wait after failed attempt number `attempt` (1 = the first) of a back-off that starts at
/// `initial` and doubles up to `max`: how kubelet image pulls, the scheduler's queue and the
/// ReplicaSet work queue all back off.
pub(crate) fn doubling_backoff(
    initial: std::time::Duration,
    max: std::time::Duration,
    attempt: u32,
) -> std::time::Duration {
    initial
        .saturating_mul(1 << attempt.saturating_sub(1).min(31))
        .min(max)
}

/// Counts one more failed attempt in a row for `uid`, made at `now` (what a back-off is
/// computed from: the scheduler's per pod, the ReplicaSet work queue's per ReplicaSet).
pub(crate) fn note_failure(
    failures: &mut std::collections::BTreeMap<String, (u32, crate::engine::SimTime)>,
    uid: &str,
    now: crate::engine::SimTime,
) {
    let entry = failures.entry(uid.to_string()).or_insert((0, now));
    *entry = (entry.0.saturating_add(1), now);
}

/// The objects of `kind` a controller's watch names: every one when the watch says all.
pub fn watched<'a>(
    c: &'a Cluster,
    kind: Kind,
    watch: &'a Watch,
) -> Box<dyn Iterator<Item = &'a Value> + 'a> {
    if watch.all {
        Box::new(c.list(kind, None))
    } else {
        Box::new(c.store.get_all(kind, &watch.keys))
    }
}

/// Pods controlled by the owner with `uid`.
pub fn owned_pods<'a>(c: &'a Cluster, uid: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    c.store
        .get_all(Kind::Pod, c.store.index().pods_owned_by(uid))
}

/// FNV-1a 64 of `data` (a seed derived from a name).
pub fn fnv64(data: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a 32 of `data`, printed as kube's `ComputeHash` prints it: the decimal digits
/// mapped through `rand.SafeEncodeString`.
pub fn compute_hash(data: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in data.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    const SAFE: &[u8; 10] = b"456789bcdf";
    h.to_string()
        .bytes()
        .map(|d| SAFE[usize::from(d - b'0')] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_use_only_safe_characters() {
        let h = compute_hash("{\"spec\":{}}");
        assert!(!h.is_empty() && h.len() <= 10);
        assert!(h.bytes().all(|c| b"456789bcdf".contains(&c)), "{h}");
        assert_eq!(h, compute_hash("{\"spec\":{}}"));
    }
}
