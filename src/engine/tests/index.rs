//! The store's derived indexes (pods by node, owner and binding, node facts, the DaemonSet
//! controller's pod facts) stay equal to indexes rebuilt from scratch while the lesson's
//! operations run: creates, binds, status writes, taints, cordons, evictions, deletions.

use crate::engine::value::json;

use super::*;

/// Compares the cluster's index with one rebuilt from its objects (a save and a load).
fn assert_index_current(c: &Cluster, after: &str) {
    let text = serde_json::to_string(c).expect("a cluster serializes");
    let rebuilt: Cluster = serde_json::from_str(&text).expect("and loads");
    assert!(
        c.store.index().files_like(rebuilt.store.index()),
        "index out of date after {after}: {:?} vs rebuilt {:?}",
        c.store.index(),
        rebuilt.store.index()
    );
}

#[test]
fn the_index_follows_every_write_of_the_lesson() {
    let mut c = cluster();
    assert_index_current(&c, "bootstrap");
    c.create(Kind::DaemonSet, demo_daemonset(json!({})))
        .expect("the DaemonSet is valid");
    assert_index_current(&c, "create");
    c.advance(Duration::from_millis(500));
    assert_index_current(&c, "binding");
    advance_secs(&mut c, 30);
    assert_index_current(&c, "start");
    add_taint(
        &mut c,
        "kind-worker3",
        json!({"key": "VIPOnly", "value": "true", "effect": "NoExecute"}),
    );
    assert_index_current(&c, "a NoExecute taint");
    advance_secs(&mut c, 60);
    assert_index_current(&c, "eviction");
    update_template(
        &mut c,
        json!({"tolerations": [{"key": "VIPOnly", "operator": "Exists", "effect": "NoExecute"}]}),
    );
    advance_secs(&mut c, 60);
    assert_index_current(&c, "a rolling update");
    let mut node = c
        .get(Kind::Node, "", "kind-worker2")
        .cloned()
        .expect("the node exists");
    meta::set(&mut node, &["spec", "unschedulable"], json!(true));
    c.update(Kind::Node, node).expect("cordon is valid");
    advance_secs(&mut c, 10);
    assert_index_current(&c, "a cordon");
    c.delete(Kind::DaemonSet, NS, DS, DeleteOptions::default())
        .expect("the DaemonSet exists");
    advance_secs(&mut c, 60);
    assert_index_current(&c, "deleting the DaemonSet");
    assert!(daemon_pods(&c).is_empty());
}
