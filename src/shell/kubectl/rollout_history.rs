//! `kubectl rollout history` and `rollout undo` (kubectl v1.21 `polymorphichelpers`
//! `history.go` and `rollback.go`): a DaemonSet's revisions are its ControllerRevisions,
//! a Deployment's are its ReplicaSets with their revision annotation.
//!
//! Must not import: the terminal, std::fs, std::process.

use std::collections::BTreeMap;

use crate::engine::value::{Value, json};

use super::describe::workloads::pod_template;
use super::flags::value;
use super::output::{self, Format};
use super::rollout::{group_kind, int_flag, objects, parse_flags};
use super::{Ctx, Io, label};
use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta};
use crate::tabwriter;

/// The revision annotation the Deployment controller keeps on Deployments and ReplicaSets.
pub const REVISION: &str = "deployment.kubernetes.io/revision";
/// The annotation `rollout history` shows as CHANGE-CAUSE.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// The label the Deployment controller adds to each ReplicaSet's template.
const HASH_LABEL: &str = "pod-template-hash";
/// Deployment annotations `undo` keeps from the Deployment rather than the ReplicaSet
/// (`annotationsToSkip` in rollback.go).
const SKIPPED_ANNOTATIONS: [&str; 6] = [
    super::apply::LAST_APPLIED,
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// One revision of a workload: its number, pod template and change cause.
#[derive(Clone, Debug, PartialEq)]
struct Revision {
    number: i64,
    template: Value,
    change_cause: String,
    /// The object holding it (a ControllerRevision or a ReplicaSet), for rollback.
    holder: Value,
}

/// The revisions of a DaemonSet or Deployment, by number (a later holder of the same number
/// wins, as kubectl's map does).
fn revisions(c: &Cluster, kind: Kind, obj: &Value) -> BTreeMap<i64, Revision> {
    let uid = meta::uid(obj);
    let ns = meta::namespace(obj);
    let owned = |o: &&Value| meta::controller_ref(o).is_some_and(|(_, _, u)| u == uid);
    let mut out = BTreeMap::new();
    match kind {
        Kind::DaemonSet => {
            for cr in c.list(Kind::ControllerRevision, Some(ns)).filter(owned) {
                let Some(number) = cr.get("revision").and_then(Value::as_i64) else {
                    continue;
                };
                let mut template = meta::at(cr, &["data", "spec", "template"])
                    .cloned()
                    .unwrap_or_default();
                meta::remove(&mut template, &["$patch"]);
                out.insert(
                    number,
                    Revision {
                        number,
                        template,
                        change_cause: meta::annotation(cr, CHANGE_CAUSE)
                            .unwrap_or_default()
                            .to_string(),
                        holder: cr.clone(),
                    },
                );
            }
        }
        _ => {
            for rs in c.list(Kind::ReplicaSet, Some(ns)).filter(owned) {
                let Some(number) = meta::annotation(rs, REVISION).and_then(|r| r.parse().ok())
                else {
                    continue;
                };
                out.insert(
                    number,
                    Revision {
                        number,
                        template: meta::at(rs, &["spec", "template"])
                            .cloned()
                            .unwrap_or_default(),
                        change_cause: meta::annotation(rs, CHANGE_CAUSE)
                            .unwrap_or_default()
                            .to_string(),
                        holder: rs.clone(),
                    },
                );
            }
        }
    }
    out
}

/// `kubectl rollout history`.
pub fn history(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let Some(p) = parse_flags(args, "history", &[value("revision", None)], io) else {
        return;
    };
    let Some(revision) = int_flag(&p, "revision", "history", io) else {
        return;
    };
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    if p.args.is_empty() && p.values("filename").is_empty() {
        return io.fail("error: required resource not specified\n");
    }
    if revision < 0 {
        return io.fail(format!(
            "error: revision must be a positive integer: {revision}\n"
        ));
    }
    let Some(found) = objects(ctx, &p, io) else {
        return;
    };
    for (t, obj) in found {
        if !matches!(t.kind, Kind::DaemonSet | Kind::Deployment) {
            return io.fail(format!(
                "error: no history viewer has been implemented for {:?}\n",
                group_kind(t.kind)
            ));
        }
        let revs = revisions(ctx.cluster, t.kind, &obj);
        let body = if revs.is_empty() {
            "No rollout history found.".to_string()
        } else if revision > 0 {
            let Some(r) = revs.get(&revision) else {
                return io.fail("error: unable to find the specified revision\n");
            };
            template_text(&r.template)
        } else {
            let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
            for r in revs.values() {
                let cause = if r.change_cause.is_empty() {
                    "<none>"
                } else {
                    r.change_cause.as_str()
                };
                table.push_str(&format!("{}\t{cause}\n", r.number));
            }
            tabwriter::format(&table, tabwriter::DESCRIBE)
        };
        let with_revision = if revision > 0 {
            format!("with revision #{revision}")
        } else {
            String::new()
        };
        label::print(
            io,
            &format,
            t.kind,
            &obj,
            &format!("{with_revision}\n{body}"),
            "",
        );
    }
}

/// `DescribePodTemplate` through a bare prefix writer: tabs stay tabs, as kubectl prints them.
fn template_text(template: &Value) -> String {
    let mut w = String::new();
    pod_template(&mut w, template);
    w
}

/// `kubectl rollout undo`.
pub fn undo(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let extra = [value("to-revision", None), value("dry-run", None)];
    let Some(p) = parse_flags(args, "undo", &extra, io) else {
        return;
    };
    let Some(to) = int_flag(&p, "to-revision", "undo", io) else {
        return;
    };
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let dry = match p.value("dry-run") {
        None | Some("none") => Dry::None,
        Some("client") => Dry::Client,
        Some("server") => Dry::Server,
        Some(other) => {
            return io.fail(format!(
                "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n"
            ));
        }
    };
    let Some(found) = objects(ctx, &p, io) else {
        return;
    };
    for (t, obj) in found {
        let result = match t.kind {
            Kind::DaemonSet => undo_daemonset(ctx.cluster, &obj, to, dry),
            Kind::Deployment => undo_deployment(ctx.cluster, &obj, to, dry),
            k => Err(format!(
                "no rollbacker has been implemented for {:?}",
                group_kind(k)
            )),
        };
        match result {
            Ok(op) => {
                let suffix = match dry {
                    Dry::None => "",
                    Dry::Client => " (dry run)",
                    Dry::Server => " (server dry run)",
                };
                if matches!(format, Format::Table | Format::Wide) {
                    io.out.push_str(&format!(
                        "{} {op}{suffix}\n",
                        output::object_name(t.kind, &obj)
                    ));
                } else {
                    label::print(io, &format, t.kind, &obj, &op, suffix);
                }
            }
            Err(e) => return io.fail(format!("error: {e}\n")),
        }
    }
}

/// `--dry-run` as kubectl's `DryRunStrategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dry {
    None,
    Client,
    Server,
}

fn revision_not_found(r: i64) -> String {
    format!("unable to find specified revision {r} in history")
}

fn skipped(r: i64) -> String {
    format!("skipped rollback (current template already matches revision {r})")
}

/// `DaemonSetRollbacker.Rollback`: the previous (or given) ControllerRevision's template.
fn undo_daemonset(c: &mut Cluster, ds: &Value, to: i64, dry: Dry) -> Result<String, String> {
    if to < 0 {
        return Err(revision_not_found(to));
    }
    let revs = revisions(c, Kind::DaemonSet, ds);
    if to == 0 && revs.len() <= 1 {
        return Err("no last revision to roll back to".into());
    }
    let target = if to == 0 {
        revs.values().rev().nth(1)
    } else {
        revs.get(&to)
    };
    let Some(target) = target else {
        return Err(revision_not_found(to));
    };
    if dry == Dry::Client {
        return Ok(format!(
            "will roll back to {}",
            template_text(&target.template)
        ));
    }
    if meta::at(ds, &["spec", "template"]) == Some(&target.template) {
        return Ok(skipped(to));
    }
    if dry == Dry::Server {
        return Ok("rolled back".into());
    }
    let mut updated = ds.clone();
    updated["spec"]["template"] = target.template.clone();
    c.update(Kind::DaemonSet, updated)
        .map(|_| "rolled back".to_string())
        .map_err(|e| format!("failed restoring revision {to}: {}", e.message()))
}

/// `DeploymentRollbacker.Rollback`: the previous (or given) ReplicaSet's template, without
/// its pod-template-hash label, and its annotations.
fn undo_deployment(c: &mut Cluster, d: &Value, to: i64, dry: Dry) -> Result<String, String> {
    if to < 0 {
        return Err(revision_not_found(to));
    }
    let revs = revisions(c, Kind::Deployment, d);
    let target = if to == 0 {
        revs.values().rev().nth(1)
    } else {
        revs.get(&to)
    };
    let Some(target) = target else {
        return Err(if to > 0 {
            revision_not_found(to)
        } else {
            format!(
                "no rollout history found for deployment {:?}",
                meta::name(d)
            )
        });
    };
    if dry == Dry::Client {
        return Ok(template_text(&target.template));
    }
    if meta::at(d, &["spec", "paused"]).and_then(Value::as_bool) == Some(true) {
        return Err(format!(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{}' and try again",
            meta::name(d)
        ));
    }
    let mut template = target.template.clone();
    meta::remove(&mut template, &["metadata", "labels", HASH_LABEL]);
    let mut current = meta::at(d, &["spec", "template"])
        .cloned()
        .unwrap_or_default();
    meta::remove(&mut current, &["metadata", "labels", HASH_LABEL]);
    if template == current {
        return Ok(skipped(to));
    }
    let mut annotations = crate::engine::value::Map::new();
    for (k, v) in meta::string_map(d, &["metadata", "annotations"]) {
        if SKIPPED_ANNOTATIONS.contains(&k.as_str()) {
            annotations.insert(k, json!(v));
        }
    }
    for (k, v) in meta::string_map(&target.holder, &["metadata", "annotations"]) {
        if !SKIPPED_ANNOTATIONS.contains(&k.as_str()) {
            annotations.insert(k, json!(v));
        }
    }
    if dry == Dry::Server {
        return Ok("rolled back".into());
    }
    let mut updated = d.clone();
    updated["spec"]["template"] = template;
    meta::set(
        &mut updated,
        &["metadata", "annotations"],
        Value::Object(annotations),
    );
    c.update(Kind::Deployment, updated)
        .map(|_| "rolled back".to_string())
        .map_err(|e| format!("failed restoring revision {to}: {}", e.message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_daemonset(c: &mut Cluster, image: &str) {
        let ds = json!({
            "apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "demo", "namespace": "default"},
            "spec": {
                "selector": {"matchLabels": {"app": "demo"}},
                "template": {"metadata": {"labels": {"app": "demo"}},
                             "spec": {"containers": [{"name": "demo", "image": image}]}},
            },
        });
        if let Some(live) = c.get(Kind::DaemonSet, "default", "demo").cloned() {
            let mut next = live;
            next["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
            c.update(Kind::DaemonSet, next).unwrap();
        } else {
            c.create(Kind::DaemonSet, ds).unwrap();
        }
    }

    fn image(c: &Cluster) -> String {
        let ds = c.get(Kind::DaemonSet, "default", "demo").unwrap();
        ds["spec"]["template"]["spec"]["containers"][0]["image"]
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn daemonset_undo_needs_two_revisions_and_restores_the_previous_template() {
        let mut c = Cluster::kind(7, 3);
        demo_daemonset(&mut c, "demo:1.0.0");
        let ds = c.get(Kind::DaemonSet, "default", "demo").cloned().unwrap();
        assert_eq!(
            undo_daemonset(&mut c, &ds, 0, Dry::None),
            Err("no last revision to roll back to".into())
        );
        demo_daemonset(&mut c, "demo:2.0.0");
        let ds = c.get(Kind::DaemonSet, "default", "demo").cloned().unwrap();
        assert_eq!(revisions(&c, Kind::DaemonSet, &ds).len(), 2);
        assert_eq!(
            undo_daemonset(&mut c, &ds, 5, Dry::None),
            Err("unable to find specified revision 5 in history".into())
        );
        assert_eq!(
            undo_daemonset(&mut c, &ds, 2, Dry::None),
            Ok("skipped rollback (current template already matches revision 2)".into())
        );
        assert_eq!(
            undo_daemonset(&mut c, &ds, 0, Dry::None),
            Ok("rolled back".into())
        );
        assert_eq!(image(&c), "demo:1.0.0");
    }

    #[test]
    fn deployment_without_an_older_replicaset_has_no_history_to_undo() {
        let mut c = Cluster::kind(7, 3);
        let d = c
            .get(Kind::Deployment, "kube-system", "coredns")
            .cloned()
            .unwrap();
        assert_eq!(revisions(&c, Kind::Deployment, &d).len(), 1);
        assert_eq!(
            undo_deployment(&mut c, &d, 0, Dry::None),
            Err("no rollout history found for deployment \"coredns\"".into())
        );
        assert_eq!(
            undo_deployment(&mut c, &d, 1, Dry::None),
            Ok("skipped rollback (current template already matches revision 1)".into())
        );
    }
}
