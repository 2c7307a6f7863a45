//! `kubectl apply -f` and `kubectl create -f`: read manifests (files or stdin), validate
//! them client-side, map their kinds, then create or three-way-merge each object.

use crate::engine::value::{Value, json};

use super::flags::{self, Flag, boolean, value};
use super::output::{self, Format};
use super::{Ctx, Io, manifest, messages, validate};
use crate::engine::objects::{Kind, meta};

const FLAGS: &[Flag] = &[
    value("filename", Some('f')),
    value("output", Some('o')),
    value("dry-run", None),
    value("validate", None),
    value("field-manager", None),
    value("selector", Some('l')),
    boolean("recursive", Some('R')),
    boolean("record", None),
    boolean("save-config", None),
    boolean("server-side", None),
    boolean("force", None),
    boolean("overwrite", None),
    boolean("prune", None),
    boolean("wait", None),
    value("kustomize", Some('k')),
];

/// Which command is reading the manifests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Apply,
    Create,
}

/// The last-applied annotation kubectl keeps on applied objects.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A manifest object ready to send, with where it came from.
struct Item {
    kind: Kind,
    obj: Value,
    source: String,
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], stdin: &str, mode: Mode, io: &mut Io) {
    let command = match mode {
        Mode::Apply => "kubectl apply",
        Mode::Create => "kubectl create",
    };
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(command, &e)),
    };
    let files = p.values("filename");
    if files.is_empty() {
        return io.fail(match mode {
            Mode::Apply => messages::APPLY_NEEDS_FILE.to_string(),
            Mode::Create => messages::usage_error(command, "must specify one of -f and -k"),
        });
    }
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let dry_run = match p.value("dry-run") {
        None | Some("none") => false,
        Some("client") | Some("server") => true,
        Some(other) => {
            return io.fail(format!(
                "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n"
            ));
        }
    };
    let validate = !matches!(p.value("validate"), Some("false"));
    let flag_ns = p.value("namespace").map(str::to_string);

    // A document the API server would refuse as too large is kept in its place, so its
    // error comes in order with the other objects' results.
    let mut items: Vec<Result<Item, String>> = Vec::new();
    let mut read = 0;
    for f in &files {
        let (source, text) = if f == "-" {
            ("STDIN".to_string(), stdin.to_string())
        } else {
            match ctx.vfs.read(ctx.cwd, f) {
                Ok(t) => (f.clone(), t),
                Err(_) => return io.fail(messages::path_not_found(f)),
            }
        };
        if let Err(e) = manifest::charge_manifest(&mut read, text.len()) {
            return io.fail(e);
        }
        for doc in manifest::documents(&source, &text) {
            let doc = match doc {
                Ok(d) => d,
                Err(manifest::ManifestError::TooLarge { source }) => {
                    let context = format!("error when creating \"{source}\"");
                    items.push(Err(manifest::request_too_large(&context)));
                    continue;
                }
                Err(e) => return io.fail(format!("error: {e}\n")),
            };
            if validate && let Err(v) = validate::validate(&doc.value) {
                return io.fail(format!("error: {}\n", v.message(&source)));
            }
            let objects = match manifest::objects(&source, &doc) {
                Ok(o) => o,
                Err(e) => return io.fail(format!("error: {e}\n")),
            };
            for obj in objects {
                let (api, kind_name) = (
                    meta::api_version(&obj).to_string(),
                    meta::kind(&obj).to_string(),
                );
                let Some(kind) = Kind::from_api(&api, &kind_name) else {
                    return io.fail(messages::no_kind_match(&source, &kind_name, &api));
                };
                items.push(Ok(Item {
                    kind,
                    obj,
                    source: source.clone(),
                }));
            }
        }
    }
    if items.is_empty() {
        return io.fail(match mode {
            Mode::Apply => messages::NO_OBJECTS_APPLY,
            Mode::Create => messages::NO_OBJECTS_CREATE,
        });
    }
    let mut errors: Vec<String> = Vec::new();
    for item in items {
        let mut item = match item {
            Ok(item) => item,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if item.kind.is_namespaced() {
            let obj_ns = meta::namespace(&item.obj).to_string();
            match (&flag_ns, obj_ns.is_empty()) {
                (Some(f), false) if *f != obj_ns => {
                    errors.push(messages::namespace_mismatch(&obj_ns, f));
                    continue;
                }
                (Some(f), true) => meta::set(&mut item.obj, &["metadata", "namespace"], json!(f)),
                (None, true) => {
                    meta::set(&mut item.obj, &["metadata", "namespace"], json!("default"))
                }
                _ => {}
            }
        } else {
            meta::remove(&mut item.obj, &["metadata", "namespace"]);
        }
        let result = match mode {
            Mode::Apply => apply_one(ctx, &item, dry_run, io),
            Mode::Create => create_one(ctx, &item, dry_run, p.flag("save-config")),
        };
        match result {
            Ok((op, shown)) => report(io, &format, item.kind, &shown, op, dry_run),
            Err(e) => errors.push(e),
        }
    }
    for e in errors {
        io.fail(e);
    }
}

fn report(io: &mut Io, format: &Format, kind: Kind, obj: &Value, op: &str, dry_run: bool) {
    match format {
        Format::Name => io
            .out
            .push_str(&format!("{}\n", output::object_name(kind, obj))),
        Format::Table | Format::Wide => {
            let suffix = if dry_run { " (dry run)" } else { "" };
            io.out.push_str(&format!(
                "{} {op}{suffix}\n",
                output::object_name(kind, obj)
            ));
        }
        structured => match output::print_structured(structured, obj) {
            Ok(t) => io.out.push_str(&t),
            Err(e) => io.fail(e),
        },
    }
}

/// The manifest as kubectl records it in the last-applied annotation: compact JSON, keys
/// sorted, `annotations` present (possibly empty), a trailing newline.
fn last_applied(obj: &Value) -> String {
    let mut copy = obj.clone();
    meta::map_at(&mut copy, &["metadata", "annotations"]).remove(LAST_APPLIED);
    format!("{}\n", go_compact_json(&copy))
}

/// Whether the request body sending `obj` (its JSON, the last-applied annotation included)
/// is longer than the API server accepts.
fn too_large(obj: &Value) -> bool {
    obj.to_string().len() > manifest::MAX_REQUEST_BODY_BYTES
}

/// `json.Marshal`'s text: compact, with `<`, `>` and `&` escaped as Go escapes them.
pub fn go_compact_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn apply_one(
    ctx: &mut Ctx<'_>,
    item: &Item,
    dry_run: bool,
    io: &mut Io,
) -> Result<(&'static str, Value), String> {
    let ns = meta::namespace(&item.obj).to_string();
    let name = meta::name(&item.obj).to_string();
    let annotation = last_applied(&item.obj);
    let mut desired = item.obj.clone();
    meta::set(
        &mut desired,
        &["metadata", "annotations", LAST_APPLIED],
        json!(annotation),
    );
    let context = format!("error when creating \"{}\"", item.source);
    if too_large(&desired) {
        return Err(manifest::request_too_large(&context));
    }
    let Some(live) = ctx.cluster.get(item.kind, &ns, &name).cloned() else {
        if dry_run {
            return Ok(("created", desired));
        }
        return ctx
            .cluster
            .create(item.kind, desired)
            .map(|o| ("created", o))
            .map_err(|e| format!("{}\n", e.kubectl_text(Some(&context))));
    };
    let previous: Option<Value> =
        meta::annotation(&live, LAST_APPLIED).and_then(|a| serde_json::from_str(a).ok());
    if previous.is_none() {
        io.err
            .push_str(&messages::missing_last_applied(item.kind.plural(), &name));
    }
    let mut merged = live.clone();
    three_way_merge(&mut merged, previous.as_ref(), &desired);
    if dry_run {
        return Ok(("configured", merged));
    }
    let before = meta::str_at(&live, &["metadata", "resourceVersion"]).to_string();
    let patch_context = format!("error when applying patch to \"{}\"", item.source);
    let updated = ctx
        .cluster
        .update(item.kind, merged)
        .map_err(|e| format!("{}\n", e.kubectl_text(Some(&patch_context))))?;
    let after = meta::str_at(&updated, &["metadata", "resourceVersion"]);
    // A Secret's stringData is never stored, so the patch kubectl computes always carries
    // it: a re-applied Secret with stringData is "configured" even when nothing changed.
    let string_data = item.kind == Kind::Secret && item.obj.get("stringData").is_some();
    Ok((
        if after == before && !string_data {
            "unchanged"
        } else {
            "configured"
        },
        updated,
    ))
}

/// Client-side apply's merge: fields the last apply set but the new manifest drops are
/// removed; the manifest's fields are set (maps merged, lists replaced); everything else
/// (server defaults, other writers' fields) stays.
pub fn three_way_merge(live: &mut Value, last: Option<&Value>, new: &Value) {
    let (Some(live_map), Some(new_map)) = (live.as_object_mut(), new.as_object()) else {
        *live = new.clone();
        return;
    };
    if let Some(last_map) = last.and_then(Value::as_object) {
        for k in last_map.keys() {
            if !new_map.contains_key(k) {
                live_map.remove(k);
            }
        }
    }
    for (k, nv) in new_map {
        let last_child = last.and_then(|l| l.get(k));
        match live_map.get_mut(k) {
            Some(lv) if lv.is_object() && nv.is_object() => three_way_merge(lv, last_child, nv),
            _ => {
                live_map.insert(k.clone(), nv.clone());
            }
        }
    }
}

fn create_one(
    ctx: &mut Ctx<'_>,
    item: &Item,
    dry_run: bool,
    save_config: bool,
) -> Result<(&'static str, Value), String> {
    let mut obj = item.obj.clone();
    if save_config {
        let a = last_applied(&obj);
        meta::set(
            &mut obj,
            &["metadata", "annotations", LAST_APPLIED],
            json!(a),
        );
    }
    let context = format!("error when creating \"{}\"", item.source);
    if too_large(&obj) {
        return Err(manifest::request_too_large(&context));
    }
    let ns = meta::namespace(&obj).to_string();
    if dry_run {
        if ctx.cluster.get(item.kind, &ns, meta::name(&obj)).is_some() {
            let e = crate::engine::ApiError::AlreadyExists {
                kind: item.kind,
                name: meta::name(&obj).to_string(),
            };
            return Err(format!("{}\n", e.kubectl_text(Some(&context))));
        }
        return Ok(("created", obj));
    }
    ctx.cluster
        .create(item.kind, obj)
        .map(|o| ("created", o))
        .map_err(|e| format!("{}\n", e.kubectl_text(Some(&context))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_drops_fields_removed_since_last_apply_and_keeps_server_fields() {
        let mut live = json!({"spec": {"a": 1, "b": 2, "server": 3}});
        let last = json!({"spec": {"a": 1, "b": 2}});
        let new = json!({"spec": {"a": 5}});
        three_way_merge(&mut live, Some(&last), &new);
        assert_eq!(live, json!({"spec": {"a": 5, "server": 3}}));
    }

    #[test]
    fn last_applied_is_compact_sorted_with_newline() {
        let obj = json!({"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "dev-system", "annotations": {}}});
        assert_eq!(
            last_applied(&obj),
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},\"name\":\"dev-system\"}}\n"
        );
    }
}
