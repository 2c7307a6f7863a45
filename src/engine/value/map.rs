//! `Map`: a JSON object as a sorted array of (key, value) pairs in one `Arc` allocation. Small
//! maps are scanned, larger ones binary-searched; iteration is in key order, like the
//! `BTreeMap` it replaces; a clone is a reference-count bump and a write copies only the map it
//! changes (copy-on-write), so objects made from one template share everything they have not
//! changed (see `intern.rs`). Adding or removing a key builds the array anew (one allocation):
//! the API's maps are small and read far more often than their keys change.

use std::sync::Arc;

use super::{Str, Value};

pub type Entries = [(Str, Value)];

/// Maps of up to this many keys are searched by a scan.
const SCAN: usize = 8;

/// An empty map holds no allocation.
#[derive(Clone, Default)]
pub struct Map(pub(super) Option<Arc<Entries>>);

impl Map {
    pub fn new() -> Map {
        Map(None)
    }

    /// Builds a map from pairs in any order; of equal keys the last wins (as inserting would).
    pub fn from_entries(mut entries: Vec<(Str, Value)>) -> Map {
        if entries.is_empty() {
            return Map(None);
        }
        if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
            // A stable sort keeps equal keys in their order; keep the last of each run.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut deduped: Vec<(Str, Value)> = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                match deduped.last_mut() {
                    Some(last) if last.0 == k => last.1 = v,
                    _ => deduped.push((k, v)),
                }
            }
            entries = deduped;
        }
        Map(Some(Arc::from(entries)))
    }

    #[inline]
    pub(super) fn entries(&self) -> &[(Str, Value)] {
        self.0.as_deref().unwrap_or(&[])
    }

    /// The entries, to change in place; copies them first when another map shares them.
    fn entries_mut(&mut self) -> &mut Entries {
        match &mut self.0 {
            Some(arc) => Arc::make_mut(arc),
            None => &mut [],
        }
    }

    /// The entries as a vector to add to or take from, moved out when this map is their only
    /// owner and copied when it shares them; the map is left empty until built again.
    fn take_entries(&mut self) -> Vec<(Str, Value)> {
        match self.0.take() {
            None => Vec::new(),
            Some(mut arc) => match Arc::get_mut(&mut arc) {
                Some(owned) => owned.iter_mut().map(std::mem::take).collect(),
                None => arc.to_vec(),
            },
        }
    }

    /// Where `key` is. Most maps of the API hold a handful of keys: those are scanned, and a
    /// short key is compared in its inline form (length and buffer, no call to `memcmp`).
    #[inline]
    fn position(&self, key: &str) -> Option<usize> {
        let entries = self.entries();
        if entries.len() > SCAN {
            return entries
                .binary_search_by(|(k, _)| k.as_bytes().cmp(key.as_bytes()))
                .ok();
        }
        if Str::fits_inline(key) {
            let probe = Str::from(key);
            entries.iter().position(|(k, _)| *k == probe)
        } else {
            entries
                .iter()
                .position(|(k, _)| k.as_bytes() == key.as_bytes())
        }
    }

    /// Where `key` is, or where it would go.
    #[inline]
    fn find(&self, key: &str) -> Result<usize, usize> {
        if let Some(i) = self.position(key) {
            return Ok(i);
        }
        Err(self
            .entries()
            .partition_point(|(k, _)| k.as_bytes() < key.as_bytes()))
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    #[inline]
    pub fn get(&self, key: &str) -> Option<&Value> {
        let i = self.position(key)?;
        Some(&self.entries()[i].1)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Str, &Value)> {
        let i = self.position(key)?;
        let (k, v) = &self.entries()[i];
        Some((k, v))
    }

    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    #[inline]
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let i = self.position(key)?;
        Some(&mut self.entries_mut()[i].1)
    }

    /// Sets `key`, returning the value it had.
    pub fn insert(&mut self, key: impl Into<Str>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries_mut()[i].1, value)),
            Err(i) => {
                let mut entries = self.take_entries();
                entries.insert(i, (key, value));
                *self = Map::from_entries(entries);
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.remove_entry(key).map(|(_, v)| v)
    }

    pub fn remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        let i = self.position(key)?;
        let mut entries = self.take_entries();
        let removed = entries.remove(i);
        *self = Map::from_entries(entries);
        Some(removed)
    }

    pub fn clear(&mut self) {
        self.0 = None;
    }

    pub fn entry(&mut self, key: impl Into<Str>) -> Entry<'_> {
        Entry {
            map: self,
            key: key.into(),
        }
    }

    #[inline]
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries().iter())
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&Str, &mut Value)> {
        self.entries_mut().iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Str> + ExactSizeIterator + Clone {
        self.entries().iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone {
        self.entries().iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Value> {
        self.iter_mut().map(|(_, v)| v)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Str, &mut Value) -> bool) {
        if self.0.is_none() {
            return;
        }
        let mut entries = self.take_entries();
        entries.retain_mut(|(k, v)| keep(k, v));
        *self = Map::from_entries(entries);
    }

    /// Moves every entry of `other` into this map (its values win).
    pub fn append(&mut self, other: &mut Map) {
        for (k, v) in std::mem::take(other) {
            self.insert(k, v);
        }
    }

    /// Whether two maps are one shared allocation (so equal without looking inside).
    pub fn ptr_eq(&self, other: &Map) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

pub struct Iter<'a>(std::slice::Iter<'a, (Str, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Str, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl Clone for Iter<'_> {
    fn clone(&self) -> Self {
        Iter(self.0.clone())
    }
}

/// A place in a map for one key, as `BTreeMap::entry` gives.
pub struct Entry<'a> {
    map: &'a mut Map,
    key: Str,
}

impl<'a> Entry<'a> {
    pub fn key(&self) -> &Str {
        &self.key
    }

    pub fn or_insert(self, default: Value) -> &'a mut Value {
        self.or_insert_with(|| default)
    }

    pub fn or_insert_with(self, default: impl FnOnce() -> Value) -> &'a mut Value {
        let i = match self.map.find(&self.key) {
            Ok(i) => i,
            Err(i) => {
                let mut entries = self.map.take_entries();
                entries.insert(i, (self.key, default()));
                *self.map = Map::from_entries(entries);
                i
            }
        };
        &mut self.map.entries_mut()[i].1
    }

    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }

    pub fn and_modify(self, change: impl FnOnce(&mut Value)) -> Entry<'a> {
        if let Some(v) = self.map.get_mut(&self.key) {
            change(v);
        }
        self
    }
}

impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.ptr_eq(other) || self.entries() == other.entries()
    }
}

impl Eq for Map {}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Str, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Map {
    type Item = (Str, Value);
    type IntoIter = std::vec::IntoIter<(Str, Value)>;
    fn into_iter(mut self) -> Self::IntoIter {
        self.take_entries().into_iter()
    }
}

impl<K: Into<Str>, V: Into<Value>> FromIterator<(K, V)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Map {
        Map::from_entries(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// Sets every pair, the later of equal keys winning, building the map once.
impl<K: Into<Str>, V: Into<Value>> Extend<(K, V)> for Map {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut entries = self.take_entries();
        entries.extend(iter.into_iter().map(|(k, v)| (k.into(), v.into())));
        *self = Map::from_entries(entries);
    }
}

impl std::ops::Index<&str> for Map {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&super::NULL)
    }
}

impl std::ops::IndexMut<&str> for Map {
    fn index_mut(&mut self, key: &str) -> &mut Value {
        self.entry(key).or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Map;
    use crate::engine::value::Value;

    #[test]
    fn a_map_keeps_its_keys_sorted_and_the_last_of_equal_keys() {
        let mut m: Map = [
            ("b", Value::from(1)),
            ("a", Value::from(2)),
            ("b", Value::from(3)),
        ]
        .into_iter()
        .collect();
        assert_eq!(m.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m["b"], Value::from(3));
        m.insert("c", Value::Null);
        assert_eq!(m.remove("a"), Some(Value::from(2)));
        assert_eq!(m.len(), 2);
        *m.entry("d").or_insert(Value::from(4)) = Value::from(5);
        assert_eq!(m.get("d"), Some(&Value::from(5)));
    }

    #[test]
    fn a_write_to_a_shared_map_leaves_the_other_owner_unchanged() {
        let mut a = Map::new();
        a.insert("k", Value::from("v"));
        let mut b = a.clone();
        assert!(a.ptr_eq(&b));
        b.insert("k", Value::from("w"));
        assert_eq!(a["k"], Value::from("v"));
        assert_eq!(b["k"], Value::from("w"));
        assert!(!a.ptr_eq(&b));
    }

    #[test]
    fn adding_or_removing_a_key_of_a_shared_map_builds_a_new_one() {
        let a: Map = [("a", 1), ("c", 3)].into_iter().collect();
        let mut b = a.clone();
        b.insert("b", Value::from(2));
        assert_eq!(
            b.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(a.len(), 2);
        let mut c = a.clone();
        assert_eq!(c.remove("a"), Some(Value::from(1)));
        c.retain(|_, v| *v != 3);
        assert!(c.is_empty());
        assert_eq!(a["a"], Value::from(1));
        assert_eq!(a["c"], Value::from(3));
        let owned: Vec<_> = a.clone().into_iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(owned, ["a", "c"]);
    }

    #[test]
    fn extending_sets_every_pair_and_the_later_of_equal_keys_wins() {
        let a: Map = [("b", 1), ("d", 4)].into_iter().collect();
        let mut b = a.clone();
        b.extend([("c", 3), ("b", 2), ("a", 0), ("c", 5)]);
        let pairs: Vec<(String, Value)> =
            b.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        assert_eq!(
            pairs,
            [
                ("a".to_string(), Value::from(0)),
                ("b".to_string(), Value::from(2)),
                ("c".to_string(), Value::from(5)),
                ("d".to_string(), Value::from(4)),
            ]
        );
        assert_eq!(a["b"], 1);
        assert_eq!(a.len(), 2);
    }
}
