//! kubectl's printers: tables, `-o yaml`, `-o json`, `-o jsonpath`, `-o name`.

pub mod json;
pub mod jsonpath;
pub mod yaml;
