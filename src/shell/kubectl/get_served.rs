//! `kubectl get` on a resource the server serves but the tutor keeps no objects of
//! (`leases`, `statefulsets`, `roles` ...; see `api::served`): an empty list, as kubectl
//! prints one, instead of "the server doesn't have a resource type".
//!
//! Must not import: the terminal, std::fs, std::process.

use super::Io;
use super::flags::Parsed;
use crate::api::resources::{self, Served};

const EMPTY_YAML: &str =
    "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n  selfLink: \"\"\n";
const EMPTY_JSON: &str = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\",\n        \"selfLink\": \"\"\n    }\n}\n";

/// Answers the call when every type it names is served-but-empty; false otherwise (the
/// caller reports its own error then).
pub fn answer(p: &Parsed, io: &mut Io) -> bool {
    let mut wanted: Vec<(&'static Served, Vec<String>)> = Vec::new();
    if p.args.iter().any(|a| a.contains('/')) {
        for a in &p.args {
            let Some((t, n)) = a.split_once('/') else {
                return false;
            };
            let Some(s) = resources::lookup_served(t) else {
                return false;
            };
            wanted.push((s, vec![n.to_string()]));
        }
    } else {
        let Some(types) = p.args.first() else {
            return false;
        };
        let names: Vec<String> = p.args[1..].to_vec();
        for t in types.split(',').filter(|t| !t.is_empty()) {
            let Some(s) = resources::lookup_served(t) else {
                return false;
            };
            wanted.push((s, names.clone()));
        }
    }
    if wanted.is_empty() {
        return false;
    }
    let all_ns = p.flag("all-namespaces");
    let namespace = p.value("namespace").unwrap_or("default");
    let mut any_list = false;
    for (s, names) in &wanted {
        if !s.verbs.contains(&"list") {
            io.fail("Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n");
            continue;
        }
        if names.is_empty() {
            any_list = true;
        }
        for n in names {
            if !p.flag("ignore-not-found") {
                io.fail(format!(
                    "Error from server (NotFound): {} {n:?} not found\n",
                    s.name_with_group()
                ));
            }
        }
    }
    if any_list {
        match p.value("output").unwrap_or("") {
            "yaml" => io.out.push_str(EMPTY_YAML),
            "json" => io.out.push_str(EMPTY_JSON),
            _ => {
                let scoped = wanted.iter().all(|(s, _)| s.namespaced) && !all_ns;
                if scoped {
                    io.err
                        .push_str(&format!("No resources found in {namespace} namespace.\n"));
                } else {
                    io.err.push_str("No resources found\n");
                }
            }
        }
    }
    true
}
