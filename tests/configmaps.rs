//! A `quotes` ConfigMap shaped like chapter 11's (our own text) through the tutor as a learner types it (`kubectl apply`
//! of a heredoc, then `get -o yaml|json`), compared with what a real kubectl prints for the
//! same manifest (`tests/fixtures/printers/quotes.expected.*`, pinned by `regen.sh` there
//! with `kubectl label --local -f quotes.yaml absent-key- -o yaml|json`). The manifest has
//! `data:` twice, a `|` block, and a `>` block whose lines end in spaces around a U+2013;
//! the printed values must match byte for byte.

use kubetutor::engine::Cluster;
use kubetutor::shell::Shell;
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/printers")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The lines of a top-level YAML mapping entry `key:` and its indented block.
fn yaml_section(text: &str, key: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line == format!("{key}:") {
            inside = true;
        } else if inside && !line.starts_with(' ') {
            break;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn applied_quotes() -> (Cluster, Shell) {
    let mut cluster = Cluster::kind(1, 3);
    let mut shell = Shell::new();
    let manifest = fixture("quotes.yaml");
    for line in [
        "kubectl create namespace dev".to_string(),
        format!("cat <<'EOF' | kubectl -n dev apply -f -\n{manifest}EOF"),
    ] {
        let out = shell.run(&line, &mut cluster);
        assert_eq!(out.status, 0, "{line}: {}", out.stderr);
    }
    (cluster, shell)
}

#[test]
fn quotes_data_prints_as_kubectl_prints_it_in_yaml() {
    let (mut cluster, mut shell) = applied_quotes();
    let out = shell.run("kubectl -n dev get configmaps quotes -o yaml", &mut cluster);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let expected = yaml_section(&fixture("quotes.expected.yaml"), "data");
    assert!(expected.contains("motto.txt: |\n"), "{expected}");
    assert_eq!(yaml_section(&out.stdout, "data"), expected);
}

#[test]
fn quotes_data_prints_as_kubectl_prints_it_in_json() {
    let (mut cluster, mut shell) = applied_quotes();
    let out = shell.run("kubectl -n dev get configmaps quotes -o json", &mut cluster);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let ours: Value = serde_json::from_str(&out.stdout).unwrap();
    let theirs: Value = serde_json::from_str(&fixture("quotes.expected.json")).unwrap();
    assert_eq!(ours["data"], theirs["data"]);
    // The value lines as text too: escapes and the non-ASCII dash as kubectl writes them.
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains(".txt\":"))
            .map(|l| l.trim().trim_end_matches(',').to_string())
            .collect()
    };
    assert_eq!(lines(&out.stdout), lines(&fixture("quotes.expected.json")));
}
