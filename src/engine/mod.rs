//! The simulated KinD v1.21 cluster.
//!
//! Must not import: ratatui, crossterm, tokio, std::fs, or any real clock. Time moves
//! only inside [`Cluster::advance`]; randomness comes from one seeded [`rng::Rng`].

pub mod clock;
pub mod objects;
pub mod rng;
pub mod store;

use serde_json::Value;

pub use clock::SimTime;
pub use objects::Kind;
use store::{ObjKey, Store};

/// The simulated cluster: the one entry point for everything that reads or changes it.
#[derive(Clone, Debug)]
pub struct Cluster {
    store: Store,
    now: SimTime,
    rng: rng::Rng,
}

impl Cluster {
    /// An empty cluster (no nodes, no namespaces) at `now`.
    pub fn empty(seed: u64, now: SimTime) -> Cluster {
        Cluster {
            store: Store::default(),
            now,
            rng: rng::Rng::seeded(seed),
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Moves simulated time forward by `dt`, running every controller on the way.
    pub fn advance(&mut self, dt: std::time::Duration) {
        self.now = self.now + dt;
    }

    /// One object, by kind, namespace ("" for cluster-scoped kinds) and name.
    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Value> {
        self.store.get(kind, &ObjKey::new(namespace, name))
    }

    /// Objects of a kind, in one namespace or all, in (namespace, name) order.
    pub fn list<'a>(&'a self, kind: Kind, namespace: Option<&'a str>) -> impl Iterator<Item = &'a Value> + 'a {
        self.store.list(kind, namespace)
    }
}
