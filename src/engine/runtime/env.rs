//! The environment a container starts with, fixed when it starts (the kubelet computes it
//! once per container start and hands it to the runtime): the image's `ENV`, the pod
//! spec's `env`, and the service variables of every Service in the pod's namespace (plus
//! the `kubernetes` Service) that existed at that moment.

use crate::engine::value::Value;

use super::images;
use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta};

/// The environment of `container` in `pod`, as the kubelet would start it now: the image's
/// variables (PATH first) overridden by the kubelet's, then the kubelet's others in name
/// order (the kubelet's own order comes from a Go map, so any fixed order is as right).
pub(crate) fn start_env(c: &Cluster, p: &Value, container: &str) -> Vec<(String, String)> {
    let spec = meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|x| meta::str_at(x, &["name"]) == container));
    let image = spec.map_or("", |s| meta::str_at(s, &["image"]));
    let mut kubelet: Vec<(String, String)> = service_env(c, meta::namespace(p));
    if let Some(s) = spec {
        // The kubelet only starts a container whose env resolves (`kubelet_config`), so an
        // error here means the objects changed since: nothing from the spec, as a fresh start
        // would wait.
        let spec_env = crate::engine::controllers::config_refs::resolve_env(&c.store, p, s)
            .unwrap_or_default();
        for (k, v) in spec_env {
            kubelet.retain(|(n, _)| *n != k);
            kubelet.push((k, v));
        }
    }
    let mut out: Vec<(String, String)> = images::spec(image)
        .env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in &kubelet {
        if let Some(slot) = out.iter_mut().find(|(n, _)| n == k) {
            slot.1 = v.clone();
        }
    }
    let mut rest: Vec<(String, String)> = kubelet
        .into_iter()
        .filter(|(k, _)| !out.iter().any(|(n, _)| n == k))
        .collect();
    rest.sort();
    out.extend(rest);
    out
}

/// kubelet's `envvars.FromServices` for the Services a pod in `namespace` sees: its
/// namespace's, plus `kubernetes` from `default`; Services without a cluster IP are skipped.
pub(crate) fn service_env(c: &Cluster, namespace: &str) -> Vec<(String, String)> {
    let mut services: Vec<&Value> = c.list(Kind::Service, Some(namespace)).collect();
    if namespace != "default" {
        services.extend(c.get(Kind::Service, "default", "kubernetes"));
    }
    let mut out = Vec::new();
    for svc in services {
        let ip = meta::str_at(svc, &["spec", "clusterIP"]);
        if ip.is_empty() || ip == "None" {
            continue;
        }
        let ports: Vec<&Value> = meta::at(svc, &["spec", "ports"])
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let Some(first) = ports.first() else {
            continue;
        };
        let prefix = meta::name(svc).to_uppercase().replace('-', "_");
        let port_of = |p: &Value| meta::i64_at(p, &["port"]).unwrap_or(0);
        let proto_of = |p: &Value| match meta::str_at(p, &["protocol"]) {
            "" => "TCP".to_string(),
            other => other.to_string(),
        };
        out.push((format!("{prefix}_SERVICE_HOST"), ip.to_string()));
        out.push((format!("{prefix}_SERVICE_PORT"), port_of(first).to_string()));
        for p in &ports {
            let name = meta::str_at(p, &["name"]);
            if !name.is_empty() {
                out.push((
                    format!(
                        "{prefix}_SERVICE_PORT_{}",
                        name.to_uppercase().replace('-', "_")
                    ),
                    port_of(p).to_string(),
                ));
            }
        }
        let first_proto = proto_of(first).to_lowercase();
        out.push((
            format!("{prefix}_PORT"),
            format!("{first_proto}://{ip}:{}", port_of(first)),
        ));
        for p in &ports {
            let (port, proto) = (port_of(p), proto_of(p));
            let lower = proto.to_lowercase();
            let key = format!("{prefix}_PORT_{port}_{proto}");
            out.push((key.clone(), format!("{lower}://{ip}:{port}")));
            out.push((format!("{key}_PROTO"), lower));
            out.push((format!("{key}_PORT"), port.to_string()));
            out.push((format!("{key}_ADDR"), ip.to_string()));
        }
    }
    out
}
