//! `kind` v0.11.1 on the host: `create cluster` (validates the v1alpha4 `Cluster` config,
//! prints kind's transcript as to a terminal, builds the cluster and writes the
//! kubeconfig), `delete cluster`, `get clusters`, `get nodes`, `load docker-image` and
//! `version`. kind's logger writes to stderr, so every line but `get`'s lists goes there.

use serde_yaml::Value;

use super::super::{Output, Shell};
use super::{KindCluster, kubeconfig};
use crate::engine::Cluster;
use crate::engine::bootstrap::KindSpec;
use crate::engine::objects::Kind;

/// The default node image, as kind's status line shows it (without its digest).
const NODE_IMAGE: &str = "kindest/node:v1.21.1";
/// Where the tutor's kind stops: the clusters it simulates.
const MAX_WORKERS: usize = 100;

const SALUTATIONS: [&str; 4] = [
    "Have a nice day! 👋",
    "Thanks for using kind! 😊",
    "Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/",
    "Have a question, bug, or feature request? Let us know! https://kind.sigs.k8s.io/#community 🙂",
];

/// A finished status line as kind prints it to a terminal: a green ✓ (no spinner frames).
fn done(phase: &str) -> String {
    format!(" \x1b[32m✓\x1b[0m {phase}\n")
}

/// kind's error line on a terminal (`ERROR` in red).
fn error(text: &str) -> Output {
    Output::err(format!("\x1b[31mERROR\x1b[0m: {text}\n"), 1)
}

/// Flags kind's commands take: `--name`, `--config`, `--image`, `--kubeconfig`, `--wait`.
struct Flags {
    words: Vec<String>,
    values: Vec<(String, String)>,
}

fn parse(args: &[String]) -> Result<Flags, Output> {
    let mut words = Vec::new();
    let mut values = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        let Some(flag) = a
            .strip_prefix("--")
            .or_else(|| a.strip_prefix('-').filter(|f| f.len() == 1))
        else {
            words.push(a.clone());
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (flag.to_string(), None),
        };
        let name = match name.as_str() {
            "n" => "name".to_string(),
            "q" | "quiet" | "retain" | "help" | "h" => {
                values.push((name, "true".to_string()));
                continue;
            }
            _ => name,
        };
        if ![
            "name",
            "config",
            "image",
            "kubeconfig",
            "wait",
            "verbosity",
            "v",
        ]
        .contains(&name.as_str())
        {
            return Err(Output::err(format!("ERROR: unknown flag: --{name}\n"), 1));
        }
        let value = match inline.or_else(|| iter.next().cloned()) {
            Some(v) => v,
            None => {
                return Err(Output::err(
                    format!("ERROR: flag needs an argument: --{name}\n"),
                    1,
                ));
            }
        };
        values.push((name, value));
    }
    Ok(Flags { words, values })
}

impl Flags {
    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `kind ARGS...`.
pub(crate) fn kind(sh: &mut Shell, args: &[String], stdin: &str, cluster: &mut Cluster) -> Output {
    let flags = match parse(args) {
        Ok(f) => f,
        Err(out) => return out,
    };
    let words: Vec<&str> = flags.words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["version"] => Output::ok("kind v0.11.1 go1.16.4 linux/amd64\n"),
        ["create", "cluster"] => create(sh, &flags, stdin, cluster),
        ["delete", "cluster"] => delete(sh, &flags, cluster),
        ["get", "clusters"] => match &sh.host.cluster {
            Some(c) => Output::ok(format!("{}\n", c.name)),
            None => Output::err("No kind clusters found.\n", 0),
        },
        ["get", "nodes"] => {
            let name = flags.value("name").unwrap_or("kind");
            let nodes = nodes_of(sh, cluster, name);
            if nodes.is_empty() {
                Output::err(format!("No kind nodes found for cluster {name:?}.\n"), 0)
            } else {
                Output::ok(nodes.iter().map(|n| format!("{n}\n")).collect::<String>())
            }
        }
        ["load", "docker-image", images @ ..] if !images.is_empty() => {
            load(sh, &flags, images, cluster)
        }
        [] => Output::ok(HELP),
        _ => Output::err(
            format!(
                "kubetutor: \"kind {}\" is not simulated; the tutor's kind does: create cluster, delete cluster, get clusters, get nodes, load docker-image, version\n",
                flags.words.join(" ")
            ),
            1,
        ),
    }
}

const HELP: &str =
    "kind creates and manages local Kubernetes clusters using Docker container 'nodes'

Usage:
  kind [command]

Available Commands (simulated by the tutor):
  create      Creates one of [cluster]
  delete      Deletes one of [cluster]
  get         Gets one of [clusters, nodes]
  load        Loads images into nodes
  version     Prints the kind CLI version
";

/// The cluster's nodes in `docker ps` order (newest container first).
fn nodes_of(sh: &Shell, cluster: &Cluster, name: &str) -> Vec<String> {
    if sh.host.cluster.as_ref().is_none_or(|c| c.name != name) {
        return Vec::new();
    }
    let mut nodes: Vec<String> = cluster
        .list(Kind::Node, None)
        .map(|n| crate::engine::objects::meta::name(n).to_string())
        .collect();
    nodes.sort_by_key(|n| node_rank(name, n));
    nodes.reverse();
    nodes
}

/// A node's creation order: the control plane, then worker, worker2, ...
fn node_rank(cluster: &str, node: &str) -> usize {
    let rest = node.strip_prefix(cluster).unwrap_or(node);
    if rest == "-control-plane" {
        return 0;
    }
    match rest.strip_prefix("-worker") {
        Some("") => 1,
        Some(n) => n.parse().unwrap_or(usize::MAX),
        None => usize::MAX,
    }
}

/// What a config file asks for: the cluster name and the worker count.
struct Wanted {
    name: Option<String>,
    workers: usize,
}

/// Reads and validates a `kind.x-k8s.io/v1alpha4` `Cluster` as kind's `encoding.Load` and
/// `Validate` do; errors are kind's texts after `failed to create cluster: `.
fn read_config(sh: &Shell, path: &str, stdin: &str) -> Result<Wanted, String> {
    let raw = if path == "-" {
        stdin.to_string()
    } else {
        sh.vfs.read(&sh.cwd, path).map_err(|e| {
            let shown = sh.vfs.resolve(&sh.cwd, path);
            let why = match e {
                super::super::vfs::VfsError::NotFound => "no such file or directory".to_string(),
                super::super::vfs::VfsError::IsADirectory => "is a directory".to_string(),
                other => other.to_string().to_lowercase(),
            };
            if path.starts_with('/') {
                format!("error reading file: open {path}: {why}")
            } else {
                let _ = shown;
                format!("error reading file: open {path}: {why}")
            }
        })?
    };
    let doc: Value = serde_yaml::from_str(&raw)
        .map_err(|e| format!("could not determine kind / apiVersion for config: {e}"))?;
    let field = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (api, kind) = (field("apiVersion"), field("kind"));
    if api != "kind.x-k8s.io/v1alpha4" {
        return Err(format!("unknown apiVersion: {api}"));
    }
    if kind != "Cluster" {
        return Err(format!("unknown kind {kind} for apiVersion: {api}"));
    }
    const KNOWN: &[&str] = &[
        "kind",
        "apiVersion",
        "name",
        "nodes",
        "networking",
        "featureGates",
        "runtimeConfig",
        "kubeadmConfigPatches",
        "kubeadmConfigPatchesJSON6902",
        "containerdConfigPatches",
        "containerdConfigPatchesJSON6902",
    ];
    if let Some(map) = doc.as_mapping() {
        for key in map.keys().filter_map(Value::as_str) {
            if !KNOWN.contains(&key) {
                let line = raw
                    .lines()
                    .position(|l| l.starts_with(&format!("{key}:")))
                    .map_or(1, |i| i + 1);
                return Err(format!(
                    "unable to decode config: yaml: unmarshal errors:\n  line {line}: field {key} not found in type v1alpha4.Cluster"
                ));
            }
        }
    }
    let name = doc.get("name").and_then(Value::as_str).map(str::to_string);
    let mut errors = Vec::new();
    let mut control_planes = 0;
    let mut workers = 0;
    match doc.get("nodes") {
        None | Some(Value::Null) => control_planes = 1,
        Some(Value::Sequence(nodes)) => {
            for (i, node) in nodes.iter().enumerate() {
                match node
                    .get("role")
                    .and_then(Value::as_str)
                    .unwrap_or("control-plane")
                {
                    "control-plane" => control_planes += 1,
                    "worker" => workers += 1,
                    other => errors.push(format!(
                        "invalid configuration for node {i}: {other:?} is not a valid node role"
                    )),
                }
            }
        }
        Some(_) => {
            return Err("unable to decode config: yaml: unmarshal errors:\n  cannot unmarshal nodes into []v1alpha4.Node".to_string());
        }
    }
    if let Some(n) = &name
        && (n.is_empty()
            || !n
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'))
    {
        errors.insert(
            0,
            format!("'{n}' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`"),
        );
    }
    if control_planes == 0 {
        errors.push("must have at least one control-plane node".to_string());
    }
    match errors.len() {
        0 => {}
        1 => return Err(errors.remove(0)),
        _ => return Err(format!("[{}]", errors.join(", "))),
    }
    if control_planes > 1 {
        return Err(format!(
            "the tutor simulates one control-plane node; this config asks for {control_planes}"
        ));
    }
    if workers > MAX_WORKERS {
        return Err(format!(
            "the tutor simulates at most {MAX_WORKERS} worker nodes; this config asks for {workers}"
        ));
    }
    Ok(Wanted { name, workers })
}

fn create(sh: &mut Shell, flags: &Flags, stdin: &str, cluster: &mut Cluster) -> Output {
    let wanted = match flags.value("config") {
        Some(path) => match read_config(sh, path, stdin) {
            Ok(w) => w,
            Err(e) => return error(&format!("failed to create cluster: {e}")),
        },
        None => Wanted {
            name: None,
            workers: 0,
        },
    };
    let name = flags
        .value("name")
        .map(str::to_string)
        .or(wanted.name)
        .unwrap_or_else(|| "kind".to_string());
    if let Some(existing) = &sh.host.cluster {
        if existing.name == name {
            return error(&format!(
                "failed to create cluster: node(s) already exist for a cluster with the name {name:?}"
            ));
        }
        return Output::err(
            format!(
                "kubetutor: the tutor simulates one kind cluster, and {:?} exists; delete it first (kind delete cluster --name {})\n",
                existing.name, existing.name
            ),
            1,
        );
    }
    let image = flags
        .value("image")
        .map(|i| i.split('@').next().unwrap_or(i).to_string())
        .unwrap_or_else(|| NODE_IMAGE.to_string());
    let seed = cluster.draw_seed();
    let port = cluster.draw_port();
    let salutation = SALUTATIONS[(cluster.draw_seed() % 4) as usize];
    let spec = KindSpec {
        name: name.clone(),
        workers: wanted.workers,
        demo_on_nodes: false,
    };
    *cluster = Cluster::kind_created_at(seed, cluster.now(), &spec);
    sh.host.cluster = Some(KindCluster {
        name: name.clone(),
        port,
    });
    let target = flags
        .value("kubeconfig")
        .map(|p| sh.vfs.resolve(&sh.cwd, p))
        .unwrap_or_else(|| kubeconfig::target(sh));
    let entries = kubeconfig::Entries::new(&name, port, seed);
    let mut err = format!("Creating cluster {name:?} ...\n");
    err.push_str(&done(&format!("Ensuring node image ({image}) 🖼")));
    err.push_str(&done(&format!(
        "Preparing nodes {}",
        "📦 ".repeat(wanted.workers + 1)
    )));
    err.push_str(&done("Writing configuration 📜"));
    err.push_str(&done("Starting control-plane 🕹️"));
    err.push_str(&done("Installing CNI 🔌"));
    err.push_str(&done("Installing StorageClass 💾"));
    if wanted.workers > 0 {
        err.push_str(&done("Joining worker nodes 🚜"));
    }
    if let Err(e) = kubeconfig::write(sh, &target, &entries) {
        err.push_str(&format!(
            "\x1b[31mERROR\x1b[0m: failed to create cluster: failed to lock config file: open {target}: {}\n",
            e.to_string().to_lowercase()
        ));
        return Output::err(err, 1);
    }
    let context = format!("kind-{name}");
    err.push_str(&format!("Set kubectl context to \"{context}\"\n"));
    let sample = match flags.value("kubeconfig") {
        Some(path) => format!("kubectl cluster-info --context {context} --kubeconfig {path}"),
        None => format!("kubectl cluster-info --context {context}"),
    };
    err.push_str(&format!(
        "You can now use your cluster with:\n\n{sample}\n\n{salutation}\n"
    ));
    Output::err(err, 0)
}

fn delete(sh: &mut Shell, flags: &Flags, cluster: &mut Cluster) -> Output {
    let name = flags.value("name").unwrap_or("kind").to_string();
    let err = format!("Deleting cluster {name:?} ...\n");
    if sh.host.cluster.as_ref().is_some_and(|c| c.name == name) {
        sh.host.cluster = None;
        let seed = cluster.draw_seed();
        *cluster = Cluster::empty(seed, cluster.now());
        let target = flags
            .value("kubeconfig")
            .map(|p| sh.vfs.resolve(&sh.cwd, p))
            .unwrap_or_else(|| kubeconfig::target(sh));
        let _ = kubeconfig::remove(sh, &target, &name);
    }
    Output::err(err, 0)
}

fn load(sh: &mut Shell, flags: &Flags, images: &[&str], cluster: &mut Cluster) -> Output {
    let name = flags.value("name").unwrap_or("kind").to_string();
    let mut found = Vec::new();
    for image in images {
        let (repo, tag) = split(image);
        match sh
            .host
            .docker_images
            .iter()
            .find(|i| i.repository == repo && i.tag == tag)
        {
            Some(i) => found.push((image.to_string(), format!("sha256:{}", i.id))),
            None => return error(&format!("image: {image:?} not present locally")),
        }
    }
    let nodes = nodes_of(sh, cluster, &name);
    if nodes.is_empty() {
        return error(&format!("no nodes found for cluster {name:?}"));
    }
    let mut err = String::new();
    for (image, id) in found {
        let missing: Vec<&String> = nodes
            .iter()
            .filter(|n| !cluster.has_image(n, &image))
            .collect();
        if missing.is_empty() {
            err.push_str(&format!(
                "Image: {image:?} with ID {id:?} found to be already present on all nodes.\n"
            ));
            continue;
        }
        for node in missing {
            err.push_str(&format!(
                "Image: {image:?} with ID {id:?} not yet present on node {node:?}, loading...\n"
            ));
            cluster.load_image(node, &image);
        }
    }
    Output::err(err, 0)
}

/// `demo:1.0.0` → (`demo`, `1.0.0`); no tag means `latest`.
pub(crate) fn split(image: &str) -> (&str, &str) {
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].rfind(':') {
        Some(i) => (&image[..slash + i], &image[slash + i + 1..]),
        None => (image, "latest"),
    }
}
