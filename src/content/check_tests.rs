//! Table tests for check parsing and printing.

use super::check::{Check, Condition, FileTest, Op, from_comment, parse_condition};
use crate::api::query::{Query, QueryText};

fn parsed(text: QueryText) -> Query {
    Query::parse(text).unwrap()
}

/// `kubectl get RESOURCE NAME [-n NS]`, for `exists` / `absent`.
fn named(resource: &str, name: &str, ns: Option<&str>) -> Query {
    parsed(QueryText {
        resource: resource.into(),
        name: Some(name.into()),
        namespace: ns.map(Into::into),
        ..QueryText::default()
    })
}

fn query(
    resource: &str,
    name: Option<&str>,
    ns: Option<&str>,
    template: &str,
    op: Op,
    expected: &str,
) -> Condition {
    Condition::Query {
        query: parsed(QueryText {
            resource: resource.into(),
            name: name.map(Into::into),
            namespace: ns.map(Into::into),
            template: Some(template.into()),
            ..QueryText::default()
        }),
        op,
        expected: expected.into(),
    }
}

#[test]
fn conditions_parse_to_their_forms() {
    let table: Vec<(&str, Condition)> = vec![
        (
            "kubectl get ns dev-system -o jsonpath={.status.phase} == Active",
            query(
                "ns",
                Some("dev-system"),
                None,
                "{.status.phase}",
                Op::Eq,
                "Active",
            ),
        ),
        (
            "kubectl -n dev-system get ds demo-daemon -o jsonpath='{.status.numberReady}' >= 3",
            query(
                "ds",
                Some("demo-daemon"),
                Some("dev-system"),
                "{.status.numberReady}",
                Op::Ge,
                "3",
            ),
        ),
        (
            "kubectl get ds/demo-daemon --namespace=dev-system -o=jsonpath={.status.numberReady} != 0",
            query(
                "ds",
                Some("demo-daemon"),
                Some("dev-system"),
                "{.status.numberReady}",
                Op::Ne,
                "0",
            ),
        ),
        (
            "kubectl get node kind-worker3 -o jsonpath={.spec.taints[*].key} contains VIPOnly",
            query(
                "node",
                Some("kind-worker3"),
                None,
                "{.spec.taints[*].key}",
                Op::Contains,
                "VIPOnly",
            ),
        ),
        (
            "kubectl get node kind-worker3 -o jsonpath={.spec.taints[*].key} !contains VIPOnly",
            query(
                "node",
                Some("kind-worker3"),
                None,
                "{.spec.taints[*].key}",
                Op::NotContains,
                "VIPOnly",
            ),
        ),
        (
            "kubectl get pods -n dev-system -o jsonpath=\"{.items[*].spec.nodeName}\" =~ 'kind-worker kind-worker2'",
            query(
                "pods",
                None,
                Some("dev-system"),
                "{.items[*].spec.nodeName}",
                Op::SameWords,
                "kind-worker kind-worker2",
            ),
        ),
        (
            "kubectl get pods -A -l app=x -o jsonpath={.items[*].metadata.name} < 4",
            Condition::Query {
                query: parsed(QueryText {
                    resource: "pods".into(),
                    all_namespaces: true,
                    selector: Some("app=x".into()),
                    template: Some("{.items[*].metadata.name}".into()),
                    ..QueryText::default()
                }),
                op: Op::Lt,
                expected: "4".into(),
            },
        ),
        (
            "kubectl get ds demo-daemon -n dev-system exists",
            Condition::Exists(named("ds", "demo-daemon", Some("dev-system"))),
        ),
        (
            "kubectl get ns dev-system absent",
            Condition::Absent(named("ns", "dev-system", None)),
        ),
        (
            "file ~/environment/012-dev-system-namespace.yaml contains kind: Namespace",
            Condition::File {
                path: "~/environment/012-dev-system-namespace.yaml".into(),
                test: FileTest::Contains("kind: Namespace".into()),
            },
        ),
        (
            "file ~/environment/a.yaml exists",
            Condition::File {
                path: "~/environment/a.yaml".into(),
                test: FileTest::Exists,
            },
        ),
        (
            "ran kubectl get nodes -o wide",
            Condition::Ran("kubectl get nodes -o wide".into()),
        ),
    ];
    for (text, want) in table {
        let got = parse_condition(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(got, want, "{text}");
        let printed = got.to_string();
        assert_eq!(
            parse_condition(&printed).as_ref(),
            Ok(&want),
            "round trip of {printed}"
        );
    }
}

#[test]
fn malformed_conditions_say_what_was_expected() {
    let table = [
        ("kubectl get ns dev-system", "expected an operator"),
        (
            "kubectl describe ns dev-system exists",
            "expected `kubectl get`",
        ),
        ("kubectl get ns exists", "expected a NAME"),
        (
            "kubectl get ds x -o wide == 3",
            "expected `-o jsonpath=TEMPLATE`",
        ),
        (
            "kubectl get ds x -o jsonpath={.a} >= three",
            "expected a number",
        ),
        ("kubectl get ds x --watch exists", "unsupported flag"),
        ("file", "expected a path"),
        ("file a.yaml has x", "expected `file PATH exists`"),
        ("ran", "expected `kubectl get"),
        ("echo hi", "expected `kubectl get"),
        ("kubectl get ns 'x exists", "unterminated"),
    ];
    for (text, want) in table {
        let err = parse_condition(text).expect_err(text);
        assert!(err.contains(want), "{text}: {err}");
    }
}

#[test]
fn block_and_one_line_comments() {
    let block = "<!-- check\nkubectl get ns dev-system -o jsonpath={.status.phase} == Active\nfile ~/environment/x.yaml exists\n-->";
    let check = from_comment(block, 40).unwrap().unwrap();
    assert_eq!(check.line, 40);
    assert_eq!(check.conditions.len(), 2);
    let one = "<!-- check: kubectl get ns dev-system -o jsonpath={.status.phase} == Active ; file ~/environment/x.yaml exists -->";
    assert_eq!(from_comment(one, 40).unwrap(), Some(check.clone()));
    assert_eq!(
        check.to_string(),
        "kubectl get ns dev-system -o jsonpath={.status.phase} == Active ; file ~/environment/x.yaml exists"
    );
}

#[test]
fn other_comments_are_not_checks() {
    for html in [
        "<!-- a note -->",
        "<!-- checklist: x -->",
        "<div>check</div>",
    ] {
        assert_eq!(from_comment(html, 1), Ok(None), "{html}");
    }
}

#[test]
fn a_bad_condition_reports_its_line_inside_the_comment() {
    let err = from_comment(
        "<!-- check\nran kubectl get nodes\nkubectl get ns x\n-->",
        7,
    )
    .unwrap_err();
    assert_eq!(err.line_offset, 2);
    let empty = from_comment("<!-- check -->", 7).unwrap_err();
    assert!(empty.reason.contains("at least one condition"));
}

#[test]
fn operators_compare_as_documented() {
    let table = [
        (Op::Eq, " Active\n", "Active", true),
        (Op::Eq, "Active", "active", false),
        (Op::Ne, "2", "3", true),
        (Op::Ge, "3", "3", true),
        (Op::Gt, "3", "3", false),
        (Op::Lt, "2", "3", true),
        (Op::Le, "x", "3", false),
        (Op::SameWords, "b  a c", "a b c", true),
        (Op::SameWords, "a b", "a b c", false),
        (Op::Contains, "VIPOnly node-role", "VIPOnly", true),
        (Op::Contains, "", "VIPOnly", false),
        (
            Op::NotContains,
            "node-role.kubernetes.io/master",
            "VIPOnly",
            true,
        ),
        (Op::NotContains, "Other VIPOnly", "VIPOnly", false),
    ];
    for (op, observed, expected, want) in table {
        assert_eq!(
            op.holds(observed, expected),
            want,
            "{op:?} {observed:?} {expected:?}"
        );
    }
}

#[test]
fn check_display_joins_conditions() {
    let check = Check {
        conditions: vec![Condition::Ran("kubectl get nodes".into())],
        line: 1,
    };
    assert_eq!(check.to_string(), "ran kubectl get nodes");
}
