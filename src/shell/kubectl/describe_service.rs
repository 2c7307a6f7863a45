//! `kubectl describe` for Services and Endpoints (kubectl v1.21 `describe.go`:
//! `describeService`, `describeEndpoints`), and `formatEndpoints`, the ENDPOINTS cell that
//! `get endpoints` and describe's `Endpoints:` line share (`pkg/printers/internalversion/
//! printers.go`).
//!
//! A child of `describe` (it shares that module's line writers). Reads the cluster, never
//! writes it.

use std::collections::BTreeSet;

use crate::engine::value::Value;

use super::{annotations, events, labels, line, multiline};
use crate::engine::Cluster;
use crate::engine::objects::scheduling::format_labels;
use crate::engine::objects::{Kind, meta};

/// At most this many `ip:port` are listed, then ` + N more...` (`formatEndpoints`).
const MAX_SHOWN: usize = 3;

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `formatEndpoints`: `ip:port` for each port (of the names in `ports`, if given) and each
/// ready address, comma-joined, at most three; `<none>` without subsets.
pub(in crate::shell::kubectl) fn format_endpoints(
    ep: &Value,
    ports: Option<&BTreeSet<String>>,
) -> String {
    let subsets = array(ep, "subsets");
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut push = |text: String, list: &mut Vec<String>| {
        if list.len() < MAX_SHOWN && count == list.len() {
            list.push(text);
        }
        count += 1;
    };
    for ss in subsets {
        let addrs = array(ss, "addresses");
        let ss_ports = array(ss, "ports");
        if ss_ports.is_empty() {
            for a in addrs {
                push(meta::str_at(a, &["ip"]).to_string(), &mut list);
            }
            continue;
        }
        for p in ss_ports {
            let name = meta::str_at(p, &["name"]);
            if ports.is_some_and(|set| !set.contains(name)) {
                continue;
            }
            let port = meta::i64_at(p, &["port"]).unwrap_or(0);
            for a in addrs {
                let ip = meta::str_at(a, &["ip"]);
                // `net.JoinHostPort` brackets IPv6 addresses.
                let host = if ip.contains(':') {
                    format!("[{ip}]")
                } else {
                    ip.to_string()
                };
                push(format!("{host}:{port}"), &mut list);
            }
        }
    }
    let text = list.join(",");
    if count > MAX_SHOWN {
        format!("{text} + {} more...", count - MAX_SHOWN)
    } else {
        text
    }
}

/// `listWithMoreString`: the first three, ` + N more...`, or `<unset>` for none.
fn list_with_more(list: &[String], count: usize) -> String {
    let text = list.join(",");
    if count > MAX_SHOWN {
        format!("{text} + {} more...", count - MAX_SHOWN)
    } else if text.is_empty() {
        "<unset>".to_string()
    } else {
        text
    }
}

/// `formatDiscoveryPorts`: an EndpointSlice's port numbers (`*` for none).
pub(in crate::shell::kubectl) fn format_slice_ports(slice: &Value) -> String {
    let ports = array(slice, "ports");
    let list: Vec<String> = ports
        .iter()
        .take(MAX_SHOWN)
        .map(|p| match meta::i64_at(p, &["port"]) {
            Some(n) => n.to_string(),
            None => match meta::at(p, &["name"]).and_then(Value::as_str) {
                Some(name) => name.to_string(),
                None => "*".to_string(),
            },
        })
        .collect();
    list_with_more(&list, ports.len())
}

/// `formatDiscoveryEndpoints`: an EndpointSlice's addresses, ready or not.
pub(in crate::shell::kubectl) fn format_slice_endpoints(slice: &Value) -> String {
    let all: Vec<String> = array(slice, "endpoints")
        .iter()
        .flat_map(|e| array(e, "addresses"))
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let shown: Vec<String> = all.iter().take(MAX_SHOWN).cloned().collect();
    list_with_more(&shown, all.len())
}

/// `getServiceExternalIP`: the EXTERNAL-IP cell of `get services`.
pub(in crate::shell::kubectl) fn external_ip(svc: &Value) -> String {
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let external = strings(meta::at(svc, &["spec", "externalIPs"]));
    match meta::str_at(svc, &["spec", "type"]) {
        "ClusterIP" | "NodePort" | "" => {
            if external.is_empty() {
                "<none>".to_string()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let mut ips: Vec<String> = array(
                meta::at(svc, &["status", "loadBalancer"]).unwrap_or(&Value::Null),
                "ingress",
            )
            .iter()
            .map(|i| {
                let ip = meta::str_at(i, &["ip"]);
                if ip.is_empty() {
                    meta::str_at(i, &["hostname"]).to_string()
                } else {
                    ip.to_string()
                }
            })
            .filter(|s| !s.is_empty())
            .collect();
            ips.extend(external);
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        "ExternalName" => meta::str_at(svc, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    }
}

/// `describeService`.
pub(super) fn service(c: &Cluster, svc: &Value, w: &mut String) {
    let ns = meta::namespace(svc);
    let name = meta::name(svc);
    line(w, 0, &format!("Name:\t{name}"));
    line(w, 0, &format!("Namespace:\t{ns}"));
    multiline(w, 0, "Labels", &labels(svc));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(svc, &["metadata", "annotations"]),
    );
    let selector = format_labels(&meta::string_map(svc, &["spec", "selector"]));
    line(w, 0, &format!("Selector:\t{selector}"));
    let ty = meta::str_at(svc, &["spec", "type"]);
    line(w, 0, &format!("Type:\t{ty}"));
    let policy = meta::str_at(svc, &["spec", "ipFamilyPolicy"]);
    if !policy.is_empty() {
        line(w, 0, &format!("IP Family Policy:\t{policy}"));
    }
    let joined = |key: &str| {
        let items: Vec<&str> = meta::at(svc, &["spec", key])
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if items.is_empty() {
            "<none>".to_string()
        } else {
            items.join(",")
        }
    };
    line(w, 0, &format!("IP Families:\t{}", joined("ipFamilies")));
    line(
        w,
        0,
        &format!("IP:\t{}", meta::str_at(svc, &["spec", "clusterIP"])),
    );
    line(w, 0, &format!("IPs:\t{}", joined("clusterIPs")));
    let external = joined("externalIPs");
    if external != "<none>" {
        line(w, 0, &format!("External IPs:\t{external}"));
    }
    let lb_ip = meta::str_at(svc, &["spec", "loadBalancerIP"]);
    if !lb_ip.is_empty() {
        line(w, 0, &format!("IP:\t{lb_ip}"));
    }
    if ty == "ExternalName" {
        line(
            w,
            0,
            &format!(
                "External Name:\t{}",
                meta::str_at(svc, &["spec", "externalName"])
            ),
        );
    }
    let ep = c
        .get(Kind::Endpoints, ns, name)
        .cloned()
        .unwrap_or(Value::Null);
    for sp in meta::at(svc, &["spec", "ports"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let port_name = meta::str_at(sp, &["name"]);
        let shown = if port_name.is_empty() {
            "<unset>"
        } else {
            port_name
        };
        let proto = meta::str_at(sp, &["protocol"]);
        let port = meta::i64_at(sp, &["port"]).unwrap_or(0);
        line(w, 0, &format!("Port:\t{shown}\t{port}/{proto}"));
        let target = match sp.get("targetPort") {
            Some(Value::String(s)) => s.to_string(),
            Some(v) => v.as_i64().unwrap_or(0).to_string(),
            None => "0".to_string(),
        };
        line(w, 0, &format!("TargetPort:\t{target}/{proto}"));
        if let Some(np) = meta::i64_at(sp, &["nodePort"]).filter(|n| *n != 0) {
            line(w, 0, &format!("NodePort:\t{shown}\t{np}/{proto}"));
        }
        let names = BTreeSet::from([port_name.to_string()]);
        line(
            w,
            0,
            &format!("Endpoints:\t{}", format_endpoints(&ep, Some(&names))),
        );
    }
    line(
        w,
        0,
        &format!(
            "Session Affinity:\t{}",
            meta::str_at(svc, &["spec", "sessionAffinity"])
        ),
    );
    let etp = meta::str_at(svc, &["spec", "externalTrafficPolicy"]);
    if !etp.is_empty() {
        line(w, 0, &format!("External Traffic Policy:\t{etp}"));
    }
    events(c, Kind::Service, ns, name, w);
}

/// The IPs of a subset's `key` addresses, comma-joined, or `<none>`.
fn ips(subset: &Value, key: &str) -> String {
    let list: Vec<&str> = array(subset, key)
        .iter()
        .map(|a| meta::str_at(a, &["ip"]))
        .collect();
    if list.is_empty() {
        "<none>".to_string()
    } else {
        list.join(",")
    }
}

/// `describeEndpoints`.
pub(super) fn endpoints(c: &Cluster, ep: &Value, w: &mut String) {
    let ns = meta::namespace(ep);
    let name = meta::name(ep);
    line(w, 0, &format!("Name:\t{name}"));
    line(w, 0, &format!("Namespace:\t{ns}"));
    multiline(w, 0, "Labels", &labels(ep));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(ep, &["metadata", "annotations"]),
    );
    line(w, 0, "Subsets:");
    for subset in array(ep, "subsets") {
        line(w, 1, &format!("Addresses:\t{}", ips(subset, "addresses")));
        line(
            w,
            1,
            &format!("NotReadyAddresses:\t{}", ips(subset, "notReadyAddresses")),
        );
        let ports = array(subset, "ports");
        if !ports.is_empty() {
            line(w, 1, "Ports:");
            line(w, 2, "Name\tPort\tProtocol");
            line(w, 2, "----\t----\t--------");
            for p in ports {
                let pname = meta::str_at(p, &["name"]);
                line(
                    w,
                    2,
                    &format!(
                        "{}\t{}\t{}",
                        if pname.is_empty() { "<unset>" } else { pname },
                        meta::i64_at(p, &["port"]).unwrap_or(0),
                        meta::str_at(p, &["protocol"])
                    ),
                );
            }
        }
        w.push('\n');
    }
    events(c, Kind::Endpoints, ns, name, w);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::engine::value::json;

    use super::format_endpoints;

    #[test]
    fn endpoints_show_three_then_how_many_more() {
        let ep = json!({"subsets": [{
            "addresses": [{"ip": "10.244.0.3"}, {"ip": "10.244.0.4"}],
            "ports": [{"name": "dns", "port": 53}, {"name": "dns-tcp", "port": 53}, {"name": "metrics", "port": 9153}]
        }]});
        assert_eq!(
            format_endpoints(&ep, None),
            "10.244.0.3:53,10.244.0.4:53,10.244.0.3:53 + 3 more..."
        );
        let metrics = BTreeSet::from(["metrics".to_string()]);
        assert_eq!(
            format_endpoints(&ep, Some(&metrics)),
            "10.244.0.3:9153,10.244.0.4:9153"
        );
    }

    #[test]
    fn a_load_balancer_without_ingress_is_pending() {
        use super::external_ip;
        assert_eq!(
            external_ip(&json!({"spec": {"type": "LoadBalancer"}})),
            "<pending>"
        );
        assert_eq!(
            external_ip(&json!({"spec": {"type": "ClusterIP"}})),
            "<none>"
        );
        assert_eq!(
            external_ip(&json!({"spec": {"type": "NodePort", "externalIPs": ["1.2.3.4"]}})),
            "1.2.3.4"
        );
        assert_eq!(
            external_ip(
                &json!({"spec": {"type": "ExternalName", "externalName": "db.example.com"}})
            ),
            "db.example.com"
        );
    }

    #[test]
    fn no_subsets_is_none_and_only_not_ready_addresses_is_empty() {
        assert_eq!(format_endpoints(&json!({}), None), "<none>");
        let not_ready = json!({"subsets": [{"notReadyAddresses": [{"ip": "10.244.1.2"}], "ports": [{"port": 80}]}]});
        assert_eq!(format_endpoints(&not_ready, None), "");
        // A headless Service without ports lists bare IPs.
        let bare =
            json!({"subsets": [{"addresses": [{"ip": "10.244.1.2"}, {"ip": "10.244.2.2"}]}]});
        assert_eq!(format_endpoints(&bare, None), "10.244.1.2,10.244.2.2");
    }
}
