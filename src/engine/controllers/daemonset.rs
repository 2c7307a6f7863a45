//! The DaemonSet controller (fidelity §7.1–§7.4): one pod on every eligible node,
//! daemon pods deleted from nodes they may no longer run on, RollingUpdate with
//! `maxUnavailable` and no surge (1.21), OnDelete, ControllerRevisions and status.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::compute_hash;
use crate::engine::Cluster;
use crate::engine::api::DS_TEMPLATE_GENERATION;
use crate::engine::events::Source;
use crate::engine::objects::scheduling::{self, NO_EXECUTE, NO_SCHEDULE, Toleration};
use crate::engine::objects::{Kind, meta, pod};

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
    let template_spec = meta::at(ds, &["spec", "template", "spec"])
        .cloned()
        .unwrap_or_default();
    let node_name = meta::name(node);
    let wanted = meta::str_at(&template_spec, &["nodeName"]);
    if !wanted.is_empty() && wanted != node_name {
        let reason = format!("the pod template asks for node {wanted}");
        return Placement {
            should_run: false,
            should_continue_running: false,
            reason: Some(reason),
        };
    }
    if !scheduling::pod_spec_fits_node(&template_spec, node) {
        let reason = "the node does not match the pod's node selector or affinity".to_string();
        return Placement {
            should_run: false,
            should_continue_running: false,
            reason: Some(reason),
        };
    }
    let tolerations = daemon_tolerations(&template_spec);
    let taints = scheduling::taints(node);
    if let Some(t) = scheduling::first_untolerated(&taints, &tolerations, &[NO_EXECUTE]) {
        let reason = format!("taint {} is not tolerated", t.to_kubectl_string());
        return Placement {
            should_run: false,
            should_continue_running: false,
            reason: Some(reason),
        };
    }
    if let Some(t) = scheduling::first_untolerated(&taints, &tolerations, &[NO_SCHEDULE]) {
        let reason = format!("taint {} is not tolerated", t.to_kubectl_string());
        return Placement {
            should_run: false,
            should_continue_running: true,
            reason: Some(reason),
        };
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

fn template_generation(ds: &Value) -> String {
    meta::annotation(ds, DS_TEMPLATE_GENERATION)
        .unwrap_or("1")
        .to_string()
}

fn is_updated(p: &Value, hash: &str, generation: &str) -> bool {
    meta::label(p, "controller-revision-hash") == Some(hash)
        || meta::label(p, "pod-template-generation") == Some(generation)
}

/// The node a daemon pod is for: its nodeName, or the node its affinity pins it to.
fn target_node(p: &Value) -> String {
    let bound = pod::node_name(p);
    if !bound.is_empty() {
        return bound.to_string();
    }
    meta::at(
        p,
        &[
            "spec",
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms",
        ],
    )
    .and_then(Value::as_array)
    .and_then(|terms| terms.first())
    .and_then(|t| meta::at(t, &["matchFields"]))
    .and_then(Value::as_array)
    .and_then(|f| f.first())
    .and_then(|f| meta::at(f, &["values"]))
    .and_then(Value::as_array)
    .and_then(|v| v.first())
    .and_then(Value::as_str)
    .unwrap_or("")
    .to_string()
}

pub fn sync(c: &mut Cluster) -> bool {
    let daemonsets: Vec<Value> = c.list(Kind::DaemonSet, None).cloned().collect();
    let mut changed = false;
    for ds in daemonsets {
        changed |= sync_one(c, &ds);
    }
    changed
}

fn sync_one(c: &mut Cluster, ds: &Value) -> bool {
    let ns = meta::namespace(ds).to_string();
    let uid = meta::uid(ds).to_string();
    let hash = template_hash(ds);
    let generation = template_generation(ds);
    let mut changed = ensure_revision(c, ds, &hash);

    let nodes: Vec<Value> = c.list(Kind::Node, None).cloned().collect();
    let mut by_node: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for p in super::owned_pods(c, &ns, &uid) {
        by_node.entry(target_node(p)).or_default().push(p.clone());
    }
    for pods in by_node.values_mut() {
        pods.sort_by(|a, b| {
            (meta::creation(a), meta::name(a)).cmp(&(meta::creation(b), meta::name(b)))
        });
    }

    let mut to_create: Vec<String> = Vec::new();
    let mut to_delete: Vec<Value> = Vec::new();
    let mut placements: BTreeMap<String, Placement> = BTreeMap::new();
    for node in &nodes {
        let name = meta::name(node).to_string();
        let placement = placement(ds, node);
        let pods = by_node.get(&name).cloned().unwrap_or_default();
        let live: Vec<&Value> = pods.iter().filter(|p| !meta::is_deleting(p)).collect();
        if placement.should_run && pods.is_empty() {
            to_create.push(name.clone());
        }
        if !placement.should_continue_running {
            to_delete.extend(live.iter().map(|p| (*p).clone()));
        } else if live.len() > 1 {
            to_delete.extend(live[1..].iter().map(|p| (*p).clone()));
        }
        placements.insert(name, placement);
    }
    // Pods aimed at nodes that no longer exist.
    for (node, pods) in &by_node {
        if !placements.contains_key(node) {
            to_delete.extend(pods.iter().filter(|p| !meta::is_deleting(p)).cloned());
        }
    }

    let rolling = meta::str_at(ds, &["spec", "updateStrategy", "type"]) != "OnDelete";
    if rolling && to_create.is_empty() && to_delete.is_empty() {
        to_delete.extend(rolling_update_victims(
            c,
            ds,
            &placements,
            &by_node,
            &hash,
            &generation,
        ));
    }

    for node in to_create {
        create_pod(c, ds, &node, &hash, &generation);
        changed = true;
    }
    for p in to_delete {
        if meta::is_deleting(&p) {
            continue;
        }
        c.delete_pod(&p, None);
        c.event_on(
            Kind::DaemonSet,
            &ns,
            meta::name(ds),
            "SuccessfulDelete",
            &format!("Deleted pod: {}", meta::name(&p)),
            Source::DAEMONSET,
        );
        changed = true;
    }
    changed | update_status(c, ds, &placements, &hash, &generation)
}

/// The old pods a rolling update deletes now: unavailable old pods at once, available
/// ones while fewer than `maxUnavailable` nodes lack an available pod.
fn rolling_update_victims(
    c: &mut Cluster,
    ds: &Value,
    placements: &BTreeMap<String, Placement>,
    by_node: &BTreeMap<String, Vec<Value>>,
    hash: &str,
    generation: &str,
) -> Vec<Value> {
    let desired = placements.values().filter(|p| p.should_run).count();
    let max_unavailable = int_or_percent(
        meta::at(
            ds,
            &["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"],
        ),
        desired,
        1,
    );
    let mut unavailable = 0usize;
    let mut candidates: Vec<(Value, bool)> = Vec::new();
    for (node, placement) in placements {
        if !placement.should_run {
            continue;
        }
        let pods = by_node.get(node).map(Vec::as_slice).unwrap_or(&[]);
        let live: Vec<&Value> = pods.iter().filter(|p| !meta::is_deleting(p)).collect();
        let available = live.iter().any(|p| pod::is_ready(p));
        if !available {
            unavailable += 1;
        }
        for p in live.iter().filter(|p| !is_updated(p, hash, generation)) {
            candidates.push(((*p).clone(), pod::is_ready(p)));
        }
    }
    // The real controller walks a map, so which old pod goes first is arbitrary.
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    for i in (1..order.len()).rev() {
        let j = c.rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let mut victims = Vec::new();
    for i in order {
        let (p, ready) = &candidates[i];
        if !ready {
            victims.push(p.clone());
        } else if unavailable < max_unavailable {
            unavailable += 1;
            victims.push(p.clone());
        }
    }
    victims
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
    if c.get(Kind::ControllerRevision, &ns, &name).is_some() {
        return false;
    }
    let uid = meta::uid(ds).to_string();
    let revision = c
        .list(Kind::ControllerRevision, Some(&ns))
        .filter(|r| meta::controller_ref(r).is_some_and(|(_, _, u)| u == uid))
        .filter_map(|r| r.get("revision").and_then(Value::as_i64))
        .max()
        .unwrap_or(0)
        + 1;
    let mut template = meta::at(ds, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    template["$patch"] = json!("replace");
    let mut labels = meta::string_map(ds, &["spec", "template", "metadata", "labels"]);
    labels.insert("controller-revision-hash".into(), hash.to_string());
    let rev = json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": name, "namespace": ns, "labels": labels, "ownerReferences": [meta::owner_reference(ds)]},
        "data": {"spec": {"template": template}},
        "revision": revision,
    });
    c.create_inner(Kind::ControllerRevision, rev).is_ok()
}

fn create_pod(c: &mut Cluster, ds: &Value, node: &str, hash: &str, generation: &str) {
    let ns = meta::namespace(ds).to_string();
    let template = meta::at(ds, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    let mut labels = meta::string_map(&template, &["metadata", "labels"]);
    labels.insert("controller-revision-hash".into(), hash.to_string());
    labels.insert("pod-template-generation".into(), generation.to_string());
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
    spec["tolerations"] = serde_json::to_value(tolerations).unwrap_or_default();
    meta::set(
        &mut spec,
        &[
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ],
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}),
    );
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec});
    match c.create_inner(Kind::Pod, pod) {
        Ok(created) => {
            let msg = format!("Created pod: {}", meta::name(&created));
            c.event_on(
                Kind::DaemonSet,
                &ns,
                meta::name(ds),
                "SuccessfulCreate",
                &msg,
                Source::DAEMONSET,
            );
        }
        Err(e) => {
            let msg = format!("Error creating: {}", e.message());
            if let Some(stored) = c.get(Kind::DaemonSet, &ns, meta::name(ds)).cloned() {
                c.record_event(
                    Kind::DaemonSet,
                    &stored,
                    "Warning",
                    "FailedCreate",
                    &msg,
                    Source::DAEMONSET,
                    None,
                );
            }
        }
    }
}

fn update_status(
    c: &mut Cluster,
    ds: &Value,
    placements: &BTreeMap<String, Placement>,
    hash: &str,
    generation: &str,
) -> bool {
    let ns = meta::namespace(ds).to_string();
    let uid = meta::uid(ds).to_string();
    let mut by_node: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for p in super::owned_pods(c, &ns, &uid).filter(|p| !meta::is_deleting(p)) {
        by_node.entry(target_node(p)).or_default().push(p);
    }
    let (mut desired, mut current, mut misscheduled, mut ready, mut updated) =
        (0i64, 0i64, 0i64, 0i64, 0i64);
    for (node, placement) in placements {
        let pods = by_node.get(node).map(Vec::as_slice).unwrap_or(&[]);
        if placement.should_run {
            desired += 1;
            if let Some(oldest) = pods
                .iter()
                .min_by_key(|p| (meta::creation(p), meta::name(p).to_string()))
            {
                current += 1;
                if pod::is_ready(oldest) {
                    ready += 1;
                }
                if pods.iter().any(|p| is_updated(p, hash, generation)) {
                    updated += 1;
                }
            }
        } else if !pods.is_empty() {
            misscheduled += 1;
        }
    }
    let available = ready;
    let mut status = json!({
        "currentNumberScheduled": current,
        "desiredNumberScheduled": desired,
        "numberMisscheduled": misscheduled,
        "numberReady": ready,
    });
    let optional = [
        ("numberAvailable", available),
        ("numberUnavailable", desired - available),
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
    c.set_status(Kind::DaemonSet, &ns, meta::name(ds), status)
}
