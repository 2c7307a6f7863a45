//! The ReplicaSet controller: keeps `spec.replicas` pods running from the template and
//! reports how many are ready and available.

use serde_json::{Value, json};

use crate::engine::Cluster;
use crate::engine::events::{Involved, Source};
use crate::engine::index::Watcher;
use crate::engine::objects::{Kind, meta, pod};

/// Syncs the ReplicaSets written, or whose pods were written, since the last pass.
pub fn sync(c: &mut Cluster) -> bool {
    let watch = c.store.index_mut().take(Watcher::ReplicaSets);
    if watch.is_empty() {
        return false;
    }
    let sets: Vec<Value> = super::watched(c, Kind::ReplicaSet, &watch)
        .cloned()
        .collect();
    let mut changed = false;
    for rs in sets {
        changed |= sync_one(c, &rs);
    }
    changed
}

fn sync_one(c: &mut Cluster, rs: &Value) -> bool {
    let ns = meta::namespace(rs).to_string();
    let name = meta::name(rs).to_string();
    let uid = meta::uid(rs).to_string();
    let want = meta::i64_at(rs, &["spec", "replicas"]).unwrap_or(1).max(0) as usize;
    let mut live: Vec<Value> = super::owned_pods(c, &uid)
        .filter(|p| !meta::is_deleting(p) && !matches!(pod::phase(p), "Succeeded" | "Failed"))
        .cloned()
        .collect();
    let mut changed = false;
    if live.len() < want {
        for _ in live.len()..want {
            let template = meta::at(rs, &["spec", "template"])
                .cloned()
                .unwrap_or_default();
            let mut metadata = json!({
                "generateName": format!("{name}-"),
                "namespace": ns,
                "labels": meta::at(&template, &["metadata", "labels"]).cloned().unwrap_or_else(|| json!({})),
                "ownerReferences": [meta::owner_reference(rs)],
            });
            if let Some(a) = meta::at(&template, &["metadata", "annotations"]) {
                metadata["annotations"] = a.clone();
            }
            let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
                "spec": template.get("spec").cloned().unwrap_or_default()});
            match c.create_inner(Kind::Pod, p) {
                Ok(created) => {
                    let msg = format!("Created pod: {}", created.name);
                    c.event_on(
                        Kind::ReplicaSet,
                        &ns,
                        &name,
                        "SuccessfulCreate",
                        &msg,
                        Source::REPLICASET,
                    );
                }
                Err(e) => {
                    let msg = format!("Error creating: {}", e.message());
                    if let Some(stored) = c.get(Kind::ReplicaSet, &ns, &name).cloned() {
                        c.record_event(
                            &Involved::of(Kind::ReplicaSet, &stored),
                            "Warning",
                            "FailedCreate",
                            &msg,
                            Source::REPLICASET,
                            None,
                        );
                    }
                    break;
                }
            }
            changed = true;
        }
    } else if live.len() > want {
        // Delete the least useful first: unscheduled, then not ready, then the newest.
        live.sort_by_key(|p| {
            (
                !pod::node_name(p).is_empty(),
                pod::is_ready(p),
                std::cmp::Reverse(meta::creation(p)),
            )
        });
        for p in live.iter().take(live.len() - want) {
            c.delete_pod(p, None);
            let msg = format!("Deleted pod: {}", meta::name(p));
            c.event_on(
                Kind::ReplicaSet,
                &ns,
                &name,
                "SuccessfulDelete",
                &msg,
                Source::REPLICASET,
            );
        }
        changed = true;
    }
    changed | update_status(c, rs)
}

fn update_status(c: &mut Cluster, rs: &Value) -> bool {
    let ns = meta::namespace(rs).to_string();
    let uid = meta::uid(rs).to_string();
    let pods: Vec<&Value> = super::owned_pods(c, &uid)
        .filter(|p| !meta::is_deleting(p))
        .collect();
    let replicas = pods.len() as i64;
    let ready = pods.iter().filter(|p| pod::is_ready(p)).count() as i64;
    let mut status = json!({"replicas": replicas});
    let optional = [
        ("availableReplicas", ready),
        ("fullyLabeledReplicas", replicas),
        (
            "observedGeneration",
            meta::i64_at(rs, &["metadata", "generation"]).unwrap_or(1),
        ),
        ("readyReplicas", ready),
    ];
    for (k, v) in optional {
        if v > 0 {
            status[k] = json!(v);
        }
    }
    c.set_status(Kind::ReplicaSet, &ns, meta::name(rs), status)
}
