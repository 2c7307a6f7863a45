//! The namespace controller: a Terminating namespace goes away once its last pod is gone
//! and its finalizer has run.

use crate::engine::Cluster;
use crate::engine::objects::{Kind, meta};
use crate::engine::store::ObjKey;

pub fn sync(c: &mut Cluster) -> bool {
    let finalize = c.timings().namespace_finalize;
    let now = c.now;
    let mut done = Vec::new();
    let mut waits = Vec::new();
    for ns in c.list(Kind::Namespace, None) {
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
