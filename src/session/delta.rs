//! A JSON value written as its difference from another: how a step's checkpoint (the cluster
//! and shell as the step found them) is saved beside the present cluster, so a state file holds
//! one cluster and the little that changed since the step began, not two clusters.
//!
//! Maps are compared key by key. Arrays are matched element by element: an element equal to
//! one of the base array (in order) is kept by its position, an element that has the same
//! identity as the base element in its place (the same `metadata.namespace`/`metadata.name`,
//! `name`, or leading scalar of a tuple; any list in a list) is written as its own difference, anything else is written whole.
//! The lists the cluster saves (objects sorted by key, an event log that grows at one end and
//! expires at the other) come out small. [`Delta::apply`] rebuilds the target exactly.
//!
//! Must not import: anything outside serde and std.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How a value differs from its base.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Delta {
    /// Equal to the base.
    #[serde(rename = "same")]
    Same,
    /// Replaced whole.
    #[serde(rename = "value")]
    Value(Value),
    /// A map: keys whose values differ, and keys the base has and the target has not.
    #[serde(rename = "map")]
    Map {
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        set: BTreeMap<String, Delta>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        del: Vec<String>,
    },
    /// An array, piece by piece.
    #[serde(rename = "array")]
    Array(Vec<Piece>),
}

/// One run of a rebuilt array.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Piece {
    /// `len` elements of the base, from index `from`, unchanged.
    #[serde(rename = "keep")]
    Keep { from: usize, len: usize },
    /// The base element at `from`, changed.
    #[serde(rename = "edit")]
    Edit { from: usize, delta: Delta },
    /// An element the base does not have.
    #[serde(rename = "new")]
    New(Value),
}

/// Why a delta does not fit the base it is applied to (a damaged or mismatched save).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeltaError(pub String);

impl std::fmt::Display for DeltaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the saved difference does not fit: {}", self.0)
    }
}

impl Delta {
    /// How `target` differs from `base`.
    pub fn between(base: &Value, target: &Value) -> Delta {
        if base == target {
            return Delta::Same;
        }
        match (base, target) {
            (Value::Object(b), Value::Object(t)) => {
                let set = t
                    .iter()
                    .filter_map(|(k, tv)| match b.get(k) {
                        Some(bv) if bv == tv => None,
                        Some(bv) => Some((k.clone(), Delta::between(bv, tv))),
                        None => Some((k.clone(), Delta::Value(tv.clone()))),
                    })
                    .collect();
                let del = b.keys().filter(|k| !t.contains_key(*k)).cloned().collect();
                Delta::Map { set, del }
            }
            (Value::Array(b), Value::Array(t)) => Delta::Array(pieces(b, t)),
            _ => Delta::Value(target.clone()),
        }
    }

    /// `base` with this difference applied.
    pub fn apply(&self, base: &Value) -> Result<Value, DeltaError> {
        match self {
            Delta::Same => Ok(base.clone()),
            Delta::Value(v) => Ok(v.clone()),
            Delta::Map { set, del } => {
                let Value::Object(b) = base else {
                    return Err(DeltaError("a map's difference on a non-map".to_string()));
                };
                let mut out: Map<String, Value> = b.clone();
                for k in del {
                    out.remove(k);
                }
                for (k, d) in set {
                    let v = match (d, b.get(k)) {
                        (Delta::Value(v), _) => v.clone(),
                        (d, Some(bv)) => d.apply(bv)?,
                        (_, None) => return Err(DeltaError(format!("no key {k:?} to change"))),
                    };
                    out.insert(k.clone(), v);
                }
                Ok(Value::Object(out))
            }
            Delta::Array(pieces) => {
                let Value::Array(b) = base else {
                    return Err(DeltaError(
                        "an array's difference on a non-array".to_string(),
                    ));
                };
                let mut out = Vec::new();
                for piece in pieces {
                    match piece {
                        Piece::Keep { from, len } => {
                            let run = from
                                .checked_add(*len)
                                .and_then(|end| b.get(*from..end))
                                .ok_or_else(|| DeltaError(format!("no elements {from}+{len}")))?;
                            out.extend_from_slice(run);
                        }
                        Piece::Edit { from, delta } => {
                            let element = b
                                .get(*from)
                                .ok_or_else(|| DeltaError(format!("no element {from}")))?;
                            out.push(delta.apply(element)?);
                        }
                        Piece::New(v) => out.push(v.clone()),
                    }
                }
                Ok(Value::Array(out))
            }
        }
    }
}

/// The pieces that rebuild `target` from `base` (see the module comment).
fn pieces(base: &[Value], target: &[Value]) -> Vec<Piece> {
    let mut positions: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, v) in base.iter().enumerate() {
        positions.entry(hash(v)).or_default().push(i);
    }
    let mut out: Vec<Piece> = Vec::new();
    let mut next = 0;
    for t in target {
        let exact = positions.get(&hash(t)).and_then(|ps| {
            ps.iter()
                .copied()
                .find(|&p| p >= next && base.get(p) == Some(t))
        });
        let piece = match exact {
            Some(p) => {
                next = p + 1;
                Piece::Keep { from: p, len: 1 }
            }
            None => match base.get(next) {
                Some(b) if identity(b).is_some() && identity(b) == identity(t) => {
                    next += 1;
                    Piece::Edit {
                        from: next - 1,
                        delta: Delta::between(b, t),
                    }
                }
                _ => Piece::New(t.clone()),
            },
        };
        // Consecutive kept elements become one run.
        match (out.last_mut(), &piece) {
            (Some(Piece::Keep { from, len }), Piece::Keep { from: p, .. })
                if *from + *len == *p =>
            {
                *len += 1;
            }
            _ => out.push(piece),
        }
    }
    out
}

/// What makes two elements the same thing in two versions of a list.
fn identity(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => {
            let name =
                |m: &Map<String, Value>| m.get("name").and_then(Value::as_str).map(str::to_string);
            match m.get("metadata").and_then(Value::as_object) {
                Some(meta) => {
                    let ns = meta.get("namespace").and_then(Value::as_str).unwrap_or("");
                    name(meta).map(|n| format!("{ns}/{n}"))
                }
                None => name(m),
            }
        }
        // A tuple (`[kind, objects]`) is known by its leading scalar; a list inside a list
        // is the same list in its place.
        Value::Array(a) => match a.first() {
            Some(first @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                Some(first.to_string())
            }
            _ => Some("[]".to_string()),
        },
        _ => None,
    }
}

/// A structural hash (FNV-1a over a canonical walk); equal values hash equally.
fn hash(v: &Value) -> u64 {
    fn feed(h: &mut u64, bytes: &[u8]) {
        for b in bytes {
            *h ^= u64::from(*b);
            *h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn walk(h: &mut u64, v: &Value) {
        match v {
            Value::Null => feed(h, b"n"),
            Value::Bool(b) => feed(h, if *b { b"t" } else { b"f" }),
            Value::Number(n) => {
                feed(h, b"#");
                feed(h, n.to_string().as_bytes());
            }
            Value::String(s) => {
                feed(h, b"\"");
                feed(h, s.as_bytes());
            }
            Value::Array(a) => {
                feed(h, b"[");
                a.iter().for_each(|x| walk(h, x));
                feed(h, b"]");
            }
            Value::Object(m) => {
                feed(h, b"{");
                for (k, x) in m {
                    feed(h, k.as_bytes());
                    walk(h, x);
                }
                feed(h, b"}");
            }
        }
    }
    let mut h = 0xcbf2_9ce4_8422_2325;
    walk(&mut h, v);
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn round_trip(base: &Value, target: &Value) -> Delta {
        let d = Delta::between(base, target);
        let text = serde_json::to_string(&d).unwrap();
        let back: Delta = serde_json::from_str(&text).unwrap();
        assert_eq!(back.apply(base).unwrap(), *target, "{text}");
        d
    }

    #[test]
    fn a_log_that_grew_and_expired_keeps_what_both_share() {
        let base = json!([{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}]);
        let target = json!([{"n": 3}, {"n": 4}, {"n": 5}]);
        let d = round_trip(&base, &target);
        assert_eq!(
            d,
            Delta::Array(vec![
                Piece::Keep { from: 2, len: 2 },
                Piece::New(json!({"n": 5}))
            ])
        );
    }

    #[test]
    fn a_changed_object_in_a_list_is_written_as_its_change() {
        let pod = |phase: &str| json!({"metadata": {"name": "p", "namespace": "d"}, "status": {"phase": phase}, "spec": {"big": [1, 2, 3]}});
        let base = json!([pod("Pending"), {"metadata": {"name": "q"}}]);
        let target = json!([pod("Running"), {"metadata": {"name": "q"}}, null]);
        let d = round_trip(&base, &target);
        let text = serde_json::to_string(&d).unwrap();
        assert!(!text.contains("big"), "{text}");
    }

    #[test]
    fn nulls_and_removed_keys_survive() {
        round_trip(&json!({"a": 1, "b": null}), &json!({"b": 2, "c": null}));
        round_trip(&json!({"a": {"x": 1}}), &json!({"a": null}));
        round_trip(&json!([1, 2]), &json!("x"));
    }

    #[test]
    fn a_delta_on_the_wrong_base_is_an_error_not_a_panic() {
        let d = Delta::between(&json!([1, 2, 3]), &json!([1, 2, 3, 4]));
        assert!(d.apply(&json!([])).is_err());
        let d = Delta::between(&json!({"a": {"b": 1}}), &json!({"a": {"b": 2}}));
        assert!(d.apply(&json!(7)).is_err());
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0i64..5).prop_map(|n| json!(n)),
            "[a-c]{0,2}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map("[a-c]", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_target_is_rebuilt_exactly(base in value(), target in value()) {
            round_trip(&base, &target);
        }
    }
}
