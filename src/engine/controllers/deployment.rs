//! The Deployment controller: one ReplicaSet per pod template (named by its
//! pod-template-hash), rolled with maxSurge / maxUnavailable or recreated, and the
//! Deployment's status and conditions. A pass syncs only the Deployments written, or whose
//! ReplicaSets were written, since the last one, and finds a Deployment's ReplicaSets
//! through the store's index by owner.

use crate::engine::value::{Map, Value, json};

use super::daemonset::int_or_percent;
use super::template_hash;
use crate::engine::Cluster;
use crate::engine::events::Source;
use crate::engine::index::Watcher;
use crate::engine::objects::{Kind, meta};

pub const REVISION: &str = "deployment.kubernetes.io/revision";

pub fn sync(c: &mut Cluster) -> bool {
    let watch = c.store.index_mut().take(Watcher::Deployments);
    if watch.is_empty() {
        return false;
    }
    let keys: Vec<(String, String)> = super::watched(c, Kind::Deployment, &watch)
        .map(|d| (meta::namespace(d).to_string(), meta::name(d).to_string()))
        .collect();
    let mut changed = false;
    for (ns, name) in keys {
        let Some(d) = c.get(Kind::Deployment, &ns, &name) else {
            continue;
        };
        // Most passes find a deployment at rest: then only its status can need writing,
        // and that is decided without copying anything.
        if let Some(new_rs) = steady_new_set(c, d) {
            let want = meta::i64_at(d, &["spec", "replicas"]).unwrap_or(1).max(0);
            changed |= update_status(c, &ns, &name, &new_rs, want);
            continue;
        }
        let d = d.clone();
        changed |= sync_one(c, &d);
    }
    changed
}

/// The name of the deployment's ReplicaSet when nothing is to be scaled or created: the
/// current template has its ReplicaSet at the wanted size, no old one has replicas, and the
/// revision annotation agrees.
fn steady_new_set(c: &Cluster, d: &Value) -> Option<String> {
    let uid = meta::uid(d);
    let want = meta::i64_at(d, &["spec", "replicas"]).unwrap_or(1).max(0);
    let template = meta::at(d, &["spec", "template"]);
    let mut new_rs: Option<&Value> = None;
    for rs in owned_sets_of(c, uid) {
        if same_template(template, meta::at(rs, &["spec", "template"])) {
            new_rs = Some(rs);
        } else if replicas(rs) > 0 {
            return None;
        }
    }
    let rs = new_rs?;
    let same_revision = meta::annotation(rs, REVISION).is_none()
        || meta::annotation(rs, REVISION) == meta::annotation(d, REVISION);
    (replicas(rs) == want && same_revision).then(|| meta::name(rs).to_string())
}

/// Whether two pod templates are equal apart from the `pod-template-hash` label.
fn same_template(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (Some(Value::Object(a)), Some(Value::Object(b))) = (a, b) else {
        return a == b;
    };
    if a.len() != b.len() {
        return false;
    }
    a.iter().all(|(k, av)| {
        let Some(bv) = b.get(k) else { return false };
        if k != "metadata" {
            return av == bv;
        }
        let (Some(am), Some(bm)) = (av.as_object(), bv.as_object()) else {
            return av == bv;
        };
        let plain = |m: &Map| m.iter().filter(|(k, _)| *k != "labels").count();
        let labels = |m: &'_ Map| -> Vec<(String, Value)> {
            m.get("labels")
                .and_then(Value::as_object)
                .map(|l| {
                    l.iter()
                        .filter(|(k, _)| *k != "pod-template-hash")
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        plain(am) == plain(bm)
            && am
                .iter()
                .filter(|(k, _)| *k != "labels")
                .all(|(k, v)| bm.get(k) == Some(v))
            && labels(am) == labels(bm)
    })
}

/// The template without the pod-template-hash label, for comparing templates.
fn template_without_hash(t: Option<&Value>) -> Value {
    let mut t = t.cloned().unwrap_or_default();
    meta::remove(&mut t, &["metadata", "labels", "pod-template-hash"]);
    t
}

fn owned_sets(c: &Cluster, d: &Value) -> Vec<Value> {
    owned_sets_of(c, meta::uid(d)).cloned().collect()
}

/// The ReplicaSets the Deployment with `uid` controls, in name order.
fn owned_sets_of<'a>(c: &'a Cluster, uid: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    c.store
        .get_all(Kind::ReplicaSet, c.store.index().replicasets_owned_by(uid))
}

fn replicas(rs: &Value) -> i64 {
    meta::i64_at(rs, &["spec", "replicas"]).unwrap_or(0)
}

fn sync_one(c: &mut Cluster, d: &Value) -> bool {
    let ns = meta::namespace(d).to_string();
    let name = meta::name(d).to_string();
    let template = template_without_hash(meta::at(d, &["spec", "template"]));
    let sets = owned_sets(c, d);
    let mut changed = false;
    let max_revision = sets
        .iter()
        .filter_map(|rs| meta::annotation(rs, REVISION).and_then(|r| r.parse::<i64>().ok()))
        .max()
        .unwrap_or(0);
    if meta::at(d, &["spec", "paused"]).and_then(Value::as_bool) == Some(true) {
        // A paused deployment rolls nothing out; only its status is kept current.
        let current = sets
            .iter()
            .find(|rs| same_template(Some(&template), meta::at(rs, &["spec", "template"])))
            .map(|rs| meta::name(rs).to_string());
        let want = meta::i64_at(d, &["spec", "replicas"]).unwrap_or(1).max(0);
        return current.is_some_and(|n| update_status(c, &ns, &name, &n, want));
    }
    let new_rs = match sets
        .iter()
        .find(|rs| same_template(Some(&template), meta::at(rs, &["spec", "template"])))
    {
        Some(rs) => {
            let revision = meta::annotation(rs, REVISION)
                .and_then(|r| r.parse::<i64>().ok())
                .unwrap_or(0);
            if revision < max_revision {
                // A rollback: the old ReplicaSet becomes the newest revision.
                let mut updated = rs.clone();
                meta::set(
                    &mut updated,
                    &["metadata", "annotations", REVISION],
                    json!((max_revision + 1).to_string()),
                );
                c.put(Kind::ReplicaSet, updated.clone());
                changed = true;
                updated
            } else {
                rs.clone()
            }
        }
        None => {
            let revision = max_revision + 1;
            match create_rs(c, d, &template, revision) {
                Some(rs) => {
                    changed = true;
                    rs
                }
                None => return false,
            }
        }
    };
    let new_name = meta::name(&new_rs).to_string();
    if let Some(rev) = meta::annotation(&new_rs, REVISION).map(str::to_string)
        && meta::annotation(d, REVISION) != Some(rev.as_str())
    {
        let mut updated = d.clone();
        meta::set(
            &mut updated,
            &["metadata", "annotations", REVISION],
            json!(rev),
        );
        c.put(Kind::Deployment, updated);
        changed = true;
    }
    let old: Vec<Value> = owned_sets(c, d)
        .into_iter()
        .filter(|rs| meta::name(rs) != new_name)
        .collect();
    let want = meta::i64_at(d, &["spec", "replicas"]).unwrap_or(1).max(0);
    let new_rs = c
        .get(Kind::ReplicaSet, &ns, &new_name)
        .cloned()
        .unwrap_or(new_rs);

    if meta::str_at(d, &["spec", "strategy", "type"]) == "Recreate" {
        let old_active = old.iter().any(|rs| {
            replicas(rs) > 0 || meta::i64_at(rs, &["status", "replicas"]).unwrap_or(0) > 0
        });
        for rs in old.iter().filter(|rs| replicas(rs) > 0) {
            changed |= scale(c, d, rs, 0);
        }
        if !old_active && replicas(&new_rs) != want {
            changed |= scale(c, d, &new_rs, want);
        }
    } else {
        let surge = int_or_percent(
            meta::at(d, &["spec", "strategy", "rollingUpdate", "maxSurge"]),
            want as usize,
            1,
        ) as i64;
        let mut unavailable = percent_down(
            meta::at(d, &["spec", "strategy", "rollingUpdate", "maxUnavailable"]),
            want as usize,
        ) as i64;
        if surge == 0 && unavailable == 0 {
            unavailable = 1;
        }
        let total: i64 = replicas(&new_rs) + old.iter().map(replicas).sum::<i64>();
        let new_count = replicas(&new_rs);
        if new_count > want {
            changed |= scale(c, d, &new_rs, want);
        } else if new_count < want {
            let allowed = want + surge - total;
            if allowed > 0 {
                changed |= scale(c, d, &new_rs, new_count + allowed.min(want - new_count));
            }
        }
        let new_rs = c
            .get(Kind::ReplicaSet, &ns, &new_name)
            .cloned()
            .unwrap_or_default();
        let all_pods: i64 = replicas(&new_rs) + old.iter().map(replicas).sum::<i64>();
        let new_unavailable = replicas(&new_rs) - available(&new_rs);
        let mut room = all_pods - (want - unavailable) - new_unavailable;
        let mut old_sorted = old.clone();
        old_sorted.sort_by_key(meta::creation);
        for rs in old_sorted {
            if room <= 0 {
                break;
            }
            let r = replicas(&rs);
            if r == 0 {
                continue;
            }
            let down = r.min(room);
            room -= down;
            changed |= scale(c, d, &rs, r - down);
        }
    }
    if c.get(Kind::Deployment, &ns, &name).is_some() {
        changed |= update_status(c, &ns, &name, &new_name, want);
    }
    changed
}

fn available(rs: &Value) -> i64 {
    meta::i64_at(rs, &["status", "availableReplicas"]).unwrap_or(0)
}

/// maxUnavailable rounds a percentage down.
fn percent_down(v: Option<&Value>, total: usize) -> usize {
    match v {
        Some(Value::String(s)) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<usize>().ok())
            .map_or(0, |p| p * total / 100),
        other => int_or_percent(other, total, 0),
    }
}

fn create_rs(c: &mut Cluster, d: &Value, template: &Value, revision: i64) -> Option<Value> {
    // ComputeHash(&d.Spec.Template, d.Status.CollisionCount), as a 1.21 controller does.
    let collisions = meta::i64_at(d, &["status", "collisionCount"]);
    let hash = template_hash::pod_template_hash(template, collisions);
    let ns = meta::namespace(d).to_string();
    let name = format!("{}-{}", meta::name(d), hash);
    let mut t = template.clone();
    meta::set(
        &mut t,
        &["metadata", "labels", "pod-template-hash"],
        json!(hash),
    );
    let mut selector = meta::at(d, &["spec", "selector"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    meta::set(
        &mut selector,
        &["matchLabels", "pod-template-hash"],
        json!(hash),
    );
    let mut labels = meta::string_map(template, &["metadata", "labels"]);
    labels.insert("pod-template-hash".to_string(), hash.clone());
    let want = meta::i64_at(d, &["spec", "replicas"]).unwrap_or(1);
    let surge = int_or_percent(
        meta::at(d, &["spec", "strategy", "rollingUpdate", "maxSurge"]),
        want as usize,
        1,
    ) as i64;
    // The new ReplicaSet carries the deployment's annotations (a change-cause, say), but
    // not kubectl's last-applied copy, plus the controller's own.
    let mut annotations = meta::string_map(d, &["metadata", "annotations"]);
    annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
    annotations.insert(
        "deployment.kubernetes.io/desired-replicas".to_string(),
        want.to_string(),
    );
    annotations.insert(
        "deployment.kubernetes.io/max-replicas".to_string(),
        (want + surge).to_string(),
    );
    annotations.insert(REVISION.into(), revision.to_string());
    let rs = json!({
        "metadata": {
            "name": name, "namespace": ns, "labels": labels,
            "annotations": annotations,
            "ownerReferences": [meta::owner_reference(d)],
        },
        "spec": {"replicas": 0, "selector": selector, "template": t},
    });
    match c.create_inner(Kind::ReplicaSet, rs) {
        Ok(key) => c.get(Kind::ReplicaSet, &key.namespace, &key.name).cloned(),
        Err(_) => {
            // Another ReplicaSet holds the name (this template's would have been found): a
            // hash collision. As 1.21 does, count it in the status, so the next sync hashes
            // the template with the new count and so picks another name.
            if c.get(Kind::ReplicaSet, &ns, &name).is_some() {
                bump_collision_count(c, d);
            }
            None
        }
    }
}

fn bump_collision_count(c: &mut Cluster, d: &Value) {
    let ns = meta::namespace(d);
    let name = meta::name(d);
    let Some(current) = c.get(Kind::Deployment, ns, name) else {
        return;
    };
    let count = meta::i64_at(current, &["status", "collisionCount"]).unwrap_or(0) + 1;
    let mut status = meta::at(current, &["status"])
        .cloned()
        .unwrap_or_else(|| json!({}));
    meta::set(&mut status, &["collisionCount"], json!(count));
    c.set_status(Kind::Deployment, ns, name, status);
}

fn scale(c: &mut Cluster, d: &Value, rs: &Value, to: i64) -> bool {
    let from = replicas(rs);
    if from == to {
        return false;
    }
    let mut updated = rs.clone();
    meta::set(&mut updated, &["spec", "replicas"], json!(to));
    let g = meta::i64_at(rs, &["metadata", "generation"]).unwrap_or(1);
    meta::set(&mut updated, &["metadata", "generation"], json!(g + 1));
    c.put(Kind::ReplicaSet, updated);
    let verb = if to > from { "up" } else { "down" };
    let msg = format!("Scaled {verb} replica set {} to {to}", meta::name(rs));
    c.event_on(
        Kind::Deployment,
        meta::namespace(d),
        meta::name(d),
        "ScalingReplicaSet",
        &msg,
        Source::DEPLOYMENT,
    );
    true
}

fn update_status(c: &mut Cluster, ns: &str, name: &str, new_name: &str, want: i64) -> bool {
    let Some(d) = c.get(Kind::Deployment, ns, name) else {
        return false;
    };
    let uid = meta::uid(d);
    let sets: Vec<&Value> = owned_sets_of(c, uid).collect();
    let sum = |key: &str| -> i64 {
        sets.iter()
            .map(|rs| meta::i64_at(rs, &["status", key]).unwrap_or(0))
            .sum()
    };
    let replicas = sum("replicas");
    let ready = sum("readyReplicas");
    let avail = sum("availableReplicas");
    let updated = sets
        .iter()
        .find(|rs| meta::name(rs) == new_name)
        .and_then(|rs| meta::i64_at(rs, &["status", "replicas"]))
        .unwrap_or(0);
    let max_unavailable = percent_down(
        meta::at(d, &["spec", "strategy", "rollingUpdate", "maxUnavailable"]),
        want as usize,
    ) as i64;
    let now = c.now.rfc3339();
    let old_conditions: Vec<Value> = meta::at(d, &["status", "conditions"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let cond = |kind: &str, status: &str, reason: &str, message: &str| -> Value {
        let prev = old_conditions
            .iter()
            .find(|c| meta::str_at(c, &["type"]) == kind);
        let same_status = prev.is_some_and(|p| meta::str_at(p, &["status"]) == status);
        let same_reason = prev.is_some_and(|p| {
            meta::str_at(p, &["reason"]) == reason && meta::str_at(p, &["message"]) == message
        });
        let transition = prev.filter(|_| same_status).map_or(now.clone(), |p| {
            meta::str_at(p, &["lastTransitionTime"]).to_string()
        });
        let update = prev.filter(|_| same_reason).map_or(now.clone(), |p| {
            meta::str_at(p, &["lastUpdateTime"]).to_string()
        });
        json!({"lastTransitionTime": transition, "lastUpdateTime": update, "message": message, "reason": reason, "status": status, "type": kind})
    };
    let available_cond = if avail >= want - max_unavailable {
        cond(
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
        )
    } else {
        cond(
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
        )
    };
    let complete = updated == want && replicas == want && avail == want;
    let progressing = if complete {
        cond(
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            &format!("ReplicaSet \"{new_name}\" has successfully progressed."),
        )
    } else {
        cond(
            "Progressing",
            "True",
            "ReplicaSetUpdated",
            &format!("ReplicaSet \"{new_name}\" is progressing."),
        )
    };
    let mut status = Map::new();
    let fields = [
        ("availableReplicas", avail),
        (
            "observedGeneration",
            meta::i64_at(d, &["metadata", "generation"]).unwrap_or(1),
        ),
        ("readyReplicas", ready),
        ("replicas", replicas),
        ("unavailableReplicas", (replicas.max(want) - avail).max(0)),
        ("updatedReplicas", updated),
    ];
    for (k, v) in fields {
        if v > 0 {
            status.insert(k.to_string(), json!(v));
        }
    }
    if let Some(count) = meta::at(d, &["status", "collisionCount"]) {
        status.insert("collisionCount", count.clone());
    }
    status.insert("conditions", json!([available_cond, progressing]));
    c.set_status(Kind::Deployment, ns, name, Value::Object(status))
}
