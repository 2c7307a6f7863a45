//! kubectl 1.21's client-side schema validation (`--validate=true`, the default): the checks
//! and texts of kubectl's `SchemaValidation.ValidateBytes` and kube-openapi's
//! `proto/validation` (pinned by kubectl 1.21), applied to one decoded manifest document.
//!
//! Semantics kept from kube-openapi: fields are walked in sorted order; null fields are
//! skipped; unknown fields and missing required fields are reported against the schema's
//! definition name; a `string` field accepts any scalar (only `integer`, `number` and
//! `boolean` fields reject scalars of another kind); unknown group/version/kinds are skipped.
//!
//! It reads the server's published schema (`engine::schema`) as kubectl reads the OpenAPI
//! document; nothing else of the engine. Must not import the terminal, `std::fs` or
//! `std::process`.

use std::fmt;

use crate::engine::value::Value;

use crate::engine::schema::{Definitions, Node, definitions};

/// kubectl's advice appended to every validation failure (cli-runtime `stopValidateMessage`).
const STOP_VALIDATE: &str =
    "if you choose to ignore these errors, turn validation off with --validate=false";

/// What validation found, in kubectl's order; never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors {
    errors: Vec<String>,
}

impl ValidationErrors {
    /// Each error's text, as kube-openapi renders it.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// The whole text kubectl prints after `error: ` for a document read from `source`.
    pub fn message(&self, source: &str) -> String {
        format!("error validating \"{source}\": error validating data: {self}; {STOP_VALIDATE}")
    }
}

/// apimachinery's aggregate formatting: duplicates dropped, one error bare, several in `[a, b]`.
impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut unique: Vec<&str> = Vec::new();
        for err in &self.errors {
            if !unique.contains(&err.as_str()) {
                unique.push(err);
            }
        }
        match unique.as_slice() {
            [one] => f.write_str(one),
            many => write!(f, "[{}]", many.join(", ")),
        }
    }
}

impl std::error::Error for ValidationErrors {}

/// Validates one manifest document (before any `List` expansion) against the v1.21 schema.
pub fn validate(obj: &Value) -> Result<(), ValidationErrors> {
    let defs = definitions();
    let errors = match object_kind(obj) {
        Err(errors) => errors,
        Ok((group, version, kind)) if group.is_empty() && version == "v1" && kind == "List" => {
            validate_list(defs, obj)
        }
        Ok((group, version, kind)) => validate_resource(defs, obj, &group, &version, &kind),
    };
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors { errors })
    }
}

fn validate_list(defs: &Definitions, obj: &Value) -> Vec<String> {
    let Some(items) = obj.get("items").and_then(Value::as_array) else {
        return vec!["invalid object to validate".to_string()];
    };
    let mut errors = Vec::new();
    for item in items {
        match object_kind(item) {
            Err(errs) => errors.extend(errs),
            Ok((group, version, kind)) => {
                errors.extend(validate_resource(defs, item, &group, &version, &kind));
            }
        }
    }
    errors
}

fn validate_resource(
    defs: &Definitions,
    obj: &Value,
    group: &str,
    version: &str,
    kind: &str,
) -> Vec<String> {
    let Some(name) = defs.lookup(group, version, kind) else {
        return Vec::new();
    };
    let mut walker = Walker {
        defs,
        errors: Vec::new(),
    };
    walker.visit_ref(obj, kind, name);
    walker.errors
}

/// kubectl's `getObjectKind`: (group, version, kind), or every problem with them.
fn object_kind(obj: &Value) -> Result<(String, String, String), Vec<String>> {
    let Some(fields) = obj.as_object() else {
        return Err(vec!["invalid object to validate".to_string()]);
    };
    let mut errors = Vec::new();
    let mut group_version = (String::new(), String::new());
    match fields.get("apiVersion") {
        None | Some(Value::Null) => errors.push("apiVersion not set".to_string()),
        Some(Value::String(gv)) => match parse_group_version(gv) {
            Ok(parsed) => group_version = parsed,
            Err(err) => errors.push(err),
        },
        Some(_) => errors.push("apiVersion isn't string type".to_string()),
    }
    let kind = match fields.get("kind") {
        None | Some(Value::Null) => {
            errors.push("kind not set".to_string());
            String::new()
        }
        Some(Value::String(kind)) => kind.to_string(),
        Some(_) => {
            errors.push("kind isn't string type".to_string());
            String::new()
        }
    };
    if errors.is_empty() {
        Ok((group_version.0, group_version.1, kind))
    } else {
        Err(errors)
    }
}

/// apimachinery's `ParseGroupVersion`.
fn parse_group_version(gv: &str) -> Result<(String, String), String> {
    if gv.is_empty() || gv == "/" {
        return Ok((String::new(), String::new()));
    }
    match gv.split_once('/') {
        None => Ok((String::new(), gv.to_string())),
        Some((group, version)) if !version.contains('/') => {
            Ok((group.to_string(), version.to_string()))
        }
        Some(_) => Err(format!("unexpected GroupVersion string: {gv}")),
    }
}

/// The kind word kube-openapi uses for a value (`got "boolean"`).
fn item_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nil",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "map",
    }
}

/// Walks a value and its schema together; `path` is where the value sits (`DaemonSet.spec`),
/// `schema_path` is the schema's own name (`io.k8s.api.apps.v1.DaemonSetSpec.selector`).
struct Walker<'a> {
    defs: &'a Definitions,
    errors: Vec<String>,
}

impl Walker<'_> {
    fn validation_error(&mut self, path: &str, err: String) {
        self.errors.push(format!("ValidationError({path}): {err}"));
    }

    fn invalid_type(&mut self, path: &str, schema_path: &str, expected: &str, value: &Value) {
        let err = format!(
            "invalid type for {schema_path}: got \"{}\", expected \"{expected}\"",
            item_kind(value)
        );
        self.validation_error(path, err);
    }

    fn visit_ref(&mut self, value: &Value, path: &str, name: &str) {
        if let Some(node) = self.defs.get(name) {
            self.visit(value, path, node, name);
        }
    }

    fn visit(&mut self, value: &Value, path: &str, node: &Node, schema_path: &str) {
        match node {
            Node::Ref(name) => self.visit_ref(value, path, name),
            Node::Arbitrary => {}
            Node::Primitive { ty, .. } => self.visit_primitive(value, path, ty, schema_path),
            Node::Array(sub) => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let item_path = format!("{path}[{i}]");
                        if item.is_null() {
                            let err = format!("unknown object type \"nil\" in {item_path}");
                            self.validation_error(&item_path, err);
                        } else {
                            self.visit(item, &item_path, sub, schema_path);
                        }
                    }
                }
                _ => self.invalid_type(path, schema_path, "array", value),
            },
            Node::Map(sub) => match value {
                Value::Object(entries) => {
                    for (key, entry) in sorted(entries) {
                        let entry_path = format!("{path}.{key}");
                        if entry.is_null() {
                            self.errors
                                .push(format!("unknown object type \"nil\" in {entry_path}"));
                        } else if let Some(sub) = sub {
                            self.visit(entry, &entry_path, sub, schema_path);
                        }
                    }
                }
                _ => self.invalid_type(path, schema_path, "map", value),
            },
            Node::Kind { fields, required } => match value {
                Value::Object(entries) => {
                    for (key, entry) in sorted(entries) {
                        if entry.is_null() {
                            continue;
                        }
                        match fields.get(key.as_str()) {
                            None => {
                                let err = format!("unknown field \"{key}\" in {schema_path}");
                                self.validation_error(path, err);
                            }
                            Some(field) => {
                                let field_path = format!("{path}.{key}");
                                let field_schema = format!("{schema_path}.{key}");
                                self.visit(entry, &field_path, field, &field_schema);
                            }
                        }
                    }
                    for name in required {
                        if entries.get(name).is_none_or(Value::is_null) {
                            let err = format!("missing required field \"{name}\" in {schema_path}");
                            self.validation_error(path, err);
                        }
                    }
                }
                _ => self.invalid_type(path, schema_path, "map", value),
            },
        }
    }

    /// kube-openapi's scalar compatibility: a string field takes any scalar, integer and
    /// number fields take either kind of number, booleans only booleans.
    fn visit_primitive(&mut self, value: &Value, path: &str, ty: &str, schema_path: &str) {
        let kind = item_kind(value);
        let accepted = match (ty, value) {
            (_, Value::Object(_) | Value::Array(_)) => false,
            ("string", _) => true,
            ("integer" | "number", Value::Number(_)) => true,
            ("boolean", Value::Bool(_)) => true,
            _ => false,
        };
        if !accepted {
            let err = format!("invalid type for {schema_path}: got \"{kind}\", expected \"{ty}\"");
            self.validation_error(path, err);
        }
    }
}

/// Entries by key, as Go's `sort.Strings` orders them (bytewise), whatever the map's own order.
fn sorted(entries: &crate::engine::value::Map) -> Vec<(&crate::engine::value::Str, &Value)> {
    let mut out: Vec<(&crate::engine::value::Str, &Value)> = entries.iter().collect();
    out.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
