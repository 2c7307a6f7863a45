//! The DaemonSet controller (fidelity §7.1–§7.4): one pod on every eligible node,
//! daemon pods deleted from nodes they may no longer run on, RollingUpdate with
//! `maxUnavailable` and no surge (1.21), OnDelete, ControllerRevisions and status.

use std::collections::BTreeSet;

use crate::engine::value::{Value, json};

use super::compute_hash;
use super::daemonset_state::{DsState, Template};
use crate::engine::Cluster;
use crate::engine::api::DS_TEMPLATE_GENERATION;
use crate::engine::events::{Involved, Source};
use crate::engine::index::Watcher;
use crate::engine::objects::scheduling::{
    self, NO_EXECUTE, NO_SCHEDULE, NodeConstraints, NodeFacts, Toleration,
};
use crate::engine::objects::{Kind, meta};
use crate::engine::store::ObjKey;

/// What the DaemonSet controller remembers of each DaemonSet, by uid. Never saved: a loaded
/// cluster plans every DaemonSet afresh once.
#[derive(Clone, Debug, Default)]
pub struct DaemonSetMemory {
    pub(crate) ds_states: std::collections::BTreeMap<String, super::daemonset_state::DsState>,
}

/// Whether a DaemonSet's pod should run on a node, and whether an existing one may stay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub should_run: bool,
    pub should_continue_running: bool,
    /// Why not, in words a learner can read (None when it should run).
    pub reason: Option<String>,
}

/// `nodeShouldRunDaemonPod`: the template plus the daemon tolerations, against the node.
pub fn placement(ds: &Value, node: &Value) -> Placement {
    let template_spec = meta::at(ds, &["spec", "template", "spec"]).unwrap_or(&Value::Null);
    let tolerations = daemon_tolerations(template_spec);
    placement_with(
        template_spec,
        &NodeConstraints::of(template_spec),
        &tolerations,
        &NodeFacts::of(node),
    )
}

/// [`placement`] with the template's tolerations and the node's taints already parsed.
pub(super) fn placement_with(
    template_spec: &Value,
    constraints: &NodeConstraints,
    tolerations: &[Toleration],
    node: &NodeFacts,
) -> Placement {
    let taints = &node.taints;
    let refuse = |reason: String, keep: bool| Placement {
        should_run: false,
        should_continue_running: keep,
        reason: Some(reason),
    };
    let wanted = meta::str_at(template_spec, &["nodeName"]);
    if !wanted.is_empty() && wanted != node.name {
        return refuse(format!("the pod template asks for node {wanted}"), false);
    }
    if !constraints.admits(node) {
        return refuse(
            "the node does not match the pod's node selector or affinity".to_string(),
            false,
        );
    }
    if let Some(t) = scheduling::first_untolerated(taints, tolerations, &[NO_EXECUTE]) {
        return refuse(
            format!("taint {} is not tolerated", t.to_kubectl_string()),
            false,
        );
    }
    if let Some(t) = scheduling::first_untolerated(taints, tolerations, &[NO_SCHEDULE]) {
        return refuse(
            format!("taint {} is not tolerated", t.to_kubectl_string()),
            true,
        );
    }
    Placement {
        should_run: true,
        should_continue_running: true,
        reason: None,
    }
}

/// The template's tolerations plus the ones the controller adds to every daemon pod (§7.2).
pub fn daemon_tolerations(template_spec: &Value) -> Vec<Toleration> {
    let mut tolerations = scheduling::tolerations_at(template_spec, &["tolerations"]);
    let mut extra = vec![
        Toleration::exists("node.kubernetes.io/not-ready", NO_EXECUTE),
        Toleration::exists("node.kubernetes.io/unreachable", NO_EXECUTE),
        Toleration::exists("node.kubernetes.io/disk-pressure", NO_SCHEDULE),
        Toleration::exists("node.kubernetes.io/memory-pressure", NO_SCHEDULE),
        Toleration::exists("node.kubernetes.io/pid-pressure", NO_SCHEDULE),
        Toleration::exists("node.kubernetes.io/unschedulable", NO_SCHEDULE),
    ];
    if template_spec.get("hostNetwork").and_then(Value::as_bool) == Some(true) {
        extra.push(Toleration::exists(
            "node.kubernetes.io/network-unavailable",
            NO_SCHEDULE,
        ));
    }
    for t in extra {
        if !tolerations.contains(&t) {
            tolerations.push(t);
        }
    }
    tolerations
}

/// The hash that names the DaemonSet's current ControllerRevision.
pub fn template_hash(ds: &Value) -> String {
    let template = meta::at(ds, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    compute_hash(&template.to_string())
}

pub(super) fn template_generation(ds: &Value) -> String {
    meta::annotation(ds, DS_TEMPLATE_GENERATION)
        .unwrap_or("1")
        .to_string()
}

/// Syncs the DaemonSets with something to look at: those written, and those whose pods or
/// nodes' facts changed. Only the nodes whose pods or facts changed are looked at again;
/// a new template is planned afresh (see [`super::daemonset_state`]).
pub fn sync(c: &mut Cluster) -> bool {
    if !c.store.index().daemon_work_pending() {
        return false;
    }
    let (watch, mut pod_nodes, changed_nodes) = c.store.index_mut().take_daemon_work();
    let mut states = std::mem::take(&mut c.controllers.daemonsets.ds_states);
    let index = c.store.index();
    let mut plans = Vec::new();
    let mut present = BTreeSet::new();
    for ds in c.list(Kind::DaemonSet, None) {
        let uid = meta::uid(ds);
        present.insert(uid.to_string());
        let written = watch.all
            || watch
                .keys
                .iter()
                .any(|k| k.name == meta::name(ds) && k.namespace == meta::namespace(ds));
        let pods_changed = pod_nodes.remove(uid);
        if !written && pods_changed.is_none() && changed_nodes.is_empty() {
            continue;
        }
        let tpl = Template::of(ds);
        // A write to the DaemonSet (its status, a label, the update strategy) changes no
        // node's entry unless it changes the template, which `is_for` sees.
        let state = match states.remove(uid) {
            Some(mut state) if !watch.all && state.is_for(&tpl) => {
                for node in pods_changed.iter().flatten().chain(&changed_nodes) {
                    state.look(&tpl, index, uid, node);
                }
                state
            }
            _ => DsState::rebuild(&tpl, index, uid),
        };
        let plan = state.plan(ds);
        #[cfg(debug_assertions)]
        super::daemonset_check::check_against_full_plan(&plan, ds, index);
        states.insert(uid.to_string(), state);
        plans.push(plan);
    }
    states.retain(|uid, _| present.contains(uid));
    c.controllers.daemonsets.ds_states = states;
    let mut changed = false;
    for p in plans {
        changed |= apply(c, p);
    }
    changed
}

/// A pod the plan deletes or may replace, kept after the store is let go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PodRefFacts {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub ready: bool,
}

/// One DaemonSet's sync, computed from a read-only view of the cluster.
#[derive(Debug)]
pub(super) struct Plan {
    pub ds: Value,
    pub hash: String,
    pub generation: String,
    pub create_on: Vec<String>,
    pub delete: Vec<PodRefFacts>,
    /// Old pods a rolling update may replace, with whether each is available.
    pub rolling: Vec<PodRefFacts>,
    pub unavailable: usize,
    pub max_unavailable: usize,
    pub status: Value,
}

/// The pods and nodes a sync acts on.
pub(super) struct Lists {
    pub create_on: Vec<String>,
    pub delete: Vec<PodRefFacts>,
    pub rolling: Vec<PodRefFacts>,
}

/// A DaemonSet's node counts, as its status reports them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub desired: i64,
    pub current: i64,
    pub misscheduled: i64,
    pub ready: i64,
    pub updated: i64,
    /// Nodes that should run a pod and have none available.
    pub unavailable: i64,
}

/// The plan from what a sync found: the update strategy applied, the status written.
pub(super) fn finish(
    ds: &Value,
    hash: String,
    generation: String,
    lists: Lists,
    counts: Counts,
) -> Plan {
    let Lists {
        create_on,
        delete,
        mut rolling,
    } = lists;
    let Counts {
        desired,
        current,
        misscheduled,
        ready,
        updated,
        unavailable,
    } = counts;
    if meta::str_at(ds, &["spec", "updateStrategy", "type"]) == "OnDelete" {
        rolling.clear();
    }
    let max_unavailable = int_or_percent(
        meta::at(
            ds,
            &["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"],
        ),
        desired as usize,
        1,
    );
    let mut status = json!({
        "currentNumberScheduled": current,
        "desiredNumberScheduled": desired,
        "numberMisscheduled": misscheduled,
        "numberReady": ready,
    });
    let optional = [
        ("numberAvailable", ready),
        ("numberUnavailable", desired - ready),
        (
            "observedGeneration",
            meta::i64_at(ds, &["metadata", "generation"]).unwrap_or(1),
        ),
        ("updatedNumberScheduled", updated),
    ];
    for (k, v) in optional {
        if v > 0 {
            status[k] = json!(v);
        }
    }
    Plan {
        ds: ds.clone(),
        hash,
        generation,
        create_on,
        delete,
        rolling,
        unavailable: unavailable.max(0) as usize,
        max_unavailable,
        status,
    }
}

fn apply(c: &mut Cluster, plan: Plan) -> bool {
    let Plan {
        ds,
        hash,
        generation,
        create_on,
        mut delete,
        rolling,
        unavailable,
        max_unavailable,
        status,
    } = plan;
    let ns = meta::namespace(&ds).to_string();
    let name = meta::name(&ds).to_string();
    let mut changed = ensure_revision(c, &ds, &hash);
    // The rolling update runs only when nothing else is pending (the controller's
    // expectations are satisfied).
    if create_on.is_empty() && delete.is_empty() && !rolling.is_empty() {
        // The real controller walks a map, so which old pod goes first is arbitrary.
        let mut order: Vec<PodRefFacts> = rolling;
        for i in (1..order.len()).rev() {
            let j = c.rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        let mut unavailable = unavailable;
        for f in order {
            if !f.ready {
                delete.push(f);
            } else if unavailable < max_unavailable {
                unavailable += 1;
                delete.push(f);
            }
        }
    }
    if !create_on.is_empty() {
        let prototype = pod_prototype(&ds, &hash, &generation);
        let owner = c
            .get(Kind::DaemonSet, &ns, &name)
            .map(|d| Involved::of(Kind::DaemonSet, d));
        for node in create_on {
            create_pod(c, &prototype, owner.as_ref(), &node);
            changed = true;
        }
    }
    for f in delete {
        let Some(p) = c
            .get(Kind::Pod, &f.namespace, &f.name)
            .filter(|p| meta::uid(p) == f.uid)
            .cloned()
        else {
            continue;
        };
        c.delete_pod(&p, None);
        c.event_on(
            Kind::DaemonSet,
            &ns,
            &name,
            "SuccessfulDelete",
            &format!("Deleted pod: {}", f.name),
            Source::DAEMONSET,
        );
        changed = true;
    }
    let wrote_status = c.set_status(Kind::DaemonSet, &ns, &name, status);
    if !changed && wrote_status {
        // Only the status moved, computed from what this pass read: no second look.
        c.store
            .index_mut()
            .unmark(Watcher::DaemonSets, &ObjKey::new(&ns, &name));
    }
    changed | wrote_status
}

/// `intstr.GetScaledValueFromIntOrPercent` (rounding up), with a fallback.
pub fn int_or_percent(v: Option<&Value>, total: usize, fallback: usize) -> usize {
    match v {
        Some(Value::Number(n)) => n.as_u64().map_or(fallback, |n| n as usize),
        Some(Value::String(s)) => match s.strip_suffix('%').and_then(|p| p.parse::<usize>().ok()) {
            Some(p) => (p * total).div_ceil(100),
            None => fallback,
        },
        _ => fallback,
    }
}

fn ensure_revision(c: &mut Cluster, ds: &Value, hash: &str) -> bool {
    let ns = meta::namespace(ds).to_string();
    let name = format!("{}-{}", meta::name(ds), hash);
    let uid = meta::uid(ds).to_string();
    let max_revision = c
        .store
        .get_all(
            Kind::ControllerRevision,
            c.store.index().revisions_owned_by(&uid),
        )
        .filter_map(|r| r.get("revision").and_then(Value::as_i64))
        .max()
        .unwrap_or(0);
    let annotations = meta::at(ds, &["metadata", "annotations"]).cloned();
    if let Some(existing) = c.get(Kind::ControllerRevision, &ns, &name) {
        // Going back to an older template makes its revision the newest again.
        let current = existing
            .get("revision")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if current >= max_revision {
            return false;
        }
        return c
            .store
            .modify(Kind::ControllerRevision, &ObjKey::new(&ns, &name), |r| {
                r["revision"] = json!(max_revision + 1);
                if let Some(a) = annotations {
                    meta::set(r, &["metadata", "annotations"], a);
                }
            });
    }
    let revision = max_revision + 1;
    let mut template = meta::at(ds, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    template["$patch"] = json!("replace");
    let mut labels = meta::string_map(ds, &["spec", "template", "metadata", "labels"]);
    labels.insert("controller-revision-hash".to_string(), hash.to_string());
    let rev = json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": name, "namespace": ns, "labels": labels,
            "annotations": annotations.unwrap_or_else(|| json!({})),
            "ownerReferences": [meta::owner_reference(ds)]},
        "data": {"spec": {"template": template}},
        "revision": revision,
    });
    c.create_inner(Kind::ControllerRevision, rev).is_ok()
}

/// The pod every node gets, before its node affinity is added: template, labels with
/// the revision hash and generation, the daemon tolerations, the owner reference. Built
/// once per sync however many pods it creates.
fn pod_prototype(ds: &Value, hash: &str, generation: &str) -> Value {
    let ns = meta::namespace(ds).to_string();
    let template = meta::at(ds, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    let mut labels = meta::string_map(&template, &["metadata", "labels"]);
    labels.insert("controller-revision-hash".to_string(), hash.to_string());
    labels.insert(
        "pod-template-generation".to_string(),
        generation.to_string(),
    );
    let mut metadata = json!({
        "generateName": format!("{}-", meta::name(ds)),
        "namespace": ns,
        "labels": labels,
        "ownerReferences": [meta::owner_reference(ds)],
    });
    if let Some(a) = meta::at(&template, &["metadata", "annotations"]) {
        metadata["annotations"] = a.clone();
    }
    let mut spec = template.get("spec").cloned().unwrap_or_default();
    let tolerations = daemon_tolerations(&spec);
    spec["tolerations"] = crate::engine::value::to_value(tolerations).unwrap_or_default();
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec})
}

/// Creates the DaemonSet's pod for `node` from its prototype; `owner` is the DaemonSet
/// the events are about.
fn create_pod(c: &mut Cluster, prototype: &Value, owner: Option<&Involved>, node: &str) {
    let mut pod = prototype.clone();
    meta::set(
        &mut pod,
        &[
            "spec",
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ],
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}),
    );
    let result = c.create_inner(Kind::Pod, pod);
    let Some(owner) = owner else {
        return;
    };
    match result {
        Ok(created) => {
            let msg = format!("Created pod: {}", created.name);
            c.record_event(
                owner,
                "Normal",
                "SuccessfulCreate",
                &msg,
                Source::DAEMONSET,
                None,
            );
        }
        Err(e) => {
            let msg = format!("Error creating: {}", e.message());
            c.record_event(
                owner,
                "Warning",
                "FailedCreate",
                &msg,
                Source::DAEMONSET,
                None,
            );
        }
    }
}
