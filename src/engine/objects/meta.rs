//! Reading and writing the common fields of objects held as JSON values
//! (`metadata.name`, labels, owner references, nested paths).

use std::collections::BTreeMap;

use crate::engine::value::{Map, Value};

use crate::engine::clock::SimTime;

/// The value at a path of map keys, if every step exists.
pub fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, key| cur.get(*key))
}

/// The value at a path, mutable, if every step exists.
pub fn at_mut<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |cur, key| cur.get_mut(*key))
}

/// The string at a path, or "" when absent or not a string.
pub fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    at(v, path).and_then(Value::as_str).unwrap_or("")
}

/// The integer at a path, if present.
pub fn i64_at(v: &Value, path: &[&str]) -> Option<i64> {
    at(v, path).and_then(Value::as_i64)
}

/// The map at a path, created (as empty maps) where missing. Non-map values on the way
/// are replaced by maps.
pub fn map_at<'a>(v: &'a mut Value, path: &[&str]) -> &'a mut Map {
    let mut cur = ensure_object(v);
    for key in path {
        cur = ensure_object(cur.entry(key.to_string()).or_insert(Value::Null));
    }
    cur
}

/// Makes `v` a map (replacing anything else) and returns it.
pub fn ensure_object(v: &mut Value) -> &mut Map {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        // Made an object just above.
        _ => unreachable!(),
    }
}

/// Sets the value at a path, creating maps on the way.
pub fn set(v: &mut Value, path: &[&str], value: Value) {
    if let Some((last, parents)) = path.split_last() {
        map_at(v, parents).insert(last.to_string(), value);
    }
}

/// Removes the value at a path, if present.
pub fn remove(v: &mut Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut cur = v;
    for key in parents {
        cur = cur.get_mut(*key)?;
    }
    cur.as_object_mut()?.remove(last)
}

pub fn name(v: &Value) -> &str {
    str_at(v, &["metadata", "name"])
}

pub fn namespace(v: &Value) -> &str {
    str_at(v, &["metadata", "namespace"])
}

pub fn uid(v: &Value) -> &str {
    str_at(v, &["metadata", "uid"])
}

pub fn kind(v: &Value) -> &str {
    str_at(v, &["kind"])
}

pub fn api_version(v: &Value) -> &str {
    str_at(v, &["apiVersion"])
}

/// A string map such as `metadata.labels`, as a sorted map (empty when absent).
pub fn string_map(v: &Value, path: &[&str]) -> BTreeMap<String, String> {
    at(v, path)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn labels(v: &Value) -> BTreeMap<String, String> {
    string_map(v, &["metadata", "labels"])
}

pub fn label<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    at(v, &["metadata", "labels", key]).and_then(Value::as_str)
}

pub fn annotation<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    at(v, &["metadata", "annotations", key]).and_then(Value::as_str)
}

pub fn timestamp(v: &Value, path: &[&str]) -> Option<SimTime> {
    at(v, path)
        .and_then(Value::as_str)
        .and_then(SimTime::parse_rfc3339)
}

pub fn creation(v: &Value) -> Option<SimTime> {
    timestamp(v, &["metadata", "creationTimestamp"])
}

pub fn deletion(v: &Value) -> Option<SimTime> {
    timestamp(v, &["metadata", "deletionTimestamp"])
}

pub fn is_deleting(v: &Value) -> bool {
    at(v, &["metadata", "deletionTimestamp"]).is_some_and(|t| !t.is_null())
}

/// The owner reference with `controller: true`, as (kind, name, uid).
pub fn controller_ref(v: &Value) -> Option<(&str, &str, &str)> {
    at(v, &["metadata", "ownerReferences"])?
        .as_array()?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .map(|r| {
            (
                str_at(r, &["kind"]),
                str_at(r, &["name"]),
                str_at(r, &["uid"]),
            )
        })
}

/// An owner reference as controllers write it (`controller` and `blockOwnerDeletion` true).
pub fn owner_reference(owner: &Value) -> Value {
    crate::engine::value::json!({
        "apiVersion": api_version(owner),
        "blockOwnerDeletion": true,
        "controller": true,
        "kind": kind(owner),
        "name": name(owner),
        "uid": uid(owner),
    })
}

/// Deep-merges `patch` into `target` (JSON merge patch, RFC 7386): maps merge, `null`
/// removes, everything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            if let Value::Object(t) = target {
                for (k, pv) in p {
                    if pv.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), pv);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    #[test]
    fn set_creates_missing_maps() {
        let mut v = json!({});
        set(&mut v, &["metadata", "labels", "app"], json!("demo"));
        assert_eq!(label(&v, "app"), Some("demo"));
    }

    #[test]
    fn merge_patch_removes_nulls_and_replaces_lists() {
        let mut v = json!({"a": {"b": 1, "c": 2}, "l": [1, 2]});
        merge_patch(&mut v, &json!({"a": {"b": null, "d": 3}, "l": [3]}));
        assert_eq!(v, json!({"a": {"c": 2, "d": 3}, "l": [3]}));
    }

    #[test]
    fn finds_the_controller_owner() {
        let v = json!({"metadata": {"ownerReferences": [
            {"kind": "Node", "name": "n", "uid": "1"},
            {"kind": "DaemonSet", "name": "d", "uid": "2", "controller": true}]}});
        assert_eq!(controller_ref(&v), Some(("DaemonSet", "d", "2")));
    }
}
