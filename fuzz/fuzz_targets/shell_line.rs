//! Any command line, run by the shell against the lesson's cluster: never a panic.
#![no_main]

use std::sync::OnceLock;

use kubetutor::engine::Cluster;
use kubetutor::shell::Shell;
use libfuzzer_sys::fuzz_target;

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let mut cluster = CLUSTER.get_or_init(|| Cluster::kind(7, 3)).clone();
    let mut shell = Shell::new();
    let _ = shell.run(&line, &mut cluster);
});
