//! `kubectl cordon`, `uncordon` and `drain`: mark nodes (un)schedulable, and evict a node's
//! pods with kubectl v1.21's filters (`pkg/drain/filters.go`): DaemonSet-managed pods
//! refuse the drain unless `--ignore-daemonsets`, unmanaged pods need `--force`, emptyDir
//! pods need `--delete-emptydir-data`, mirror pods are skipped. Simulated time passes while
//! drain waits for its evictions.
//!
//! Must not import: the terminal, std::fs, std::process.

use std::time::Duration;

use crate::engine::value::{Value, json};

use super::flags::{self, Flag, Parsed, boolean, value};
use super::{Ctx, Io, messages};
use crate::api::selector;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{ApiError, DeleteOptions};

/// Which of the three commands runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Cordon,
    Uncordon,
    Drain,
}

impl Verb {
    fn word(self) -> &'static str {
        match self {
            Verb::Cordon => "cordon",
            Verb::Uncordon => "uncordon",
            Verb::Drain => "drain",
        }
    }
}

const CORDON_FLAGS: &[Flag] = &[value("selector", Some('l')), value("dry-run", None)];

const DRAIN_FLAGS: &[Flag] = &[
    value("selector", Some('l')),
    value("dry-run", None),
    boolean("force", None),
    boolean("ignore-daemonsets", None),
    boolean("ignore-errors", None),
    boolean("delete-local-data", None),
    boolean("delete-emptydir-data", None),
    value("grace-period", None),
    value("timeout", None),
    value("pod-selector", None),
    boolean("disable-eviction", None),
    value("skip-wait-for-delete-timeout", None),
];

/// How long drain waits for its evictions at most (kubectl waits forever by default; the
/// tutor stops sooner, as nothing it simulates takes longer).
const WAIT_LIMIT: Duration = Duration::from_secs(600);

/// The filters' fatal and warning texts (`filters.go`).
const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
const UNMANAGED_FATAL: &str = "Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet (use --force to override)";
const UNMANAGED_WARNING: &str =
    "deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet";

pub fn run(ctx: &mut Ctx<'_>, args: &[String], verb: Verb, io: &mut Io) {
    let command = format!("kubectl {}", verb.word());
    let specs = if verb == Verb::Drain {
        DRAIN_FLAGS
    } else {
        CORDON_FLAGS
    };
    let p = match flags::parse(args, specs) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(&command, &e)),
    };
    if p.args.is_empty() && !p.given("selector") {
        return io.fail(messages::usage_error(
            &command,
            &format!("USAGE: {} NODE [flags]", verb.word()),
        ));
    }
    if verb == Verb::Drain && !p.args.is_empty() && p.given("selector") {
        return io.fail(messages::usage_error(
            &command,
            "error: cannot specify both a node name and a --selector option",
        ));
    }
    let nodes = match node_names(ctx, &p) {
        Ok(n) => n,
        Err(e) => return io.fail(e),
    };
    let dry = match p.value("dry-run") {
        Some("client") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    };
    let desired = verb != Verb::Uncordon;
    for name in &nodes {
        cordon(ctx, name, desired, dry, io);
    }
    if verb == Verb::Drain {
        drain(ctx, &p, &nodes, dry, io);
    }
}

/// The nodes named (each must exist, else NotFound) or selected with `-l`.
fn node_names(ctx: &Ctx<'_>, p: &Parsed) -> Result<Vec<String>, String> {
    if let Some(sel) = p.value("selector") {
        let sel = selector::parse_labels(sel)?;
        return Ok(ctx
            .cluster
            .list(Kind::Node, None)
            .filter(|n| sel.matches(&meta::labels(n)))
            .map(|n| meta::name(n).to_string())
            .collect());
    }
    let mut names = Vec::new();
    for a in &p.args {
        let name = match a.split_once('/') {
            Some((t, n)) => match crate::api::resources::lookup(t) {
                Some(Kind::Node) => n,
                Some(k) => {
                    return Err(format!(
                        "error: expected resource of type node, got \"{}\"\n",
                        k.plural()
                    ));
                }
                None => return Err(messages::unknown_resource_type(t)),
            },
            None => a.as_str(),
        };
        if ctx.cluster.get(Kind::Node, "", name).is_none() {
            return Err(format!(
                "{}\n",
                ApiError::NotFound {
                    kind: Kind::Node,
                    name: name.to_string()
                }
            ));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// `RunCordonOrUncordon` for one node.
fn cordon(ctx: &mut Ctx<'_>, name: &str, desired: bool, dry: &str, io: &mut Io) {
    let Some(node) = ctx.cluster.get(Kind::Node, "", name).cloned() else {
        return;
    };
    let current =
        meta::at(&node, &["spec", "unschedulable"]).and_then(Value::as_bool) == Some(true);
    let (already, changed) = if desired {
        ("already cordoned", "cordoned")
    } else {
        ("already uncordoned", "uncordoned")
    };
    if current == desired {
        io.out.push_str(&format!("node/{name} {already}\n"));
        return;
    }
    if dry.is_empty() {
        let mut updated = node;
        if desired {
            meta::set(&mut updated, &["spec", "unschedulable"], json!(true));
        } else {
            meta::remove(&mut updated, &["spec", "unschedulable"]);
        }
        if let Err(e) = ctx.cluster.update(Kind::Node, updated) {
            io.err.push_str(&format!(
                "error: unable to {} node {name:?}: {e}\n",
                if desired { "cordon" } else { "uncordon" }
            ));
            io.status = 1;
            return;
        }
    }
    io.out.push_str(&format!("node/{name} {changed}{dry}\n"));
}

/// What the filters decided for one pod.
enum Verdict {
    Delete,
    Skip,
    Warn { delete: bool, message: String },
    Fatal(String),
}

/// The filter chain of `makeFilters`, stopping at the first that does not delete.
fn verdict(ctx: &Ctx<'_>, p: &Parsed, pod: &Value) -> Verdict {
    let finished = matches!(pod::phase(pod), "Succeeded" | "Failed");
    let owner = meta::controller_ref(pod);
    let mut last = Verdict::Delete;
    if let Some(("DaemonSet", ds, _)) = owner
        && !finished
    {
        let exists = ctx
            .cluster
            .get(Kind::DaemonSet, meta::namespace(pod), ds)
            .is_some();
        let missing = format!("daemonsets.apps {ds:?} not found");
        last = match (exists, p.flag("force"), p.flag("ignore-daemonsets")) {
            (false, true, _) => Verdict::Warn {
                delete: true,
                message: missing,
            },
            (false, false, _) => Verdict::Fatal(missing),
            (true, _, false) => return Verdict::Fatal(DAEMONSET_FATAL.into()),
            (true, _, true) => {
                return Verdict::Warn {
                    delete: false,
                    message: DAEMONSET_WARNING.into(),
                };
            }
        };
        if matches!(last, Verdict::Fatal(_)) {
            return last;
        }
    }
    if meta::annotation(pod, "kubernetes.io/config.mirror").is_some() {
        return Verdict::Skip;
    }
    let empty_dir = meta::at(pod, &["spec", "volumes"])
        .and_then(Value::as_array)
        .is_some_and(|vs| vs.iter().any(|v| v.get("emptyDir").is_some()));
    if empty_dir && !finished {
        if !(p.flag("delete-emptydir-data") || p.flag("delete-local-data")) {
            return Verdict::Fatal(LOCAL_STORAGE_FATAL.into());
        }
        last = Verdict::Warn {
            delete: true,
            message: LOCAL_STORAGE_WARNING.into(),
        };
    }
    if !finished && owner.is_none() {
        if !p.flag("force") {
            return Verdict::Fatal(UNMANAGED_FATAL.into());
        }
        last = Verdict::Warn {
            delete: true,
            message: UNMANAGED_WARNING.into(),
        };
    }
    last
}

/// `RunDrain` after the cordon: each node's pods are filtered, then evicted and waited for.
fn drain(ctx: &mut Ctx<'_>, p: &Parsed, nodes: &[String], dry: &str, io: &mut Io) {
    let grace = match p.value("grace-period").map(str::parse::<i64>).transpose() {
        Ok(g) => g.filter(|g| *g >= 0),
        Err(_) => {
            return io.fail(messages::flag_error(
                "kubectl drain",
                "invalid argument for --grace-period",
            ));
        }
    };
    let pod_selector = match p.value("pod-selector").map(selector::parse_labels) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(_)) => {
            return io
                .fail("error: --pod-selector=<pod_selector> must be a valid label selector\n");
        }
    };
    let verb = if p.flag("disable-eviction") {
        "deleted"
    } else {
        "evicted"
    };
    for (i, node) in nodes.iter().enumerate() {
        let pods: Vec<Value> = ctx
            .cluster
            .list(Kind::Pod, None)
            .filter(|p| pod::node_name(p) == node)
            .filter(|p| {
                pod_selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&meta::labels(p)))
            })
            .cloned()
            .collect();
        let mut to_delete: Vec<Value> = Vec::new();
        let mut warnings: Vec<(String, Vec<String>)> = Vec::new();
        let mut fatals: Vec<(String, Vec<String>)> = Vec::new();
        for pod in pods {
            let id = format!("{}/{}", meta::namespace(&pod), meta::name(&pod));
            match verdict(ctx, p, &pod) {
                Verdict::Delete => to_delete.push(pod),
                Verdict::Skip => {}
                Verdict::Warn { delete, message } => {
                    group(&mut warnings, message, id);
                    if delete {
                        to_delete.push(pod);
                    }
                }
                Verdict::Fatal(message) => group(&mut fatals, message, id),
            }
        }
        if !fatals.is_empty() {
            io.err.push_str(&format!(
                "error: unable to drain node {node:?}, aborting command...\n\nThere are pending nodes to be drained:\n"
            ));
            for pending in &nodes[i..] {
                io.err.push_str(&format!(" {pending}\n"));
            }
            let lines: Vec<String> = fatals
                .iter()
                .map(|(m, pods)| format!("cannot delete {m}: {}", pods.join(", ")))
                .collect();
            if lines.len() == 1 {
                io.fail(format!("error: {}\n", lines[0]));
            } else {
                io.fail(format!("{}\n", lines.join("\n")));
            }
            return;
        }
        if !warnings.is_empty() {
            let text: Vec<String> = warnings
                .iter()
                .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
                .collect();
            io.err.push_str(&format!("WARNING: {}\n", text.join("; ")));
        }
        if !dry.is_empty() {
            for pod in &to_delete {
                io.out.push_str(&format!(
                    "evicting pod {}/{}{dry}\n",
                    meta::namespace(pod),
                    meta::name(pod)
                ));
            }
        } else {
            evict_and_wait(ctx, &to_delete, grace, verb, io);
        }
        io.out.push_str(&format!("node/{node} drained{dry}\n"));
    }
}

fn group(groups: &mut Vec<(String, Vec<String>)>, message: String, id: String) {
    match groups.iter_mut().find(|(m, _)| *m == message) {
        Some((_, ids)) => ids.push(id),
        None => groups.push((message, vec![id])),
    }
}

/// Evicts every pod at once, then lets time pass, printing each pod as it disappears.
fn evict_and_wait(ctx: &mut Ctx<'_>, pods: &[Value], grace: Option<i64>, verb: &str, io: &mut Io) {
    for pod in pods {
        if verb == "evicted" {
            io.out.push_str(&format!(
                "evicting pod {}/{}\n",
                meta::namespace(pod),
                meta::name(pod)
            ));
        }
        let opts = DeleteOptions {
            grace_period_seconds: grace,
        };
        // A pod already gone counts as evicted, as kubectl treats NotFound.
        let _ = ctx
            .cluster
            .delete(Kind::Pod, meta::namespace(pod), meta::name(pod), opts);
    }
    let deadline = ctx.cluster.now() + WAIT_LIMIT;
    let mut pending: Vec<&Value> = pods.iter().collect();
    loop {
        pending.retain(|pod| {
            let gone = ctx
                .cluster
                .get(Kind::Pod, meta::namespace(pod), meta::name(pod))
                .is_none_or(|now| meta::uid(now) != meta::uid(pod));
            if gone {
                io.out
                    .push_str(&format!("pod/{} {verb}\n", meta::name(pod)));
            }
            !gone
        });
        if pending.is_empty() {
            break;
        }
        let Some(next) = ctx.cluster.next_activity() else {
            break;
        };
        if next > deadline {
            break;
        }
        let step = (next.0 - ctx.cluster.now().0).max(0) as u64;
        ctx.cluster.advance(Duration::from_millis(step));
    }
}

#[cfg(test)]
#[path = "cordon_tests.rs"]
mod tests;
