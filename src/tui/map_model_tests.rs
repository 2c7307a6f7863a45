//! The map model against a fresh read of the cluster: whatever happened, an updated model
//! must hold what a new one would.

use std::time::Duration;

use crate::engine::value::{Value, json};

use super::*;
use crate::engine::DeleteOptions;
use crate::engine::objects::{meta, pod};
use crate::tui::cluster_view::{HIGHLIGHT, SystemPods};

const NS: &str = "default";
const STATES: [PodState; 6] = [
    PodState::Pending,
    PodState::Creating,
    PodState::Running,
    PodState::Terminating,
    PodState::Failed,
    PodState::Gone,
];

fn opts(selected: Option<usize>, rows: usize) -> MapOptions {
    MapOptions {
        selected,
        explain: true,
        system_pods: SystemPods::Counted,
        rows,
    }
}

fn bare_pod(name: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NS},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.21"}]}
    })
}

fn create_pod(c: &mut Cluster, name: &str) {
    assert!(c.create(Kind::Pod, bare_pod(name)).is_ok(), "{name}");
}

fn delete_pod(c: &mut Cluster, namespace: &str, name: &str) {
    let done = c.delete(Kind::Pod, namespace, name, DeleteOptions::default());
    assert!(done.is_ok(), "{namespace}/{name}");
}

/// Changes one node with `edit`, as `kubectl taint` or `kubectl cordon` would.
fn edit_node(c: &mut Cluster, node: &str, edit: impl FnOnce(&mut Value)) {
    let mut n = c.get(Kind::Node, "", node).cloned().unwrap();
    edit(&mut n);
    assert!(c.update(Kind::Node, n).is_ok(), "{node}");
}

fn demo_daemonset() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "demo", "namespace": NS},
        "spec": {
            "selector": {"matchLabels": {"app": "demo"}},
            "template": {
                "metadata": {"labels": {"app": "demo"}},
                "spec": {"containers": [{"name": "demo", "image": "demo:1.0.0"}]}
            }
        }
    })
}

/// Updates the model and checks it against a fresh read; returns how many pods it has.
fn check(m: &mut MapModel, c: &Cluster, when: &str) -> usize {
    m.update(c);
    let fresh = MapModel::new(c);
    assert_eq!(m.state(), fresh.state(), "{when}");
    assert!(m.is_current(c), "{when}");
    let wide = opts(Some(1), 1000);
    for n in &m.view(c, wide).nodes {
        for state in STATES {
            let chips = n.pods.iter().filter(|p| p.state == state).count();
            assert_eq!(n.count(state), chips, "{when}: {} {state:?}", n.name);
        }
        let system = n.pods.iter().filter(|p| p.system).count();
        assert_eq!(n.system_pods(), system, "{when}: {}", n.name);
    }
    let mut live = m.view(c, wide);
    for n in &mut live.nodes {
        // Ghosts are the updated model's own: compare the live pods only.
        for g in n.pods.iter().filter(|p| p.state == PodState::Gone) {
            n.counts.remove(PodState::Gone, g.system);
        }
        n.pods.retain(|p| p.state != PodState::Gone);
    }
    assert_eq!(live, fresh.view(c, wide), "{when}");
    m.state().pods().len()
}

#[test]
fn the_kind_cluster_shows_four_nodes_with_the_control_plane_first() {
    let c = Cluster::kind(7, 3);
    let v = MapModel::new(&c).view(&c, opts(Some(0), 50));
    assert_eq!((v.nodes.len(), v.node_count, v.first), (4, 4, 0));
    assert_eq!(v.nodes[0].role, "control-plane");
    assert_eq!(
        v.nodes[0].taints,
        vec!["node-role.kubernetes.io/master:NoSchedule"]
    );
    assert!(v.nodes.iter().all(|n| n.ready && !n.pods.is_empty()));
    assert_eq!(
        v.why.as_ref().map(|(n, _)| n.as_str()),
        Some("kind-control-plane")
    );
}

#[test]
fn a_deleted_pod_becomes_a_ghost_for_a_moment() {
    let mut c = Cluster::kind(7, 3);
    let mut m = MapModel::new(&c);
    let victim = c
        .list(Kind::Pod, Some("kube-system"))
        .find(|p| meta::name(p).starts_with("coredns"))
        .map(|p| meta::name(p).to_string())
        .unwrap();
    delete_pod(&mut c, "kube-system", &victim);
    c.settle(Duration::from_secs(60));
    m.update(&c);
    let ghost = m
        .ghosts()
        .iter()
        .find(|g| g.name == victim)
        .cloned()
        .unwrap();
    let v = m.view(&c, opts(None, 50));
    let node = v.nodes.iter().find(|n| n.name == ghost.node).unwrap();
    assert!(
        node.pods
            .iter()
            .any(|p| p.name == victim && p.state == PodState::Gone)
    );
    c.advance(HIGHLIGHT);
    m.update(&c);
    assert!(m.ghosts().iter().all(|g| g.name != victim));
    assert_eq!(m.rebuilds(), 0);
}

#[test]
fn a_new_pod_is_highlighted_for_eight_seconds() {
    let mut c = Cluster::kind(7, 3);
    let mut m = MapModel::new(&c);
    create_pod(&mut c, "web");
    c.advance(Duration::from_secs(2));
    m.update(&c);
    let change = |m: &MapModel, c: &Cluster| {
        m.view(c, opts(None, 50))
            .nodes
            .iter()
            .flat_map(|n| n.pods.iter())
            .find(|p| p.name == "web")
            .map(|p| p.change)
    };
    assert_eq!(change(&m, &c), Some(Some(Change::New)));
    c.advance(HIGHLIGHT);
    m.update(&c);
    assert_eq!(change(&m, &c), Some(None));
}

#[test]
fn updates_match_a_fresh_read_through_a_lesson_like_story() {
    let mut c = Cluster::kind(7, 3);
    let mut m = MapModel::new(&c);
    let at_start = check(&mut m, &c, "start");
    for i in 0..5 {
        create_pod(&mut c, &format!("web-{i}"));
    }
    assert!(!m.is_current(&c), "a write leaves the model behind");
    check(&mut m, &c, "pods created, not scheduled yet");
    c.advance(Duration::from_millis(1500));
    check(&mut m, &c, "pods starting");
    c.advance(Duration::from_secs(30));
    assert_eq!(check(&mut m, &c, "pods running"), at_start + 5);
    assert!(c.create(Kind::DaemonSet, demo_daemonset()).is_ok());
    c.advance(Duration::from_secs(1));
    check(&mut m, &c, "daemon pods starting");
    edit_node(&mut c, "kind-worker3", |n| {
        meta::set(
            n,
            &["spec", "taints"],
            json!([{"key": "VIPOnly", "value": "true", "effect": "NoExecute"}]),
        );
    });
    c.advance(Duration::from_secs(1));
    check(&mut m, &c, "worker3 tainted, its pods evicted");
    edit_node(&mut c, "kind-worker2", |n| {
        meta::set(n, &["spec", "unschedulable"], json!(true));
    });
    delete_pod(&mut c, NS, "web-0");
    delete_pod(&mut c, NS, "web-1");
    check(&mut m, &c, "worker2 cordoned, two pods terminating");
    c.advance(Duration::from_secs(5));
    check(&mut m, &c, "two pods gone");
    let ghosts: Vec<&str> = m.ghosts().iter().map(|g| g.name.as_str()).collect();
    assert!(
        ghosts.contains(&"web-0") && ghosts.contains(&"web-1"),
        "{ghosts:?}"
    );
    c.advance(Duration::from_secs(60));
    assert_eq!(check(&mut m, &c, "settled"), at_start + 3 + 2);
    let worker2 = m.state().nodes().get("kind-worker2").unwrap();
    assert!(worker2.unschedulable);
    let worker3 = m.state().nodes().get("kind-worker3").unwrap();
    assert_eq!(worker3.taints, ["VIPOnly=true:NoExecute"]);
    assert_eq!(m.rebuilds(), 0, "every update went by the log");
}

#[test]
fn more_writes_than_the_log_holds_fall_back_to_a_fresh_read() {
    let mut c = Cluster::kind(7, 3);
    let mut m = MapModel::new(&c);
    let doomed = c
        .list(Kind::Pod, Some("kube-system"))
        .find(|p| meta::name(p).starts_with("coredns"))
        .map(|p| meta::name(p).to_string())
        .unwrap();
    delete_pod(&mut c, "kube-system", &doomed);
    let before = c.changes().back().map_or(0, |r| r.seq);
    let mut i = 0;
    while c.changes().back().map_or(0, |r| r.seq) < before + 2100 {
        create_pod(&mut c, &format!("load-{i}"));
        i += 1;
        if i % 50 == 0 {
            c.advance(Duration::from_secs(2));
        }
    }
    assert!(c.changes().front().map_or(0, |r| r.seq) > m.cursor.seq() + 1);
    check(&mut m, &c, "after more than 2,048 writes");
    assert_eq!(m.rebuilds(), 1);
    assert!(
        m.ghosts().iter().any(|g| g.name == doomed),
        "a pod gone during the gap is still a ghost"
    );
    c.advance(Duration::from_secs(30));
    check(&mut m, &c, "and updates go by the log again");
    assert_eq!(m.rebuilds(), 1);
}

#[test]
fn another_cluster_is_read_afresh_without_ghosts() {
    let mut c = Cluster::kind(7, 3);
    create_pod(&mut c, "web");
    c.advance(Duration::from_secs(30));
    let mut m = MapModel::new(&c);
    let other = Cluster::kind(7, 3);
    check(&mut m, &other, "a fresh cluster in place of the old one");
    assert_eq!(m.rebuilds(), 1);
    assert!(m.ghosts().is_empty(), "{:?}", m.ghosts());
}

#[test]
fn a_big_cluster_builds_only_the_nodes_around_the_selected_one() {
    let c = Cluster::kind(7, 40);
    let m = MapModel::new(&c);
    let all = m.view(&c, opts(Some(30), 1000));
    assert_eq!((all.first, all.nodes.len(), all.node_count), (0, 41, 41));
    assert!(
        all.nodes.iter().all(|n| n.pods.is_empty()),
        "rows, not boxes"
    );
    let counted: usize = all
        .nodes
        .iter()
        .map(|n| STATES.iter().map(|s| n.count(*s)).sum::<usize>())
        .sum();
    let placed = c
        .list(Kind::Pod, None)
        .filter(|p| !pod::node_name(p).is_empty())
        .count();
    assert_eq!(counted, placed);
    let some = m.view(&c, opts(Some(30), 10));
    assert_eq!(
        (some.first, some.nodes.len(), some.node_count),
        (20, 21, 41)
    );
    for i in 20..41 {
        assert_eq!(some.node(i), all.node(i), "node {i}");
    }
    assert_eq!(some.node(19), None);
    assert_eq!(some.why, all.why);
    let top = m.view(&c, opts(None, 10));
    assert_eq!((top.first, top.nodes.len()), (0, 11));
}
