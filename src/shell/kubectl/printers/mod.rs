//! kubectl's printers: tables, `-o yaml`, `-o json`, `-o jsonpath`, `-o name`.
//!
//! Each printer is a pure function of the object(s) it prints. Must not import: engine
//! state, terminal IO, std::fs or std::process.

pub mod json;
pub mod jsonpath;
pub mod yaml;
