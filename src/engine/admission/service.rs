//! What the 1.21 API server does to a Service on every write before it allocates addresses:
//! the defaulting of `pkg/apis/core/v1/defaults.go` (`SetDefaults_Service`), the REST
//! storage's IP-family defaults and its `patchAllocatedValues` on update, and the checks of
//! `pkg/apis/core/validation/validation.go` (`ValidateService`, `ValidateServiceUpdate`), in
//! the server's own words. Allocating the cluster IP and node ports is the cluster's
//! (`engine/service_ip.rs`): it needs the other Services.

use crate::engine::value::{Value, json};

use crate::engine::error::FieldError;
use crate::engine::objects::meta;

/// The Service types 1.21 knows (`supportedServiceType`, sorted as `sets.String.List`).
const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
/// Port protocols (`supportedPortProtocols`).
const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];

/// `SetDefaults_Service` and the IP-family defaults of a single-stack IPv4 cluster.
pub fn defaults(obj: &mut Value) {
    let spec = meta::map_at(obj, &["spec"]);
    spec.entry("sessionAffinity").or_insert(json!("None"));
    spec.entry("type").or_insert(json!("ClusterIP"));
    let ty = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(Value::Array(ports)) = spec.get_mut("ports") {
        for p in ports {
            let port = p.get("port").cloned().unwrap_or(json!(0));
            let m = meta::ensure_object(p);
            m.entry("protocol").or_insert(json!("TCP"));
            let unset = match m.get("targetPort") {
                None | Some(Value::Null) => true,
                Some(Value::Number(n)) => n.as_i64() == Some(0),
                Some(Value::String(s)) => s.is_empty(),
                Some(_) => false,
            };
            if unset {
                m.insert("targetPort", port);
            }
        }
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
        spec.entry("externalTrafficPolicy")
            .or_insert(json!("Cluster"));
    }
    if ty != "ExternalName" {
        let ip = spec
            .get("clusterIP")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let has_ips = spec
            .get("clusterIPs")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if !ip.is_empty() && !has_ips {
            spec.insert("clusterIPs", json!([ip]));
        }
        spec.entry("ipFamilies").or_insert(json!(["IPv4"]));
        spec.entry("ipFamilyPolicy").or_insert(json!("SingleStack"));
    }
    meta::map_at(obj, &["status"])
        .entry("loadBalancer")
        .or_insert(json!({}));
}

/// `patchAllocatedValues`: an update that leaves out what the server allocated (the cluster
/// IPs, node ports) keeps the old values.
pub fn keep_allocated(obj: &mut Value, old: &Value) {
    let ty = meta::str_at(obj, &["spec", "type"]).to_string();
    let old_ty = meta::str_at(old, &["spec", "type"]);
    if ty == "ExternalName" || old_ty == "ExternalName" {
        return;
    }
    if meta::str_at(obj, &["spec", "clusterIP"]).is_empty() {
        for key in ["clusterIP", "clusterIPs"] {
            if let Some(v) = meta::at(old, &["spec", key]) {
                meta::set(obj, &["spec", key], v.clone());
            }
        }
    }
    let needs_node_ports = |t: &str| matches!(t, "NodePort" | "LoadBalancer");
    if !needs_node_ports(&ty) {
        // `dropTypeDependentFields`: leaving NodePort drops the node ports (and the traffic
        // policy) the server had set, when the update did not change them.
        if needs_node_ports(old_ty) {
            drop_unchanged_node_ports(obj, old);
        }
        return;
    }
    let old_ports: Vec<Value> = meta::at(old, &["spec", "ports"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Array(ports)) = meta::at_mut(obj, &["spec", "ports"]) {
        for p in ports {
            if meta::i64_at(p, &["nodePort"]).unwrap_or(0) != 0 {
                continue;
            }
            let same = old_ports.iter().find(|o| {
                o.get("port") == p.get("port")
                    && meta::str_at(o, &["protocol"]) == meta::str_at(p, &["protocol"])
            });
            if let Some(np) = same.and_then(|o| o.get("nodePort")) {
                meta::ensure_object(p).insert("nodePort", np.clone());
            }
        }
    }
}

fn drop_unchanged_node_ports(obj: &mut Value, old: &Value) {
    let node_ports = |v: &Value| -> Vec<Option<i64>> {
        meta::at(v, &["spec", "ports"])
            .and_then(Value::as_array)
            .map(|ps| ps.iter().map(|p| meta::i64_at(p, &["nodePort"])).collect())
            .unwrap_or_default()
    };
    if node_ports(obj) == node_ports(old)
        && let Some(Value::Array(ports)) = meta::at_mut(obj, &["spec", "ports"])
    {
        for p in ports {
            meta::remove(p, &["nodePort"]);
        }
    }
    if meta::at(obj, &["spec", "externalTrafficPolicy"])
        == meta::at(old, &["spec", "externalTrafficPolicy"])
    {
        meta::remove(obj, &["spec", "externalTrafficPolicy"]);
    }
}

/// Go's `%#v` of a `[]string`, as field errors print the clusterIPs.
pub fn go_strings(v: Option<&Value>) -> String {
    let items: Vec<String> = v
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| format!("{:?}", s.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    if items.is_empty() {
        "[]string(nil)".to_string()
    } else {
        format!("[]string{{{}}}", items.join(", "))
    }
}

fn fe(field: &str, body: String) -> FieldError {
    FieldError {
        field: field.to_string(),
        body,
    }
}

fn not_supported(value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
    format!(
        "Unsupported value: {value:?}: supported values: {}",
        list.join(", ")
    )
}

/// A port number field: `must be between 1 and 65535, inclusive`.
fn port_number(v: Option<&Value>, field: &str, errs: &mut Vec<FieldError>) {
    let n = v.and_then(Value::as_i64).unwrap_or(0);
    if !(1..=65535).contains(&n) {
        errs.push(fe(
            field,
            format!("Invalid value: {n}: must be between 1 and 65535, inclusive"),
        ));
    }
}

/// `ValidateService` (the parts a learner's manifest can get wrong), then on update
/// `ValidateServiceUpdate`'s immutable cluster IPs.
pub fn validate(obj: &Value, old: Option<&Value>, errs: &mut Vec<FieldError>) {
    let ty = meta::str_at(obj, &["spec", "type"]);
    let ty = if ty.is_empty() { "ClusterIP" } else { ty };
    let cluster_ip = meta::str_at(obj, &["spec", "clusterIP"]);
    let headless = cluster_ip == "None";
    if !TYPES.contains(&ty) {
        errs.push(fe("spec.type", not_supported(ty, &TYPES)));
    }
    let ports: Vec<Value> = meta::at(obj, &["spec", "ports"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if ports.is_empty() && !headless && ty != "ExternalName" {
        errs.push(fe("spec.ports", "Required value".to_string()));
    }
    let require_name = ports.len() > 1;
    let mut names: Vec<&str> = Vec::new();
    let mut keys: Vec<(i64, String)> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        let name = meta::str_at(p, &["name"]);
        if require_name && name.is_empty() {
            errs.push(fe(&format!("{path}.name"), "Required value".to_string()));
        } else if !name.is_empty() {
            if let Some(e) = super::validation::dns1123_label(name) {
                errs.push(fe(
                    &format!("{path}.name"),
                    format!("Invalid value: {name:?}: {e}"),
                ));
            } else if names.contains(&name) {
                errs.push(fe(
                    &format!("{path}.name"),
                    format!("Duplicate value: {name:?}"),
                ));
            }
            names.push(name);
        }
        port_number(p.get("port"), &format!("{path}.port"), errs);
        let proto = meta::str_at(p, &["protocol"]);
        let proto = if proto.is_empty() { "TCP" } else { proto };
        if !PROTOCOLS.contains(&proto) {
            errs.push(fe(
                &format!("{path}.protocol"),
                not_supported(proto, &PROTOCOLS),
            ));
        }
        if let Some(tp) = p.get("targetPort").filter(|t| t.is_number()) {
            port_number(Some(tp), &format!("{path}.targetPort"), errs);
        }
        if meta::i64_at(p, &["nodePort"]).is_some_and(|n| n != 0) && ty == "ClusterIP" {
            errs.push(fe(
                &format!("{path}.nodePort"),
                "Forbidden: may not be used when `type` is 'ClusterIP'".to_string(),
            ));
        }
        let key = (meta::i64_at(p, &["port"]).unwrap_or(0), proto.to_string());
        if keys.contains(&key) {
            errs.push(fe(
                &path,
                format!(
                    "Duplicate value: core.ServicePort{{Name:\"\", Protocol:{:?}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    key.1, key.0
                ),
            ));
        }
        keys.push(key);
    }
    if ty == "ExternalName" && meta::str_at(obj, &["spec", "externalName"]).is_empty() {
        errs.push(fe("spec.externalName", "Required value".to_string()));
    }
    let affinity = meta::str_at(obj, &["spec", "sessionAffinity"]);
    if !affinity.is_empty() && affinity != "None" && affinity != "ClientIP" {
        errs.push(fe(
            "spec.sessionAffinity",
            not_supported(affinity, &["ClientIP", "None"]),
        ));
    }
    if !cluster_ip.is_empty() && !headless && parse_ipv4(cluster_ip).is_none() {
        errs.push(fe(
            "spec.clusterIPs[0]",
            format!("Invalid value: {cluster_ip:?}: must be empty, 'None', or a valid IP address"),
        ));
    }
    if let Some(old) = old {
        let old_ips = meta::at(old, &["spec", "clusterIPs"]).and_then(Value::as_array);
        let new_ips = meta::at(obj, &["spec", "clusterIPs"]).and_then(Value::as_array);
        let changed_primary = match (old_ips.and_then(|a| a.first()), cluster_ip) {
            (Some(o), ip) if !ip.is_empty() => o.as_str() != Some(ip),
            _ => false,
        };
        let changed_list = match (old_ips, new_ips) {
            (Some(o), Some(n)) => !n.is_empty() && o != n,
            _ => false,
        };
        if (changed_primary || changed_list)
            && meta::str_at(old, &["spec", "type"]) != "ExternalName"
        {
            let shown = if changed_primary {
                json!([cluster_ip])
            } else {
                new_ips.cloned().map(Value::Array).unwrap_or(Value::Null)
            };
            errs.push(fe(
                "spec.clusterIPs[0]",
                format!(
                    "Invalid value: {}: may not change once set",
                    go_strings(Some(&shown))
                ),
            ));
        }
    }
}

/// `IsDNS1035Label`'s message, if `s` is not one (Service names, `ValidateServiceName`).
pub fn dns1035_label(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && alnum(b[b.len() - 1])
        && b.iter().all(|c| alnum(*c) || *c == b'-');
    if ok {
        return None;
    }
    if b.len() > 63 {
        return Some("must be no more than 63 characters".to_string());
    }
    Some("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string())
}

/// An IPv4 address in dotted form.
pub fn parse_ipv4(s: &str) -> Option<u32> {
    s.parse::<std::net::Ipv4Addr>().ok().map(u32::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(obj: &Value, old: Option<&Value>) -> Vec<String> {
        let mut errs = Vec::new();
        validate(obj, old, &mut errs);
        errs.iter()
            .map(|e| format!("{}: {}", e.field, e.body))
            .collect()
    }

    #[test]
    fn defaults_fill_what_the_1_21_server_fills() {
        let mut svc = json!({"spec": {"selector": {"app": "demo"}, "ports": [{"port": 80}]}});
        defaults(&mut svc);
        assert_eq!(
            svc,
            json!({"spec": {"selector": {"app": "demo"},
                "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
                "sessionAffinity": "None", "type": "ClusterIP",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"},
                "status": {"loadBalancer": {}}})
        );
    }

    #[test]
    fn a_service_without_ports_or_with_a_bad_port_is_refused_in_the_servers_words() {
        assert_eq!(
            errors(&json!({"spec": {"selector": {"a": "b"}}}), None),
            ["spec.ports: Required value"]
        );
        assert_eq!(
            errors(
                &json!({"spec": {"ports": [{"port": 0}, {"port": 70000, "protocol": "XTP"}]}}),
                None
            ),
            [
                "spec.ports[0].name: Required value",
                "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].name: Required value",
                "spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.ports[1].protocol: Unsupported value: \"XTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ]
        );
        assert_eq!(
            errors(
                &json!({"spec": {"type": "Foo", "ports": [{"port": 80}]}}),
                None
            ),
            [
                "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
            ]
        );
    }

    #[test]
    fn a_changed_cluster_ip_may_not_change_once_set() {
        let old = json!({"spec": {"clusterIP": "10.96.5.5", "clusterIPs": ["10.96.5.5"], "ports": [{"port": 80}]}});
        let new = json!({"spec": {"clusterIP": "10.96.7.7", "clusterIPs": ["10.96.5.5"], "ports": [{"port": 80}]}});
        assert_eq!(
            errors(&new, Some(&old)),
            ["spec.clusterIPs[0]: Invalid value: []string{\"10.96.7.7\"}: may not change once set"]
        );
        let mut omitted = json!({"spec": {"ports": [{"port": 80}]}});
        keep_allocated(&mut omitted, &old);
        assert!(errors(&omitted, Some(&old)).is_empty());
        assert_eq!(omitted["spec"]["clusterIP"], "10.96.5.5");
    }
}
