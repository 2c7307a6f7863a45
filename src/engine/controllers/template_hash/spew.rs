//! go-spew's `%#v` text (`ConfigState{Indent: " ", SortKeys: true, DisableMethods: true,
//! SpewKeys: true}`, `Fprintf`, i.e. spew's formatter, not its `Dump`) of a Go value, for a
//! value the controller-manager would hold after decoding the stored object: the JSON is
//! walked along the Go types of `go_types.rs`.
//!
//! What spew prints, and so what is written here:
//! - a value as a struct field or at the top: `(TYPE)` then the value; a slice element, map
//!   key or map value: the value alone;
//! - a struct: `{Field:value Field:value}` with every field in declaration order; a string:
//!   its bytes unquoted; numbers in decimal; `true`/`false`;
//! - a nil pointer, slice or map: `<nil>` (after `(TYPE)`); a pointer: `(*TYPE)` and what it
//!   points to; a slice `[a b]`; a map `map[k:v k:v]`, keys sorted.
//!
//! Empty JSON lists and objects count as nil slices and maps: the controller-manager reads
//! objects in protobuf, which does not tell an empty list from an absent one (an empty
//! struct behind a pointer, `securityContext: {}`, stays a non-nil pointer).

use std::fmt::{self, Write};

use crate::engine::value::Value;

use super::go_types::{Field, JsonKey, types};
use super::quantity;

/// Writes the `%#v` text of a `v1.PodTemplateSpec` held as JSON.
pub(super) fn pod_template_spec<W: Write>(out: &mut W, template: &Value) -> fmt::Result {
    value(out, "v1.PodTemplateSpec", Some(template), true)
}

/// A Go type as spew tells types apart.
enum Shape<'a> {
    Ptr(&'a str),
    Slice(&'a str),
    Map(&'a str, &'a str),
    Str,
    Int,
    Bool,
    Struct(&'a [Field]),
    Quantity,
    IntOrString,
    Time,
    Unknown,
}

fn shape(ty: &str) -> Shape<'_> {
    let t = types();
    let ty = t.underlying(ty);
    if let Some(elem) = ty.strip_prefix('*') {
        return Shape::Ptr(elem);
    }
    if let Some(elem) = ty.strip_prefix("[]") {
        return Shape::Slice(elem);
    }
    if let Some(rest) = ty.strip_prefix("map[") {
        return match split_map(rest) {
            Some((k, v)) => Shape::Map(k, v),
            None => Shape::Unknown,
        };
    }
    match ty {
        "string" => Shape::Str,
        "int" | "int8" | "int16" | "int32" | "int64" | "uint" | "uint8" | "byte" | "uint16"
        | "uint32" | "uint64" => Shape::Int,
        "bool" => Shape::Bool,
        "resource.Quantity" => Shape::Quantity,
        "intstr.IntOrString" => Shape::IntOrString,
        "v1.Time" => Shape::Time,
        _ => t.fields(ty).map_or(Shape::Unknown, Shape::Struct),
    }
}

/// `K]V` of `map[K]V`: the key type ends at the bracket that closes the map's.
fn split_map(rest: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some((&rest[..i], &rest[i + 1..])),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A value of Go type `ty` (JSON `v`; absent or null is Go's zero value), with its type in
/// front when `show_type` (a struct field or the top), without it as an element.
fn value<W: Write>(out: &mut W, ty: &str, v: Option<&Value>, show_type: bool) -> fmt::Result {
    let v = v.filter(|v| !v.is_null());
    if let Shape::Ptr(elem) = shape(ty) {
        return match v {
            None if show_type => write!(out, "({ty})<nil>"),
            None => out.write_str("<nil>"),
            Some(v) => {
                if show_type {
                    write!(out, "({ty})")?;
                } else {
                    out.write_str("<*>")?;
                }
                body(out, elem, Some(v))
            }
        };
    }
    if show_type {
        write!(out, "({ty})")?;
    }
    body(out, ty, v)
}

/// The value itself, without its type.
fn body<W: Write>(out: &mut W, ty: &str, v: Option<&Value>) -> fmt::Result {
    match shape(ty) {
        Shape::Ptr(_) => value(out, ty, v, false),
        Shape::Str => match v {
            Some(Value::String(s)) => out.write_str(s),
            Some(other) => write!(out, "{other}"),
            None => Ok(()),
        },
        Shape::Int => write!(out, "{}", integer(v)),
        Shape::Bool => out.write_str(if v.and_then(Value::as_bool) == Some(true) {
            "true"
        } else {
            "false"
        }),
        Shape::Slice(elem) => match v {
            Some(Value::Array(items)) if !items.is_empty() => {
                out.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.write_char(' ')?;
                    }
                    value(out, elem, Some(item), false)?;
                }
                out.write_char(']')
            }
            _ => out.write_str("<nil>"),
        },
        Shape::Map(key, val) => match v {
            Some(Value::Object(m)) if !m.is_empty() => {
                let mut keys: Vec<&crate::engine::value::Str> = m.keys().collect();
                keys.sort();
                out.write_str("map[")?;
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.write_char(' ')?;
                    }
                    value(out, key, Some(&Value::String((*k).clone())), false)?;
                    out.write_char(':')?;
                    value(out, val, m.get(k), false)?;
                }
                out.write_char(']')
            }
            _ => out.write_str("<nil>"),
        },
        Shape::Struct(fields) => {
            out.write_char('{')?;
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.write_char(' ')?;
                }
                let fv = match f.json {
                    JsonKey::Key(k) => v.and_then(|v| v.get(k)),
                    JsonKey::Inline => v,
                    JsonKey::Never => None,
                };
                write!(out, "{}:", f.go)?;
                value(out, f.ty, fv, true)?;
            }
            out.write_char('}')
        }
        Shape::Quantity => quantity::write(out, v),
        Shape::IntOrString => match v {
            Some(Value::String(s)) => {
                write!(
                    out,
                    "{{Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string){s}}}"
                )
            }
            _ => write!(
                out,
                "{{Type:(intstr.Type)0 IntVal:(int32){} StrVal:(string)}}",
                integer(v)
            ),
        },
        Shape::Time => time(out, v),
        // A type the table lacks (it has every type a PodTemplateSpec holds): its JSON
        // text, so the result is still a function of the object.
        Shape::Unknown => match v {
            Some(v) => write!(out, "{v}"),
            None => Ok(()),
        },
    }
}

fn integer(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|u| u as i64))
            .or_else(|| n.as_f64().map(|f| f as i64))
            .unwrap_or(0),
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

/// `metav1.Time`: a template's `creationTimestamp: null` is Go's zero time. A set time
/// (never in a template the API server stores) is written as Go's wall and ext fields of
/// that instant in UTC; real spew would also follow the pointer to the local time zone.
fn time<W: Write>(out: &mut W, v: Option<&Value>) -> fmt::Result {
    let (wall, ext) = match v.and_then(Value::as_str) {
        Some(s) => {
            let secs =
                crate::engine::clock::SimTime::parse_rfc3339(s).map_or(0, |t| t.0.div_euclid(1000));
            // Seconds from year 1 to 1970, the epoch of Go's `ext` without a monotonic clock.
            (0u64, secs + 62_135_596_800)
        }
        None => (0, 0),
    };
    write!(
        out,
        "{{Time:(time.Time){{wall:(uint64){wall} ext:(int64){ext} loc:(*time.Location)<nil>}}}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_the_table_names_is_known() {
        fn known(ty: &str) -> bool {
            match shape(ty) {
                Shape::Ptr(e) | Shape::Slice(e) => known(e),
                Shape::Map(k, v) => known(k) && known(v),
                Shape::Unknown => false,
                _ => true,
            }
        }
        for (owner, ty) in types().all_field_types() {
            assert!(known(ty), "{owner}: {ty}");
        }
    }

    #[test]
    fn spew_writes_types_for_fields_and_none_for_elements() {
        let mut s = String::new();
        let probe = crate::engine::value::json!({"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}});
        value(&mut s, "*v1.Probe", Some(&probe), true).ok();
        assert!(s.starts_with("(*v1.Probe){Handler:(v1.Handler){Exec:(*v1.ExecAction)<nil> HTTPGet:(*v1.HTTPGetAction){Path:(string)/ready Port:(intstr.IntOrString){Type:(intstr.Type)0 IntVal:(int32)8181 StrVal:(string)} Host:(string) Scheme:(v1.URIScheme)HTTP HTTPHeaders:([]v1.HTTPHeader)<nil>}"), "{s}");
        let mut s = String::new();
        let labels = crate::engine::value::json!({"b": "2", "a": "1"});
        value(&mut s, "map[string]string", Some(&labels), true).ok();
        assert_eq!(s, "(map[string]string)map[a:1 b:2]");
        let mut s = String::new();
        value(
            &mut s,
            "[]string",
            Some(&crate::engine::value::json!([])),
            true,
        )
        .ok();
        assert_eq!(s, "([]string)<nil>");
    }
}
