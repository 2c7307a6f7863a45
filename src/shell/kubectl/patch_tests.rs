//! `kubectl patch` against the workshop cluster.

use super::*;
use crate::shell::kubectl::testkit::Kit;

#[test]
fn strategic_patch_adds_a_toleration_and_the_daemonset_rolls_out() {
    let mut k = Kit::new().with_demo_daemonset();
    let patch = r#"'{"spec":{"template":{"spec":{"tolerations":[{"key":"node-role.kubernetes.io/master","operator":"Exists","effect":"NoSchedule"}]}}}}'"#;
    assert_eq!(
        k.ok(&format!("patch ds demo-daemon -n dev-system -p {patch}")),
        "daemonset.apps/demo-daemon patched\n"
    );
    assert_eq!(
        k.ok(&format!("patch ds demo-daemon -n dev-system -p {patch}")),
        "daemonset.apps/demo-daemon patched (no change)\n"
    );
    k.wait(120);
    let ds = k
        .cluster
        .get(Kind::DaemonSet, "dev-system", "demo-daemon")
        .unwrap();
    assert_eq!(
        meta::i64_at(ds, &["status", "desiredNumberScheduled"]),
        Some(4)
    );
}

#[test]
fn merge_and_json_patches_on_a_node() {
    let mut k = Kit::new();
    assert_eq!(
        k.ok(r#"patch node kind-worker --type merge -p '{"metadata":{"labels":{"disk":"ssd"}}}'"#),
        "node/kind-worker patched\n"
    );
    let node = k.cluster.get(Kind::Node, "", "kind-worker").unwrap();
    assert_eq!(meta::label(node, "disk"), Some("ssd"));
    assert_eq!(
        k.ok(r#"patch node/kind-worker --type=json -p '[{"op":"remove","path":"/metadata/labels/disk"}]'"#),
        "node/kind-worker patched\n"
    );
    assert_eq!(
        k.err(r#"patch node/kind-worker --type=json -p '[{"op":"remove","path":"/metadata/labels/disk"}]'"#),
        "The request is invalid\n"
    );
    assert_eq!(
        k.err(r#"patch node kind-worker --type json -p '{"op":"add"}'"#),
        "Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n"
    );
    assert_eq!(
        k.ok(r#"patch node kind-worker -p '{"spec":{"unschedulable":true}}'"#),
        "node/kind-worker patched\n"
    );
    assert!(k.ok("get node kind-worker").contains("SchedulingDisabled"));
}

#[test]
fn unknown_fields_are_dropped_so_nothing_changes() {
    let mut k = Kit::new();
    assert_eq!(
        k.ok(r#"patch node kind-worker -p '{"spec":{"colour":"blue"}}'"#),
        "node/kind-worker patched (no change)\n"
    );
    assert_eq!(
        k.ok(r#"patch node kind-worker -p '{"spec":{"unschedulable":true}}' --dry-run=client"#),
        "node/kind-worker patched (dry run)\n"
    );
}

#[test]
fn stored_objects_survive_pruning_unchanged() {
    let k = Kit::new().with_demo_daemonset();
    for kind in Kind::ALL {
        for obj in k.cluster.list(kind, None) {
            let mut pruned = obj.clone();
            crate::engine::admission::prune(&mut pruned, kind.api_version(), kind.name());
            assert_eq!(&pruned, obj, "{kind} {}", meta::name(obj));
        }
    }
}

#[test]
fn patch_errors_use_kubectl_words() {
    let mut k = Kit::new();
    assert_eq!(
        k.err("patch node kind-worker"),
        "error: must specify --patch or --patch-file containing the contents of the patch\n"
    );
    assert_eq!(
        k.err("patch node kind-worker -p '{}' --type apply"),
        "error: --type must be one of [json merge strategic], not \"apply\"\n"
    );
    assert_eq!(
        k.err("patch node kind-worker9 -p '{}'"),
        "Error from server (NotFound): nodes \"kind-worker9\" not found\n"
    );
    assert_eq!(
        k.err("patch node kind-worker -p '{}' --patch-file p.yaml"),
        "error: cannot specify --patch and --patch-file together\n"
    );
    assert_eq!(
        k.err("patch node kind-worker --patch-file p.yaml"),
        "error: unable to read patch file: open p.yaml: no such file or directory\n"
    );
    assert_eq!(
        k.err(r#"patch node kind-worker -p '{"metadata":{"name":"other"}}'"#),
        "Error from server (BadRequest): the name of the object (other) does not match the name on the URL (kind-worker)\n"
    );
    assert!(
        k.err("patch -p '{}'")
            .starts_with("error: You must provide one or more resources")
    );
}

#[test]
fn patch_file_in_yaml_and_output_yaml() {
    let mut k = Kit::new();
    k.file("p.yaml", "metadata:\n  annotations:\n    note: hi\n");
    let out = k.ok("patch node kind-worker --patch-file p.yaml -o yaml");
    assert!(out.contains("    note: hi\n"), "{out}");
    assert!(out.starts_with("apiVersion: v1\nkind: Node\n"));
}
