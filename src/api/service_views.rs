//! Typed, read-only views of Services and Endpoints (see `views`): what the layers above the
//! API read of them (the cluster map's Services lines) without indexing their JSON.

use crate::engine::value::Value;

use super::views::ObjectView;
use crate::engine::objects::meta;

/// A Service.
#[derive(Clone, Copy, Debug)]
pub struct ServiceView<'a>(&'a Value);

impl<'a> ServiceView<'a> {
    pub fn of(svc: &'a Value) -> ServiceView<'a> {
        ServiceView(svc)
    }

    pub fn meta(self) -> ObjectView<'a> {
        ObjectView::of(self.0)
    }

    /// `spec.clusterIP` (`None` for a headless Service, empty for ExternalName).
    pub fn cluster_ip(self) -> &'a str {
        meta::str_at(self.0, &["spec", "clusterIP"])
    }

    /// The first port's number.
    pub fn first_port(self) -> Option<i64> {
        meta::at(self.0, &["spec", "ports"])
            .and_then(Value::as_array)
            .and_then(|p| p.first())
            .and_then(|p| meta::i64_at(p, &["port"]))
    }

    /// Whether it has a selector (the endpoints controller keeps its Endpoints).
    pub fn has_selector(self) -> bool {
        meta::at(self.0, &["spec", "selector"]).is_some_and(Value::is_object)
    }
}

/// An Endpoints object.
#[derive(Clone, Copy, Debug)]
pub struct EndpointsView<'a>(&'a Value);

impl<'a> EndpointsView<'a> {
    pub fn of(ep: &'a Value) -> EndpointsView<'a> {
        EndpointsView(ep)
    }

    /// The pods its ready addresses point to, by name, sorted, each once.
    pub fn ready_pods(self) -> Vec<&'a str> {
        let mut names: Vec<&str> = self
            .0
            .get("subsets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|s| {
                s.get("addresses")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
            })
            .map(|a| meta::str_at(a, &["targetRef", "name"]))
            .filter(|n| !n.is_empty())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}
