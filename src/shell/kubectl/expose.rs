//! The Service generators: `kubectl create service clusterip|nodeport|loadbalancer NAME
//! --tcp=PORT[:TARGET]` (kubectl v1.21 `pkg/cmd/create/create_service.go`) and `kubectl expose
//! TYPE NAME --port N [--target-port M] [--type T] [--name S]` (`pkg/cmd/expose/expose.go`
//! with `ServiceGeneratorV2`). The objects they build are what `--dry-run=client -o yaml`
//! prints (pinned against a real kubectl); the server then defaults and allocates.

use crate::engine::value::{Value, json};

use super::flags::{self, Flag, boolean, value};
use super::output::{self, Format};
use super::{Ctx, Io, messages};
use crate::api::resources;
use crate::engine::objects::{Kind, meta};

const CREATE_FLAGS: &[Flag] = &[
    value("output", Some('o')),
    value("dry-run", None),
    value("tcp", None),
    value("clusterip", None),
    value("node-port", None),
    boolean("save-config", None),
    value("validate", None),
];

const EXPOSE_FLAGS: &[Flag] = &[
    value("output", Some('o')),
    value("dry-run", None),
    value("port", None),
    value("target-port", None),
    value("protocol", None),
    value("type", None),
    value("name", None),
    value("selector", None),
    value("labels", Some('l')),
    value("cluster-ip", None),
    boolean("save-config", None),
];

/// Prints what was made (`service/demo created`, `service/demo exposed`) or the object.
fn finish(ctx: &mut Ctx<'_>, io: &mut Io, obj: Value, format: &Format, dry_run: bool, verb: &str) {
    let shown = if dry_run {
        Ok(obj)
    } else {
        let mut obj = obj;
        meta::remove(&mut obj, &["metadata", "creationTimestamp"]);
        if let Some(m) = obj.as_object_mut() {
            m.remove("status");
        }
        ctx.cluster.create(Kind::Service, obj)
    };
    match shown {
        Ok(o) => match format {
            Format::Table | Format::Wide => {
                let suffix = if dry_run { " (dry run)" } else { "" };
                io.out.push_str(&format!(
                    "{} {verb}{suffix}\n",
                    output::object_name(Kind::Service, &o)
                ));
            }
            Format::Name => io
                .out
                .push_str(&format!("{}\n", output::object_name(Kind::Service, &o))),
            f => match output::print_structured(f, &o) {
                Ok(t) => io.out.push_str(&t),
                Err(e) => io.fail(e),
            },
        },
        Err(e) => io.fail(format!("{e}\n")),
    }
}

/// `kubectl create service TYPE NAME ...`; `args` follow the word `service`.
pub fn create(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, CREATE_FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl create service", &e)),
    };
    let ty = match p.args.first().map(String::as_str) {
        Some("clusterip") => "ClusterIP",
        Some("nodeport") => "NodePort",
        Some("loadbalancer") => "LoadBalancer",
        Some(other) => {
            return io.fail(format!(
                "error: unknown command \"{other}\" for \"kubectl create service\"\n"
            ));
        }
        None => {
            return io.fail(
                "error: must specify one of clusterip, externalname, loadbalancer, nodeport\n",
            );
        }
    };
    let command = format!("kubectl create service {}", ty.to_ascii_lowercase());
    let Some(name) = p.args.get(1).cloned() else {
        return io.fail(messages::usage_error(&command, "NAME is required"));
    };
    if p.args.len() > 2 {
        return io.fail(messages::usage_error(
            &command,
            &format!("exactly one NAME is required, got {}", p.args.len() - 1),
        ));
    }
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let cluster_ip = p.value("clusterip").unwrap_or("");
    let tcp_values = p.values("tcp");
    let tcp: Vec<&str> = tcp_values
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|s| !s.is_empty())
        .collect();
    if tcp.is_empty() && cluster_ip != "None" {
        return io.fail("error: at least one tcp port specifier must be provided\n");
    }
    let mut ports = Vec::new();
    for spec in tcp {
        let (port, target) = spec.split_once(':').unwrap_or((spec, spec));
        let Ok(port_num) = port.parse::<u16>() else {
            return io.fail(format!(
                "error: strconv.Atoi: parsing {port:?}: invalid syntax\n"
            ));
        };
        let target = match target.parse::<u16>() {
            Ok(n) => json!(n),
            Err(_) => json!(target),
        };
        let pname = if spec.contains(':') {
            spec.replace(':', "-")
        } else {
            port.to_string()
        };
        let mut sp =
            json!({"name": pname, "port": port_num, "protocol": "TCP", "targetPort": target});
        if let Some(np) = p.value("node-port").and_then(|n| n.parse::<i64>().ok()) {
            sp["nodePort"] = json!(np);
        }
        ports.push(sp);
    }
    let mut spec = json!({"selector": {"app": name}, "type": ty});
    if !ports.is_empty() {
        spec["ports"] = Value::Array(ports);
    }
    if !cluster_ip.is_empty() {
        spec["clusterIP"] = json!(cluster_ip);
    }
    let mut metadata = json!({"creationTimestamp": null, "labels": {"app": name}, "name": name});
    if let Some(ns) = p.value("namespace") {
        metadata["namespace"] = json!(ns);
    }
    let obj = json!({"apiVersion": "v1", "kind": "Service", "metadata": metadata,
        "spec": spec, "status": {"loadBalancer": {}}});
    let dry_run = matches!(p.value("dry-run"), Some("client" | "server"));
    let obj = with_namespace(obj, p.value("namespace"), dry_run);
    finish(ctx, io, obj, &format, dry_run, "created");
}

fn with_namespace(mut obj: Value, ns: Option<&str>, dry_run: bool) -> Value {
    if !dry_run {
        meta::set(
            &mut obj,
            &["metadata", "namespace"],
            json!(ns.unwrap_or("default")),
        );
    }
    obj
}

/// The label selector `expose` reads from the object (`MapBasedSelectorForObject`).
fn selector_of(kind: Kind, obj: &Value) -> Result<crate::engine::value::Map, String> {
    let map = |path: &[&str]| {
        meta::at(obj, path)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    match kind {
        Kind::Pod => {
            let labels = map(&["metadata", "labels"]);
            if labels.is_empty() {
                return Err("the pod has no labels and cannot be exposed".to_string());
            }
            Ok(labels)
        }
        Kind::Service => {
            let sel = map(&["spec", "selector"]);
            if sel.is_empty() {
                return Err("the service has no pod selector set".to_string());
            }
            Ok(sel)
        }
        Kind::Deployment | Kind::ReplicaSet => {
            if meta::at(obj, &["spec", "selector", "matchExpressions"]).is_some() {
                return Err(format!(
                    "couldn't convert expressions - \"{:?}\" to map-based selector format",
                    meta::at(obj, &["spec", "selector"])
                ));
            }
            Ok(map(&["spec", "selector", "matchLabels"]))
        }
        _ => Err(format!("cannot extract pod selector from {}", kind.name())),
    }
}

/// The container ports of the object's pods (`PortsForObject`), with their protocols.
fn ports_of(kind: Kind, obj: &Value) -> Vec<(i64, String)> {
    let spec = match kind {
        Kind::Pod => meta::at(obj, &["spec"]),
        Kind::Service => {
            return meta::at(obj, &["spec", "ports"])
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    Some((
                        meta::i64_at(p, &["port"])?,
                        meta::str_at(p, &["protocol"]).to_string(),
                    ))
                })
                .collect();
        }
        _ => meta::at(obj, &["spec", "template", "spec"]),
    };
    spec.and_then(|s| s.get("containers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(|p| {
            let proto = meta::str_at(p, &["protocol"]);
            Some((
                meta::i64_at(p, &["containerPort"])?,
                if proto.is_empty() { "TCP" } else { proto }.to_string(),
            ))
        })
        .collect()
}

/// `kubectl expose TYPE NAME` / `TYPE/NAME`.
pub fn expose(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    const COMMAND: &str = "kubectl expose";
    let p = match flags::parse(args, EXPOSE_FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(COMMAND, &e)),
    };
    if p.args.is_empty() {
        return io.fail(messages::usage_error(
            COMMAND,
            "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
        ));
    }
    let requests = match resources::parse(&p.args) {
        Ok(r) => r,
        Err(e) => return io.fail(e),
    };
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let namespace = p.value("namespace").unwrap_or("default").to_string();
    let dry_run = matches!(p.value("dry-run"), Some("client" | "server"));
    for r in requests {
        if !matches!(
            r.kind,
            Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet
        ) {
            return io.fail(format!("error: cannot expose a {}\n", r.kind.name()));
        }
        if r.names.is_empty() {
            return io
                .fail("error: resource(s) were provided, but no name was specified\n".to_string());
        }
        for name in &r.names {
            let Some(obj) = ctx.cluster.get(r.kind, &namespace, name).cloned() else {
                return io.fail(format!(
                    "{}\n",
                    crate::engine::ApiError::NotFound {
                        kind: r.kind,
                        name: name.clone()
                    }
                ));
            };
            let selector = match p.value("selector") {
                Some(s) => s
                    .split(',')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.to_string(), json!(v)))
                    .collect(),
                None => match selector_of(r.kind, &obj) {
                    Ok(s) => s,
                    Err(e) => {
                        return io.fail(format!(
                            "error: couldn't retrieve selectors via --selector flag or introspection: {e}\n"
                        ));
                    }
                },
            };
            let ports: Vec<(i64, String)> = match p.value("port") {
                Some(port) => match port.parse::<i64>() {
                    Ok(n) => vec![(n, p.value("protocol").unwrap_or("TCP").to_string())],
                    Err(_) => {
                        return io.fail(format!(
                            "error: strconv.Atoi: parsing {port:?}: invalid syntax\n"
                        ));
                    }
                },
                None => ports_of(r.kind, &obj),
            };
            if ports.is_empty() {
                return io.fail("error: couldn't find port via --port flag or introspection\n");
            }
            let target = p.value("target-port");
            let named = ports.len() > 1;
            let ports: Vec<Value> = ports
                .iter()
                .enumerate()
                .map(|(i, (port, proto))| {
                    let target = match target {
                        Some(t) => t.parse::<i64>().map_or(json!(t), |n| json!(n)),
                        None => json!(port),
                    };
                    let mut sp = json!({"port": port, "protocol": proto, "targetPort": target});
                    if named {
                        sp["name"] = json!(format!("port-{}", i + 1));
                    }
                    sp
                })
                .collect();
            let svc_name = p.value("name").unwrap_or(name).to_string();
            let labels = match p.value("labels") {
                Some(l) => Value::Object(
                    l.split(',')
                        .filter_map(|kv| kv.split_once('='))
                        .map(|(k, v)| (k.to_string(), json!(v)))
                        .collect(),
                ),
                None => meta::at(&obj, &["metadata", "labels"])
                    .cloned()
                    .unwrap_or(json!({})),
            };
            let mut metadata = json!({"creationTimestamp": null, "name": svc_name});
            // `RunExpose` sets the namespace on a dry run when `-n` was given.
            if let Some(ns) = p.value("namespace") {
                metadata["namespace"] = json!(ns);
            }
            if labels.as_object().is_some_and(|m| !m.is_empty()) {
                metadata["labels"] = labels;
            }
            let mut spec = json!({"ports": ports, "selector": selector});
            if let Some(t) = p.value("type") {
                spec["type"] = json!(t);
            }
            if let Some(ip) = p.value("cluster-ip") {
                spec["clusterIP"] = json!(ip);
            }
            let obj = json!({"apiVersion": "v1", "kind": "Service", "metadata": metadata,
                "spec": spec, "status": {"loadBalancer": {}}});
            let obj = with_namespace(obj, Some(&namespace), dry_run);
            finish(ctx, io, obj, &format, dry_run, "exposed");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::kubectl::testkit::Kit;

    /// Pinned against a real kubectl's `create service clusterip demo --tcp=80:8080
    /// --tcp=443 --dry-run=client -o yaml`.
    #[test]
    fn create_service_dry_run_prints_what_kubectl_generates() {
        let mut k = Kit::new();
        assert_eq!(
            k.ok("create service clusterip demo --tcp=80:8080 --tcp=443 --dry-run=client -o yaml"),
            "apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: demo
  name: demo
spec:
  ports:
  - name: 80-8080
    port: 80
    protocol: TCP
    targetPort: 8080
  - name: \"443\"
    port: 443
    protocol: TCP
    targetPort: 443
  selector:
    app: demo
  type: ClusterIP
status:
  loadBalancer: {}
"
        );
        assert_eq!(
            k.err("create service clusterip demo"),
            "error: at least one tcp port specifier must be provided\n"
        );
    }
}
