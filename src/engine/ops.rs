//! Writes kubectl's mutating verbs need beyond plain `update`: the controllers' release of
//! pods whose labels no longer match their owner's selector (`ClaimPods` in
//! `controller_ref_manager.go`), so that a relabelled daemon or replica pod is orphaned and
//! replaced, as on a real cluster.
//!
//! Must not import: anything outside the engine.

use serde_json::Value;

use super::objects::scheduling::LabelSelector;
use super::objects::{Kind, meta};
use super::{ApiError, Cluster};

impl Cluster {
    /// `update`, then lets the DaemonSet and ReplicaSet controllers release the pods they
    /// no longer select (their ownerReference to the controller is removed, as the
    /// controllers' patch does), and settles.
    pub fn update_releasing(&mut self, kind: Kind, obj: Value) -> Result<Value, ApiError> {
        let updated = self.update(kind, obj)?;
        if self.release_unselected_pods() {
            self.settle_now();
        }
        let (ns, name) = (meta::namespace(&updated), meta::name(&updated));
        Ok(self.get(kind, ns, name).cloned().unwrap_or(updated))
    }

    /// Removes the controller reference of every pod whose DaemonSet or ReplicaSet selector
    /// no longer matches the pod's labels. Returns whether any pod changed.
    fn release_unselected_pods(&mut self) -> bool {
        let mut released: Vec<Value> = Vec::new();
        for pod in self.list(Kind::Pod, None) {
            let Some((owner_kind, owner_name, owner_uid)) = meta::controller_ref(pod) else {
                continue;
            };
            let owner_kind = match owner_kind {
                "DaemonSet" => Kind::DaemonSet,
                "ReplicaSet" => Kind::ReplicaSet,
                _ => continue,
            };
            let Some(owner) = self.get(owner_kind, meta::namespace(pod), owner_name) else {
                continue;
            };
            if meta::uid(owner) != owner_uid || meta::is_deleting(pod) {
                continue;
            }
            let selector = LabelSelector::from_value(meta::at(owner, &["spec", "selector"]));
            if selector.is_none_or(|s| s.is_empty() || s.matches(&meta::labels(pod))) {
                continue;
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
            released.push(p);
        }
        let changed = !released.is_empty();
        for p in released {
            self.put(Kind::Pod, p);
        }
        changed
    }
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
        let updated = c.update_releasing(Kind::Pod, pod).unwrap();
        assert_eq!(meta::controller_ref(&updated), None);
        c.advance(Duration::from_secs(30));
        let coredns = c
            .list(Kind::Pod, Some("kube-system"))
            .filter(|p| meta::label(p, "k8s-app") == Some("kube-dns"))
            .count();
        assert_eq!(coredns, 2);
    }
}
