//! The object store: every object keyed by kind, namespace and name, in etcd key order
//! (namespace, then name), with a cluster-wide resourceVersion counter.

use std::collections::BTreeMap;

use crate::engine::value::{Str, Value};

use super::index::Indexes;
use super::objects::Kind;
use super::value::Interner;

/// Where an object lives: namespace ("" for cluster-scoped kinds) and name.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ObjKey {
    pub namespace: Str,
    pub name: Str,
}

impl ObjKey {
    pub fn new(namespace: &str, name: &str) -> ObjKey {
        ObjKey {
            namespace: Str::from(namespace),
            name: Str::from(name),
        }
    }
}

/// All objects of the simulated API server.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "StoreData")]
pub struct Store {
    #[serde(with = "object_lists")]
    objects: BTreeMap<Kind, BTreeMap<ObjKey, Value>>,
    resource_version: u64,
    /// Derived from `objects` on every write; rebuilt when a store is loaded.
    #[serde(skip)]
    index: Indexes,
    /// The one shared copy of every map the objects hold (hash-consing, `value::intern`).
    #[serde(skip)]
    interner: Interner,
}

/// A store as saved: the objects and the counter, without the derived indexes.
#[derive(serde::Deserialize)]
struct StoreData {
    #[serde(with = "object_lists")]
    objects: BTreeMap<Kind, BTreeMap<ObjKey, Value>>,
    resource_version: u64,
}

impl From<StoreData> for Store {
    fn from(data: StoreData) -> Store {
        let mut index = Indexes::default();
        let mut interner = Interner::default();
        let mut objects = data.objects;
        for (kind, objs) in &mut objects {
            for (key, obj) in objs {
                interner.intern_object(obj);
                index.note(*kind, key, Some(obj));
            }
        }
        Store {
            objects,
            resource_version: data.resource_version,
            index,
            interner,
        }
    }
}

impl Store {
    pub fn with_resource_version(rv: u64) -> Store {
        Store {
            objects: BTreeMap::new(),
            resource_version: rv,
            index: Indexes::default(),
            interner: Interner::default(),
        }
    }

    /// What the store derives from its objects (pods by node and owner, node facts, watches).
    pub fn index(&self) -> &Indexes {
        &self.index
    }

    pub fn index_mut(&mut self) -> &mut Indexes {
        &mut self.index
    }

    /// The stored objects behind `keys` (keys of objects since removed are skipped).
    pub fn get_all<'a>(
        &'a self,
        kind: Kind,
        keys: impl IntoIterator<Item = &'a ObjKey> + 'a,
    ) -> impl Iterator<Item = &'a Value> + 'a {
        let objs = self.objects.get(&kind);
        keys.into_iter()
            .filter_map(move |k| objs.and_then(|m| m.get(k)))
    }

    pub fn get(&self, kind: Kind, key: &ObjKey) -> Option<&Value> {
        self.objects.get(&kind)?.get(key)
    }

    /// Every object of `kind`, in namespace `ns` when given, in (namespace, name) order.
    pub fn list<'a>(
        &'a self,
        kind: Kind,
        ns: Option<&str>,
    ) -> impl Iterator<Item = &'a Value> + use<'a> {
        let ns = ns.map(str::to_string);
        self.objects.get(&kind).into_iter().flat_map(move |m| {
            let iter: Box<dyn Iterator<Item = &'a Value>> = match ns.clone() {
                Some(ns) => {
                    let start = ObjKey::new(&ns, "");
                    Box::new(
                        m.range(start..)
                            .take_while(move |(k, _)| k.namespace == ns)
                            .map(|(_, v)| v),
                    )
                }
                None => Box::new(m.values()),
            };
            iter
        })
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.objects.get(&kind).map_or(0, |m| m.len())
    }

    /// Stores `obj`, stamping a new resourceVersion into its metadata.
    pub fn put(&mut self, kind: Kind, key: ObjKey, mut obj: Value) {
        self.resource_version += 1;
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert(
                "resourceVersion",
                Value::from(self.resource_version.to_string()),
            );
        }
        self.interner.intern_object(&mut obj);
        self.index.note(kind, &key, Some(&obj));
        self.objects.entry(kind).or_default().insert(key, obj);
    }

    /// Changes a stored object in place and stamps a new resourceVersion; false when absent.
    pub fn modify(&mut self, kind: Kind, key: &ObjKey, change: impl FnOnce(&mut Value)) -> bool {
        let Some(obj) = self.objects.get_mut(&kind).and_then(|m| m.get_mut(key)) else {
            return false;
        };
        change(obj);
        self.resource_version += 1;
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert(
                "resourceVersion",
                Value::from(self.resource_version.to_string()),
            );
        }
        self.interner.intern_object(obj);
        self.index.note(kind, key, Some(obj));
        true
    }

    pub fn remove(&mut self, kind: Kind, key: &ObjKey) -> Option<Value> {
        let removed = self.objects.get_mut(&kind)?.remove(key);
        if removed.is_some() {
            self.resource_version += 1;
            self.index.note(kind, key, None);
        }
        removed
    }

    /// Spends a resourceVersion on a write that is not kept (see `Cluster::quiet_events`).
    pub fn skip_version(&mut self) {
        self.resource_version += 1;
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }
}

/// The store serializes as one list of objects per kind (JSON maps need string keys);
/// each object's key is read back from its own metadata.
mod object_lists {
    use std::collections::BTreeMap;

    use crate::engine::value::Value;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Kind, ObjKey};
    use crate::engine::objects::meta;

    type Objects = BTreeMap<Kind, BTreeMap<ObjKey, Value>>;

    pub fn serialize<S: Serializer>(map: &Objects, s: S) -> Result<S::Ok, S::Error> {
        let lists: Vec<(Kind, Vec<&Value>)> = map
            .iter()
            .map(|(k, m)| (*k, m.values().collect()))
            .collect();
        lists.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Objects, D::Error> {
        let lists: Vec<(Kind, Vec<Value>)> = Vec::deserialize(d)?;
        Ok(lists
            .into_iter()
            .map(|(kind, objs)| {
                let m = objs
                    .into_iter()
                    .map(|o| (ObjKey::new(meta::namespace(&o), meta::name(&o)), o))
                    .collect();
                (kind, m)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Cluster;

    #[test]
    fn a_cluster_round_trips_through_json() {
        let mut c = Cluster::kind(3, 3);
        c.advance(std::time::Duration::from_millis(10));
        let json = serde_json::to_string(&c).unwrap();
        let back: Cluster = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}
