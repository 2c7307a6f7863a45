use crate::engine::value::{Value, json};

use super::*;
use crate::shell::kubectl::testkit::Kit;

fn two_container_pod(kit: &mut Kit) {
    kit.file(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: duo\n  labels:\n    app: duo\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: side\n    image: demo:1.0.0\n",
    );
    kit.ok("apply -f p.yaml");
    kit.wait(30);
}

#[test]
fn a_multi_container_pod_defaults_to_its_first_container_and_says_so() {
    let mut kit = Kit::new();
    two_container_pod(&mut kit);
    let out = kit.run("exec duo -- hostname");
    assert_eq!(out.stdout, "duo\n");
    assert_eq!(
        out.stderr,
        "Defaulted container \"web\" out of: web, side\n"
    );
    let out = kit.run("exec duo -q -- hostname");
    assert_eq!(out.stderr, "");
    let out = kit.run("exec -c side duo -- cat /var/www/html/index.php");
    assert!(out.stdout.contains("getenv(\"GREETING\")"), "{out:?}");
    assert_eq!(
        kit.err("exec duo -c nope -- ls"),
        "Error from server (BadRequest): container nope is not valid for pod duo\n"
    );
}

#[test]
fn flags_go_before_or_after_the_target_and_commands_keep_their_own_flags_after_dashes() {
    let mut kit = Kit::new();
    two_container_pod(&mut kit);
    let out = kit.run("exec -it duo -c side -- ls -a /var/www/html");
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.contains("index.php"));
    // Without `--` the command's own flags are kubectl's: pflag refuses them.
    assert_eq!(
        kit.err("exec duo ls -la"),
        "Error: unknown shorthand flag: 'l' in -la\nSee 'kubectl exec --help' for usage.\n"
    );
    let out = kit.run("exec duo -c side hostname");
    assert_eq!(out.stdout, "duo\n");
    assert_eq!(out.stderr, DEPRECATED);
}

#[test]
fn workloads_and_services_reach_a_pod_of_their_selector() {
    let mut kit = Kit::new();
    two_container_pod(&mut kit);
    kit.file(
        "svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: duo\nspec:\n  clusterIP: 10.96.3.3\n  selector:\n    app: duo\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  clusterIP: 10.96.3.4\n  selector:\n    app: nobody\n  ports:\n  - port: 80\n",
    );
    kit.ok("apply -f svc.yaml");
    assert_eq!(kit.run("exec svc/duo -c web -- hostname").stdout, "duo\n");
    let before = kit.cluster.now();
    assert_eq!(
        kit.err("exec service/empty -- hostname"),
        "error: timed out waiting for the condition\n"
    );
    assert_eq!(kit.cluster.now().0 - before.0, 60_000);
    assert_eq!(
        kit.err("exec svc/empty --pod-running-timeout=5s -- hostname"),
        "error: timed out waiting for the condition\n"
    );
    assert_eq!(
        kit.err("exec node/kind-worker -- hostname"),
        "error: cannot attach to *v1.Node: selector for *v1.Node not implemented\n"
    );
    assert_eq!(
        kit.err("exec foo/bar -- hostname"),
        "error: the server doesn't have a resource type \"foo\"\n"
    );
    assert_eq!(
        kit.err("exec rs/nope -- hostname"),
        "Error from server (NotFound): replicasets.apps \"nope\" not found\n"
    );
}

#[test]
fn finished_unscheduled_and_foreign_containers_are_refused() {
    let mut p = json!({"metadata": {"name": "duo"},
        "spec": {"containers": [{"name": "web"}]}, "status": {"phase": "Succeeded"}});
    assert_eq!(
        completed(&p).as_deref(),
        Some(
            "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"
        )
    );
    p["status"]["phase"] = json!("Pending");
    assert_eq!(completed(&p), None);
    assert_eq!(
        server_refusal(&p, "web").as_deref(),
        Some("Error from server (BadRequest): pod duo does not have a host assigned\n")
    );
    assert_eq!(
        server_refusal(&p, "db").as_deref(),
        Some("Error from server (BadRequest): container db is not valid for pod duo\n")
    );
    p["spec"]["nodeName"] = json!("kind-worker");
    assert_eq!(server_refusal(&p, "web"), None);
}

fn pod(
    name: &str,
    node: &str,
    phase: &str,
    ready_at: Option<&str>,
    restarts: i64,
    created: &str,
) -> Value {
    let mut conditions = vec![];
    if let Some(t) = ready_at {
        conditions.push(json!({"type": "Ready", "status": "True", "lastTransitionTime": t}));
    }
    json!({"metadata": {"name": name, "creationTimestamp": created},
        "spec": {"nodeName": node},
        "status": {"phase": phase, "conditions": conditions,
            "containerStatuses": [{"name": "c", "restartCount": restarts}]}})
}

#[test]
fn the_pod_reached_is_the_most_active_by_kubectls_active_pods_order() {
    let t0 = "2021-07-02T08:00:00Z";
    let t1 = "2021-07-02T08:01:00Z";
    let pending = pod("a", "", "Pending", None, 0, t0);
    let running_not_ready = pod("b", "n", "Running", None, 0, t0);
    let ready_late = pod("c", "n", "Running", Some(t1), 0, t0);
    let ready_early = pod("d", "n", "Running", Some(t0), 0, t1);
    let ready_early_restarted = pod("e", "n", "Running", Some(t0), 3, t0);
    let pick = |pods: &[&Value]| most_active(pods).map(|p| meta::name(p).to_string());
    assert_eq!(pick(&[&pending, &running_not_ready]).as_deref(), Some("b"));
    assert_eq!(
        pick(&[&running_not_ready, &ready_late]).as_deref(),
        Some("c")
    );
    // Ready longer wins over ready more recently.
    assert_eq!(pick(&[&ready_late, &ready_early]).as_deref(), Some("d"));
    // Then fewer restarts.
    assert_eq!(
        pick(&[&ready_early_restarted, &ready_early]).as_deref(),
        Some("d")
    );
    // Equals: the first by name.
    let twin = pod("f", "n", "Running", Some(t0), 0, t1);
    assert_eq!(pick(&[&ready_early, &twin]).as_deref(), Some("d"));
    assert_eq!(pick(&[]), None);
}

#[test]
fn go_durations_parse() {
    assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
    assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
    assert_eq!(parse_duration("5x"), None);
    assert_eq!(parse_duration("abc"), None);
}
