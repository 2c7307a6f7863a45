//! Container images: which exist in the (simulated) registries, which each KinD node
//! already holds, and the names containerd reports for them.

/// Repositories that pull successfully (any tag): well-known public images.
const PULLABLE: &[&str] = &[
    "docker.io/library/nginx",
    "docker.io/library/busybox",
    "docker.io/library/alpine",
    "docker.io/library/ubuntu",
    "docker.io/library/debian",
    "docker.io/library/centos",
    "docker.io/library/fedora",
    "docker.io/library/redis",
    "docker.io/library/httpd",
    "docker.io/library/memcached",
    "docker.io/library/postgres",
    "docker.io/library/mysql",
    "docker.io/library/mongo",
    "docker.io/library/node",
    "docker.io/library/python",
    "docker.io/library/golang",
    "docker.io/library/traefik",
    "docker.io/library/registry",
    "docker.io/library/hello-world",
    "docker.io/fluent/fluentd",
    "docker.io/fluent/fluent-bit",
    "docker.io/fluent/fluentd-kubernetes-daemonset",
    "docker.io/prom/node-exporter",
    "docker.io/prom/prometheus",
    "docker.io/grafana/grafana",
    "docker.io/grafana/promtail",
    "docker.io/datadog/agent",
    "docker.io/kindest/kindnetd",
    "docker.io/rancher/local-path-provisioner",
    "quay.io/prometheus/node-exporter",
    "quay.io/prometheus/prometheus",
    "k8s.gcr.io/pause",
    "k8s.gcr.io/kube-proxy",
    "k8s.gcr.io/coredns/coredns",
    "k8s.gcr.io/etcd",
    "k8s.gcr.io/kube-apiserver",
    "k8s.gcr.io/kube-controller-manager",
    "k8s.gcr.io/kube-scheduler",
    "k8s.gcr.io/echoserver",
    "gcr.io/google-samples/hello-app",
    "registry.k8s.io/pause",
];

/// Images every KinD v0.11.1 node holds from the start, plus `demo:1.0.0`, which the
/// workshop's earlier chapters built and loaded with `kind load docker-image`.
pub const PRELOADED: &[&str] = &[
    "docker.io/kindest/kindnetd:v20210326-1e038dc5",
    "docker.io/rancher/local-path-provisioner:v0.0.14",
    "k8s.gcr.io/coredns/coredns:v1.8.0",
    "k8s.gcr.io/etcd:3.4.13-0",
    "k8s.gcr.io/kube-apiserver:v1.21.1",
    "k8s.gcr.io/kube-controller-manager:v1.21.1",
    "k8s.gcr.io/kube-proxy:v1.21.1",
    "k8s.gcr.io/kube-scheduler:v1.21.1",
    "k8s.gcr.io/pause:3.5",
    "docker.io/library/demo:1.0.0",
];

/// The workshop's own image, built on the host in its earlier chapters: no registry has it
/// (`docker.io/library/demo` does not exist), so a node has it only when it was loaded.
pub const WORKSHOP_IMAGE: &str = "docker.io/library/demo:1.0.0";

/// containerd's normalised reference: `nginx` → `docker.io/library/nginx:latest`.
pub fn normalize(image: &str) -> String {
    let (name, tag) = split_tag(image);
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    match tag {
        Some(t) => format!("{full}{t}"),
        None => format!("{full}:latest"),
    }
}

/// Splits `repo[:tag][@digest]` into the repository and the `:tag`/`@digest` suffix.
fn split_tag(image: &str) -> (&str, Option<&str>) {
    if let Some(at) = image.find('@') {
        return (&image[..at], Some(&image[at..]));
    }
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].rfind(':') {
        Some(i) => (&image[..last_slash + i], Some(&image[last_slash + i..])),
        None => (image, None),
    }
}

/// Tag words the well-known images publish besides versions (`nginx:alpine`,
/// `debian:bookworm`); any other word-only tag (`nginx:doesnotexist`) does not exist.
const TAG_WORDS: &[&str] = &[
    "latest", "stable", "mainline", "alpine", "slim", "edge", "lts", "perl", "bullseye", "buster",
    "bookworm", "focal", "jammy", "noble", "rolling", "devel",
];

/// Whether a well-known repository publishes `tag`: a version (`1.21`, `v1.14`,
/// `1.21-alpine`), a digest, or one of [`TAG_WORDS`] (alone or before a `-variant`).
fn tag_exists(tag: &str) -> bool {
    if tag.starts_with('@') {
        return true;
    }
    let tag = tag.trim_start_matches(':');
    let head = tag.split('-').next().unwrap_or("");
    let versioned = head.starts_with(|c: char| c.is_ascii_digit())
        || head
            .strip_prefix('v')
            .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()));
    versioned || TAG_WORDS.contains(&head)
}

/// Whether the image can be pulled from its registry: a well-known repository with a tag
/// it publishes, or one of the images every KinD node holds. The workshop's `demo:1.0.0`
/// is not pullable: a node has it only when it was loaded (`kind load docker-image`).
pub fn pullable(image: &str) -> bool {
    let normalized = normalize(image);
    let (repo, tag) = split_tag(&normalized);
    (PULLABLE.contains(&repo) && tag.is_none_or(tag_exists))
        || (PRELOADED.contains(&normalized.as_str()) && normalized != WORKSHOP_IMAGE)
}

/// `imagePullPolicy`'s default: Always for `:latest` or no tag, else IfNotPresent.
pub fn default_pull_policy(image: &str) -> &'static str {
    let (_, tag) = split_tag(image);
    match tag {
        None | Some(":latest") => "Always",
        _ => "IfNotPresent",
    }
}

/// A stable image ID (`sha256:…`) derived from the reference, as containerd reports one.
pub fn image_id(image: &str) -> String {
    let normalized = normalize(image);
    let (repo, _) = split_tag(&normalized);
    format!("{}@sha256:{}", repo, digest_hex(&normalized))
}

/// 64 hex digits derived deterministically from `text` (FNV-1a, widened).
pub fn digest_hex(text: &str) -> String {
    let mut out = String::with_capacity(64);
    for round in 0u64..4 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ round;
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_containerd() {
        assert_eq!(normalize("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalize("demo:1.0.0"), "docker.io/library/demo:1.0.0");
        assert_eq!(
            normalize("fluent/fluentd:v1.14"),
            "docker.io/fluent/fluentd:v1.14"
        );
        assert_eq!(
            normalize("k8s.gcr.io/kube-proxy:v1.21.1"),
            "k8s.gcr.io/kube-proxy:v1.21.1"
        );
        assert_eq!(normalize("localhost:5000/x"), "localhost:5000/x:latest");
    }

    #[test]
    fn demo_exists_only_on_nodes_it_was_loaded_on() {
        assert!(!pullable("demo:1.0.0"));
        assert!(!pullable("demo:2.0.0"));
        assert!(!pullable("demo"));
        assert!(pullable("nginx:1.21"));
        assert!(!pullable("ngnix"));
    }

    #[test]
    fn a_tag_a_known_image_does_not_publish_does_not_pull() {
        assert!(!pullable("nginx:doesnotexist"));
        assert!(!pullable("busybox:nope"));
        for ok in [
            "nginx",
            "nginx:latest",
            "nginx:1.21.6-alpine",
            "nginx:alpine",
            "fluent/fluentd:v1.14-1",
            "debian:bookworm-slim",
            "k8s.gcr.io/pause:3.5",
            "nginx@sha256:0123",
        ] {
            assert!(pullable(ok), "{ok}");
        }
    }

    #[test]
    fn pull_policy_defaults_by_tag() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_pull_policy("demo:1.0.0"), "IfNotPresent");
    }
}
