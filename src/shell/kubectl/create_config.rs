//! `kubectl create configmap NAME` and `kubectl create secret generic NAME` (kubectl v1.21
//! `create_configmap.go`, `create_secret.go`): data from `--from-literal=key=value`,
//! `--from-file=[key=]path` (a file, or every regular file of a folder) and
//! `--from-env-file=path` (`KEY=value` lines), read from the learner's virtual files; with
//! `--dry-run=client -o yaml` the object is printed as the client built it. Every message is
//! kubectl's own (checked against a real kubectl's client-side output).

use crate::engine::value::{Map, Value, json};

use super::flags::{self, Flag, boolean, value};
use super::output::{self, Format};
use super::{Ctx, Io, messages};
use crate::engine::admission::config::key_problems;
use crate::engine::objects::{Kind, base64};

const FLAGS: &[Flag] = &[
    value("output", Some('o')),
    value("dry-run", None),
    value("from-literal", None),
    value("from-file", None),
    value("from-env-file", None),
    value("type", None),
    boolean("save-config", None),
    value("validate", None),
];

/// Which generator: `configmap`/`cm`, or `secret generic`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    ConfigMap,
    Secret,
}

impl Target {
    fn kind(self) -> Kind {
        match self {
            Target::ConfigMap => Kind::ConfigMap,
            Target::Secret => Kind::Secret,
        }
    }

    fn command(self) -> &'static str {
        match self {
            Target::ConfigMap => "kubectl create configmap",
            Target::Secret => "kubectl create secret generic",
        }
    }
}

/// Whether `word` (the word after `create`) names a generator of this file.
pub fn handles(word: &str) -> bool {
    matches!(word, "configmap" | "cm" | "secret")
}

/// Runs `kubectl create <args>` where `args[at]` is `configmap`, `cm` or `secret`.
pub fn run(ctx: &mut Ctx<'_>, args: &[String], at: usize, io: &mut Io) {
    let mut rest: Vec<String> = args[..at].to_vec();
    rest.extend(args[at + 1..].iter().cloned());
    let target = if args[at] == "secret" {
        match flags::find_verb(&rest).map(|i| (i, rest[i].as_str())) {
            Some((i, "generic")) => {
                rest.remove(i);
            }
            Some((_, other @ ("tls" | "docker-registry"))) => {
                return io.fail(messages::unsupported(&format!("create secret {other}")));
            }
            _ => {
                return io.fail(
                    "error: Must specify one of: docker-registry, generic, tls\nSee 'kubectl create secret -h' for help and examples\n",
                );
            }
        }
        Target::Secret
    } else {
        Target::ConfigMap
    };
    let command = target.command();
    let p = match flags::parse(&rest, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(command, &e)),
    };
    if p.args.len() != 1 {
        return io.fail(messages::usage_error(
            command,
            &format!("exactly one NAME is required, got {}", p.args.len()),
        ));
    }
    let name = p.args[0].clone();
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let literals = p.values("from-literal");
    // --from-file is a string slice: a comma separates sources.
    let files: Vec<String> = p
        .values("from-file")
        .iter()
        .flat_map(|v| v.split(',').map(str::to_string))
        .collect();
    // --from-env-file is one string in 1.21: the last one given counts.
    let env_file = p.values("from-env-file").last().cloned();
    if env_file.is_some() && (!files.is_empty() || !literals.is_empty()) {
        return io.fail("error: from-env-file cannot be combined with from-file or from-literal\n");
    }
    let mut data = Data {
        target,
        name: name.clone(),
        entries: Map::new(),
    };
    let built = (|| {
        for source in &files {
            data.add_file_source(ctx, source)?;
        }
        for source in &literals {
            let Some((key, value)) = source.split_once('=') else {
                return Err(format!(
                    "invalid literal source {source}, expected key=value"
                ));
            };
            data.add(key, value)?;
        }
        if let Some(path) = &env_file {
            data.add_env_file(ctx, path)?;
        }
        Ok(())
    })();
    if let Err(e) = built {
        return io.fail(format!("error: {e}\n"));
    }
    let obj = data.object(p.value("namespace"), p.value("type"));
    let dry_run = matches!(p.value("dry-run"), Some("client" | "server"));
    if dry_run {
        return print(io, &format, target.kind(), &obj, " (dry run)");
    }
    let mut obj = obj;
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("creationTimestamp");
        m.insert(
            "namespace",
            json!(p.value("namespace").unwrap_or("default")),
        );
    }
    if p.flag("save-config") {
        let text = format!("{}\n", super::apply::go_compact_json(&obj));
        crate::engine::objects::meta::set(
            &mut obj,
            &["metadata", "annotations", super::apply::LAST_APPLIED],
            json!(text),
        );
    }
    match ctx.cluster.create(target.kind(), obj) {
        Ok(created) => print(io, &format, target.kind(), &created, ""),
        // create_configmap.go: "failed to create configmap: %v";
        // create_secret.go: "failed to create secret %v".
        Err(e) => io.fail(match target {
            Target::ConfigMap => format!("error: failed to create configmap: {}\n", e.message()),
            Target::Secret => format!("error: failed to create secret {}\n", e.message()),
        }),
    }
}

/// The entries gathered so far, checked as kubectl checks each one it adds.
struct Data {
    target: Target,
    name: String,
    entries: Map,
}

impl Data {
    /// `addKeyFromLiteralToConfigMap` / `addKeyFromLiteralToSecret`.
    fn add(&mut self, key: &str, value: &str) -> Result<(), String> {
        let problems = key_problems(key);
        match self.target {
            Target::ConfigMap => {
                if !problems.is_empty() {
                    return Err(format!(
                        "{key:?} is not a valid key name for a ConfigMap: {}",
                        problems.join(",")
                    ));
                }
                if self.entries.contains_key(key) {
                    return Err(format!(
                        "cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {:?}",
                        self.name
                    ));
                }
                self.entries.insert(key.to_string(), json!(value));
            }
            Target::Secret => {
                if !problems.is_empty() {
                    return Err(format!(
                        "{key:?} is not valid key name for a Secret {}",
                        problems.join(";")
                    ));
                }
                if self.entries.contains_key(key) {
                    return Err(format!(
                        "cannot add key {key}, another key by that name already exists"
                    ));
                }
                self.entries
                    .insert(key.to_string(), json!(base64::encode(value.as_bytes())));
            }
        }
        Ok(())
    }

    /// `ParseFileSource` and the file or folder it names.
    fn add_file_source(&mut self, ctx: &Ctx<'_>, source: &str) -> Result<(), String> {
        let (key, path) = match source.matches('=').count() {
            0 => (
                source
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(source)
                    .to_string(),
                source.to_string(),
            ),
            1 if source.starts_with('=') => {
                return Err(format!("key name for file path {} missing", &source[1..]));
            }
            1 if source.ends_with('=') => {
                return Err(format!(
                    "file path for key name {} missing",
                    &source[..source.len() - 1]
                ));
            }
            1 => {
                let (k, p) = source.split_once('=').unwrap_or_default();
                (k.to_string(), p.to_string())
            }
            _ => return Err("key names or file paths cannot contain '='".to_string()),
        };
        if !ctx.vfs.exists(ctx.cwd, &path) {
            return Err(format!("error reading {path}: no such file or directory"));
        }
        if ctx.vfs.is_dir(ctx.cwd, &path) {
            if source.contains('=') {
                return Err("cannot give a key name for a directory path".to_string());
            }
            let names = ctx.vfs.list_dir(ctx.cwd, &path).map_err(|e| {
                format!(
                    "error listing files in {path}: {}",
                    go_errno(&e.to_string())
                )
            })?;
            for item in names {
                let item_path = format!("{}/{item}", path.trim_end_matches('/'));
                if ctx.vfs.is_dir(ctx.cwd, &item_path) {
                    continue;
                }
                let text = read(ctx, &item_path)?;
                self.add(&item, &text)?;
            }
            return Ok(());
        }
        let text = read(ctx, &path)?;
        self.add(&key, &text)
    }

    /// `AddFromEnvFile`: `KEY=value` lines; blank lines and `#` comments skipped, leading
    /// blanks trimmed, a key without `=` takes its value from the environment (none here).
    fn add_env_file(&mut self, ctx: &Ctx<'_>, path: &str) -> Result<(), String> {
        if !ctx.vfs.exists(ctx.cwd, path) {
            return Err(format!("error reading {path}: no such file or directory"));
        }
        if ctx.vfs.is_dir(ctx.cwd, path) {
            return Err("env config file cannot be a directory".to_string());
        }
        let text = read(ctx, path)?;
        for (i, line) in text.lines().enumerate() {
            let line = if i == 0 {
                line.trim_start_matches('\u{feff}')
            } else {
                line
            };
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            if !is_env_var_name(key) {
                // validation.IsEnvVarName's RegexError.
                return Err(format!(
                    "{key:?} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
                ));
            }
            self.add(key, value)?;
        }
        Ok(())
    }

    /// The object as the client builds it (what `--dry-run=client -o yaml` prints).
    fn object(self, namespace: Option<&str>, secret_type: Option<&str>) -> Value {
        let mut metadata = json!({"creationTimestamp": null, "name": self.name});
        if let Some(ns) = namespace {
            metadata["namespace"] = json!(ns);
        }
        let kind = self.target.kind();
        let mut obj = json!({"apiVersion": "v1", "kind": kind.name(), "metadata": metadata});
        if !self.entries.is_empty() {
            obj["data"] = Value::Object(self.entries);
        }
        if let Some(t) = secret_type.filter(|t| !t.is_empty() && kind == Kind::Secret) {
            obj["type"] = json!(t);
        }
        obj
    }
}

fn read(ctx: &Ctx<'_>, path: &str) -> Result<String, String> {
    ctx.vfs
        .read(ctx.cwd, path)
        .map_err(|e| format!("error reading {path}: {}", go_errno(&e.to_string())))
}

/// A system error as Go's `syscall.Errno` words it (lower case).
fn go_errno(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_lowercase().chain(chars).collect())
}

/// `validation.IsEnvVarName` (1.21).
fn is_env_var_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    let ok = |c: u8| c.is_ascii_alphabetic() || matches!(c, b'-' | b'.' | b'_');
    bytes.next().is_some_and(ok) && bytes.all(|c| ok(c) || c.is_ascii_digit())
}

fn print(io: &mut Io, format: &Format, kind: Kind, obj: &Value, suffix: &str) {
    match format {
        Format::Table | Format::Wide => io.out.push_str(&format!(
            "{} created{suffix}\n",
            output::object_name(kind, obj)
        )),
        Format::Name => io
            .out
            .push_str(&format!("{}\n", output::object_name(kind, obj))),
        f => match output::print_structured(f, obj) {
            Ok(t) => io.out.push_str(&t),
            Err(e) => io.fail(e),
        },
    }
}
