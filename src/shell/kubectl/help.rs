//! `kubectl VERB --help`: a short usage for each simulated verb, in our own words (kubectl's
//! own help texts are long and are not reproduced here).

/// (verb, what it does, usage line, the flags the tutor understands)
const USAGE: &[(&str, &str, &str, &str)] = &[
    (
        "get",
        "Show objects as a table, or as YAML, JSON, names or a jsonpath template.",
        "kubectl get TYPE[,TYPE...] [NAME...] [flags]",
        "-n NS, -A, -l SELECTOR, --field-selector, -o wide|yaml|json|name|jsonpath=T|jsonpath-as-json=T, --show-labels, -L KEY, --no-headers, --show-kind, --ignore-not-found",
    ),
    (
        "describe",
        "Show the details of objects, with their recent events.",
        "kubectl describe TYPE [NAME...] [flags]",
        "-n NS, -A, -l SELECTOR",
    ),
    (
        "apply",
        "Create or update objects from manifests, remembering what was applied.",
        "kubectl apply -f FILE|- [flags]",
        "-f FILE (repeatable; - reads stdin), -n NS, -o name|yaml|json, --dry-run=client|server, --validate=false",
    ),
    (
        "create",
        "Create objects from manifests, or a namespace or deployment from a few flags.",
        "kubectl create -f FILE | namespace NAME | deployment NAME --image=IMAGE | service clusterip|nodeport|loadbalancer NAME --tcp=PORT[:TARGET] [flags]",
        "-f FILE, -n NS, --image, --replicas, --dry-run=client, -o yaml|json|name, --save-config",
    ),
    (
        "expose",
        "Create a Service that sends traffic to the pods of a deployment, replica set, pod or service.",
        "kubectl expose TYPE NAME --port=PORT [--target-port=PORT] [--type=TYPE] [--name=NAME] [flags]",
        "-n NS, --port, --target-port, --protocol, --type, --name, --selector, --labels, --cluster-ip, --dry-run=client, -o yaml|json|name",
    ),
    (
        "delete",
        "Delete objects and wait until they are gone.",
        "kubectl delete TYPE NAME... | TYPE/NAME... | -f FILE | TYPE -l SELECTOR | TYPE --all [flags]",
        "-n NS, -l SELECTOR, --all, --grace-period=N, --force, --now, --wait=false, --ignore-not-found",
    ),
    (
        "taint",
        "Add, change or remove taints on nodes (a trailing - removes one).",
        "kubectl taint nodes NAME KEY[=VALUE]:EFFECT[-] [flags]",
        "--overwrite, --all, -l SELECTOR, --dry-run=client",
    ),
    (
        "label",
        "Add, change or remove labels (a trailing - removes one).",
        "kubectl label TYPE NAME KEY=VALUE... KEY- [flags]",
        "--overwrite, -l SELECTOR, --all, --list, -n NS",
    ),
    (
        "annotate",
        "Add, change or remove annotations (a trailing - removes one).",
        "kubectl annotate TYPE NAME KEY=VALUE... KEY- [flags]",
        "--overwrite, -l SELECTOR, --all, -n NS",
    ),
    (
        "cordon",
        "Mark a node so that no new pods are scheduled on it.",
        "kubectl cordon NODE",
        "",
    ),
    (
        "uncordon",
        "Let pods be scheduled on a node again.",
        "kubectl uncordon NODE",
        "",
    ),
    (
        "drain",
        "Cordon a node and evict its pods (DaemonSet pods need --ignore-daemonsets).",
        "kubectl drain NODE [flags]",
        "--ignore-daemonsets, --delete-emptydir-data, --force, --grace-period=N",
    ),
    (
        "scale",
        "Set the number of replicas of a Deployment or ReplicaSet.",
        "kubectl scale TYPE/NAME --replicas=N [flags]",
        "--replicas, --current-replicas, -n NS",
    ),
    (
        "patch",
        "Change fields of an object with a strategic-merge, merge or JSON patch.",
        "kubectl patch TYPE NAME -p PATCH | --patch-file FILE [flags]",
        "--type strategic|merge|json, -n NS, -o yaml|json|name",
    ),
    (
        "run",
        "Start a single pod from an image.",
        "kubectl run NAME --image=IMAGE [flags]",
        "--image, --labels, --port, --restart, --dry-run=client, -o yaml, --command -- ARGS",
    ),
    (
        "logs",
        "Print what a pod's container has written.",
        "kubectl logs POD | TYPE/NAME [flags]",
        "-c CONTAINER, --tail=N, --timestamps, -n NS",
    ),
    (
        "exec",
        "Run a command in a pod's container: its files, processes, environment and network (an endless loop inside stops at the shell's 10,000-command bound).",
        "kubectl exec [-i] [-t] [-c CONTAINER] POD | TYPE/NAME -- COMMAND [ARGS...]",
        "-i, -t, -c CONTAINER, -q, --pod-running-timeout=DURATION, -n NS",
    ),
    (
        "rollout",
        "Follow, list, undo or restart the rollout of a DaemonSet or Deployment.",
        "kubectl rollout status|history|undo|restart|pause|resume TYPE/NAME [flags]",
        "--revision=N, --to-revision=N, --timeout, --watch=false",
    ),
    (
        "explain",
        "Describe a kind and its fields.",
        "kubectl explain TYPE[.FIELD...] [flags]",
        "--recursive, --api-version",
    ),
    (
        "api-resources",
        "List the kinds the cluster serves.",
        "kubectl api-resources [flags]",
        "-o name|wide, --namespaced",
    ),
    (
        "cluster-info",
        "Show where the control plane and CoreDNS are reachable.",
        "kubectl cluster-info",
        "",
    ),
    (
        "config",
        "Show the kubeconfig: the current context, all contexts, or the whole file.",
        "kubectl config current-context|get-contexts|view",
        "",
    ),
    (
        "version",
        "Print the client and server versions.",
        "kubectl version [flags]",
        "--client, --short, -o yaml|json",
    ),
];

/// The help for `verb`, if it is one the tutor simulates.
pub fn for_verb(verb: &str) -> Option<String> {
    let (_, what, usage, flags) = USAGE.iter().find(|(v, ..)| *v == verb)?;
    let mut s = format!("{what}\n\nUsage:\n  {usage}\n");
    if !flags.is_empty() {
        s.push_str(&format!(
            "\nFlags the tutor's kubectl understands:\n  {flags}\n"
        ));
    }
    s.push_str("\nGlobal flags: -n/--namespace NS (before or after the verb).\n");
    Some(s)
}

/// Whether the arguments ask for help (`-h` / `--help` before any `--`).
pub fn asked(args: &[String]) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "-h" || a == "--help")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_simulated_verb_has_help() {
        for verb in super::super::VERBS {
            assert!(for_verb(verb).is_some(), "no help for {verb}");
        }
    }
}
