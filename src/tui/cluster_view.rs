//! The cluster map's read model, built from the simulated cluster: one [`NodeView`] per node
//! with its pods as chips, the pods that just appeared or went away, a line of recent events
//! and, for a selected node, why each DaemonSet does or does not run a pod there.
//!
//! Reads the engine only (never the shell or the session); must not import ratatui.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::engine::clock::{SimTime, human_duration};
use crate::engine::objects::{Kind, meta, pod, scheduling};
use crate::engine::{Cluster, placement};

/// How long a pod that appeared or went away stays highlighted (simulated time).
pub const HIGHLIGHT: Duration = Duration::from_secs(8);
/// Namespaces whose pods count as the cluster's own plumbing.
const SYSTEM_NAMESPACES: [&str; 2] = ["kube-system", "local-path-storage"];
/// How many recent events the map shows.
const RECENT_EVENTS: usize = 3;

/// What a pod is doing, as the STATUS column would say it, reduced to five states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodState {
    Pending,
    Creating,
    Running,
    Terminating,
    Failed,
    /// Deleted a moment ago: shown as a ghost while highlighted.
    Gone,
}

impl PodState {
    /// A letter for the state, so that no meaning rests on colour.
    pub fn mark(self) -> char {
        match self {
            PodState::Pending => 'P',
            PodState::Creating => 'C',
            PodState::Running => 'R',
            PodState::Terminating => 'T',
            PodState::Failed => 'F',
            PodState::Gone => 'x',
        }
    }

    fn of(status: &str) -> PodState {
        match status {
            "Running" => PodState::Running,
            "Pending" => PodState::Pending,
            "ContainerCreating" | "PodInitializing" => PodState::Creating,
            "Terminating" | "Completed" | "Succeeded" => PodState::Terminating,
            s if s.starts_with("Init:") => PodState::Creating,
            _ => PodState::Failed,
        }
    }
}

/// Whether a pod just changed in a way worth pointing at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    New,
    Gone,
}

/// One pod on the map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodChip {
    pub namespace: String,
    pub name: String,
    pub state: PodState,
    /// Made by a DaemonSet.
    pub daemon: bool,
    pub system: bool,
    pub change: Option<Change>,
}

/// One node on the map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// `control-plane` or `worker`.
    pub role: &'static str,
    pub ip: String,
    pub ready: bool,
    pub unschedulable: bool,
    /// In full, as `kubectl describe node` writes them.
    pub taints: Vec<String>,
    pub pods: Vec<PodChip>,
}

impl NodeView {
    pub fn system_pods(&self) -> usize {
        self.pods.iter().filter(|p| p.system).count()
    }

    /// How many pods are in `state`.
    pub fn count(&self, state: PodState) -> usize {
        self.pods.iter().filter(|p| p.state == state).count()
    }
}

/// Why one DaemonSet does or does not run a pod on the selected node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhyLine {
    pub daemonset: String,
    pub runs: bool,
    pub reason: String,
}

/// A pod that was on a node at the last look and is gone now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GonePod {
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub daemon: bool,
    pub at: SimTime,
}

/// Whether system pods are listed one by one or only counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SystemPods {
    Counted,
    Listed,
}

/// Everything the map draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterView {
    pub nodes: Vec<NodeView>,
    pub events: Vec<String>,
    pub selected: Option<usize>,
    /// For the selected node, when its explanation is open.
    pub why: Option<(String, Vec<WhyLine>)>,
    pub system_pods: SystemPods,
}

/// What the app adds to the cluster's own state when building the map.
#[derive(Clone, Copy, Debug)]
pub struct MapOptions<'a> {
    pub selected: Option<usize>,
    pub explain: bool,
    pub system_pods: SystemPods,
    pub gone: &'a [GonePod],
}

impl ClusterView {
    pub fn build(cluster: &Cluster, opts: MapOptions<'_>) -> ClusterView {
        let now = cluster.now();
        let mut by_node: BTreeMap<&str, Vec<PodChip>> = BTreeMap::new();
        for p in cluster.list(Kind::Pod, None) {
            let created = meta::creation(p).unwrap_or_default();
            let fresh = now.since(created).0 < HIGHLIGHT.as_millis() as i64;
            by_node.entry(pod::node_name(p)).or_default().push(PodChip {
                namespace: meta::namespace(p).to_string(),
                name: meta::name(p).to_string(),
                state: PodState::of(&pod::display_status(p)),
                daemon: is_daemon(p),
                system: SYSTEM_NAMESPACES.contains(&meta::namespace(p)),
                change: fresh.then_some(Change::New),
            });
        }
        for g in opts.gone {
            by_node.entry(g.node.as_str()).or_default().push(PodChip {
                namespace: g.namespace.clone(),
                name: g.name.clone(),
                state: PodState::Gone,
                daemon: g.daemon,
                system: SYSTEM_NAMESPACES.contains(&g.namespace.as_str()),
                change: Some(Change::Gone),
            });
        }
        let nodes: Vec<NodeView> = cluster
            .list(Kind::Node, None)
            .map(|n| {
                let name = meta::name(n);
                let mut pods = by_node.remove(name).unwrap_or_default();
                pods.sort_by(|a, b| (a.system, &a.name).cmp(&(b.system, &b.name)));
                node_view(n, pods)
            })
            .collect();
        let selected = opts.selected.filter(|i| *i < nodes.len());
        let why = selected
            .filter(|_| opts.explain)
            .and_then(|i| nodes.get(i))
            .map(|n| (n.name.clone(), explain(cluster, &n.name)));
        ClusterView {
            nodes,
            events: recent_events(cluster, now),
            selected,
            why,
            system_pods: opts.system_pods,
        }
    }
}

fn is_daemon(p: &serde_json::Value) -> bool {
    meta::controller_ref(p).is_some_and(|(kind, _, _)| kind == "DaemonSet")
}

fn node_view(n: &serde_json::Value, pods: Vec<PodChip>) -> NodeView {
    let labels = meta::labels(n);
    let control_plane = labels.contains_key("node-role.kubernetes.io/control-plane")
        || labels.contains_key("node-role.kubernetes.io/master");
    let ip = meta::at(n, &["status", "addresses"])
        .and_then(serde_json::Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|x| meta::str_at(x, &["type"]) == "InternalIP")
        })
        .map(|x| meta::str_at(x, &["address"]).to_string())
        .unwrap_or_default();
    let ready = meta::at(n, &["status", "conditions"])
        .and_then(serde_json::Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                meta::str_at(c, &["type"]) == "Ready" && meta::str_at(c, &["status"]) == "True"
            })
        });
    NodeView {
        name: meta::name(n).to_string(),
        role: if control_plane {
            "control-plane"
        } else {
            "worker"
        },
        ip,
        ready,
        unschedulable: meta::at(n, &["spec", "unschedulable"])
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        taints: scheduling::taints(n)
            .iter()
            .map(scheduling::Taint::to_kubectl_string)
            .collect(),
        pods,
    }
}

/// For each DaemonSet, whether it runs a pod on `node` and why, in the controller's words.
pub fn explain(cluster: &Cluster, node: &str) -> Vec<WhyLine> {
    let Some(n) = cluster.get(Kind::Node, "", node) else {
        return Vec::new();
    };
    cluster
        .list(Kind::DaemonSet, None)
        .map(|ds| {
            let p = placement(ds, n);
            let reason = match &p.reason {
                None => "runs a pod here".to_string(),
                Some(r) => format!("no pod: {r}"),
            };
            WhyLine {
                daemonset: meta::name(ds).to_string(),
                runs: p.should_run,
                reason,
            }
        })
        .collect()
}

/// The last few Kubernetes events, newest last: `AGE  OBJECT  REASON  MESSAGE`.
fn recent_events(cluster: &Cluster, now: SimTime) -> Vec<String> {
    cluster
        .recent_events(RECENT_EVENTS)
        .into_iter()
        .map(|e| {
            let at = meta::timestamp(e, &["lastTimestamp"]).unwrap_or_default();
            format!(
                "{:>4} {}/{}: {} {}",
                human_duration(now.since(at)),
                meta::str_at(e, &["involvedObject", "kind"]).to_ascii_lowercase(),
                meta::str_at(e, &["involvedObject", "name"]),
                meta::str_at(e, &["reason"]),
                meta::str_at(e, &["message"]),
            )
        })
        .collect()
}

/// Remembers where each pod was, so that pods that vanish can be shown for a moment.
#[derive(Clone, Debug, Default)]
pub struct PodTracker {
    last: BTreeMap<(String, String), (String, bool)>,
    gone: Vec<GonePod>,
    /// The cluster's resourceVersion at the last look: while it is unchanged no pod can
    /// have gone, so a keystroke on a large cluster does not walk every pod.
    seen: Option<u64>,
}

impl PodTracker {
    /// Looks at the cluster again: pods missing since the last look become ghosts; ghosts
    /// older than [`HIGHLIGHT`] are dropped.
    pub fn observe(&mut self, cluster: &Cluster) {
        let now = cluster.now();
        if self.seen == Some(cluster.resource_version()) {
            self.gone
                .retain(|g| now.since(g.at).0 < HIGHLIGHT.as_millis() as i64);
            return;
        }
        self.seen = Some(cluster.resource_version());
        let mut current = BTreeMap::new();
        for p in cluster.list(Kind::Pod, None) {
            let node = pod::node_name(p);
            if !node.is_empty() {
                let key = (meta::namespace(p).to_string(), meta::name(p).to_string());
                current.insert(key, (node.to_string(), is_daemon(p)));
            }
        }
        for ((namespace, name), (node, daemon)) in &self.last {
            if !current.contains_key(&(namespace.clone(), name.clone())) {
                self.gone.push(GonePod {
                    namespace: namespace.clone(),
                    name: name.clone(),
                    node: node.clone(),
                    daemon: *daemon,
                    at: now,
                });
            }
        }
        self.gone
            .retain(|g| now.since(g.at).0 < HIGHLIGHT.as_millis() as i64);
        self.last = current;
    }

    pub fn gone(&self) -> &[GonePod] {
        &self.gone
    }

    /// Forgets everything (after a reset, so the whole old cluster is not shown as gone).
    pub fn forget(&mut self, cluster: &Cluster) {
        self.last.clear();
        self.gone.clear();
        self.seen = None;
        self.observe(cluster);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(gone: &[GonePod]) -> MapOptions<'_> {
        MapOptions {
            selected: Some(0),
            explain: true,
            system_pods: SystemPods::Counted,
            gone,
        }
    }

    #[test]
    fn the_kind_cluster_shows_four_nodes_with_the_control_plane_first() {
        let c = Cluster::kind(7, 3);
        let v = ClusterView::build(&c, opts(&[]));
        assert_eq!(v.nodes.len(), 4);
        assert_eq!(v.nodes[0].role, "control-plane");
        assert_eq!(
            v.nodes[0].taints,
            vec!["node-role.kubernetes.io/master:NoSchedule"]
        );
        assert!(v.nodes.iter().all(|n| n.ready && !n.pods.is_empty()));
    }

    #[test]
    fn the_control_plane_explains_that_kindnet_tolerates_its_taint() {
        let c = Cluster::kind(7, 3);
        let why = explain(&c, "kind-control-plane");
        let kindnet = why.iter().find(|w| w.daemonset == "kindnet");
        assert!(kindnet.is_some_and(|w| w.runs), "{why:?}");
    }

    #[test]
    fn a_deleted_pod_becomes_a_ghost_for_a_moment() {
        let mut c = Cluster::kind(7, 3);
        let mut t = PodTracker::default();
        t.observe(&c);
        let victim = c
            .list(Kind::Pod, Some("kube-system"))
            .find(|p| meta::name(p).starts_with("coredns"))
            .map(|p| meta::name(p).to_string())
            .unwrap();
        let _ = c.delete(
            Kind::Pod,
            "kube-system",
            &victim,
            crate::engine::DeleteOptions::default(),
        );
        c.settle(Duration::from_secs(60));
        t.observe(&c);
        assert!(t.gone().iter().any(|g| g.name == victim));
        c.advance(HIGHLIGHT);
        t.observe(&c);
        assert!(t.gone().iter().all(|g| g.name != victim));
    }
}
