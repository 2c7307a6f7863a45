//! `kubectl label` / `annotate` against the workshop cluster.

use super::*;
use crate::shell::kubectl::testkit::Kit;

#[test]
fn labels_a_node_and_reports_no_change_the_second_time() {
    let mut k = Kit::new();
    assert_eq!(
        k.ok("label node kind-worker disk=ssd"),
        "node/kind-worker labeled\n"
    );
    let node = k.cluster.get(Kind::Node, "", "kind-worker").unwrap();
    assert_eq!(meta::label(node, "disk"), Some("ssd"));
    assert_eq!(
        k.err("label node kind-worker disk=hdd"),
        "error: 'disk' already has a value (ssd), and --overwrite is false\n"
    );
    assert_eq!(
        k.ok("label node kind-worker disk=hdd --overwrite"),
        "node/kind-worker labeled\n"
    );
    assert_eq!(
        k.ok("label --overwrite nodes/kind-worker disk=hdd"),
        "node/kind-worker not labeled\n"
    );
    assert_eq!(
        k.ok("label no kind-worker disk-"),
        "node/kind-worker labeled\n"
    );
    assert_eq!(
        k.ok("label no kind-worker disk-"),
        "label \"disk\" not found.\nnode/kind-worker not labeled\n"
    );
}

#[test]
fn label_errors_use_kubectl_words() {
    let mut k = Kit::new();
    assert_eq!(
        k.err("label node kind-worker"),
        "error: at least one label update is required\n"
    );
    assert_eq!(
        k.err("label a=b"),
        "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"
    );
    assert_eq!(
        k.err("label node a=b kind-worker"),
        "error: all resources must be specified before label changes: kind-worker\n"
    );
    assert_eq!(
        k.err("label node kind-worker a=b=c"),
        "error: invalid label spec: a=b=c\n"
    );
    assert!(
        k.err("label node kind-worker a=b!")
            .starts_with("error: invalid label value: \"a=b!\": a valid label must be")
    );
    assert_eq!(
        k.err("label node kind-worker a=b a-"),
        "error: can not both modify and remove a label in the same command\n"
    );
    assert_eq!(
        k.err("label node kind-worker9 a=b"),
        "Error from server (NotFound): nodes \"kind-worker9\" not found\n"
    );
    assert_eq!(
        k.err("label node kind-worker a=b --foo"),
        "Error: unknown flag: --foo\nSee 'kubectl label --help' for usage.\n"
    );
    assert!(
        k.err("label node kind-worker Bad!=x")
            .starts_with("The Node \"kind-worker\" is invalid: metadata.labels: Invalid value: \"Bad!\": name part must consist")
    );
    assert_eq!(
        k.err("label pods a=b"),
        "error: resource(s) were provided, but no name was specified\n"
    );
}

#[test]
fn labels_by_selector_with_dry_run_and_name_output() {
    let mut k = Kit::new();
    let out = k.ok("label -n kube-system pods -l k8s-app=kube-dns tier=dns --dry-run=client");
    assert_eq!(out.lines().count(), 2);
    assert!(
        out.lines()
            .all(|l| l.starts_with("pod/coredns-") && l.ends_with(" labeled (dry run)"))
    );
    let coredns = k.pods("kube-system");
    let first = coredns.iter().find(|n| n.starts_with("coredns-")).unwrap();
    let pod = k.cluster.get(Kind::Pod, "kube-system", first).unwrap();
    assert_eq!(meta::label(pod, "tier"), None);
    let out = k.ok("label nodes --all zone=a -o name");
    assert_eq!(
        out,
        "node/kind-control-plane\nnode/kind-worker\nnode/kind-worker2\nnode/kind-worker3\n"
    );
}

#[test]
fn relabelled_daemon_pod_is_replaced_by_the_daemonset() {
    let mut k = Kit::new().with_demo_daemonset();
    let before = k.pods("dev-system");
    assert_eq!(before.len(), 3);
    let pod = before[0].clone();
    assert_eq!(
        k.ok(&format!(
            "label -n dev-system pod {pod} app=debug --overwrite"
        )),
        format!("pod/{pod} labeled\n")
    );
    k.wait(30);
    let after = k.pods("dev-system");
    assert_eq!(after.len(), 4, "{after:?}");
    let orphan = k.cluster.get(Kind::Pod, "dev-system", &pod).unwrap();
    assert_eq!(meta::controller_ref(orphan), None);
}

#[test]
fn a_daemon_pod_relabelled_by_apply_or_patch_is_released_too() {
    let mut k = Kit::new().with_demo_daemonset();
    let before = k.pods("dev-system");
    let (first, second) = (before[0].clone(), before[1].clone());
    k.file(
        "pod.yaml",
        &format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {first}\n  namespace: dev-system\n  labels:\n    app: debug\n"
        ),
    );
    let applied = k.run("apply -f pod.yaml");
    assert_eq!(applied.status, 0, "{applied:?}");
    k.ok(&format!(
        "patch -n dev-system pod {second} -p '{{\"metadata\":{{\"labels\":{{\"app\":\"other\"}}}}}}'"
    ));
    k.wait(30);
    assert_eq!(k.pods("dev-system").len(), 5);
    for pod in [first, second] {
        let orphan = k.cluster.get(Kind::Pod, "dev-system", &pod).unwrap();
        assert_eq!(meta::controller_ref(orphan), None, "{pod}");
    }
}

#[test]
fn list_shows_labels() {
    let mut k = Kit::new();
    let out = k.ok("label node kind-worker --list");
    assert!(out.contains("kubernetes.io/hostname=kind-worker\n"));
}

#[test]
fn annotates_and_refuses_overwrites_in_its_own_words() {
    let mut k = Kit::new();
    assert_eq!(
        k.ok("annotate node kind-worker note=hello"),
        "node/kind-worker annotated\n"
    );
    assert_eq!(
        k.err("annotate node kind-worker note=bye"),
        "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello)\n"
    );
    assert_eq!(
        k.ok("annotate node kind-worker note-"),
        "node/kind-worker annotated\n"
    );
    let node = k.cluster.get(Kind::Node, "", "kind-worker").unwrap();
    assert_eq!(meta::annotation(node, "note"), None);
    assert_eq!(
        k.err("annotate node kind-worker note"),
        "error: at least one annotation update is required\n"
    );
    assert_eq!(
        k.err("annotate node kind-worker a=1 a-"),
        "error: can not both modify and remove the following annotation(s) in the same command: a\n"
    );
}
