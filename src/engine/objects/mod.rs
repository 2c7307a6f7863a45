//! Object kinds and typed views of the fields the controllers read.

pub mod base64;
mod kind;
pub mod meta;
pub mod node;
pub mod pod;
pub mod scheduling;

pub use kind::{Kind, Scope};
