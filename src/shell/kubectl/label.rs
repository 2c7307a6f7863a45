//! `kubectl label` and `kubectl annotate`: `KEY=VALUE` and `KEY-` changes to an object's
//! labels or annotations, `--overwrite`, `--list`, `-l` / `--all`, dry runs, and every
//! message as kubectl v1.21's `label.go` / `annotate.go` word it (fidelity §4.3).
//!
//! Must not import: the terminal, std::fs, std::process.

use std::collections::BTreeMap;

use crate::engine::value::{Map, Value};

use super::flags::{self, Flag, boolean, value};
use super::output::{self, Format};
use super::targets::{self, Target};
use super::{Ctx, Io, manifest, messages};
use crate::engine::objects::{Kind, meta};
use crate::engine::{ApiError, FieldError, label_value, qualified_name};

/// Which of the two metadata maps a command edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Labels,
    Annotations,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Labels => "labels",
            Field::Annotations => "annotations",
        }
    }

    fn command(self) -> &'static str {
        match self {
            Field::Labels => "kubectl label",
            Field::Annotations => "kubectl annotate",
        }
    }

    /// The word `GetResourcesAndPairs` and the messages use (`label`, `annotation`).
    fn pair_word(self) -> &'static str {
        match self {
            Field::Labels => "label",
            Field::Annotations => "annotation",
        }
    }
}

const FLAGS: &[Flag] = &[
    boolean("overwrite", None),
    boolean("list", None),
    boolean("local", None),
    value("selector", Some('l')),
    value("field-selector", None),
    boolean("all", None),
    value("resource-version", None),
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("kustomize", Some('k')),
    value("dry-run", None),
    value("field-manager", None),
    value("output", Some('o')),
    boolean("record", None),
    value("template", None),
    boolean("show-managed-fields", None),
    boolean("allow-missing-template-keys", None),
];

/// The changes asked for: keys to set (sorted, as every message lists them) and to remove.
#[derive(Debug, Default, PartialEq, Eq)]
struct Changes {
    set: BTreeMap<String, String>,
    remove: Vec<String>,
}

/// `parseLabels`: label values are checked on the client, keys by the server.
fn parse_labels(specs: &[String]) -> Result<Changes, String> {
    let mut c = Changes::default();
    for spec in specs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            if parts.len() != 2 {
                return Err(format!("invalid label spec: {spec}"));
            }
            if let Some(e) = label_value(parts[1]) {
                return Err(format!("invalid label value: {spec:?}: {e}"));
            }
            c.set.insert(parts[0].to_string(), parts[1].to_string());
        } else if let Some(key) = spec.strip_suffix('-') {
            c.remove.push(key.to_string());
        } else {
            return Err(format!("unknown label spec: {spec}"));
        }
    }
    if c.remove.iter().any(|k| c.set.contains_key(k)) {
        return Err("can not both modify and remove a label in the same command".into());
    }
    Ok(c)
}

/// `ParsePairs` for annotations: values are free text.
fn parse_annotations(specs: &[String]) -> Result<Changes, String> {
    let mut c = Changes::default();
    let mut invalid: Vec<&str> = Vec::new();
    for spec in specs {
        if spec.contains('=') && !spec.starts_with('=') {
            if let Some((k, v)) = spec.split_once('=') {
                c.set.insert(k.to_string(), v.to_string());
            }
        } else if spec.ends_with('-') && spec.as_str() != "-" {
            c.remove.push(spec[..spec.len() - 1].to_string());
        } else {
            invalid.push(spec);
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid annotation format: {}", invalid.join(", ")));
    }
    Ok(c)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], field: Field, io: &mut Io) {
    let command = field.command();
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(command, &e)),
    };
    let list = p.flag("list");
    if field == Field::Annotations && list && p.given("output") {
        return io.fail("error: --list and --output may not be specified together\n");
    }
    let (resources, pairs) = match targets::resources_and_pairs(&p.args, field.pair_word()) {
        Ok(x) => x,
        Err(e) => return io.fail(e),
    };
    let parsed = match field {
        Field::Labels => parse_labels(&pairs),
        Field::Annotations => parse_annotations(&pairs),
    };
    let changes = match parsed {
        Ok(c) => c,
        Err(e) => return io.fail(format!("error: {e}\n")),
    };
    if field == Field::Labels && list && p.given("output") {
        return io.fail("error: --list and --output may not be specified together\n");
    }
    if p.flag("all") && p.given("selector") {
        return io.fail("error: cannot set --all and --selector at the same time\n");
    }
    let files = p.values("filename");
    if resources.is_empty() && files.is_empty() {
        return io.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n");
    }
    if changes.set.is_empty() && changes.remove.is_empty() && !list {
        return io.fail(format!(
            "error: at least one {} update is required\n",
            field.pair_word()
        ));
    }
    if field == Field::Annotations {
        let both: Vec<&str> = changes
            .remove
            .iter()
            .filter(|k| changes.set.contains_key(*k))
            .map(String::as_str)
            .collect();
        if !both.is_empty() {
            return io.fail(format!("error: can not both modify and remove the following annotation(s) in the same command: {}\n", both.join(", ")));
        }
    }
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let found = if files.is_empty() {
        targets::resolve(ctx.cluster, &p, &resources)
    } else {
        from_files(ctx, &files, &targets::namespace(&p))
    };
    let found = match found {
        Ok(t) => t,
        Err(e) => return io.fail(e),
    };
    if found.len() > 1 && p.given("resource-version") {
        return io.fail("error: --resource-version may only be used with a single resource\n");
    }
    let dry_run = match p.value("dry-run") {
        Some("client") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    };
    let single = found.len() == 1;
    for target in found {
        let Some(obj) = ctx
            .cluster
            .get(target.kind, &target.namespace, &target.name)
            .cloned()
        else {
            io.fail(format!("{}\n", target.not_found()));
            continue;
        };
        if list {
            print_list(io, field, &target, &obj, single);
            continue;
        }
        if field == Field::Labels && dry_run.is_empty() {
            for key in &changes.remove {
                if meta::label(&obj, key).is_none() {
                    io.out.push_str(&format!("label {key:?} not found.\n"));
                }
            }
        }
        let updated = match change(&obj, field, &changes, p.flag("overwrite")) {
            Ok(u) => u,
            Err(e) => {
                io.fail(e);
                continue;
            }
        };
        let operation = match field {
            Field::Annotations => "annotated",
            Field::Labels if updated == obj && has_map(&obj, field) => "not labeled",
            Field::Labels => "labeled",
        };
        let result = if !dry_run.is_empty() || updated == obj {
            Ok(updated)
        } else {
            validate_keys(&target, field, &changes).and_then(|()| {
                ctx.cluster
                    .update(target.kind, updated)
                    .map_err(|e| format!("{e}\n"))
            })
        };
        match result {
            Ok(after) => print(io, &format, target.kind, &after, operation, dry_run),
            Err(e) => io.fail(e),
        }
    }
}

/// Objects named in `-f` files.
fn from_files(ctx: &Ctx<'_>, files: &[String], namespace: &str) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    let mut read = 0;
    for f in files {
        let text = ctx
            .vfs
            .read(ctx.cwd, f)
            .map_err(|_| messages::path_not_found(f))?;
        manifest::charge_manifest(&mut read, text.len())?;
        let objs = manifest::decode(&manifest::source_name(f), &text)
            .map_err(|e| format!("error: {e}\n"))?;
        for o in objs {
            let Some(kind) = Kind::from_api(meta::api_version(&o), meta::kind(&o)) else {
                return Err(messages::no_kind_match(
                    f,
                    meta::kind(&o),
                    meta::api_version(&o),
                ));
            };
            let ns = match (kind.is_namespaced(), meta::namespace(&o)) {
                (false, _) => String::new(),
                (true, "") => namespace.to_string(),
                (true, n) => n.to_string(),
            };
            out.push(Target {
                kind,
                namespace: ns,
                name: meta::name(&o).to_string(),
            });
        }
    }
    Ok(out)
}

fn has_map(obj: &Value, field: Field) -> bool {
    meta::at(obj, &["metadata", field.key()]).is_some()
}

/// `labelFunc` / `updateAnnotations`: the object with the changes made, or the overwrite
/// error in kubectl's words.
fn change(obj: &Value, field: Field, c: &Changes, overwrite: bool) -> Result<Value, String> {
    let current = meta::string_map(obj, &["metadata", field.key()]);
    if !overwrite {
        let clashes: Vec<String> = c
            .set
            .keys()
            .filter(|k| !(field == Field::Annotations && *k == "kubernetes.io/change-cause"))
            .filter_map(|k| {
                current
                    .get(k)
                    .map(|v| format!("'{k}' already has a value ({v})"))
            })
            .collect();
        match (field, clashes.len()) {
            (_, 0) => {}
            (Field::Labels, 1) => {
                return Err(format!("error: {}, and --overwrite is false\n", clashes[0]));
            }
            (Field::Labels, _) => {
                return Err(clashes
                    .iter()
                    .map(|c| format!("{c}, and --overwrite is false\n"))
                    .collect());
            }
            (Field::Annotations, _) => {
                return Err(format!(
                    "error: --overwrite is false but found the following declared annotation(s): {}\n",
                    clashes.join("; ")
                ));
            }
        }
    }
    let mut map: Map = meta::at(obj, &["metadata", field.key()])
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (k, v) in &c.set {
        map.insert(k.clone(), Value::from(v.clone()));
    }
    for k in &c.remove {
        map.remove(k);
    }
    let mut updated = obj.clone();
    if map.is_empty() {
        meta::remove(&mut updated, &["metadata", field.key()]);
    } else {
        meta::set(&mut updated, &["metadata", field.key()], Value::Object(map));
    }
    Ok(updated)
}

/// The API server's `ValidateLabels` / `ValidateAnnotations` for the keys being set.
fn validate_keys(target: &Target, field: Field, c: &Changes) -> Result<(), String> {
    let causes: Vec<FieldError> = c
        .set
        .keys()
        .filter_map(|k| {
            let checked = match field {
                Field::Labels => k.clone(),
                Field::Annotations => k.to_lowercase(),
            };
            qualified_name(&checked).map(|e| FieldError {
                field: format!("metadata.{}", field.key()),
                body: format!("Invalid value: {k:?}: {e}"),
            })
        })
        .collect();
    if causes.is_empty() {
        return Ok(());
    }
    let e = ApiError::Invalid {
        kind: target.kind,
        name: target.name.clone(),
        causes,
    };
    Err(format!("{e}\n"))
}

/// `--list`: the map's entries, one per line (sorted here; Go prints them in map order).
fn print_list(io: &mut Io, field: Field, target: &Target, obj: &Value, single: bool) {
    let indent = if single {
        ""
    } else {
        let what = match field {
            Field::Labels => "labels",
            Field::Annotations => "annotations",
        };
        io.out.push_str(&format!(
            "Listing {what} for {}.{}/{}:\n",
            target.kind.name(),
            target.kind.group(),
            target.name
        ));
        " "
    };
    for (k, v) in meta::string_map(obj, &["metadata", field.key()]) {
        io.out.push_str(&format!("{indent}{k}={v}\n"));
    }
}

/// The name printer with the operation, or the object in a structured format.
pub(super) fn print(io: &mut Io, format: &Format, kind: Kind, obj: &Value, op: &str, dry: &str) {
    match format {
        Format::Table | Format::Wide => io
            .out
            .push_str(&format!("{} {op}{dry}\n", output::object_name(kind, obj))),
        Format::Name => io
            .out
            .push_str(&format!("{}\n", output::object_name(kind, obj))),
        f => match output::print_structured(f, obj) {
            Ok(t) => io.out.push_str(&t),
            Err(e) => io.fail(e),
        },
    }
}

#[cfg(test)]
#[path = "label_tests.rs"]
mod tests;
