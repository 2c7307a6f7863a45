//! The Kubernetes API vocabulary, stateless, shared by every client of the simulated cluster:
//! kubectl (`shell::kubectl`), step checks (`content`, `session`), completion (`tui`) and a
//! future HTTP API server.
//!
//! - [`resources`]: the one table of served resources (words, short names, verbs, `all`) and
//!   kubectl's resource arguments (`ds,pods`, `pod/x`).
//! - [`selector`]: label and field selectors.
//! - [`jsonpath`]: kubectl's jsonpath templates (parse once, execute on objects).
//! - [`json`]: Go's `encoding/json` text and number formatting, as the API and kubectl print.
//! - [`list`]: the `List` wrapper.
//! - [`views`]: typed, read-only views of stored objects (metadata, nodes, pods, events,
//!   DaemonSet templates) for the layers that must not index object JSON.
//! - [`query`]: a read of the cluster (`TYPE [NAME] [-n NS|-A] [-l SEL]` and a template),
//!   parsed once into a typed value and run against the engine.
//! - [`Error`]: what this vocabulary refuses, displayed in kubectl's words.
//!
//! Server-side behaviour (defaulting, validation, pruning, patches) is the engine's; printing
//! tables and messages is kubectl's. Must not import: `shell`, `content`, `session`, `tui`, the
//! terminal, `std::fs`, `std::process`.

mod error;
pub mod json;
pub mod jsonpath;
pub mod list;
pub mod query;
pub mod resources;
pub mod selector;
mod served;
pub mod service_views;
pub mod views;

/// The objects' value type (the store's compact JSON), for every client of the API.
pub use crate::engine::value;
pub use error::Error;
