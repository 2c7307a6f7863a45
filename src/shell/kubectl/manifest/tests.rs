use crate::engine::value::json;

use super::*;

const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev-system\n";

const DAEMONSET: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: demo-daemon
  namespace: dev-system
spec:
  selector:
    matchLabels:
      app: demo-daemon
  template:
    metadata:
      labels:
        app: demo-daemon
    spec:
      containers:
      - name: demo
        image: demo:1.0.0
";

#[test]
fn lesson_manifests_decode_in_order() {
    let text = format!("{NAMESPACE}---\n{DAEMONSET}");
    let objects = decode("STDIN", &text).expect("lesson manifests decode");
    assert_eq!(objects.len(), 2);
    assert_eq!(
        objects[0],
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev-system"}})
    );
    assert_eq!(
        objects[1].pointer("/spec/template/spec/containers/0/image"),
        Some(&json!("demo:1.0.0"))
    );
}

#[test]
fn yaml_documents_carry_go_compact_json() {
    let docs = documents(
        "STDIN",
        "kind: Namespace\napiVersion: v1\nmetadata: {name: '<a&b>'}\n",
    );
    let doc = docs[0].as_ref().expect("parses");
    assert_eq!(
        doc.raw,
        r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\u003ca\u0026b\u003e"}}"#
    );
}

#[test]
fn reading_stops_at_the_first_syntax_error() {
    let text = format!("{NAMESPACE}---\na: b: c\n---\n{NAMESPACE}");
    let docs = documents("ns.yaml", &text);
    assert_eq!(docs.len(), 2);
    assert!(docs[0].is_ok());
    assert_eq!(
        docs[1].as_ref().err().map(ToString::to_string).as_deref(),
        Some(
            "error parsing ns.yaml: error converting YAML to JSON: yaml: mapping values are not allowed in this context"
        )
    );
}

#[test]
fn lists_expand_and_items_inherit_kind_from_typed_lists() {
    let list = "apiVersion: v1\nkind: NamespaceList\nitems:\n- metadata:\n    name: a\n";
    assert_eq!(
        decode("STDIN", list),
        Ok(vec![
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}})
        ])
    );
    let plain = "apiVersion: v1\nkind: List\nitems:\n- metadata:\n    name: a\n";
    assert_eq!(decode("STDIN", plain), Err(ManifestError::ItemKind));
    assert_eq!(
        decode("STDIN", "apiVersion: v1\nkind: List\nitems:\n"),
        Ok(vec![])
    );
}

#[test]
fn missing_kind_quotes_the_document() {
    let err = decode("STDIN", "apiVersion: v1\nmetadata:\n  name: x\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"unable to decode "STDIN": Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"x"}}'"#
    );
}

#[test]
fn metadata_as_a_list_is_a_decode_error() {
    let err = decode(
        "STDIN",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n- name: x\n",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"unable to decode "STDIN": json: cannot unmarshal array into Go struct field metadataOnlyObject.metadata of type v1.ObjectMeta"#
    );
}

#[test]
fn json_streams_keep_their_text() {
    let docs = documents("STDIN", " {\"kind\": \"Namespace\"}\n{\"kind\":\"Pod\"}");
    let raws: Vec<String> = docs
        .into_iter()
        .filter_map(Result::ok)
        .map(|d| d.raw)
        .collect();
    assert_eq!(
        raws,
        vec!["{\"kind\": \"Namespace\"}", "{\"kind\":\"Pod\"}"]
    );
}

/// The issue's document: an annotation `&s` of 30,000 characters referenced `refs` times.
fn alias_bomb(refs: usize) -> String {
    let mut text = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bomb\n  annotations:\n    a0: &s \"{}\"\n",
        "x".repeat(30_000)
    );
    for i in 1..=refs {
        text.push_str(&format!("    a{i}: *s\n"));
    }
    text
}

#[test]
fn aliases_to_a_long_string_stop_at_the_request_body_bound() {
    // 6,000 references expand to 180 MB; conversion stops after about a hundred.
    let text = format!("{}---\n{NAMESPACE}", alias_bomb(6000));
    let docs = documents("bomb.yaml", &text);
    assert_eq!(docs.len(), 2, "reading goes on after the refused document");
    assert_eq!(
        docs[0],
        Err(ManifestError::TooLarge {
            source: "bomb.yaml".into()
        })
    );
    assert_eq!(
        docs[1].as_ref().map(|d| &d.value["kind"]),
        Ok(&json!("Namespace"))
    );
    assert_eq!(
        docs[0].as_ref().unwrap_err().to_string(),
        "Request entity too large: limit is 3145728"
    );
    // Under the bound the same aliases expand as before.
    let small = documents("ok.yaml", &alias_bomb(50));
    let value = &small[0].as_ref().unwrap().value;
    assert_eq!(
        value["metadata"]["annotations"]["a50"]
            .as_str()
            .map(str::len),
        Some(30_000)
    );
}

#[test]
fn json_documents_over_the_bound_are_refused_without_being_parsed() {
    let big = format!(
        "{{\"kind\":\"Namespace\",\"a\":[{}0]}}",
        "0,".repeat(1_600_000)
    );
    let text = format!(
        "{big}\n{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"n\"}}}}"
    );
    let docs = documents("big.json", &text);
    assert!(matches!(docs[0], Err(ManifestError::TooLarge { .. })));
    assert!(docs[1].is_ok());
}

#[test]
fn a_long_yaml_sequence_stops_at_the_bound_too() {
    let text = format!("kind: Namespace\nitems:\n{}", "- 0\n".repeat(1 << 20));
    assert!(matches!(
        documents("seq.yaml", &text)[0],
        Err(ManifestError::TooLarge { .. })
    ));
}

#[test]
fn a_yaml_document_longer_than_the_bound_is_refused_unread() {
    let text = format!("{}---\n{NAMESPACE}", "- 1\n".repeat(800_000));
    let docs = documents("s.yaml", &text);
    assert!(matches!(docs[0], Err(ManifestError::TooLarge { .. })));
    assert!(docs[1].is_ok());
}
