//! `kubectl taint`: argument split, taint grammar, add / remove / overwrite semantics and
//! every error, as kubectl v1.21's `taint.go` and `utils.go` have them (fidelity §4.4).

use crate::engine::value::Value;

use super::flags::{self, Flag, boolean, value};
use super::output::{self, Format};
use super::{Ctx, Io, messages};
use crate::engine::objects::scheduling::Taint;
use crate::engine::objects::{Kind, meta};
use crate::engine::{ApiError, label_value, qualified_name};

const FLAGS: &[Flag] = &[
    value("selector", Some('l')),
    value("output", Some('o')),
    value("dry-run", None),
    value("field-manager", None),
    boolean("overwrite", None),
    boolean("all", None),
    boolean("validate", None),
];

const COMMAND: &str = "kubectl taint";

fn effect_error(effect: &str) -> Option<String> {
    (!["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect))
        .then(|| format!("invalid taint effect: {effect}, unsupported taint effect"))
}

/// `parseTaint` for one `key[=value]:Effect` spec.
fn parse_taint(spec: &str) -> Result<Taint, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (key.to_string(), String::new(), String::new()),
        [kv, effect] => {
            if let Some(e) = effect_error(effect) {
                return Err(e);
            }
            let kv: Vec<&str> = kv.split('=').collect();
            if kv.len() > 2 {
                return Err(format!("invalid taint spec: {spec}"));
            }
            let value = kv.get(1).map(|v| v.to_string()).unwrap_or_default();
            if let Some(e) = label_value(&value) {
                return Err(format!("invalid taint spec: {spec}, {e}"));
            }
            (kv[0].to_string(), value, effect.to_string())
        }
        _ => return Err(format!("invalid taint spec: {spec}")),
    };
    if let Some(e) = qualified_name(&key) {
        return Err(format!("invalid taint spec: {spec}, {e}"));
    }
    Ok(Taint {
        key,
        value,
        effect,
        time_added: None,
    })
}

/// `parseTaints`: what to add and what to remove.
fn parse_taints(specs: &[String]) -> Result<(Vec<Taint>, Vec<Taint>), String> {
    let mut add: Vec<Taint> = Vec::new();
    let mut remove: Vec<Taint> = Vec::new();
    for spec in specs {
        if let Some(body) = spec.strip_suffix('-') {
            let (key_part, effect) = match body.split_once(':') {
                Some((k, e)) => (k, e.split(':').next().unwrap_or("")),
                None => (body, ""),
            };
            if !effect.is_empty()
                && let Some(e) = effect_error(effect)
            {
                return Err(e);
            }
            // The value of a removal is ignored: removal matches key and effect.
            let key = key_part.split('=').next().unwrap_or("").to_string();
            remove.push(Taint {
                key,
                value: String::new(),
                effect: effect.to_string(),
                time_added: None,
            });
        } else {
            let t = parse_taint(spec)?;
            if add.iter().any(|a| a.key == t.key && a.effect == t.effect) {
                return Err(format!(
                    "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                    t.key, t.value, t.effect
                ));
            }
            add.push(t);
        }
    }
    Ok((add, remove))
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(COMMAND, &e)),
    };
    let mut resources: Vec<String> = Vec::new();
    let mut taint_args: Vec<String> = Vec::new();
    for a in &p.args {
        let is_taint = a.contains('=') || a.contains(':') || a.ends_with('-');
        if is_taint {
            taint_args.push(a.clone());
        } else if !taint_args.is_empty() {
            return io.fail(format!(
                "error: all resources must be specified before taint changes: {a}\n"
            ));
        } else {
            resources.push(a.clone());
        }
    }
    // Complete(): resources, then taint arguments, then their grammar.
    let Some((resource_type, names)) = resources.split_first() else {
        return io.fail("error: one or more resources must be specified as <resource> <name>\n");
    };
    if taint_args.is_empty() {
        return io.fail("error: at least one taint update is required\n");
    }
    let (add, remove) = match parse_taints(&taint_args) {
        Ok(x) => x,
        Err(e) => return io.fail(messages::usage_error(COMMAND, &e)),
    };
    // Validate() asks the REST mapper about the first word alone, so `node/NAME` is not a
    // type; its NoResourceMatchError prints without the `error: ` prefix.
    let resource_type = resource_type.to_lowercase();
    match crate::api::resources::lookup(&resource_type) {
        Some(Kind::Node) => {}
        Some(_) => {
            return io.fail(format!(
                "error: invalid resource type {resource_type}, only node types are supported\n"
            ));
        }
        None => {
            return io.fail(format!(
                "the server doesn't have a resource type \"{resource_type}\"\n"
            ));
        }
    }
    let names: Vec<String> = names.to_vec();
    let mut conflicts: Vec<String> = Vec::new();
    for a in &add {
        for r in &remove {
            if a.key == r.key && (r.effect.is_empty() || a.effect == r.effect) {
                conflicts.push(format!("{{\"{}\":\"{}\"}}", r.key, r.effect));
            }
        }
    }
    if !conflicts.is_empty() {
        return io.fail(format!(
            "error: can not both modify and remove the following taint(s) in the same command: {}\n",
            conflicts.join(", ")
        ));
    }
    let all = p.flag("all");
    let selector = p.value("selector");
    if all && selector.is_some() {
        return io.fail("error: setting 'all' parameter with a non empty selector is prohibited\n");
    }
    if !all && selector.is_none() && names.is_empty() {
        return io.fail("error: at least one resource name must be specified since 'all' parameter is not set\n");
    }
    let selected: Vec<String> = if all || selector.is_some() {
        let sel = match selector.map(crate::api::selector::parse_labels).transpose() {
            Ok(s) => s,
            Err(e) => return io.fail(e),
        };
        ctx.cluster
            .list(Kind::Node, None)
            .filter(|n| sel.as_ref().is_none_or(|s| s.matches(&meta::labels(n))))
            .map(|n| meta::name(n).to_string())
            .collect()
    } else {
        names
    };
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let overwrite = p.flag("overwrite");
    let dry_run = matches!(p.value("dry-run"), Some("client" | "server"));
    let mut errors: Vec<NodeError> = Vec::new();
    for name in selected {
        let Some(node) = ctx.cluster.get(Kind::Node, "", &name).cloned() else {
            errors.push(NodeError::Api(
                ApiError::NotFound {
                    kind: Kind::Node,
                    name,
                }
                .to_string(),
            ));
            continue;
        };
        match apply_to_node(&node, &add, &remove, overwrite) {
            Err(e) => errors.push(e),
            Ok((op, taints)) => {
                let mut updated = node.clone();
                if taints.is_empty() {
                    meta::remove(&mut updated, &["spec", "taints"]);
                } else {
                    let v: Vec<Value> = taints
                        .iter()
                        .filter_map(|t| crate::engine::value::to_value(t).ok())
                        .collect();
                    meta::set(&mut updated, &["spec", "taints"], Value::Array(v));
                }
                if !dry_run {
                    match ctx.cluster.update(Kind::Node, updated) {
                        Ok(stored) => updated = stored,
                        Err(e) => {
                            errors.push(NodeError::Api(e.to_string()));
                            continue;
                        }
                    }
                }
                match &format {
                    Format::Table | Format::Wide => {
                        let suffix = if dry_run { " (dry run)" } else { "" };
                        io.out.push_str(&format!("node/{name} {op}{suffix}\n"));
                    }
                    Format::Name => io.out.push_str(&format!("node/{name}\n")),
                    structured => match output::print_structured(structured, &updated) {
                        Ok(text) => io.out.push_str(&text),
                        Err(e) => io.fail(e),
                    },
                }
            }
        }
    }
    report(&errors, io);
}

/// Why one node could not be changed. The builder runs with ContinueOnError, so every
/// node is tried and the errors are printed together at the end.
#[derive(Debug, PartialEq)]
enum NodeError {
    /// A client-side error (printed with `error: ` when it is the only one).
    Plain(String),
    /// An API error, already in its `Error from server (...)` form.
    Api(String),
    /// Several removals not found on one node (an aggregate inside the aggregate).
    Missing(Vec<String>),
}

/// `cmdutil.CheckErr` over the collected errors: one error alone gets its usual form (an
/// aggregate of several missing taints prints one per line); several errors print one
/// per line with no `error: ` prefix, as `MultipleErrors("", ...)` does.
fn report(errors: &[NodeError], io: &mut Io) {
    match errors {
        [] => {}
        [NodeError::Plain(e)] => io.fail(format!("error: {e}\n")),
        [NodeError::Api(e)] => io.fail(format!("{e}\n")),
        [NodeError::Missing(list)] => {
            for e in list {
                io.fail(format!("{e}\n"));
            }
        }
        several => {
            for e in several {
                let line = match e {
                    NodeError::Plain(e) | NodeError::Api(e) => e.clone(),
                    NodeError::Missing(list) if list.len() == 1 => list[0].clone(),
                    NodeError::Missing(list) => format!("[{}]", list.join(", ")),
                };
                io.fail(format!("{line}\n"));
            }
        }
    }
}

/// `reorganizeTaints` plus the overwrite check: the new taint list and the operation word.
fn apply_to_node(
    node: &Value,
    add: &[Taint],
    remove: &[Taint],
    overwrite: bool,
) -> Result<(&'static str, Vec<Taint>), NodeError> {
    let old = crate::engine::objects::scheduling::taints(node);
    if !overwrite {
        let exists: Vec<&str> = add
            .iter()
            .filter(|a| old.iter().any(|o| o.key == a.key && o.effect == a.effect))
            .map(|a| a.key.as_str())
            .collect();
        if !exists.is_empty() {
            return Err(NodeError::Plain(format!(
                "node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                meta::name(node),
                exists.join(",")
            )));
        }
    }
    let mut new: Vec<Taint> = add.to_vec();
    for o in &old {
        if !new.iter().any(|n| n.same_identity(o)) {
            new.push(o.clone());
        }
    }
    let added = old.len() != new.len();
    let mut errors: Vec<String> = Vec::new();
    let mut deleted = false;
    for r in remove {
        let before = new.len();
        if r.effect.is_empty() {
            new.retain(|t| t.key != r.key);
        } else {
            new.retain(|t| !(t.key == r.key && t.effect == r.effect));
        }
        deleted = new.len() != before;
        if !deleted {
            let shown = Taint {
                key: r.key.clone(),
                value: String::new(),
                effect: r.effect.clone(),
                time_added: None,
            };
            errors.push(format!("taint \"{}\" not found", shown.to_kubectl_string()));
        }
    }
    match errors.len() {
        0 => {}
        1 => return Err(NodeError::Plain(errors.remove(0))),
        _ => return Err(NodeError::Missing(errors)),
    }
    let op = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    Ok((op, new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn removal_ignores_the_value() {
        let (add, remove) = parse_taints(&specs(&["VIPOnly=true:NoExecute-"])).unwrap();
        assert!(add.is_empty());
        assert_eq!(remove[0].key, "VIPOnly");
        assert_eq!(remove[0].effect, "NoExecute");
    }

    #[test]
    fn bad_specs_use_kubectl_words() {
        assert_eq!(
            parse_taints(&specs(&["k=v:NoExec"])).unwrap_err(),
            "invalid taint effect: NoExec, unsupported taint effect"
        );
        assert_eq!(
            parse_taints(&specs(&["a=b=c:NoSchedule"])).unwrap_err(),
            "invalid taint spec: a=b=c:NoSchedule"
        );
        assert!(
            parse_taints(&specs(&["VIPOnly=true"]))
                .unwrap_err()
                .starts_with("invalid taint spec: VIPOnly=true, name part must consist")
        );
        assert_eq!(
            parse_taints(&specs(&["key:"])).unwrap_err(),
            "invalid taint effect: , unsupported taint effect"
        );
    }
}
