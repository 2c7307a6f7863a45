//! A learner's session bound to the state store: opened from saved progress (or fresh),
//! saved after every command and step, and written as a result record into the class's
//! results folder. The TUI and `kubetutor shell --lesson` share it.
//!
//! Must not import: the TUI, terminals, std::process or a real clock (callers pass the
//! wall-clock time as RFC 3339 text).

use std::path::{Path, PathBuf};

use super::store::{Attempt, PersistError, StateStore};
use crate::content::Lesson;
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

/// Who is learning, where their state and results go, and how to start.
#[derive(Clone, Debug)]
pub struct AutosaveConfig {
    pub store: StateStore,
    pub learner: String,
    /// The class's shared results folder (`--results-dir`), if any.
    pub results_dir: Option<PathBuf>,
    pub start: Start,
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
}

impl Autosave {
    /// Resumes the learner's saved progress on `lesson` unless told to start fresh; otherwise
    /// (or when the saved state is unusable) a new session on a cluster from `seed`. `now` is
    /// the wall-clock time, RFC 3339, stamped on a new attempt.
    pub fn open(
        config: AutosaveConfig,
        lesson: Lesson,
        seed: u64,
        workers: usize,
        now: &str,
    ) -> Opened {
        let AutosaveConfig {
            store,
            learner,
            results_dir,
            start,
        } = config;
        let lesson_id = super::lesson_id(&lesson);
        let mut notices = Vec::new();
        let saved = match start {
            Start::Fresh => None,
            Start::Resume => match store.load_state(&learner, &lesson_id) {
                Ok(saved) => saved,
                Err(e) => {
                    notices.push(e.to_string());
                    None
                }
            },
        };
        let resumed = saved.is_some();
        let (session, attempt) = match saved {
            Some(state) => {
                let attempt = state
                    .attempt
                    .unwrap_or_else(|| new_attempt(now, state.progress.seed));
                let session = Session::resume(lesson, state.progress);
                notices.push(format!(
                    "resuming {learner}'s progress on {} at {}",
                    session.lesson().meta.title,
                    position(&session)
                ));
                (session, attempt)
            }
            None => (Session::new(lesson, seed, workers), new_attempt(now, seed)),
        };
        Opened {
            autosave: Autosave {
                store,
                learner,
                lesson_id,
                attempt,
                results_dir,
            },
            session,
            notices,
            resumed,
        }
    }

    /// Saves the session's progress atomically; call after every command and every step.
    pub fn save(&self, session: &Session) -> Result<PathBuf, PersistError> {
        self.store.save_with(
            &self.learner,
            &self.lesson_id,
            Some(&self.attempt),
            session.progress(),
        )
    }

    /// Writes the session's result record into the results folder as this attempt's record
    /// (replacing the attempt's earlier one); `None` without a results folder. `now` is the
    /// wall-clock end, RFC 3339.
    pub fn write_result(&self, session: &Session, now: &str) -> Option<std::io::Result<PathBuf>> {
        let dir = self.results_dir.as_deref()?;
        let record = session.result_record(&self.learner, &self.attempt.started, now);
        Some(results::replace_record(dir, &record, &self.attempt.id))
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
            let number = session.lesson().steps.get(i).map_or(i + 1, |s| s.number);
            format!("step {number}")
        }
        None => "the end (every step done)".to_string(),
    }
}

/// A new attempt started at `now`: its id is the compact start time and a few hex digits
/// of the seed, so two attempts begun in the same second still differ.
fn new_attempt(now: &str, seed: u64) -> Attempt {
    let stamp: String = now.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    Attempt {
        id: format!("{stamp}-{:04x}", seed & 0xffff),
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
        }
    }

    #[test]
    fn a_saved_session_resumes_with_its_attempt_and_a_notice() {
        let lesson = content::builtin_lessons().unwrap().remove(0);
        let cfg = config("resume", Start::Fresh);
        let root = cfg.store.dir().parent().unwrap().to_path_buf();
        let _ = std::fs::remove_dir_all(&root);
        let mut first = Autosave::open(cfg.clone(), lesson.clone(), 5, 3, "2026-01-02T03:04:05Z");
        assert!(!first.resumed && first.notices.is_empty());
        first.session.submit("kubectl get nodes -o wide");
        first.autosave.save(&first.session).unwrap();
        let again = Autosave::open(
            AutosaveConfig {
                start: Start::Resume,
                ..cfg.clone()
            },
            lesson.clone(),
            99,
            3,
            "2026-01-03T00:00:00Z",
        );
        assert!(again.resumed);
        assert_eq!(
            again.notices,
            vec!["resuming ada's progress on 12. DaemonSets at step 2".to_string()]
        );
        assert_eq!(again.autosave.attempt(), first.autosave.attempt());
        assert_eq!(again.autosave.attempt().id, "20260102T030405Z-0005");
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
        let fresh = Autosave::open(cfg, lesson, 6, 3, "2026-01-04T00:00:00Z");
        assert!(!fresh.resumed);
        assert_eq!(fresh.session.current_step(), Some(0));
        let _ = std::fs::remove_dir_all(&root);
    }
}
