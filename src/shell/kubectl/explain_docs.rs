//! The descriptions `kubectl explain` prints, written for this tutor in our own words (the
//! embedded schema carries structure only). Types and fields without a text here get a
//! short generic line built from the field's name and type ([`generic_field`]).
//!
//! Pure data and string helpers: must not import the engine, the terminal, std::fs or
//! std::process.

/// What a definition is, keyed by its short name (the part after the last dot).
#[rustfmt::skip]
const TYPES: &[(&str, &str)] = &[
    ("DaemonSet", "A DaemonSet keeps one copy of a pod running on every node that matches it (or on every node, when nothing narrows the choice). When a node joins the cluster the DaemonSet starts a pod there; when a node leaves, that pod goes with it. Typical uses are node agents: log shippers, monitoring exporters, network plugins."),
    ("DaemonSetSpec", "What the DaemonSet should run and how it replaces its pods when the template changes."),
    ("DaemonSetStatus", "What the DaemonSet controller last observed: how many nodes should run a daemon pod, how many do, and how many of those are ready and up to date. The controller writes it; you only read it."),
    ("DaemonSetUpdateStrategy", "How the DaemonSet replaces its pods after a change to the pod template."),
    ("RollingUpdateDaemonSet", "Limits that pace a rolling update of daemon pods."),
    ("Deployment", "A Deployment runs a set number of identical pods through ReplicaSets, and changes them gradually when you change the pod template: each new template gets its own ReplicaSet, scaled up while the previous one is scaled down. Old ReplicaSets stay behind as the rollout history."),
    ("DeploymentSpec", "How many pods the Deployment should run, which pods it owns, what they look like, and how a change is rolled out."),
    ("DeploymentStatus", "What the Deployment controller last observed about the Deployment's pods. The controller writes it; you only read it."),
    ("DeploymentStrategy", "How a Deployment moves its pods from the old template to the new one."),
    ("RollingUpdateDeployment", "Limits that pace a Deployment's rolling update."),
    ("ReplicaSet", "A ReplicaSet keeps a fixed number of pods matching its selector running, creating or deleting pods to reach that number. You rarely create one yourself: Deployments create and manage them."),
    ("ReplicaSetSpec", "How many pods the ReplicaSet should keep, which pods count, and the template for new ones."),
    ("ReplicaSetStatus", "What the ReplicaSet controller last observed. The controller writes it; you only read it."),
    ("ControllerRevision", "A stored snapshot of a workload's pod template, kept by the DaemonSet (and StatefulSet) controller so that `kubectl rollout history` and `rollout undo` can show and restore earlier versions."),
    ("Pod", "A Pod is the smallest thing Kubernetes runs: one or more containers that share a network address and storage, scheduled together onto one node. Pods are usually created by a controller (DaemonSet, Deployment) rather than by hand."),
    ("PodSpec", "What runs in a pod and under which conditions: its containers, volumes, where it may be scheduled, and how it is restarted."),
    ("PodStatus", "What the kubelet last reported about the pod: its phase, conditions, addresses and the state of each container. Read only."),
    ("PodTemplateSpec", "The blueprint a controller stamps out for every pod it creates: labels and annotations for the new pods, and their spec."),
    ("Container", "One container of a pod: the image to run, its command, ports, environment, resources and mounted volumes."),
    ("ContainerPort", "A network port a container listens on. Listing it is informational for most traffic, but it names the port for Services and probes."),
    ("EnvVar", "One environment variable set in a container, with either a literal value or a value taken from elsewhere."),
    ("ResourceRequirements", "The CPU and memory a container asks for (requests, used for scheduling) and may not exceed (limits)."),
    ("VolumeMount", "Where a pod volume appears inside a container's filesystem."),
    ("Volume", "A named piece of storage a pod's containers can mount. Exactly one source (configMap, emptyDir, hostPath, ...) is set."),
    ("Toleration", "A toleration lets a pod be scheduled on (or stay on) a node whose taint it matches. A taint repels every pod that does not tolerate it; a toleration matches a taint when the keys are equal, the effects are equal (or the toleration gives no effect), and the operator says the value matches (Equal) or does not matter (Exists)."),
    ("Taint", "A taint marks a node so that pods without a matching toleration are kept away: not scheduled there (NoSchedule), avoided when possible (PreferNoSchedule), or also evicted if already running (NoExecute)."),
    ("Affinity", "Rules that attract the pod to some nodes, or place it near or away from other pods."),
    ("NodeAffinity", "Node selection rules that are more expressive than nodeSelector: required rules must hold for scheduling; preferred ones only weigh the choice."),
    ("Node", "A Node is a machine (here a KinD container) that runs pods. The kubelet on each node registers it and reports its capacity and health."),
    ("NodeSpec", "How the node is set up for scheduling: its pod address range, taints, and whether new pods may land on it."),
    ("NodeStatus", "What the kubelet last reported about the node: capacity, conditions, addresses and software versions. Read only."),
    ("Namespace", "A Namespace is a named group of objects. Names must be unique within a namespace, and many policies and quotas apply per namespace."),
    ("NamespaceSpec", "Settings of the namespace; in practice only its finalizers."),
    ("NamespaceStatus", "Whether the namespace is Active or being deleted (Terminating). Read only."),
    ("ObjectMeta", "Data every object carries: its name and namespace, labels and annotations, and the bookkeeping the API server adds (uid, resourceVersion, generation, timestamps, owners)."),
    ("LabelSelector", "Chooses objects by their labels. matchLabels and matchExpressions must all hold; an empty selector matches everything, a missing one nothing."),
    ("LabelSelectorRequirement", "One condition on a label: its key, an operator, and values to compare with."),
    ("OwnerReference", "Names an object that owns this one. Owned objects are deleted with their owner, and the owner marked controller is the one that manages it."),
    ("Time", "A point in time, written in RFC 3339 form in UTC (for example 2021-07-01T10:00:00Z)."),
    ("MicroTime", "A point in time with microseconds, in RFC 3339 form."),
    ("Quantity", "An amount written as a number with an optional unit suffix: 100m is a tenth of a CPU, 64Mi is 64 mebibytes, 1Gi one gibibyte."),
    (
        "IntOrString",
        "Either a whole number or a string such as a percentage (\"25%\").",
    ),
];

/// What a field means, keyed by (definition short name, field name).
#[rustfmt::skip]
const FIELDS: &[(&str, &str, &str)] = &[
    // Every top-level kind.
    ("*", "apiVersion", "The API group and version this object is written in, such as apps/v1 or v1. kubectl and the API server use it with kind to know how to read the rest."),
    ("*", "kind", "The type of object, such as DaemonSet or Pod, in CamelCase."),
    ("*", "metadata", "Name, namespace, labels, annotations and the API server's bookkeeping for this object."),
    ("*", "spec", "The state you ask for. Controllers work to make the cluster match it."),
    ("*", "status", "The state the cluster last observed, written by controllers. Read only: anything you put here is replaced."),
    // DaemonSet
    ("DaemonSetSpec", "minReadySeconds", "How long a new daemon pod must be ready, without any container crashing, before it counts as available. Defaults to 0: available as soon as it is ready."),
    ("DaemonSetSpec", "revisionHistoryLimit", "How many old ControllerRevisions to keep for rollbacks. Defaults to 10."),
    ("DaemonSetSpec", "selector", "Which pods belong to this DaemonSet. It must match the labels of the pod template, and it cannot be changed after creation."),
    ("DaemonSetSpec", "template", "The pod every selected node runs one copy of. Its labels must match the selector. Changing it starts an update according to updateStrategy."),
    ("DaemonSetSpec", "updateStrategy", "How pods are replaced after the template changes: RollingUpdate (the default) or OnDelete."),
    ("DaemonSetStatus", "currentNumberScheduled", "Nodes running at least one daemon pod that should run one."),
    ("DaemonSetStatus", "desiredNumberScheduled", "Nodes that should run a daemon pod: those the template's selectors, affinity and tolerations allow."),
    ("DaemonSetStatus", "numberAvailable", "Nodes whose daemon pod has been ready for at least minReadySeconds."),
    ("DaemonSetStatus", "numberMisscheduled", "Nodes running a daemon pod that should not run one."),
    ("DaemonSetStatus", "numberReady", "Nodes whose daemon pod is ready."),
    ("DaemonSetStatus", "numberUnavailable", "Nodes that should run a daemon pod but have none available yet."),
    ("DaemonSetStatus", "observedGeneration", "The metadata.generation the controller has acted on. Lower than generation means a change is not processed yet."),
    ("DaemonSetStatus", "updatedNumberScheduled", "Nodes running a daemon pod made from the current template."),
    ("DaemonSetUpdateStrategy", "type", "RollingUpdate replaces old pods automatically, a few nodes at a time; OnDelete waits until you delete an old pod yourself. Defaults to RollingUpdate."),
    ("DaemonSetUpdateStrategy", "rollingUpdate", "Pacing of a RollingUpdate. Only used when type is RollingUpdate."),
    ("RollingUpdateDaemonSet", "maxUnavailable", "How many nodes may be without an available daemon pod during the update, as a number or a percentage of desired nodes. Defaults to 1."),
    ("RollingUpdateDaemonSet", "maxSurge", "How many nodes may briefly run an old and a new pod side by side. Behind a feature gate that is off in 1.21, so it has no effect here."),
    // Deployment
    ("DeploymentSpec", "replicas", "How many pods to run. Defaults to 1."),
    ("DeploymentSpec", "selector", "Which pods belong to this Deployment. It must match the template's labels and cannot be changed after creation."),
    ("DeploymentSpec", "template", "The pods to run. Changing it starts a new rollout with a new ReplicaSet."),
    ("DeploymentSpec", "strategy", "How old pods are replaced by new ones: RollingUpdate (the default) or Recreate."),
    ("DeploymentSpec", "minReadySeconds", "How long a new pod must be ready before it counts as available. Defaults to 0."),
    ("DeploymentSpec", "revisionHistoryLimit", "How many old ReplicaSets to keep for rollbacks. Defaults to 10."),
    ("DeploymentSpec", "paused", "While true, template changes are recorded but not rolled out (see kubectl rollout pause/resume)."),
    ("DeploymentSpec", "progressDeadlineSeconds", "How long a rollout may go without progress before the Deployment reports it as failed. Defaults to 600."),
    ("DeploymentStrategy", "type", "RollingUpdate replaces pods gradually; Recreate deletes all old pods before creating new ones. Defaults to RollingUpdate."),
    ("DeploymentStrategy", "rollingUpdate", "Pacing of a RollingUpdate. Only used when type is RollingUpdate."),
    ("RollingUpdateDeployment", "maxUnavailable", "How many pods below the desired count the rollout may go, as a number or a percentage (rounded down). Defaults to 25%."),
    ("RollingUpdateDeployment", "maxSurge", "How many pods above the desired count the rollout may create, as a number or a percentage (rounded up). Defaults to 25%."),
    ("ReplicaSetSpec", "replicas", "How many pods to keep running. Defaults to 1."),
    ("ReplicaSetSpec", "selector", "Which pods count towards replicas. It must match the template's labels."),
    ("ReplicaSetSpec", "template", "The pod created whenever fewer than replicas pods match the selector."),
    ("ReplicaSetSpec", "minReadySeconds", "How long a new pod must be ready before it counts as available. Defaults to 0."),
    // Pod template and pod
    ("PodTemplateSpec", "metadata", "Labels and annotations given to every pod made from this template. The labels must match the owner's selector."),
    ("PodTemplateSpec", "spec", "The spec of every pod made from this template."),
    ("PodSpec", "containers", "The containers of the pod; at least one. They start together and share the pod's network address."),
    ("PodSpec", "initContainers", "Containers that run one after the other, each to completion, before the main containers start."),
    ("PodSpec", "tolerations", "Taints this pod accepts. A node's taint keeps the pod away unless one of these matches it; for NoExecute taints, tolerationSeconds bounds how long the pod may stay."),
    ("PodSpec", "nodeSelector", "Labels a node must carry for this pod to be placed on it; every pair must match."),
    ("PodSpec", "nodeName", "The node this pod is bound to. The scheduler sets it; setting it yourself skips the scheduler."),
    ("PodSpec", "affinity", "Finer placement rules: which nodes to prefer or require, and which pods to run near or away from."),
    ("PodSpec", "volumes", "Storage the pod's containers can mount, by name."),
    ("PodSpec", "restartPolicy", "When the kubelet restarts containers that stop: Always (the default, and the only choice in a workload template), OnFailure or Never."),
    ("PodSpec", "terminationGracePeriodSeconds", "How many seconds the containers get to stop after being asked to, before they are killed. Defaults to 30."),
    ("PodSpec", "dnsPolicy", "How the pod resolves names: ClusterFirst (the default) uses the cluster DNS, Default copies the node's settings."),
    ("PodSpec", "serviceAccountName", "The service account whose identity the pod's processes use towards the API server. Defaults to default."),
    ("PodSpec", "serviceAccount", "Older spelling of serviceAccountName, kept for compatibility."),
    ("PodSpec", "schedulerName", "Which scheduler places this pod. Defaults to default-scheduler."),
    ("PodSpec", "securityContext", "Security settings for all containers of the pod, such as the user and group they run as."),
    ("PodSpec", "hostNetwork", "When true the pod uses the node's network directly instead of its own address. Common for network plugins such as kindnet."),
    ("PodSpec", "priorityClassName", "Names a PriorityClass that decides the pod's priority when the cluster is short of room."),
    ("PodSpec", "priority", "The pod's priority, filled in from priorityClassName by the API server."),
    // Container
    ("Container", "name", "The container's name, unique within the pod. Used by kubectl logs -c and in status."),
    ("Container", "image", "The image to run, such as nginx:1.21 or demo:1.0.0."),
    ("Container", "imagePullPolicy", "When the kubelet pulls the image: Always, IfNotPresent or Never. Defaults to Always for the latest tag (or no tag), IfNotPresent otherwise."),
    ("Container", "command", "Replaces the image's entrypoint. Not run in a shell."),
    ("Container", "args", "Arguments passed to the entrypoint (or to command when it is set)."),
    ("Container", "env", "Environment variables set in the container."),
    ("Container", "ports", "Ports the container listens on (informational, but named ports can be referred to)."),
    ("Container", "resources", "CPU and memory requests and limits of this container."),
    ("Container", "volumeMounts", "Pod volumes mounted into this container's filesystem."),
    ("Container", "livenessProbe", "A periodic check; when it fails the kubelet restarts the container."),
    ("Container", "readinessProbe", "A periodic check; while it fails the pod is not ready and gets no Service traffic."),
    ("Container", "terminationMessagePath", "File the container may write a last message to when it stops. Defaults to /dev/termination-log."),
    ("Container", "terminationMessagePolicy", "Where the termination message comes from: File (the default) or FallbackToLogsOnError."),
    // Toleration and taint
    ("Toleration", "key", "The taint key this toleration matches. Empty means every key, which only makes sense with operator Exists."),
    ("Toleration", "operator", "How the value is compared: Equal (the default) needs the taint's value to equal value; Exists matches any value, and value must then be empty."),
    ("Toleration", "value", "The taint value to match when operator is Equal."),
    ("Toleration", "effect", "The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute. Empty matches every effect."),
    ("Toleration", "tolerationSeconds", "Only for NoExecute: how many seconds the pod may keep running on a node after the taint appears. Unset means for ever; 0 or less means it is evicted at once."),
    ("Taint", "key", "The taint's key, a label-style name such as dedicated or VIPOnly."),
    ("Taint", "value", "An optional value that tolerations with operator Equal must match."),
    ("Taint", "effect", "What happens to pods that do not tolerate the taint: NoSchedule, PreferNoSchedule or NoExecute."),
    ("Taint", "timeAdded", "When a NoExecute taint was added; set by the system."),
    ("NodeSpec", "taints", "Taints on this node. kubectl taint adds and removes them."),
    ("NodeSpec", "unschedulable", "When true no new pods are scheduled here (kubectl cordon sets it), although DaemonSet pods tolerate it."),
    ("NodeSpec", "podCIDR", "The address range pods on this node get their IPs from."),
    ("NodeSpec", "podCIDRs", "The pod address ranges of this node (one per IP family)."),
    ("NodeSpec", "providerID", "The machine's identity in the infrastructure; for KinD, the Docker container."),
    // Selectors and metadata
    ("LabelSelector", "matchLabels", "Label pairs an object must carry, all of them."),
    ("LabelSelector", "matchExpressions", "Conditions on labels that must all hold."),
    ("LabelSelectorRequirement", "key", "The label key the condition is about."),
    ("LabelSelectorRequirement", "operator", "In, NotIn, Exists or DoesNotExist."),
    ("LabelSelectorRequirement", "values", "Values for In and NotIn; must be empty for Exists and DoesNotExist."),
    ("ObjectMeta", "name", "The object's name, unique among objects of its kind in its namespace."),
    ("ObjectMeta", "namespace", "The namespace the object lives in. Empty for cluster-wide kinds such as Node."),
    ("ObjectMeta", "labels", "Key/value pairs used to select and group objects, for example by selectors and kubectl get -l."),
    ("ObjectMeta", "annotations", "Key/value notes for tools and people; not used for selection. kubectl apply keeps the last applied manifest here."),
    ("ObjectMeta", "uid", "A unique id the API server gives the object when it is created. Read only."),
    ("ObjectMeta", "resourceVersion", "An opaque version the API server changes on every write; used to detect conflicting updates. Read only."),
    ("ObjectMeta", "generation", "A counter of changes to the spec, set by the API server. Read only."),
    ("ObjectMeta", "creationTimestamp", "When the object was created. Read only."),
    ("ObjectMeta", "deletionTimestamp", "When the object is due to be gone, set once deletion has been requested. Read only."),
    ("ObjectMeta", "ownerReferences", "The objects this one belongs to, such as the DaemonSet that created a pod."),
    ("ObjectMeta", "generateName", "A prefix the API server completes with random characters when no name is given."),
    ("ObjectMeta", "finalizers", "Names of clean-up tasks that must finish before the object is removed."),
    ("ObjectMeta", "managedFields", "Which client last set which fields. kubectl hides it unless --show-managed-fields is given."),
];

/// The kinds whose common fields (apiVersion, kind, metadata, spec, status) share the
/// texts keyed by `*`.
const TOP_LEVEL: [&str; 9] = [
    "DaemonSet",
    "Deployment",
    "ReplicaSet",
    "ControllerRevision",
    "Pod",
    "Node",
    "Namespace",
    "Service",
    "Event",
];

/// The text of a definition, by its full name.
pub fn type_doc(definition: &str) -> Option<&'static str> {
    let short = short_name(definition);
    TYPES.iter().find(|(n, _)| *n == short).map(|(_, t)| *t)
}

/// The text of a field of a definition, by the definition's full name.
pub fn field_doc(definition: &str, field: &str) -> Option<&'static str> {
    let short = short_name(definition);
    let is_kind = TOP_LEVEL.contains(&short);
    FIELDS
        .iter()
        .find(|(d, f, _)| *d == short && *f == field)
        .or_else(|| {
            FIELDS
                .iter()
                .find(|(d, f, _)| is_kind && *d == "*" && *f == field)
        })
        .map(|(_, _, t)| *t)
}

fn short_name(definition: &str) -> &str {
    definition.rsplit('.').next().unwrap_or(definition)
}

/// A generic description of a field we have no text for, from its name and type name.
pub fn generic_field(field: &str, type_name: &str) -> String {
    let words = words(field);
    match type_name {
        "string" => format!("{words}, as text."),
        "integer" => format!("{words}, as a whole number."),
        "number" => format!("{words}, as a number."),
        "boolean" => format!("{words}: true or false."),
        "Object" => format!(
            "Settings for {}; explain this field to list them.",
            words.to_lowercase()
        ),
        t if t.starts_with("[]") => format!("A list of {} entries.", words.to_lowercase()),
        t if t.starts_with("map[string]") => {
            format!("{words}, as a map from names to values.")
        }
        _ => format!("{words}."),
    }
}

/// A generic description of a type we have no text for.
pub fn generic_type(definition: &str) -> String {
    format!(
        "The {} settings.",
        words(short_name(definition)).to_lowercase()
    )
}

/// `camelCaseName` as `Camel case name` (runs of capitals such as `IP` stay whole).
fn words(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev_lower = i > 0 && chars[i - 1].is_ascii_lowercase();
        // A lone plural `s` after capitals (`CIDRs`) belongs to them.
        let plural_s = chars.get(i + 1) == Some(&'s')
            && chars.get(i + 2).is_none_or(|n| n.is_ascii_uppercase());
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()) && !plural_s;
        let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
        let boundary = c.is_ascii_uppercase() && (prev_lower || (prev_upper && next_lower));
        if boundary && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    let parts: Vec<String> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let acronym = p.chars().filter(char::is_ascii_uppercase).count() > 1;
            match (i, acronym) {
                (_, true) => p,
                (0, false) => {
                    let mut cs = p.chars();
                    cs.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                        .unwrap_or_default()
                }
                (_, false) => p.to_lowercase(),
            }
        })
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_names_become_words() {
        assert_eq!(
            words("terminationGracePeriodSeconds"),
            "Termination grace period seconds"
        );
        assert_eq!(words("podCIDRs"), "Pod CIDRs");
        assert_eq!(words("hostIPC"), "Host IPC");
        assert_eq!(words("DaemonSetSpec"), "Daemon set spec");
    }

    #[test]
    fn generic_lines_name_the_type_in_plain_words() {
        assert_eq!(
            generic_field("hostPID", "boolean"),
            "Host PID: true or false."
        );
        assert_eq!(
            generic_field("topologySpreadConstraints", "[]Object"),
            "A list of topology spread constraints entries."
        );
    }

    #[test]
    fn every_documented_field_exists_in_the_schema() {
        use crate::engine::schema::{Node, definitions};
        let defs = definitions();
        for (def, field, _) in FIELDS.iter().filter(|(d, _, _)| *d != "*") {
            let found = [
                "io.k8s.api.apps.v1.",
                "io.k8s.api.core.v1.",
                "io.k8s.apimachinery.pkg.apis.meta.v1.",
            ]
            .iter()
            .filter_map(|p| defs.get(&format!("{p}{def}")))
            .any(|n| matches!(n, Node::Kind { fields, .. } if fields.contains_key(*field)));
            assert!(found, "{def}.{field} is not in the schema");
        }
    }
}
