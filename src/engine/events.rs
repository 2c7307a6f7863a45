//! Kubernetes Events (what `get events` and describe's Events section show) and the
//! engine's own change log (what the cluster map highlights).

use std::collections::{BTreeMap, VecDeque};

use crate::engine::value::{Value, json};
use serde::{Deserialize, Serialize};

use super::Cluster;
use super::clock::SimTime;
use super::objects::{Kind, meta};
use super::store::ObjKey;

/// How many change records are kept (older ones fall off).
const CHANGE_LOG_CAPACITY: usize = 2048;

/// What happened to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

/// One write to the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecord {
    /// Grows by one per record, across the cluster's life.
    pub seq: u64,
    pub at: SimTime,
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub what: ChangeKind,
}

/// Who reports an event (`source.component`, and the node for the kubelet).
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

impl Source<'static> {
    pub const DAEMONSET: Source<'static> = Source {
        component: "daemonset-controller",
        host: None,
    };
    pub const REPLICASET: Source<'static> = Source {
        component: "replicaset-controller",
        host: None,
    };
    pub const DEPLOYMENT: Source<'static> = Source {
        component: "deployment-controller",
        host: None,
    };
    pub const SCHEDULER: Source<'static> = Source {
        component: "default-scheduler",
        host: None,
    };
    pub const TAINT: Source<'static> = Source {
        component: "taint-controller",
        host: None,
    };
}

/// The object an event is about: what `involvedObject` holds.
#[derive(Clone, Debug)]
pub struct Involved {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub resource_version: String,
}

impl Involved {
    /// The reference to `obj`, a stored object of `kind`, as it is now.
    pub fn of(kind: Kind, obj: &Value) -> Involved {
        Involved {
            kind,
            namespace: meta::namespace(obj).to_string(),
            name: meta::name(obj).to_string(),
            uid: meta::uid(obj).to_string(),
            resource_version: meta::str_at(obj, &["metadata", "resourceVersion"]).to_string(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EventLog {
    changes: VecDeque<ChangeRecord>,
    change_seq: u64,
    index: BTreeMap<String, (String, String)>,
    event_seq: u64,
    /// Every event write by its `lastTimestamp`, oldest first: expiry and the newest
    /// events read from its ends instead of walking every event. An entry is stale
    /// when its event has been bumped since (or is gone); readers skip those.
    #[serde(default, with = "super::timed_entries")]
    timeline: BTreeMap<(SimTime, u64), ObjKey>,
    #[serde(default)]
    timeline_seq: u64,
    /// While the bootstrap replays the cluster's history, how many events were only
    /// counted (see [`Cluster::quiet_events`]); None otherwise.
    #[serde(skip)]
    quiet: Option<u64>,
}

impl EventLog {
    /// Puts a write of the event at `key` on the timeline, at its `lastTimestamp`.
    fn on_timeline(&mut self, at: SimTime, key: ObjKey) {
        self.timeline_seq += 1;
        self.timeline.insert((at, self.timeline_seq), key);
    }

    pub fn changes(&self) -> &VecDeque<ChangeRecord> {
        &self.changes
    }

    pub fn log_change(&mut self, at: SimTime, kind: Kind, key: &ObjKey, what: ChangeKind) {
        if kind == Kind::Event {
            return;
        }
        self.change_seq += 1;
        if self.changes.len() == CHANGE_LOG_CAPACITY {
            self.changes.pop_front();
        }
        self.changes.push_back(ChangeRecord {
            seq: self.change_seq,
            at,
            kind,
            namespace: key.namespace.to_string(),
            name: key.name.to_string(),
            what,
        });
    }
}

/// `t` as an event's timestamps hold it (RFC 3339, whole seconds).
fn whole_second(t: SimTime) -> SimTime {
    SimTime(t.0 - t.0.rem_euclid(1000))
}

impl Cluster {
    /// Records an Event about `involved`.
    pub(crate) fn record_event(
        &mut self,
        involved: &Involved,
        event_type: &str,
        reason: &str,
        message: &str,
        source: Source<'_>,
        field_path: Option<&str>,
    ) {
        // Events are aggregated by object, reason, message and source, as the client-side
        // EventCorrelator does, so a repeated event bumps `count`.
        let ikey = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            involved.uid, reason, message, source.component
        );
        if let Some(unstored) = self.events.quiet.as_mut() {
            // History no one will see: spend only what storing it would have spent (the
            // write's resourceVersion, the sequence number, the uid's random draw).
            if !self.events.index.contains_key(&ikey) {
                *unstored += 1;
                self.events.event_seq += 1;
                let _ = self.rng.uuid();
                self.events.index.insert(ikey, Default::default());
            }
            self.store.skip_version();
            return;
        }
        let now = self.now.rfc3339();
        if let Some((ns, name)) = self.events.index.get(&ikey).cloned() {
            let bumped = self
                .store
                .modify(Kind::Event, &ObjKey::new(&ns, &name), |ev| {
                    let count = ev.get("count").and_then(Value::as_i64).unwrap_or(1);
                    ev["count"] = json!(count + 1);
                    ev["lastTimestamp"] = json!(now);
                });
            if bumped {
                self.events
                    .on_timeline(whole_second(self.now), ObjKey::new(&ns, &name));
                return;
            }
        }
        let namespace = match involved.namespace.as_str() {
            "" => "default".to_string(),
            ns => ns.to_string(),
        };
        self.events.event_seq += 1;
        // client-go names events `<object>.<hex UnixNano>`; the sequence keeps names unique.
        let nanos =
            (self.now.0 as u128) * 1_000_000 + u128::from(self.events.event_seq % 1_000_000);
        let name = format!("{}.{:x}", involved.name, nanos);
        // Built whole: a key added to a map afterwards would build the map again.
        let mut involved_ref = vec![
            ("apiVersion", json!(involved.kind.api_version())),
            ("kind", json!(involved.kind.name())),
            ("name", json!(involved.name)),
            ("resourceVersion", json!(involved.resource_version)),
            ("uid", json!(involved.uid)),
        ];
        if !involved.namespace.is_empty() {
            involved_ref.push(("namespace", json!(involved.namespace)));
        }
        if let Some(fp) = field_path {
            involved_ref.push(("fieldPath", json!(fp)));
        }
        let involved_ref = Value::Object(involved_ref.into_iter().collect());
        let src = match source.host {
            Some(host) => json!({"component": source.component, "host": host}),
            None => json!({"component": source.component}),
        };
        let uid = self.rng.uuid();
        let ev = json!({
            "apiVersion": "v1",
            "count": 1,
            "eventTime": null,
            "firstTimestamp": now,
            "involvedObject": involved_ref,
            "kind": "Event",
            "lastTimestamp": now,
            "message": message,
            "metadata": {
                "creationTimestamp": now,
                "name": name,
                "namespace": namespace,
                "uid": uid,
            },
            "reason": reason,
            "reportingComponent": "",
            "reportingInstance": "",
            "source": src,
            "type": event_type,
        });
        self.events
            .on_timeline(whole_second(self.now), ObjKey::new(&namespace, &name));
        self.events.index.insert(ikey, (namespace, name));
        self.put(Kind::Event, ev);
    }

    /// Whether the event that `record_event` would bump for these arguments exists.
    pub(crate) fn has_event(
        &self,
        uid: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) -> bool {
        let ikey = format!("{uid}\u{0}{reason}\u{0}{message}\u{0}{component}");
        self.events.index.get(&ikey).is_some_and(|(ns, name)| {
            self.store
                .get(Kind::Event, &ObjKey::new(ns, name))
                .is_some()
        })
    }

    /// Bumps an existing event `times` more times at once, the last at `last`: what that
    /// many `record_event` calls would leave. Returns whether the event exists.
    pub(crate) fn bump_event(
        &mut self,
        uid: &str,
        reason: &str,
        message: &str,
        component: &str,
        times: u64,
        last: SimTime,
    ) -> bool {
        let ikey = format!("{uid}\u{0}{reason}\u{0}{message}\u{0}{component}");
        let Some((ns, name)) = self.events.index.get(&ikey).cloned() else {
            return false;
        };
        let stamp = json!(last.rfc3339());
        let key = ObjKey::new(&ns, &name);
        let bumped = self.store.modify(Kind::Event, &key, |ev| {
            let count = ev.get("count").and_then(Value::as_u64).unwrap_or(1);
            ev["count"] = json!(count.saturating_add(times));
            ev["lastTimestamp"] = stamp;
        });
        if bumped {
            self.events.on_timeline(whole_second(last), key);
        }
        bumped
    }

    /// Records a Normal event about the stored object of `kind` at `namespace`/`name`.
    pub(crate) fn event_on(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        reason: &str,
        message: &str,
        source: Source<'_>,
    ) {
        if let Some(involved) = self
            .get(kind, namespace, name)
            .map(|o| Involved::of(kind, o))
        {
            self.record_event(&involved, "Normal", reason, message, source, None);
        }
    }

    /// Stops storing events: the bootstrap replays about a day of cluster history whose
    /// events have all expired by the time the session starts, and at thousands of nodes
    /// they would be most of the memory it peaks at. Their side effects (resourceVersions,
    /// names, random draws) are kept, so the cluster comes out exactly as if they had been
    /// stored and then expired.
    pub(crate) fn quiet_events(&mut self) {
        self.events.quiet = Some(0);
    }

    /// Stores events again, settling the accounts of the quiet time: each unstored event
    /// would have been removed by its expiry (one write each), and none is left to bump.
    pub(crate) fn end_quiet_events(&mut self) {
        if let Some(unstored) = self.events.quiet.take() {
            for _ in 0..unstored {
                self.store.skip_version();
            }
            let store = &self.store;
            self.events
                .index
                .retain(|_, (ns, name)| store.get(Kind::Event, &ObjKey::new(ns, name)).is_some());
            // As after the expiry itself, the controllers take a (quiet) look.
            self.settle_now();
        }
    }

    /// Drops events older than the API server's event TTL (one hour). Reads the timeline
    /// from its old end, so the cost follows the number of events that expire.
    pub(crate) fn expire_events(&mut self) {
        if self.events.timeline.is_empty() && self.count(Kind::Event) > 0 {
            self.rebuild_timeline();
        }
        let cutoff = self.now - self.timings().event_ttl;
        let mut gone = std::collections::BTreeSet::new();
        while let Some(entry) = self.events.timeline.first_entry() {
            if entry.key().0 > cutoff {
                break;
            }
            let key = entry.remove();
            let expired = self
                .store
                .get(Kind::Event, &key)
                .and_then(|e| meta::timestamp(e, &["lastTimestamp"]))
                .is_some_and(|t| t <= cutoff);
            if expired {
                self.store.remove(Kind::Event, &key);
                gone.insert((key.namespace.to_string(), key.name.to_string()));
            }
        }
        if !gone.is_empty() {
            self.events.index.retain(|_, v| !gone.contains(v));
        }
    }

    /// Fills the timeline from the stored events (a state saved before it existed).
    fn rebuild_timeline(&mut self) {
        let entries: Vec<(SimTime, ObjKey)> = self
            .list(Kind::Event, None)
            .map(|e| {
                let at = meta::timestamp(e, &["lastTimestamp"]).unwrap_or_default();
                (at, ObjKey::new(meta::namespace(e), meta::name(e)))
            })
            .collect();
        for (at, key) in entries {
            self.events.on_timeline(at, key);
        }
    }

    /// The newest `n` events, newest last (the cluster map's events line). Reads the
    /// timeline from its new end; events written at the same instant keep their order.
    pub fn recent_events(&self, n: usize) -> Vec<&Value> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for ((at, _), key) in self.events.timeline.iter().rev() {
            if out.len() == n {
                break;
            }
            let Some(e) = self.store.get(Kind::Event, key) else {
                continue;
            };
            let current = meta::timestamp(e, &["lastTimestamp"]) == Some(*at);
            if current && seen.insert(key) {
                out.push(e);
            }
        }
        out.reverse();
        out
    }

    /// The events about one object, oldest first (describe's Events section).
    pub fn events_for<'a>(&'a self, kind: Kind, namespace: &str, name: &str) -> Vec<&'a Value> {
        let uid = self.get(kind, namespace, name).map(meta::uid).unwrap_or("");
        let ns = if namespace.is_empty() {
            "default"
        } else {
            namespace
        };
        let mut evs: Vec<&Value> = self
            .list(Kind::Event, Some(ns))
            .filter(|e| {
                meta::str_at(e, &["involvedObject", "kind"]) == kind.name()
                    && meta::str_at(e, &["involvedObject", "name"]) == name
                    && (uid.is_empty() || meta::str_at(e, &["involvedObject", "uid"]) == uid)
            })
            .collect();
        evs.sort_by_key(|e| meta::timestamp(e, &["firstTimestamp"]));
        evs
    }
}
