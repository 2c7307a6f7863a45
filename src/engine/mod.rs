//! The simulated KinD v1.21 cluster.
//!
//! Must not import: ratatui, crossterm, tokio, std::fs, or any real clock. Time moves
//! only inside [`Cluster::advance`]; randomness comes from one seeded [`rng::Rng`].
//!
//! Objects are held as JSON values, as the API server's unstructured objects are, so
//! that every field a learner writes round-trips to `-o yaml`; controllers read them
//! through the typed views in [`objects`]. The values are our own compact kind
//! ([`value::Value`]: inline short strings, sorted copy-on-write maps), and the [`store`]
//! keeps every distinct map once (`value/intern.rs`), so 5,000 nodes with 15,000 pods fit
//! in under 300 MB.

pub mod admission;
mod api;
pub mod bootstrap;
pub mod bootstrap_config;
pub mod clock;
mod controllers;
pub mod error;
pub mod events;
pub mod images;
mod index;
mod index_daemon;
mod index_owner;
pub mod objects;
pub mod rng;
pub mod runtime;
pub mod schema;
mod service_accounts;
pub mod service_ip;
pub mod store;
pub mod timings;
pub mod value;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::engine::value::Value;
use serde::{Deserialize, Serialize};

pub use admission::validation::{dns1123_label, dns1123_subdomain, label_value, qualified_name};
pub use api::{DeleteOptions, QUOTA_BASE, QUOTA_PER_NODE};
pub use clock::SimTime;
pub use controllers::config_quantity::{parse_quantity, resource_field_value};
pub use controllers::config_refs::{self, ConfigError};
pub use controllers::daemonset::{Placement, daemon_tolerations, placement};
pub use error::{ApiError, FieldError};
pub use events::{ChangeKind, ChangeRecord};
pub use objects::Kind;
use store::{ObjKey, Store};

/// Something a controller, the kubelet or the taint manager must do at a given time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Timer {
    /// Re-run the controllers (a delay they asked for has passed).
    Wake,
    /// Every kubelet reports its node's status (conditions' `lastHeartbeatTime`).
    Heartbeat,
    /// A node that just joined becomes Ready: its CNI is up (see `bootstrap`).
    NodeReady { node: String },
    /// The kubelet moves a pod to its next lifecycle stage.
    Kubelet {
        pod: PodRef,
        stage: controllers::kubelet::Stage,
    },
    /// The taint manager's delayed eviction (tolerationSeconds) falls due.
    Evict { pod: PodRef },
    /// A terminating pod's containers have stopped: the pod object goes away.
    PodGone { pod: PodRef },
    /// A ReplicaSet whose last sync failed is synced again (the work queue's back-off).
    RsRetry {
        namespace: String,
        name: String,
        uid: String,
    },
}

/// A pod, by namespace, name and uid (the uid guards against a same-named successor).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct PodRef {
    namespace: String,
    name: String,
    uid: String,
}

impl PodRef {
    fn of(pod: &Value) -> PodRef {
        PodRef {
            namespace: objects::meta::namespace(pod).to_string(),
            name: objects::meta::name(pod).to_string(),
            uid: objects::meta::uid(pod).to_string(),
        }
    }
}

/// The simulated cluster: the one entry point for everything that reads or changes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cluster {
    store: Store,
    now: SimTime,
    rng: rng::Rng,
    #[serde(with = "timed_entries")]
    timers: BTreeMap<(SimTime, u64), Timer>,
    /// Timers of background loops that change nothing anything else depends on: kubelet
    /// heartbeats and image-pull retries that will never succeed. Kept apart so that
    /// `advance` can see how far it may jump them ahead (see `fast_forward`).
    #[serde(default, with = "timed_entries")]
    background: BTreeMap<(SimTime, u64), Timer>,
    timer_seq: u64,
    /// What each controller remembers between passes (its own part; saved under the same
    /// field names as ever, so state files keep their shape).
    #[serde(flatten)]
    controllers: controllers::Memory,
    events: events::EventLog,
    /// The resourceVersion at which the controllers last had nothing to do; while it is
    /// unchanged (and no Wake fell due) another pass would find nothing either.
    #[serde(default)]
    settled_rv: Option<u64>,
}

impl Cluster {
    /// An empty cluster (no nodes, no namespaces) at `now`.
    pub fn empty(seed: u64, now: SimTime) -> Cluster {
        Cluster {
            store: Store::with_resource_version(1),
            now,
            rng: rng::Rng::seeded(seed),
            timers: BTreeMap::new(),
            background: BTreeMap::new(),
            timer_seq: 0,
            controllers: controllers::Memory::default(),
            events: events::EventLog::default(),
            settled_rv: None,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// One object, by kind, namespace ("" for cluster-scoped kinds) and name.
    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Value> {
        self.store.get(kind, &ObjKey::new(namespace, name))
    }

    /// Objects of a kind, in one namespace or all, in (namespace, name) order.
    pub fn list<'a>(
        &'a self,
        kind: Kind,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = &'a Value> + use<'a> {
        self.store.list(kind, namespace)
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.store.count(kind)
    }

    /// The cluster-wide resourceVersion (grows with every write).
    pub fn resource_version(&self) -> u64 {
        self.store.resource_version()
    }

    /// Moves simulated time forward by `dt`, firing every timer that falls due on the way
    /// and letting the controllers settle after each. Background loops (heartbeats,
    /// image-pull retries at their longest back-off) are jumped over in whole periods
    /// while nothing else is due, so the cost follows what changes, not how long it is.
    pub fn advance(&mut self, dt: Duration) {
        let target = self.now + dt;
        self.settle_now();
        loop {
            let next_fg = self.timers.first_key_value().map(|(k, _)| k.0);
            let next_bg = self.background.first_key_value().map(|(k, _)| k.0);
            let Some(at) = next_fg.into_iter().chain(next_bg).min() else {
                break;
            };
            if at > target {
                break;
            }
            if at > self.now {
                self.now = at;
            }
            if next_fg != Some(at) {
                // Only background timers are due: until the next foreground timer (or the
                // target), nothing else happens that they could affect or depend on.
                let horizon = next_fg.map_or(target, |f| f.min(target));
                self.fast_forward(at, horizon);
                if self.background.first_key_value().map(|(k, _)| k.0) != Some(at) {
                    continue;
                }
            }
            // Everything due at this instant happens together, then the controllers
            // react once: a rollout over many nodes costs a few passes, not one per pod.
            let mut due = split_due(&mut self.timers, at);
            due.append(&mut split_due(&mut self.background, at));
            for (_, timer) in due {
                self.fire(timer);
            }
            self.settle_now();
        }
        self.now = target;
        self.expire_events();
        self.settle_now();
    }

    /// Jumps the background timers due at `at` ahead by whole periods that end before
    /// `horizon`, applying the skipped periods in one step (heartbeats: nothing to keep;
    /// image-pull retries: their events' counts and times).
    fn fast_forward(&mut self, at: SimTime, horizon: SimTime) {
        let due = split_due(&mut self.background, at);
        for ((_, seq), timer) in due {
            let moved = match &timer {
                Timer::Heartbeat => controllers::kubelet_node::skip_heartbeats(at, horizon),
                Timer::Kubelet { pod, stage } => {
                    controllers::kubelet_backoff::skip_retries(self, pod, *stage, at, horizon)
                }
                Timer::RsRetry {
                    namespace,
                    name,
                    uid,
                } => controllers::replicaset::skip_retries(self, namespace, name, uid, at, horizon),
                _ => None,
            };
            match moved {
                Some((later, timer)) => self.add_timer(later, timer),
                None => {
                    self.background.insert((at, seq), timer);
                }
            }
        }
    }

    /// When something will next happen on its own (a pod starting, stopping, an
    /// eviction), not counting image-pull retries that will never succeed.
    pub fn next_activity(&self) -> Option<SimTime> {
        // A state saved before background timers were kept apart may hold some here.
        self.timers
            .iter()
            .find(|(_, t)| !controllers::kubelet_backoff::is_retry(t))
            .map(|((at, _), _)| *at)
    }

    /// Advances until nothing more happens on its own, or `limit` has passed; returns
    /// the simulated time that passed.
    pub fn settle(&mut self, limit: Duration) -> Duration {
        let start = self.now;
        let end = start + limit;
        while let Some(at) = self.next_activity() {
            if at > end {
                break;
            }
            let step = Duration::from_millis(at.0.saturating_sub(self.now.0).max(0) as u64);
            self.advance(step);
        }
        Duration::from_millis((self.now.0 - start.0).max(0) as u64)
    }

    /// Whether the cluster has nothing left to do on its own.
    pub fn is_settled(&self) -> bool {
        self.next_activity().is_none()
    }

    /// The change log (what was added, modified or deleted, newest last), for views
    /// that highlight what just happened.
    pub fn changes(&self) -> &std::collections::VecDeque<ChangeRecord> {
        self.events.changes()
    }

    /// Whether the store's derived indexes equal indexes rebuilt from its objects (a save
    /// and a load): for tests, which check it after random operations. Costs a copy of
    /// the whole cluster.
    #[doc(hidden)]
    pub fn index_is_current(&self) -> bool {
        serde_json::to_string(self)
            .ok()
            .and_then(|text| serde_json::from_str::<Cluster>(&text).ok())
            .is_some_and(|rebuilt| self.store.index().files_like(rebuilt.store.index()))
    }

    /// The timing table the cluster runs with.
    pub fn timings(&self) -> timings::Timings {
        timings::TIMINGS
    }

    /// Makes sure the controllers run again at `at`.
    fn wake_at(&mut self, at: SimTime) {
        let exists = self
            .timers
            .range((at, 0)..=(at, u64::MAX))
            .any(|(_, t)| *t == Timer::Wake);
        if !exists {
            self.add_timer(at, Timer::Wake);
        }
    }

    fn add_timer(&mut self, at: SimTime, timer: Timer) {
        self.timer_seq += 1;
        if controllers::kubelet_backoff::is_retry(&timer) {
            self.background.insert((at, self.timer_seq), timer);
        } else {
            self.timers.insert((at, self.timer_seq), timer);
        }
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            // Something time-dependent (not a write) is due: the controllers must look again.
            Timer::Wake => self.settled_rv = None,
            Timer::Kubelet { pod, stage } => controllers::kubelet::advance_stage(self, &pod, stage),
            Timer::Evict { pod } => controllers::taint_manager::evict_due(self, &pod),
            Timer::Heartbeat => controllers::kubelet_node::heartbeat(self),
            Timer::NodeReady { node } => self.set_node_ready(&node, true),
            Timer::RsRetry {
                namespace, name, ..
            } => {
                self.controllers
                    .replicasets
                    .rs_waiting
                    .entry(self.now)
                    .or_default()
                    .insert(ObjKey::new(&namespace, &name));
                self.settled_rv = None;
            }
            Timer::PodGone { pod } => {
                if self.pod_matches(&pod) {
                    self.remove_object(Kind::Pod, &ObjKey::new(&pod.namespace, &pod.name));
                }
            }
        }
    }

    fn pod_matches(&self, pod: &PodRef) -> bool {
        self.get(Kind::Pod, &pod.namespace, &pod.name)
            .is_some_and(|p| objects::meta::uid(p) == pod.uid)
    }

    /// Runs every controller until none has anything left to do at this instant.
    fn settle_now(&mut self) {
        if self.settled_rv == Some(self.store.resource_version()) {
            return;
        }
        for _ in 0..64 {
            let before = self.store.resource_version();
            controllers::node_lifecycle::sync(self);
            controllers::namespace::sync(self);
            controllers::deployment::sync(self);
            controllers::claims::sync(self);
            controllers::replicaset::sync(self);
            controllers::daemonset::sync(self);
            controllers::scheduler::sync(self);
            controllers::kubelet::sync(self);
            controllers::taint_manager::sync(self);
            controllers::endpoints::sync(self);
            if self.store.resource_version() == before {
                break;
            }
        }
        self.settled_rv = Some(self.store.resource_version());
    }

    /// Writes an object, stamping its resourceVersion and logging the change.
    fn put(&mut self, kind: Kind, obj: Value) {
        let key = ObjKey::new(objects::meta::namespace(&obj), objects::meta::name(&obj));
        let what = if self.store.get(kind, &key).is_some() {
            ChangeKind::Modified
        } else {
            ChangeKind::Added
        };
        self.events.log_change(self.now, kind, &key, what);
        self.store.put(kind, key, obj);
    }

    fn remove_object(&mut self, kind: Kind, key: &ObjKey) -> Option<Value> {
        let removed = self.store.remove(kind, key);
        if removed.is_some() {
            self.events
                .log_change(self.now, kind, key, ChangeKind::Deleted);
            if kind == Kind::Pod
                && let Some(uid) = removed.as_ref().map(objects::meta::uid)
            {
                self.controllers.forget_pod(uid);
            }
            if kind == Kind::ReplicaSet
                && let Some(uid) = removed.as_ref().map(objects::meta::uid)
            {
                self.controllers.replicasets.rs_retry.remove(uid);
            }
        }
        removed
    }

    /// Changes a stored object in place and logs the write (no copy of the object).
    /// Returns whether the object exists.
    fn modify(&mut self, kind: Kind, key: &ObjKey, change: impl FnOnce(&mut Value)) -> bool {
        if self.store.get(kind, key).is_none() {
            return false;
        }
        self.events
            .log_change(self.now, kind, key, ChangeKind::Modified);
        self.store.modify(kind, key, change)
    }

    /// Changes fields of an object's `status` in place. Returns whether the object exists.
    fn write_status(
        &mut self,
        kind: Kind,
        key: &ObjKey,
        change: impl FnOnce(&mut crate::engine::value::Map),
    ) -> bool {
        self.modify(kind, key, |obj| {
            change(objects::meta::map_at(obj, &["status"]))
        })
    }

    /// Replaces an object's `status` (no write when nothing changed). Returns whether it wrote.
    fn set_status(&mut self, kind: Kind, namespace: &str, name: &str, status: Value) -> bool {
        let Some(current) = self.get(kind, namespace, name) else {
            return false;
        };
        if current.get("status") == Some(&status) {
            return false;
        }
        self.modify(kind, &ObjKey::new(namespace, name), |obj| {
            objects::meta::set(obj, &["status"], status)
        })
    }
}

/// Takes the timers due at `at` (all earlier ones have fired) out of `timers`.
fn split_due(
    timers: &mut BTreeMap<(SimTime, u64), Timer>,
    at: SimTime,
) -> BTreeMap<(SimTime, u64), Timer> {
    let later = timers.split_off(&(at, u64::MAX));
    std::mem::replace(timers, later)
}

/// Maps keyed by `(time, sequence)` (the timers, the event timeline) serialize as lists
/// of `(at, seq, value)`: JSON maps need string keys.
pub(crate) mod timed_entries {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::SimTime;

    pub fn serialize<S: Serializer, T: Serialize>(
        map: &BTreeMap<(SimTime, u64), T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let entries: Vec<(SimTime, u64, &T)> =
            map.iter().map(|((at, seq), t)| (*at, *seq, t)).collect();
        entries.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<BTreeMap<(SimTime, u64), T>, D::Error> {
        let entries: Vec<(SimTime, u64, T)> = Vec::deserialize(d)?;
        Ok(entries
            .into_iter()
            .map(|(at, seq, t)| ((at, seq), t))
            .collect())
    }
}
