//! The learner's host (a Cloud9-like machine with Docker): the programs the workshop runs
//! outside the cluster — `kind`, `docker images`, the install lines (`curl`, `chmod`,
//! `sudo`, `mv`, `install`, `sha256sum`) — acting on the virtual files, and the kubeconfig
//! that decides whether `kubectl` reaches the cluster.
//!
//! What the host holds lives in [`Host`], saved with the shell. Nothing here runs a host
//! program or touches a host file. Must not import the TUI.

mod curl;
mod docker;
mod install;
pub(crate) mod kind;
pub(crate) mod kubeconfig;
mod sha256;

use serde::{Deserialize, Serialize};

use super::{Output, Shell, vfs};
use crate::engine::Cluster;

pub(crate) use sha256::hex_digest as sha256_hex;

/// Where the workshop installs `kind` and `kubectl`.
pub const BIN_DIR: &str = "/usr/local/bin";

/// One image in the host's Docker cache.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerImage {
    pub repository: String,
    pub tag: String,
    /// The image ID's 64 hex digits (without `sha256:`).
    pub id: String,
    /// When it was built or pulled, in simulated seconds.
    pub created_secs: i64,
    /// Docker's size column (`417MB`).
    pub size: String,
}

/// The kind cluster running on the host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCluster {
    pub name: String,
    /// The host port Docker maps the API server to (`https://127.0.0.1:PORT`).
    pub port: u16,
}

/// What the learner's host holds besides files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Host {
    /// Whether the host is simulated: `kind`/`kubectl` are found through `PATH` and kubectl
    /// needs a kubeconfig. False in progress saved before the host existed, which keeps
    /// today's behaviour (kubectl always reaches the cluster).
    pub simulated: bool,
    pub docker_images: Vec<DockerImage>,
    pub cluster: Option<KindCluster>,
}

/// The tutor's standing cluster's API server port (what `cluster-info` has always shown).
pub const TUTOR_PORT: u16 = 39427;

/// The images the workshop's chapter 5 left in Docker's cache, `age_secs` before `now`.
pub fn workshop_images(now_secs: i64) -> Vec<DockerImage> {
    vec![
        DockerImage {
            repository: "demo".to_string(),
            tag: "1.0.0".to_string(),
            id: DEMO_IMAGE_ID.to_string(),
            created_secs: now_secs - 2 * 3600 - 17 * 60,
            size: "417MB".to_string(),
        },
        DockerImage {
            repository: "php".to_string(),
            tag: "8.0.1-apache".to_string(),
            id: "2a8b1ef7c3ea9e37d4bfd1cf8e0b1b6b43e2b7e1a3dfc0d6a9a2e5f5a0a4d2c1".to_string(),
            // Built by the Docker library on 2021-01-12.
            created_secs: now_secs - 171 * 86_400,
            size: "417MB".to_string(),
        },
    ]
}

/// `demo:1.0.0`'s image ID (its first 12 digits are what `docker images` shows).
pub const DEMO_IMAGE_ID: &str = "3e88e08548ff7b9cbb9f2f46c2a4b5d8f1a1f0e63c7b2d9e4a4e0a1c6d8b7f91";

/// The files chapter 5 left in `~/environment`.
const INDEX_PHP: &str = "<?php\n  $greeting = getenv(\"GREETING\") ? getenv(\"GREETING\") : \"Hello from\";\n  echo $greeting . \" \" . gethostname() . \"\\n\";\n?>\n";
const DOCKERFILE: &str =
    "FROM php:8.0.1-apache\nCOPY index.php /var/www/html/\nRUN chmod a+rx *.php\n";

/// The placeholder a downloaded program is (the real binaries are tens of MB; the tutor's
/// files are small): its first line names what it runs as.
pub fn placeholder(program: &str) -> String {
    let version = match program {
        "kind" => "v0.11.1",
        _ => "v1.21.1",
    };
    format!(
        "#!kubetutor {program} {version}\n# A stand-in for the {program} {version} linux/amd64 binary: the tutor simulates it.\n"
    )
}

/// The program a placeholder file runs as (`kind`, `kubectl`), if it is one.
pub fn program_of(data: &str) -> Option<&'static str> {
    let first = data.lines().next()?;
    let rest = first.strip_prefix("#!kubetutor ")?;
    match rest.split(' ').next()? {
        "kind" => Some("kind"),
        "kubectl" => Some("kubectl"),
        _ => None,
    }
}

/// `ls -l`'s permission column for an entry.
pub fn perms(is_dir: bool, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(if is_dir { 'd' } else { '-' });
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// Programs of the host that are not shell builtins, and where `which` finds them.
pub(crate) const HOST_PROGRAMS: &[(&str, &str)] = &[
    ("curl", "/usr/bin/curl"),
    ("docker", "/usr/bin/docker"),
    ("chmod", "/usr/bin/chmod"),
    ("sudo", "/usr/bin/sudo"),
    ("mv", "/usr/bin/mv"),
    ("install", "/usr/bin/install"),
    ("sha256sum", "/usr/bin/sha256sum"),
];

/// Where `which` finds `name` among the host's programs (`kind`/`kubectl` through `PATH`).
pub(crate) fn which(sh: &Shell, name: &str) -> Option<String> {
    if matches!(name, "kind" | "kubectl") {
        if !sh.host.simulated {
            return (name == "kubectl").then(|| format!("{BIN_DIR}/kubectl"));
        }
        return find_in_path(sh, name);
    }
    HOST_PROGRAMS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, path)| (*path).to_string())
}

/// Removes the colour escapes (`ESC [ ... m`) a program printed for a terminal.
pub fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find(|c: char| !(c.is_ascii_digit() || c == ';')) {
            Some(j) if after[j..].starts_with('m') => rest = &after[j + 1..],
            _ => {
                out.push('\x1b');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Runs a host program; `None` when `name` is not one (the caller says "command not found").
pub(crate) fn run_program(
    sh: &mut Shell,
    name: &str,
    args: &[String],
    stdin: &str,
    cluster: &mut Cluster,
    to_terminal: bool,
) -> Option<Output> {
    Some(match name {
        "curl" => curl::curl(sh, args, to_terminal),
        "docker" => docker::docker(sh, args, cluster),
        "chmod" => install::chmod(sh, args),
        "sudo" => install::sudo(sh, args, stdin, cluster, to_terminal),
        "mv" => install::mv(sh, args),
        "install" => install::install(sh, args),
        "sha256sum" => install::sha256sum(sh, args, stdin),
        _ => return None,
    })
}

/// Where `PATH` finds `name` (an executable file), as bash's lookup does.
pub(crate) fn find_in_path(sh: &Shell, name: &str) -> Option<String> {
    let path = sh.var("PATH").unwrap_or("");
    for dir in path.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let full = format!("{}/{name}", dir.trim_end_matches('/'));
        if let Some(meta) = sh.vfs.meta(&sh.cwd, &full)
            && !meta.is_dir
            && meta.mode & 0o111 != 0
        {
            return Some(sh.vfs.resolve(&sh.cwd, &full));
        }
    }
    None
}

/// What a simulated `kind`/`kubectl` command name resolves to: `Some(program)` when it
/// may run, `Err(output)` when bash would refuse it. `None` when the host is not
/// simulated (older progress) or the word names no such program.
pub(crate) fn resolve_program(sh: &Shell, name: &str) -> Option<Result<&'static str, Output>> {
    if !sh.host.simulated {
        let base = ["/usr/local/bin/", "/usr/bin/", "/bin/"]
            .iter()
            .find_map(|dir| name.strip_prefix(dir))
            .unwrap_or(name);
        return (base == "kubectl").then_some(Ok("kubectl"));
    }
    if name.contains('/') {
        let meta = sh.vfs.meta(&sh.cwd, name)?;
        let data = sh.vfs.read(&sh.cwd, name).ok()?;
        let program = program_of(&data)?;
        if meta.is_dir || meta.mode & 0o111 == 0 {
            return Some(Err(Output::err(
                format!("bash: {name}: Permission denied\n"),
                126,
            )));
        }
        return Some(Ok(program));
    }
    if !matches!(name, "kind" | "kubectl") {
        return None;
    }
    match find_in_path(sh, name) {
        Some(full) => {
            let data = sh.vfs.read("/", &full).unwrap_or_default();
            match program_of(&data) {
                Some(p) => Some(Ok(p)),
                None => Some(Err(Output::err(
                    format!("bash: {full}: cannot execute binary file: Exec format error\n"),
                    126,
                ))),
            }
        }
        None => Some(Err(Output::err(
            format!("bash: {name}: command not found\n"),
            127,
        ))),
    }
}

/// Sets up a host for a lesson's start: Docker's cache always; with `workshop_files`,
/// chapter 5's files in `~/environment`; with `installed`, `kind` and `kubectl` in
/// `/usr/local/bin`.
pub fn prepare(sh: &mut Shell, now_secs: i64, workshop_files: bool, installed: bool) {
    sh.host.simulated = true;
    sh.host.docker_images = workshop_images(now_secs);
    if workshop_files {
        sh.vfs.set_now(now_secs - 2 * 3600 - 20 * 60);
        let env = vfs::ENVIRONMENT;
        for (name, text) in [("index.php", INDEX_PHP), ("Dockerfile", DOCKERFILE)] {
            let _ = sh.vfs.write(
                "/",
                &format!("{env}/{name}"),
                text,
                vfs::WriteMode::Truncate,
            );
        }
    }
    sh.vfs.set_now(now_secs);
    if installed {
        for program in ["kind", "kubectl"] {
            let _ = sh.vfs.install_system_file(
                &format!("{BIN_DIR}/{program}"),
                &placeholder(program),
                0o755,
            );
        }
    }
}

/// Records the kind cluster running on the host.
pub fn set_cluster(sh: &mut Shell, cluster: KindCluster) {
    sh.host.cluster = Some(cluster);
}
