//! The cluster map's read model: what one frame draws (a [`NodeView`] per node shown, with
//! its pods as chips, pods that just appeared or went away, a line of recent events and, for
//! a selected node, why each DaemonSet does or does not run a pod there). The model kept
//! across frames, from which these are built, is in `map_model.rs`.
//!
//! Reads the engine only (never the shell or the session); must not import ratatui.

use std::time::Duration;

use crate::api::views;
use crate::engine::Cluster;
use crate::engine::clock::{SimTime, human_duration};
use crate::engine::objects::Kind;
use crate::engine::objects::scheduling::Toleration;

/// How long a pod that appeared or went away stays highlighted (simulated time).
pub const HIGHLIGHT: Duration = Duration::from_secs(8);
/// Namespaces whose pods count as the cluster's own plumbing.
pub const SYSTEM_NAMESPACES: [&str; 2] = ["kube-system", "local-path-storage"];
/// Most nodes drawn as boxes; bigger clusters get one summary row per node.
pub const MAX_BOXES: usize = 16;
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

    /// The state for a STATUS column value (`pod::display_status`).
    pub fn of(status: &str) -> PodState {
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

/// How many pods a node has in each state, and how many of them are system pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PodCounts {
    by_state: [usize; 6],
    system: usize,
}

impl PodCounts {
    /// How many pods are in `state`.
    pub fn of(&self, state: PodState) -> usize {
        self.by_state[state as usize]
    }

    pub fn system(&self) -> usize {
        self.system
    }

    pub fn is_empty(&self) -> bool {
        *self == PodCounts::default()
    }

    /// Counts one more pod.
    pub fn add(&mut self, state: PodState, system: bool) {
        self.by_state[state as usize] += 1;
        self.system += usize::from(system);
    }

    /// Counts one pod fewer (one that was added before).
    pub fn remove(&mut self, state: PodState, system: bool) {
        let n = &mut self.by_state[state as usize];
        *n = n.saturating_sub(1);
        if system {
            self.system = self.system.saturating_sub(1);
        }
    }
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
    /// Empty in a map of more than [`MAX_BOXES`] nodes: its one row per node shows counts.
    pub pods: Vec<PodChip>,
    /// Its pods (ghosts included) by state, kept by the model as they change.
    pub counts: PodCounts,
}

impl NodeView {
    pub fn system_pods(&self) -> usize {
        self.counts.system()
    }

    /// How many pods are in `state`.
    pub fn count(&self, state: PodState) -> usize {
        self.counts.of(state)
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

/// Everything the map draws. With many nodes only those near the selected one are here
/// (`nodes` starts at index `first` of the `node_count` nodes), as only they can be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterView {
    pub nodes: Vec<NodeView>,
    /// The index, among all nodes in name order, of `nodes[0]`.
    pub first: usize,
    /// How many nodes the cluster has, drawn or not.
    pub node_count: usize,
    pub events: Vec<String>,
    /// One line per learner Service and the pods it sends to, and how many there are.
    pub services: (Vec<String>, usize),
    /// An index among all nodes (not into `nodes`).
    pub selected: Option<usize>,
    /// For the selected node, when its explanation is open.
    pub why: Option<(String, Vec<WhyLine>)>,
    /// Rows the explanation is scrolled down (PgDn on the map).
    pub why_scroll: usize,
    pub system_pods: SystemPods,
}

impl ClusterView {
    /// The node at `index` among all nodes, when it is one of those built.
    pub fn node(&self, index: usize) -> Option<&NodeView> {
        index
            .checked_sub(self.first)
            .and_then(|i| self.nodes.get(i))
    }
}

/// What the app adds to the cluster's own state when building the map.
#[derive(Clone, Copy, Debug)]
pub struct MapOptions {
    pub selected: Option<usize>,
    pub explain: bool,
    pub system_pods: SystemPods,
    /// At most how many rows the map can have (the terminal's height will do): in a
    /// summarised map, nodes further than this from the selected one are not built.
    pub rows: usize,
}

/// For each DaemonSet, whether it runs a pod on `node` and why, in the controller's words,
/// naming the reason: the toleration that lets its pods past each of the node's taints, or
/// the node-selector label the node lacks.
pub fn explain(cluster: &Cluster, node: &str) -> Vec<WhyLine> {
    let Some(n) = cluster.get(Kind::Node, "", node).map(views::NodeView::of) else {
        return Vec::new();
    };
    cluster
        .list(Kind::DaemonSet, None)
        .map(views::DaemonSetView::of)
        .map(|ds| {
            let p = ds.placement(n);
            let selector = selector_words(ds, n);
            let reason = match &p.reason {
                None => {
                    let mut why = vec!["runs a pod here".to_string()];
                    why.extend(tolerated_words(ds, n));
                    why.join("; ")
                }
                Some(r) if r.contains("node selector") => match selector {
                    Some(s) => format!("no pod: {s}"),
                    None => format!("no pod: {r}"),
                },
                Some(r) => format!("no pod: {r}"),
            };
            WhyLine {
                daemonset: ds.meta().name().to_string(),
                runs: p.should_run,
                reason,
            }
        })
        .collect()
}

/// For each taint of `node`, the toleration (of the template, or one the DaemonSet controller
/// adds to every daemon pod) that lets the pods past it.
fn tolerated_words(ds: views::DaemonSetView<'_>, node: views::NodeView<'_>) -> Vec<String> {
    let own = ds.tolerations();
    let added = ds.pod_tolerations();
    node.taints()
        .iter()
        .filter_map(|t| {
            let (by, whose) = match own.iter().find(|x| x.tolerates(t)) {
                Some(x) => (x, "its toleration"),
                None => (
                    added.iter().find(|x| x.tolerates(t))?,
                    "the toleration every daemon pod gets",
                ),
            };
            Some(format!(
                "tolerates taint {} ({whose}: {})",
                t.to_kubectl_string(),
                toleration_words(by)
            ))
        })
        .collect()
}

/// A toleration as a learner reads it in a manifest: `key=value:Effect`, `key:Effect
/// (Exists)`, or `everything (Exists)`.
fn toleration_words(t: &Toleration) -> String {
    let effect = if t.effect.is_empty() {
        String::new()
    } else {
        format!(":{}", t.effect)
    };
    match (t.key.is_empty(), t.operator.as_str()) {
        (true, _) => format!("Exists, any key{effect}"),
        (false, "Exists") => format!("{}{effect}, Exists", t.key),
        (false, _) => format!("{}={}{effect}", t.key, t.value),
    }
}

/// What the template's `nodeSelector` wants of `node`, when it has one: the labels that
/// match, or the first it lacks (and what the node has for that key instead).
fn selector_words(ds: views::DaemonSetView<'_>, node: views::NodeView<'_>) -> Option<String> {
    let wanted = ds.node_selector();
    if wanted.is_empty() {
        return None;
    }
    let labels = node.meta().labels();
    for (k, v) in &wanted {
        match labels.get(k) {
            Some(have) if have == v => {}
            Some(have) => {
                return Some(format!(
                    "its node selector wants label {k}={v}; the node has {k}={have}"
                ));
            }
            None => {
                return Some(format!(
                    "its node selector wants label {k}={v}; the node has no {k} label"
                ));
            }
        }
    }
    let all: Vec<String> = wanted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Some(format!(
        "the node has the label {} its node selector wants",
        all.join(", ")
    ))
}

/// The last few Kubernetes events, newest last: `AGE  OBJECT  REASON  MESSAGE`.
pub fn recent_events(cluster: &Cluster, now: SimTime) -> Vec<String> {
    cluster
        .recent_events(RECENT_EVENTS)
        .into_iter()
        .map(|e| {
            let e = views::EventView::of(e);
            let at = e.last_seen().unwrap_or_default();
            let (kind, name) = e.involved();
            format!(
                "{:>4} {}/{name}: {} {}",
                human_duration(now.since(at)),
                kind.to_ascii_lowercase(),
                e.reason(),
                e.message(),
            )
        })
        .collect()
}

/// Whether something that happened at `at` is still highlighted at `now`.
pub fn highlighted(now: SimTime, at: SimTime) -> bool {
    now.since(at).0 < HIGHLIGHT.as_millis() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_plane_explains_that_kindnet_tolerates_its_taint() {
        let c = Cluster::kind(7, 3);
        let why = explain(&c, "kind-control-plane");
        let kindnet = why.iter().find(|w| w.daemonset == "kindnet");
        assert!(kindnet.is_some_and(|w| w.runs), "{why:?}");
    }

    #[test]
    fn the_why_names_the_toleration_and_the_missing_node_selector_label() {
        let mut c = Cluster::kind(7, 3);
        let why = explain(&c, "kind-control-plane");
        let kindnet = why.iter().find(|w| w.daemonset == "kindnet").unwrap();
        assert_eq!(
            kindnet.reason,
            "runs a pod here; tolerates taint node-role.kubernetes.io/master:NoSchedule (its toleration: Exists, any key)"
        );
        let apply = "cat <<EOF | kubectl apply -f -\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ssd\nspec:\n  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: b}\n    spec:\n      nodeSelector: {disktype: ssd}\n      containers:\n      - name: c\n        image: demo:1.0.0\nEOF";
        let out = crate::shell::Shell::new().run(apply, &mut c);
        assert_eq!(out.status, 0, "{}", out.stderr);
        let why = explain(&c, "kind-worker");
        let ssd = why.iter().find(|w| w.daemonset == "ssd").unwrap();
        assert_eq!(
            ssd.reason,
            "no pod: its node selector wants label disktype=ssd; the node has no disktype label"
        );
    }

    #[test]
    fn a_pod_stays_highlighted_for_eight_seconds() {
        let at = SimTime::from_secs(100);
        assert!(highlighted(SimTime::from_secs(107), at));
        assert!(!highlighted(SimTime::from_secs(108), at));
    }

    #[test]
    fn counts_go_up_and_back_down() {
        let mut c = PodCounts::default();
        c.add(PodState::Running, true);
        c.add(PodState::Running, false);
        assert_eq!((c.of(PodState::Running), c.system()), (2, 1));
        c.remove(PodState::Running, true);
        c.remove(PodState::Running, false);
        assert!(c.is_empty());
    }

    #[test]
    fn the_status_column_reduces_to_a_state_letter() {
        assert_eq!(PodState::of("Init:0/1").mark(), 'C');
        assert_eq!(PodState::of("CrashLoopBackOff").mark(), 'F');
        assert_eq!(PodState::of("Completed").mark(), 'T');
    }
}
