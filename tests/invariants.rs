//! Property tests of the cluster's scheduling invariants (issue 7): random sequences of
//! taints, tolerations, node labels, node selectors, cordons, DaemonSet applies and time
//! steps, driven through the public engine API, with the invariants checked after every
//! step and again once the cluster has settled.
//!
//! Toleration matching and eviction deadlines are recomputed here from the API's rules
//! (core/v1 `ToleratesTaint`, the taint manager's minimum `tolerationSeconds`) rather than
//! borrowed from the engine, so a fault in the engine's own helpers shows up as a failure.
//! 32 cases by default; `PROPTEST_CASES=N` runs more.

use std::time::Duration;

use kubetutor::api::value::{Value, json};
use kubetutor::engine::objects::{Kind, meta};
use kubetutor::engine::{Cluster, DeleteOptions};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

#[path = "invariants/check.rs"]
mod check;

const NODES: &[&str] = &[
    "kind-control-plane",
    "kind-worker",
    "kind-worker2",
    "kind-worker3",
];
/// The lesson's taint, and the control plane's own (so that it can be removed).
const TAINT_KEYS: &[&str] = &["VIPOnly", "node-role.kubernetes.io/master"];
const TAINT_VALUES: &[&str] = &["", "true"];
/// NoExecute twice: it is the effect with the most rules behind it.
const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute", "NoExecute"];
const LABEL_KEYS: &[&str] = &["tier", "zone"];
const LABEL_VALUES: &[&str] = &["a", "b"];
/// nodeSelector terms: labels every KinD node carries, and the ones the test adds.
const SELECTORS: &[(&str, &str)] = &[
    ("kubernetes.io/os", "linux"),
    ("kubernetes.io/hostname", "kind-worker2"),
    ("kubernetes.io/hostname", "kind-control-plane"),
    ("tier", "a"),
    ("zone", "b"),
];
const DAEMONSETS: &[&str] = &["ds-a", "ds-b"];
/// One preloaded image and one that must be pulled, so rollouts take different times.
const IMAGES: &[&str] = &["demo:1.0.0", "nginx:1.21"];
const NS: &str = "default";
/// Longest step a pod may take past its deadline before the test calls it stuck: the
/// taint manager starts its timer when the pod is bound, up to a scheduling delay later.
const SLACK_MS: i64 = 2_000;

/// A toleration as the generator builds it (always valid for the API).
#[derive(Clone, Debug)]
struct Tol {
    key: Option<&'static str>,
    exists: bool,
    value: &'static str,
    effect: Option<&'static str>,
    seconds: Option<i64>,
}

impl Tol {
    fn to_json(&self) -> Value {
        let mut t = json!({"operator": if self.exists { "Exists" } else { "Equal" }});
        if let Some(k) = self.key {
            t["key"] = json!(k);
        }
        if !self.exists {
            t["value"] = json!(self.value);
        }
        if let Some(e) = self.effect {
            t["effect"] = json!(e);
        }
        if let Some(s) = self.seconds {
            t["tolerationSeconds"] = json!(s);
        }
        t
    }
}

/// One thing a learner (or the clock) does to the cluster.
#[derive(Clone, Debug)]
enum Op {
    Taint {
        node: &'static str,
        key: &'static str,
        value: &'static str,
        effect: &'static str,
    },
    Untaint {
        node: &'static str,
        key: &'static str,
    },
    ApplyDaemonSet {
        name: &'static str,
        image: &'static str,
        tolerations: Vec<Tol>,
        selector: Option<(&'static str, &'static str)>,
    },
    DeleteDaemonSet {
        name: &'static str,
    },
    Label {
        node: &'static str,
        key: &'static str,
        value: &'static str,
    },
    Unlabel {
        node: &'static str,
        key: &'static str,
    },
    Cordon {
        node: &'static str,
    },
    Uncordon {
        node: &'static str,
    },
    Advance {
        secs: u64,
    },
    Settle,
}

fn tol_strategy() -> impl Strategy<Value = Tol> {
    (
        prop::option::weighted(0.85, select(TAINT_KEYS)),
        any::<bool>(),
        select(TAINT_VALUES),
        prop::option::weighted(0.85, select(EFFECTS)),
        prop::option::weighted(0.7, 0i64..90),
    )
        .prop_map(|(key, exists, value, effect, seconds)| Tol {
            key,
            // The API requires Exists when the key is empty.
            exists: exists || key.is_none(),
            value,
            effect,
            // ...and tolerationSeconds only with the NoExecute effect.
            seconds: seconds.filter(|_| effect == Some("NoExecute")),
        })
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let node = || select(NODES);
    prop_oneof![
        4 => (node(), select(TAINT_KEYS), select(TAINT_VALUES), select(EFFECTS))
            .prop_map(|(node, key, value, effect)| Op::Taint { node, key, value, effect }),
        2 => (node(), select(TAINT_KEYS)).prop_map(|(node, key)| Op::Untaint { node, key }),
        4 => (
            select(DAEMONSETS),
            select(IMAGES),
            prop::collection::vec(tol_strategy(), 0..4),
            prop::option::of(select(SELECTORS)),
        )
            .prop_map(|(name, image, tolerations, selector)| Op::ApplyDaemonSet {
                name, image, tolerations, selector,
            }),
        1 => select(DAEMONSETS).prop_map(|name| Op::DeleteDaemonSet { name }),
        2 => (node(), select(LABEL_KEYS), select(LABEL_VALUES))
            .prop_map(|(node, key, value)| Op::Label { node, key, value }),
        1 => (node(), select(LABEL_KEYS)).prop_map(|(node, key)| Op::Unlabel { node, key }),
        1 => node().prop_map(|node| Op::Cordon { node }),
        1 => node().prop_map(|node| Op::Uncordon { node }),
        3 => (1u64..120).prop_map(|secs| Op::Advance { secs }),
        1 => Just(Op::Settle),
    ]
}

/// Changes a node's object with `edit` and writes it back through `update`.
fn edit_node(c: &mut Cluster, name: &str, edit: impl FnOnce(&mut Value)) {
    let mut node = c
        .get(Kind::Node, "", name)
        .cloned()
        .expect("the node exists");
    edit(&mut node);
    c.update(Kind::Node, node)
        .expect("the node update is valid");
}

fn node_taints(node: &Value) -> Vec<Value> {
    meta::at(node, &["spec", "taints"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn set_taints(node: &mut Value, taints: Vec<Value>) {
    if taints.is_empty() {
        meta::remove(node, &["spec", "taints"]);
    } else {
        meta::set(node, &["spec", "taints"], Value::Array(taints));
    }
}

fn daemonset(
    name: &str,
    image: &str,
    tolerations: &[Tol],
    selector: Option<(&str, &str)>,
) -> Value {
    let mut spec = json!({"containers": [{"name": "main", "image": image}]});
    if !tolerations.is_empty() {
        spec["tolerations"] = tolerations.iter().map(Tol::to_json).collect();
    }
    if let Some((k, v)) = selector {
        spec["nodeSelector"] = json!({ k: v });
    }
    json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": spec}
        }
    })
}

/// Longest stretch of simulated time between two checks.
const CHECK_EVERY_SECS: u64 = 10;

/// Carries out one operation as kubectl would ask the API server to, calling `check` after
/// it (and after every [`CHECK_EVERY_SECS`] of a time step).
fn apply_op(c: &mut Cluster, op: &Op, check: &mut Check<'_>) -> Result<(), TestCaseError> {
    if let Op::Advance { secs } = op {
        let mut left = *secs;
        while left > 0 {
            let step = left.min(CHECK_EVERY_SECS);
            c.advance(Duration::from_secs(step));
            check(c)?;
            left -= step;
        }
        return Ok(());
    }
    change(c, op);
    check(c)
}

type Check<'a> = dyn FnMut(&Cluster) -> Result<(), TestCaseError> + 'a;

fn change(c: &mut Cluster, op: &Op) {
    match op {
        Op::Taint {
            node,
            key,
            value,
            effect,
        } => edit_node(c, node, |n| {
            // `kubectl taint --overwrite`: a taint is identified by key and effect.
            let mut taints: Vec<Value> = node_taints(n)
                .into_iter()
                .filter(|t| {
                    !(meta::str_at(t, &["key"]) == *key && meta::str_at(t, &["effect"]) == *effect)
                })
                .collect();
            let mut t = json!({"key": key, "effect": effect});
            if !value.is_empty() {
                t["value"] = json!(value);
            }
            taints.insert(0, t);
            set_taints(n, taints);
        }),
        Op::Untaint { node, key } => edit_node(c, node, |n| {
            let taints = node_taints(n)
                .into_iter()
                .filter(|t| meta::str_at(t, &["key"]) != *key)
                .collect();
            set_taints(n, taints);
        }),
        Op::ApplyDaemonSet {
            name,
            image,
            tolerations,
            selector,
        } => {
            let desired = daemonset(name, image, tolerations, *selector);
            match c.get(Kind::DaemonSet, NS, name).cloned() {
                None => {
                    c.create(Kind::DaemonSet, desired)
                        .expect("the DaemonSet is valid");
                }
                Some(mut current) => {
                    current["spec"] = desired["spec"].clone();
                    c.update(Kind::DaemonSet, current)
                        .expect("the update is valid");
                }
            }
        }
        Op::DeleteDaemonSet { name } => {
            // Deleting an absent DaemonSet is NotFound, which changes nothing.
            let _ = c.delete(Kind::DaemonSet, NS, name, DeleteOptions::default());
        }
        Op::Label { node, key, value } => edit_node(c, node, |n| {
            meta::set(n, &["metadata", "labels", key], json!(value));
        }),
        Op::Unlabel { node, key } => edit_node(c, node, |n| {
            meta::remove(n, &["metadata", "labels", key]);
        }),
        Op::Cordon { node } => edit_node(c, node, |n| {
            meta::set(n, &["spec", "unschedulable"], json!(true));
        }),
        Op::Uncordon { node } => edit_node(c, node, |n| {
            meta::remove(n, &["spec", "unschedulable"]);
        }),
        // `apply_op` moves time itself, in checked steps.
        Op::Advance { .. } => {}
        Op::Settle => {
            c.settle(Duration::from_secs(600));
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn daemonsets_taints_and_evictions_keep_their_invariants(
        seed in 0u64..1_000,
        ops in prop::collection::vec(op_strategy(), 1..=12),
    ) {
        let mut c = Cluster::kind(seed, 3);
        let mut tracker = check::Exposure::default();
        for op in &ops {
            apply_op(&mut c, op, &mut |c| check::every_step(c, &mut tracker))?;
            if matches!(op, Op::Settle) {
                check::settled(&c)?;
            }
        }
        c.settle(Duration::from_secs(600));
        check::every_step(&c, &mut tracker)?;
        check::settled(&c)?;
        // The store's indexes, kept write by write, equal ones rebuilt from the objects.
        prop_assert!(c.index_is_current(), "the store's indexes fell out of date");

        let mut twin = Cluster::kind(seed, 3);
        for op in &ops {
            apply_op(&mut twin, op, &mut |_| Ok(()))?;
        }
        twin.settle(Duration::from_secs(600));
        let a = serde_json::to_string(&c).expect("the cluster serializes");
        let b = serde_json::to_string(&twin).expect("the cluster serializes");
        prop_assert!(a == b, "the same seed and operations gave different clusters");
    }
}
