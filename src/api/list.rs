//! kubectl's `List`: several objects wrapped as one, the way `kubectl get` hands them to its
//! printers (and so the value a jsonpath template over several objects sees).

use crate::engine::value::{Value, json};

/// The `List` of `items`, with the empty list metadata kubectl prints.
pub fn wrap(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": "", "selfLink": ""}})
}

/// Whether `value` is such a `List` (and not a single object).
pub fn is_list(value: &Value) -> bool {
    value.get("kind").and_then(Value::as_str) == Some("List")
        && value.get("items").is_some_and(Value::is_array)
}
