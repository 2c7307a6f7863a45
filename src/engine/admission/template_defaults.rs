//! Pod spec defaults the v1.21 API server fills in beyond the common ones in `defaults.rs`
//! (`pkg/apis/core/v1/defaults.go` and the v1 conversion): probes and their HTTP actions,
//! volume modes, `fieldRef.apiVersion`, and the deprecated `serviceAccount` the conversion
//! keeps equal to `serviceAccountName`. A workload's stored template must hold all of them:
//! the Deployment controller names ReplicaSets by a hash of the whole template.

use crate::engine::value::{Map, Value, json};

/// The pod spec's own fields (templates and pods alike).
pub(super) fn pod_spec(spec: &mut Map) {
    // Convert_core_PodSpec_To_v1_PodSpec: serviceAccount mirrors serviceAccountName; an old
    // client's serviceAccount alone fills serviceAccountName.
    let name = ["serviceAccountName", "serviceAccount"]
        .iter()
        .find_map(|k| {
            spec.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        })
        .map(str::to_string);
    if let Some(name) = name {
        spec.insert("serviceAccountName", json!(name));
        spec.insert("serviceAccount", json!(name));
    }
    if let Some(Value::Array(volumes)) = spec.get_mut("volumes") {
        for v in volumes.iter_mut().filter_map(Value::as_object_mut) {
            volume(v);
        }
    }
}

/// SetDefaults_{ConfigMap,Secret,DownwardAPI,Projected}VolumeSource (mode 0644) and
/// SetDefaults_HostPathVolumeSource (type "").
fn volume(v: &mut Map) {
    for source in ["configMap", "secret", "downwardAPI", "projected"] {
        if let Some(Value::Object(s)) = v.get_mut(source) {
            s.entry("defaultMode").or_insert(json!(420));
        }
    }
    if let Some(Value::Object(s)) = v.get_mut("hostPath") {
        s.entry("type").or_insert(json!(""));
    }
    for item in items_of(v.get_mut("downwardAPI")) {
        field_ref(item);
    }
}

fn items_of(source: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    source
        .and_then(|s| s.get_mut("items"))
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
}

/// A container's probes, lifecycle handlers and env field references.
pub(super) fn container(c: &mut Map) {
    for key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(Value::Object(p)) = c.get_mut(key) {
            probe(p);
        }
    }
    if let Some(Value::Object(lifecycle)) = c.get_mut("lifecycle") {
        for handler in ["postStart", "preStop"] {
            if let Some(Value::Object(h)) = lifecycle.get_mut(handler) {
                http_get(h);
            }
        }
    }
    if let Some(Value::Array(env)) = c.get_mut("env") {
        for e in env {
            if let Some(from) = e.get_mut("valueFrom") {
                field_ref(from);
            }
        }
    }
}

/// SetDefaults_Probe.
fn probe(p: &mut Map) {
    p.entry("timeoutSeconds").or_insert(json!(1));
    p.entry("periodSeconds").or_insert(json!(10));
    p.entry("successThreshold").or_insert(json!(1));
    p.entry("failureThreshold").or_insert(json!(3));
    http_get(p);
}

/// SetDefaults_HTTPGetAction, on a handler holding `httpGet`.
fn http_get(handler: &mut Map) {
    if let Some(Value::Object(h)) = handler.get_mut("httpGet") {
        h.entry("path").or_insert(json!("/"));
        h.entry("scheme").or_insert(json!("HTTP"));
    }
}

/// SetDefaults_ObjectFieldSelector, on what holds a `fieldRef`.
fn field_ref(holder: &mut Value) {
    if let Some(Value::Object(f)) = holder.get_mut("fieldRef") {
        f.entry("apiVersion").or_insert(json!("v1"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(v: Value) -> Map {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn probes_get_the_1_21_defaults() {
        let mut c = object(json!({"readinessProbe": {"httpGet": {"port": 8181}},
            "livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 5}}));
        container(&mut c);
        assert_eq!(
            c["readinessProbe"],
            json!({"failureThreshold": 3, "httpGet": {"path": "/", "port": 8181, "scheme": "HTTP"},
                "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1})
        );
        assert_eq!(c["livenessProbe"]["periodSeconds"], 5);
    }

    #[test]
    fn templates_get_service_account_volume_and_field_ref_defaults() {
        let mut spec = object(json!({"serviceAccountName": "robot",
            "volumes": [{"name": "a", "configMap": {"name": "cm"}}, {"name": "b", "hostPath": {"path": "/x"}},
                {"name": "c", "downwardAPI": {"items": [{"path": "ns", "fieldRef": {"fieldPath": "metadata.namespace"}}]}}]}));
        pod_spec(&mut spec);
        assert_eq!(spec["serviceAccount"], "robot");
        assert_eq!(spec["volumes"][0]["configMap"]["defaultMode"], 420);
        assert_eq!(spec["volumes"][1]["hostPath"]["type"], "");
        assert_eq!(
            spec["volumes"][2]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"],
            "v1"
        );
        let mut old = object(json!({"serviceAccount": "legacy"}));
        pod_spec(&mut old);
        assert_eq!(old["serviceAccountName"], "legacy");
        let mut c = object(
            json!({"env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}]}),
        );
        container(&mut c);
        assert_eq!(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"], "v1");
    }
}
