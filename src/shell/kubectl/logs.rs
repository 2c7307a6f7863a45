//! `kubectl logs`: a container's simulated output, deterministic (stamped from the
//! container's start time, never a real clock): a few lines of our own for the workshop's
//! `demo` web app, plausible start-up lines for nginx and CoreDNS, nothing for the rest.
//! A container that is not running gets the kubelet's BadRequest as kubectl prints it.
//!
//! Must not import: the terminal, std::fs, std::process.

use crate::engine::value::Value;

use super::flags::{self, Flag, Parsed, boolean, value};
use super::{Ctx, Io, messages};
use crate::api::selector;
use crate::engine::objects::scheduling::LabelSelector;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{ApiError, SimTime};

const COMMAND: &str = "kubectl logs";

const FLAGS: &[Flag] = &[
    value("container", Some('c')),
    boolean("follow", Some('f')),
    boolean("previous", Some('p')),
    value("tail", None),
    boolean("timestamps", None),
    value("since", None),
    value("since-time", None),
    value("limit-bytes", None),
    value("selector", Some('l')),
    boolean("all-containers", None),
    boolean("prefix", None),
    value("max-log-requests", None),
    value("pod-running-timeout", None),
    boolean("ignore-errors", None),
    boolean("insecure-skip-tls-verify-backend", None),
];

const USAGE: &str = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(COMMAND, &e)),
    };
    let selector = p.value("selector");
    let mut container = p.value("container").map(str::to_string);
    match (p.args.len(), selector) {
        (0, None) => return io.fail(messages::usage_error(COMMAND, USAGE)),
        (1, Some(_)) => {
            return io.fail(messages::usage_error(
                COMMAND,
                "only a selector (-l) or a POD name is allowed",
            ));
        }
        (2, _) => {
            if container.is_some() {
                return io.fail("error: only one of -c or an inline [CONTAINER] arg is allowed\n");
            }
            container = Some(p.args[1].clone());
        }
        (n, _) if n > 2 => return io.fail(messages::usage_error(COMMAND, USAGE)),
        _ => {}
    }
    let tail: i64 = match p.value("tail").map(str::parse).transpose() {
        Ok(t) => t.unwrap_or(if selector.is_some() { 10 } else { -1 }),
        Err(_) => {
            let v = p.value("tail").unwrap_or("");
            return io.fail(messages::flag_error(
                COMMAND,
                &format!("invalid argument {v:?} for \"--tail\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"),
            ));
        }
    };
    if tail < -1 {
        return io.fail("error: --tail must be greater than or equal to -1\n");
    }
    if p.flag("all-containers") && container.is_some() {
        return io.fail(format!(
            "error: --all-containers=true should not be specified with container name {}\n",
            container.unwrap_or_default()
        ));
    }
    let namespace = p.value("namespace").unwrap_or("default").to_string();
    let pods = match pods_for(ctx, &p, &namespace, io) {
        Ok(pods) => pods,
        Err(e) => return io.fail(e),
    };
    if pods.is_empty() && selector.is_some() {
        io.err
            .push_str(&messages::no_resources_in_namespace(&namespace));
        return;
    }
    let now = ctx.cluster.now();
    for pod in &pods {
        let names: Vec<String> = if p.flag("all-containers") {
            pod::container_names(pod.get("spec").unwrap_or(&Value::Null))
                .into_iter()
                .map(str::to_string)
                .collect()
        } else {
            match pick_container(pod, container.as_deref()) {
                Ok(c) => vec![c],
                Err(e) => return io.fail(format!("error: {e}\n")),
            }
        };
        for c in names {
            let access = ctx
                .cluster
                .container_run(meta::namespace(pod), meta::name(pod), &c)
                .map(|r| r.access_log.clone())
                .unwrap_or_default();
            match container_lines(pod, &c, p.flag("previous"), now, &access) {
                Ok(lines) => {
                    let skip = if tail >= 0 {
                        lines.len().saturating_sub(tail as usize)
                    } else {
                        0
                    };
                    for (at, text) in &lines[skip..] {
                        if p.flag("prefix") {
                            io.out.push_str(&format!("[pod/{}/{c}] ", meta::name(pod)));
                        }
                        if p.flag("timestamps") {
                            io.out.push_str(&rfc3339_nano(*at));
                            io.out.push(' ');
                        }
                        io.out.push_str(text);
                        io.out.push('\n');
                    }
                }
                Err(e) => return io.fail(format!("{e}\n")),
            }
        }
    }
}

/// The pods asked for: by `-l`, by name, or the first pod of a workload (`TYPE/NAME`).
fn pods_for(ctx: &Ctx<'_>, p: &Parsed, ns: &str, io: &mut Io) -> Result<Vec<Value>, String> {
    if let Some(sel) = p.value("selector") {
        let sel = selector::parse_labels(sel)?;
        return Ok(ctx
            .cluster
            .list(Kind::Pod, Some(ns))
            .filter(|o| sel.matches(&meta::labels(o)))
            .cloned()
            .collect());
    }
    let Some(arg) = p.args.first() else {
        return Ok(Vec::new());
    };
    let (kind, name) = match arg.split_once('/') {
        Some((t, n)) => (crate::api::resources::kind_of(t)?, n),
        None => (Kind::Pod, arg.as_str()),
    };
    let scope = if kind.is_namespaced() { ns } else { "" };
    let Some(obj) = ctx.cluster.get(kind, scope, name) else {
        return Err(format!(
            "{}\n",
            ApiError::NotFound {
                kind,
                name: name.to_string()
            }
        ));
    };
    if kind == Kind::Pod {
        return Ok(vec![obj.clone()]);
    }
    let selector = match kind {
        Kind::DaemonSet | Kind::Deployment | Kind::ReplicaSet => {
            LabelSelector::from_value(meta::at(obj, &["spec", "selector"]))
        }
        Kind::Service => meta::at(obj, &["spec", "selector"])
            .filter(|s| s.is_object())
            .map(|_| LabelSelector {
                match_labels: meta::string_map(obj, &["spec", "selector"]),
                match_expressions: Vec::new(),
            }),
        _ => None,
    };
    let Some(selector) = selector else {
        return Err(format!(
            "error: cannot get the logs from {}\n",
            kind.resource_with_group()
        ));
    };
    let mut matching: Vec<&Value> = ctx
        .cluster
        .list(Kind::Pod, Some(ns))
        .filter(|o| selector.matches(&meta::labels(o)))
        .collect();
    // The most active pod first: running before pending, then by name.
    matching.sort_by_key(|o| (pod::phase(o) != "Running", meta::name(o).to_string()));
    let Some(first) = matching.first() else {
        return Err("error: timed out waiting for the condition\n".to_string());
    };
    if matching.len() > 1 {
        io.err.push_str(&format!(
            "Found {} pods, using pod/{}\n",
            matching.len(),
            meta::name(first)
        ));
    }
    Ok(vec![(*first).clone()])
}

/// The container to read: the one named, or the only one.
fn pick_container(pod: &Value, wanted: Option<&str>) -> Result<String, String> {
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    let names = pod::container_names(spec);
    let init: Vec<&str> = meta::at(spec, &["initContainers"])
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|c| meta::str_at(c, &["name"])).collect())
        .unwrap_or_default();
    match wanted {
        Some(w) if names.contains(&w) || init.contains(&w) => Ok(w.to_string()),
        Some(w) => Err(format!(
            "container {w} is not valid for pod {}",
            meta::name(pod)
        )),
        None if names.len() == 1 => Ok(names[0].to_string()),
        None => {
            let mut e = format!(
                "a container name must be specified for pod {}, choose one of: [{}]",
                meta::name(pod),
                names.join(" ")
            );
            if !init.is_empty() {
                e.push_str(&format!(
                    " or one of the init containers: [{}]",
                    init.join(" ")
                ));
            }
            Err(e)
        }
    }
}

/// The kubelet's answer for one container: its lines, or the BadRequest text.
fn container_lines(
    pod: &Value,
    container: &str,
    previous: bool,
    now: SimTime,
    access: &[(SimTime, String)],
) -> Result<Vec<(SimTime, String)>, String> {
    let name = meta::name(pod);
    if pod::node_name(pod).is_empty() {
        return Ok(Vec::new());
    }
    let bad = |m: String| format!("Error from server (BadRequest): {m}");
    let statuses = ["containerStatuses", "initContainerStatuses"]
        .iter()
        .filter_map(|k| meta::at(pod, &["status", k]).and_then(Value::as_array))
        .flatten();
    let Some(status) = statuses
        .into_iter()
        .find(|s| meta::str_at(s, &["name"]) == container)
    else {
        return Err(bad(format!(
            "container {container:?} in pod {name:?} is not available"
        )));
    };
    if previous {
        return Err(bad(format!(
            "previous terminated container {container:?} in pod {name:?} not found"
        )));
    }
    let state = status.get("state").unwrap_or(&Value::Null);
    let started = if let Some(r) = state.get("running") {
        meta::timestamp(r, &["startedAt"])
    } else if let Some(t) = state.get("terminated") {
        meta::timestamp(t, &["startedAt"])
    } else {
        let reason = meta::str_at(state, &["waiting", "reason"]);
        let why = match reason {
            "ErrImagePull" => "image can't be pulled".to_string(),
            "ImagePullBackOff" => "trying and failing to pull image".to_string(),
            "" => {
                return Err(bad(format!(
                    "container {container:?} in pod {name:?} is waiting to start - no logs yet"
                )));
            }
            r => r.to_string(),
        };
        return Err(bad(format!(
            "container {container:?} in pod {name:?} is waiting to start: {why}"
        )));
    };
    let start = started.unwrap_or(now);
    let spec = pod.get("spec").unwrap_or(&Value::Null);
    let image = meta::at(spec, &["containers"])
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| meta::str_at(c, &["name"]) == container))
        .map(|c| meta::str_at(c, &["image"]))
        .unwrap_or("");
    Ok(script(image, name)
        .into_iter()
        .map(|(offset_ms, text)| {
            let at = SimTime(start.0 + offset_ms);
            (at, text.replace("{time}", &go_log_time(at)))
        })
        .filter(|(at, _)| *at <= now)
        // Then what its server logged per request (see `kubectl exec … curl`).
        .chain(access.iter().cloned())
        .collect())
}

/// The lines an image writes as it starts, with their delay in milliseconds; `{time}` is
/// replaced by Go's `log` timestamp.
fn script(image: &str, pod_name: &str) -> Vec<(i64, String)> {
    let repo = image.split(['@']).next().unwrap_or(image);
    let last = repo.rsplit('/').next().unwrap_or(repo);
    let (base, tag) = last.split_once(':').unwrap_or((last, "latest"));
    let lines: Vec<(i64, String)> = match base {
        "demo" => vec![
            (40, format!("{{time}} demo {tag}: starting as {pod_name}")),
            (45, "{time} demo: loading greeting from environment (none set, using default)".into()),
            (52, "{time} demo: listening on :8080".into()),
            (61, "{time} demo: ready".into()),
        ],
        "nginx" => vec![
            (10, "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration".into()),
            (11, "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/".into()),
            (12, "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh".into()),
            (20, "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf".into()),
            (21, "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh".into()),
            (25, "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh".into()),
            (27, "/docker-entrypoint.sh: Configuration complete; ready for start up".into()),
            (40, "{time} [notice] 1#1: using the \"epoll\" event method".into()),
            (40, "{time} [notice] 1#1: start worker processes".into()),
            (41, "{time} [notice] 1#1: start worker process 31".into()),
        ],
        "coredns" => vec![
            (30, ".:53".into()),
            (31, "[INFO] plugin/reload: Running configuration MD5 = db32ca3650231d74073ff4cf814959a7".into()),
            (31, "CoreDNS-1.8.0".into()),
            (31, "linux/amd64, go1.15.3, 054c9ae".into()),
        ],
        _ => Vec::new(),
    };
    lines
}

/// Go's `log` package time: `2021/07/02 08:13:01`.
fn go_log_time(t: SimTime) -> String {
    let s = t.rfc3339();
    match (s.get(..10), s.get(11..19)) {
        (Some(date), Some(time)) => format!("{} {time}", date.replace('-', "/")),
        _ => s,
    }
}

/// `time.RFC3339Nano` (trailing zeros of the fraction dropped), as `--timestamps` prints.
fn rfc3339_nano(t: SimTime) -> String {
    let s = t.rfc3339();
    let ms = t.0.rem_euclid(1000);
    if ms == 0 {
        return s;
    }
    let frac = format!("{ms:03}");
    match s.get(..19) {
        Some(head) => format!("{head}.{}Z", frac.trim_end_matches('0')),
        None => s,
    }
}

#[cfg(test)]
#[path = "logs_tests.rs"]
mod tests;
