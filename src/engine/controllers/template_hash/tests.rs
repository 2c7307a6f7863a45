//! The hash against names real 1.21 clusters gave: kind v0.11.1's `coredns-558bd4d5db` and
//! `local-path-provisioner-547f784dff`, and the workshop's chapter 8 `demo-7c9cd496db` and
//! `demo-658bfb548`. First on the templates as the API server stores them, then through the
//! simulated cluster (our defaulting and the Deployment controller).

use std::time::Duration;

use crate::engine::value::{Value, json};

use super::{pod_template_hash, spew_text};
use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta};

/// A container as the API server stores it: the manifest's fields plus the defaults.
fn stored_container(fields: Value) -> Value {
    let mut c = json!({"imagePullPolicy": "IfNotPresent", "resources": {},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"});
    meta::merge_patch(&mut c, &fields);
    c
}

/// A pod template as the API server stores it.
fn stored_template(labels: Value, spec: Value) -> Value {
    let mut s = json!({"dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
        "schedulerName": "default-scheduler", "securityContext": {},
        "terminationGracePeriodSeconds": 30});
    meta::merge_patch(&mut s, &spec);
    json!({"metadata": {"creationTimestamp": null, "labels": labels}, "spec": s})
}

fn demo(env: Option<Value>) -> Value {
    let mut c = json!({"name": "demo", "image": "demo:1.0.0"});
    if let Some(env) = env {
        c["env"] = env;
    }
    stored_template(
        json!({"app": "demo"}),
        json!({"containers": [stored_container(c)]}),
    )
}

#[test]
fn the_workshop_demo_templates_hash_as_on_a_real_cluster() {
    assert_eq!(pod_template_hash(&demo(None), None), "7c9cd496db");
    let hi = json!([{"name": "GREETING", "value": "Hi from"}]);
    assert_eq!(pod_template_hash(&demo(Some(hi)), None), "658bfb548");
}

#[test]
fn the_coredns_template_of_kind_v0_11_1_hashes_to_558bd4d5db() {
    let coredns = stored_container(json!({
        "name": "coredns", "image": "k8s.gcr.io/coredns/coredns:v1.8.0",
        "args": ["-conf", "/etc/coredns/Corefile"],
        "livenessProbe": {"failureThreshold": 5, "httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
            "initialDelaySeconds": 60, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 5},
        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
            {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
            {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
        "readinessProbe": {"failureThreshold": 3, "httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"},
            "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
        "securityContext": {"allowPrivilegeEscalation": false,
            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["all"]}, "readOnlyRootFilesystem": true},
        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": true}],
    }));
    let t = stored_template(
        json!({"k8s-app": "kube-dns"}),
        json!({"containers": [coredns], "dnsPolicy": "Default",
            "nodeSelector": {"kubernetes.io/os": "linux"}, "priorityClassName": "system-cluster-critical",
            "serviceAccount": "coredns", "serviceAccountName": "coredns",
            "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                {"effect": "NoSchedule", "key": "node-role.kubernetes.io/master"},
                {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
            "volumes": [{"configMap": {"defaultMode": 420, "items": [{"key": "Corefile", "path": "Corefile"}],
                "name": "coredns"}, "name": "config-volume"}]}),
    );
    assert_eq!(pod_template_hash(&t, None), "558bd4d5db");
}

#[test]
fn the_local_path_provisioner_template_hashes_to_547f784dff() {
    let c = stored_container(json!({
        "name": "local-path-provisioner", "image": "docker.io/rancher/local-path-provisioner:v0.0.14",
        "command": ["local-path-provisioner", "--debug", "start", "--helper-image",
            "k8s.gcr.io/build-image/debian-base:v2.1.0", "--config", "/etc/config/config.json"],
        "env": [{"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}}],
        "volumeMounts": [{"mountPath": "/etc/config/", "name": "config-volume"}],
    }));
    let sa = "local-path-provisioner-service-account";
    let t = stored_template(
        json!({"app": "local-path-provisioner"}),
        json!({"containers": [c], "nodeSelector": {"kubernetes.io/os": "linux"},
            "serviceAccount": sa, "serviceAccountName": sa,
            "tolerations": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/master", "operator": "Equal"}],
            "volumes": [{"configMap": {"defaultMode": 420, "name": "local-path-config"}, "name": "config-volume"}]}),
    );
    assert_eq!(pod_template_hash(&t, None), "547f784dff");
}

#[test]
fn the_spew_text_has_every_field_with_its_go_type() {
    let text = spew_text(&demo(None));
    assert!(
        text.starts_with(
            "(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) GenerateName:(string) "
        ),
        "{text}"
    );
    assert!(text.contains(" CreationTimestamp:(v1.Time){Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}} DeletionTimestamp:(*v1.Time)<nil> "));
    assert!(text.contains(
        " Labels:(map[string]string)map[app:demo] Annotations:(map[string]string)<nil> "
    ));
    assert!(text.contains(" Containers:([]v1.Container)[{Name:(string)demo Image:(string)demo:1.0.0 Command:([]string)<nil> "));
    assert!(text.contains(" TerminationGracePeriodSeconds:(*int64)30 "));
    assert!(text.contains(
        " SecurityContext:(*v1.PodSecurityContext){SELinuxOptions:(*v1.SELinuxOptions)<nil> "
    ));
    assert!(text.ends_with(" SetHostnameAsFQDN:(*bool)<nil>}}"));
}

#[test]
fn a_collision_count_changes_the_hash() {
    let t = demo(None);
    let plain = pod_template_hash(&t, None);
    let one = pod_template_hash(&t, Some(1));
    assert_ne!(plain, one);
    assert_ne!(one, pod_template_hash(&t, Some(2)));
    assert!(one.bytes().all(|b| b"456789bcdf".contains(&b)), "{one}");
}

/// The ReplicaSets of Deployment `name`, by name.
fn replicasets(c: &Cluster, ns: &str, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = c
        .list(Kind::ReplicaSet, Some(ns))
        .map(|rs| meta::name(rs).to_string())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn the_cluster_names_the_workshop_replicasets_as_a_real_one() {
    let mut c = Cluster::kind(1, 3);
    let deployment = |env: Option<Value>| {
        let mut container = json!({"name": "demo", "image": "demo:1.0.0"});
        if let Some(env) = env {
            container["env"] = env;
        }
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"labels": {"app": "demo"}, "name": "demo", "namespace": "default"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "demo"}},
                "template": {"metadata": {"labels": {"app": "demo"}}, "spec": {"containers": [container]}}}})
    };
    let created = c.create(Kind::Deployment, deployment(None));
    assert!(created.is_ok(), "{created:?}");
    c.advance(Duration::from_secs(30));
    assert_eq!(replicasets(&c, "default", "demo-"), ["demo-7c9cd496db"]);
    let mut changed = c
        .get(Kind::Deployment, "default", "demo")
        .cloned()
        .unwrap_or_default();
    changed["spec"]["template"]["spec"]["containers"][0]["env"] =
        json!([{"name": "GREETING", "value": "Hi from"}]);
    let updated = c.update(Kind::Deployment, changed);
    assert!(updated.is_ok(), "{updated:?}");
    c.advance(Duration::from_secs(60));
    assert_eq!(
        replicasets(&c, "default", "demo-"),
        ["demo-658bfb548", "demo-7c9cd496db"]
    );
}

#[test]
fn the_bootstrap_replicasets_get_their_names_from_the_hash() {
    let c = Cluster::kind(1, 3);
    assert_eq!(
        replicasets(&c, "kube-system", "coredns-"),
        ["coredns-558bd4d5db"]
    );
    assert_eq!(
        replicasets(&c, "local-path-storage", "local-path-provisioner-"),
        ["local-path-provisioner-547f784dff"]
    );
}

#[test]
fn a_name_taken_by_another_replicaset_is_a_collision_counted_in_the_status() {
    let mut c = Cluster::kind(1, 3);
    // A ReplicaSet of another template already holds demo-7c9cd496db.
    let squatter = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "demo-7c9cd496db", "namespace": "default"},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "other"}},
            "template": {"metadata": {"labels": {"app": "other"}},
                "spec": {"containers": [{"name": "o", "image": "demo:1.0.0"}]}}}});
    assert!(c.create(Kind::ReplicaSet, squatter).is_ok());
    let demo = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "demo", "namespace": "default"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "demo"}},
            "template": {"metadata": {"labels": {"app": "demo"}},
                "spec": {"containers": [{"name": "demo", "image": "demo:1.0.0"}]}}}});
    assert!(c.create(Kind::Deployment, demo).is_ok());
    c.advance(Duration::from_secs(30));
    let d = c
        .get(Kind::Deployment, "default", "demo")
        .cloned()
        .unwrap_or_default();
    assert_eq!(meta::i64_at(&d, &["status", "collisionCount"]), Some(1));
    let template = &d["spec"]["template"];
    let expected = format!("demo-{}", pod_template_hash(template, Some(1)));
    assert_eq!(
        replicasets(&c, "default", "demo-"),
        [expected.as_str(), "demo-7c9cd496db"]
    );
    assert_eq!(meta::i64_at(&d, &["status", "readyReplicas"]), Some(1));
}
