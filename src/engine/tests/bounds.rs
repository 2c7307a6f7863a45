//! The real system's bounds on controller work, seen one sync at a time: the ReplicaSet
//! controller's burst and slow start, the scheduler's back-off. (Whole commands through
//! the shell are in `tests/cluster_bounds.rs`.)

use crate::engine::value::json;

use super::{Cluster, Kind, NS, cluster, meta};
use crate::engine::controllers::replicaset::{self, BURST_REPLICAS};

fn replicaset(c: &mut Cluster, replicas: i64) -> String {
    let rs = json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": NS},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
    });
    // Stored without a settle: the test runs the controller's syncs itself.
    let key = c.create_inner(Kind::ReplicaSet, rs).unwrap();
    key.name.to_string()
}

fn web_pods(c: &Cluster) -> usize {
    c.list(Kind::Pod, Some(NS))
        .filter(|p| meta::name(p).starts_with("web-"))
        .count()
}

#[test]
fn one_sync_creates_at_most_the_burst() {
    let mut c = cluster();
    replicaset(&mut c, 1_200);
    replicaset::sync(&mut c);
    assert_eq!(web_pods(&c), BURST_REPLICAS);
    replicaset::sync(&mut c);
    assert_eq!(web_pods(&c), 2 * BURST_REPLICAS);
    replicaset::sync(&mut c);
    assert_eq!(web_pods(&c), 1_200);
    // Nothing changed since: another sync creates nothing.
    replicaset::sync(&mut c);
    assert_eq!(web_pods(&c), 1_200);
}

#[test]
fn a_failed_create_ends_the_sync_and_the_retry_waits_for_the_back_off() {
    let mut c = cluster();
    let quota = crate::engine::QUOTA_BASE + crate::engine::QUOTA_PER_NODE * c.count(Kind::Node)
        - c.count(Kind::Pod);
    // Room for 5 more pods: slow start creates batches of 1, 2, then fails in the batch of 4
    // (2 of its creates succeed) and tries no further.
    let name = replicaset(&mut c, (quota + 100) as i64);
    let room = 5;
    for i in 0..quota - room {
        let p = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("filler-{i}"), "namespace": NS},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        c.create_inner(Kind::Pod, p).unwrap();
    }
    replicaset::sync(&mut c);
    assert_eq!(web_pods(&c), room);
    let failed: Vec<_> = c
        .list(Kind::Event, Some(NS))
        .filter(|e| meta::str_at(e, &["reason"]) == "FailedCreate")
        .map(|e| {
            (
                meta::str_at(e, &["involvedObject", "name"]).to_string(),
                meta::str_at(e, &["message"]).to_string(),
                meta::i64_at(e, &["count"]),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [(
            name,
            "Error creating: etcdserver: mvcc: database space exceeded".to_string(),
            // One event per failed create of the batch, aggregated.
            Some(2)
        )]
    );
    // Writes that mark the ReplicaSet do not bring a retry before its back-off ends.
    c.settle_now();
    let failures_now = failures(&c);
    c.advance(std::time::Duration::from_millis(1));
    c.settle_now();
    assert_eq!(failures(&c), failures_now);
}

fn failures(c: &Cluster) -> Option<i64> {
    c.list(Kind::Event, Some(NS))
        .find(|e| meta::str_at(e, &["reason"]) == "FailedCreate")
        .and_then(|e| meta::i64_at(e, &["count"]))
}
