//! `kubectl describe` for nodes, pods, daemonsets and namespaces (kubectl v1.21
//! `describe.go` layouts, fidelity §6): tab-separated lines through the describe
//! tabwriter, with the Events section fed by the engine's events.

use crate::engine::value::Value;

use super::flags::{self, Flag, boolean, value};
use super::{Ctx, Io, messages};
use crate::api::{resources, selector};
use crate::engine::clock::{SimTime, human_duration};
use crate::engine::objects::scheduling::{self, LabelSelector};
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{ApiError, Cluster};
use crate::tabwriter;

#[path = "describe_config.rs"]
mod config;
#[path = "describe_env.rs"]
mod env;
#[path = "describe_node.rs"]
mod node;
#[path = "describe_pod.rs"]
mod pod_describer;
#[path = "describe_service.rs"]
pub(super) mod service;
#[path = "describe_workloads.rs"]
pub(super) mod workloads;

use node::node;
use pod_describer::{describe_container_body, pod_text, volumes};

const FLAGS: &[Flag] = &[
    value("selector", Some('l')),
    boolean("all-namespaces", Some('A')),
    boolean("show-events", None),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl describe", &e)),
    };
    if p.args.is_empty() {
        return io.fail(
            messages::required_resource("kubectl describe").replace("to get", "to describe"),
        );
    }
    let requests = match resources::parse(&p.args) {
        Ok(r) => r,
        Err(e) => return io.fail(e),
    };
    let namespace = p.value("namespace").unwrap_or("default").to_string();
    let selector = match p.value("selector").map(selector::parse_labels).transpose() {
        Ok(s) => s,
        Err(e) => return io.fail(e),
    };
    let cluster = &*ctx.cluster;
    let mut texts: Vec<String> = Vec::new();
    for r in requests {
        let ns = if r.kind.is_namespaced() {
            namespace.as_str()
        } else {
            ""
        };
        let objs: Vec<&Value> = if r.names.is_empty() {
            let scope = if p.flag("all-namespaces") || !r.kind.is_namespaced() {
                None
            } else {
                Some(ns)
            };
            cluster
                .list(r.kind, scope)
                .filter(|o| {
                    selector
                        .as_ref()
                        .is_none_or(|s| s.matches(&meta::labels(o)))
                })
                .collect()
        } else {
            let mut v = Vec::new();
            for name in &r.names {
                match cluster.get(r.kind, ns, name) {
                    Some(o) => v.push(o),
                    None => {
                        // describe reports a missing object by name prefix first.
                        let prefixed: Vec<&Value> = cluster
                            .list(r.kind, Some(ns).filter(|_| r.kind.is_namespaced()))
                            .filter(|o| meta::name(o).starts_with(name.as_str()))
                            .collect();
                        if prefixed.is_empty() {
                            io.fail(format!(
                                "{}\n",
                                ApiError::NotFound {
                                    kind: r.kind,
                                    name: name.clone()
                                }
                            ));
                        }
                        v.extend(prefixed);
                    }
                }
            }
            v
        };
        for o in objs {
            match describe(cluster, r.kind, o) {
                Some(t) => texts.push(t),
                None => {
                    io.fail(messages::unsupported(&format!(
                        "describe {}",
                        r.kind.plural()
                    )));
                    return;
                }
            }
        }
    }
    if texts.is_empty() && io.status == 0 {
        io.err
            .push_str(&messages::no_resources_in_namespace(&namespace));
    }
    io.out.push_str(&texts.join("\n\n"));
}

fn describe(c: &Cluster, kind: Kind, obj: &Value) -> Option<String> {
    let mut w = String::new();
    match kind {
        Kind::Node => node(c, obj, &mut w),
        Kind::Pod => pod_text(c, obj, &mut w),
        Kind::DaemonSet => daemonset(c, obj, &mut w),
        Kind::Namespace => namespace(obj, &mut w),
        Kind::Deployment => workloads::deployment(c, obj, &mut w),
        Kind::ReplicaSet => workloads::replicaset(c, obj, &mut w),
        Kind::ConfigMap => config::configmap(c, obj, &mut w),
        Kind::Secret => config::secret(obj, &mut w),
        Kind::ServiceAccount => config::service_account(c, obj, &mut w),
        Kind::Service => service::service(c, obj, &mut w),
        Kind::Endpoints => service::endpoints(c, obj, &mut w),
        _ => return None,
    }
    Some(tabwriter::format(&w, tabwriter::DESCRIBE))
}

fn line(w: &mut String, indent: usize, text: &str) {
    for _ in 0..indent {
        w.push_str("  ");
    }
    w.push_str(text);
    w.push('\n');
}

/// A `Key:\tv1` line with continuation lines `\tv2` for the rest.
fn multiline(w: &mut String, indent: usize, key: &str, values: &[String]) {
    match values.split_first() {
        None => line(w, indent, &format!("{key}:\t<none>")),
        Some((first, rest)) => {
            line(w, indent, &format!("{key}:\t{first}"));
            for v in rest {
                line(w, indent, &format!("\t{v}"));
            }
        }
    }
}

fn labels(obj: &Value) -> Vec<String> {
    meta::labels(obj)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// `printAnnotationsMultiline`: sorted, last-applied skipped, long values folded.
fn annotations(obj: &Value, path: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in meta::string_map(obj, path) {
        if k == super::apply::LAST_APPLIED {
            continue;
        }
        if k.len() + v.len() + 2 > 140 || v.contains('\n') {
            let folded: String = v.chars().take(138).collect();
            out.push(format!("{k}: "));
            out.push(format!("  {folded}..."));
        } else {
            out.push(format!("{k}: {v}"));
        }
    }
    out
}

fn time(obj: &Value, path: &[&str]) -> String {
    meta::timestamp(obj, path).map_or("<unset>".to_string(), SimTime::rfc1123z)
}

fn daemonset(c: &Cluster, ds: &Value, w: &mut String) {
    let s = |k: &str| meta::i64_at(ds, &["status", k]).unwrap_or(0);
    line(w, 0, &format!("Name:\t{}", meta::name(ds)));
    let sel = LabelSelector::from_value(meta::at(ds, &["spec", "selector"]))
        .map_or("<none>".to_string(), |s| s.to_kubectl_string());
    line(w, 0, &format!("Selector:\t{sel}"));
    let ns_sel = scheduling::format_labels(&meta::string_map(
        ds,
        &["spec", "template", "spec", "nodeSelector"],
    ));
    line(w, 0, &format!("Node-Selector:\t{ns_sel}"));
    multiline(w, 0, "Labels", &labels(ds));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(ds, &["metadata", "annotations"]),
    );
    line(
        w,
        0,
        &format!(
            "Desired Number of Nodes Scheduled: {}",
            s("desiredNumberScheduled")
        ),
    );
    line(
        w,
        0,
        &format!(
            "Current Number of Nodes Scheduled: {}",
            s("currentNumberScheduled")
        ),
    );
    line(
        w,
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}",
            s("updatedNumberScheduled")
        ),
    );
    line(
        w,
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}",
            s("numberAvailable")
        ),
    );
    line(
        w,
        0,
        &format!("Number of Nodes Misscheduled: {}", s("numberMisscheduled")),
    );
    let uid = meta::uid(ds);
    pods_status(
        w,
        c.list(Kind::Pod, Some(meta::namespace(ds)))
            .filter(|p| meta::controller_ref(p).is_some_and(|(_, _, u)| u == uid)),
    );
    line(w, 0, "Pod Template:");
    multiline(
        w,
        1,
        "Labels",
        &meta::string_map(ds, &["spec", "template", "metadata", "labels"])
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>(),
    );
    let ann = annotations(ds, &["spec", "template", "metadata", "annotations"]);
    if !ann.is_empty() {
        multiline(w, 1, "Annotations", &ann);
    }
    let sa = meta::str_at(ds, &["spec", "template", "spec", "serviceAccountName"]);
    if !sa.is_empty() {
        line(w, 1, &format!("Service Account:\t{sa}"));
    }
    line(w, 1, "Containers:");
    for ctr in meta::at(ds, &["spec", "template", "spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        // describeContainerBasicInfo: a template's container names get one extra space;
        // their fields stay at the usual level.
        line(w, 1, &format!(" {}:", meta::str_at(&ctr, &["name"])));
        line(w, 2, &format!("Image:\t{}", meta::str_at(&ctr, &["image"])));
        describe_container_body(w, &ctr, None, None);
    }
    volumes(
        meta::at(ds, &["spec", "template", "spec"]).unwrap_or(&Value::Null),
        "  ",
        w,
    );
    events(c, Kind::DaemonSet, meta::namespace(ds), meta::name(ds), w);
}

fn namespace(ns: &Value, w: &mut String) {
    line(w, 0, &format!("Name:\t{}", meta::name(ns)));
    multiline(w, 0, "Labels", &labels(ns));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(ns, &["metadata", "annotations"]),
    );
    line(
        w,
        0,
        &format!("Status:\t{}", meta::str_at(ns, &["status", "phase"])),
    );
    w.push('\n');
    line(w, 0, "No resource quota.");
    w.push('\n');
    line(w, 0, "No LimitRange resource.");
}

/// `DescribeEvents`: oldest first; `Events:\t<none>` when there are none.
fn events(c: &Cluster, kind: Kind, ns: &str, name: &str, w: &mut String) {
    let evs = c.events_for(kind, ns, name);
    if evs.is_empty() {
        line(w, 0, "Events:\t<none>");
        return;
    }
    line(w, 0, "Events:");
    line(w, 1, "Type\tReason\tAge\tFrom\tMessage");
    line(w, 1, "----\t------\t----\t----\t-------");
    for e in evs {
        let first = meta::timestamp(e, &["firstTimestamp"]).unwrap_or_default();
        let last = meta::timestamp(e, &["lastTimestamp"]).unwrap_or(first);
        let count = meta::i64_at(e, &["count"]).unwrap_or(1);
        let age = if count > 1 {
            format!(
                "{} (x{} over {})",
                human_duration(c.now().since(last)),
                count,
                human_duration(c.now().since(first))
            )
        } else {
            human_duration(c.now().since(first))
        };
        line(
            w,
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}",
                meta::str_at(e, &["type"]),
                meta::str_at(e, &["reason"]),
                age,
                meta::str_at(e, &["source", "component"]),
                meta::str_at(e, &["message"]).trim()
            ),
        );
    }
}

/// describe's `Pods Status:` line: the controller's pods counted by phase (Pending counts
/// as Waiting).
fn pods_status<'a>(w: &mut String, pods: impl Iterator<Item = &'a Value>) {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in pods {
        match pod::phase(p) {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    line(
        w,
        0,
        &format!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"
        ),
    );
}
