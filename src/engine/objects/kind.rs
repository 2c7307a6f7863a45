//! The object kinds the simulated API server serves, and how kubectl names them.

use std::fmt;

/// A kind of object the simulated cluster stores.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    DaemonSet,
    Deployment,
    ReplicaSet,
    ControllerRevision,
    Event,
    Service,
}

/// Whether a kind lives in a namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::DaemonSet,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::ControllerRevision,
        Kind::Event,
        Kind::Service,
    ];

    /// The `kind` field as the API spells it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::DaemonSet => "DaemonSet",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::Event => "Event",
            Kind::Service => "Service",
        }
    }

    /// The API group ("" for the core group).
    pub fn group(self) -> &'static str {
        match self {
            Kind::DaemonSet | Kind::Deployment | Kind::ReplicaSet | Kind::ControllerRevision => {
                "apps"
            }
            _ => "",
        }
    }

    /// The `apiVersion` field.
    pub fn api_version(self) -> &'static str {
        match self.group() {
            "apps" => "apps/v1",
            _ => "v1",
        }
    }

    /// The plural resource name (`daemonsets`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Pod => "pods",
            Kind::DaemonSet => "daemonsets",
            Kind::Deployment => "deployments",
            Kind::ReplicaSet => "replicasets",
            Kind::ControllerRevision => "controllerrevisions",
            Kind::Event => "events",
            Kind::Service => "services",
        }
    }

    /// The singular resource name (`daemonset`).
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Namespace => "namespace",
            Kind::Node => "node",
            Kind::Pod => "pod",
            Kind::DaemonSet => "daemonset",
            Kind::Deployment => "deployment",
            Kind::ReplicaSet => "replicaset",
            Kind::ControllerRevision => "controllerrevision",
            Kind::Event => "event",
            Kind::Service => "service",
        }
    }

    /// kubectl's short names for the kind.
    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            Kind::Namespace => &["ns"],
            Kind::Node => &["no"],
            Kind::Pod => &["po"],
            Kind::DaemonSet => &["ds"],
            Kind::Deployment => &["deploy"],
            Kind::ReplicaSet => &["rs"],
            Kind::ControllerRevision => &[],
            Kind::Event => &["ev"],
            Kind::Service => &["svc"],
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            Kind::Namespace | Kind::Node => Scope::Cluster,
            _ => Scope::Namespaced,
        }
    }

    pub fn is_namespaced(self) -> bool {
        self.scope() == Scope::Namespaced
    }

    /// `plural[.group]`, as API errors name a resource (`daemonsets.apps`).
    pub fn resource_with_group(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            g => format!("{}.{}", self.plural(), g),
        }
    }

    /// `singular[.group]`, as the name printer names a kind (`daemonset.apps`).
    pub fn singular_with_group(self) -> String {
        match self.group() {
            "" => self.singular().to_string(),
            g => format!("{}.{}", self.singular(), g),
        }
    }

    /// Resolves what a learner typed as a resource type: plural, singular, short name,
    /// kind, or any of those with `.group` / `.version.group` appended; case-insensitive.
    pub fn from_resource(arg: &str) -> Option<Kind> {
        let lower = arg.to_ascii_lowercase();
        let (base, rest) = match lower.split_once('.') {
            Some((b, r)) => (b.to_string(), Some(r.to_string())),
            None => (lower.clone(), None),
        };
        let kind = Kind::ALL.into_iter().find(|k| {
            base == k.plural()
                || base == k.singular()
                || k.short_names().contains(&base.as_str())
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

    /// Resolves a manifest's `apiVersion` + `kind`.
    pub fn from_api(api_version: &str, kind: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == kind && k.api_version() == api_version)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_short_names_plurals_and_groups() {
        assert_eq!(Kind::from_resource("ds"), Some(Kind::DaemonSet));
        assert_eq!(Kind::from_resource("daemonsets.apps"), Some(Kind::DaemonSet));
        assert_eq!(Kind::from_resource("daemonsets.v1.apps"), Some(Kind::DaemonSet));
        assert_eq!(Kind::from_resource("No"), Some(Kind::Node));
        assert_eq!(Kind::from_resource("pods.apps"), None);
        assert_eq!(Kind::from_resource("foo"), None);
    }

    #[test]
    fn names_resources_as_api_errors_do() {
        assert_eq!(Kind::DaemonSet.resource_with_group(), "daemonsets.apps");
        assert_eq!(Kind::Pod.resource_with_group(), "pods");
        assert_eq!(Kind::Node.singular_with_group(), "node");
    }
}
