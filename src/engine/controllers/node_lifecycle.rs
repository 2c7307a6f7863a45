//! The node lifecycle controller's part that learners see: a cordoned node
//! (`spec.unschedulable`) carries the `node.kubernetes.io/unschedulable:NoSchedule`
//! taint, and loses it when uncordoned (TaintNodesByCondition).

use crate::engine::value::{Value, json};

use crate::engine::Cluster;
use crate::engine::index::Watcher;
use crate::engine::objects::{Kind, meta};

const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

pub fn sync(c: &mut Cluster) -> bool {
    let now = c.now.rfc3339();
    let watch = c.store.index_mut().take(Watcher::Nodes);
    if watch.is_empty() {
        return false;
    }
    let nodes = super::watched(c, Kind::Node, &watch);
    let mut updates = Vec::new();
    for node in nodes {
        let cordoned = crate::engine::objects::node::is_unschedulable(node);
        let taints: Vec<Value> = meta::at(node, &["spec", "taints"])
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let has = taints
            .iter()
            .any(|t| meta::str_at(t, &["key"]) == UNSCHEDULABLE);
        if cordoned == has {
            continue;
        }
        let mut n = node.clone();
        let mut new_taints = taints;
        if cordoned {
            new_taints
                .push(json!({"effect": "NoSchedule", "key": UNSCHEDULABLE, "timeAdded": now}));
        } else {
            new_taints.retain(|t| meta::str_at(t, &["key"]) != UNSCHEDULABLE);
        }
        if new_taints.is_empty() {
            meta::remove(&mut n, &["spec", "taints"]);
        } else {
            meta::set(&mut n, &["spec", "taints"], Value::Array(new_taints));
        }
        updates.push(n);
    }
    let changed = !updates.is_empty();
    for n in updates {
        c.put(Kind::Node, n);
    }
    changed
}
