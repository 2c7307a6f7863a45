//! Env and volume files resolved from ConfigMaps and Secrets, with the kubelet's errors.

use crate::engine::value::{Value, json};

use super::*;

const NS: &str = "dev";

fn store_with(objs: &[(Kind, Value)]) -> Store {
    let mut s = Store::default();
    for (kind, obj) in objs {
        s.put(
            *kind,
            ObjKey::new(meta::namespace(obj), meta::name(obj)),
            obj.clone(),
        );
    }
    s
}

fn cm(name: &str, data: Value) -> (Kind, Value) {
    (
        Kind::ConfigMap,
        json!({"metadata": {"name": name, "namespace": NS}, "data": data}),
    )
}

fn secret(name: &str, data: Value) -> (Kind, Value) {
    (
        Kind::Secret,
        json!({"metadata": {"name": name, "namespace": NS}, "data": data}),
    )
}

fn pod() -> Value {
    json!({"metadata": {"name": "demo-1", "namespace": NS, "uid": "u-1", "labels": {"app": "demo"}},
           "spec": {"nodeName": "kind-worker"},
           "status": {"podIP": "10.244.3.7", "hostIP": "172.18.0.5"}})
}

fn env(store: &Store, container: Value) -> Result<Vec<(String, String)>, ConfigError> {
    resolve_env(store, &pod(), &container)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn config_map_key_ref_reads_the_value_at_container_start() {
    let s = store_with(&[cm("greeting", json!({"greeting": "Bonjour de"}))]);
    let c = json!({"env": [{"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "greeting", "key": "greeting"}}}]});
    assert_eq!(env(&s, c).unwrap(), pairs(&[("GREETING", "Bonjour de")]));
}

#[test]
fn missing_config_map_and_key_fail_in_the_kubelets_words() {
    let c = json!({"env": [{"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "greeting", "key": "greeting"}}}]});
    let none = store_with(&[]);
    assert_eq!(
        env(&none, c.clone()).unwrap_err().to_string(),
        "configmap \"greeting\" not found"
    );
    let other_key = store_with(&[cm("greeting", json!({"hello": "x"}))]);
    assert_eq!(
        env(&other_key, c).unwrap_err().to_string(),
        "couldn't find key greeting in ConfigMap dev/greeting"
    );
    let s =
        json!({"env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}}]});
    assert_eq!(
        env(&none, s.clone()).unwrap_err().to_string(),
        "secret \"db\" not found"
    );
    let wrong = store_with(&[secret("db", json!({"user": "YQ=="}))]);
    assert_eq!(
        env(&wrong, s).unwrap_err().to_string(),
        "couldn't find key pw in Secret dev/db"
    );
}

#[test]
fn optional_references_leave_the_variable_unset() {
    let s = store_with(&[cm("greeting", json!({"hello": "x"}))]);
    let c = json!({"env": [
        {"name": "A", "valueFrom": {"configMapKeyRef": {"name": "greeting", "key": "nope", "optional": true}}},
        {"name": "B", "valueFrom": {"configMapKeyRef": {"name": "absent", "key": "k", "optional": true}}},
        {"name": "C", "value": "c"}],
        "envFrom": [{"secretRef": {"name": "absent", "optional": true}}]});
    assert_eq!(env(&s, c).unwrap(), pairs(&[("C", "c")]));
}

#[test]
fn env_from_comes_first_env_overrides_and_expands() {
    let s = store_with(&[
        cm(
            "cfg",
            json!({"MODE": "dev", "1bad": "skipped", "HOST": "db"}),
        ),
        secret("db", json!({"PASSWORD": "czNjcjN0"})),
    ]);
    let c = json!({
        "envFrom": [{"configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "db"}, "prefix": "DB_"}],
        "env": [{"name": "MODE", "value": "prod"},
                {"name": "URL", "value": "postgres://$(HOST):5432/$(UNSET)$$"},
                {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
                {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}]});
    assert_eq!(
        env(&s, c).unwrap(),
        pairs(&[
            ("HOST", "db"),
            ("MODE", "prod"),
            ("DB_PASSWORD", "s3cr3t"),
            ("URL", "postgres://db:5432/$(UNSET)$"),
            ("POD", "demo-1"),
            ("APP", "demo"),
            ("IP", "10.244.3.7"),
        ])
    );
}

#[test]
fn config_map_volumes_show_every_key_or_the_items() {
    let s = store_with(&[cm(
        "quotes",
        json!({"rota.txt": "Monday\n", "motto.txt": "Say what\n"}),
    )]);
    let all = json!({"name": "q", "configMap": {"name": "quotes"}});
    assert_eq!(
        volume_files(&s, NS, &all).unwrap(),
        pairs(&[("motto.txt", "Say what\n"), ("rota.txt", "Monday\n")])
    );
    let items = json!({"name": "q", "configMap": {"name": "quotes", "items": [{"key": "rota.txt", "path": "days/rota"}]}});
    assert_eq!(
        volume_files(&s, NS, &items).unwrap(),
        pairs(&[("days/rota", "Monday\n")])
    );
    let bad = json!({"name": "q", "configMap": {"name": "quotes", "items": [{"key": "nope", "path": "x"}]}});
    assert_eq!(
        volume_files(&s, NS, &bad).unwrap_err().to_string(),
        "configmap references non-existent config key: nope"
    );
    let missing = json!({"name": "q", "configMap": {"name": "other"}});
    assert_eq!(
        volume_files(&s, NS, &missing).unwrap_err().to_string(),
        "configmap \"other\" not found"
    );
    let optional = json!({"name": "q", "configMap": {"name": "other", "optional": true}});
    assert!(volume_files(&s, NS, &optional).unwrap().is_empty());
    // The kubelet's cheap check agrees with what building the files finds.
    for v in [&all, &items, &bad, &missing, &optional] {
        assert_eq!(
            volume_problem(&s, NS, v),
            volume_files(&s, NS, v).err(),
            "{v}"
        );
    }
}

#[test]
fn secret_and_projected_volumes_decode_and_project() {
    let s = store_with(&[
        secret("db", json!({"pw": "czNjcjN0"})),
        cm("kube-root-ca.crt", json!({"ca.crt": "PEM\n"})),
    ]);
    let vol = json!({"name": "s", "secret": {"secretName": "db"}});
    assert_eq!(
        volume_files(&s, NS, &vol).unwrap(),
        pairs(&[("pw", "s3cr3t")])
    );
    let projected = json!({"name": "kube-api-access-x", "projected": {"sources": [
        {"serviceAccountToken": {"path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"fieldPath": "metadata.namespace"}}]}}]}});
    let files = volume_files(&s, NS, &projected).unwrap();
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, ["ca.crt", "namespace", "token"]);
    assert_eq!(files[1].1, NS);
    assert_eq!(files[2].1.split('.').count(), 3);
}
