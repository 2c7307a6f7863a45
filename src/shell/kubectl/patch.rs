//! `kubectl patch`: `-p PATCH` or `--patch-file FILE`, `--type strategic|merge|json`,
//! applied as the API server applies it (`engine::admission::patch_object`), printed as
//! `kind/name patched` or `patched (no change)`, with kubectl v1.21's errors.
//!
//! Must not import: the terminal, std::fs, std::process.

use crate::engine::value::Value;

use super::flags::{self, Flag, boolean, value};
use super::output::Format;
use super::targets::{self, Target};
use super::{Ctx, Io, label, manifest, messages};
use crate::engine::admission::{self, PatchFailure, PatchType};
use crate::engine::objects::{Kind, meta};

const COMMAND: &str = "kubectl patch";

const FLAGS: &[Flag] = &[
    value("patch", Some('p')),
    value("patch-file", None),
    value("type", None),
    value("dry-run", None),
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("kustomize", Some('k')),
    boolean("local", None),
    value("field-manager", None),
    value("output", Some('o')),
    boolean("record", None),
    value("template", None),
    boolean("show-managed-fields", None),
    boolean("allow-missing-template-keys", None),
];

/// The `--type` values, in the order kubectl lists them.
const TYPES: &str = "[json merge strategic]";

/// What a patch of one object produced (as the server computes it), or the error text.
fn patched(obj: &Value, kind: Kind, patch: &Value, ty: PatchType) -> Result<Value, String> {
    admission::patch_object(obj, kind, patch, ty).map_err(|e| match e {
        PatchFailure::BadRequest(m) => format!("Error from server (BadRequest): {m}\n"),
        PatchFailure::Invalid => "The request is invalid\n".to_string(),
    })
}

/// `yaml.ToJSON` of the patch text: YAML or JSON, one document.
fn parse_patch(text: &str, shown: &str) -> Result<Value, String> {
    match manifest::documents("patch", text).into_iter().next() {
        None => Ok(Value::Null),
        Some(Ok(doc)) => Ok(doc.value),
        Some(Err(manifest::ManifestError::Parse { detail, .. })) => {
            Err(format!("error: unable to parse {shown:?}: {detail}\n"))
        }
        Some(Err(e)) => Err(format!("error: unable to parse {shown:?}: {e}\n")),
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(COMMAND, &e)),
    };
    let inline = p.value("patch").unwrap_or("");
    let file = p.value("patch-file").unwrap_or("");
    if !inline.is_empty() && !file.is_empty() {
        return io.fail("error: cannot specify --patch and --patch-file together\n");
    }
    if inline.is_empty() && file.is_empty() {
        return io.fail(
            "error: must specify --patch or --patch-file containing the contents of the patch\n",
        );
    }
    let local = p.flag("local");
    if local && !p.args.is_empty() {
        return io.fail("error: cannot specify --local and server resources\n");
    }
    let ty = match p
        .value("type")
        .unwrap_or("strategic")
        .to_lowercase()
        .as_str()
    {
        "json" => PatchType::Json,
        "merge" => PatchType::Merge,
        "strategic" => PatchType::Strategic,
        _ => {
            return io.fail(format!(
                "error: --type must be one of {TYPES}, not {:?}\n",
                p.value("type").unwrap_or("")
            ));
        }
    };
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let text = if file.is_empty() {
        inline.to_string()
    } else {
        match ctx.vfs.read(ctx.cwd, file) {
            Ok(t) => t,
            Err(_) => {
                return io.fail(format!(
                    "error: unable to read patch file: open {file}: no such file or directory\n"
                ));
            }
        }
    };
    let patch = match parse_patch(&text, inline) {
        Ok(v) => v,
        Err(e) => return io.fail(e),
    };
    let files = p.values("filename");
    let objects: Vec<(Target, Option<Value>)> = if !files.is_empty() {
        match read_files(ctx, &files, &targets::namespace(&p), local) {
            Ok(o) => o,
            Err(e) => return io.fail(e),
        }
    } else if local {
        return io.fail("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n");
    } else if p.args.is_empty() {
        return io.fail(messages::DELETE_NEEDS_ARGS);
    } else {
        match targets::resolve(ctx.cluster, &p, &p.args) {
            Ok(t) => t
                .into_iter()
                .map(|t| {
                    let obj = ctx.cluster.get(t.kind, &t.namespace, &t.name).cloned();
                    (t, obj)
                })
                .collect(),
            Err(e) => return io.fail(e),
        }
    };
    let dry = match p.value("dry-run") {
        Some("client") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    };
    for (target, obj) in objects {
        let Some(obj) = obj else {
            io.fail(format!("{}\n", target.not_found()));
            continue;
        };
        let after = match patched(&obj, target.kind, &patch, ty) {
            Ok(v) => v,
            Err(e) => {
                io.fail(e);
                continue;
            }
        };
        let result = if local || !dry.is_empty() || after == obj {
            Ok(after)
        } else {
            ctx.cluster
                .update(target.kind, after)
                .map_err(|e| format!("{e}\n"))
        };
        match result {
            Ok(after) => {
                let op = if after == obj {
                    "patched (no change)"
                } else {
                    "patched"
                };
                let dry = if local { "" } else { dry };
                label::print(io, &format, target.kind, &after, op, dry);
            }
            Err(e) => io.fail(e),
        }
    }
}

/// The objects of `-f` files: read from the file itself with `--local`, else from the cluster.
fn read_files(
    ctx: &Ctx<'_>,
    files: &[String],
    namespace: &str,
    local: bool,
) -> Result<Vec<(Target, Option<Value>)>, String> {
    let mut out = Vec::new();
    for f in files {
        let text = ctx
            .vfs
            .read(ctx.cwd, f)
            .map_err(|_| messages::path_not_found(f))?;
        let source = manifest::source_name(f);
        for o in manifest::decode(&source, &text).map_err(|e| format!("error: {e}\n"))? {
            let Some(kind) = Kind::from_api(meta::api_version(&o), meta::kind(&o)) else {
                return Err(messages::no_kind_match(
                    &source,
                    meta::kind(&o),
                    meta::api_version(&o),
                ));
            };
            let ns = match (kind.is_namespaced(), meta::namespace(&o)) {
                (false, _) => String::new(),
                (true, "") => namespace.to_string(),
                (true, n) => n.to_string(),
            };
            let name = meta::name(&o).to_string();
            let obj = if local {
                Some(o)
            } else {
                ctx.cluster.get(kind, &ns, &name).cloned()
            };
            out.push((
                Target {
                    kind,
                    namespace: ns,
                    name,
                },
                obj,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
