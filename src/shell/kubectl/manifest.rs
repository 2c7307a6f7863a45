//! Reads manifests (`-f FILE`, `-f -`) the way kubectl 1.21 does: a YAML stream split on `---`
//! lines or a stream of JSON values, each document converted to JSON, `List` kinds expanded,
//! and kubectl's exact error texts when a document cannot be read.
//!
//! The pipeline has two stages so that the caller can run schema validation in between, as
//! kubectl does: [`documents`] (syntax), then [`objects`] (kind, metadata, list expansion).
//! [`decode`] chains both for callers that do not validate.
//!
//! Must not import the engine, the terminal, `std::fs` or `std::process`: it is pure text in,
//! values out.

mod json;
mod yaml;

use std::fmt;

use crate::engine::value::{Map, Value};

/// The API server's bound on a request body (bytes): `--max-request-body-bytes`, whose
/// default is `3 * 1024 * 1024` (k8s.io/apiserver pkg/server/options/server_run_options.go).
/// A larger body is refused by `limitedReadBody` (pkg/endpoints/handlers/rest.go) with
/// `errors.NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", limit))`, which
/// apimachinery words `Request entity too large: limit is 3145728` (HTTP 413, reason
/// `RequestEntityTooLarge`). A document whose JSON is longer cannot be sent, so reading it
/// stops there: YAML aliases are expanded only up to this many bytes.
pub const MAX_REQUEST_BODY_BYTES: usize = 3 * 1024 * 1024;

/// Most manifest text one kubectl command reads over all its `-f` files: a tutor's bound
/// (real kubectl has none), so `apply -f big.yaml -f big.yaml …` cannot parse for seconds.
pub const MAX_MANIFEST_BYTES: usize = 4 << 20;

/// Counts `len` more bytes of manifests read by one command into `total`; the error text
/// (newline included) once past [`MAX_MANIFEST_BYTES`].
pub fn charge_manifest(total: &mut usize, len: usize) -> Result<(), String> {
    *total = total.saturating_add(len);
    if *total > MAX_MANIFEST_BYTES {
        return Err(format!(
            "error: the manifests given add up to more than {MAX_MANIFEST_BYTES} bytes: the tutor's kubectl reads at most that much per command\n"
        ));
    }
    Ok(())
}

/// kubectl's line for a request the API server refused as too large, with its context
/// (`error when creating "x.yaml"`).
pub fn request_too_large(context: &str) -> String {
    format!(
        "Error from server (RequestEntityTooLarge): {context}: Request entity too large: limit is {MAX_REQUEST_BODY_BYTES}\n"
    )
}

/// A manifest kubectl would refuse to read; `Display` is the text after `error: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestError {
    /// A syntax error: `error parsing <source>: <detail>`.
    Parse { source: String, detail: String },
    /// A document that is not an object kubectl can map: `unable to decode "<source>": <detail>`.
    Decode { source: String, detail: String },
    /// An item of a `List` with no kind of its own and none to inherit.
    ItemKind,
    /// A document whose JSON is longer than [`MAX_REQUEST_BODY_BYTES`]: the API server
    /// would refuse it. Reading goes on with the next document, as kubectl's does.
    TooLarge { source: String },
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManifestError::Parse { source, detail } => {
                write!(f, "error parsing {source}: {detail}")
            }
            ManifestError::Decode { source, detail } => {
                write!(f, "unable to decode \"{source}\": {detail}")
            }
            ManifestError::ItemKind => f.write_str(
                "unable to get type info from the object \"*unstructured.Unstructured\": \
                 Object 'Kind' is missing in 'object has no kind field '",
            ),
            ManifestError::TooLarge { .. } => write!(
                f,
                "Request entity too large: limit is {MAX_REQUEST_BODY_BYTES}"
            ),
        }
    }
}

impl std::error::Error for ManifestError {}

/// One document of a manifest stream, as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub value: Value,
    /// The JSON text kubectl quotes in its messages: the document as written for JSON input,
    /// Go's compact rendering (sorted keys) for YAML input.
    pub raw: String,
}

/// How kubectl names a `-f` argument in messages: `STDIN` for `-`, else the path as given.
pub fn source_name(path_arg: &str) -> String {
    if path_arg == "-" {
        "STDIN".to_string()
    } else {
        path_arg.to_string()
    }
}

/// Reads every object of a manifest, without schema validation.
pub fn decode(source: &str, text: &str) -> Result<Vec<Value>, ManifestError> {
    let mut out = Vec::new();
    for doc in documents(source, text) {
        out.extend(objects(source, &doc?)?);
    }
    Ok(out)
}

/// Splits a manifest into documents, skipping empty and comment-only ones. Reading stops at
/// the first syntax error, which is then the last element: the documents before it were read,
/// as kubectl reads a stream one document at a time.
pub fn documents(source: &str, text: &str) -> Vec<Result<Document, ManifestError>> {
    let parse_error = |detail: String| ManifestError::Parse {
        source: source.to_string(),
        detail,
    };
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']);
    if trimmed.starts_with('{') {
        return json::values(text, MAX_REQUEST_BODY_BYTES)
            .into_iter()
            .filter(|r| !matches!(r, Ok(v) if v.value.is_null() && !v.too_large))
            .map(|r| match r {
                Ok(v) if v.too_large => Err(ManifestError::TooLarge {
                    source: source.to_string(),
                }),
                Ok(v) => Ok(Document {
                    raw: v.text.to_string(),
                    value: v.value,
                }),
                Err(json::JsonStreamError(detail)) => Err(parse_error(detail)),
            })
            .collect();
    }
    let mut out = Vec::new();
    for chunk in yaml::split_documents(text) {
        // The YAML parser holds every event of a document before conversion starts (about
        // 35 bytes per byte of `- 1` lines), so a document longer than the body it could
        // make is refused unread; its JSON would be about as long.
        let converted = if chunk.len() > MAX_REQUEST_BODY_BYTES {
            Err(yaml::Failure::TooLarge)
        } else {
            yaml::to_json_bounded(&chunk, MAX_REQUEST_BODY_BYTES)
        };
        match converted {
            Ok(Value::Null) => {}
            Ok(value) => out.push(Ok(Document {
                raw: go_compact_json(&value),
                value,
            })),
            Err(yaml::Failure::TooLarge) => out.push(Err(ManifestError::TooLarge {
                source: source.to_string(),
            })),
            Err(yaml::Failure::Syntax(detail)) => {
                out.push(Err(parse_error(format!(
                    "error converting YAML to JSON: {detail}"
                ))));
                break;
            }
        }
    }
    out
}

/// Checks one document as kubectl's decoder does (an object, with a kind, with metadata of
/// the right shape) and expands a list (any document with `items`) into its items.
pub fn objects(source: &str, doc: &Document) -> Result<Vec<Value>, ManifestError> {
    let decode_error = |detail: String| ManifestError::Decode {
        source: source.to_string(),
        detail,
    };
    let Value::Object(map) = &doc.value else {
        return Err(decode_error(format!(
            "json: cannot unmarshal {} into Go value of type unstructured.detector",
            go_type(&doc.value)
        )));
    };
    let items = match map.get("items") {
        None => None,
        Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(items)) => Some(items.clone()),
        Some(other) => {
            return Err(decode_error(format!(
                "json: cannot unmarshal {} into Go struct field decodeList.items of type []json.RawMessage",
                go_type(other)
            )));
        }
    };
    let kind = map.get("kind").and_then(Value::as_str).unwrap_or_default();
    if kind.is_empty() {
        return Err(decode_error(format!(
            "Object 'Kind' is missing in '{}'",
            doc.raw
        )));
    }
    check_metadata_only_object(map).map_err(decode_error)?;
    let Some(items) = items else {
        return Ok(vec![doc.value.clone()]);
    };
    let list_version = map.get("apiVersion").cloned().unwrap_or(Value::Null);
    let item_kind = kind.strip_suffix("List").unwrap_or(kind);
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(mut fields) = item else {
            return Err(decode_error(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                go_type(&item)
            )));
        };
        if !has_text(&fields, "kind") && !has_text(&fields, "apiVersion") {
            fields.insert("kind", Value::from(item_kind));
            fields.insert("apiVersion", list_version.clone());
        }
        if !has_text(&fields, "kind") {
            return Err(ManifestError::ItemKind);
        }
        out.push(Value::Object(fields));
    }
    Ok(out)
}

/// Whether `key` holds a non-empty string, as Unstructured's getters see it.
fn has_text(fields: &Map, key: &str) -> bool {
    fields
        .get(key)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// The typed decode kubectl does of `apiVersion`, `kind` and `metadata` (cli-runtime's
/// metadataOnlyObject), reporting the first mismatch in key order with Go's json words.
fn check_metadata_only_object(map: &Map) -> Result<(), String> {
    let mismatch = |value: &Value, field: &str, ty: &str| {
        format!(
            "json: cannot unmarshal {} into Go struct field {field} of type {ty}",
            go_type(value)
        )
    };
    for key in ["apiVersion", "kind"] {
        match map.get(key) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(v) => return Err(mismatch(v, &format!("metadataOnlyObject.{key}"), "string")),
        }
    }
    let meta = match map.get("metadata") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Object(meta)) => meta,
        Some(v) => return Err(mismatch(v, "metadataOnlyObject.metadata", "v1.ObjectMeta")),
    };
    for (key, value) in meta {
        if value.is_null() {
            continue;
        }
        let field = format!("ObjectMeta.metadata.{key}");
        match (key.as_str(), value) {
            (
                "name" | "generateName" | "namespace" | "selfLink" | "uid" | "resourceVersion"
                | "clusterName",
                Value::String(_),
            ) => {}
            (
                "name" | "generateName" | "namespace" | "selfLink" | "uid" | "resourceVersion"
                | "clusterName",
                v,
            ) => return Err(mismatch(v, &field, "string")),
            ("generation" | "deletionGracePeriodSeconds", Value::Number(n)) if n.is_f64() => {
                return Err(format!(
                    "json: cannot unmarshal number {n} into Go struct field {field} of type int64"
                ));
            }
            ("generation" | "deletionGracePeriodSeconds", Value::Number(_)) => {}
            ("generation" | "deletionGracePeriodSeconds", v) => {
                return Err(mismatch(v, &field, "int64"));
            }
            ("labels" | "annotations", Value::Object(entries)) => {
                if let Some(v) = entries
                    .values()
                    .find(|v| !matches!(v, Value::String(_) | Value::Null))
                {
                    return Err(mismatch(v, &field, "string"));
                }
            }
            ("labels" | "annotations", v) => return Err(mismatch(v, &field, "map[string]string")),
            ("finalizers", Value::Array(entries)) => {
                if let Some(v) = entries
                    .iter()
                    .find(|v| !matches!(v, Value::String(_) | Value::Null))
                {
                    return Err(mismatch(v, &field, "string"));
                }
            }
            ("finalizers", v) => return Err(mismatch(v, &field, "[]string")),
            ("ownerReferences", v) if !v.is_array() => {
                return Err(mismatch(v, &field, "[]v1.OwnerReference"));
            }
            ("managedFields", v) if !v.is_array() => {
                return Err(mismatch(v, &field, "[]v1.ManagedFieldsEntry"));
            }
            ("creationTimestamp" | "deletionTimestamp", v) if !v.is_string() => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go value of type string",
                    go_type(v)
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The JSON type word Go's decoder uses in "cannot unmarshal X".
fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Go's `json.Marshal` of a decoded document: compact, keys sorted, `<`, `>`, `&`, U+2028 and
/// U+2029 escaped. Those characters can only occur inside strings, so replacing them is safe.
fn go_compact_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
