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
    let mut next = None;
    // Oldest deletions first: only those whose finalizer time has come are looked at, and
    // the first one still waiting sets the next wake.
    for (since, name) in c.store.index().terminating_namespaces() {
        if *since + finalize > now {
            next = Some(*since + finalize);
            break;
        }
        if c.list(Kind::Pod, Some(name)).next().is_none() {
            done.push(name.clone());
        }
    }
    if let Some(at) = next {
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
