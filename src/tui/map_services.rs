//! The cluster map's Services lines: one line per learner Service (outside the system
//! namespaces, and not the API server's own `kubernetes`), naming its cluster IP and first
//! port and the pods its Endpoints list as ready, by their name's last part (the suffix the
//! pod chips show too): `svc/demo 10.96.61.193:80 → 3 pods: 2hk9j jbm7g l7zf9`.
//!
//! Reads the engine only; must not import ratatui.

use serde_json::Value;

use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta};
use crate::tui::cluster_view::SYSTEM_NAMESPACES;

/// At most this many Services are looked at per frame (the map shows two lines at most).
const MAX_LISTED: usize = 8;

fn is_learners(svc: &Value) -> bool {
    let ns = meta::namespace(svc);
    let api_server = ns == "default" && meta::name(svc) == "kubernetes";
    !SYSTEM_NAMESPACES.contains(&ns) && !api_server
}

/// The ready pods an Endpoints object lists, by name.
fn ready_pods(ep: Option<&Value>) -> Vec<&str> {
    let mut names: Vec<&str> = ep
        .and_then(|e| e.get("subsets"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|s| {
            s.get("addresses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .map(|a| meta::str_at(a, &["targetRef", "name"]))
        .filter(|n| !n.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The lines, and how many learner Services there are in all (for `+N more`).
pub fn service_lines(cluster: &Cluster) -> (Vec<String>, usize) {
    let mut lines = Vec::new();
    let mut total = 0;
    for svc in cluster.list(Kind::Service, None).filter(|s| is_learners(s)) {
        total += 1;
        if lines.len() >= MAX_LISTED {
            continue;
        }
        let ns = meta::namespace(svc);
        let name = meta::name(svc);
        let ip = meta::str_at(svc, &["spec", "clusterIP"]);
        let port = meta::at(svc, &["spec", "ports"])
            .and_then(Value::as_array)
            .and_then(|p| p.first())
            .and_then(|p| meta::i64_at(p, &["port"]));
        let address = match port {
            Some(p) if !ip.is_empty() && ip != "None" => format!("{ip}:{p}"),
            _ if !ip.is_empty() => ip.to_string(),
            _ => "<none>".to_string(),
        };
        let pods = ready_pods(cluster.get(Kind::Endpoints, ns, name));
        let target = if meta::at(svc, &["spec", "selector"]).is_none() {
            "no selector".to_string()
        } else if pods.is_empty() {
            "no ready pods".to_string()
        } else {
            let short: Vec<&str> = pods
                .iter()
                .map(|p| p.rsplit('-').next().unwrap_or(p))
                .collect();
            let noun = if pods.len() == 1 { "pod" } else { "pods" };
            format!("{} {noun}: {}", pods.len(), short.join(" "))
        };
        lines.push(format!("svc/{name} {address} → {target}"));
    }
    (lines, total)
}
