//! The `pod-template-hash` a 1.21 Deployment controller names a ReplicaSet by
//! (`controller.ComputeHash` in `pkg/controller/controller_utils.go`): FNV-32a over go-spew's
//! `%#v` text of the Deployment's pod template as the controller-manager decodes it, then
//! the collision count's bytes if the Deployment has one, written in decimal and mapped
//! through `rand.SafeEncodeString`. The same template gives the same name on every cluster
//! (`coredns-558bd4d5db`, the workshop's `demo-7c9cd496db`).
//!
//! `go_types.txt` holds the Go types; `spew.rs` writes the text, `quantity.rs` the resource
//! quantities. The text is streamed into the hash, never held whole.

mod go_types;
mod quantity;
mod spew;

#[cfg(test)]
mod tests;

use std::fmt;

use crate::engine::value::Value;

/// The hash of a pod template (the Deployment's `spec.template`, defaulted as stored), with
/// the Deployment's `status.collisionCount` when it has one.
pub fn pod_template_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut h = Fnv32a::new();
    // Writing into the hasher cannot fail.
    let _ = spew::pod_template_spec(&mut h, template);
    if let Some(count) = collision_count {
        // binary.LittleEndian.PutUint32 into an 8-byte buffer: the last four stay zero.
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(count as u32).to_le_bytes());
        h.add(&bytes);
    }
    safe_encode(&h.0.to_string())
}

/// `rand.SafeEncodeString`: each byte picks from an alphabet without vowels or look-alikes.
fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8; 27] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes()
        .map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char)
        .collect()
}

/// Go's `hash/fnv` New32a.
struct Fnv32a(u32);

impl Fnv32a {
    fn new() -> Fnv32a {
        Fnv32a(0x811c_9dc5)
    }

    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u32::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }
}

impl fmt::Write for Fnv32a {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.add(s.as_bytes());
        Ok(())
    }
}

/// The `%#v` text itself, for tests and for looking at what a template hashes.
#[cfg(test)]
pub(crate) fn spew_text(template: &Value) -> String {
    let mut s = String::new();
    let _ = spew::pod_template_spec(&mut s, template);
    s
}
