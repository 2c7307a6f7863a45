//! The write side of the simulated API server: create, update and delete, with the
//! server's defaulting, validation, generated names and cascading deletion.

use std::time::Duration;

use crate::engine::value::{Value, json};

use super::admission::{config, defaults, prune, validation};
use super::error::ApiError;
use super::objects::{Kind, meta};
use super::store::ObjKey;
use super::{Cluster, PodRef, Timer};

/// How a delete proceeds (`kubectl delete --grace-period`, `--force`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Seconds the pod's containers get to stop; None = the pod's own
    /// `terminationGracePeriodSeconds`.
    pub grace_period_seconds: Option<i64>,
}

/// The simulated etcd's space quota, counted in pods: [`QUOTA_BASE`] plus
/// [`QUOTA_PER_NODE`] for each node, so a cluster of thousands of nodes still holds its
/// daemon pods. Pods are what controllers create without end (a ReplicaSet scaled to
/// millions); other objects come one per learner command. A real KinD etcd refuses writes
/// with `database space exceeded` once its 2 GB quota is full; the tutor stops far sooner
/// so that every command stays fast and small (even `get pods -o yaml` of them all). A pod
/// create beyond it fails as etcd's does, and a ReplicaSet records it as `FailedCreate`.
pub const QUOTA_BASE: usize = 2_000;
pub const QUOTA_PER_NODE: usize = 5;

/// The annotation the DaemonSet strategy keeps in step with the template generation.
pub const DS_TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

impl Cluster {
    /// Creates an object, as `POST` does: namespace checks, generated name, defaults,
    /// validation, server metadata.
    pub fn create(&mut self, kind: Kind, obj: Value) -> Result<Value, ApiError> {
        let key = self.create_inner(kind, obj)?;
        // What the server answered, even if a controller removes the object at once.
        let created = self.store.get(kind, &key).cloned().unwrap_or_default();
        self.settle_now();
        Ok(self.store.get(kind, &key).cloned().unwrap_or(created))
    }

    /// Creates without letting the controllers react (controllers call this).
    /// Returns where the new object is stored.
    pub(crate) fn create_inner(&mut self, kind: Kind, mut obj: Value) -> Result<ObjKey, ApiError> {
        if kind.is_namespaced() {
            if meta::namespace(&obj).is_empty() {
                meta::set(&mut obj, &["metadata", "namespace"], json!("default"));
            }
        } else {
            meta::remove(&mut obj, &["metadata", "namespace"]);
        }
        let namespace = meta::namespace(&obj).to_string();
        if meta::name(&obj).is_empty() {
            let base = meta::str_at(&obj, &["metadata", "generateName"]).to_string();
            if !base.is_empty() {
                let mut base = base;
                base.truncate(58);
                let name = format!("{}{}", base, self.rng.name_suffix());
                meta::set(&mut obj, &["metadata", "name"], json!(name));
            }
        }
        let name = meta::name(&obj).to_string();
        obj["apiVersion"] = json!(kind.api_version());
        obj["kind"] = json!(kind.name());
        config::decode_string_maps(kind, &obj)?;
        prune(&mut obj, kind.api_version(), kind.name());
        if kind == Kind::Secret {
            config::decode_secret(&mut obj)?;
        }
        validation::validate(kind, &obj, None)?;
        if kind.is_namespaced() {
            match self.get(Kind::Namespace, "", &namespace) {
                None => {
                    return Err(ApiError::NotFound {
                        kind: Kind::Namespace,
                        name: namespace,
                    });
                }
                Some(ns) if meta::is_deleting(ns) => {
                    return Err(ApiError::NamespaceTerminating {
                        kind,
                        name,
                        namespace,
                    });
                }
                Some(_) => {}
            }
        }
        if self.get(kind, &namespace, &name).is_some() {
            return Err(ApiError::AlreadyExists { kind, name });
        }
        if kind == Kind::Pod && self.pod_quota_full() {
            return Err(ApiError::SpaceExceeded);
        }
        defaults::apply(kind, &mut obj);
        if kind == Kind::Service {
            self.allocate_service(&mut obj)?;
        }
        self.stamp_new(kind, &mut obj);
        if kind == Kind::Pod && super::objects::pod::node_name(&obj).is_empty() {
            let at = self.now + self.timings().schedule;
            self.wake_at(at);
        }
        self.put(kind, obj);
        if kind == Kind::Namespace {
            self.publish_root_ca(&name);
            self.ensure_service_account(&name, "default");
        }
        Ok(ObjKey::new(&namespace, &name))
    }

    /// Whether the simulated etcd holds as many pods as its quota allows.
    pub(crate) fn pod_quota_full(&self) -> bool {
        let quota = QUOTA_BASE + QUOTA_PER_NODE * self.store.count(Kind::Node);
        self.store.count(Kind::Pod) >= quota
    }

    /// Server-set metadata and initial status of a new object.
    fn stamp_new(&mut self, kind: Kind, obj: &mut Value) {
        let uid = if matches!(kind, Kind::Endpoints | Kind::EndpointSlice) {
            // Endpoints come and go with Services; their uids come from their own draw so
            // that the names of everything else stay what the seed gave them before.
            super::rng::Rng::seeded(
                super::controllers::fnv64(&format!("{}/{}", meta::namespace(obj), meta::name(obj)))
                    ^ self.store.resource_version(),
            )
            .uuid()
        } else {
            self.rng.uuid()
        };
        let m = meta::map_at(obj, &["metadata"]);
        m.insert("uid", json!(uid));
        m.insert("creationTimestamp", json!(self.now.rfc3339()));
        if matches!(kind, Kind::DaemonSet | Kind::Deployment | Kind::ReplicaSet) {
            m.insert("generation", json!(1));
        }
        match kind {
            Kind::DaemonSet => {
                meta::set(
                    obj,
                    &["metadata", "annotations", DS_TEMPLATE_GENERATION],
                    json!("1"),
                );
                obj["status"] = json!({
                    "currentNumberScheduled": 0, "desiredNumberScheduled": 0,
                    "numberMisscheduled": 0, "numberReady": 0
                });
            }
            Kind::Deployment => obj["status"] = json!({}),
            Kind::ReplicaSet => obj["status"] = json!({"replicas": 0}),
            Kind::Pod => {
                let suffix = self.rng.name_suffix();
                let host_network =
                    meta::at(obj, &["spec", "hostNetwork"]).and_then(Value::as_bool) == Some(true);
                let static_pod = meta::controller_ref(obj).is_some_and(|(k, _, _)| k == "Node");
                if !host_network && !static_pod {
                    defaults::add_token_volume(obj, &suffix);
                }
                let qos = super::controllers::kubelet_node::qos_class(obj);
                obj["status"] = json!({"phase": "Pending", "qosClass": qos});
            }
            _ => {}
        }
    }

    /// Replaces an object's metadata and spec, as `PUT` does, keeping what the server
    /// owns (uid, creation time, status) and bumping `generation` when the spec changed.
    pub fn update(&mut self, kind: Kind, mut obj: Value) -> Result<Value, ApiError> {
        let namespace = if kind.is_namespaced() {
            meta::namespace(&obj).to_string()
        } else {
            String::new()
        };
        let name = meta::name(&obj).to_string();
        let Some(old) = self.get(kind, &namespace, &name).cloned() else {
            return Err(ApiError::NotFound { kind, name });
        };
        obj["apiVersion"] = json!(kind.api_version());
        obj["kind"] = json!(kind.name());
        config::decode_string_maps(kind, &obj)?;
        prune(&mut obj, kind.api_version(), kind.name());
        if kind == Kind::Secret {
            config::decode_secret(&mut obj)?;
        }
        if kind == Kind::Service {
            super::admission::service::keep_allocated(&mut obj, &old);
        }
        validation::validate(kind, &obj, Some(&old))?;
        defaults::apply(kind, &mut obj);
        if kind == Kind::Service {
            self.allocate_service(&mut obj)?;
        }
        for key in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generateName",
        ] {
            match meta::at(&old, &["metadata", key]) {
                Some(v) => meta::set(&mut obj, &["metadata", key], v.clone()),
                None => {
                    meta::remove(&mut obj, &["metadata", key]);
                }
            }
        }
        if meta::at(&obj, &["metadata", "ownerReferences"]).is_none()
            && let Some(refs) = meta::at(&old, &["metadata", "ownerReferences"])
        {
            meta::set(&mut obj, &["metadata", "ownerReferences"], refs.clone());
        }
        if kind == Kind::Namespace {
            for part in ["spec", "status"] {
                if let Some(v) = old.get(part) {
                    obj[part] = v.clone();
                }
            }
        }
        if let Some(status) = old.get("status") {
            obj["status"] = status.clone();
        }
        let spec_changed = old.get("spec") != obj.get("spec");
        if let Some(g) = meta::i64_at(&old, &["metadata", "generation"]) {
            meta::set(
                &mut obj,
                &["metadata", "generation"],
                json!(if spec_changed { g + 1 } else { g }),
            );
        }
        if kind == Kind::DaemonSet {
            let template_changed =
                meta::at(&old, &["spec", "template"]) != meta::at(&obj, &["spec", "template"]);
            let generation: i64 = meta::annotation(&old, DS_TEMPLATE_GENERATION)
                .and_then(|g| g.parse().ok())
                .unwrap_or(1);
            let generation = if template_changed {
                generation + 1
            } else {
                generation
            };
            meta::set(
                &mut obj,
                &["metadata", "annotations", DS_TEMPLATE_GENERATION],
                json!(generation.to_string()),
            );
        }
        if obj == old {
            return Ok(old);
        }
        self.put(kind, obj);
        if Cluster::is_root_ca(kind, &ObjKey::new(&namespace, &name)) {
            self.publish_root_ca(&namespace);
        }
        self.settle_now();
        Ok(self
            .get(kind, &namespace, &name)
            .cloned()
            .unwrap_or_default())
    }

    /// Deletes an object, as `DELETE` does with background propagation: pods terminate
    /// gracefully; owners go at once and their dependents follow; a namespace turns
    /// Terminating until everything in it is gone.
    pub fn delete(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        opts: DeleteOptions,
    ) -> Result<(), ApiError> {
        let ns = if kind.is_namespaced() { namespace } else { "" };
        let Some(obj) = self.get(kind, ns, name).cloned() else {
            return Err(ApiError::NotFound {
                kind,
                name: name.to_string(),
            });
        };
        match kind {
            Kind::Pod => self.delete_pod(&obj, opts.grace_period_seconds),
            Kind::Namespace => self.begin_namespace_deletion(&obj),
            _ => {
                self.remove_object(kind, &ObjKey::new(ns, name));
                self.delete_dependents(meta::uid(&obj));
                if Cluster::is_root_ca(kind, &ObjKey::new(ns, name)) {
                    self.publish_root_ca(ns);
                }
                self.service_account_deleted(kind, ns, name);
            }
        }
        self.settle_now();
        Ok(())
    }

    /// Deletes every object whose controller owner has `owner_uid`.
    pub(crate) fn delete_dependents(&mut self, owner_uid: &str) {
        for kind in [Kind::ReplicaSet, Kind::Pod, Kind::ControllerRevision] {
            let owned: Vec<Value> = self
                .list(kind, None)
                .filter(|o| meta::controller_ref(o).is_some_and(|(_, _, uid)| uid == owner_uid))
                .cloned()
                .collect();
            for o in owned {
                match kind {
                    Kind::Pod => self.delete_pod(&o, None),
                    _ => {
                        self.remove_object(kind, &ObjKey::new(meta::namespace(&o), meta::name(&o)));
                        self.delete_dependents(meta::uid(&o));
                    }
                }
            }
        }
    }

    /// Starts a pod's graceful termination (or removes it at once when it never ran or
    /// the grace period is zero).
    pub(crate) fn delete_pod(&mut self, pod: &Value, grace: Option<i64>) {
        let key = ObjKey::new(meta::namespace(pod), meta::name(pod));
        if meta::is_deleting(pod) && grace != Some(0) {
            return;
        }
        let grace = grace
            .or_else(|| meta::i64_at(pod, &["spec", "terminationGracePeriodSeconds"]))
            .unwrap_or(30)
            .max(0);
        let node = super::objects::pod::node_name(pod).to_string();
        if grace == 0 || node.is_empty() {
            self.remove_object(Kind::Pod, &key);
            return;
        }
        let mut p = pod.clone();
        let deadline = self.now + Duration::from_secs(grace as u64);
        meta::set(
            &mut p,
            &["metadata", "deletionTimestamp"],
            json!(deadline.rfc3339()),
        );
        meta::set(
            &mut p,
            &["metadata", "deletionGracePeriodSeconds"],
            json!(grace),
        );
        self.put(Kind::Pod, p.clone());
        let stop_after = super::controllers::kubelet::stop_duration(self, &p, grace);
        super::controllers::kubelet::kill_containers(self, &p);
        self.add_timer(
            self.now + stop_after,
            Timer::PodGone {
                pod: PodRef::of(&p),
            },
        );
    }

    fn begin_namespace_deletion(&mut self, ns: &Value) {
        if meta::is_deleting(ns) {
            return;
        }
        let mut n = ns.clone();
        meta::set(
            &mut n,
            &["metadata", "deletionTimestamp"],
            json!(self.now.rfc3339()),
        );
        meta::set(&mut n, &["status", "phase"], json!("Terminating"));
        self.put(Kind::Namespace, n);
        let name = meta::name(ns).to_string();
        for kind in [
            Kind::Deployment,
            Kind::DaemonSet,
            Kind::ReplicaSet,
            Kind::ControllerRevision,
            Kind::Service,
            Kind::ConfigMap,
            Kind::Secret,
            Kind::ServiceAccount,
            Kind::Endpoints,
            Kind::EndpointSlice,
        ] {
            let keys: Vec<(String, String)> = self
                .list(kind, Some(&name))
                .map(|o| (meta::name(o).to_string(), meta::uid(o).to_string()))
                .collect();
            for (obj_name, uid) in keys {
                self.remove_object(kind, &ObjKey::new(&name, &obj_name));
                self.delete_dependents(&uid);
            }
        }
        let pods: Vec<Value> = self.list(Kind::Pod, Some(&name)).cloned().collect();
        for p in pods {
            self.delete_pod(&p, None);
        }
    }
}
