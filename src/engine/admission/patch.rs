//! The three patch kinds `kubectl patch --type` sends, applied as the API server applies
//! them: strategic merge patch (lists merged by the merge keys of the core/v1 and apps/v1
//! Go types, `$patch` directives), JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
//!
//! Must not import: the engine's state, the terminal, std::fs, std::process. Pure values.

use crate::engine::value::{Map, Value};

/// The `patchMergeKey` of a list field, by its name and where it sits (`None`: the list is
/// replaced whole, as for tolerations, taints, args and command, which have no strategy).
fn merge_key(field: &str, in_service_spec: bool) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "imagePullSecrets"
        | "env" => "name",
        "ports" if in_service_spec => "port",
        "ports" => "containerPort",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "conditions" | "addresses" => "type",
        _ => return None,
    })
}

/// Lists of scalars with `patchStrategy:"merge"`: the patch's values are added.
fn is_merged_scalar_list(field: &str) -> bool {
    field == "finalizers"
}

/// Why a strategic merge patch could not be applied (the server answers BadRequest).
#[derive(Debug, PartialEq, Eq)]
pub struct PatchError(pub String);

/// Applies a strategic merge patch to `original` (a whole object of `kind`).
pub fn strategic(original: &Value, patch: &Value, kind: &str) -> Result<Value, PatchError> {
    let Value::Object(p) = patch else {
        return Err(PatchError(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            go_type(patch)
        )));
    };
    let Value::Object(o) = original else {
        return Ok(patch.clone());
    };
    Ok(merge_map(o, p, kind == "Service", "").map_or(Value::Null, Value::Object))
}

/// Merges a patch map into an original map; `None` when the patch deletes the whole map.
/// `path` is where the map sits (`spec.template`), `service` whether the object is a
/// Service (whose `spec.ports` merge by `port`, not `containerPort`).
fn merge_map(original: &Map, patch: &Map, service: bool, path: &str) -> Option<Map> {
    match patch.get("$patch").and_then(Value::as_str) {
        Some("delete") => return None,
        Some("replace") => {
            let mut m = patch.clone();
            m.remove("$patch");
            return Some(m);
        }
        _ => {}
    }
    let mut out = original.clone();
    for (key, pv) in patch {
        if key == "$patch" || key == "$retainKeys" || key.starts_with("$setElementOrder/") {
            continue;
        }
        if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(list)), Value::Array(gone)) = (out.get_mut(field), pv) {
                list.retain(|v| !gone.contains(v));
            }
            continue;
        }
        if pv.is_null() {
            out.remove(key);
            continue;
        }
        let child = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let service_ports = service && child == "spec.ports";
        let merged: Option<Value> = match (out.get(key), pv) {
            (Some(Value::Object(om)), Value::Object(pm)) => {
                merge_map(om, pm, service, &child).map(Value::Object)
            }
            (None, Value::Object(pm)) => {
                merge_map(&Map::new(), pm, service, &child).map(Value::Object)
            }
            (Some(Value::Array(ol)), Value::Array(pl)) => {
                Some(merge_list(key, ol, pl, service_ports))
            }
            (None, Value::Array(pl)) => Some(merge_list(key, &[], pl, service_ports)),
            _ => Some(pv.clone()),
        };
        match merged {
            Some(v) => {
                out.insert(key.clone(), v);
            }
            None => {
                out.remove(key);
            }
        }
    }
    Some(out)
}

/// Merges a patch list into an original list by the field's merge key.
fn merge_list(field: &str, original: &[Value], patch: &[Value], service_ports: bool) -> Value {
    if patch
        .iter()
        .any(|e| e.get("$patch").and_then(Value::as_str) == Some("replace"))
    {
        return Value::Array(
            patch
                .iter()
                .filter(|e| e.get("$patch").is_none())
                .cloned()
                .collect(),
        );
    }
    if is_merged_scalar_list(field) {
        let mut out = original.to_vec();
        for v in patch {
            if !out.contains(v) {
                out.push(v.clone());
            }
        }
        return Value::Array(out);
    }
    let Some(key) = merge_key(field, service_ports) else {
        return Value::Array(patch.to_vec());
    };
    let mut out = original.to_vec();
    for pe in patch {
        let Value::Object(pm) = pe else {
            out.push(pe.clone());
            continue;
        };
        let id = pm.get(key);
        let pos = out.iter().position(|oe| id.is_some() && oe.get(key) == id);
        let delete = pm.get("$patch").and_then(Value::as_str) == Some("delete");
        match (pos, delete) {
            (Some(i), true) => {
                out.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => {
                let merged = match &out[i] {
                    Value::Object(om) => merge_map(om, pm, false, field).map(Value::Object),
                    _ => Some(pe.clone()),
                };
                match merged {
                    Some(m) => out[i] = m,
                    None => {
                        out.remove(i);
                    }
                }
            }
            (None, false) => {
                if let Some(m) = merge_map(&Map::new(), pm, false, field) {
                    out.push(Value::Object(m));
                }
            }
        }
    }
    Value::Array(out)
}

/// `json.Unmarshal`'s word for a JSON value's type.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Why a JSON patch failed: it could not be decoded (BadRequest) or did not apply (422).
#[derive(Debug, PartialEq, Eq)]
pub enum JsonPatchError {
    Decode(String),
    Apply,
}

/// Applies an RFC 6902 JSON patch.
pub fn json_patch(original: &Value, patch: &Value) -> Result<Value, JsonPatchError> {
    let Value::Array(ops) = patch else {
        return Err(JsonPatchError::Decode(format!(
            "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
            go_type(patch)
        )));
    };
    if let Some(bad) = ops.iter().find(|o| !o.is_object()) {
        return Err(JsonPatchError::Decode(format!(
            "json: cannot unmarshal {} into Go value of type jsonpatch.operation",
            go_type(bad)
        )));
    }
    let mut doc = original.clone();
    for op in ops {
        apply_op(&mut doc, op).ok_or(JsonPatchError::Apply)?;
    }
    Ok(doc)
}

/// The JSON pointer's reference tokens (`~1` is `/`, `~0` is `~`).
fn pointer(path: &str) -> Option<Vec<String>> {
    if path.is_empty() {
        return Some(Vec::new());
    }
    let rest = path.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

fn get_at<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(doc, |cur, t| match cur {
        Value::Object(m) => m.get(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn parent_mut<'a>(doc: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(doc, |cur, t| match cur {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(move |i| a.get_mut(i)),
        _ => None,
    })
}

fn add(doc: &mut Value, tokens: &[String], value: Value) -> Option<()> {
    let Some((last, parents)) = tokens.split_last() else {
        *doc = value;
        return Some(());
    };
    match parent_mut(doc, parents)? {
        Value::Object(m) => {
            m.insert(last.clone(), value);
        }
        Value::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                last.parse().ok()?
            };
            if i > a.len() {
                return None;
            }
            a.insert(i, value);
        }
        _ => return None,
    }
    Some(())
}

fn remove(doc: &mut Value, tokens: &[String]) -> Option<Value> {
    let (last, parents) = tokens.split_last()?;
    match parent_mut(doc, parents)? {
        Value::Object(m) => m.remove(last),
        Value::Array(a) => {
            let i: usize = last.parse().ok()?;
            (i < a.len()).then(|| a.remove(i))
        }
        _ => None,
    }
}

fn apply_op(doc: &mut Value, op: &Value) -> Option<()> {
    let path = pointer(op.get("path")?.as_str()?)?;
    match op.get("op")?.as_str()? {
        "add" => add(doc, &path, op.get("value")?.clone()),
        "remove" => remove(doc, &path).map(|_| ()),
        "replace" => {
            let value = op.get("value")?.clone();
            get_at(doc, &path)?;
            remove(doc, &path)?;
            add(doc, &path, value)
        }
        "test" => (get_at(doc, &path)? == op.get("value")?).then_some(()),
        verb @ ("move" | "copy") => {
            let from = pointer(op.get("from")?.as_str()?)?;
            let value = if verb == "move" {
                remove(doc, &from)?
            } else {
                get_at(doc, &from)?.clone()
            };
            add(doc, &path, value)
        }
        _ => None,
    }
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
