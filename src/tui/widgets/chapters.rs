//! A workshop in the lesson pane: the chapter list that stands in for the table of contents
//! (one row per chapter with its mark and `done/total` steps, so six chapters of a dozen
//! sections each still fit at 80x24), the banner that marks where a chapter begins, and the
//! short progress words for the pane's title and the status bar.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::text::{Line, Span};

use crate::content::{Chapter, Lesson};
use crate::tui::theme::Theme;
use crate::tui::view::StepMark;

/// Steps done and steps in all, per chapter.
pub fn progress(lesson: &Lesson, marks: &[StepMark]) -> Vec<(usize, usize)> {
    lesson
        .chapters
        .iter()
        .map(|c| {
            let done = marks
                .get(c.steps.clone())
                .map_or(0, |m| m.iter().filter(|m| **m == StepMark::Done).count());
            (done, c.steps.len())
        })
        .collect()
}

/// The chapter holding the current step (the last one once every step is behind).
pub fn current(lesson: &Lesson, marks: &[StepMark]) -> usize {
    let step = marks
        .iter()
        .position(|m| *m == StepMark::Current)
        .unwrap_or(marks.len());
    lesson.chapter_of_step(step)
}

/// `[x]` every step done, `[>]` holds the current step, else blank.
fn mark(done: usize, total: usize, is_current: bool) -> &'static str {
    if is_current {
        StepMark::Current.symbol()
    } else if total > 0 && done == total {
        StepMark::Done.symbol()
    } else {
        "   "
    }
}

/// The chapter list: `  [>] 8. Orchestrate Containers ·········· 3/15`, one row each,
/// the title cut with `…` to keep the counts in a column.
pub fn contents(
    lesson: &Lesson,
    marks: &[StepMark],
    width: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let here = current(lesson, marks);
    let counts = progress(lesson, marks);
    let mut lines = vec![Line::styled(
        format!("Chapters ({})", lesson.chapters.len()),
        t.title,
    )];
    for (i, (chapter, (done, total))) in lesson.chapters.iter().zip(counts).enumerate() {
        let count = format!(" {done}/{total}");
        let head = format!("  {} ", mark(done, total, i == here));
        let room = width.saturating_sub(head.chars().count() + count.chars().count());
        let title = super::lesson_text::clip(&chapter.title, room);
        let pad = room.saturating_sub(title.chars().count());
        let style = if i == here { t.step_current } else { t.text };
        lines.push(Line::from(vec![
            Span::styled(head, t.dim),
            Span::styled(title, style),
            Span::styled(format!("{}{count}", " ".repeat(pad)), t.dim),
        ]));
    }
    lines
}

/// The rule that opens a chapter: `══ Chapter 2 of 6 ══` then its title.
pub fn banner(
    chapter: &Chapter,
    index: usize,
    count: usize,
    width: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let label = format!(" Chapter {} of {count} ", index + 1);
    let side = width.saturating_sub(label.chars().count()) / 2;
    let rule = format!(
        "{}{label}{}",
        "═".repeat(side.min(4)),
        "═".repeat(width.saturating_sub(label.chars().count() + side.min(4)))
    );
    vec![
        Line::styled(super::lesson_text::clip(&rule, width), t.heading),
        Line::styled(super::lesson_text::clip(&chapter.title, width), t.heading),
    ]
}

/// The pane title's words: `Chapter 2/6 · 3/15 done`.
pub fn title(lesson: &Lesson, marks: &[StepMark]) -> String {
    let here = current(lesson, marks);
    let (done, total) = progress(lesson, marks).get(here).copied().unwrap_or((0, 0));
    format!(
        "Chapter {}/{} · {done}/{total} done",
        here + 1,
        lesson.chapters.len()
    )
}

/// The status bar's words: `ch 8 step 3/15`.
pub fn status(lesson: &Lesson, step: usize) -> String {
    let index = lesson.chapter_of_step(step);
    match lesson.chapters.get(index) {
        Some(c) => format!(
            "ch {} step {}/{}",
            c.number,
            step.saturating_sub(c.steps.start) + 1,
            c.steps.len()
        ),
        None => format!("step {}", step + 1),
    }
}
