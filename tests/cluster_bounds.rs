//! Inputs that once made the simulated cluster do unbounded work (issue 16, item 4), run
//! through the shell on the workshop's four-node cluster: each ends at the real system's
//! own bounds (the kubelet's pod limit, the ReplicaSet controller's burst and back-off,
//! the image-pull back-off cap, etcd's quota), and time passes at the cost of what changes.
//! Sizes are those that made the unbounded engine take tens of seconds; bounded, each
//! test takes well under a second in a release build and a few seconds in a debug one.

use kubetutor::engine::objects::{meta, pod};
use kubetutor::engine::{Cluster, Kind, QUOTA_BASE, QUOTA_PER_NODE};
use kubetutor::shell::{Output, Shell};

/// What the scheduler says of a pod when every worker runs its 110 pods.
const FULL: &str = "0/4 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 3 Too many pods.";

struct Term {
    shell: Shell,
    cluster: Cluster,
}

impl Term {
    fn new() -> Term {
        Term {
            shell: Shell::new(),
            cluster: Cluster::kind(1, 3),
        }
    }

    fn run(&mut self, line: &str) -> Output {
        self.shell.run(line, &mut self.cluster)
    }

    fn ok(&mut self, line: &str) -> String {
        let out = self.run(line);
        assert_eq!(out.status, 0, "`{line}`: {}", out.stderr);
        out.stdout
    }

    fn pods<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = &'a kubetutor::api::value::Value> + 'a {
        self.cluster
            .list(Kind::Pod, Some("default"))
            .filter(move |p| meta::name(p).starts_with(prefix))
    }

    /// `count` of the event about `object` with this reason and message.
    fn event_count(&self, object: &str, reason: &str, message_start: &str) -> Option<i64> {
        self.cluster
            .list(Kind::Event, Some("default"))
            .find(|e| {
                meta::str_at(e, &["involvedObject", "name"]) == object
                    && meta::str_at(e, &["reason"]) == reason
                    && meta::str_at(e, &["message"]).starts_with(message_start)
            })
            .and_then(|e| meta::i64_at(e, &["count"]))
    }
}

#[test]
fn a_scale_to_a_hundred_million_replicas_ends_at_node_capacity_and_the_etcd_quota() {
    let mut t = Term::new();
    t.ok("kubectl create deployment big --image=nginx");
    t.ok("kubectl scale deployment big --replicas 100000000");
    t.ok("sleep 10m");
    // One FailedScheduling per pending pod: the scheduler does not retry without a change.
    let pending = t
        .pods("big-")
        .find(|p| pod::node_name(p).is_empty())
        .map(|p| meta::name(p).to_string())
        .unwrap();
    assert_eq!(t.event_count(&pending, "FailedScheduling", FULL), Some(1));
    t.ok("sleep 1d");
    let quota = QUOTA_BASE + QUOTA_PER_NODE * 4;
    let pods: Vec<_> = t.pods("big-").collect();
    assert!(pods.len() < quota, "{} pods", pods.len());
    assert!(pods.len() > quota - 100, "{} pods", pods.len());
    // Each worker runs 110 pods: its kindnet and kube-proxy pods and 108 of these.
    let running = pods.iter().filter(|p| pod::phase(p) == "Running").count();
    assert_eq!(running, 3 * 108);
    for p in pods.iter().filter(|p| pod::node_name(p).is_empty()) {
        let message = meta::at(p, &["status", "conditions"])
            .and_then(|c| c.get(0))
            .map(|c| meta::str_at(c, &["message"]));
        assert_eq!(message, Some(FULL));
    }
    for node in ["kind-worker", "kind-worker2", "kind-worker3"] {
        let on_node = t
            .cluster
            .list(Kind::Pod, None)
            .filter(|p| pod::node_name(p) == node)
            .count();
        assert_eq!(on_node, 110, "{node}");
    }
    // The quota stops creates with etcd's words, retried after the work queue's back-off
    // (5 ms doubling to 1000 s: about a hundred tries in a day, not one per pass).
    let rs = t
        .cluster
        .list(Kind::ReplicaSet, Some("default"))
        .map(|r| meta::name(r).to_string())
        .next()
        .unwrap();
    let failed = t
        .event_count(
            &rs,
            "FailedCreate",
            "Error creating: etcdserver: mvcc: database space exceeded",
        )
        .unwrap();
    assert!((1..=120).contains(&failed), "{failed} FailedCreate");
    let out = t.run("kubectl run one-more --image=nginx");
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "Error from server: etcdserver: mvcc: database space exceeded\n"
    );
}

#[test]
fn a_replicaset_creates_at_most_five_hundred_pods_per_sync_in_slow_start_batches() {
    let mut t = Term::new();
    t.ok("kubectl create deployment web --image=nginx --replicas=1200");
    // The first passes at the same instant each add at most 500 (1+2+4+...+256 = 511,
    // cut to 500); later passes continue until the replicas are there.
    let pods = t.pods("web-").count();
    assert_eq!(pods, 1200);
    let pending = t
        .pods("web-")
        .filter(|p| pod::node_name(p).is_empty())
        .count();
    t.ok("sleep 1m");
    let bound = t
        .pods("web-")
        .filter(|p| !pod::node_name(p).is_empty())
        .count();
    assert_eq!(bound, 324);
    assert!(pending >= 1200 - 324);
}

#[test]
fn pending_pods_are_scheduled_once_capacity_is_freed() {
    let mut t = Term::new();
    t.ok("kubectl create deployment fill --image=nginx --replicas=324");
    t.ok("sleep 30s");
    t.ok("kubectl create deployment late --image=nginx --replicas=5");
    t.ok("sleep 30s");
    assert_eq!(
        t.pods("late-")
            .filter(|p| pod::node_name(p).is_empty())
            .count(),
        5
    );
    t.ok("kubectl scale deployment fill --replicas=300");
    t.ok("sleep 1m");
    let late: Vec<_> = t.pods("late-").collect();
    assert!(
        late.iter().all(|p| pod::phase(p) == "Running"),
        "{:?}",
        late.iter().map(|p| pod::phase(p)).collect::<Vec<_>>()
    );
}

#[test]
fn image_pull_back_off_over_a_day_counts_every_retry_without_stepping_through_them() {
    let mut t = Term::new();
    t.ok("kubectl create deployment bad --image=nosuch/image:1 --replicas=300");
    t.ok("sleep 1d");
    let pods: Vec<String> = t.pods("bad-").map(|p| meta::name(p).to_string()).collect();
    assert_eq!(pods.len(), 300);
    // Pulls at 3.7 s, then back-offs of 10, 20, 40, 80, 160 s, then every 303.5 s.
    for name in &pods {
        let pulls = t
            .event_count(name, "Pulling", "Pulling image \"nosuch/image:1\"")
            .unwrap();
        assert!((280..=290).contains(&pulls), "{name}: {pulls} pulls");
        let p = t.cluster.get(Kind::Pod, "default", name).unwrap();
        let reason = meta::at(p, &["status", "containerStatuses"])
            .and_then(|c| c.get(0))
            .map(|c| meta::str_at(c, &["state", "waiting", "reason"]).to_string());
        assert!(
            matches!(reason.as_deref(), Some("ImagePullBackOff" | "ErrImagePull")),
            "{reason:?}"
        );
    }
}

/// `kubectl get KIND -o yaml` without resourceVersions (which count writes, and a jump
/// over a retry loop makes the same writes in another order).
fn state(t: &mut Term) -> String {
    let mut out = String::new();
    for kind in ["pods", "events", "nodes", "replicasets", "deployments"] {
        let yaml = t.ok(&format!("kubectl get {kind} -A -o yaml"));
        for line in yaml.lines() {
            if !line.trim_start().starts_with("resourceVersion:") {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn jumping_over_retry_loops_leaves_what_stepping_through_them_leaves() {
    let script = [
        "kubectl create deployment bad --image=nosuch/image:1 --replicas=3",
        "kubectl create deployment good --image=nginx --replicas=2",
    ];
    let mut jumped = Term::new();
    let mut stepped = Term::new();
    for line in script {
        jumped.ok(line);
        stepped.ok(line);
    }
    jumped.ok("sleep 3h");
    // Steps shorter than one retry period (303.5 s): nothing can be jumped over.
    for _ in 0..(3 * 3600 / 100) {
        stepped.ok("sleep 100");
    }
    assert_eq!(jumped.cluster.now(), stepped.cluster.now());
    assert_eq!(state(&mut jumped), state(&mut stepped));
}

#[test]
fn thousands_of_namespaces_are_created_and_deleted_at_the_cost_of_each() {
    let mut t = Term::new();
    let before = t.cluster.count(Kind::Namespace);
    for i in 0..5000 {
        t.ok(&format!("kubectl create namespace ns{i}"));
    }
    for chunk in 0..50 {
        let names: Vec<String> = (chunk * 100..(chunk + 1) * 100)
            .map(|i| format!("ns{i}"))
            .collect();
        t.ok(&format!("kubectl delete namespace {}", names.join(" ")));
    }
    assert_eq!(t.cluster.count(Kind::Namespace), before);
}

#[test]
fn a_negative_replica_count_is_refused() {
    let mut t = Term::new();
    t.ok("kubectl create deployment web --image=nginx");
    let out = t.run("kubectl scale deployment web --replicas -1");
    assert_eq!(
        out.stderr,
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    );
}

#[test]
fn hundreds_of_daemonsets_fill_the_nodes_and_the_rest_wait_pending() {
    let mut t = Term::new();
    for i in 0..200 {
        let ds = kubetutor::api::value::json!({
            "apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": format!("ds{i}"), "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": format!("ds{i}")}},
                     "template": {"metadata": {"labels": {"app": format!("ds{i}")}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
        });
        t.cluster.create(Kind::DaemonSet, ds).unwrap();
    }
    // One revision each: a DaemonSet's new revision does not send every other one back
    // to work.
    assert_eq!(
        t.cluster
            .list(Kind::ControllerRevision, Some("default"))
            .count(),
        200
    );
    t.ok("sleep 1m");
    let pods: Vec<_> = t.pods("ds").collect();
    assert_eq!(pods.len(), 600);
    let running = pods.iter().filter(|p| pod::phase(p) == "Running").count();
    assert_eq!(running, 3 * 108);
    let pending = pods.iter().find(|p| pod::node_name(p).is_empty()).unwrap();
    let message = meta::at(pending, &["status", "conditions"])
        .and_then(|c| c.get(0))
        .map(|c| meta::str_at(c, &["message"]));
    assert_eq!(
        message,
        Some(
            "0/4 nodes are available: 1 Too many pods, 3 node(s) didn't match Pod's node affinity."
        )
    );
}

/// The FailedCreate event of the only ReplicaSet: (count, lastTimestamp).
fn failed_create(t: &Term) -> (Option<i64>, String) {
    let e = t
        .cluster
        .list(Kind::Event, Some("default"))
        .find(|e| meta::str_at(e, &["reason"]) == "FailedCreate")
        .unwrap();
    (
        meta::i64_at(e, &["count"]),
        meta::str_at(e, &["lastTimestamp"]).to_string(),
    )
}

#[test]
fn jumping_over_replicaset_retries_at_the_quota_leaves_what_stepping_leaves() {
    let mut jumped = Term::new();
    let mut stepped = Term::new();
    for t in [&mut jumped, &mut stepped] {
        t.ok("kubectl create deployment big --image=nginx --replicas=100000000");
    }
    jumped.ok("sleep 10h");
    // Steps shorter than the retry cap (1000 s): nothing can be jumped over.
    for _ in 0..(10 * 3600 / 500) {
        stepped.ok("sleep 500");
    }
    assert_eq!(failed_create(&jumped), failed_create(&stepped));
    let (count, _) = failed_create(&jumped);
    // 5 ms doubling to 1000 s: 19 quick retries, then one every 1000 s.
    assert!((40..=60).contains(&count.unwrap()), "{count:?}");
}

#[test]
fn hundreds_of_deployments_scaled_to_millions_share_the_quota_and_back_off() {
    let mut t = Term::new();
    for i in 0..200 {
        t.ok(&format!(
            "kubectl create deployment d{i} --image=nginx --replicas=100000000"
        ));
    }
    t.ok("sleep 1d");
    let quota = QUOTA_BASE + QUOTA_PER_NODE * 4;
    assert_eq!(t.cluster.count(Kind::Pod), quota);
    // Every ReplicaSet that could not create counts its failures, about a hundred a day each.
    let counts: Vec<i64> = t
        .cluster
        .list(Kind::Event, Some("default"))
        .filter(|e| meta::str_at(e, &["reason"]) == "FailedCreate")
        .filter_map(|e| meta::i64_at(e, &["count"]))
        .collect();
    assert!(counts.len() >= 190, "{}", counts.len());
    assert!(counts.iter().all(|n| (1..=120).contains(n)), "{counts:?}");
}
