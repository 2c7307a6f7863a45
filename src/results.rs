//! Class results: the record a learner's finished lesson or evaluated quiz leaves in a
//! shared results folder, written so that many learners can write into one folder at
//! once without losing or tearing a record (one file per learner, lesson and attempt;
//! temporary file, fsync, rename), and read back so that whatever else lies in the folder
//! (a FIFO, a link to a device, a huge or impossible record) is skipped and named, never
//! waited on or read whole.
//!
//! Must not import: the session, the engine, the shell or the TUI (records are plain data;
//! the session builds them in `session::record`).

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use crate::files::write_atomic;
use crate::files::{read_capped, write_new};

/// The record format; bump it when a field changes meaning.
pub const FORMAT: u32 = 1;

/// The largest record file read or written (a finished lesson's record is a few KiB): a
/// bigger file in the results folder is skipped unread, so one planted file cannot make the
/// report read or print gigabytes.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// One learner's attempt at one lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    pub format: u32,
    pub learner: String,
    /// The lesson's title.
    pub lesson: String,
    /// The lesson's stable identity (see `persist::lesson_key`): two lessons of one title
    /// are told apart by it. Empty in records written before it existed.
    #[serde(default)]
    pub lesson_id: String,
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

/// FNV-1a (Fowler, Noll, Vo), 32 bits, over the parts (each ended by a 0 byte): a stable
/// short hash for file names, the same on every machine.
pub(crate) fn name_hash(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
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

/// The file name of one attempt's record (without the `-N` a repeated attempt id gets):
/// the learner's name made safe and a hash of the name as typed (`Anna Lee` and `Anna_Lee`
/// differ), the lesson, the attempt.
fn record_base(record: &ResultRecord, attempt_id: &str) -> String {
    let lesson = if record.lesson_id.is_empty() {
        &record.lesson
    } else {
        &record.lesson_id
    };
    format!(
        "{}.{:08x}--{}--{}",
        safe(&record.learner),
        name_hash(&[&record.learner]),
        safe(lesson),
        safe(attempt_id)
    )
}

/// The record as JSON, if it is within [`MAX_RECORD_BYTES`] (a record the report would skip
/// is not written).
fn record_json(record: &ResultRecord) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_vec_pretty(record).map_err(std::io::Error::other)?;
    if json.len() as u64 > MAX_RECORD_BYTES {
        return Err(std::io::Error::other(format!(
            "the record is {} bytes, over the limit of {}",
            json.len(),
            crate::files::size_text(MAX_RECORD_BYTES)
        )));
    }
    Ok(json)
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
    let json = record_json(record)?;
    for n in 0..10_000u32 {
        let file = if n == 0 {
            format!("{base}.json")
        } else {
            format!("{base}-{n}.json")
        };
        let path = dir.join(file);
        if fs::symlink_metadata(&path).is_err() && write_new(&path, &json)? {
            return Ok(path);
        }
    }
    Err(std::io::Error::other(format!(
        "too many records named {base}-N.json"
    )))
}

/// Where [`replace_record`] keeps the record of attempt `attempt_id`.
pub fn record_path(dir: &Path, record: &ResultRecord, attempt_id: &str) -> PathBuf {
    dir.join(format!("{}.json", record_base(record, attempt_id)))
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
    let path = record_path(dir, record, attempt_id);
    write_atomic(&path, &record_json(record)?)?;
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
        match read_capped(&path, MAX_RECORD_BYTES) {
            Err(e) => bad.push((path, e.to_string())),
            Ok(bytes) => match serde_json::from_slice::<ResultRecord>(&bytes) {
                Ok(r) if r.format != FORMAT => {
                    bad.push((path, format!("record format {} is not {FORMAT}", r.format)));
                }
                Ok(r) => match damage(&r) {
                    Some(why) => bad.push((path, format!("damaged record: {why}"))),
                    None => good.push((path, r)),
                },
                Err(e) => bad.push((path, format!("not a result record: {e}"))),
            },
        }
    }
    Ok((good, bad))
}

/// The most steps, and quiz questions, a record may hold (a lesson has tens): the report
/// writes a JUnit case per learner and step, so this bounds what one record can add to it.
pub const MAX_RECORD_ITEMS: usize = 1000;

/// What makes a well-formed record impossible (a hand edit, a bug), if anything: more than
/// [`MAX_RECORD_ITEMS`] steps or questions, a step time that is negative or not a number, a
/// quiz scoring more points than it has.
fn damage(r: &ResultRecord) -> Option<String> {
    let questions = r.quiz.as_ref().map_or(0, |q| q.questions.len());
    if r.steps.len() > MAX_RECORD_ITEMS || questions > MAX_RECORD_ITEMS {
        return Some(format!(
            "{} steps and {questions} quiz questions (at most {MAX_RECORD_ITEMS} each)",
            r.steps.len()
        ));
    }
    if let Some(s) = r
        .steps
        .iter()
        .find(|s| s.seconds.is_some_and(|t| !t.is_finite() || t < 0.0))
    {
        return Some(format!("step {} has a negative or invalid time", s.number));
    }
    if let Some(q) = &r.quiz
        && q.points > q.total
    {
        return Some(format!("a quiz score of {}/{}", q.points, q.total));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample(learner: &str) -> ResultRecord {
        ResultRecord {
            format: FORMAT,
            learner: learner.into(),
            lesson: "12. DaemonSets".into(),
            lesson_id: "12-daemonsets-0000abcd".into(),
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
    fn fifos_links_to_dev_zero_huge_and_impossible_records_are_skipped_and_named() {
        let dir = std::env::temp_dir().join(format!("kubetutor-bad-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let good = write_record(&dir, &sample("ada"), "1").unwrap();
        crate::files::mkfifo(&dir.join("x.json"));
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero.json")).unwrap();
        fs::write(
            dir.join("big.json"),
            vec![b' '; (MAX_RECORD_BYTES + 1) as usize],
        )
        .unwrap();
        let mut long = sample("cy");
        long.steps = vec![long.steps[0].clone(); MAX_RECORD_ITEMS + 1];
        fs::write(dir.join("long.json"), serde_json::to_vec(&long).unwrap()).unwrap();
        let mut negative = sample("bob");
        negative.steps[1].seconds = Some(-600.0);
        fs::write(
            dir.join("negative.json"),
            serde_json::to_vec(&negative).unwrap(),
        )
        .unwrap();
        let (records, bad) = read_dir(&dir).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].0, good);
        let bad: Vec<(String, String)> = bad
            .into_iter()
            .map(|(p, why)| (p.file_name().unwrap().to_string_lossy().into_owned(), why))
            .collect();
        let reason = |name: &str| &bad.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(bad.len(), 5, "{bad:?}");
        assert_eq!(
            reason("long.json"),
            "damaged record: 1001 steps and 0 quiz questions (at most 1000 each)"
        );
        assert!(reason("x.json").starts_with("it is a FIFO"), "{bad:?}");
        assert!(
            reason("zero.json").starts_with("it is a symbolic link"),
            "{bad:?}"
        );
        assert!(
            reason("big.json").contains("over the limit of 1 MiB"),
            "{bad:?}"
        );
        assert_eq!(
            reason("negative.json"),
            "damaged record: step 2 has a negative or invalid time"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn learners_whose_names_look_alike_never_share_a_record_file() {
        let dir = std::env::temp_dir().join(format!("kubetutor-alike-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let a = replace_record(&dir, &sample("Anna Lee"), "t-1").unwrap();
        let b = replace_record(&dir, &sample("Anna_Lee"), "t-1").unwrap();
        assert_ne!(a, b);
        let (records, _) = read_dir(&dir).unwrap();
        let mut learners: Vec<&str> = records.iter().map(|(_, r)| r.learner.as_str()).collect();
        learners.sort_unstable();
        assert_eq!(learners, ["Anna Lee", "Anna_Lee"]);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("Anna_Lee."), "{name}");
        assert!(name.contains("--12-daemonsets-0000abcd--t-1"), "{name}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_record_over_the_limit_is_not_written() {
        let dir = std::env::temp_dir().join(format!("kubetutor-huge-{}", std::process::id()));
        let mut huge = sample("ada");
        huge.steps[0].title = "x".repeat(MAX_RECORD_BYTES as usize);
        let err = replace_record(&dir, &huge, "1").unwrap_err();
        assert!(err.to_string().contains("over the limit of 1 MiB"), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe("a b/c"), "a_b_c");
        assert_eq!(safe("../x"), "_.._x");
    }
}
