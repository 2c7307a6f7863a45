//! What the simulated API server does to a write before it stores it, on every path (create,
//! update, apply, patch, and the controllers' own writes): unknown fields pruned
//! ([`prune`]), defaults filled in ([`defaults`]), the object validated ([`validation`]), and
//! patches applied as the server applies them ([`patch`], [`patch_object`]).
//!
//! Where a kind's server-side behaviour lives: its defaulting in `defaults.rs`, its
//! validation in `validation.rs`, its patch merge keys in `patch.rs`; its controller in
//! `engine/controllers/`.
//!
//! Must not import: anything outside the engine.

pub mod config;
pub mod defaults;
pub mod patch;
mod prune;
pub mod service;
mod template_defaults;
pub mod validation;

pub use prune::prune;

use crate::engine::value::Value;

use super::objects::{Kind, meta};

/// The patch types `kubectl patch --type` sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Strategic,
    Merge,
    Json,
}

/// Why the server refused a patch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatchFailure {
    /// A patch it could not decode or merge (`Error from server (BadRequest): ...`).
    BadRequest(String),
    /// A JSON patch whose operations do not apply to the object (kubectl prints
    /// `The request is invalid`).
    Invalid,
}

/// `obj` with `patch` applied, as the server computes it before it stores the result: the
/// patch merged, the object's name kept, unknown fields pruned. Pure, so kubectl's `--local`
/// and `--dry-run=client` compute the same object the server would.
pub fn patch_object(
    obj: &Value,
    kind: Kind,
    patch: &Value,
    ty: PatchType,
) -> Result<Value, PatchFailure> {
    let mut out = match ty {
        PatchType::Json => patch::json_patch(obj, patch).map_err(|e| match e {
            patch::JsonPatchError::Decode(m) => PatchFailure::BadRequest(m),
            patch::JsonPatchError::Apply => PatchFailure::Invalid,
        })?,
        PatchType::Merge => {
            let mut v = obj.clone();
            meta::merge_patch(&mut v, patch);
            v
        }
        PatchType::Strategic => {
            patch::strategic(obj, patch, kind.name()).map_err(|e| PatchFailure::BadRequest(e.0))?
        }
    };
    let name = meta::name(obj);
    if meta::name(&out) != name {
        return Err(PatchFailure::BadRequest(format!(
            "the name of the object ({}) does not match the name on the URL ({name})",
            meta::name(&out)
        )));
    }
    prune(&mut out, kind.api_version(), kind.name());
    Ok(out)
}
