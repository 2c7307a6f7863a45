//! ConfigMaps and Secrets in the cluster: the root-CA publisher, the API server's handling
//! of Secrets, and the kubelet waiting on what a pod reads (env, volumes).

use super::*;

fn configmap(name: &str, data: Value) -> Value {
    json!({"metadata": {"name": name, "namespace": NS}, "data": data})
}

/// A pod on kind-worker that reads `greeting` through env or a volume.
fn reader(name: &str, spec: Value) -> Value {
    let mut s =
        json!({"nodeName": "kind-worker", "containers": [{"name": "demo", "image": "demo:1.0.0"}]});
    meta::merge_patch(&mut s, &spec);
    json!({"metadata": {"name": name, "namespace": NS}, "spec": s})
}

fn env_reader() -> Value {
    reader(
        "env-reader",
        json!({"containers": [{"name": "demo", "image": "demo:1.0.0",
            "env": [{"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "greeting", "key": "greeting"}}}]}]}),
    )
}

fn waiting_reason(c: &Cluster, name: &str) -> String {
    let p = c.get(Kind::Pod, NS, name).expect("the pod exists");
    meta::str_at(
        &p["status"]["containerStatuses"][0],
        &["state", "waiting", "reason"],
    )
    .to_string()
}

fn event_messages(c: &Cluster, name: &str) -> Vec<String> {
    c.events_for(Kind::Pod, NS, name)
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                meta::str_at(e, &["reason"]),
                meta::str_at(e, &["message"])
            )
        })
        .collect()
}

#[test]
fn every_namespace_has_the_root_ca_and_gets_it_back() {
    let mut c = cluster();
    for ns in [
        "default",
        "kube-system",
        "kube-public",
        "kube-node-lease",
        "local-path-storage",
    ] {
        assert!(
            c.get(Kind::ConfigMap, ns, "kube-root-ca.crt").is_some(),
            "{ns}"
        );
    }
    c.create(Kind::Namespace, json!({"metadata": {"name": "dev"}}))
        .unwrap();
    let ca = c
        .get(Kind::ConfigMap, "dev", "kube-root-ca.crt")
        .cloned()
        .unwrap();
    assert!(meta::str_at(&ca, &["data", "ca.crt"]).starts_with("-----BEGIN CERTIFICATE-----\n"));
    c.delete(
        Kind::ConfigMap,
        "dev",
        "kube-root-ca.crt",
        DeleteOptions::default(),
    )
    .unwrap();
    assert!(c.get(Kind::ConfigMap, "dev", "kube-root-ca.crt").is_some());
    let mut edited = ca.clone();
    edited["data"] = json!({"ca.crt": "nope"});
    c.update(Kind::ConfigMap, edited).unwrap();
    assert_eq!(
        c.get(Kind::ConfigMap, "dev", "kube-root-ca.crt").unwrap()["data"],
        ca["data"]
    );
}

#[test]
fn a_missing_config_map_holds_the_container_until_it_appears() {
    let mut c = cluster();
    c.create(Kind::Pod, env_reader()).unwrap();
    advance_secs(&mut c, 30);
    assert_eq!(
        waiting_reason(&c, "env-reader"),
        "CreateContainerConfigError"
    );
    let p = c.get(Kind::Pod, NS, "env-reader").unwrap();
    assert_eq!(pod::display_status(p), "CreateContainerConfigError");
    assert!(
        event_messages(&c, "env-reader")
            .contains(&"Failed Error: configmap \"greeting\" not found".to_string())
    );
    c.create(
        Kind::ConfigMap,
        configmap("greeting", json!({"other": "x"})),
    )
    .unwrap();
    advance_secs(&mut c, 11);
    assert!(event_messages(&c, "env-reader").contains(
        &"Failed Error: couldn't find key greeting in ConfigMap default/greeting".to_string()
    ));
    let mut cm = c.get(Kind::ConfigMap, NS, "greeting").cloned().unwrap();
    cm["data"] = json!({"greeting": "Bonjour de"});
    c.update(Kind::ConfigMap, cm).unwrap();
    advance_secs(&mut c, 11);
    let p = c.get(Kind::Pod, NS, "env-reader").cloned().unwrap();
    assert_eq!(pod::phase(&p), "Running");
    let ctr = p["spec"]["containers"][0].clone();
    let greeting = |env: Vec<(String, String)>| {
        env.into_iter()
            .find(|(k, _)| k == "GREETING")
            .map(|(_, v)| v)
    };
    assert_eq!(
        greeting(c.container_env(&p, &ctr).unwrap()).as_deref(),
        Some("Bonjour de")
    );
    // The env stays as the container started with it.
    let mut cm = c.get(Kind::ConfigMap, NS, "greeting").cloned().unwrap();
    cm["data"] = json!({"greeting": "Hallo aus"});
    c.update(Kind::ConfigMap, cm).unwrap();
    assert_eq!(
        greeting(c.container_env(&p, &ctr).unwrap()).as_deref(),
        Some("Bonjour de")
    );
}

#[test]
fn a_missing_volume_source_keeps_the_pod_container_creating() {
    let mut c = cluster();
    let vol = json!({"volumes": [{"name": "quotes-volume", "configMap": {"name": "quotes"}}]});
    c.create(Kind::Pod, reader("vol-reader", vol)).unwrap();
    advance_secs(&mut c, 60);
    let p = c.get(Kind::Pod, NS, "vol-reader").unwrap();
    assert_eq!(pod::display_status(p), "ContainerCreating");
    assert!(pod::ip(p).is_none(), "no sandbox before the volumes mount");
    let failed = c
        .events_for(Kind::Pod, NS, "vol-reader")
        .into_iter()
        .find(|e| meta::str_at(e, &["reason"]) == "FailedMount")
        .cloned()
        .unwrap();
    assert_eq!(
        meta::str_at(&failed, &["message"]),
        "MountVolume.SetUp failed for volume \"quotes-volume\" : configmap \"quotes\" not found"
    );
    // 0.5 s doubling: tries at 1.5, 2, 3, 5, 9, 17, 33 s after the pod was bound.
    assert_eq!(meta::i64_at(&failed, &["count"]), Some(7));
    c.create(Kind::ConfigMap, configmap("quotes", json!({"a.txt": "a"})))
        .unwrap();
    advance_secs(&mut c, 40);
    assert_eq!(
        pod::phase(c.get(Kind::Pod, NS, "vol-reader").unwrap()),
        "Running"
    );
}

#[test]
fn a_day_of_retries_stays_cheap_and_counted() {
    let mut c = cluster();
    c.create(Kind::Pod, env_reader()).unwrap();
    c.advance(Duration::from_secs(86_400));
    let failed = c
        .events_for(Kind::Pod, NS, "env-reader")
        .into_iter()
        .find(|e| meta::str_at(e, &["reason"]) == "Failed")
        .cloned()
        .unwrap();
    assert!(meta::i64_at(&failed, &["count"]).unwrap() > 8_000);
    assert_eq!(
        waiting_reason(&c, "env-reader"),
        "CreateContainerConfigError"
    );
}

#[test]
fn secrets_get_their_type_and_string_data_as_base64() {
    let mut c = cluster();
    let s = c
        .create(
            Kind::Secret,
            json!({"metadata": {"name": "db", "namespace": NS}, "stringData": {"pw": "s3cr3t"}}),
        )
        .unwrap();
    assert_eq!(s["type"], "Opaque");
    assert_eq!(s["data"], json!({"pw": "czNjcjN0"}));
    assert!(s.get("stringData").is_none());
    let bad = c.create(Kind::ConfigMap, configmap("bad", json!({"a b": "x"})));
    assert_eq!(
        bad.unwrap_err().to_string(),
        "The ConfigMap \"bad\" is invalid: data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    );
}

#[test]
fn immutable_config_maps_refuse_changes() {
    let mut c = cluster();
    let mut cm = configmap("frozen", json!({"a": "1"}));
    cm["immutable"] = json!(true);
    c.create(Kind::ConfigMap, cm.clone()).unwrap();
    cm["data"] = json!({"a": "2"});
    let err = c.update(Kind::ConfigMap, cm).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set"
    );
}

#[test]
fn every_namespace_gets_a_default_service_account_with_its_token() {
    let mut c = cluster();
    c.create(Kind::Namespace, json!({"metadata": {"name": "dev"}}))
        .unwrap();
    let sa = c
        .get(Kind::ServiceAccount, "dev", "default")
        .cloned()
        .unwrap();
    let token_name = meta::str_at(&sa["secrets"][0], &["name"]).to_string();
    assert!(token_name.starts_with("default-token-"), "{token_name}");
    let token = c.get(Kind::Secret, "dev", &token_name).cloned().unwrap();
    assert_eq!(token["type"], "kubernetes.io/service-account-token");
    assert_eq!(
        meta::annotation(&token, "kubernetes.io/service-account.uid"),
        Some(meta::uid(&sa))
    );
    let keys: Vec<&str> = token["data"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["ca.crt", "namespace", "token"]);
    // Deleted, the account comes back with a new token; the old token goes.
    c.delete(
        Kind::ServiceAccount,
        "dev",
        "default",
        DeleteOptions::default(),
    )
    .unwrap();
    assert!(c.get(Kind::Secret, "dev", &token_name).is_none());
    let again = c
        .get(Kind::ServiceAccount, "dev", "default")
        .cloned()
        .unwrap();
    let new_token = meta::str_at(&again["secrets"][0], &["name"]).to_string();
    assert_ne!(new_token, token_name);
    assert!(c.get(Kind::Secret, "dev", &new_token).is_some());
}
