//! `-o` output formats for objects: name, json, yaml, jsonpath, jsonpath-as-json (several
//! objects come wrapped by `api::list`).

use crate::engine::value::Value;

use super::messages;
use super::printers::yaml;
use crate::api::json as json_printer;
use crate::api::jsonpath::Template;
use crate::engine::objects::{Kind, meta};

/// A parsed `-o` value.
#[derive(Clone, Debug)]
pub enum Format {
    Table,
    Wide,
    Name,
    Json,
    Yaml,
    JsonPath(Template, String),
    JsonPathAsJson(Template, String),
}

impl Format {
    /// Parses `-o`'s value, or gives kubectl's error text.
    pub fn parse(spec: Option<&str>) -> Result<Format, String> {
        let Some(spec) = spec else {
            return Ok(Format::Table);
        };
        let (name, arg) = match spec.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (spec, None),
        };
        let template = |a: Option<&str>| -> Result<(Template, String), String> {
            let t = a.unwrap_or("");
            if t.is_empty() {
                return Err("error: template format specified but no template given\n".to_string());
            }
            Template::parse(t)
                .map(|p| (p, t.to_string()))
                .map_err(|e| format!("error: {e}\n"))
        };
        match name {
            "" => Ok(Format::Table),
            "wide" => Ok(Format::Wide),
            "name" => Ok(Format::Name),
            "json" => Ok(Format::Json),
            "yaml" => Ok(Format::Yaml),
            "jsonpath" => template(arg).map(|(t, s)| Format::JsonPath(t, s)),
            "jsonpath-as-json" => template(arg).map(|(t, s)| Format::JsonPathAsJson(t, s)),
            _ => Err(messages::bad_output_format(spec)),
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self, Format::Table | Format::Wide)
    }

    /// The printer's name as kubectl's messages give it.
    pub fn printer_name(&self) -> &'static str {
        match self {
            Format::Table | Format::Wide => "table",
            Format::Name => "name",
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::JsonPath(..) => "jsonpath",
            Format::JsonPathAsJson(..) => "jsonpath-as-json",
        }
    }
}

/// `kind.group/name`, as `-o name` prints an object.
pub fn object_name(kind: Kind, obj: &Value) -> String {
    format!("{}/{}", kind.singular_with_group(), meta::name(obj))
}

/// Prints `value` (an object or a List) in a structured format. Errors are kubectl's text.
pub fn print_structured(format: &Format, value: &Value) -> Result<String, String> {
    match format {
        Format::Json => Ok(json_printer::to_json(value)),
        Format::Yaml => Ok(yaml::to_yaml(value)),
        Format::JsonPath(t, _) => t.execute(value).map_err(error_text),
        Format::JsonPathAsJson(t, _) => t.execute_as_json(value).map_err(error_text),
        _ => Ok(String::new()),
    }
}

/// `error: <err>` with exactly the newlines kubectl prints (execution errors carry their own).
fn error_text(e: impl std::fmt::Display) -> String {
    let text = format!("error: {e}");
    if text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    }
}
