//! Lessons (Hugo chapters with shortcodes) and quizzes (quizdown) as typed data; a folder of
//! chapters loads as one workshop lesson (`workshop.rs` finds and orders the chapters,
//! `chapters.rs` joins them).
//!
//! Loading runs in two passes, as zola does: shortcodes first (`shortcodes`), keeping byte spans
//! and lines, then markdown between them (`markdown`, pulldown-cmark). Errors name
//! `FILE:LINE:COL` and what was expected. Must not import the engine, the shell or the TUI:
//! content is data; the session evaluates checks against the cluster.

mod builtin;
mod chapters;
mod check;
pub mod effect;
mod equivalence;
mod error;
mod frontmatter;
mod identity;
mod lesson;
mod markdown;
mod quiz;
mod quizdown;
mod report;
mod shortcodes;
mod start;
mod words;
mod workshop;

#[cfg(test)]
mod check_tests;
#[cfg(test)]
mod quiz_tests;

pub use builtin::{LESSON, QUIZ, builtin_lessons, load_path, load_workshop, sibling_quiz};
pub use chapters::{Chapter, join as join_chapters};
pub use check::{Check, Condition, FileTest, Op, parse_condition};
pub use equivalence::equivalent;
pub use error::{ContentError, ErrorKind};
pub use frontmatter::Meta;
pub use lesson::{Lesson, Section, Step, load as load_lesson};
pub use markdown::{
    Block, Inline, NoticeKind, blocks as markdown_blocks, inlines as markdown_inlines, plain,
};
pub use quiz::{
    Answer, Credit, Presentation, PresentedQuestion, Question, QuestionKind, QuestionOptions, Quiz,
    QuizOptions, Response, Score, credit, is_right, parse as load_quiz, presentation, score,
};
pub use report::{
    CheckReport, MAX_ERRORS, QuestionReport, QuizReport, StepReport, check_all, check_file,
    errors_json, is_quiz_file,
};
pub use start::Start;
pub use workshop::{ChapterFile, MAX_CHAPTERS, chapter_files, is_landing_page, load_chapters};
