//! Whether a learner's command is "the step's command" for a step without a check: the same
//! kubectl verb, resource, names and flags in any order, pipes compared stage by stage, and
//! heredoc YAML compared as parsed documents. Pure; must not import the engine or the shell.

use super::words::{Stage, stages};

/// True when `actual` does what `expected` does, up to spelling (see the module doc).
pub fn equivalent(expected: &str, actual: &str) -> bool {
    let (Ok(a), Ok(b)) = (stages(expected.trim()), stages(actual.trim())) else {
        return false;
    };
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            x.separator == y.separator && same_heredoc(x, y) && normal(&x.words) == normal(&y.words)
        })
}

fn same_heredoc(a: &Stage, b: &Stage) -> bool {
    match (&a.heredoc, &b.heredoc) {
        (None, None) => true,
        (Some(x), Some(y)) => match (yaml_documents(x), yaml_documents(y)) {
            (Some(dx), Some(dy)) => dx == dy,
            _ => squeeze(x) == squeeze(y),
        },
        _ => false,
    }
}

/// The non-empty YAML documents of a text; `None` if it does not parse.
pub(super) fn yaml_documents(text: &str) -> Option<Vec<serde_yaml::Value>> {
    use serde::Deserialize;
    let mut docs = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value = serde_yaml::Value::deserialize(doc).ok()?;
        if !value.is_null() {
            docs.push(value);
        }
    }
    Some(docs)
}

fn squeeze(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// A stage's words in a canonical form: kubectl commands resolved, `tee` paths normalised.
fn normal(words: &[String]) -> Vec<String> {
    match words.first().map(String::as_str) {
        Some("kubectl") => kubectl(words.get(1..).unwrap_or(&[])),
        Some("tee") => words.iter().map(|w| home(w)).collect(),
        _ => words.to_vec(),
    }
}

fn home(path: &str) -> String {
    for prefix in ["$HOME", "${HOME}"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            return format!("~{rest}");
        }
    }
    path.to_string()
}

/// Flags that take a value, by canonical long name (kubectl's own short forms map onto these).
const VALUE_FLAGS: &[&str] = &[
    "namespace",
    "output",
    "selector",
    "filename",
    "container",
    "context",
    "kubeconfig",
    "field-selector",
    "sort-by",
    "template",
    "cluster",
    "user",
    "label-columns",
    "patch",
    "type",
    "image",
    "replicas",
    "grace-period",
    "timeout",
    "server",
    "token",
    "as",
    "server-dry-run",
    "dry-run",
    "for",
    "from-literal",
    "from-file",
    "port",
    "revision",
    "to-revision",
    "chunk-size",
];

fn long_name(short: char) -> Option<&'static str> {
    Some(match short {
        'n' => "namespace",
        'o' => "output",
        'l' => "selector",
        'f' => "filename",
        'c' => "container",
        'L' => "label-columns",
        'p' => "patch",
        'A' => "all-namespaces",
        'w' => "watch",
        'i' => "stdin",
        't' => "tty",
        'R' => "recursive",
        'k' => "kustomize",
        _ => return None,
    })
}

fn takes_value(name: &str) -> bool {
    VALUE_FLAGS.contains(&name)
}

/// `kubectl` arguments → sorted canonical tokens: `verb:…`, `res:TYPE[/NAME]`, `arg:…`, `flag:…`.
pub(super) fn canonical_kubectl(args: &[String]) -> Vec<String> {
    kubectl(args)
}

fn kubectl(args: &[String]) -> Vec<String> {
    let mut flags: Vec<String> = Vec::new();
    let mut positionals: Vec<String> = Vec::new();
    let mut i = 0;
    let mut push_flag = |name: &str, value: Option<&str>| {
        let value = match value {
            Some("true") if !takes_value(name) => None,
            other => other,
        };
        flags.push(match value {
            Some(v) if name == "filename" || name == "kubeconfig" => {
                format!("flag:{name}={}", home(v))
            }
            Some(v) => format!("flag:{name}={v}"),
            None => format!("flag:{name}"),
        });
    };
    while let Some(arg) = args.get(i) {
        i += 1;
        if let Some(long) = arg.strip_prefix("--").filter(|l| !l.is_empty()) {
            match long.split_once('=') {
                Some((name, value)) => push_flag(name, Some(value)),
                None if takes_value(long) => {
                    push_flag(long, args.get(i).map(String::as_str));
                    i += 1;
                }
                None => push_flag(long, None),
            }
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = short.chars();
            let letter = chars.next().unwrap_or('-');
            let attached = chars.as_str();
            let name = long_name(letter).map_or_else(|| letter.to_string(), str::to_string);
            if takes_value(&name) {
                if attached.is_empty() {
                    push_flag(&name, args.get(i).map(String::as_str));
                    i += 1;
                } else {
                    push_flag(&name, Some(attached.strip_prefix('=').unwrap_or(attached)));
                }
            } else {
                push_flag(&name, None);
                for c in attached.chars() {
                    push_flag(
                        &long_name(c).map_or_else(|| c.to_string(), str::to_string),
                        None,
                    );
                }
            }
        } else {
            positionals.push(arg.clone());
        }
    }
    let mut out = flags;
    out.extend(resource_words(&positionals));
    out.sort();
    out
}

/// The verb, the resource type (aliases resolved), names as `TYPE/NAME`, and other arguments.
fn resource_words(positionals: &[String]) -> Vec<String> {
    let Some(verb) = positionals.first() else {
        return Vec::new();
    };
    let mut out = vec![format!("verb:{verb}")];
    let resource_at = if matches!(verb.as_str(), "rollout" | "set") {
        2
    } else {
        1
    };
    if resource_at == 2
        && let Some(sub) = positionals.get(1)
    {
        out.push(format!("verb:{verb} {sub}"));
    }
    let rest = positionals.get(resource_at..).unwrap_or(&[]);
    let Some(first) = rest.first() else {
        return out;
    };
    if first.contains('/') {
        for word in rest {
            out.push(match word.split_once('/') {
                Some((kind, name)) => format!("res:{}/{name}", canonical(kind)),
                None => format!("arg:{word}"),
            });
        }
    } else {
        let kinds: Vec<String> = first.split(',').map(canonical).collect();
        let kind = kinds.join(",");
        if rest.len() == 1 {
            out.push(format!("res:{kind}"));
        }
        for name in rest.get(1..).unwrap_or(&[]) {
            out.push(format!("res:{kind}/{name}"));
        }
    }
    out
}

/// Resolves kubectl short names, singulars and plurals to `plural[.group]`, as the API's
/// resource table names them; a word it does not serve is compared as written.
fn canonical(kind: &str) -> String {
    match crate::api::resources::lookup(kind) {
        Some(kind) => kind.resource_with_group(),
        None => kind.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::equivalent;

    const SAME: &[(&str, &str)] = &[
        ("kubectl get nodes -o wide", "kubectl get no -owide"),
        (
            "kubectl get nodes -o wide",
            "kubectl  get node --output=wide",
        ),
        ("kubectl get nodes -o wide", "kubectl -o wide get nodes"),
        (
            "kubectl -n kube-system get daemonsets -o wide",
            "kubectl get ds -o wide --namespace kube-system",
        ),
        (
            "kubectl -n kube-system get daemonsets -o wide",
            "kubectl get daemonsets.apps -nkube-system -o=wide",
        ),
        (
            "kubectl -n kube-system get daemonsets -o wide",
            "kubectl get daemonset --namespace=kube-system -o wide",
        ),
        (
            "kubectl -n kube-system get pods -o wide -l k8s-app=kube-proxy",
            "kubectl get po -l 'k8s-app=kube-proxy' -owide -n kube-system",
        ),
        (
            "kubectl get ds demo-daemon -n dev-system",
            "kubectl get ds/demo-daemon -n dev-system",
        ),
        (
            "kubectl get node kind-worker3 -o jsonpath-as-json={.spec.taints[*]}",
            "kubectl get nodes kind-worker3 -o 'jsonpath-as-json={.spec.taints[*]}'",
        ),
        (
            "kubectl describe node kind-control-plane | grep Taints",
            "kubectl describe no kind-control-plane|grep \"Taints\"",
        ),
        (
            "kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute",
            "kubectl taint node kind-worker3 VIPOnly=true:NoExecute",
        ),
        ("kubectl get pods -A", "kubectl get pods --all-namespaces"),
        (
            "kubectl get pods -A",
            "kubectl get pods --all-namespaces=true",
        ),
        (
            "cat <<EOF | tee ~/environment/a.yaml | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev-system\nEOF",
            "cat <<'END' | tee $HOME/environment/a.yaml | kubectl apply -f -\n# mine\nkind: Namespace\napiVersion: v1\nmetadata: {name: dev-system}\nEND",
        ),
    ];

    const DIFFERENT: &[(&str, &str)] = &[
        ("kubectl get nodes -o wide", "kubectl get nodes"),
        ("kubectl get nodes -o wide", "kubectl get pods -o wide"),
        (
            "kubectl get nodes -o wide",
            "kubectl describe nodes -o wide",
        ),
        ("kubectl -n kube-system get ds", "kubectl -n default get ds"),
        (
            "kubectl get ds demo-daemon -n dev-system",
            "kubectl get ds other -n dev-system",
        ),
        (
            "kubectl describe node kind-control-plane | grep Taints",
            "kubectl describe node kind-control-plane",
        ),
        (
            "kubectl describe node kind-control-plane | grep Taints",
            "kubectl describe node kind-control-plane | grep Labels",
        ),
        (
            "kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute",
            "kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute-",
        ),
        (
            "cat <<EOF | kubectl apply -f -\nkind: Namespace\nmetadata:\n  name: dev-system\nEOF",
            "cat <<EOF | kubectl apply -f -\nkind: Namespace\nmetadata:\n  name: prod\nEOF",
        ),
        (
            "cat <<EOF | tee ~/a.yaml\nx: 1\nEOF",
            "cat <<EOF | tee ~/b.yaml\nx: 1\nEOF",
        ),
        ("kubectl get pods", "kubectl get pods 'unterminated"),
    ];

    #[test]
    fn equivalent_spellings_are_accepted() {
        for (a, b) in SAME {
            assert!(equivalent(a, b), "expected equivalent:\n  {a}\n  {b}");
            assert!(equivalent(b, a), "expected symmetric:\n  {b}\n  {a}");
        }
    }

    #[test]
    fn different_commands_are_rejected() {
        for (a, b) in DIFFERENT {
            assert!(!equivalent(a, b), "expected different:\n  {a}\n  {b}");
        }
    }
}
