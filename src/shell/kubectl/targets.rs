//! The objects a mutating verb (`label`, `annotate`, `scale`, `patch`) acts on, picked the
//! way cli-runtime's resource builder picks them from `TYPE NAME...`, `TYPE/NAME...`,
//! `TYPE -l SELECTOR` or `TYPE --all`, with the builder's error texts.
//!
//! Must not import: the terminal, std::fs, std::process. Reads the cluster, never writes it.

use super::flags::Parsed;
use crate::api::resources::{self, Request};
use crate::api::selector;
use crate::engine::objects::{Kind, meta};
use crate::engine::{ApiError, Cluster};

/// One object the command names or selects (it may not exist: named objects are looked
/// up later, so that a missing one gives the server's NotFound in its turn).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    /// "" for cluster-scoped kinds.
    pub namespace: String,
    pub name: String,
}

impl Target {
    /// The server's NotFound for this object.
    pub fn not_found(&self) -> ApiError {
        ApiError::NotFound {
            kind: self.kind,
            name: self.name.clone(),
        }
    }
}

/// The namespace a command works in: `-n`, else the context's (`default`).
pub fn namespace(p: &Parsed) -> String {
    p.value("namespace").unwrap_or("default").to_string()
}

/// Resolves `args` (resource words only, no pairs) with `-l` / `--all` from `p`.
/// `bulk` says whether the command accepts `-l` / `--all` at all.
pub fn resolve(cluster: &Cluster, p: &Parsed, args: &[String]) -> Result<Vec<Target>, String> {
    let requests = resources::parse(args)?;
    let ns = namespace(p);
    let selector = match p.value("selector") {
        Some(s) => Some(selector::parse_labels(s)?),
        None => None,
    };
    let all = p.flag("all");
    if all && selector.is_some() {
        return Err("error: setting 'all' parameter but found a non empty selector. \n".into());
    }
    let slash_form = args.iter().any(|a| a.contains('/'));
    let mut out = Vec::new();
    for Request { kind, names } in requests {
        let scope = if kind.is_namespaced() {
            ns.clone()
        } else {
            String::new()
        };
        if !names.is_empty() {
            if selector.is_some() {
                return Err(if slash_form {
                    "error: selectors and the all flag cannot be used when passing resource/name arguments\n".into()
                } else {
                    "error: name cannot be provided when a selector is specified\n".into()
                });
            }
            out.extend(names.into_iter().map(|name| Target {
                kind,
                namespace: scope.clone(),
                name,
            }));
            continue;
        }
        if selector.is_none() && !all {
            return Err("error: resource(s) were provided, but no name was specified\n".into());
        }
        let list_scope = kind.is_namespaced().then_some(ns.as_str());
        for obj in cluster.list(kind, list_scope) {
            if selector
                .as_ref()
                .is_some_and(|s| !s.matches(&meta::labels(obj)))
            {
                continue;
            }
            out.push(Target {
                kind,
                namespace: meta::namespace(obj).to_string(),
                name: meta::name(obj).to_string(),
            });
        }
    }
    Ok(out)
}

/// Splits arguments into resources and `KEY=VALUE` / `KEY-` pairs (`GetResourcesAndPairs`).
pub fn resources_and_pairs(
    args: &[String],
    pair_type: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let is_pair =
            (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a.as_str() != "-");
        if is_pair {
            pairs.push(a.clone());
        } else if !pairs.is_empty() {
            return Err(format!(
                "error: all resources must be specified before {pair_type} changes: {a}\n"
            ));
        } else {
            resources.push(a.clone());
        }
    }
    Ok((resources, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::kubectl::flags::{self, boolean, value};

    fn s(a: &[&str]) -> Vec<String> {
        a.iter().map(|x| x.to_string()).collect()
    }

    fn parsed(a: &[&str]) -> Parsed {
        flags::parse(&s(a), &[value("selector", Some('l')), boolean("all", None)]).unwrap()
    }

    #[test]
    fn pairs_follow_resources() {
        let (r, p) = resources_and_pairs(&s(&["pod", "x", "a=b", "c-"]), "label").unwrap();
        assert_eq!(r, s(&["pod", "x"]));
        assert_eq!(p, s(&["a=b", "c-"]));
        assert_eq!(
            resources_and_pairs(&s(&["pod", "a=b", "x"]), "label").unwrap_err(),
            "error: all resources must be specified before label changes: x\n"
        );
    }

    #[test]
    fn selects_by_label_and_requires_names_otherwise() {
        let c = Cluster::kind(7, 3);
        let p = parsed(&["-n", "kube-system", "-l", "k8s-app=kube-proxy"]);
        let t = resolve(&c, &p, &s(&["pods"])).unwrap();
        assert_eq!(t.len(), 4);
        assert!(t.iter().all(|t| t.name.starts_with("kube-proxy-")));
        assert_eq!(
            resolve(&c, &parsed(&[]), &s(&["pods"])).unwrap_err(),
            "error: resource(s) were provided, but no name was specified\n"
        );
        let nodes = resolve(&c, &parsed(&["--all"]), &s(&["nodes"])).unwrap();
        assert_eq!(nodes.len(), 4);
        assert_eq!(nodes[0].namespace, "");
    }
}
