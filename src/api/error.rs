//! What the API vocabulary refuses, typed. Each error displays as the text kubectl prints for
//! it (with its `error: ` prefix and final newline), so a client prints `to_string()` as is.

use std::fmt;

/// A resource word, selector or template the API vocabulary cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// A type word no served resource answers to (`kubectl get foo`).
    UnknownResource(String),
    /// `TYPE NAME` mixed with `TYPE/NAME`.
    TypeAndSlashForm,
    /// `TYPE/` without a name, or several types with names.
    SingleResourceAndName,
    /// A `-l` requirement kubectl's label selector parser rejects; the text after
    /// `unable to parse requirement: `.
    Requirement(String),
    /// A `--field-selector` term without an operator.
    FieldSelector { selector: String, term: String },
    /// A jsonpath template that does not parse: the parser's words.
    Template(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownResource(word) => writeln!(
                f,
                "error: the server doesn't have a resource type \"{word}\""
            ),
            Error::TypeAndSlashForm => writeln!(
                f,
                "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"
            ),
            Error::SingleResourceAndName => writeln!(
                f,
                "error: arguments in resource/name form must have a single resource and name"
            ),
            Error::Requirement(why) => writeln!(f, "error: unable to parse requirement: {why}"),
            Error::FieldSelector { selector, term } => writeln!(
                f,
                "error: invalid selector: '{selector}'; can't understand '{term}'"
            ),
            Error::Template(why) => writeln!(f, "error: {why}"),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The message alone, without kubectl's `error: ` prefix and newline (for hints and
    /// lesson-check reports).
    pub fn detail(&self) -> String {
        let text = self.to_string();
        text.trim_end()
            .strip_prefix("error: ")
            .unwrap_or(text.trim_end())
            .to_string()
    }
}

/// kubectl's commands keep their messages as text; `?` turns an API error into that text.
impl From<Error> for String {
    fn from(e: Error) -> String {
        e.to_string()
    }
}
