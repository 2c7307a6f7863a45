//! `kubetutor lesson run`: plays a lesson or a workshop headless on one fresh cluster, the way
//! an author proves it works. Each step's check must be false before the step and true after
//! its commands ran and the cluster settled; one line per step, then a total. A workshop's
//! chapters play in order on the same session, each under its title, and end with one line
//! per chapter (`chapter 7: 8/8 steps`) and the total.
//!
//! Must not import: the TUI, terminals, std::fs or std::process (the caller loads the lesson
//! and owns the output stream).

use std::io::{self, Write};

use super::Session;
use super::replay::{Replay, first_session, play_step};
use crate::content::Lesson;
use crate::engine::bootstrap::DEFAULT_WORKERS;

pub use super::replay::SETTLE_LIMIT;

/// One chapter's score in a played workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterScore {
    /// The number a learner calls it by (`7`).
    pub number: usize,
    pub title: String,
    pub passed: usize,
    pub total: usize,
}

/// Plays `lesson` on a cluster made from `seed`, writing `✓ N title` or `✗ N title: why` per step
/// and `K/N steps passed`; true when every step passed.
pub fn run_lesson(lesson: &Lesson, seed: u64, out: &mut dyn Write) -> io::Result<bool> {
    play_lesson(lesson, seed, out).map(|(passed, _)| passed)
}

/// Like [`run_lesson`], and also hands back the played session (for its result record).
pub fn play_lesson(lesson: &Lesson, seed: u64, out: &mut dyn Write) -> io::Result<(bool, Session)> {
    let (scores, session) = play_workshop(lesson, 0, seed, out)?;
    let passed = scores.iter().all(|c| c.passed == c.total);
    Ok((passed, session))
}

/// Plays `lesson` from chapter index `from` (the chapters before it are replayed first,
/// silently, and not scored); a workshop prints each chapter's steps under its title and the
/// per-chapter scores at the end. Returns the scores (one for a plain lesson) and the session.
pub fn play_workshop(
    lesson: &Lesson,
    from: usize,
    seed: u64,
    out: &mut dyn Write,
) -> io::Result<(Vec<ChapterScore>, Session)> {
    let mut session = first_session(lesson.clone(), seed, DEFAULT_WORKERS);
    let first_step = lesson.chapters.get(from).map_or(0, |c| c.steps.start);
    if first_step > 0 {
        writeln!(
            out,
            "(replaying {first_step} steps of the chapters before chapter {})",
            lesson.chapters.get(from).map_or(0, |c| c.number)
        )?;
        Replay::to_step(first_step).finish(&mut session);
    }
    let mut scores = Vec::new();
    if lesson.is_workshop() {
        for chapter in lesson.chapters.iter().skip(from) {
            writeln!(out, "# {}", chapter.title)?;
            let passed = play_steps(&mut session, chapter.steps.clone(), out)?;
            let total = chapter.steps.len();
            writeln!(out, "{passed}/{total} steps passed")?;
            scores.push(ChapterScore {
                number: chapter.number,
                title: chapter.title.clone(),
                passed,
                total,
            });
        }
        writeln!(out)?;
        for c in &scores {
            writeln!(out, "chapter {}: {}/{} steps", c.number, c.passed, c.total)?;
        }
        let passed: usize = scores.iter().map(|c| c.passed).sum();
        let total: usize = scores.iter().map(|c| c.total).sum();
        writeln!(out, "total: {passed}/{total} steps passed")?;
    } else {
        let total = lesson.steps.len();
        let passed = play_steps(&mut session, 0..total, out)?;
        writeln!(out, "{passed}/{total} steps passed")?;
        scores.push(ChapterScore {
            number: 1,
            title: lesson.meta.title.clone(),
            passed,
            total,
        });
    }
    Ok((scores, session))
}

/// Plays the steps `range`, one line each; the number that passed.
fn play_steps(
    session: &mut Session,
    range: std::ops::Range<usize>,
    out: &mut dyn Write,
) -> io::Result<usize> {
    let mut passed = 0;
    for index in range {
        let Some(step) = session.lesson().steps.get(index).cloned() else {
            break;
        };
        match play_step(session, index) {
            Ok(()) => {
                passed += 1;
                writeln!(out, "✓ {} {}", step.number, step.title)?;
            }
            Err(why) => writeln!(out, "✗ {} {}: {why}", step.number, step.title)?,
        }
    }
    Ok(passed)
}
