//! The lesson and quiz compiled into the binary (so `kubetutor` works from any directory), and
//! loading lessons from a path given on the command line instead.
//!
//! The only place in `content` that touches the file system (in `read_source`, which
//! `workshop.rs` reads folders through); must not import
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

/// Loads the lesson at `path`, or every chapter of a workshop folder in order (see
/// `workshop.rs`: Hugo chapters `NNN_slug/_index.md` or `*.md` lessons, by weight then name,
/// drafts skipped). A directory holding a `lessons/` directory is read through it. Each lesson gets
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
            Ok(super::workshop::load_chapters(path)?
                .map(|(_, chapters)| chapters.into_iter().map(|(_, l)| l).collect())
                .unwrap_or_default())
        }
    }
}

/// Loads the lesson at `path` as one workshop lesson: a file is its lesson; a folder's
/// chapters are joined in order (see `chapters.rs`); `None` when the folder holds no lesson.
pub fn load_workshop(path: &Path) -> Result<Option<Lesson>, ContentError> {
    if let Source::Dir(entries) = read_source(path)? {
        if let Some(dir) = entries
            .iter()
            .find(|e| e.is_dir && e.path.file_name().is_some_and(|n| n == "lessons"))
        {
            return load_workshop(&dir.path);
        }
        return Ok(super::workshop::load_chapters(path)?
            .and_then(|(title, chapters)| super::chapters::join(&title, chapters)));
    }
    Ok(load_path(path)?.pop())
}

pub(super) fn load_with_quiz(path: &Path, text: &str) -> Result<Lesson, ContentError> {
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
/// A Hugo chapter `content/017_meet_kubernetes/_index.md` takes
/// `content/quizzes/017_meet_kubernetes.md`.
pub fn sibling_quiz(path: &Path) -> Result<Option<(String, String)>, ContentError> {
    let quiz_path = if path.file_name().is_some_and(|f| f == "_index.md") {
        path.parent().and_then(|chapter| {
            let name = chapter.file_name()?.to_string_lossy().into_owned();
            Some(chapter.parent()?.join("quizzes").join(format!("{name}.md")))
        })
    } else {
        path.parent()
            .and_then(Path::parent)
            .zip(path.file_name())
            .map(|(root, file)| root.join("quizzes").join(file))
    };
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

pub(super) enum Source {
    File(String),
    Dir(Vec<Entry>),
    Missing,
}

pub(super) struct Entry {
    pub(super) path: PathBuf,
    pub(super) is_dir: bool,
}

/// Reads a file's text or a directory's entries: the one function here that touches the disk.
pub(super) fn read_source(path: &Path) -> Result<Source, ContentError> {
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
