use std::time::Duration;

use crate::engine::value::json;

use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta, pod};

fn running_pod(c: &mut Cluster, env: crate::engine::value::Value) {
    c.create(
        Kind::Pod,
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "demo", "namespace": "default"},
            "spec": {"containers": [{"name": "demo", "image": "demo:1.0.0", "env": env}]}}),
    )
    .expect("the pod is valid");
    c.advance(Duration::from_secs(10));
}

fn stored(c: &Cluster) -> crate::engine::value::Value {
    c.get(Kind::Pod, "default", "demo")
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_started_container_keeps_the_env_it_started_with() {
    let mut c = Cluster::kind(1, 3);
    running_pod(
        &mut c,
        json!([{"name": "GREETING", "value": "Hi from"},
        {"name": "ME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]),
    );
    let run = c.container_run("default", "demo", "demo").expect("it runs");
    let get = |k: &str| run.env.get(k).map(str::to_string);
    assert_eq!(get("GREETING").as_deref(), Some("Hi from"));
    assert_eq!(get("ME").as_deref(), Some("demo"));
    assert_eq!(get("PHP_VERSION").as_deref(), Some("8.0.1"));
    assert_eq!(get("KUBERNETES_SERVICE_HOST").as_deref(), Some("10.96.0.1"));
    assert_eq!(
        get("KUBERNETES_PORT_443_TCP").as_deref(),
        Some("tcp://10.96.0.1:443")
    );
    assert_eq!(run.env.iter().next().map(|(k, _)| k), Some("PATH"));
}

#[test]
fn killing_pid_1_restarts_the_container_without_resetting_the_pod() {
    let mut c = Cluster::kind(1, 3);
    running_pod(&mut c, json!([]));
    let created = meta::creation(&stored(&c));
    assert!(c.end_main_process("default", "demo", "demo"));
    assert_eq!(pod::display_status(&stored(&c)), "Completed");
    c.advance(Duration::from_secs(2));
    let p = stored(&c);
    assert_eq!(pod::display_status(&p), "Running");
    assert_eq!(pod::restarts(&p), 1);
    assert!(pod::is_ready(&p));
    assert_eq!(meta::creation(&p), created);
    let cs = &p["status"]["containerStatuses"][0];
    assert_eq!(cs["lastState"]["terminated"]["reason"], "Completed");
    let started = c
        .list(Kind::Event, Some("default"))
        .find(|e| meta::str_at(e, &["reason"]) == "Started")
        .map(|e| meta::i64_at(e, &["count"]).unwrap_or(0));
    assert_eq!(started, Some(2));
}

#[test]
fn a_quick_second_crash_goes_through_crash_loop_back_off() {
    let mut c = Cluster::kind(1, 3);
    running_pod(&mut c, json!([]));
    assert!(c.end_main_process("default", "demo", "demo"));
    c.advance(Duration::from_secs(2));
    assert!(c.end_main_process("default", "demo", "demo"));
    assert_eq!(pod::display_status(&stored(&c)), "CrashLoopBackOff");
    let msg = stored(&c)["status"]["containerStatuses"][0]["state"]["waiting"]["message"].clone();
    assert!(
        msg.as_str()
            .unwrap_or("")
            .starts_with("back-off 10s restarting failed container=demo pod=demo_default("),
        "{msg}"
    );
    // The back-off window opened at the first restart, 1 s before this crash.
    c.advance(Duration::from_secs(8));
    assert_eq!(pod::restarts(&stored(&c)), 1);
    c.advance(Duration::from_secs(1));
    assert_eq!(pod::display_status(&stored(&c)), "Running");
    assert_eq!(pod::restarts(&stored(&c)), 2);
    assert!(!c.end_main_process("default", "nope", "demo"));
}

#[test]
fn environments_share_their_equal_variables_and_equal_environments_are_one() {
    use super::RuntimeMemory;
    use std::sync::Arc;
    let pairs = |node: &str| {
        vec![
            (
                "KUBERNETES_SERVICE_HOST".to_string(),
                "10.96.0.1".to_string(),
            ),
            ("NODE_NAME".to_string(), node.to_string()),
        ]
    };
    let mut memory = RuntimeMemory::default();
    let a = memory.intern(pairs("kind-worker"));
    let b = memory.intern(pairs("kind-worker2"));
    let again = memory.intern(pairs("kind-worker"));
    assert!(Arc::ptr_eq(&a.0[0], &b.0[0]));
    assert!(!Arc::ptr_eq(&a.0[1], &b.0[1]));
    assert!(Arc::ptr_eq(&a.0, &again.0));
    assert_eq!(b.get("NODE_NAME"), Some("kind-worker2"));
    // Saved as the list of pairs it always was.
    assert_eq!(
        serde_json::to_string(&a).ok().as_deref(),
        Some(r#"[["KUBERNETES_SERVICE_HOST","10.96.0.1"],["NODE_NAME","kind-worker"]]"#)
    );
}
