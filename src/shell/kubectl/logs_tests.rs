//! `kubectl logs` against the workshop cluster.

use super::*;
use crate::shell::kubectl::testkit::Kit;

#[test]
fn demo_pod_logs_are_stamped_from_its_start() {
    let mut k = Kit::new().with_demo_daemonset();
    let pod = k.pods("dev-system")[0].clone();
    let out = k.ok(&format!("logs -n dev-system {pod}"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].ends_with(&format!(" demo 1.0.0: starting as {pod}")),
        "{out}"
    );
    assert!(lines[0].starts_with("2021/07/02 "), "{out}");
    assert!(lines[2].ends_with("demo: listening on :8080"));
    let again = k.ok(&format!("logs -n dev-system pod/{pod} -c demo"));
    assert_eq!(again, out, "logs are deterministic");
    let tail = k.ok(&format!("logs -n dev-system {pod} --tail=1 --timestamps"));
    assert!(tail.starts_with("2021-07-02T"), "{tail}");
    assert!(tail.ends_with("demo: ready\n"), "{tail}");
    let ds = k.run("logs -n dev-system ds/demo-daemon");
    assert_eq!(ds.status, 0);
    assert!(
        ds.stderr.starts_with("Found 3 pods, using pod/"),
        "{}",
        ds.stderr
    );
    assert_eq!(ds.stdout.lines().count(), 4);
    let by_label = k.ok("logs -n dev-system -l app=demo-daemon --tail=1");
    assert_eq!(by_label.lines().count(), 3);
    assert!(
        by_label.lines().all(|l| l.ends_with("demo: ready")),
        "{by_label}"
    );
}

#[test]
fn a_starting_container_has_no_logs_yet() {
    let mut k = Kit::new();
    k.ok("run web --image=nginx");
    for _ in 0..100 {
        let p = k.cluster.get(Kind::Pod, "default", "web").unwrap();
        if pod::display_status(p) == "ContainerCreating" {
            break;
        }
        k.cluster.advance(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        k.err("logs web"),
        "Error from server (BadRequest): container \"web\" in pod \"web\" is waiting to start: ContainerCreating\n"
    );
    k.wait(30);
    assert!(
        k.ok("logs web")
            .contains("Configuration complete; ready for start up")
    );
}

#[test]
fn logs_errors_use_kubectl_words() {
    let mut k = Kit::new();
    assert_eq!(
        k.err("logs nope"),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
    assert_eq!(
        k.err("logs"),
        "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n"
    );
    let coredns = k
        .pods("kube-system")
        .into_iter()
        .find(|n| n.starts_with("coredns-"))
        .unwrap();
    assert_eq!(
        k.err(&format!("logs -n kube-system {coredns} -c nope")),
        format!("error: container nope is not valid for pod {coredns}\n")
    );
    assert!(
        k.ok(&format!("logs -n kube-system {coredns}"))
            .starts_with(".:53\n[INFO] plugin/reload")
    );
    assert_eq!(
        k.err(&format!("logs -n kube-system {coredns} -p")),
        format!(
            "Error from server (BadRequest): previous terminated container \"coredns\" in pod \"{coredns}\" not found\n"
        )
    );
    assert_eq!(
        k.err("logs a b c"),
        "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n"
    );
}
