//! Reports for lesson authors (`kubetutor lesson check PATH [--json]`): the structure of a
//! lesson or quiz file (with the quiz the tutor attaches to it) as JSON or as a short human
//! summary, or every error of the file in one run.
//!
//! Must not import the engine, the shell or the TUI.

use super::error::{ContentError, ErrorKind};
use super::lesson::{self, Lesson};
use super::quiz::{self, Quiz};
use serde::Serialize;

/// The structure of one content file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub title: String,
    pub steps: Vec<StepReport>,
    pub quiz: Option<QuizReport>,
    /// Where the quiz comes from: the file the tutor attaches, or null for an inline one.
    pub quiz_file: Option<String>,
    pub warnings: Vec<String>,
}

/// One step as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepReport {
    pub number: usize,
    pub title: String,
    pub commands: Vec<String>,
    /// The check printed back in its own syntax (`A ; B`), or null.
    pub check: Option<String>,
}

/// A quiz as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuizReport {
    pub questions: Vec<QuestionReport>,
}

/// One question as reported: answers in source order, `correct` indexes into them (for a
/// sequence, the source order itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionReport {
    pub title: String,
    pub kind: &'static str,
    pub answers: Vec<String>,
    pub correct: Vec<usize>,
}

/// Loads `text` as a lesson or, when it is a standalone quiz, as a quiz, and reports it.
pub fn check_file(path_for_messages: &str, text: &str) -> Result<CheckReport, ContentError> {
    if is_quiz_file(path_for_messages, text) {
        let quiz = quiz::parse(path_for_messages, text, 1)?;
        Ok(CheckReport::from_quiz(&file_stem(path_for_messages), &quiz))
    } else {
        Ok(CheckReport::from_lesson(&lesson::load(
            path_for_messages,
            text,
        )?))
    }
}

/// A standalone quiz has no steps and no quizdown shortcode, and either lives in a `quizzes`
/// directory or has answer boxes (`- [ ]`, `1. [x]` ...).
pub fn is_quiz_file(path: &str, text: &str) -> bool {
    let has_shortcode = |name: &str| {
        ["{{<", "{{%"].iter().any(|open| {
            text.match_indices(open).any(|(i, _)| {
                text.get(i + 3..)
                    .is_some_and(|rest| rest.trim_start().starts_with(name))
            })
        })
    };
    if has_shortcode("step") || has_shortcode("quizdown") {
        return false;
    }
    let in_quizzes = path
        .replace('\\', "/")
        .split('/')
        .any(|part| part == "quizzes");
    in_quizzes || text.lines().any(is_answer_line)
}

fn is_answer_line(line: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix(['-', '*', '+']).or_else(|| {
        let digits = t.trim_start_matches(|c: char| c.is_ascii_digit());
        (digits.len() < t.len())
            .then_some(digits)?
            .strip_prefix(['.', ')'])
    });
    t.is_some_and(|rest| {
        ["[ ]", "[x]", "[X]"]
            .iter()
            .any(|b| rest.trim_start().starts_with(b))
    })
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

impl CheckReport {
    /// Reports a loaded lesson (with its quiz, if it has one).
    pub fn from_lesson(lesson: &Lesson) -> Self {
        CheckReport {
            title: lesson.meta.title.clone(),
            steps: lesson
                .steps
                .iter()
                .map(|s| StepReport {
                    number: s.number,
                    title: s.title.clone(),
                    commands: s.commands(),
                    check: s.check.as_ref().map(|c| c.to_string()),
                })
                .collect(),
            quiz: lesson.quiz.as_ref().map(QuizReport::from_quiz),
            quiz_file: None,
            warnings: lesson.warnings.clone(),
        }
    }

    /// Reports a standalone quiz.
    pub fn from_quiz(title: &str, quiz: &Quiz) -> Self {
        CheckReport {
            title: title.to_string(),
            steps: Vec::new(),
            quiz: Some(QuizReport::from_quiz(quiz)),
            quiz_file: None,
            warnings: Vec::new(),
        }
    }

    /// The report as one JSON object (see the README for its shape).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// A human summary: title, steps and whether each has a check, quiz kinds, warnings.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        let checked = self.steps.iter().filter(|s| s.check.is_some()).count();
        out.push_str(&format!(
            "{} ({checked} with a check)\n",
            plural(self.steps.len(), "step")
        ));
        for step in &self.steps {
            let mark = if step.check.is_some() {
                "check"
            } else {
                "no check"
            };
            out.push_str(&format!("  {:>2}. {} [{mark}]\n", step.number, step.title));
        }
        match &self.quiz {
            Some(quiz) => {
                let count = |kind: &str| quiz.questions.iter().filter(|q| q.kind == kind).count();
                let from = match &self.quiz_file {
                    Some(f) => format!(" from {f}"),
                    None => String::new(),
                };
                out.push_str(&format!(
                    "quiz{from}: {} ({} single, {} multiple, {} sequence)\n",
                    plural(quiz.questions.len(), "question"),
                    count("single"),
                    count("multiple"),
                    count("sequence")
                ));
            }
            None => out.push_str("quiz: none\n"),
        }
        if self.warnings.is_empty() {
            out.push_str("no warnings\n");
        } else {
            out.push_str(&format!("{}:\n", plural(self.warnings.len(), "warning")));
            for warning in &self.warnings {
                out.push_str(&format!("  warning: {warning}\n"));
            }
        }
        out
    }
}

impl QuizReport {
    fn from_quiz(quiz: &Quiz) -> Self {
        QuizReport {
            questions: quiz
                .questions
                .iter()
                .map(|q| QuestionReport {
                    title: q.title.clone(),
                    kind: q.kind.name(),
                    answers: q.answers.iter().map(|a| a.text.clone()).collect(),
                    correct: match q.kind {
                        quiz::QuestionKind::Sequence => (0..q.answers.len()).collect(),
                        _ => (0..q.answers.len())
                            .filter(|i| q.answers.get(*i).is_some_and(|a| a.correct))
                            .collect(),
                    },
                })
                .collect(),
        }
    }
}

/// `1 question`, `2 questions`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Most errors one check lists; past it the author fixes some and checks again.
pub const MAX_ERRORS: usize = 50;

/// Every error `parse` finds in `text`, in one run: after each error its line is blanked
/// (line numbers stay) and the text is parsed again, the errors in line order at the end, as a compiler recovers to report more
/// than the first mistake. Stops at [`MAX_ERRORS`], or when an error's line is already blank
/// (nothing left to skip). `Ok` only when there was no error at all.
fn every_error<T>(
    text: &str,
    mut parse: impl FnMut(&str) -> Result<T, ContentError>,
) -> Result<T, Vec<ContentError>> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut errors: Vec<ContentError> = Vec::new();
    loop {
        let current = lines.join("\n");
        let error = match parse(&current) {
            Ok(v) if errors.is_empty() => return Ok(v),
            Ok(_) => break,
            Err(e) => e,
        };
        let at = error.line.saturating_sub(1);
        let blankable = !matches!(error.kind, ErrorKind::Io { .. })
            && lines.get(at).is_some_and(|l| !l.trim().is_empty());
        if !errors.contains(&error) {
            errors.push(error);
        }
        if !blankable || errors.len() >= MAX_ERRORS {
            break;
        }
        if let Some(line) = lines.get_mut(at) {
            line.clear();
        }
    }
    // In the file's order, as an author fixes them.
    errors.sort_by_key(|e| (e.line, e.col));
    Err(errors)
}

/// Checks a lesson or quiz file as the tutor would load it: a lesson gets `quiz` (the file
/// the tutor attaches, see `sibling_quiz`) unless it has an inline one. Every error of the
/// lesson and of its quiz file is listed, not only the first.
pub fn check_all(
    path_for_messages: &str,
    text: &str,
    quiz: Option<(String, String)>,
) -> Result<CheckReport, Vec<ContentError>> {
    if is_quiz_file(path_for_messages, text) {
        let parsed = every_error(text, |t| quiz::parse(path_for_messages, t, 1))?;
        return Ok(CheckReport::from_quiz(
            &file_stem(path_for_messages),
            &parsed,
        ));
    }
    let lesson = every_error(text, |t| lesson::load(path_for_messages, t));
    let attached = quiz.map(|(name, qtext)| {
        let parsed = every_error(&qtext, |t| quiz::parse(&name, t, 1));
        (name, parsed)
    });
    match (lesson, attached) {
        (Ok(mut lesson), Some((name, Ok(q)))) => {
            let inline = lesson.quiz.is_some();
            super::builtin::attach_quiz(&mut lesson, q, &name);
            let mut report = CheckReport::from_lesson(&lesson);
            if !inline {
                report.quiz_file = Some(name);
            }
            Ok(report)
        }
        (Ok(lesson), None) => Ok(CheckReport::from_lesson(&lesson)),
        (Ok(_), Some((_, Err(q)))) => Err(q),
        (Err(mut l), attached) => {
            if let Some((_, Err(q))) = attached {
                l.extend(q);
            }
            Err(l)
        }
    }
}

/// Errors as one JSON object: `{"errors": [{"file", "line", "col", "message"}]}`.
pub fn errors_json(errors: &[ContentError]) -> String {
    let list: Vec<serde_json::Value> = errors
        .iter()
        .map(|e| {
            serde_json::json!({
                "file": e.file,
                "line": e.line,
                "col": e.col,
                "message": e.kind.to_string(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "errors": list }))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
