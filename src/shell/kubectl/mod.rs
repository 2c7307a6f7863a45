//! The simulated kubectl v1.21: parse flags, call the engine, print as kubectl prints.

pub mod manifest;
pub mod printers;
pub mod schema;

use super::Output;
use super::vfs::Vfs;
use crate::engine::Cluster;

/// What a kubectl invocation may touch: the cluster, and the learner's files (read only).
pub struct Ctx<'a> {
    pub cluster: &'a mut Cluster,
    pub vfs: &'a Vfs,
    /// The shell's working directory, absolute (`/home/learner/environment`).
    pub cwd: &'a str,
}

/// Runs `kubectl ARGS...` (args exclude the word `kubectl`) with `stdin` as its input.
pub fn run(ctx: &mut Ctx<'_>, args: &[String], stdin: &str) -> Output {
    let _ = (ctx, args, stdin);
    Output::err("error: kubectl is not wired up yet\n", 1)
}
