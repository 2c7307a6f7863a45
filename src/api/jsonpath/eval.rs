//! The evaluator: walks parsed nodes over an object the way client-go's `JSONPath.FindResults`
//! does, including its `range`/`end` bookkeeping, the slice bounds rules, filter comparisons
//! (Go template `eq`/`lt` semantics), and what each step returns when it fails.
//!
//! Missing keys yield nothing (kubectl's `--allow-missing-template-keys=true`). Map keys are
//! visited in sorted order where Go's would be random (wildcards, `..`).
//!
//! Must not import: anything outside `serde_json`, std and this module's siblings.

use super::godump::{go_number, go_v};
use super::parser::{Filter, Node, Param};
use crate::api::json::{FloatVerb, GoNum, format_float, go_num};
use crate::engine::value::Value;

/// One result value, typed as Go's reflection would see it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Item<'a> {
    /// A value inside the object (a Go `interface{}`; `Null` is a nil interface).
    Json(&'a Value),
    /// A string literal from the template.
    Str(&'a str),
    /// An integer literal (Go `int`).
    Int(i64),
    /// A float literal (Go `float64`).
    Float(f64),
    Bool(bool),
    /// A byte of a string reached by `[*]` or `.*` (Go `uint8`).
    Byte(u8),
    /// `reflect.ValueOf(nil)`: what `range` hands on for a null element.
    Invalid,
}

/// An evaluation failure, with what the failing step returned (a bare `?(...)` filter
/// still counts those values as "exists", as client-go does).
pub(super) struct Failure<'a> {
    pub partial: Vec<Item<'a>>,
    pub message: String,
}

type Step<'a> = Result<Vec<Item<'a>>, Failure<'a>>;

fn fail<'a>(partial: Vec<Item<'a>>, message: String) -> Step<'a> {
    Err(Failure { partial, message })
}

/// client-go's `beginRange`/`inRange`/`endRange`/`lastEndNode` counters.
#[derive(Default)]
pub(super) struct RangeState {
    begin: usize,
    inside: usize,
    end: usize,
    last_end: Option<usize>,
    /// Results produced so far: nested `range`s over `..` grow exponentially, and a
    /// template must not hang the tutor (kubectl would run until memory ran out).
    work: usize,
}

/// The most results one template may produce before it is stopped.
const WORK_LIMIT: usize = 1_000_000;

/// `FindResults`: evaluates `root[start..]` on `data`, one result list per top-level node.
pub(super) fn find_results<'a>(
    state: &mut RangeState,
    root: &'a [Node],
    start: usize,
    data: Item<'a>,
) -> Result<Vec<Vec<Item<'a>>>, String> {
    let nodes = root.get(start..).unwrap_or_default();
    let cur = [data];
    let mut full = Vec::new();
    let mut i = 0;
    while i < nodes.len() {
        let results = walk(state, &cur, &nodes[i]).map_err(|f| f.message)?;
        state.work += results.len() + 1;
        if state.work > WORK_LIMIT {
            return Err(format!(
                "the template produces more than {WORK_LIMIT} results; the tutor stops it here"
            ));
        }
        if state.end > 0 && state.end <= state.inside {
            state.end -= 1;
            state.last_end = Some(start + i);
            break;
        }
        if state.begin > 0 {
            state.begin -= 1;
            state.inside += 1;
            if results.is_empty() {
                find_results(state, root, start + i + 1, Item::Invalid)?;
            } else {
                for value in results {
                    let value = match value {
                        Item::Json(Value::Null) => Item::Invalid,
                        other => other,
                    };
                    full.extend(find_results(state, root, start + i + 1, value)?);
                }
            }
            state.inside -= 1;
            if let Some(k) = (i + 1..nodes.len()).find(|&k| Some(start + k) == state.last_end) {
                i = k;
            }
            i += 1;
            continue;
        }
        full.push(results);
        i += 1;
    }
    Ok(full)
}

fn walk<'a>(state: &mut RangeState, input: &[Item<'a>], node: &'a Node) -> Step<'a> {
    match node {
        Node::List(nodes) => eval_list(state, input, nodes),
        Node::Text(text) => Ok(vec![Item::Str(text)]),
        Node::Field(name) => Ok(eval_field(input, name)),
        Node::Array(params) => eval_array(input, params),
        Node::Filter(filter) => eval_filter(state, input, filter),
        Node::Int(i) => Ok(vec![Item::Int(*i); input.len()]),
        Node::Float(f) => Ok(vec![Item::Float(*f); input.len()]),
        Node::Bool(b) => Ok(vec![Item::Bool(*b); input.len()]),
        Node::Wildcard => Ok(eval_wildcard(input)),
        Node::Recursive => {
            let mut out = Vec::new();
            for item in input {
                descend(*item, &mut out);
            }
            Ok(out)
        }
        Node::Union(members) => {
            let mut out = Vec::new();
            for member in members {
                match eval_list(state, input, member) {
                    Ok(items) => out.extend(items),
                    Err(f) => return fail(input.to_vec(), f.message),
                }
            }
            Ok(out)
        }
        Node::Identifier(name) => match name.as_str() {
            "range" => {
                state.begin += 1;
                Ok(input.to_vec())
            }
            "end" if state.inside > 0 => {
                state.end += 1;
                Ok(Vec::new())
            }
            "end" => fail(Vec::new(), "not in range, nothing to end".to_string()),
            _ => fail(input.to_vec(), format!("unrecognized identifier {name}")),
        },
    }
}

fn eval_list<'a>(state: &mut RangeState, input: &[Item<'a>], nodes: &'a [Node]) -> Step<'a> {
    let mut cur = input.to_vec();
    for node in nodes {
        cur = walk(state, &cur, node)?;
    }
    Ok(cur)
}

fn eval_field<'a>(input: &[Item<'a>], name: &str) -> Vec<Item<'a>> {
    input
        .iter()
        .filter_map(|item| match item {
            Item::Json(Value::Object(map)) => map.get(name).map(Item::Json),
            _ => None,
        })
        .collect()
}

/// Go's `value.Type()` name, for "is not array or slice" messages.
fn type_name(item: &Item<'_>) -> &'static str {
    match item {
        Item::Json(Value::Object(_)) => "map[string]interface {}",
        Item::Json(Value::Array(_)) => "[]interface {}",
        Item::Json(Value::String(_)) | Item::Str(_) => "string",
        Item::Json(Value::Number(n)) => match go_num(n) {
            GoNum::Int(_) => "int64",
            GoNum::Float(_) => "float64",
        },
        Item::Json(Value::Bool(_)) | Item::Bool(_) => "bool",
        Item::Json(Value::Null) => "interface {}",
        Item::Int(_) => "int",
        Item::Float(_) => "float64",
        Item::Byte(_) => "uint8",
        Item::Invalid => "<invalid reflect.Value>",
    }
}

fn eval_array<'a>(input: &[Item<'a>], params: &[Param; 3]) -> Step<'a> {
    let mut result = Vec::new();
    for item in input {
        let items = match item {
            Item::Json(Value::Null) => continue,
            Item::Json(Value::Array(items)) => items,
            other => {
                return fail(
                    input.to_vec(),
                    format!("{} is not array or slice", type_name(other)),
                );
            }
        };
        let len = items.len() as i64;
        let mut p = *params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        let (from, to) = (p[0].value, p[1].value);
        if from == to {
            // client-go returns at once here, dropping any further inputs.
            return Ok(result);
        }
        if from >= len || from < 0 {
            return fail(
                input.to_vec(),
                format!("array index out of bounds: index {from}, length {len}"),
            );
        }
        if to > len || to < 0 {
            let last = to.wrapping_sub(1);
            return fail(
                input.to_vec(),
                format!("array index out of bounds: index {last}, length {len}"),
            );
        }
        if from > to {
            return fail(
                input.to_vec(),
                format!("starting index {from} is greater than ending index {to}"),
            );
        }
        let step = if p[2].known {
            if p[2].value <= 0 {
                return fail(input.to_vec(), "step must be > 0".to_string());
            }
            p[2].value as usize
        } else {
            1
        };
        let slice = &items[from as usize..to as usize];
        result.extend(slice.iter().step_by(step).map(Item::Json));
    }
    Ok(result)
}

fn string_bytes<'a>(s: &str, out: &mut Vec<Item<'a>>) {
    out.extend(s.bytes().map(Item::Byte));
}

fn eval_wildcard<'a>(input: &[Item<'a>]) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    for item in input {
        match item {
            Item::Json(Value::Object(map)) => out.extend(map.values().map(Item::Json)),
            Item::Json(Value::Array(items)) => out.extend(items.iter().map(Item::Json)),
            Item::Json(Value::String(s)) => string_bytes(s, &mut out),
            Item::Str(s) => string_bytes(s, &mut out),
            _ => {}
        }
    }
    out
}

/// `..`: every value that has children (maps, slices, non-empty strings), in pre-order.
fn descend<'a>(item: Item<'a>, out: &mut Vec<Item<'a>>) {
    match item {
        Item::Json(Value::Object(map)) if !map.is_empty() => {
            out.push(item);
            for v in map.values() {
                descend(Item::Json(v), out);
            }
        }
        Item::Json(Value::Array(items)) if !items.is_empty() => {
            out.push(item);
            for v in items {
                descend(Item::Json(v), out);
            }
        }
        Item::Json(Value::String(s)) if !s.is_empty() => out.push(item),
        Item::Str(s) if !s.is_empty() => out.push(item),
        _ => {}
    }
}

fn eval_filter<'a>(state: &mut RangeState, input: &[Item<'a>], filter: &'a Filter) -> Step<'a> {
    let mut results = Vec::new();
    for item in input {
        let Item::Json(Value::Array(elements)) = item else {
            let shown = match item {
                Item::Json(v) => go_v(v),
                Item::Str(s) => s.to_string(),
                Item::Invalid => "<invalid reflect.Value>".to_string(),
                other => text_of(other),
            };
            return fail(
                input.to_vec(),
                format!("{shown} is not array or slice and cannot be filtered"),
            );
        };
        for element in elements {
            let temp = [Item::Json(element)];
            let lefts = eval_list(state, &temp, &filter.left);
            if filter.operator == "exists" {
                let found = match &lefts {
                    Ok(items) => !items.is_empty(),
                    Err(f) => !f.partial.is_empty(),
                };
                if found {
                    results.push(Item::Json(element));
                }
                continue;
            }
            let lefts = lefts.map_err(|f| Failure {
                partial: input.to_vec(),
                message: f.message,
            })?;
            let left = match lefts.as_slice() {
                [] => continue,
                [one] => *one,
                _ => {
                    return fail(
                        input.to_vec(),
                        "can only compare one element at a time".into(),
                    );
                }
            };
            let rights = eval_list(state, &temp, &filter.right).map_err(|f| Failure {
                partial: input.to_vec(),
                message: f.message,
            })?;
            let right = match rights.as_slice() {
                [] => continue,
                [one] => *one,
                _ => {
                    return fail(
                        input.to_vec(),
                        "can only compare one element at a time".into(),
                    );
                }
            };
            match compare(&filter.operator, left, right) {
                Ok(true) => results.push(Item::Json(element)),
                Ok(false) => {}
                Err(message) => return fail(results, message),
            }
        }
    }
    Ok(results)
}

/// Go template's basic kinds, the only values `eq`/`lt` accept.
enum Basic<'a> {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a str),
}

const BAD_TYPE: &str = "invalid type for comparison";
const INCOMPATIBLE: &str = "incompatible types for comparison";

fn basic<'a>(item: Item<'a>) -> Result<Basic<'a>, String> {
    Ok(match item {
        Item::Json(Value::Bool(b)) => Basic::Bool(*b),
        Item::Bool(b) => Basic::Bool(b),
        Item::Json(Value::Number(n)) => match go_num(n) {
            GoNum::Int(i) => Basic::Int(i),
            GoNum::Float(f) => Basic::Float(f),
        },
        Item::Json(Value::String(s)) => Basic::Str(s),
        Item::Str(s) => Basic::Str(s),
        Item::Int(i) => Basic::Int(i),
        Item::Float(f) => Basic::Float(f),
        Item::Byte(b) => Basic::Uint(u64::from(b)),
        _ => return Err(BAD_TYPE.to_string()),
    })
}

fn equal(a: Item<'_>, b: Item<'_>) -> Result<bool, String> {
    Ok(match (basic(a)?, basic(b)?) {
        (Basic::Bool(x), Basic::Bool(y)) => x == y,
        (Basic::Int(x), Basic::Int(y)) => x == y,
        (Basic::Uint(x), Basic::Uint(y)) => x == y,
        (Basic::Float(x), Basic::Float(y)) => x == y,
        (Basic::Str(x), Basic::Str(y)) => x == y,
        (Basic::Int(x), Basic::Uint(y)) | (Basic::Uint(y), Basic::Int(x)) => {
            x >= 0 && x as u64 == y
        }
        _ => return Err(INCOMPATIBLE.to_string()),
    })
}

fn less(a: Item<'_>, b: Item<'_>) -> Result<bool, String> {
    Ok(match (basic(a)?, basic(b)?) {
        (Basic::Int(x), Basic::Int(y)) => x < y,
        (Basic::Uint(x), Basic::Uint(y)) => x < y,
        (Basic::Float(x), Basic::Float(y)) => x < y,
        (Basic::Str(x), Basic::Str(y)) => x < y,
        (Basic::Int(x), Basic::Uint(y)) => x < 0 || (x as u64) < y,
        (Basic::Uint(x), Basic::Int(y)) => y >= 0 && x < y as u64,
        (Basic::Bool(_), Basic::Bool(_)) => return Err(BAD_TYPE.to_string()),
        _ => return Err(INCOMPATIBLE.to_string()),
    })
}

fn compare(operator: &str, left: Item<'_>, right: Item<'_>) -> Result<bool, String> {
    let less_or_equal = |a, b| -> Result<bool, String> { Ok(less(a, b)? || equal(a, b)?) };
    match operator {
        "==" => equal(left, right),
        "!=" => equal(left, right).map(|e| !e),
        "<" => less(left, right),
        "<=" => less_or_equal(left, right),
        ">" => less_or_equal(left, right).map(|le| !le),
        ">=" => less(left, right).map(|lt| !lt),
        _ => Err(format!("unrecognized filter operator {operator}")),
    }
}

/// Go's `fmt.Fprint` of a result that is not a map or slice.
pub(super) fn text_of(item: &Item<'_>) -> String {
    match item {
        Item::Json(Value::String(s)) => s.to_string(),
        Item::Json(Value::Number(n)) => go_number(n),
        Item::Json(Value::Bool(b)) => b.to_string(),
        Item::Bool(b) => b.to_string(),
        // kubectl 1.21 prints a nil interface as `<nil>` (later client-go prints `null`).
        Item::Json(Value::Null) => "<nil>".to_string(),
        Item::Json(v) => go_v(v),
        Item::Str(s) => (*s).to_string(),
        Item::Int(i) => i.to_string(),
        Item::Float(f) => format_float(*f, FloatVerb::General),
        Item::Byte(b) => b.to_string(),
        Item::Invalid => "<no value>".to_string(),
    }
}
