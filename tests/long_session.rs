//! A simulated 8-hour classroom session (issue 7): 10,000 command lines through one `Shell`
//! and one `Cluster`, a realistic mix of gets, describes, applies, taints, labels, cordons,
//! creates and deletes with `sleep`s between them, so that eight hours of simulated time
//! pass. Memory must stay flat: Events expire after an hour, the shell's history and the
//! engine's change log are bounded, and the saved cluster does not grow.

use std::time::Duration;

use kubetutor::engine::Cluster;
use kubetutor::engine::objects::{Kind, meta};
use kubetutor::shell::{MAX_HISTORY, Shell};

/// Command lines in the whole session (the namespace's creation included).
const COMMANDS: usize = 10_000;
/// The API server's `--event-ttl`.
const EVENT_TTL: Duration = Duration::from_secs(3600);
const HOUR_MS: i64 = 3_600_000;

/// The DaemonSet of the lesson, in two versions, so that a changed apply rolls it out again.
fn daemonset_apply(version: usize) -> String {
    let (image, seconds) = if version.is_multiple_of(2) {
        ("demo:1.0.0", 30)
    } else {
        ("nginx:1.21", 60)
    };
    format!(
        "cat <<EOF | tee ~/environment/013-demo-daemonset.yaml | kubectl -n dev-system apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: demo-daemon
  labels:
    app: demo-daemon
spec:
  selector:
    matchLabels:
      app: demo-daemon
  template:
    metadata:
      labels:
        app: demo-daemon
    spec:
      tolerations:
      - key: VIPOnly
        operator: Equal
        value: \"true\"
        effect: NoExecute
        tolerationSeconds: {seconds}
      containers:
      - name: demo
        image: {image}
EOF
"
    )
}

/// One round of the classroom's work: 20 command lines, 58 s of sleeps (so 500 rounds
/// make 8 hours and a few minutes). The DaemonSet changes every fifth round (a rollout),
/// and everyone's events are listed every fourth.
fn round(i: usize) -> Vec<String> {
    let web = format!("web-{}", i % 5);
    let tier = if i.is_multiple_of(2) { "a" } else { "b" };
    let events = if i.is_multiple_of(4) {
        "kubectl get events -A"
    } else {
        "kubectl -n kube-system get pods"
    };
    vec![
        "kubectl get nodes -o wide".into(),
        "kubectl get pods -A -o wide".into(),
        daemonset_apply(i / 5),
        "sleep 3".into(),
        "kubectl -n dev-system get daemonsets -o wide".into(),
        "kubectl -n dev-system describe daemonset demo-daemon".into(),
        "kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute".into(),
        "sleep 3".into(),
        "kubectl -n dev-system get pods -o wide".into(),
        "kubectl taint nodes kind-worker3 VIPOnly-".into(),
        format!("kubectl -n dev-system create deployment {web} --image=nginx:1.21"),
        "sleep 3".into(),
        events.into(),
        format!("kubectl -n dev-system delete deployment {web}"),
        "kubectl describe node kind-worker".into(),
        format!("kubectl label node kind-worker2 tier={tier} --overwrite"),
        "kubectl cordon kind-worker2".into(),
        "history | tail -n 3".into(),
        "kubectl uncordon kind-worker2".into(),
        "sleep 49".into(),
    ]
}

/// What the test measures at each full hour of the session.
#[derive(Debug)]
struct Sample {
    hour: i64,
    events: usize,
    history: usize,
    changes: usize,
    cluster_json_bytes: usize,
    shell_json_bytes: usize,
}

fn sample(hour: i64, shell: &Shell, cluster: &Cluster) -> Sample {
    Sample {
        hour,
        events: cluster.count(Kind::Event),
        history: shell.history().len(),
        changes: cluster.changes().len(),
        cluster_json_bytes: serde_json::to_string(cluster).map_or(0, |s| s.len()),
        shell_json_bytes: serde_json::to_string(shell).map_or(0, |s| s.len()),
    }
}

fn assert_no_expired_events(cluster: &Cluster) {
    let cutoff = cluster.now() - EVENT_TTL;
    for ev in cluster.list(Kind::Event, None) {
        let last = meta::timestamp(ev, &["lastTimestamp"]).expect("events carry lastTimestamp");
        assert!(
            last > cutoff,
            "event {} last seen {last}, over an hour before {}",
            meta::name(ev),
            cluster.now()
        );
    }
}

#[test]
fn an_eight_hour_classroom_session_keeps_memory_flat() {
    let mut cluster = Cluster::kind(1, 3);
    let mut shell = Shell::new();
    let start = cluster.now();
    let mut lines = vec!["kubectl create namespace dev-system".to_string()];
    lines.extend((0..).flat_map(round).take(COMMANDS - 1));
    assert_eq!(lines.len(), COMMANDS);

    let mut samples: Vec<Sample> = Vec::new();
    let mut peak_events = 0;
    for line in &lines {
        let out = shell.run(line, &mut cluster);
        assert_eq!(
            out.status,
            0,
            "`{line}` failed at {}: {}",
            cluster.now(),
            out.stderr
        );
        peak_events = peak_events.max(cluster.count(Kind::Event));
        assert!(shell.history().len() <= MAX_HISTORY);
        let hour = (cluster.now().0 - start.0) / HOUR_MS;
        if hour > samples.last().map_or(0, |s| s.hour) {
            assert_no_expired_events(&cluster);
            samples.push(sample(hour, &shell, &cluster));
        }
    }
    for s in &samples {
        println!("{s:?}");
    }
    println!("peak events: {peak_events}");

    let hours: Vec<i64> = samples.iter().map(|s| s.hour).collect();
    assert_eq!(hours, (1..=8).collect::<Vec<i64>>(), "8 hours passed");
    let (first, last) = (&samples[0], &samples[samples.len() - 1]);
    for s in &samples {
        assert!(
            s.events <= first.events * 2,
            "events bounded: {} at hour {} vs {} at hour 1",
            s.events,
            s.hour,
            first.events
        );
        assert!(
            s.cluster_json_bytes * 2 <= first.cluster_json_bytes * 3,
            "cluster JSON flat: {} bytes at hour {} vs {} at hour 1",
            s.cluster_json_bytes,
            s.hour,
            first.cluster_json_bytes
        );
        assert!(s.shell_json_bytes * 2 <= first.shell_json_bytes * 3);
    }
    assert_eq!(last.history, MAX_HISTORY, "history is full, and capped");
    assert!(
        last.changes <= samples[1].changes,
        "the change log stopped growing"
    );
    let oldest_kept = cluster.changes().front().map_or(0, |r| r.seq);
    assert!(oldest_kept > 1, "old change records were dropped");
}
