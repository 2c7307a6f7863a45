//! The controllers' ref manager (`ClaimPods` in kube-controller-manager's
//! `controller_ref_manager.go`), shared by the DaemonSet and ReplicaSet controllers: a pod whose
//! labels no longer match its controller's selector is released (its controller reference
//! removed, as the controllers' patch does), so that the controller replaces it and the pod
//! lives on as an orphan. It acts on the pods whose labels changed, whatever wrote them
//! (`kubectl label`, `patch`, `apply`, `edit`), never on every pod.

use crate::engine::value::Value;

use crate::engine::Cluster;
use crate::engine::index::Watcher;
use crate::engine::objects::scheduling::LabelSelector;
use crate::engine::objects::{Kind, meta};

/// Releases the relabelled pods their controller no longer selects. Returns whether any
/// pod changed.
pub fn sync(c: &mut Cluster) -> bool {
    let watch = c.store.index_mut().take(Watcher::Claims);
    if watch.is_empty() {
        return false;
    }
    let released: Vec<Value> = super::watched(c, Kind::Pod, &watch)
        .filter_map(|pod| released(c, pod))
        .collect();
    let changed = !released.is_empty();
    for pod in released {
        c.put(Kind::Pod, pod);
    }
    changed
}

/// `pod` without its controller reference, when its controller no longer selects it.
fn released(c: &Cluster, pod: &Value) -> Option<Value> {
    let (owner_kind, owner_name, owner_uid) = meta::controller_ref(pod)?;
    let owner_kind = match owner_kind {
        "DaemonSet" => Kind::DaemonSet,
        "ReplicaSet" => Kind::ReplicaSet,
        _ => return None,
    };
    let owner = c.get(owner_kind, meta::namespace(pod), owner_name)?;
    if meta::uid(owner) != owner_uid || meta::is_deleting(pod) || meta::is_deleting(owner) {
        return None;
    }
    let selector = LabelSelector::from_value(meta::at(owner, &["spec", "selector"]))?;
    if selector.is_empty() || selector.matches(&meta::labels(pod)) {
        return None;
    }
    let mut p = pod.clone();
    let refs: Vec<Value> = meta::at(pod, &["metadata", "ownerReferences"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|r| meta::str_at(r, &["uid"]) != owner_uid)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if refs.is_empty() {
        meta::remove(&mut p, &["metadata", "ownerReferences"]);
    } else {
        meta::set(&mut p, &["metadata", "ownerReferences"], Value::Array(refs));
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn relabelled_replica_pod_is_released_and_replaced() {
        let mut c = Cluster::kind(3, 3);
        let before: Vec<Value> = c
            .list(Kind::Pod, Some("kube-system"))
            .filter(|p| meta::name(p).starts_with("coredns-"))
            .cloned()
            .collect();
        assert_eq!(before.len(), 2);
        let mut pod = before[0].clone();
        meta::set(
            &mut pod,
            &["metadata", "labels", "k8s-app"],
            Value::String("debug".into()),
        );
        let updated = c.update(Kind::Pod, pod).unwrap();
        assert_eq!(meta::controller_ref(&updated), None);
        c.advance(Duration::from_secs(30));
        let coredns = c
            .list(Kind::Pod, Some("kube-system"))
            .filter(|p| meta::label(p, "k8s-app") == Some("kube-dns"))
            .count();
        assert_eq!(coredns, 2);
    }
}
