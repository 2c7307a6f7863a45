//! The simulated kubectl v1.21: parse flags, call the engine, print as kubectl prints.
//!
//! Must not import: ratatui, crossterm, tokio, std::fs, std::process. One file per verb;
//! every fixed message lives in [`messages`].

mod api_resources;
mod apply;
mod cluster_info;
mod config;
mod cordon;
mod create;
mod create_config;
mod delete;
mod describe;
mod exec;
mod explain;
mod explain_docs;
mod expose;
pub mod flags;
pub(crate) mod get;
mod get_served;
mod help;
mod label;
mod logs;
pub mod manifest;
pub mod messages;
pub mod output;
mod patch;
pub mod printers;
mod rollout;
mod rollout_history;
mod rollout_status;
mod run;
mod scale;
pub mod tables;
mod taint;
mod targets;
#[cfg(test)]
mod testkit;
pub mod validate;
mod version;

use super::Output;
use super::vfs::Vfs;
use crate::engine::Cluster;

/// What a kubectl invocation may touch: the cluster, and the learner's files (read only).
pub struct Ctx<'a> {
    pub cluster: &'a mut Cluster,
    pub vfs: &'a Vfs,
    /// The shell's working directory, absolute (`/home/learner/environment`).
    pub cwd: &'a str,
    /// The calling shell's pace, and whether its stdout goes live to the terminal: `exec`
    /// lends them to the container's shell, so a loop inside a pod streams and stops on
    /// Ctrl-C (or the headless bound) like one on the host. `None` where nothing streams.
    pub pace: Option<(&'a mut crate::shell::stream::Pace, bool)>,
}

/// What a command has printed so far, and whether it failed.
#[derive(Debug, Default)]
pub struct Io {
    pub out: String,
    pub err: String,
    pub status: i32,
}

impl Io {
    /// Prints an error (already in kubectl's words, newline-terminated) and marks failure.
    pub fn fail(&mut self, text: impl std::fmt::Display) {
        use std::fmt::Write as _;
        let _ = write!(self.err, "{text}");
        self.status = 1;
    }
}

/// The verbs we simulate (completion offers these).
pub const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "cluster-info",
    "config",
    "cordon",
    "create",
    "delete",
    "describe",
    "drain",
    "exec",
    "explain",
    "expose",
    "get",
    "label",
    "logs",
    "patch",
    "rollout",
    "run",
    "scale",
    "taint",
    "uncordon",
    "version",
];

/// Real kubectl verbs that the simulated cluster does not offer.
const OTHER_VERBS: &[&str] = &[
    "api-versions",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "completion",
    "convert",
    "cp",
    "debug",
    "diff",
    "edit",
    "kustomize",
    "options",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "set",
    "top",
    "wait",
];

/// Runs `kubectl ARGS...` (args exclude the word `kubectl`) with `stdin` as its input.
pub fn run(ctx: &mut Ctx<'_>, args: &[String], stdin: &str) -> Output {
    let mut io = Io::default();
    match flags::find_verb(args) {
        None => {
            if let Err(e) = flags::parse(args, &[]) {
                io.fail(messages::flag_error("kubectl", &e));
            } else {
                io.out.push_str(HELP);
            }
        }
        Some(i) if help::asked(args) && help::for_verb(&args[i]).is_some() => {
            io.out
                .push_str(&help::for_verb(&args[i]).unwrap_or_default());
        }
        Some(i) => {
            let verb = args[i].as_str();
            let rest: Vec<String> = args[..i].iter().chain(&args[i + 1..]).cloned().collect();
            match verb {
                "get" => get::run(ctx, &rest, &mut io),
                "apply" => apply::run(ctx, &rest, stdin, apply::Mode::Apply, &mut io),
                "create" => create::run(ctx, &rest, stdin, &mut io),
                "expose" => expose::expose(ctx, &rest, &mut io),
                "delete" => delete::run(ctx, &rest, stdin, &mut io),
                "taint" => taint::run(ctx, &rest, &mut io),
                "label" => label::run(ctx, &rest, label::Field::Labels, &mut io),
                "annotate" => label::run(ctx, &rest, label::Field::Annotations, &mut io),
                "cordon" => cordon::run(ctx, &rest, cordon::Verb::Cordon, &mut io),
                "uncordon" => cordon::run(ctx, &rest, cordon::Verb::Uncordon, &mut io),
                "drain" => cordon::run(ctx, &rest, cordon::Verb::Drain, &mut io),
                "scale" => scale::run(ctx, &rest, &mut io),
                "patch" => patch::run(ctx, &rest, &mut io),
                "run" => run::run(ctx, &rest, &mut io),
                "logs" => logs::run(ctx, &rest, &mut io),
                "exec" => exec::run(ctx, &rest, stdin, &mut io),
                "cluster-info" => cluster_info::run(ctx, &rest, &mut io),
                "config" => config::run_at(&cluster_info::server(ctx.vfs), &rest, &mut io),
                "api-resources" => api_resources::run(&rest, &mut io),
                "describe" => describe::run(ctx, &rest, &mut io),
                "rollout" => rollout::run(ctx, &rest, &mut io),
                "explain" => explain::run(&rest, &mut io),
                "version" => version::run(&rest, &mut io),
                "help" => io.out.push_str(HELP),
                v if OTHER_VERBS.contains(&v) => io.fail(messages::unsupported(v)),
                v => io.fail(messages::unknown_command(v, &suggestions(v))),
            }
        }
    }
    Output {
        stdout: io.out,
        stderr: io.err,
        status: io.status,
    }
}

/// `kubectl exec -it POD -- bash`: an interactive shell in a container (see `exec::attach`).
#[allow(clippy::type_complexity)]
pub(crate) fn attach(
    ctx: &mut Ctx<'_>,
    args: &[String],
    stdin: &str,
) -> Option<Result<(Box<super::Shell>, Output), Output>> {
    let i = flags::find_verb(args)?;
    if args[i] != "exec" {
        return None;
    }
    let rest: Vec<String> = args[..i].iter().chain(&args[i + 1..]).cloned().collect();
    exec::attach(ctx, &rest, stdin)
}

/// cobra's suggestions: commands within Levenshtein distance 2, or that start with the word.
fn suggestions(word: &str) -> Vec<&'static str> {
    let mut all: Vec<&'static str> = VERBS.iter().chain(OTHER_VERBS).copied().collect();
    all.sort();
    all.into_iter()
        .filter(|c| {
            levenshtein(&word.to_lowercase(), c) <= 2 || c.starts_with(&word.to_lowercase())
        })
        .collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

const HELP: &str = "kubectl controls the Kubernetes cluster manager.

 This is the tutor's simulated kubectl (v1.21). It talks to the embedded KinD cluster.

Commands it simulates:
  get           Display one or many resources
  describe      Show details of a specific resource or group of resources
  apply         Apply a configuration to a resource by file name or stdin
  create        Create a resource from a file or from stdin (also: create namespace NAME)
  delete        Delete resources by file names, stdin, resources and names, or by resources and label selector
  run           Run a particular image on the cluster
  label         Update the labels on a resource
  annotate      Update the annotations on a resource
  patch         Update fields of a resource
  scale         Set a new size for a Deployment or ReplicaSet
  logs          Print the logs for a container in a pod
  cordon        Mark node as unschedulable
  uncordon      Mark node as schedulable
  drain         Drain node in preparation for maintenance
  taint         Update the taints on one or more nodes
  rollout       Manage the rollout of a DaemonSet or Deployment (status, history, undo, restart)
  explain       Documentation of resources and their fields
  cluster-info  Display cluster info
  api-resources Print the supported API resources on the server
  config        Show the kubeconfig (current-context, get-contexts, view)
  version       Print the client and server version information

Usage:
  kubectl [flags] [options]
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_commands() {
        assert_eq!(suggestions("gett"), vec!["get", "set"]);
        assert!(suggestions("xyzzy").is_empty());
    }
}
