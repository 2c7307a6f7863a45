//! A container's files: the image's directories and files, what the kubelet writes for
//! every pod (`/etc/hostname`, `/etc/hosts`, `/etc/resolv.conf`, the service account's
//! token mount) and the pod's volume mounts. ConfigMap and Secret volumes are mounted
//! as empty directories until their contents are resolved (merge seam: the configmaps
//! branch's `config_refs::volume_files` fills them).

use crate::engine::value::Value;

use crate::engine::Cluster;
use crate::engine::images::digest_hex;
use crate::engine::objects::{meta, pod};
use crate::engine::runtime::images::ImageSpec;
use crate::shell::vfs::Vfs;

/// The top-level directories of a Debian-based image (`ls /`).
const ROOT_DIRS: &[&str] = &[
    "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root",
    "run", "sbin", "srv", "sys", "tmp", "usr", "var",
];

/// The search domain the kind nodes take from the workshop's host (an EC2 instance in
/// us-west-2, whose resolv.conf the node containers copy).
pub(crate) const HOST_SEARCH_DOMAIN: &str = "us-west-2.compute.internal";

/// The cluster DNS Service's IP (kubeadm: the tenth address of the service range).
pub(crate) const CLUSTER_DNS: &str = "10.96.0.10";

/// Where the service account's token, CA and namespace are mounted.
const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

pub(super) fn build(cluster: &Cluster, p: &Value, container: &str, image: &ImageSpec) -> Vfs {
    let mut vfs = Vfs::default();
    vfs.set_now(cluster.now().as_secs());
    let name = meta::name(p);
    let ns = meta::namespace(p);
    let ip = pod::ip(p).unwrap_or("");
    let mut files: Vec<(String, Option<String>)> = Vec::new();
    for dir in ROOT_DIRS {
        files.push((format!("/{dir}"), None));
    }
    files.push((image.workdir.to_string(), None));
    for (path, text) in image.files {
        files.push((path.to_string(), Some(text.to_string())));
    }
    files.push(("/etc/hostname".into(), Some(format!("{}\n", hostname(p)))));
    files.push(("/etc/hosts".into(), Some(hosts_file(ip, name))));
    files.push(("/etc/resolv.conf".into(), Some(resolv_conf(ns))));
    let uid = meta::uid(p);
    files.push((
        format!("{SERVICE_ACCOUNT_DIR}/namespace"),
        Some(ns.to_string()),
    ));
    files.push((format!("{SERVICE_ACCOUNT_DIR}/ca.crt"), Some(ca_crt())));
    files.push((format!("{SERVICE_ACCOUNT_DIR}/token"), Some(token(uid))));
    for (mount, volume) in volume_mounts(p, container) {
        files.push((mount.clone(), None));
        for (key, text) in mounted_files(cluster, p, &volume) {
            files.push((format!("{mount}/{key}"), Some(text)));
        }
    }
    for (path, data) in files {
        // Bounded by the Vfs; a mount path it refuses is simply absent.
        let _ = vfs.place(&path, data.as_deref());
    }
    vfs
}

/// The container's host name: the pod's, or with `hostNetwork` the node's.
pub(crate) fn hostname(p: &Value) -> &str {
    if meta::at(p, &["spec", "hostNetwork"]).and_then(Value::as_bool) == Some(true) {
        pod::node_name(p)
    } else {
        meta::name(p)
    }
}

/// The kubelet's managed `/etc/hosts` (`managedHostsFileContent`, no hostAliases).
pub(crate) fn hosts_file(ip: &str, hostname: &str) -> String {
    let mut s = String::from("# Kubernetes-managed hosts file.\n");
    s.push_str("127.0.0.1\tlocalhost\n");
    s.push_str("::1\tlocalhost ip6-localhost ip6-loopback\n");
    s.push_str("fe00::0\tip6-localnet\n");
    s.push_str("fe00::0\tip6-mcastprefix\n");
    s.push_str("fe00::1\tip6-allnodes\n");
    s.push_str("fe00::2\tip6-allrouters\n");
    if !ip.is_empty() {
        s.push_str(&format!("{ip}\t{hostname}\n"));
    }
    s
}

/// The kubelet's resolv.conf for `dnsPolicy: ClusterFirst`, as containerd writes it.
pub(crate) fn resolv_conf(namespace: &str) -> String {
    format!(
        "search {} {HOST_SEARCH_DOMAIN}\nnameserver {CLUSTER_DNS}\noptions ndots:5\n",
        search_domains(namespace).join(" ")
    )
}

/// The cluster's search domains for a pod in `namespace` (the host's come after them).
pub(crate) fn search_domains(namespace: &str) -> Vec<String> {
    vec![
        format!("{namespace}.svc.cluster.local"),
        "svc.cluster.local".to_string(),
        "cluster.local".to_string(),
    ]
}

/// The container's volume mounts: each mount path with its volume from the pod spec.
fn volume_mounts(p: &Value, container: &str) -> Vec<(String, Value)> {
    let volumes = meta::at(p, &["spec", "volumes"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    meta::at(p, &["spec", "containers"])
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| meta::str_at(c, &["name"]) == container))
        .and_then(|c| meta::at(c, &["volumeMounts"]))
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .filter(|m| meta::str_at(m, &["mountPath"]).starts_with('/'))
                .map(|m| {
                    let name = meta::str_at(m, &["name"]);
                    let volume = volumes
                        .iter()
                        .find(|v| meta::str_at(v, &["name"]) == name)
                        .cloned()
                        .unwrap_or(Value::Null);
                    (meta::str_at(m, &["mountPath"]).to_string(), volume)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The files a volume shows at its mount: one per ConfigMap/Secret key (`items` applied).
/// They are read when the command runs, so an edited ConfigMap shows at once (the real
/// kubelet refreshes them at its next sync, up to about a minute later).
fn mounted_files(cluster: &Cluster, pod: &Value, volume: &Value) -> Vec<(String, String)> {
    // A volume that cannot be read keeps the pod from starting (`kubelet_config`), so an
    // error here means its source changed since: the mount shows no files.
    cluster.volume_files(pod, volume).unwrap_or_default()
}

/// A stand-in for the cluster CA (kind's `kubernetes` CA): a PEM block of our own bytes.
fn ca_crt() -> String {
    let body = digest_hex("kind-cluster-ca").repeat(4);
    let mut s = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in body.as_bytes().chunks(64) {
        s.push_str(&String::from_utf8_lossy(chunk));
        s.push('\n');
    }
    s.push_str("-----END CERTIFICATE-----\n");
    s
}

/// A stand-in for the projected service account token: JWT-shaped, derived from the pod.
fn token(uid: &str) -> String {
    format!(
        "eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.{}.{}",
        digest_hex(&format!("claims:{uid}")),
        digest_hex(&format!("signature:{uid}"))
    )
}
