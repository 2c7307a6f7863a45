//! The `Environment Variables from:` and `Environment:` blocks of a container in
//! `kubectl describe` (kubectl v1.21 `describe.go` `describeContainerEnvFrom` and
//! `describeContainerEnvVars`): literal values (one line per line of the value), and for
//! each `valueFrom` where the value comes from rather than the value itself, except the
//! pod fields kubectl can read from the pod it describes (`EnvValueRetriever`).

use crate::engine::value::Value;

use super::line;
use crate::engine::config_refs;
use crate::engine::objects::meta;
use crate::engine::resource_field_value;

fn optional(reference: &Value) -> bool {
    reference.get("optional").and_then(Value::as_bool) == Some(true)
}

/// Both blocks for `ctr`; `pod` is the pod described (None for a pod template).
pub(super) fn environment(w: &mut String, ctr: &Value, pod: Option<&Value>) {
    let env_from = meta::at(ctr, &["envFrom"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if !env_from.is_empty() {
        line(w, 2, "Environment Variables from:");
        for e in env_from {
            let (from, reference) = match (e.get("configMapRef"), e.get("secretRef")) {
                (Some(r), _) => ("ConfigMap", r),
                (None, Some(r)) => ("Secret", r),
                (None, None) => ("", &Value::Null),
            };
            let name = meta::str_at(reference, &["name"]);
            let optional = optional(reference);
            match meta::str_at(e, &["prefix"]) {
                "" => line(w, 3, &format!("{name}\t{from}\tOptional: {optional}")),
                prefix => line(
                    w,
                    3,
                    &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}"),
                ),
            }
        }
    }
    let env = meta::at(ctr, &["env"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if env.is_empty() {
        line(w, 2, "Environment:\t<none>");
        return;
    }
    line(w, 2, "Environment:");
    for e in env {
        let name = meta::str_at(e, &["name"]);
        let Some(from) = e.get("valueFrom") else {
            for (i, part) in meta::str_at(e, &["value"]).split('\n').enumerate() {
                if i == 0 {
                    line(w, 3, &format!("{name}:\t{part}"));
                } else {
                    line(w, 3, &format!("\t{part}"));
                }
            }
            continue;
        };
        if let Some(r) = from.get("fieldRef") {
            let path = meta::str_at(r, &["fieldPath"]);
            // kubectl's ExtractFieldPathAsString knows only metadata fields.
            let value = match pod {
                Some(p) if path.starts_with("metadata.") => {
                    config_refs::field_value(p, path).unwrap_or_default()
                }
                _ => String::new(),
            };
            let api = meta::str_at(r, &["apiVersion"]);
            line(w, 3, &format!("{name}:\t{value} ({api}:{path})"));
        } else if let Some(r) = from.get("resourceFieldRef") {
            let resource = meta::str_at(r, &["resource"]);
            let mut value = resource_field_value(ctr, r);
            // kubectl reads the container's own figures: a limit it does not set is 0.
            let (class, res) = resource.split_once('.').unwrap_or_default();
            if class == "limits" && meta::at(ctr, &["resources", class, res]).is_none() {
                value = "0".to_string();
            }
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".to_string();
            }
            line(w, 3, &format!("{name}:\t{value} ({resource})"));
        } else if let Some(r) = from.get("secretKeyRef") {
            line(
                w,
                3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                    meta::str_at(r, &["key"]),
                    meta::str_at(r, &["name"]),
                    optional(r)
                ),
            );
        } else if let Some(r) = from.get("configMapKeyRef") {
            line(
                w,
                3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                    meta::str_at(r, &["key"]),
                    meta::str_at(r, &["name"]),
                    optional(r)
                ),
            );
        }
    }
}
