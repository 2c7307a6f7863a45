//! `kubectl explain RESOURCE[.field...] [--recursive] [--api-version=G/V]`: the structure
//! from the embedded v1.21 schema, the descriptions from [`explain_docs`] (our own words),
//! laid out as kubectl v1.21's `pkg/explain` prints them (model printer, fields printers,
//! formatter wrapping at 80 columns).
//!
//! Must not import: the engine's cluster, the terminal, std::fs, std::process.

use std::collections::BTreeSet;

use super::explain_docs::{field_doc, generic_field, generic_type, type_doc};
use super::flags::{self, boolean, value};
use super::{Io, messages};
use crate::engine::schema::{Node, definitions};

/// kubectl's formatter wraps descriptions at 80 columns, counting the indent.
const WRAP: usize = 80;
/// Indent of the fields list and of every description (`fieldIndentLevel`,
/// `descriptionIndentLevel`).
const FIELD_INDENT: usize = 3;
const DESCRIPTION_INDENT: usize = 5;

/// A schema node with the description that goes with it where it was reached.
#[derive(Clone, Debug)]
struct Schema<'a> {
    node: &'a Node,
    description: String,
    /// The definition this node is, when it is a named one (its fields' texts hang off it).
    definition: Option<&'a str>,
}

static ARBITRARY: Node = Node::Arbitrary;

impl<'a> Schema<'a> {
    /// A named definition, described by its own text.
    fn definition(name: &'a str) -> Option<Schema<'a>> {
        let node = definitions().get(name)?;
        let description = match node {
            Node::Kind { .. } => type_doc(name).map_or_else(|| generic_type(name), str::to_string),
            _ => type_doc(name).unwrap_or_default().to_string(),
        };
        Some(Schema {
            node,
            description,
            definition: Some(name),
        })
    }

    /// An array's items or a map's values: no description of their own.
    fn inner(node: &'a Node) -> Schema<'a> {
        Schema {
            node,
            description: String::new(),
            definition: None,
        }
    }

    /// Field `name` of this (Kind) schema, described by our text or a generic line.
    fn field(&self, name: &str, node: &'a Node) -> Schema<'a> {
        let owner = self.definition.unwrap_or_default();
        let description = field_doc(owner, name)
            .map_or_else(|| generic_field(name, &type_name(node)), str::to_string);
        Schema {
            node,
            description,
            definition: None,
        }
    }
}

/// `GetTypeName`: `Object`, `[]T`, `map[string]T`, or the primitive type.
fn type_name(node: &Node) -> String {
    match node {
        Node::Kind { .. } => "Object".to_string(),
        Node::Array(sub) => format!("[]{}", type_name(sub)),
        Node::Map(sub) => format!(
            "map[string]{}",
            sub.as_deref().map(type_name).unwrap_or_default()
        ),
        Node::Primitive { ty, .. } => ty.clone(),
        Node::Ref(name) => definitions().get(name).map(type_name).unwrap_or_default(),
        Node::Arbitrary => String::new(),
    }
}

pub fn run(args: &[String], io: &mut Io) {
    let specs = [boolean("recursive", None), value("api-version", None)];
    let p = match flags::parse(args, &specs) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl explain", &e)),
    };
    match p.args.as_slice() {
        [] => io.fail("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n"),
        [one] => match explain(one, p.value("api-version"), p.flag("recursive")) {
            Ok(text) => io.out.push_str(&text),
            Err(e) => io.fail(format!("error: {e}\n")),
        },
        _ => io.fail("error: We accept only this format: explain RESOURCE\n"),
    }
}

/// The whole explanation of `arg`, or kubectl's error (without `error: `).
pub fn explain(arg: &str, api_version: Option<&str>, recursive: bool) -> Result<String, String> {
    let trimmed = arg.strip_suffix('.').unwrap_or(arg);
    let mut parts = trimmed.split('.');
    let resource = parts.next().unwrap_or_default();
    let Some(kind) = crate::api::resources::lookup(resource) else {
        return Err(format!(
            "the server doesn't have a resource type {resource:?}"
        ));
    };
    // Without --api-version kubectl accepts `plural.group.field...`, the group dropped.
    let full = format!("{}.{}", kind.plural(), kind.group());
    let path: Vec<&str> = match trimmed.strip_prefix(full.as_str()) {
        Some(rest) if api_version.is_none() && !kind.group().is_empty() => {
            rest.split('.').skip(1).collect()
        }
        _ => parts.collect(),
    };
    let (group, version) = match api_version.filter(|v| !v.is_empty()) {
        None => (kind.group().to_string(), "v1".to_string()),
        Some(gv) => match gv.split('/').collect::<Vec<_>>().as_slice() {
            [v] => (String::new(), (*v).to_string()),
            [g, v] => ((*g).to_string(), (*v).to_string()),
            _ => return Err(format!("unexpected GroupVersion string: {gv}")),
        },
    };
    let defs = definitions();
    let Some(root) = defs
        .lookup(&group, &version, kind.name())
        .and_then(Schema::definition)
    else {
        return Err(format!(
            "couldn't find resource for \"{group}/{version}, Kind={}\"",
            kind.name()
        ));
    };
    let gv = if group.is_empty() {
        version
    } else {
        format!("{group}/{version}")
    };
    let leaf = lookup(root, &path)?;
    let mut out = String::new();
    print_model(
        &mut out,
        path.last().copied().unwrap_or_default(),
        leaf,
        kind.name(),
        &gv,
        recursive,
    );
    Ok(out)
}

/// `LookupSchemaForField`: follows the path; arrays and maps pass through to their items,
/// and a primitive ends the walk whatever path is left (as kubectl does).
fn lookup<'a>(schema: Schema<'a>, path: &[&str]) -> Result<Schema<'a>, String> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(schema);
    };
    match schema.node {
        Node::Primitive { .. } | Node::Arbitrary => Ok(schema),
        Node::Array(sub) => lookup(Schema::inner(sub), path),
        Node::Map(sub) => lookup(Schema::inner(sub.as_deref().unwrap_or(&ARBITRARY)), path),
        Node::Ref(name) => match Schema::definition(name) {
            Some(target) => lookup(target, path),
            None => Ok(schema),
        },
        Node::Kind { fields, .. } => match fields.get(*first) {
            Some(node) => lookup(schema.field(first, node), rest),
            None => Err(format!("field {first:?} does not exist")),
        },
    }
}

/// `PrintModel`: the header, the description chain, and the fields of an object.
fn print_model(
    out: &mut String,
    name: &str,
    leaf: Schema<'_>,
    kind: &str,
    gv: &str,
    recursive: bool,
) {
    let mut descriptions: Vec<String> = Vec::new();
    let mut ty: Option<String> = None;
    let mut cur = leaf;
    loop {
        match cur.node {
            Node::Array(sub) => {
                descriptions.push(cur.description.clone());
                ty.get_or_insert_with(|| type_name(cur.node));
                cur = Schema::inner(sub);
            }
            Node::Map(sub) => {
                descriptions.push(cur.description.clone());
                ty.get_or_insert_with(|| type_name(cur.node));
                cur = Schema::inner(sub.as_deref().unwrap_or(&ARBITRARY));
            }
            Node::Ref(target) => {
                descriptions.push(cur.description.clone());
                match Schema::definition(target) {
                    Some(t) => cur = t,
                    None => cur = Schema::inner(&ARBITRARY),
                }
            }
            Node::Kind { fields, required } => {
                header(out, kind, gv);
                if !name.is_empty() {
                    let t = ty.unwrap_or_else(|| type_name(cur.node));
                    out.push_str(&format!("RESOURCE: {name} <{t}>\n\n"));
                }
                descriptions.push(cur.description.clone());
                description(out, &descriptions);
                out.push_str("\nFIELDS:\n");
                let mut visited = BTreeSet::new();
                for (key, node) in fields {
                    let field = cur.field(key, node);
                    if recursive {
                        out.push_str(&format!(
                            "{}{key}\t<{}>\n",
                            " ".repeat(FIELD_INDENT),
                            type_name(node)
                        ));
                        recursive_fields(out, node, FIELD_INDENT * 2, &mut visited);
                    } else {
                        let req = if required.contains(key) {
                            " -required-"
                        } else {
                            ""
                        };
                        out.push_str(&format!(
                            "{}{key}\t<{}>{req}\n",
                            " ".repeat(FIELD_INDENT),
                            type_name(node)
                        ));
                        wrapped(out, &field.description, DESCRIPTION_INDENT);
                        out.push('\n');
                    }
                }
                return;
            }
            Node::Primitive { ty: prim, .. } => {
                header(out, kind, gv);
                let t = ty.unwrap_or_else(|| prim.clone());
                out.push_str(&format!("FIELD:    {name} <{t}>\n\n"));
                descriptions.push(cur.description.clone());
                description(out, &descriptions);
                return;
            }
            Node::Arbitrary => {
                header(out, kind, gv);
                descriptions.push(cur.description.clone());
                description(out, &descriptions);
                return;
            }
        }
    }
}

fn header(out: &mut String, kind: &str, gv: &str) {
    out.push_str(&format!("KIND:     {kind}\nVERSION:  {gv}\n\n"));
}

/// `PrintDescription`: each non-empty text, a blank line before every one but the first
/// in the chain (kubectl counts skipped empty ones too), or `<empty>`.
fn description(out: &mut String, texts: &[String]) {
    out.push_str("DESCRIPTION:\n");
    let mut empty = true;
    for (i, text) in texts.iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        empty = false;
        if i != 0 {
            out.push('\n');
        }
        wrapped(out, text, DESCRIPTION_INDENT);
    }
    if empty {
        wrapped(out, "<empty>", DESCRIPTION_INDENT);
    }
}

/// `recursiveFieldsPrinter`: names and types only, nested 3 columns per level; a
/// definition already on the way down is not entered again.
fn recursive_fields(out: &mut String, node: &Node, indent: usize, visited: &mut BTreeSet<String>) {
    match node {
        Node::Array(sub) => recursive_fields(out, sub, indent, visited),
        Node::Map(Some(sub)) => recursive_fields(out, sub, indent, visited),
        Node::Ref(name) => {
            if !visited.insert(name.clone()) {
                return;
            }
            if let Some(target) = definitions().get(name) {
                recursive_fields(out, target, indent, visited);
            }
            visited.remove(name);
        }
        Node::Kind { fields, .. } => {
            for (key, sub) in fields {
                out.push_str(&format!(
                    "{}{key}\t<{}>\n",
                    " ".repeat(indent),
                    type_name(sub)
                ));
                recursive_fields(out, sub, indent + FIELD_INDENT, visited);
            }
        }
        Node::Map(None) | Node::Primitive { .. } | Node::Arbitrary => {}
    }
}

/// `WriteWrapped`: words filled to `WRAP - indent` columns, each line indented.
fn wrapped(out: &mut String, text: &str, indent: usize) {
    for l in wrap(text, WRAP.saturating_sub(indent)) {
        if l.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&" ".repeat(indent));
            out.push_str(&l);
            out.push('\n');
        }
    }
}

/// kubectl's `wrapString`: greedy word filling; a line that starts with 4 spaces is kept
/// as it is, a blank line stays a paragraph break, a word ending in `:` or a bullet line
/// starts a new line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut last_word = "";
    let flush = |cur: &mut Vec<&str>, lines: &mut Vec<String>| {
        if !cur.is_empty() {
            lines.push(cur.join(" "));
            cur.clear();
        }
    };
    for src in text.split('\n') {
        if src.starts_with("    ") {
            flush(&mut cur, &mut lines);
            last_word = "";
            lines.push(src.to_string());
            continue;
        }
        if !lines.is_empty() && src.trim().is_empty() {
            flush(&mut cur, &mut lines);
            last_word = "";
            lines.push(String::new());
            continue;
        }
        if last_word.ends_with(':') || src.trim().is_empty() || is_bullet(src.trim()) {
            flush(&mut cur, &mut lines);
            last_word = "";
        }
        for word in src.split_whitespace() {
            last_word = word;
            let len: usize = cur.iter().map(|w| w.len() + 1).sum::<usize>() + word.len();
            if !cur.is_empty() && len > width {
                flush(&mut cur, &mut lines);
            }
            cur.push(word);
        }
    }
    flush(&mut cur, &mut lines);
    lines
}

/// `^(\d+\.?|-|\*)\s`.
fn is_bullet(s: &str) -> bool {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let rest = &s[digits..];
    let rest = if digits > 0 {
        rest.strip_prefix('.').unwrap_or(rest)
    } else if let Some(r) = rest.strip_prefix('-').or_else(|| rest.strip_prefix('*')) {
        r
    } else {
        return false;
    };
    rest.starts_with(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_fills_lines_up_to_the_width() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        // As in kubectl, a paragraph break is kept only once a line has been flushed.
        assert_eq!(wrap("one\n\ntwo", 80), vec!["one", "two"]);
        assert_eq!(wrap("aa bb\n\ncc", 2), vec!["aa", "bb", "", "cc"]);
        assert_eq!(wrap("Note: a\n- b", 80), vec!["Note: a", "- b"]);
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            vec!["averyveryverylongword", "x"]
        );
    }

    #[test]
    fn tolerations_read_as_a_list_of_objects_with_their_fields() {
        let text = explain("daemonset.spec.template.spec.tolerations", None, false).unwrap();
        assert!(text.starts_with("KIND:     DaemonSet\nVERSION:  apps/v1\n\nRESOURCE: tolerations <[]Object>\n\nDESCRIPTION:\n"));
        assert!(text.contains("\nFIELDS:\n   effect\t<string>\n"));
        assert!(text.contains("   tolerationSeconds\t<integer>\n"));
    }

    #[test]
    fn group_qualified_resources_and_errors() {
        let a = explain("daemonsets.apps.spec", None, false).unwrap();
        let b = explain("ds.spec", None, false).unwrap();
        assert_eq!(a, b);
        assert!(a.contains("   template\t<Object> -required-\n"));
        assert_eq!(
            explain("ds.spec.nope", None, false),
            Err("field \"nope\" does not exist".into())
        );
        assert_eq!(
            explain("widgets", None, false),
            Err("the server doesn't have a resource type \"widgets\"".into())
        );
        assert_eq!(
            explain("ds", Some("apps/v1beta2"), false),
            Err("couldn't find resource for \"apps/v1beta2, Kind=DaemonSet\"".into())
        );
    }

    #[test]
    fn primitives_print_a_field_line_and_ignore_any_deeper_path() {
        let text = explain("pods.spec.nodeName.whatever", None, false).unwrap();
        assert!(text.contains("FIELD:    whatever <string>\n"));
    }
}
