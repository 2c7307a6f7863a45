//! The DaemonSet controller (fidelity §7.1-§7.4): which nodes get a pod, what the pods
//! carry, the status counts, RollingUpdate and OnDelete.

use crate::engine::value::json;

use super::*;

const WORKERS: [&str; 3] = ["kind-worker", "kind-worker2", "kind-worker3"];

#[test]
fn daemonset_skips_the_control_plane_until_its_taint_is_tolerated() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    assert_eq!(nodes_with_pods(&c), WORKERS);
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 3);

    update_template(
        &mut c,
        json!({"tolerations": [{"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"}]}),
    );
    advance_secs(&mut c, 60);
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 4);
    assert_eq!(live_pods_on(&c, "kind-control-plane").len(), 1);
}

#[test]
fn a_node_selector_limits_the_nodes() {
    let mut c = cluster();
    run_daemonset(
        &mut c,
        json!({"nodeSelector": {"kubernetes.io/hostname": "kind-worker2"}}),
    );
    assert_eq!(nodes_with_pods(&c), ["kind-worker2"]);
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 1);
}

#[test]
fn status_counts_follow_the_pods() {
    let mut c = cluster();
    c.create(Kind::DaemonSet, demo_daemonset(json!({})))
        .expect("the DaemonSet is valid");
    assert_eq!(ds_status(&c, "desiredNumberScheduled"), 3);
    assert_eq!(ds_status(&c, "currentNumberScheduled"), 3);
    assert_eq!(ds_status(&c, "numberReady"), 0);
    assert_eq!(ds_status(&c, "numberAvailable"), 0);
    advance_secs(&mut c, 30);
    for field in [
        "desiredNumberScheduled",
        "currentNumberScheduled",
        "numberReady",
        "numberAvailable",
        "updatedNumberScheduled",
    ] {
        assert_eq!(ds_status(&c, field), 3, "{field}");
    }
    assert_eq!(ds_status(&c, "numberMisscheduled"), 0);
}

#[test]
fn daemon_pods_carry_the_revision_labels_the_owner_and_the_node_affinity() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    let ds = c
        .get(Kind::DaemonSet, NS, DS)
        .cloned()
        .expect("the DaemonSet exists");
    for p in daemon_pods(&c) {
        assert_eq!(meta::label(&p, "pod-template-generation"), Some("1"));
        let hash = meta::label(&p, "controller-revision-hash").unwrap_or_default();
        assert!(!hash.is_empty());
        assert!(
            c.get(Kind::ControllerRevision, NS, &format!("{DS}-{hash}"))
                .is_some()
        );
        assert_eq!(
            meta::controller_ref(&p),
            Some(("DaemonSet", DS, meta::uid(&ds)))
        );
        let term = meta::at(
            &p,
            &[
                "spec",
                "affinity",
                "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution",
                "nodeSelectorTerms",
            ],
        )
        .cloned()
        .unwrap_or_default();
        assert_eq!(
            term,
            json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [pod::node_name(&p)]}]}])
        );
    }
}

#[test]
fn daemon_pods_get_the_six_default_tolerations_after_the_users() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({"tolerations": [vip_toleration(None)]}));
    let p = &daemon_pods(&c)[0];
    let keys: Vec<String> = meta::at(p, &["spec", "tolerations"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|t| {
            format!(
                "{}:{}",
                meta::str_at(t, &["key"]),
                meta::str_at(t, &["effect"])
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            "VIPOnly:NoExecute",
            "node.kubernetes.io/not-ready:NoExecute",
            "node.kubernetes.io/unreachable:NoExecute",
            "node.kubernetes.io/disk-pressure:NoSchedule",
            "node.kubernetes.io/memory-pressure:NoSchedule",
            "node.kubernetes.io/pid-pressure:NoSchedule",
            "node.kubernetes.io/unschedulable:NoSchedule",
        ]
    );
    let ds = c
        .get(Kind::DaemonSet, NS, DS)
        .cloned()
        .expect("the DaemonSet exists");
    let on_ds = meta::at(&ds, &["spec", "template", "spec", "tolerations"]).cloned();
    assert_eq!(on_ds, Some(json!([vip_toleration(None)])));
}

#[test]
fn host_network_daemon_pods_also_tolerate_network_unavailable() {
    let c = cluster();
    let kindnet = c
        .list(Kind::Pod, Some("kube-system"))
        .find(|p| meta::label(p, "app") == Some("kindnet"))
        .cloned()
        .expect("kindnet runs");
    let tolerations = meta::at(&kindnet, &["spec", "tolerations"])
        .cloned()
        .unwrap_or_default();
    assert!(tolerations.as_array().is_some_and(|ts| {
        ts.iter()
            .any(|t| meta::str_at(t, &["key"]) == "node.kubernetes.io/network-unavailable")
    }));
}

#[test]
fn daemon_pods_run_on_cordoned_nodes() {
    let mut c = cluster();
    let mut node = c
        .get(Kind::Node, "", "kind-worker2")
        .cloned()
        .expect("a worker");
    meta::set(&mut node, &["spec", "unschedulable"], json!(true));
    c.update(Kind::Node, node).expect("cordon");
    run_daemonset(&mut c, json!({}));
    assert_eq!(nodes_with_pods(&c), WORKERS);
    let p = &live_pods_on(&c, "kind-worker2")[0];
    assert_eq!(pod::phase(p), "Running");
}

#[test]
fn labels_bump_nothing_and_template_changes_bump_both_generations() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    let generations = |c: &Cluster| {
        let ds = c.get(Kind::DaemonSet, NS, DS).cloned().unwrap_or_default();
        (
            meta::i64_at(&ds, &["metadata", "generation"]),
            meta::annotation(&ds, "deprecated.daemonset.template.generation").map(String::from),
        )
    };
    let mut ds = c
        .get(Kind::DaemonSet, NS, DS)
        .cloned()
        .expect("the DaemonSet exists");
    meta::set(&mut ds, &["metadata", "labels", "team"], json!("blue"));
    c.update(Kind::DaemonSet, ds).expect("label update");
    assert_eq!(generations(&c), (Some(1), Some("1".to_string())));

    let mut ds = c
        .get(Kind::DaemonSet, NS, DS)
        .cloned()
        .expect("the DaemonSet exists");
    meta::set(&mut ds, &["spec", "minReadySeconds"], json!(5));
    c.update(Kind::DaemonSet, ds).expect("spec update");
    assert_eq!(generations(&c), (Some(2), Some("1".to_string())));

    update_template(&mut c, json!({"tolerations": [vip_toleration(None)]}));
    assert_eq!(generations(&c), (Some(3), Some("2".to_string())));
}

#[test]
fn rolling_update_replaces_one_node_at_a_time() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    update_template(&mut c, json!({"tolerations": [vip_toleration(None)]}));
    let mut max_unavailable = 0;
    for _ in 0..240 {
        c.advance(Duration::from_millis(250));
        let unavailable = WORKERS
            .iter()
            .filter(|n| !live_pods_on(&c, n).iter().any(pod::is_ready))
            .count();
        max_unavailable = max_unavailable.max(unavailable);
        for n in WORKERS {
            let on_node = daemon_pods(&c)
                .into_iter()
                .filter(|p| pod::node_name(p) == n)
                .count();
            assert!(on_node <= 1, "two pods at once on {n} (no surge in 1.21)");
        }
    }
    assert_eq!(max_unavailable, 1);
    let pods = daemon_pods(&c);
    assert_eq!(pods.len(), 3);
    assert!(
        pods.iter()
            .all(|p| meta::label(p, "pod-template-generation") == Some("2") && pod::is_ready(p))
    );
    assert_eq!(ds_status(&c, "updatedNumberScheduled"), 3);
}

#[test]
fn on_delete_waits_for_the_user_to_delete_old_pods() {
    let mut c = cluster();
    let mut ds = demo_daemonset(json!({}));
    ds["spec"]["updateStrategy"] = json!({"type": "OnDelete"});
    c.create(Kind::DaemonSet, ds)
        .expect("the DaemonSet is valid");
    advance_secs(&mut c, 30);
    update_template(&mut c, json!({"tolerations": [vip_toleration(None)]}));
    advance_secs(&mut c, 120);
    let generation_on = |c: &Cluster, node: &str| {
        live_pods_on(c, node)
            .first()
            .and_then(|p| meta::label(p, "pod-template-generation").map(String::from))
    };
    for n in WORKERS {
        assert_eq!(generation_on(&c, n).as_deref(), Some("1"), "{n}");
    }
    assert_eq!(ds_status(&c, "updatedNumberScheduled"), 0);

    let old = live_pods_on(&c, "kind-worker2")[0].clone();
    delete_pod(&mut c, meta::name(&old));
    advance_secs(&mut c, 60);
    assert_eq!(generation_on(&c, "kind-worker2").as_deref(), Some("2"));
    assert_eq!(generation_on(&c, "kind-worker").as_deref(), Some("1"));
    assert_eq!(ds_status(&c, "updatedNumberScheduled"), 1);
}

#[test]
fn a_replacement_is_created_only_after_the_old_pod_is_gone() {
    let mut c = cluster();
    // busybox ignores SIGTERM, so its pods stay Terminating for the whole grace period.
    run_daemonset(
        &mut c,
        json!({"containers": [{"name": "demo", "image": "busybox:1.33"}]}),
    );
    advance_secs(&mut c, 30);
    let old = live_pods_on(&c, "kind-worker")[0].clone();
    delete_pod(&mut c, meta::name(&old));
    advance_secs(&mut c, 10);
    let on_node: Vec<Value> = daemon_pods(&c)
        .into_iter()
        .filter(|p| pod::node_name(p) == "kind-worker")
        .collect();
    assert_eq!(on_node.len(), 1, "still only the terminating pod");
    assert!(meta::is_deleting(&on_node[0]));
    advance_secs(&mut c, 30);
    let replacement = live_pods_on(&c, "kind-worker");
    assert_eq!(replacement.len(), 1);
    assert_ne!(meta::name(&replacement[0]), meta::name(&old));
}
