//! The binary's side of workshops (a folder of chapters played as one lesson): loading the
//! lesson a mode was given, resolving `--chapter`, `lesson check DIR` over every chapter, and
//! the replay `shell --lesson DIR --chapter N` starts with. Part of the binary: it turns
//! arguments into calls on the library and writes what they return.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kubetutor::content::{self, Lesson};
use kubetutor::session::{Replay, Session};

/// The lesson at `path` (a file, or a folder's chapters joined as one workshop), else the
/// built-in one.
pub(crate) fn load_lesson(mode: &str, path: Option<&Path>) -> Result<Lesson, String> {
    let Some(path) = path else {
        return content::builtin_lessons()
            .map_err(|e| e.to_string())?
            .pop()
            .ok_or_else(|| format!("{mode}: no built-in lesson"));
    };
    match content::load_workshop(path) {
        Ok(Some(lesson)) => Ok(lesson),
        Ok(None) => Err(format!("{mode}: no lesson found in {}", path.display())),
        Err(e) => Err(e.to_string()),
    }
}

/// The index of the chapter `--chapter` names; `None` without the flag.
pub(crate) fn chapter_index(
    mode: &str,
    lesson: &Lesson,
    wanted: Option<&str>,
) -> Result<Option<usize>, String> {
    let Some(wanted) = wanted else {
        return Ok(None);
    };
    if !lesson.is_workshop() {
        return Err(format!(
            "{mode}: --chapter needs a workshop (a folder of chapters); \"{}\" is one lesson",
            lesson.meta.title
        ));
    }
    lesson.find_chapter(wanted).map(Some).ok_or_else(|| {
        let names: Vec<String> = lesson
            .chapters
            .iter()
            .map(|c| format!("  {:>3}  {}  ({})", c.number, c.title, c.name))
            .collect();
        format!(
            "{mode}: no chapter \"{wanted}\" in {}; give a number or a name:\n{}",
            lesson.meta.title,
            names.join("\n")
        )
    })
}

/// Moves `session` to the start of chapter `chapter`: starts the workshop over and replays
/// the chapters before it (the tutor does this itself, behind a progress bar).
pub(crate) fn replay_to_chapter(session: &mut Session, chapter: usize) {
    let Some(target) = session
        .lesson()
        .chapters
        .get(chapter)
        .map(|c| c.steps.start)
    else {
        return;
    };
    session.reset_lesson();
    Replay::to_step(target).finish(session);
}

/// `kubetutor lesson check DIR`: checks every chapter of a workshop folder; exit 1 if any
/// has an error. `None` when `path` is not a folder (the caller checks the one file).
pub(crate) fn check_dir(path: &Path, json: bool) -> Option<ExitCode> {
    let lessons = path.join("lessons");
    let dir: PathBuf = if lessons.is_dir() {
        lessons
    } else {
        path.to_path_buf()
    };
    let (title, files) = match content::chapter_files(&dir) {
        Ok(Some(found)) => found,
        Ok(None) => return None,
        Err(e) => {
            eprintln!("{e}");
            return Some(ExitCode::FAILURE);
        }
    };
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for file in &files {
        let name = file.path.display().to_string();
        // A landing page (`appendix/_index.md`) is not played: not checked as a chapter.
        if content::load_lesson(&name, &file.text).is_ok_and(|l| content::is_landing_page(&l)) {
            continue;
        }
        let quiz = match content::sibling_quiz(&file.path) {
            Ok(q) => q,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match content::check_all(&name, &file.text, quiz) {
            Ok(report) => reports.push((name, report)),
            Err(e) => errors.extend(e),
        }
        if errors.len() >= content::MAX_ERRORS {
            errors.truncate(content::MAX_ERRORS);
            break;
        }
    }
    if !errors.is_empty() {
        if json {
            println!("{}", content::errors_json(&errors));
        } else {
            for e in &errors {
                eprintln!("{e}");
            }
            let n = errors.len();
            eprintln!("{n} error{}", if n == 1 { "" } else { "s" });
        }
        return Some(ExitCode::FAILURE);
    }
    if json {
        let chapters: Vec<serde_json::Value> = reports
            .iter()
            .map(|(file, r)| serde_json::json!({"file": file, "report": r}))
            .collect();
        println!(
            "{}",
            serde_json::json!({"workshop": title, "chapters": chapters})
        );
    } else {
        let steps: usize = reports.iter().map(|(_, r)| r.steps.len()).sum();
        println!(
            "workshop {title}: {} chapter(s), {steps} steps\n",
            reports.len()
        );
        for (file, report) in &reports {
            println!("== {file}");
            print!("{}", report.to_text());
            println!();
        }
    }
    Some(ExitCode::SUCCESS)
}
