//! `kubectl describe` for Deployments and ReplicaSets, and `DescribePodTemplate`, which
//! `rollout history --revision` prints too (kubectl v1.21 `describe.go`: describeDeployment,
//! describeReplicaSet, printReplicaSetsByLabels, getPodStatusForController).
//!
//! A child of `describe` (it shares that module's line writers). Must not import: the
//! terminal, std::fs, std::process. Reads the cluster, never writes it.

use crate::engine::value::Value;

use super::{annotations, describe_container_body, events, labels, line, multiline, time, volumes};
use crate::engine::Cluster;
use crate::engine::objects::scheduling::LabelSelector;
use crate::engine::objects::{Kind, meta};

/// The label the Deployment controller puts on each ReplicaSet's template.
const HASH_LABEL: &str = "pod-template-hash";

/// `DescribePodTemplate` as a prefix writer prints it: tab-separated, not yet aligned.
pub(in crate::shell::kubectl) fn pod_template(w: &mut String, template: &Value) {
    line(w, 0, "Pod Template:");
    let template_labels: Vec<String> = meta::string_map(template, &["metadata", "labels"])
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    // kubectl's title carries the indent ("  Labels"), so continuation lines have none.
    multiline(w, 0, "  Labels", &template_labels);
    let ann = annotations(template, &["metadata", "annotations"]);
    if !ann.is_empty() {
        multiline(w, 0, "  Annotations", &ann);
    }
    let spec = meta::at(template, &["spec"]).unwrap_or(&Value::Null);
    let sa = meta::str_at(spec, &["serviceAccountName"]);
    if !sa.is_empty() {
        line(w, 1, &format!("Service Account:\t{sa}"));
    }
    for (label, key) in [
        ("Init Containers", "initContainers"),
        ("Containers", "containers"),
    ] {
        let containers = meta::at(spec, &[key])
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if key == "initContainers" && containers.is_empty() {
            continue;
        }
        if containers.is_empty() {
            line(w, 1, &format!("{label}: <none>"));
        } else {
            line(w, 1, &format!("{label}:"));
        }
        for ctr in containers {
            line(w, 1, &format!(" {}:", meta::str_at(&ctr, &["name"])));
            line(w, 2, &format!("Image:\t{}", meta::str_at(&ctr, &["image"])));
            describe_container_body(w, &ctr, None, None);
        }
    }
    volumes(spec, "  ", w);
    let priority_class = meta::str_at(spec, &["priorityClassName"]);
    if !priority_class.is_empty() {
        line(w, 1, &format!("Priority Class Name:\t{priority_class}"));
    }
}

/// `Type \tStatus\tReason` rows of a workload's status conditions, when it has any.
fn conditions(w: &mut String, obj: &Value) {
    let conds = meta::at(obj, &["status", "conditions"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if conds.is_empty() {
        return;
    }
    line(w, 0, "Conditions:");
    line(w, 1, "Type\tStatus\tReason");
    line(w, 1, "----\t------\t------");
    for c in conds {
        let s = |k: &str| meta::str_at(&c, &[k]).to_string();
        line(
            w,
            1,
            &format!("{} \t{}\t{}", s("type"), s("status"), s("reason")),
        );
    }
}

fn selector_text(obj: &Value) -> String {
    LabelSelector::from_value(meta::at(obj, &["spec", "selector"]))
        .map_or_else(|| "<none>".to_string(), |s| s.to_kubectl_string())
}

/// An int-or-percent strategy field as `IntOrString.String()` prints it.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".to_string(),
    }
}

/// The ReplicaSets a Deployment controls, oldest first (kubectl sorts by creation time,
/// then name, to find the new one).
fn owned_sets<'a>(c: &'a Cluster, d: &Value) -> Vec<&'a Value> {
    let uid = meta::uid(d);
    let mut sets: Vec<&Value> = c
        .list(Kind::ReplicaSet, Some(meta::namespace(d)))
        .filter(|rs| meta::controller_ref(rs).is_some_and(|(_, _, u)| u == uid))
        .collect();
    sets.sort_by_key(|rs| (meta::creation(rs), meta::name(rs).to_string()));
    sets
}

fn template_without_hash(obj: &Value) -> Value {
    let mut t = meta::at(obj, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    meta::remove(&mut t, &["metadata", "labels", HASH_LABEL]);
    t
}

/// `printReplicaSetsByLabels`: `name (current/desired replicas created)`, comma-joined.
fn replica_sets_text(sets: &[&Value]) -> String {
    if sets.is_empty() {
        return "<none>".to_string();
    }
    sets.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                meta::name(rs),
                meta::i64_at(rs, &["status", "replicas"]).unwrap_or(0),
                meta::i64_at(rs, &["spec", "replicas"]).unwrap_or(1)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn deployment(c: &Cluster, d: &Value, w: &mut String) {
    let st = |k: &str| meta::i64_at(d, &["status", k]).unwrap_or(0);
    line(w, 0, &format!("Name:\t{}", meta::name(d)));
    line(w, 0, &format!("Namespace:\t{}", meta::namespace(d)));
    line(
        w,
        0,
        &format!(
            "CreationTimestamp:\t{}",
            time(d, &["metadata", "creationTimestamp"])
        ),
    );
    multiline(w, 0, "Labels", &labels(d));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(d, &["metadata", "annotations"]),
    );
    line(w, 0, &format!("Selector:\t{}", selector_text(d)));
    line(
        w,
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            meta::i64_at(d, &["spec", "replicas"]).unwrap_or(1),
            st("updatedReplicas"),
            st("replicas"),
            st("availableReplicas"),
            st("unavailableReplicas")
        ),
    );
    line(
        w,
        0,
        &format!(
            "StrategyType:\t{}",
            meta::str_at(d, &["spec", "strategy", "type"])
        ),
    );
    line(
        w,
        0,
        &format!(
            "MinReadySeconds:\t{}",
            meta::i64_at(d, &["spec", "minReadySeconds"]).unwrap_or(0)
        ),
    );
    if let Some(ru) = meta::at(d, &["spec", "strategy", "rollingUpdate"]) {
        line(
            w,
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                int_or_string(ru.get("maxUnavailable")),
                int_or_string(ru.get("maxSurge"))
            ),
        );
    }
    pod_template(
        w,
        meta::at(d, &["spec"])
            .and_then(|s| s.get("template"))
            .unwrap_or(&Value::Null),
    );
    conditions(w, d);
    let sets = owned_sets(c, d);
    let wanted = template_without_hash(d);
    let new = sets
        .iter()
        .find(|rs| template_without_hash(rs) == wanted)
        .copied();
    let old: Vec<&Value> = sets
        .iter()
        .filter(|rs| new.is_none_or(|n| meta::uid(n) != meta::uid(rs)))
        .filter(|rs| meta::i64_at(rs, &["spec", "replicas"]).unwrap_or(1) != 0)
        .copied()
        .collect();
    line(
        w,
        0,
        &format!("OldReplicaSets:\t{}", replica_sets_text(&old)),
    );
    let new: Vec<&Value> = new.into_iter().collect();
    line(
        w,
        0,
        &format!("NewReplicaSet:\t{}", replica_sets_text(&new)),
    );
    events(c, Kind::Deployment, meta::namespace(d), meta::name(d), w);
}

pub(super) fn replicaset(c: &Cluster, rs: &Value, w: &mut String) {
    line(w, 0, &format!("Name:\t{}", meta::name(rs)));
    line(w, 0, &format!("Namespace:\t{}", meta::namespace(rs)));
    line(w, 0, &format!("Selector:\t{}", selector_text(rs)));
    multiline(w, 0, "Labels", &labels(rs));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(rs, &["metadata", "annotations"]),
    );
    if let Some((kind, name, _)) = meta::controller_ref(rs) {
        line(w, 0, &format!("Controlled By:\t{kind}/{name}"));
    }
    line(
        w,
        0,
        &format!(
            "Replicas:\t{} current / {} desired",
            meta::i64_at(rs, &["status", "replicas"]).unwrap_or(0),
            meta::i64_at(rs, &["spec", "replicas"]).unwrap_or(1)
        ),
    );
    let selector = LabelSelector::from_value(meta::at(rs, &["spec", "selector"]));
    let uid = meta::uid(rs);
    super::pods_status(
        w,
        c.list(Kind::Pod, Some(meta::namespace(rs))).filter(|p| {
            selector
                .as_ref()
                .is_some_and(|s| s.matches(&meta::labels(p)))
                && meta::controller_ref(p).is_some_and(|(_, _, u)| u == uid)
        }),
    );
    pod_template(
        w,
        meta::at(rs, &["spec", "template"]).unwrap_or(&Value::Null),
    );
    conditions(w, rs);
    events(c, Kind::ReplicaSet, meta::namespace(rs), meta::name(rs), w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    #[test]
    fn pod_template_keeps_raw_tabs_and_unindented_label_continuations() {
        let t = json!({
            "metadata": {"labels": {"app": "x", "pod-template-hash": "abc"}},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]},
        });
        let mut w = String::new();
        pod_template(&mut w, &t);
        assert_eq!(
            w,
            "Pod Template:\n  Labels:\tapp=x\n\tpod-template-hash=abc\n  Containers:\n   c:\n    Image:\tbusybox\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n"
        );
    }

    #[test]
    fn replica_sets_print_created_over_desired() {
        let rs =
            json!({"metadata": {"name": "a"}, "spec": {"replicas": 3}, "status": {"replicas": 2}});
        assert_eq!(replica_sets_text(&[&rs]), "a (2/3 replicas created)");
        assert_eq!(replica_sets_text(&[]), "<none>");
    }
}
