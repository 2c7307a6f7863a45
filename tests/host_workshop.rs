//! The workshop's host (issue 13): chapter 7 played step by step from `start: none`,
//! kind's and docker's transcripts (golden files under `tests/host/`), the kubeconfig
//! kubectl depends on, and bad input to kind. `UPDATE_GOLDEN=1` rewrites the golden files.

mod support;

use kubetutor::content::Start;
use kubetutor::engine::Cluster;
use kubetutor::session::start::world;
use kubetutor::shell::{Output, Shell};

const KIND_CONFIG: &str = "cat <<EOF >~/environment/000-four-node-cluster.yaml
# four-node (three workers) cluster config
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: kind
nodes:
- role: control-plane
- role: worker
- role: worker
- role: worker
EOF
";

struct Host {
    cluster: Cluster,
    shell: Shell,
}

impl Host {
    fn new(start: Start) -> Host {
        let (cluster, shell) = world(start, 1, 3);
        Host { cluster, shell }
    }

    fn run(&mut self, line: &str) -> Output {
        self.shell.run(line, &mut self.cluster)
    }

    /// Runs `line`, which must succeed; returns stdout and stderr together.
    fn ok(&mut self, line: &str) -> String {
        let out = self.run(line);
        assert_eq!(out.status, 0, "{line}: {out:?}");
        format!("{}{}", out.stdout, out.stderr)
    }

    fn installed_kind(&mut self) {
        self.ok("curl -Lo ./kind https://kind.sigs.k8s.io/dl/v0.11.1/kind-linux-amd64");
        self.ok("chmod +x ./kind");
        self.ok("sudo mv ./kind /usr/local/bin/kind");
    }

    fn created(&mut self) -> String {
        self.installed_kind();
        self.ok(KIND_CONFIG);
        self.ok("kind create cluster --config ~/environment/000-four-node-cluster.yaml")
    }

    fn installed_kubectl(&mut self) {
        self.ok(r#"curl -LO "https://dl.k8s.io/release/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl""#);
        self.ok(r#"curl -LO "https://dl.k8s.io/release/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl.sha256""#);
        assert_eq!(
            self.ok(r#"echo "$(<kubectl.sha256)  kubectl" | sha256sum --check"#),
            "kubectl: OK\n"
        );
        self.ok("sudo install -o root -g root -m 0755 kubectl /usr/local/bin/kubectl");
        self.ok("rm kubectl*");
    }
}

fn golden(name: &str, actual: &str) {
    let path = format!("{}/tests/host/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(actual, expected, "{path} differs");
}

const REFUSED: &str = "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n";

#[test]
fn chapter7_before_anything_there_is_no_kind_no_kubectl_and_no_cluster() {
    let mut h = Host::new(Start::None);
    let out = h.run("kind version");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        ("bash: kind: command not found\n", 127)
    );
    let out = h.run("kubectl get nodes");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        ("bash: kubectl: command not found\n", 127)
    );
    assert_eq!(h.run("which kind").status, 1);
    assert!(
        h.run("cat ~/.kube/config")
            .stderr
            .contains("No such file or directory")
    );
    assert_eq!(h.ok("ls"), "Dockerfile  index.php\n");
}

#[test]
fn chapter7_step1_installs_kind() {
    let mut h = Host::new(Start::None);
    let out = h.run("curl -Lo ./kind https://kind.sigs.k8s.io/dl/v0.11.1/kind-linux-amd64");
    assert_eq!(out.status, 0);
    assert!(
        out.stderr.starts_with("  % Total    % Received % Xferd"),
        "{out:?}"
    );
    assert_eq!(
        h.run("./kind version").stderr,
        "bash: ./kind: Permission denied\n"
    );
    h.ok("chmod +x ./kind");
    assert!(
        h.ok("ls -l kind")
            .starts_with("-rwxr-xr-x 1 learner learner")
    );
    let out = h.run("mv ./kind /usr/local/bin/kind");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        (
            "mv: cannot move './kind' to '/usr/local/bin/kind': Permission denied\n",
            1
        )
    );
    h.ok("sudo mv ./kind /usr/local/bin/kind");
    assert_eq!(h.ok("which kind"), "/usr/local/bin/kind\n");
    assert_eq!(h.ok("type kind"), "kind is /usr/local/bin/kind\n");
    assert_eq!(h.ok("kind version"), "kind v0.11.1 go1.16.4 linux/amd64\n");
    assert!(!h.shell.vfs().exists("/", "/home/learner/environment/kind"));
}

#[test]
fn chapter7_step2_writes_the_cluster_config() {
    let mut h = Host::new(Start::None);
    h.ok(KIND_CONFIG);
    assert!(
        h.ok("cat ~/environment/000-four-node-cluster.yaml")
            .contains("role: control-plane")
    );
}

#[test]
fn chapter7_step3_kind_create_cluster_prints_its_transcript_and_builds_the_cluster() {
    let mut h = Host::new(Start::None);
    let transcript = h.created();
    golden("kind-create.txt", &transcript);
    assert_eq!(h.cluster.count(kubetutor::engine::Kind::Node), 4);
    assert_eq!(h.ok("kind get clusters"), "kind\n");
    assert_eq!(
        h.ok("kind get nodes"),
        "kind-worker3\nkind-worker2\nkind-worker\nkind-control-plane\n"
    );
    let meta = h
        .shell
        .vfs()
        .meta("/", "/home/learner/.kube/config")
        .unwrap();
    assert_eq!(meta.mode, 0o600);
}

#[test]
fn chapter7_step4_installs_kubectl_with_its_checksum() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    assert_eq!(
        h.ok("ls"),
        "000-four-node-cluster.yaml  Dockerfile  index.php\n"
    );
    assert!(
        h.ok("kubectl version --client")
            .starts_with("Client Version: version.Info{Major:\"1\", Minor:\"21\"")
    );
    assert_eq!(h.ok("which kubectl"), "/usr/local/bin/kubectl\n");
    assert!(
        h.ok("ls -l /usr/local/bin/kubectl")
            .starts_with("-rwxr-xr-x 1 root root")
    );
}

#[test]
fn chapter7_step5_nodes_are_as_old_as_kind_create() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    // The chapter's capture was taken about a minute after kind returned.
    h.ok("sleep 56");
    golden("get-nodes.txt", &h.ok("kubectl get nodes"));
}

#[test]
fn chapter7_kubeconfig_moved_away_and_back() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    golden(
        "kubeconfig-cut.txt",
        &h.ok("cat ~/.kube/config | cut -c 1-40"),
    );
    h.ok("mv ~/.kube/config moved-config");
    let out = h.run("kubectl get nodes");
    assert_eq!((out.stderr.as_str(), out.status), (REFUSED, 1));
    let out = h.run("kubectl version");
    assert!(out.stdout.starts_with("Client Version: "), "{out:?}");
    assert_eq!((out.stderr.as_str(), out.status), (REFUSED, 1));
    h.ok("mv moved-config ~/.kube/config");
    assert!(h.ok("kubectl get nodes").contains("kind-worker3"));
    // $KUBECONFIG is read instead of ~/.kube/config.
    h.ok("mv ~/.kube/config other");
    assert_eq!(h.run("kubectl get ns").status, 1);
    h.ok("export KUBECONFIG=~/environment/other");
    assert!(h.ok("kubectl get ns").contains("kube-system"));
}

#[test]
fn chapter7_step6_no_pods_in_default() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    let out = h.run("kubectl get pods");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.status),
        ("", "No resources found in default namespace.\n", 0)
    );
}

#[test]
fn chapter7_step7_fifteen_system_pods() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    let pods = h.ok("kubectl get pods --all-namespaces # or -A for short");
    assert_eq!(pods.lines().count(), 16, "{pods}");
    assert!(pods.contains("etcd-kind-control-plane"));
}

#[test]
fn chapter7_step8_namespaces() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    golden("get-ns.txt", &h.ok("kubectl get namespaces"));
}

#[test]
fn port_agrees_between_kubeconfig_cluster_info_and_config_view() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    let port = h.shell.host().cluster.as_ref().unwrap().port;
    let server = format!("https://127.0.0.1:{port}");
    assert!(
        h.ok("cat ~/.kube/config")
            .contains(&format!("server: {server}\n"))
    );
    assert!(h.ok("kubectl cluster-info").starts_with(&format!(
        "Kubernetes control plane is running at {server}\n"
    )));
    assert!(
        h.ok("kubectl config view")
            .contains(&format!("server: {server}\n"))
    );
}

#[test]
fn tutor_start_writes_the_same_kubeconfig_and_keeps_todays_port() {
    let mut h = Host::new(Start::Tutor);
    assert!(
        h.ok("kubectl config view")
            .contains("server: https://127.0.0.1:39427\n")
    );
    assert!(h.ok("kubectl get nodes").contains("22h"));
    h.ok("mv ~/.kube/config x");
    assert_eq!(h.run("kubectl get nodes").stderr, REFUSED);
    assert_eq!(
        h.run("kubectl config current-context").stderr,
        "error: current-context is not set\n"
    );
    assert!(
        h.ok("kubectl run x --image y --dry-run=client -o yaml")
            .contains("name: x")
    );
    h.ok("mv x ~/.kube/config");
    assert_eq!(h.ok("kubectl config current-context"), "kind-kind\n");
    assert_eq!(h.ok("which kind"), "/usr/local/bin/kind\n");
}

#[test]
fn kind_load_puts_the_image_on_every_node_and_pods_start_from_it() {
    let mut h = Host::new(Start::Kind);
    h.ok("kubectl run before --image demo:1.0.0");
    h.ok("sleep 30");
    let status = h.ok(
        "kubectl get pod before -o jsonpath={.status.containerStatuses[0].state.waiting.reason}",
    );
    assert!(
        status == "ErrImagePull" || status == "ImagePullBackOff",
        "{status}"
    );
    golden("kind-load.txt", &h.ok("kind load docker-image demo:1.0.0"));
    assert_eq!(
        h.ok("kind load docker-image demo:1.0.0"),
        format!(
            "Image: \"demo:1.0.0\" with ID \"sha256:{}\" found to be already present on all nodes.\n",
            kubetutor::shell::host::DEMO_IMAGE_ID
        )
    );
    h.ok("kubectl run after --image demo:1.0.0");
    h.ok("sleep 30");
    assert!(
        h.ok("kubectl describe pod after")
            .contains("Container image \"demo:1.0.0\" already present on machine")
    );
    // The pod that failed before starts at its next retry.
    h.ok("sleep 400");
    assert_eq!(
        h.ok("kubectl get pod before -o jsonpath={.status.phase}"),
        "Running"
    );
}

#[test]
fn docker_images_table() {
    let mut h = Host::new(Start::None);
    golden("docker-images.txt", &h.ok("docker images demo:1.0.0"));
    assert_eq!(
        h.ok("docker images nothing"),
        "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
    );
    assert!(
        h.run("docker run demo:1.0.0")
            .stderr
            .contains("not simulated")
    );
}

#[test]
fn kind_refuses_bad_input() {
    let mut h = Host::new(Start::None);
    h.installed_kind();
    let out = h.run("kind create cluster --config missing.yaml");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        (
            "\x1b[31mERROR\x1b[0m: failed to create cluster: error reading file: open missing.yaml: no such file or directory\n",
            1
        )
    );
    h.ok("printf 'kind: Cluster\\napiVersion: kind.x-k8s.io/v1alpha3\\n' > old.yaml");
    assert!(
        h.run("kind create cluster --config old.yaml")
            .stderr
            .contains("unknown apiVersion: kind.x-k8s.io/v1alpha3")
    );
    h.ok("printf 'kind: Config\\napiVersion: kind.x-k8s.io/v1alpha4\\n' > k.yaml");
    assert!(
        h.run("kind create cluster --config k.yaml")
            .stderr
            .contains("unknown kind Config for apiVersion: kind.x-k8s.io/v1alpha4")
    );
    h.ok("printf 'kind: Cluster\\napiVersion: kind.x-k8s.io/v1alpha4\\nnodes:\\n- role: master\\n' > r.yaml");
    assert!(h.run("kind create cluster --config r.yaml").stderr.contains(
        "[invalid configuration for node 0: \"master\" is not a valid node role, must have at least one control-plane node]"
    ));
    assert_eq!(h.cluster.count(kubetutor::engine::Kind::Node), 0);
    let out = h.run("kind load docker-image demo:1.0.0");
    assert_eq!(
        out.stderr,
        "\x1b[31mERROR\x1b[0m: no nodes found for cluster \"kind\"\n"
    );
    assert_eq!(
        h.run("kind get clusters").stderr,
        "No kind clusters found.\n"
    );
    h.ok("kind create cluster");
    assert_eq!(h.cluster.count(kubetutor::engine::Kind::Node), 1);
    let out = h.run("kind create cluster");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        (
            "\x1b[31mERROR\x1b[0m: failed to create cluster: node(s) already exist for a cluster with the name \"kind\"\n",
            1
        )
    );
    assert_eq!(
        h.run("kind load docker-image nginx:1.21").stderr,
        "\x1b[31mERROR\x1b[0m: image: \"nginx:1.21\" not present locally\n"
    );
    assert!(h.run("kind export logs").stderr.contains("not simulated"));
    assert_eq!(
        h.ok("kind delete cluster"),
        "Deleting cluster \"kind\" ...\n"
    );
    assert_eq!(h.cluster.count(kubetutor::engine::Kind::Node), 0);
    assert_eq!(
        h.run("kind get clusters").stderr,
        "No kind clusters found.\n"
    );
}

#[test]
fn curl_answers_only_the_workshops_urls() {
    let mut h = Host::new(Start::None);
    assert_eq!(
        h.ok("curl -L -s https://dl.k8s.io/release/stable.txt"),
        "v1.21.1"
    );
    let out = h.run("curl -sLO https://example.com/x");
    assert_eq!((out.stderr.as_str(), out.status), ("", 6));
    let out = h.run("curl -LO https://example.com/x");
    assert_eq!(
        out.stderr,
        "curl: (6) Could not resolve host: example.com\n"
    );
}

#[test]
fn chapter8_api_resources_and_the_awk_one_liner() {
    let mut h = Host::new(Start::Kind);
    golden("api-resources.txt", &h.ok("kubectl api-resources"));
    let awk = r#"kubectl api-resources | awk 'BEGIN{ns="";nonns=""};/true/{ns=ns FS $1};/false/{nonns=nonns FS $1};END{print "namespaced: " ns; print ""; print "non-namespaced:" nonns}'"#;
    assert_eq!(
        h.ok(awk),
        "namespaced:  bindings configmaps endpoints events limitranges persistentvolumeclaims pods podtemplates replicationcontrollers resourcequotas secrets serviceaccounts services controllerrevisions daemonsets deployments replicasets statefulsets localsubjectaccessreviews horizontalpodautoscalers cronjobs jobs leases endpointslices events ingresses ingresses networkpolicies poddisruptionbudgets rolebindings roles csistoragecapacities\n\nnon-namespaced: componentstatuses namespaces nodes persistentvolumes mutatingwebhookconfigurations validatingwebhookconfigurations customresourcedefinitions apiservices tokenreviews selfsubjectaccessreviews selfsubjectrulesreviews subjectaccessreviews certificatesigningrequests flowschemas prioritylevelconfigurations ingressclasses runtimeclasses podsecuritypolicies clusterrolebindings clusterroles priorityclasses csidrivers csinodes storageclasses volumeattachments\n"
    );
}

#[test]
fn chapter8_alone_starts_from_a_fresh_kind_cluster_without_demo_on_the_nodes() {
    let mut h = Host::new(Start::Kind);
    let nodes = h.ok("kubectl get nodes");
    assert!(
        nodes.contains("kind-worker3") && nodes.contains("4m"),
        "{nodes}"
    );
    assert_eq!(h.ok("kind get clusters"), "kind\n");
    assert!(h.ok("ls").contains("000-four-node-cluster.yaml"));
    assert_eq!(h.ok("kubectl config current-context"), "kind-kind\n");
    let out = h.ok("kind load docker-image demo:1.0.0");
    assert_eq!(out.lines().count(), 4);
}

#[test]
fn dl_k8s_io_serves_a_release_with_and_without_release_in_the_path() {
    let mut h = Host::new(Start::None);
    h.ok(r#"curl -LO "https://dl.k8s.io/release/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl""#);
    h.ok(r#"curl -LO "https://dl.k8s.io/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl.sha256""#);
    assert_eq!(
        h.ok(r#"echo "$(<kubectl.sha256)  kubectl" | sha256sum --check"#),
        "kubectl: OK\n"
    );
    h.ok("echo tampered >> kubectl");
    let out = h.run(r#"echo "$(<kubectl.sha256)  kubectl" | sha256sum --check"#);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.status),
        (
            "kubectl: FAILED\n",
            "sha256sum: WARNING: 1 computed checksum did NOT match\n",
            1
        )
    );
    let out = h.run("echo \"$(<nothing)\"");
    assert_eq!(out.stderr, "bash: nothing: No such file or directory\n");
}

/// `kubetutor shell --start none` plays chapter 7's first lines from stdin.
#[test]
#[allow(clippy::disallowed_methods)] // starts the real kubetutor binary
fn the_headless_shell_starts_from_a_lesson_start() {
    let run = |args: &[&str], input: &str| {
        support::bin::feed(
            std::process::Command::new(env!("CARGO_BIN_EXE_kubetutor")).args(args),
            input,
        )
    };
    let out = run(
        &["shell", "--seed", "1", "--start", "none"],
        "kubectl get nodes\ndocker images demo\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bash: kubectl: command not found\n"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("demo         1.0.0"));
    let out = run(
        &["shell", "--start", "kind", "--seed", "1"],
        "kind get clusters\n",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "kind\n");
    let out = run(&["shell", "--start", "later"], "");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--start takes none, kind or tutor"),
        "{out:?}"
    );
}

/// The TUI draws a `start: none` lesson (no nodes yet) and the cluster `kind create` makes,
/// and shows kind's transcript without its colour escapes.
#[test]
fn the_tui_draws_no_cluster_then_the_one_kind_makes() {
    use kubetutor::session::Session;
    use kubetutor::tui::harness::Harness;
    let text = "---\ntitle: \"Meet\"\nstart: none\n---\n\n## Go\n\n{{< step >}}Make it.{{< /step >}}\n```bash\nkind create cluster\n```\n";
    let lesson = kubetutor::content::load_lesson("meet.md", text).unwrap();
    let session = Session::new(lesson, 1, 3);
    let mut h = Harness::with_session(session, 120, 40);
    let before = h.screen();
    assert!(!before.contains("kind-control-plane"));
    assert!(before.contains("# No cluster yet"), "{before}");
    assert!(!before.contains("cluster is ready"), "{before}");
    h.type_line("curl -sLo kind https://kind.sigs.k8s.io/dl/v0.11.1/kind-linux-amd64");
    h.type_line("chmod +x kind; sudo mv kind /usr/local/bin/");
    h.type_line("kind create cluster");
    let after = h.screen();
    assert!(after.contains("✓ Installing StorageClass 💾"), "{after}");
    assert!(!after.contains("[32m"), "{after}");
    assert!(after.contains("kind-control-plane"), "{after}");
}

#[test]
fn workers_are_not_ready_for_some_seconds_after_kind_create_returns() {
    let mut h = Host::new(Start::None);
    h.created();
    h.installed_kubectl();
    let ready = "kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}'";
    assert_eq!(
        h.ok(ready),
        "kind-control-plane=True kind-worker=False kind-worker2=False kind-worker3=False "
    );
    assert!(
        h.ok("kubectl describe node kind-worker")
            .contains("KubeletNotReady")
    );
    h.ok("sleep 12");
    assert_eq!(
        h.ok(ready),
        "kind-control-plane=True kind-worker=True kind-worker2=True kind-worker3=True "
    );
}

#[test]
fn kind_refuses_a_config_that_is_not_yaml_or_has_unknown_fields() {
    let mut h = Host::new(Start::None);
    h.installed_kind();
    h.ok("printf 'kind: [Cluster\\n' > bad.yaml");
    let out = h.run("kind create cluster --config bad.yaml");
    assert!(
        out.stderr.starts_with(
            "\x1b[31mERROR\x1b[0m: failed to create cluster: could not determine kind / apiVersion for config: "
        ),
        "{out:?}"
    );
    h.ok("printf 'kind: Cluster\\napiVersion: kind.x-k8s.io/v1alpha4\\nworkers: 3\\n' > f.yaml");
    assert!(h.run("kind create cluster --config f.yaml").stderr.contains(
        "unable to decode config: yaml: unmarshal errors:\n  line 3: field workers not found in type v1alpha4.Cluster"
    ));
    h.ok("printf 'kind: Cluster\\napiVersion: kind.x-k8s.io/v1alpha4\\nname: My_Cluster\\n' > n.yaml");
    assert!(
        h.run("kind create cluster --config n.yaml")
            .stderr
            .contains(
                "'My_Cluster' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`"
            )
    );
    h.ok(KIND_CONFIG);
    h.ok("kind create cluster --name dev --config ~/environment/000-four-node-cluster.yaml");
    assert_eq!(
        h.ok("kind get nodes --name dev"),
        "dev-worker3\ndev-worker2\ndev-worker\ndev-control-plane\n"
    );
    assert!(
        h.ok("cat ~/.kube/config")
            .contains("current-context: kind-dev\n")
    );
    let out = h.run("kind create cluster");
    assert!(
        out.stderr.contains("the tutor simulates one kind cluster"),
        "{out:?}"
    );
    assert_eq!(
        h.ok("kind delete cluster --name dev"),
        "Deleting cluster \"dev\" ...\n"
    );
    assert!(
        h.ok("cat ~/.kube/config")
            .contains("current-context: \"\"\n")
    );
    h.installed_kubectl();
    let out = h.run("kubectl version --client && kubectl get nodes");
    assert_eq!(out.stderr, REFUSED);
}

#[test]
fn kind_create_is_bounded_to_one_control_plane_and_100_workers() {
    let mut h = Host::new(Start::None);
    h.installed_kind();
    let workers = "- role: worker\n".repeat(101);
    h.ok(&format!(
        "cat > big.yaml <<'EOF'\nkind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n{workers}EOF\n"
    ));
    let out = h.run("kind create cluster --config big.yaml");
    assert!(
        out.stderr
            .contains("the tutor simulates at most 100 worker nodes; this config asks for 101"),
        "{out:?}"
    );
    h.ok("printf 'kind: Cluster\\napiVersion: kind.x-k8s.io/v1alpha4\\nnodes:\\n- role: control-plane\\n- role: control-plane\\n' > ha.yaml");
    assert!(
        h.run("kind create cluster --config ha.yaml")
            .stderr
            .contains("the tutor simulates one control-plane node; this config asks for 2")
    );
    assert_eq!(h.cluster.count(kubetutor::engine::Kind::Node), 0);
    assert!(h.shell.host().cluster.is_none());
}
