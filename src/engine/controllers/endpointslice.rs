//! The EndpointSlice side of the endpoints controller (1.21 `pkg/controller/endpointslice`,
//! `discovery.k8s.io/v1`): for every Service with a selector, a slice per set of ports
//! named `<service>-<5 characters>`, labelled `kubernetes.io/service-name` and
//! `endpointslice.kubernetes.io/managed-by`, owned by the Service, listing each selected pod
//! that has an IP and is not terminating with `conditions.ready`. Written from what the
//! endpoints controller computed for the Endpoints object, in the same pass.
//!
//! A slice's name suffix and uid come from a draw seeded by the Service, not from the
//! cluster's random source, so the names of everything else stay what the seed gave them.

use crate::engine::value::{Value, json};

use crate::engine::Cluster;
use crate::engine::controllers::fnv64;
use crate::engine::objects::{Kind, meta};
use crate::engine::rng::Rng;
use crate::engine::store::ObjKey;

/// `endpointslice.kubernetes.io/managed-by` of the controller's slices.
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";
const SERVICE_NAME: &str = "kubernetes.io/service-name";

/// One pod as a slice lists it.
#[derive(Clone, Debug)]
pub struct SliceEndpoint {
    pub ip: String,
    pub node: String,
    pub pod: String,
    pub uid: String,
    pub ready: bool,
}

/// The ports of one group: (name, port, protocol).
pub type Ports = Vec<(String, i64, String)>;

fn endpoint_json(e: &SliceEndpoint, namespace: &str) -> Value {
    json!({
        "addresses": [e.ip],
        "conditions": {"ready": e.ready},
        "nodeName": e.node,
        "targetRef": {"kind": "Pod", "name": e.pod, "namespace": namespace, "uid": e.uid}
    })
}

/// The slices the controller keeps for the Service at `key`, by name.
fn owned(c: &Cluster, key: &ObjKey) -> Vec<String> {
    c.list(Kind::EndpointSlice, Some(&key.namespace))
        .filter(|s| {
            meta::label(s, SERVICE_NAME) == Some(key.name.as_str())
                && meta::label(s, "endpointslice.kubernetes.io/managed-by") == Some(MANAGED_BY)
        })
        .map(|s| meta::name(s).to_string())
        .collect()
}

/// Removes every slice of the Service at `key`.
pub fn delete_slices(c: &mut Cluster, key: &ObjKey) {
    for name in owned(c, key) {
        c.remove_object(Kind::EndpointSlice, &ObjKey::new(&key.namespace, &name));
    }
}

/// Brings the Service's slices in line with `groups` (each a set of ports and its
/// endpoints, in order); `annotations` are the Endpoints' (the trigger time).
pub fn sync_slices(
    c: &mut Cluster,
    svc: &Value,
    key: &ObjKey,
    groups: Vec<(Ports, Vec<SliceEndpoint>)>,
    annotations: Option<&Value>,
) {
    let existing = owned(c, key);
    let mut labels = meta::at(svc, &["metadata", "labels"])
        .cloned()
        .unwrap_or(json!({}));
    let m = meta::ensure_object(&mut labels);
    m.insert("endpointslice.kubernetes.io/managed-by", json!(MANAGED_BY));
    m.insert(SERVICE_NAME, json!(key.name));
    // A Service with no ready or unready pods still gets one slice (with no endpoints).
    let groups = if groups.is_empty() {
        let ports: Ports = meta::at(svc, &["spec", "ports"])
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                let proto = meta::str_at(p, &["protocol"]);
                (
                    meta::str_at(p, &["name"]).to_string(),
                    meta::i64_at(p, &["port"]).unwrap_or(0),
                    if proto.is_empty() { "TCP" } else { proto }.to_string(),
                )
            })
            .collect();
        vec![(ports, Vec::new())]
    } else {
        groups
    };
    let mut draw = Rng::seeded(fnv64(&format!(
        "{}/{}/{}",
        key.namespace,
        key.name,
        meta::uid(svc)
    )));
    let mut kept: Vec<String> = Vec::new();
    for (i, (ports, endpoints)) in groups.into_iter().enumerate() {
        let name = existing.get(i).cloned().unwrap_or_else(|| {
            let mut base = key.name.to_string();
            base.truncate(58);
            format!("{base}-{}", draw.name_suffix())
        });
        let ports: Vec<Value> = ports
            .into_iter()
            .map(|(n, p, proto)| json!({"name": n, "port": p, "protocol": proto}))
            .collect();
        let endpoints: Vec<Value> = endpoints
            .iter()
            .map(|e| endpoint_json(e, &key.namespace))
            .collect();
        let mut metadata = json!({
            "name": name, "namespace": key.namespace, "generateName": format!("{}-", key.name),
            "labels": labels,
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": key.name,
                "uid": meta::uid(svc), "controller": true, "blockOwnerDeletion": true}]
        });
        if let Some(a) = annotations.filter(|a| a.as_object().is_some_and(|m| !m.is_empty())) {
            metadata["annotations"] = a.clone();
        }
        let mut slice = json!({"addressType": "IPv4", "metadata": metadata, "ports": ports});
        if !endpoints.is_empty() {
            slice["endpoints"] = Value::Array(endpoints);
        }
        let skey = ObjKey::new(&key.namespace, &name);
        kept.push(name);
        match c.get(Kind::EndpointSlice, &key.namespace, &skey.name) {
            Some(cur) => {
                let same = ["addressType", "endpoints", "ports"]
                    .iter()
                    .all(|f| cur.get(*f) == slice.get(*f))
                    && meta::at(cur, &["metadata", "labels"])
                        == meta::at(&slice, &["metadata", "labels"]);
                if same {
                    continue;
                }
                let mut next = cur.clone();
                for f in ["addressType", "endpoints", "ports"] {
                    match slice.get(f) {
                        Some(v) => next[f] = v.clone(),
                        None => {
                            next.as_object_mut().map(|o| o.remove(f));
                        }
                    }
                }
                meta::set(
                    &mut next,
                    &["metadata", "labels"],
                    slice["metadata"]["labels"].clone(),
                );
                match slice["metadata"].get("annotations") {
                    Some(a) => meta::set(&mut next, &["metadata", "annotations"], a.clone()),
                    None => {
                        meta::remove(&mut next, &["metadata", "annotations"]);
                    }
                }
                c.put(Kind::EndpointSlice, next);
            }
            None => {
                let _ = c.create_inner(Kind::EndpointSlice, slice);
            }
        }
    }
    for name in existing.into_iter().filter(|n| !kept.contains(n)) {
        c.remove_object(Kind::EndpointSlice, &ObjKey::new(&key.namespace, &name));
    }
}
