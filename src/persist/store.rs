//! One state file per learner and lesson, in a versioned JSON format
//! (`{"format": 1, "lesson_id": ..., "progress": ...}`), zlib-compressed, written atomically
//! (uncompressed files from earlier versions still load). A file that cannot
//! be used (not a regular file, over [`MAX_STATE_BYTES`], not JSON, another format, another
//! lesson, impossible values such as a step cursor past the last step) is moved aside to
//! `NAME.corrupt-<n>` and reported, so the learner starts fresh and nothing is lost for good.
//!
//! Must not import: the TUI, terminals, std::process or a real clock.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::damage;
use crate::files::{ReadError, read_capped, size_text};
use crate::results::{name_hash, safe, write_atomic};
use crate::session::Progress;

/// The state file format; bump it when a field changes meaning. Files in another format are
/// moved aside rather than misread.
pub const FORMAT: u32 = 1;

/// The largest state file read or written. A whole lesson's state is about 160 KiB; this
/// leaves room for a learner's files (the shell keeps at most 16 MiB of them, and a step's
/// checkpoint may hold a second copy) while a planted or runaway file is refused unread.
pub const MAX_STATE_BYTES: u64 = 64 << 20;

/// One attempt at a lesson: it keeps its id and wall-clock start across resumes, so the
/// result record of a lesson finished the next day names the day it was started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// Distinguishes the learner's attempts in the results folder.
    pub id: String,
    /// RFC 3339, UTC, wall clock.
    pub started: String,
}

/// What a state file holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedState {
    pub format: u32,
    pub lesson_id: String,
    pub learner: String,
    /// Absent in files written without one (by [`StateStore::save`]).
    #[serde(default)]
    pub attempt: Option<Attempt>,
    pub progress: Progress,
}

/// The same, borrowed, so saving never copies the whole cluster.
#[derive(Serialize)]
struct SavedStateRef<'a> {
    format: u32,
    lesson_id: &'a str,
    learner: &'a str,
    attempt: Option<&'a Attempt>,
    progress: &'a Progress,
}

/// Just the version, read first so that a newer format is recognised as such.
#[derive(Deserialize)]
struct Header {
    format: u32,
}

/// Why saved progress could not be used or kept.
#[derive(Debug)]
pub enum PersistError {
    /// The state file could not be used; it was moved to `moved_to` and the learner starts
    /// fresh.
    MovedAside {
        path: PathBuf,
        moved_to: PathBuf,
        reason: String,
    },
    /// The state file could not be used, nor moved out of the way.
    Unusable { path: PathBuf, reason: String },
    /// The state file could not be used and, read-only, was left where it is.
    LeftInPlace { path: PathBuf, reason: String },
    /// Reading or writing the state folder failed.
    Io { path: PathBuf, error: io::Error },
    /// Another session holds the learner's lock on the lesson (`holder` is what it wrote
    /// about itself: process, host, since when).
    Locked {
        learner: String,
        lesson: String,
        holder: String,
        lock: PathBuf,
    },
}

impl fmt::Display for PersistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersistError::MovedAside {
                path,
                moved_to,
                reason,
            } => write!(
                f,
                "the saved progress in {} could not be used ({reason}); it was moved to {} and the lesson starts fresh",
                path.display(),
                moved_to.display()
            ),
            PersistError::Unusable { path, reason } => write!(
                f,
                "the saved progress in {} could not be used ({reason}) nor moved aside; the lesson starts fresh",
                path.display()
            ),
            PersistError::LeftInPlace { path, reason } => write!(
                f,
                "the saved progress in {} could not be used ({reason}); read-only, it is left as it is and the lesson starts fresh",
                path.display()
            ),
            PersistError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            PersistError::Locked {
                learner,
                lesson,
                holder,
                lock,
            } => {
                let holder = if holder.is_empty() {
                    "a process that did not say who it is".to_string()
                } else {
                    crate::report::printable(holder)
                };
                write!(
                    f,
                    "{learner}'s progress on \"{lesson}\" is open in another kubetutor ({holder}; lock {}); \
                     two sessions would overwrite each other's work. Finish that session first, or \
                     start this one with --read-only to continue from its last save without saving, \
                     or with --fresh --read-only to start the lesson over without saving",
                    lock.display()
                )
            }
        }
    }
}

impl std::error::Error for PersistError {}

/// The folder of state files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateStore {
    dir: PathBuf,
}

impl StateStore {
    /// `state_dir`, or the user's data folder: `$XDG_DATA_HOME/kubetutor`, else
    /// `~/.local/share/kubetutor` (the XDG base directory default), else `.kubetutor` here.
    pub fn new(state_dir: Option<PathBuf>) -> StateStore {
        let dir = state_dir.unwrap_or_else(|| {
            let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
            if let Some(data) = env("XDG_DATA_HOME") {
                PathBuf::from(data).join("kubetutor")
            } else if let Some(home) = env("HOME") {
                PathBuf::from(home).join(".local/share/kubetutor")
            } else {
                PathBuf::from(".kubetutor")
            }
        });
        StateStore { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The state file of `learner` on `lesson_id`. Names are made file-safe; when that changed
    /// them, a hash of the real names keeps two learners from sharing a file.
    pub fn path(&self, learner: &str, lesson_id: &str) -> PathBuf {
        let (l, s) = (safe(learner), safe(lesson_id));
        let name = if l == learner && s == lesson_id {
            format!("{l}--{s}.json")
        } else {
            format!("{l}--{s}-{:08x}.json", name_hash(&[learner, lesson_id]))
        };
        self.dir.join(name)
    }

    /// Saved progress, or `None` when there is none. A file that cannot be used is moved
    /// aside and the error says where; the caller shows it and starts fresh.
    pub fn load(&self, learner: &str, lesson_id: &str) -> Result<Option<Progress>, PersistError> {
        Ok(self.load_state(learner, lesson_id)?.map(|s| s.progress))
    }

    /// Like [`StateStore::load`], with the attempt the progress belongs to.
    pub fn load_state(
        &self,
        learner: &str,
        lesson_id: &str,
    ) -> Result<Option<SavedState>, PersistError> {
        let path = self.path(learner, lesson_id);
        self.read_state(&path, lesson_id)
            .map_err(|reason| move_aside(&path, reason))
    }

    /// Like [`StateStore::load_state`], but a file that cannot be used stays where it is
    /// (a read-only session changes nothing); the error says why it was not used.
    pub fn peek_state(
        &self,
        learner: &str,
        lesson_id: &str,
    ) -> Result<Option<SavedState>, PersistError> {
        let path = self.path(learner, lesson_id);
        self.read_state(&path, lesson_id)
            .map_err(|reason| PersistError::LeftInPlace { path, reason })
    }

    /// The usable state at `path`, `None` when there is none, or why it cannot be used.
    fn read_state(&self, path: &Path, lesson_id: &str) -> Result<Option<SavedState>, String> {
        let bytes = match read_capped(path, MAX_STATE_BYTES) {
            Ok(b) => b,
            Err(ReadError::NotFound) => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let mut state = parse(&bytes, lesson_id)?;
        // A learner who typed `exit` last time comes back to a fresh login.
        state.progress.shell.exit_requested = None;
        Ok(Some(state))
    }

    /// Saves `progress` (without an attempt), atomically.
    pub fn save(
        &self,
        learner: &str,
        lesson_id: &str,
        progress: &Progress,
    ) -> Result<PathBuf, PersistError> {
        self.save_with(learner, lesson_id, None, progress)
    }

    /// Saves `progress` and the attempt it belongs to, atomically (temporary file, fsync,
    /// rename): a crash leaves the previous state or this one, never a torn file.
    pub fn save_with(
        &self,
        learner: &str,
        lesson_id: &str,
        attempt: Option<&Attempt>,
        progress: &Progress,
    ) -> Result<PathBuf, PersistError> {
        let path = self.path(learner, lesson_id);
        let io_err = |error| PersistError::Io {
            path: path.clone(),
            error,
        };
        fs::create_dir_all(&self.dir).map_err(|error| PersistError::Io {
            path: self.dir.clone(),
            error,
        })?;
        let state = SavedStateRef {
            format: FORMAT,
            lesson_id,
            learner,
            attempt,
            progress,
        };
        let json = serde_json::to_vec(&state).map_err(|e| io_err(io::Error::other(e)))?;
        if json.len() as u64 > MAX_STATE_BYTES {
            // Written, it could not be read back: keep the last save instead.
            return Err(io_err(io::Error::other(format!(
                "the progress is {} bytes, over the limit of {}; the last save is kept",
                json.len(),
                size_text(MAX_STATE_BYTES)
            ))));
        }
        write_atomic(&path, &compress(&json)).map_err(io_err)?;
        Ok(path)
    }
}

/// zlib's level 6 (its default): a 4-node lesson's 160 KB of JSON saves as about 16 KB, in
/// about a millisecond.
const COMPRESSION_LEVEL: u8 = 6;
/// Past this much JSON (a cluster of hundreds of nodes), level 1: several times faster, so a
/// save after every command stays quick, for a somewhat larger file.
const FAST_COMPRESSION_FROM_BYTES: usize = 8 << 20;

/// The bytes a state file holds: the JSON, zlib-compressed.
fn compress(json: &[u8]) -> Vec<u8> {
    let level = if json.len() > FAST_COMPRESSION_FROM_BYTES {
        1
    } else {
        COMPRESSION_LEVEL
    };
    miniz_oxide::deflate::compress_to_vec_zlib(json, level)
}

/// The JSON in a state file: inflated (never past the state cap), or as it stands in a
/// file written before states were compressed.
fn decompress(bytes: &[u8], limit: u64) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    if bytes.trim_ascii_start().starts_with(b"{") {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(bytes, limit)
        .map(std::borrow::Cow::Owned)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                "its progress inflates past the limit of {}",
                size_text(limit as u64)
            ),
            _ => "not a kubetutor state file: neither JSON nor compressed JSON".to_string(),
        })
}

/// The JSON text a state file's bytes hold (for tools and tests that read a save).
pub fn state_json(bytes: &[u8]) -> Result<Vec<u8>, String> {
    decompress(bytes, MAX_STATE_BYTES).map(std::borrow::Cow::into_owned)
}

/// Reads a state file's bytes, or says why they are not usable progress for `lesson_id`.
fn parse(bytes: &[u8], lesson_id: &str) -> Result<SavedState, String> {
    let bytes = &*decompress(bytes, MAX_STATE_BYTES)?;
    let header: Header =
        serde_json::from_slice(bytes).map_err(|e| format!("not a kubetutor state file: {e}"))?;
    if header.format != FORMAT {
        return Err(format!(
            "it is in format {}, and this kubetutor reads format {FORMAT}",
            header.format
        ));
    }
    let state: SavedState =
        serde_json::from_slice(bytes).map_err(|e| format!("damaged state file: {e}"))?;
    if state.lesson_id != lesson_id {
        return Err(format!(
            "it holds progress on \"{}\", not \"{lesson_id}\"",
            state.lesson_id
        ));
    }
    if let Some(why) = damage::impossible(&state.progress) {
        return Err(format!("damaged state file: {why}"));
    }
    Ok(state)
}

/// Renames a bad state file to the first free `NAME.corrupt-<n>`.
fn move_aside(path: &Path, reason: String) -> PersistError {
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    for n in 1..1000 {
        let target = path.with_file_name(format!("{name}.corrupt-{n}"));
        if target.exists() {
            continue;
        }
        return match fs::rename(path, &target) {
            Ok(()) => PersistError::MovedAside {
                path: path.to_path_buf(),
                moved_to: target,
                reason,
            },
            Err(e) => PersistError::Unusable {
                path: path.to_path_buf(),
                reason: format!("{reason}; moving it failed: {e}"),
            },
        };
    }
    PersistError::Unusable {
        path: path.to_path_buf(),
        reason: format!("{reason}; too many .corrupt files beside it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_that_inflates_past_the_limit_is_refused_and_plain_json_still_reads() {
        let bomb = compress(&vec![b' '; 4096]);
        assert!(bomb.len() < 100);
        let err = decompress(&bomb, 1024).unwrap_err();
        assert_eq!(err, "its progress inflates past the limit of 1 KiB");
        assert_eq!(&*decompress(&bomb, 4096).unwrap(), &vec![b' '; 4096][..]);
        assert_eq!(
            &*decompress(b" {\"format\": 1}", 10).unwrap(),
            b" {\"format\": 1}"
        );
        assert!(
            decompress(b"\x78garbage", 1024)
                .unwrap_err()
                .contains("neither JSON")
        );
    }
    use std::time::Duration;

    fn temp_store(name: &str) -> StateStore {
        let dir =
            std::env::temp_dir().join(format!("kubetutor-state-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        StateStore::new(Some(dir))
    }

    #[test]
    fn progress_round_trips_with_its_cluster_clock_and_files() {
        let store = temp_store("roundtrip");
        let mut p = Progress::start(7, 3, 4, 2);
        p.shell.run("echo hi > note.txt", &mut p.cluster);
        p.cluster.advance(Duration::from_secs(90));
        p.current = 2;
        store.save("ada", "12-daemonsets", &p).unwrap();
        let back = store.load("ada", "12-daemonsets").unwrap().unwrap();
        assert_eq!(back.current, 2);
        assert_eq!(back.cluster.now(), p.cluster.now());
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&p).unwrap()
        );
        assert!(store.load("bob", "12-daemonsets").unwrap().is_none());
        let _ = fs::remove_dir_all(store.dir());
    }

    #[test]
    fn bad_files_are_moved_aside_with_the_reason() {
        let store = temp_store("corrupt");
        fs::create_dir_all(store.dir()).unwrap();
        let path = store.path("ada", "l");
        for (bytes, why) in [
            (
                &b"{\"format\": 1, \"lesson_id\": \"l\", \"progr"[..],
                "not a kubetutor",
            ),
            (b"{\"format\": 9}", "format 9"),
            (b"{\"format\": 1, \"lesson_id\": \"l\"}", "damaged"),
        ] {
            fs::write(&path, bytes).unwrap();
            let err = store.load("ada", "l").unwrap_err();
            let text = err.to_string();
            assert!(text.contains(why), "{text}");
            assert!(matches!(err, PersistError::MovedAside { .. }), "{text}");
            assert!(!path.exists());
        }
        for n in 1..=3 {
            assert!(
                path.with_file_name(format!("ada--l.json.corrupt-{n}"))
                    .exists()
            );
        }
        let p = Progress::start(1, 3, 1, 0);
        store.save("ada", "other", &p).unwrap();
        fs::rename(store.path("ada", "other"), &path).unwrap();
        let text = store.load("ada", "l").unwrap_err().to_string();
        assert!(text.contains("holds progress on \"other\""), "{text}");
        assert!(store.load("ada", "l").unwrap().is_none());
        let _ = fs::remove_dir_all(store.dir());
    }

    #[test]
    fn a_state_file_over_the_cap_is_moved_aside_unread() {
        let store = temp_store("huge");
        fs::create_dir_all(store.dir()).unwrap();
        let path = store.path("ada", "l");
        // Sparse: as large as a runaway file, with no disk or time spent on it.
        fs::File::create(&path)
            .unwrap()
            .set_len(MAX_STATE_BYTES + 1)
            .unwrap();
        let text = store.load("ada", "l").unwrap_err().to_string();
        assert!(
            text.contains("(it is 67108865 bytes, over the limit of 64 MiB; it was not read)"),
            "{text}"
        );
        assert!(path.with_file_name("ada--l.json.corrupt-1").exists());
        let _ = fs::remove_dir_all(store.dir());
    }

    #[test]
    fn unsafe_names_get_distinct_safe_files() {
        let store = StateStore::new(Some(PathBuf::from("/s")));
        assert_eq!(store.path("ada", "l"), PathBuf::from("/s/ada--l.json"));
        let a = store.path("a b", "l");
        let b = store.path("a/b", "l");
        assert_ne!(a, b);
        assert!(a.starts_with("/s"));
        assert!(store.path("../../etc", "l").starts_with("/s"));
        assert_eq!(a.parent(), Some(Path::new("/s")));
    }
}
