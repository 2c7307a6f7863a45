//! Judging a step without a check by the effect of the learner's commands: the objects the
//! step's command declares must have been created or changed by commands run during the step
//! and hold every field its manifest sets. Reads the cluster; never changes it.
//!
//! Must not import: the TUI, terminals, std::fs or std::process.

use crate::engine::value::Value;

use super::evaluate::EvalContext;
use super::progress::Touched;
use crate::content::effect;
use crate::engine::objects::Kind;

/// Whether the step's commands wrote what `command` declares: `Ok(false)` when it declares
/// nothing or nothing of it was touched, `Err` saying what differs when some was.
pub(super) fn same_writes(command: &str, ctx: &EvalContext<'_>) -> Result<bool, String> {
    let read = |path: &str| ctx.vfs.read(ctx.cwd, path).ok();
    let declared = effect::declared_objects(command, &read);
    if declared.is_empty() {
        return Ok(false);
    }
    let touched: Vec<&Touched> = ctx
        .ran
        .iter()
        .filter(|r| r.status == 0)
        .flat_map(|r| r.changed.iter())
        .collect();
    let mut missing = Vec::new();
    for d in &declared {
        let Some(kind) = Kind::ALL.iter().copied().find(|k| k.name() == d.kind) else {
            return Ok(false);
        };
        let ns = if kind.is_namespaced() {
            d.namespace.as_deref().unwrap_or("default")
        } else {
            ""
        };
        let what = if ns.is_empty() {
            format!("{} {}", d.kind, d.name)
        } else {
            format!("{} {} in namespace {ns}", d.kind, d.name)
        };
        let was_touched = touched
            .iter()
            .any(|t| t.kind == d.kind && t.name == d.name && t.namespace == ns);
        if !was_touched {
            missing.push(what);
            continue;
        }
        let Some(obj) = ctx.cluster.get(kind, ns, &d.name) else {
            return Err(format!("{what} was written but is gone now"));
        };
        for part in ["spec", "data"] {
            if let Some(wanted) = d.manifest.get(part)
                && let Some(diff) =
                    effect::first_difference(obj.get(part).unwrap_or(&Value::Null), wanted, part)
            {
                return Err(format!("{what} differs from the step's manifest: {diff}"));
            }
        }
        if let Some(wanted) = d.manifest.pointer("/metadata/labels")
            && let Some(diff) = effect::first_difference(
                obj.pointer("/metadata/labels").unwrap_or(&Value::Null),
                wanted,
                "metadata.labels",
            )
        {
            return Err(format!("{what} differs from the step's manifest: {diff}"));
        }
    }
    match missing.len() {
        0 => Ok(true),
        n if n == declared.len() && ctx.ran.is_empty() => Ok(false),
        n if n == declared.len() => Err(format!(
            "the step's command writes {}; your commands did not create or change it",
            missing.join(", ")
        )),
        _ => Err(format!(
            "the step's command also writes {}, which your commands did not",
            missing.join(", ")
        )),
    }
}
