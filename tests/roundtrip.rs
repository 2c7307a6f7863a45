//! Round trips of structured output (issue 3, fidelity §5.3): for every object the DaemonSet
//! lesson creates or touches, what `kubectl get -o yaml` prints, read back, equals what
//! `kubectl get -o json` prints, read back. Checked after the first apply and again after
//! the taint and the toleration update, when pods have been replaced.

use kubetutor::engine::Cluster;
use kubetutor::shell::Shell;
use serde_json::Value;

const SEED: u64 = 7;
const WORKERS: usize = 3;

const NAMESPACE: &str = "cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Namespace
metadata:
  name: dev-system
EOF";

/// The lesson's DaemonSet (`013-demo-daemonset.yaml`), shared with the benchmarks.
const DAEMONSET_YAML: &str = include_str!("fixtures/lesson/demo-daemonset.yaml");

/// The same with the VIPOnly toleration (`014-demo-daemonset.yaml`).
const TOLERATING_DAEMONSET_YAML: &str =
    include_str!("fixtures/lesson/demo-daemonset-tolerating.yaml");

/// Runs a command that must succeed; returns its stdout.
fn ok(shell: &mut Shell, cluster: &mut Cluster, line: &str) -> String {
    let out = shell.run(line, cluster);
    assert_eq!(out.status, 0, "{line}: {}", out.stderr);
    out.stdout
}

/// `kind/name` of every object the lesson creates or touches, as `-o name` lists them.
fn lesson_objects(shell: &mut Shell, cluster: &mut Cluster) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (ns, query) in [
        ("", "get nodes -o name"),
        ("", "get namespace dev-system -o name"),
        (
            "kube-system",
            "get daemonsets,deployments,replicasets -o name",
        ),
        ("kube-system", "get pods -o name"),
        ("dev-system", "get daemonsets,pods -o name"),
    ] {
        let flag = if ns.is_empty() {
            String::new()
        } else {
            format!("-n {ns} ")
        };
        for name in ok(shell, cluster, &format!("kubectl {flag}{query}")).lines() {
            out.push((flag.clone(), name.to_string()));
        }
    }
    out
}

/// Reads `-o yaml` and `-o json` of each object back and compares them.
fn assert_round_trips(shell: &mut Shell, cluster: &mut Cluster) -> usize {
    let objects = lesson_objects(shell, cluster);
    for (flag, name) in &objects {
        let yaml = ok(shell, cluster, &format!("kubectl {flag}get {name} -o yaml"));
        let json = ok(shell, cluster, &format!("kubectl {flag}get {name} -o json"));
        let from_yaml: Value = serde_yaml::from_str(&yaml)
            .unwrap_or_else(|e| panic!("{name}: -o yaml does not parse: {e}\n{yaml}"));
        let from_json: Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{name}: -o json does not parse: {e}\n{json}"));
        assert_eq!(from_yaml, from_json, "{name}: -o yaml and -o json differ");
        assert_eq!(
            from_json["metadata"]["name"].as_str(),
            name.split('/').nth(1),
            "{name}: printed another object"
        );
    }
    objects.len()
}

fn count(objects: &[(String, String)], prefix: &str) -> usize {
    objects
        .iter()
        .filter(|(_, n)| n.starts_with(prefix))
        .count()
}

#[test]
fn every_lesson_object_prints_the_same_in_yaml_and_json() {
    let mut cluster = Cluster::kind(SEED, WORKERS);
    let mut shell = Shell::new();
    ok(&mut shell, &mut cluster, NAMESPACE);
    ok(
        &mut shell,
        &mut cluster,
        &format!("cat <<EOF | kubectl -n dev-system apply -f -\n{DAEMONSET_YAML}EOF"),
    );
    ok(&mut shell, &mut cluster, "sleep 60");

    let objects = lesson_objects(&mut shell, &mut cluster);
    assert_eq!(count(&objects, "node/"), 4);
    assert_eq!(count(&objects, "namespace/dev-system"), 1);
    for ds in [
        "daemonset.apps/kindnet",
        "daemonset.apps/kube-proxy",
        "daemonset.apps/demo-daemon",
    ] {
        assert_eq!(count(&objects, ds), 1, "{ds}");
    }
    assert_eq!(count(&objects, "deployment.apps/coredns"), 1);
    assert_eq!(count(&objects, "replicaset.apps/coredns-"), 1);
    assert_eq!(count(&objects, "pod/coredns-"), 2);
    assert_eq!(count(&objects, "pod/demo-daemon-"), 3);
    assert_eq!(assert_round_trips(&mut shell, &mut cluster), objects.len());

    ok(
        &mut shell,
        &mut cluster,
        "kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute",
    );
    ok(&mut shell, &mut cluster, "sleep 60");
    ok(
        &mut shell,
        &mut cluster,
        &format!("cat <<EOF | kubectl -n dev-system apply -f -\n{TOLERATING_DAEMONSET_YAML}EOF"),
    );
    ok(
        &mut shell,
        &mut cluster,
        "kubectl -n dev-system rollout status ds/demo-daemon",
    );
    let after = lesson_objects(&mut shell, &mut cluster);
    assert_eq!(count(&after, "pod/demo-daemon-"), 3);
    assert_ne!(after, objects, "the update replaced the daemon pods");
    assert_round_trips(&mut shell, &mut cluster);
}

#[test]
fn lists_round_trip_too() {
    let mut cluster = Cluster::kind(SEED, WORKERS);
    let mut shell = Shell::new();
    for query in [
        "get nodes",
        "-n kube-system get pods",
        "-n kube-system get ds,deploy,rs",
        "-n dev-system get pods",
    ] {
        let yaml = ok(
            &mut shell,
            &mut cluster,
            &format!("kubectl {query} -o yaml"),
        );
        let json = ok(
            &mut shell,
            &mut cluster,
            &format!("kubectl {query} -o json"),
        );
        let from_yaml: Value = serde_yaml::from_str(&yaml).expect("-o yaml parses");
        let from_json: Value = serde_json::from_str(&json).expect("-o json parses");
        assert_eq!(from_json["kind"], "List", "{query}");
        assert_eq!(from_yaml, from_json, "{query}");
    }
}
