//! Pod facts the server computes: the STATUS and READY cells of `kubectl get pods`
//! (1.21 `printPod` semantics), readiness, and the pod's containers.

use crate::engine::value::Value;

use super::meta;

/// The STATUS column of `kubectl get pods` (server-side `printPod`, Kubernetes 1.21).
pub fn display_status(pod: &Value) -> String {
    let status = pod.get("status").unwrap_or(&Value::Null);
    let mut reason = meta::str_at(status, &["phase"]).to_string();
    let status_reason = meta::str_at(status, &["reason"]);
    if !status_reason.is_empty() {
        reason = status_reason.to_string();
    }

    let mut initializing = false;
    let init_statuses = array(status, "initContainerStatuses");
    let init_total = meta::at(pod, &["spec", "initContainers"])
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    for (i, cs) in init_statuses.iter().enumerate() {
        let term = meta::at(cs, &["state", "terminated"]);
        let waiting = meta::str_at(cs, &["state", "waiting", "reason"]);
        if term.is_some_and(|t| meta::i64_at(t, &["exitCode"]) == Some(0)) {
            continue;
        }
        initializing = true;
        reason = if let Some(t) = term {
            let r = meta::str_at(t, &["reason"]);
            if !r.is_empty() {
                format!("Init:{r}")
            } else if let Some(sig) = meta::i64_at(t, &["signal"]).filter(|s| *s != 0) {
                format!("Init:Signal:{sig}")
            } else {
                format!(
                    "Init:ExitCode:{}",
                    meta::i64_at(t, &["exitCode"]).unwrap_or(0)
                )
            }
        } else if !waiting.is_empty() && waiting != "PodInitializing" {
            format!("Init:{waiting}")
        } else {
            format!("Init:{}/{}", i, init_total)
        };
        break;
    }

    if !initializing {
        let mut has_running = false;
        for cs in array(status, "containerStatuses").iter().rev() {
            let waiting = meta::str_at(cs, &["state", "waiting", "reason"]);
            let term = meta::at(cs, &["state", "terminated"]);
            if !waiting.is_empty() {
                reason = waiting.to_string();
            } else if let Some(t) = term {
                let r = meta::str_at(t, &["reason"]);
                reason = if !r.is_empty() {
                    r.to_string()
                } else if let Some(sig) = meta::i64_at(t, &["signal"]).filter(|s| *s != 0) {
                    format!("Signal:{sig}")
                } else {
                    format!("ExitCode:{}", meta::i64_at(t, &["exitCode"]).unwrap_or(0))
                };
            } else if cs.get("ready").and_then(Value::as_bool) == Some(true)
                && meta::at(cs, &["state", "running"]).is_some()
            {
                has_running = true;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(pod, "Ready") {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }

    if meta::is_deleting(pod) {
        reason = if status_reason == "NodeLost" {
            "Unknown".to_string()
        } else {
            "Terminating".to_string()
        };
    }
    reason
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The names of the pod's (non-init) containers, in spec order.
pub fn container_names(pod_spec: &Value) -> Vec<&str> {
    array(pod_spec, "containers")
        .iter()
        .map(|c| meta::str_at(c, &["name"]))
        .collect()
}

/// (ready, total) containers: the READY column.
pub fn ready_counts(pod: &Value) -> (usize, usize) {
    let total = meta::at(pod, &["spec", "containers"])
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let ready = meta::at(pod, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .map_or(0, |cs| {
            cs.iter()
                .filter(|c| {
                    c.get("ready").and_then(Value::as_bool) == Some(true)
                        && meta::at(c, &["state", "running"]).is_some()
                })
                .count()
        });
    (ready, total)
}

/// The sum of container restart counts: the RESTARTS column (a plain integer in 1.21).
pub fn restarts(pod: &Value) -> i64 {
    array(
        pod.get("status").unwrap_or(&Value::Null),
        "containerStatuses",
    )
    .iter()
    .filter_map(|c| c.get("restartCount").and_then(Value::as_i64))
    .sum()
}

/// Whether a pod condition of `kind` has status True.
pub fn condition_true(pod: &Value, kind: &str) -> bool {
    array(pod.get("status").unwrap_or(&Value::Null), "conditions")
        .iter()
        .any(|c| meta::str_at(c, &["type"]) == kind && meta::str_at(c, &["status"]) == "True")
}

/// Ready, as controllers count it: the Ready condition is True and the pod is not deleting.
pub fn is_ready(pod: &Value) -> bool {
    !meta::is_deleting(pod) && condition_true(pod, "Ready")
}

pub fn node_name(pod: &Value) -> &str {
    meta::str_at(pod, &["spec", "nodeName"])
}

pub fn phase(pod: &Value) -> &str {
    meta::str_at(pod, &["status", "phase"])
}

/// The pod's IP (`status.podIPs[0].ip`, falling back to `status.podIP`), if assigned.
pub fn ip(pod: &Value) -> Option<&str> {
    meta::at(pod, &["status", "podIPs"])
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|f| f.get("ip"))
        .or_else(|| meta::at(pod, &["status", "podIP"]))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The node a daemon pod is for: its nodeName, or the node its affinity pins it to.
pub fn daemon_target_node(p: &Value) -> &str {
    let bound = node_name(p);
    if !bound.is_empty() {
        return bound;
    }
    meta::at(
        p,
        &[
            "spec",
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms",
        ],
    )
    .and_then(Value::as_array)
    .and_then(|terms| terms.first())
    .and_then(|t| meta::at(t, &["matchFields"]))
    .and_then(Value::as_array)
    .and_then(|f| f.first())
    .and_then(|f| meta::at(f, &["values"]))
    .and_then(Value::as_array)
    .and_then(|v| v.first())
    .and_then(Value::as_str)
    .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    #[test]
    fn waiting_reason_overrides_the_phase() {
        let pod = json!({"spec": {"containers": [{"name": "demo"}]},
            "status": {"phase": "Pending", "containerStatuses": [
                {"name": "demo", "ready": false, "state": {"waiting": {"reason": "ContainerCreating"}}}]}});
        assert_eq!(display_status(&pod), "ContainerCreating");
        assert_eq!(ready_counts(&pod), (0, 1));
    }

    #[test]
    fn a_deleting_pod_shows_terminating() {
        let pod = json!({"metadata": {"deletionTimestamp": "2021-07-01T10:00:00Z"},
            "spec": {"containers": [{"name": "demo"}]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "demo", "ready": true, "state": {"running": {}}}]}});
        assert_eq!(display_status(&pod), "Terminating");
        assert_eq!(ready_counts(&pod), (1, 1));
    }

    #[test]
    fn running_pod_shows_running() {
        let pod = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]},
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "a", "ready": true, "restartCount": 1, "state": {"running": {}}},
                {"name": "b", "ready": true, "restartCount": 2, "state": {"running": {}}}]}});
        assert_eq!(display_status(&pod), "Running");
        assert_eq!(restarts(&pod), 3);
    }
}
