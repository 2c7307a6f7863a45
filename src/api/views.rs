//! Typed, read-only views of stored objects: what the layers above the API (the TUI's map,
//! step checks, completion) read of an object, by name, instead of indexing its JSON. Each
//! view borrows the stored object and copies nothing until asked; when objects are stored in
//! another representation, only these views change for those layers.

use std::collections::BTreeMap;

use crate::engine::value::Value;

use crate::engine::clock::SimTime;
use crate::engine::objects::scheduling::{self, Taint, Toleration};
use crate::engine::objects::{meta, node, pod};
use crate::engine::{Placement, daemon_tolerations, placement};

/// An object's metadata.
#[derive(Clone, Copy, Debug)]
pub struct ObjectView<'a>(&'a Value);

/// The owner reference marked `controller: true`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Controller<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub uid: &'a str,
}

impl<'a> ObjectView<'a> {
    pub fn of(obj: &'a Value) -> ObjectView<'a> {
        ObjectView(obj)
    }

    pub fn name(self) -> &'a str {
        meta::name(self.0)
    }

    pub fn namespace(self) -> &'a str {
        meta::namespace(self.0)
    }

    pub fn labels(self) -> BTreeMap<String, String> {
        meta::labels(self.0)
    }

    pub fn created(self) -> Option<SimTime> {
        meta::creation(self.0)
    }

    /// Whether a deletion has begun (a `deletionTimestamp` is set).
    pub fn is_deleting(self) -> bool {
        meta::is_deleting(self.0)
    }

    pub fn controller(self) -> Option<Controller<'a>> {
        meta::controller_ref(self.0).map(|(kind, name, uid)| Controller { kind, name, uid })
    }
}

/// A node.
#[derive(Clone, Copy, Debug)]
pub struct NodeView<'a>(&'a Value);

impl<'a> NodeView<'a> {
    pub fn of(node: &'a Value) -> NodeView<'a> {
        NodeView(node)
    }

    pub fn meta(self) -> ObjectView<'a> {
        ObjectView(self.0)
    }

    /// The `InternalIP` address, if the node reports one.
    pub fn internal_ip(self) -> Option<&'a str> {
        node::internal_ip(self.0)
    }

    /// Whether its `Ready` condition is `True`.
    pub fn is_ready(self) -> bool {
        node::is_ready(self.0)
    }

    /// Whether it is cordoned (`spec.unschedulable`).
    pub fn is_unschedulable(self) -> bool {
        node::is_unschedulable(self.0)
    }

    pub fn taints(self) -> Vec<Taint> {
        scheduling::taints(self.0)
    }

    /// Whether it carries a control-plane role label.
    pub fn is_control_plane(self) -> bool {
        [
            "node-role.kubernetes.io/control-plane",
            "node-role.kubernetes.io/master",
        ]
        .iter()
        .any(|key| meta::label(self.0, key).is_some())
    }
}

/// A pod.
#[derive(Clone, Copy, Debug)]
pub struct PodView<'a>(&'a Value);

impl<'a> PodView<'a> {
    pub fn of(pod: &'a Value) -> PodView<'a> {
        PodView(pod)
    }

    pub fn meta(self) -> ObjectView<'a> {
        ObjectView(self.0)
    }

    /// The node it is bound to ("" while unscheduled).
    pub fn node_name(self) -> &'a str {
        pod::node_name(self.0)
    }

    /// What `kubectl get pods` prints in STATUS (`Running`, `ContainerCreating`,
    /// `Terminating` ...).
    pub fn status(self) -> String {
        pod::display_status(self.0)
    }

    /// Whether a DaemonSet controls it.
    pub fn is_daemon(self) -> bool {
        self.meta()
            .controller()
            .is_some_and(|c| c.kind == "DaemonSet")
    }
}

/// A DaemonSet's pod template, as the map explains where its pods may run.
#[derive(Clone, Copy, Debug)]
pub struct DaemonSetView<'a>(&'a Value);

impl<'a> DaemonSetView<'a> {
    pub fn of(ds: &'a Value) -> DaemonSetView<'a> {
        DaemonSetView(ds)
    }

    pub fn meta(self) -> ObjectView<'a> {
        ObjectView(self.0)
    }

    /// The template's pod spec (`Null` when the object has none).
    pub fn pod_spec(self) -> &'a Value {
        meta::at(self.0, &["spec", "template", "spec"]).unwrap_or(&Value::Null)
    }

    /// The tolerations the template declares itself.
    pub fn tolerations(self) -> Vec<Toleration> {
        scheduling::tolerations_at(self.pod_spec(), &["tolerations"])
    }

    /// The tolerations its pods get: the template's and those the DaemonSet controller adds.
    pub fn pod_tolerations(self) -> Vec<Toleration> {
        daemon_tolerations(self.pod_spec())
    }

    /// The template's `nodeSelector`, in key order.
    pub fn node_selector(self) -> BTreeMap<String, String> {
        meta::string_map(self.pod_spec(), &["nodeSelector"])
    }

    /// Whether the controller runs a pod on `node`, and why not, in its words.
    pub fn placement(self, node: NodeView<'_>) -> Placement {
        placement(self.0, node.0)
    }
}

/// An event.
#[derive(Clone, Copy, Debug)]
pub struct EventView<'a>(&'a Value);

impl<'a> EventView<'a> {
    pub fn of(event: &'a Value) -> EventView<'a> {
        EventView(event)
    }

    /// When it last happened (`lastTimestamp`).
    pub fn last_seen(self) -> Option<SimTime> {
        meta::timestamp(self.0, &["lastTimestamp"])
    }

    /// The kind and name of the object it is about.
    pub fn involved(self) -> (&'a str, &'a str) {
        (
            meta::str_at(self.0, &["involvedObject", "kind"]),
            meta::str_at(self.0, &["involvedObject", "name"]),
        )
    }

    pub fn reason(self) -> &'a str {
        meta::str_at(self.0, &["reason"])
    }

    pub fn message(self) -> &'a str {
        meta::str_at(self.0, &["message"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Cluster;
    use crate::engine::objects::Kind;

    #[test]
    fn views_read_the_bootstrap_cluster_as_kubectl_shows_it() {
        let c = Cluster::kind(1, 3);
        let cp = NodeView::of(c.get(Kind::Node, "", "kind-control-plane").unwrap());
        assert_eq!(cp.internal_ip(), Some("172.18.0.2"));
        assert!(cp.is_ready() && !cp.is_unschedulable());
        assert_eq!(cp.taints()[0].key, "node-role.kubernetes.io/master");
        let proxy = c
            .list(Kind::Pod, Some("kube-system"))
            .map(PodView::of)
            .find(|p| p.meta().name().starts_with("kube-proxy-"))
            .unwrap();
        assert_eq!(proxy.status(), "Running");
        assert_eq!(proxy.meta().controller().unwrap().kind, "DaemonSet");
        assert!(!proxy.node_name().is_empty() && !proxy.meta().is_deleting());
        let ds = DaemonSetView::of(c.get(Kind::DaemonSet, "kube-system", "kindnet").unwrap());
        assert_eq!(ds.meta().name(), "kindnet");
        assert!(!ds.tolerations().is_empty());
    }
}
