//! The world inside a pod: files, env, processes, DNS and Service routing, and bounds.

use std::time::Duration;

use crate::engine::Cluster;
use crate::shell::{Output, Shell};

/// The workshop's cluster with `dev/demo` (demo:1.0.0), Deployment `dev/web` (three
/// demo pods), Service `dev/web` on 80 → `http` named port, and `default/jumpbox` (nginx).
fn world() -> (Shell, Cluster) {
    let mut sh = Shell::new();
    let mut c = Cluster::kind(3, 3);
    let setup = r#"cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Namespace
metadata:
  name: dev
---
apiVersion: v1
kind: Pod
metadata:
  name: demo
  namespace: dev
spec:
  containers:
  - name: demo
    image: demo:1.0.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: dev
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: demo
        image: demo:1.0.0
        ports:
        - name: http
          containerPort: 80
        env:
        - name: GREETING
          value: Hi from
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: dev
spec:
  clusterIP: 10.96.7.7
  selector:
    app: web
  ports:
  - port: 8080
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata:
  name: jumpbox
  namespace: default
spec:
  containers:
  - name: jumpbox
    image: nginx
EOF"#;
    let out = sh.run(setup, &mut c);
    assert_eq!(out.status, 0, "{out:?}");
    c.advance(Duration::from_secs(30));
    (sh, c)
}

fn run(sh: &mut Shell, c: &mut Cluster, line: &str) -> Output {
    sh.run(line, c)
}

#[test]
fn names_resolve_through_the_search_list_with_ndots_5() {
    let (mut sh, mut c) = world();
    for (name, want) in [
        ("web", "10.96.7.7       web.dev.svc.cluster.local\n"),
        ("web.dev", "10.96.7.7       web.dev.svc.cluster.local\n"),
        ("web.dev.svc", "10.96.7.7       web.dev.svc.cluster.local\n"),
        (
            "web.dev.svc.cluster.local",
            "10.96.7.7       web.dev.svc.cluster.local\n",
        ),
        (
            "10-244-1-9.dev.pod.cluster.local",
            "10.244.1.9      10-244-1-9.dev.pod.cluster.local\n",
        ),
        (
            "localhost",
            "::1             localhost ip6-localhost ip6-loopback\n",
        ),
        ("demo", "10.244.3.2      demo\n"),
    ] {
        let out = run(
            &mut sh,
            &mut c,
            &format!("kubectl -n dev exec demo -- getent hosts {name}"),
        );
        assert_eq!(out.stdout, want, "{name}: {out:?}");
    }
    // From `default`, the short name is searched in default.svc.cluster.local only.
    let out = run(&mut sh, &mut c, "kubectl exec jumpbox -- getent hosts web");
    assert_eq!((out.stdout.as_str(), out.status), ("", 2));
    assert_eq!(out.stderr, "command terminated with exit code 2\n");
    let out = run(
        &mut sh,
        &mut c,
        "kubectl exec jumpbox -- curl -s http://nope.example.com",
    );
    assert_eq!(out.status, 6);
    let out = run(
        &mut sh,
        &mut c,
        "kubectl exec jumpbox -- curl http://nope.example.com",
    );
    assert_eq!(
        out.stderr,
        "curl: (6) Could not resolve host: nope.example.com\ncommand terminated with exit code 6\n"
    );
}

#[test]
fn a_service_spreads_connections_at_random_over_ready_endpoints_via_a_named_target_port() {
    let (mut sh, mut c) = world();
    let out = run(
        &mut sh,
        &mut c,
        "kubectl exec jumpbox -- bash -c 'for i in $(seq 60); do curl -s web.dev:8080; done' | sort | uniq -c",
    );
    assert_eq!(out.status, 0, "{out:?}");
    let counts: Vec<u32> = out
        .stdout
        .lines()
        .map(|l| {
            l.split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        })
        .collect();
    assert_eq!(counts.len(), 3, "{}", out.stdout);
    assert!(counts.iter().all(|n| *n >= 8), "{counts:?}");
    assert!(out.stdout.contains("Hi from web-"));
    // The Service's port is 8080; nothing routes 80.
    let out = run(&mut sh, &mut c, "kubectl exec jumpbox -- curl web.dev");
    assert_eq!(
        out.stderr,
        "curl: (7) Failed to connect to web.dev port 80: Connection timed out\ncommand terminated with exit code 7\n"
    );
    // A pod IP and a port nothing listens on.
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n dev exec demo -- curl localhost:8081",
    );
    assert_eq!(
        out.stderr,
        "curl: (7) Failed to connect to localhost port 8081: Connection refused\ncommand terminated with exit code 7\n"
    );
}

#[test]
fn the_same_seed_routes_the_same_way() {
    let draw = || {
        let (mut sh, mut c) = world();
        run(&mut sh, &mut c, "kubectl exec jumpbox -- bash -c 'for i in 1 2 3 4 5 6 7 8; do curl -s web.dev:8080; done'").stdout
    };
    assert_eq!(draw(), draw());
}

#[test]
fn service_variables_are_those_of_services_existing_when_the_container_started() {
    let (mut sh, mut c) = world();
    let late = "cat <<EOF | kubectl -n dev apply -f -\napiVersion: v1\nkind: Service\nmetadata:\n  name: late-one\nspec:\n  clusterIP: 10.96.8.8\n  selector:\n    app: web\n  ports:\n  - name: web\n    port: 81\nEOF";
    assert_eq!(run(&mut sh, &mut c, late).status, 0);
    let env = run(&mut sh, &mut c, "kubectl -n dev exec demo -- env").stdout;
    // The container started before the Service existed.
    assert!(!env.contains("LATE_ONE_SERVICE_HOST"), "{env}");
    let env = run(&mut sh, &mut c, "kubectl -n dev exec deployment/web -- printenv WEB_SERVICE_HOST WEB_PORT_8080_TCP_ADDR GREETING HOSTNAME").stdout;
    let lines: Vec<&str> = env.lines().collect();
    assert_eq!(&lines[..3], &["10.96.7.7", "10.96.7.7", "Hi from"], "{env}");
    assert!(lines[3].starts_with("web-"));
    let out = run(&mut sh, &mut c, "kubectl -n dev exec demo -- kill 1");
    assert_eq!(out, Output::default());
    c.advance(Duration::from_secs(2));
    let env = run(&mut sh, &mut c, "kubectl -n dev exec demo -- env").stdout;
    for var in [
        "LATE_ONE_SERVICE_HOST=10.96.8.8\n",
        "LATE_ONE_SERVICE_PORT=81\n",
        "LATE_ONE_SERVICE_PORT_WEB=81\n",
        "LATE_ONE_PORT=tcp://10.96.8.8:81\n",
        "LATE_ONE_PORT_81_TCP=tcp://10.96.8.8:81\n",
        "LATE_ONE_PORT_81_TCP_PROTO=tcp\n",
        "LATE_ONE_PORT_81_TCP_PORT=81\n",
        "LATE_ONE_PORT_81_TCP_ADDR=10.96.8.8\n",
    ] {
        assert!(
            env.contains(var),
            "a restart reads the env again: {var} in {env}"
        );
    }
    assert!(!env.contains("TERM="), "no TTY without -it");
}

#[test]
fn processes_and_files_are_the_containers_never_the_hosts() {
    let (mut sh, mut c) = world();
    let out = run(&mut sh, &mut c, "kubectl -n dev exec demo -- ps -ef");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "UID        PID  PPID  C STIME TTY          TIME CMD"
    );
    assert!(
        lines[1].starts_with("root         1     0  0 "),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(" ?        00:00:00 apache2 -DFOREGROUND"));
    assert!(lines[2].starts_with("www-data    16     1  0 "));
    assert!(lines.last().is_some_and(|l| l.ends_with("00:00:00 ps -ef")));
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n dev exec demo -- bash -c 'ps -eo pid,ppid,cmd | tail -2'",
    );
    assert_eq!(
        out.stdout,
        "   21     0 bash -c ps -eo pid,ppid,cmd | tail -2\n   22    21 ps -eo pid,ppid,cmd\n"
    );
    // The learner's home is not there.
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n dev exec demo -- ls /home/learner",
    );
    assert_eq!(out.status, 2, "{out:?}");
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n dev exec demo -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace",
    );
    assert_eq!(out.stdout, "dev");
    let out = run(&mut sh, &mut c, "kubectl -n dev exec demo -- pwd");
    assert_eq!(out.stdout, "/var/www/html\n");
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n dev exec demo -- kubectl get pods",
    );
    assert_eq!(out.status, 126);
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n dev exec demo -- bash -c 'kubectl get pods'",
    );
    assert_eq!(
        out.stderr,
        "bash: kubectl: command not found\ncommand terminated with exit code 127\n"
    );
}

#[test]
fn kill_1_inside_a_shell_stops_the_rest_of_it() {
    let (mut sh, mut c) = world();
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n dev exec demo -- bash -c 'kill 1; echo after'",
    );
    assert_eq!(out.stdout, "");
    // The exec returns once the kubelet restarted the container.
    let out = run(&mut sh, &mut c, "kubectl -n dev get pod demo --no-headers");
    assert_eq!(out.stdout, "demo   1/1   Running   1     31s\n");
    let out = run(&mut sh, &mut c, "kubectl -n dev exec demo -- kill 77");
    assert_eq!(
        out.stderr,
        "bash: kill: (77) - No such process\ncommand terminated with exit code 1\n"
    );
}

#[test]
fn an_endless_loop_inside_a_pod_streams_through_the_callers_pace_until_the_bound() {
    let (mut sh, mut c) = world();
    let before = c.now();
    let out = run(
        &mut sh,
        &mut c,
        "kubectl exec -it jumpbox -- /bin/bash -c \"while true; do curl -s http://web.dev.svc.cluster.local:8080; sleep 0.25; done\"",
    );
    // Headless, the loop inside the pod waits through the host shell's pace, so the
    // headless bound on open-ended streams stops it as Ctrl-C would.
    assert_eq!(out.status, 130, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("command terminated with exit code 130\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("kubetutor: stopped after 60s"),
        "{}",
        out.stderr
    );
    assert_eq!(sh.last_stop(), Some(crate::shell::stream::Stop::Bound));
    let lines = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("Hi from web-"))
        .count();
    // One answer per 0.25 s of the 60 s bound.
    assert!((230..=245).contains(&lines), "{lines}");
    let passed = c.now().0 - before.0;
    assert!((60_000..=61_000).contains(&passed), "{passed} ms");
}

#[test]
fn an_interactive_shell_runs_the_next_lines_inside_until_exit() {
    let (mut sh, mut c) = world();
    assert_eq!(sh.prompt(), "~/environment $ ");
    let out = run(&mut sh, &mut c, "kubectl -n dev exec -it demo -- bash");
    assert_eq!(out, Output::default());
    assert_eq!(sh.prompt(), "root@demo:/var/www/html# ");
    assert_eq!(
        run(&mut sh, &mut c, "cd /etc; cat hostname").stdout,
        "demo\n"
    );
    assert_eq!(sh.prompt(), "root@demo:/etc# ");
    assert_eq!(
        run(&mut sh, &mut c, "ls /home/learner").status,
        2,
        "the learner's home is not inside"
    );
    assert_eq!(run(&mut sh, &mut c, "cd ~; pwd").stdout, "/root\n");
    run(&mut sh, &mut c, "cd /etc");
    let out = run(&mut sh, &mut c, "exit 4");
    assert_eq!(out.stdout, "exit\n");
    assert_eq!(out.stderr, "command terminated with exit code 4\n");
    assert_eq!(out.status, 4);
    assert_eq!(sh.prompt(), "~/environment $ ");
    // kill 1 ends the session with the container.
    run(&mut sh, &mut c, "kubectl -n dev exec -it demo -- bash");
    let out = run(&mut sh, &mut c, "kill 1");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        ("command terminated with exit code 137\n", 137)
    );
    assert_eq!(sh.prompt(), "~/environment $ ");
    // An image without a shell: the runtime's refusal, no session.
    c.advance(Duration::from_secs(2));
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n kube-system exec -it deploy/coredns -- sh",
    );
    assert_eq!(out.status, 126);
    assert_eq!(sh.prompt(), "~/environment $ ");
}

#[test]
fn bad_urls_and_stdin_get_curls_and_kubectls_own_answers() {
    let (mut sh, mut c) = world();
    for (url, err, code) in [
        (
            "http://demo:99999",
            "curl: (3) Port number out of range\n",
            3,
        ),
        (
            "http://demo:8x",
            "curl: (3) Port number ended with 'x'\n",
            3,
        ),
        (
            "ftp://demo",
            "curl: (1) Protocol \"ftp\" not supported or disabled in libcurl\n",
            1,
        ),
        (
            "http://:80",
            "curl: (3) URL using bad/illegal format or missing URL\n",
            3,
        ),
    ] {
        let out = run(
            &mut sh,
            &mut c,
            &format!("kubectl -n dev exec demo -- curl {url}"),
        );
        assert_eq!(
            out.stderr,
            format!("{err}command terminated with exit code {code}\n"),
            "{url}"
        );
        assert_eq!(out.status, code);
    }
    assert_eq!(
        run(
            &mut sh,
            &mut c,
            "kubectl -n dev exec demo -- curl -s http://demo:"
        )
        .stdout,
        "Hello from demo\n"
    );
    // -i passes the line's input to the command; without it the command reads nothing.
    assert_eq!(
        run(
            &mut sh,
            &mut c,
            "echo hello | kubectl -n dev exec -i demo -- cat"
        )
        .stdout,
        "hello\n"
    );
    assert_eq!(
        run(
            &mut sh,
            &mut c,
            "echo hello | kubectl -n dev exec demo -- cat"
        )
        .stdout,
        ""
    );
    // Plain ps without a terminal: root's processes without one.
    let out = run(&mut sh, &mut c, "kubectl -n dev exec demo -- ps");
    assert_eq!(
        out.stdout,
        "  PID TTY          TIME CMD\n    1 ?        00:00:00 apache2\n   21 ?        00:00:00 ps\n"
    );
}

#[test]
fn a_host_network_pod_has_its_nodes_name() {
    let (mut sh, mut c) = world();
    let out = run(
        &mut sh,
        &mut c,
        "kubectl -n kube-system exec kube-proxy-$(kubectl -n kube-system get pods -l k8s-app=kube-proxy --field-selector spec.nodeName=kind-worker -o jsonpath='{.items[0].metadata.name}' | cut -d- -f3) -- bash -c 'hostname; cat /etc/hostname; echo $HOSTNAME'",
    );
    assert_eq!(
        out.stdout, "kind-worker\nkind-worker\nkind-worker\n",
        "{out:?}"
    );
}
