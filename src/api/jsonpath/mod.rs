//! `-o jsonpath=` and `-o jsonpath-as-json=`: kubectl's template language (client-go
//! `util/jsonpath`, as kubectl 1.21 vendors it) and the two ways kubectl prints its results.
//!
//! A [`Template`] is parsed once and can run over any number of objects; for a list kubectl
//! passes the whole `List` object, so `{.items[*].metadata.name}` walks its items.
//!
//! Must not import: engine or shell state; only `serde_json`, std and the sibling printers.

mod eval;
mod godump;
mod parser;
mod quote;

use crate::api::json::{write_compact, write_indented};
use crate::engine::value::Value;
use eval::{Item, RangeState, find_results, text_of};
use parser::Node;
use std::fmt;

/// A parsed jsonpath template.
#[derive(Clone, Debug)]
pub struct Template {
    raw: String,
    nodes: Vec<Node>,
}

/// A parse or execution failure; `Display` is the message kubectl prints after `error: `.
///
/// An execution message already ends in newlines (kubectl's own `\n\n\n`), so a caller
/// prints `error: {err}` and adds a newline only when the text does not end with one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPathError {
    message: String,
}

impl fmt::Display for JsonPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonPathError {}

impl Template {
    /// Parses `template` as kubectl does when it builds the printer (before any object).
    pub fn parse(template: &str) -> Result<Template, JsonPathError> {
        match parser::parse(template) {
            Ok(nodes) => Ok(Template {
                raw: template.to_string(),
                nodes,
            }),
            Err(msg) => Err(JsonPathError {
                message: format!("error parsing jsonpath {template}, {msg}"),
            }),
        }
    }

    /// What `-o jsonpath=` prints for one object (for a list, kubectl passes the whole List object).
    ///
    /// Results of one node are joined by single spaces, nodes are not separated, and there is
    /// no trailing newline.
    pub fn execute(&self, v: &Value) -> Result<String, JsonPathError> {
        let nodes = self.find(v)?;
        let mut out = String::new();
        for results in &nodes {
            for (i, item) in results.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                match item {
                    Item::Json(json @ (Value::Object(_) | Value::Array(_))) => {
                        write_compact(&mut out, json)
                    }
                    other => out.push_str(&text_of(other)),
                }
            }
        }
        Ok(out)
    }

    /// What `-o jsonpath-as-json=` prints: each node's results as one indented JSON array,
    /// each followed by a newline.
    pub fn execute_as_json(&self, v: &Value) -> Result<String, JsonPathError> {
        let nodes = self.find(v)?;
        let mut out = String::new();
        for results in &nodes {
            let array = Value::Array(results.iter().map(to_value).collect());
            write_indented(&mut out, &array, 0);
            out.push('\n');
        }
        Ok(out)
    }

    /// The raw results: one Vec per top-level template node (used by lesson step checks).
    pub fn results(&self, v: &Value) -> Result<Vec<Vec<Value>>, JsonPathError> {
        let nodes = self.find(v)?;
        Ok(nodes
            .iter()
            .map(|results| results.iter().map(to_value).collect())
            .collect())
    }

    fn find<'a>(&'a self, v: &'a Value) -> Result<Vec<Vec<Item<'a>>>, JsonPathError> {
        let mut state = RangeState::default();
        find_results(&mut state, &self.nodes, 0, Item::Json(v))
            .map_err(|msg| self.execution_error(&msg, v))
    }

    /// kubectl's execution error: the Go message, the template, and a `%#v` dump of the object.
    fn execution_error(&self, msg: &str, v: &Value) -> JsonPathError {
        let raw = &self.raw;
        let quoted = godump::go_quote(raw);
        let dump = godump::go_sharp_v(v);
        JsonPathError {
            message: format!(
                "error executing jsonpath {quoted}: Error executing template: {msg}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{raw}\n\tobject given to jsonpath engine was:\n\t\t{dump}\n\n\n"
            ),
        }
    }
}

fn to_value(item: &Item<'_>) -> Value {
    match item {
        Item::Json(v) => (*v).clone(),
        Item::Str(s) => Value::from(*s),
        Item::Int(i) => Value::from(*i),
        Item::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Item::Bool(b) => Value::Bool(*b),
        Item::Byte(b) => Value::from(*b),
        Item::Invalid => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::Template;
    use crate::engine::value::json;

    fn run(template: &str, v: &crate::engine::value::Value) -> String {
        match Template::parse(template).and_then(|t| t.execute(v)) {
            Ok(out) => out,
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn ranges_repeat_their_body_per_item() {
        let v = json!({"items": [{"n": "a"}, {"n": "b"}]});
        assert_eq!(run("{range .items[*]}{.n}{\"\\n\"}{end}", &v), "a\nb\n");
        assert_eq!(run("{range .items[*]}[{.n}]{end}!", &v), "[a][b]!");
    }

    #[test]
    fn nested_ranges_resume_after_their_end() {
        let v = json!({"items": [{"c": [1, 2]}, {"c": [3]}]});
        assert_eq!(
            run("{range .items[*]}<{range .c[*]}{@},{end}>{end}.", &v),
            "<1,2,><3,>."
        );
    }

    #[test]
    fn a_range_over_nothing_prints_nothing_but_what_follows() {
        let v = json!({"items": []});
        assert_eq!(run("{range .items[*]}{.n}{end}done", &v), "done");
    }

    #[test]
    fn slices_unions_and_negative_indexes() {
        let v = json!({"a": [0, 1, 2, 3, 4]});
        assert_eq!(
            run("{.a[-1]} {.a[1:3]} {.a[::2]} {.a[0,2]} {.a[]}", &v),
            "4 1 2 0 2 4 0 2 0"
        );
    }

    #[test]
    fn filters_compare_with_go_template_rules() {
        let v = json!({"a": [{"n": "x", "v": 1}, {"n": "y", "v": 2}, {"n": "z"}]});
        assert_eq!(run("{.a[?(@.v>1)].n}", &v), "y");
        assert_eq!(run("{.a[?(@.v)].n}", &v), "x y");
        assert_eq!(run("{.a[?(@.n!='x')].n}", &v), "y z");
        assert!(run("{.a[?(@.v==\"1\")].n}", &v).contains("incompatible types for comparison"));
        assert!(run("{.a[?(@.v==1.0)].n}", &v).contains("incompatible types for comparison"));
    }

    #[test]
    fn execution_errors_carry_the_go_dump() {
        let v = json!({"kind": "List", "items": [1]});
        let expected = "error executing jsonpath \"{.items[5]}\": Error executing template: array index out of bounds: index 5, length 1. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.items[5]}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"items\":[]interface {}{1}, \"kind\":\"List\"}\n\n\n";
        assert_eq!(run("{.items[5]}", &v), format!("ERR {expected}"));
    }

    #[test]
    fn nulls_print_as_kubectl_1_21_prints_them() {
        // kubectl 1.32 prints `null` for `{.b}`; 1.21's client-go printed Go's `<nil>`.
        // A null reached by `range` is no value at all in both.
        let v = json!({"a": [null, 1], "b": null});
        assert_eq!(
            run("{range .a[*]}[{@}]{end}|{.b}|{.a}|{.a[*]}", &v),
            "[<no value>][1]|<nil>|[null,1]|<nil> 1"
        );
    }

    #[test]
    fn as_json_wraps_each_node_in_an_array() {
        let v = json!({"a": {"b": "<x>"}});
        let t = Template::parse("{.a}{.missing}").unwrap();
        let out = t.execute_as_json(&v).unwrap();
        assert_eq!(
            out,
            "[\n    {\n        \"b\": \"\\u003cx\\u003e\"\n    }\n]\n[]\n"
        );
        assert_eq!(
            t.results(&v).unwrap(),
            vec![vec![json!({"b": "<x>"})], vec![]]
        );
    }
}
