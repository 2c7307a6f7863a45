//! The kubeconfig kubectl reads (`$KUBECONFIG`, else `~/.kube/config`), as kind v0.11.1
//! writes it, and the gate in front of the simulated kubectl: without a kubeconfig that
//! points at the running cluster, every call that needs the server fails as real kubectl's
//! does (`The connection to the server localhost:8080 was refused ...`).

use serde_yaml::{Mapping, Value};

use super::super::kubectl;
use super::super::{Output, Shell, vfs};
use crate::engine::Cluster;
use crate::engine::rng::Rng;

/// The kubeconfig kubectl reads when `$KUBECONFIG` is unset.
pub const DEFAULT_PATH: &str = "/home/learner/.kube/config";

/// The kubeconfig files kubectl would read, in order.
fn paths(sh: &Shell) -> Vec<String> {
    match sh.var("KUBECONFIG").filter(|v| !v.is_empty()) {
        Some(list) => list
            .split(':')
            .filter(|p| !p.is_empty())
            .map(|p| sh.vfs.resolve(&sh.cwd, p))
            .collect(),
        None => vec![DEFAULT_PATH.to_string()],
    }
}

/// The server the current context points at, from the first kubeconfig that names one.
pub fn current_server(sh: &Shell) -> Option<String> {
    for path in paths(sh) {
        let Ok(text) = sh.vfs.read("/", &path) else {
            continue;
        };
        if let Some(server) = server_in(&text) {
            return Some(server);
        }
    }
    None
}

/// The current context's cluster server in one kubeconfig's text.
pub fn server_in(text: &str) -> Option<String> {
    let doc: Value = serde_yaml::from_str(text).ok()?;
    let current = doc.get("current-context")?.as_str()?;
    let named = |list: &str, name: &str| -> Option<Value> {
        doc.get(list)?
            .as_sequence()?
            .iter()
            .find(|e| e.get("name").and_then(Value::as_str) == Some(name))
            .cloned()
    };
    let context = named("contexts", current)?;
    let cluster_name = context
        .get("context")?
        .get("cluster")?
        .as_str()?
        .to_string();
    let cluster = named("clusters", &cluster_name)?;
    Some(cluster.get("cluster")?.get("server")?.as_str()?.to_string())
}

/// `https://127.0.0.1:PORT` → `127.0.0.1:PORT`, as kubectl names the server it could not reach.
fn host_port(server: &str) -> String {
    let rest = server.split("://").nth(1).unwrap_or(server);
    rest.split('/').next().unwrap_or(rest).to_string()
}

/// kubectl's message when the server does not answer.
pub fn refused(server: &str) -> String {
    format!(
        "The connection to the server {server} was refused - did you specify the right host or port?\n"
    )
}

/// Whether the call is answered by kubectl alone, without the server.
fn client_only(args: &[String], verb: &str) -> bool {
    let dry_client = args
        .iter()
        .any(|a| a == "--dry-run=client" || a == "--dry-run");
    let has_file = args
        .iter()
        .any(|a| a == "-f" || a.starts_with("--filename") || a.starts_with("-f"));
    match verb {
        "help" | "completion" | "options" | "plugin" => true,
        "version" => args.iter().any(|a| a == "--client" || a == "--client=true"),
        "run" => dry_client,
        "create" => dry_client && !has_file,
        _ => false,
    }
}

/// Answers a kubectl call that cannot reach the cluster, or `None` to run it normally.
pub(crate) fn gate(
    sh: &Shell,
    cluster: &mut Cluster,
    args: &[String],
    stdin: &str,
) -> Option<Output> {
    if !sh.host.simulated {
        return None;
    }
    let verb_at = kubectl::flags::find_verb(args)?;
    let verb = args[verb_at].as_str();
    if args.iter().any(|a| a == "-h" || a == "--help") || client_only(args, verb) {
        return None;
    }
    let server = current_server(sh);
    let live = sh
        .host
        .cluster
        .as_ref()
        .map(|c| format!("https://127.0.0.1:{}", c.port));
    if server.is_some() && server == live {
        return None;
    }
    let shown = server
        .as_deref()
        .map_or("localhost:8080".to_string(), host_port);
    let error = refused(&shown);
    if verb == "config" {
        return if server.is_some() {
            None
        } else {
            Some(config_without_file(args))
        };
    }
    let mut out = Output::err(error.clone(), 1);
    match verb {
        "version" => {
            let mut client_args = args.to_vec();
            client_args.push("--client".to_string());
            let mut ctx = kubectl::Ctx {
                cluster,
                vfs: &sh.vfs,
                cwd: &sh.cwd,
                pace: None,
            };
            let client = kubectl::run(&mut ctx, &client_args, stdin);
            out.stdout = client.stdout;
        }
        "cluster-info" => {
            out.stdout =
                "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
                    .to_string();
        }
        _ => {}
    }
    Some(out)
}

/// `kubectl config ...` with no kubeconfig at all.
fn config_without_file(args: &[String]) -> Output {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match words.get(1).copied() {
        Some("view") => Output::ok(
            "apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {}\nusers: null\n",
        ),
        Some("current-context") => Output::err("error: current-context is not set\n", 1),
        Some("get-contexts") => Output::ok("CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n"),
        Some("get-clusters") => Output::ok("NAME\n"),
        Some("use-context") => Output::err(
            format!(
                "error: no context exists with the name: {:?}\n",
                words.get(2).copied().unwrap_or("")
            ),
            1,
        ),
        _ => Output::err(String::new(), 0),
    }
}

/// A PEM block of `lines` random base64 lines, as kind's certificates look.
fn pem(rng: &mut Rng, label: &str, lines: usize, last: usize) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut body = String::new();
    for i in 0..lines {
        let n = if i + 1 == lines { last } else { 64 };
        for _ in 0..n {
            body.push(B64[rng.below(64) as usize] as char);
        }
        body.push('\n');
    }
    format!("-----BEGIN {label}-----\n{body}-----END {label}-----\n")
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(B64[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The entries kind writes for the cluster `name` (context, cluster and user `kind-NAME`).
pub struct Entries {
    pub name: String,
    pub server: String,
    pub ca: String,
    pub cert: String,
    pub key: String,
}

impl Entries {
    /// Fresh credentials for a new cluster, from `seed`.
    pub fn new(name: &str, port: u16, seed: u64) -> Entries {
        let mut rng = Rng::seeded(seed);
        Entries {
            name: format!("kind-{name}"),
            server: format!("https://127.0.0.1:{port}"),
            ca: base64(pem(&mut rng, "CERTIFICATE", 17, 8).as_bytes()),
            cert: base64(pem(&mut rng, "CERTIFICATE", 19, 20).as_bytes()),
            key: base64(pem(&mut rng, "RSA PRIVATE KEY", 25, 12).as_bytes()),
        }
    }
}

fn entry(name: &str, key: &str, body: Mapping) -> Value {
    let mut m = Mapping::new();
    // kind's writer sorts keys: `cluster`/`context` come before `name`, `user` after it.
    if key == "user" {
        m.insert(Value::from("name"), Value::from(name));
        m.insert(Value::from(key), Value::Mapping(body));
    } else {
        m.insert(Value::from(key), Value::Mapping(body));
        m.insert(Value::from("name"), Value::from(name));
    }
    Value::Mapping(m)
}

fn pairs(items: &[(&str, &str)]) -> Mapping {
    let mut m = Mapping::new();
    for (k, v) in items {
        m.insert(Value::from(*k), Value::from(*v));
    }
    m
}

/// Writes (or merges into) the kubeconfig at `path` the cluster's entries, making it the
/// current context, mode 0600, as `kind create cluster` does.
pub fn write(sh: &mut Shell, path: &str, e: &Entries) -> Result<(), vfs::VfsError> {
    let old: Option<Value> = sh
        .vfs
        .read("/", path)
        .ok()
        .and_then(|t| serde_yaml::from_str(&t).ok());
    let list = |key: &str| -> Vec<Value> {
        old.as_ref()
            .and_then(|d| d.get(key))
            .and_then(Value::as_sequence)
            .map(|s| {
                s.iter()
                    .filter(|v| v.get("name").and_then(Value::as_str) != Some(&e.name))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut clusters = list("clusters");
    clusters.push(entry(
        &e.name,
        "cluster",
        pairs(&[("certificate-authority-data", &e.ca), ("server", &e.server)]),
    ));
    let mut contexts = list("contexts");
    contexts.push(entry(
        &e.name,
        "context",
        pairs(&[("cluster", &e.name), ("user", &e.name)]),
    ));
    let mut users = list("users");
    users.push(entry(
        &e.name,
        "user",
        pairs(&[
            ("client-certificate-data", &e.cert),
            ("client-key-data", &e.key),
        ]),
    ));
    let text = render(clusters, contexts, &e.name, users);
    save(sh, path, &text)
}

/// Removes the cluster's entries (`kind delete cluster`); the file stays.
pub fn remove(sh: &mut Shell, path: &str, name: &str) -> Result<(), vfs::VfsError> {
    let Some(old) = sh
        .vfs
        .read("/", path)
        .ok()
        .and_then(|t| serde_yaml::from_str::<Value>(&t).ok())
    else {
        return Ok(());
    };
    let entry_name = format!("kind-{name}");
    let list = |key: &str| -> Vec<Value> {
        old.get(key)
            .and_then(Value::as_sequence)
            .map(|s| {
                s.iter()
                    .filter(|v| v.get("name").and_then(Value::as_str) != Some(&entry_name))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let current = old
        .get("current-context")
        .and_then(Value::as_str)
        .filter(|c| *c != entry_name)
        .unwrap_or("")
        .to_string();
    let text = render(list("clusters"), list("contexts"), &current, list("users"));
    save(sh, path, &text)
}

fn render(clusters: Vec<Value>, contexts: Vec<Value>, current: &str, users: Vec<Value>) -> String {
    let seq = |v: Vec<Value>| {
        if v.is_empty() {
            Value::Null
        } else {
            Value::Sequence(v)
        }
    };
    let mut doc = Mapping::new();
    doc.insert(Value::from("apiVersion"), Value::from("v1"));
    doc.insert(Value::from("clusters"), seq(clusters));
    doc.insert(Value::from("contexts"), seq(contexts));
    doc.insert(Value::from("current-context"), Value::from(current));
    doc.insert(Value::from("kind"), Value::from("Config"));
    doc.insert(Value::from("preferences"), Value::Mapping(Mapping::new()));
    doc.insert(Value::from("users"), seq(users));
    let text = serde_yaml::to_string(&Value::Mapping(doc)).unwrap_or_default();
    // Go's YAML writer does not indent sequences under their key, nor quote empty maps.
    go_yaml(&text)
}

/// serde_yaml's text in the shape Go's sigs.k8s.io/yaml prints: `preferences: {}` and an
/// empty current context as `""`.
fn go_yaml(text: &str) -> String {
    text.replace("current-context: ''", "current-context: \"\"")
}

fn save(sh: &mut Shell, path: &str, text: &str) -> Result<(), vfs::VfsError> {
    if let Some(dir) = path
        .rsplit_once('/')
        .map(|(d, _)| d)
        .filter(|d| !d.is_empty())
    {
        sh.vfs.mkdir("/", dir, vfs::MkdirMode::Parents)?;
    }
    sh.vfs.write("/", path, text, vfs::WriteMode::Truncate)?;
    sh.vfs.set_mode("/", path, 0o600)
}

/// Where kind writes: the first `$KUBECONFIG` entry, else `~/.kube/config`.
pub fn target(sh: &Shell) -> String {
    paths(sh)
        .into_iter()
        .next()
        .unwrap_or_else(|| DEFAULT_PATH.to_string())
}
