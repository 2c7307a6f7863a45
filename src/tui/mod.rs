//! The full-screen terminal interface: the only module that knows about terminals.
