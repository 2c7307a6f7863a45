//! `kubectl scale`: set `spec.replicas` of Deployments and ReplicaSets through their
//! `scale` subresource, with `--current-replicas` preconditions and kubectl v1.21's words.
//! Kinds without a scale subresource (DaemonSets, pods, nodes) get the server's 404.
//!
//! Must not import: the terminal, std::fs, std::process.

use crate::engine::value::json;

use super::flags::{self, Flag, boolean, value};
use super::output::Format;
use super::{Ctx, Io, label, messages, targets};
use crate::engine::objects::{Kind, meta};

const COMMAND: &str = "kubectl scale";

const FLAGS: &[Flag] = &[
    value("replicas", None),
    value("current-replicas", None),
    value("resource-version", None),
    value("selector", Some('l')),
    boolean("all", None),
    value("timeout", None),
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("kustomize", Some('k')),
    value("dry-run", None),
    value("output", Some('o')),
    boolean("record", None),
    value("template", None),
    boolean("show-managed-fields", None),
    boolean("allow-missing-template-keys", None),
];

/// pflag's message for an integer flag that does not parse.
fn int_flag_error(flag: &str, v: &str) -> String {
    messages::flag_error(
        COMMAND,
        &format!(
            "invalid argument {v:?} for \"--{flag}\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
        ),
    )
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(COMMAND, &e)),
    };
    let Some(replicas) = p.value("replicas") else {
        return io.fail("Error: required flag(s) \"replicas\" not set\n");
    };
    let Ok(replicas) = replicas.parse::<i64>() else {
        return io.fail(int_flag_error("replicas", replicas));
    };
    let current: i64 = match p.value("current-replicas").map(str::parse).transpose() {
        Ok(c) => c.unwrap_or(-1),
        Err(_) => {
            return io.fail(int_flag_error(
                "current-replicas",
                p.value("current-replicas").unwrap_or(""),
            ));
        }
    };
    if replicas < 0 {
        return io.fail("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n");
    }
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    if p.args.is_empty() && p.values("filename").is_empty() {
        return io.fail(messages::DELETE_NEEDS_ARGS);
    }
    let found = match targets::resolve(ctx.cluster, &p, &p.args) {
        Ok(t) => t,
        Err(e) => return io.fail(e),
    };
    if found.len() > 1 && p.given("resource-version") {
        return io.fail("error: cannot use --resource-version with multiple resources\n");
    }
    let dry = match p.value("dry-run") {
        Some("client") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    };
    let mut count = 0;
    for t in &found {
        let Some(obj) = ctx.cluster.get(t.kind, &t.namespace, &t.name).cloned() else {
            return io.fail(format!("{}\n", t.not_found()));
        };
        count += 1;
        if dry == " (dry run)" {
            label::print(io, &format, t.kind, &obj, "scaled", dry);
            continue;
        }
        if !matches!(t.kind, Kind::Deployment | Kind::ReplicaSet) {
            return io.fail(
                "Error from server (NotFound): the server could not find the requested resource\n",
            );
        }
        let spec_replicas = meta::i64_at(&obj, &["spec", "replicas"]).unwrap_or(1);
        if current != -1 && current != spec_replicas {
            return io.fail(format!(
                "error: Expected replicas to be {current}, was {spec_replicas}\n"
            ));
        }
        if let Some(rv) = p.value("resource-version") {
            let actual = meta::str_at(&obj, &["metadata", "resourceVersion"]);
            if rv != actual {
                return io.fail(format!(
                    "error: Expected resource version to be {rv}, was {actual}\n"
                ));
            }
        }
        if dry.is_empty() && spec_replicas != replicas {
            let mut updated = obj.clone();
            meta::set(&mut updated, &["spec", "replicas"], json!(replicas));
            if let Err(e) = ctx.cluster.update(t.kind, updated) {
                return io.fail(format!("{e}\n"));
            }
        }
        label::print(io, &format, t.kind, &obj, "scaled", dry);
    }
    if count == 0 {
        io.fail("error: no objects passed to scale\n");
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::kubectl::testkit::Kit;

    fn replicas(k: &Kit, kind: crate::engine::Kind, ns: &str, name: &str) -> Option<i64> {
        let obj = k.cluster.get(kind, ns, name)?;
        crate::engine::objects::meta::i64_at(obj, &["spec", "replicas"])
    }

    #[test]
    fn scales_a_deployment_and_its_pods_follow() {
        let mut k = Kit::new();
        assert_eq!(
            k.ok("scale -n kube-system deploy/coredns --replicas=3"),
            "deployment.apps/coredns scaled\n"
        );
        assert_eq!(
            replicas(
                &k,
                crate::engine::Kind::Deployment,
                "kube-system",
                "coredns"
            ),
            Some(3)
        );
        k.wait(30);
        let pods = k.pods("kube-system");
        assert_eq!(pods.iter().filter(|p| p.starts_with("coredns-")).count(), 3);
        assert_eq!(
            k.ok("scale deployment coredns --replicas 1 -n kube-system --dry-run=client"),
            "deployment.apps/coredns scaled (dry run)\n"
        );
        assert_eq!(
            replicas(
                &k,
                crate::engine::Kind::Deployment,
                "kube-system",
                "coredns"
            ),
            Some(3)
        );
    }

    #[test]
    fn scale_errors_use_kubectl_words() {
        let mut k = Kit::new().with_demo_daemonset();
        assert_eq!(
            k.err("scale ds/demo-daemon -n dev-system --replicas=2"),
            "Error from server (NotFound): the server could not find the requested resource\n"
        );
        assert_eq!(
            k.err("scale deploy/coredns"),
            "Error: required flag(s) \"replicas\" not set\n"
        );
        assert_eq!(
            k.err("scale deploy/nope --replicas=2"),
            "Error from server (NotFound): deployments.apps \"nope\" not found\n"
        );
        assert_eq!(
            k.err("scale -n kube-system deploy/coredns --replicas=3 --current-replicas=5"),
            "error: Expected replicas to be 5, was 2\n"
        );
        assert_eq!(
            k.err("scale deploy/coredns --replicas=-1"),
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
        );
        assert_eq!(
            k.err("scale deploy/coredns --replicas=two"),
            "Error: invalid argument \"two\" for \"--replicas\" flag: strconv.ParseInt: parsing \"two\": invalid syntax\nSee 'kubectl scale --help' for usage.\n"
        );
        assert!(
            k.err("scale --replicas=2")
                .starts_with("error: You must provide one or more resources")
        );
    }
}
