//! Load errors for lessons and quizzes, each with the file, line and column an author must fix.
//!
//! Must not import anything else from the crate: every other content module reports through it.

use std::fmt;

/// A content file that cannot be loaded, with the place to look and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContentError {
    /// The file name as the caller gave it (used only in messages).
    pub file: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column of the problem (1 when only the line is known).
    pub col: usize,
    /// What went wrong.
    pub kind: ErrorKind,
}

/// The kinds of problem a content file can have; `Display` says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum ErrorKind {
    /// `{{<` or `{{%` without its closing `>}}` / `%}}`.
    UnterminatedShortcode { opening: String },
    /// A block shortcode such as `step` or `output` whose `{{< /name >}}` never comes.
    UnclosedShortcode {
        name: String,
        /// Opened as `{{% name %}}`, so it must close as `{{% /name %}}`.
        percent: bool,
    },
    /// A `{{< /name >}}` with no matching opening.
    UnexpectedClosing { name: String },
    /// The front matter is not valid YAML or a known key has the wrong type.
    BadFrontMatter { reason: String },
    /// The front matter opens with `---` and never closes.
    UnterminatedFrontMatter,
    /// A quiz options block (`---` YAML) that does not parse or has a wrong type.
    BadQuizOptions { reason: String },
    /// A question heading with no list of answers under it.
    QuestionWithoutAnswers { title: String },
    /// A quiz with no question heading at all.
    QuizWithoutQuestions,
    /// A single-choice question (`1. [x]`) with more than one correct answer.
    SeveralCorrectInSingleChoice { title: String, correct: usize },
    /// A choice question where no answer is marked `[x]`.
    NoCorrectAnswer { title: String },
    /// Answers in a bullet list without `[ ]` / `[x]` boxes.
    AnswersWithoutBoxes { title: String },
    /// A `<!-- check ... -->` comment that does not parse.
    BadCheck { reason: String },
    /// A check comment that does not follow a step.
    MisplacedCheck { reason: String },
    /// The file or directory could not be read.
    Io { reason: String },
}

impl ContentError {
    /// Builds an error at a line and column of `file`.
    pub fn at(file: &str, line: usize, col: usize, kind: ErrorKind) -> Self {
        ContentError {
            file: file.to_string(),
            line,
            col,
            kind,
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.kind)
    }
}

impl std::error::Error for ContentError {}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::UnterminatedShortcode { opening } => {
                let close = if opening == "{{%" { "%}}" } else { ">}}" };
                write!(
                    f,
                    "unterminated shortcode: expected `{close}` to close `{opening}`"
                )
            }
            ErrorKind::UnclosedShortcode { name, percent } => {
                let (open, close) = if *percent { ("%", "%") } else { ("<", ">") };
                write!(
                    f,
                    "unclosed shortcode block `{name}`: expected `{{{{{open} /{name} {close}}}}}` before the end of the file"
                )
            }
            ErrorKind::UnexpectedClosing { name } => write!(
                f,
                "`{{{{< /{name} >}}}}` closes nothing: expected an opening `{{{{< {name} >}}}}` before it"
            ),
            ErrorKind::BadFrontMatter { reason } => {
                write!(
                    f,
                    "bad front matter: expected YAML between `---` lines ({reason})"
                )
            }
            ErrorKind::UnterminatedFrontMatter => {
                write!(f, "bad front matter: expected a closing `---` line")
            }
            ErrorKind::BadQuizOptions { reason } => {
                write!(
                    f,
                    "bad quiz options: expected YAML between `---` lines ({reason})"
                )
            }
            ErrorKind::QuestionWithoutAnswers { title } => write!(
                f,
                "question \"{title}\" has no answers: expected a list (`- [ ]`, `1. [ ]` or `1. A`)"
            ),
            ErrorKind::QuizWithoutQuestions => {
                write!(
                    f,
                    "quiz has no questions: expected a heading that starts a question"
                )
            }
            ErrorKind::SeveralCorrectInSingleChoice { title, correct } => write!(
                f,
                "single-choice question \"{title}\" marks {correct} answers `[x]`: expected exactly one \
                 (use `- [x]` items for multiple choice)"
            ),
            ErrorKind::NoCorrectAnswer { title } => write!(
                f,
                "question \"{title}\" marks no answer `[x]`: expected at least one correct answer"
            ),
            ErrorKind::AnswersWithoutBoxes { title } => write!(
                f,
                "question \"{title}\" lists answers without boxes: expected `- [ ]` / `- [x]` items, \
                 or a numbered list for a sequence"
            ),
            ErrorKind::BadCheck { reason } => write!(f, "bad check: {reason}"),
            ErrorKind::MisplacedCheck { reason } => write!(f, "misplaced check: {reason}"),
            ErrorKind::Io { reason } => write!(f, "cannot read: {reason}"),
        }
    }
}

/// Line starts of a text, to turn byte offsets into 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line and column (in bytes) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        (line + 1, offset.saturating_sub(start) + 1)
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_col(offset).0
    }
}
