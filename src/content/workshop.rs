//! A workshop: a folder of lessons played in order as one. Either a Hugo content folder,
//! whose chapters are subfolders `NNN_slug/_index.md`, or a flat folder of `*.md` lessons
//! (today's `lessons/`). This module finds the chapter files and their order; `chapters.rs`
//! joins the loaded chapters into one lesson.
//!
//! Which pages are chapters (Hugo's own rules where they exist):
//! - a subfolder is a chapter when it holds an `_index.md`; other subfolders are skipped;
//! - chapters are ordered by front-matter `weight`, then by folder (or file) name; a page
//!   without a weight comes after those with one;
//! - `draft: true` pages are skipped, as Hugo skips them when it builds the site;
//! - a landing page (`chapter: true`, e.g. `appendix/_index.md`) without steps is skipped;
//! - in a Hugo folder the site's own `_index.md` and loose pages (`scratch.md`) are not
//!   chapters; it names the workshop (its `title`).
//!
//! Must not import the engine, the shell or the TUI; reads the disk only through
//! `builtin::read_source`.

use std::path::{Path, PathBuf};

use super::builtin::{self, Source};
use super::error::ContentError;
use super::frontmatter;
use super::lesson::Lesson;

/// Most chapters one workshop folder may hold (a folder of thousands of pages is a mistake,
/// not a workshop: loading stops with an error rather than reading them all).
pub const MAX_CHAPTERS: usize = 200;

/// One chapter file of a workshop, in order, with what its front matter says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterFile {
    pub path: PathBuf,
    /// The folder name of a Hugo chapter (`017_meet_kubernetes`), else the file stem.
    pub name: String,
    pub weight: Option<i64>,
    pub text: String,
}

/// The chapter files of the workshop folder `dir`, in play order, and the workshop's title
/// (the site `_index.md`'s, else the folder's name). `None` when `dir` is not a folder.
pub fn chapter_files(dir: &Path) -> Result<Option<(String, Vec<ChapterFile>)>, ContentError> {
    let Source::Dir(entries) = builtin::read_source(dir)? else {
        return Ok(None);
    };
    let folder_name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "workshop".to_string());
    let mut hugo: Vec<(PathBuf, String)> = Vec::new();
    for entry in entries.iter().filter(|e| e.is_dir) {
        let index = entry.path.join("_index.md");
        if let Source::File(_) = builtin::read_source(&index)? {
            hugo.push((index, name_of(&entry.path)));
        }
    }
    let mut title = folder_name;
    let candidates: Vec<(PathBuf, String)> = if hugo.is_empty() {
        entries
            .iter()
            .filter(|e| !e.is_dir && e.path.extension().is_some_and(|x| x == "md"))
            .map(|e| {
                let stem = e
                    .path
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                (e.path.clone(), stem)
            })
            .collect()
    } else {
        if let Some(site) = entries
            .iter()
            .find(|e| !e.is_dir && name_of(&e.path) == "_index.md")
            && let Source::File(text) = builtin::read_source(&site.path)?
        {
            let (meta, _) = frontmatter::split(&site.path.display().to_string(), &text)?;
            if !meta.title.trim().is_empty() {
                title = meta.title;
            }
        }
        hugo
    };
    if candidates.len() > MAX_CHAPTERS {
        return Err(ContentError::at(
            &dir.display().to_string(),
            1,
            1,
            super::error::ErrorKind::Io {
                reason: format!(
                    "{} pages: a workshop holds at most {MAX_CHAPTERS} chapters",
                    candidates.len()
                ),
            },
        ));
    }
    let mut chapters = Vec::new();
    for (path, name) in candidates {
        let Source::File(text) = builtin::read_source(&path)? else {
            continue;
        };
        let (meta, _) = frontmatter::split(&path.display().to_string(), &text)?;
        if meta.draft {
            continue;
        }
        chapters.push(ChapterFile {
            path,
            name,
            weight: meta.weight,
            text,
        });
    }
    chapters.sort_by(|a, b| {
        let key = |c: &ChapterFile| (c.weight.is_none(), c.weight);
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
    Ok(Some((title, chapters)))
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// A Hugo landing page (`chapter: true`) with no step: a table of contents, not a chapter.
pub fn is_landing_page(lesson: &Lesson) -> bool {
    lesson.meta.chapter && lesson.steps.is_empty()
}

/// Loads the workshop folder `dir`: every chapter with its quiz and name, in order, and the
/// workshop's title.
#[allow(clippy::type_complexity)]
pub fn load_chapters(dir: &Path) -> Result<Option<(String, Vec<(String, Lesson)>)>, ContentError> {
    let Some((title, files)) = chapter_files(dir)? else {
        return Ok(None);
    };
    let mut lessons = Vec::with_capacity(files.len());
    for file in &files {
        let lesson = builtin::load_with_quiz(&file.path, &file.text)?;
        if !is_landing_page(&lesson) {
            lessons.push((file.name.clone(), lesson));
        }
    }
    Ok(Some((title, lessons)))
}
