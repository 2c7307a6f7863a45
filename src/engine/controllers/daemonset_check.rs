//! The DaemonSet controller's plan computed afresh from every node and every pod, as it
//! was before the controller kept state: in debug builds (the tests) every incremental plan
//! is checked against it.

use std::collections::BTreeMap;

use crate::engine::value::Value;

use super::daemonset::{
    Counts, Lists, Plan, PodRefFacts, daemon_tolerations, finish, placement_with,
    template_generation, template_hash,
};
use crate::engine::clock::SimTime;
use crate::engine::index::{DaemonPodFacts, Indexes};
use crate::engine::objects::meta;
use crate::engine::objects::scheduling::{NodeConstraints, NodeFacts};
use crate::engine::store::ObjKey;

/// What the controller knows of one daemon pod, borrowed from the store while it plans.
struct PodFacts<'a> {
    namespace: &'a str,
    name: &'a str,
    uid: &'a str,
    created: Option<SimTime>,
    deleting: bool,
    ready: bool,
    updated: bool,
}

impl From<&PodFacts<'_>> for PodRefFacts {
    fn from(f: &PodFacts<'_>) -> PodRefFacts {
        PodRefFacts {
            namespace: f.namespace.to_string(),
            name: f.name.to_string(),
            uid: f.uid.to_string(),
            ready: f.ready,
        }
    }
}

/// The plan computed afresh from every node and every pod: what each incremental plan
/// must equal (checked in debug builds).
fn full_plan(ds: &Value, pods: &[(&ObjKey, &DaemonPodFacts)], nodes: &[&NodeFacts]) -> Plan {
    let hash = template_hash(ds);
    let generation = template_generation(ds);
    let template_spec = meta::at(ds, &["spec", "template", "spec"]).unwrap_or(&Value::Null);
    let tolerations = daemon_tolerations(template_spec);
    let constraints = NodeConstraints::of(template_spec);

    let mut by_node: BTreeMap<&str, Vec<PodFacts<'_>>> = BTreeMap::new();
    for &(key, f) in pods {
        let facts = PodFacts {
            namespace: &key.namespace,
            name: &key.name,
            uid: &f.uid,
            created: f.created,
            deleting: f.deleting,
            ready: f.ready,
            updated: f.revision_hash.as_deref() == Some(hash.as_str())
                || f.template_generation.as_deref() == Some(generation.as_str()),
        };
        by_node
            .entry(f.target_node.as_str())
            .or_default()
            .push(facts);
    }
    for pods in by_node.values_mut() {
        pods.sort_by(|a, b| (a.created, a.name).cmp(&(b.created, b.name)));
    }

    let (mut create_on, mut delete, mut rolling) = (Vec::new(), Vec::new(), Vec::new());
    let (mut desired, mut current, mut misscheduled, mut ready, mut updated, mut unavailable) =
        (0i64, 0i64, 0i64, 0i64, 0i64, 0usize);
    for node in nodes {
        let name = node.name.as_str();
        let placement = placement_with(template_spec, &constraints, &tolerations, node);
        let pods = by_node.remove(name).unwrap_or_default();
        // A terminating pod still occupies the node: no second pod without surge.
        let occupied = !pods.is_empty();
        let mut live = pods.iter().filter(|f| !f.deleting).peekable();
        let any_pod = live.peek().is_some();
        if placement.should_run {
            desired += 1;
            if !occupied {
                create_on.push(name.to_string());
            }
            if let Some(oldest) = live.peek() {
                current += 1;
                if oldest.ready {
                    ready += 1;
                }
            }
            if pods.iter().any(|f| !f.deleting && f.updated) {
                updated += 1;
            }
            if !pods.iter().any(|f| !f.deleting && f.ready) {
                unavailable += 1;
            }
        } else if any_pod {
            misscheduled += 1;
        }
        if !placement.should_continue_running {
            delete.extend(live.map(PodRefFacts::from));
        } else {
            let first = live.next();
            delete.extend(live.map(PodRefFacts::from));
            if let Some(f) = first
                && placement.should_run
                && !f.updated
            {
                rolling.push(PodRefFacts::from(f));
            }
        }
    }
    // Pods aimed at nodes that no longer exist.
    for pods in by_node.values() {
        delete.extend(pods.iter().filter(|f| !f.deleting).map(PodRefFacts::from));
    }
    finish(
        ds,
        hash,
        generation,
        Lists {
            create_on,
            delete,
            rolling,
        },
        Counts {
            desired,
            current,
            misscheduled,
            ready,
            updated,
            unavailable: unavailable as i64,
        },
    )
}

/// In debug builds (the tests), every incremental plan must equal a plan computed afresh
/// from every node and pod.
pub(super) fn check_against_full_plan(plan: &Plan, ds: &Value, index: &Indexes) {
    let nodes: Vec<&NodeFacts> = index.node_facts().values().collect();
    let pods: Vec<(&ObjKey, &DaemonPodFacts)> = index
        .pods_owned_by(meta::uid(ds))
        .filter_map(|k| index.daemon_facts(k).map(|f| (k, f)))
        .collect();
    let full = full_plan(ds, &pods, &nodes);
    let names = |v: &[PodRefFacts]| {
        let mut n: Vec<String> = v.iter().map(|f| f.name.clone()).collect();
        n.sort();
        n
    };
    debug_assert_eq!(plan.status, full.status, "status of {}", meta::name(ds));
    debug_assert_eq!(plan.create_on, full.create_on);
    debug_assert_eq!(names(&plan.delete), names(&full.delete));
    debug_assert_eq!(plan.rolling, full.rolling);
    debug_assert_eq!(plan.unavailable, full.unavailable);
}
