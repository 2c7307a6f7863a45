//! `describe node` (kubectl v1.21 `describeNode`): labels, taints, lease, conditions,
//! addresses, capacity, system info, the non-terminated pods and their resource requests.

use crate::engine::value::Value;

use super::{annotations, events, labels, line, multiline, time};
use crate::engine::Cluster;
use crate::engine::clock::{SimTime, human_duration};
use crate::engine::objects::scheduling::{self, Taint};
use crate::engine::objects::{Kind, meta, pod};
use crate::shell::kubectl::tables::node_roles;

pub(super) fn node(c: &Cluster, n: &Value, w: &mut String) {
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
