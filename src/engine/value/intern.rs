//! Hash-consing of the store's objects: every map the store holds is replaced by the one
//! shared copy of its contents, so a subtree that is equal in many objects (a template's
//! containers and tolerations, labels, owner references, conditions set at one instant,
//! a node's image list) is kept once.
//!
//! A map is interned after its children, so two maps are equal exactly when their scalars
//! are equal and their child maps are the same allocation: hashing and comparing one map
//! never walks below it. An interned map is shared by the table, so a write to it copies it
//! first (`Arc::make_mut`) and the table's copy never changes; so a map met shared is not
//! looked at again (nothing below it can have changed), and a write costs the maps on its
//! path only. Maps that only the table still holds are dropped by a sweep once the table has
//! doubled since the last one.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use super::map::Entries;
use super::{Map, Value};

#[derive(Clone, Default)]
pub struct Interner {
    maps: HashSet<Canon, BuildHasherDefault<WordHasher>>,
    /// Table size after the last sweep.
    kept: usize,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Interner({} maps)", self.maps.len())
    }
}

/// A multiply-rotate hash over machine words. The table hashes every map the store writes, and
/// its keys are our own objects, not input an attacker picks, so SipHash's collision resistance
/// bought nothing and cost a tenth of a 5,000-node rollout.
#[derive(Default)]
struct WordHasher(u64);

impl WordHasher {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map compared by its keys, its scalars and the identity of its child maps, with its hash
/// computed once (the table rehashes as it grows).
#[derive(Clone)]
struct Canon {
    hash: u64,
    map: Arc<Entries>,
}

impl Canon {
    fn new(map: Arc<Entries>) -> Canon {
        let mut h = WordHasher::default();
        h.write_usize(map.len());
        for (k, v) in map.iter() {
            k.hash(&mut h);
            shallow_hash(v, &mut h);
        }
        Canon {
            hash: h.finish(),
            map,
        }
    }
}

impl Hash for Canon {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialEq for Canon {
    fn eq(&self, other: &Canon) -> bool {
        Arc::ptr_eq(&self.map, &other.map)
            || (self.hash == other.hash
                && self.map.len() == other.map.len()
                && self
                    .map
                    .iter()
                    .zip(other.map.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && shallow_eq(va, vb)))
    }
}

impl Eq for Canon {}

/// `Value`'s hash, except that a child map counts by its identity, not its contents.
fn shallow_hash<H: Hasher>(v: &Value, state: &mut H) {
    match v {
        Value::Array(a) => {
            std::mem::discriminant(v).hash(state);
            state.write_usize(a.len());
            for x in a {
                shallow_hash(x, state);
            }
        }
        Value::Object(m) => {
            std::mem::discriminant(v).hash(state);
            state.write_usize(
                m.0.as_ref()
                    .map_or(0, |a| Arc::as_ptr(a).cast::<u8>() as usize),
            );
        }
        scalar => scalar.hash(state),
    }
}

fn shallow_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.ptr_eq(y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| shallow_eq(p, q))
        }
        _ => a == b,
    }
}

impl Interner {
    /// Replaces every map in `v` by its shared copy, adding the ones not seen before.
    pub fn intern(&mut self, v: &mut Value) {
        match v {
            Value::Object(m) => self.intern_map(m),
            Value::Array(a) => a.iter_mut().for_each(|x| self.intern(x)),
            _ => {}
        }
    }

    /// `intern` for a stored object: its own map and its `metadata` (name, uid,
    /// resourceVersion) are its alone, so only what is below them is looked up.
    pub fn intern_object(&mut self, obj: &mut Value) {
        let Some(Some(root)) = obj.as_object_mut().map(|m| m.0.as_mut()) else {
            return self.intern(obj);
        };
        for (key, child) in Arc::make_mut(root).iter_mut() {
            match child {
                Value::Object(Map(Some(meta))) if key == "metadata" => {
                    for (_, v) in Arc::make_mut(meta).iter_mut() {
                        self.intern(v);
                    }
                }
                _ => self.intern(child),
            }
        }
    }

    fn intern_map(&mut self, m: &mut Map) {
        let Some(arc) = &mut m.0 else {
            return;
        };
        if Arc::strong_count(arc) > 1 {
            // Shared: interned already (the table holds it), or a fresh map cloned into
            // several places, which already share it. Either way nothing below it changed
            // since, as a write copies a shared map first.
            return;
        }
        for (_, child) in Arc::make_mut(arc).iter_mut() {
            self.intern(child);
        }
        let probe = Canon::new(arc.clone());
        match self.maps.get(&probe) {
            Some(canon) => *arc = canon.map.clone(),
            None => {
                self.maps.insert(probe);
                self.sweep_when_grown();
            }
        }
    }

    fn sweep_when_grown(&mut self) {
        if self.maps.len() > 2 * self.kept + 4096 {
            self.maps.retain(|c| Arc::strong_count(&c.map) > 1);
            self.kept = self.maps.len();
        }
    }

    /// How many distinct maps the table holds.
    pub fn len(&self) -> usize {
        self.maps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.maps.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Interner;
    use crate::engine::value::{Value, json};

    #[test]
    fn equal_subtrees_of_two_objects_become_one_and_a_write_copies_it() {
        let mut table = Interner::default();
        let mut a = json!({"spec": {"containers": [{"name": "c", "image": "i"}]}, "name": "a"});
        let mut b = json!({"spec": {"containers": [{"name": "c", "image": "i"}]}, "name": "b"});
        table.intern(&mut a);
        table.intern(&mut b);
        let spec = |v: &Value| v["spec"].as_object().cloned().unwrap_or_default();
        assert!(spec(&a).ptr_eq(&spec(&b)));
        b["spec"]["containers"][0]["image"] = json!("j");
        assert_eq!(a["spec"]["containers"][0]["image"], "i");
        assert_eq!(b["spec"]["containers"][0]["image"], "j");
        table.intern(&mut b);
        assert!(!spec(&a).ptr_eq(&spec(&b)));
        let mut c = json!({"spec": {"containers": [{"name": "c", "image": "j"}]}, "name": "b"});
        table.intern(&mut c);
        assert_eq!(c, b);
        assert!(c.as_object().unwrap().ptr_eq(b.as_object().unwrap()));
    }

    #[test]
    fn an_object_shares_what_is_below_its_root_and_metadata_which_stay_its_own() {
        let mut table = Interner::default();
        let object = |name: &str| json!({"metadata": {"name": name, "labels": {"app": "x"}}, "spec": {"k": 1}});
        let (mut a, mut b) = (object("a"), object("b"));
        table.intern_object(&mut a);
        table.intern_object(&mut b);
        let map = |v: &Value| v.as_object().cloned().unwrap_or_default();
        assert!(map(&a["metadata"]["labels"]).ptr_eq(&map(&b["metadata"]["labels"])));
        assert!(map(&a["spec"]).ptr_eq(&map(&b["spec"])));
        // The labels and the spec; neither root nor either metadata.
        assert_eq!(table.len(), 2);
        assert_eq!(b["metadata"]["name"], "b");
    }
}
