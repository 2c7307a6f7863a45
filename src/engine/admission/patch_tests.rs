//! The patch algorithms on small objects.

use super::*;
use crate::engine::value::json;

fn pod() -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "1"}},
        "spec": {"containers": [
            {"name": "app", "image": "demo:1.0.0", "env": [{"name": "X", "value": "1"}]},
            {"name": "side", "image": "busybox"}],
        "tolerations": [{"key": "k", "operator": "Exists"}]}})
}

#[test]
fn strategic_merges_containers_by_name_and_replaces_tolerations() {
    let patch = json!({"spec": {
        "containers": [{"name": "app", "image": "demo:2.0.0", "env": [{"name": "Y", "value": "2"}]},
                       {"name": "new", "image": "nginx"}],
        "tolerations": [{"key": "other", "operator": "Exists"}]}});
    let out = strategic(&pod(), &patch, "Pod").unwrap();
    assert_eq!(
        out["spec"]["containers"],
        json!([
            {"name": "app", "image": "demo:2.0.0", "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]},
            {"name": "side", "image": "busybox"},
            {"name": "new", "image": "nginx"}])
    );
    assert_eq!(
        out["spec"]["tolerations"],
        json!([{"key": "other", "operator": "Exists"}])
    );
}

#[test]
fn strategic_directives_delete_and_replace() {
    let patch = json!({"metadata": {"labels": {"a": null, "b": "2"}},
        "spec": {"containers": [{"name": "side", "$patch": "delete"}]}});
    let out = strategic(&pod(), &patch, "Pod").unwrap();
    assert_eq!(out["metadata"]["labels"], json!({"b": "2"}));
    assert_eq!(out["spec"]["containers"].as_array().unwrap().len(), 1);
    let replace =
        json!({"spec": {"containers": [{"$patch": "replace"}, {"name": "only", "image": "x"}]}});
    let out = strategic(&pod(), &replace, "Pod").unwrap();
    assert_eq!(
        out["spec"]["containers"],
        json!([{"name": "only", "image": "x"}])
    );
    assert_eq!(
        strategic(&pod(), &json!([1]), "Pod").unwrap_err(),
        PatchError(
            "json: cannot unmarshal array into Go value of type map[string]interface {}".into()
        )
    );
}

#[test]
fn service_ports_merge_by_port() {
    let svc = json!({"kind": "Service", "spec": {"ports": [{"port": 80, "name": "http"}]}});
    let out = strategic(
        &svc,
        &json!({"spec": {"ports": [{"port": 80, "name": "web"}]}}),
        "Service",
    )
    .unwrap();
    assert_eq!(out["spec"]["ports"], json!([{"port": 80, "name": "web"}]));
}

#[test]
fn json_patch_adds_replaces_removes_and_tests() {
    let patch = json!([
        {"op": "replace", "path": "/spec/containers/0/image", "value": "demo:2.0.0"},
        {"op": "add", "path": "/metadata/labels/tier", "value": "web"},
        {"op": "remove", "path": "/spec/tolerations"},
        {"op": "add", "path": "/spec/containers/-", "value": {"name": "z", "image": "z"}},
        {"op": "test", "path": "/metadata/name", "value": "p"},
        {"op": "copy", "from": "/metadata/labels/a", "path": "/metadata/labels/c"},
        {"op": "move", "from": "/metadata/labels/c", "path": "/metadata/labels/d"}]);
    let out = json_patch(&pod(), &patch).unwrap();
    assert_eq!(out["spec"]["containers"][0]["image"], json!("demo:2.0.0"));
    assert_eq!(
        out["metadata"]["labels"],
        json!({"a": "1", "tier": "web", "d": "1"})
    );
    assert!(out["spec"].get("tolerations").is_none());
    assert_eq!(out["spec"]["containers"][2]["name"], json!("z"));
}

#[test]
fn json_patch_failures() {
    let missing = json!([{"op": "remove", "path": "/spec/nothing"}]);
    assert_eq!(json_patch(&pod(), &missing), Err(JsonPatchError::Apply));
    let failed_test = json!([{"op": "test", "path": "/metadata/name", "value": "q"}]);
    assert_eq!(json_patch(&pod(), &failed_test), Err(JsonPatchError::Apply));
    assert_eq!(
        json_patch(&pod(), &json!({"op": "add"})),
        Err(JsonPatchError::Decode(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch".into()
        ))
    );
    let escaped = json!([{"op": "add", "path": "/metadata/labels/example.com~1x", "value": "y"}]);
    let out = json_patch(&pod(), &escaped).unwrap();
    assert_eq!(out["metadata"]["labels"]["example.com/x"], json!("y"));
}
