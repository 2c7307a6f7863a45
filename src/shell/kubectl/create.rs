//! `kubectl create`: `-f` manifests, and the generators `namespace` and `deployment`.

use crate::engine::value::{Value, json};

use super::apply::{self, Mode};
use super::flags::{self, Flag, boolean, value};
use super::output::{self, Format};
use super::{Ctx, Io, messages};
use crate::engine::objects::Kind;

const FLAGS: &[Flag] = &[
    value("output", Some('o')),
    value("dry-run", None),
    value("image", None),
    value("replicas", Some('r')),
    value("port", None),
    boolean("save-config", None),
    value("validate", None),
];

pub fn run(ctx: &mut Ctx<'_>, args: &[String], stdin: &str, io: &mut Io) {
    let has_file = args
        .iter()
        .any(|a| a == "-f" || a.starts_with("--filename") || a.starts_with("-f"));
    // The generator's name is the first word that is not a (global) flag or its value.
    let sub = flags::find_verb(args);
    let sub_word = sub.map(|i| args[i].as_str());
    match sub_word {
        Some(w) if !has_file && super::create_config::handles(w) => {
            if let Some(i) = sub {
                super::create_config::run(ctx, args, i, io);
            }
            return;
        }
        Some("service" | "svc") if !has_file => {
            let Some(i) = sub else { return };
            let rest: Vec<String> = args[..i].iter().chain(&args[i + 1..]).cloned().collect();
            return super::expose::create(ctx, &rest, io);
        }
        Some("namespace" | "ns") | Some("deployment" | "deploy") if !has_file => {}
        _ => return apply::run(ctx, args, stdin, Mode::Create, io),
    }
    let Some(i) = sub else { return };
    let word = args[i].clone();
    let rest: Vec<String> = args[..i].iter().chain(&args[i + 1..]).cloned().collect();
    let command = format!(
        "kubectl create {}",
        if word.starts_with("ns") || word == "namespace" {
            "namespace"
        } else {
            "deployment"
        }
    );
    let p = match flags::parse(&rest, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(&command, &e)),
    };
    let Some(name) = p.args.first().cloned() else {
        return io.fail(messages::usage_error(&command, "NAME is required"));
    };
    if p.args.len() > 1 {
        return io.fail(messages::usage_error(
            &command,
            &format!("exactly one NAME is required, got {}", p.args.len()),
        ));
    }
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let dry_run = matches!(p.value("dry-run"), Some("client" | "server"));
    let (kind, obj) = if command.ends_with("namespace") {
        (
            Kind::Namespace,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"creationTimestamp": null, "name": name}, "spec": {}, "status": {}}),
        )
    } else {
        let Some(image) = p.value("image") else {
            return io.fail("error: required flag(s) \"image\" not set\n");
        };
        let replicas: i64 = match p.value("replicas").map(str::parse).transpose() {
            Ok(r) => r.unwrap_or(1),
            Err(_) => return io.fail(format!("Error: invalid argument \"{}\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax\nSee 'kubectl create deployment --help' for usage.\n", p.value("replicas").unwrap_or(""), p.value("replicas").unwrap_or(""))),
        };
        (
            Kind::Deployment,
            deployment(&name, image, replicas, p.value("namespace")),
        )
    };
    if dry_run {
        return print(io, &format, kind, &obj, true);
    }
    let mut obj = obj;
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("creationTimestamp");
    }
    if kind == Kind::Deployment {
        obj.as_object_mut().map(|o| o.remove("status"));
        let ns = p.value("namespace").unwrap_or("default");
        crate::engine::objects::meta::set(&mut obj, &["metadata", "namespace"], json!(ns));
    }
    match ctx.cluster.create(kind, obj) {
        Ok(created) => print(io, &format, kind, &created, false),
        Err(e) => io.fail(format!("{e}\n")),
    }
}

/// The manifest `kubectl create deployment` generates (what `--dry-run=client -o yaml` shows).
fn deployment(name: &str, image: &str, replicas: i64, ns: Option<&str>) -> Value {
    let container = image.rsplit('/').next().unwrap_or(image);
    let container = container.split([':', '@']).next().unwrap_or(container);
    let mut metadata = json!({"creationTimestamp": null, "labels": {"app": name}, "name": name});
    if let Some(ns) = ns {
        metadata["namespace"] = json!(ns);
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {},
            "template": {
                "metadata": {"creationTimestamp": null, "labels": {"app": name}},
                "spec": {"containers": [{"image": image, "name": container, "resources": {}}]},
            },
        },
        "status": {},
    })
}

fn print(io: &mut Io, format: &Format, kind: Kind, obj: &Value, dry_run: bool) {
    match format {
        Format::Table | Format::Wide => {
            let suffix = if dry_run { " (dry run)" } else { "" };
            io.out.push_str(&format!(
                "{} created{suffix}\n",
                output::object_name(kind, obj)
            ));
        }
        Format::Name => io
            .out
            .push_str(&format!("{}\n", output::object_name(kind, obj))),
        f => match output::print_structured(f, obj) {
            Ok(t) => io.out.push_str(&t),
            Err(e) => io.fail(e),
        },
    }
}
