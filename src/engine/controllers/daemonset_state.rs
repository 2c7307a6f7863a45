//! What the DaemonSet controller remembers of each DaemonSet between syncs: for every node,
//! whether the pod should run there and which pods are there, with the status counts and
//! the create, delete and rolling lists kept up to date as nodes are looked at again. A
//! sync recomputes only the nodes whose pods or facts changed, so its cost follows what
//! changed; a new template is planned afresh.
//!
//! Not saved: a loaded cluster plans every DaemonSet afresh once.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::value::Value;

use super::daemonset::{
    Counts, Lists, Plan, PodRefFacts, daemon_tolerations, finish, placement_with,
    template_generation, template_hash,
};
use crate::engine::clock::SimTime;
use crate::engine::index::{DaemonPodFacts, Indexes};
use crate::engine::objects::meta;
use crate::engine::objects::scheduling::{NodeConstraints, NodeFacts, Toleration};
use crate::engine::store::ObjKey;

/// A DaemonSet's template, read once per sync.
pub(super) struct Template<'a> {
    pub hash: String,
    pub generation: String,
    spec: &'a Value,
    tolerations: Vec<Toleration>,
    constraints: NodeConstraints,
}

impl Template<'_> {
    pub fn of(ds: &Value) -> Template<'_> {
        let spec = meta::at(ds, &["spec", "template", "spec"]).unwrap_or(&Value::Null);
        Template {
            hash: template_hash(ds),
            generation: template_generation(ds),
            spec,
            tolerations: daemon_tolerations(spec),
            constraints: NodeConstraints::of(spec),
        }
    }
}

/// A live (not terminating) daemon pod on a node.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LivePod {
    created: Option<SimTime>,
    pod: PodRefFacts,
    updated: bool,
}

/// One node as the last look at it found it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NodeEntry {
    /// False for a node that is gone while pods are still meant for it.
    exists: bool,
    should_run: bool,
    should_continue: bool,
    /// Any pod at all is there, terminating ones included (no second pod without surge).
    occupied: bool,
    /// Oldest first.
    live: Vec<LivePod>,
}

/// See the module comment.
#[derive(Clone, Debug, Default)]
pub struct DsState {
    hash: String,
    generation: String,
    entries: BTreeMap<String, NodeEntry>,
    counts: Counts,
    create_on: BTreeSet<String>,
    delete: BTreeMap<String, Vec<PodRefFacts>>,
    rolling: BTreeMap<String, PodRefFacts>,
}

impl DsState {
    /// Whether this state was computed for `tpl`'s template.
    pub(super) fn is_for(&self, tpl: &Template<'_>) -> bool {
        self.hash == tpl.hash && self.generation == tpl.generation
    }

    /// Looks at every node (and every node its pods are meant for) afresh.
    pub(super) fn rebuild(tpl: &Template<'_>, index: &Indexes, uid: &str) -> DsState {
        let mut state = DsState {
            hash: tpl.hash.clone(),
            generation: tpl.generation.clone(),
            ..DsState::default()
        };
        let nodes = index.node_facts();
        let mut targets: BTreeSet<&str> = nodes.keys().map(String::as_str).collect();
        for key in index.pods_owned_by(uid) {
            if let Some(f) = index.daemon_facts(key) {
                targets.insert(&f.target_node);
            }
        }
        for node in targets {
            state.look(tpl, index, uid, node);
        }
        state
    }

    /// Looks at `node` again. Most looks find what the last one found (a pod's status moved
    /// in a way that changes nothing here): that is checked before anything is copied.
    pub(super) fn look(&mut self, tpl: &Template<'_>, index: &Indexes, uid: &str, node: &str) {
        let facts = index.node_facts().get(node);
        let pods: Vec<(&ObjKey, &DaemonPodFacts)> = index.daemon_pods_on(uid, node).collect();
        if let Some(old) = self.entries.get(node)
            && unchanged(old, tpl, facts, &pods)
        {
            return;
        }
        let entry = entry(tpl, facts, node, pods.into_iter());
        self.set(node, entry);
    }

    fn set(&mut self, node: &str, entry: Option<NodeEntry>) {
        if self.entries.get(node) == entry.as_ref() {
            return;
        }
        if let Some(old) = self.entries.remove(node) {
            self.count(&old, -1);
            self.create_on.remove(node);
            self.delete.remove(node);
            self.rolling.remove(node);
        }
        let Some(e) = entry else {
            return;
        };
        self.count(&e, 1);
        if e.exists && e.should_run && !e.occupied {
            self.create_on.insert(node.to_string());
        }
        let doomed: &[LivePod] = if !e.exists || !e.should_continue {
            &e.live
        } else {
            e.live.get(1..).unwrap_or_default()
        };
        if !doomed.is_empty() {
            self.delete.insert(
                node.to_string(),
                doomed.iter().map(|l| l.pod.clone()).collect(),
            );
        }
        if e.exists
            && e.should_continue
            && e.should_run
            && let Some(first) = e.live.first().filter(|f| !f.updated)
        {
            self.rolling.insert(node.to_string(), first.pod.clone());
        }
        self.entries.insert(node.to_string(), e);
    }

    fn count(&mut self, e: &NodeEntry, sign: i64) {
        let c = &mut self.counts;
        if e.exists && e.should_run {
            c.desired += sign;
            if let Some(oldest) = e.live.first() {
                c.current += sign;
                if oldest.pod.ready {
                    c.ready += sign;
                }
            }
            if e.live.iter().any(|l| l.updated) {
                c.updated += sign;
            }
            if !e.live.iter().any(|l| l.pod.ready) {
                c.unavailable += sign;
            }
        } else if e.exists && !e.live.is_empty() {
            c.misscheduled += sign;
        }
    }

    /// The sync's plan from what is known now.
    pub(super) fn plan(&self, ds: &Value) -> Plan {
        finish(
            ds,
            self.hash.clone(),
            self.generation.clone(),
            Lists {
                create_on: self.create_on.iter().cloned().collect(),
                delete: self.delete.values().flatten().cloned().collect(),
                rolling: self.rolling.values().cloned().collect(),
            },
            self.counts,
        )
    }
}

/// Whether `old` still describes the node: same placement, and the same pods in the same
/// states (compared without copying).
fn unchanged(
    old: &NodeEntry,
    tpl: &Template<'_>,
    facts: Option<&NodeFacts>,
    pods: &[(&ObjKey, &DaemonPodFacts)],
) -> bool {
    let placement = facts.map(|n| placement_with(tpl.spec, &tpl.constraints, &tpl.tolerations, n));
    let (exists, should_run, should_continue) = match &placement {
        Some(p) => (true, p.should_run, p.should_continue_running),
        None => (false, false, false),
    };
    if (
        old.exists,
        old.should_run,
        old.should_continue,
        old.occupied,
    ) != (exists, should_run, should_continue, !pods.is_empty())
    {
        return false;
    }
    let live = pods.iter().filter(|(_, f)| !f.deleting);
    if live.clone().count() != old.live.len() {
        return false;
    }
    // Same set of live pods with the same facts (the order follows from them).
    live.into_iter().all(|(key, f)| {
        old.live.iter().any(|l| {
            l.pod.uid == f.uid
                && l.pod.name == key.name
                && l.pod.namespace == key.namespace
                && l.pod.ready == f.ready
                && l.created == f.created
                && l.updated == is_updated(tpl, f)
        })
    })
}

fn is_updated(tpl: &Template<'_>, f: &DaemonPodFacts) -> bool {
    f.revision_hash.as_deref() == Some(tpl.hash.as_str())
        || f.template_generation.as_deref() == Some(tpl.generation.as_str())
}

/// What one node holds for the DaemonSet; None when it adds nothing (no pod should run
/// there and none does).
fn entry<'a>(
    tpl: &Template<'_>,
    facts: Option<&NodeFacts>,
    node: &str,
    pods: impl Iterator<Item = (&'a ObjKey, &'a DaemonPodFacts)>,
) -> Option<NodeEntry> {
    let mut occupied = false;
    let mut live: Vec<LivePod> = Vec::new();
    for (key, f) in pods {
        occupied = true;
        if f.deleting {
            continue;
        }
        live.push(LivePod {
            created: f.created,
            pod: PodRefFacts {
                namespace: key.namespace.to_string(),
                name: key.name.to_string(),
                uid: f.uid.clone(),
                ready: f.ready,
            },
            updated: is_updated(tpl, f),
        });
    }
    live.sort_by(|a, b| (a.created, &a.pod.name).cmp(&(b.created, &b.pod.name)));
    let (exists, should_run, should_continue) = match facts {
        Some(n) => {
            let p = placement_with(tpl.spec, &tpl.constraints, &tpl.tolerations, n);
            (true, p.should_run, p.should_continue_running)
        }
        None => (false, false, false),
    };
    debug_assert!(facts.is_none_or(|n| n.name == node));
    (should_run || occupied).then_some(NodeEntry {
        exists,
        should_run,
        should_continue,
        occupied,
        live,
    })
}
