use crate::engine::value::json;

use super::*;

fn errors_of(obj: Value) -> Vec<String> {
    match validate(&obj) {
        Ok(()) => Vec::new(),
        Err(errs) => errs.errors().to_vec(),
    }
}

fn daemonset(spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"}, "spec": spec})
}

#[test]
fn lesson_daemonset_is_valid() {
    let ds = daemonset(json!({
        "selector": {"matchLabels": {"app": "demo-daemon"}},
        "template": {
            "metadata": {"labels": {"app": "demo-daemon"}},
            "spec": {
                "containers": [{"name": "demo", "image": "demo:1.0.0"}],
                "tolerations": [{"key": "VIPOnly", "operator": "Equal", "value": "true", "effect": "NoExecute"}]
            }
        }
    }));
    assert_eq!(validate(&ds), Ok(()));
}

#[test]
fn missing_selector_is_reported_on_the_spec() {
    let errs = errors_of(daemonset(json!({"template": {}})));
    assert_eq!(
        errs,
        vec![
            r#"ValidationError(DaemonSet.spec): missing required field "selector" in io.k8s.api.apps.v1.DaemonSetSpec"#
        ]
    );
}

#[test]
fn string_fields_accept_any_scalar_but_numbers_do_not() {
    let ds = daemonset(json!({
        "selector": {},
        "template": {"spec": {"containers": [], "tolerations": [{"value": true, "tolerationSeconds": "x"}]}}
    }));
    assert_eq!(
        errors_of(ds),
        vec![concat!(
            "ValidationError(DaemonSet.spec.template.spec.tolerations[0].tolerationSeconds): ",
            r#"invalid type for io.k8s.api.core.v1.Toleration.tolerationSeconds: got "string", expected "integer""#
        )]
    );
}

#[test]
fn integer_and_number_fields_accept_each_other() {
    let ds = daemonset(json!({"selector": {}, "template": {}, "minReadySeconds": 1.5}));
    assert_eq!(errors_of(ds), Vec::<String>::new());
}

#[test]
fn unknown_fields_come_in_sorted_order_before_missing_ones() {
    let ds = daemonset(json!({"zeta": 1, "alpha": 2, "template": {}}));
    assert_eq!(
        errors_of(ds),
        vec![
            r#"ValidationError(DaemonSet.spec): unknown field "alpha" in io.k8s.api.apps.v1.DaemonSetSpec"#,
            r#"ValidationError(DaemonSet.spec): unknown field "zeta" in io.k8s.api.apps.v1.DaemonSetSpec"#,
            r#"ValidationError(DaemonSet.spec): missing required field "selector" in io.k8s.api.apps.v1.DaemonSetSpec"#,
        ]
    );
}

#[test]
fn unknown_kinds_and_versions_are_skipped() {
    let obj = json!({"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"anything": 1}});
    assert_eq!(validate(&obj), Ok(()));
    let obj = json!({"apiVersion": "apps/v1beta2", "kind": "DaemonSet", "spec": 5});
    assert_eq!(validate(&obj), Ok(()));
}

#[test]
fn kind_and_api_version_problems_are_listed_together() {
    assert_eq!(
        errors_of(json!({})),
        vec!["apiVersion not set", "kind not set"]
    );
    assert_eq!(
        errors_of(json!({"apiVersion": 1, "kind": true})),
        vec!["apiVersion isn't string type", "kind isn't string type"]
    );
    assert_eq!(errors_of(json!("text")), vec!["invalid object to validate"]);
    assert_eq!(
        errors_of(json!({"apiVersion": "v1", "kind": "List"})),
        vec!["invalid object to validate"]
    );
}

#[test]
fn message_wraps_one_error_bare_and_several_in_brackets() {
    let one = ValidationErrors {
        errors: vec!["a".into()],
    };
    assert_eq!(
        one.message("STDIN"),
        "error validating \"STDIN\": error validating data: a; if you choose to ignore these errors, turn validation off with --validate=false"
    );
    let dup = ValidationErrors {
        errors: vec!["a".into(), "a".into()],
    };
    assert_eq!(dup.to_string(), "a");
    let many = ValidationErrors {
        errors: vec!["a".into(), "b".into(), "a".into()],
    };
    assert_eq!(many.to_string(), "[a, b]");
    assert_eq!(
        many.message("ds.yaml").split(':').next(),
        Some("error validating \"ds.yaml\"")
    );
}

#[test]
fn group_versions_parse_like_apimachinery() {
    assert_eq!(parse_group_version("v1"), Ok((String::new(), "v1".into())));
    assert_eq!(
        parse_group_version("apps/v1"),
        Ok(("apps".into(), "v1".into()))
    );
    assert_eq!(parse_group_version("/"), Ok((String::new(), String::new())));
    assert_eq!(
        parse_group_version("a/b/c"),
        Err("unexpected GroupVersion string: a/b/c".into())
    );
}
