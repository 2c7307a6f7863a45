//! The starting cluster: what `kind create cluster` (KinD v0.11.1, `kindest/node:v1.21.1`)
//! leaves behind, built by replaying its creation through the simulated control plane
//! (fidelity §8): control plane first with its static pods and addons, then the workers
//! joining, then the clock moved on to the start of the lesson.

use std::time::Duration;

use crate::engine::value::{Value, json};

use super::Cluster;
use super::clock::SimTime;
use super::images;
use super::objects::{Kind, meta};

/// When `kind create cluster` ran (describe node's reference CreationTimestamp).
pub const CLUSTER_CREATED: &str = "2021-07-01T09:58:12Z";
/// When the learner's session starts: the cluster is about 22 hours old, as in the workshop.
pub const SESSION_START: &str = "2021-07-02T08:12:00Z";
/// The three workers of the lesson's cluster.
pub const DEFAULT_WORKERS: usize = 3;
/// The node name KinD gives the control plane.
pub const CONTROL_PLANE: &str = "kind-control-plane";

/// KinD's worker names: kind-worker, kind-worker2, kind-worker3, ...
pub fn worker_name(i: usize) -> String {
    if i == 1 {
        "kind-worker".to_string()
    } else {
        format!("kind-worker{i}")
    }
}

/// Node IPs on the docker `kind` network: the control plane is .2; the workers count down
/// from the last address, which reproduces the lesson's .5 / .4 / .3 for three workers.
fn node_ip(index_from_two: usize) -> String {
    format!("172.18.{}.{}", index_from_two / 256, index_from_two % 256)
}

fn pod_cidr(k: usize) -> String {
    format!("10.{}.{}.0/24", 244 + k / 256, k % 256)
}

/// What `kind create cluster` is asked to build: the cluster's name (nodes are
/// `<name>-control-plane`, `<name>-worker`, `<name>-worker2` ...) and its workers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindSpec {
    pub name: String,
    pub workers: usize,
    /// Whether `demo:1.0.0` is already on every node (the tutor's standing cluster), or
    /// only in the host's Docker cache until `kind load docker-image` (a fresh one).
    pub demo_on_nodes: bool,
}

/// How long after the control plane a fresh `kind create cluster`'s workers join.
pub const WORKERS_JOIN_AFTER: Duration = Duration::from_secs(28);
/// How long a fresh `kind create cluster` runs, from its first node to its last line.
pub const KIND_CREATE_TAKES: Duration = Duration::from_secs(95);
/// How long after `kind create cluster` returns its workers stay NotReady (until kindnet
/// has written their CNI config).
pub const WORKERS_READY_AFTER: Duration = Duration::from_secs(12);

/// KinD's node name for worker `i` (1-based) of the cluster `cluster`.
pub fn node_name_of(cluster: &str, i: usize) -> String {
    match i {
        0 => format!("{cluster}-control-plane"),
        1 => format!("{cluster}-worker"),
        _ => format!("{cluster}-worker{i}"),
    }
}

impl Cluster {
    /// The workshop's cluster: one control plane and `workers` workers, seeded.
    pub fn kind(seed: u64, workers: usize) -> Cluster {
        let created = SimTime::parse_rfc3339(CLUSTER_CREATED).unwrap_or_default();
        let start = SimTime::parse_rfc3339(SESSION_START).unwrap_or_default();
        let spec = KindSpec {
            name: "kind".to_string(),
            workers,
            demo_on_nodes: true,
        };
        let mut c = Cluster::build_kind(seed, created, &spec, Duration::from_secs(20));
        let dt = Duration::from_millis((start.0 - c.now.0).max(0) as u64);
        c.advance(dt);
        c.end_quiet_events();
        // The kubelets have been reporting all along; from here on they keep doing so.
        super::controllers::kubelet_node::heartbeat(&mut c);
        c
    }

    /// What a learner's own `kind create cluster` leaves, run at `created`: the clock ends
    /// [`KIND_CREATE_TAKES`] later, the workers joined [`WORKERS_JOIN_AFTER`] after the
    /// control plane, and `demo:1.0.0` is on the nodes only if `spec` says so.
    pub fn kind_created_at(seed: u64, created: SimTime, spec: &KindSpec) -> Cluster {
        let mut c = Cluster::build_kind(
            seed,
            created,
            spec,
            WORKERS_JOIN_AFTER - Duration::from_secs(20),
        );
        let end = created + KIND_CREATE_TAKES;
        if c.now < end {
            let dt = Duration::from_millis((end.0 - c.now.0).max(0) as u64);
            c.advance(dt);
        }
        c.end_quiet_events();
        super::controllers::kubelet_node::heartbeat(&mut c);
        for i in 1..=spec.workers {
            let node = node_name_of(&spec.name, i);
            c.set_node_ready(&node, false);
            c.add_timer(
                c.now + WORKERS_READY_AFTER,
                super::Timer::NodeReady { node },
            );
        }
        c
    }

    /// Sets a node's Ready condition as its kubelet reports it: ready, or not yet (the
    /// network plugin has not written its config).
    pub(crate) fn set_node_ready(&mut self, node: &str, ready: bool) {
        let now = json!(self.now.rfc3339());
        let key = super::store::ObjKey::new("", node);
        self.store.modify(Kind::Node, &key, |n| {
            if let Some(Value::Array(conds)) = meta::at_mut(n, &["status", "conditions"]) {
                for cond in conds
                    .iter_mut()
                    .filter(|c| c["type"] == json!("Ready"))
                {
                    let (status, reason, message) = if ready {
                        ("True", "KubeletReady", "kubelet is posting ready status")
                    } else {
                        (
                            "False",
                            "KubeletNotReady",
                            "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
                        )
                    };
                    cond["status"] = json!(status);
                    cond["reason"] = json!(reason);
                    cond["message"] = json!(message);
                    cond["lastHeartbeatTime"] = now.clone();
                    cond["lastTransitionTime"] = now.clone();
                }
            }
        });
        self.settled_rv = None;
    }

    /// A random port for the API server, as Docker picks the host port kind maps it to.
    pub fn draw_port(&mut self) -> u16 {
        32768 + self.rng.below(28232) as u16
    }

    /// A seed for a new cluster made from this one (a `kind create cluster` after a delete).
    pub fn draw_seed(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// The replay of kind's creation up to the settled cluster (events still quiet).
    fn build_kind(seed: u64, created: SimTime, spec: &KindSpec, worker_delay: Duration) -> Cluster {
        let control_plane = node_name_of(&spec.name, 0);
        let mut c = Cluster::empty(seed, created);
        c.quiet_events();
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let _ = c.create_inner(Kind::Namespace, json!({"metadata": {"name": ns}}));
        }
        c.add_node(
            &spec.name,
            &control_plane,
            &node_ip(2),
            &pod_cidr(0),
            true,
            spec.demo_on_nodes,
        );
        for (component, image, cpu) in [
            ("etcd", "k8s.gcr.io/etcd:3.4.13-0", "100m"),
            (
                "kube-apiserver",
                "k8s.gcr.io/kube-apiserver:v1.21.1",
                "250m",
            ),
            (
                "kube-controller-manager",
                "k8s.gcr.io/kube-controller-manager:v1.21.1",
                "200m",
            ),
            (
                "kube-scheduler",
                "k8s.gcr.io/kube-scheduler:v1.21.1",
                "100m",
            ),
        ] {
            c.add_static_pod(&control_plane, component, image, cpu);
        }
        c.advance(Duration::from_secs(20));
        for obj in system_objects() {
            let kind = Kind::from_api(meta::api_version(&obj), meta::kind(&obj));
            if let Some(kind) = kind {
                let _ = c.create_inner(kind, obj);
            }
        }
        for sa in super::service_accounts::KUBE_SYSTEM_ACCOUNTS {
            c.ensure_service_account("kube-system", sa);
        }
        c.ensure_service_account(
            "local-path-storage",
            "local-path-provisioner-service-account",
        );
        for obj in super::bootstrap_config::system_configmaps() {
            let seed = format!("{}/{}", meta::namespace(&obj), meta::name(&obj));
            c.put_system_configmap(obj, &seed);
        }
        c.advance(worker_delay);
        let workers = spec.workers;
        for i in 1..=workers {
            let cidr_index = if i == 1 { workers } else { i - 1 };
            c.add_node(
                &spec.name,
                &node_name_of(&spec.name, i),
                &node_ip(2 + workers - i + 1),
                &pod_cidr(cidr_index),
                false,
                spec.demo_on_nodes,
            );
        }
        c.settle(Duration::from_secs(120));
        c
    }

    /// `kind load docker-image`: the node's containerd now holds `image`. False when the
    /// node does not exist.
    pub fn load_image(&mut self, node: &str, image: &str) -> bool {
        if self.get(Kind::Node, "", node).is_none() {
            return false;
        }
        self.controllers
            .kubelet
            .node_images
            .entry(node.to_string())
            .or_default()
            .insert(images::normalize(image));
        true
    }

    /// Whether the node's containerd holds `image`.
    pub fn has_image(&self, node: &str, image: &str) -> bool {
        self.node_has_image(node, image)
    }

    fn add_node(
        &mut self,
        cluster: &str,
        name: &str,
        ip: &str,
        cidr: &str,
        control_plane: bool,
        demo: bool,
    ) {
        let mut labels = json!({
            "beta.kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
        });
        let mut spec = json!({"podCIDR": cidr, "podCIDRs": [cidr], "providerID": format!("kind://docker/{cluster}/{name}")});
        if control_plane {
            labels["node-role.kubernetes.io/control-plane"] = json!("");
            labels["node-role.kubernetes.io/master"] = json!("");
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
            spec["taints"] =
                json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/master"}]);
        }
        let now = self.now.rfc3339();
        let capacity = json!({"cpu": "2", "ephemeral-storage": "10473452Ki", "hugepages-1Gi": "0",
            "hugepages-2Mi": "0", "memory": "3969648Ki", "pods": "110"});
        let condition = |kind: &str, status: &str, reason: &str, message: &str| {
            json!({"lastHeartbeatTime": now, "lastTransitionTime": now, "message": message,
                   "reason": reason, "status": status, "type": kind})
        };
        let machine_id = self.rng.hex(32);
        let system_uuid = self.rng.uuid();
        let boot_id = self.rng.uuid();
        let node = json!({
            "metadata": {
                "name": name,
                "labels": labels,
                "annotations": {
                    "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                    "node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true",
                },
            },
            "spec": spec,
            "status": {
                "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
                "allocatable": capacity,
                "capacity": capacity,
                "conditions": [
                    condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "nodeInfo": {
                    "architecture": "amd64",
                    "bootID": boot_id,
                    "containerRuntimeVersion": "containerd://1.5.2",
                    "kernelVersion": "5.4.0-1045-aws",
                    "kubeProxyVersion": "v1.21.1",
                    "kubeletVersion": "v1.21.1",
                    "machineID": machine_id,
                    "operatingSystem": "linux",
                    "osImage": "Ubuntu 21.04",
                    "systemUUID": system_uuid,
                },
            },
        });
        let images = self
            .controllers
            .kubelet
            .node_images
            .entry(name.to_string())
            .or_default();
        for image in images::PRELOADED {
            if demo || *image != images::WORKSHOP_IMAGE {
                images.insert((*image).to_string());
            }
        }
        let _ = self.create_inner(Kind::Node, node);
    }

    fn add_static_pod(&mut self, control_plane: &str, component: &str, image: &str, cpu: &str) {
        let Some(node) = self.get(Kind::Node, "", control_plane).cloned() else {
            return;
        };
        let mut owner = meta::owner_reference(&node);
        owner
            .as_object_mut()
            .map(|o| o.remove("blockOwnerDeletion"));
        let pod = json!({
            "metadata": {
                "name": format!("{component}-{control_plane}"),
                "namespace": "kube-system",
                "labels": {"component": component, "tier": "control-plane"},
                "annotations": {"kubernetes.io/config.source": "file"},
                "ownerReferences": [owner],
            },
            "spec": {
                "containers": [{"name": component, "image": image, "command": [component],
                    "resources": {"requests": {"cpu": cpu}}}],
                "hostNetwork": true,
                "nodeName": control_plane,
                "priorityClassName": "system-node-critical",
                "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
            },
        });
        let _ = self.create_inner(Kind::Pod, pod);
    }
}

/// The addons kubeadm and KinD install (kindnet, kube-proxy, CoreDNS, local-path storage,
/// the two Services).
fn system_objects() -> Vec<Value> {
    let host_path = |name: &str, path: &str, kind: Option<&str>| {
        let mut hp = json!({"path": path});
        if let Some(k) = kind {
            hp["type"] = json!(k);
        }
        json!({"name": name, "hostPath": hp})
    };
    vec![
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "kindnet", "namespace": "kube-system",
                "labels": {"app": "kindnet", "k8s-app": "kindnet", "tier": "node"}},
            "spec": {"selector": {"matchLabels": {"app": "kindnet"}},
                "template": {"metadata": {"labels": {"app": "kindnet", "k8s-app": "kindnet", "tier": "node"}},
                    "spec": {"containers": [{"name": "kindnet-cni", "image": "docker.io/kindest/kindnetd:v20210326-1e038dc5",
                        "env": [{"name": "HOST_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.hostIP"}}},
                                {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
                                {"name": "POD_SUBNET", "value": "10.244.0.0/16"}],
                        "resources": {"limits": {"cpu": "100m", "memory": "50Mi"}, "requests": {"cpu": "100m", "memory": "50Mi"}},
                        "securityContext": {"capabilities": {"add": ["NET_RAW", "NET_ADMIN"]}, "privileged": false},
                        "volumeMounts": [{"mountPath": "/etc/cni/net.d", "name": "cni-cfg"},
                                         {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                                         {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": true}]}],
                        "hostNetwork": true,
                        "serviceAccountName": "kindnet",
                        "tolerations": [{"operator": "Exists"}],
                        "volumes": [host_path("cni-cfg", "/etc/cni/net.d", None),
                                    host_path("xtables-lock", "/run/xtables.lock", Some("FileOrCreate")),
                                    host_path("lib-modules", "/lib/modules", None)]}}}}),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": {"k8s-app": "kube-proxy"}},
            "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
                "template": {"metadata": {"labels": {"k8s-app": "kube-proxy"}},
                    "spec": {"containers": [{"name": "kube-proxy", "image": "k8s.gcr.io/kube-proxy:v1.21.1",
                        "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
                        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                        "securityContext": {"privileged": true},
                        "volumeMounts": [{"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                                         {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                                         {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": true}]}],
                        "hostNetwork": true,
                        "nodeSelector": {"kubernetes.io/os": "linux"},
                        "priorityClassName": "system-node-critical",
                        "serviceAccountName": "kube-proxy",
                        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}, {"operator": "Exists"}],
                        "volumes": [{"configMap": {"defaultMode": 420, "name": "kube-proxy"}, "name": "kube-proxy"},
                                    host_path("xtables-lock", "/run/xtables.lock", Some("FileOrCreate")),
                                    host_path("lib-modules", "/lib/modules", None)]}}}}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
                "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}, "type": "RollingUpdate"},
                "template": {"metadata": {"labels": {"k8s-app": "kube-dns"}},
                    "spec": {"containers": [{"name": "coredns", "image": "k8s.gcr.io/coredns/coredns:v1.8.0",
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                  {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                  {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "imagePullPolicy": "IfNotPresent",
                        "livenessProbe": {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
                            "initialDelaySeconds": 60, "timeoutSeconds": 5, "successThreshold": 1, "failureThreshold": 5},
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}},
                        "securityContext": {"allowPrivilegeEscalation": false,
                            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["all"]}, "readOnlyRootFilesystem": true},
                        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": true}]}],
                        "dnsPolicy": "Default",
                        "nodeSelector": {"kubernetes.io/os": "linux"},
                        "priorityClassName": "system-cluster-critical",
                        "serviceAccountName": "coredns",
                        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/master"},
                                        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
                        "volumes": [{"configMap": {"defaultMode": 420, "items": [{"key": "Corefile", "path": "Corefile"}], "name": "coredns"},
                                     "name": "config-volume"}]}}}}),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "local-path-storage"}}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "local-path-provisioner", "namespace": "local-path-storage"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "local-path-provisioner"}},
                "template": {"metadata": {"labels": {"app": "local-path-provisioner"}},
                    "spec": {"containers": [{"name": "local-path-provisioner", "image": "docker.io/rancher/local-path-provisioner:v0.0.14",
                        "command": ["local-path-provisioner", "--debug", "start", "--helper-image", "k8s.gcr.io/build-image/debian-base:v2.1.0", "--config", "/etc/config/config.json"],
                        "env": [{"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}}],
                        "volumeMounts": [{"mountPath": "/etc/config/", "name": "config-volume"}]}],
                        "nodeSelector": {"kubernetes.io/os": "linux"},
                        "serviceAccountName": "local-path-provisioner-service-account",
                        "tolerations": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/master", "operator": "Equal"}],
                        "volumes": [{"configMap": {"defaultMode": 420, "name": "local-path-config"}, "name": "config-volume"}]}}}}),
        json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}}),
        // The API server keeps the `kubernetes` Endpoints itself (`pkg/controlplane/reconcilers`).
        json!({"apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default",
                "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": node_ip(2)}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}),
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "kubernetes", "namespace": "default",
                "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": [node_ip(2)], "conditions": {"ready": true}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}),
        json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kube-dns", "namespace": "kube-system",
                "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
                "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}},
            "spec": {"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                          {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                          {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
                "selector": {"k8s-app": "kube-dns"}, "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}}),
    ]
}
