//! `kubectl run NAME --image=IMAGE`: the pod kubectl v1.21's `run-pod/v1` generator makes
//! (label `run=NAME`, `dnsPolicy: ClusterFirst`, `restartPolicy`, args or `--command`),
//! created, or printed with `--dry-run=client -o yaml`. Attaching (`-i`, `-t`, `--attach`,
//! `--rm`) and `--expose` are outside what the tutor simulates and say so.
//!
//! Must not import: the terminal, std::fs, std::process.

use crate::engine::value::{Map, Value, json};

use super::flags::{self, Flag, boolean, value};
use super::output::Format;
use super::{Ctx, Io, label, messages};
use crate::engine::objects::{Kind, meta};

const COMMAND: &str = "kubectl run";

const FLAGS: &[Flag] = &[
    value("image", None),
    value("restart", None),
    value("labels", Some('l')),
    value("port", None),
    value("env", None),
    value("annotations", None),
    value("image-pull-policy", None),
    boolean("command", None),
    boolean("stdin", Some('i')),
    boolean("tty", Some('t')),
    boolean("attach", None),
    boolean("rm", None),
    boolean("expose", None),
    boolean("quiet", Some('q')),
    boolean("privileged", None),
    boolean("leave-stdin-open", None),
    value("overrides", None),
    value("serviceaccount", None),
    value("hostport", None),
    value("requests", None),
    value("limits", None),
    value("dry-run", None),
    value("output", Some('o')),
    value("field-manager", None),
    boolean("record", None),
    boolean("save-config", None),
    value("pod-running-timeout", None),
    value("cascade", None),
    value("grace-period", None),
    boolean("force", None),
    value("timeout", None),
    value("wait", None),
    value("template", None),
    boolean("show-managed-fields", None),
    boolean("allow-missing-template-keys", None),
];

/// Whether `image` is a valid docker reference (`reference.ReferenceRegexp`): lowercase
/// path components joined by `.`, `_`, `__` or `-`, an optional registry host, tag and digest.
fn valid_image(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !ok {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let ok = !t.is_empty()
            && t.len() <= 128
            && t.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !ok {
            return false;
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 {
        let host = parts[0];
        if host.contains('.') || host.contains(':') || host == "localhost" {
            let ok = host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
            if !ok {
                return false;
            }
            parts.remove(0);
        }
    }
    !parts.is_empty() && parts.iter().all(|c| path_component(c))
}

fn path_component(c: &str) -> bool {
    let alnum = |ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit();
    let b = c.as_bytes();
    if b.is_empty() || !alnum(b[0] as char) || !alnum(b[b.len() - 1] as char) {
        return false;
    }
    c.chars().all(|ch| alnum(ch) || "._-".contains(ch)) && !c.contains("..") && !c.contains("___")
}

/// `generate.ParseLabels`.
fn parse_labels(spec: &str) -> Result<Map, String> {
    if spec.is_empty() {
        return Err("no label spec passed".into());
    }
    let mut labels = Map::new();
    for part in spec.split(',') {
        let kv: Vec<&str> = part.split('=').collect();
        if kv.len() != 2 {
            return Err(format!("unexpected label spec: {part}"));
        }
        if kv[0].is_empty() {
            return Err("unexpected empty label key".into());
        }
        labels.insert(kv[0].to_string(), json!(kv[1]));
    }
    Ok(labels)
}

/// `parseEnvs`: `NAME=VALUE`, NAME a C identifier-ish env var name.
fn parse_env(specs: &[String]) -> Result<Vec<Value>, String> {
    specs
        .iter()
        .map(|e| {
            let Some((name, value)) = e.split_once('=') else {
                return Err(format!("invalid env: {e}"));
            };
            let ok = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
            if !ok {
                return Err(format!("invalid env: {e}"));
            }
            Ok(json!({"name": name, "value": value}))
        })
        .collect()
}

pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(COMMAND, &e)),
    };
    let Some(image) = p.value("image") else {
        return io.fail("Error: required flag(s) \"image\" not set\n");
    };
    // cobra's ArgsLenAtDash: no NAME before `--` means no NAME at all.
    let before_dash = match args.iter().position(|a| a == "--") {
        Some(i) => p.args.len().saturating_sub(args.len() - i - 1),
        None => p.args.len(),
    };
    let Some(name) = p.args.first().filter(|_| before_dash > 0).cloned() else {
        return io.fail(messages::usage_error(COMMAND, "NAME is required for run"));
    };
    if image.is_empty() {
        return io.fail("error: --image is required\n");
    }
    if !valid_image(image) {
        return io.fail(format!(
            "error: Invalid image name {image:?}: invalid reference format\n"
        ));
    }
    if p.flag("tty") && !p.flag("stdin") {
        return io.fail(messages::usage_error(
            COMMAND,
            "-i/--stdin is required for containers with -t/--tty=true",
        ));
    }
    if p.flag("expose") && p.value("port").is_none_or(str::is_empty) {
        return io.fail(messages::usage_error(
            COMMAND,
            "--port must be set when exposing a service",
        ));
    }
    let restart = p.value("restart").unwrap_or("Always");
    if !["Always", "OnFailure", "Never"].contains(&restart) {
        return io.fail(messages::usage_error(
            COMMAND,
            &format!("invalid restart policy: {restart}"),
        ));
    }
    let attach = p.flag("attach") || p.flag("stdin");
    if !attach && p.flag("rm") {
        return io.fail(messages::usage_error(
            COMMAND,
            "--rm should only be used for attached containers",
        ));
    }
    let dry_run = p.value("dry-run").filter(|d| *d != "none");
    if attach && dry_run.is_some() {
        return io.fail(messages::usage_error(COMMAND, "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)"));
    }
    if let Some(policy) = p.value("image-pull-policy").filter(|v| !v.is_empty())
        && !["Always", "IfNotPresent", "Never"].contains(&policy)
    {
        return io.fail(format!("error: invalid image pull policy: {policy}\n"));
    }
    if attach {
        return io.fail(messages::unsupported("run --attach/--stdin"));
    }
    if p.flag("expose") {
        return io.fail(messages::unsupported("run --expose"));
    }
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let pod = match generate(&p, &name, image, restart) {
        Ok(pod) => pod,
        Err(e) => return io.fail(format!("error: {e}\n")),
    };
    match dry_run {
        Some("client") => label::print(io, &format, Kind::Pod, &pod, "created", " (dry run)"),
        Some("server") => {
            label::print(io, &format, Kind::Pod, &pod, "created", " (server dry run)")
        }
        _ => match ctx.cluster.create(Kind::Pod, pod) {
            Ok(created) => label::print(io, &format, Kind::Pod, &created, "created", ""),
            Err(e) => io.fail(format!("{e}\n")),
        },
    }
}

/// The generator's pod (`BasicPod.Generate`), as `--dry-run=client -o yaml` shows it.
fn generate(p: &flags::Parsed, name: &str, image: &str, restart: &str) -> Result<Value, String> {
    let labels = match p.value("labels") {
        Some(l) if !l.is_empty() => parse_labels(l)?,
        _ => {
            let mut m = Map::new();
            m.insert("run", json!(name));
            m
        }
    };
    let mut container = json!({"image": image, "name": name, "resources": {}});
    let args: Vec<&String> = p.args.iter().skip(1).collect();
    if !args.is_empty() {
        let field = if p.flag("command") { "command" } else { "args" };
        container[field] = json!(args);
    }
    let env = parse_env(&p.values("env"))?;
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(policy) = p.value("image-pull-policy").filter(|v| !v.is_empty()) {
        container["imagePullPolicy"] = json!(policy);
    }
    if let Some(port) = p.value("port").filter(|v| !v.is_empty()) {
        let n: i64 = port
            .parse()
            .map_err(|_| format!("strconv.Atoi: parsing {port:?}: invalid syntax"))?;
        container["ports"] = json!([{"containerPort": n}]);
    }
    if p.flag("stdin") {
        container["stdin"] = json!(true);
    }
    if p.flag("tty") {
        container["tty"] = json!(true);
    }
    if p.flag("privileged") {
        container["securityContext"] = json!({"privileged": true});
    }
    let mut metadata = json!({"creationTimestamp": null, "labels": labels, "name": name});
    let annotations = p.values("annotations");
    if !annotations.is_empty() {
        let mut m = Map::new();
        for a in &annotations {
            match a.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    m.insert(k.to_string(), json!(v));
                }
                _ => return Err(format!("invalid annotations format: {a}")),
            }
        }
        metadata["annotations"] = Value::Object(m);
    }
    if let Some(ns) = p.value("namespace") {
        meta::set(&mut metadata, &["namespace"], json!(ns));
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {},
    }))
}

#[cfg(test)]
mod tests {
    use super::valid_image;
    use crate::engine::Kind;
    use crate::engine::objects::meta;
    use crate::shell::kubectl::testkit::Kit;

    #[test]
    fn dry_run_prints_the_generated_pod() {
        let mut k = Kit::new();
        assert_eq!(
            k.ok("run web --image=nginx --dry-run=client -o yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: web\n  name: web\nspec:\n  containers:\n  - image: nginx\n    name: web\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n"
        );
        assert_eq!(
            k.ok("run t --image=busybox --restart=Never -l app=t,tier=x --port=80 --env=A=1 -n dev --dry-run=client -o yaml --command -- sleep 3600"),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: t\n    tier: x\n  name: t\n  namespace: dev\nspec:\n  containers:\n  - command:\n    - sleep\n    - \"3600\"\n    env:\n    - name: A\n      value: \"1\"\n    image: busybox\n    name: t\n    ports:\n    - containerPort: 80\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Never\nstatus: {}\n"
        );
        assert_eq!(
            k.ok("run web --image=nginx --dry-run=client"),
            "pod/web created (dry run)\n"
        );
        assert!(k.cluster.get(Kind::Pod, "default", "web").is_none());
    }

    #[test]
    fn creates_a_pod_that_starts() {
        let mut k = Kit::new();
        assert_eq!(k.ok("run web --image=nginx"), "pod/web created\n");
        k.wait(30);
        let pod = k.cluster.get(Kind::Pod, "default", "web").unwrap();
        assert_eq!(meta::label(pod, "run"), Some("web"));
        assert_eq!(meta::str_at(pod, &["status", "phase"]), "Running");
        assert_eq!(
            k.err("run web --image=nginx"),
            "Error from server (AlreadyExists): pods \"web\" already exists\n"
        );
    }

    #[test]
    fn run_errors_use_kubectl_words() {
        let mut k = Kit::new();
        assert_eq!(
            k.err("run web"),
            "Error: required flag(s) \"image\" not set\n"
        );
        assert_eq!(
            k.err("run --image=nginx"),
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n"
        );
        assert_eq!(
            k.err("run web --image=Nginx"),
            "error: Invalid image name \"Nginx\": invalid reference format\n"
        );
        assert_eq!(
            k.err("run web --image=nginx --restart=Sometimes"),
            "error: invalid restart policy: Sometimes\nSee 'kubectl run -h' for help and examples\n"
        );
        assert_eq!(
            k.err("run web --image=nginx --rm"),
            "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n"
        );
        assert_eq!(
            k.err("run web --image=nginx -t"),
            "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n"
        );
        assert!(
            k.err("run -it web --image=busybox -- sh")
                .contains("not supported")
        );
    }

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.21",
            "demo:1.0.0",
            "k8s.gcr.io/kube-proxy:v1.21.1",
            "localhost:5000/a/b_c:latest",
        ] {
            assert!(valid_image(ok), "{ok}");
        }
        for bad in ["Nginx", "nginx:", "a b", "nginx:-x", "-a"] {
            assert!(!valid_image(bad), "{bad}");
        }
    }
}
