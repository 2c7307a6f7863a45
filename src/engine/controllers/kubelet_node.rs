//! What each node's kubelet keeps about its node rather than its pods: the node's address,
//! the pod IPs it hands out, the images it holds, its status heartbeats, and pods' QoS class.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::engine::value::{Value, json};

use crate::engine::images;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{Cluster, SimTime, Timer};

/// The pod addresses host-local hands out in a node's /24: `.1` is the bridge's gateway.
const FIRST_HOST: u32 = 2;
const LAST_HOST: u32 = 254;

/// How often a kubelet reports an unchanged node status (`nodeStatusReportFrequency`).
const HEARTBEAT_EVERY: Duration = Duration::from_secs(300);

/// Every node's kubelet posts its status: the conditions' `lastHeartbeatTime` moves to now.
/// The next report is scheduled at once; it is background activity, not something the
/// cluster waits for to settle.
pub(crate) fn heartbeat(c: &mut Cluster) {
    let now = json!(c.now.rfc3339());
    let names: Vec<String> = c
        .list(Kind::Node, None)
        .map(|n| meta::name(n).to_string())
        .collect();
    for name in names {
        let key = crate::engine::store::ObjKey::new("", &name);
        c.store.modify(Kind::Node, &key, |n| {
            if let Some(Value::Array(conds)) = meta::at_mut(n, &["status", "conditions"]) {
                for cond in conds {
                    cond["lastHeartbeatTime"] = now.clone();
                }
            }
        });
    }
    c.add_timer(c.now + HEARTBEAT_EVERY, Timer::Heartbeat);
}

/// Where a heartbeat due at `at` may jump to, skipping the reports before `horizon`: only
/// the last report's time shows (nothing reads the conditions' heartbeat times before it).
pub(crate) fn skip_heartbeats(at: SimTime, horizon: SimTime) -> Option<(SimTime, Timer)> {
    let period = HEARTBEAT_EVERY.as_millis() as i64;
    let skipped = (horizon.0 - at.0).max(0) / period;
    (skipped > 0).then(|| (SimTime(at.0 + skipped * period), Timer::Heartbeat))
}

/// The pod's QoS class from its containers' requests and limits.
pub fn qos_class(p: &Value) -> &'static str {
    let containers = meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut any = false;
    let mut guaranteed = !containers.is_empty();
    for ctr in &containers {
        let req = meta::at(ctr, &["resources", "requests"]).and_then(Value::as_object);
        let lim = meta::at(ctr, &["resources", "limits"]).and_then(Value::as_object);
        if req.is_some_and(|r| !r.is_empty()) || lim.is_some_and(|l| !l.is_empty()) {
            any = true;
        }
        for res in ["cpu", "memory"] {
            let l = lim.and_then(|l| l.get(res));
            let r = req.and_then(|r| r.get(res)).or(l);
            if l.is_none() || r != l {
                guaranteed = false;
            }
        }
    }
    match (any, guaranteed) {
        (false, _) => "BestEffort",
        (true, true) => "Guaranteed",
        (true, false) => "Burstable",
    }
}

impl Cluster {
    /// A node's InternalIP.
    pub(crate) fn node_ip(&self, node: &str) -> String {
        self.get(Kind::Node, "", node)
            .and_then(crate::engine::objects::node::internal_ip)
            .unwrap_or_default()
            .to_string()
    }

    /// The next pod IP in the node's podCIDR, as kindnet's host-local IPAM gives it: the
    /// address after the last one given, up to `.254`, then round again from `.2` (`.1` is
    /// the gateway); an address a pod on the node still holds is skipped, so a freed one
    /// comes back only after the range has wrapped.
    pub(crate) fn allocate_pod_ip(&mut self, node: &str) -> String {
        let cidr = self
            .get(Kind::Node, "", node)
            .map(|n| meta::str_at(n, &["spec", "podCIDR"]).to_string())
            .unwrap_or_default();
        let prefix = cidr
            .split('/')
            .next()
            .unwrap_or("")
            .rsplit_once('.')
            .map_or("", |(p, _)| p)
            .to_string();
        let in_use = self.pod_hosts_in_use(node, &prefix);
        let next = self
            .controllers
            .kubelet
            .next_ip
            .entry(node.to_string())
            .or_insert(FIRST_HOST);
        let start = (*next).clamp(FIRST_HOST, LAST_HOST);
        let span = LAST_HOST - FIRST_HOST + 1;
        // A node holds at most 110 pods, so a free address is always found.
        let host = (0..span)
            .map(|i| FIRST_HOST + (start - FIRST_HOST + i) % span)
            .find(|h| !in_use.contains(h))
            .unwrap_or(start);
        *next = if host >= LAST_HOST {
            FIRST_HOST
        } else {
            host + 1
        };
        format!("{prefix}.{host}")
    }

    /// The host parts of the pod IPs in `prefix` that the node's pods hold (a pod that has
    /// finished has had its sandbox, and its address, released).
    fn pod_hosts_in_use(&self, node: &str, prefix: &str) -> BTreeSet<u32> {
        self.store
            .get_all(Kind::Pod, self.store.index().pods_on(node))
            .filter(|p| !matches!(pod::phase(p), "Succeeded" | "Failed"))
            .filter_map(pod::ip)
            .filter_map(|ip| ip.strip_prefix(prefix)?.strip_prefix('.')?.parse().ok())
            .collect()
    }

    pub(crate) fn node_has_image(&self, node: &str, image: &str) -> bool {
        self.controllers
            .kubelet
            .node_images
            .get(node)
            .is_some_and(|s| s.contains(&images::normalize(image)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qos_classes() {
        assert_eq!(
            qos_class(&json!({"spec": {"containers": [{"name": "a"}]}})),
            "BestEffort"
        );
        assert_eq!(
            qos_class(
                &json!({"spec": {"containers": [{"resources": {"requests": {"cpu": "100m"}}}]}})
            ),
            "Burstable"
        );
        assert_eq!(
            qos_class(
                &json!({"spec": {"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})
            ),
            "Guaranteed"
        );
    }
}
