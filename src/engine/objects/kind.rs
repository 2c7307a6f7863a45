//! The object kinds the simulated API server serves, and how the server names them in its
//! objects and messages. How a learner may spell them (short names, groups) is `api::resources`.

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
    ConfigMap,
    Secret,
    ServiceAccount,
    Endpoints,
    EndpointSlice,
}

/// Whether a kind lives in a namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::DaemonSet,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::ControllerRevision,
        Kind::Event,
        Kind::Service,
        Kind::ConfigMap,
        Kind::Secret,
        Kind::ServiceAccount,
        Kind::Endpoints,
        Kind::EndpointSlice,
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
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
            Kind::ServiceAccount => "ServiceAccount",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
        }
    }

    /// The API group ("" for the core group).
    pub fn group(self) -> &'static str {
        match self {
            Kind::DaemonSet | Kind::Deployment | Kind::ReplicaSet | Kind::ControllerRevision => {
                "apps"
            }
            Kind::EndpointSlice => "discovery.k8s.io",
            _ => "",
        }
    }

    /// The `apiVersion` field.
    pub fn api_version(self) -> &'static str {
        match self.group() {
            "apps" => "apps/v1",
            "discovery.k8s.io" => "discovery.k8s.io/v1",
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
            Kind::ConfigMap => "configmaps",
            Kind::Secret => "secrets",
            Kind::ServiceAccount => "serviceaccounts",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices",
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
            Kind::ConfigMap => "configmap",
            Kind::Secret => "secret",
            Kind::ServiceAccount => "serviceaccount",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslice",
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
    fn names_resources_as_api_errors_do() {
        assert_eq!(Kind::DaemonSet.resource_with_group(), "daemonsets.apps");
        assert_eq!(Kind::Pod.resource_with_group(), "pods");
        assert_eq!(Kind::Node.singular_with_group(), "node");
    }
}
