//! What the API server fills in on create and update: the v1.21 defaulting functions
//! (`pkg/apis/core/v1/defaults.go`, `pkg/apis/apps/v1/defaults.go`) and the admission
//! plugins a KinD cluster runs (ServiceAccount, DefaultTolerationSeconds).

use crate::engine::value::{Value, json};

use super::template_defaults;
use crate::engine::images;
use crate::engine::objects::meta;
use crate::engine::objects::{Kind, scheduling::Toleration};

/// Fills defaults into an object of `kind` about to be stored.
pub fn apply(kind: Kind, obj: &mut Value) {
    match kind {
        Kind::Namespace => namespace(obj),
        Kind::Pod => {
            if let Some(spec) = obj.get_mut("spec") {
                pod_spec(spec);
            }
        }
        Kind::DaemonSet => daemonset(obj),
        Kind::Deployment => deployment(obj),
        Kind::ReplicaSet => {
            meta::map_at(obj, &["spec"])
                .entry("replicas")
                .or_insert(json!(1));
            template(obj);
        }
        Kind::Secret => super::config::default_secret(obj),
        Kind::Service => super::service::defaults(obj),
        _ => {}
    }
}

fn namespace(obj: &mut Value) {
    let name = meta::name(obj).to_string();
    // NamespaceDefaultLabelName (beta, on in 1.21).
    meta::map_at(obj, &["metadata", "labels"]).insert("kubernetes.io/metadata.name", json!(name));
    meta::map_at(obj, &["spec"])
        .entry("finalizers")
        .or_insert(json!(["kubernetes"]));
    meta::map_at(obj, &["status"])
        .entry("phase")
        .or_insert(json!("Active"));
}

fn daemonset(obj: &mut Value) {
    let spec = meta::map_at(obj, &["spec"]);
    spec.entry("revisionHistoryLimit").or_insert(json!(10));
    let strategy = spec.entry("updateStrategy").or_insert(json!({}));
    let strategy = meta::ensure_object(strategy);
    strategy.entry("type").or_insert(json!("RollingUpdate"));
    if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        let rolling = meta::ensure_object(strategy.entry("rollingUpdate").or_insert(json!({})));
        rolling.entry("maxUnavailable").or_insert(json!(1));
    }
    template(obj);
}

fn deployment(obj: &mut Value) {
    let spec = meta::map_at(obj, &["spec"]);
    spec.entry("replicas").or_insert(json!(1));
    spec.entry("revisionHistoryLimit").or_insert(json!(10));
    spec.entry("progressDeadlineSeconds").or_insert(json!(600));
    let strategy = meta::ensure_object(spec.entry("strategy").or_insert(json!({})));
    strategy.entry("type").or_insert(json!("RollingUpdate"));
    if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        let rolling = meta::ensure_object(strategy.entry("rollingUpdate").or_insert(json!({})));
        rolling.entry("maxSurge").or_insert(json!("25%"));
        rolling.entry("maxUnavailable").or_insert(json!("25%"));
    }
    template(obj);
}

/// A workload's pod template: `metadata.creationTimestamp: null` and pod spec defaults.
fn template(obj: &mut Value) {
    let tmeta = meta::map_at(obj, &["spec", "template", "metadata"]);
    tmeta.entry("creationTimestamp").or_insert(Value::Null);
    let spec = meta::map_at(obj, &["spec", "template", "spec"]);
    let mut v = Value::Object(std::mem::take(spec));
    pod_spec_fields(&mut v);
    *spec = match v {
        Value::Object(m) => m,
        _ => crate::engine::value::Map::new(),
    };
}

/// Pod spec defaults, as in a template (no admission plugins).
fn pod_spec_fields(spec: &mut Value) {
    let m = meta::ensure_object(spec);
    m.entry("dnsPolicy").or_insert(json!("ClusterFirst"));
    m.entry("restartPolicy").or_insert(json!("Always"));
    m.entry("schedulerName")
        .or_insert(json!("default-scheduler"));
    m.entry("securityContext").or_insert(json!({}));
    m.entry("terminationGracePeriodSeconds")
        .or_insert(json!(30));
    template_defaults::pod_spec(m);
    for key in ["containers", "initContainers"] {
        if let Some(Value::Array(cs)) = m.get_mut(key) {
            for c in cs {
                container(c);
            }
        }
    }
}

fn container(c: &mut Value) {
    let image = meta::str_at(c, &["image"]).to_string();
    let m = meta::ensure_object(c);
    if !image.is_empty() {
        m.entry("imagePullPolicy")
            .or_insert(json!(images::default_pull_policy(&image)));
    }
    m.entry("resources").or_insert(json!({}));
    m.entry("terminationMessagePath")
        .or_insert(json!("/dev/termination-log"));
    m.entry("terminationMessagePolicy").or_insert(json!("File"));
    template_defaults::container(m);
    if let Some(Value::Array(ports)) = m.get_mut("ports") {
        for p in ports {
            meta::ensure_object(p)
                .entry("protocol")
                .or_insert(json!("TCP"));
        }
    }
    // SetDefaults_ObjectFieldSelector: a fieldRef's apiVersion is v1.
    if let Some(Value::Array(env)) = m.get_mut("env") {
        for e in env {
            if let Some(Value::Object(f)) = e.pointer_mut("/valueFrom/fieldRef") {
                f.entry("apiVersion").or_insert(json!("v1"));
            }
        }
    }
}

/// A pod's spec on create: template defaults plus what admission adds (service account
/// token volume, priority, DefaultTolerationSeconds).
fn pod_spec(spec: &mut Value) {
    pod_spec_fields(spec);
    let m = meta::ensure_object(spec);
    m.entry("enableServiceLinks").or_insert(json!(true));
    m.entry("preemptionPolicy")
        .or_insert(json!("PreemptLowerPriority"));
    // The Priority admission plugin resolves the two built-in classes.
    let priority = match m.get("priorityClassName").and_then(Value::as_str) {
        Some("system-node-critical") => 2_000_001_000,
        Some("system-cluster-critical") => 2_000_000_000,
        _ => 0,
    };
    m.entry("priority").or_insert(json!(priority));
    let sa = m
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_string();
    m.insert("serviceAccountName", json!(sa));
    m.insert("serviceAccount", json!(sa));

    let mut tolerations: Vec<Value> = m
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let has = tolerations.iter().any(|t| {
            let t: Toleration = crate::engine::value::from_value(t.clone()).unwrap_or_default();
            (t.key == key || (t.key.is_empty() && t.operator == "Exists"))
                && (t.effect.is_empty() || t.effect == "NoExecute")
        });
        if !has {
            tolerations.push(json!({
                "effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300
            }));
        }
    }
    m.insert("tolerations", Value::Array(tolerations));
}

/// The projected service-account token volume admission adds to every pod (1.21
/// BoundServiceAccountTokenVolume), named `kube-api-access-<suffix>`.
pub fn add_token_volume(pod: &mut Value, suffix: &str) {
    let name = format!("kube-api-access-{suffix}");
    let volume = json!({
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]
        }
    });
    let spec = meta::map_at(pod, &["spec"]);
    let volumes = spec.entry("volumes").or_insert(json!([]));
    if let Value::Array(v) = volumes {
        v.push(volume);
    }
    if let Some(Value::Array(cs)) = spec.get_mut("containers") {
        for c in cs {
            let mounts = meta::ensure_object(c)
                .entry("volumeMounts")
                .or_insert(json!([]));
            if let Value::Array(ms) = mounts {
                ms.push(json!({
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                    "name": name,
                    "readOnly": true
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daemonset_gets_the_1_21_server_defaults() {
        let mut ds = json!({"spec": {"template": {"spec": {"containers": [{"name": "demo", "image": "demo:1.0.0"}]}}}});
        apply(Kind::DaemonSet, &mut ds);
        assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
        assert_eq!(
            ds["spec"]["updateStrategy"],
            json!({"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"})
        );
        assert_eq!(
            ds["spec"]["template"]["metadata"]["creationTimestamp"],
            Value::Null
        );
        let c = &ds["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(
            ds["spec"]["template"]["spec"]["terminationGracePeriodSeconds"],
            30
        );
    }

    #[test]
    fn pods_get_default_toleration_seconds_unless_they_tolerate_already() {
        let mut pod = json!({"spec": {"containers": [{"name": "a", "image": "nginx"}]}});
        apply(Kind::Pod, &mut pod);
        let tolerations = pod["spec"]["tolerations"].as_array().unwrap();
        assert_eq!(tolerations.len(), 2);
        assert_eq!(tolerations[0]["tolerationSeconds"], 300);

        let mut tolerant =
            json!({"spec": {"containers": [], "tolerations": [{"operator": "Exists"}]}});
        apply(Kind::Pod, &mut tolerant);
        assert_eq!(tolerant["spec"]["tolerations"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn namespaces_get_their_name_label_and_finalizer() {
        let mut ns = json!({"metadata": {"name": "dev-system"}});
        apply(Kind::Namespace, &mut ns);
        assert_eq!(
            ns["metadata"]["labels"]["kubernetes.io/metadata.name"],
            "dev-system"
        );
        assert_eq!(ns["spec"]["finalizers"], json!(["kubernetes"]));
        assert_eq!(ns["status"]["phase"], "Active");
    }
}
