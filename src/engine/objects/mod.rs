//! Object kinds and typed views of the fields the controllers read.

mod kind;

pub use kind::{Kind, Scope};
