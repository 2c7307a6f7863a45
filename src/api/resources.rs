//! The resources the simulated API server serves, in one table: how a learner may name each
//! (plural, singular, short names, kind, with `.group` or `.version.group`), the verbs
//! discovery lists for it, and the categories it belongs to (`all`). kubectl's resource
//! arguments (`pods`, `ds,pods`, `pod/x`, `all`) are read here as its resource builder reads
//! them. Every layer that names resources (kubectl, step checks, completion, command
//! equivalence) asks this table.

use super::Error;
pub use super::served::{SERVED, Served, lookup as lookup_served, rows as served_rows};
use crate::engine::objects::Kind;

/// One served resource, as discovery (`kubectl api-resources -o wide`) describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resource {
    pub kind: Kind,
    /// kubectl's short names (`ds`).
    pub short_names: &'static [&'static str],
    /// The API verbs discovery lists, sorted.
    pub verbs: &'static [&'static str],
    /// Whether `all` includes it.
    pub in_all: bool,
}

/// Discovery's verbs for most resources.
const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
/// Namespaces and (in 1.21) services had no `deletecollection`.
const VERBS_NO_COLLECTION: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];

/// Every served resource. The order is the one `all` expands in (kubectl's: pods, services,
/// daemonsets, deployments, replicasets), then the rest.
pub const RESOURCES: [Resource; 14] = [
    Resource {
        kind: Kind::Pod,
        short_names: &["po"],
        verbs: VERBS,
        in_all: true,
    },
    Resource {
        kind: Kind::Service,
        short_names: &["svc"],
        verbs: VERBS_NO_COLLECTION,
        in_all: true,
    },
    Resource {
        kind: Kind::DaemonSet,
        short_names: &["ds"],
        verbs: VERBS,
        in_all: true,
    },
    Resource {
        kind: Kind::Deployment,
        short_names: &["deploy"],
        verbs: VERBS,
        in_all: true,
    },
    Resource {
        kind: Kind::ReplicaSet,
        short_names: &["rs"],
        verbs: VERBS,
        in_all: true,
    },
    Resource {
        kind: Kind::Namespace,
        short_names: &["ns"],
        verbs: VERBS_NO_COLLECTION,
        in_all: false,
    },
    Resource {
        kind: Kind::Node,
        short_names: &["no"],
        verbs: VERBS,
        in_all: false,
    },
    Resource {
        kind: Kind::ControllerRevision,
        short_names: &[],
        verbs: VERBS,
        in_all: false,
    },
    Resource {
        kind: Kind::Event,
        short_names: &["ev"],
        verbs: VERBS,
        in_all: false,
    },
    Resource {
        kind: Kind::ConfigMap,
        short_names: &["cm"],
        verbs: VERBS,
        in_all: false,
    },
    Resource {
        kind: Kind::Secret,
        short_names: &[],
        verbs: VERBS,
        in_all: false,
    },
    Resource {
        kind: Kind::ServiceAccount,
        short_names: &["sa"],
        verbs: VERBS,
        in_all: false,
    },
    Resource {
        kind: Kind::Endpoints,
        short_names: &["ep"],
        verbs: VERBS,
        in_all: false,
    },
    Resource {
        kind: Kind::EndpointSlice,
        short_names: &[],
        verbs: VERBS,
        in_all: false,
    },
];

/// The table row of a kind.
pub fn resource(kind: Kind) -> &'static Resource {
    let row = RESOURCES.iter().find(|r| r.kind == kind);
    // Every kind has a row: `every_kind_has_one_row` checks it.
    row.unwrap_or(&RESOURCES[0])
}

/// Every word a learner may type for a kind without a group (plural, singular, short names,
/// lower-case kind), for completion and for comparing commands.
pub fn words(kind: Kind) -> Vec<&'static str> {
    let mut words = vec![kind.plural(), kind.singular()];
    words.extend(resource(kind).short_names);
    words
}

/// Resolves what a learner typed as a resource type: plural, singular, short name, kind, or
/// any of those with `.group` / `.version.group` appended; case-insensitive.
pub fn lookup(word: &str) -> Option<Kind> {
    let lower = word.to_ascii_lowercase();
    let (base, rest) = match lower.split_once('.') {
        Some((b, r)) => (b, Some(r)),
        None => (lower.as_str(), None),
    };
    let kind = RESOURCES.iter().map(|r| r.kind).find(|k| {
        base == k.plural()
            || base == k.singular()
            || resource(*k).short_names.contains(&base)
            || base == k.name().to_ascii_lowercase()
    })?;
    match rest {
        None => Some(kind),
        Some(r) => {
            let group = kind.group();
            let ok = if group.is_empty() {
                r == "v1"
            } else {
                r == group || r == format!("v1.{group}")
            };
            ok.then_some(kind)
        }
    }
}

/// Resolves a type word or fails as kubectl does.
pub fn kind_of(word: &str) -> Result<Kind, Error> {
    lookup(word).ok_or_else(|| Error::UnknownResource(word.to_string()))
}

/// What the learner asked for: a kind, with the names given (none = every object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub kind: Kind,
    pub names: Vec<String>,
}

/// Parses `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`.
pub fn parse(args: &[String]) -> Result<Vec<Request>, Error> {
    if args.is_empty() {
        return Ok(Vec::new());
    }
    if args.iter().any(|a| a.contains('/')) {
        let mut out: Vec<Request> = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err(Error::TypeAndSlashForm);
            };
            if n.is_empty() {
                return Err(Error::SingleResourceAndName);
            }
            let kind = kind_of(t)?;
            match out.iter_mut().find(|r| r.kind == kind) {
                Some(r) => r.names.push(n.to_string()),
                None => out.push(Request {
                    kind,
                    names: vec![n.to_string()],
                }),
            }
        }
        return Ok(out);
    }
    let mut kinds: Vec<Kind> = Vec::new();
    for t in args[0].split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            kinds.extend(RESOURCES.iter().filter(|r| r.in_all).map(|r| r.kind));
        } else {
            kinds.push(kind_of(t)?);
        }
    }
    // `TYPE,TYPE NAME` looks the name up in each type (`kubectl get deployments,endpoints demo`).
    let names: Vec<String> = args[1..].to_vec();
    kinds.dedup();
    Ok(kinds
        .into_iter()
        .map(|kind| Request {
            kind,
            names: names.clone(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: &[&str]) -> Vec<String> {
        a.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn every_kind_has_one_row() {
        for kind in Kind::ALL {
            assert_eq!(
                RESOURCES.iter().filter(|r| r.kind == kind).count(),
                1,
                "{kind}"
            );
        }
    }

    #[test]
    fn resolves_short_names_plurals_and_groups() {
        assert_eq!(lookup("ds"), Some(Kind::DaemonSet));
        assert_eq!(lookup("daemonsets.apps"), Some(Kind::DaemonSet));
        assert_eq!(lookup("daemonsets.v1.apps"), Some(Kind::DaemonSet));
        assert_eq!(lookup("No"), Some(Kind::Node));
        assert_eq!(lookup("pods.apps"), None);
        assert_eq!(lookup("foo"), None);
    }

    #[test]
    fn parses_types_names_and_slash_forms() {
        assert_eq!(
            parse(&s(&["ds", "a"])).unwrap(),
            vec![Request {
                kind: Kind::DaemonSet,
                names: s(&["a"])
            }]
        );
        assert_eq!(parse(&s(&["ds,po"])).unwrap().len(), 2);
        assert_eq!(
            parse(&s(&["pod/x", "pod/y"])).unwrap(),
            vec![Request {
                kind: Kind::Pod,
                names: s(&["x", "y"])
            }]
        );
        assert_eq!(
            parse(&s(&["foo"])).unwrap_err().to_string(),
            "error: the server doesn't have a resource type \"foo\"\n"
        );
    }
}
