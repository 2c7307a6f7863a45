//! `kubectl rollout` for DaemonSets and Deployments (kubectl v1.21 `pkg/cmd/rollout`,
//! `polymorphichelpers`): the sub-command dispatch, the shared flag and object handling,
//! and `restart` / `pause` / `resume`. `status` lives in [`super::rollout_status`],
//! `history` and `undo` in [`super::rollout_history`].
//!
//! Must not import: the terminal, std::fs, std::process.

use crate::engine::value::{Value, json};

use super::flags::{self, Flag, Parsed, boolean, value};
use super::output::Format;
use super::targets::{self, Target};
use super::{Ctx, Io, label, messages, rollout_history, rollout_status};
use crate::api::resources::{self, Request};
use crate::engine::objects::{Kind, meta};

const COMMAND: &str = "kubectl rollout";

/// The annotation `rollout restart` sets on the pod template (kubectl's own key).
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Flags every rollout sub-command takes (`AddFilenameOptionFlags`).
const FILE_FLAGS: [Flag; 3] = [
    value("filename", Some('f')),
    value("kustomize", Some('k')),
    boolean("recursive", Some('R')),
];

/// Flags of the sub-commands that print objects (`PrintFlags`).
const PRINT_FLAGS: [Flag; 4] = [
    value("output", Some('o')),
    value("template", None),
    boolean("show-managed-fields", None),
    boolean("allow-missing-template-keys", None),
];

/// Texts of `rollout` itself (the help is in our words; errors are kubectl's).
pub(super) mod text {
    pub const HELP: &str =
        "Manage the rollout of a DaemonSet or Deployment (the tutor's simulated kubectl).

Sub-commands:
  status    Wait for the rollout to finish, printing its progress
  history   List the revisions, or show one with --revision=N
  undo      Go back to the previous revision, or to --to-revision=N
  restart   Replace every pod by changing an annotation of the pod template
  pause     Stop a Deployment's rollout where it is (Deployments only)
  resume    Let a paused Deployment roll out again

Usage:
  kubectl rollout SUBCOMMAND (TYPE NAME | TYPE/NAME) [flags]
";
    pub const REQUIRED: &str = "error: required resource not specified\n";
    pub const TIMED_OUT: &str = "error: timed out waiting for the condition\n";
    pub const DELETED: &str = "error: object has been deleted\n";
    /// Our words: what a real kubectl would do instead (wait until interrupted).
    pub const STUCK: &str = "error: the rollout is not making progress; a real kubectl would keep waiting until interrupted (Ctrl-C). Use --timeout=DURATION to bound the wait.\n";
}

/// Runs `kubectl rollout ARGS...` (args exclude the word `rollout`).
pub fn run(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let Some(i) = flags::find_verb(args) else {
        if let Err(e) = flags::parse(args, &[]) {
            return io.fail(messages::flag_error(COMMAND, &e));
        }
        // cobra's DefaultSubCommandRun: help, then a silent exit status 1.
        io.out.push_str(text::HELP);
        io.status = 1;
        return;
    };
    let sub = args[i].as_str();
    let rest: Vec<String> = args[..i].iter().chain(&args[i + 1..]).cloned().collect();
    match sub {
        "status" => rollout_status::status(ctx, &rest, io),
        "history" => rollout_history::history(ctx, &rest, io),
        "undo" => rollout_history::undo(ctx, &rest, io),
        "restart" => patch_verb(ctx, &rest, Verb::Restart, io),
        "pause" => patch_verb(ctx, &rest, Verb::Pause, io),
        "resume" => patch_verb(ctx, &rest, Verb::Resume, io),
        other => io.fail(messages::usage_error(
            COMMAND,
            &format!("unknown command {other:?}"),
        )),
    }
}

/// Parses a sub-command's flags, or prints pflag's error.
pub(super) fn parse_flags(
    args: &[String],
    sub: &str,
    extra: &[Flag],
    io: &mut Io,
) -> Option<Parsed> {
    let specs: Vec<Flag> = FILE_FLAGS
        .iter()
        .chain(PRINT_FLAGS.iter())
        .chain(extra)
        .copied()
        .collect();
    match flags::parse(args, &specs) {
        Ok(p) => Some(p),
        Err(e) => {
            io.fail(messages::flag_error(&format!("{COMMAND} {sub}"), &e));
            None
        }
    }
}

/// The named objects of a sub-command, each fetched; errors already printed on `None`.
pub(super) fn objects(ctx: &Ctx<'_>, p: &Parsed, io: &mut Io) -> Option<Vec<(Target, Value)>> {
    if !p.values("filename").is_empty() || p.given("kustomize") {
        io.fail(messages::unsupported("rollout -f"));
        return None;
    }
    if p.args.is_empty() {
        io.fail(text::REQUIRED);
        return None;
    }
    let requests = match resources::parse(&p.args) {
        Ok(r) => r,
        Err(e) => {
            io.fail(e);
            return None;
        }
    };
    // `ResourceTypeOrNameArgs(true, ...)`: a type without names means all of that type.
    let ns = targets::namespace(p);
    let mut found = Vec::new();
    for Request { kind, names } in requests {
        let scope = if kind.is_namespaced() {
            ns.clone()
        } else {
            String::new()
        };
        if names.is_empty() {
            let list_scope = kind.is_namespaced().then_some(ns.as_str());
            found.extend(ctx.cluster.list(kind, list_scope).map(|o| Target {
                kind,
                namespace: meta::namespace(o).to_string(),
                name: meta::name(o).to_string(),
            }));
        } else {
            found.extend(names.into_iter().map(|name| Target {
                kind,
                namespace: scope.clone(),
                name,
            }));
        }
    }
    let mut out = Vec::new();
    for t in found {
        match ctx.cluster.get(t.kind, &t.namespace, &t.name).cloned() {
            Some(obj) => out.push((t, obj)),
            None => {
                io.fail(format!("{}\n", t.not_found()));
                return None;
            }
        }
    }
    Some(out)
}

/// Parses an `--int64` flag, with pflag's error.
pub(super) fn int_flag(p: &Parsed, name: &str, sub: &str, io: &mut Io) -> Option<i64> {
    let Some(v) = p.value(name) else {
        return Some(0);
    };
    match v.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            io.fail(messages::flag_error(
                &format!("{COMMAND} {sub}"),
                &format!(
                    "invalid argument {v:?} for \"--{name}\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax"
                ),
            ));
            None
        }
    }
}

/// `GroupKind.String()`: `Kind.group`, or the kind alone for the core group.
pub(super) fn group_kind(kind: Kind) -> String {
    match kind.group() {
        "" => kind.name().to_string(),
        g => format!("{}.{g}", kind.name()),
    }
}

/// The sub-commands that patch the object (`set.CalculatePatches` + a patch function).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verb {
    Restart,
    Pause,
    Resume,
}

fn patch_verb(ctx: &mut Ctx<'_>, args: &[String], verb: Verb, io: &mut Io) {
    let sub = match verb {
        Verb::Restart => "restart",
        Verb::Pause => "pause",
        Verb::Resume => "resume",
    };
    let Some(p) = parse_flags(args, sub, &[value("field-manager", None)], io) else {
        return;
    };
    let format = match Format::parse(p.value("output")) {
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    let Some(found) = objects(ctx, &p, io) else {
        return;
    };
    let mut errors = Vec::new();
    for (t, obj) in found {
        let patched = match patched(ctx, verb, t.kind, &obj) {
            Ok(v) => v,
            Err(e) => {
                let resource = t.kind.resource_with_group();
                errors.push(format!("error: {resource} {:?} {e}\n", t.name));
                continue;
            }
        };
        match ctx.cluster.update(t.kind, patched) {
            Ok(updated) => {
                let op = match verb {
                    Verb::Restart => "restarted",
                    Verb::Pause => "paused",
                    Verb::Resume => "resumed",
                };
                label::print(io, &format, t.kind, &updated, op, "");
            }
            Err(e) => errors.push(format!("failed to patch: {}\n", e.message())),
        }
    }
    for e in errors {
        io.fail(e);
    }
}

/// What `objectrestarter.go`, `objectpauser.go` and `objectresumer.go` change, or their error.
fn patched(ctx: &Ctx<'_>, verb: Verb, kind: Kind, obj: &Value) -> Result<Value, &'static str> {
    let paused = meta::at(obj, &["spec", "paused"]).and_then(Value::as_bool) == Some(true);
    let mut out = obj.clone();
    match (verb, kind) {
        (Verb::Restart, Kind::Deployment) if paused => {
            Err("can't restart paused deployment (run rollout resume first)")
        }
        (Verb::Restart, Kind::Deployment | Kind::DaemonSet) => {
            meta::set(
                &mut out,
                &["spec", "template", "metadata", "annotations", RESTARTED_AT],
                json!(ctx.cluster.now().rfc3339()),
            );
            Ok(out)
        }
        (Verb::Restart, _) => Err("restarting is not supported"),
        (Verb::Pause, Kind::Deployment) if paused => Err("is already paused"),
        (Verb::Pause, Kind::Deployment) => {
            meta::set(&mut out, &["spec", "paused"], json!(true));
            Ok(out)
        }
        (Verb::Pause, _) => Err("pausing is not supported"),
        (Verb::Resume, Kind::Deployment) if !paused => Err("is not paused"),
        (Verb::Resume, Kind::Deployment) => {
            // The typed object drops `paused: false` (omitempty) when it is re-encoded.
            meta::remove(&mut out, &["spec", "paused"]);
            Ok(out)
        }
        (Verb::Resume, _) => Err("resuming is not supported"),
    }
}
