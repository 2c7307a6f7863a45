//! Hugo front matter (YAML between `---` lines at the top of a lesson): title, id, weight,
//! chapter and draft; other keys are ignored.
//!
//! Must not import anything in the crate but `content::error` and `content::start`.

use super::error::{ContentError, ErrorKind};

/// What a lesson's front matter says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Meta {
    pub title: String,
    /// `id`: the lesson's stable identity in class results, chosen by its author (else one
    /// is derived from the lesson's content, see `Lesson::identity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Orders lessons in a directory (Hugo's `weight`).
    pub weight: Option<i64>,
    /// A Hugo chapter landing page rather than a lesson.
    pub chapter: bool,
    pub draft: bool,
    /// `start:`: what the lesson starts from when played first.
    #[serde(skip)]
    pub start: super::start::Start,
    /// Whether the front matter said `start:` (else the start may be inferred, see
    /// `lesson::inferred_start`).
    #[serde(skip)]
    pub start_given: bool,
}

/// Splits the front matter off `text`: the meta and the byte offset where the body starts.
/// A file without front matter has an empty title and starts at 0.
pub fn split(file: &str, text: &str) -> Result<(Meta, usize), ContentError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text.get(..first_end).map(str::trim_end) != Some("---") {
        return Ok((Meta::default(), 0));
    }
    let mut offset = first_end;
    let mut yaml_end = None;
    for line in text.get(first_end..).unwrap_or("").split_inclusive('\n') {
        if line.trim_end() == "---" {
            yaml_end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = yaml_end else {
        return Err(ContentError::at(
            file,
            1,
            1,
            ErrorKind::UnterminatedFrontMatter,
        ));
    };
    let yaml = text.get(first_end..yaml_end).unwrap_or("");
    let bad = |line: usize, col: usize, reason: String| {
        ContentError::at(file, line, col, ErrorKind::BadFrontMatter { reason })
    };
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        // The YAML starts on file line 2.
        bad(line + 1, col, shift_lines(&e.to_string()))
    })?;
    let map = match value {
        serde_yaml::Value::Mapping(map) => map,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        _ => return Err(bad(2, 1, "expected `key: value` lines".to_string())),
    };
    let line_of_key = |key: &str| {
        yaml.lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map_or(2, |i| i + 2)
    };
    let mut meta = Meta::default();
    for (key, value) in &map {
        let Some(key) = key.as_str() else { continue };
        let wrong = |what: &str| bad(line_of_key(key), 1, format!("`{key}` must be {what}"));
        match key {
            "title" => {
                meta.title = match value {
                    serde_yaml::Value::String(s) => s.clone(),
                    serde_yaml::Value::Number(n) => n.to_string(),
                    _ => return Err(wrong("text")),
                }
            }
            "id" => {
                meta.id = match value {
                    serde_yaml::Value::String(s) if !s.trim().is_empty() => Some(s.trim().into()),
                    serde_yaml::Value::Number(n) => Some(n.to_string()),
                    _ => return Err(wrong("text")),
                }
            }
            "weight" => meta.weight = Some(value.as_i64().ok_or_else(|| wrong("a whole number"))?),
            "chapter" => meta.chapter = value.as_bool().ok_or_else(|| wrong("true or false"))?,
            "draft" => meta.draft = value.as_bool().ok_or_else(|| wrong("true or false"))?,
            "start" => {
                meta.start_given = true;
                meta.start = value
                    .as_str()
                    .and_then(super::start::Start::parse)
                    .ok_or_else(|| wrong("one of none, kind, tutor"))?
            }
            _ => {}
        }
    }
    Ok((meta, body_start))
}

/// Renumbers the YAML-relative "line N" in a serde_yaml message to file lines.
fn shift_lines(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (head, tail) = rest.split_at(i + 5);
        out.push_str(head);
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, after) = tail.split_at(digits);
        match number.parse::<usize>() {
            Ok(n) => out.push_str(&(n + 1).to_string()),
            Err(_) => out.push_str(number),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_keys_and_ignores_others() {
        let text = "---\ntitle: \"12. DaemonSets\"\nweight: 27\nchapter: false\npre: x\n---\nbody";
        let (meta, start) = split("f.md", text).unwrap();
        assert_eq!(meta.title, "12. DaemonSets");
        assert_eq!(meta.weight, Some(27));
        assert_eq!(text.get(start..), Some("body"));
    }

    #[test]
    fn bad_yaml_names_the_file_line() {
        let err = split("f.md", "---\ntitle: ok\nweight: [1\n---\n").unwrap_err();
        assert_eq!((err.line, err.col), (4, 1), "{err}");
        assert!(err.to_string().contains("at line 3 column 9"), "{err}");
        assert!(err.to_string().starts_with("f.md:"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_key_line() {
        let err = split("f.md", "---\ntitle: ok\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().contains("`weight` must be a whole number"));
    }

    #[test]
    fn start_names_what_the_lesson_starts_from() {
        use crate::content::Start;
        let (meta, _) = split("f.md", "---\ntitle: x\n---\n").unwrap();
        assert_eq!(meta.start, Start::Tutor);
        let (meta, _) = split("f.md", "---\ntitle: x\nstart: none\n---\n").unwrap();
        assert_eq!(meta.start, Start::None);
        let (meta, _) = split("f.md", "---\nstart: kind\n---\n").unwrap();
        assert_eq!(meta.start, Start::Kind);
        let err = split("f.md", "---\ntitle: x\nweight: 2\nstart: chapter9\n---\n").unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("f.md", 4), "{err}");
        assert!(
            err.to_string()
                .contains("`start` must be one of none, kind, tutor"),
            "{err}"
        );
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let err = split("f.md", "---\ntitle: x\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnterminatedFrontMatter);
    }
}
