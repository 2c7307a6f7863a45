//! The in-memory file system: a home directory holding `~/environment`, and a few
//! read-only system directories around it.
//!
//! Everything lives in one sorted map from absolute, normalised paths to entries, so
//! listings come out in a stable order and the whole tree serialises with the learner's
//! progress. Sizes are bounded so a runaway command cannot eat the tutor's memory.
//!
//! Must not import: std::fs, std::process, or anything outside `std` and `serde`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The learner's home directory (the `HOME` of the simulated shell).
pub const HOME: &str = "/home/learner";
/// The workshop directory every lesson writes its manifests into.
pub const ENVIRONMENT: &str = "/home/learner/environment";
/// Largest file the shell will hold; bigger writes fail with "File too large".
pub const MAX_FILE_BYTES: usize = 8 << 20;
/// Largest total of file contents; beyond it writes fail with "No space left on device".
pub const MAX_TOTAL_BYTES: usize = 16 << 20;
/// Most files and directories the tree may hold, so `mkdir -p` loops stay bounded.
pub const MAX_ENTRIES: usize = 20_000;

/// One file or directory, with its modification time in simulated seconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    Dir { mtime_secs: i64 },
    File { data: String, mtime_secs: i64 },
}

/// How [`Vfs::write`] treats an existing file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    Truncate,
    Append,
}

/// Whether [`Vfs::mkdir`] creates missing parents and tolerates an existing directory (`-p`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MkdirMode {
    Single,
    Parents,
}

/// Whether [`Vfs::remove`] may delete directories and their contents (`rm -r`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoveMode {
    FileOnly,
    Recursive,
}

/// Why a file operation failed; `Display` is the C library's wording, which the
/// builtins embed in their own messages (`cat: x: No such file or directory`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VfsError {
    NotFound,
    IsADirectory,
    NotADirectory,
    PermissionDenied,
    AlreadyExists,
    FileTooLarge,
    NoSpace,
    /// One command line has read [`super::MAX_READ_BYTES`] already.
    ReadLimit,
}

impl fmt::Display for VfsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VfsError::NotFound => "No such file or directory",
            VfsError::IsADirectory => "Is a directory",
            VfsError::NotADirectory => "Not a directory",
            VfsError::PermissionDenied => "Permission denied",
            VfsError::AlreadyExists => "File exists",
            VfsError::FileTooLarge => "File too large",
            VfsError::NoSpace => "No space left on device",
            VfsError::ReadLimit => {
                "input too large: the tutor reads at most 67108864 bytes per command line"
            }
        })
    }
}

impl std::error::Error for VfsError {}

/// What `ls -l` needs to know about one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    pub is_dir: bool,
    pub size_bytes: usize,
    pub mtime_secs: i64,
    /// Whether the learner may change it (inside the home directory).
    pub writable: bool,
    /// The permission bits (`0o644` for a file, `0o755` for a directory unless changed).
    pub mode: u32,
}

/// The learner's files, all in memory.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Vfs {
    entries: BTreeMap<String, Entry>,
    total_bytes: usize,
    /// The simulated time stamped on files written from now on.
    now_secs: i64,
    /// Counts the calls that may have changed a file or directory (never saved): step checks
    /// are evaluated again only when it moved.
    #[serde(skip)]
    generation: u64,
    /// Permission bits changed from the defaults (`chmod`, `install -m`), by absolute path.
    #[serde(default)]
    modes: BTreeMap<String, u32>,
    /// Whether the command running now runs as root (`sudo`): it may then also write under
    /// `/usr/local` (never saved).
    #[serde(skip)]
    root: bool,
}

impl Vfs {
    /// The starting tree: an empty `~/environment` plus a few read-only system directories.
    pub fn with_home() -> Vfs {
        let mut vfs = Vfs::default();
        for dir in [
            "/etc",
            "/home",
            HOME,
            ENVIRONMENT,
            "/tmp",
            "/usr",
            "/usr/bin",
            "/usr/local",
            "/usr/local/bin",
        ] {
            vfs.entries
                .insert(dir.to_string(), Entry::Dir { mtime_secs: 0 });
        }
        vfs
    }

    /// Places a read-only system file (or, with `None`, a directory) at the absolute path
    /// `abs`, creating its parent directories: how a container's image and the kubelet's
    /// files are laid out. Bounded like every write.
    pub(crate) fn place(&mut self, abs: &str, data: Option<&str>) -> Result<(), VfsError> {
        self.generation += 1;
        let abs = resolve("/", abs);
        let mut so_far = String::new();
        let parts: Vec<&str> = abs.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            so_far.push('/');
            so_far.push_str(part);
            let last = i + 1 == parts.len();
            if self.entries.len() >= MAX_ENTRIES && !self.entries.contains_key(&so_far) {
                return Err(VfsError::NoSpace);
            }
            match (last, data) {
                (true, Some(text)) => {
                    if text.len() > MAX_FILE_BYTES
                        || self.total_bytes.saturating_add(text.len()) > MAX_TOTAL_BYTES
                    {
                        return Err(VfsError::NoSpace);
                    }
                    let entry = Entry::File {
                        data: text.to_string(),
                        mtime_secs: self.now_secs,
                    };
                    if let Some(Entry::File { data: old, .. }) =
                        self.entries.insert(so_far.clone(), entry)
                    {
                        self.total_bytes -= old.len();
                    }
                    self.total_bytes += text.len();
                }
                _ => {
                    self.entries.entry(so_far.clone()).or_insert(Entry::Dir {
                        mtime_secs: self.now_secs,
                    });
                }
            }
        }
        Ok(())
    }

    /// Sets the time later writes are stamped with (the cluster's simulated clock).
    /// Moves whenever a file or directory may have changed (see the field).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn set_now(&mut self, now_secs: i64) {
        self.now_secs = now_secs;
    }

    /// The absolute, normalised form of `path` as seen from `cwd` (`~` is the home directory).
    pub fn resolve(&self, cwd: &str, path: &str) -> String {
        resolve(cwd, path)
    }

    pub fn exists(&self, cwd: &str, path: &str) -> bool {
        self.meta(cwd, path).is_some()
    }

    pub fn is_dir(&self, cwd: &str, path: &str) -> bool {
        self.meta(cwd, path).is_some_and(|m| m.is_dir)
    }

    /// Size, kind and time of one entry, or `None` when it does not exist.
    pub fn meta(&self, cwd: &str, path: &str) -> Option<Meta> {
        let abs = resolve(cwd, path);
        if abs == "/" {
            return Some(Meta {
                is_dir: true,
                size_bytes: 4096,
                mtime_secs: 0,
                writable: false,
                mode: 0o755,
            });
        }
        if abs == "/dev/null" {
            return Some(Meta {
                is_dir: false,
                size_bytes: 0,
                mtime_secs: 0,
                writable: true,
                mode: 0o666,
            });
        }
        let writable = self.may_write(&abs);
        let mode = self.mode_of(&abs);
        self.entries.get(&abs).map(|entry| match entry {
            Entry::Dir { mtime_secs } => Meta {
                is_dir: true,
                size_bytes: 4096,
                mtime_secs: *mtime_secs,
                writable,
                mode: mode.unwrap_or(0o755),
            },
            Entry::File { data, mtime_secs } => Meta {
                is_dir: false,
                size_bytes: data.len(),
                mtime_secs: *mtime_secs,
                writable,
                mode: mode.unwrap_or(0o644),
            },
        })
    }

    /// The contents of a file.
    pub fn read(&self, cwd: &str, path: &str) -> Result<String, VfsError> {
        let abs = resolve(cwd, path);
        if abs == "/dev/null" {
            return Ok(String::new());
        }
        if abs == "/" {
            return Err(VfsError::IsADirectory);
        }
        self.check_parents(&abs)?;
        match self.entries.get(&abs) {
            Some(Entry::File { data, .. }) => Ok(data.clone()),
            Some(Entry::Dir { .. }) => Err(VfsError::IsADirectory),
            None => Err(VfsError::NotFound),
        }
    }

    /// Creates or changes a file; only paths inside the home directory are writable.
    pub fn write(
        &mut self,
        cwd: &str,
        path: &str,
        data: &str,
        mode: WriteMode,
    ) -> Result<(), VfsError> {
        self.generation += 1;
        let abs = resolve(cwd, path);
        if abs == "/dev/null" {
            return Ok(());
        }
        let old_len = match self.entries.get(&abs) {
            Some(Entry::Dir { .. }) => return Err(VfsError::IsADirectory),
            Some(Entry::File { data, .. }) => Some(data.len()),
            None => None,
        };
        self.check_parents(&abs)?;
        if !self.may_write(&abs) {
            return Err(VfsError::PermissionDenied);
        }
        let old_len_bytes = old_len.unwrap_or(0);
        let new_len_bytes = match mode {
            WriteMode::Truncate => data.len(),
            WriteMode::Append => old_len_bytes.saturating_add(data.len()),
        };
        if new_len_bytes > MAX_FILE_BYTES {
            return Err(VfsError::FileTooLarge);
        }
        let total_after = self.total_bytes - old_len_bytes + new_len_bytes;
        if total_after > MAX_TOTAL_BYTES || (old_len.is_none() && self.entries.len() >= MAX_ENTRIES)
        {
            return Err(VfsError::NoSpace);
        }
        let now = self.now_secs;
        match self.entries.get_mut(&abs) {
            Some(Entry::File {
                data: existing,
                mtime_secs,
            }) => {
                if mode == WriteMode::Truncate {
                    existing.clear();
                }
                existing.push_str(data);
                *mtime_secs = now;
            }
            _ => {
                self.entries.insert(
                    abs,
                    Entry::File {
                        data: data.to_string(),
                        mtime_secs: now,
                    },
                );
            }
        }
        self.total_bytes = total_after;
        Ok(())
    }

    /// Updates a file's time, creating it empty when missing (`touch`).
    pub fn touch(&mut self, cwd: &str, path: &str) -> Result<(), VfsError> {
        self.generation += 1;
        let abs = resolve(cwd, path);
        if abs == "/dev/null" {
            return Ok(());
        }
        if !self.entries.contains_key(&abs) {
            return self.write(cwd, path, "", WriteMode::Append);
        }
        if !self.may_write(&abs) {
            return Err(VfsError::PermissionDenied);
        }
        let now = self.now_secs;
        if let Some(Entry::Dir { mtime_secs } | Entry::File { mtime_secs, .. }) =
            self.entries.get_mut(&abs)
        {
            *mtime_secs = now;
        }
        Ok(())
    }

    /// Names in a directory, sorted bytewise, without `.` and `..`.
    pub fn list_dir(&self, cwd: &str, path: &str) -> Result<Vec<String>, VfsError> {
        let abs = resolve(cwd, path);
        match self.meta("/", &abs) {
            None => return Err(VfsError::NotFound),
            Some(m) if !m.is_dir => return Err(VfsError::NotADirectory),
            Some(_) => {}
        }
        let prefix = if abs == "/" {
            "/".to_string()
        } else {
            format!("{abs}/")
        };
        let names = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .map(|(key, _)| &key[prefix.len()..])
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(str::to_string)
            .collect();
        Ok(names)
    }

    /// Creates a directory, or with [`MkdirMode::Parents`] every missing one on the way.
    pub fn mkdir(&mut self, cwd: &str, path: &str, mode: MkdirMode) -> Result<(), VfsError> {
        self.generation += 1;
        let abs = resolve(cwd, path);
        if mode == MkdirMode::Parents {
            let mut so_far = String::new();
            for part in abs.split('/').filter(|p| !p.is_empty()) {
                so_far.push('/');
                so_far.push_str(part);
                match self.meta("/", &so_far) {
                    Some(m) if m.is_dir => continue,
                    Some(_) => return Err(VfsError::NotADirectory),
                    None => self.create_dir(&so_far)?,
                }
            }
            return Ok(());
        }
        if self.meta("/", &abs).is_some() {
            return Err(VfsError::AlreadyExists);
        }
        self.check_parents(&abs)?;
        self.create_dir(&abs)
    }

    /// Deletes a file, or with [`RemoveMode::Recursive`] a directory and all it holds.
    pub fn remove(&mut self, cwd: &str, path: &str, mode: RemoveMode) -> Result<(), VfsError> {
        self.generation += 1;
        let abs = resolve(cwd, path);
        let meta = self.meta("/", &abs).ok_or(VfsError::NotFound)?;
        if meta.is_dir && mode == RemoveMode::FileOnly {
            return Err(VfsError::IsADirectory);
        }
        if !self.may_write(&abs) || abs == "/dev/null" {
            return Err(VfsError::PermissionDenied);
        }
        let prefix = format!("{abs}/");
        let doomed: Vec<String> = std::iter::once(abs.clone())
            .chain(
                self.entries
                    .range(prefix.clone()..)
                    .take_while(|(key, _)| key.starts_with(&prefix))
                    .map(|(key, _)| key.clone()),
            )
            .collect();
        for key in doomed {
            self.modes.remove(&key);
            if let Some(Entry::File { data, .. }) = self.entries.remove(&key) {
                self.total_bytes -= data.len();
            }
        }
        Ok(())
    }

    fn create_dir(&mut self, abs: &str) -> Result<(), VfsError> {
        if !self.may_write(abs) {
            return Err(VfsError::PermissionDenied);
        }
        if self.entries.len() >= MAX_ENTRIES {
            return Err(VfsError::NoSpace);
        }
        self.entries.insert(
            abs.to_string(),
            Entry::Dir {
                mtime_secs: self.now_secs,
            },
        );
        Ok(())
    }

    /// Every ancestor of `abs` must exist and be a directory.
    fn check_parents(&self, abs: &str) -> Result<(), VfsError> {
        let mut end = abs.len();
        let mut parents = Vec::new();
        while let Some(slash) = abs[..end].rfind('/') {
            if slash == 0 {
                break;
            }
            parents.push(&abs[..slash]);
            end = slash;
        }
        for parent in parents.into_iter().rev() {
            match self.entries.get(parent) {
                Some(Entry::Dir { .. }) => {}
                Some(Entry::File { .. }) => return Err(VfsError::NotADirectory),
                None => return Err(VfsError::NotFound),
            }
        }
        Ok(())
    }
}

/// Whether the learner may create, change or delete `abs`: only inside the home directory.
fn is_writable(abs: &str) -> bool {
    abs.strip_prefix(HOME)
        .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1)
}

/// Joins `path` onto `cwd` (or the home directory for `~`) and folds `.`, `..` and `//`.
pub fn resolve(cwd: &str, path: &str) -> String {
    let joined = if path == "~" {
        HOME.to_string()
    } else if let Some(rest) = path.strip_prefix("~/") {
        format!("{HOME}/{rest}")
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

mod perms;
#[cfg(test)]
mod tests;
