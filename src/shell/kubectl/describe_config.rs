//! `kubectl describe configmap` and `describe secret`, as kubectl v1.21's `describe.go`
//! (`describeConfigMap`, `describeSecret`) lays them out: each data key with its value for a
//! ConfigMap (then the events), and only each key's size in bytes for a Secret.
//!
//! kubectl 1.21 walks `data` in Go map order, which differs from run to run; the tutor
//! prints the keys sorted (one of the orders a real run shows) so output is reproducible.
//! 1.21 prints no `binaryData` section.

use crate::engine::value::Value;

use super::{annotations, events, labels, line, multiline};
use crate::engine::Cluster;
use crate::engine::objects::{Kind, base64, meta};

/// `describeConfigMap`.
pub(super) fn configmap(c: &Cluster, cm: &Value, w: &mut String) {
    header(cm, w);
    // w.Write(LEVEL_0, "\nData\n====\n"); then "%s:\n----\n" and "%s\n" per key.
    w.push_str("\nData\n====\n");
    for (key, value) in data(cm) {
        w.push_str(&format!("{key}:\n----\n"));
        w.push_str(value.as_str().unwrap_or_default());
        w.push('\n');
    }
    events(c, Kind::ConfigMap, meta::namespace(cm), meta::name(cm), w);
}

/// `describeSecret`: no events are searched for a Secret.
pub(super) fn secret(s: &Value, w: &mut String) {
    header(s, w);
    let ty = meta::str_at(s, &["type"]);
    // w.Write(LEVEL_0, "\nType:\t%s\n", secret.Type)
    w.push('\n');
    line(w, 0, &format!("Type:\t{ty}"));
    w.push_str("\nData\n====\n");
    for (key, value) in data(s) {
        let text = value.as_str().unwrap_or_default();
        let bytes = base64::decode(text).unwrap_or_default();
        if key == "token" && ty == "kubernetes.io/service-account-token" {
            line(
                w,
                0,
                &format!("{key}:\t{}", String::from_utf8_lossy(&bytes)),
            );
        } else {
            line(w, 0, &format!("{key}:\t{} bytes", bytes.len()));
        }
    }
}

fn header(obj: &Value, w: &mut String) {
    line(w, 0, &format!("Name:\t{}", meta::name(obj)));
    line(w, 0, &format!("Namespace:\t{}", meta::namespace(obj)));
    multiline(w, 0, "Labels", &labels(obj));
    multiline(
        w,
        0,
        "Annotations",
        &annotations(obj, &["metadata", "annotations"]),
    );
}

fn data(obj: &Value) -> Vec<(&crate::engine::value::Str, &Value)> {
    obj.get("data")
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}

/// `describeServiceAccount`: its pull, mountable and token Secrets under fixed-width
/// headers (kubectl pads them with spaces to one width), a missing one `(not found)`.
pub(super) fn service_account(c: &Cluster, sa: &Value, w: &mut String) {
    let ns = meta::namespace(sa);
    let name = meta::name(sa);
    header(sa, w);
    let names = |field: &str| -> Vec<String> {
        meta::at(sa, &[field])
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| meta::str_at(r, &["name"]).to_string())
            .collect()
    };
    let tokens: Vec<String> = c
        .list(Kind::Secret, Some(ns))
        .filter(|s| {
            meta::str_at(s, &["type"]) == "kubernetes.io/service-account-token"
                && meta::annotation(s, "kubernetes.io/service-account.name") == Some(name)
        })
        .map(|s| meta::name(s).to_string())
        .collect();
    const EMPTY: &str = "                   ";
    for (title, list) in [
        ("Image pull secrets:", names("imagePullSecrets")),
        ("Mountable secrets: ", names("secrets")),
        ("Tokens:            ", tokens),
    ] {
        if list.is_empty() {
            line(w, 0, &format!("{title}\t<none>"));
        }
        for (i, secret) in list.iter().enumerate() {
            let prefix = if i == 0 { title } else { EMPTY };
            let missing = if c.get(Kind::Secret, ns, secret).is_none() {
                " (not found)"
            } else {
                ""
            };
            line(w, 0, &format!("{prefix}\t{secret}{missing}"));
        }
    }
    events(c, Kind::ServiceAccount, ns, name, w);
}
