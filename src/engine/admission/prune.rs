//! The pruning of unknown fields that the server's typed decoding does: a field the Go type
//! does not have is silently dropped (1.21 has no field validation on the server), on every
//! write path: create, update, apply with or without `--validate`, patch.

use crate::engine::value::Value;

use crate::engine::schema::{self, Node};

/// Drops the fields the typed API object does not have, as decoding into the Go type
/// does on the server (unknown fields are silently lost in 1.21).
pub fn prune(obj: &mut Value, api_version: &str, kind: &str) {
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    let defs = schema::definitions();
    if let Some(node) = defs.lookup(group, version, kind).and_then(|n| defs.get(n)) {
        prune_node(obj, node, 0);
    }
}

fn prune_node(v: &mut Value, node: &Node, depth: usize) {
    if depth > 64 {
        return;
    }
    let defs = schema::definitions();
    match node {
        Node::Ref(name) => {
            if let Some(n) = defs.get(name) {
                prune_node(v, n, depth + 1);
            }
        }
        Node::Kind { fields, .. } => {
            if let Value::Object(m) = v {
                m.retain(|k, _| fields.contains_key(k.as_str()));
                for (k, child) in m.iter_mut() {
                    if let Some(n) = fields.get(k.as_str()) {
                        prune_node(child, n, depth + 1);
                    }
                }
            }
        }
        Node::Map(Some(inner)) => {
            if let Value::Object(m) = v {
                for child in m.values_mut() {
                    prune_node(child, inner, depth + 1);
                }
            }
        }
        Node::Array(inner) => {
            if let Value::Array(a) = v {
                for child in a.iter_mut() {
                    prune_node(child, inner, depth + 1);
                }
            }
        }
        Node::Map(None) | Node::Primitive { .. } | Node::Arbitrary => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    fn pod() -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    }

    #[test]
    fn prune_drops_fields_the_type_does_not_have() {
        let mut p = pod();
        p["spec"]["foo"] = json!(1);
        p["spec"]["containers"][0]["bogus"] = json!(true);
        prune(&mut p, "v1", "Pod");
        assert_eq!(p, pod());
    }

    #[test]
    fn every_write_path_drops_unknown_fields() {
        use crate::engine::Cluster;
        use crate::engine::objects::Kind;
        let mut cluster = Cluster::kind(1, 3);
        let mut ns = json!({"apiVersion": "v1", "kind": "Namespace",
                            "metadata": {"name": "dev", "bogus": 1}, "extra": true});
        cluster.create(Kind::Namespace, ns.clone()).unwrap();
        let stored = cluster.get(Kind::Namespace, "", "dev").unwrap();
        assert!(stored.get("extra").is_none() && stored["metadata"].get("bogus").is_none());
        ns["metadata"]["labels"] = json!({"team": "a"});
        ns["spec"] = json!({"finalizers": ["kubernetes"], "nope": 2});
        let updated = cluster.update(Kind::Namespace, ns).unwrap();
        assert_eq!(updated["metadata"]["labels"]["team"], "a");
        assert!(updated.get("extra").is_none() && updated["metadata"].get("bogus").is_none());
    }
}
