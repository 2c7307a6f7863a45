//! Taints and tolerations at work in the cluster (fidelity §7.1, §7.5, §7.6): which taints
//! keep daemon pods off a node, which evict them, and when.

use crate::engine::value::json;

use super::*;

#[test]
fn untolerated_no_execute_evicts_the_daemon_pod_at_once() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    add_taint(&mut c, "kind-worker3", vip_taint("NoExecute"));
    let on_worker3: Vec<Value> = daemon_pods(&c)
        .into_iter()
        .filter(|p| pod::node_name(p) == "kind-worker3")
        .collect();
    assert_eq!(on_worker3.len(), 1);
    assert!(meta::is_deleting(&on_worker3[0]), "Terminating at once");
    assert_eq!(pod::display_status(&on_worker3[0]), "Terminating");
    advance_secs(&mut c, 60);
    assert_eq!(nodes_with_pods(&c), ["kind-worker", "kind-worker2"]);
    assert_eq!(daemon_pods(&c).len(), 2, "the evicted pod is gone");
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 2);
    assert_eq!(ds_status(&c, "currentNumberScheduled"), 2);
}

#[test]
fn no_schedule_taint_does_not_evict_a_running_daemon_pod() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    add_taint(&mut c, "kind-worker3", vip_taint("NoSchedule"));
    advance_secs(&mut c, 120);
    let kept = live_pods_on(&c, "kind-worker3");
    assert_eq!(kept.len(), 1);
    assert_eq!(pod::phase(&kept[0]), "Running");
    assert_eq!(daemon_pods(&c).len(), 3);
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 2);
    assert_eq!(ds_status(&c, "currentNumberScheduled"), 2);
    assert_eq!(ds_status(&c, "numberMisscheduled"), 1);
}

#[test]
fn no_schedule_taint_keeps_a_new_daemon_pod_off_the_node() {
    let mut c = cluster();
    add_taint(&mut c, "kind-worker3", vip_taint("NoSchedule"));
    run_daemonset(&mut c, json!({}));
    assert_eq!(nodes_with_pods(&c), ["kind-worker", "kind-worker2"]);
}

#[test]
fn prefer_no_schedule_does_not_keep_a_daemon_pod_off_a_node() {
    let mut c = cluster();
    add_taint(&mut c, "kind-worker3", vip_taint("PreferNoSchedule"));
    run_daemonset(&mut c, json!({}));
    assert_eq!(live_pods_on(&c, "kind-worker3").len(), 1);
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 3);
}

#[test]
fn exists_with_no_key_tolerates_every_taint() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({"tolerations": [{"operator": "Exists"}]}));
    assert_eq!(
        nodes_with_pods(&c),
        [
            "kind-control-plane",
            "kind-worker",
            "kind-worker2",
            "kind-worker3"
        ]
    );
    let before = live_pods_on(&c, "kind-worker3");
    add_taint(&mut c, "kind-worker3", vip_taint("NoExecute"));
    advance_secs(&mut c, 600);
    let after = live_pods_on(&c, "kind-worker3");
    assert_eq!(
        after.iter().map(meta::name).collect::<Vec<_>>(),
        before.iter().map(meta::name).collect::<Vec<_>>()
    );
}

#[test]
fn a_matching_toleration_lets_the_daemon_pod_back_on_the_tainted_node() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    add_taint(&mut c, "kind-worker3", vip_taint("NoExecute"));
    advance_secs(&mut c, 60);
    assert!(live_pods_on(&c, "kind-worker3").is_empty());
    update_template(&mut c, json!({"tolerations": [vip_toleration(None)]}));
    advance_secs(&mut c, 60);
    assert_eq!(live_pods_on(&c, "kind-worker3").len(), 1);
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 3);
}

#[test]
fn a_toleration_with_another_value_does_not_match() {
    let mut c = cluster();
    let mut toleration = vip_toleration(None);
    toleration["value"] = json!("false");
    run_daemonset(&mut c, json!({"tolerations": [toleration]}));
    add_taint(&mut c, "kind-worker3", vip_taint("NoExecute"));
    advance_secs(&mut c, 60);
    assert!(live_pods_on(&c, "kind-worker3").is_empty());
}

#[test]
fn toleration_seconds_delay_the_eviction() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({"tolerations": [vip_toleration(Some(30))]}));
    let pod_name = meta::name(&live_pods_on(&c, "kind-worker3")[0]).to_string();
    add_taint(&mut c, "kind-worker3", vip_taint("NoExecute"));
    advance_secs(&mut c, 25);
    let still = c
        .get(Kind::Pod, NS, &pod_name)
        .cloned()
        .expect("kept for now");
    assert!(!meta::is_deleting(&still), "not before tolerationSeconds");
    advance_secs(&mut c, 10);
    let evicted = c.get(Kind::Pod, NS, &pod_name);
    assert!(
        evicted.is_none_or(meta::is_deleting),
        "deleted once 30 s passed"
    );
}

#[test]
fn removing_the_taint_cancels_a_pending_eviction() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({"tolerations": [vip_toleration(Some(30))]}));
    let pod_name = meta::name(&live_pods_on(&c, "kind-worker3")[0]).to_string();
    add_taint(&mut c, "kind-worker3", vip_taint("NoExecute"));
    advance_secs(&mut c, 10);
    remove_taint(&mut c, "kind-worker3", "VIPOnly");
    advance_secs(&mut c, 120);
    let kept = c
        .get(Kind::Pod, NS, &pod_name)
        .cloned()
        .expect("never evicted");
    assert!(!meta::is_deleting(&kept));
    assert_eq!(pod::phase(&kept), "Running");
}

#[test]
fn a_no_execute_taint_evicts_deployment_pods_and_they_come_back_elsewhere() {
    let mut c = cluster();
    for node in ["kind-worker", "kind-worker2"] {
        add_taint(&mut c, node, json!({"key": "busy", "effect": "NoSchedule"}));
    }
    c.create(
        Kind::Deployment,
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": NS},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "web", "image": "demo:1.0.0"}]}}
            }
        }),
    )
    .expect("the Deployment is valid");
    advance_secs(&mut c, 30);
    let web = |c: &Cluster| -> Vec<Value> {
        c.list(Kind::Pod, Some(NS))
            .filter(|p| meta::label(p, "app") == Some("web") && !meta::is_deleting(p))
            .cloned()
            .collect()
    };
    assert!(web(&c).iter().all(|p| pod::node_name(p) == "kind-worker3"));
    remove_taint(&mut c, "kind-worker", "busy");
    add_taint(&mut c, "kind-worker3", vip_taint("NoExecute"));
    advance_secs(&mut c, 60);
    let pods = web(&c);
    assert_eq!(pods.len(), 2);
    assert!(
        pods.iter()
            .all(|p| pod::node_name(p) == "kind-worker" && pod::is_ready(p))
    );
}
