//! The invariants `tests/invariants.rs` checks, each returning a proptest failure that
//! names the object and the step's simulated time.
//!
//! Must not import: the engine's own toleration or eviction helpers (this module restates
//! those rules so it can judge them); only `placement` is taken from the engine, and it is
//! itself checked against the rules restated here.

use std::collections::{BTreeMap, BTreeSet};

use kubetutor::api::value::Value;
use kubetutor::engine::objects::{Kind, meta, pod};
use kubetutor::engine::{Cluster, SimTime, placement};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::SLACK_MS;

/// The tolerations the DaemonSet controller adds to every daemon pod (kubernetes
/// `pkg/controller/daemon/util.AddOrUpdateDaemonPodTolerations`, 1.21).
const DAEMON_TOLERATIONS: &[(&str, &str)] = &[
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
];

/// When the test first saw each pod (by uid) on a node whose NoExecute taints it tolerates
/// only for a while: its eviction must come within its longest tolerationSeconds of that.
#[derive(Default)]
pub struct Exposure {
    since: BTreeMap<String, SimTime>,
}

/// What the taint manager must do with a pod on a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Keep,
    EvictNow,
    /// Evict within this many seconds (the pod's longest finite tolerationSeconds).
    EvictWithin(i64),
}

/// core/v1 `Toleration.ToleratesTaint`.
fn tolerates(tol: &Value, taint: &Value) -> bool {
    let field = |v: &Value, k: &str| meta::str_at(v, &[k]).to_string();
    let (effect, key) = (field(tol, "effect"), field(tol, "key"));
    if !effect.is_empty() && effect != field(taint, "effect") {
        return false;
    }
    if !key.is_empty() && key != field(taint, "key") {
        return false;
    }
    match field(tol, "operator").as_str() {
        "Exists" => true,
        "" | "Equal" => field(tol, "value") == field(taint, "value"),
        _ => false,
    }
}

fn taints_with(node: &Value, effect: &str) -> Vec<Value> {
    meta::at(node, &["spec", "taints"])
        .and_then(Value::as_array)
        .map(|ts| {
            ts.iter()
                .filter(|t| meta::str_at(t, &["effect"]) == effect)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

fn untolerated(node: &Value, effect: &str, tolerations: &[Value]) -> bool {
    taints_with(node, effect)
        .iter()
        .any(|t| !tolerations.iter().any(|tol| tolerates(tol, t)))
}

fn verdict(node: &Value, tolerations: &[Value]) -> Verdict {
    let mut finite = false;
    for taint in taints_with(node, "NoExecute") {
        let matching: Vec<&Value> = tolerations
            .iter()
            .filter(|t| tolerates(t, &taint))
            .collect();
        if matching.is_empty() {
            return Verdict::EvictNow;
        }
        if matching
            .iter()
            .all(|t| t.get("tolerationSeconds").is_some())
        {
            finite = true;
        }
    }
    if !finite {
        return Verdict::Keep;
    }
    let longest = tolerations
        .iter()
        .filter_map(|t| meta::i64_at(t, &["tolerationSeconds"]))
        .max()
        .unwrap_or(0);
    Verdict::EvictWithin(longest.max(0))
}

fn array_at(v: &Value, path: &[&str]) -> Vec<Value> {
    meta::at(v, path)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A daemon pod's tolerations: the template's plus the controller's own.
fn daemon_tolerations(ds: &Value) -> Vec<Value> {
    let mut tols = array_at(ds, &["spec", "template", "spec", "tolerations"]);
    for (key, effect) in DAEMON_TOLERATIONS {
        tols.push(
            kubetutor::api::value::json!({"key": key, "operator": "Exists", "effect": effect}),
        );
    }
    tols
}

/// Whether the DaemonSet's pods are evicted from `node` some time after they start there,
/// so the controller and the taint manager take turns on it for ever.
fn churns(ds: &Value, node: &Value) -> bool {
    matches!(
        verdict(node, &daemon_tolerations(ds)),
        Verdict::EvictWithin(_)
    )
}

/// The node a daemon pod is for: where it is bound, or where its node affinity pins it.
fn target_node(p: &Value) -> String {
    let bound = pod::node_name(p);
    if !bound.is_empty() {
        return bound.to_string();
    }
    let terms = array_at(
        p,
        &[
            "spec",
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms",
        ],
    );
    terms
        .iter()
        .flat_map(|t| array_at(t, &["matchFields"]))
        .flat_map(|f| array_at(&f, &["values"]))
        .find_map(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The DaemonSet's pods that are not terminating, by the node they are for.
fn live_pods_by_node(c: &Cluster, ds: &Value) -> BTreeMap<String, Vec<Value>> {
    let uid = meta::uid(ds);
    let mut by_node: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for p in c.list(Kind::Pod, Some(meta::namespace(ds))) {
        if meta::controller_ref(p).is_some_and(|(_, _, u)| u == uid) && !meta::is_deleting(p) {
            by_node.entry(target_node(p)).or_default().push(p.clone());
        }
    }
    by_node
}

fn selector_admits(ds: &Value, node: &Value) -> bool {
    let labels = meta::labels(node);
    meta::string_map(ds, &["spec", "template", "spec", "nodeSelector"])
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
}

fn ds_id(ds: &Value) -> String {
    format!("{}/{}", meta::namespace(ds), meta::name(ds))
}

/// Invariants that hold after every operation, settled or not.
pub fn every_step(c: &Cluster, exposure: &mut Exposure) -> Result<(), TestCaseError> {
    let nodes: Vec<Value> = c.list(Kind::Node, None).cloned().collect();
    let now = c.now();
    for ds in c.list(Kind::DaemonSet, None) {
        let by_node = live_pods_by_node(c, ds);
        let (mut desired, mut current, mut misscheduled, mut ready) = (0i64, 0i64, 0i64, 0i64);
        for node in &nodes {
            let name = meta::name(node);
            let live = by_node.get(name).map_or(0, Vec::len);
            prop_assert!(
                live <= 1,
                "{} has {live} live pods on {name} at {now}",
                ds_id(ds)
            );
            let p = placement(ds, node);
            let tols = daemon_tolerations(ds);
            let runs = selector_admits(ds, node)
                && !untolerated(node, "NoSchedule", &tols)
                && !untolerated(node, "NoExecute", &tols);
            prop_assert_eq!(
                p.should_run,
                runs,
                "should_run of {} on {}",
                ds_id(ds),
                name
            );
            let stays = selector_admits(ds, node) && !untolerated(node, "NoExecute", &tols);
            prop_assert_eq!(
                p.should_continue_running,
                stays,
                "should_continue_running of {} on {}",
                ds_id(ds),
                name
            );
            if p.should_run {
                desired += 1;
                if live == 1 {
                    current += 1;
                }
                if by_node
                    .get(name)
                    .is_some_and(|ps| ps.iter().any(pod::is_ready))
                {
                    ready += 1;
                }
            } else if live > 0 {
                misscheduled += 1;
            }
        }
        let status = |field: &str| meta::i64_at(ds, &["status", field]).unwrap_or(0);
        for (field, want) in [
            ("desiredNumberScheduled", desired),
            ("currentNumberScheduled", current),
            ("numberMisscheduled", misscheduled),
            ("numberReady", ready),
            ("numberAvailable", ready),
            ("numberUnavailable", desired - ready),
        ] {
            prop_assert_eq!(
                status(field),
                want,
                "{} status.{} at {}",
                ds_id(ds),
                field,
                now
            );
        }
        prop_assert!(status("updatedNumberScheduled") <= current);
    }
    no_execute(c, exposure)
}

/// No pod stays on a node with a NoExecute taint it does not tolerate, nor past the
/// deadline its tolerationSeconds set.
fn no_execute(c: &Cluster, exposure: &mut Exposure) -> Result<(), TestCaseError> {
    let now = c.now();
    let mut seen = BTreeSet::new();
    for p in c.list(Kind::Pod, None) {
        let node_name = pod::node_name(p);
        if node_name.is_empty() || meta::is_deleting(p) {
            continue;
        }
        let Some(node) = c.get(Kind::Node, "", node_name) else {
            continue;
        };
        let uid = meta::uid(p).to_string();
        let id = format!("{}/{}", meta::namespace(p), meta::name(p));
        match verdict(node, &array_at(p, &["spec", "tolerations"])) {
            Verdict::Keep => {}
            Verdict::EvictNow => {
                return Err(TestCaseError::fail(format!(
                    "pod {id} stays on {node_name} at {now} with a NoExecute taint it does not tolerate"
                )));
            }
            Verdict::EvictWithin(secs) => {
                let since = *exposure.since.entry(uid.clone()).or_insert(now);
                prop_assert!(
                    now.0 - since.0 <= secs * 1000 + SLACK_MS,
                    "pod {id} stays on {node_name} at {now}, exposed since {since}, past its {secs} s"
                );
                seen.insert(uid);
            }
        }
    }
    exposure.since.retain(|uid, _| seen.contains(uid));
    Ok(())
}

/// Invariants of a settled cluster: every DaemonSet's pods sit exactly on its eligible
/// nodes (plus, counted as misscheduled, pods that may stay on a NoSchedule-tainted node),
/// running its current template.
pub fn settled(c: &Cluster) -> Result<(), TestCaseError> {
    let now = c.now();
    let nodes: Vec<Value> = c.list(Kind::Node, None).cloned().collect();
    for ds in c.list(Kind::DaemonSet, None) {
        let by_node = live_pods_by_node(c, ds);
        let image = meta::str_at(
            &array_at(ds, &["spec", "template", "spec", "containers"])
                .first()
                .cloned()
                .unwrap_or_default(),
            &["image"],
        )
        .to_string();
        for node in &nodes {
            let name = meta::name(node);
            if churns(ds, node) {
                continue;
            }
            let live = by_node.get(name).cloned().unwrap_or_default();
            let p = placement(ds, node);
            let id = ds_id(ds);
            if p.should_run {
                prop_assert_eq!(live.len(), 1, "{} on {} at {}", id, name, now);
                let running = &live[0];
                prop_assert_eq!(pod::node_name(running), name, "{} pod bound", id);
                prop_assert!(
                    pod::is_ready(running),
                    "{id}'s pod on {name} ready at {now}"
                );
                let pod_image = array_at(running, &["spec", "containers"])
                    .first()
                    .map(|ctr| meta::str_at(ctr, &["image"]).to_string())
                    .unwrap_or_default();
                prop_assert_eq!(&pod_image, &image, "{} pod on {} updated", id, name);
            } else if !p.should_continue_running {
                prop_assert!(
                    live.is_empty(),
                    "{id} keeps a pod on ineligible {name} at {now}"
                );
            }
            let terminating = c.list(Kind::Pod, Some(meta::namespace(ds))).any(|pd| {
                meta::is_deleting(pd)
                    && pod::node_name(pd) == name
                    && meta::controller_ref(pd).is_some_and(|(_, _, u)| u == meta::uid(ds))
            });
            prop_assert!(
                !terminating,
                "{id} has a pod still terminating on {name} at {now}"
            );
        }
    }
    Ok(())
}
