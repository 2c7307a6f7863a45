//! kubetutor: a terminal tutor for Kubernetes workshops.
//!
//! Layers (an arrow means "may use"): `tui → session → {shell, content} → engine`;
//! `engine` uses nothing else in the crate.
//!
//! - [`engine`]: the simulated KinD v1.21 cluster: store, clock, controllers, events.
//! - [`shell`]: the learner's command line: parser, virtual files, builtins, simulated kubectl.
//! - [`content`]: lessons (Hugo chapters) and quizzes (quizdown) as typed data.
//! - [`session`]: the UI-free tutor core that the TUI and the headless modes drive.
//! - [`files`]: the tutor's own files: safe capped reads, atomic writes, lock files.
//! - [`persist`]: saved progress per learner and lesson, autosave, the headless lesson driver.
//! - [`results`], [`report`]: class result records in a shared folder, and the instructor's report.
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
