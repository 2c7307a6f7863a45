//! The API server's handling of ConfigMaps and Secrets (Kubernetes v1.21): a Secret's
//! `stringData` merged into base64 `data` and its `type` defaulted to `Opaque`
//! (`pkg/apis/core/v1/conversion.go` `Convert_v1_Secret_To_core_Secret`, `defaults.go`
//! `SetDefaults_Secret`), and `ValidateConfigMap`/`ValidateSecret` and their `…Update`
//! (`pkg/apis/core/validation/validation.go`): key names, the 1 MiB size bound, `immutable`.

use crate::engine::value::{Map, Value, json};

use crate::engine::error::{ApiError, FieldError};
use crate::engine::objects::{Kind, base64, meta};

/// `core.MaxSecretSize`, which bounds a ConfigMap's data too (1 MiB).
pub const MAX_SIZE_BYTES: usize = 1024 * 1024;

/// The Secret type the server fills in when none is given (`SetDefaults_Secret`).
pub const DEFAULT_SECRET_TYPE: &str = "Opaque";

/// Decodes a Secret as the server does before anything else: every `data` value must be
/// base64, and `stringData` values are written over `data` (encoded), then dropped.
pub fn decode_secret(obj: &mut Value) -> Result<(), ApiError> {
    if let Some(data) = obj.get("data").and_then(Value::as_object) {
        for value in data.values() {
            let text = value.as_str().unwrap_or_default();
            if base64::decode(text).is_none() {
                // apimachinery's JSON decoder wraps encoding/base64's CorruptInputError.
                return Err(ApiError::BadRequest(format!(
                    "Secret in version \"v1\" cannot be handled as a Secret: v1.Secret.Data: \
                     decode base64: illegal base64 data at input byte {}",
                    corrupt_at(text)
                )));
            }
        }
    }
    let Some(Value::Object(strings)) = obj.as_object_mut().and_then(|m| m.remove("stringData"))
    else {
        return Ok(());
    };
    let data = meta::map_at(obj, &["data"]);
    for (key, value) in strings {
        let text = value.as_str().unwrap_or_default();
        data.insert(key, json!(base64::encode(text.as_bytes())));
    }
    Ok(())
}

/// The API server's decoding of a ConfigMap's `data` or a Secret's `stringData` (Go
/// `map[string]string`): a value that is not a string fails as json-iterator reports it,
/// quoting the request body around the offending byte. kubectl's client-side validation
/// lets any scalar through for a string field, so this is the error a learner sees for
/// `port: 8080`.
pub fn decode_string_maps(kind: Kind, obj: &Value) -> Result<(), ApiError> {
    let (field, go_field) = match kind {
        Kind::ConfigMap => ("data", "Data"),
        Kind::Secret => ("stringData", "StringData"),
        _ => return Ok(()),
    };
    let Some(map) = obj.get(field).and_then(Value::as_object) else {
        return Ok(());
    };
    let Some((key, bad)) = map.iter().find(|(_, v)| !v.is_string() && !v.is_null()) else {
        return Ok(());
    };
    // The body as kubectl sends it: compact JSON, keys sorted.
    let body = obj.to_string();
    let needle = format!("{}:{}", Value::String(key.clone()), bad);
    let section = body.find(&format!("\"{field}\":{{")).unwrap_or(0);
    let at = body[section..]
        .find(&needle)
        .map_or(0, |i| section + i + needle.len() - bad.to_string().len());
    let found = body.as_bytes().get(at).copied().unwrap_or(b'?');
    // iter.head is just past the byte read; the windows are 10 and 50 bytes around it.
    let head = at + 1;
    let window = |before: usize, after: usize| {
        let start = head.saturating_sub(before);
        let end = (head + after).min(body.len());
        (
            start,
            String::from_utf8_lossy(&body.as_bytes()[start..end]).into_owned(),
        )
    };
    let (peek_start, parsing) = window(10, 10);
    let (_, context) = window(50, 50);
    Err(ApiError::BadRequest(format!(
        "{name} in version \"v1\" cannot be handled as a {name}: v1.{name}.{go_field}: \
         ReadString: expects \" or n, but found {}, error found in #{} byte of ...|{parsing}|..., \
         bigger context ...|{context}|...",
        char::from(found),
        head - peek_start,
        name = kind.name(),
    )))
}

/// Where Go's `base64.StdEncoding` reports a text corrupt: the first byte outside the
/// alphabet, or where a short last quantum starts.
fn corrupt_at(text: &str) -> usize {
    let alphabet = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let body = text.trim_end_matches('=');
    match body.bytes().position(|c| !alphabet(c)) {
        Some(i) => i,
        None => text.len() - text.len() % 4,
    }
}

/// Fills in a Secret's `type`.
pub fn default_secret(obj: &mut Value) {
    let m = meta::map_at(obj, &[]);
    let empty = m
        .get("type")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty);
    if empty {
        m.insert("type", json!(DEFAULT_SECRET_TYPE));
    }
}

fn fe(field: String, body: String) -> FieldError {
    FieldError { field, body }
}

/// `validation.IsConfigMapKey`: why `key` cannot name a ConfigMap or Secret entry.
pub fn key_problems(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    // DNS1123SubdomainMaxLength, counted in bytes.
    if key.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    let ok = !key.is_empty()
        && key
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if !ok {
        // RegexError(configMapKeyErrMsg, configMapKeyFmt, "key.name", "KEY_NAME", "key-name")
        errs.push(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' \
             (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is \
             '[-._a-zA-Z0-9]+')"
                .to_string(),
        );
    }
    // hasChDirPrefix
    if key == "." {
        errs.push("must not be '.'".to_string());
    } else if key == ".." {
        errs.push("must not be '..'".to_string());
    } else if key.starts_with("..") {
        errs.push("must not start with '..'".to_string());
    }
    errs
}

fn keys_of<'a>(obj: &'a Value, field: &str) -> Option<&'a Map> {
    obj.get(field).and_then(Value::as_object)
}

/// The field errors of a ConfigMap or Secret about to be stored (`old` on update). A
/// Secret is validated as the server holds it: `stringData` already merged.
pub fn validate(kind: Kind, obj: &Value, old: Option<&Value>, errs: &mut Vec<FieldError>) {
    let fields: &[&str] = match kind {
        Kind::ConfigMap => &["data", "binaryData"],
        _ => &["data"],
    };
    let mut total = 0usize;
    for field in fields {
        for (key, value) in keys_of(obj, field).into_iter().flatten() {
            for msg in key_problems(key) {
                errs.push(fe(
                    format!("{field}[{key}]"),
                    format!("Invalid value: {key:?}: {msg}"),
                ));
            }
            let text = value.as_str().unwrap_or_default();
            total += if kind == Kind::Secret || *field == "binaryData" {
                base64::decode(text).map_or(text.len(), |b| b.len())
            } else {
                text.len()
            };
        }
    }
    if kind == Kind::ConfigMap {
        let binary = keys_of(obj, "binaryData");
        for key in keys_of(obj, "data").into_iter().flatten().map(|(k, _)| k) {
            if binary.is_some_and(|b| b.contains_key(key)) {
                errs.push(fe(
                    format!("data[{key}]"),
                    format!("Invalid value: {key:?}: duplicate of key present in binaryData"),
                ));
            }
        }
    }
    if total > MAX_SIZE_BYTES {
        errs.push(fe(
            "[]".to_string(),
            format!("Too long: must have at most {MAX_SIZE_BYTES} bytes"),
        ));
    }
    let Some(old) = old else {
        return;
    };
    if kind == Kind::Secret {
        let (new_type, old_type) = (meta::str_at(obj, &["type"]), meta::str_at(old, &["type"]));
        if !new_type.is_empty() && new_type != old_type {
            errs.push(fe(
                "type".to_string(),
                format!("Invalid value: {new_type:?}: field is immutable"),
            ));
        }
    }
    let immutable = |o: &Value| o.get("immutable").and_then(Value::as_bool) == Some(true);
    if immutable(old) {
        const BODY: &str = "Forbidden: field is immutable when `immutable` is set";
        if !immutable(obj) {
            errs.push(fe("immutable".to_string(), BODY.to_string()));
        }
        for field in fields {
            let empty = Map::new();
            let new_map = keys_of(obj, field).unwrap_or(&empty);
            let old_map = keys_of(old, field).unwrap_or(&empty);
            if new_map != old_map {
                errs.push(fe((*field).to_string(), BODY.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_data_is_merged_into_base64_data_and_dropped() {
        let mut s = json!({"data": {"a": "YQ==", "b": "Yg=="}, "stringData": {"b": "two"}});
        decode_secret(&mut s).unwrap();
        default_secret(&mut s);
        assert_eq!(
            s,
            json!({"data": {"a": "YQ==", "b": "dHdv"}, "type": "Opaque"})
        );
    }

    #[test]
    fn data_that_is_not_base64_is_a_bad_request() {
        let mut s = json!({"data": {"a": "no*pe"}});
        let err = decode_secret(&mut s).unwrap_err();
        assert!(
            err.message()
                .ends_with("illegal base64 data at input byte 2")
        );
    }

    #[test]
    fn a_number_in_data_is_a_bad_request_quoting_the_body() {
        let cm = json!({"apiVersion": "v1", "data": {"port": 8080}, "kind": "ConfigMap",
            "metadata": {"name": "bad", "namespace": "dev"}});
        let err = decode_string_maps(Kind::ConfigMap, &cm).unwrap_err();
        assert_eq!(
            err.message(),
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: v1.ConfigMap.Data: \
             ReadString: expects \" or n, but found 8, error found in #10 byte of \
             ...|:{\"port\":8080},\"kind|..., bigger context \
             ...|{\"apiVersion\":\"v1\",\"data\":{\"port\":8080},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bad\",\"|..."
        );
    }

    #[test]
    fn keys_follow_is_config_map_key() {
        assert!(key_problems("rota.txt").is_empty());
        assert_eq!(key_problems("a b").len(), 1);
        assert_eq!(key_problems("..x"), vec!["must not start with '..'"]);
        assert_eq!(key_problems(&"k".repeat(254)).len(), 1);
    }
}
