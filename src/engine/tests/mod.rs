//! Whole-cluster tests of the controller rules of `shared/kubectl-fidelity.md` §7: each
//! builds the lesson's KinD cluster, acts through the API (`create`, `update`, `delete`),
//! moves time with `advance`, and asserts on the objects the cluster holds.
//!
//! Must not import: anything outside `crate::engine` (the shell and kubectl are tested
//! elsewhere); no real clock.

mod bounds;
mod config;
mod daemonset;
mod index;
mod lifecycle;
mod services;
mod taints;

use std::time::Duration;

use crate::engine::value::{Value, json};

use super::objects::{Kind, meta, pod};
use super::{Cluster, DeleteOptions};

/// The seed every test starts from (names are fixed by it, but no test relies on one).
const SEED: u64 = 7;
/// The DaemonSet the tests create, in the `default` namespace.
const DS: &str = "demo-daemon";
const NS: &str = "default";

/// The lesson's cluster: kind-control-plane and three workers.
fn cluster() -> Cluster {
    Cluster::kind(SEED, 3)
}

fn advance_secs(c: &mut Cluster, secs: u64) {
    c.advance(Duration::from_secs(secs));
}

/// The lesson's DaemonSet, with `template_spec` fields added to its pod spec.
fn demo_daemonset(template_spec: Value) -> Value {
    let mut spec = json!({"containers": [{"name": "demo", "image": "demo:1.0.0"}]});
    meta::merge_patch(&mut spec, &template_spec);
    json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": DS, "namespace": NS, "labels": {"app": DS}},
        "spec": {
            "selector": {"matchLabels": {"app": DS}},
            "template": {"metadata": {"labels": {"app": DS}}, "spec": spec}
        }
    })
}

/// Creates the DaemonSet and lets its pods start.
fn run_daemonset(c: &mut Cluster, template_spec: Value) {
    c.create(Kind::DaemonSet, demo_daemonset(template_spec))
        .expect("the DaemonSet is valid");
    advance_secs(c, 30);
}

/// Replaces the DaemonSet's pod template spec, as `kubectl apply` of a new manifest does.
fn update_template(c: &mut Cluster, template_spec: Value) {
    let mut ds = c
        .get(Kind::DaemonSet, NS, DS)
        .cloned()
        .expect("the DaemonSet exists");
    let mut spec = json!({"containers": [{"name": "demo", "image": "demo:1.0.0"}]});
    meta::merge_patch(&mut spec, &template_spec);
    meta::set(&mut ds, &["spec", "template", "spec"], spec);
    c.update(Kind::DaemonSet, ds).expect("the update is valid");
}

/// The DaemonSet's pods (terminating ones included), in name order.
fn daemon_pods(c: &Cluster) -> Vec<Value> {
    c.list(Kind::Pod, Some(NS))
        .filter(|p| meta::label(p, "app") == Some(DS))
        .cloned()
        .collect()
}

/// The DaemonSet's pods on `node` that are not being deleted.
fn live_pods_on(c: &Cluster, node: &str) -> Vec<Value> {
    daemon_pods(c)
        .into_iter()
        .filter(|p| pod::node_name(p) == node && !meta::is_deleting(p))
        .collect()
}

/// The names of the nodes that run a live daemon pod, sorted.
fn nodes_with_pods(c: &Cluster) -> Vec<String> {
    let mut nodes: Vec<String> = daemon_pods(c)
        .iter()
        .filter(|p| !meta::is_deleting(p))
        .map(|p| pod::node_name(p).to_string())
        .collect();
    nodes.sort();
    nodes
}

/// One count of the DaemonSet's status (absent counts are 0, as the API omits them).
fn ds_status(c: &Cluster, field: &str) -> i64 {
    c.get(Kind::DaemonSet, NS, DS)
        .and_then(|ds| meta::i64_at(ds, &["status", field]))
        .unwrap_or(0)
}

/// Puts `taint` first on the node, as `kubectl taint` does.
fn add_taint(c: &mut Cluster, node: &str, taint: Value) {
    let mut n = c
        .get(Kind::Node, "", node)
        .cloned()
        .expect("the node exists");
    let mut taints = meta::at(&n, &["spec", "taints"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    taints.insert(0, taint);
    meta::set(&mut n, &["spec", "taints"], Value::Array(taints));
    c.update(Kind::Node, n).expect("the node update is valid");
}

/// Removes every taint with `key` from the node.
fn remove_taint(c: &mut Cluster, node: &str, key: &str) {
    let mut n = c
        .get(Kind::Node, "", node)
        .cloned()
        .expect("the node exists");
    let taints: Vec<Value> = meta::at(&n, &["spec", "taints"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|t| meta::str_at(t, &["key"]) != key)
        .collect();
    if taints.is_empty() {
        meta::remove(&mut n, &["spec", "taints"]);
    } else {
        meta::set(&mut n, &["spec", "taints"], Value::Array(taints));
    }
    c.update(Kind::Node, n).expect("the node update is valid");
}

fn vip_taint(effect: &str) -> Value {
    json!({"key": "VIPOnly", "value": "true", "effect": effect})
}

/// The lesson's toleration of `VIPOnly=true:NoExecute`, with optional tolerationSeconds.
fn vip_toleration(seconds: Option<i64>) -> Value {
    let mut t =
        json!({"key": "VIPOnly", "operator": "Equal", "value": "true", "effect": "NoExecute"});
    if let Some(s) = seconds {
        t["tolerationSeconds"] = json!(s);
    }
    t
}

fn delete_pod(c: &mut Cluster, name: &str) {
    c.delete(Kind::Pod, NS, name, DeleteOptions::default())
        .expect("the pod exists");
}
