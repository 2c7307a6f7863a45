//! The lesson and quiz compiled into the binary (so `kubetutor` works from any directory), and
//! loading lessons from a path given on the command line instead.
//!
//! The only place in `content` that touches the file system (in `read_source`); must not import
//! the engine, the shell or the TUI.

use super::error::{ContentError, ErrorKind};
use super::lesson::{self, Lesson};
use super::quiz::{self, Quiz};
use std::path::{Path, PathBuf};

/// The built-in DaemonSet lesson.
pub const LESSON: &str = include_str!("../../lessons/daemonsets.md");
/// The built-in DaemonSet quiz.
pub const QUIZ: &str = include_str!("../../quizzes/daemonsets.md");

/// The built-in lesson with its quiz.
pub fn builtin_lessons() -> Result<Vec<Lesson>, ContentError> {
    let mut lesson = lesson::load("lessons/daemonsets.md", LESSON)?;
    let quiz = quiz::parse("quizzes/daemonsets.md", QUIZ, 1)?;
    attach_quiz(&mut lesson, quiz, "quizzes/daemonsets.md");
    Ok(vec![lesson])
}

/// Loads the lesson at `path`, or every `*.md` lesson in a directory ordered by weight (then
/// file name). A directory holding a `lessons/` directory is read through it. Each lesson gets
/// the quiz of the same file stem from a sibling `quizzes/` directory, if there is one.
pub fn load_path(path: &Path) -> Result<Vec<Lesson>, ContentError> {
    match read_source(path)? {
        Source::Missing => Err(ContentError::at(
            &path.display().to_string(),
            1,
            1,
            ErrorKind::Io {
                reason: "no such file or directory".to_string(),
            },
        )),
        Source::File(text) => Ok(vec![load_with_quiz(path, &text)?]),
        Source::Dir(entries) => {
            let lessons_dir = entries
                .iter()
                .find(|e| e.is_dir && e.path.file_name().is_some_and(|n| n == "lessons"));
            if let Some(dir) = lessons_dir {
                return load_path(&dir.path);
            }
            let mut files: Vec<&PathBuf> = entries
                .iter()
                .filter(|e| !e.is_dir && e.path.extension().is_some_and(|x| x == "md"))
                .map(|e| &e.path)
                .collect();
            files.sort();
            let mut lessons = Vec::new();
            for file in files {
                if let Source::File(text) = read_source(file)? {
                    lessons.push(load_with_quiz(file, &text)?);
                }
            }
            lessons.sort_by_key(|l| l.meta.weight.unwrap_or(i64::MAX));
            Ok(lessons)
        }
    }
}

fn load_with_quiz(path: &Path, text: &str) -> Result<Lesson, ContentError> {
    let name = path.display().to_string();
    let mut lesson = lesson::load(&name, text)?;
    if let Some((quiz_name, quiz_text)) = sibling_quiz(path)? {
        let quiz = quiz::parse(&quiz_name, &quiz_text, 1)?;
        attach_quiz(&mut lesson, quiz, &quiz_name);
    }
    Ok(lesson)
}

/// The quiz file the tutor attaches to the lesson at `path` (the same file name in a
/// `quizzes/` directory beside the lesson's directory): its name and text, if there is one.
pub fn sibling_quiz(path: &Path) -> Result<Option<(String, String)>, ContentError> {
    let quiz_path = path
        .parent()
        .and_then(Path::parent)
        .zip(path.file_name())
        .map(|(root, file)| root.join("quizzes").join(file));
    match quiz_path {
        Some(quiz_path) => match read_source(&quiz_path)? {
            Source::File(text) => Ok(Some((quiz_path.display().to_string(), text))),
            _ => Ok(None),
        },
        None => Ok(None),
    }
}

/// Gives a lesson its quiz file; an inline quiz wins, with a warning.
pub(super) fn attach_quiz(lesson: &mut Lesson, quiz: Quiz, quiz_name: &str) {
    if lesson.quiz.is_some() {
        lesson.warnings.push(format!(
            "{quiz_name}: ignored, the lesson has an inline quizdown quiz"
        ));
    } else {
        lesson.quiz = Some(quiz);
    }
}

enum Source {
    File(String),
    Dir(Vec<Entry>),
    Missing,
}

struct Entry {
    path: PathBuf,
    is_dir: bool,
}

/// Reads a file's text or a directory's entries: the one function here that touches the disk.
fn read_source(path: &Path) -> Result<Source, ContentError> {
    let io = |e: std::io::Error| {
        let reason = e.to_string();
        ContentError::at(&path.display().to_string(), 1, 1, ErrorKind::Io { reason })
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Source::Missing),
        Err(e) => return Err(io(e)),
    };
    if meta.is_dir() {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io)? {
            let entry = entry.map_err(io)?;
            let is_dir = entry.file_type().map_err(io)?.is_dir();
            entries.push(Entry {
                path: entry.path(),
                is_dir,
            });
        }
        Ok(Source::Dir(entries))
    } else {
        std::fs::read_to_string(path).map(Source::File).map_err(io)
    }
}
