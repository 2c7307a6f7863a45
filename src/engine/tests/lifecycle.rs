//! The kubelet-like pod lifecycle and determinism (fidelity §7.7, §8): phases and their
//! order, image pulls that fail, graceful deletion, pod IPs, and the seed.

use crate::engine::value::json;

use super::*;

#[test]
fn a_pod_goes_pending_then_container_creating_then_running() {
    let mut c = cluster();
    c.create(Kind::DaemonSet, demo_daemonset(json!({})))
        .expect("the DaemonSet is valid");
    let first = |c: &Cluster| daemon_pods(c)[0].clone();
    assert_eq!(pod::display_status(&first(&c)), "Pending");
    assert_eq!(pod::node_name(&first(&c)), "");
    c.advance(Duration::from_millis(500));
    assert_eq!(pod::display_status(&first(&c)), "ContainerCreating");
    assert_ne!(pod::node_name(&first(&c)), "");
    assert_eq!(pod::ip(&first(&c)), None);
    advance_secs(&mut c, 5);
    assert_eq!(pod::display_status(&first(&c)), "Running");
    assert!(pod::is_ready(&first(&c)));
    assert!(pod::ip(&first(&c)).is_some());
}

#[test]
fn unknown_image_goes_err_image_pull_then_backoff() {
    let mut c = cluster();
    c.create(
        Kind::DaemonSet,
        demo_daemonset(json!({"containers": [{"name": "demo", "image": "demo:9.9.9"}]})),
    )
    .expect("the DaemonSet is valid");
    let statuses =
        |c: &Cluster| -> Vec<String> { daemon_pods(c).iter().map(pod::display_status).collect() };
    advance_secs(&mut c, 4);
    assert!(
        statuses(&c).iter().all(|s| s == "ErrImagePull"),
        "{:?}",
        statuses(&c)
    );
    advance_secs(&mut c, 2);
    assert!(
        statuses(&c).iter().all(|s| s == "ImagePullBackOff"),
        "{:?}",
        statuses(&c)
    );
    advance_secs(&mut c, 600);
    let pods = daemon_pods(&c);
    assert!(
        pods.iter()
            .all(|p| !pod::is_ready(p) && pod::phase(p) == "Pending")
    );
    let reasons: Vec<String> = c
        .list(Kind::Event, Some(NS))
        .map(|e| meta::str_at(e, &["reason"]).to_string())
        .collect();
    assert!(reasons.iter().any(|r| r == "Failed"));
    assert!(reasons.iter().any(|r| r == "BackOff"));
}

#[test]
fn deleted_pods_show_terminating_then_vanish() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    let name = meta::name(&daemon_pods(&c)[0]).to_string();
    delete_pod(&mut c, &name);
    let p = c.get(Kind::Pod, NS, &name).cloned().expect("still listed");
    assert_eq!(pod::display_status(&p), "Terminating");
    assert_eq!(
        meta::i64_at(&p, &["metadata", "deletionGracePeriodSeconds"]),
        Some(30)
    );
    advance_secs(&mut c, 30);
    assert!(c.get(Kind::Pod, NS, &name).is_none());
}

#[test]
fn pod_ips_come_from_the_node_cidr_and_are_not_reused_at_once() {
    let mut c = cluster();
    run_daemonset(&mut c, json!({}));
    let first = live_pods_on(&c, "kind-worker2")[0].clone();
    let ip = pod::ip(&first).unwrap_or_default().to_string();
    let node = c
        .get(Kind::Node, "", "kind-worker2")
        .cloned()
        .expect("a worker");
    let cidr = meta::str_at(&node, &["spec", "podCIDR"]);
    assert!(
        ip.starts_with(cidr.trim_end_matches("0/24")),
        "{ip} in {cidr}"
    );
    delete_pod(&mut c, meta::name(&first));
    advance_secs(&mut c, 30);
    let next = live_pods_on(&c, "kind-worker2")[0].clone();
    let next_ip = pod::ip(&next).unwrap_or_default().to_string();
    assert_ne!(next_ip, ip);
    assert!(next_ip.starts_with(cidr.trim_end_matches("0/24")));
}

/// host-local IPAM (kindnet): addresses go out in sequence from `.2`; a freed one is not
/// handed out again until the range wraps past `.254`, and then one still held is skipped.
#[test]
fn pod_ips_go_in_sequence_and_wrap_around_the_addresses_still_held() {
    let mut c = cluster();
    let run = |c: &mut Cluster, name: &str| -> String {
        let pod = json!({"metadata": {"name": name, "namespace": NS},
            "spec": {"nodeName": "kind-worker", "containers": [{"name": "c", "image": "demo:1.0.0"}]}});
        assert!(c.create(Kind::Pod, pod).is_ok());
        advance_secs(c, 5);
        let p = c.get(Kind::Pod, NS, name).cloned().unwrap_or_default();
        pod::ip(&p).unwrap_or_default().to_string()
    };
    // kind-worker's podCIDR is 10.244.3.0/24; its other pods use the node's address.
    assert_eq!(run(&mut c, "keeper"), "10.244.3.2");
    assert_eq!(run(&mut c, "a"), "10.244.3.3");
    delete_pod(&mut c, "a");
    advance_secs(&mut c, 40);
    assert!(c.get(Kind::Pod, NS, "a").is_none());
    assert_eq!(run(&mut c, "b"), "10.244.3.4");
    // Far along the range: .254, then round again, past .2 (keeper's) to the freed .3.
    c.controllers
        .kubelet
        .next_ip
        .insert("kind-worker".to_string(), 254);
    assert_eq!(run(&mut c, "c"), "10.244.3.254");
    assert_eq!(run(&mut c, "d"), "10.244.3.3");
    assert_eq!(run(&mut c, "e"), "10.244.3.5");
}

#[test]
fn host_network_pods_use_the_node_ip() {
    let c = cluster();
    for p in c
        .list(Kind::Pod, Some("kube-system"))
        .filter(|p| meta::label(p, "k8s-app") == Some("kube-proxy"))
    {
        let node = c
            .get(Kind::Node, "", pod::node_name(p))
            .expect("the pod's node exists");
        let node_ip = meta::at(node, &["status", "addresses"])
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .map(|a| meta::str_at(a, &["address"]).to_string());
        assert_eq!(pod::ip(p).map(String::from), node_ip);
    }
}

/// What a session does, as one closure, so two clusters can be put through it.
fn lesson_steps(c: &mut Cluster) {
    run_daemonset(c, json!({}));
    add_taint(c, "kind-worker3", vip_taint("NoExecute"));
    advance_secs(c, 60);
    update_template(c, json!({"tolerations": [vip_toleration(None)]}));
    advance_secs(c, 60);
}

#[test]
fn same_seed_same_cluster() {
    let mut a = cluster();
    let mut b = cluster();
    lesson_steps(&mut a);
    lesson_steps(&mut b);
    // Everything: objects, clock, timers, random state, events.
    let dump = |c: &Cluster| format!("{c:?}");
    assert_eq!(dump(&a), dump(&b));
    assert!(!daemon_pods(&a).is_empty());
}

#[test]
fn another_seed_gives_other_names() {
    let mut a = cluster();
    let mut b = Cluster::kind(SEED + 1, 3);
    lesson_steps(&mut a);
    lesson_steps(&mut b);
    let names = |c: &Cluster| -> Vec<String> {
        daemon_pods(c)
            .iter()
            .map(|p| meta::name(p).to_string())
            .collect()
    };
    assert_ne!(names(&a), names(&b));
    assert_eq!(nodes_with_pods(&a), nodes_with_pods(&b));
}
