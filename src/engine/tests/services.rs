//! Services and Endpoints through the API: defaulting and cluster-IP allocation on create,
//! the allocated IP kept on update and freed on delete, and the endpoints controller
//! following pods as they start, turn ready and go.

use crate::engine::value::{Value, json};

use super::{NS, advance_secs, cluster};
use crate::engine::objects::{Kind, meta};
use crate::engine::{Cluster, DeleteOptions};

fn service(name: &str, extra: Value) -> Value {
    let mut svc = json!({
        "metadata": {"name": name, "namespace": NS},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}
    });
    meta::merge_patch(&mut svc, &extra);
    svc
}

fn web_pods(c: &mut Cluster, n: usize) {
    for i in 0..n {
        let pod = json!({"metadata": {"name": format!("web-{i}"), "namespace": NS, "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "demo:1.0.0"}]}});
        c.create(Kind::Pod, pod).unwrap();
    }
}

fn cluster_ip(c: &Cluster, name: &str) -> String {
    let svc = c.get(Kind::Service, NS, name).unwrap();
    meta::str_at(svc, &["spec", "clusterIP"]).to_string()
}

fn ready_ips(c: &Cluster, name: &str) -> Vec<String> {
    let Some(ep) = c.get(Kind::Endpoints, NS, name) else {
        return Vec::new();
    };
    ep["subsets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["addresses"].as_array().cloned().unwrap_or_default())
        .map(|a| a["ip"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_new_service_gets_a_seeded_cluster_ip_from_kinds_range() {
    let mut a = cluster();
    let mut b = cluster();
    a.create(Kind::Service, service("demo", json!({}))).unwrap();
    b.create(Kind::Service, service("demo", json!({}))).unwrap();
    let ip = cluster_ip(&a, "demo");
    assert_eq!(
        ip,
        cluster_ip(&b, "demo"),
        "the same seed gives the same IP"
    );
    assert!(ip.starts_with("10.96."), "{ip}");
    assert_ne!(ip, "10.96.0.1");
    assert_ne!(ip, "10.96.0.10");
    let svc = a.get(Kind::Service, NS, "demo").unwrap();
    assert_eq!(svc["spec"]["clusterIPs"], json!([ip]));
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 80);
    assert_eq!(svc["status"], json!({"loadBalancer": {}}));
}

#[test]
fn a_requested_ip_is_honoured_once_and_freed_by_delete() {
    let mut c = cluster();
    let asked = json!({"spec": {"clusterIP": "10.96.7.7"}});
    c.create(Kind::Service, service("one", asked.clone()))
        .unwrap();
    assert_eq!(cluster_ip(&c, "one"), "10.96.7.7");
    let err = c
        .create(Kind::Service, service("two", asked.clone()))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "The Service \"two\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.7.7\"}: failed to allocate IP 10.96.7.7: provided IP is already allocated"
    );
    c.delete(Kind::Service, NS, "one", DeleteOptions::default())
        .unwrap();
    c.create(Kind::Service, service("two", asked)).unwrap();
    assert_eq!(cluster_ip(&c, "two"), "10.96.7.7");
}

#[test]
fn an_update_keeps_the_allocated_ip_and_may_not_change_it() {
    let mut c = cluster();
    c.create(Kind::Service, service("demo", json!({}))).unwrap();
    let ip = cluster_ip(&c, "demo");
    // A PUT that leaves the IP out keeps it (`patchAllocatedValues`).
    let mut again = service("demo", json!({"metadata": {"labels": {"tier": "web"}}}));
    c.update(Kind::Service, again.clone()).unwrap();
    assert_eq!(cluster_ip(&c, "demo"), ip);
    meta::set(&mut again, &["spec", "clusterIP"], json!("10.96.9.9"));
    let err = c.update(Kind::Service, again).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The Service \"demo\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.9.9\"}: may not change once set"
    );
}

#[test]
fn a_node_port_service_gets_a_port_in_range() {
    let mut c = cluster();
    c.create(
        Kind::Service,
        service("np", json!({"spec": {"type": "NodePort"}})),
    )
    .unwrap();
    let svc = c.get(Kind::Service, NS, "np").unwrap();
    let port = svc["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
    assert!((30000..=32767).contains(&port), "{port}");
    assert_eq!(svc["spec"]["externalTrafficPolicy"], "Cluster");
    let taken = json!({"spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": port}]}});
    let err = c.create(Kind::Service, service("np2", taken)).unwrap_err();
    assert!(
        err.to_string().ends_with(&format!(
            "spec.ports[0].nodePort: Invalid value: {port}: provided port is already allocated"
        )),
        "{err}"
    );
}

#[test]
fn endpoints_follow_pods_as_they_turn_ready_and_leave_as_deletion_starts() {
    let mut c = cluster();
    c.create(
        Kind::Service,
        service("web", json!({"metadata": {"labels": {"tier": "front"}}})),
    )
    .unwrap();
    let ep = c.get(Kind::Endpoints, NS, "web").unwrap();
    assert!(ep.get("subsets").is_none(), "no pods yet: {ep}");
    assert_eq!(ep["metadata"]["labels"], json!({"tier": "front"}));
    web_pods(&mut c, 3);
    assert!(ready_ips(&c, "web").is_empty(), "not started yet");
    advance_secs(&mut c, 10);
    let ips = ready_ips(&c, "web");
    assert_eq!(ips.len(), 3, "{ips:?}");
    let mut sorted = ips.clone();
    sorted.sort();
    assert_eq!(ips, sorted, "sorted by IP as a string");
    let ep = c.get(Kind::Endpoints, NS, "web").unwrap();
    assert_eq!(
        ep["subsets"][0]["ports"],
        json!([{"port": 80, "protocol": "TCP"}])
    );
    assert_eq!(ep["subsets"][0]["addresses"][0]["targetRef"]["kind"], "Pod");
    assert!(meta::annotation(ep, "endpoints.kubernetes.io/last-change-trigger-time").is_some());

    let victim = c.get(Kind::Pod, NS, "web-1").unwrap().clone();
    let victim_ip = victim["status"]["podIP"].as_str().unwrap().to_string();
    c.delete(Kind::Pod, NS, "web-1", DeleteOptions::default())
        .unwrap();
    assert!(c.get(Kind::Pod, NS, "web-1").is_some(), "still terminating");
    let ips = ready_ips(&c, "web");
    assert_eq!(ips.len(), 2);
    assert!(!ips.contains(&victim_ip), "left as deletion started");

    // A pod that stops matching the selector leaves too.
    let mut relabelled = c.get(Kind::Pod, NS, "web-0").unwrap().clone();
    meta::set(
        &mut relabelled,
        &["metadata", "labels", "app"],
        json!("other"),
    );
    c.update(Kind::Pod, relabelled).unwrap();
    assert_eq!(ready_ips(&c, "web").len(), 1);

    c.delete(Kind::Service, NS, "web", DeleteOptions::default())
        .unwrap();
    assert!(c.get(Kind::Endpoints, NS, "web").is_none());
}

#[test]
fn kind_bootstraps_the_kubernetes_and_kube_dns_endpoints() {
    let c = cluster();
    let api = c.get(Kind::Endpoints, "default", "kubernetes").unwrap();
    assert_eq!(
        api["subsets"][0]["addresses"],
        json!([{"ip": "172.18.0.2"}])
    );
    assert_eq!(
        api["subsets"][0]["ports"],
        json!([{"name": "https", "port": 6443, "protocol": "TCP"}])
    );
    let dns = c.get(Kind::Endpoints, "kube-system", "kube-dns").unwrap();
    assert_eq!(dns["subsets"][0]["addresses"].as_array().unwrap().len(), 2);
    assert_eq!(dns["metadata"]["labels"]["k8s-app"], "kube-dns");
    assert!(c.index_is_current());
}

#[test]
fn endpoints_written_by_hand_for_a_service_without_selector_are_left_alone() {
    let mut c = cluster();
    let manual = json!({"metadata": {"name": "db", "namespace": NS},
        "subsets": [{"addresses": [{"ip": "192.168.1.5"}], "ports": [{"port": 5432}]}]});
    c.create(Kind::Endpoints, manual).unwrap();
    c.create(
        Kind::Service,
        json!({"metadata": {"name": "db", "namespace": NS},
        "spec": {"ports": [{"port": 5432}]}}),
    )
    .unwrap();
    advance_secs(&mut c, 5);
    let ep = c.get(Kind::Endpoints, NS, "db").unwrap();
    assert_eq!(ep["subsets"][0]["addresses"][0]["ip"], "192.168.1.5");
    c.delete(Kind::Service, NS, "db", DeleteOptions::default())
        .unwrap();
    assert!(c.get(Kind::Endpoints, NS, "db").is_some());
}

#[test]
fn a_pod_that_is_not_ready_is_listed_apart() {
    let mut c = cluster();
    c.create(Kind::Service, service("web", json!({}))).unwrap();
    web_pods(&mut c, 2);
    advance_secs(&mut c, 10);
    let key = crate::engine::store::ObjKey::new(NS, "web-0");
    let ip = c.get(Kind::Pod, NS, "web-0").unwrap()["status"]["podIP"].clone();
    c.write_status(Kind::Pod, &key, |s| {
        if let Some(conds) = s.get_mut("conditions").and_then(Value::as_array_mut) {
            for cond in conds.iter_mut().filter(|c| c["type"] == "Ready") {
                cond["status"] = json!("False");
            }
        }
    });
    c.settle_now();
    let ep = c.get(Kind::Endpoints, NS, "web").unwrap();
    assert_eq!(ep["subsets"][0]["notReadyAddresses"][0]["ip"], ip);
    assert_eq!(ready_ips(&c, "web").len(), 1);
}

#[test]
fn a_service_gets_an_endpointslice_that_follows_its_pods_and_goes_with_it() {
    let mut c = cluster();
    c.create(Kind::Service, service("web", json!({}))).unwrap();
    web_pods(&mut c, 2);
    advance_secs(&mut c, 10);
    let of_web = |c: &Cluster| -> Vec<Value> {
        c.list(Kind::EndpointSlice, Some(NS))
            .filter(|s| meta::label(s, "kubernetes.io/service-name") == Some("web"))
            .cloned()
            .collect()
    };
    let slices = of_web(&c);
    assert_eq!(slices.len(), 1, "{slices:?}");
    let slice = &slices[0];
    assert!(meta::name(slice).starts_with("web-"));
    assert_eq!(
        meta::label(slice, "kubernetes.io/service-name"),
        Some("web")
    );
    assert_eq!(slice["addressType"], "IPv4");
    assert_eq!(
        slice["ports"],
        json!([{"name": "", "port": 80, "protocol": "TCP"}])
    );
    let eps = slice["endpoints"].as_array().unwrap();
    assert_eq!(eps.len(), 2);
    assert!(eps.iter().all(|e| e["conditions"]["ready"] == true));
    let mut again = cluster();
    again
        .create(Kind::Service, service("web", json!({})))
        .unwrap();
    let same_name = again
        .list(Kind::EndpointSlice, Some(NS))
        .any(|s| meta::name(s) == meta::name(slice));
    assert!(same_name, "the seed names the slice");
    c.delete(Kind::Service, NS, "web", DeleteOptions::default())
        .unwrap();
    assert!(of_web(&c).is_empty());
}

#[test]
fn a_loaded_cluster_keeps_its_endpoints_without_writing_them_again() {
    let mut c = cluster();
    c.create(Kind::Service, service("web", json!({}))).unwrap();
    web_pods(&mut c, 2);
    advance_secs(&mut c, 10);
    let text = serde_json::to_string(&c).unwrap();
    let mut loaded: Cluster = serde_json::from_str(&text).unwrap();
    let before = loaded.get(Kind::Endpoints, NS, "web").cloned();
    loaded.advance(std::time::Duration::from_millis(1));
    assert_eq!(loaded.get(Kind::Endpoints, NS, "web").cloned(), before);
    // The controller still follows pods after the load.
    loaded
        .delete(Kind::Pod, NS, "web-0", DeleteOptions::default())
        .unwrap();
    assert_eq!(ready_ips(&loaded, "web").len(), 1);
}

#[test]
fn back_to_cluster_ip_drops_the_node_ports_the_server_set() {
    let mut c = cluster();
    c.create(
        Kind::Service,
        service("np", json!({"spec": {"type": "NodePort"}})),
    )
    .unwrap();
    let mut svc = c.get(Kind::Service, NS, "np").unwrap().clone();
    meta::set(&mut svc, &["spec", "type"], json!("ClusterIP"));
    c.update(Kind::Service, svc).unwrap();
    let svc = c.get(Kind::Service, NS, "np").unwrap();
    assert!(svc["spec"]["ports"][0].get("nodePort").is_none(), "{svc}");
    assert!(svc["spec"].get("externalTrafficPolicy").is_none());
}
