//! kubectl's printers: tables, `-o yaml`, `-o json`, `-o jsonpath`, `-o name`.
