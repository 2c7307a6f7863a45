//! ServiceAccounts as a kind v1.21.1 cluster has them: the service-account controller gives
//! every namespace a `default` ServiceAccount as the namespace appears, and the token
//! controller gives each ServiceAccount a `NAME-token-xxxxx` Secret of type
//! `kubernetes.io/service-account-token` (keys `ca.crt`, `namespace`, `token`; 1.21 still
//! makes these). kube-system holds the addons' accounts; local-path-storage the
//! provisioner's. Names, uids and tokens are derived
//! from the namespace, not drawn from the cluster's random source, so they never shift the
//! names it gives pods.

use crate::engine::value::{Value, json};

use super::Cluster;
use super::bootstrap_config::{CLUSTER_CA_PEM, derived_uid};
use super::objects::{Kind, base64, meta};

/// The `type` of a token Secret.
pub const TOKEN_SECRET_TYPE: &str = "kubernetes.io/service-account-token";

/// kube-system's accounts the tutor keeps besides `default`: those its pods run as
/// (CoreDNS, kindnet, kube-proxy). A real kind v1.21.1 cluster also has one per
/// kube-controller-manager controller (about 30, `attachdetach-controller` ...); they are left
/// out so that a saved session stays small (each brings a token Secret).
pub const KUBE_SYSTEM_ACCOUNTS: &[&str] = &["coredns", "kindnet", "kube-proxy"];

/// `utilrand.String(5)`'s alphabet, for the token Secret's suffix.
const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn url64(bytes: &[u8]) -> String {
    base64::encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// Pseudo-random bytes from a seed (FNV-1a chained): a stand-in RS256 signature.
fn derived_bytes(seed: &str, n: usize) -> Vec<u8> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..n)
        .map(|i| {
            h ^= i as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
            (h >> 56) as u8
        })
        .collect()
}

/// A stand-in RS256 signature (256 bytes): 16 of them vary with the token, the rest are
/// the cluster's, so that the ~40 tokens of a cluster cost little in a saved session.
fn signature(seed: &str) -> Vec<u8> {
    let mut bytes = derived_bytes(seed, 16);
    bytes.extend(derived_bytes("kubetutor token signature", 240));
    bytes
}

impl Cluster {
    /// The service-account and token controllers for one account: creates `name` in
    /// `namespace` with its token Secret unless the account exists. Not in a namespace
    /// that is missing or being deleted.
    pub(crate) fn ensure_service_account(&mut self, namespace: &str, name: &str) {
        let Some(ns) = self.get(Kind::Namespace, "", namespace) else {
            return;
        };
        if meta::is_deleting(ns) || self.get(Kind::ServiceAccount, namespace, name).is_some() {
            return;
        }
        // The resourceVersion tells a re-created account from the one it replaces.
        let seed = format!("{}/{name}/{}", meta::uid(ns), self.store.resource_version());
        let sa_uid = derived_uid(&format!("{seed}/sa"));
        let suffix: String = derived_bytes(&seed, 5)
            .iter()
            .map(|b| char::from(SUFFIX_ALPHABET[usize::from(*b) % SUFFIX_ALPHABET.len()]))
            .collect();
        let secret_name = format!("{name}-token-{suffix}");
        let payload = json!({
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": namespace,
            "kubernetes.io/serviceaccount/secret.name": secret_name,
            "kubernetes.io/serviceaccount/service-account.name": name,
            "kubernetes.io/serviceaccount/service-account.uid": sa_uid,
            "sub": format!("system:serviceaccount:{namespace}:{name}"),
        });
        let header = format!(
            "{{\"alg\":\"RS256\",\"kid\":\"{}\"}}",
            url64(&derived_bytes("kid", 32))
        );
        let token = format!(
            "{}.{}.{}",
            url64(header.as_bytes()),
            url64(payload.to_string().as_bytes()),
            url64(&signature(&seed))
        );
        let secret = json!({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": secret_name, "namespace": namespace, "annotations": {
            "kubernetes.io/service-account.name": name,
            "kubernetes.io/service-account.uid": sa_uid}},
        "type": TOKEN_SECRET_TYPE,
        "data": {
            "ca.crt": base64::encode(CLUSTER_CA_PEM.as_bytes()),
            "namespace": base64::encode(namespace.as_bytes()),
            "token": base64::encode(token.as_bytes()),
        }});
        let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": name, "namespace": namespace},
            "secrets": [{"name": secret_name}]});
        self.put_system_object(Kind::Secret, secret, &format!("{seed}/secret"));
        self.put_system_object(Kind::ServiceAccount, sa, &format!("{seed}/sa"));
        // The uid the token names is the one the account got.
        if let Some(mut stored) = self.get(Kind::ServiceAccount, namespace, name).cloned() {
            meta::set(&mut stored, &["metadata", "uid"], Value::from(sa_uid));
            self.put(Kind::ServiceAccount, stored);
        }
    }
}

impl Cluster {
    /// What the service-account and token controllers do after a delete: a deleted
    /// account's token Secrets go with it, and a namespace's `default` account comes back.
    pub(crate) fn service_account_deleted(&mut self, kind: Kind, namespace: &str, name: &str) {
        if kind != Kind::ServiceAccount {
            return;
        }
        let tokens: Vec<String> = self
            .list(Kind::Secret, Some(namespace))
            .filter(|s| {
                meta::str_at(s, &["type"]) == TOKEN_SECRET_TYPE
                    && meta::annotation(s, "kubernetes.io/service-account.name") == Some(name)
            })
            .map(|s| meta::name(s).to_string())
            .collect();
        for t in tokens {
            self.remove_object(Kind::Secret, &super::store::ObjKey::new(namespace, &t));
        }
        if name == "default" {
            self.ensure_service_account(namespace, "default");
        }
    }
}
