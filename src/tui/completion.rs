//! Tab completion at the prompt: command names, kubectl verbs, resource types, the names of
//! objects and nodes in the cluster, flags and their values, and file names. Pure: it reads
//! the cluster and the shell's files, and answers with candidates for the word at the cursor.
//!
//! Must not import crossterm, tokio or the session.

use crate::api::resources::{self, RESOURCES};
use crate::api::views::ObjectView;
use crate::engine::Cluster;
use crate::engine::objects::Kind;
use crate::shell::Shell;
use crate::shell::kubectl::VERBS;

const FLAGS: &[&str] = &[
    "--all-namespaces",
    "--dry-run=client",
    "--filename",
    "--namespace",
    "--output",
    "--selector",
    "--show-labels",
    "-A",
    "-f",
    "-l",
    "-n",
    "-o",
];
const OUTPUTS: &[&str] = &[
    "json",
    "jsonpath-as-json=",
    "jsonpath=",
    "name",
    "wide",
    "yaml",
];

/// Where the word being completed starts (a byte offset) and what could finish it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest text every candidate starts with.
    pub fn common_prefix(&self) -> String {
        let Some(first) = self.candidates.first() else {
            return String::new();
        };
        let mut end = first.len();
        for c in &self.candidates[1..] {
            end = end.min(
                first
                    .char_indices()
                    .zip(c.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8()),
            );
        }
        first[..end].to_string()
    }
}

/// Candidates for the word that ends at the end of `before` (the text left of the cursor).
pub fn complete(before: &str, cluster: &Cluster, shell: &Shell) -> Completion {
    let start = before
        .rfind(|c: char| c.is_whitespace() || c == '|' || c == ';' || c == '&')
        .map_or(0, |i| i + 1);
    let word = &before[start..];
    let segment_start = before[..start].rfind(['|', ';', '&']).map_or(0, |i| i + 1);
    let words: Vec<&str> = before[segment_start..start].split_whitespace().collect();
    let options: Vec<String> = match words.first() {
        None => strings(&Shell::commands()),
        Some(&"kubectl") => kubectl(&words[1..], word, cluster),
        Some(_) => files(word, shell),
    };
    let mut candidates: Vec<String> = options
        .into_iter()
        .filter(|c| c.starts_with(word))
        .collect();
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn kubectl(args: &[&str], word: &str, cluster: &Cluster) -> Vec<String> {
    let last = args.last().copied().unwrap_or("");
    let namespace = args
        .windows(2)
        .find(|w| w[0] == "-n" || w[0] == "--namespace")
        .map_or("default", |w| w[1]);
    match last {
        "-n" | "--namespace" => return names(cluster, Kind::Namespace, ""),
        "-o" | "--output" => return strings(OUTPUTS),
        "-f" | "--filename" => return Vec::new(),
        _ => {}
    }
    if word.starts_with('-') {
        return strings(FLAGS);
    }
    // Positional words, skipping flags and the values of flags that take one.
    let mut positional = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if matches!(*a, "-n" | "--namespace" | "-o" | "--output" | "-l" | "-f") {
            skip = true;
        } else if !a.starts_with('-') {
            positional.push(*a);
        }
    }
    match positional.as_slice() {
        [] => strings(VERBS),
        [verb] if matches!(*verb, "get" | "describe" | "delete") => resource_words(),
        ["taint"] => vec!["nodes".to_string()],
        ["taint", _] => names(cluster, Kind::Node, ""),
        [verb, resource, ..] if matches!(*verb, "get" | "describe" | "delete") => {
            match resources::lookup(resource) {
                Some(kind) => names(cluster, kind, namespace),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// Every resource's plural and short names (the served resources, from the API's table).
fn resource_words() -> Vec<String> {
    let mut words: Vec<String> = RESOURCES
        .iter()
        .flat_map(|r| std::iter::once(r.kind.plural()).chain(r.short_names.iter().copied()))
        .map(str::to_string)
        .collect();
    words.sort();
    words
}

/// The names of objects of `kind` in `namespace` (all of them for cluster-wide kinds).
fn names(cluster: &Cluster, kind: Kind, namespace: &str) -> Vec<String> {
    let ns = kind.is_namespaced().then_some(namespace);
    cluster
        .list(kind, ns)
        .map(|o| ObjectView::of(o).name().to_string())
        .collect()
}

/// Entries of the directory the word points into, with the directory part kept.
fn files(word: &str, shell: &Shell) -> Vec<String> {
    let (dir, shown) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[..=i]),
        None => (".", ""),
    };
    let Ok(entries) = shell.vfs().list_dir(shell.cwd(), dir) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .map(|e| {
            let path = format!("{shown}{e}");
            if shell.vfs().is_dir(shell.cwd(), &path) {
                format!("{path}/")
            } else {
                path
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(before: &str) -> Vec<String> {
        let c = Cluster::kind(7, 3);
        complete(before, &c, &Shell::new()).candidates
    }

    #[test]
    fn completes_commands_verbs_resources_and_node_names() {
        assert_eq!(cands("kub"), vec!["kubectl"]);
        assert_eq!(cands("kubectl ta"), vec!["taint"]);
        assert_eq!(cands("kubectl get da"), vec!["daemonsets"]);
        assert_eq!(
            cands("kubectl taint nodes kind-worker"),
            vec!["kind-worker", "kind-worker2", "kind-worker3"]
        );
        assert_eq!(cands("kubectl -n kube-s"), vec!["kube-system"]);
        assert!(cands("kubectl get pods --sh").contains(&"--show-labels".to_string()));
    }

    #[test]
    fn completes_object_names_in_the_namespace_given() {
        let names = cands("kubectl -n kube-system get ds k");
        assert_eq!(names, vec!["kindnet", "kube-proxy"]);
    }

    #[test]
    fn the_common_prefix_stops_where_candidates_differ() {
        let c = Completion {
            start: 0,
            candidates: vec!["kind-worker".into(), "kind-worker2".into()],
        };
        assert_eq!(c.common_prefix(), "kind-worker");
    }
}
