//! The API server's Service address allocators (1.21 `pkg/registry/core/service/ipallocator`
//! and `portallocator`): a Service's cluster IP from KinD's service range `10.96.0.0/16`, and
//! its node ports from `30000-32767`. Both use 1.21's random-scan strategy: a random offset
//! in the range (from the cluster's seeded source), then forward to the first free value,
//! wrapping. What is taken is read from the stored Services, so a deleted Service's address
//! is free again at once, and a saved cluster needs no allocator state.

use std::collections::BTreeSet;

use crate::engine::value::{Value, json};

use super::Cluster;
use super::admission::service::{go_strings, parse_ipv4};
use super::error::{ApiError, FieldError};
use super::objects::{Kind, meta};

/// KinD v0.11.1's `serviceSubnet` (`pkg/apis/config/v1alpha4/default.go`).
pub const SERVICE_CIDR: &str = "10.96.0.0/16";
const NETWORK: u32 = 0x0A60_0000; // 10.96.0.0
const PREFIX_BITS: u32 = 16;
/// The node port range (the API server's `--service-node-port-range` default).
pub const NODE_PORT_MIN: u32 = 30000;
pub const NODE_PORT_MAX: u32 = 32767;

/// The first usable address and how many there are (network and broadcast addresses left
/// out, as `ipallocator.NewAllocatorCIDRRange` does).
fn range() -> (u32, u32) {
    let size = 1u32 << (32 - PREFIX_BITS);
    (NETWORK + 1, size - 2)
}

fn ipv4_text(ip: u32) -> String {
    std::net::Ipv4Addr::from(ip).to_string()
}

/// A random offset in `0..size`, then the first value not in `taken` from there on, wrapping
/// (`randomScanStrategy.AllocateBit`).
fn random_scan(rng: &mut super::rng::Rng, size: u32, taken: impl Fn(u32) -> bool) -> Option<u32> {
    let start = rng.below(u64::from(size)) as u32;
    (0..size)
        .map(|i| (start + i) % size)
        .find(|offset| !taken(*offset))
}

fn invalid(obj: &Value, field: &str, body: String) -> ApiError {
    ApiError::Invalid {
        kind: Kind::Service,
        name: meta::name(obj).to_string(),
        causes: vec![FieldError {
            field: field.to_string(),
            body,
        }],
    }
}

impl Cluster {
    /// Cluster IPs and node ports held by every Service but the one at `namespace/name`.
    fn service_allocations(&self, namespace: &str, name: &str) -> (BTreeSet<u32>, BTreeSet<i64>) {
        let mut ips = BTreeSet::new();
        let mut ports = BTreeSet::new();
        for svc in self.list(Kind::Service, None) {
            if meta::namespace(svc) == namespace && meta::name(svc) == name {
                continue;
            }
            if let Some(ip) = parse_ipv4(meta::str_at(svc, &["spec", "clusterIP"])) {
                ips.insert(ip);
            }
            for p in meta::at(svc, &["spec", "ports"])
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(np) = meta::i64_at(p, &["nodePort"]).filter(|n| *n != 0) {
                    ports.insert(np);
                }
            }
        }
        (ips, ports)
    }

    /// Gives a defaulted Service about to be stored its cluster IP (the one asked for, if it
    /// is free and in range, else a random free one) and its node ports.
    pub(super) fn allocate_service(&mut self, obj: &mut Value) -> Result<(), ApiError> {
        let ty = meta::str_at(obj, &["spec", "type"]).to_string();
        let (ips, node_ports) = self.service_allocations(meta::namespace(obj), meta::name(obj));
        if ty != "ExternalName" {
            let asked = meta::str_at(obj, &["spec", "clusterIP"]).to_string();
            let (base, size) = range();
            if asked.is_empty() {
                let offset = random_scan(&mut self.rng, size, |o| ips.contains(&(base + o)))
                    .ok_or_else(|| {
                        ApiError::BadRequest(
                            "Internal error occurred: failed to allocate a serviceIP: range is full"
                                .to_string(),
                        )
                    })?;
                let ip = ipv4_text(base + offset);
                meta::set(obj, &["spec", "clusterIP"], json!(ip));
                meta::set(obj, &["spec", "clusterIPs"], json!([ip]));
            } else if asked != "None" {
                // `allocServiceClusterIPs`: `failed to allocate IP %v: %v`.
                let shown = go_strings(meta::at(obj, &["spec", "clusterIPs"]));
                let reason = match parse_ipv4(&asked) {
                    Some(ip) if ip < base || ip >= base + size => Some(format!(
                        "provided IP is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"
                    )),
                    Some(ip) if ips.contains(&ip) => {
                        Some("provided IP is already allocated".to_string())
                    }
                    _ => None,
                };
                if let Some(reason) = reason {
                    return Err(invalid(
                        obj,
                        "spec.clusterIPs",
                        format!("Invalid value: {shown}: failed to allocate IP {asked}: {reason}"),
                    ));
                }
            }
        }
        if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
            self.allocate_node_ports(obj, node_ports)?;
        }
        Ok(())
    }

    fn allocate_node_ports(
        &mut self,
        obj: &mut Value,
        mut taken: BTreeSet<i64>,
    ) -> Result<(), ApiError> {
        let count = meta::at(obj, &["spec", "ports"])
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
        for i in 0..count {
            let path = ["spec", "ports"];
            let asked = meta::at(obj, &path)
                .and_then(|ps| ps.get(i))
                .and_then(|p| meta::i64_at(p, &["nodePort"]))
                .unwrap_or(0);
            let field = format!("spec.ports[{i}].nodePort");
            let port = if asked == 0 {
                let min = i64::from(NODE_PORT_MIN);
                let offset = random_scan(&mut self.rng, size, |o| {
                    taken.contains(&(min + i64::from(o)))
                })
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "Internal error occurred: failed to allocate a nodePort: range is full"
                            .to_string(),
                    )
                })?;
                min + i64::from(offset)
            } else if !(i64::from(NODE_PORT_MIN)..=i64::from(NODE_PORT_MAX)).contains(&asked) {
                return Err(invalid(
                    obj,
                    &field,
                    format!(
                        "Invalid value: {asked}: provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}"
                    ),
                ));
            } else if taken.contains(&asked) {
                return Err(invalid(
                    obj,
                    &field,
                    format!("Invalid value: {asked}: provided port is already allocated"),
                ));
            } else {
                asked
            };
            taken.insert(port);
            if let Some(Value::Array(ps)) = meta::at_mut(obj, &path)
                && let Some(p) = ps.get_mut(i)
            {
                meta::ensure_object(p).insert("nodePort", json!(port));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_starts_at_random_and_takes_the_next_free_value_wrapping() {
        let mut rng = crate::engine::rng::Rng::seeded(3);
        let mut probe = rng.clone();
        let start = probe.below(10) as u32;
        let got = random_scan(&mut rng, 10, |o| o == start);
        assert_eq!(got, Some((start + 1) % 10));
        let mut rng = crate::engine::rng::Rng::seeded(3);
        assert_eq!(random_scan(&mut rng, 4, |_| true), None);
    }

    #[test]
    fn the_range_is_kinds_slash_16_without_network_and_broadcast() {
        let (base, size) = range();
        assert_eq!(ipv4_text(base), "10.96.0.1");
        assert_eq!(ipv4_text(base + size - 1), "10.96.255.254");
    }
}
