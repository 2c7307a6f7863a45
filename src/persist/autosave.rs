//! A learner's session bound to the state store: opened from saved progress (or fresh),
//! saved after every command and step, and written as a result record into the class's
//! results folder. The TUI and `kubetutor shell --lesson` share it.
//!
//! One session at a time saves a learner's lesson: opening takes an exclusive lock on a
//! sidecar `NAME.json.lock` (the state file itself is replaced by rename on every save, so it
//! cannot carry the lock) and writes who holds it there; a second session is refused with
//! that holder named, unless it runs read-only (nothing saved, no record written). Holding
//! the lock, opening also removes the temporary files a killed save of this state left.
//!
//! Must not import: the TUI, terminals, std::process or a real clock (callers pass the
//! wall-clock time as RFC 3339 text).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::store::{Attempt, PersistError, StateStore};
use crate::content::Lesson;
use crate::files::{self, FileLock, LockError};
use crate::results;
use crate::session::Session;

/// Whether to continue saved progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Continue where the learner was, if a state file exists (the default).
    Resume,
    /// Start the lesson over (`--fresh`); the old state is replaced at the first save.
    Fresh,
}

/// Whether the session saves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Takes the learner's lock on the lesson and saves (the default).
    Save,
    /// `--read-only`: no lock, nothing saved, no result record (to look at progress another
    /// session holds, or to practise without touching it).
    ReadOnly,
}

/// Who is learning, where their state and results go, and how to start.
#[derive(Clone, Debug)]
pub struct AutosaveConfig {
    pub store: StateStore,
    pub learner: String,
    /// The class's shared results folder (`--results-dir`), if any.
    pub results_dir: Option<PathBuf>,
    pub start: Start,
    pub access: Access,
    /// Who is opening (process, host, time), written into the lock for a second session to
    /// show: `pid 4242 on lab-3 since 2026-03-01T09:30:00Z`.
    pub holder: String,
}

/// What opening a lesson gives: the session, its saver, and what to tell the learner.
#[derive(Debug)]
pub struct Opened {
    pub autosave: Autosave,
    pub session: Session,
    /// Lines for the learner (resumed where, or why saved progress was moved aside), without
    /// a `kubetutor:` prefix.
    pub notices: Vec<String>,
    pub resumed: bool,
}

/// Saves one learner's session on one lesson.
#[derive(Clone, Debug)]
pub struct Autosave {
    store: StateStore,
    learner: String,
    lesson_id: String,
    attempt: Attempt,
    results_dir: Option<PathBuf>,
    access: Access,
    /// The learner's lock on this lesson; `None` when read-only (or when the lock file could
    /// not be made, which the notices say).
    _lock: Option<Arc<FileLock>>,
}

impl Autosave {
    /// Resumes the learner's saved progress on `lesson` unless told to start fresh; otherwise
    /// (or when the saved state is unusable) a new session on a cluster from `seed`. `now` is
    /// the wall-clock time, RFC 3339, stamped on a new attempt. Fails only when another
    /// session holds the lesson and this one would save.
    pub fn open(
        config: AutosaveConfig,
        lesson: Lesson,
        seed: u64,
        workers: usize,
        now: &str,
    ) -> Result<Opened, PersistError> {
        let AutosaveConfig {
            store,
            learner,
            results_dir,
            start,
            access,
            holder,
        } = config;
        let lesson_id = super::lesson_id(&lesson);
        let mut notices = Vec::new();
        let state_path = store.path(&learner, &lesson_id);
        let lock = match access {
            Access::ReadOnly => {
                notices.push(format!(
                    "read-only: nothing is saved, and no result is written ({} is left as it is)",
                    state_path.display()
                ));
                None
            }
            Access::Save => match lock(&store, &state_path, &learner, &lesson, &holder) {
                Ok(lock) => {
                    files::remove_stale_temp_files(&state_path);
                    Some(Arc::new(lock))
                }
                Err(e @ PersistError::Locked { .. }) => return Err(e),
                // A folder that cannot hold the lock cannot hold the state either: the saves
                // will say so; the learner is not kept from the lesson.
                Err(e) => {
                    notices.push(format!(
                        "cannot take the lock that keeps a second session out: {e}"
                    ));
                    None
                }
            },
        };
        let loaded = match (start, access) {
            (Start::Fresh, _) => Ok(None),
            (Start::Resume, Access::Save) => store.load_state(&learner, &lesson_id),
            (Start::Resume, Access::ReadOnly) => store.peek_state(&learner, &lesson_id),
        };
        let saved = loaded.unwrap_or_else(|e| {
            notices.push(e.to_string());
            None
        });
        let resumed = saved.is_some();
        let (session, attempt) = match saved {
            Some(state) => {
                let attempt = state.attempt.unwrap_or_else(|| new_attempt(now));
                let session = Session::resume(lesson, state.progress);
                notices.push(format!(
                    "resuming {learner}'s progress on {} at {}",
                    session.lesson().meta.title,
                    position(&session)
                ));
                (session, attempt)
            }
            None => (
                crate::session::first_session(lesson, seed, workers),
                new_attempt(now),
            ),
        };
        Ok(Opened {
            autosave: Autosave {
                store,
                learner,
                lesson_id,
                attempt,
                results_dir,
                access,
                _lock: lock,
            },
            session,
            notices,
            resumed,
        })
    }

    /// Saves the session's progress atomically; call after every command and every step.
    /// Read-only, it saves nothing.
    pub fn save(&self, session: &Session) -> Result<(), PersistError> {
        if !self.saves() {
            return Ok(());
        }
        self.store
            .save_with(
                &self.learner,
                &self.lesson_id,
                Some(&self.attempt),
                session.progress(),
            )
            .map(|_| ())
    }

    /// Writes the session's result record into the results folder as this attempt's record
    /// (replacing the attempt's earlier one); `None` without a results folder, or read-only.
    /// `now` is the wall-clock end, RFC 3339.
    pub fn write_result(&self, session: &Session, now: &str) -> Option<std::io::Result<PathBuf>> {
        let dir = self.results_dir.as_deref()?;
        if !self.saves() {
            return None;
        }
        let record = session.result_record(&self.learner, &self.attempt.started, now);
        // Only this session writes this attempt's record (it holds the lock on the attempt's
        // state): temporary files of it are what a killed write left.
        files::remove_stale_temp_files(&results::record_path(dir, &record, &self.attempt.id));
        // A workshop also leaves one record per chapter the learner worked in.
        for chapter in session.chapter_records(&self.learner, &self.attempt.started, now) {
            let path = results::record_path(dir, &chapter, &self.attempt.id);
            files::remove_stale_temp_files(&path);
            if let Err(e) = results::replace_record(dir, &chapter, &self.attempt.id) {
                return Some(Err(e));
            }
        }
        Some(results::replace_record(dir, &record, &self.attempt.id))
    }

    /// Whether this session saves (it is not read-only).
    pub fn saves(&self) -> bool {
        self.access == Access::Save
    }

    pub fn learner(&self) -> &str {
        &self.learner
    }

    pub fn lesson_id(&self) -> &str {
        &self.lesson_id
    }

    pub fn attempt(&self) -> &Attempt {
        &self.attempt
    }

    pub fn results_dir(&self) -> Option<&Path> {
        self.results_dir.as_deref()
    }

    /// The state file this session is saved to.
    pub fn state_path(&self) -> PathBuf {
        self.store.path(&self.learner, &self.lesson_id)
    }
}

/// `step N`, or `the end` once every step is behind the learner.
pub(super) fn position(session: &Session) -> String {
    match session.current_step() {
        Some(i) => {
            let lesson = session.lesson();
            let number = lesson.steps.get(i).map_or(i + 1, |s| s.number);
            match lesson.chapters.get(lesson.chapter_of_step(i)) {
                Some(chapter) if lesson.is_workshop() => {
                    format!("chapter {}, step {number}", chapter.number)
                }
                _ => format!("step {number}"),
            }
        }
        None => "the end (every step done)".to_string(),
    }
}

/// Takes the learner's lock on the lesson whose state is `state_path`.
fn lock(
    store: &StateStore,
    state_path: &Path,
    learner: &str,
    lesson: &Lesson,
    holder: &str,
) -> Result<FileLock, PersistError> {
    std::fs::create_dir_all(store.dir()).map_err(|error| PersistError::Io {
        path: store.dir().to_path_buf(),
        error,
    })?;
    let mut lock_path = state_path.as_os_str().to_owned();
    lock_path.push(".lock");
    let lock_path = PathBuf::from(lock_path);
    files::try_lock(&lock_path, holder).map_err(|e| match e {
        LockError::Held { holder } => PersistError::Locked {
            learner: learner.to_string(),
            lesson: lesson.meta.title.clone(),
            holder,
            lock: lock_path,
        },
        LockError::Io(error) => PersistError::Io {
            path: lock_path,
            error,
        },
    })
}

/// A new attempt started at `now`: its id is the compact start time and 64 random bits, so
/// attempts never share a result record, even ten machines' started in the same second
/// with the same `--learner` and `--seed` (the seed is for the cluster, not for names).
fn new_attempt(now: &str) -> Attempt {
    use std::hash::{BuildHasher, Hasher};
    let stamp: String = now.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    // The standard library's per-process random keys: a file name needs no more.
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    Attempt {
        id: format!("{stamp}-{random:016x}"),
        started: now.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;

    fn config(name: &str, start: Start) -> AutosaveConfig {
        let dir =
            std::env::temp_dir().join(format!("kubetutor-autosave-{name}-{}", std::process::id()));
        AutosaveConfig {
            store: StateStore::new(Some(dir.join("state"))),
            learner: "ada".into(),
            results_dir: Some(dir.join("results")),
            start,
            access: Access::Save,
            holder: "pid 1 on test".into(),
        }
    }

    fn lesson() -> Lesson {
        content::builtin_lessons().unwrap().remove(0)
    }

    #[test]
    fn a_saved_session_resumes_with_its_attempt_and_a_notice() {
        let lesson = lesson();
        let cfg = config("resume", Start::Fresh);
        let root = cfg.store.dir().parent().unwrap().to_path_buf();
        let _ = std::fs::remove_dir_all(&root);
        let mut first =
            Autosave::open(cfg.clone(), lesson.clone(), 5, 3, "2026-01-02T03:04:05Z").unwrap();
        assert!(!first.resumed && first.notices.is_empty());
        first.session.submit("kubectl get nodes -o wide");
        first.autosave.save(&first.session).unwrap();
        let first_attempt = first.autosave.attempt().clone();
        drop(first);
        let again = Autosave::open(
            AutosaveConfig {
                start: Start::Resume,
                ..cfg.clone()
            },
            lesson.clone(),
            99,
            3,
            "2026-01-03T00:00:00Z",
        )
        .unwrap();
        assert!(again.resumed);
        assert_eq!(
            again.notices,
            vec!["resuming ada's progress on 12. DaemonSets at step 2".to_string()]
        );
        assert_eq!(again.autosave.attempt(), &first_attempt);
        assert_eq!(again.session.progress().seed, 5);
        let path = again
            .autosave
            .write_result(&again.session, "2026-01-03T00:01:00Z")
            .unwrap()
            .unwrap();
        let (records, bad) = results::read_dir(path.parent().unwrap()).unwrap();
        assert!(bad.is_empty());
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].1.started, "2026-01-02T03:04:05Z");
        assert_eq!(records[0].1.steps_done(), 1);
        drop(again);
        let fresh = Autosave::open(cfg, lesson, 6, 3, "2026-01-04T00:00:00Z").unwrap();
        assert!(!fresh.resumed);
        assert_eq!(fresh.session.current_step(), Some(0));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn attempts_begun_in_one_second_with_one_seed_get_different_ids() {
        let ids: std::collections::BTreeSet<String> = (0..10)
            .map(|_| new_attempt("2026-01-02T03:04:05Z").id)
            .collect();
        assert_eq!(ids.len(), 10);
        assert!(
            ids.iter()
                .all(|id| id.starts_with("20260102T030405Z-") && id.len() == 33)
        );
    }

    #[test]
    fn a_second_session_is_refused_naming_the_holder_and_read_only_saves_nothing() {
        let lesson = lesson();
        let cfg = config("lock", Start::Resume);
        let root = cfg.store.dir().parent().unwrap().to_path_buf();
        let _ = std::fs::remove_dir_all(&root);
        let mut first = Autosave::open(cfg.clone(), lesson.clone(), 5, 3, "t").unwrap();
        first.session.submit("kubectl get nodes -o wide");
        first.autosave.save(&first.session).unwrap();
        let saved = std::fs::read(first.autosave.state_path()).unwrap();
        let second = AutosaveConfig {
            holder: "pid 2 on test".into(),
            ..cfg.clone()
        };
        for start in [Start::Resume, Start::Fresh] {
            let config = AutosaveConfig {
                start,
                ..second.clone()
            };
            let err = Autosave::open(config, lesson.clone(), 6, 3, "t").unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, PersistError::Locked { .. }), "{text}");
            assert!(
                text.contains("open in another kubetutor (pid 1 on test;"),
                "{text}"
            );
            assert!(
                text.contains("--read-only") && text.contains("--fresh"),
                "{text}"
            );
        }
        let mut look = Autosave::open(
            AutosaveConfig {
                access: Access::ReadOnly,
                ..second
            },
            lesson,
            6,
            3,
            "t",
        )
        .unwrap();
        assert!(look.resumed && !look.autosave.saves());
        assert!(
            look.notices[0].starts_with("read-only: nothing is saved"),
            "{:?}",
            look.notices
        );
        assert_eq!(look.session.current_step(), Some(1));
        look.session.submit("kubectl get pods -A");
        look.autosave.save(&look.session).unwrap();
        assert!(look.autosave.write_result(&look.session, "t").is_none());
        assert_eq!(std::fs::read(first.autosave.state_path()).unwrap(), saved);
        assert!(!root.join("results").exists());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn read_only_leaves_a_damaged_state_file_where_it_is() {
        let cfg = config("peek", Start::Resume);
        let root = cfg.store.dir().parent().unwrap().to_path_buf();
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(cfg.store.dir()).unwrap();
        let path = cfg.store.path("ada", "12-daemonsets");
        std::fs::write(&path, b"{\"format\": 1, \"less").unwrap();
        let opened = Autosave::open(
            AutosaveConfig {
                access: Access::ReadOnly,
                ..cfg
            },
            lesson(),
            1,
            3,
            "t",
        )
        .unwrap();
        assert!(!opened.resumed);
        assert!(
            opened.notices[1].contains("read-only, it is left as it is"),
            "{:?}",
            opened.notices
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"format\": 1, \"less");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_lock_file_that_is_not_a_file_is_named_and_the_lesson_still_saves() {
        let cfg = config("badlock", Start::Resume);
        let root = cfg.store.dir().parent().unwrap().to_path_buf();
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(cfg.store.dir()).unwrap();
        let lock = cfg.store.dir().join("ada--12-daemonsets.json.lock");
        crate::files::mkfifo(&lock);
        let mut opened = Autosave::open(cfg, lesson(), 1, 3, "t").unwrap();
        assert!(
            opened.notices[0].contains(
                "ada--12-daemonsets.json.lock: it is a FIFO (named pipe), not a lock file"
            ),
            "{:?}",
            opened.notices
        );
        opened.session.submit("kubectl get nodes -o wide");
        opened.autosave.save(&opened.session).unwrap();
        assert!(opened.autosave.state_path().exists());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn opening_removes_the_temporary_files_a_killed_save_left() {
        let cfg = config("stale", Start::Resume);
        let root = cfg.store.dir().parent().unwrap().to_path_buf();
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(cfg.store.dir()).unwrap();
        let stale = cfg
            .store
            .dir()
            .join(".ada--12-daemonsets.json.999999.3.tmp");
        let other = cfg
            .store
            .dir()
            .join(".bob--12-daemonsets.json.999999.3.tmp");
        std::fs::write(&stale, b"half a save").unwrap();
        std::fs::write(&other, b"bob's").unwrap();
        let results_dir = cfg.results_dir.clone().unwrap();
        let opened = Autosave::open(cfg, lesson(), 1, 3, "t").unwrap();
        assert!(!stale.exists());
        assert!(
            other.exists(),
            "another learner's file is not ours to remove"
        );
        let record = opened.session.result_record("ada", "t", "t");
        let path = results::record_path(&results_dir, &record, &opened.autosave.attempt().id);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::create_dir_all(&results_dir).unwrap();
        let stale_record = results_dir.join(format!(".{name}.999999.0.tmp"));
        std::fs::write(&stale_record, b"{").unwrap();
        let written = opened.autosave.write_result(&opened.session, "t");
        assert_eq!(written.unwrap().unwrap(), path);
        assert!(!stale_record.exists());
        drop(opened);
        let _ = std::fs::remove_dir_all(&root);
    }
}
