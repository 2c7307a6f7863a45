//! Taints, tolerations, label selectors and node affinity: the typed views the scheduler,
//! the DaemonSet controller and the taint manager read (api@v0.21.1 `core/v1`).

use std::collections::BTreeMap;

use crate::engine::value::Value;
use serde::{Deserialize, Serialize};

use super::meta;

/// A node taint (`spec.taints[i]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    pub effect: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_added: Option<String>,
}

pub const NO_SCHEDULE: &str = "NoSchedule";
pub const PREFER_NO_SCHEDULE: &str = "PreferNoSchedule";
pub const NO_EXECUTE: &str = "NoExecute";

impl Taint {
    /// `Taint.ToString`: `key=value:Effect`, `key:Effect`, `key=value:` or `key`.
    pub fn to_kubectl_string(&self) -> String {
        match (self.value.is_empty(), self.effect.is_empty()) {
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
            (true, false) => format!("{}:{}", self.key, self.effect),
            (false, true) => format!("{}={}:", self.key, self.value),
            (true, true) => self.key.clone(),
        }
    }

    /// Taint identity is key and effect (`MatchTaint`).
    pub fn same_identity(&self, other: &Taint) -> bool {
        self.key == other.key && self.effect == other.effect
    }
}

/// A pod toleration (`spec.tolerations[i]`); every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operator: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub effect: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// An `operator: Exists` toleration for `key` with `effect`.
    pub fn exists(key: &str, effect: &str) -> Toleration {
        Toleration {
            key: key.to_string(),
            operator: "Exists".to_string(),
            effect: effect.to_string(),
            ..Toleration::default()
        }
    }

    /// `Toleration.ToleratesTaint` (api@v0.21.1 `core/v1/toleration.go`).
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if !self.effect.is_empty() && self.effect != taint.effect {
            return false;
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        match self.operator.as_str() {
            "" | "Equal" => self.value == taint.value,
            "Exists" => true,
            _ => false,
        }
    }
}

/// The node's taints.
pub fn taints(node: &Value) -> Vec<Taint> {
    parse_list(node, &["spec", "taints"])
}

/// The tolerations at a path (a pod's `spec.tolerations`, or a template's).
pub fn tolerations_at(v: &Value, path: &[&str]) -> Vec<Toleration> {
    parse_list(v, path)
}

fn parse_list<T: for<'de> Deserialize<'de>>(v: &Value, path: &[&str]) -> Vec<T> {
    meta::at(v, path)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| crate::engine::value::from_value(i.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The first taint with one of `effects` that no toleration tolerates.
pub fn first_untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    effects: &[&str],
) -> Option<&'a Taint> {
    taints.iter().find(|t| {
        effects.contains(&t.effect.as_str()) && !tolerations.iter().any(|tol| tol.tolerates(t))
    })
}

/// A label selector requirement (`matchExpressions[i]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    pub key: String,
    pub operator: String,
    #[serde(default)]
    pub values: Vec<String>,
}

/// A `metav1.LabelSelector`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub match_expressions: Vec<Requirement>,
}

impl LabelSelector {
    pub fn from_value(v: Option<&Value>) -> Option<LabelSelector> {
        v.filter(|v| v.is_object())
            .and_then(|v| crate::engine::value::from_value(v.clone()).ok())
    }

    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy the selector. An empty selector matches everything
    /// (as `metav1.LabelSelectorAsSelector` makes it).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self
                .match_expressions
                .iter()
                .all(|r| requirement_matches(r, labels.get(&r.key).map(String::as_str)))
    }

    /// `metav1.FormatLabelSelector`: requirements sorted by key, comma-joined; `<none>` when empty.
    pub fn to_kubectl_string(&self) -> String {
        let mut parts: Vec<(String, String)> = self
            .match_labels
            .iter()
            .map(|(k, v)| (k.clone(), format!("{k}={v}")))
            .collect();
        for r in &self.match_expressions {
            let values = r.values.join(",");
            let text = match r.operator.as_str() {
                "In" => format!("{} in ({})", r.key, values),
                "NotIn" => format!("{} notin ({})", r.key, values),
                "Exists" => r.key.clone(),
                "DoesNotExist" => format!("!{}", r.key),
                other => format!("{} {} ({})", r.key, other, values),
            };
            parts.push((r.key.clone(), text));
        }
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        if parts.is_empty() {
            "<none>".to_string()
        } else {
            parts.into_iter().map(|p| p.1).collect::<Vec<_>>().join(",")
        }
    }
}

fn requirement_matches(r: &Requirement, value: Option<&str>) -> bool {
    match r.operator.as_str() {
        "In" => value.is_some_and(|v| r.values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !r.values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                r.values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if r.operator == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// `labels.FormatLabels`: `k=v` sorted by key, comma-joined; `<none>` when empty.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// What the scheduler and the DaemonSet controller need of a node, read once per pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeFacts {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub ready: bool,
    pub unschedulable: bool,
    /// `status.allocatable.pods`: how many pods the node's kubelet runs at most
    /// (`--max-pods`, 110 by default and on KinD); 0 when the node reports none.
    pub max_pods: u64,
}

impl NodeFacts {
    pub fn of(node: &Value) -> NodeFacts {
        NodeFacts {
            name: meta::name(node).to_string(),
            labels: meta::labels(node),
            taints: taints(node),
            ready: super::node::is_ready(node),
            unschedulable: super::node::is_unschedulable(node),
            max_pods: pod_count(meta::at(node, &["status", "allocatable", "pods"])),
        }
    }
}

/// A pod-count quantity (`"110"`, `110`, `"1k"`) as a whole number; 0 when absent or unreadable.
fn pod_count(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => {
            let (digits, scale) = match s.strip_suffix('k') {
                Some(d) => (d, 1000),
                None => (s.as_str(), 1),
            };
            digits.parse::<u64>().map_or(0, |n| n.saturating_mul(scale))
        }
        _ => 0,
    }
}

/// One required node-affinity term: its label expressions and field expressions.
#[derive(Clone, Debug, Default)]
struct Term {
    expressions: Vec<Requirement>,
    fields: Vec<Requirement>,
}

/// A pod spec's node selector and required node affinity, parsed once.
#[derive(Clone, Debug, Default)]
pub struct NodeConstraints {
    node_selector: BTreeMap<String, String>,
    /// None when the spec has no required affinity (every node passes it).
    terms: Option<Vec<Term>>,
}

impl NodeConstraints {
    pub fn of(pod_spec: &Value) -> NodeConstraints {
        let terms = meta::at(
            pod_spec,
            &[
                "affinity",
                "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution",
                "nodeSelectorTerms",
            ],
        )
        .and_then(Value::as_array)
        .map(|terms| {
            terms
                .iter()
                .map(|t| Term {
                    expressions: parse_list(t, &["matchExpressions"]),
                    fields: parse_list(t, &["matchFields"]),
                })
                .collect()
        });
        NodeConstraints {
            node_selector: meta::string_map(pod_spec, &["nodeSelector"]),
            terms,
        }
    }

    /// Whether the node's labels and name satisfy the selector and the affinity.
    pub fn admits(&self, node: &NodeFacts) -> bool {
        if !self
            .node_selector
            .iter()
            .all(|(k, v)| node.labels.get(k) == Some(v))
        {
            return false;
        }
        let Some(terms) = &self.terms else {
            return true;
        };
        // Terms are ORed; an empty list of terms matches nothing.
        terms.iter().any(|t| {
            (!t.expressions.is_empty() || !t.fields.is_empty())
                && t.expressions
                    .iter()
                    .all(|r| requirement_matches(r, node.labels.get(&r.key).map(String::as_str)))
                && t.fields.iter().all(|r| {
                    requirement_matches(r, (r.key == "metadata.name").then_some(node.name.as_str()))
                })
        })
    }

    /// The one node the affinity allows, when it pins the pod by name (as the DaemonSet
    /// controller's `matchFields metadata.name In [node]` does).
    pub fn pinned_node(&self) -> Option<&str> {
        match self.terms.as_deref() {
            Some([term]) if term.expressions.is_empty() => match term.fields.as_slice() {
                [r] if r.key == "metadata.name" && r.operator == "In" && r.values.len() == 1 => {
                    Some(r.values[0].as_str())
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// Whether a pod spec's `nodeSelector` and required node affinity admit `node`.
pub fn pod_spec_fits_node(pod_spec: &Value, node: &Value) -> bool {
    NodeConstraints::of(pod_spec).admits(&NodeFacts::of(node))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect: effect.into(),
            time_added: None,
        }
    }

    #[test]
    fn exists_with_no_key_tolerates_every_taint() {
        let t = Toleration {
            operator: "Exists".into(),
            ..Toleration::default()
        };
        assert!(t.tolerates(&taint("VIPOnly", "true", NO_EXECUTE)));
        assert!(t.tolerates(&taint("node-role.kubernetes.io/master", "", NO_SCHEDULE)));
    }

    #[test]
    fn equal_needs_the_same_value_and_effect() {
        let t = Toleration {
            key: "VIPOnly".into(),
            operator: "Equal".into(),
            value: "true".into(),
            effect: NO_EXECUTE.into(),
            toleration_seconds: None,
        };
        assert!(t.tolerates(&taint("VIPOnly", "true", NO_EXECUTE)));
        assert!(!t.tolerates(&taint("VIPOnly", "false", NO_EXECUTE)));
        assert!(!t.tolerates(&taint("VIPOnly", "true", NO_SCHEDULE)));
    }

    #[test]
    fn an_unknown_operator_tolerates_nothing() {
        let t = Toleration {
            key: "k".into(),
            operator: "equal".into(),
            ..Toleration::default()
        };
        assert!(!t.tolerates(&taint("k", "", NO_SCHEDULE)));
    }

    #[test]
    fn taint_strings_follow_taint_to_string() {
        assert_eq!(
            taint("VIPOnly", "true", NO_EXECUTE).to_kubectl_string(),
            "VIPOnly=true:NoExecute"
        );
        assert_eq!(
            taint("k", "", NO_SCHEDULE).to_kubectl_string(),
            "k:NoSchedule"
        );
    }

    #[test]
    fn selectors_format_sorted_by_key() {
        let s: LabelSelector = crate::engine::value::from_value(json!({
            "matchLabels": {"z": "1"},
            "matchExpressions": [{"key": "a", "operator": "In", "values": ["x", "y"]},
                                  {"key": "m", "operator": "DoesNotExist"}]
        }))
        .unwrap();
        assert_eq!(s.to_kubectl_string(), "a in (x,y),!m,z=1");
    }

    #[test]
    fn match_fields_select_a_node_by_name() {
        let spec = json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
            {"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["kind-worker"]}]}]}}}});
        let worker = json!({"metadata": {"name": "kind-worker", "labels": {}}});
        let other = json!({"metadata": {"name": "kind-worker2", "labels": {}}});
        assert!(pod_spec_fits_node(&spec, &worker));
        assert!(!pod_spec_fits_node(&spec, &other));
    }

    #[test]
    fn node_selector_must_match_node_labels() {
        let spec = json!({"nodeSelector": {"kubernetes.io/os": "linux"}});
        let linux = json!({"metadata": {"name": "n", "labels": {"kubernetes.io/os": "linux"}}});
        let bare = json!({"metadata": {"name": "n"}});
        assert!(pod_spec_fits_node(&spec, &linux));
        assert!(!pod_spec_fits_node(&spec, &bare));
    }
}
