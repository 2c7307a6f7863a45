//! The cluster's network seen from a pod: names resolved as glibc does with the pod's
//! `/etc/hosts` and `resolv.conf` (search list, `ndots:5`) against what CoreDNS answers
//! (`SVC.NS.svc.cluster.local`, `A-B-C-D.NS.pod.cluster.local`), and connections routed
//! as kube-proxy in iptables mode does: a Service IP and port go to one ready endpoint
//! chosen uniformly at random (the cluster's seeded source), none ready → refused.

use crate::engine::value::Value;

use super::Inside;
use super::fs::{HOST_SEARCH_DOMAIN, search_domains};
use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::runtime::images::{self, Answer};

/// The resolver's `ndots` (kubelet's ClusterFirst resolv.conf).
const NDOTS: usize = 5;

/// The answer to a name lookup: the address and the canonical name glibc reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub ip: String,
    pub name: String,
    /// Aliases from `/etc/hosts`.
    pub aliases: Vec<String>,
}

/// `gethostbyname` for IPv4 in the pod: `/etc/hosts` first, then DNS with the search list.
pub(crate) fn resolve(cluster: &Cluster, inside: &Inside, name: &str) -> Option<Resolved> {
    if let Some(hit) = hosts_lookup(inside, name) {
        return Some(hit);
    }
    if is_ipv4(name) {
        return Some(Resolved {
            ip: name.to_string(),
            name: name.to_string(),
            aliases: Vec::new(),
        });
    }
    if let Some(absolute) = name.strip_suffix('.') {
        return dns(cluster, absolute);
    }
    let mut searches = search_domains(&inside.namespace);
    searches.push(HOST_SEARCH_DOMAIN.to_string());
    let dots = name.matches('.').count();
    // glibc's res_search: as-is first when the name has at least ndots dots.
    if dots >= NDOTS
        && let Some(hit) = dns(cluster, name)
    {
        return Some(hit);
    }
    for domain in &searches {
        if let Some(hit) = dns(cluster, &format!("{name}.{domain}")) {
            return Some(hit);
        }
    }
    if dots < NDOTS {
        return dns(cluster, name);
    }
    None
}

/// The pod's `/etc/hosts`: localhost and its own name.
fn hosts_lookup(inside: &Inside, name: &str) -> Option<Resolved> {
    if name == "localhost" {
        return Some(Resolved {
            ip: "127.0.0.1".to_string(),
            name: "localhost".to_string(),
            aliases: Vec::new(),
        });
    }
    (name == inside.pod && !inside.pod_ip.is_empty()).then(|| Resolved {
        ip: inside.pod_ip.clone(),
        name: inside.pod.clone(),
        aliases: Vec::new(),
    })
}

/// What CoreDNS answers for one fully qualified name (kubeadm's Corefile, `pods insecure`).
fn dns(cluster: &Cluster, fqdn: &str) -> Option<Resolved> {
    let fqdn = fqdn.to_ascii_lowercase();
    let rest = fqdn.strip_suffix(".cluster.local")?;
    let found = |ip: String| Resolved {
        ip,
        name: fqdn.clone(),
        aliases: Vec::new(),
    };
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [svc, ns, "svc"] => {
            let s = cluster.get(Kind::Service, ns, svc)?;
            let ip = meta::str_at(s, &["spec", "clusterIP"]);
            (!ip.is_empty() && ip != "None").then(|| found(ip.to_string()))
        }
        [dashed, _ns, "pod"] => {
            let ip = dashed.replace('-', ".");
            is_ipv4(&ip).then(|| found(ip))
        }
        _ => None,
    }
}

/// A reverse lookup (`getent hosts IP`): the pod's own name, or a Service's name.
pub(crate) fn reverse(cluster: &Cluster, inside: &Inside, ip: &str) -> Option<Resolved> {
    if ip == "127.0.0.1" {
        return hosts_lookup(inside, "localhost");
    }
    if ip == inside.pod_ip {
        return hosts_lookup(inside, &inside.pod);
    }
    cluster
        .list(Kind::Service, None)
        .find(|s| meta::str_at(s, &["spec", "clusterIP"]) == ip)
        .map(|s| Resolved {
            ip: ip.to_string(),
            name: format!("{}.{}.svc.cluster.local", meta::name(s), meta::namespace(s)),
            aliases: Vec::new(),
        })
}

pub(crate) fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// Where a TCP connection ends up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Connect {
    /// A container's server accepted it.
    Accepted {
        namespace: String,
        pod: String,
        container: String,
    },
    /// Nothing listens there (or a Service has no ready endpoint: kube-proxy rejects).
    Refused,
    /// No one answers at all (an address nothing owns).
    TimedOut,
}

/// Opens a connection from the pod to `ip:port`.
pub(crate) fn connect(cluster: &mut Cluster, inside: &Inside, ip: &str, port: u16) -> Connect {
    if ip == "127.0.0.1" || ip == inside.pod_ip {
        return listening(cluster, &inside.namespace, &inside.pod, port);
    }
    if let Some((ns, name)) = pod_with_ip(cluster, ip) {
        return listening(cluster, &ns, &name, port);
    }
    let service = cluster
        .list(Kind::Service, None)
        .find(|s| meta::str_at(s, &["spec", "clusterIP"]) == ip)
        .cloned();
    match service {
        Some(svc) => via_service(cluster, &svc, port),
        None => Connect::TimedOut,
    }
}

/// kube-proxy's rules for a Service: the port must be one of its ports; the endpoint is
/// drawn uniformly at random among the ready pods its selector matches.
fn via_service(cluster: &mut Cluster, svc: &Value, port: u16) -> Connect {
    let Some(sp) = meta::at(svc, &["spec", "ports"])
        .and_then(Value::as_array)
        .and_then(|ps| {
            ps.iter()
                .find(|p| meta::i64_at(p, &["port"]) == Some(i64::from(port)))
        })
        .cloned()
    else {
        return Connect::TimedOut;
    };
    let selector = meta::string_map(svc, &["spec", "selector"]);
    if selector.is_empty() {
        return Connect::Refused;
    }
    let ns = meta::namespace(svc).to_string();
    let ready: Vec<Value> = cluster
        .list(Kind::Pod, Some(&ns))
        .filter(|p| {
            let labels = meta::labels(p);
            selector.iter().all(|(k, v)| labels.get(k) == Some(v))
        })
        .filter(|p| pod::is_ready(p) && pod::ip(p).is_some())
        .cloned()
        .collect();
    if ready.is_empty() {
        return Connect::Refused;
    }
    let chosen = &ready[cluster.random_below(ready.len() as u64) as usize];
    let Some(target) = target_port(&sp, chosen) else {
        return Connect::Refused;
    };
    listening(cluster, &ns, meta::name(chosen), target)
}

/// A Service port's `targetPort` on one pod: a number, a container port's name, or the port.
fn target_port(service_port: &Value, p: &Value) -> Option<u16> {
    let port = meta::i64_at(service_port, &["port"]).unwrap_or(0);
    match service_port.get("targetPort") {
        None | Some(Value::Null) => u16::try_from(port).ok(),
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Some(Value::String(s)) => match s.parse::<u16>() {
            Ok(n) => Some(n),
            Err(_) => meta::at(p, &["spec", "containers"])
                .and_then(Value::as_array)?
                .iter()
                .flat_map(|c| {
                    meta::at(c, &["ports"])
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .find(|cp| meta::str_at(cp, &["name"]) == s)
                .and_then(|cp| meta::i64_at(&cp, &["containerPort"]))
                .and_then(|n| u16::try_from(n).ok()),
        },
        Some(_) => None,
    }
}

fn pod_with_ip(cluster: &Cluster, ip: &str) -> Option<(String, String)> {
    cluster
        .list(Kind::Pod, None)
        .filter(|p| meta::at(p, &["spec", "hostNetwork"]).and_then(Value::as_bool) != Some(true))
        .find(|p| pod::ip(p) == Some(ip))
        .map(|p| (meta::namespace(p).to_string(), meta::name(p).to_string()))
}

/// Which running container of the pod serves on `port`.
fn listening(cluster: &Cluster, ns: &str, name: &str, port: u16) -> Connect {
    let Some(p) = cluster.get(Kind::Pod, ns, name) else {
        return Connect::TimedOut;
    };
    for c in meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let cname = meta::str_at(c, &["name"]);
        let serves = images::spec(meta::str_at(c, &["image"]))
            .serves
            .is_some_and(|(p, _)| p == port);
        let running = cluster
            .container_run(ns, name, cname)
            .is_some_and(|r| r.running);
        if serves && running {
            return Connect::Accepted {
                namespace: ns.to_string(),
                pod: name.to_string(),
                container: cname.to_string(),
            };
        }
    }
    Connect::Refused
}

/// What the accepting container's server sends back for `GET path` from `client`:
/// status and body. The server logs the request (apache's `combined`, nginx's `main`).
pub(crate) fn respond(
    cluster: &mut Cluster,
    client: &str,
    namespace: &str,
    pod_name: &str,
    container: &str,
    path: &str,
) -> (u16, String) {
    let (status, body) = answer(cluster, namespace, pod_name, container, path);
    let image = image_of(cluster, namespace, pod_name, container);
    let stamp = clf_time(cluster.now());
    let line = match images::spec(&image).serves.map(|(_, a)| a) {
        Some(Answer::GreetingAndHostname) => {
            // %O counts the headers too: status line, Date, Server, X-Powered-By,
            // Content-Length, Keep-Alive, Connection, Content-Type (227 bytes + the
            // length's digits, as Apache 2.4.38 with PHP 8.0.1 sends them to curl).
            let headers = 227 + body.len().to_string().len();
            format!(
                "{client} - - [{stamp}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{CURL_AGENT}\"",
                headers + body.len()
            )
        }
        _ => format!(
            "{client} - - [{stamp}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{CURL_AGENT}\" \"-\"",
            body.len()
        ),
    };
    cluster.log_access(namespace, pod_name, container, line);
    (status, body)
}

/// The User-Agent of Debian buster's curl (both images' curl).
const CURL_AGENT: &str = "curl/7.64.0";

/// The Common Log Format's time: `02/Jul/2021:08:13:01 +0000`.
fn clf_time(t: crate::engine::SimTime) -> String {
    let s = t.rfc3339();
    let month = match s.get(5..7) {
        Some("01") => "Jan",
        Some("02") => "Feb",
        Some("03") => "Mar",
        Some("04") => "Apr",
        Some("05") => "May",
        Some("06") => "Jun",
        Some("07") => "Jul",
        Some("08") => "Aug",
        Some("09") => "Sep",
        Some("10") => "Oct",
        Some("11") => "Nov",
        _ => "Dec",
    };
    format!(
        "{}/{month}/{}:{} +0000",
        s.get(8..10).unwrap_or("01"),
        s.get(..4).unwrap_or("2021"),
        s.get(11..19).unwrap_or("00:00:00")
    )
}

fn image_of(cluster: &Cluster, namespace: &str, pod_name: &str, container: &str) -> String {
    cluster
        .get(Kind::Pod, namespace, pod_name)
        .and_then(|p| meta::at(p, &["spec", "containers"]))
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| meta::str_at(c, &["name"]) == container))
        .map(|c| meta::str_at(c, &["image"]).to_string())
        .unwrap_or_default()
}

fn answer(
    cluster: &Cluster,
    namespace: &str,
    pod_name: &str,
    container: &str,
    path: &str,
) -> (u16, String) {
    let image = image_of(cluster, namespace, pod_name, container);
    let spec = images::spec(&image);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    match spec.serves.map(|(_, a)| a) {
        Some(Answer::GreetingAndHostname) if matches!(path, "/" | "/index.php") => {
            let greeting = cluster
                .container_run(namespace, pod_name, container)
                .and_then(|r| r.env.get("GREETING"))
                .unwrap_or_default();
            (200, format!("{greeting} {pod_name}\n"))
        }
        Some(Answer::File(file)) if path == "/" || file.ends_with(path) => {
            let body = spec
                .files
                .iter()
                .find(|(p, _)| *p == file)
                .map(|(_, b)| b.to_string())
                .unwrap_or_default();
            (200, body)
        }
        Some(Answer::GreetingAndHostname) => (404, APACHE_404.to_string()),
        _ => (404, NGINX_404.to_string()),
    }
}

/// Apache 2.4.38 (Debian buster)'s 404 page for `php:8.0.1-apache`.
const APACHE_404: &str = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n<hr>\n<address>Apache/2.4.38 (Debian) Server at localhost Port 80</address>\n</body></html>\n";

/// nginx 1.21.1's built-in 404 page.
const NGINX_404: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.21.1</center>\r\n</body>\r\n</html>\r\n";
