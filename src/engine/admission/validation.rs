//! The API server's validation of what is created or updated (apps/v1 and core/v1
//! `validation.go`), producing `Invalid` errors in its own words (fidelity §4.5).

use std::collections::BTreeMap;

use crate::engine::value::Value;

use crate::engine::error::{ApiError, FieldError};
use crate::engine::objects::Kind;
use crate::engine::objects::meta;
use crate::engine::objects::scheduling::LabelSelector;

/// Validates an object about to be created (`old` is None) or updated.
pub fn validate(kind: Kind, obj: &Value, old: Option<&Value>) -> Result<(), ApiError> {
    let mut errs = Vec::new();
    let name = meta::name(obj);
    if name.is_empty() {
        errs.push(fe(
            "metadata.name",
            "Required value: name or generateName is required",
        ));
    } else if kind == Kind::Namespace {
        if let Some(e) = dns1123_label(name) {
            errs.push(fe(
                "metadata.name",
                &format!("Invalid value: {:?}: {}", name, e),
            ));
        }
    } else if kind == Kind::Service {
        if let Some(e) = super::service::dns1035_label(name) {
            errs.push(fe(
                "metadata.name",
                &format!("Invalid value: {:?}: {}", name, e),
            ));
        }
    } else if let Some(e) = dns1123_subdomain(name) {
        errs.push(fe(
            "metadata.name",
            &format!("Invalid value: {:?}: {}", name, e),
        ));
    }
    match kind {
        Kind::DaemonSet | Kind::Deployment | Kind::ReplicaSet => {
            workload(kind, obj, old, &mut errs)
        }
        Kind::Pod => {
            if let Some(spec) = obj.get("spec") {
                pod_spec(spec, "spec", &mut errs);
            }
        }
        Kind::ConfigMap | Kind::Secret => super::config::validate(kind, obj, old, &mut errs),
        Kind::Service => super::service::validate(obj, old, &mut errs),
        _ => {}
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid {
            kind,
            name: name.to_string(),
            causes: errs,
        })
    }
}

fn fe(field: &str, body: &str) -> FieldError {
    FieldError {
        field: field.to_string(),
        body: body.to_string(),
    }
}

fn workload(kind: Kind, obj: &Value, old: Option<&Value>, errs: &mut Vec<FieldError>) {
    let selector_value = meta::at(obj, &["spec", "selector"]);
    let selector = LabelSelector::from_value(selector_value);
    let template_labels = meta::string_map(obj, &["spec", "template", "metadata", "labels"]);
    match &selector {
        Some(s) if s.is_empty() => errs.push(fe(
            "spec.selector",
            &format!(
                "Invalid value: {}: empty selector is invalid for {}",
                go_selector(s),
                kind.singular()
            ),
        )),
        None if selector_value.is_some() => {
            errs.push(fe(
                "spec.selector",
                "Invalid value: \"\": invalid label selector",
            ));
        }
        _ => {}
    }
    let matches = selector
        .as_ref()
        .is_some_and(|s| !s.is_empty() && s.matches(&template_labels));
    if !matches {
        errs.push(fe(
            "spec.template.metadata.labels",
            &format!(
                "Invalid value: {}: `selector` does not match template `labels`",
                go_string_map(&template_labels)
            ),
        ));
    }
    if let (Some(old), Some(sel)) = (old, &selector) {
        let old_sel = LabelSelector::from_value(meta::at(old, &["spec", "selector"]));
        if old_sel.as_ref() != Some(sel) {
            errs.push(fe(
                "spec.selector",
                &format!("Invalid value: {}: field is immutable", go_selector(sel)),
            ));
        }
    }
    if let Some(spec) = meta::at(obj, &["spec", "template", "spec"]) {
        pod_spec(spec, "spec.template.spec", errs);
        let policy = meta::str_at(spec, &["restartPolicy"]);
        if kind != Kind::Pod && !policy.is_empty() && policy != "Always" {
            errs.push(fe(
                "spec.template.spec.restartPolicy",
                &format!("Unsupported value: {policy:?}: supported values: \"Always\""),
            ));
        }
    }
    if let Some(r) = meta::i64_at(obj, &["spec", "replicas"]).filter(|r| *r < 0) {
        errs.push(fe(
            "spec.replicas",
            &format!("Invalid value: {r}: must be greater than or equal to 0"),
        ));
    }
}

fn pod_spec(spec: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let containers = spec.get("containers").and_then(Value::as_array);
    match containers {
        None => errs.push(fe(&format!("{path}.containers"), "Required value")),
        Some(cs) if cs.is_empty() => errs.push(fe(&format!("{path}.containers"), "Required value")),
        Some(cs) => {
            // A set: the names are checked in time linear in the containers.
            let mut names: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for (i, c) in cs.iter().enumerate() {
                let cpath = format!("{path}.containers[{i}]");
                let name = meta::str_at(c, &["name"]);
                if name.is_empty() {
                    errs.push(fe(&format!("{cpath}.name"), "Required value"));
                } else if names.contains(&name) {
                    errs.push(fe(
                        &format!("{cpath}.name"),
                        &format!("Duplicate value: {name:?}"),
                    ));
                } else if let Some(e) = dns1123_label(name) {
                    errs.push(fe(
                        &format!("{cpath}.name"),
                        &format!("Invalid value: {name:?}: {e}"),
                    ));
                }
                names.insert(name);
                if meta::str_at(c, &["image"]).trim().is_empty() {
                    errs.push(fe(&format!("{cpath}.image"), "Required value"));
                }
            }
        }
    }
    if let Some(tols) = spec.get("tolerations").and_then(Value::as_array) {
        for (i, t) in tols.iter().enumerate() {
            toleration(t, &format!("{path}.tolerations[{i}]"), errs);
        }
    }
}

/// `ValidateTolerations` (core validation).
fn toleration(t: &Value, path: &str, errs: &mut Vec<FieldError>) {
    let key = meta::str_at(t, &["key"]);
    let op = meta::str_at(t, &["operator"]);
    let value = meta::str_at(t, &["value"]);
    let effect = meta::str_at(t, &["effect"]);
    if !key.is_empty()
        && let Some(e) = qualified_name(key)
    {
        errs.push(fe(
            &format!("{path}.key"),
            &format!("Invalid value: {key:?}: {e}"),
        ));
    }
    if key.is_empty() && op != "Exists" {
        errs.push(fe(
            &format!("{path}.operator"),
            &format!("Invalid value: {op:?}: operator must be Exists when `key` is empty, which means \"match all values and all keys\""),
        ));
    }
    if t.get("tolerationSeconds").is_some_and(|s| !s.is_null()) && effect != "NoExecute" {
        errs.push(fe(
            &format!("{path}.effect"),
            &format!("Invalid value: {effect:?}: effect must be 'NoExecute' when `tolerationSeconds` is set"),
        ));
    }
    match op {
        "" | "Equal" => {
            if let Some(e) = label_value(value) {
                errs.push(fe(
                    &format!("{path}.operator"),
                    &format!("Invalid value: {value:?}: {e}"),
                ));
            }
        }
        "Exists" => {
            if !value.is_empty() {
                errs.push(fe(
                    &format!("{path}.operator"),
                    &format!(
                        "Invalid value: {}: value must be empty when `operator` is 'Exists'",
                        go_toleration(t)
                    ),
                ));
            }
        }
        other => errs.push(fe(
            &format!("{path}.operator"),
            &format!("Unsupported value: {other:?}: supported values: \"Equal\", \"Exists\""),
        )),
    }
    if !effect.is_empty() && !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect) {
        errs.push(fe(
            &format!("{path}.effect"),
            &format!("Unsupported value: {effect:?}: supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        ));
    }
}

/// Go's `%#v` of a `map[string]string`.
pub fn go_string_map(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", parts.join(", "))
}

/// Go's `%#v` of a `*v1.LabelSelector`.
fn go_selector(s: &LabelSelector) -> String {
    let labels = if s.match_labels.is_empty() {
        "map[string]string(nil)".to_string()
    } else {
        go_string_map(&s.match_labels)
    };
    let exprs =
        if s.match_expressions.is_empty() {
            "[]v1.LabelSelectorRequirement(nil)".to_string()
        } else {
            let items: Vec<String> = s
            .match_expressions
            .iter()
            .map(|r| {
                format!(
                    "v1.LabelSelectorRequirement{{Key:{:?}, Operator:{:?}, Values:[]string{{{}}}}}",
                    r.key,
                    r.operator,
                    r.values.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        };
    format!("&v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

/// Go's `%#v` of a `core.Toleration`.
fn go_toleration(t: &Value) -> String {
    let secs = match t.get("tolerationSeconds").and_then(Value::as_i64) {
        Some(s) => format!("(*int64)({s})"),
        None => "(*int64)(nil)".to_string(),
    };
    format!(
        "core.Toleration{{Key:{:?}, Operator:{:?}, Value:{:?}, Effect:{:?}, TolerationSeconds:{}}}",
        meta::str_at(t, &["key"]),
        meta::str_at(t, &["operator"]),
        meta::str_at(t, &["value"]),
        meta::str_at(t, &["effect"]),
        secs
    )
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `IsDNS1123Label`'s message, if `s` is not one.
pub fn dns1123_label(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 63
        && is_alnum(b[0])
        && is_alnum(b[b.len() - 1])
        && b.iter().all(|c| is_alnum(*c) || *c == b'-');
    if ok {
        return None;
    }
    if b.len() > 63 {
        return Some("must be no more than 63 characters".to_string());
    }
    Some("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string())
}

/// `IsDNS1123Subdomain`'s message, if `s` is not one.
pub fn dns1123_subdomain(s: &str) -> Option<String> {
    if s.len() > 253 {
        return Some("must be no more than 253 characters".to_string());
    }
    let ok = !s.is_empty()
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && is_alnum(b[0])
                && is_alnum(b[b.len() - 1])
                && b.iter().all(|c| is_alnum(*c) || *c == b'-')
        });
    if ok {
        None
    } else {
        Some("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string())
    }
}

fn name_part_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName`'s message (label keys, taint keys), if `s` is not one.
pub fn qualified_name(s: &str) -> Option<String> {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            return Some("prefix part must be non-empty".to_string());
        }
        if let Some(e) = dns1123_subdomain(p) {
            return Some(format!("prefix part {e}"));
        }
    }
    if name_part_ok(name) {
        None
    } else {
        Some("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_string())
    }
}

/// `IsValidLabelValue`'s message, if `s` is not one.
pub fn label_value(s: &str) -> Option<String> {
    if s.is_empty() || name_part_ok(s) {
        None
    } else if s.len() > 63 {
        Some("must be no more than 63 characters".to_string())
    } else {
        Some("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    fn ds(selector: Value, labels: Value) -> Value {
        json!({"metadata": {"name": "demo-daemon"}, "spec": {"selector": selector,
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "demo", "image": "demo:1.0.0"}]}}}})
    }

    #[test]
    fn duplicate_container_names_are_found_in_linear_time() {
        // 40,000 containers: comparing each name with all before it (as before) took
        // seconds in a debug build; a set takes milliseconds.
        let containers: Vec<Value> = (0..40_000)
            .map(|i| json!({"name": format!("c{i}"), "image": "demo:1.0.0"}))
            .chain([json!({"name": "c7", "image": "demo:1.0.0"})])
            .collect();
        let pod = json!({"metadata": {"name": "big"}, "spec": {"containers": containers}});
        let err = validate(Kind::Pod, &pod, None).err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains(
                "spec.containers[40000].name: Duplicate value: \"c7\""
            )),
            "{err:?}"
        );
    }

    #[test]
    fn selector_must_match_template_labels() {
        let err = validate(
            Kind::DaemonSet,
            &ds(json!({"matchLabels": {"app": "x"}}), json!({"app": "demo"})),
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "The DaemonSet \"demo-daemon\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"demo\"}: `selector` does not match template `labels`"
        );
    }

    #[test]
    fn bad_toleration_operator_is_unsupported() {
        let mut obj = ds(json!({"matchLabels": {"app": "d"}}), json!({"app": "d"}));
        obj["spec"]["template"]["spec"]["tolerations"] = json!([{"key": "VIPOnly", "operator": "equal", "value": "true", "effect": "NoExecute"}]);
        let err = validate(Kind::DaemonSet, &obj, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The DaemonSet \"demo-daemon\" is invalid: spec.template.spec.tolerations[0].operator: Unsupported value: \"equal\": supported values: \"Equal\", \"Exists\""
        );
    }

    #[test]
    fn missing_image_is_required() {
        let mut obj = ds(json!({"matchLabels": {"app": "d"}}), json!({"app": "d"}));
        obj["spec"]["template"]["spec"]["containers"][0]["image"] = json!("");
        let err = validate(Kind::DaemonSet, &obj, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The DaemonSet \"demo-daemon\" is invalid: spec.template.spec.containers[0].image: Required value"
        );
    }

    #[test]
    fn selector_is_immutable_on_update() {
        let old = ds(
            json!({"matchLabels": {"app": "d"}}),
            json!({"app": "d", "v": "2"}),
        );
        let new = ds(
            json!({"matchLabels": {"v": "2"}}),
            json!({"app": "d", "v": "2"}),
        );
        let err = validate(Kind::DaemonSet, &new, Some(&old)).unwrap_err();
        assert!(err.to_string().ends_with("field is immutable"), "{err}");
    }

    #[test]
    fn valid_lesson_daemonset_passes() {
        assert!(
            validate(
                Kind::DaemonSet,
                &ds(json!({"matchLabels": {"app": "d"}}), json!({"app": "d"})),
                None
            )
            .is_ok()
        );
    }
}
