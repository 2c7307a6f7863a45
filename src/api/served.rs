//! Resources a kind v1.21.1 API server serves that the tutor keeps no objects of: they are
//! listed by `kubectl api-resources` and answer `kubectl get` with "No resources found"
//! (or, for create-only reviews, the server's MethodNotAllowed), so the discovery table and
//! `get` agree. A row whose resource is also a real [`Kind`] is shadowed by it.

use crate::engine::objects::Kind;

/// One served-but-empty resource, as discovery describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Served {
    /// The plural resource name (`leases`).
    pub name: &'static str,
    pub short_names: &'static [&'static str],
    /// `group/version`, or `v1` for the core group.
    pub group_version: &'static str,
    pub namespaced: bool,
    pub kind: &'static str,
    pub verbs: &'static [&'static str],
}

const ALL: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const CREATE: &[&str] = &["create"];
const READ: &[&str] = &["get", "list"];

const fn row(
    name: &'static str,
    short_names: &'static [&'static str],
    group_version: &'static str,
    namespaced: bool,
    kind: &'static str,
    verbs: &'static [&'static str],
) -> Served {
    Served {
        name,
        short_names,
        group_version,
        namespaced,
        kind,
        verbs,
    }
}

/// Every served-but-empty resource (kind v1.21.1's discovery minus the simulated kinds).
#[rustfmt::skip]
pub const SERVED: &[Served] = &[
    row("bindings", &[], "v1", true, "Binding", CREATE),
    row("componentstatuses", &["cs"], "v1", false, "ComponentStatus", READ),
    row("configmaps", &["cm"], "v1", true, "ConfigMap", ALL),
    row("endpoints", &["ep"], "v1", true, "Endpoints", ALL),
    row("limitranges", &["limits"], "v1", true, "LimitRange", ALL),
    row("persistentvolumeclaims", &["pvc"], "v1", true, "PersistentVolumeClaim", ALL),
    row("persistentvolumes", &["pv"], "v1", false, "PersistentVolume", ALL),
    row("podtemplates", &[], "v1", true, "PodTemplate", ALL),
    row("replicationcontrollers", &["rc"], "v1", true, "ReplicationController", ALL),
    row("resourcequotas", &["quota"], "v1", true, "ResourceQuota", ALL),
    row("secrets", &[], "v1", true, "Secret", ALL),
    row("serviceaccounts", &["sa"], "v1", true, "ServiceAccount", ALL),
    row("mutatingwebhookconfigurations", &[], "admissionregistration.k8s.io/v1", false, "MutatingWebhookConfiguration", ALL),
    row("validatingwebhookconfigurations", &[], "admissionregistration.k8s.io/v1", false, "ValidatingWebhookConfiguration", ALL),
    row("customresourcedefinitions", &["crd", "crds"], "apiextensions.k8s.io/v1", false, "CustomResourceDefinition", ALL),
    row("apiservices", &[], "apiregistration.k8s.io/v1", false, "APIService", ALL),
    row("statefulsets", &["sts"], "apps/v1", true, "StatefulSet", ALL),
    row("tokenreviews", &[], "authentication.k8s.io/v1", false, "TokenReview", CREATE),
    row("localsubjectaccessreviews", &[], "authorization.k8s.io/v1", true, "LocalSubjectAccessReview", CREATE),
    row("selfsubjectaccessreviews", &[], "authorization.k8s.io/v1", false, "SelfSubjectAccessReview", CREATE),
    row("selfsubjectrulesreviews", &[], "authorization.k8s.io/v1", false, "SelfSubjectRulesReview", CREATE),
    row("subjectaccessreviews", &[], "authorization.k8s.io/v1", false, "SubjectAccessReview", CREATE),
    row("horizontalpodautoscalers", &["hpa"], "autoscaling/v1", true, "HorizontalPodAutoscaler", ALL),
    row("cronjobs", &["cj"], "batch/v1", true, "CronJob", ALL),
    row("jobs", &[], "batch/v1", true, "Job", ALL),
    row("certificatesigningrequests", &["csr"], "certificates.k8s.io/v1", false, "CertificateSigningRequest", ALL),
    row("leases", &[], "coordination.k8s.io/v1", true, "Lease", ALL),
    row("endpointslices", &[], "discovery.k8s.io/v1", true, "EndpointSlice", ALL),
    row("events", &["ev"], "events.k8s.io/v1", true, "Event", ALL),
    row("ingresses", &["ing"], "extensions/v1beta1", true, "Ingress", ALL),
    row("flowschemas", &[], "flowcontrol.apiserver.k8s.io/v1beta1", false, "FlowSchema", ALL),
    row("prioritylevelconfigurations", &[], "flowcontrol.apiserver.k8s.io/v1beta1", false, "PriorityLevelConfiguration", ALL),
    row("ingressclasses", &[], "networking.k8s.io/v1", false, "IngressClass", ALL),
    row("ingresses", &["ing"], "networking.k8s.io/v1", true, "Ingress", ALL),
    row("networkpolicies", &["netpol"], "networking.k8s.io/v1", true, "NetworkPolicy", ALL),
    row("runtimeclasses", &[], "node.k8s.io/v1", false, "RuntimeClass", ALL),
    row("poddisruptionbudgets", &["pdb"], "policy/v1", true, "PodDisruptionBudget", ALL),
    row("podsecuritypolicies", &["psp"], "policy/v1beta1", false, "PodSecurityPolicy", ALL),
    row("clusterrolebindings", &[], "rbac.authorization.k8s.io/v1", false, "ClusterRoleBinding", ALL),
    row("clusterroles", &[], "rbac.authorization.k8s.io/v1", false, "ClusterRole", ALL),
    row("rolebindings", &[], "rbac.authorization.k8s.io/v1", true, "RoleBinding", ALL),
    row("roles", &[], "rbac.authorization.k8s.io/v1", true, "Role", ALL),
    row("priorityclasses", &["pc"], "scheduling.k8s.io/v1", false, "PriorityClass", ALL),
    row("csidrivers", &[], "storage.k8s.io/v1", false, "CSIDriver", ALL),
    row("csinodes", &[], "storage.k8s.io/v1", false, "CSINode", ALL),
    row("storageclasses", &["sc"], "storage.k8s.io/v1", false, "StorageClass", ALL),
    row("volumeattachments", &[], "storage.k8s.io/v1", false, "VolumeAttachment", ALL),
    row("csistoragecapacities", &[], "storage.k8s.io/v1beta1", true, "CSIStorageCapacity", ALL),
];

impl Served {
    /// The API group (`""` for the core group).
    pub fn group(&self) -> &'static str {
        match self.group_version.rsplit_once('/') {
            Some((group, _)) => group,
            None => "",
        }
    }

    /// Whether a simulated kind serves this resource itself.
    fn shadowed(&self) -> bool {
        Kind::ALL
            .iter()
            .any(|k| k.plural() == self.name && k.group() == self.group())
    }

    /// `name.group` as `api-resources -o name` prints it.
    pub fn name_with_group(&self) -> String {
        match self.group() {
            "" => self.name.to_string(),
            g => format!("{}.{g}", self.name),
        }
    }
}

/// The served-but-empty rows no simulated kind shadows.
pub fn rows() -> impl Iterator<Item = &'static Served> {
    SERVED.iter().filter(|s| !s.shadowed())
}

/// Resolves a resource word (plural, singular, short name, with `.group` or
/// `.version.group`) to a served-but-empty resource, preferring the group listed first.
pub fn lookup(word: &str) -> Option<&'static Served> {
    let lower = word.to_ascii_lowercase();
    let (base, rest) = match lower.split_once('.') {
        Some((b, r)) => (b.to_string(), Some(r.to_string())),
        None => (lower.clone(), None),
    };
    rows().find(|s| {
        let named = base == s.name
            || base == s.kind.to_ascii_lowercase()
            || s.short_names.contains(&base.as_str());
        let version = s.group_version.rsplit('/').next().unwrap_or("v1");
        let grouped = match &rest {
            None => true,
            Some(r) => {
                let g = s.group();
                if g.is_empty() {
                    r == "v1"
                } else {
                    *r == g || *r == format!("{version}.{g}")
                }
            }
        };
        named && grouped
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_the_simulated_kinds_discovery_has_57_rows_32_namespaced() {
        let served: Vec<&Served> = rows().collect();
        let real = Kind::ALL.len();
        let namespaced = served.iter().filter(|s| s.namespaced).count()
            + Kind::ALL.iter().filter(|k| k.is_namespaced()).count();
        // Each simulated kind either is one of the 57 or shadows one of them.
        assert_eq!(served.len() + real, 57);
        assert_eq!(namespaced, 32);
    }

    #[test]
    fn words_resolve_with_and_without_groups() {
        assert_eq!(lookup("leases").map(|s| s.kind), Some("Lease"));
        assert_eq!(lookup("sts").map(|s| s.kind), Some("StatefulSet"));
        assert_eq!(
            lookup("statefulset.apps").map(|s| s.kind),
            Some("StatefulSet")
        );
        assert_eq!(
            lookup("ingresses.networking.k8s.io").map(|s| s.group_version),
            Some("networking.k8s.io/v1")
        );
        assert_eq!(
            lookup("ingresses").map(|s| s.group_version),
            Some("extensions/v1beta1")
        );
        assert_eq!(
            lookup("crds").map(|s| s.name),
            Some("customresourcedefinitions")
        );
        assert_eq!(lookup("pods"), None);
        assert_eq!(lookup("leases.apps"), None);
    }
}
