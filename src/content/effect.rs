//! What a lesson command does, for judging a learner's different spelling by its effect: the
//! objects a write command (`kubectl apply|create`) declares, and whether a `kubectl get` reads
//! the same thing as another one. The session compares these with what the learner's commands
//! actually changed in the cluster. Pure; must not import the engine or the shell (file
//! contents arrive through a reader function).

use crate::api::value::Value;

use super::equivalence::{canonical_kubectl, yaml_documents};
use super::words::{Stage, stages};

/// An object a command writes, as its manifest declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// The kind as the API spells it (`DaemonSet`).
    pub kind: String,
    pub name: String,
    /// `metadata.namespace`, else the command's `-n`; `None` leaves it to the kind's scope.
    pub namespace: Option<String>,
    /// The manifest (for `kubectl create namespace X`, just its kind and name).
    pub manifest: Value,
}

/// The objects `command` writes with `kubectl apply` or `kubectl create`, manifests read from
/// heredocs, `< FILE`, `cat FILE |` or `-f FILE` (through `read`). Empty when the command
/// writes nothing this understands.
pub fn declared_objects(command: &str, read: &dyn Fn(&str) -> Option<String>) -> Vec<Declared> {
    let Ok(all) = stages(command.trim()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Pipelines: stages joined by `|`, split at `;`, `&&`, `||`.
    let mut pipeline: Vec<&Stage> = Vec::new();
    for stage in &all {
        if stage.separator != "|" {
            pipeline.clear();
        }
        pipeline.push(stage);
        out.extend(declared_by(&pipeline, read));
    }
    out
}

/// What the last stage of `pipeline` writes, when it is `kubectl apply|create`.
fn declared_by(pipeline: &[&Stage], read: &dyn Fn(&str) -> Option<String>) -> Vec<Declared> {
    let Some(stage) = pipeline.last() else {
        return Vec::new();
    };
    let words = &stage.words;
    if words.first().map(String::as_str) != Some("kubectl") {
        return Vec::new();
    }
    let tokens = canonical_kubectl(words.get(1..).unwrap_or(&[]));
    let value = |name: &str| {
        tokens
            .iter()
            .find_map(|t| t.strip_prefix(&format!("flag:{name}=")))
            .map(str::to_string)
    };
    let namespace = value("namespace");
    let verb = tokens.iter().find_map(|t| t.strip_prefix("verb:"));
    if !matches!(verb, Some("apply" | "create")) {
        return Vec::new();
    }
    if verb == Some("create")
        && let Some(ns) = tokens
            .iter()
            .find_map(|t| t.strip_prefix("res:namespaces/"))
    {
        return vec![Declared {
            kind: "Namespace".to_string(),
            name: ns.to_string(),
            namespace: None,
            manifest: crate::api::value::json!({"kind": "Namespace", "metadata": {"name": ns}}),
        }];
    }
    let source = match value("filename").as_deref() {
        Some("-") => stdin_of(pipeline, read),
        Some(file) => read(file),
        None => None,
    };
    let Some(text) = source else {
        return Vec::new();
    };
    yaml_documents(&text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|doc| crate::api::value::to_value(doc).ok())
        .filter_map(|manifest| {
            let kind = manifest.get("kind")?.as_str()?.to_string();
            let meta = manifest.get("metadata")?;
            let name = meta.get("name")?.as_str()?.to_string();
            let ns = meta
                .get("namespace")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| namespace.clone());
            Some(Declared {
                kind,
                name,
                namespace: ns,
                manifest,
            })
        })
        .collect()
}

/// The text the last stage of `pipeline` reads on stdin: its own `< FILE` or heredoc, else
/// what the first stage feeds the pipe (a heredoc, or `cat FILE`); `tee` passes it on.
fn stdin_of(pipeline: &[&Stage], read: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let last = pipeline.last()?;
    if let Some(file) = redirect_in(&last.words) {
        return read(&file);
    }
    if let Some(body) = &last.heredoc {
        return Some(body.clone());
    }
    let first = pipeline.first()?;
    if let Some(body) = &first.heredoc {
        return Some(body.clone());
    }
    if let Some(file) = redirect_in(&first.words) {
        return read(&file);
    }
    match first.words.as_slice() {
        [cat, file] if cat == "cat" => read(file),
        _ => None,
    }
}

/// `< FILE` or `<FILE` among a stage's words.
fn redirect_in(words: &[String]) -> Option<String> {
    let at = words.iter().position(|w| w.starts_with('<'))?;
    let word = words.get(at)?;
    match word.strip_prefix('<').filter(|f| !f.is_empty()) {
        Some(file) => Some(file.to_string()),
        None => words.get(at + 1).cloned(),
    }
}

/// Flags that change only how `kubectl get` prints or filters what it reads, never which
/// resource it reads: a learner may add them to a step's `get`.
const PRINT_FLAGS: &[&str] = &[
    "output",
    "selector",
    "show-labels",
    "label-columns",
    "no-headers",
    "field-selector",
    "sort-by",
    "watch",
    "show-kind",
];

/// True when `actual` reads what `expected` reads: both one `kubectl get` (or `describe`) of
/// the same resources and names in the same namespace; `actual` may add print and filter
/// flags (`-o wide`, `-l`, `--show-labels` ...).
pub fn same_read(expected: &str, actual: &str) -> bool {
    match (read_tokens(expected), read_tokens(actual)) {
        (Some(e), Some(a)) => {
            e.iter().all(|t| a.contains(t))
                && a.iter()
                    .filter(|t| !e.contains(t))
                    .all(|t| is_print_flag(t))
        }
        _ => false,
    }
}

fn is_print_flag(token: &str) -> bool {
    token.strip_prefix("flag:").is_some_and(|f| {
        let name = f.split_once('=').map_or(f, |(n, _)| n);
        PRINT_FLAGS.contains(&name)
    })
}

/// The canonical tokens of a one-stage `kubectl get|describe`.
fn read_tokens(command: &str) -> Option<Vec<String>> {
    let st = stages(command.trim()).ok()?;
    let [stage] = st.as_slice() else {
        return None;
    };
    if stage.words.first().map(String::as_str) != Some("kubectl") || stage.heredoc.is_some() {
        return None;
    }
    let tokens = canonical_kubectl(stage.words.get(1..).unwrap_or(&[]));
    let verb = tokens.iter().find_map(|t| t.strip_prefix("verb:"));
    matches!(verb, Some("get" | "describe")).then_some(tokens)
}

/// What `actual` does differently from `expected`, in the command's own spelling: the words
/// it lacks and the ones it adds. `None` when either is not one `kubectl` command.
pub fn difference(expected: &str, actual: &str) -> Option<String> {
    let one = |c: &str| -> Option<Vec<String>> {
        let st = stages(c.trim()).ok()?;
        let first = st.first()?;
        (first.words.first().map(String::as_str) == Some("kubectl"))
            .then(|| canonical_kubectl(first.words.get(1..).unwrap_or(&[])))
    };
    let (e, a) = (one(expected)?, one(actual)?);
    let lacks: Vec<String> = e
        .iter()
        .filter(|t| !a.contains(t))
        .map(|t| spell(t))
        .collect();
    let adds: Vec<String> = a
        .iter()
        .filter(|t| !e.contains(t) && !is_print_flag(t))
        .map(|t| spell(t))
        .collect();
    let mut parts = Vec::new();
    if !lacks.is_empty() {
        parts.push(format!("it lacks {}", lacks.join(", ")));
    }
    if !adds.is_empty() {
        parts.push(format!("it adds {}", adds.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A canonical token as the learner would type it.
fn spell(token: &str) -> String {
    match token.split_once(':') {
        Some(("verb", v)) => format!("the verb `{v}`"),
        Some(("res", r)) => format!("`{r}`"),
        Some(("flag", f)) => match f.split_once('=') {
            Some((name, value)) => format!("`--{name}={value}`"),
            None => format!("`--{f}`"),
        },
        Some(("arg", a)) => format!("`{a}`"),
        _ => format!("`{token}`"),
    }
}

/// Where `actual` does not hold what `wanted` sets, as a path (`spec.template.spec.containers[0].image`)
/// with both values; `None` when every field `wanted` sets has that value in `actual`.
pub fn first_difference(actual: &Value, wanted: &Value, path: &str) -> Option<String> {
    match (actual, wanted) {
        (Value::Object(a), Value::Object(w)) => w.iter().find_map(|(k, wv)| {
            let sub = if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            };
            match a.get(k) {
                Some(av) => first_difference(av, wv, &sub),
                None => Some(format!("{sub} is not set; the step's manifest sets {wv}")),
            }
        }),
        (Value::Array(a), Value::Array(w)) if a.len() == w.len() => a
            .iter()
            .zip(w)
            .enumerate()
            .find_map(|(i, (av, wv))| first_difference(av, wv, &format!("{path}[{i}]"))),
        (Value::Number(a), Value::Number(w)) if a.as_f64() == w.as_f64() => None,
        (a, w) if a == w => None,
        (a, w) => Some(format!("{path} is {a}; the step's manifest has {w}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS_APPLY: &str = "cat <<EOF | tee ~/environment/ns.yaml | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev-system\nEOF";

    #[test]
    fn a_heredoc_apply_declares_its_objects() {
        let d = declared_objects(NS_APPLY, &|_| None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].kind.as_str(), d[0].name.as_str()),
            ("Namespace", "dev-system")
        );
        let d = declared_objects("kubectl create namespace dev-system", &|_| None);
        assert_eq!(d[0].name, "dev-system");
    }

    #[test]
    fn files_are_read_through_f_redirects_and_cat() {
        let file = |p: &str| {
            (p == "ds.yaml").then(|| "kind: DaemonSet\nmetadata:\n  name: d\n".to_string())
        };
        for cmd in [
            "kubectl apply -n dev-system -f ds.yaml",
            "kubectl apply -n dev-system -f - < ds.yaml",
            "cat ds.yaml | kubectl -n dev-system apply -f -",
        ] {
            let d = declared_objects(cmd, &file);
            assert_eq!(d.len(), 1, "{cmd}");
            assert_eq!(d[0].namespace.as_deref(), Some("dev-system"), "{cmd}");
        }
        assert!(declared_objects("kubectl get pods", &file).is_empty());
    }

    #[test]
    fn a_get_with_added_print_flags_reads_the_same() {
        let step = "kubectl -n dev-system get pods";
        assert!(same_read(step, "kubectl get po -n dev-system -o wide"));
        assert!(same_read(
            step,
            "kubectl get pods -n dev-system -l app=x --show-labels"
        ));
        assert!(!same_read(step, "kubectl get pods"));
        assert!(!same_read(step, "kubectl get pods -A"));
        assert!(!same_read(step, "kubectl delete pods -n dev-system"));
    }

    #[test]
    fn the_difference_is_said_in_flags() {
        assert_eq!(
            difference("kubectl -n dev-system get pods", "kubectl get pods").as_deref(),
            Some("it lacks `--namespace=dev-system`")
        );
        assert_eq!(
            difference("kubectl get pods", "kubectl get pods -A").as_deref(),
            Some("it adds `--all-namespaces`")
        );
    }

    #[test]
    fn a_manifest_is_held_when_every_field_it_sets_matches() {
        let actual = crate::api::value::json!({"spec": {"a": 1, "b": [{"x": "y", "z": 2}]}});
        let wanted = crate::api::value::json!({"spec": {"b": [{"x": "y"}]}});
        assert_eq!(first_difference(&actual, &wanted, ""), None);
        let wrong = crate::api::value::json!({"spec": {"b": [{"x": "q"}]}});
        assert_eq!(
            first_difference(&actual, &wrong, "").as_deref(),
            Some("spec.b[0].x is \"y\"; the step's manifest has \"q\"")
        );
    }
}
