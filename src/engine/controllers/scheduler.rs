//! The default scheduler: binds each pending pod to a feasible node (taints, node
//! selector and affinity, unschedulable), preferring the least loaded node, and says
//! why in a `FailedScheduling` event when no node fits (1.21 plugin messages).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::engine::Cluster;
use crate::engine::events::{Involved, Source};
use crate::engine::objects::scheduling::{
    self, NO_EXECUTE, NO_SCHEDULE, NodeConstraints, NodeFacts, PREFER_NO_SCHEDULE, Toleration,
};
use crate::engine::objects::{Kind, meta, pod};

/// Why a node cannot take a pod, as the 1.21 scheduler plugins word it.
fn unfit(
    constraints: &NodeConstraints,
    tolerations: &[Toleration],
    node: &NodeFacts,
) -> Option<String> {
    if !node.ready {
        return Some("node(s) were not ready".to_string());
    }
    let unsched_taint = scheduling::Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        effect: NO_SCHEDULE.into(),
        ..Default::default()
    };
    if node.unschedulable && !tolerations.iter().any(|t| t.tolerates(&unsched_taint)) {
        return Some("node(s) were unschedulable".to_string());
    }
    if !constraints.admits(node) {
        return Some("node(s) didn't match Pod's node affinity".to_string());
    }
    if let Some(t) =
        scheduling::first_untolerated(&node.taints, tolerations, &[NO_SCHEDULE, NO_EXECUTE])
    {
        return Some(format!(
            "node(s) had taint {{{}: {}}}, that the pod didn't tolerate",
            t.key, t.value
        ));
    }
    None
}

/// Binds pending pods whose scheduling delay has passed.
pub fn sync(c: &mut Cluster) -> bool {
    let delay = c.timings().schedule;
    let now = c.now;
    let pending: Vec<Value> = c
        .list(Kind::Pod, None)
        .filter(|p| {
            pod::node_name(p).is_empty()
                && !meta::is_deleting(p)
                && matches!(
                    meta::str_at(p, &["spec", "schedulerName"]),
                    "" | "default-scheduler"
                )
                && meta::creation(p).is_some_and(|t| t + delay <= now)
        })
        .cloned()
        .collect();
    if pending.is_empty() {
        return false;
    }
    let mut load: BTreeMap<String, usize> = super::pods_by_node(c)
        .into_iter()
        .map(|(n, ps)| (n, ps.len()))
        .collect();
    let nodes: Vec<NodeFacts> = c.list(Kind::Node, None).map(NodeFacts::of).collect();
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.as_str(), i))
        .collect();
    let mut changed = false;
    for p in pending {
        let spec = p.get("spec").unwrap_or(&Value::Null);
        let tolerations = scheduling::tolerations_at(spec, &["tolerations"]);
        let constraints = NodeConstraints::of(spec);
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        let mut best: Vec<(usize, &NodeFacts)> = Vec::new();
        // A pod pinned to one node by name need only be checked against that node.
        let candidates: Vec<&NodeFacts> = match constraints.pinned_node() {
            Some(name) => {
                let others = nodes.len() - usize::from(index.contains_key(name));
                if others > 0 {
                    reasons.insert(
                        "node(s) didn't match Pod's node affinity".to_string(),
                        others,
                    );
                }
                index.get(name).map(|i| &nodes[*i]).into_iter().collect()
            }
            None => nodes.iter().collect(),
        };
        for node in candidates {
            match unfit(&constraints, &tolerations, node) {
                Some(r) => *reasons.entry(r).or_default() += 1,
                None => {
                    let prefer_penalty = scheduling::first_untolerated(
                        &node.taints,
                        &tolerations,
                        &[PREFER_NO_SCHEDULE],
                    )
                    .map_or(0, |_| 10_000);
                    let score = load.get(&node.name).copied().unwrap_or(0) + prefer_penalty;
                    best.push((score, node));
                }
            }
        }
        let min = best.iter().map(|(s, _)| *s).min();
        let chosen: Vec<&NodeFacts> = best
            .iter()
            .filter(|(s, _)| Some(*s) == min)
            .map(|(_, n)| *n)
            .collect();
        if chosen.is_empty() {
            let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
            parts.sort();
            let msg = format!(
                "0/{} nodes are available: {}.",
                nodes.len(),
                parts.join(", ")
            );
            changed |= fail(c, &p, &msg);
            continue;
        }
        let pick = c.rng.below(chosen.len() as u64) as usize;
        let node_name = chosen[pick].name.clone();
        *load.entry(node_name.clone()).or_default() += 1;
        bind(c, &p, &node_name);
        changed = true;
    }
    changed
}

fn bind(c: &mut Cluster, p: &Value, node: &str) {
    let mut bound = p.clone();
    meta::set(&mut bound, &["spec", "nodeName"], json!(node));
    let now = c.now.rfc3339();
    meta::set(
        &mut bound,
        &["status", "conditions"],
        json!([
            {"lastProbeTime": null, "lastTransitionTime": now, "status": "True", "type": "PodScheduled"}
        ]),
    );
    c.sched_messages.remove(meta::uid(p));
    c.put(Kind::Pod, bound.clone());
    let msg = format!(
        "Successfully assigned {}/{} to {}",
        meta::namespace(p),
        meta::name(p),
        node
    );
    c.record_event(&Involved::of(Kind::Pod, &bound),
        "Normal",
        "Scheduled",
        &msg,
        Source::SCHEDULER,
        None,
    );
}

fn fail(c: &mut Cluster, p: &Value, msg: &str) -> bool {
    let uid = meta::uid(p).to_string();
    if c.sched_messages.get(&uid).map(String::as_str) == Some(msg) {
        return false;
    }
    c.sched_messages.insert(uid, msg.to_string());
    let now = c.now.rfc3339();
    let mut status = p.get("status").cloned().unwrap_or_else(|| json!({}));
    status["conditions"] = json!([{"lastProbeTime": null, "lastTransitionTime": now, "message": msg,
        "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]);
    c.set_status(Kind::Pod, meta::namespace(p), meta::name(p), status);
    if let Some(stored) = c.get(Kind::Pod, meta::namespace(p), meta::name(p)).cloned() {
        c.record_event(&Involved::of(Kind::Pod, &stored),
            "Warning",
            "FailedScheduling",
            msg,
            Source::SCHEDULER,
            None,
        );
    }
    true
}
