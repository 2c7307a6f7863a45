//! Permission bits (`chmod`, `ls -l`), running as root (`sudo`, which may also write under
//! `/usr/local`), and moving files (`mv`), on the in-memory file system.

use super::{RemoveMode, Vfs, VfsError, WriteMode, is_writable, resolve};

/// What root (`sudo`) may change besides the home directory: what `/usr/local` holds.
fn root_writable(abs: &str) -> bool {
    abs.strip_prefix("/usr/local/")
        .is_some_and(|rest| !rest.is_empty())
}

impl Vfs {
    /// Whether the command running now may create, change or delete `abs`.
    pub(super) fn may_write(&self, abs: &str) -> bool {
        is_writable(abs) || (self.root && root_writable(abs))
    }

    pub(super) fn mode_of(&self, abs: &str) -> Option<u32> {
        self.modes.get(abs).copied()
    }

    /// Runs the next calls as root (`sudo`) or as the learner again.
    pub fn set_root(&mut self, root: bool) {
        self.root = root;
    }

    /// Whether the command running now runs as root.
    pub fn is_root(&self) -> bool {
        self.root
    }

    /// Sets an entry's permission bits (`chmod`).
    pub fn set_mode(&mut self, cwd: &str, path: &str, mode: u32) -> Result<(), VfsError> {
        self.generation += 1;
        let abs = resolve(cwd, path);
        if self.meta("/", &abs).is_none() {
            return Err(VfsError::NotFound);
        }
        if !self.may_write(&abs) {
            return Err(VfsError::PermissionDenied);
        }
        self.modes.insert(abs, mode & 0o7777);
        Ok(())
    }

    /// Puts a file where the learner could not (the tutor's own setup of a start state).
    pub fn install_system_file(
        &mut self,
        abs: &str,
        data: &str,
        mode: u32,
    ) -> Result<(), VfsError> {
        let was_root = self.root;
        self.root = true;
        let result = self.write("/", abs, data, WriteMode::Truncate);
        self.root = was_root;
        result?;
        self.modes.insert(resolve("/", abs), mode);
        Ok(())
    }

    /// Moves a file to `to` (a file path, or a directory to move it into), keeping its
    /// mode: `mv`. Directories do not move (a limit of the tutor).
    pub fn rename(&mut self, cwd: &str, from: &str, to: &str) -> Result<String, VfsError> {
        let src = resolve(cwd, from);
        let meta = self.meta("/", &src).ok_or(VfsError::NotFound)?;
        if meta.is_dir {
            return Err(VfsError::IsADirectory);
        }
        let mut dst = resolve(cwd, to);
        if self.is_dir("/", &dst) {
            let base = src.rsplit('/').next().unwrap_or("");
            dst = format!("{}/{base}", dst.trim_end_matches('/'));
        }
        if dst == src {
            return Ok(dst);
        }
        if !self.may_write(&src) {
            return Err(VfsError::PermissionDenied);
        }
        let data = self.read("/", &src)?;
        let mode = self.modes.get(&src).copied();
        self.write("/", &dst, &data, WriteMode::Truncate)?;
        self.modes.remove(&dst);
        if let Some(m) = mode {
            self.modes.insert(dst.clone(), m);
        }
        self.remove("/", &src, RemoveMode::FileOnly)?;
        Ok(dst)
    }
}
