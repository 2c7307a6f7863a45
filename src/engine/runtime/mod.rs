//! The container runtime seen from the kubelet: which containers run, since when, how
//! often they restarted, and the environment each one started with (kept here, as the
//! kubelet keeps it in memory, so a ConfigMap changed later does not change a running
//! process). A main process that ends (`kill 1`) ends its container: the kubelet restarts
//! it (restartPolicy Always), through `CrashLoopBackOff` when it crashes again quickly
//! (kubelet's container back-off: 10 s doubling to 300 s, forgotten after 10 min).

pub(crate) mod env;
pub mod images;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use crate::engine::value::{Value, json};
use serde::{Deserialize, Serialize};

use crate::engine::controllers::kubelet::{Stage, kubelet};
use crate::engine::events::Involved;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::store::ObjKey;
use crate::engine::{Cluster, PodRef, SimTime, Timer};

/// kubelet's container restart back-off (`backOffPeriod`, `MaxContainerBackOff`).
const BACKOFF_INITIAL: Duration = Duration::from_secs(10);
const BACKOFF_MAX: Duration = Duration::from_secs(300);
/// How long after a terminated container the kubelet starts it again when not backing off
/// (its next PLEG relist, every second).
pub const RESTART_DELAY: Duration = Duration::from_secs(1);

/// One running (or restarting) container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerRun {
    pub started_at: SimTime,
    pub restarts: u32,
    /// The environment fixed at this start (image, pod spec, service variables); equal
    /// environments (a Deployment's or DaemonSet's pods in one namespace) share one copy.
    pub env: Env,
    /// Whether its main process runs now (false between a kill and the restart).
    pub running: bool,
    /// The kubelet's back-off entry for it: current back-off and when it was last set.
    backoff: Option<(Duration, SimTime)>,
    /// Lines its server wrote for the requests it answered (its access log on stdout),
    /// the last [`MAX_ACCESS_LOG`].
    #[serde(default)]
    pub access_log: Vec<(SimTime, String)>,
}

/// Access-log lines kept per container, oldest dropped first.
pub const MAX_ACCESS_LOG: usize = 1000;

/// A container's environment: its variables in order. Equal environments (a Deployment's or
/// DaemonSet's pods in one namespace) share one copy, and so do equal variables of different
/// environments (the service variables every pod of a namespace starts with), so 10,000
/// kube-proxy and kindnet pods, each with its own `NODE_NAME` or `HOST_IP`, keep one copy of
/// the rest. Saved as the list of pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "Vec<(String, String)>", into = "Vec<(String, String)>")]
pub struct Env(Arc<[Var]>);

type Var = Arc<(String, String)>;

impl Env {
    /// The variables as (name, value), in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|v| (v.0.as_str(), v.1.as_str()))
    }

    /// The value of the variable `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.0.iter().map(|v| (**v).clone()).collect()
    }
}

impl From<Vec<(String, String)>> for Env {
    fn from(vars: Vec<(String, String)>) -> Env {
        Env(vars.into_iter().map(Arc::new).collect())
    }
}

impl From<Env> for Vec<(String, String)> {
    fn from(env: Env) -> Vec<(String, String)> {
        env.to_vec()
    }
}

/// What the runtime remembers: per pod uid, per container name.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RuntimeMemory {
    #[serde(default)]
    pub(crate) container_runs: BTreeMap<String, BTreeMap<String, ContainerRun>>,
    /// The environments and variables in use, so an equal one is shared, not copied.
    /// Rebuilt as containers start after a load.
    #[serde(skip)]
    envs: BTreeSet<Env>,
    #[serde(skip)]
    vars: BTreeSet<Var>,
}

impl RuntimeMemory {
    /// `env` as one shared copy, made of shared variables.
    fn intern(&mut self, env: Vec<(String, String)>) -> Env {
        let vars: Arc<[Var]> = env
            .into_iter()
            .map(|pair| match self.vars.get(&pair) {
                Some(shared) => Arc::clone(shared),
                None => {
                    let shared = Arc::new(pair);
                    self.vars.insert(Arc::clone(&shared));
                    shared
                }
            })
            .collect();
        let env = Env(vars);
        if let Some(shared) = self.envs.get(&env) {
            return shared.clone();
        }
        self.envs.insert(env.clone());
        env
    }
}

/// Records the containers of `p` (the stored pod) as started now, each with its environment.
pub(super) fn on_start(c: &mut Cluster, r: &PodRef) {
    let Some(p) = c.get(Kind::Pod, &r.namespace, &r.name) else {
        return;
    };
    let now = c.now;
    let spec = meta::at(p, &["spec"]).unwrap_or(&Value::Null);
    let envs: Vec<(String, Vec<(String, String)>)> = pod::container_names(spec)
        .into_iter()
        .map(|name| (name.to_string(), env::start_env(c, p, name)))
        .collect();
    let mut runs = BTreeMap::new();
    for (name, env) in envs {
        let env = c.controllers.runtime.intern(env);
        runs.insert(
            name,
            ContainerRun {
                started_at: now,
                restarts: 0,
                env,
                running: true,
                backoff: None,
                access_log: Vec::new(),
            },
        );
    }
    c.controllers
        .runtime
        .container_runs
        .insert(r.uid.clone(), runs);
}

impl Cluster {
    /// The container `name` of pod `namespace/pod` as the runtime knows it.
    pub fn container_run(
        &self,
        namespace: &str,
        pod_name: &str,
        name: &str,
    ) -> Option<&ContainerRun> {
        let p = self.get(Kind::Pod, namespace, pod_name)?;
        self.controllers
            .runtime
            .container_runs
            .get(meta::uid(p))?
            .get(name)
    }

    /// Appends a line to the access log of a running container (what its server prints to
    /// stdout for one request), stamped now.
    pub fn log_access(&mut self, namespace: &str, pod_name: &str, name: &str, line: String) {
        let Some(uid) = self
            .get(Kind::Pod, namespace, pod_name)
            .map(|p| meta::uid(p).to_string())
        else {
            return;
        };
        let now = self.now;
        if let Some(run) = self
            .controllers
            .runtime
            .container_runs
            .get_mut(&uid)
            .and_then(|m| m.get_mut(name))
        {
            if run.access_log.len() >= MAX_ACCESS_LOG {
                run.access_log.remove(0);
            }
            run.access_log.push((now, line));
        }
    }

    /// A number below `n` from the cluster's seeded source (kube-proxy's random pick).
    pub fn random_below(&mut self, n: u64) -> u64 {
        self.rng.below(n.max(1))
    }

    /// The main process (PID 1) of a running container ends (SIGTERM; it exits 0): the
    /// container terminates and the kubelet restarts it. Returns false when it is not running.
    pub fn end_main_process(&mut self, namespace: &str, pod_name: &str, name: &str) -> bool {
        let Some(p) = self.get(Kind::Pod, namespace, pod_name).cloned() else {
            return false;
        };
        let uid = meta::uid(&p).to_string();
        let now = self.now;
        let Some(run) = self
            .controllers
            .runtime
            .container_runs
            .get_mut(&uid)
            .and_then(|m| m.get_mut(name))
            .filter(|run| run.running)
        else {
            return false;
        };
        run.running = false;
        let started = run.started_at;
        // kubelet's `doBackOff`: still inside the last back-off window → CrashLoopBackOff.
        let in_backoff = run.backoff.filter(|(b, last)| {
            let since = Duration::from_millis((now.0 - last.0).max(0) as u64);
            since <= BACKOFF_MAX * 2 && since < *b
        });
        let terminated = json!({"terminated": {
            "containerID": container_id(&p, name),
            "exitCode": 0,
            "finishedAt": now.rfc3339(),
            "reason": "Completed",
            "startedAt": started.rfc3339(),
        }});
        let key = ObjKey::new(namespace, pod_name);
        let name_owned = name.to_string();
        self.write_status(Kind::Pod, &key, |status| {
            for_container(status, &name_owned, |cs| {
                cs["state"] = terminated.clone();
                cs["ready"] = json!(false);
                cs["started"] = json!(false);
            });
            set_ready(status, false, now);
        });
        let index = pod::container_names(meta::at(&p, &["spec"]).unwrap_or(&Value::Null))
            .iter()
            .position(|n| *n == name)
            .unwrap_or(0) as u32;
        let r = PodRef::of(&p);
        let at = match in_backoff {
            Some((b, last)) => {
                let node = pod::node_name(&p).to_string();
                let message = format!(
                    "back-off {} restarting failed container={name} pod={pod_name}_{namespace}({uid})",
                    go_duration(b)
                );
                let fp = format!("spec.containers{{{name}}}");
                self.record_event(
                    &Involved::of(Kind::Pod, &p),
                    "Warning",
                    "BackOff",
                    "Back-off restarting failed container",
                    kubelet(&node),
                    Some(&fp),
                );
                self.write_status(Kind::Pod, &key, |status| {
                    for_container(status, &name_owned, |cs| {
                        cs["lastState"] = terminated.clone();
                        cs["state"] =
                            json!({"waiting": {"message": message, "reason": "CrashLoopBackOff"}});
                    });
                });
                SimTime(last.0 + b.as_millis() as i64)
            }
            None => now + RESTART_DELAY,
        };
        self.add_timer(
            at,
            Timer::Kubelet {
                pod: r,
                stage: Stage::Restart { container: index },
            },
        );
        true
    }
}

/// The kubelet starts container number `index` of the pod again: restart count up, the
/// last state kept, environment read again, events as on the first start.
pub(super) fn restart(c: &mut Cluster, r: &PodRef, index: u32) {
    let Some(p) = c.get(Kind::Pod, &r.namespace, &r.name).cloned() else {
        return;
    };
    let spec = meta::at(&p, &["spec"]).unwrap_or(&Value::Null);
    let Some(name) = pod::container_names(spec)
        .get(index as usize)
        .map(|s| s.to_string())
    else {
        return;
    };
    let now = c.now;
    let env = env::start_env(c, &p, &name);
    let env = c.controllers.runtime.intern(env);
    let Some(run) = c
        .controllers
        .runtime
        .container_runs
        .get_mut(&r.uid)
        .and_then(|m| m.get_mut(&name))
        .filter(|run| !run.running)
    else {
        return;
    };
    // kubelet's `backOff.Next`: a fresh entry (or one idle for 2 × max) starts at the
    // initial back-off, else it doubles up to the max.
    run.backoff = Some(match run.backoff {
        Some((b, last)) if now.0 - last.0 <= (BACKOFF_MAX * 2).as_millis() as i64 => {
            ((b * 2).min(BACKOFF_MAX), now)
        }
        _ => (BACKOFF_INITIAL, now),
    });
    run.running = true;
    run.restarts += 1;
    run.started_at = now;
    run.env = env;
    run.access_log.clear();
    let restarts = run.restarts;
    let node = pod::node_name(&p).to_string();
    let image = meta::at(spec, &["containers"])
        .and_then(Value::as_array)
        .and_then(|cs| cs.get(index as usize))
        .map(|ctr| meta::str_at(ctr, &["image"]).to_string())
        .unwrap_or_default();
    let fp = format!("spec.containers{{{name}}}");
    let involved = Involved::of(Kind::Pod, &p);
    for (reason, message) in [
        (
            "Pulled",
            format!("Container image \"{image}\" already present on machine"),
        ),
        ("Created", format!("Created container {name}")),
        ("Started", format!("Started container {name}")),
    ] {
        c.record_event(
            &involved,
            "Normal",
            reason,
            &message,
            kubelet(&node),
            Some(&fp),
        );
    }
    let id = format!("containerd://{}", c.rng.hex(64));
    let key = ObjKey::new(&r.namespace, &r.name);
    c.write_status(Kind::Pod, &key, |status| {
        for_container(status, &name, |cs| {
            if cs["state"].get("terminated").is_some() {
                cs["lastState"] = cs["state"].clone();
            }
            cs["state"] = json!({"running": {"startedAt": now.rfc3339()}});
            cs["ready"] = json!(true);
            cs["started"] = json!(true);
            cs["restartCount"] = json!(restarts);
            cs["containerID"] = json!(id);
        });
        let all_ready = status
            .get("containerStatuses")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().all(|cs| cs["ready"] == json!(true)));
        if all_ready {
            set_ready(status, true, now);
        }
    });
}

fn container_id(p: &Value, name: &str) -> String {
    meta::at(p, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|cs| meta::str_at(cs, &["name"]) == name))
        .map(|cs| meta::str_at(cs, &["containerID"]).to_string())
        .unwrap_or_default()
}

fn for_container(
    status: &mut crate::engine::value::Map,
    name: &str,
    change: impl FnOnce(&mut Value),
) {
    if let Some(cs) = status
        .get_mut("containerStatuses")
        .and_then(Value::as_array_mut)
        .and_then(|a| a.iter_mut().find(|cs| meta::str_at(cs, &["name"]) == name))
    {
        change(cs);
    }
}

/// Sets the Ready and ContainersReady conditions from the container statuses, as the
/// kubelet's status manager does (the message lists the containers not ready).
fn set_ready(status: &mut crate::engine::value::Map, ready: bool, now: SimTime) {
    let unready: Vec<String> = status
        .get("containerStatuses")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|cs| cs["ready"] != json!(true))
                .map(|cs| meta::str_at(cs, &["name"]).to_string())
                .collect()
        })
        .unwrap_or_default();
    let Some(conds) = status.get_mut("conditions").and_then(Value::as_array_mut) else {
        return;
    };
    for cond in conds.iter_mut() {
        let kind = meta::str_at(cond, &["type"]).to_string();
        if kind != "Ready" && kind != "ContainersReady" {
            continue;
        }
        let was = meta::str_at(cond, &["status"]) == "True";
        if was == ready {
            continue;
        }
        let mut fresh = json!({"lastProbeTime": null, "lastTransitionTime": now.rfc3339(),
            "status": if ready { "True" } else { "False" }, "type": kind});
        if !ready {
            fresh["message"] = json!(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            ));
            fresh["reason"] = json!("ContainersNotReady");
        }
        *cond = fresh;
    }
}

/// Go's `time.Duration` text for whole seconds (`10s`, `1m20s`, `5m0s`).
fn go_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{}s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests;
