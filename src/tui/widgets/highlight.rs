//! A small highlighter for the lesson's code blocks: bash command lines (commands, flags,
//! quoted strings, comments) and YAML (keys, values, comments), including the YAML inside a
//! bash heredoc. Styling only: the text is never changed.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::style::Style;

use crate::tui::theme::Theme;

/// A code block as rows of styled runs.
pub fn code(text: &str, lang: Option<&str>, t: &Theme) -> Vec<Vec<(String, Style)>> {
    let mut rows = Vec::new();
    let mut heredoc_end: Option<String> = None;
    let yaml_block = matches!(lang, Some("yaml" | "yml"));
    for line in text.lines() {
        if let Some(end) = &heredoc_end {
            if line.trim() == end {
                rows.push(vec![(line.to_string(), t.keyword)]);
                heredoc_end = None;
            } else {
                rows.push(yaml(line, t));
            }
            continue;
        }
        if yaml_block && !looks_like_command(line) {
            rows.push(yaml(line, t));
            continue;
        }
        heredoc_end = heredoc_delimiter(line);
        rows.push(bash(line, t));
    }
    rows
}

fn looks_like_command(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    matches!(
        first,
        "kubectl" | "cat" | "echo" | "tee" | "ls" | "cd" | "grep"
    )
}

/// The word after `<<` (quotes and `-` removed), if the line opens a heredoc.
fn heredoc_delimiter(line: &str) -> Option<String> {
    let after = line.split("<<").nth(1)?;
    let word: String = after
        .trim_start_matches('-')
        .trim_start()
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '|' && *c != ';')
        .filter(|c| *c != '\'' && *c != '"')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// Commands (first word of each pipeline stage) in the keyword style, flags in the code
/// style, quoted strings and comments in theirs.
fn bash(line: &str, t: &Theme) -> Vec<(String, Style)> {
    let mut out: Vec<(String, Style)> = Vec::new();
    let mut command_next = true;
    let mut rest = line;
    while !rest.is_empty() {
        if rest.starts_with('#') && out.last().is_none_or(|(s, _)| s.ends_with(' ')) {
            out.push((rest.to_string(), t.comment));
            break;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let len = if c == '"' || c == '\'' {
            rest[1..].find(c).map_or(rest.len(), |i| i + 2)
        } else if c == ' ' {
            rest.find(|ch: char| ch != ' ').unwrap_or(rest.len())
        } else {
            rest.find([' ', '"', '\'']).unwrap_or(rest.len())
        };
        let (word, tail) = rest.split_at(len);
        let style = if c == '"' || c == '\'' {
            t.string
        } else if c == ' ' {
            t.text
        } else if matches!(word, "|" | "&&" | "||" | ";") {
            command_next = true;
            t.dim
        } else if command_next {
            command_next = false;
            t.keyword
        } else if word.starts_with('-') {
            t.code
        } else {
            t.text
        };
        out.push((word.to_string(), style));
        rest = tail;
    }
    out
}

/// `key:` in the keyword style, its value in the string style, `#` comments dimmed.
fn yaml(line: &str, t: &Theme) -> Vec<(String, Style)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if trimmed.starts_with('#') {
        return vec![(line.to_string(), t.comment)];
    }
    let mut out = vec![(indent.to_string(), t.text)];
    let mut body = trimmed;
    if let Some(item) = body.strip_prefix("- ") {
        out.push(("- ".to_string(), t.dim));
        body = item;
    }
    match body
        .find(": ")
        .or_else(|| body.ends_with(':').then(|| body.len() - 1))
    {
        Some(colon) => {
            let (key, value) = body.split_at(colon);
            out.push((key.to_string(), t.keyword));
            out.push((value.to_string(), t.string));
        }
        None => out.push((body.to_string(), t.string)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::COLOR;

    fn text(rows: &[Vec<(String, Style)>]) -> String {
        rows.iter()
            .map(|r| r.iter().map(|(s, _)| s.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn highlighting_never_changes_the_text() {
        let src = "cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Namespace # x\n  - name: 'a b'\nEOF\necho \"hi there\" # done";
        assert_eq!(text(&code(src, Some("bash"), &COLOR)), src);
    }

    #[test]
    fn heredoc_bodies_are_yaml_and_commands_are_keywords() {
        let rows = code(
            "cat <<EOF | tee f\nkind: DaemonSet\nEOF",
            Some("bash"),
            &COLOR,
        );
        assert_eq!(rows[0][0], ("cat".to_string(), COLOR.keyword));
        assert_eq!(rows[1][1], ("kind".to_string(), COLOR.keyword));
        assert!(rows[0].contains(&("tee".to_string(), COLOR.keyword)));
    }
}
