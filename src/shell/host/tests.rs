//! Tests of the host programs.
