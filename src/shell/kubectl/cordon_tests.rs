//! `kubectl cordon`, `uncordon` and `drain` against the workshop cluster.

use super::*;
use crate::shell::kubectl::testkit::Kit;

/// `ns/name` of the pods on a node, in list order, whose name starts with one of `prefixes`.
fn pods_on(k: &Kit, node: &str, prefixes: &[&str]) -> Vec<String> {
    k.cluster
        .list(Kind::Pod, None)
        .filter(|p| pod::node_name(p) == node)
        .filter(|p| prefixes.iter().any(|x| meta::name(p).starts_with(x)))
        .map(|p| format!("{}/{}", meta::namespace(p), meta::name(p)))
        .collect()
}

#[test]
fn cordons_and_uncordons_once() {
    let mut k = Kit::new();
    assert_eq!(k.ok("cordon kind-worker"), "node/kind-worker cordoned\n");
    assert_eq!(
        k.ok("cordon node/kind-worker"),
        "node/kind-worker already cordoned\n"
    );
    let table = k.ok("get node kind-worker");
    assert!(table.contains("Ready,SchedulingDisabled"), "{table}");
    assert_eq!(
        k.ok("uncordon kind-worker"),
        "node/kind-worker uncordoned\n"
    );
    assert_eq!(
        k.ok("uncordon kind-worker"),
        "node/kind-worker already uncordoned\n"
    );
    let node = k.cluster.get(Kind::Node, "", "kind-worker").unwrap();
    assert_eq!(meta::at(node, &["spec", "unschedulable"]), None);
    assert_eq!(
        k.ok("cordon kind-worker2 --dry-run=client"),
        "node/kind-worker2 cordoned (dry run)\n"
    );
    assert_eq!(
        k.ok("cordon -l kubernetes.io/hostname=kind-worker3"),
        "node/kind-worker3 cordoned\n"
    );
}

#[test]
fn cordon_errors_use_kubectl_words() {
    let mut k = Kit::new();
    assert_eq!(
        k.err("cordon"),
        "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n"
    );
    assert_eq!(
        k.err("drain"),
        "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n"
    );
    assert_eq!(
        k.err("uncordon kind-worker9"),
        "Error from server (NotFound): nodes \"kind-worker9\" not found\n"
    );
    assert_eq!(
        k.err("cordon kind-worker --force"),
        "Error: unknown flag: --force\nSee 'kubectl cordon --help' for usage.\n"
    );
}

#[test]
fn drain_refuses_daemonset_pods_but_leaves_the_node_cordoned() {
    let mut k = Kit::new();
    let daemons = pods_on(&k, "kind-worker", &["kindnet-", "kube-proxy-"]);
    assert_eq!(daemons.len(), 2);
    let out = k.run("drain kind-worker");
    assert_eq!(out.status, 1);
    assert_eq!(out.stdout, "node/kind-worker cordoned\n");
    assert_eq!(
        out.stderr,
        format!(
            "error: unable to drain node \"kind-worker\", aborting command...\n\nThere are pending nodes to be drained:\n kind-worker\nerror: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}\n",
            daemons.join(", ")
        )
    );
}

#[test]
fn drain_evicts_replica_pods_keeps_daemon_pods_and_lets_time_pass() {
    let mut k = Kit::new().with_demo_daemonset();
    k.ok("create deployment web --image=nginx --replicas=6");
    k.wait(60);
    let web = pods_on(&k, "kind-worker", &["web-"]);
    assert!(!web.is_empty(), "no web pod on kind-worker");
    let daemons = pods_on(
        &k,
        "kind-worker",
        &["demo-daemon-", "kindnet-", "kube-proxy-"],
    );
    let start = k.cluster.now();
    let out = k.run("drain kind-worker --ignore-daemonsets");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let mut daemon_list: Vec<&String> = daemons.iter().collect();
    daemon_list.sort();
    assert_eq!(
        out.stderr,
        format!(
            "WARNING: ignoring DaemonSet-managed Pods: {}\n",
            daemons.join(", ")
        )
    );
    let mut expected = String::from("node/kind-worker cordoned\n");
    for p in &web {
        expected.push_str(&format!("evicting pod {p}\n"));
    }
    assert!(out.stdout.starts_with(&expected), "{}", out.stdout);
    for p in &web {
        let name = p.split('/').nth(1).unwrap();
        assert!(out.stdout.contains(&format!("pod/{name} evicted\n")));
    }
    assert!(out.stdout.ends_with("node/kind-worker drained\n"));
    assert!(k.cluster.now() > start, "drain waited no simulated time");
    assert!(pods_on(&k, "kind-worker", &["web-"]).is_empty());
    assert_eq!(
        pods_on(
            &k,
            "kind-worker",
            &["demo-daemon-", "kindnet-", "kube-proxy-"]
        ),
        daemons
    );
    k.wait(30);
    let web_pods = k
        .pods("default")
        .iter()
        .filter(|n| n.starts_with("web-"))
        .count();
    assert_eq!(web_pods, 6);
}

#[test]
fn drain_needs_force_for_a_bare_pod() {
    let mut k = Kit::new();
    k.file(
        "bare.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  nodeName: kind-worker2\n  containers:\n  - name: c\n    image: nginx\n",
    );
    k.ok("apply -f bare.yaml");
    k.wait(10);
    let stderr = k.err("drain kind-worker2 --ignore-daemonsets");
    assert!(stderr.ends_with("error: cannot delete Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override): default/bare\n"), "{stderr}");
    let out = k.run("drain kind-worker2 --ignore-daemonsets --force");
    assert_eq!(out.status, 0);
    assert!(out.stderr.contains("WARNING: deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet: default/bare; ignoring DaemonSet-managed Pods: "), "{}", out.stderr);
    assert!(out.stdout.contains("pod/bare evicted\n"));
}
