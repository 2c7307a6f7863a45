//! What the store derives from its objects as they are written, so that a controller's
//! pass costs what changed rather than what exists: pods by node, by controller and
//! unbound; every node's scheduling facts; and, per controller, the objects written
//! since it last looked (its [`Watch`]).
//!
//! Nothing here is saved: a loaded store rebuilds it, with every watch set to look at
//! everything once. Must not import anything outside the engine.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::value::Value;

use super::clock::SimTime;
pub use super::index_daemon::DaemonPodFacts;
use super::index_daemon::DaemonPods;
use super::index_owner::{Owned, OwnerCounts, PodCounts};
use super::objects::scheduling::{NO_EXECUTE, NodeFacts};
use super::objects::{Kind, meta, pod};
use super::store::ObjKey;

/// A controller that reads its work from a watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Watcher {
    /// Unbound pods written (keys of pods).
    Scheduler,
    /// Pods just bound to a node (keys of pods).
    Kubelet,
    /// Pods written while on a node with a NoExecute taint, and pods on nodes whose
    /// taints changed (keys of pods).
    Taints,
    /// DaemonSets whose own object was written (keys of DaemonSets); every DaemonSet when a
    /// revision changed. Their pods and nodes are followed node by node (see
    /// `take_daemon_work`).
    DaemonSets,
    /// ReplicaSets whose object or pods changed (keys of ReplicaSets).
    ReplicaSets,
    /// Nodes whose scheduling facts (labels, taints, readiness, unschedulable) changed.
    Nodes,
    /// Pods with a controller whose labels changed (keys of pods): the controllers' ref
    /// manager looks whether their controller still selects them.
    Claims,
    /// Deployments whose object or ReplicaSets were written (keys of Deployments).
    Deployments,
    /// Services, and Endpoints, written or removed (keys of both): the endpoints
    /// controller syncs the Service of that name.
    EndpointServices,
    /// Pods written or removed (keys of pods): the endpoints controller looks which
    /// Services select them, or did.
    EndpointPods,
}

const WATCHERS: usize = 10;

impl Watcher {
    fn slot(self) -> usize {
        match self {
            Watcher::Scheduler => 0,
            Watcher::Kubelet => 1,
            Watcher::Taints => 2,
            Watcher::DaemonSets => 3,
            Watcher::ReplicaSets => 4,
            Watcher::Nodes => 5,
            Watcher::Claims => 6,
            Watcher::Deployments => 7,
            Watcher::EndpointServices => 8,
            Watcher::EndpointPods => 9,
        }
    }
}

/// What one controller has to look at: some objects, or everything.
#[derive(Clone, Debug, Default)]
pub struct Watch {
    /// Look at every object of the controller's kind (a fresh or loaded store, or a change
    /// that concerns all of them, such as a node's taints for the scheduler).
    pub all: bool,
    pub keys: BTreeSet<ObjKey>,
}

impl Watch {
    fn everything() -> Watch {
        Watch {
            all: true,
            keys: BTreeSet::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.all && self.keys.is_empty()
    }
}

/// The parts of a pod the indexes file it under.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PodLinks {
    node: String,
    /// The controller's kind, name and uid.
    owner: Option<(String, String, String)>,
    /// A hash of the pod's labels: a change may end its controller's claim on it.
    labels: u64,
}

impl PodLinks {
    /// Whether `p` is filed as these links say (compared without copying).
    fn same_as(&self, p: &Value) -> bool {
        let owner = meta::controller_ref(p);
        self.node == pod::node_name(p)
            && self.labels == labels_hash(p)
            && match (&self.owner, owner) {
                (None, None) => true,
                (Some((k, n, u)), Some((k2, n2, u2))) => k == k2 && n == n2 && u == u2,
                _ => false,
            }
    }

    fn of(p: &Value) -> PodLinks {
        PodLinks {
            node: pod::node_name(p).to_string(),
            owner: meta::controller_ref(p)
                .map(|(k, n, u)| (k.to_string(), n.to_string(), u.to_string())),
            labels: labels_hash(p),
        }
    }
}

/// A hash of an object's labels (keys are sorted in the JSON map, so equal labels hash
/// equally; the std hasher's fixed keys make it the same in every run).
fn labels_hash(obj: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    if let Some(labels) = meta::at(obj, &["metadata", "labels"]).and_then(Value::as_object) {
        for (k, v) in labels {
            k.hash(&mut h);
            v.as_str().unwrap_or_default().hash(&mut h);
        }
    }
    h.finish()
}

/// The derived indexes (see the module comment).
#[derive(Clone)]
pub struct Indexes {
    /// Looked up by key on every pod write, never walked: hashed.
    links: HashMap<ObjKey, PodLinks>,
    daemon: DaemonPods,
    owners: OwnerCounts,
    /// Nodes whose facts changed since the DaemonSet controller last looked.
    changed_nodes: BTreeSet<String>,
    by_node: BTreeMap<String, BTreeSet<ObjKey>>,
    by_owner: BTreeMap<String, BTreeSet<ObjKey>>,
    /// ControllerRevisions and ReplicaSets by their controller's uid.
    revisions: Owned,
    replicasets: Owned,
    unbound: BTreeSet<ObjKey>,
    /// Namespaces being deleted, by name and by deletion time (the namespace controller's
    /// work, in the order it falls due).
    terminating: BTreeMap<String, SimTime>,
    terminating_by_time: BTreeSet<(SimTime, String)>,
    nodes: BTreeMap<String, NodeFacts>,
    watches: [Watch; WATCHERS],
}

impl Default for Indexes {
    fn default() -> Indexes {
        Indexes {
            links: HashMap::new(),
            daemon: DaemonPods::default(),
            owners: OwnerCounts::default(),
            changed_nodes: BTreeSet::new(),
            by_node: BTreeMap::new(),
            by_owner: BTreeMap::new(),
            revisions: Owned::default(),
            replicasets: Owned::default(),
            unbound: BTreeSet::new(),
            terminating: BTreeMap::new(),
            terminating_by_time: BTreeSet::new(),
            nodes: BTreeMap::new(),
            watches: std::array::from_fn(|_| Watch::everything()),
        }
    }
}

impl Indexes {
    /// Whether two indexes file the same objects the same way (watches and pending
    /// DaemonSet work aside): an index kept up write by write must equal one rebuilt.
    pub fn files_like(&self, other: &Indexes) -> bool {
        self.links == other.links
            && self.by_node == other.by_node
            && self.by_owner == other.by_owner
            && self.revisions.files_like(&other.revisions)
            && self.replicasets.files_like(&other.replicasets)
            && self.unbound == other.unbound
            && self.terminating == other.terminating
            && self.nodes == other.nodes
            && self.daemon.files_like(&other.daemon)
            && self.owners.files_like(&other.owners)
    }
}

/// Derived state, and partly hashed (its order differs between runs): a summary, so that
/// a cluster's debug text stays the same for the same seed.
impl std::fmt::Debug for Indexes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexes")
            .field("pods", &self.links.len())
            .field("unbound", &self.unbound.len())
            .field("nodes", &self.nodes.len())
            .finish_non_exhaustive()
    }
}

impl Indexes {
    /// Files an object that was just stored (`obj`) or removed (`None`) under `key`.
    pub fn note(&mut self, kind: Kind, key: &ObjKey, obj: Option<&Value>) {
        match kind {
            Kind::Pod => self.note_pod(key, obj),
            Kind::Node => self.note_node(key, obj),
            Kind::DaemonSet => self.mark(Watcher::DaemonSets, key),
            Kind::ReplicaSet => self.note_replicaset(key, obj),
            Kind::Deployment => self.mark(Watcher::Deployments, key),
            Kind::Namespace => {
                if let Some(old) = self.terminating.remove(key.name.as_str()) {
                    self.terminating_by_time
                        .remove(&(old, key.name.to_string()));
                }
                if let Some(since) = obj.and_then(meta::deletion) {
                    self.terminating.insert(key.name.to_string(), since);
                    self.terminating_by_time
                        .insert((since, key.name.to_string()));
                }
            }
            Kind::ControllerRevision => self.note_revision(key, obj),
            Kind::Service | Kind::Endpoints => self.mark(Watcher::EndpointServices, key),
            _ => {}
        }
    }

    /// Files a revision under its owner's uid; a revision written or deleted (by hand, or
    /// by its DaemonSet) makes only its own DaemonSet look again.
    fn note_revision(&mut self, key: &ObjKey, obj: Option<&Value>) {
        if obj.is_some_and(|r| meta::controller_ref(r).is_none()) {
            // A revision without a controller (written by hand): every DaemonSet looks.
            self.watches[Watcher::DaemonSets.slot()].all = true;
        }
        for (kind, owner) in self.revisions.note(key, obj) {
            if kind == "DaemonSet" {
                self.mark(Watcher::DaemonSets, &owner);
            }
        }
    }

    /// Files a ReplicaSet under its owner's uid; its Deployment (or, for one without a
    /// controller, every Deployment) looks again.
    fn note_replicaset(&mut self, key: &ObjKey, obj: Option<&Value>) {
        self.mark(Watcher::ReplicaSets, key);
        if obj.is_some_and(|r| meta::controller_ref(r).is_none()) {
            self.watches[Watcher::Deployments.slot()].all = true;
        }
        for (kind, owner) in self.replicasets.note(key, obj) {
            if kind == "Deployment" {
                self.mark(Watcher::Deployments, &owner);
            }
        }
    }

    fn mark(&mut self, w: Watcher, key: &ObjKey) {
        let watch = &mut self.watches[w.slot()];
        if !watch.all {
            watch.keys.insert(key.clone());
        }
    }

    fn note_pod(&mut self, key: &ObjKey, obj: Option<&Value>) {
        self.owners.note(key, obj);
        self.mark(Watcher::EndpointPods, key);
        // The scheduler cares only about pods that still need a node.
        if obj.is_some_and(|p| pod::node_name(p).is_empty()) {
            self.mark(Watcher::Scheduler, key);
        }
        // Most writes are status writes: the links stay as they were, and nothing needs
        // copying to find that out.
        if let Some(p) = obj
            && let Some(links) = self.links.get(key)
            && links.same_as(p)
        {
            let tainted = !links.node.is_empty() && self.node_has_no_execute(&links.node);
            let owner = self.owner_mark(key, links);
            if let Some((_, _, uid)) = links.owner.as_ref().filter(|(k, _, _)| k == "DaemonSet") {
                self.daemon.note(key, Some((p, uid)));
            }
            if tainted {
                self.mark(Watcher::Taints, key);
            }
            if let Some((w, owner)) = owner {
                self.mark(w, &owner);
            }
            return;
        }
        let new = obj.map(PodLinks::of);
        let daemon_owner = new
            .as_ref()
            .and_then(|n| n.owner.as_ref())
            .filter(|(kind, _, _)| kind == "DaemonSet")
            .map(|(_, _, uid)| uid.as_str());
        self.daemon.note(key, obj.zip(daemon_owner));
        let old_node = self.links.get(key).map(|l| l.node.as_str());
        if let Some(n) = &new
            && !n.node.is_empty()
        {
            // The kubelet starts on a pod once, when it is bound to its node.
            if old_node.is_none_or(str::is_empty) {
                self.mark(Watcher::Kubelet, key);
            }
            // Only a NoExecute taint on its node can make the taint manager act on a pod;
            // a taint added or removed later marks every pod on the node.
            if self.node_has_no_execute(&n.node) {
                self.mark(Watcher::Taints, key);
            }
        }
        let old = match &new {
            Some(n) => self.links.insert(key.clone(), n.clone()),
            None => self.links.remove(key),
        };
        if let Some(n) = &new
            && n.owner.is_some()
            && old.as_ref().is_some_and(|o| o.labels != n.labels)
        {
            self.mark(Watcher::Claims, key);
        }
        for links in [&old, &new].into_iter().flatten() {
            self.mark_owner(key, links);
        }
        // A pod gone from a node frees a place there: pods that did not fit look again
        // (the scheduler's queue moves its unschedulable pods on an assigned pod's delete).
        if new.is_none()
            && old.as_ref().is_some_and(|o| !o.node.is_empty())
            && !self.unbound.is_empty()
        {
            self.watches[Watcher::Scheduler.slot()].all = true;
        }
        if let Some(o) = &old {
            if o.node.is_empty() {
                self.unbound.remove(key);
            } else {
                remove_from(&mut self.by_node, &o.node, key);
            }
            if let Some((_, _, uid)) = &o.owner {
                remove_from(&mut self.by_owner, uid, key);
            }
        }
        if let Some(n) = &new {
            if n.node.is_empty() {
                self.unbound.insert(key.clone());
            } else {
                self.by_node
                    .entry(n.node.clone())
                    .or_default()
                    .insert(key.clone());
            }
            if let Some((_, _, uid)) = &n.owner {
                self.by_owner
                    .entry(uid.clone())
                    .or_default()
                    .insert(key.clone());
            }
        }
    }

    /// A pod's controller must look at it again.
    fn mark_owner(&mut self, pod: &ObjKey, links: &PodLinks) {
        if let Some((w, owner)) = self.owner_mark(pod, links) {
            self.mark(w, &owner);
        }
    }

    /// The controller watch and key a write to `pod` must mark, unless already marked.
    fn owner_mark(&self, pod: &ObjKey, links: &PodLinks) -> Option<(Watcher, ObjKey)> {
        let (kind, name, _) = links.owner.as_ref()?;
        // DaemonSet pods are filed by node in `daemon` instead.
        let w = match kind.as_str() {
            "ReplicaSet" => Watcher::ReplicaSets,
            _ => return None,
        };
        let watch = &self.watches[w.slot()];
        // Few controllers are waiting at once: a look at them is cheaper than a copy.
        let marked = watch.all
            || watch
                .keys
                .iter()
                .any(|k| k.name == *name && k.namespace == pod.namespace);
        (!marked).then(|| (w, ObjKey::new(&pod.namespace, name)))
    }

    fn node_has_no_execute(&self, node: &str) -> bool {
        self.nodes
            .get(node)
            .is_some_and(|f| f.taints.iter().any(|t| t.effect == NO_EXECUTE))
    }

    fn note_node(&mut self, key: &ObjKey, obj: Option<&Value>) {
        let facts = obj.map(NodeFacts::of);
        let same = match (&facts, self.nodes.get(key.name.as_str())) {
            (Some(new), Some(old)) => new == old,
            (None, None) => true,
            _ => false,
        };
        if same {
            // A status report (heartbeat): nothing a controller decides on moved.
            return;
        }
        self.mark(Watcher::Nodes, key);
        let taints_changed = match (&facts, self.nodes.get(key.name.as_str())) {
            (Some(new), Some(old)) => new.taints != old.taints,
            _ => true,
        };
        match facts {
            Some(f) => self.nodes.insert(key.name.to_string(), f),
            None => self.nodes.remove(key.name.as_str()),
        };
        self.watches[Watcher::Scheduler.slot()].all = true;
        self.changed_nodes.insert(key.name.to_string());
        if taints_changed {
            let on_node: Vec<ObjKey> = self
                .by_node
                .get(key.name.as_str())
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            for p in &on_node {
                self.mark(Watcher::Taints, p);
            }
        }
    }

    /// Hands a controller what was written since it last looked, and starts a new watch.
    pub fn take(&mut self, w: Watcher) -> Watch {
        std::mem::take(&mut self.watches[w.slot()])
    }

    /// Takes back the mark a controller's own write left on `key` (a status it wrote
    /// from what it had just read needs no second look).
    pub fn unmark(&mut self, w: Watcher, key: &ObjKey) {
        self.watches[w.slot()].keys.remove(key);
    }

    /// Pods bound to `node`, in (namespace, name) order.
    pub fn pods_on(&self, node: &str) -> impl Iterator<Item = &ObjKey> {
        self.by_node.get(node).into_iter().flatten()
    }

    /// ControllerRevisions whose controller has `uid`, in (namespace, name) order.
    pub fn revisions_owned_by(&self, uid: &str) -> impl Iterator<Item = &ObjKey> {
        self.revisions.owned_by(uid)
    }

    /// ReplicaSets whose controller has `uid`, in (namespace, name) order.
    pub fn replicasets_owned_by(&self, uid: &str) -> impl Iterator<Item = &ObjKey> {
        self.replicasets.owned_by(uid)
    }

    /// Pods whose controller has `uid`, in (namespace, name) order.
    pub fn pods_owned_by(&self, uid: &str) -> impl Iterator<Item = &ObjKey> {
        self.by_owner.get(uid).into_iter().flatten()
    }

    /// How many pods of the ReplicaSet with `uid` are not being deleted, live and ready.
    pub fn replica_counts(&self, uid: &str) -> PodCounts {
        self.owners.of(uid)
    }

    /// What the DaemonSet controller knows of the daemon pod at `key`.
    pub fn daemon_facts(&self, key: &ObjKey) -> Option<&DaemonPodFacts> {
        self.daemon.facts(key)
    }

    /// The pods of the DaemonSet with `owner_uid` meant for `node`.
    pub fn daemon_pods_on<'a>(
        &'a self,
        owner_uid: &str,
        node: &str,
    ) -> impl Iterator<Item = (&'a ObjKey, &'a DaemonPodFacts)> + 'a {
        self.daemon.on_node(owner_uid, node)
    }

    /// Whether the DaemonSet controller has anything to look at.
    pub fn daemon_work_pending(&self) -> bool {
        !self.watches[Watcher::DaemonSets.slot()].is_empty()
            || self.daemon.has_dirty()
            || !self.changed_nodes.is_empty()
    }

    /// Hands the DaemonSet controller its work: the DaemonSets written (their own watch),
    /// the nodes whose pods changed by DaemonSet uid, and the nodes whose facts changed (for
    /// every DaemonSet).
    pub fn take_daemon_work(
        &mut self,
    ) -> (Watch, BTreeMap<String, BTreeSet<String>>, BTreeSet<String>) {
        (
            self.take(Watcher::DaemonSets),
            self.daemon.take_dirty(),
            std::mem::take(&mut self.changed_nodes),
        )
    }

    /// Namespaces with a deletionTimestamp, as (deletion time, name), oldest first.
    pub fn terminating_namespaces(&self) -> &BTreeSet<(SimTime, String)> {
        &self.terminating_by_time
    }

    /// Pods not bound to a node, in (namespace, name) order.
    pub fn unbound_pods(&self) -> &BTreeSet<ObjKey> {
        &self.unbound
    }

    /// Every node's facts, by name.
    pub fn node_facts(&self) -> &BTreeMap<String, NodeFacts> {
        &self.nodes
    }
}

fn remove_from(map: &mut BTreeMap<String, BTreeSet<ObjKey>>, at: &str, key: &ObjKey) {
    if let Some(set) = map.get_mut(at) {
        set.remove(key);
        if set.is_empty() {
            map.remove(at);
        }
    }
}
