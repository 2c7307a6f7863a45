//! The NoExecute taint manager: evicts pods from nodes with NoExecute taints they do not
//! tolerate, at once or after their `tolerationSeconds`, and cancels a pending eviction
//! when the taint goes (fidelity §7.5).

use std::time::Duration;

use crate::engine::value::Value;

use crate::engine::events::{Involved, Source};
use crate::engine::index::Watcher;
use crate::engine::objects::scheduling::{self, NO_EXECUTE};
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{Cluster, PodRef, Timer};

/// What the taint manager remembers between passes.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TaintManagerMemory {
    /// Delayed evictions (a toleration's `tolerationSeconds` running) by pod uid.
    pub(crate) evictions: std::collections::BTreeMap<String, crate::engine::SimTime>,
}

/// What the taint manager decides for one pod on one node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    EvictNow,
    EvictAfter(Duration),
}

/// Decides for a pod with `tolerations` on a node with `taints`.
pub fn verdict(taints: &[scheduling::Taint], tolerations: &[scheduling::Toleration]) -> Verdict {
    let no_execute: Vec<&scheduling::Taint> =
        taints.iter().filter(|t| t.effect == NO_EXECUTE).collect();
    if no_execute.is_empty() {
        return Verdict::Keep;
    }
    let mut min_secs: Option<i64> = None;
    for t in no_execute {
        let matching: Vec<&scheduling::Toleration> =
            tolerations.iter().filter(|tol| tol.tolerates(t)).collect();
        if matching.is_empty() {
            return Verdict::EvictNow;
        }
        // A taint tolerated forever by any toleration imposes no deadline.
        if matching.iter().any(|tol| tol.toleration_seconds.is_none()) {
            continue;
        }
        let secs = matching
            .iter()
            .filter_map(|tol| tol.toleration_seconds)
            .min()
            .unwrap_or(0);
        min_secs = Some(min_secs.map_or(secs, |m| m.min(secs)));
    }
    match min_secs {
        None => Verdict::Keep,
        Some(s) if s <= 0 => Verdict::EvictNow,
        Some(s) => Verdict::EvictAfter(Duration::from_secs(s as u64)),
    }
}

/// Decides for the pods written since the last pass and the pods on nodes whose taints
/// changed (the store's watch hands over both).
pub fn sync(c: &mut Cluster) -> bool {
    let watch = c.store.index_mut().take(Watcher::Taints);
    if watch.is_empty() {
        return false;
    }
    let mut changed = false;
    let mut decisions: Vec<(Value, Verdict)> = Vec::new();
    let nodes = c.store.index().node_facts();
    // Each node's NoExecute taints, read once per pass (most nodes have none).
    let no_execute = |node: &str| -> Vec<scheduling::Taint> {
        nodes.get(node).map_or_else(Vec::new, |n| {
            n.taints
                .iter()
                .filter(|t| t.effect == NO_EXECUTE)
                .cloned()
                .collect()
        })
    };
    let pods = super::watched(c, Kind::Pod, &watch);
    for p in pods {
        let node = pod::node_name(p);
        if node.is_empty() || meta::is_deleting(p) {
            continue;
        }
        let taints = no_execute(node);
        let has_pending = c.controllers.taints.evictions.contains_key(meta::uid(p));
        if taints.is_empty() && !has_pending {
            continue;
        }
        let tolerations = scheduling::tolerations_at(p, &["spec", "tolerations"]);
        decisions.push((p.clone(), verdict(&taints, &tolerations)));
    }
    for (p, v) in decisions {
        let uid = meta::uid(&p).to_string();
        match v {
            Verdict::EvictNow => {
                evict(c, &p);
                changed = true;
            }
            Verdict::EvictAfter(d) => {
                if !c.controllers.taints.evictions.contains_key(&uid) {
                    let due = c.now + d;
                    c.controllers.taints.evictions.insert(uid, due);
                    c.add_timer(
                        due,
                        Timer::Evict {
                            pod: PodRef::of(&p),
                        },
                    );
                }
            }
            Verdict::Keep => {
                if c.controllers.taints.evictions.remove(&uid).is_some() {
                    let msg = format!(
                        "Cancelling deletion of Pod {}/{}",
                        meta::namespace(&p),
                        meta::name(&p)
                    );
                    c.record_event(
                        &Involved::of(Kind::Pod, &p),
                        "Normal",
                        "TaintManagerEviction",
                        &msg,
                        Source::TAINT,
                        None,
                    );
                    changed = true;
                }
            }
        }
    }
    changed
}

fn evict(c: &mut Cluster, p: &Value) {
    c.controllers.taints.evictions.remove(meta::uid(p));
    let msg = format!(
        "Marking for deletion Pod {}/{}",
        meta::namespace(p),
        meta::name(p)
    );
    c.record_event(
        &Involved::of(Kind::Pod, p),
        "Normal",
        "TaintManagerEviction",
        &msg,
        Source::TAINT,
        None,
    );
    c.delete_pod(p, None);
}

/// A delayed eviction fell due: evict if it is still scheduled for this pod.
pub(crate) fn evict_due(c: &mut Cluster, r: &PodRef) {
    let due = c.controllers.taints.evictions.get(&r.uid).copied();
    if due.is_none_or(|d| d > c.now) {
        return;
    }
    if let Some(p) = c
        .get(Kind::Pod, &r.namespace, &r.name)
        .filter(|p| meta::uid(p) == r.uid)
        .cloned()
    {
        evict(c, &p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::objects::scheduling::{Taint, Toleration};

    fn vip() -> Taint {
        Taint {
            key: "VIPOnly".into(),
            value: "true".into(),
            effect: NO_EXECUTE.into(),
            time_added: None,
        }
    }

    #[test]
    fn untolerated_no_execute_evicts_at_once() {
        assert_eq!(verdict(&[vip()], &[]), Verdict::EvictNow);
    }

    #[test]
    fn toleration_seconds_delay_the_eviction() {
        let tol = Toleration {
            key: "VIPOnly".into(),
            operator: "Exists".into(),
            effect: NO_EXECUTE.into(),
            toleration_seconds: Some(60),
            ..Default::default()
        };
        assert_eq!(
            verdict(&[vip()], &[tol]),
            Verdict::EvictAfter(Duration::from_secs(60))
        );
    }

    #[test]
    fn tolerated_forever_is_kept() {
        let tol = Toleration {
            operator: "Exists".into(),
            ..Default::default()
        };
        assert_eq!(verdict(&[vip()], &[tol]), Verdict::Keep);
    }

    #[test]
    fn no_schedule_taints_never_evict() {
        let t = Taint {
            key: "k".into(),
            value: String::new(),
            effect: "NoSchedule".into(),
            time_added: None,
        };
        assert_eq!(verdict(&[t], &[]), Verdict::Keep);
    }
}
