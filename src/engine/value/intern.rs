//! Hash-consing of the store's objects: every map the store holds is replaced by the one
//! shared copy of its contents, so a subtree that is equal in many objects (a template's
//! containers and tolerations, labels, owner references, conditions set at one instant,
//! a node's image list) is kept once.
//!
//! A map is interned after its children, so two maps are equal exactly when their scalars
//! are equal and their child maps are the same allocation: hashing and comparing one map
//! never walks below it. An interned map is shared by the table, so a write to it copies it
//! first (`Arc::make_mut`) and the table's copy never changes. Maps that only the table
//! still holds are dropped by a sweep once the table has doubled since the last one.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use super::map::Entries;
use super::{Map, Value};

#[derive(Clone, Default)]
pub struct Interner {
    maps: HashSet<Canon, BuildHasherDefault<DefaultHasher>>,
    /// Table size after the last sweep.
    kept: usize,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Interner({} maps)", self.maps.len())
    }
}

/// A map compared by its keys, its scalars and the identity of its child maps.
#[derive(Clone)]
struct Canon(Arc<Entries>);

impl Hash for Canon {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.len());
        for (k, v) in self.0.iter() {
            k.hash(state);
            shallow_hash(v, state);
        }
    }
}

impl PartialEq for Canon {
    fn eq(&self, other: &Canon) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.0.len() == other.0.len()
                && self
                    .0
                    .iter()
                    .zip(other.0.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && shallow_eq(va, vb)))
    }
}

impl Eq for Canon {}

fn shallow_hash<H: Hasher>(v: &Value, state: &mut H) {
    std::mem::discriminant(v).hash(state);
    match v {
        Value::Null => {}
        Value::Bool(b) => b.hash(state),
        Value::Number(n) => n.hash(state),
        Value::String(s) => s.hash(state),
        Value::Array(a) => {
            state.write_usize(a.len());
            for x in a {
                shallow_hash(x, state);
            }
        }
        Value::Object(m) => state.write_usize(m.0.as_ref().map_or(0, |a| Arc::as_ptr(a) as usize)),
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

    fn intern_map(&mut self, m: &mut Map) {
        let Some(arc) = &mut m.0 else {
            return;
        };
        if Arc::strong_count(arc) > 1 {
            // Possibly interned already: then it is its own entry in the table.
            let probe = Canon(arc.clone());
            if self
                .maps
                .get(&probe)
                .is_some_and(|c| Arc::ptr_eq(&c.0, arc))
            {
                return;
            }
        }
        let entries = Arc::make_mut(arc);
        for (_, child) in entries.iter_mut() {
            self.intern(child);
        }
        let probe = Canon(arc.clone());
        match self.maps.get(&probe) {
            Some(canon) => *arc = canon.0.clone(),
            None => {
                drop(probe);
                if let Some(entries) = Arc::get_mut(arc) {
                    entries.shrink_to_fit();
                }
                self.maps.insert(Canon(arc.clone()));
                self.sweep_when_grown();
            }
        }
    }

    fn sweep_when_grown(&mut self) {
        if self.maps.len() > 2 * self.kept + 4096 {
            self.maps.retain(|c| Arc::strong_count(&c.0) > 1);
            self.maps.shrink_to_fit();
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
}
