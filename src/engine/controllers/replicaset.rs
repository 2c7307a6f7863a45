//! The ReplicaSet controller: keeps `spec.replicas` pods running from the template and
//! reports how many are ready and available.
//!
//! Its bounds are the real controller's: one sync creates or deletes at most
//! [`BURST_REPLICAS`] pods, creates go in slow-start batches (1, 2, 4, ...) and the first
//! batch with a failed create ends the sync (one `FailedCreate`, not hundreds), and a sync
//! that failed is retried after the work queue's back-off (5 ms doubling to 1000 s), not
//! on every pass. The real controller's expectations (do not create again before its
//! creates are seen) hold by construction: the store is synchronous, so the next sync
//! already sees every pod this one created.

use std::time::Duration;

use crate::engine::value::{Value, json};

use crate::engine::events::{Involved, Source};
use crate::engine::index::Watcher;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::store::ObjKey;
use crate::engine::{ApiError, Cluster, SimTime, Timer};

/// What the ReplicaSet controller remembers between passes.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ReplicaSetMemory {
    /// Per ReplicaSet uid, its failed syncs in a row and when the last one was (the work
    /// queue's back-off before it tries to create again).
    #[serde(default)]
    pub(crate) rs_retry: std::collections::BTreeMap<String, (u32, SimTime)>,
    /// ReplicaSets to sync in the next pass, their back-off over (filled by `RsRetry`
    /// timers). Not saved: a loaded cluster syncs every ReplicaSet once.
    #[serde(skip)]
    pub(crate) rs_waiting: std::collections::BTreeMap<SimTime, std::collections::BTreeSet<ObjKey>>,
}

/// The most pods one sync creates or deletes (`BurstReplicas` of kube-controller-manager).
pub const BURST_REPLICAS: usize = 500;
/// The work queue's back-off after a failed sync: 5 ms doubling up to 1000 s
/// (client-go's `DefaultControllerRateLimiter`).
const RETRY_INITIAL: Duration = Duration::from_millis(5);
const RETRY_MAX: Duration = Duration::from_secs(1000);

/// Syncs the ReplicaSets written, or whose pods were written, since the last pass, and
/// those whose retry after a failed sync is due.
pub fn sync(c: &mut Cluster) -> bool {
    let mut watch = c.store.index_mut().take(Watcher::ReplicaSets);
    let now = c.now;
    while let Some(entry) = c.controllers.replicasets.rs_waiting.first_entry() {
        if *entry.key() > now {
            break;
        }
        if !watch.all {
            watch.keys.extend(entry.remove());
        } else {
            entry.remove();
        }
    }
    if watch.is_empty() {
        return false;
    }
    let sets: Vec<Value> = super::watched(c, Kind::ReplicaSet, &watch)
        .cloned()
        .collect();
    let mut changed = false;
    for rs in sets {
        changed |= sync_one(c, &rs);
    }
    changed
}

/// Where a retry of a ReplicaSet that cannot create (the pod quota is full) due at `at`
/// may jump to, skipping the retries at the 1000 s cap before `horizon`: each would only
/// have counted its `FailedCreate` once more (nothing frees a pod while only background
/// loops run). None when the back-off is still growing or a create could succeed.
pub(crate) fn skip_retries(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    uid: &str,
    at: SimTime,
    horizon: SimTime,
) -> Option<(SimTime, Timer)> {
    let &(failures, _) = c.controllers.replicasets.rs_retry.get(uid)?;
    // The next wait is already the longest: retries from here on repeat at the cap.
    let at_cap =
        super::doubling_backoff(RETRY_INITIAL, RETRY_MAX, failures.saturating_add(1)) >= RETRY_MAX;
    let rs = c
        .get(Kind::ReplicaSet, ns, name)
        .filter(|r| meta::uid(r) == uid)?;
    let want = meta::i64_at(rs, &["spec", "replicas"]).unwrap_or(1).max(0) as usize;
    let wants_pods = c.store.index().replica_counts(uid).live < want;
    let message = error_text(&ApiError::SpaceExceeded);
    if !at_cap
        || !wants_pods
        || !c.pod_quota_full()
        || !c.has_event(uid, "FailedCreate", &message, Source::REPLICASET.component)
    {
        return None;
    }
    let period = RETRY_MAX.as_millis() as i64;
    let skipped = (horizon.0 - at.0).max(0) / period;
    if skipped == 0 {
        return None;
    }
    let last = SimTime(at.0 + (skipped - 1) * period);
    c.bump_event(
        uid,
        "FailedCreate",
        &message,
        Source::REPLICASET.component,
        skipped as u64,
        last,
    );
    let count = u32::try_from(skipped).unwrap_or(u32::MAX);
    c.controllers
        .replicasets
        .rs_retry
        .insert(uid.to_string(), (failures.saturating_add(count), last));
    Some((
        SimTime(at.0 + skipped * period),
        Timer::RsRetry {
            namespace: ns.to_string(),
            name: name.to_string(),
            uid: uid.to_string(),
        },
    ))
}

/// When the ReplicaSet with `uid` may try to create again after failed syncs (None when
/// its last sync did not fail).
fn retry_at(c: &Cluster, uid: &str) -> Option<SimTime> {
    let &(failures, last) = c.controllers.replicasets.rs_retry.get(uid)?;
    Some(last + super::doubling_backoff(RETRY_INITIAL, RETRY_MAX, failures))
}

fn sync_one(c: &mut Cluster, rs: &Value) -> bool {
    let ns = meta::namespace(rs).to_string();
    let name = meta::name(rs).to_string();
    let uid = meta::uid(rs).to_string();
    let want = meta::i64_at(rs, &["spec", "replicas"]).unwrap_or(1).max(0) as usize;
    let is_live =
        |p: &&Value| !meta::is_deleting(p) && !matches!(pod::phase(p), "Succeeded" | "Failed");
    let live = c.store.index().replica_counts(&uid).live;
    let mut changed = false;
    if live < want {
        if retry_at(c, &uid).is_some_and(|at| at > c.now) {
            // Still backing off after a failed sync: its retry timer brings it back then.
            return update_status(c, rs);
        }
        let (created, failed) = create_pods(c, rs, (want - live).min(BURST_REPLICAS));
        changed |= created > 0 || failed;
        if failed {
            super::note_failure(&mut c.controllers.replicasets.rs_retry, &uid, c.now);
            if let Some(at) = retry_at(c, &uid) {
                c.add_timer(
                    at,
                    Timer::RsRetry {
                        namespace: ns.clone(),
                        name: name.clone(),
                        uid: uid.clone(),
                    },
                );
            }
        } else {
            c.controllers.replicasets.rs_retry.remove(&uid);
        }
    } else if live > want {
        c.controllers.replicasets.rs_retry.remove(&uid);
        // Delete the least useful first: unscheduled, then not ready, then the newest.
        // Sorted by what decides it, with the key: no copy of the pods.
        let mut ranked: Vec<_> = super::owned_pods(c, &uid)
            .filter(is_live)
            .map(|p| {
                (
                    !pod::node_name(p).is_empty(),
                    pod::is_ready(p),
                    std::cmp::Reverse(meta::creation(p)),
                    ObjKey::new(meta::namespace(p), meta::name(p)),
                )
            })
            .collect();
        ranked.sort();
        let surplus = (live - want).min(BURST_REPLICAS);
        for (_, _, _, key) in ranked.into_iter().take(surplus) {
            let Some(p) = c.store.get(Kind::Pod, &key).cloned() else {
                continue;
            };
            c.delete_pod(&p, None);
            let msg = format!("Deleted pod: {}", key.name);
            c.event_on(
                Kind::ReplicaSet,
                &ns,
                &name,
                "SuccessfulDelete",
                &msg,
                Source::REPLICASET,
            );
        }
        changed = true;
    } else {
        c.controllers.replicasets.rs_retry.remove(&uid);
    }
    changed | update_status(c, rs)
}

/// Creates up to `count` pods in slow-start batches (1, 2, 4, ...); a batch in which a
/// create fails is the last. Returns how many were created and whether one failed.
fn create_pods(c: &mut Cluster, rs: &Value, count: usize) -> (usize, bool) {
    let ns = meta::namespace(rs).to_string();
    let name = meta::name(rs).to_string();
    if count > 0 && c.pod_quota_full() {
        // The first create would fail as etcd is full: record it without building the pod.
        record_failures(c, &ns, &name, vec![error_text(&ApiError::SpaceExceeded)]);
        return (0, true);
    }
    let template = meta::at(rs, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    let mut metadata = json!({
        "generateName": format!("{name}-"),
        "namespace": ns,
        "labels": meta::at(&template, &["metadata", "labels"]).cloned().unwrap_or_else(|| json!({})),
        "ownerReferences": [meta::owner_reference(rs)],
    });
    if let Some(a) = meta::at(&template, &["metadata", "annotations"]) {
        metadata["annotations"] = a.clone();
    }
    let mut prototype = json!({"apiVersion": "v1", "kind": "Pod"});
    prototype["metadata"] = metadata;
    prototype["spec"] = template.get("spec").cloned().unwrap_or_default();
    let mut created = 0;
    let mut batch = count.min(1);
    while batch > 0 {
        let mut errors: Vec<String> = Vec::new();
        for _ in 0..batch {
            match c.create_inner(Kind::Pod, prototype.clone()) {
                Ok(pod) => {
                    created += 1;
                    let msg = format!("Created pod: {}", pod.name);
                    c.event_on(
                        Kind::ReplicaSet,
                        &ns,
                        &name,
                        "SuccessfulCreate",
                        &msg,
                        Source::REPLICASET,
                    );
                }
                Err(e) => {
                    errors.push(error_text(&e));
                }
            }
        }
        if !errors.is_empty() {
            record_failures(c, &ns, &name, errors);
            return (created, true);
        }
        batch = (batch * 2).min(count - created);
    }
    (created, false)
}

/// The ReplicaSet's `FailedCreate` event, once per failed create.
fn record_failures(c: &mut Cluster, ns: &str, name: &str, errors: Vec<String>) {
    let Some(involved) = c
        .get(Kind::ReplicaSet, ns, name)
        .map(|rs| Involved::of(Kind::ReplicaSet, rs))
    else {
        return;
    };
    for msg in errors {
        c.record_event(
            &involved,
            "Warning",
            "FailedCreate",
            &msg,
            Source::REPLICASET,
            None,
        );
    }
}

fn error_text(e: &ApiError) -> String {
    format!("Error creating: {}", e.message())
}

fn update_status(c: &mut Cluster, rs: &Value) -> bool {
    let ns = meta::namespace(rs).to_string();
    let counts = c.store.index().replica_counts(meta::uid(rs));
    let replicas = counts.not_deleting as i64;
    let ready = counts.ready as i64;
    let mut status = json!({"replicas": replicas});
    let optional = [
        ("availableReplicas", ready),
        ("fullyLabeledReplicas", replicas),
        (
            "observedGeneration",
            meta::i64_at(rs, &["metadata", "generation"]).unwrap_or(1),
        ),
        ("readyReplicas", ready),
    ];
    for (k, v) in optional {
        if v > 0 {
            status[k] = json!(v);
        }
    }
    c.set_status(Kind::ReplicaSet, &ns, meta::name(rs), status)
}
