//! The prompt line being edited: the text and cursor, readline's editing keys, walking the
//! history with Up/Down, and Ctrl-R's reverse incremental search. A multi-line command (a
//! heredoc from F3 or from the history) is edited as lines: Home/End, Ctrl-U/Ctrl-K work on
//! the cursor's line, Up/Down move between lines before they walk the history.
//!
//! Must not import crossterm, tokio or the session; the history comes in as a slice.

use crate::tui::action::Edit;

/// A reverse-i-search in progress.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    /// Index into the history of the line found.
    pub found: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prompt {
    input: String,
    /// In characters.
    cursor: usize,
    /// Where Up/Down stand in the history (None: the line being typed).
    history_pos: Option<usize>,
    /// The line being typed, kept while walking the history.
    draft: String,
    search: Option<Search>,
}

impl Prompt {
    pub fn input(&self) -> &str {
        &self.input
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    /// Replaces the line and puts the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.input = text.to_string();
        self.cursor = self.input.chars().count();
        self.history_pos = None;
        self.search = None;
    }

    /// Takes the line out (Enter), leaving the prompt empty.
    pub fn take(&mut self) -> String {
        self.cursor = 0;
        self.history_pos = None;
        self.search = None;
        std::mem::take(&mut self.input)
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.input
            .char_indices()
            .nth(chars)
            .map_or(self.input.len(), |(i, _)| i)
    }

    /// Inserts text at the cursor.
    pub fn insert_str(&mut self, text: &str) {
        let at = self.byte_at(self.cursor);
        self.input.insert_str(at, text);
        self.cursor += text.chars().count();
    }

    /// The character range (start, end) of the line the cursor is on.
    fn line_bounds(&self) -> (usize, usize) {
        let chars: Vec<char> = self.input.chars().collect();
        let at = self.cursor.min(chars.len());
        let start = chars[..at]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |i| i + 1);
        let end = chars[at..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(chars.len(), |i| at + i);
        (start, end)
    }

    /// Moves the cursor to the line above (-1) or below (+1), keeping its column; false when
    /// there is no such line.
    pub fn move_line(&mut self, d: i32) -> bool {
        let (start, end) = self.line_bounds();
        let column = self.cursor - start;
        let len = self.input.chars().count();
        let target_in = if d < 0 {
            if start == 0 {
                return false;
            }
            start - 1
        } else {
            if end >= len {
                return false;
            }
            end + 1
        };
        let saved = self.cursor;
        self.cursor = target_in;
        let (s, e) = self.line_bounds();
        self.cursor = (s + column).min(e);
        if self.cursor == saved {
            return false;
        }
        true
    }

    pub fn edit(&mut self, e: &Edit) {
        let len = self.input.chars().count();
        let (line_start, line_end) = self.line_bounds();
        match e {
            Edit::Insert(c) => {
                let at = self.byte_at(self.cursor);
                self.input.insert(at, *c);
                self.cursor += 1;
            }
            Edit::Backspace => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    let at = self.byte_at(self.cursor);
                    self.input.remove(at);
                }
            }
            Edit::Delete => {
                if self.cursor < len {
                    let at = self.byte_at(self.cursor);
                    self.input.remove(at);
                }
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(len),
            Edit::Home => self.cursor = line_start,
            Edit::End => self.cursor = line_end,
            Edit::KillBefore => {
                let (a, b) = (self.byte_at(line_start), self.byte_at(self.cursor));
                self.input.drain(a..b);
                self.cursor = line_start;
            }
            Edit::KillAfter => {
                let (a, b) = (self.byte_at(self.cursor), self.byte_at(line_end));
                self.input.drain(a..b);
            }
            Edit::KillWord => {
                let chars: Vec<char> = self.input.chars().collect();
                let mut start = self.cursor.min(chars.len());
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
                self.input.drain(a..b);
                self.cursor = start;
            }
        }
    }

    /// Up: the previous history entry (the typed line is kept for coming back down).
    pub fn history_previous(&mut self, history: &[String]) {
        let pos = match self.history_pos {
            None if history.is_empty() => return,
            None => {
                self.draft = self.input.clone();
                history.len() - 1
            }
            Some(0) => return,
            Some(p) => p - 1,
        };
        self.show_history(history, pos);
    }

    /// Down: the next history entry, or back to the typed line.
    pub fn history_next(&mut self, history: &[String]) {
        match self.history_pos {
            None => {}
            Some(p) if p + 1 < history.len() => self.show_history(history, p + 1),
            Some(_) => {
                let draft = std::mem::take(&mut self.draft);
                self.set(&draft);
            }
        }
    }

    fn show_history(&mut self, history: &[String], pos: usize) {
        if let Some(line) = history.get(pos) {
            self.input = line.clone();
            self.cursor = self.input.chars().count();
            self.history_pos = Some(pos);
        }
    }

    /// Ctrl-R: starts a search, or looks further back for the same query.
    pub fn search_older(&mut self, history: &[String]) {
        match &mut self.search {
            None => self.search = Some(Search::default()),
            Some(s) => {
                let before = s.found.unwrap_or(history.len());
                s.found = find(history, &s.query, before).or(s.found);
            }
        }
    }

    /// Typing during a search narrows it, starting from the newest entry.
    pub fn search_edit(&mut self, e: &Edit, history: &[String]) {
        let Some(s) = &mut self.search else {
            return;
        };
        match e {
            Edit::Insert(c) => s.query.push(*c),
            Edit::Backspace => {
                s.query.pop();
            }
            _ => {
                self.accept_search(history);
                return;
            }
        }
        s.found = find(history, &s.query, history.len());
    }

    /// Puts the line found into the prompt and ends the search.
    pub fn accept_search(&mut self, history: &[String]) {
        if let Some(s) = self.search.take()
            && let Some(line) = s.found.and_then(|i| history.get(i))
        {
            self.set(line);
        }
    }

    pub fn cancel_search(&mut self) {
        self.search = None;
    }
}

/// The newest entry before `before` that contains `query`.
fn find(history: &[String], query: &str, before: usize) -> Option<usize> {
    if query.is_empty() {
        return None;
    }
    history
        .iter()
        .take(before)
        .rposition(|line| line.contains(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Prompt {
        let mut p = Prompt::default();
        for c in text.chars() {
            p.edit(&Edit::Insert(c));
        }
        p
    }

    #[test]
    fn editing_keys_work_on_characters_not_bytes() {
        let mut p = typed("kubectl gét pods");
        p.edit(&Edit::KillWord);
        assert_eq!(p.input(), "kubectl gét ");
        p.edit(&Edit::Left);
        p.edit(&Edit::Backspace);
        assert_eq!(p.input(), "kubectl gé ");
        p.edit(&Edit::KillBefore);
        assert_eq!((p.input(), p.cursor()), (" ", 0));
    }

    #[test]
    fn up_and_down_walk_the_history_and_come_back_to_the_draft() {
        let history = vec!["one".to_string(), "two".to_string()];
        let mut p = typed("dra");
        p.history_previous(&history);
        p.history_previous(&history);
        p.history_previous(&history);
        assert_eq!(p.input(), "one");
        p.history_next(&history);
        p.history_next(&history);
        assert_eq!(p.input(), "dra");
    }

    #[test]
    fn a_multi_line_command_is_edited_as_lines() {
        let mut p = Prompt::default();
        p.set("cat <<EOF | kubectl apply -f -\nkind: Namespace\nEOF");
        p.edit(&Edit::Home);
        assert_eq!(
            p.cursor(),
            "cat <<EOF | kubectl apply -f -\nkind: Namespace\n".len()
        );
        assert!(p.move_line(-1));
        p.edit(&Edit::End);
        p.edit(&Edit::KillBefore);
        assert_eq!(p.input(), "cat <<EOF | kubectl apply -f -\n\nEOF");
        p.edit(&Edit::Insert('x'));
        assert!(p.move_line(-1));
        assert_eq!(p.cursor(), 1);
        assert!(!p.move_line(-1), "the first line has no line above");
        p.edit(&Edit::KillAfter);
        assert_eq!(p.input(), "c\nx\nEOF");
    }

    #[test]
    fn reverse_search_finds_older_matches_in_turn() {
        let history: Vec<String> = ["kubectl get pods", "ls", "kubectl get nodes"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut p = Prompt::default();
        p.search_older(&history);
        for c in "get".chars() {
            p.search_edit(&Edit::Insert(c), &history);
        }
        assert_eq!(p.search().and_then(|s| s.found), Some(2));
        p.search_older(&history);
        assert_eq!(p.search().and_then(|s| s.found), Some(0));
        p.accept_search(&history);
        assert_eq!(p.input(), "kubectl get pods");
    }
}
