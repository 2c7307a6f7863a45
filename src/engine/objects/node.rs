//! Reading a Node object: the facts the kubelet reports and the scheduler, the node lifecycle
//! controller and the cluster map all look at.

use crate::engine::value::Value;

use super::meta;

/// Whether the node's `Ready` condition is `True`.
pub fn is_ready(node: &Value) -> bool {
    meta::at(node, &["status", "conditions"])
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                meta::str_at(c, &["type"]) == "Ready" && meta::str_at(c, &["status"]) == "True"
            })
        })
}

/// Whether the node is cordoned (`spec.unschedulable: true`).
pub fn is_unschedulable(node: &Value) -> bool {
    meta::at(node, &["spec", "unschedulable"]).and_then(Value::as_bool) == Some(true)
}

/// The node's `InternalIP` address, if it reports one.
pub fn internal_ip(node: &Value) -> Option<&str> {
    meta::at(node, &["status", "addresses"])?
        .as_array()?
        .iter()
        .find(|a| meta::str_at(a, &["type"]) == "InternalIP")
        .map(|a| meta::str_at(a, &["address"]))
}
