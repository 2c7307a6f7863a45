//! The endpoints controller (1.21 `pkg/controller/endpoint/endpoints_controller.go`): for
//! every Service with a selector, an Endpoints object of the same name listing the pods it
//! selects. Ready pods (Ready, with an IP, not being deleted) go in `addresses`, the others
//! that may still become ready in `notReadyAddresses`; ports are the Service's target ports
//! as each pod resolves them; addresses are sorted by IP as a string (`RepackSubsets`).
//! The Endpoints carry the Service's labels and the `last-change-trigger-time` annotation
//! (the earliest change not yet reflected, from `TriggerTimeTracker`). A Service deleted
//! takes its Endpoints with it.
//!
//! Its work comes from two watches: Services and Endpoints written (their name), and pods
//! written; a pod makes only the Services of its namespace that select it, or listed it,
//! look again, so the cost follows the change.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::value::{Value, json};

use super::endpointslice;
use crate::engine::Cluster;
use crate::engine::SimTime;
use crate::engine::index::Watcher;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::store::ObjKey;

/// The annotation the controller stamps (`v1.EndpointsLastChangeTriggerTime`).
pub const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";

/// What the controller remembers (not saved: a loaded cluster's watches look at everything
/// once, which rebuilds it).
#[derive(Clone, Debug, Default)]
pub struct EndpointsMemory {
    /// The pods each Service's Endpoints list (ready or not), by Service.
    members: BTreeMap<ObjKey, BTreeSet<String>>,
    /// The trigger times last seen, by Service: its creation, and each pod's Ready
    /// transition (`TriggerTimeTracker`'s state).
    seen: BTreeMap<ObjKey, Seen>,
}

/// A Service's creation time and its pods' Ready transitions, as last synced.
type Seen = (Option<SimTime>, BTreeMap<String, Option<SimTime>>);

/// Syncs the Services whose Service, Endpoints or pods changed.
pub fn sync(c: &mut Cluster) {
    let services = c.store.index_mut().take(Watcher::EndpointServices);
    let pods = c.store.index_mut().take(Watcher::EndpointPods);
    if services.is_empty() && pods.is_empty() {
        return;
    }
    let mut todo: BTreeSet<ObjKey> = services.keys;
    if services.all || pods.all {
        for kind in [Kind::Service, Kind::Endpoints] {
            todo.extend(
                c.list(kind, None)
                    .map(|o| ObjKey::new(meta::namespace(o), meta::name(o))),
            );
        }
    } else {
        let empty = crate::engine::value::Map::new();
        for key in &pods.keys {
            // Compared in place: a pod write costs no copy unless its namespace has Services.
            let labels = c.get(Kind::Pod, &key.namespace, &key.name).map(|p| {
                meta::at(p, &["metadata", "labels"])
                    .and_then(Value::as_object)
                    .unwrap_or(&empty)
            });
            for svc in c.list(Kind::Service, Some(&key.namespace)) {
                let sel = meta::at(svc, &["spec", "selector"]).and_then(Value::as_object);
                let selects = match (sel, labels) {
                    (Some(sel), Some(l)) => sel.iter().all(|(k, v)| l.get(k) == Some(v)),
                    _ => false,
                };
                let skey = ObjKey::new(&key.namespace, meta::name(svc));
                let listed = !selects
                    && c.controllers
                        .endpoints
                        .members
                        .get(&skey)
                        .is_some_and(|m| m.contains(key.name.as_str()));
                if selects || listed {
                    todo.insert(skey);
                }
            }
        }
    }
    for key in todo {
        sync_service(c, &key);
    }
}

/// The Service's selector, if it has one (`spec.selector` absent: the controller leaves its
/// Endpoints alone).
fn selector(svc: &Value) -> Option<BTreeMap<String, String>> {
    meta::at(svc, &["spec", "selector"])
        .filter(|s| s.is_object())
        .map(|_| meta::string_map(svc, &["spec", "selector"]))
}

/// The Ready condition's last transition: a pod's trigger time.
fn ready_time(p: &Value) -> Option<SimTime> {
    meta::at(p, &["status", "conditions"])
        .and_then(Value::as_array)?
        .iter()
        .find(|c| meta::str_at(c, &["type"]) == "Ready")
        .and_then(|c| meta::timestamp(c, &["lastTransitionTime"]))
}

/// `podutil.FindPort`: a numeric target port as is, a named one from the pod's containers.
fn find_port(p: &Value, target: &Value, protocol: &str) -> Option<i64> {
    if let Some(n) = target.as_i64() {
        return Some(n);
    }
    let name = target.as_str()?;
    if let Ok(n) = name.parse::<i64>() {
        return Some(n);
    }
    meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)?
        .iter()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .find(|cp| {
            meta::str_at(cp, &["name"]) == name && {
                let proto = meta::str_at(cp, &["protocol"]);
                (if proto.is_empty() { "TCP" } else { proto }) == protocol
            }
        })
        .and_then(|cp| meta::i64_at(cp, &["containerPort"]))
}

/// `shouldPodBeInEndpoints`: a pod that may still become ready (its restart policy allows it).
fn may_become_ready(p: &Value) -> bool {
    match meta::str_at(p, &["spec", "restartPolicy"]) {
        "Never" => !matches!(pod::phase(p), "Failed" | "Succeeded"),
        "OnFailure" => pod::phase(p) != "Succeeded",
        _ => true,
    }
}

fn address(p: &Value) -> Value {
    json!({
        "ip": pod::ip(p).unwrap_or_default(),
        "nodeName": pod::node_name(p),
        "targetRef": {
            "kind": "Pod",
            "name": meta::name(p),
            "namespace": meta::namespace(p),
            "resourceVersion": meta::str_at(p, &["metadata", "resourceVersion"]),
            "uid": meta::uid(p),
        }
    })
}

/// A subset in progress: its ports, then ready and not-ready addresses by IP.
type Subsets = BTreeMap<Vec<(String, i64, String)>, (Vec<Value>, Vec<Value>)>;

fn sort_by_ip(addrs: &mut [Value]) {
    addrs.sort_by(|a, b| {
        (
            meta::str_at(a, &["ip"]),
            meta::str_at(a, &["targetRef", "uid"]),
        )
            .cmp(&(
                meta::str_at(b, &["ip"]),
                meta::str_at(b, &["targetRef", "uid"]),
            ))
    });
}

/// Subsets compared as the controller compares them (`EndpointSubsetsEqualIgnoreResourceVersion`).
fn without_versions(subsets: &Value) -> Value {
    let mut v = subsets.clone();
    if let Value::Array(ss) = &mut v {
        for s in ss {
            for key in ["addresses", "notReadyAddresses"] {
                if let Some(Value::Array(addrs)) = s.get_mut(key) {
                    for a in addrs {
                        meta::remove(a, &["targetRef", "resourceVersion"]);
                    }
                }
            }
        }
    }
    v
}

fn sync_service(c: &mut Cluster, key: &ObjKey) {
    let svc = c.get(Kind::Service, &key.namespace, &key.name).cloned();
    let Some(sel) = svc.as_ref().and_then(selector) else {
        // Only Endpoints this controller kept go with their Service: one written by hand
        // for a Service without a selector, or with no Service at all, is left alone.
        let managed = c.controllers.endpoints.members.remove(key).is_some();
        c.controllers.endpoints.seen.remove(key);
        if managed && svc.is_none() && c.get(Kind::Endpoints, &key.namespace, &key.name).is_some() {
            c.remove_object(Kind::Endpoints, key);
            c.store.index_mut().unmark(Watcher::EndpointServices, key);
        }
        if managed && svc.is_none() {
            endpointslice::delete_slices(c, key);
        }
        return;
    };
    let Some(svc) = svc else { return };
    let ports: Vec<Value> = meta::at(&svc, &["spec", "ports"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut subsets: Subsets = BTreeMap::new();
    let mut slices: BTreeMap<endpointslice::Ports, Vec<endpointslice::SliceEndpoint>> =
        BTreeMap::new();
    let mut members = BTreeSet::new();
    let mut triggers: BTreeMap<String, Option<SimTime>> = BTreeMap::new();
    for p in c.list(Kind::Pod, Some(&key.namespace)) {
        let labels = meta::labels(p);
        if !sel.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            continue;
        }
        triggers.insert(meta::name(p).to_string(), ready_time(p));
        if pod::ip(p).is_none() || meta::is_deleting(p) {
            continue;
        }
        let ready = pod::is_ready(p);
        if !ready && !may_become_ready(p) {
            continue;
        }
        let mut eps: Vec<(String, i64, String)> = Vec::new();
        for sp in &ports {
            let proto = meta::str_at(sp, &["protocol"]);
            let proto = if proto.is_empty() { "TCP" } else { proto };
            let target = sp.get("targetPort").or_else(|| sp.get("port"));
            if let Some(n) = target.and_then(|t| find_port(p, t, proto)) {
                eps.push((
                    meta::str_at(sp, &["name"]).to_string(),
                    n,
                    proto.to_string(),
                ));
            }
        }
        if eps.is_empty() && !ports.is_empty() {
            continue;
        }
        members.insert(meta::name(p).to_string());
        slices
            .entry(eps.clone())
            .or_default()
            .push(endpointslice::SliceEndpoint {
                ip: pod::ip(p).unwrap_or_default().to_string(),
                node: pod::node_name(p).to_string(),
                pod: meta::name(p).to_string(),
                uid: meta::uid(p).to_string(),
                ready,
            });
        let entry = subsets.entry(eps).or_default();
        if ready {
            entry.0.push(address(p));
        } else {
            entry.1.push(address(p));
        }
    }
    let subsets: Vec<Value> = subsets
        .into_iter()
        .map(|(eps, (mut ready, mut not_ready))| {
            sort_by_ip(&mut ready);
            sort_by_ip(&mut not_ready);
            let mut s = crate::engine::value::Map::new();
            if !ready.is_empty() {
                s.insert("addresses", Value::Array(ready));
            }
            if !not_ready.is_empty() {
                s.insert("notReadyAddresses", Value::Array(not_ready));
            }
            if !eps.is_empty() {
                let ports: Vec<Value> = eps
                    .into_iter()
                    .map(|(name, port, proto)| {
                        let mut m = json!({"port": port, "protocol": proto});
                        if !name.is_empty() {
                            m["name"] = json!(name);
                        }
                        m
                    })
                    .collect();
                s.insert("ports", Value::Array(ports));
            }
            Value::Object(s)
        })
        .collect();
    let subsets = Value::Array(subsets);
    // The trigger time: the earliest change not seen before (the Service's creation on its
    // first sync, a pod's Ready transition).
    let created = meta::creation(&svc);
    let seen = c.controllers.endpoints.seen.remove(key);
    let mut trigger: Option<SimTime> = None;
    let mut note = |t: Option<SimTime>| {
        if let Some(t) = t {
            trigger = Some(trigger.map_or(t, |m: SimTime| m.min(t)));
        }
    };
    match &seen {
        Some((svc_seen, pods_seen)) => {
            if *svc_seen != created {
                note(created);
            }
            for (name, t) in &triggers {
                if pods_seen.get(name) != Some(t) {
                    note(*t);
                }
            }
        }
        None => {
            note(created);
            triggers.values().for_each(|t| note(*t));
        }
    }
    c.controllers
        .endpoints
        .seen
        .insert(key.clone(), (created, triggers));
    c.controllers.endpoints.members.insert(key.clone(), members);

    let mut labels = meta::at(&svc, &["metadata", "labels"])
        .cloned()
        .unwrap_or(json!({}));
    if meta::str_at(&svc, &["spec", "clusterIP"]) == "None" {
        meta::ensure_object(&mut labels).insert("service.kubernetes.io/headless", json!(""));
    }
    let slice_groups = slices
        .into_iter()
        .map(|(ports, mut eps)| {
            eps.sort_by(|a, b| a.ip.cmp(&b.ip));
            (ports, eps)
        })
        .collect();
    let slice_annotations = trigger.map(|t| json!({TRIGGER_TIME: t.rfc3339()}));
    endpointslice::sync_slices(c, &svc, key, slice_groups, slice_annotations.as_ref());
    let current = c.get(Kind::Endpoints, &key.namespace, &key.name);
    if let Some(cur) = current {
        let same_subsets = without_versions(cur.get("subsets").unwrap_or(&json!([])))
            == without_versions(&subsets);
        let cur_labels = meta::at(cur, &["metadata", "labels"])
            .cloned()
            .unwrap_or(json!({}));
        if same_subsets && cur_labels == labels {
            return;
        }
    }
    let mut ep = match current {
        Some(cur) => cur.clone(),
        None => json!({"metadata": {"name": key.name, "namespace": key.namespace}}),
    };
    meta::set(&mut ep, &["metadata", "labels"], labels);
    if meta::at(&ep, &["metadata", "labels"])
        .and_then(Value::as_object)
        .is_some_and(|m| m.is_empty())
    {
        meta::remove(&mut ep, &["metadata", "labels"]);
    }
    match trigger {
        Some(t) => meta::set(
            &mut ep,
            &["metadata", "annotations", TRIGGER_TIME],
            json!(t.rfc3339()),
        ),
        None => {
            meta::remove(&mut ep, &["metadata", "annotations", TRIGGER_TIME]);
            if meta::at(&ep, &["metadata", "annotations"])
                .and_then(Value::as_object)
                .is_some_and(|m| m.is_empty())
            {
                meta::remove(&mut ep, &["metadata", "annotations"]);
            }
        }
    }
    let empty = subsets.as_array().is_some_and(Vec::is_empty);
    if empty {
        if let Some(m) = ep.as_object_mut() {
            m.remove("subsets");
        }
    } else {
        ep["subsets"] = subsets;
    }
    if current.is_some() {
        c.put(Kind::Endpoints, ep);
    } else {
        let _ = c.create_inner(Kind::Endpoints, ep);
    }
    c.store.index_mut().unmark(Watcher::EndpointServices, key);
}
