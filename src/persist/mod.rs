//! The learner's saved progress, kept across runs: who the learner is, where their state lives,
//! the versioned state file per learner and lesson ([`StateStore`]), a session bound to that
//! store that saves itself and writes class result records ([`Autosave`]), and the headless
//! driver `kubetutor shell --lesson` that proves resume works without a terminal.
//!
//! This is the edge where progress meets the disk, so it may use std::fs; the session stays
//! plain data. Must not import: the TUI, terminals, std::process or a real clock (callers
//! pass the wall-clock time in).

mod autosave;
mod damage;
mod headless;
mod store;

pub use autosave::{Access, Autosave, AutosaveConfig, Opened, Start};
pub use headless::run_lesson_script;
pub use store::{Attempt, FORMAT, PersistError, SavedState, StateStore, state_json};

use crate::content::Lesson;

/// The learner name used without `--learner`: the login name (`$USER`, then `$LOGNAME`),
/// else `learner`.
pub fn default_learner() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "learner".to_string())
}

/// A wall-clock time as RFC 3339 in UTC, seconds precision (`2026-03-01T09:30:00Z`), the
/// form attempts and result records carry. The caller reads the clock; this only formats.
pub fn rfc3339(time: std::time::SystemTime) -> String {
    let millis = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    crate::engine::clock::SimTime(millis).rfc3339()
}

/// A lesson's name in state files: its title as a slug (`12. DaemonSets` →
/// `12-daemonsets`), so progress follows the lesson wherever its file is loaded from. (Class
/// results key lessons by [`Lesson::identity`], which also tells apart lessons of one title.)
pub fn lesson_id(lesson: &Lesson) -> String {
    lesson.slug()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;

    #[test]
    fn wall_clock_times_format_as_rfc3339() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_772_357_400_500);
        assert_eq!(rfc3339(t), "2026-03-01T09:30:00Z");
    }

    #[test]
    fn lesson_ids_are_slugs_of_the_title() {
        let mut lesson = content::builtin_lessons().unwrap().remove(0);
        assert_eq!(lesson_id(&lesson), "12-daemonsets");
        lesson.meta.title = "  Über: Pods & Nodes!! ".into();
        assert_eq!(lesson_id(&lesson), "über-pods-nodes");
        lesson.meta.title = "!!".into();
        assert_eq!(lesson_id(&lesson), "lesson");
    }
}
