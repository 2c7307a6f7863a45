//! The default scheduler: binds each pending pod to a feasible node (taints, node
//! selector and affinity, unschedulable), preferring the least loaded node, and says
//! why in a `FailedScheduling` event when no node fits (1.21 plugin messages).

use std::collections::{BTreeMap, HashMap};

use crate::engine::value::{Value, json};

use crate::engine::events::{Involved, Source};
use crate::engine::index::Watcher;
use crate::engine::objects::scheduling::{
    self, NO_EXECUTE, NO_SCHEDULE, NodeConstraints, NodeFacts, PREFER_NO_SCHEDULE, Toleration,
};
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::store::ObjKey;
use crate::engine::{Cluster, SimTime};

/// What the scheduler remembers between passes.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SchedulerMemory {
    /// The last FailedScheduling message per pod uid, so it is not repeated every pass.
    pub(crate) sched_messages: std::collections::BTreeMap<String, String>,
    /// Per pod uid, the failed attempts and when the last one was: the pod's back-off
    /// (1 s doubling to 10 s) before another attempt.
    #[serde(default)]
    pub(crate) sched_backoff: std::collections::BTreeMap<String, (u32, SimTime)>,
    /// Pods to look at when their scheduling delay has passed. Not saved: a loaded
    /// cluster's scheduler looks at every unbound pod once.
    #[serde(skip)]
    pub(crate) sched_waiting:
        std::collections::BTreeMap<SimTime, std::collections::BTreeSet<ObjKey>>,
}

/// Why a node cannot take a pod, as the 1.21 scheduler plugins word it.
fn unfit(
    constraints: &NodeConstraints,
    tolerations: &[Toleration],
    node: &NodeFacts,
) -> Option<String> {
    if !node.ready {
        return Some("node(s) were not ready".to_string());
    }
    let unsched_taint = scheduling::Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        effect: NO_SCHEDULE.into(),
        ..Default::default()
    };
    if node.unschedulable && !tolerations.iter().any(|t| t.tolerates(&unsched_taint)) {
        return Some("node(s) were unschedulable".to_string());
    }
    if !constraints.admits(node) {
        return Some("node(s) didn't match Pod's node affinity".to_string());
    }
    if let Some(t) =
        scheduling::first_untolerated(&node.taints, tolerations, &[NO_SCHEDULE, NO_EXECUTE])
    {
        return Some(format!(
            "node(s) had taint {{{}: {}}}, that the pod didn't tolerate",
            t.key, t.value
        ));
    }
    None
}

/// Binds pending pods whose scheduling delay has passed. Looks only at pods written since
/// the last pass, or at every unbound pod when a node changed or a bound pod went away (a
/// pod that did not fit may fit now), as the scheduler's queue does; a pod that failed
/// waits out its back-off first (1 s, doubling to 10 s), so nothing is retried every tick.
pub fn sync(c: &mut Cluster) -> bool {
    let delay = c.timings().schedule;
    let now = c.now;
    let watch = c.store.index_mut().take(Watcher::Scheduler);
    let waiting_due = c
        .controllers
        .scheduler
        .sched_waiting
        .first_key_value()
        .is_some_and(|(at, _)| *at <= now);
    if watch.is_empty() && !waiting_due {
        return false;
    }
    let unbound = c.store.index().unbound_pods();
    let mut keys: Vec<ObjKey> = if watch.all {
        unbound.iter().cloned().collect()
    } else {
        watch
            .keys
            .into_iter()
            .filter(|k| unbound.contains(k))
            .collect()
    };
    // Pods that were waiting out the scheduling delay or their back-off and are due now.
    while let Some(entry) = c.controllers.scheduler.sched_waiting.first_entry() {
        if *entry.key() > now {
            break;
        }
        keys.extend(entry.remove());
    }
    keys.sort();
    keys.dedup();
    let mut pass = Pass::default();
    let mut changed = false;
    for key in keys {
        let Some(p) = c.store.get(Kind::Pod, &key) else {
            continue;
        };
        if meta::is_deleting(p)
            || !matches!(
                meta::str_at(p, &["spec", "schedulerName"]),
                "" | "default-scheduler"
            )
        {
            continue;
        }
        let due = meta::creation(p)
            .map(|t| t + delay)
            .filter(|due| *due > now);
        let due = due.or_else(|| backoff_end(c, meta::uid(p)).filter(|due| *due > now));
        if let Some(due) = due {
            // Not due yet: back in the queue until then.
            c.controllers
                .scheduler
                .sched_waiting
                .entry(due)
                .or_default()
                .insert(key);
            c.wake_at(due);
            continue;
        }
        match pass.decide(c, p) {
            Decision::Bind(candidates) => {
                let pick = c.rng.below(candidates.len() as u64) as usize;
                let node = candidates[pick].clone();
                bind(c, &key, &node);
                pass.bound(&node);
                changed = true;
            }
            Decision::Fail(msg) => changed |= fail(c, &key, &msg),
        }
    }
    changed
}

/// When the back-off of a pod that failed to schedule ends (None if it never failed).
fn backoff_end(c: &Cluster, uid: &str) -> Option<SimTime> {
    let t = c.timings();
    let &(attempts, last) = c.controllers.scheduler.sched_backoff.get(uid)?;
    let backoff = super::doubling_backoff(t.sched_backoff_initial, t.sched_backoff_max, attempts);
    Some(last + backoff)
}

/// Where a pod may go: the least loaded feasible nodes, or why none fits.
enum Decision {
    Bind(Vec<String>),
    Fail(String),
}

/// What one scheduler pass has learnt: how many pods each node runs (counted once per
/// node), and why pods with given placement needs (tolerations, node selector, affinity)
/// did not fit since the last bind: the next pod with the same needs gets the same answer
/// without another look at every node. This keeps a retry of thousands of pending
/// replicas, which share their template, to one decision.
#[derive(Default)]
struct Pass {
    loads: HashMap<String, usize>,
    failed: Vec<([Value; 3], String)>,
}

/// The most placement needs one pass remembers failures for.
const FAILED_CACHE: usize = 16;

fn needs(p: &Value) -> [Value; 3] {
    ["tolerations", "nodeSelector", "affinity"]
        .map(|f| meta::at(p, &["spec", f]).cloned().unwrap_or(Value::Null))
}

fn same_needs(needs: &[Value; 3], p: &Value) -> bool {
    ["tolerations", "nodeSelector", "affinity"]
        .iter()
        .zip(needs)
        .all(|(f, v)| meta::at(p, &["spec", f]).unwrap_or(&Value::Null) == v)
}

impl Pass {
    fn load(&mut self, c: &Cluster, node: &str) -> usize {
        if let Some(n) = self.loads.get(node) {
            return *n;
        }
        let n = load(c, node);
        self.loads.insert(node.to_string(), n);
        n
    }

    /// A pod was bound to `node`: it runs one more, and earlier failures may not hold.
    fn bound(&mut self, node: &str) {
        if let Some(n) = self.loads.get_mut(node) {
            *n += 1;
        }
        self.failed.clear();
    }

    fn decide(&mut self, c: &Cluster, p: &Value) -> Decision {
        if let Some((_, msg)) = self.failed.iter().find(|(n, _)| same_needs(n, p)) {
            return Decision::Fail(msg.clone());
        }
        let decision = self.decide_afresh(c, p);
        if let Decision::Fail(msg) = &decision
            && self.failed.len() < FAILED_CACHE
        {
            self.failed.push((needs(p), msg.clone()));
        }
        decision
    }

    fn decide_afresh(&mut self, c: &Cluster, p: &Value) -> Decision {
        let nodes = c.store.index().node_facts();
        let spec = p.get("spec").unwrap_or(&Value::Null);
        let tolerations = scheduling::tolerations_at(spec, &["tolerations"]);
        let constraints = NodeConstraints::of(spec);
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        let mut best: Vec<(usize, &NodeFacts)> = Vec::new();
        // A pod pinned to one node by name need only be checked against that node.
        let candidates: Vec<&NodeFacts> = match constraints.pinned_node() {
            Some(name) => {
                let others = nodes.len() - usize::from(nodes.contains_key(name));
                if others > 0 {
                    reasons.insert(
                        "node(s) didn't match Pod's node affinity".to_string(),
                        others,
                    );
                }
                nodes.get(name).into_iter().collect()
            }
            None => nodes.values().collect(),
        };
        // With one node to choose from, how loaded it is does not matter.
        let one_candidate = candidates.len() == 1;
        for node in candidates {
            let reason = unfit(&constraints, &tolerations, node).or_else(|| {
                // NodeResourcesFit, which runs after the plugins above: the pod would be
                // one more than the node's kubelet admits.
                let load = self.load(c, &node.name);
                (load as u64 + 1 > node.max_pods).then(|| "Too many pods".to_string())
            });
            match reason {
                Some(r) => *reasons.entry(r).or_default() += 1,
                None if one_candidate => best.push((0, node)),
                None => {
                    let prefer_penalty = scheduling::first_untolerated(
                        &node.taints,
                        &tolerations,
                        &[PREFER_NO_SCHEDULE],
                    )
                    .map_or(0, |_| 10_000);
                    best.push((self.load(c, &node.name) + prefer_penalty, node));
                }
            }
        }
        let min = best.iter().map(|(s, _)| *s).min();
        let chosen: Vec<String> = best
            .iter()
            .filter(|(s, _)| Some(*s) == min)
            .map(|(_, n)| n.name.clone())
            .collect();
        if !chosen.is_empty() {
            return Decision::Bind(chosen);
        }
        let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        parts.sort();
        Decision::Fail(format!(
            "0/{} nodes are available: {}.",
            nodes.len(),
            parts.join(", ")
        ))
    }
}

/// Pods on `node` that have not terminated (what the least-loaded score and the pod
/// limit count; the 1.21 scheduler does not watch Succeeded and Failed pods).
fn load(c: &Cluster, node: &str) -> usize {
    c.store
        .get_all(Kind::Pod, c.store.index().pods_on(node))
        .filter(|p| !matches!(pod::phase(p), "Succeeded" | "Failed"))
        .count()
}

fn bind(c: &mut Cluster, key: &ObjKey, node: &str) {
    let now = c.now.rfc3339();
    let bound = c.modify(Kind::Pod, key, |p| {
        meta::set(p, &["spec", "nodeName"], json!(node));
        meta::set(
            p,
            &["status", "conditions"],
            json!([
                {"lastProbeTime": null, "lastTransitionTime": now, "status": "True", "type": "PodScheduled"}
            ]),
        );
    });
    let Some(involved) = c
        .store
        .get(Kind::Pod, key)
        .filter(|_| bound)
        .map(|p| Involved::of(Kind::Pod, p))
    else {
        return;
    };
    c.controllers.scheduler.sched_messages.remove(&involved.uid);
    c.controllers.scheduler.sched_backoff.remove(&involved.uid);
    let msg = format!(
        "Successfully assigned {}/{} to {}",
        key.namespace, key.name, node
    );
    c.record_event(
        &involved,
        "Normal",
        "Scheduled",
        &msg,
        Source::SCHEDULER,
        None,
    );
}

fn fail(c: &mut Cluster, key: &ObjKey, msg: &str) -> bool {
    let Some(p) = c.store.get(Kind::Pod, key) else {
        return false;
    };
    let uid = meta::uid(p).to_string();
    let now = c.now;
    super::note_failure(&mut c.controllers.scheduler.sched_backoff, &uid, now);
    if c.controllers
        .scheduler
        .sched_messages
        .get(&uid)
        .map(String::as_str)
        == Some(msg)
    {
        return false;
    }
    let now = c.now.rfc3339();
    let mut status = p.get("status").cloned().unwrap_or_else(|| json!({}));
    status["conditions"] = json!([{"lastProbeTime": null, "lastTransitionTime": now, "message": msg,
        "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]);
    c.controllers
        .scheduler
        .sched_messages
        .insert(uid, msg.to_string());
    c.set_status(Kind::Pod, &key.namespace, &key.name, status);
    // The scheduler's own write is no news to it: the pod waits for a change or its back-off.
    c.store.index_mut().unmark(Watcher::Scheduler, key);
    if let Some(involved) = c
        .store
        .get(Kind::Pod, key)
        .map(|p| Involved::of(Kind::Pod, p))
    {
        c.record_event(
            &involved,
            "Warning",
            "FailedScheduling",
            msg,
            Source::SCHEDULER,
            None,
        );
    }
    true
}
