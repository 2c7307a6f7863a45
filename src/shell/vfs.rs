//! The in-memory file system: a home directory holding `~/environment`.

/// The learner's files, all in memory.
#[derive(Clone, Debug, Default)]
pub struct Vfs {}
