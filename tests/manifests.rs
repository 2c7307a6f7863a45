//! Manifest reading and client-side validation, checked against texts pinned from real kubectl
//! (`tests/fixtures/manifests/decode/*.out`, re-pinned by its `regen.sh`) and, for schema
//! validation (which kubectl cannot run without a server), against texts derived from
//! kube-openapi's validator source (`tests/fixtures/manifests/validate/*.err`).

use std::fs;
use std::path::Path;

use kubetutor::api::value::Value;
use kubetutor::shell::kubectl::manifest::{self, ManifestError};
use kubetutor::shell::kubectl::validate as schema;
use proptest::prelude::*;

const FIXTURES: &str = "tests/fixtures/manifests";

/// Every `NAME.yaml` in a fixture directory with the text of its sibling `NAME.<ext>`.
fn fixture_pairs(dir: &str, ext: &str) -> Vec<(String, String, String)> {
    let dir = Path::new(FIXTURES).join(dir);
    let mut pairs = Vec::new();
    for entry in fs::read_dir(&dir).expect("fixture dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        let input = fs::read_to_string(&path).expect("fixture input");
        let expected = fs::read_to_string(path.with_extension(ext)).expect("fixture expectation");
        pairs.push((name, input, expected));
    }
    pairs.sort();
    assert!(!pairs.is_empty(), "no fixtures in {}", dir.display());
    pairs
}

/// What `kubectl label --local -f FILE -o json` shows: the objects read, then any error.
fn read_like_kubectl(source: &str, text: &str) -> (Vec<Value>, Option<ManifestError>) {
    let mut objects = Vec::new();
    for doc in manifest::documents(source, text) {
        match doc.and_then(|d| manifest::objects(source, &d)) {
            Ok(found) => objects.extend(found),
            Err(err) => return (objects, Some(err)),
        }
    }
    (objects, None)
}

/// Compares JSON with numbers as f64 (kubectl prints big integers it read as floats in full).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn decoding_matches_kubectl_for_every_fixture() {
    for (name, input, out) in fixture_pairs("decode", "out") {
        let (json_part, error_part) = match out.find("error: ") {
            Some(at) => (&out[..at], Some(out[at..].trim_end())),
            None => (out.as_str(), None),
        };
        let mut expected: Vec<Value> = serde_json::Deserializer::from_str(json_part)
            .into_iter::<Value>()
            .map(|v| v.expect("kubectl printed JSON"))
            .collect();
        let (objects, error) = read_like_kubectl(&name, &input);
        // `label` adds an empty label map to objects that had none.
        for (want, got) in expected.iter_mut().zip(&objects) {
            if got.pointer("/metadata/labels").is_none()
                && let Some(meta) = want.get_mut("metadata").and_then(Value::as_object_mut)
            {
                meta.remove("labels");
            }
        }
        assert_eq!(objects.len(), expected.len(), "{name}: objects {objects:?}");
        for (got, want) in objects.iter().zip(&expected) {
            assert!(same_json(got, want), "{name}: got {got}, want {want}");
        }
        let error = error.map(|e| format!("error: {e}"));
        assert_eq!(error.as_deref(), error_part, "{name}");
    }
}

#[test]
fn validation_matches_kubectl_1_21_for_every_fixture() {
    for (name, input, expected) in fixture_pairs("validate", "err") {
        let mut outcome = Vec::new();
        for doc in manifest::documents("STDIN", &input) {
            let doc = doc.unwrap_or_else(|err| panic!("{name}: {err}"));
            if let Err(errs) = schema::validate(&doc.value) {
                outcome.push(errs.message("STDIN"));
            }
        }
        let got = if outcome.is_empty() {
            "ok".to_string()
        } else {
            outcome.join("\n")
        };
        assert_eq!(got, expected.trim_end(), "{name}");
    }
}

#[test]
fn stdin_is_named_stdin_in_messages() {
    assert_eq!(manifest::source_name("-"), "STDIN");
    assert_eq!(manifest::source_name("./ds.yaml"), "./ds.yaml");
    let err = manifest::decode("STDIN", "kind: Namespace\n  name: : x\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    );
}

proptest! {
    #[test]
    fn decoding_never_panics_on_text(text in any::<String>()) {
        let _ = manifest::decode("STDIN", &text);
    }

    #[test]
    fn decoding_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(objects) = manifest::decode("STDIN", &text) {
            for object in objects {
                let _ = schema::validate(&object);
            }
        }
    }

    #[test]
    fn decoding_never_panics_on_yamlish_text(text in "[a-z:{}\\[\\],\"'&*!|>#\\- \n\t0-9.]{0,200}") {
        if let Ok(objects) = manifest::decode("STDIN", &text) {
            for object in objects {
                let _ = schema::validate(&object);
            }
        }
    }
}

#[test]
fn deep_nesting_and_big_inputs_are_errors_not_crashes() {
    let deep_flow = format!("a: {}{}", "[".repeat(20_000), "]".repeat(20_000));
    assert!(manifest::decode("STDIN", &deep_flow).is_err());
    let deep_json = format!("{{\"a\": {}{}}}", "[".repeat(20_000), "]".repeat(20_000));
    assert!(manifest::decode("STDIN", &deep_json).is_err());
    // Repeated keys: a big document whose JSON is small decodes, up to the 3 MiB bound on a
    // document's text; past it the document is refused unread (the YAML parser would hold
    // every event of it first).
    let doc = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n";
    let big = doc.repeat(manifest::MAX_REQUEST_BODY_BYTES / doc.len());
    assert!(manifest::decode("STDIN", &big).is_ok());
    let huge = doc.repeat(200_000);
    assert_eq!(
        manifest::decode("STDIN", &huge),
        Err(manifest::ManifestError::TooLarge {
            source: "STDIN".into()
        })
    );
}
