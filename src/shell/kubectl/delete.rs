//! `kubectl delete`: by type and name, `type/name`, `-l`, `--all` or `-f`; prints
//! `kind "name" deleted` and, as kubectl does by default, waits until the object is gone
//! (simulated time passes while it waits).

use std::time::Duration;

use super::flags::{self, Flag, boolean, value};
use super::{Ctx, Io, manifest, messages};
use crate::api::resources::{self, Request};
use crate::api::selector;
use crate::engine::objects::{Kind, meta};
use crate::engine::{ApiError, DeleteOptions};

const FLAGS: &[Flag] = &[
    value("filename", Some('f')),
    value("selector", Some('l')),
    value("grace-period", None),
    value("timeout", None),
    value("wait", None),
    value("output", Some('o')),
    value("cascade", None),
    value("field-selector", None),
    boolean("all", None),
    boolean("all-namespaces", Some('A')),
    boolean("force", None),
    boolean("now", None),
    boolean("ignore-not-found", None),
    boolean("recursive", Some('R')),
];

/// How long a delete waits before giving up (kubectl's default `--timeout=0` means a week;
/// the tutor stops waiting sooner, as nothing it simulates takes longer).
const WAIT_LIMIT: Duration = Duration::from_secs(600);

pub fn run(ctx: &mut Ctx<'_>, args: &[String], stdin: &str, io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl delete", &e)),
    };
    let namespace = p.value("namespace").unwrap_or("default").to_string();
    let mut grace: Option<i64> = match p.value("grace-period").map(str::parse::<i64>).transpose() {
        Ok(g) => g.filter(|g| *g >= 0),
        Err(_) => {
            return io.fail(messages::flag_error(
                "kubectl delete",
                "invalid argument for --grace-period",
            ));
        }
    };
    if p.flag("now") {
        grace = Some(1);
    }
    let force = p.flag("force");
    if force && grace == Some(0) {
        io.err.push_str(messages::FORCE_DELETE_WARNING);
    }
    let wait = !matches!(p.value("wait"), Some("false"));

    let mut targets: Vec<(Kind, String, String)> = Vec::new();
    let files = p.values("filename");
    if !files.is_empty() {
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
            match manifest::decode(&source, &text) {
                Ok(objs) => {
                    for o in objs {
                        let Some(kind) = Kind::from_api(meta::api_version(&o), meta::kind(&o))
                        else {
                            return io.fail(messages::no_kind_match(
                                &source,
                                meta::kind(&o),
                                meta::api_version(&o),
                            ));
                        };
                        let ns = if kind.is_namespaced() {
                            match meta::namespace(&o) {
                                "" => namespace.clone(),
                                n => n.to_string(),
                            }
                        } else {
                            String::new()
                        };
                        targets.push((kind, ns, meta::name(&o).to_string()));
                    }
                }
                Err(e) => return io.fail(format!("error: {e}\n")),
            }
        }
    } else {
        if p.args.is_empty() {
            return io.fail(messages::DELETE_NEEDS_ARGS);
        }
        let requests = match resources::parse(&p.args) {
            Ok(r) => r,
            Err(e) => return io.fail(e),
        };
        let selector = match p.value("selector").map(selector::parse_labels).transpose() {
            Ok(s) => s,
            Err(e) => return io.fail(e),
        };
        for Request { kind, names } in requests {
            let ns = if kind.is_namespaced() {
                namespace.clone()
            } else {
                String::new()
            };
            if names.is_empty() {
                if selector.is_none() && !p.flag("all") {
                    return io
                        .fail("error: resource(s) were provided, but no name was specified\n");
                }
                let scope = if p.flag("all-namespaces") || !kind.is_namespaced() {
                    None
                } else {
                    Some(ns.as_str())
                };
                for o in ctx.cluster.list(kind, scope) {
                    if selector
                        .as_ref()
                        .is_none_or(|s| s.matches(&meta::labels(o)))
                    {
                        targets.push((
                            kind,
                            meta::namespace(o).to_string(),
                            meta::name(o).to_string(),
                        ));
                    }
                }
            } else {
                targets.extend(names.into_iter().map(|n| (kind, ns.clone(), n)));
            }
        }
        if targets.is_empty() {
            io.out.push_str(messages::NO_RESOURCES);
            return;
        }
    }

    let mut deleted: Vec<(Kind, String, String, String)> = Vec::new();
    for (kind, ns, name) in targets {
        let uid = ctx
            .cluster
            .get(kind, &ns, &name)
            .map(|o| meta::uid(o).to_string())
            .unwrap_or_default();
        let opts = DeleteOptions {
            grace_period_seconds: if force && grace.is_none() {
                Some(0)
            } else {
                grace
            },
        };
        match ctx.cluster.delete(kind, &ns, &name, opts) {
            Ok(()) => {
                let verb = if force && grace == Some(0) {
                    "force deleted"
                } else {
                    "deleted"
                };
                io.out.push_str(&format!(
                    "{} \"{}\" {verb}\n",
                    kind.singular_with_group(),
                    name
                ));
                deleted.push((kind, ns, name, uid));
            }
            Err(ApiError::NotFound { .. }) if p.flag("ignore-not-found") => {}
            Err(e) => io.fail(format!("{e}\n")),
        }
    }
    if wait {
        for (kind, ns, name, uid) in deleted {
            wait_gone(ctx, kind, &ns, &name, &uid);
        }
    }
}

/// Lets simulated time pass until the object with `uid` no longer exists.
fn wait_gone(ctx: &mut Ctx<'_>, kind: Kind, ns: &str, name: &str, uid: &str) {
    let deadline = ctx.cluster.now() + WAIT_LIMIT;
    while ctx
        .cluster
        .get(kind, ns, name)
        .is_some_and(|o| meta::uid(o) == uid)
    {
        let Some(next) = ctx.cluster.next_activity() else {
            break;
        };
        if next > deadline {
            break;
        }
        let step = Duration::from_millis((next.0 - ctx.cluster.now().0).max(0) as u64);
        ctx.cluster.advance(step);
    }
}
