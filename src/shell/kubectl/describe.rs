//! `kubectl describe` for nodes, pods, daemonsets and namespaces (kubectl v1.21
//! `describe.go` layouts, fidelity §6): tab-separated lines through the describe
//! tabwriter, with the Events section fed by the engine's events.

use serde_json::Value;

use super::flags::{self, Flag, boolean, value};
use super::resources;
use super::tables::node_roles;
use super::tabwriter;
use super::{Ctx, Io, messages};
use crate::engine::clock::{SimTime, human_duration};
use crate::engine::objects::scheduling::{self, LabelSelector, Taint, Toleration};
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{ApiError, Cluster};

#[path = "describe_workloads.rs"]
pub(super) mod workloads;

const FLAGS: &[Flag] = &[
    value("selector", Some('l')),
    boolean("all-namespaces", Some('A')),
    boolean("show-events", None),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl describe", &e)),
    };
    if p.args.is_empty() {
        return io.fail(
            messages::required_resource("kubectl describe").replace("to get", "to describe"),
        );
    }
    let requests = match resources::parse(&p.args) {
        Ok(r) => r,
        Err(e) => return io.fail(e),
    };
    let namespace = p.value("namespace").unwrap_or("default").to_string();
    let selector = match p
        .value("selector")
        .map(resources::parse_selector)
        .transpose()
    {
        Ok(s) => s,
        Err(e) => return io.fail(e),
    };
    let cluster = &*ctx.cluster;
    let mut texts: Vec<String> = Vec::new();
    for r in requests {
        let ns = if r.kind.is_namespaced() {
            namespace.as_str()
        } else {
            ""
        };
        let objs: Vec<&Value> = if r.names.is_empty() {
            let scope = if p.flag("all-namespaces") || !r.kind.is_namespaced() {
                None
            } else {
                Some(ns)
            };
            cluster
                .list(r.kind, scope)
                .filter(|o| {
                    selector
                        .as_ref()
                        .is_none_or(|s| s.matches(&meta::labels(o)))
                })
                .collect()
        } else {
            let mut v = Vec::new();
            for name in &r.names {
                match cluster.get(r.kind, ns, name) {
                    Some(o) => v.push(o),
                    None => {
                        // describe reports a missing object by name prefix first.
                        let prefixed: Vec<&Value> = cluster
                            .list(r.kind, Some(ns).filter(|_| r.kind.is_namespaced()))
                            .filter(|o| meta::name(o).starts_with(name.as_str()))
                            .collect();
                        if prefixed.is_empty() {
                            io.fail(format!(
                                "{}\n",
                                ApiError::NotFound {
                                    kind: r.kind,
                                    name: name.clone()
                                }
                            ));
                        }
                        v.extend(prefixed);
                    }
                }
            }
            v
        };
        for o in objs {
            match describe(cluster, r.kind, o) {
                Some(t) => texts.push(t),
                None => {
                    io.fail(messages::unsupported(&format!(
                        "describe {}",
                        r.kind.plural()
                    )));
                    return;
                }
            }
        }
    }
    if texts.is_empty() && io.status == 0 {
        io.err
            .push_str(&messages::no_resources_in_namespace(&namespace));
    }
    io.out.push_str(&texts.join("\n\n"));
}

fn describe(c: &Cluster, kind: Kind, obj: &Value) -> Option<String> {
    let mut w = String::new();
    match kind {
        Kind::Node => node(c, obj, &mut w),
        Kind::Pod => pod_text(c, obj, &mut w),
        Kind::DaemonSet => daemonset(c, obj, &mut w),
        Kind::Namespace => namespace(obj, &mut w),
        Kind::Deployment => workloads::deployment(c, obj, &mut w),
        Kind::ReplicaSet => workloads::replicaset(c, obj, &mut w),
        _ => return None,
    }
    Some(tabwriter::format(&w, tabwriter::DESCRIBE))
}

fn line(w: &mut String, indent: usize, text: &str) {
    for _ in 0..indent {
        w.push_str("  ");
    }
    w.push_str(text);
    w.push('\n');
}

/// A `Key:\tv1` line with continuation lines `\tv2` for the rest.
fn multiline(w: &mut String, indent: usize, key: &str, values: &[String]) {
    match values.split_first() {
        None => line(w, indent, &format!("{key}:\t<none>")),
        Some((first, rest)) => {
            line(w, indent, &format!("{key}:\t{first}"));
            for v in rest {
                line(w, indent, &format!("\t{v}"));
            }
        }
    }
}

fn labels(obj: &Value) -> Vec<String> {
    meta::labels(obj)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// `printAnnotationsMultiline`: sorted, last-applied skipped, long values folded.
fn annotations(obj: &Value, path: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in meta::string_map(obj, path) {
        if k == super::apply::LAST_APPLIED {
            continue;
        }
        if k.len() + v.len() + 2 > 140 || v.contains('\n') {
            let folded: String = v.chars().take(138).collect();
            out.push(format!("{k}: "));
            out.push(format!("  {folded}..."));
        } else {
            out.push(format!("{k}: {v}"));
        }
    }
    out
}

fn time(obj: &Value, path: &[&str]) -> String {
    meta::timestamp(obj, path).map_or("<unset>".to_string(), SimTime::rfc1123z)
}

fn node(c: &Cluster, n: &Value, w: &mut String) {
    let name = meta::name(n);
    line(w, 0, &format!("Name:\t{name}"));
    line(w, 0, &format!("Roles:\t{}", node_roles(n)));
    multiline(w, 0, "Labels", &labels(n));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(n, &["metadata", "annotations"]),
    );
    line(
        w,
        0,
        &format!(
            "CreationTimestamp:\t{}",
            time(n, &["metadata", "creationTimestamp"])
        ),
    );
    let mut taints = scheduling::taints(n);
    taints.sort_by_key(|t| format!("{},{}", t.effect, t.key));
    multiline(
        w,
        0,
        "Taints",
        &taints
            .iter()
            .map(Taint::to_kubectl_string)
            .collect::<Vec<_>>(),
    );
    let unsched = meta::at(n, &["spec", "unschedulable"])
        .and_then(Value::as_bool)
        .unwrap_or(false);
    line(w, 0, &format!("Unschedulable:\t{unsched}"));
    line(w, 0, "Lease:");
    line(w, 1, &format!("HolderIdentity:\t{name}"));
    line(w, 1, "AcquireTime:\t<unset>");
    let renew = SimTime::from_secs(c.now().as_secs() / 10 * 10);
    line(w, 1, &format!("RenewTime:\t{}", renew.rfc1123z()));
    line(w, 0, "Conditions:");
    line(
        w,
        1,
        "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
    );
    line(
        w,
        1,
        "----\t------\t-----------------\t------------------\t------\t-------",
    );
    for cond in meta::at(n, &["status", "conditions"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let s = |k: &str| meta::str_at(&cond, &[k]).to_string();
        line(
            w,
            1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}",
                s("type"),
                s("status"),
                time(&cond, &["lastHeartbeatTime"]),
                time(&cond, &["lastTransitionTime"]),
                s("reason"),
                s("message")
            ),
        );
    }
    line(w, 0, "Addresses:");
    for a in meta::at(n, &["status", "addresses"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        line(
            w,
            1,
            &format!(
                "{}:\t{}",
                meta::str_at(&a, &["type"]),
                meta::str_at(&a, &["address"])
            ),
        );
    }
    for (title, key) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
        line(w, 0, &format!("{title}:"));
        for (k, v) in meta::string_map(n, &["status", key]) {
            line(w, 1, &format!("{k}:\t{v}"));
        }
    }
    line(w, 0, "System Info:");
    let info = |k: &str| meta::str_at(n, &["status", "nodeInfo", k]).to_string();
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        line(w, 1, &format!("{label}:\t{}", info(key)));
    }
    line(
        w,
        0,
        &format!("PodCIDR:\t{}", meta::str_at(n, &["spec", "podCIDR"])),
    );
    let cidrs: Vec<String> = meta::at(n, &["spec", "podCIDRs"])
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    line(w, 0, &format!("PodCIDRs:\t{}", cidrs.join(",")));
    line(
        w,
        0,
        &format!("ProviderID:\t{}", meta::str_at(n, &["spec", "providerID"])),
    );
    let pods: Vec<&Value> = c
        .list(Kind::Pod, None)
        .filter(|p| pod::node_name(p) == name && !matches!(pod::phase(p), "Succeeded" | "Failed"))
        .collect();
    line(
        w,
        0,
        &format!("Non-terminated Pods:\t({} in total)", pods.len()),
    );
    line(
        w,
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    line(
        w,
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
    );
    let alloc_cpu = quantity(
        meta::str_at(n, &["status", "allocatable", "cpu"]),
        Resource::Cpu,
    )
    .max(1);
    let alloc_mem = quantity(
        meta::str_at(n, &["status", "allocatable", "memory"]),
        Resource::Memory,
    )
    .max(1);
    let (mut rc, mut lc, mut rm, mut lm) = (0, 0, 0, 0);
    for p in &pods {
        let (a, b, cc, d) = pod_resources(p);
        rc += a;
        lc += b;
        rm += cc;
        lm += d;
        line(
            w,
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}",
                meta::namespace(p),
                meta::name(p),
                pct(a, alloc_cpu, Resource::Cpu),
                pct(b, alloc_cpu, Resource::Cpu),
                pct(cc, alloc_mem, Resource::Memory),
                pct(d, alloc_mem, Resource::Memory),
                human_duration(c.now().since(meta::creation(p).unwrap_or_default()))
            ),
        );
    }
    line(w, 0, "Allocated resources:");
    line(
        w,
        1,
        "(Total limits may be over 100 percent, i.e., overcommitted.)",
    );
    line(w, 1, "Resource\tRequests\tLimits");
    line(w, 1, "--------\t--------\t------");
    line(
        w,
        1,
        &format!(
            "cpu\t{}\t{}",
            pct(rc, alloc_cpu, Resource::Cpu),
            pct(lc, alloc_cpu, Resource::Cpu)
        ),
    );
    line(
        w,
        1,
        &format!(
            "memory\t{}\t{}",
            pct(rm, alloc_mem, Resource::Memory),
            pct(lm, alloc_mem, Resource::Memory)
        ),
    );
    for r in ["ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi"] {
        line(w, 1, &format!("{r}\t0 (0%)\t0 (0%)"));
    }
    events(c, Kind::Node, "", name, w);
}

#[derive(Clone, Copy)]
enum Resource {
    Cpu,
    Memory,
}

/// A quantity in millicores (cpu) or bytes (memory).
fn quantity(s: &str, r: Resource) -> i64 {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().unwrap_or(0.0);
    let mult: f64 = match suffix {
        "m" => 0.001,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        _ => 1.0,
    };
    match r {
        Resource::Cpu => (n * mult * 1000.0).round() as i64,
        Resource::Memory => (n * mult).round() as i64,
    }
}

fn format_quantity(v: i64, r: Resource) -> String {
    match r {
        Resource::Cpu if v % 1000 == 0 => (v / 1000).to_string(),
        Resource::Cpu => format!("{v}m"),
        Resource::Memory => {
            for (unit, size) in [("Gi", 1i64 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
                if v != 0 && v % size == 0 {
                    return format!("{}{unit}", v / size);
                }
            }
            v.to_string()
        }
    }
}

fn pct(v: i64, total: i64, r: Resource) -> String {
    format!("{} ({}%)", format_quantity(v, r), v * 100 / total)
}

/// (cpu requests, cpu limits, memory requests, memory limits) of a pod's containers.
fn pod_resources(p: &Value) -> (i64, i64, i64, i64) {
    let mut t = (0, 0, 0, 0);
    for ctr in meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let q = |kind: &str, res: &str, r: Resource| {
            quantity(meta::str_at(&ctr, &["resources", kind, res]), r)
        };
        let lim_cpu = q("limits", "cpu", Resource::Cpu);
        let lim_mem = q("limits", "memory", Resource::Memory);
        let req_cpu = meta::at(&ctr, &["resources", "requests", "cpu"])
            .map_or(lim_cpu, |_| q("requests", "cpu", Resource::Cpu));
        let req_mem = meta::at(&ctr, &["resources", "requests", "memory"])
            .map_or(lim_mem, |_| q("requests", "memory", Resource::Memory));
        t = (t.0 + req_cpu, t.1 + lim_cpu, t.2 + req_mem, t.3 + lim_mem);
    }
    t
}

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

fn pod_text(c: &Cluster, p: &Value, w: &mut String) {
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
        describe_container_body(w, &ctr, st);
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

fn describe_container_body(w: &mut String, ctr: &Value, st: Option<&Value>) {
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
        if let Some(r) = state.get("running") {
            line(w, 2, "State:\tRunning");
            line(w, 3, &format!("Started:\t{}", time(r, &["startedAt"])));
        } else if let Some(wt) = state.get("waiting") {
            line(w, 2, "State:\tWaiting");
            line(w, 3, &format!("Reason:\t{}", meta::str_at(wt, &["reason"])));
        } else if let Some(t) = state.get("terminated") {
            line(w, 2, "State:\tTerminated");
            line(w, 3, &format!("Reason:\t{}", meta::str_at(t, &["reason"])));
            line(
                w,
                3,
                &format!(
                    "Exit Code:\t{}",
                    meta::i64_at(t, &["exitCode"]).unwrap_or(0)
                ),
            );
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
    let env: Vec<Value> = meta::at(ctr, &["env"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if env.is_empty() {
        line(w, 2, "Environment:\t<none>");
    } else {
        line(w, 2, "Environment:");
        for e in env {
            let name = meta::str_at(&e, &["name"]);
            if let Some(fp) = meta::at(&e, &["valueFrom", "fieldRef"]) {
                line(
                    w,
                    3,
                    &format!(
                        "{name}:\t ({}:{})",
                        meta::str_at(fp, &["apiVersion"]),
                        meta::str_at(fp, &["fieldPath"])
                    ),
                );
            } else {
                line(w, 3, &format!("{name}:\t{}", meta::str_at(&e, &["value"])));
            }
        }
    }
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

/// `describeVolumes` for a pod spec. `space` is the pod template's extra indent ("  "),
/// which also puts one more space before each volume name, as kubectl does.
fn volumes(spec: &Value, space: &str, w: &mut String) {
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

fn daemonset(c: &Cluster, ds: &Value, w: &mut String) {
    let s = |k: &str| meta::i64_at(ds, &["status", k]).unwrap_or(0);
    line(w, 0, &format!("Name:\t{}", meta::name(ds)));
    let sel = LabelSelector::from_value(meta::at(ds, &["spec", "selector"]))
        .map_or("<none>".to_string(), |s| s.to_kubectl_string());
    line(w, 0, &format!("Selector:\t{sel}"));
    let ns_sel = scheduling::format_labels(&meta::string_map(
        ds,
        &["spec", "template", "spec", "nodeSelector"],
    ));
    line(w, 0, &format!("Node-Selector:\t{ns_sel}"));
    multiline(w, 0, "Labels", &labels(ds));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(ds, &["metadata", "annotations"]),
    );
    line(
        w,
        0,
        &format!(
            "Desired Number of Nodes Scheduled: {}",
            s("desiredNumberScheduled")
        ),
    );
    line(
        w,
        0,
        &format!(
            "Current Number of Nodes Scheduled: {}",
            s("currentNumberScheduled")
        ),
    );
    line(
        w,
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}",
            s("updatedNumberScheduled")
        ),
    );
    line(
        w,
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}",
            s("numberAvailable")
        ),
    );
    line(
        w,
        0,
        &format!("Number of Nodes Misscheduled: {}", s("numberMisscheduled")),
    );
    let uid = meta::uid(ds);
    pods_status(
        w,
        c.list(Kind::Pod, Some(meta::namespace(ds)))
            .filter(|p| meta::controller_ref(p).is_some_and(|(_, _, u)| u == uid)),
    );
    line(w, 0, "Pod Template:");
    multiline(
        w,
        1,
        "Labels",
        &meta::string_map(ds, &["spec", "template", "metadata", "labels"])
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>(),
    );
    let ann = annotations(ds, &["spec", "template", "metadata", "annotations"]);
    if !ann.is_empty() {
        multiline(w, 1, "Annotations", &ann);
    }
    let sa = meta::str_at(ds, &["spec", "template", "spec", "serviceAccountName"]);
    if !sa.is_empty() {
        line(w, 1, &format!("Service Account:\t{sa}"));
    }
    line(w, 1, "Containers:");
    for ctr in meta::at(ds, &["spec", "template", "spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        // describeContainerBasicInfo: a template's container names get one extra space;
        // their fields stay at the usual level.
        line(w, 1, &format!(" {}:", meta::str_at(&ctr, &["name"])));
        line(w, 2, &format!("Image:\t{}", meta::str_at(&ctr, &["image"])));
        describe_container_body(w, &ctr, None);
    }
    volumes(
        meta::at(ds, &["spec", "template", "spec"]).unwrap_or(&Value::Null),
        "  ",
        w,
    );
    events(c, Kind::DaemonSet, meta::namespace(ds), meta::name(ds), w);
}

fn namespace(ns: &Value, w: &mut String) {
    line(w, 0, &format!("Name:\t{}", meta::name(ns)));
    multiline(w, 0, "Labels", &labels(ns));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(ns, &["metadata", "annotations"]),
    );
    line(
        w,
        0,
        &format!("Status:\t{}", meta::str_at(ns, &["status", "phase"])),
    );
    w.push('\n');
    line(w, 0, "No resource quota.");
    w.push('\n');
    line(w, 0, "No LimitRange resource.");
}

/// `DescribeEvents`: oldest first; `Events:\t<none>` when there are none.
fn events(c: &Cluster, kind: Kind, ns: &str, name: &str, w: &mut String) {
    let evs = c.events_for(kind, ns, name);
    if evs.is_empty() {
        line(w, 0, "Events:\t<none>");
        return;
    }
    line(w, 0, "Events:");
    line(w, 1, "Type\tReason\tAge\tFrom\tMessage");
    line(w, 1, "----\t------\t----\t----\t-------");
    for e in evs {
        let first = meta::timestamp(e, &["firstTimestamp"]).unwrap_or_default();
        let last = meta::timestamp(e, &["lastTimestamp"]).unwrap_or(first);
        let count = meta::i64_at(e, &["count"]).unwrap_or(1);
        let age = if count > 1 {
            format!(
                "{} (x{} over {})",
                human_duration(c.now().since(last)),
                count,
                human_duration(c.now().since(first))
            )
        } else {
            human_duration(c.now().since(first))
        };
        line(
            w,
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}",
                meta::str_at(e, &["type"]),
                meta::str_at(e, &["reason"]),
                age,
                meta::str_at(e, &["source", "component"]),
                meta::str_at(e, &["message"]).trim()
            ),
        );
    }
}

/// describe's `Pods Status:` line: the controller's pods counted by phase (Pending counts
/// as Waiting).
fn pods_status<'a>(w: &mut String, pods: impl Iterator<Item = &'a Value>) {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in pods {
        match pod::phase(p) {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    line(
        w,
        0,
        &format!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"
        ),
    );
}
