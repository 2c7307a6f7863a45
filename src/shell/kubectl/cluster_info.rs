//! `kubectl cluster-info`: the control plane's address and the cluster services
//! (`kubernetes.io/cluster-service=true`) with their API proxy links, as kubectl v1.21's
//! `clusterinfo.go` prints them (no colours: the tutor's output is not a terminal).
//!
//! Must not import: the terminal, std::fs, std::process.

use crate::engine::value::Value;

use super::flags::{self, Flag};
use super::{Ctx, Io, messages};
use crate::engine::objects::{Kind, meta};

/// The API server address KinD's kubeconfig points at (the port is random per cluster in
/// KinD; the tutor's cluster always uses this one).
pub const SERVER: &str = "https://127.0.0.1:39427";

const FLAGS: &[Flag] = &[];

/// The server `~/.kube/config`'s current context points at, else [`SERVER`].
pub fn server(vfs: &crate::shell::vfs::Vfs) -> String {
    vfs.read("/", crate::shell::host::kubeconfig::DEFAULT_PATH)
        .ok()
        .and_then(|text| crate::shell::host::kubeconfig::server_in(&text))
        .unwrap_or_else(|| SERVER.to_string())
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl cluster-info", &e)),
    };
    if p.args.first().map(String::as_str) == Some("dump") {
        return io.fail(messages::unsupported("cluster-info dump"));
    }
    let namespace = p.value("namespace").unwrap_or("kube-system");
    let server = server(ctx.vfs);
    io.out.push_str(&format!(
        "Kubernetes control plane is running at {server}\n"
    ));
    for svc in ctx.cluster.list(Kind::Service, Some(namespace)) {
        if meta::label(svc, "kubernetes.io/cluster-service") != Some("true") {
            continue;
        }
        let name = meta::name(svc);
        let first_port = meta::at(svc, &["spec", "ports"])
            .and_then(Value::as_array)
            .and_then(|a| a.first());
        let target = match first_port {
            None => name.to_string(),
            Some(port) => {
                let port_name = meta::str_at(port, &["name"]);
                let https = port_name == "https" || meta::i64_at(port, &["port"]) == Some(443);
                join_scheme_name_port(if https { "https" } else { "" }, name, port_name)
            }
        };
        let shown = meta::label(svc, "kubernetes.io/name")
            .filter(|n| !n.is_empty())
            .unwrap_or(name);
        io.out.push_str(&format!(
            "{shown} is running at {server}/api/v1/namespaces/{}/services/{target}/proxy\n",
            meta::namespace(svc)
        ));
    }
    io.out.push_str(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
}

/// `utilnet.JoinSchemeNamePort`.
fn join_scheme_name_port(scheme: &str, name: &str, port: &str) -> String {
    match (scheme.is_empty(), port.is_empty()) {
        (true, true) => name.to_string(),
        (true, false) => format!("{name}:{port}"),
        (false, _) => format!("{scheme}:{name}:{port}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::kubectl::testkit::Kit;

    #[test]
    fn prints_the_control_plane_and_coredns() {
        let mut k = Kit::new();
        assert_eq!(
            k.ok("cluster-info"),
            "Kubernetes control plane is running at https://127.0.0.1:39427\nCoreDNS is running at https://127.0.0.1:39427/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
        );
        assert_eq!(
            k.ok("cluster-info -n default"),
            "Kubernetes control plane is running at https://127.0.0.1:39427\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
        );
        assert!(k.err("cluster-info dump").contains("not supported"));
    }
}
