//! The cluster map's model, kept by the app across frames: a row per node and a chip per pod,
//! brought up to date from the engine's change log, so that the cost of each update grows
//! with what changed and not with the size of the cluster. Pods that vanish between two
//! updates become ghosts for `HIGHLIGHT`. A frame's [`ClusterView`] is built from it for
//! the nodes the frame can show, not for every node.
//!
//! Reads the engine only (never the shell or the session); must not import ratatui.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::value::Value;

use crate::api::views;
use crate::engine::clock::SimTime;
use crate::engine::objects::Kind;
use crate::engine::objects::scheduling::Taint;
use crate::engine::{ChangeRecord, Cluster};
use crate::tui::cluster_view::{
    Change, ClusterView, GonePod, MAX_BOXES, MapOptions, NodeView, PodChip, PodCounts, PodState,
    SYSTEM_NAMESPACES, explain, highlighted, recent_events,
};

/// A pod's namespace and name.
type PodKey = (String, String);

/// A node as the map shows it (its pods are kept apart, by node name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeRow {
    /// `control-plane` or `worker`.
    pub role: &'static str,
    pub ip: String,
    pub ready: bool,
    pub unschedulable: bool,
    /// In full, as `kubectl describe node` writes them.
    pub taints: Vec<String>,
}

/// A pod as the map shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodRow {
    /// Empty while the pod is not scheduled.
    pub node: String,
    pub state: PodState,
    /// Made by a DaemonSet.
    pub daemon: bool,
    pub system: bool,
    /// When the pod was created: it is shown as new for `HIGHLIGHT` after.
    pub created: SimTime,
}

/// What the cluster holds, as the map needs it. Apart from ghosts, which depend on when
/// one looked, an updated model and one built afresh hold equal states.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapState {
    nodes: BTreeMap<String, NodeRow>,
    pods: BTreeMap<PodKey, PodRow>,
    /// Pods by nodeName (`""` holds the unscheduled ones), in the order listing gives them.
    placed: BTreeMap<String, BTreeSet<PodKey>>,
    /// Pods by nodeName and state, for the summary rows of big clusters.
    counts: BTreeMap<String, PodCounts>,
}

impl MapState {
    fn read(cluster: &Cluster) -> MapState {
        let mut s = MapState::default();
        for n in cluster.list(Kind::Node, None) {
            s.nodes
                .insert(views::ObjectView::of(n).name().to_string(), NodeRow::of(n));
        }
        for p in cluster.list(Kind::Pod, None) {
            let m = views::ObjectView::of(p);
            let key = (m.namespace().to_string(), m.name().to_string());
            s.set_pod(key, Some(p));
        }
        s
    }

    pub fn nodes(&self) -> &BTreeMap<String, NodeRow> {
        &self.nodes
    }

    pub fn pods(&self) -> &BTreeMap<PodKey, PodRow> {
        &self.pods
    }

    /// The pods whose nodeName is `node` (`""`: not scheduled yet).
    pub fn pods_on(&self, node: &str) -> impl Iterator<Item = (&PodKey, &PodRow)> {
        self.placed
            .get(node)
            .into_iter()
            .flatten()
            .filter_map(|k| self.pods.get_key_value(k))
    }

    fn set_node(&mut self, name: &str, node: Option<&Value>) {
        match node {
            Some(n) => {
                self.nodes.insert(name.to_string(), NodeRow::of(n));
            }
            None => {
                self.nodes.remove(name);
            }
        }
    }

    /// Replaces what is known of one pod (`None`: it is gone).
    fn set_pod(&mut self, key: PodKey, pod: Option<&Value>) {
        if let Some(old) = self.pods.remove(&key) {
            if let Some(set) = self.placed.get_mut(&old.node) {
                set.remove(&key);
                if set.is_empty() {
                    self.placed.remove(&old.node);
                }
            }
            if let Some(counts) = self.counts.get_mut(&old.node) {
                counts.remove(old.state, old.system);
                if counts.is_empty() {
                    self.counts.remove(&old.node);
                }
            }
        }
        if let Some(p) = pod {
            let row = PodRow::of(p);
            self.placed
                .entry(row.node.clone())
                .or_default()
                .insert(key.clone());
            self.counts
                .entry(row.node.clone())
                .or_default()
                .add(row.state, row.system);
            self.pods.insert(key, row);
        }
    }

    /// Where a pod runs and whether a DaemonSet made it, if it is on a node.
    fn placement(&self, key: &PodKey) -> Option<(String, bool)> {
        self.pods
            .get(key)
            .filter(|p| !p.node.is_empty())
            .map(|p| (p.node.clone(), p.daemon))
    }
}

impl NodeRow {
    fn of(n: &Value) -> NodeRow {
        let n = views::NodeView::of(n);
        NodeRow {
            role: if n.is_control_plane() {
                "control-plane"
            } else {
                "worker"
            },
            ip: n.internal_ip().unwrap_or_default().to_string(),
            ready: n.is_ready(),
            unschedulable: n.is_unschedulable(),
            taints: n.taints().iter().map(Taint::to_kubectl_string).collect(),
        }
    }
}

impl PodRow {
    fn of(p: &Value) -> PodRow {
        let p = views::PodView::of(p);
        PodRow {
            node: p.node_name().to_string(),
            state: PodState::of(&p.status()),
            daemon: p.is_daemon(),
            system: SYSTEM_NAMESPACES.contains(&p.meta().namespace()),
            created: p.meta().created().unwrap_or_default(),
        }
    }
}

/// Where the model stands in the cluster's change log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Cursor {
    /// The newest record applied (`None` while the log was empty), kept whole so that a
    /// cluster replaced by another (a reset) is noticed even when the numbers line up.
    last: Option<ChangeRecord>,
    resource_version: u64,
}

impl Cursor {
    fn at(cluster: &Cluster) -> Cursor {
        Cursor {
            last: cluster.changes().back().cloned(),
            resource_version: cluster.resource_version(),
        }
    }

    fn seq(&self) -> u64 {
        self.last.as_ref().map_or(0, |r| r.seq)
    }
}

/// What bringing the model up to date takes.
#[derive(Debug, PartialEq, Eq)]
enum CatchUp {
    Nothing,
    /// Applying the log's records from this index on.
    From(usize),
    /// A fresh read: the log has dropped records not applied yet.
    Gap,
    /// A fresh read, ghosts forgotten: this is another cluster.
    Replaced,
}

/// The map's model: see the module's doc.
#[derive(Clone, Debug)]
pub struct MapModel {
    state: MapState,
    ghosts: Vec<GonePod>,
    cursor: Cursor,
    /// How many times the model was read afresh since it was made (gaps and replacements).
    rebuilds: usize,
}

impl MapModel {
    /// A model read afresh from the cluster, with no ghosts.
    pub fn new(cluster: &Cluster) -> MapModel {
        MapModel {
            state: MapState::read(cluster),
            ghosts: Vec::new(),
            cursor: Cursor::at(cluster),
            rebuilds: 0,
        }
    }

    /// Starts over on another cluster (after a reset): the old one's pods are not ghosts.
    pub fn reset(&mut self, cluster: &Cluster) {
        self.state = MapState::read(cluster);
        self.ghosts.clear();
        self.cursor = Cursor::at(cluster);
        self.rebuilds += 1;
    }

    /// Applies what changed since the last update (a fresh read when the log no longer
    /// reaches back that far, or the cluster is another one), turns pods that were on a
    /// node then and are gone now into ghosts, and drops ghosts older than `HIGHLIGHT`.
    pub fn update(&mut self, cluster: &Cluster) {
        let now = cluster.now();
        match self.catch_up(cluster) {
            CatchUp::Nothing => {}
            CatchUp::From(index) => self.apply(cluster, index),
            CatchUp::Gap => {
                let before = std::mem::replace(&mut self.state, MapState::read(cluster));
                self.rebuilds += 1;
                for key in before.pods.keys() {
                    self.note_if_gone(key, before.placement(key), now);
                }
            }
            CatchUp::Replaced => self.reset(cluster),
        }
        self.cursor = Cursor::at(cluster);
        self.ghosts.retain(|g| highlighted(now, g.at));
    }

    /// Whether the model already shows the cluster as it is (no write since the last update).
    pub fn is_current(&self, cluster: &Cluster) -> bool {
        self.cursor == Cursor::at(cluster)
    }

    pub fn state(&self) -> &MapState {
        &self.state
    }

    /// Pods that were on a node at an update and were gone at the next, for a moment.
    pub fn ghosts(&self) -> &[GonePod] {
        &self.ghosts
    }

    /// How many times the model was read afresh instead of updated (for tests and tuning).
    pub fn rebuilds(&self) -> usize {
        self.rebuilds
    }

    fn catch_up(&self, cluster: &Cluster) -> CatchUp {
        let log = cluster.changes();
        let seq = self.cursor.seq();
        let newest = log.back().map_or(0, |r| r.seq);
        if cluster.resource_version() < self.cursor.resource_version || newest < seq {
            return CatchUp::Replaced;
        }
        let Some(front) = log.front().map(|r| r.seq) else {
            return CatchUp::Nothing;
        };
        // The record applied last, while the log still holds it, must be the same record.
        if let Some(last) = &self.cursor.last
            && last.seq >= front
            && log.get((last.seq - front) as usize) != Some(last)
        {
            return CatchUp::Replaced;
        }
        if newest == seq {
            return CatchUp::Nothing;
        }
        // Records number one by one, so the next one to apply sits at a known place.
        let index = (seq + 1).saturating_sub(front) as usize;
        if log.get(index).is_some_and(|r| r.seq == seq + 1) {
            CatchUp::From(index)
        } else {
            CatchUp::Gap
        }
    }

    /// Re-reads each node and pod that the log's records from `index` on name, once.
    fn apply(&mut self, cluster: &Cluster, index: usize) {
        let mut nodes = BTreeSet::new();
        let mut pods = BTreeSet::new();
        for r in cluster.changes().iter().skip(index) {
            match r.kind {
                Kind::Node => {
                    nodes.insert(r.name.as_str());
                }
                Kind::Pod => {
                    pods.insert((r.namespace.as_str(), r.name.as_str()));
                }
                _ => {}
            }
        }
        for name in nodes {
            self.state.set_node(name, cluster.get(Kind::Node, "", name));
        }
        let now = cluster.now();
        for (namespace, name) in pods {
            let key = (namespace.to_string(), name.to_string());
            let before = self.state.placement(&key);
            self.state
                .set_pod(key.clone(), cluster.get(Kind::Pod, namespace, name));
            self.note_if_gone(&key, before, now);
        }
    }

    /// A pod that was on a node (`before`) and is on none now becomes a ghost.
    fn note_if_gone(&mut self, key: &PodKey, before: Option<(String, bool)>, now: SimTime) {
        let Some((node, daemon)) = before else { return };
        if self.state.placement(key).is_none() {
            self.ghosts.push(GonePod {
                namespace: key.0.clone(),
                name: key.1.clone(),
                node,
                daemon,
                at: now,
            });
        }
    }

    /// What one frame draws. With more than [`MAX_BOXES`] nodes the map is one row per
    /// node around the selected one, so only the nodes within `opts.rows` of it are built.
    pub fn view(&self, cluster: &Cluster, opts: MapOptions) -> ClusterView {
        let now = cluster.now();
        let count = self.state.nodes.len();
        let selected = opts.selected.filter(|i| *i < count);
        let (first, end) = if count <= MAX_BOXES {
            (0, count)
        } else {
            let at = selected.unwrap_or(0);
            (
                at.saturating_sub(opts.rows),
                at.saturating_add(opts.rows).saturating_add(1).min(count),
            )
        };
        let mut ghosts: BTreeMap<&str, Vec<&GonePod>> = BTreeMap::new();
        for g in &self.ghosts {
            ghosts.entry(g.node.as_str()).or_default().push(g);
        }
        let nodes = self
            .state
            .nodes
            .iter()
            .skip(first)
            .take(end - first)
            .map(|(name, row)| self.node_view(name, row, ghosts.remove(name.as_str()), now))
            .collect();
        let why = selected
            .filter(|_| opts.explain)
            .and_then(|i| self.state.nodes.keys().nth(i))
            .map(|name| (name.clone(), explain(cluster, name)));
        ClusterView {
            nodes,
            first,
            node_count: count,
            events: recent_events(cluster, now),
            services: crate::tui::map_services::service_lines(cluster),
            selected,
            why,
            why_scroll: 0,
            system_pods: opts.system_pods,
        }
    }

    /// One node with its pods (system pods last, then by name) and its ghosts; with more
    /// than [`MAX_BOXES`] nodes, only their counts.
    fn node_view(
        &self,
        name: &str,
        row: &NodeRow,
        ghosts: Option<Vec<&GonePod>>,
        now: SimTime,
    ) -> NodeView {
        let detail = self.state.nodes.len() <= MAX_BOXES;
        let mut counts = self.state.counts.get(name).copied().unwrap_or_default();
        let mut pods: Vec<PodChip> = Vec::new();
        if detail {
            pods.extend(
                self.state
                    .pods_on(name)
                    .map(|((namespace, pod_name), p)| PodChip {
                        namespace: namespace.clone(),
                        name: pod_name.clone(),
                        state: p.state,
                        daemon: p.daemon,
                        system: p.system,
                        change: highlighted(now, p.created).then_some(Change::New),
                    }),
            );
        }
        for g in ghosts.into_iter().flatten() {
            let system = SYSTEM_NAMESPACES.contains(&g.namespace.as_str());
            counts.add(PodState::Gone, system);
            if detail {
                pods.push(PodChip {
                    namespace: g.namespace.clone(),
                    name: g.name.clone(),
                    state: PodState::Gone,
                    daemon: g.daemon,
                    system,
                    change: Some(Change::Gone),
                });
            }
        }
        pods.sort_by(|a, b| (a.system, &a.name).cmp(&(b.system, &b.name)));
        NodeView {
            name: name.to_string(),
            role: row.role,
            ip: row.ip.clone(),
            ready: row.ready,
            unschedulable: row.unschedulable,
            taints: row.taints.clone(),
            pods,
            counts,
        }
    }
}

#[cfg(test)]
#[path = "map_model_tests.rs"]
mod tests;
