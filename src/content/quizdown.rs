//! Quizdown text (a `{{< quizdown >}}` body or a file in `quizzes/`) parsed into a [`Quiz`]:
//! headings start questions, `---` lines open YAML option blocks, the first list holds the
//! answers, top-level blockquotes are hints and blockquotes inside items are answer comments.
//!
//! Must not import lessons or shortcodes; it uses only markdown events and the quiz types.

use super::error::{ContentError, ErrorKind};
use super::markdown::events;
use super::quiz::{Answer, Question, QuestionKind, QuestionOptions, Quiz, QuizOptions};
use pulldown_cmark::{Event, Tag};
use std::ops::Range;

/// Parses quizdown `text` whose first line is line `first_line` of `file`.
pub fn parse(file: &str, text: &str, first_line: usize) -> Result<Quiz, ContentError> {
    let line_of =
        |offset: usize| first_line + text.get(..offset).unwrap_or("").matches('\n').count();
    let err = |offset: usize, kind: ErrorKind| ContentError::at(file, line_of(offset), 1, kind);
    let lines = line_spans(text);
    // Option blocks are cut out (blanked to keep offsets) before markdown sees the `---` lines.
    let mut blanked = text.to_string();
    let mut blocks: Vec<(usize, String)> = Vec::new();
    let mut headings: Vec<usize> = Vec::new();
    let mut fence: Option<String> = None;
    let mut i = 0;
    while let Some(&(start, ref line)) = lines.get(i) {
        i += 1;
        let trimmed = line.trim();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed.chars().take(3).collect());
        } else if trimmed == "---" {
            let close = lines
                .get(i..)
                .unwrap_or(&[])
                .iter()
                .position(|(_, l)| l.trim() == "---");
            let Some(close) = close else {
                let reason = "expected a closing `---` line".to_string();
                return Err(err(start, ErrorKind::BadQuizOptions { reason }));
            };
            let yaml_lines = lines.get(i..i + close).unwrap_or(&[]);
            let yaml: String = yaml_lines.iter().map(|(_, l)| format!("{l}\n")).collect();
            let end = lines
                .get(i + close)
                .map_or(text.len(), |(s, l)| s + l.len());
            blank(&mut blanked, start..end);
            blocks.push((start, yaml));
            i += close + 1;
        } else if is_atx_heading(line) {
            headings.push(start);
        }
    }
    let mut quiz = Quiz {
        options: QuizOptions::default(),
        questions: Vec::new(),
    };
    let first_heading = headings.first().copied().unwrap_or(text.len());
    for (at, yaml) in &blocks {
        if *at < first_heading {
            apply_quiz_options(&mut quiz.options, yaml)
                .map_err(|reason| err(*at, ErrorKind::BadQuizOptions { reason }))?;
        }
    }
    for (n, &start) in headings.iter().enumerate() {
        let end = headings.get(n + 1).copied().unwrap_or(text.len());
        let mut options = QuestionOptions::default();
        for (at, yaml) in blocks.iter().filter(|(at, _)| (start..end).contains(at)) {
            options.shuffle_answers = question_options(yaml)
                .map_err(|reason| err(*at, ErrorKind::BadQuizOptions { reason }))?
                .or(options.shuffle_answers);
        }
        let chunk = blanked.get(start..end).unwrap_or("");
        let question = question(chunk, options, line_of(start))
            .map_err(|(offset, kind)| err(start + offset, kind))?;
        quiz.questions.push(question);
    }
    if quiz.questions.is_empty() {
        return Err(ContentError::at(
            file,
            first_line,
            1,
            ErrorKind::QuizWithoutQuestions,
        ));
    }
    Ok(quiz)
}

fn line_spans(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, line.trim_end_matches(['\n', '\r']).to_string()));
        start += line.len();
    }
    out
}

fn blank(text: &mut String, range: Range<usize>) {
    let Some(part) = text.get(range.clone()) else {
        return;
    };
    let spaces: String = part
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    text.replace_range(range, &spaces);
}

fn is_atx_heading(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line.trim_start_matches(' ');
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    indent <= 3
        && (1..=6).contains(&hashes)
        && rest
            .get(hashes..)
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// Reads a YAML option block as (normalised key, value) pairs.
fn option_pairs(yaml: &str) -> Result<Vec<(String, serde_yaml::Value)>, String> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    match value {
        serde_yaml::Value::Null => Ok(Vec::new()),
        serde_yaml::Value::Mapping(map) => Ok(map
            .into_iter()
            .filter_map(|(k, v)| Some((normal_key(k.as_str()?), v)))
            .collect()),
        _ => Err("expected `key: value` lines".to_string()),
    }
}

/// `shuffle_answers`, `shuffleAnswers` and `ShuffleAnswers` all become `shuffleanswers`.
fn normal_key(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn as_bool(key: &str, v: &serde_yaml::Value) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("`{key}` must be true or false"))
}

fn as_text(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

fn apply_quiz_options(options: &mut QuizOptions, yaml: &str) -> Result<(), String> {
    for (key, v) in option_pairs(yaml)? {
        match key.as_str() {
            "shuffleanswers" => options.shuffle_answers = as_bool(&key, &v)?,
            "shufflequestions" => options.shuffle_questions = as_bool(&key, &v)?,
            "enableretry" => options.enable_retry = as_bool(&key, &v)?,
            "nquestions" => {
                let n = v.as_u64().ok_or("`nQuestions` must be a whole number")?;
                options.n_questions = Some(usize::try_from(n).map_err(|e| e.to_string())?);
            }
            "passinggrade" => {
                let grade = v
                    .as_f64()
                    .ok_or("`passingGrade` must be a number (percent)")?;
                options.passing_grade = Some(grade);
            }
            "custompassmsg" => options.custom_pass_msg = Some(as_text(&v)),
            "customfailmsg" => options.custom_fail_msg = Some(as_text(&v)),
            "locale" => options.locale = Some(as_text(&v)),
            k if k.ends_with("color") => options.colors.push((key.clone(), as_text(&v))),
            _ => {}
        }
    }
    Ok(())
}

fn question_options(yaml: &str) -> Result<Option<bool>, String> {
    let mut shuffle = None;
    for (key, v) in option_pairs(yaml)? {
        if key == "shuffleanswers" {
            shuffle = Some(as_bool(&key, &v)?);
        }
    }
    Ok(shuffle)
}

struct Item {
    range: Range<usize>,
    checked: Option<bool>,
    comment: Option<Range<usize>>,
}

/// Parses one question chunk (heading first); errors carry a byte offset into the chunk.
fn question(
    chunk: &str,
    options: QuestionOptions,
    line: usize,
) -> Result<Question, (usize, ErrorKind)> {
    let heading_end = chunk.find('\n').unwrap_or(chunk.len());
    let title = heading_text(chunk.get(..heading_end).unwrap_or(""));
    let mut body: Vec<String> = Vec::new();
    let mut hints: Vec<String> = Vec::new();
    let mut list: Option<(bool, Vec<Item>)> = None;
    let evs = events(chunk);
    let mut depth = 0usize;
    let mut k = 0;
    while let Some((event, range)) = evs.get(k) {
        k += 1;
        match event {
            Event::Start(Tag::Heading { .. }) if depth == 0 && range.start == 0 => depth += 1,
            Event::Start(Tag::List(start)) if depth == 0 && list.is_none() => {
                let (items, next) = list_items(&evs, k);
                list = Some((start.is_some(), items));
                k = next;
            }
            Event::Start(Tag::BlockQuote(_)) if depth == 0 => {
                hints.push(unquote_block(chunk.get(range.clone()).unwrap_or("")));
                depth += 1;
            }
            Event::Start(_) => {
                if depth == 0 {
                    body.push(
                        chunk
                            .get(range.clone())
                            .unwrap_or("")
                            .trim_end()
                            .to_string(),
                    );
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule | Event::Html(_) if depth == 0 => {}
            _ => {}
        }
    }
    let Some((ordered, items)) = list else {
        return Err((0, ErrorKind::QuestionWithoutAnswers { title }));
    };
    let boxed = items.first().is_some_and(|i| i.checked.is_some());
    let kind = match (ordered, boxed) {
        (true, true) => QuestionKind::Single,
        (false, true) => QuestionKind::Multiple,
        (true, false) => QuestionKind::Sequence,
        (false, false) => return Err((0, ErrorKind::AnswersWithoutBoxes { title })),
    };
    let answers: Vec<Answer> = items
        .iter()
        .map(|item| Answer {
            text: answer_text(chunk, item),
            correct: kind != QuestionKind::Sequence && item.checked == Some(true),
            comment: item
                .comment
                .clone()
                .map(|r| unquote_block(chunk.get(r).unwrap_or(""))),
        })
        .collect();
    let correct = answers.iter().filter(|a| a.correct).count();
    if kind == QuestionKind::Single && correct > 1 {
        return Err((
            0,
            ErrorKind::SeveralCorrectInSingleChoice { title, correct },
        ));
    }
    if kind != QuestionKind::Sequence && correct == 0 {
        return Err((0, ErrorKind::NoCorrectAnswer { title }));
    }
    Ok(Question {
        title,
        body: body.join("\n\n"),
        hint: if hints.is_empty() {
            None
        } else {
            Some(hints.join("\n\n"))
        },
        kind,
        answers,
        options,
        line,
    })
}

/// Reads the items of a list whose `Start` is just before `evs[k]`; returns them and the index
/// after the list's `End`.
fn list_items(evs: &[(Event<'_>, Range<usize>)], mut k: usize) -> (Vec<Item>, usize) {
    let mut items = Vec::new();
    let mut depth = 0usize;
    while let Some((event, range)) = evs.get(k) {
        k += 1;
        match event {
            Event::Start(Tag::Item) if depth == 0 => {
                let checked = match evs.get(k) {
                    Some((Event::TaskListMarker(done), _)) => Some(*done),
                    _ => None,
                };
                items.push(Item {
                    range: range.clone(),
                    checked,
                    comment: None,
                });
                depth += 1;
            }
            Event::Start(Tag::BlockQuote(_)) => {
                if let Some(item) = items.last_mut() {
                    item.comment.get_or_insert(range.clone());
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    (items, k)
}

fn heading_text(line: &str) -> String {
    let text = line.trim().trim_start_matches('#').trim();
    match text.trim_end_matches('#') {
        head if head.is_empty() || head.ends_with(' ') => head.trim().to_string(),
        _ => text.to_string(),
    }
}

/// An item's markdown without its list marker, box and comment.
fn answer_text(chunk: &str, item: &Item) -> String {
    let mut src = chunk.get(item.range.clone()).unwrap_or("").to_string();
    if let Some(c) = &item.comment {
        let (a, b) = (
            c.start.saturating_sub(item.range.start),
            c.end.saturating_sub(item.range.start),
        );
        if a <= b && b <= src.len() && src.is_char_boundary(a) && src.is_char_boundary(b) {
            src.replace_range(a..b, "");
        }
    }
    let rest = src.trim_start();
    let rest = rest
        .strip_prefix(['-', '*', '+'])
        .unwrap_or_else(|| {
            rest.trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches(['.', ')'])
        })
        .trim_start();
    let rest = ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| rest.strip_prefix(b))
        .unwrap_or(rest);
    let lines: Vec<&str> = rest.lines().map(str::trim).collect();
    lines.join("\n").trim().to_string()
}

/// A blockquote's source without its `>` markers.
fn unquote_block(src: &str) -> String {
    let lines: Vec<&str> = src
        .lines()
        .map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix('>').unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l)
        })
        .collect();
    lines.join("\n").trim().to_string()
}
