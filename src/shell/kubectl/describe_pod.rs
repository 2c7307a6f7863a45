//! `describe pod` (kubectl v1.21 `describePod`), and the container and volume blocks that
//! `describe` of workloads' pod templates reuses.

use crate::engine::value::Value;

use super::{annotations, events, labels, line, multiline, time};
use crate::engine::Cluster;
use crate::engine::clock::human_duration;
use crate::engine::objects::scheduling::{self, Toleration};
use crate::engine::objects::{Kind, meta, pod};

fn toleration_text(t: &Toleration) -> String {
    let mut s = t.key.clone();
    if !t.value.is_empty() {
        s.push_str(&format!("={}", t.value));
    }
    if !t.effect.is_empty() {
        s.push_str(&format!(":{}", t.effect));
    }
    if t.operator == "Exists" && t.value.is_empty() {
        if s.is_empty() {
            s.push_str("op=Exists");
        } else {
            s.push_str(" op=Exists");
        }
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

pub(super) fn pod_text(c: &Cluster, p: &Value, w: &mut String) {
    line(w, 0, &format!("Name:\t{}", meta::name(p)));
    line(w, 0, &format!("Namespace:\t{}", meta::namespace(p)));
    line(
        w,
        0,
        &format!(
            "Priority:\t{}",
            meta::i64_at(p, &["spec", "priority"]).unwrap_or(0)
        ),
    );
    let pcn = meta::str_at(p, &["spec", "priorityClassName"]);
    if !pcn.is_empty() {
        line(w, 0, &format!("Priority Class Name:\t{pcn}"));
    }
    let node = pod::node_name(p);
    if node.is_empty() {
        line(w, 0, "Node:\t<none>");
    } else {
        line(
            w,
            0,
            &format!("Node:\t{}/{}", node, meta::str_at(p, &["status", "hostIP"])),
        );
    }
    if meta::at(p, &["status", "startTime"]).is_some() {
        line(
            w,
            0,
            &format!("Start Time:\t{}", time(p, &["status", "startTime"])),
        );
    }
    multiline(w, 0, "Labels", &labels(p));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(p, &["metadata", "annotations"]),
    );
    if let Some(del) = meta::deletion(p) {
        let grace = meta::i64_at(p, &["metadata", "deletionGracePeriodSeconds"]).unwrap_or(30);
        let started = del - std::time::Duration::from_secs(grace.max(0) as u64);
        line(
            w,
            0,
            &format!(
                "Status:\tTerminating (lasts {})",
                human_duration(c.now().since(started))
            ),
        );
        line(w, 0, &format!("Termination Grace Period:\t{grace}s"));
    } else {
        line(w, 0, &format!("Status:\t{}", pod::phase(p)));
    }
    for (label, key) in [("Reason", "reason"), ("Message", "message")] {
        let v = meta::str_at(p, &["status", key]);
        if !v.is_empty() {
            line(w, 0, &format!("{label}:\t{v}"));
        }
    }
    line(
        w,
        0,
        &format!("IP:\t{}", meta::str_at(p, &["status", "podIP"])),
    );
    let ips: Vec<String> = meta::at(p, &["status", "podIPs"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|i| meta::str_at(i, &["ip"]).to_string())
                .collect()
        })
        .unwrap_or_default();
    if ips.is_empty() {
        line(w, 0, "IPs:\t<none>");
    } else {
        line(w, 0, "IPs:");
        for ip in ips {
            line(w, 1, &format!("IP:\t{ip}"));
        }
    }
    if let Some((k, n, _)) = meta::controller_ref(p) {
        line(w, 0, &format!("Controlled By:\t{k}/{n}"));
    }
    line(w, 0, "Containers:");
    let statuses: Vec<Value> = meta::at(p, &["status", "containerStatuses"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for ctr in meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let name = meta::str_at(&ctr, &["name"]);
        let st = statuses.iter().find(|s| meta::str_at(s, &["name"]) == name);
        line(w, 1, &format!("{name}:"));
        if let Some(id) = st
            .map(|s| meta::str_at(s, &["containerID"]))
            .filter(|i| !i.is_empty())
        {
            line(w, 2, &format!("Container ID:\t{id}"));
        }
        line(w, 2, &format!("Image:\t{}", meta::str_at(&ctr, &["image"])));
        line(
            w,
            2,
            &format!(
                "Image ID:\t{}",
                st.map_or("", |s| meta::str_at(s, &["imageID"]))
            ),
        );
        describe_container_body(w, &ctr, st, Some(p));
    }
    let conditions: Vec<Value> = meta::at(p, &["status", "conditions"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !conditions.is_empty() {
        line(w, 0, "Conditions:");
        line(w, 1, "Type\tStatus");
        for cond in &conditions {
            line(
                w,
                1,
                &format!(
                    "{} \t{} ",
                    meta::str_at(cond, &["type"]),
                    meta::str_at(cond, &["status"])
                ),
            );
        }
    }
    volumes(meta::at(p, &["spec"]).unwrap_or(&Value::Null), "", w);
    line(
        w,
        0,
        &format!("QoS Class:\t{}", meta::str_at(p, &["status", "qosClass"])),
    );
    let selectors: Vec<String> = meta::string_map(p, &["spec", "nodeSelector"])
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    multiline(w, 0, "Node-Selectors", &selectors);
    let mut tols = scheduling::tolerations_at(p, &["spec", "tolerations"]);
    tols.sort_by(|a, b| a.key.cmp(&b.key));
    multiline(
        w,
        0,
        "Tolerations",
        &tols.iter().map(toleration_text).collect::<Vec<_>>(),
    );
    events(c, Kind::Pod, meta::namespace(p), meta::name(p), w);
}

pub(super) fn describe_container_body(
    w: &mut String,
    ctr: &Value,
    st: Option<&Value>,
    pod: Option<&Value>,
) {
    let ports: Vec<&Value> = meta::at(ctr, &["ports"])
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let port_text = |key: &str| -> String {
        ports
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    meta::i64_at(p, &[key]).unwrap_or(0),
                    meta::str_at(p, &["protocol"])
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match ports.len() {
        0 => {
            line(w, 2, "Port:\t<none>");
            line(w, 2, "Host Port:\t<none>");
        }
        1 => {
            line(w, 2, &format!("Port:\t{}", port_text("containerPort")));
            line(w, 2, &format!("Host Port:\t{}", port_text("hostPort")));
        }
        _ => {
            line(w, 2, &format!("Ports:\t{}", port_text("containerPort")));
            line(w, 2, &format!("Host Ports:\t{}", port_text("hostPort")));
        }
    }
    for (label, key) in [("Command", "command"), ("Args", "args")] {
        if let Some(items) = meta::at(ctr, &[key]).and_then(Value::as_array) {
            line(w, 2, &format!("{label}:"));
            for i in items {
                line(w, 3, i.as_str().unwrap_or(""));
            }
        }
    }
    if let Some(st) = st {
        let state = st.get("state").cloned().unwrap_or_default();
        describe_status(w, "State", &state);
        if let Some(last) = st
            .get("lastState")
            .filter(|l| l.get("terminated").is_some())
        {
            describe_status(w, "Last State", last);
        }
        line(
            w,
            2,
            &format!(
                "Ready:\t{}",
                if st.get("ready").and_then(Value::as_bool) == Some(true) {
                    "True"
                } else {
                    "False"
                }
            ),
        );
        line(
            w,
            2,
            &format!(
                "Restart Count:\t{}",
                meta::i64_at(st, &["restartCount"]).unwrap_or(0)
            ),
        );
    }
    for (label, key) in [("Limits", "limits"), ("Requests", "requests")] {
        let m = meta::string_map(ctr, &["resources", key]);
        if !m.is_empty() {
            line(w, 2, &format!("{label}:"));
            for (k, v) in m {
                line(w, 3, &format!("{k}:\t{v}"));
            }
        }
    }
    probes(w, ctr);
    super::env::environment(w, ctr, pod);
    let mounts: Vec<Value> = meta::at(ctr, &["volumeMounts"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if mounts.is_empty() {
        line(w, 2, "Mounts:\t<none>");
    } else {
        line(w, 2, "Mounts:");
        for m in mounts {
            let ro = if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                "ro"
            } else {
                "rw"
            };
            line(
                w,
                3,
                &format!(
                    "{} from {} ({ro})",
                    meta::str_at(&m, &["mountPath"]),
                    meta::str_at(&m, &["name"])
                ),
            );
        }
    }
}

/// `describeContainerProbe`: a line per probe, as `DescribeProbe` writes it.
fn probes(w: &mut String, ctr: &Value) {
    for (label, key) in [
        ("Liveness", "livenessProbe"),
        ("Readiness", "readinessProbe"),
        ("Startup", "startupProbe"),
    ] {
        let Some(p) = meta::at(ctr, &[key]).filter(|p| p.is_object()) else {
            continue;
        };
        let num = |k: &str| meta::i64_at(p, &[k]).unwrap_or(0);
        let attrs = format!(
            "delay={}s timeout={}s period={}s #success={} #failure={}",
            num("initialDelaySeconds"),
            num("timeoutSeconds"),
            num("periodSeconds"),
            num("successThreshold"),
            num("failureThreshold")
        );
        let port = |a: &Value| match a.get("port") {
            Some(Value::String(s)) => s.to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => "0".to_string(),
        };
        let action = if let Some(e) = p.get("exec") {
            let words: Vec<&str> = meta::at(e, &["command"])
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            format!("exec [{}]", words.join(" "))
        } else if let Some(h) = p.get("httpGet") {
            let scheme = meta::str_at(h, &["scheme"]).to_lowercase();
            let scheme = if scheme.is_empty() {
                String::new()
            } else {
                format!("{scheme}:")
            };
            let host = meta::str_at(h, &["host"]);
            let path = meta::str_at(h, &["path"]);
            format!("http-get {scheme}//{host}:{}{path}", port(h))
        } else if let Some(t) = p.get("tcpSocket") {
            format!("tcp-socket {}:{}", meta::str_at(t, &["host"]), port(t))
        } else {
            "unknown".to_string()
        };
        line(w, 2, &format!("{label}:\t{action} {attrs}"));
    }
}

/// `describeVolumes` for a pod spec. `space` is the pod template's extra indent ("  "),
/// which also puts one more space before each volume name, as kubectl does.
pub(super) fn volumes(spec: &Value, space: &str, w: &mut String) {
    let vols: Vec<Value> = meta::at(spec, &["volumes"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if vols.is_empty() {
        line(w, 0, &format!("{space}Volumes:\t<none>"));
        return;
    }
    line(w, 0, &format!("{space}Volumes:"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        line(
            w,
            1,
            &format!("{name_indent}{}:", meta::str_at(&v, &["name"])),
        );
        if v.get("projected").is_some() {
            line(
                w,
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)",
            );
            line(w, 2, "TokenExpirationSeconds:\t3607");
            line(w, 2, "ConfigMapName:\tkube-root-ca.crt");
            line(w, 2, "ConfigMapOptional:\t<nil>");
            line(w, 2, "DownwardAPI:\ttrue");
        } else if let Some(hp) = v.get("hostPath") {
            line(w, 2, "Type:\tHostPath (bare host directory volume)");
            line(w, 2, &format!("Path:\t{}", meta::str_at(hp, &["path"])));
            line(
                w,
                2,
                &format!("HostPathType:\t{}", meta::str_at(hp, &["type"])),
            );
        } else if let Some(cm) = v.get("configMap") {
            line(w, 2, "Type:\tConfigMap (a volume populated by a ConfigMap)");
            line(w, 2, &format!("Name:\t{}", meta::str_at(cm, &["name"])));
            line(w, 2, "Optional:\tfalse");
        }
    }
}

/// describe.go's `describeStatus`: one container state under `label`.
fn describe_status(w: &mut String, label: &str, state: &Value) {
    if let Some(r) = state.get("running") {
        line(w, 2, &format!("{label}:\tRunning"));
        line(w, 3, &format!("Started:\t{}", time(r, &["startedAt"])));
    } else if let Some(t) = state.get("terminated") {
        line(w, 2, &format!("{label}:\tTerminated"));
        for (name, key) in [("Reason", "reason"), ("Message", "message")] {
            let v = meta::str_at(t, &[key]);
            if !v.is_empty() {
                line(w, 3, &format!("{name}:\t{v}"));
            }
        }
        let code = meta::i64_at(t, &["exitCode"]).unwrap_or(0);
        line(w, 3, &format!("Exit Code:\t{code}"));
        if let Some(sig) = meta::i64_at(t, &["signal"]).filter(|s| *s > 0) {
            line(w, 3, &format!("Signal:\t{sig}"));
        }
        line(w, 3, &format!("Started:\t{}", time(t, &["startedAt"])));
        line(w, 3, &format!("Finished:\t{}", time(t, &["finishedAt"])));
    } else {
        line(w, 2, &format!("{label}:\tWaiting"));
        let reason = meta::str_at(state, &["waiting", "reason"]);
        if !reason.is_empty() {
            line(w, 3, &format!("Reason:\t{reason}"));
        }
    }
}

#[cfg(test)]
mod probe_tests {
    use crate::engine::value::json;

    use super::probes;

    #[test]
    fn probes_are_described_as_kubectl_1_21_does() {
        let ctr = json!({
            "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
            "readinessProbe": {"httpGet": {"path": "/ready", "port": "http", "scheme": "HTTPS"},
                "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
            "startupProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 10, "timeoutSeconds": 1,
                "successThreshold": 1, "failureThreshold": 30},
        });
        let mut w = String::new();
        probes(&mut w, &ctr);
        assert_eq!(
            w,
            "    Liveness:\texec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3\n\
             \x20   Readiness:\thttp-get https://:http/ready delay=0s timeout=1s period=10s #success=1 #failure=3\n\
             \x20   Startup:\ttcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=30\n"
        );
    }
}
