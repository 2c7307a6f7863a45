//! Tests of whole command lines through [`Shell::run`]: the language, error texts,
//! and that no input panics. Builtins and modules test themselves next to their code.

mod bash_pinned;
mod compound;
mod errors;
mod fuzz;
mod language;

use super::{Output, Shell};
use crate::engine::{Cluster, SimTime};

/// A fresh shell in `~/environment`.
pub(crate) fn sh() -> Shell {
    Shell::new()
}

/// A cluster for tests: empty, at the epoch.
pub(crate) fn cluster() -> Cluster {
    Cluster::empty(1, SimTime::from_secs(0))
}

/// Runs one line against a throwaway empty cluster.
pub(crate) fn run(shell: &mut Shell, line: &str) -> Output {
    shell.run(line, &mut cluster())
}
