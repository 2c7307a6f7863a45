//! Class results: the record a learner's finished lesson or evaluated quiz leaves in a
//! shared results folder, written so that many learners can write into one folder at
//! once without losing or tearing a record (one file per learner, lesson and attempt;
//! temporary file, fsync, rename).
//!
//! Must not import: the session, the engine, the shell or the TUI (records are plain data;
//! the session builds them in `session::record`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// The record format; bump it when a field changes meaning.
pub const FORMAT: u32 = 1;

/// One learner's attempt at one lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    pub format: u32,
    pub learner: String,
    /// The lesson's title.
    pub lesson: String,
    pub tutor_version: String,
    /// RFC 3339, UTC (wall-clock time of the learner's machine).
    pub started: String,
    pub ended: String,
    pub steps: Vec<StepResult>,
    pub quiz: Option<QuizResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    pub number: usize,
    pub title: String,
    pub done: bool,
    /// Time spent on the step (seconds of the learner's session), if it was reached.
    pub seconds: Option<f64>,
    pub hint_used: bool,
    pub solution_used: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizResult {
    pub points: usize,
    pub total: usize,
    pub passed: Option<bool>,
    pub questions: Vec<QuestionResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub title: String,
    pub correct: bool,
    /// The answers the learner picked, as text, in the order given.
    pub answer: Vec<String>,
}

impl ResultRecord {
    pub fn steps_done(&self) -> usize {
        self.steps.iter().filter(|s| s.done).count()
    }

    /// The first step not done (where the learner is, or is stuck).
    pub fn current_step(&self) -> Option<&StepResult> {
        self.steps.iter().find(|s| !s.done)
    }
}

/// A file name part made safe: letters, digits, `-`, `_` and `.` kept, the rest `_`.
pub(crate) fn safe(part: &str) -> String {
    let s: String = part
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if s.is_empty() || s.starts_with('.') {
        format!("_{s}")
    } else {
        s
    }
}

/// Temporary files written so far by this process: with the pid, a name no other writer uses,
/// even when several threads of one process write into the same folder.
static TEMP_FILES: AtomicU64 = AtomicU64::new(0);

/// A temporary file next to `path`, named so that `read_dir` skips it (leading dot).
fn temp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("record");
    let n = TEMP_FILES.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Writes `contents` to a fresh temporary file next to `path` and syncs it.
fn write_temp(path: &Path, contents: &[u8]) -> std::io::Result<PathBuf> {
    let tmp = temp_path(path);
    let written = fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(contents)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(tmp)
}

/// Makes a rename or link durable: syncs the folder that holds `path` (best effort; not every
/// file system lets a folder be opened for that).
fn sync_parent(path: &Path) {
    if let Ok(d) = fs::File::open(path.parent().unwrap_or(Path::new("."))) {
        let _ = d.sync_all();
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, fsync,
/// then rename over the target (readers see the old file or the new one, never a part).
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
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
fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    let tmp = write_temp(path, contents)?;
    let linked = match fs::hard_link(&tmp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) if path.exists() => Ok(false),
        Err(_) => fs::rename(&tmp, path).map(|()| true),
    };
    let _ = fs::remove_file(&tmp);
    if linked? {
        sync_parent(path);
        return Ok(true);
    }
    Ok(false)
}

/// The file name of one attempt's record (without the `-N` a repeated attempt id gets).
fn record_base(record: &ResultRecord, attempt_id: &str) -> String {
    format!(
        "{}--{}--{}",
        safe(&record.learner),
        safe(&record.lesson),
        safe(attempt_id)
    )
}

/// Writes `record` into `dir` as a new file (never overwriting another attempt) and
/// returns its path. `attempt_id` distinguishes attempts (e.g. the start time and pid).
pub fn write_record(
    dir: &Path,
    record: &ResultRecord,
    attempt_id: &str,
) -> std::io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let base = record_base(record, attempt_id);
    let json = serde_json::to_vec_pretty(record).map_err(std::io::Error::other)?;
    for n in 0..10_000u32 {
        let file = if n == 0 {
            format!("{base}.json")
        } else {
            format!("{base}-{n}.json")
        };
        let path = dir.join(file);
        if !path.exists() && write_new(&path, &json)? {
            return Ok(path);
        }
    }
    Err(std::io::Error::other(format!(
        "too many records named {base}-N.json"
    )))
}

/// Writes `record` as THE record of attempt `attempt_id`, replacing that attempt's earlier
/// record (a learner's attempt is written when the lesson completes and again when the quiz
/// is evaluated; the folder keeps one file per attempt, the latest state of it).
pub fn replace_record(
    dir: &Path,
    record: &ResultRecord,
    attempt_id: &str,
) -> std::io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let path = dir.join(format!("{}.json", record_base(record, attempt_id)));
    let json = serde_json::to_vec_pretty(record).map_err(std::io::Error::other)?;
    write_atomic(&path, &json)?;
    Ok(path)
}

/// Records read from a folder, with their files.
pub type Records = Vec<(PathBuf, ResultRecord)>;
/// Files that are not readable records, with why.
pub type Unreadable = Vec<(PathBuf, String)>;

/// Every record in `dir`, and the files that could not be read as one (with why).
pub fn read_dir(dir: &Path) -> std::io::Result<(Records, Unreadable)> {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for path in entries {
        match fs::read(&path) {
            Err(e) => bad.push((path, e.to_string())),
            Ok(bytes) => match serde_json::from_slice::<ResultRecord>(&bytes) {
                Ok(r) if r.format == FORMAT => good.push((path, r)),
                Ok(r) => bad.push((path, format!("record format {} is not {FORMAT}", r.format))),
                Err(e) => bad.push((path, format!("not a result record: {e}"))),
            },
        }
    }
    Ok((good, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample(learner: &str) -> ResultRecord {
        ResultRecord {
            format: FORMAT,
            learner: learner.into(),
            lesson: "12. DaemonSets".into(),
            tutor_version: "0.1.0".into(),
            started: "2026-11-28T10:00:00Z".into(),
            ended: "2026-11-28T10:30:00Z".into(),
            steps: vec![
                StepResult {
                    number: 1,
                    title: "Nodes".into(),
                    done: true,
                    seconds: Some(20.0),
                    hint_used: false,
                    solution_used: false,
                },
                StepResult {
                    number: 2,
                    title: "DaemonSets".into(),
                    done: false,
                    seconds: Some(50.0),
                    hint_used: true,
                    solution_used: false,
                },
            ],
            quiz: None,
        }
    }

    #[test]
    fn records_round_trip_through_a_folder_and_attempts_never_overwrite() {
        let dir = std::env::temp_dir().join(format!("kubetutor-results-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let a = write_record(&dir, &sample("ada"), "1").unwrap();
        let b = write_record(&dir, &sample("ada"), "1").unwrap();
        assert_ne!(a, b);
        fs::write(dir.join("broken.json"), b"{not json").unwrap();
        let (good, bad) = read_dir(&dir).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].0.ends_with("broken.json"));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe("a b/c"), "a_b_c");
        assert_eq!(safe("../x"), "_.._x");
    }
}
