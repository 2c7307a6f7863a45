//! What a container sees of ConfigMaps, Secrets and its pod, resolved as the v1.21 kubelet
//! resolves them: the environment (`kubelet_pods.go` `makeEnvironmentVariables`) when a
//! container is created, and the files of `configMap`, `secret` and `projected` volumes
//! (the volume plugins' `SetUpAt` and `MakePayload`) when a pod's volumes are mounted.
//!
//! The kubelet gates pods on these (`kubelet.rs`: a missing object or key leaves the
//! container in `CreateContainerConfigError`, or the pod in `ContainerCreating` with
//! `FailedMount` events); `kubectl exec` builds a container's env and files from them.
//! [`ConfigError`]'s `Display` is the kubelet's own error text, which its events print
//! behind `Error: ` (env) or `MountVolume.SetUp failed for volume "V" : ` (volumes).
//!
//! Not here: the Service environment variables (`FOO_SERVICE_HOST` ...) the kubelet adds
//! after these, and the `InvalidEnvironmentVariableNames` event for `envFrom` keys that are
//! not valid variable names (they are skipped, as the kubelet skips them).

use std::fmt;

use crate::engine::value::Value;

use super::config_quantity::resource_field_value;
use crate::engine::objects::{Kind, base64, meta};
use crate::engine::store::{ObjKey, Store};

/// Why the kubelet cannot build a container's environment or a volume's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The kubelet's watch-based manager answers `NotFound` for `configmap` (singular:
    /// `corev1.Resource("configmap")` in `pkg/kubelet/configmap/configmap_manager.go`).
    ConfigMapNotFound { name: String },
    /// The same for `corev1.Resource("secret")` (`pkg/kubelet/secret/secret_manager.go`).
    SecretNotFound { name: String },
    /// `makeEnvironmentVariables`: `couldn't find key %v in ConfigMap %v/%v`.
    ConfigMapKeyMissing {
        namespace: String,
        name: String,
        key: String,
    },
    /// `makeEnvironmentVariables`: `couldn't find key %v in Secret %v/%v`.
    SecretKeyMissing {
        namespace: String,
        name: String,
        key: String,
    },
    /// `configmap` volume `MakePayload`: `configmap references non-existent config key: %v`.
    VolumeConfigMapKey { key: String },
    /// `secret` volume `MakePayload`: `references non-existent secret key: %v`.
    VolumeSecretKey { key: String },
    /// `fieldpath.ExtractFieldPathAsString`: `unsupported fieldPath: %v`.
    UnsupportedFieldPath { path: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ConfigMapNotFound { name } => write!(f, "configmap \"{name}\" not found"),
            ConfigError::SecretNotFound { name } => write!(f, "secret \"{name}\" not found"),
            ConfigError::ConfigMapKeyMissing {
                namespace,
                name,
                key,
            } => write!(f, "couldn't find key {key} in ConfigMap {namespace}/{name}"),
            ConfigError::SecretKeyMissing {
                namespace,
                name,
                key,
            } => write!(f, "couldn't find key {key} in Secret {namespace}/{name}"),
            ConfigError::VolumeConfigMapKey { key } => {
                write!(f, "configmap references non-existent config key: {key}")
            }
            ConfigError::VolumeSecretKey { key } => {
                write!(f, "references non-existent secret key: {key}")
            }
            ConfigError::UnsupportedFieldPath { path } => {
                write!(f, "unsupported fieldPath: {path}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

fn optional(reference: &Value) -> bool {
    reference.get("optional").and_then(Value::as_bool) == Some(true)
}

/// A ConfigMap's or Secret's entries as text (a Secret's decoded from base64; a
/// ConfigMap's `binaryData` decoded too), sorted by key.
fn entries(kind: Kind, obj: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let decoded = |v: &Value| {
        let text = v.as_str().unwrap_or_default();
        String::from_utf8_lossy(&base64::decode(text).unwrap_or_default()).into_owned()
    };
    for (k, v) in obj
        .get("data")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let text = match kind {
            Kind::Secret => decoded(v),
            _ => v.as_str().unwrap_or_default().to_string(),
        };
        out.push((k.to_string(), text));
    }
    if kind == Kind::ConfigMap {
        for (k, v) in obj
            .get("binaryData")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.push((k.to_string(), decoded(v)));
        }
        out.sort();
    }
    out
}

/// The named ConfigMap or Secret, or the kubelet's not-found error.
fn source<'a>(
    store: &'a Store,
    kind: Kind,
    namespace: &str,
    name: &str,
) -> Result<&'a Value, ConfigError> {
    store
        .get(kind, &ObjKey::new(namespace, name))
        .ok_or_else(|| match kind {
            Kind::Secret => ConfigError::SecretNotFound {
                name: name.to_string(),
            },
            _ => ConfigError::ConfigMapNotFound {
                name: name.to_string(),
            },
        })
}

/// `validation.IsEnvVarName` (1.21): `[-._a-zA-Z][-._a-zA-Z0-9]*`.
fn is_env_var_name(name: &str) -> bool {
    let ok = |c: u8, first: bool| {
        c.is_ascii_alphabetic() || matches!(c, b'-' | b'.' | b'_') || (!first && c.is_ascii_digit())
    };
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|c| ok(c, true)) && bytes.all(|c| ok(c, false))
}

/// An environment kept in first-definition order, a later definition replacing the value.
#[derive(Default)]
struct Env(Vec<(String, String)>);

impl Env {
    fn set(&mut self, name: &str, value: String) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `expansion.Expand`: `$(VAR)` becomes VAR's value when it is defined (else stays as
/// written), `$$` becomes `$`.
fn expand(text: &str, env: &Env) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('(')
            && let Some(end) = body.find(')')
        {
            let name = &body[..end];
            match env.get(name) {
                Some(v) => out.push_str(v),
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `fieldpath.ExtractFieldPathAsString` and the kubelet's pod fields
/// (`podFieldSelectorRuntimeValue`: `spec.nodeName`, `status.hostIP`, `status.podIP` ...).
pub fn field_value(pod: &Value, path: &str) -> Result<String, ConfigError> {
    let subscript = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix("['"))
            .and_then(|r| r.strip_suffix("']"))
    };
    let s = |p: &[&str]| Ok(meta::str_at(pod, p).to_string());
    if let Some(key) = subscript("metadata.labels") {
        return Ok(meta::labels(pod).get(key).cloned().unwrap_or_default());
    }
    if let Some(key) = subscript("metadata.annotations") {
        return Ok(meta::annotation(pod, key).unwrap_or_default().to_string());
    }
    match path {
        "metadata.name" => s(&["metadata", "name"]),
        "metadata.namespace" => s(&["metadata", "namespace"]),
        "metadata.uid" => s(&["metadata", "uid"]),
        "spec.nodeName" => s(&["spec", "nodeName"]),
        "spec.serviceAccountName" => s(&["spec", "serviceAccountName"]),
        "status.hostIP" => s(&["status", "hostIP"]),
        "status.podIP" => s(&["status", "podIP"]),
        "status.podIPs" => Ok(meta::at(pod, &["status", "podIPs"])
            .and_then(Value::as_array)
            .map(|ips| {
                ips.iter()
                    .map(|ip| meta::str_at(ip, &["ip"]))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default()),
        "metadata.labels" | "metadata.annotations" => {
            let map = meta::string_map(pod, &["metadata", &path["metadata.".len()..]]);
            Ok(map
                .iter()
                .map(|(k, v)| format!("{k}=\"{v}\""))
                .collect::<Vec<_>>()
                .join("\n"))
        }
        _ => Err(ConfigError::UnsupportedFieldPath {
            path: path.to_string(),
        }),
    }
}

/// The pod spec's environment for `container` of `pod` as the kubelet resolves it when it
/// starts the container: `envFrom` then `env` (value, valueFrom: configMapKeyRef,
/// secretKeyRef, fieldRef, resourceFieldRef), in the kubelet's order and override rules.
/// Variables come in the order they are first defined; a later definition replaces the
/// value. An optional reference to a missing object or key defines nothing.
pub fn resolve_env(
    store: &Store,
    pod: &Value,
    container: &Value,
) -> Result<Vec<(String, String)>, ConfigError> {
    let namespace = meta::namespace(pod);
    let mut env = Env::default();
    for from in container
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let prefix = meta::str_at(from, &["prefix"]);
        let (kind, reference) = match (from.get("configMapRef"), from.get("secretRef")) {
            (Some(r), _) => (Kind::ConfigMap, r),
            (None, Some(r)) => (Kind::Secret, r),
            (None, None) => continue,
        };
        let obj = match source(store, kind, namespace, meta::str_at(reference, &["name"])) {
            Ok(obj) => obj,
            Err(_) if optional(reference) => continue,
            Err(e) => return Err(e),
        };
        for (key, value) in entries(kind, obj) {
            let name = format!("{prefix}{key}");
            if is_env_var_name(&name) {
                env.set(&name, value);
            }
        }
    }
    for var in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = meta::str_at(var, &["name"]);
        let value = meta::str_at(var, &["value"]);
        let Some(from) = var.get("valueFrom").filter(|_| value.is_empty()) else {
            let expanded = expand(value, &env);
            env.set(name, expanded);
            continue;
        };
        let resolved = if let Some(r) = from.get("fieldRef") {
            Some(field_value(pod, meta::str_at(r, &["fieldPath"]))?)
        } else if let Some(r) = from.get("resourceFieldRef") {
            Some(resource_field_value(container, r))
        } else if let Some(r) = from.get("configMapKeyRef") {
            key_ref(store, Kind::ConfigMap, namespace, r)?
        } else if let Some(r) = from.get("secretKeyRef") {
            key_ref(store, Kind::Secret, namespace, r)?
        } else {
            Some(String::new())
        };
        if let Some(v) = resolved {
            env.set(name, v);
        }
    }
    Ok(env.0)
}

/// One `configMapKeyRef`/`secretKeyRef`: the value, `None` when optional and absent.
fn key_ref(
    store: &Store,
    kind: Kind,
    namespace: &str,
    reference: &Value,
) -> Result<Option<String>, ConfigError> {
    let name = meta::str_at(reference, &["name"]);
    let key = meta::str_at(reference, &["key"]);
    let obj = match source(store, kind, namespace, name) {
        Ok(obj) => obj,
        Err(_) if optional(reference) => return Ok(None),
        Err(e) => return Err(e),
    };
    match entries(kind, obj).into_iter().find(|(k, _)| k == key) {
        Some((_, v)) => Ok(Some(v)),
        None if optional(reference) => Ok(None),
        None => {
            let (namespace, name, key) = (namespace.to_string(), name.to_string(), key.to_string());
            Err(match kind {
                Kind::Secret => ConfigError::SecretKeyMissing {
                    namespace,
                    name,
                    key,
                },
                _ => ConfigError::ConfigMapKeyMissing {
                    namespace,
                    name,
                    key,
                },
            })
        }
    }
}

/// The files a configMap/secret/projected volume shows: (path relative to the mount, content),
/// `items`/`path` applied. Any other volume shows none here.
pub fn volume_files(
    store: &Store,
    namespace: &str,
    volume: &Value,
) -> Result<Vec<(String, String)>, ConfigError> {
    let pod = crate::engine::value::json!({"metadata": {"namespace": namespace}});
    volume_files_of_pod(store, &pod, volume)
}

/// [`volume_files`] for a volume of `pod`, so that a `downwardAPI` projection can read any of
/// the pod's fields (not only its namespace).
pub fn volume_files_of_pod(
    store: &Store,
    pod: &Value,
    volume: &Value,
) -> Result<Vec<(String, String)>, ConfigError> {
    let namespace = meta::namespace(pod);
    let mut files = Vec::new();
    if let Some(src) = volume.get("configMap") {
        files.extend(keyed_files(store, Kind::ConfigMap, namespace, src, "name")?);
    } else if let Some(src) = volume.get("secret") {
        files.extend(keyed_files(
            store,
            Kind::Secret,
            namespace,
            src,
            "secretName",
        )?);
    } else if let Some(sources) =
        meta::at(volume, &["projected", "sources"]).and_then(Value::as_array)
    {
        for s in sources {
            if let Some(src) = s.get("configMap") {
                files.extend(keyed_files(store, Kind::ConfigMap, namespace, src, "name")?);
            } else if let Some(src) = s.get("secret") {
                files.extend(keyed_files(store, Kind::Secret, namespace, src, "name")?);
            } else if let Some(src) = s.get("downwardAPI") {
                files.extend(downward_files(pod, src)?);
            } else if let Some(src) = s.get("serviceAccountToken") {
                let path = meta::str_at(src, &["path"]);
                files.push((path.to_string(), token_for(pod)));
            }
        }
    } else if let Some(src) = volume.get("downwardAPI") {
        files.extend(downward_files(pod, src)?);
    }
    files.sort();
    Ok(files)
}

/// Why a volume of the pod in `namespace` cannot be set up, checked without building its
/// files (the kubelet asks this of every pod it starts, so it stays cheap): the same errors
/// as [`volume_files`].
pub fn volume_problem(store: &Store, namespace: &str, volume: &Value) -> Option<ConfigError> {
    let check = |kind: Kind, src: &Value, name_field: &str| -> Option<ConfigError> {
        let obj = match source(store, kind, namespace, meta::str_at(src, &[name_field])) {
            Ok(obj) => obj,
            Err(_) if optional(src) => return None,
            Err(e) => return Some(e),
        };
        if optional(src) {
            return None;
        }
        let has = |key: &str| {
            ["data", "binaryData"]
                .iter()
                .any(|f| meta::at(obj, &[f, key]).is_some())
        };
        let items = src.get("items").and_then(Value::as_array)?;
        let key = items
            .iter()
            .map(|i| meta::str_at(i, &["key"]))
            .find(|k| !has(k))?
            .to_string();
        Some(match kind {
            Kind::Secret => ConfigError::VolumeSecretKey { key },
            _ => ConfigError::VolumeConfigMapKey { key },
        })
    };
    if let Some(src) = volume.get("configMap") {
        return check(Kind::ConfigMap, src, "name");
    }
    if let Some(src) = volume.get("secret") {
        return check(Kind::Secret, src, "secretName");
    }
    let sources = meta::at(volume, &["projected", "sources"]).and_then(Value::as_array)?;
    sources.iter().find_map(|s| {
        if let Some(src) = s.get("configMap") {
            check(Kind::ConfigMap, src, "name")
        } else if let Some(src) = s.get("secret") {
            check(Kind::Secret, src, "name")
        } else {
            None
        }
    })
}

/// The files of a ConfigMap or Secret source: every key, or the listed `items`.
fn keyed_files(
    store: &Store,
    kind: Kind,
    namespace: &str,
    src: &Value,
    name_field: &str,
) -> Result<Vec<(String, String)>, ConfigError> {
    let obj = match source(store, kind, namespace, meta::str_at(src, &[name_field])) {
        Ok(obj) => obj,
        Err(_) if optional(src) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let all = entries(kind, obj);
    let Some(items) = src.get("items").and_then(Value::as_array) else {
        return Ok(all);
    };
    let mut out = Vec::new();
    for item in items {
        let key = meta::str_at(item, &["key"]);
        match all.iter().find(|(k, _)| k == key) {
            Some((_, v)) => out.push((meta::str_at(item, &["path"]).to_string(), v.clone())),
            None if optional(src) => {}
            None => {
                let key = key.to_string();
                return Err(match kind {
                    Kind::Secret => ConfigError::VolumeSecretKey { key },
                    _ => ConfigError::VolumeConfigMapKey { key },
                });
            }
        }
    }
    Ok(out)
}

fn downward_files(pod: &Value, src: &Value) -> Result<Vec<(String, String)>, ConfigError> {
    let mut out = Vec::new();
    for item in src
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(r) = item.get("fieldRef") {
            let value = field_value(pod, meta::str_at(r, &["fieldPath"]))?;
            out.push((meta::str_at(item, &["path"]).to_string(), value));
        }
    }
    Ok(out)
}

/// A stand-in for the bound service-account token the kubelet requests: a JWT's shape
/// (header.payload.signature), fixed per pod.
fn token_for(pod: &Value) -> String {
    let payload = format!(
        "{{\"kubernetes.io\":{{\"namespace\":\"{}\",\"pod\":{{\"name\":\"{}\",\"uid\":\"{}\"}}}},\"sub\":\"system:serviceaccount:{}:{}\"}}",
        meta::namespace(pod),
        meta::name(pod),
        meta::uid(pod),
        meta::namespace(pod),
        match meta::str_at(pod, &["spec", "serviceAccountName"]) {
            "" => "default",
            sa => sa,
        }
    );
    let url = |s: String| s.trim_end_matches('=').replace('+', "-").replace('/', "_");
    format!(
        "{}.{}.{}",
        url(base64::encode(br#"{"alg":"RS256","kid":"kubetutor"}"#)),
        url(base64::encode(payload.as_bytes())),
        url(base64::encode(meta::uid(pod).as_bytes()))
    )
}

#[cfg(test)]
#[path = "config_refs_tests.rs"]
mod tests;
