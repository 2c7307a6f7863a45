//! `kubectl exec [-i] [-t] [-c CONTAINER] (POD | TYPE/NAME) [--] COMMAND [ARGS...]`
//! (kubectl v0.21.1 `pkg/cmd/exec/exec.go`): flags before or after the target, the
//! deprecation line without `--`, the pod a workload reaches (`attachablePodForObject`:
//! the selector's pods sorted by `sort.Reverse(podutils.ActivePods)`, first), the API
//! server's and kubelet's refusals, and the remote exit status
//! (`command terminated with exit code N`, `pkg/cmd/util/helpers.go`). The simulated
//! terminal counts as a TTY, so `-it` never prints "Unable to use a TTY".
//!
//! Must not import: ratatui, crossterm, tokio, std::fs, std::process.

use std::cmp::Ordering;
use std::time::Duration;

use crate::engine::value::Value;

use super::flags::{self, Flag, boolean, value};
use super::{Ctx, Io, messages};
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{ApiError, SimTime};
use crate::shell::container::{self, Target};

const COMMAND: &str = "kubectl exec";

const FLAGS: &[Flag] = &[
    value("container", Some('c')),
    boolean("stdin", Some('i')),
    boolean("tty", Some('t')),
    boolean("quiet", Some('q')),
    value("filename", Some('f')),
    value("pod-running-timeout", None),
];

/// exec.go's `Complete`, printed when the command is not after `--`.
const DEPRECATED: &str = "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n";
/// exec.go's `Validate`.
const NO_TARGET: &str = "error: pod, type/name or --filename must be specified\n";
const NO_COMMAND: &str = "error: you must specify at least one command for the container\n";
/// `GetFirstPod` when no pod matches before `--pod-running-timeout` (`wait.ErrWaitTimeout`).
const TIMED_OUT: &str = "error: timed out waiting for the condition\n";
/// kubectl's default `--pod-running-timeout` for exec (`defaultPodExecTimeout`).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The command line, parsed (exec.go's `Complete` and `Validate`).
struct Request {
    resource: String,
    command: Vec<String>,
    container: Option<String>,
    stdin: bool,
    tty: bool,
    quiet: bool,
    namespace: String,
    timeout: Duration,
    /// The deprecation line, when the command was not after `--`.
    deprecated: bool,
}

/// Where the command runs, once the pod and container are found.
struct Resolved {
    namespace: String,
    pod: String,
    container: String,
    image: String,
}

fn parse(args: &[String]) -> Result<Request, String> {
    // cobra's ArgsLenAtDash: the positionals before a literal `--`.
    let dash = args.iter().position(|a| a == "--");
    let (before, after) = match dash {
        Some(i) => (&args[..i], Some(&args[i + 1..])),
        None => (args, None),
    };
    let p = flags::parse(before, FLAGS).map_err(|e| messages::flag_error(COMMAND, &e))?;
    let quiet = p.flag("quiet");
    let (resource, command, deprecated) = match after {
        Some(rest) => (p.args.first(), rest.to_vec(), false),
        None => (
            p.args.first(),
            p.args.iter().skip(1).cloned().collect(),
            p.args.len() > 1 && !quiet,
        ),
    };
    if p.given("filename") {
        return Err(
            "error: kubetutor: kubectl exec -f is not simulated; name the pod or TYPE/NAME\n"
                .into(),
        );
    }
    let Some(resource) = resource else {
        return Err(NO_TARGET.into());
    };
    if command.is_empty() {
        return Err(NO_COMMAND.into());
    }
    let timeout = match p.value("pod-running-timeout").map(parse_duration) {
        None => DEFAULT_TIMEOUT,
        Some(Some(d)) if d > Duration::ZERO => d,
        Some(_) => {
            return Err(messages::usage_error(
                COMMAND,
                "--pod-running-timeout must be higher than zero",
            ));
        }
    };
    Ok(Request {
        resource: resource.clone(),
        command,
        container: p.value("container").map(str::to_string),
        stdin: p.flag("stdin"),
        // SetupTTY: a TTY only with both -i and -t; the simulated terminal is one.
        tty: p.flag("stdin") && p.flag("tty"),
        quiet,
        namespace: p.value("namespace").unwrap_or("default").to_string(),
        timeout,
        deprecated,
    })
}

/// Finds the pod and container, printing what kubectl prints on the way (the
/// deprecation line, `Defaulted container`), or fails as kubectl does.
fn resolve(ctx: &mut Ctx<'_>, req: &Request, io: &mut Io) -> Option<Resolved> {
    if req.deprecated {
        io.err.push_str(DEPRECATED);
    }
    let namespace = req.namespace.clone();
    let pod = match find_pod(ctx, &req.resource, &namespace, req.timeout) {
        Ok(pod) => pod,
        Err(e) => {
            io.fail(e);
            return None;
        }
    };
    let name = meta::name(&pod).to_string();
    if let Some(e) = completed(&pod) {
        io.fail(e);
        return None;
    }
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    let names = pod::container_names(spec);
    let container = match &req.container {
        Some(c) => c.clone(),
        None => {
            let Some(first) = names.first() else {
                io.fail(format!(
                    "error: pod {namespace}/{name} does not have any containers\n"
                ));
                return None;
            };
            if names.len() > 1 && !req.quiet {
                // podcmd.FindOrDefaultContainerByName.
                io.err.push_str(&format!(
                    "Defaulted container {first:?} out of: {}\n",
                    names.join(", ")
                ));
            }
            first.to_string()
        }
    };
    if let Some(e) = server_refusal(&pod, &container) {
        io.fail(e);
        return None;
    }
    let image = meta::at(spec, &["containers"])
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| meta::str_at(c, &["name"]) == container))
        .map(|c| meta::str_at(c, &["image"]).to_string())
        .unwrap_or_default();
    Some(Resolved {
        namespace,
        pod: name,
        container,
        image,
    })
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], stdin: &str, io: &mut Io) {
    let req = match parse(args) {
        Ok(req) => req,
        Err(e) => return io.fail(e),
    };
    let Some(at) = resolve(ctx, &req, io) else {
        return;
    };
    let target = Target {
        namespace: &at.namespace,
        pod: &at.pod,
        container: &at.container,
        image: &at.image,
        tty: req.tty,
    };
    let input = if req.stdin { stdin } else { "" };
    let out = match container::exec(
        ctx.cluster,
        &target,
        &req.command,
        input,
        ctx.pace.as_mut().map(|(p, live)| (&mut **p, *live)),
    ) {
        Ok(out) => out,
        Err(e) => return io.fail(e),
    };
    report(io, &out, req.tty);
}

/// What kubectl prints of the remote command's streams and status.
fn report(io: &mut Io, out: &crate::shell::Output, tty: bool) {
    io.out.push_str(&out.stdout);
    if tty {
        // With a TTY the remote stderr arrives on the same stream as stdout.
        io.out.push_str(&out.stderr);
    } else {
        io.err.push_str(&out.stderr);
    }
    if out.status != 0 {
        // utilexec.ExitError: printed without `error: `, and kubectl exits with it.
        io.err.push_str(&format!(
            "command terminated with exit code {}\n",
            out.status
        ));
        io.status = out.status;
    }
}

/// `kubectl exec -it POD -- bash` with nothing piped in: an interactive shell in the
/// container, which the learner's next lines run in until `exit`. None when the line is
/// not such a request (then `run` handles it); otherwise the container's shell, or what
/// kubectl printed when it could not start one.
pub(crate) fn attach(
    ctx: &mut Ctx<'_>,
    args: &[String],
    stdin: &str,
) -> Option<Result<(Box<crate::shell::Shell>, super::super::Output), super::super::Output>> {
    let req = parse(args).ok()?;
    let interactive_shell = matches!(
        req.command.first().map(String::as_str),
        Some("bash" | "sh" | "/bin/bash" | "/bin/sh" | "/usr/bin/bash")
    ) && req.command[1..]
        .iter()
        .all(|a| matches!(a.as_str(), "-i" | "-l" | "-il" | "-li" | "--login"));
    if !req.tty || !stdin.is_empty() || !interactive_shell {
        return None;
    }
    let mut io = Io::default();
    let done = |io: Io| super::super::Output {
        stdout: io.out,
        stderr: io.err,
        status: io.status,
    };
    let Some(at) = resolve(ctx, &req, &mut io) else {
        return Some(Err(done(io)));
    };
    let target = Target {
        namespace: &at.namespace,
        pod: &at.pod,
        container: &at.container,
        image: &at.image,
        tty: true,
    };
    if !container::has_program(&at.image, &req.command[0]) {
        // The runtime's refusal, as for any command the image lacks.
        match container::exec(ctx.cluster, &target, &req.command, "", None) {
            Ok(out) => report(&mut io, &out, true),
            Err(e) => io.fail(e),
        }
        return Some(Err(done(io)));
    }
    Some(
        match container::attach(ctx.cluster, &target, &req.command) {
            Ok(shell) => Ok((shell, done(io))),
            Err(e) => {
                io.fail(e);
                Err(done(io))
            }
        },
    )
}

/// exec.go's client-side check: a pod that has finished cannot be entered.
fn completed(pod: &Value) -> Option<String> {
    let phase = pod::phase(pod);
    (phase == "Succeeded" || phase == "Failed").then(|| {
        format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}\n"
        )
    })
}

/// The API server's exec subresource (`streamLocation` in pkg/registry/core/pod): the
/// container must be the pod's, the pod must be on a node.
fn server_refusal(pod: &Value, container: &str) -> Option<String> {
    let name = meta::name(pod);
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    if !pod::container_names(spec).contains(&container) {
        return Some(format!(
            "Error from server (BadRequest): container {container} is not valid for pod {name}\n"
        ));
    }
    pod::node_name(pod).is_empty().then(|| {
        format!("Error from server (BadRequest): pod {name} does not have a host assigned\n")
    })
}

/// The pod `POD` or `TYPE/NAME` reaches, waiting up to `timeout` for a workload's first pod.
fn find_pod(
    ctx: &mut Ctx<'_>,
    resource: &str,
    ns: &str,
    timeout: Duration,
) -> Result<Value, String> {
    let (kind, name) = match resource.split_once('/') {
        Some((t, n)) => match crate::api::resources::kind_of(t) {
            Ok(k) => (k, n),
            Err(_) => return Err(messages::unknown_resource_type(t)),
        },
        None => (Kind::Pod, resource),
    };
    let scope = if kind.is_namespaced() { ns } else { "" };
    let Some(obj) = ctx.cluster.get(kind, scope, name).cloned() else {
        return Err(format!(
            "Error from server (NotFound): {}\n",
            ApiError::NotFound {
                kind,
                name: name.to_string()
            }
            .message()
        ));
    };
    if kind == Kind::Pod {
        return Ok(obj);
    }
    let selector = match kind {
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => {
            meta::string_map(&obj, &["spec", "selector", "matchLabels"])
        }
        Kind::Service => meta::string_map(&obj, &["spec", "selector"]),
        other => {
            // polymorphichelpers.SelectorsForObject's refusal, wrapped by attachablePodForObject.
            let t = format!("*v1.{}", other.name());
            return Err(format!(
                "error: cannot attach to {t}: selector for {t} not implemented\n"
            ));
        }
    };
    if selector.is_empty() && kind == Kind::Service {
        return Err(format!(
            "error: cannot attach to *v1.Service: invalid service '{name}': Service is defined without a selector\n"
        ));
    }
    let deadline = ctx.cluster.now() + timeout;
    loop {
        let pods: Vec<&Value> = ctx
            .cluster
            .list(Kind::Pod, Some(ns))
            .filter(|p| {
                let labels = meta::labels(p);
                selector.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
            .collect();
        if let Some(best) = most_active(&pods) {
            return Ok(best.clone());
        }
        if ctx.cluster.now() >= deadline {
            return Err(TIMED_OUT.to_string());
        }
        ctx.cluster.advance(Duration::from_secs(1));
    }
}

/// The first pod of `sort.Reverse(podutils.ActivePods(pods))`: the greatest by
/// ActivePods' order, the earliest by name among equals (Go's insertion sort is stable
/// for the few pods a workload has).
fn most_active<'a>(pods: &[&'a Value]) -> Option<&'a Value> {
    let mut best: Option<&Value> = None;
    for p in pods {
        best = match best {
            Some(b) if active_cmp(b, p) != Ordering::Less => Some(b),
            _ => Some(p),
        };
    }
    best
}

/// `podutils.ActivePods.Less` as an ordering (Less = "less active").
fn active_cmp(a: &Value, b: &Value) -> Ordering {
    let assigned = |p: &Value| !pod::node_name(p).is_empty();
    if assigned(a) != assigned(b) {
        return assigned(a).cmp(&assigned(b));
    }
    let rank = |p: &Value| match pod::phase(p) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
    if rank(a) != rank(b) {
        return rank(a).cmp(&rank(b));
    }
    let ready = |p: &Value| pod::condition_true(p, "Ready");
    if ready(a) != ready(b) {
        return ready(a).cmp(&ready(b));
    }
    if ready(a) && ready(b) {
        let (ta, tb) = (ready_time(a), ready_time(b));
        if ta != tb {
            // Ready more recently is less: the one ready longer is more active.
            return tb.cmp(&ta);
        }
    }
    let restarts = |p: &Value| {
        meta::at(p, &["status", "containerStatuses"])
            .and_then(Value::as_array)
            .map_or(0, |a| {
                a.iter()
                    .filter_map(|c| meta::i64_at(c, &["restartCount"]))
                    .max()
                    .unwrap_or(0)
            })
    };
    if restarts(a) != restarts(b) {
        // More restarts is less active.
        return restarts(b).cmp(&restarts(a));
    }
    let (ca, cb) = (meta::creation(a), meta::creation(b));
    if ca != cb {
        // Newer is less: the older pod is more active.
        return cb.cmp(&ca);
    }
    Ordering::Equal
}

fn ready_time(p: &Value) -> Option<SimTime> {
    meta::at(p, &["status", "conditions"])
        .and_then(Value::as_array)?
        .iter()
        .find(|c| meta::str_at(c, &["type"]) == "Ready" && meta::str_at(c, &["status"]) == "True")
        .and_then(|c| meta::timestamp(c, &["lastTransitionTime"]))
}

/// Go's `time.ParseDuration` for the simple forms (`30s`, `1m`, `1m30s`, `500ms`).
fn parse_duration(s: &str) -> Option<Duration> {
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let n: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let secs = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => return None,
        };
        total += Duration::try_from_secs_f64(n * secs).ok()?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

#[cfg(test)]
#[path = "exec_tests.rs"]
mod tests;
