//! The tutor's own files on disk (state files, result records, their locks), handled so that
//! a bad entry cannot hang, flood or fool it: reads open without following a symbolic link
//! and without blocking on a FIFO, accept only a regular file, and stop at a size cap; writes
//! go to a fresh temporary file (created exclusively) that is synced and renamed into place;
//! a sidecar lock file says which process holds a state file.
//!
//! Must not import: the session, the engine, the shell or the TUI (bytes and paths only).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Open flags for every read of our own files: `O_NOFOLLOW` refuses a symbolic link (one to
/// `/dev/zero` would otherwise read forever), `O_NONBLOCK` keeps a FIFO from blocking the
/// open until a writer appears. Neither changes how a regular file reads.
const SAFE_OPEN: i32 = libc::O_NOFOLLOW | libc::O_NONBLOCK;

/// Why a file could not be read as one of ours.
#[derive(Debug)]
pub enum ReadError {
    NotFound,
    /// A symbolic link, FIFO, device, socket or folder: named by [`ReadError`]'s `Display`.
    NotRegular(&'static str),
    /// Larger than the cap; not read.
    TooLarge {
        bytes: u64,
        cap: u64,
    },
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "no such file"),
            ReadError::NotRegular(kind) => {
                write!(f, "it is {kind}, not a regular file; it was not read")
            }
            ReadError::TooLarge { bytes, cap } => write!(
                f,
                "it is {bytes} bytes, over the limit of {}; it was not read",
                size_text(*cap)
            ),
            ReadError::Io(e) => write!(f, "cannot read it: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// `1.5 MiB`, `64 MiB`, `812 bytes`.
pub fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= MIB {
        let tenths = bytes * 10 / MIB;
        if tenths.is_multiple_of(10) {
            format!("{} MiB", tenths / 10)
        } else {
            format!("{}.{} MiB", tenths / 10, tenths % 10)
        }
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a non-regular file is, in words.
fn kind_of(t: fs::FileType) -> &'static str {
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading (no-follow, non-blocking) and checks, on the opened handle, that
/// it is a regular file; returns it with its size.
fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(SAFE_OPEN)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            _ if e.kind() == io::ErrorKind::NotFound => ReadError::NotFound,
            // O_NOFOLLOW on a symbolic link; ENXIO opening a socket.
            Some(libc::ELOOP) => ReadError::NotRegular("a symbolic link"),
            Some(libc::ENXIO) => ReadError::NotRegular("a socket or device"),
            _ => ReadError::Io(e),
        })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// The whole of the regular file at `path`, if it is at most `cap` bytes. The cap holds
/// even for a file that grows while it is read.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    if len > cap {
        return Err(ReadError::TooLarge { bytes: len, cap });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

/// Temporary files made so far by this process: with the pid, a name no other writer uses,
/// even when several threads of one process write into the same folder.
static TEMP_FILES: AtomicU64 = AtomicU64::new(0);

/// The prefix of every temporary file written for `path` (`.NAME.`); see [`temp_files_of`].
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    format!(".{name}.")
}

/// Writes `contents` to a new temporary file next to `path` (named `.NAME.PID.N.tmp`, so
/// listings skip it; created exclusively, so it never writes through a planted link) and
/// syncs it.
fn write_temp(path: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let prefix = temp_prefix(path);
    let pid = std::process::id();
    for _ in 0..100 {
        let n = TEMP_FILES.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!("{prefix}{pid}.{n}.tmp"));
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => f,
            // A stale file of an earlier process that had the same pid.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        if let Err(e) = file.write_all(contents).and_then(|()| file.sync_all()) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        return Ok(tmp);
    }
    Err(io::Error::other(format!(
        "too many temporary files {prefix}{pid}.N.tmp in {}",
        dir.display()
    )))
}

/// The temporary files left beside `path` by writers that stopped before renaming them (a
/// kill, a power cut). Only the caller knows whether their writers are gone.
pub fn temp_files_of(path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".tmp")
        })
        .map(|e| e.path())
        .collect()
}

/// Removes the temporary files beside `path` (see [`temp_files_of`]); call only while no
/// other writer of `path` can be running (its lock is held). Returns how many went.
pub fn remove_stale_temp_files(path: &Path) -> usize {
    temp_files_of(path)
        .into_iter()
        .filter(|p| fs::remove_file(p).is_ok())
        .count()
}

/// Makes a rename or link durable: syncs the folder that holds `path` (best effort; not every
/// file system lets a folder be opened for that).
fn sync_parent(path: &Path) {
    if let Ok(d) = File::open(path.parent().unwrap_or(Path::new("."))) {
        let _ = d.sync_all();
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, fsync,
/// then rename over the target (readers see the old file or the new one, never a part).
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let tmp = write_temp(path, contents)?;
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_parent(path);
    Ok(())
}

/// Like [`write_atomic`], but never replaces an existing file: the finished temporary file is
/// hard-linked to `path`, which fails when the name is taken, so two writers racing for one
/// name cannot overwrite each other. Returns false when `path` already exists. On a file
/// system without hard links it falls back to an existence check and a rename.
pub fn write_new(path: &Path, contents: &[u8]) -> io::Result<bool> {
    let tmp = write_temp(path, contents)?;
    let linked = match fs::hard_link(&tmp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) if fs::symlink_metadata(path).is_ok() => Ok(false),
        Err(_) => fs::rename(&tmp, path).map(|()| true),
    };
    let _ = fs::remove_file(&tmp);
    if linked? {
        sync_parent(path);
        return Ok(true);
    }
    Ok(false)
}

/// Most of a lock file that is read back to say who holds it.
const LOCK_INFO_CAP: u64 = 1024;

/// An exclusive lock on a sidecar file, held until dropped (the operating system drops it
/// when the process ends, however it ends). The file itself stays: deleting it would let two
/// processes lock two different files of one name.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds it; what it wrote about itself.
    Held {
        holder: String,
    },
    Io(io::Error),
}

/// Takes the exclusive lock on `path` (created if missing) without waiting, and writes
/// `holder` (who is taking it) into it for the next one to read. Errors do not repeat the
/// path; the caller names it.
pub fn try_lock(path: &Path, holder: &str) -> Result<FileLock, LockError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o644)
        .custom_flags(SAFE_OPEN)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => {
                LockError::Io(io::Error::other("it is a symbolic link, not a lock file"))
            }
            _ => LockError::Io(e),
        })?;
    let meta = file.metadata().map_err(LockError::Io)?;
    if !meta.file_type().is_file() {
        return Err(LockError::Io(io::Error::other(format!(
            "it is {}, not a lock file",
            kind_of(meta.file_type())
        ))));
    }
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let mut info = Vec::new();
            let _ = (&file).take(LOCK_INFO_CAP).read_to_end(&mut info);
            let holder = String::from_utf8_lossy(&info).trim().to_string();
            return Err(LockError::Held { holder });
        }
        Err(fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
    }
    let written = file
        .set_len(0)
        .and_then(|()| (&file).write_all(holder.as_bytes()));
    if let Err(e) = written {
        return Err(LockError::Io(e));
    }
    Ok(FileLock { _file: file })
}

/// Makes a FIFO at `path` (tests of what a FIFO in our folders does).
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file system entry.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kubetutor-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn fifos_links_devices_and_folders_are_refused_without_reading() {
        let dir = temp_dir("kinds");
        let fifo = dir.join("fifo.json");
        mkfifo(&fifo);
        let zero = dir.join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let folder = dir.join("folder.json");
        fs::create_dir(&folder).unwrap();
        for (path, kind) in [
            (&fifo, "a FIFO"),
            (&zero, "a symbolic link"),
            (&folder, "a folder"),
        ] {
            let err = read_capped(path, 1 << 20).unwrap_err();
            assert!(
                err.to_string().starts_with(&format!("it is {kind}")),
                "{err}"
            );
        }
        let dev = read_capped(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(dev.to_string().contains("a device"), "{dev}");
        assert!(matches!(
            read_capped(&dir.join("none"), 1),
            Err(ReadError::NotFound)
        ));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn reads_stop_at_the_cap() {
        let dir = temp_dir("cap");
        let path = dir.join("big");
        fs::write(&path, vec![b'x'; 3 << 20]).unwrap();
        let err = read_capped(&path, 1 << 20).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is 3145728 bytes, over the limit of 1 MiB; it was not read"
        );
        assert_eq!(read_capped(&path, 3 << 20).unwrap().len(), 3 << 20);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_second_lock_is_refused_and_names_the_holder() {
        let dir = temp_dir("lock");
        let path = dir.join("s.json.lock");
        let held = try_lock(&path, "pid 1 on host a").unwrap();
        match try_lock(&path, "pid 2 on host b") {
            Err(LockError::Held { holder }) => assert_eq!(holder, "pid 1 on host a"),
            other => panic!("{other:?}"),
        }
        drop(held);
        let again = try_lock(&path, "pid 3 on host c").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "pid 3 on host c");
        drop(again);
        let fifo = dir.join("f.lock");
        mkfifo(&fifo);
        let err = try_lock(&fifo, "x").unwrap_err();
        assert!(matches!(err, LockError::Io(e) if e.to_string().contains("FIFO")));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_files_never_reuse_a_name_and_stale_ones_are_found() {
        let dir = temp_dir("temp");
        let path = dir.join("s.json");
        let stale = dir.join(format!(".s.json.{}.0.tmp", std::process::id()));
        fs::write(&stale, b"old").unwrap();
        TEMP_FILES.store(0, Ordering::Relaxed);
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&stale).unwrap(), b"old", "never written through");
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(temp_files_of(&path), vec![stale.clone()]);
        assert_eq!(remove_stale_temp_files(&path), 1);
        assert!(!stale.exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
