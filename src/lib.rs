//! kubetutor: a terminal tutor for Kubernetes workshops.
//!
//! Layers (an arrow means "may use"; `tests/layers.rs` checks them):
//! `tui → session → {shell (kubectl is a client inside it), content} → api → engine`;
//! `engine` uses nothing else in the crate.
//!
//! - [`engine`]: the simulated KinD v1.21 cluster: the store, the clock, the API server's
//!   writes and admission (`engine/admission`: pruning, defaulting, validation, patches), the
//!   published schema, the controllers (`engine/controllers`, one file each: endpoints,
//!   the kubelet's ConfigMap/Secret gating in `kubelet_config.rs` and `config_refs.rs`, the
//!   ReplicaSet hash in `template_hash/`), the container runtime (`engine/runtime`:
//!   images as data, each container's start environment, restarts), and how objects are
//!   held (`engine/value`: a compact JSON value with serde_json's API and `json!`, whose maps
//!   the store keeps once each, `value/intern.rs`).
//! - [`api`]: the stateless API vocabulary every client shares: the resource table (words,
//!   short names, verbs), selectors, jsonpath, Go's JSON text, `List`, parsed queries, typed
//!   errors.
//! - [`shell`]: the learner's command line: parser, virtual files, builtins, kubectl as a
//!   client (flags, printers, messages; one file per verb), the host's programs
//!   (`shell/host`: kind, docker, curl, install, the kubeconfig), the world inside a pod
//!   (`shell/container`: `kubectl exec`'s commands, files, DNS and routing) and streaming
//!   (`shell/stream`: the one wait seam, `-w`, `logs -f`, `watch`, `timeout`).
//! - [`content`]: lessons (Hugo chapters) and quizzes (quizdown) as typed data; step checks
//!   hold parsed API queries; workshops (`workshop.rs`, `chapters.rs`: a folder of chapters
//!   joined into one lesson) and lesson starts (`start.rs`).
//! - [`session`]: the UI-free tutor core that the TUI and the headless modes drive
//!   (`replay.rs`: playing and replaying steps; `start.rs`: the world a lesson starts in).
//! - [`files`]: the tutor's own files: safe capped reads, atomic writes, lock files.
//! - [`persist`]: saved progress per learner and lesson, autosave, the headless lesson driver.
//! - [`results`], [`report`]: class result records in a shared folder, and the instructor's report.
//! - [`tabwriter`]: Go's `text/tabwriter`, for kubectl's tables and the report's.
//! - [`tui`]: the full-screen terminal interface (the only module that knows about terminals).

#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod api;
pub mod content;
pub mod engine;
pub mod files;
pub mod headless;
pub mod persist;
pub mod report;
pub mod results;
pub mod session;
pub mod shell;
pub mod tabwriter;
pub mod tui;
