//! The store's index of DaemonSet pods: what the DaemonSet controller reads of each (kept
//! current on every write), the pods of each DaemonSet by the node they are for, and the
//! nodes whose pods changed since the controller last looked, so that a sync recomputes
//! those nodes only.
//!
//! Part of the derived indexes (see `index.rs`); must not import anything outside the engine.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::value::Value;

use super::clock::SimTime;
use super::objects::{meta, pod};
use super::store::ObjKey;

/// What the DaemonSet controller reads of one of its pods.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaemonPodFacts {
    /// The controlling DaemonSet's uid.
    pub owner_uid: String,
    pub uid: String,
    pub created: Option<SimTime>,
    pub deleting: bool,
    pub ready: bool,
    /// The `controller-revision-hash` and `pod-template-generation` labels.
    pub revision_hash: Option<String>,
    pub template_generation: Option<String>,
    /// Its node, or the node its affinity pins it to while unbound.
    pub target_node: String,
}

impl DaemonPodFacts {
    fn of(p: &Value, owner_uid: &str) -> DaemonPodFacts {
        DaemonPodFacts {
            owner_uid: owner_uid.to_string(),
            uid: meta::uid(p).to_string(),
            created: meta::creation(p),
            deleting: meta::is_deleting(p),
            ready: pod::is_ready(p),
            revision_hash: meta::label(p, "controller-revision-hash").map(str::to_string),
            template_generation: meta::label(p, "pod-template-generation").map(str::to_string),
            target_node: pod::daemon_target_node(p).to_string(),
        }
    }

    /// Brings the facts up to date with `p`, copying only strings that changed.
    fn refresh(&mut self, p: &Value) {
        self.created = meta::creation(p);
        self.deleting = meta::is_deleting(p);
        self.ready = pod::is_ready(p);
        let update = |slot: &mut Option<String>, now: Option<&str>| {
            if slot.as_deref() != now {
                *slot = now.map(str::to_string);
            }
        };
        update(
            &mut self.revision_hash,
            meta::label(p, "controller-revision-hash"),
        );
        update(
            &mut self.template_generation,
            meta::label(p, "pod-template-generation"),
        );
        if self.uid != meta::uid(p) {
            self.uid = meta::uid(p).to_string();
        }
    }
}

/// See the module comment.
#[derive(Clone, Debug, Default)]
pub struct DaemonPods {
    /// Looked up by key, never walked: hashed.
    facts: HashMap<ObjKey, DaemonPodFacts>,
    /// By DaemonSet uid, then target node.
    by_node: BTreeMap<String, BTreeMap<String, BTreeSet<ObjKey>>>,
    /// By DaemonSet uid: the target nodes whose pods were written since the last look.
    dirty: BTreeMap<String, BTreeSet<String>>,
}

impl DaemonPods {
    /// Files the pod at `key` as written (`Some`, with its DaemonSet's uid) or gone.
    pub fn note(&mut self, key: &ObjKey, pod: Option<(&Value, &str)>) {
        let Some((p, owner_uid)) = pod else {
            if let Some(old) = self.facts.remove(key) {
                self.unfile(key, &old.owner_uid, &old.target_node);
            }
            return;
        };
        let target = pod::daemon_target_node(p);
        if let Some(facts) = self.facts.get_mut(key)
            && facts.owner_uid == owner_uid
            && facts.target_node == target
        {
            facts.refresh(p);
            self.mark_dirty(owner_uid, target);
            return;
        }
        if let Some(old) = self.facts.remove(key) {
            self.unfile(key, &old.owner_uid, &old.target_node);
        }
        let facts = DaemonPodFacts::of(p, owner_uid);
        self.by_node
            .entry(owner_uid.to_string())
            .or_default()
            .entry(target.to_string())
            .or_default()
            .insert(key.clone());
        self.mark_dirty(owner_uid, target);
        self.facts.insert(key.clone(), facts);
    }

    fn unfile(&mut self, key: &ObjKey, owner_uid: &str, target: &str) {
        if let Some(nodes) = self.by_node.get_mut(owner_uid) {
            if let Some(set) = nodes.get_mut(target) {
                set.remove(key);
                if set.is_empty() {
                    nodes.remove(target);
                }
            }
            if nodes.is_empty() {
                self.by_node.remove(owner_uid);
            }
        }
        self.mark_dirty(owner_uid, target);
    }

    fn mark_dirty(&mut self, owner_uid: &str, node: &str) {
        match self.dirty.get_mut(owner_uid) {
            Some(nodes) => {
                if !nodes.contains(node) {
                    nodes.insert(node.to_string());
                }
            }
            None => {
                self.dirty
                    .insert(owner_uid.to_string(), BTreeSet::from([node.to_string()]));
            }
        }
    }

    /// What the controller knows of the daemon pod at `key`.
    pub fn facts(&self, key: &ObjKey) -> Option<&DaemonPodFacts> {
        self.facts.get(key)
    }

    /// The pods of the DaemonSet with `owner_uid` meant for `node`.
    pub fn on_node<'a>(
        &'a self,
        owner_uid: &str,
        node: &str,
    ) -> impl Iterator<Item = (&'a ObjKey, &'a DaemonPodFacts)> + 'a {
        self.by_node
            .get(owner_uid)
            .and_then(|nodes| nodes.get(node))
            .into_iter()
            .flatten()
            .filter_map(|k| self.facts.get(k).map(|f| (k, f)))
    }

    /// Hands over the nodes whose pods changed, by DaemonSet uid, and starts afresh.
    pub fn take_dirty(&mut self) -> BTreeMap<String, BTreeSet<String>> {
        std::mem::take(&mut self.dirty)
    }

    /// Whether two indexes hold the same facts filed the same way (pending work aside).
    pub fn files_like(&self, other: &DaemonPods) -> bool {
        self.facts == other.facts && self.by_node == other.by_node
    }

    pub fn has_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }
}
