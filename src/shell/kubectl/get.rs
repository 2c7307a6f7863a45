//! `kubectl get`: tables (plain, wide, several kinds), names, and structured output.

use crate::engine::value::Value;

use super::flags::{self, Flag, boolean, value};
use super::output::{self, Format};
use super::tables::{self, TableOptions};
use super::{Ctx, Io, messages};
use crate::api::resources::{self, Request};
use crate::api::selector;
use crate::engine::ApiError;
use crate::engine::objects::{Kind, meta};

pub(crate) const FLAGS: &[Flag] = &[
    value("output", Some('o')),
    value("selector", Some('l')),
    value("field-selector", None),
    value("label-columns", Some('L')),
    value("sort-by", None),
    value("template", None),
    value("chunk-size", None),
    boolean("all-namespaces", Some('A')),
    boolean("show-labels", None),
    boolean("no-headers", None),
    boolean("show-kind", None),
    boolean("ignore-not-found", None),
    boolean("watch", Some('w')),
    boolean("watch-only", None),
    boolean("show-managed-fields", None),
    boolean("allow-missing-template-keys", None),
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl get", &e)),
    };
    if p.args.is_empty() {
        return io.fail(messages::required_resource("kubectl get"));
    }
    let requests = match resources::parse(&p.args) {
        Ok(r) => r,
        Err(_) if super::get_served::answer(&p, io) => return,
        Err(e) => return io.fail(e),
    };
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    if p.flag("show-labels") && !format.is_table() {
        return io.fail(messages::show_labels_with_printer(format.printer_name()));
    }
    let selector = match p.value("selector").map(selector::parse_labels).transpose() {
        Ok(s) => s,
        Err(e) => return io.fail(e),
    };
    let all_ns = p.flag("all-namespaces");
    let namespace = p.value("namespace").unwrap_or("default").to_string();
    let cluster = &*ctx.cluster;
    let now = cluster.now();

    let mut groups: Vec<(Kind, Vec<&Value>)> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let single_named = requests.len() == 1 && requests[0].names.len() == 1;
    for Request { kind, names } in &requests {
        let ns: Option<&str> = if !kind.is_namespaced() || (all_ns && names.is_empty()) {
            None
        } else {
            Some(namespace.as_str())
        };
        let mut found: Vec<&Value> = Vec::new();
        if names.is_empty() {
            for obj in cluster.list(*kind, ns) {
                if selector
                    .as_ref()
                    .is_some_and(|s| !s.matches(&meta::labels(obj)))
                {
                    continue;
                }
                if let Some(fs) = p.value("field-selector") {
                    match selector::fields_match(fs, obj) {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(e) => return io.fail(e),
                    }
                }
                found.push(obj);
            }
        } else {
            for name in names {
                match cluster.get(*kind, ns.unwrap_or(""), name) {
                    Some(obj) => found.push(obj),
                    None if p.flag("ignore-not-found") => {}
                    None => errors.push(
                        ApiError::NotFound {
                            kind: *kind,
                            name: name.clone(),
                        }
                        .to_string(),
                    ),
                }
            }
        }
        groups.push((*kind, found));
    }

    let total: usize = groups.iter().map(|(_, v)| v.len()).sum();
    match &format {
        Format::Table | Format::Wide => {
            let with_kind = groups.len() > 1 || p.flag("show-kind");
            let mut first = true;
            for (kind, objs) in &groups {
                if objs.is_empty() {
                    continue;
                }
                if !first {
                    io.out.push('\n');
                }
                first = false;
                let opts = TableOptions {
                    wide: matches!(format, Format::Wide),
                    no_headers: p.flag("no-headers"),
                    show_labels: p.flag("show-labels"),
                    all_namespaces: all_ns,
                    with_kind,
                    label_columns: p
                        .values("label-columns")
                        .iter()
                        .flat_map(|l| l.split(',').map(str::to_string))
                        .collect(),
                };
                io.out.push_str(&tables::print(*kind, objs, now, &opts));
            }
            if total == 0 && errors.is_empty() && !p.flag("ignore-not-found") {
                let all_namespaced = requests.iter().all(|r| r.kind.is_namespaced());
                if all_namespaced && !all_ns {
                    io.err
                        .push_str(&messages::no_resources_in_namespace(&namespace));
                } else {
                    io.err.push_str(messages::NO_RESOURCES);
                }
            }
        }
        Format::Name => {
            for (kind, objs) in &groups {
                for o in objs {
                    io.out.push_str(&output::object_name(*kind, o));
                    io.out.push('\n');
                }
            }
        }
        structured => {
            let value = if single_named && total == 1 {
                groups[0].1[0].clone()
            } else if single_named && total == 0 {
                Value::Null
            } else {
                crate::api::list::wrap(
                    groups
                        .iter()
                        .flat_map(|(_, v)| v.iter().map(|o| (*o).clone()))
                        .collect(),
                )
            };
            if !value.is_null() {
                match output::print_structured(structured, &value) {
                    Ok(text) => io.out.push_str(&text),
                    Err(e) => {
                        io.fail(e);
                    }
                }
            }
        }
    }
    for e in errors {
        io.fail(format!("{e}\n"));
    }
}
