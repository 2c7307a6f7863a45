//! The ConfigMaps a `kind create cluster` (KinD v0.11.1, kubeadm v1.21.1) leaves behind:
//! kubeadm's `kubeadm-config`, `kubelet-config-1.21`, `kube-proxy`, `coredns` and
//! `cluster-info`, the API server's `extension-apiserver-authentication`, the local-path
//! provisioner's `local-path-config`, and the root-CA publisher's `kube-root-ca.crt` in
//! every namespace (also in the namespaces a learner creates). Their names and keys are
//! what a real cluster has; their contents are plausible stand-ins (the certificates are
//! the tutor's own, generated once for this cluster, not a real cluster's).

use crate::engine::value::{Value, json};

use super::Cluster;
use super::objects::{Kind, base64, meta};
use super::store::ObjKey;

/// The cluster CA (`/etc/kubernetes/pki/ca.crt` on the control plane): CN=kubernetes,
/// valid from the cluster's creation for ten years, as kubeadm makes it.
pub const CLUSTER_CA_PEM: &str = include_str!("bootstrap_data/ca.crt");
/// The front-proxy CA the aggregation layer trusts (CN=front-proxy-ca).
const FRONT_PROXY_CA_PEM: &str = include_str!("bootstrap_data/front-proxy-ca.crt");

/// The ConfigMap the root-CA publisher keeps in every namespace.
pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";
/// Its one key.
pub const ROOT_CA_KEY: &str = "ca.crt";

fn configmap(namespace: &str, name: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace}, "data": data})
}

/// `kube-root-ca.crt` for a namespace (kube-controller-manager's root-CA publisher).
pub fn root_ca(namespace: &str) -> Value {
    configmap(
        namespace,
        ROOT_CA_CONFIGMAP,
        json!({ ROOT_CA_KEY: CLUSTER_CA_PEM }),
    )
}

impl Cluster {
    /// The root-CA publisher: makes sure `namespace` has its `kube-root-ca.crt` as
    /// published, re-creating or restoring it when it is missing or was changed (the
    /// controller watches both namespaces and that ConfigMap). Not for a namespace that is
    /// being deleted.
    pub(crate) fn publish_root_ca(&mut self, namespace: &str) {
        let Some(ns) = self.get(Kind::Namespace, "", namespace) else {
            return;
        };
        if meta::is_deleting(ns) {
            return;
        }
        let want = json!({ ROOT_CA_KEY: CLUSTER_CA_PEM });
        let ns_uid = meta::uid(ns).to_string();
        match self
            .get(Kind::ConfigMap, namespace, ROOT_CA_CONFIGMAP)
            .cloned()
        {
            None => {
                let n = self.store.count(Kind::ConfigMap);
                let seed = format!("{ns_uid}/{ROOT_CA_CONFIGMAP}/{n}");
                self.put_system_configmap(root_ca(namespace), &seed);
            }
            Some(mut cm) if cm.get("data") != Some(&want) => {
                cm["data"] = want;
                self.put(Kind::ConfigMap, cm);
            }
            Some(_) => {}
        }
    }

    /// Stores a ConfigMap the control plane writes itself, stamped as the API server stamps
    /// a new object but with a uid derived from `seed` rather than drawn from the cluster's
    /// random source, so that these objects never shift the names the source gives pods.
    pub(crate) fn put_system_configmap(&mut self, cm: Value, seed: &str) {
        self.put_system_object(Kind::ConfigMap, cm, seed);
    }

    /// [`Cluster::put_system_configmap`] for any kind the control plane writes itself.
    pub(crate) fn put_system_object(&mut self, kind: Kind, mut obj: Value, seed: &str) {
        let m = meta::map_at(&mut obj, &["metadata"]);
        m.insert("uid", json!(derived_uid(seed)));
        m.insert("creationTimestamp", json!(self.now.rfc3339()));
        self.put(kind, obj);
    }

    /// Whether the object at `kind`/`key` is one the root-CA publisher owns.
    pub(crate) fn is_root_ca(kind: Kind, key: &ObjKey) -> bool {
        kind == Kind::ConfigMap && key.name == ROOT_CA_CONFIGMAP
    }
}

/// A version-4-shaped UUID from two FNV-1a hashes of `seed`.
pub(crate) fn derived_uid(seed: &str) -> String {
    let fnv = |salt: u8| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in std::iter::once(salt).chain(seed.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    super::rng::uuid_from(fnv(1), fnv(2))
}

/// The kubeconfig kubeadm publishes in `cluster-info` (the CA and the API server address
/// for joining nodes).
fn cluster_info_kubeconfig() -> String {
    format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {}\n    server: https://kind-control-plane:6443\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {{}}\nusers: null\n",
        base64::encode(CLUSTER_CA_PEM.as_bytes())
    )
}

const COREFILE: &str = ".:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
";

const KUBE_PROXY_CONFIG: &str = "apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: \"\"
  burst: 0
  contentType: \"\"
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
detectLocalMode: \"\"
enableProfiling: false
healthzBindAddress: \"\"
hostnameOverride: \"\"
iptables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
kind: KubeProxyConfiguration
metricsBindAddress: \"\"
mode: iptables
nodePortAddresses: null
oomScoreAdj: null
portRange: \"\"
showHiddenMetricsForVersion: \"\"
udpIdleTimeout: 0s
";

const KUBE_PROXY_KUBECONFIG: &str = "apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://kind-control-plane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
";

const CLUSTER_CONFIGURATION: &str = "apiServer:
  certSANs:
  - localhost
  - 127.0.0.1
  extraArgs:
    authorization-mode: Node,RBAC
    runtime-config: \"\"
  timeoutForControlPlane: 4m0s
apiVersion: kubeadm.k8s.io/v1beta2
certificatesDir: /etc/kubernetes/pki
clusterName: kind
controlPlaneEndpoint: kind-control-plane:6443
controllerManager:
  extraArgs:
    enable-hostpath-provisioner: \"true\"
dns:
  type: CoreDNS
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: k8s.gcr.io
kind: ClusterConfiguration
kubernetesVersion: v1.21.1
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/16
scheduler:
  extraArgs: null
";

const CLUSTER_STATUS: &str = "apiEndpoints:
  kind-control-plane:
    advertiseAddress: 172.18.0.2
    bindPort: 6443
apiVersion: kubeadm.k8s.io/v1beta2
kind: ClusterStatus
";

const KUBELET_CONFIG: &str = "apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: cgroupfs
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
evictionHard:
  imagefs.available: 0%
  nodefs.available: 0%
  nodefs.inodesFree: 0%
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageGCHighThresholdPercent: 100
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
";

const LOCAL_PATH_CONFIG: &str = "{
        \"nodePathMap\":[
        {
                \"node\":\"DEFAULT_PATH_FOR_NON_LISTED_NODES\",
                \"paths\":[\"/var/local-path-provisioner\"]
        }
        ]
}";

const LOCAL_PATH_HELPER_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  containers:
  - name: helper-pod
    image: k8s.gcr.io/build-image/debian-base:v2.1.0
    imagePullPolicy: IfNotPresent";

const LOCAL_PATH_SETUP: &str = "#!/bin/sh
set -eu
mkdir -m 0777 -p \"$VOL_DIR\"";

const LOCAL_PATH_TEARDOWN: &str = "#!/bin/sh
set -eu
rm -rf \"$VOL_DIR\"";

/// The ConfigMaps kubeadm, the API server and KinD's manifests create (not the
/// `kube-root-ca.crt` ones: the publisher makes those as each namespace appears). Created
/// before the addons whose pods mount them.
pub fn system_configmaps() -> Vec<Value> {
    let headers = |h: &str| json!(format!("[\"{h}\"]"));
    vec![
        configmap(
            "kube-public",
            "cluster-info",
            json!({
                // kubeadm signs the kubeconfig with each bootstrap token (kind's `abcdef`).
                "jws-kubeconfig-abcdef": "eyJhbGciOiJIUzI1NiIsImtpZCI6ImFiY2RlZiJ9..Jm3tH7gqbX1Tz3Bq9kUvO2k0nE6mXh1bYcWq4sR8dLk",
                "kubeconfig": cluster_info_kubeconfig(),
            }),
        ),
        configmap("kube-system", "coredns", json!({"Corefile": COREFILE})),
        configmap(
            "kube-system",
            "extension-apiserver-authentication",
            json!({
                "client-ca-file": CLUSTER_CA_PEM,
                "requestheader-allowed-names": headers("front-proxy-client"),
                "requestheader-client-ca-file": FRONT_PROXY_CA_PEM,
                "requestheader-extra-headers-prefix": headers("X-Remote-Extra-"),
                "requestheader-group-headers": headers("X-Remote-Group"),
                "requestheader-username-headers": headers("X-Remote-User"),
            }),
        ),
        configmap(
            "kube-system",
            "kube-proxy",
            json!({
                "config.conf": KUBE_PROXY_CONFIG,
                "kubeconfig.conf": KUBE_PROXY_KUBECONFIG,
            }),
        ),
        configmap(
            "kube-system",
            "kubeadm-config",
            json!({
                "ClusterConfiguration": CLUSTER_CONFIGURATION,
                "ClusterStatus": CLUSTER_STATUS,
            }),
        ),
        configmap(
            "kube-system",
            "kubelet-config-1.21",
            json!({"kubelet": KUBELET_CONFIG}),
        ),
        configmap(
            "local-path-storage",
            "local-path-config",
            json!({
                "config.json": LOCAL_PATH_CONFIG,
                "helperPod.yaml": LOCAL_PATH_HELPER_POD,
                "setup": LOCAL_PATH_SETUP,
                "teardown": LOCAL_PATH_TEARDOWN,
            }),
        ),
    ]
}
