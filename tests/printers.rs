//! Golden tests for the structured printers: every expected file under
//! `tests/fixtures/printers/` was printed by a real kubectl (see `regen.sh` there), and our
//! printers must reproduce it byte for byte.

use kubetutor::api::json::to_json;
use kubetutor::api::jsonpath::Template;
use kubetutor::api::value::Value;
use kubetutor::shell::kubectl::printers::yaml::to_yaml;
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/printers")
        .join(name)
}

fn read(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Parses a fixture manifest (YAML or JSON) into the value kubectl would print.
fn load(name: &str) -> Value {
    serde_yaml::from_str(&read(name)).unwrap_or_else(|e| panic!("parsing {name}: {e}"))
}

/// Line-by-line diff context, so a failure shows where the first difference is.
fn assert_same(what: &str, ours: &str, expected: &str) {
    if ours == expected {
        return;
    }
    let line = ours
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| ours.lines().count().min(expected.lines().count()));
    panic!(
        "{what}: first difference at line {}\n--- ours\n{ours:?}\n--- kubectl\n{expected:?}",
        line + 1
    );
}

const MANIFESTS: &[&str] = &[
    "scalars",
    "numbers",
    "daemonset",
    "node-worker3",
    "pod",
    "folding",
];

#[test]
fn yaml_matches_kubectl_for_every_manifest() {
    for name in MANIFESTS {
        let v = load(&format!("{name}.yaml"));
        assert_same(name, &to_yaml(&v), &read(&format!("{name}.expected.yaml")));
    }
}

#[test]
fn json_matches_kubectl_for_every_manifest() {
    for name in MANIFESTS {
        let v = load(&format!("{name}.yaml"));
        assert_same(name, &to_json(&v), &read(&format!("{name}.expected.json")));
    }
}

#[test]
fn list_objects_print_like_kubectl_get() {
    let list = load("nodelist.json");
    assert_same(
        "nodelist yaml",
        &to_yaml(&list),
        &read("nodelist.expected.yaml"),
    );
    assert_same(
        "nodelist json",
        &to_json(&list),
        &read("nodelist.expected.json"),
    );
}

/// One pinned jsonpath run: input file, output mode, template, and what kubectl did.
struct Case {
    file: String,
    mode: String,
    template: String,
    exit: i32,
    stdout: String,
    stderr: String,
}

/// Reads `jsonpath.txt`: `=== file<TAB>mode<TAB>template`, then `--- exit N`, `--- stdout`
/// and `--- stderr` sections, each ending with one newline the writer added.
fn cases() -> Vec<Case> {
    // A sentinel header makes the last case end like the others.
    let text = format!("{}=== ", read("jsonpath.txt"));
    let mut out = Vec::new();
    for block in text.split("\n=== ").skip(1).filter(|b| !b.is_empty()) {
        let (header, rest) = block.split_once('\n').expect("case header");
        let mut fields = header.splitn(3, '\t');
        let file = fields.next().expect("file").to_string();
        let mode = fields.next().expect("mode").to_string();
        let template = fields.next().expect("template").to_string();
        let rest = rest.strip_prefix("--- exit ").expect("exit line");
        let (exit, rest) = rest.split_once('\n').expect("exit value");
        let rest = rest.strip_prefix("--- stdout\n").expect("stdout section");
        let (stdout, stderr) = rest.split_once("\n--- stderr\n").expect("stderr section");
        out.push(Case {
            file,
            mode,
            template,
            exit: exit.parse().expect("exit status"),
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
        });
    }
    out
}

/// What our printers make of one case, as (exit status, stdout, stderr).
fn run(case: &Case, input: &Value) -> (i32, String, String) {
    let result = Template::parse(&case.template).and_then(|t| match case.mode.as_str() {
        "jsonpath-as-json" => t.execute_as_json(input),
        _ => t.execute(input),
    });
    match result {
        Ok(stdout) => (0, stdout, String::new()),
        Err(e) => {
            let mut stderr = format!("error: {e}");
            if !stderr.ends_with('\n') {
                stderr.push('\n');
            }
            (1, String::new(), stderr)
        }
    }
}

#[test]
fn jsonpath_matches_kubectl_for_every_pinned_template() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} pinned templates", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let input = load(&case.file);
        let got = run(case, &input);
        let want = (case.exit, case.stdout.clone(), case.stderr.clone());
        if got != want {
            failures.push(format!(
                "{} -o {}={}\n  ours:    {:?}\n  kubectl: {:?}",
                case.file, case.mode, case.template, got, want
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn jsonpath_stays_fast_over_ten_thousand_pods() {
    let pod = load("pod.yaml");
    let list = kubetutor::api::value::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": vec![pod; 10_000],
        "metadata": {"resourceVersion": ""},
    });
    let template =
        Template::parse("{range .items[*]}{.metadata.name}{\"\\t\"}{..image}{\"\\n\"}{end}")
            .unwrap();
    let out = template.execute(&list).unwrap();
    assert_eq!(out.lines().count(), 10_000);
    assert!(out.starts_with("demo-daemon-pw67k\tdemo:1.0.0 docker.io/library/demo:1.0.0\n"));
    // Debug builds are slow per character; a fifth of the list keeps the suite quick.
    let items = list["items"]
        .as_array()
        .map(|a| a[..2_000].to_vec())
        .unwrap_or_default();
    let yaml = to_yaml(&kubetutor::api::value::json!({"items": items}));
    assert_eq!(yaml.matches("\n  kind: Pod\n").count(), 2_000);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Any string we print as YAML reads back as the same string.
        #[test]
        fn yaml_strings_round_trip(s in "[ a-z0-9:#'\"\\-\\t\\n\\\\{}\\[\\],&*!|>%@`?.~+_é\u{2028}\u{85}\u{1F600}\u{FEFF}\u{1}]{0,120}") {
            let v = kubetutor::api::value::json!({"key": s, s.clone(): [s.clone()]});
            let text = to_yaml(&v);
            let back: Value = serde_yaml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(back, v, "{}", text);
        }

        /// No template, however malformed, makes the engine panic.
        #[test]
        fn jsonpath_never_panics(t in "[{}\\[\\]().,*@$?='\"a-z0-9 :\\-\\\\!<>~]{0,40}") {
            let node = load("node-worker3.yaml");
            if let Ok(template) = Template::parse(&t) {
                let _ = template.execute(&node);
                let _ = template.execute_as_json(&node);
            }
        }
    }
}

/// Found by the jsonpath fuzz target (`fuzz/fuzz_targets/jsonpath.rs`, its input kept in
/// `tests/fixtures/printers/fuzz-slow-jsonpath.bin`): nested `range`s over `..` grow
/// exponentially; the template must stop with an error rather than hang the tutor.
#[test]
fn nested_ranges_over_recursive_descent_stop_instead_of_hanging() {
    use kubetutor::api::jsonpath::Template;
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/printers/fuzz-slow-jsonpath.bin"
    ))
    .unwrap();
    let template = String::from_utf8_lossy(&bytes);
    let node = kubetutor::api::value::json!({
        "kind": "Node", "metadata": {"name": "kind-worker3", "labels": {"kubernetes.io/hostname": "kind-worker3"}},
        "spec": {"taints": [{"effect": "NoExecute", "key": "VIPOnly", "value": "true"}]},
        "status": {"addresses": [{"type": "InternalIP", "address": "172.18.0.3"}], "capacity": {"cpu": "2"}}
    });
    let t = Template::parse(&template).unwrap();
    let err = t.execute(&node).unwrap_err().to_string();
    assert!(err.contains("the tutor stops it here"), "{err}");
}
