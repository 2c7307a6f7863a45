//! A small shell-like word splitter for lesson commands and check conditions: quotes, pipes,
//! command separators and heredoc bodies. Private to `content`; the simulated shell has its own
//! full parser, which this must not import (content sits beside the shell, not above it).

/// One token of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// A word with quotes removed; `start..end` is its raw span in the line.
    Word {
        text: String,
        start: usize,
        end: usize,
    },
    /// `|`
    Pipe,
    /// `;`, `&&`, `||` or `&`
    Separator(String),
    /// `<<DELIM`, `<<-DELIM`, `<< 'DELIM'`
    Heredoc { delimiter: String, strip_tabs: bool },
}

/// Splits one logical line into tokens; an unterminated quote is an error.
pub(super) fn tokens(line: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        match c {
            c if c.is_whitespace() => i += 1,
            '#' => break,
            '|' | '&' | ';' => {
                let next = chars.get(i + 1).map(|p| p.1);
                if (c == '|' || c == '&') && next == Some(c) {
                    out.push(Token::Separator(format!("{c}{c}")));
                    i += 2;
                } else if c == '|' {
                    out.push(Token::Pipe);
                    i += 1;
                } else {
                    out.push(Token::Separator(c.to_string()));
                    i += 1;
                }
            }
            '<' if chars.get(i + 1).map(|p| p.1) == Some('<')
                && chars.get(i + 2).map(|p| p.1) != Some('<') =>
            {
                i += 2;
                let strip_tabs = chars.get(i).map(|p| p.1) == Some('-');
                if strip_tabs {
                    i += 1;
                }
                while chars.get(i).is_some_and(|p| p.1 == ' ' || p.1 == '\t') {
                    i += 1;
                }
                let (word, next) = word(&chars, i, line.len())?;
                if word.0.is_empty() {
                    return Err("expected a heredoc delimiter after `<<`".to_string());
                }
                out.push(Token::Heredoc {
                    delimiter: word.0,
                    strip_tabs,
                });
                i = next;
            }
            _ => {
                let ((mut text, mut end), mut next) = word(&chars, i, line.len())?;
                if next == i {
                    // A character no rule consumes (`<<<`, say) stands for itself, so the
                    // scan always moves on (the lesson_file fuzz target found a loop here).
                    text.push(c);
                    next = i + 1;
                    end = chars.get(next).map_or(line.len(), |p| p.0);
                }
                out.push(Token::Word {
                    text,
                    start: at,
                    end,
                });
                i = next;
            }
        }
    }
    Ok(out)
}

/// Reads one word starting at `chars[i]`; returns (text, raw end byte) and the next index.
fn word(
    chars: &[(usize, char)],
    mut i: usize,
    len: usize,
) -> Result<((String, usize), usize), String> {
    let mut text = String::new();
    while let Some(&(_, c)) = chars.get(i) {
        match c {
            c if c.is_whitespace() || c == '|' || c == ';' || c == '&' => break,
            '<' if chars.get(i + 1).map(|p| p.1) == Some('<') => break,
            '\'' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated ' quote".to_string()),
                        Some((_, '\'')) => break,
                        Some(&(_, c)) => text.push(c),
                    }
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated \" quote".to_string()),
                        Some((_, '"')) => break,
                        Some((_, '\\')) => {
                            let next = chars.get(i + 1).map(|p| p.1);
                            match next {
                                Some(n @ ('"' | '\\' | '$' | '`')) => {
                                    text.push(n);
                                    i += 1;
                                }
                                _ => text.push('\\'),
                            }
                        }
                        Some(&(_, c)) => text.push(c),
                    }
                    i += 1;
                }
                i += 1;
            }
            '\\' => {
                if let Some(&(_, n)) = chars.get(i + 1) {
                    text.push(n);
                }
                i += 2;
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    let end = chars.get(i).map_or(len, |p| p.0);
    Ok(((text, end), i))
}

/// A command split into pipeline stages, each with its heredoc body if it reads one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stage {
    /// The separator before this stage (`""` for the first, `|`, `;`, `&&` ...).
    pub separator: String,
    pub words: Vec<String>,
    pub heredoc: Option<String>,
}

/// Splits one command (its first logical line, then any heredoc bodies) into stages.
pub(super) fn stages(command: &str) -> Result<Vec<Stage>, String> {
    let mut lines = command.lines();
    let first = logical_line(&mut lines);
    let mut out = vec![Stage {
        separator: String::new(),
        words: Vec::new(),
        heredoc: None,
    }];
    for token in tokens(&first)? {
        let Some(stage) = out.last_mut() else { break };
        match token {
            Token::Word { text, .. } => stage.words.push(text),
            Token::Pipe | Token::Separator(_) => {
                let separator = match token {
                    Token::Separator(s) => s,
                    _ => "|".to_string(),
                };
                out.push(Stage {
                    separator,
                    words: Vec::new(),
                    heredoc: None,
                });
            }
            Token::Heredoc {
                delimiter,
                strip_tabs,
            } => {
                let mut body = String::new();
                for line in lines.by_ref() {
                    let line = if strip_tabs {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    };
                    if line.trim_end() == delimiter {
                        break;
                    }
                    body.push_str(line);
                    body.push('\n');
                }
                stage.heredoc = Some(body);
            }
        }
    }
    Ok(out)
}

/// Joins backslash-continued lines into one logical line.
fn logical_line<'a>(lines: &mut impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines.by_ref() {
        match line.trim_end().strip_suffix('\\') {
            Some(head) => out.push_str(head),
            None => {
                out.push_str(line);
                break;
            }
        }
    }
    out
}

/// Splits a command block into its commands: one per line, with backslash continuations and
/// heredoc bodies kept with their command; blank lines and `#` comments are dropped.
pub(super) fn commands(block: &str) -> Vec<String> {
    let lines: Vec<&str> = block.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        while lines.get(i).is_some_and(|l| l.trim_end().ends_with('\\')) {
            i += 1;
        }
        let logical = lines
            .get(start..=i.min(lines.len().saturating_sub(1)))
            .unwrap_or(&[]);
        let joined: String = logical
            .iter()
            .map(|l| l.trim_end().strip_suffix('\\').unwrap_or(l))
            .collect();
        i += 1;
        for token in tokens(&joined).unwrap_or_default() {
            if let Token::Heredoc {
                delimiter,
                strip_tabs,
            } = token
            {
                while let Some(body) = lines.get(i) {
                    i += 1;
                    let body = if strip_tabs {
                        body.trim_start_matches('\t')
                    } else {
                        body
                    };
                    if body.trim_end() == delimiter {
                        break;
                    }
                }
            }
        }
        let end = i.min(lines.len());
        out.push(lines.get(start..end).unwrap_or(&[]).join("\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        tokens(line)
            .unwrap()
            .into_iter()
            .map(|t| match t {
                Token::Word { text, .. } => text,
                Token::Pipe => "|".into(),
                Token::Separator(s) => s,
                Token::Heredoc { delimiter, .. } => format!("<<{delimiter}"),
            })
            .collect()
    }

    #[test]
    fn quotes_pipes_and_heredocs() {
        assert_eq!(
            words(r#"cat <<'EOF' | tee "a b"|grep x\ y && ls -o 'jsonpath={.a}'"#),
            [
                "cat",
                "<<EOF",
                "|",
                "tee",
                "a b",
                "|",
                "grep",
                "x y",
                "&&",
                "ls",
                "-o",
                "jsonpath={.a}"
            ]
        );
        assert!(tokens("echo 'open").is_err());
    }

    #[test]
    fn stages_collect_heredoc_bodies() {
        let stages = stages("cat <<EOF | kubectl apply -f -\na: 1\nEOF\n").unwrap();
        assert_eq!(stages.len(), 2);
        assert_eq!(stages[0].heredoc.as_deref(), Some("a: 1\n"));
        assert_eq!(stages[1].separator, "|");
    }

    #[test]
    fn commands_keep_heredocs_and_drop_comments() {
        let block = "# list\nkubectl get nodes\n\ncat <<EOF | kubectl apply -f -\nkind: X\n# yaml comment\nEOF\nkubectl get \\\n  pods\n";
        assert_eq!(
            commands(block),
            [
                "kubectl get nodes",
                "cat <<EOF | kubectl apply -f -\nkind: X\n# yaml comment\nEOF",
                "kubectl get \\\n  pods"
            ]
        );
    }
}
