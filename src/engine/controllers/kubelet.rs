//! A kubelet for every node: takes bound pods through ContainerCreating to Running
//! (pulling images as needed, failing with ErrImagePull / ImagePullBackOff when an
//! image does not exist) and stops containers of deleted pods. Delays come from
//! [`crate::engine::timings::TIMINGS`].

use std::time::Duration;

use crate::engine::value::{Value, json};
use serde::{Deserialize, Serialize};

use super::kubelet_backoff::{pull_backoff, pull_error};
use crate::engine::events::{Involved, Source};
use crate::engine::images;
use crate::engine::index::Watcher;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::store::ObjKey;
use crate::engine::timings::IGNORES_SIGTERM;
use crate::engine::{Cluster, PodRef, Timer};

/// What the kubelets remember between passes.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct KubeletMemory {
    /// Pods the kubelet has started working on (by uid).
    pub(crate) kubelet_seen: std::collections::BTreeSet<String>,
    /// Images each node holds (normalised references).
    pub(crate) node_images: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// The next host part of each node's pod CIDR (host-local IPAM; never reused at once).
    pub(crate) next_ip: std::collections::BTreeMap<String, u32>,
}

/// The next thing the kubelet does for a pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// The sandbox is up: the pod gets its IP; images are checked or pulled.
    Sandbox,
    /// A pull finished.
    Pulled,
    /// The containers start.
    Start,
    /// A pull failed (`ErrImagePull`); `attempt` counts from 1.
    PullFailed { attempt: u32 },
    /// The kubelet backs off (`ImagePullBackOff`).
    BackOff { attempt: u32 },
    /// The back-off ended: pull again.
    Retry { attempt: u32 },
    /// Mount the pod's volumes again after `attempt` failed tries (`FailedMount`).
    Mount { attempt: u32 },
    /// Sync a pod whose container env did not resolve again (`CreateContainerConfigError`).
    ConfigRetry,
    /// A container (its index in `spec.containers`) whose main process ended starts again.
    Restart { container: u32 },
}

pub(crate) fn kubelet(node: &str) -> Source<'_> {
    Source {
        component: "kubelet",
        host: Some(node),
    }
}

/// Starts work on every newly bound pod (among the pods written since the last pass).
pub fn sync(c: &mut Cluster) -> bool {
    let watch = c.store.index_mut().take(Watcher::Kubelet);
    if watch.is_empty() {
        return false;
    }
    let is_fresh = |p: &&Value| {
        !pod::node_name(p).is_empty()
            && !meta::is_deleting(p)
            && !c.controllers.kubelet.kubelet_seen.contains(meta::uid(p))
    };
    let fresh: Vec<Value> = super::watched(c, Kind::Pod, &watch)
        .filter(is_fresh)
        .cloned()
        .collect();
    let changed = !fresh.is_empty();
    for p in fresh {
        c.controllers
            .kubelet
            .kubelet_seen
            .insert(meta::uid(&p).to_string());
        let node = pod::node_name(&p).to_string();
        let host_ip = c.node_ip(&node);
        let now = c.now.rfc3339();
        let conditions = conditions(&p, now.clone(), false);
        let statuses = container_statuses(
            &p,
            |_| json!({"waiting": {"reason": "ContainerCreating"}}),
            false,
        );
        let key = ObjKey::new(meta::namespace(&p), meta::name(&p));
        c.write_status(Kind::Pod, &key, |status| {
            status.extend([
                ("phase", json!("Pending")),
                ("hostIP", json!(host_ip)),
                ("startTime", json!(now)),
                ("conditions", conditions),
                ("containerStatuses", statuses),
            ]);
        });
        let sandbox = c.timings().sandbox;
        c.add_timer(
            c.now + sandbox,
            Timer::Kubelet {
                pod: PodRef::of(&p),
                stage: Stage::Sandbox,
            },
        );
    }
    changed
}

/// Carries out a kubelet timer.
pub(crate) fn advance_stage(c: &mut Cluster, r: &PodRef, stage: Stage) {
    let Some(p) = c
        .get(Kind::Pod, &r.namespace, &r.name)
        .filter(|p| meta::uid(p) == r.uid)
        .cloned()
    else {
        return;
    };
    if meta::is_deleting(&p) {
        return;
    }
    let node = pod::node_name(&p).to_string();
    let t = c.timings();
    match stage {
        Stage::Sandbox | Stage::Mount { .. } => {
            let attempt = match stage {
                Stage::Mount { attempt } => attempt,
                _ => 0,
            };
            if !super::kubelet_config::mounted(c, r, &node, attempt) {
                return;
            }
            let ip =
                if meta::at(&p, &["spec", "hostNetwork"]).and_then(Value::as_bool) == Some(true) {
                    c.node_ip(&node)
                } else {
                    c.allocate_pod_ip(&node)
                };
            let key = ObjKey::new(&r.namespace, &r.name);
            c.write_status(Kind::Pod, &key, |status| {
                status.extend([("podIP", json!(ip)), ("podIPs", json!([{"ip": ip}]))]);
            });
            pull_or_start(c, r, &p, &node);
        }
        Stage::Pulled => {
            for image in images_of(&p) {
                if !c.node_has_image(&node, &image) {
                    let secs = t.pull.as_secs_f64();
                    c.record_event(
                        &Involved::of(Kind::Pod, &p),
                        "Normal",
                        "Pulled",
                        &format!(
                            "Successfully pulled image \"{image}\" in {}",
                            go_duration(secs)
                        ),
                        kubelet(&node),
                        container_path(&p, &image).as_deref(),
                    );
                    c.controllers
                        .kubelet
                        .node_images
                        .entry(node.clone())
                        .or_default()
                        .insert(images::normalize(&image));
                }
            }
            c.add_timer(
                c.now + t.start,
                Timer::Kubelet {
                    pod: r.clone(),
                    stage: Stage::Start,
                },
            );
        }
        Stage::Start => super::kubelet_config::start_if_configured(c, r, &p, &node),
        Stage::ConfigRetry => super::kubelet_config::sync_again(c, r, &p, &node),
        Stage::Restart { container } => crate::engine::runtime::restart(c, r, container),
        Stage::PullFailed { attempt } => {
            let Some(image) = unavailable_image(c, &p, &node) else {
                return;
            };
            let msg = pull_error(&image);
            c.record_event(
                &Involved::of(Kind::Pod, &p),
                "Warning",
                "Failed",
                &format!("Failed to pull image \"{image}\": {msg}"),
                kubelet(&node),
                container_path(&p, &image).as_deref(),
            );
            c.record_event(
                &Involved::of(Kind::Pod, &p),
                "Warning",
                "Failed",
                "Error: ErrImagePull",
                kubelet(&node),
                container_path(&p, &image).as_deref(),
            );
            set_waiting(c, &p, &image, "ErrImagePull", &msg);
            c.add_timer(
                c.now + Duration::from_secs(1),
                Timer::Kubelet {
                    pod: r.clone(),
                    stage: Stage::BackOff { attempt },
                },
            );
        }
        Stage::BackOff { attempt } => {
            let Some(image) = unavailable_image(c, &p, &node) else {
                return;
            };
            let msg = format!("Back-off pulling image \"{image}\"");
            c.record_event(
                &Involved::of(Kind::Pod, &p),
                "Normal",
                "BackOff",
                &msg,
                kubelet(&node),
                container_path(&p, &image).as_deref(),
            );
            c.record_event(
                &Involved::of(Kind::Pod, &p),
                "Warning",
                "Failed",
                "Error: ImagePullBackOff",
                kubelet(&node),
                container_path(&p, &image).as_deref(),
            );
            set_waiting(c, &p, &image, "ImagePullBackOff", &msg);
            let backoff = pull_backoff(c, attempt);
            c.add_timer(
                c.now + backoff,
                Timer::Kubelet {
                    pod: r.clone(),
                    stage: Stage::Retry { attempt },
                },
            );
        }
        Stage::Retry { attempt } => {
            let Some(image) = unavailable_image(c, &p, &node) else {
                // The image arrived on the node meanwhile (`kind load docker-image`).
                return pull_or_start(c, r, &p, &node);
            };
            {
                c.record_event(
                    &Involved::of(Kind::Pod, &p),
                    "Normal",
                    "Pulling",
                    &format!("Pulling image \"{image}\""),
                    kubelet(&node),
                    container_path(&p, &image).as_deref(),
                );
                c.add_timer(
                    c.now + t.pull_fail,
                    Timer::Kubelet {
                        pod: r.clone(),
                        stage: Stage::PullFailed {
                            attempt: attempt + 1,
                        },
                    },
                );
            }
        }
    }
}

/// The first of the pod's images that no registry serves and the node does not hold.
pub(super) fn unavailable_image(c: &Cluster, p: &Value, node: &str) -> Option<String> {
    images_of(p)
        .into_iter()
        .find(|i| !images::pullable(i) && !c.node_has_image(node, i))
}

fn pull_or_start(c: &mut Cluster, r: &PodRef, p: &Value, node: &str) {
    let t = c.timings();
    let involved = Involved::of(Kind::Pod, p);
    let mut needs_pull = false;
    let mut failing = false;
    for (image, policy) in images_with_policy(p) {
        let present = c.node_has_image(node, &image);
        if present && policy != "Always" {
            c.record_event(
                &involved,
                "Normal",
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
                kubelet(node),
                container_path(p, &image).as_deref(),
            );
        } else if policy == "Never" {
            failing = true;
        } else {
            c.record_event(
                &involved,
                "Normal",
                "Pulling",
                &format!("Pulling image \"{image}\""),
                kubelet(node),
                container_path(p, &image).as_deref(),
            );
            if images::pullable(&image) {
                needs_pull = true;
            } else {
                failing = true;
            }
        }
    }
    let (delay, stage) = if failing {
        (t.pull_fail, Stage::PullFailed { attempt: 1 })
    } else if needs_pull {
        (t.pull, Stage::Pulled)
    } else {
        (t.start, Stage::Start)
    };
    c.add_timer(
        c.now + delay,
        Timer::Kubelet {
            pod: r.clone(),
            stage,
        },
    );
}

pub(super) fn start_containers(c: &mut Cluster, r: &PodRef, p: &Value, node: &str) {
    let now = c.now.rfc3339();
    let involved = Involved::of(Kind::Pod, p);
    for name in pod::container_names(meta::at(p, &["spec"]).unwrap_or(&Value::Null)) {
        let fp = format!("spec.containers{{{name}}}");
        c.record_event(
            &involved,
            "Normal",
            "Created",
            &format!("Created container {name}"),
            kubelet(node),
            Some(&fp),
        );
        c.record_event(
            &involved,
            "Normal",
            "Started",
            &format!("Started container {name}"),
            kubelet(node),
            Some(&fp),
        );
    }
    let mut ids = Vec::new();
    for _ in pod::container_names(meta::at(p, &["spec"]).unwrap_or(&Value::Null)) {
        ids.push(c.rng.hex(64));
    }
    let mut statuses = container_statuses(p, |_| json!({"running": {"startedAt": now}}), true);
    if let Value::Array(cs) = &mut statuses {
        for (i, cstat) in cs.iter_mut().enumerate() {
            cstat["containerID"] = json!(format!(
                "containerd://{}",
                ids.get(i).cloned().unwrap_or_default()
            ));
        }
    }
    let conditions = conditions(p, now.clone(), true);
    c.write_status(Kind::Pod, &ObjKey::new(&r.namespace, &r.name), |status| {
        status.extend([
            ("containerStatuses", statuses),
            ("conditions", conditions),
            ("phase", json!("Running")),
        ]);
    });
}

fn set_waiting(c: &mut Cluster, p: &Value, failing_image: &str, reason: &str, message: &str) {
    let Some(mut status) = c
        .get(Kind::Pod, meta::namespace(p), meta::name(p))
        .map(|stored| stored["status"].clone())
    else {
        return;
    };
    status["containerStatuses"] = container_statuses(
        p,
        |c| {
            if meta::str_at(c, &["image"]) == failing_image {
                json!({"waiting": {"message": message, "reason": reason}})
            } else {
                json!({"waiting": {"reason": "ContainerCreating"}})
            }
        },
        false,
    );
    c.set_status(Kind::Pod, meta::namespace(p), meta::name(p), status);
}

/// The pod's conditions in the order the kubelet writes them.
fn conditions(p: &Value, now: String, ready: bool) -> Value {
    let names: Vec<&str> = pod::container_names(meta::at(p, &["spec"]).unwrap_or(&Value::Null));
    let not_ready = |kind: &str| {
        json!({"lastProbeTime": null, "lastTransitionTime": now, "message": format!("containers with unready status: [{}]", names.join(" ")),
               "reason": "ContainersNotReady", "status": "False", "type": kind})
    };
    let ok = |kind: &str| json!({"lastProbeTime": null, "lastTransitionTime": now, "status": "True", "type": kind});
    let scheduled = meta::at(p, &["status", "conditions"])
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| meta::str_at(c, &["type"]) == "PodScheduled")
                .cloned()
        })
        .unwrap_or_else(|| ok("PodScheduled"));
    if ready {
        Value::Array(vec![
            ok("Initialized"),
            ok("Ready"),
            ok("ContainersReady"),
            scheduled,
        ])
    } else {
        Value::Array(vec![
            ok("Initialized"),
            not_ready("Ready"),
            not_ready("ContainersReady"),
            scheduled,
        ])
    }
}

pub(super) fn container_statuses(
    p: &Value,
    state: impl Fn(&Value) -> Value,
    running: bool,
) -> Value {
    let containers = meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut out: Vec<Value> = containers
        .iter()
        .map(|ctr| {
            let image = meta::str_at(ctr, &["image"]);
            let mut status = json!({
                "image": if running { images::normalize(image) } else { image.to_string() },
                "imageID": if running { images::image_id(image) } else { String::new() },
                "lastState": {},
                "name": meta::str_at(ctr, &["name"]),
                "ready": running,
                "restartCount": 0,
                "started": running,
            });
            status["state"] = state(ctr);
            status
        })
        .collect();
    out.sort_by(|a, b| meta::str_at(a, &["name"]).cmp(meta::str_at(b, &["name"])));
    Value::Array(out)
}

/// The `fieldPath` of the first container running `image`: the kubelet records image
/// events against the container, so `get events -o wide` shows it as SUBOBJECT.
pub(super) fn container_path(p: &Value, image: &str) -> Option<String> {
    meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)?
        .iter()
        .find(|c| meta::str_at(c, &["image"]) == image)
        .map(|c| format!("spec.containers{{{}}}", meta::str_at(c, &["name"])))
}

pub(super) fn images_of(p: &Value) -> Vec<String> {
    images_with_policy(p).into_iter().map(|(i, _)| i).collect()
}

pub(super) fn images_with_policy(p: &Value) -> Vec<(String, String)> {
    meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let image = meta::str_at(c, &["image"]).to_string();
                    let policy = match meta::str_at(c, &["imagePullPolicy"]) {
                        "" => images::default_pull_policy(&image).to_string(),
                        p => p.to_string(),
                    };
                    (image, policy)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Go's `time.Duration` text for whole and fractional seconds (`3.5s`).
fn go_duration(secs: f64) -> String {
    let s = format!("{secs:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}s")
}

/// How long a deleted pod's containers take to stop: the grace period for processes that
/// ignore SIGTERM, a moment for those that exit on it, at once for containers never started.
pub(crate) fn stop_duration(c: &Cluster, p: &Value, grace: i64) -> Duration {
    let grace = Duration::from_secs(grace.max(0) as u64);
    if pod::phase(p) != "Running" {
        return Duration::from_millis(500).min(grace);
    }
    let stubborn = images_of(p).iter().any(|i| {
        let n = images::normalize(i);
        IGNORES_SIGTERM
            .iter()
            .any(|s| n.starts_with(&format!("docker.io/library/{s}:")))
    });
    if stubborn {
        grace
    } else {
        c.timings().exit_on_sigterm.min(grace)
    }
}

/// The kubelet's `Killing` events for a pod being deleted.
pub(crate) fn kill_containers(c: &mut Cluster, p: &Value) {
    let node = pod::node_name(p).to_string();
    if pod::phase(p) != "Running" {
        return;
    }
    for name in pod::container_names(meta::at(p, &["spec"]).unwrap_or(&Value::Null)) {
        let fp = format!("spec.containers{{{name}}}");
        c.record_event(
            &Involved::of(Kind::Pod, p),
            "Normal",
            "Killing",
            &format!("Stopping container {name}"),
            kubelet(&node),
            Some(&fp),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_duration_trims_zeros() {
        assert_eq!(go_duration(3.5), "3.5s");
        assert_eq!(go_duration(2.0), "2s");
    }
}
