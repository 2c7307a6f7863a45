//! kubectl's printers: `-o yaml` here; tables in `tables`, `-o json` and `-o jsonpath` use
//! the API's own encoders (`api::json`, `api::jsonpath`).
//!
//! Each printer is a pure function of the object(s) it prints. Must not import: engine
//! state, terminal IO, std::fs or std::process.

pub mod yaml;
