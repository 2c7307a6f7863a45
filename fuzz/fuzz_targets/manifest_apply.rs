//! Any manifest, applied with `kubectl apply -f -` (decode, validate, create or merge).
#![no_main]

use std::sync::OnceLock;

use kubetutor::engine::Cluster;
use kubetutor::shell::kubectl::{self, Ctx};
use kubetutor::shell::vfs::Vfs;
use libfuzzer_sys::fuzz_target;

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut cluster = CLUSTER.get_or_init(|| Cluster::kind(7, 3)).clone();
    let vfs = Vfs::default();
    let args: Vec<String> = ["apply", "-n", "kube-system", "-f", "-"].iter().map(|s| s.to_string()).collect();
    let mut ctx = Ctx { cluster: &mut cluster, vfs: &vfs, cwd: "/" };
    let _ = kubectl::run(&mut ctx, &args, &text);
    // Apply twice: the second goes through the three-way merge.
    let _ = kubectl::run(&mut ctx, &args, &text);
});
