//! Each condition kind and each operator, evaluated against a real simulated cluster and shell.

use super::evaluate::{EvalContext, Unmet, condition, evaluate, evaluate_step};
use super::progress::RanCommand;
use crate::content::{Check, Step, parse_condition};
use crate::engine::Cluster;
use crate::engine::clock::SimTime;
use crate::shell::Shell;

struct World {
    cluster: Cluster,
    shell: Shell,
    ran: Vec<RanCommand>,
}

impl World {
    fn new() -> World {
        World {
            cluster: Cluster::kind(1, 3),
            shell: Shell::new(),
            ran: Vec::new(),
        }
    }

    /// Runs a line in the shell and records it as run during the step.
    fn run(&mut self, line: &str) -> i32 {
        let before = super::progress::last_change(&self.cluster);
        let out = self.shell.run(line, &mut self.cluster);
        self.ran.push(RanCommand {
            line: line.to_string(),
            status: out.status,
            at: self.cluster.now(),
            changed: super::progress::touched_since(&self.cluster, before),
        });
        out.status
    }

    fn ctx(&self) -> EvalContext<'_> {
        EvalContext {
            cluster: &self.cluster,
            vfs: self.shell.vfs(),
            cwd: self.shell.cwd(),
            ran: &self.ran,
        }
    }

    fn check(&self, text: &str) -> Result<(), Unmet> {
        let c = parse_condition(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        condition(&c, &self.ctx())
    }
}

fn step(command: &str, check: Option<Check>) -> Step {
    Step {
        number: 1,
        title: "t".into(),
        caption: Vec::new(),
        command: Some(command.into()),
        command_lang: Some("bash".into()),
        example_output: None,
        check,
        line: 1,
    }
}

#[test]
fn query_on_a_named_object_runs_the_jsonpath_on_that_object() {
    let w = World::new();
    assert_eq!(
        w.check("kubectl get ns kube-system -o jsonpath={.status.phase} == Active"),
        Ok(())
    );
    let unmet = w
        .check("kubectl get node kind-worker -o jsonpath={.metadata.name} == kind-worker2")
        .unwrap_err();
    assert_eq!(unmet.observed, "\"kind-worker\"");
    assert_eq!(unmet.expected, "\"kind-worker2\"");
}

#[test]
fn query_without_a_name_sees_a_list_as_kubectl_does() {
    let w = World::new();
    assert_eq!(
        w.check("kubectl get pods -n kube-system -l k8s-app=kube-proxy -o jsonpath={.items[*].spec.nodeName} =~ kind-worker3 kind-worker kind-control-plane kind-worker2"),
        Ok(())
    );
    assert_eq!(
        w.check(
            "kubectl get pods -n kube-system -l k8s-app=kube-proxy -o jsonpath={.kind} == List"
        ),
        Ok(())
    );
    // -A looks in every namespace; without -A only in "default", which has no pods.
    assert_eq!(
        w.check("kubectl get pods -A -l k8s-app=kube-proxy -o jsonpath={.items[*].metadata.namespace} contains kube-system"),
        Ok(())
    );
    let unmet = w
        .check("kubectl get pods -o jsonpath={.items[*].metadata.name} contains kube-proxy")
        .unwrap_err();
    assert_eq!(unmet.observed, "nothing (empty output)");
}

#[test]
fn query_without_a_template_compares_the_names() {
    let w = World::new();
    assert_eq!(
        w.check("kubectl get nodes =~ kind-worker kind-worker2 kind-worker3 kind-control-plane"),
        Ok(())
    );
    assert_eq!(
        w.check("kubectl get node/kind-worker2 == kind-worker2"),
        Ok(())
    );
}

#[test]
fn query_on_a_missing_object_or_unknown_type_says_why() {
    let w = World::new();
    let unmet = w
        .check("kubectl get ds demo-daemon -n dev-system -o jsonpath={.status.numberReady} == 3")
        .unwrap_err();
    assert_eq!(
        unmet.observed,
        "no daemonsets.apps \"demo-daemon\" in namespace dev-system"
    );
    assert_eq!(unmet.expected, "\"3\"");
    // A bad resource word or selector never reaches evaluation: the lesson does not load.
    let bad = parse_condition("kubectl get gizmos == x").unwrap_err();
    assert!(bad.contains("gizmos"), "{bad}");
    let bad = parse_condition("kubectl get pods -l 'a in (b' == x").unwrap_err();
    assert!(bad.contains("unable to parse requirement"), "{bad}");
}

#[test]
fn a_template_error_is_reported_without_the_object_dump() {
    let w = World::new();
    let c =
        parse_condition("kubectl get nodes -o jsonpath={.items[9].metadata.name} == x").unwrap();
    let unmet = condition(&c, &w.ctx()).unwrap_err();
    assert!(unmet.observed.contains("jsonpath"), "{unmet}");
    assert!(!unmet.observed.contains('\n'));
}

#[test]
fn every_operator_holds_and_fails_on_cluster_values() {
    let w = World::new();
    let ds =
        "kubectl get ds kube-proxy -n kube-system -o jsonpath={.status.desiredNumberScheduled}";
    let taints = "kubectl get node kind-control-plane -o jsonpath={.spec.taints[*].key}";
    let table = [
        (format!("{ds} == 4"), format!("{ds} == 3")),
        (format!("{ds} != 3"), format!("{ds} != 4")),
        (format!("{ds} >= 4"), format!("{ds} >= 5")),
        (format!("{ds} <= 4"), format!("{ds} <= 3")),
        (format!("{ds} > 3"), format!("{ds} > 4")),
        (format!("{ds} < 5"), format!("{ds} < 4")),
        (
            format!("{taints} =~ node-role.kubernetes.io/master"),
            format!("{taints} =~ a b"),
        ),
        (
            format!("{taints} contains master"),
            format!("{taints} contains VIPOnly"),
        ),
        (
            format!("{taints} !contains VIPOnly"),
            format!("{taints} !contains master"),
        ),
    ];
    for (holds, fails) in table {
        assert_eq!(w.check(&holds), Ok(()), "{holds}");
        assert!(w.check(&fails).is_err(), "{fails}");
    }
    let unmet = w.check(&format!("{taints} !contains master")).unwrap_err();
    assert_eq!(unmet.observed, "\"node-role.kubernetes.io/master\"");
    assert_eq!(unmet.expected, "text without \"master\"");
    let unmet = w.check(&format!("{ds} >= 5")).unwrap_err();
    assert_eq!(unmet.expected, "a number >= \"5\"");
}

#[test]
fn exists_and_absent_follow_the_cluster() {
    let mut w = World::new();
    assert!(w.check("kubectl get ns dev-system exists").is_err());
    assert_eq!(w.check("kubectl get ns dev-system absent"), Ok(()));
    assert_eq!(w.run("kubectl create namespace dev-system"), 0);
    assert_eq!(w.check("kubectl get ns dev-system exists"), Ok(()));
    let unmet = w.check("kubectl get ns dev-system absent").unwrap_err();
    assert_eq!(unmet.observed, "it exists");
    assert_eq!(
        w.check("kubectl get ds kube-proxy -n kube-system exists"),
        Ok(())
    );
}

#[test]
fn file_conditions_read_the_virtual_files() {
    let mut w = World::new();
    let unmet = w.check("file ~/environment/a.yaml exists").unwrap_err();
    assert_eq!(unmet.observed, "No such file or directory");
    assert_eq!(w.run("echo 'kind: Namespace' > a.yaml"), 0);
    assert_eq!(w.check("file ~/environment/a.yaml exists"), Ok(()));
    assert_eq!(w.check("file a.yaml contains kind: Namespace"), Ok(()));
    let unmet = w
        .check("file ~/environment/a.yaml contains kind: DaemonSet")
        .unwrap_err();
    assert_eq!(
        unmet.to_string(),
        "file ~/environment/a.yaml contains kind: DaemonSet: observed the file does not contain \"kind: DaemonSet\", expected it contains \"kind: DaemonSet\""
    );
}

#[test]
fn ran_needs_an_equivalent_command_that_succeeded() {
    let mut w = World::new();
    let cond = "ran kubectl get nodes -o wide";
    let unmet = w.check(cond).unwrap_err();
    assert_eq!(
        unmet.to_string(),
        "ran kubectl get nodes -o wide: observed no command run during this step yet, expected this command, or an equivalent one, to succeed"
    );
    w.run("kubectl get pods");
    let unmet = w.check(cond).unwrap_err();
    assert_eq!(
        unmet.observed,
        "other commands only (the last that succeeded was \"ran kubectl get pods\": it lacks `--output=wide`, `nodes`; it adds `pods`)"
    );
    w.run("kubectl get nodes -o wide --no-such-flag");
    assert!(w.check(cond).is_err());
    w.run("kubectl get -o wide nodes");
    assert_eq!(w.check(cond), Ok(()));
}

#[test]
fn a_failed_equivalent_command_is_named_as_failed() {
    let mut w = World::new();
    let status = w.run("kubectl apply -f ~/environment/missing.yaml");
    assert_ne!(status, 0);
    let unmet = w
        .check("ran kubectl apply -f ~/environment/missing.yaml")
        .unwrap_err();
    assert_eq!(
        unmet.observed,
        format!("it ran but failed (exit status {status})")
    );
}

#[test]
fn a_check_holds_only_when_all_its_conditions_do() {
    let mut w = World::new();
    let check = Check {
        conditions: vec![
            parse_condition("ran kubectl create namespace demo").unwrap(),
            parse_condition("kubectl get ns demo -o jsonpath={.status.phase} == Active").unwrap(),
        ],
        line: 1,
    };
    assert!(evaluate(&check, &w.ctx()).is_err());
    w.run("kubectl create namespace demo");
    assert_eq!(evaluate(&check, &w.ctx()), Ok(()));
}

#[test]
fn a_step_without_a_check_waits_for_every_command_of_its_block() {
    let mut w = World::new();
    let s = step("kubectl get nodes\nkubectl -n kube-system get ds\n", None);
    let unmet = evaluate_step(&s, &w.ctx()).unwrap_err();
    assert_eq!(unmet.condition, "ran kubectl get nodes");
    w.run("kubectl get nodes");
    let unmet = evaluate_step(&s, &w.ctx()).unwrap_err();
    assert_eq!(unmet.condition, "ran kubectl -n kube-system get ds");
    w.run("kubectl get daemonsets --namespace kube-system");
    assert_eq!(evaluate_step(&s, &w.ctx()), Ok(()));
}

#[test]
fn a_heredoc_step_matches_the_same_yaml_and_is_named_by_its_first_line() {
    let mut w = World::new();
    let block = "cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\nEOF\n";
    let s = step(block, None);
    let unmet = evaluate_step(&s, &w.ctx()).unwrap_err();
    assert_eq!(unmet.condition, "ran cat <<EOF | kubectl apply -f - …");
    w.run("cat <<EOF | kubectl apply -f -\nkind: Namespace\napiVersion: v1\nmetadata: {name: demo}\nEOF");
    assert_eq!(evaluate_step(&s, &w.ctx()), Ok(()));
}

#[test]
fn a_step_with_a_check_ignores_its_command_block() {
    let mut w = World::new();
    let check = Check {
        conditions: vec![parse_condition("kubectl get ns demo exists").unwrap()],
        line: 1,
    };
    let s = step("kubectl create namespace demo", Some(check));
    w.ran.push(RanCommand {
        line: "kubectl create namespace demo".into(),
        status: 0,
        at: SimTime::default(),
        changed: Vec::new(),
    });
    assert!(evaluate_step(&s, &w.ctx()).is_err());
}

const NS_STEP: &str = "cat <<EOF | tee ~/environment/ns.yaml | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev-system\nEOF";

const DS_YAML: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\n  labels:\n    app: d\nspec:\n  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - name: c\n        image: demo:1.0.0\n";

/// Issue 15 item 8: a write step without a check is done by any command with its effect.
#[test]
fn a_write_step_is_done_by_a_command_with_the_same_effect() {
    let mut w = World::new();
    let s = step(NS_STEP, None);
    assert_eq!(w.run("kubectl create namespace dev-system"), 0);
    assert_eq!(evaluate_step(&s, &w.ctx()), Ok(()));

    let ds_step = step(
        &format!("cat <<EOF | kubectl -n dev-system apply -f -\n{DS_YAML}EOF"),
        None,
    );
    for cmd in [
        "kubectl apply -n dev-system -f ds.yaml",
        "kubectl apply -n dev-system -f - < ds.yaml",
    ] {
        let mut w = World::new();
        w.run("kubectl create namespace dev-system");
        w.ran.clear();
        let save = format!("cat <<'EOF' > ds.yaml\n{DS_YAML}EOF");
        assert_eq!(w.shell.run(&save, &mut w.cluster).status, 0);
        assert_eq!(w.run(cmd), 0, "{cmd}");
        assert_eq!(evaluate_step(&ds_step, &w.ctx()), Ok(()), "{cmd}");
    }
}

/// Issue 15 item 8: when the effect differs, the hint says exactly where.
#[test]
fn a_write_with_another_effect_says_what_differs() {
    let mut w = World::new();
    w.run("kubectl create namespace dev-system");
    w.ran.clear();
    let other = DS_YAML.replace("demo:1.0.0", "nginx");
    let save = format!("cat <<'EOF' > ds.yaml\n{other}EOF");
    assert_eq!(w.shell.run(&save, &mut w.cluster).status, 0);
    assert_eq!(w.run("kubectl apply -n dev-system -f ds.yaml"), 0);
    let ds_step = step(
        &format!("cat <<EOF | kubectl -n dev-system apply -f -\n{DS_YAML}EOF"),
        None,
    );
    let unmet = evaluate_step(&ds_step, &w.ctx()).unwrap_err();
    assert_eq!(
        unmet.observed,
        "DaemonSet d in namespace dev-system differs from the step's manifest: spec.template.spec.containers[0].image is \"nginx\"; the step's manifest has \"demo:1.0.0\""
    );
    let mut w = World::new();
    w.run("kubectl create namespace other");
    let unmet = evaluate_step(&step(NS_STEP, None), &w.ctx()).unwrap_err();
    assert_eq!(
        unmet.observed,
        "the step's command writes Namespace dev-system; your commands did not create or change it"
    );
}

/// Issue 15 item 8: a read step is done by the same `get` with print or filter flags added;
/// otherwise the hint names the flags that differ.
#[test]
fn a_read_step_accepts_added_print_flags_and_names_a_difference() {
    let mut w = World::new();
    let s = step("kubectl -n kube-system get pods", None);
    w.run("kubectl get pods -n kube-system -l k8s-app=kube-proxy -o wide");
    assert_eq!(evaluate_step(&s, &w.ctx()), Ok(()));
    let mut w = World::new();
    w.run("kubectl get pods");
    let unmet = evaluate_step(&s, &w.ctx()).unwrap_err();
    assert!(
        unmet
            .observed
            .ends_with(": it lacks `--namespace=kube-system`)"),
        "{}",
        unmet.observed
    );
}
