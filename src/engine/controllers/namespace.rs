//! The namespace controller: a Terminating namespace goes away once its last pod is gone
//! and its finalizer has run. It looks only at Terminating namespaces (the store indexes
//! them), so a pass costs what is being deleted, not every namespace there is.

use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta};
use crate::engine::store::ObjKey;

pub fn sync(c: &mut Cluster) -> bool {
    let finalize = c.timings().namespace_finalize;
    let now = c.now;
    let mut done = Vec::new();
    let mut waits = Vec::new();
    let terminating = c.store.index().terminating_namespaces();
    for ns in c.store.get_all(
        Kind::Namespace,
        terminating
            .iter()
            .map(|n| ObjKey::new("", n))
            .collect::<Vec<_>>()
            .iter(),
    ) {
        let Some(since) = meta::deletion(ns) else {
            continue;
        };
        let name = meta::name(ns);
        if c.list(Kind::Pod, Some(name)).next().is_some() {
            continue;
        }
        if since + finalize <= now {
            done.push(name.to_string());
        } else {
            waits.push(since + finalize);
        }
    }
    for at in waits {
        c.wake_at(at);
    }
    let changed = !done.is_empty();
    for name in done {
        let events: Vec<String> = c
            .list(Kind::Event, Some(&name))
            .map(|e| meta::name(e).to_string())
            .collect();
        for e in events {
            c.remove_object(Kind::Event, &ObjKey::new(&name, &e));
        }
        c.remove_object(Kind::Namespace, &ObjKey::new("", &name));
    }
    changed
}
