//! The cluster and the shell a lesson starts from ([`Start`], front matter `start:`):
//! the tutor's standing cluster, no cluster at all (the workshop's chapter 7), or a kind
//! cluster made a few minutes ago (chapter 8 played alone).

use std::time::Duration;

use crate::content::Start;
use crate::engine::Cluster;
use crate::engine::bootstrap::{KindSpec, SESSION_START};
use crate::engine::clock::SimTime;
use crate::shell::Shell;
use crate::shell::host::{self, KindCluster, kubeconfig};

/// How long before the session starts a `start: kind` cluster was made.
const KIND_MADE_BEFORE: Duration = Duration::from_secs(4 * 60);

/// The workshop's four-node cluster config (chapter 7 writes it; chapter 8 finds it).
const FOUR_NODE_CONFIG: &str = "# four-node (three workers) cluster config\nkind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: kind\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n- role: worker\n";

/// The cluster and the shell for `start`, made from `seed` with `workers` workers (the
/// `start: kind` cluster, like the workshop's config, always has three).
pub fn world(start: Start, seed: u64, workers: usize) -> (Cluster, Shell) {
    let mut shell = Shell::new();
    let session_start = SimTime::parse_rfc3339(SESSION_START).unwrap_or_default();
    match start {
        Start::Tutor => {
            let cluster = Cluster::kind(seed, workers);
            host::prepare(&mut shell, cluster.now().as_secs(), false, true);
            connect(&mut shell, "kind", host::TUTOR_PORT, seed);
            (cluster, shell)
        }
        Start::None => {
            let cluster = Cluster::empty(seed, session_start);
            host::prepare(&mut shell, session_start.as_secs(), true, false);
            (cluster, shell)
        }
        Start::Kind => {
            let made = SimTime(session_start.0 - KIND_MADE_BEFORE.as_millis() as i64);
            let spec = KindSpec {
                name: "kind".to_string(),
                workers: 3,
                demo_on_nodes: false,
            };
            let mut cluster = Cluster::kind_created_at(seed, made, &spec);
            let rest = Duration::from_millis((session_start.0 - cluster.now().0).max(0) as u64);
            cluster.advance(rest);
            let port = cluster.draw_port();
            host::prepare(&mut shell, made.as_secs(), true, true);
            let config = format!(
                "{}/000-four-node-cluster.yaml",
                crate::shell::vfs::ENVIRONMENT
            );
            let _ = shell.vfs_mut().write(
                "/",
                &config,
                FOUR_NODE_CONFIG,
                crate::shell::vfs::WriteMode::Truncate,
            );
            connect(&mut shell, "kind", port, seed);
            shell.vfs_mut().set_now(cluster.now().as_secs());
            (cluster, shell)
        }
    }
}

/// Records the running kind cluster and writes its kubeconfig, as `kind create` did.
fn connect(shell: &mut Shell, name: &str, port: u16, seed: u64) {
    host::set_cluster(
        shell,
        KindCluster {
            name: name.to_string(),
            port,
        },
    );
    let entries = kubeconfig::Entries::new(name, port, seed);
    let _ = kubeconfig::write(shell, kubeconfig::DEFAULT_PATH, &entries);
}
