//! The kubelet waiting on ConfigMaps and Secrets (v1.21): a pod's `configMap`, `secret`
//! and `projected` volumes must mount before its sandbox starts, and each container's
//! environment must resolve before the container is created.
//!
//! - A volume that cannot mount leaves the pod `ContainerCreating`, with a `FailedMount`
//!   Warning `MountVolume.SetUp failed for volume "V" : configmap "quotes" not found`
//!   (`operationexecutor`'s `GenerateError("MountVolume.SetUp failed", err)`:
//!   `%s for volume %q %s` with the suffix `: ` + err); the volume manager retries with its
//!   exponential back-off (500 ms doubling to 2m2s, `exponentialbackoff`).
//! - A container whose env does not resolve waits with reason `CreateContainerConfigError`
//!   (`kuberuntime_container.go` `startContainer`: `ErrCreateContainerConfig`), and a
//!   `Failed` Warning `Error: configmap "greeting" not found` (`recordContainerEvent(...,
//!   events.FailedToCreateContainer, "Error: %v", ...)`); the pod worker syncs again after
//!   its back-off period (10 s, `kubelet.go` `backOffPeriod`), pulling (`already present`)
//!   and trying again, so the pod starts once the object appears.
//!
//! The env a container started with is kept, so `kubectl exec` sees the values of the start
//! (a changed ConfigMap reaches a container only when it is created again).

use crate::engine::value::{Value, json};

use super::config_refs::{self, ConfigError};
use super::kubelet::{
    Stage, container_path, container_statuses, images_with_policy, kubelet, start_containers,
};
use crate::engine::events::Involved;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{Cluster, PodRef, Timer};

fn stored<'a>(c: &'a Cluster, r: &PodRef) -> Option<&'a Value> {
    c.get(Kind::Pod, &r.namespace, &r.name)
        .filter(|p| meta::uid(p) == r.uid)
}

/// The first volume of the pod that cannot be set up, with why.
fn mount_failure(c: &Cluster, p: &Value) -> Option<(String, ConfigError)> {
    let volumes = meta::at(p, &["spec", "volumes"]).and_then(Value::as_array)?;
    volumes.iter().find_map(|v| {
        config_refs::volume_problem(&c.store, meta::namespace(p), v)
            .map(|e| (meta::str_at(v, &["name"]).to_string(), e))
    })
}

/// Whether the pod's volumes are mounted; if not, records `FailedMount` and tries again
/// after the volume manager's back-off. `attempt` counts the failed tries before this one.
pub(super) fn mounted(c: &mut Cluster, r: &PodRef, node: &str, attempt: u32) -> bool {
    let Some(p) = stored(c, r) else {
        return false;
    };
    let Some((volume, err)) = mount_failure(c, p) else {
        return true;
    };
    let involved = Involved::of(Kind::Pod, p);
    c.record_event(
        &involved,
        "Warning",
        "FailedMount",
        &format!("MountVolume.SetUp failed for volume \"{volume}\" : {err}"),
        kubelet(node),
        None,
    );
    let t = c.timings();
    let attempt = attempt.saturating_add(1);
    let wait = super::doubling_backoff(t.mount_backoff_initial, t.mount_backoff_max, attempt);
    c.add_timer(
        c.now + wait,
        Timer::Kubelet {
            pod: r.clone(),
            stage: Stage::Mount { attempt },
        },
    );
    false
}

/// The containers of the stored pod whose environment does not resolve.
fn env_failures(c: &Cluster, p: &Value) -> Vec<(String, ConfigError)> {
    let containers = meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    containers
        .iter()
        .filter_map(|ctr| {
            config_refs::resolve_env(&c.store, p, ctr)
                .err()
                .map(|e| (meta::str_at(ctr, &["name"]).to_string(), e))
        })
        .collect()
}

/// Whether every container's environment resolves; if not, records the kubelet's
/// `Failed` events, leaves those containers waiting in `CreateContainerConfigError` and
/// syncs the pod again after the back-off period.
pub(super) fn configured(c: &mut Cluster, r: &PodRef, small: &Value, node: &str) -> bool {
    let Some(p) = stored(c, r) else {
        return false;
    };
    let failures = env_failures(c, p);
    if failures.is_empty() {
        return true;
    }
    let involved = Involved::of(Kind::Pod, p);
    for (name, err) in &failures {
        let fp = format!("spec.containers{{{name}}}");
        c.record_event(
            &involved,
            "Warning",
            "Failed",
            &format!("Error: {err}"),
            kubelet(node),
            Some(&fp),
        );
    }
    if let Some(mut status) = stored(c, r).map(|s| s["status"].clone()) {
        status["containerStatuses"] = container_statuses(
            small,
            |ctr| {
                let name = meta::str_at(ctr, &["name"]);
                match failures.iter().find(|(n, _)| n == name) {
                    Some((_, e)) => json!({"waiting": {"message": e.to_string(),
                        "reason": "CreateContainerConfigError"}}),
                    None => json!({"waiting": {"reason": "ContainerCreating"}}),
                }
            },
            false,
        );
        c.set_status(Kind::Pod, &r.namespace, &r.name, status);
    }
    let retry = c.timings().config_retry;
    c.add_timer(
        c.now + retry,
        Timer::Kubelet {
            pod: r.clone(),
            stage: Stage::ConfigRetry,
        },
    );
    false
}

/// The container-start stage: the containers start if their env resolves.
pub(super) fn start_if_configured(c: &mut Cluster, r: &PodRef, small: &Value, node: &str) {
    if configured(c, r, small, node) {
        start_containers(c, r, small, node);
        crate::engine::runtime::on_start(c, r);
    }
}

/// The pod worker's next sync of a pod in `CreateContainerConfigError`: the images
/// (already present), then the env again.
pub(super) fn sync_again(c: &mut Cluster, r: &PodRef, small: &Value, node: &str) {
    for (image, _) in images_with_policy(small) {
        c.record_event(
            &Involved::of(Kind::Pod, small),
            "Normal",
            "Pulled",
            &format!("Container image \"{image}\" already present on machine"),
            kubelet(node),
            container_path(small, &image).as_deref(),
        );
    }
    start_if_configured(c, r, small, node);
}

impl Cluster {
    /// The environment `container` of `pod` runs with: as the kubelet fixed it when the
    /// container started (values read from ConfigMaps and Secrets then), or, for a container
    /// not running, the pod spec's env as it resolves now. Errors as
    /// [`config_refs::resolve_env`].
    pub fn container_env(
        &self,
        pod: &Value,
        container: &Value,
    ) -> Result<Vec<(String, String)>, ConfigError> {
        let name = meta::str_at(container, &["name"]);
        match self.container_run(meta::namespace(pod), meta::name(pod), name) {
            Some(run) if run.running && pod::phase(pod) == "Running" => Ok(run.env.to_vec()),
            _ => config_refs::resolve_env(&self.store, pod, container),
        }
    }

    /// The files a volume of `pod` shows in its containers (ConfigMap, Secret, projected and
    /// downward API sources), as [`config_refs::volume_files_of_pod`] reads them now.
    pub fn volume_files(
        &self,
        pod: &Value,
        volume: &Value,
    ) -> Result<Vec<(String, String)>, ConfigError> {
        config_refs::volume_files_of_pod(&self.store, pod, volume)
    }
}
