//! The cluster map's Services lines: one line per learner Service (outside the system
//! namespaces, and not the API server's own `kubernetes`), naming its cluster IP and first
//! port and the pods its Endpoints list as ready, by their name's last part (the suffix the
//! pod chips show too): `svc/demo 10.96.61.193:80 → 3 pods: 2hk9j jbm7g l7zf9`.
//!
//! Reads the engine only; must not import ratatui.

use crate::api::service_views::{EndpointsView, ServiceView};
use crate::engine::Cluster;
use crate::engine::objects::Kind;
use crate::tui::cluster_view::SYSTEM_NAMESPACES;

/// At most this many Services are looked at per frame (the map shows two lines at most).
const MAX_LISTED: usize = 8;

fn is_learners(svc: ServiceView<'_>) -> bool {
    let ns = svc.meta().namespace();
    let api_server = ns == "default" && svc.meta().name() == "kubernetes";
    !SYSTEM_NAMESPACES.contains(&ns) && !api_server
}

/// The lines, and how many learner Services there are in all (for `+N more`).
pub fn service_lines(cluster: &Cluster) -> (Vec<String>, usize) {
    let mut lines = Vec::new();
    let mut total = 0;
    let services = cluster.list(Kind::Service, None).map(ServiceView::of);
    for svc in services.filter(|s| is_learners(*s)) {
        total += 1;
        if lines.len() >= MAX_LISTED {
            continue;
        }
        let (ns, name) = (svc.meta().namespace(), svc.meta().name());
        let ip = svc.cluster_ip();
        let address = match svc.first_port() {
            Some(p) if !ip.is_empty() && ip != "None" => format!("{ip}:{p}"),
            _ if !ip.is_empty() => ip.to_string(),
            _ => "<none>".to_string(),
        };
        let pods = cluster
            .get(Kind::Endpoints, ns, name)
            .map(|e| EndpointsView::of(e).ready_pods())
            .unwrap_or_default();
        let target = if !svc.has_selector() {
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
