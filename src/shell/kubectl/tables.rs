//! The columns of `kubectl get` per kind, as the 1.21 API server's table convertor
//! computes them (fidelity §1.3), and the table printer around them.

use crate::engine::value::Value;

use crate::engine::clock::{SimTime, human_duration};
use crate::engine::objects::scheduling::{LabelSelector, format_labels};
use crate::engine::objects::{Kind, meta, pod};
use crate::tabwriter;

/// How much of the table to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    Normal,
    Wide,
}

/// What the table printer adds around the server's columns.
#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    pub wide: bool,
    pub no_headers: bool,
    pub show_labels: bool,
    pub all_namespaces: bool,
    /// Print names as `kind.group/name` (several kinds in one get).
    pub with_kind: bool,
    pub label_columns: Vec<String>,
}

/// The header cells of a kind's table.
pub fn headers(kind: Kind, width: Width) -> Vec<&'static str> {
    let (base, wide): (&[&str], &[&str]) = match kind {
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::DaemonSet => (
            &[
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        Kind::ControllerRevision => (&["NAME", "CONTROLLER", "REVISION", "AGE"], &[]),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::Secret => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
        Kind::ServiceAccount => (&["NAME", "SECRETS", "AGE"], &[]),
    };
    let mut h: Vec<&'static str> = base.to_vec();
    if width == Width::Wide {
        if kind == Kind::Event {
            return vec![
                "LAST SEEN",
                "TYPE",
                "REASON",
                "OBJECT",
                "SUBOBJECT",
                "SOURCE",
                "MESSAGE",
                "FIRST SEEN",
                "COUNT",
                "NAME",
            ];
        }
        h.extend_from_slice(wide);
    }
    h
}

fn age(now: SimTime, obj: &Value, path: &[&str]) -> String {
    match meta::timestamp(obj, path) {
        Some(t) => human_duration(now.since(t)),
        None => "<unknown>".to_string(),
    }
}

fn int(v: &Value, path: &[&str]) -> String {
    meta::i64_at(v, path).unwrap_or(0).to_string()
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// Containers, images (comma-joined) and the selector: the wide columns of workloads.
fn workload_wide(obj: &Value) -> Vec<String> {
    let containers = meta::at(obj, &["spec", "template", "spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = containers
        .iter()
        .map(|c| meta::str_at(c, &["name"]))
        .collect();
    let images: Vec<&str> = containers
        .iter()
        .map(|c| meta::str_at(c, &["image"]))
        .collect();
    let selector = LabelSelector::from_value(meta::at(obj, &["spec", "selector"]))
        .map_or("<none>".to_string(), |s| s.to_kubectl_string());
    vec![names.join(","), images.join(","), selector]
}

/// The cells of one row (the server's columns only).
pub fn row(kind: Kind, obj: &Value, now: SimTime, width: Width) -> Vec<String> {
    let name = meta::name(obj).to_string();
    let created = || age(now, obj, &["metadata", "creationTimestamp"]);
    let wide = width == Width::Wide;
    let mut cells = match kind {
        Kind::Node => {
            let mut status = node_status(obj);
            if meta::at(obj, &["spec", "unschedulable"]).and_then(Value::as_bool) == Some(true) {
                status.push_str(",SchedulingDisabled");
            }
            let mut c = vec![
                name,
                status,
                node_roles(obj),
                created(),
                meta::str_at(obj, &["status", "nodeInfo", "kubeletVersion"]).to_string(),
            ];
            if wide {
                let unknown = |s: &str| {
                    if s.is_empty() {
                        "<unknown>".to_string()
                    } else {
                        s.to_string()
                    }
                };
                c.extend([
                    node_address(obj, "InternalIP"),
                    node_address(obj, "ExternalIP"),
                    unknown(meta::str_at(obj, &["status", "nodeInfo", "osImage"])),
                    unknown(meta::str_at(obj, &["status", "nodeInfo", "kernelVersion"])),
                    unknown(meta::str_at(
                        obj,
                        &["status", "nodeInfo", "containerRuntimeVersion"],
                    )),
                ]);
            }
            c
        }
        Kind::Pod => {
            let (ready, total) = pod::ready_counts(obj);
            let mut c = vec![
                name,
                format!("{ready}/{total}"),
                pod::display_status(obj),
                pod::restarts(obj).to_string(),
                created(),
            ];
            if wide {
                let gates = meta::at(obj, &["spec", "readinessGates"])
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                c.extend([
                    pod::ip(obj).map_or("<none>".to_string(), str::to_string),
                    or_none(pod::node_name(obj)),
                    or_none(meta::str_at(obj, &["status", "nominatedNodeName"])),
                    if gates == 0 {
                        "<none>".to_string()
                    } else {
                        format!("0/{gates}")
                    },
                ]);
            }
            c
        }
        Kind::DaemonSet => {
            let s = |k: &str| int(obj, &["status", k]);
            let mut c = vec![
                name,
                s("desiredNumberScheduled"),
                s("currentNumberScheduled"),
                s("numberReady"),
                s("updatedNumberScheduled"),
                s("numberAvailable"),
                format_labels(&meta::string_map(
                    obj,
                    &["spec", "template", "spec", "nodeSelector"],
                )),
                created(),
            ];
            if wide {
                c.extend(workload_wide(obj));
            }
            c
        }
        Kind::Deployment => {
            let mut c = vec![
                name,
                format!(
                    "{}/{}",
                    int(obj, &["status", "readyReplicas"]),
                    int(obj, &["spec", "replicas"])
                ),
                int(obj, &["status", "updatedReplicas"]),
                int(obj, &["status", "availableReplicas"]),
                created(),
            ];
            if wide {
                c.extend(workload_wide(obj));
            }
            c
        }
        Kind::ReplicaSet => {
            let mut c = vec![
                name,
                int(obj, &["spec", "replicas"]),
                int(obj, &["status", "replicas"]),
                int(obj, &["status", "readyReplicas"]),
                created(),
            ];
            if wide {
                c.extend(workload_wide(obj));
            }
            c
        }
        Kind::Namespace => vec![
            name,
            meta::str_at(obj, &["status", "phase"]).to_string(),
            created(),
        ],
        Kind::Service => {
            let ports: Vec<String> = meta::at(obj, &["spec", "ports"])
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            let proto = meta::str_at(p, &["protocol"]);
                            let port = int(p, &["port"]);
                            match meta::i64_at(p, &["nodePort"]) {
                                Some(np) => format!("{port}:{np}/{proto}"),
                                None => format!("{port}/{proto}"),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let cluster_ip = meta::at(obj, &["spec", "clusterIPs"])
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .unwrap_or(meta::str_at(obj, &["spec", "clusterIP"]));
            let mut c = vec![
                name,
                meta::str_at(obj, &["spec", "type"]).to_string(),
                or_none(cluster_ip),
                super::describe::service::external_ip(obj),
                if ports.is_empty() {
                    "<none>".to_string()
                } else {
                    ports.join(",")
                },
                created(),
            ];
            if wide {
                c.push(format_labels(&meta::string_map(obj, &["spec", "selector"])));
            }
            c
        }
        Kind::Endpoints => vec![
            name,
            super::describe::service::format_endpoints(obj, None),
            created(),
        ],
        Kind::EndpointSlice => vec![
            name,
            meta::str_at(obj, &["addressType"]).to_string(),
            super::describe::service::format_slice_ports(obj),
            super::describe::service::format_slice_endpoints(obj),
            created(),
        ],
        Kind::ControllerRevision => {
            let controller = meta::controller_ref(obj)
                .map(|(k, n, _)| {
                    let kind = Kind::ALL.into_iter().find(|x| x.name() == k);
                    format!(
                        "{}/{}",
                        kind.map_or(k.to_ascii_lowercase(), |k| k.singular_with_group()),
                        n
                    )
                })
                .unwrap_or_else(|| "<none>".to_string());
            vec![name, controller, int(obj, &["revision"]), created()]
        }
        // printers.go printConfigMap / printSecret: DATA counts data (+ binaryData) keys.
        Kind::ConfigMap => {
            let count = |f: &str| {
                meta::at(obj, &[f])
                    .and_then(Value::as_object)
                    .map_or(0, |m| m.len())
            };
            vec![
                name,
                (count("data") + count("binaryData")).to_string(),
                created(),
            ]
        }
        // printers.go printServiceAccount: SECRETS counts `secrets`.
        Kind::ServiceAccount => {
            let n = meta::at(obj, &["secrets"])
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            vec![name, n.to_string(), created()]
        }
        Kind::Secret => {
            let data = meta::at(obj, &["data"])
                .and_then(Value::as_object)
                .map_or(0, |m| m.len());
            vec![
                name,
                meta::str_at(obj, &["type"]).to_string(),
                data.to_string(),
                created(),
            ]
        }
        Kind::Event => {
            let object = format!(
                "{}/{}",
                meta::str_at(obj, &["involvedObject", "kind"]).to_ascii_lowercase(),
                meta::str_at(obj, &["involvedObject", "name"])
            );
            let last = age(now, obj, &["lastTimestamp"]);
            let mut c = vec![
                last,
                meta::str_at(obj, &["type"]).to_string(),
                meta::str_at(obj, &["reason"]).to_string(),
                object,
            ];
            if wide {
                let host = meta::str_at(obj, &["source", "host"]);
                let comp = meta::str_at(obj, &["source", "component"]);
                let source = if host.is_empty() {
                    comp.to_string()
                } else {
                    format!("{comp}, {host}")
                };
                c.extend([
                    meta::str_at(obj, &["involvedObject", "fieldPath"]).to_string(),
                    source,
                ]);
                c.push(meta::str_at(obj, &["message"]).to_string());
                c.extend([
                    age(now, obj, &["firstTimestamp"]),
                    int(obj, &["count"]),
                    name,
                ]);
            } else {
                c.push(meta::str_at(obj, &["message"]).to_string());
            }
            c
        }
    };
    for cell in &mut cells {
        // A tab or newline inside a cell would break the tabwriter's columns.
        if cell.contains(['\t', '\n']) {
            *cell = cell.replace(['\t', '\n'], " ");
        }
    }
    cells
}

fn node_status(node: &Value) -> String {
    let ready = meta::at(node, &["status", "conditions"])
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| meta::str_at(c, &["type"]) == "Ready"))
        .map(|c| meta::str_at(c, &["status"]).to_string());
    match ready.as_deref() {
        Some("True") => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    }
}

/// ROLES: `node-role.kubernetes.io/<role>` label suffixes plus `kubernetes.io/role`, sorted.
pub fn node_roles(node: &Value) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in meta::labels(node) {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v);
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn node_address(node: &Value, kind: &str) -> String {
    meta::at(node, &["status", "addresses"])
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|x| meta::str_at(x, &["type"]) == kind))
        .map_or("<none>".to_string(), |x| {
            meta::str_at(x, &["address"]).to_string()
        })
}

/// Prints one kind's objects as a table (tab-separated, then aligned).
pub fn print(kind: Kind, objects: &[&Value], now: SimTime, opts: &TableOptions) -> String {
    let width = if opts.wide {
        Width::Wide
    } else {
        Width::Normal
    };
    let mut text = String::new();
    let push_line = |text: &mut String, cells: Vec<String>| {
        text.push_str(&cells.join("\t"));
        text.push('\n');
    };
    if !opts.no_headers {
        let mut h: Vec<String> = Vec::new();
        if opts.all_namespaces && kind.is_namespaced() {
            h.push("NAMESPACE".into());
        }
        h.extend(headers(kind, width).into_iter().map(str::to_string));
        for l in &opts.label_columns {
            h.push(l.rsplit('/').next().unwrap_or(l).to_ascii_uppercase());
        }
        if opts.show_labels {
            h.push("LABELS".into());
        }
        push_line(&mut text, h);
    }
    for obj in objects {
        let mut cells: Vec<String> = Vec::new();
        if opts.all_namespaces && kind.is_namespaced() {
            cells.push(meta::namespace(obj).to_string());
        }
        let mut r = row(kind, obj, now, width);
        if opts.with_kind && kind != Kind::Event {
            r[0] = format!("{}/{}", kind.singular_with_group(), r[0]);
        }
        cells.extend(r);
        for l in &opts.label_columns {
            cells.push(meta::label(obj, l).unwrap_or("").to_string());
        }
        if opts.show_labels {
            cells.push(format_labels(&meta::labels(obj)));
        }
        push_line(&mut text, cells);
    }
    tabwriter::format(&text, tabwriter::GET)
}
