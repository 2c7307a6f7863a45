//! Wrapping and clipping for short texts the map draws in narrow boxes: taints and "why" lines
//! wrap where a reader would break them (after a space, `/`, `=`, `:`, `,` or `.`), never inside
//! a word; a pod's name keeps its unique suffix when it must be cut.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::text::{Line, Span};

/// Where a line may break: after these characters.
fn breaks_after(c: char) -> bool {
    matches!(c, ' ' | '/' | '=' | ':' | ',' | '.')
}

/// Wraps `text` into rows of at most `width` characters, breaking after spaces and
/// punctuation; continuation rows start with `indent`. A piece longer than a whole row (no
/// break inside it) is cut where it must be.
pub fn wrap_words(text: &str, width: usize, indent: &str) -> Vec<String> {
    let width = width.max(1);
    let indent: String = indent.chars().take(width.saturating_sub(1)).collect();
    let mut pieces: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        cur.push(c);
        if breaks_after(c) {
            pieces.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    let mut row_len = 0;
    for piece in pieces {
        let len = piece.chars().count();
        if row_len + len <= width {
            row.push_str(&piece);
            row_len += len;
            continue;
        }
        // A trailing space may hang over the edge instead of starting a row.
        if piece == " " {
            continue;
        }
        if row_len > indent.chars().count() || (rows.is_empty() && row_len > 0) {
            rows.push(std::mem::take(&mut row).trim_end().to_string());
            row = indent.clone();
            row_len = indent.chars().count();
        }
        let mut rest: Vec<char> = piece.chars().collect();
        while row_len + rest.len() > width {
            let take = width - row_len;
            row.extend(rest.drain(..take));
            rows.push(std::mem::take(&mut row));
            row = indent.clone();
            row_len = indent.chars().count();
        }
        row_len += rest.len();
        row.extend(rest);
    }
    if row_len > 0 || rows.is_empty() {
        rows.push(row.trim_end().to_string());
    }
    rows
}

/// Word-wraps styled `spans` into lines of at most `width` columns; the first line starts
/// with `lead`, the others with `hang` spaces (a hanging indent under a label).
pub fn hang_spans(
    lead: Vec<Span<'static>>,
    spans: Vec<Span<'static>>,
    width: usize,
    hang: usize,
) -> Vec<Line<'static>> {
    let width = width.max(hang + 1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = lead;
    let mut used: usize = cur.iter().map(|s| s.content.chars().count()).sum();
    let new_row =
        |cur: &mut Vec<Span<'static>>, used: &mut usize, lines: &mut Vec<Line<'static>>| {
            lines.push(trimmed(std::mem::take(cur)));
            cur.push(Span::raw(" ".repeat(hang)));
            *used = hang;
        };
    for span in spans {
        let style = span.style;
        for piece in span.content.split_inclusive(' ') {
            if used + piece.trim_end().chars().count() > width && used > hang {
                new_row(&mut cur, &mut used, &mut lines);
                if piece.trim().is_empty() {
                    continue;
                }
            }
            let mut rest: Vec<char> = piece.chars().collect();
            // Only a word longer than the row is cut; a trailing space may hang over.
            let word = |rest: &[char]| rest.iter().rposition(|c| *c != ' ').map_or(0, |i| i + 1);
            while used + word(&rest) > width {
                let take = width - used;
                if take == 0 {
                    new_row(&mut cur, &mut used, &mut lines);
                    continue;
                }
                cur.push(Span::styled(rest.drain(..take).collect::<String>(), style));
                new_row(&mut cur, &mut used, &mut lines);
            }
            used += rest.len();
            cur.push(Span::styled(rest.into_iter().collect::<String>(), style));
        }
    }
    lines.push(trimmed(cur));
    lines
}

/// A line without the spaces at its end (a row never runs past its width on a space).
fn trimmed(mut spans: Vec<Span<'static>>) -> Line<'static> {
    loop {
        let n = spans.len();
        let Some(last) = spans.last_mut() else { break };
        let t = last.content.trim_end().to_string();
        if t.is_empty() && n > 1 {
            spans.pop();
        } else {
            last.content = t.into();
            break;
        }
    }
    Line::from(spans)
}

/// `name` in at most `room` characters; when cut, the part after the last `-` (a pod's
/// generated, unique suffix) is kept and the middle gives way: `demo-d…-86k2x`.
pub fn clip_name(name: &str, room: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= room {
        return name.to_string();
    }
    if room == 0 {
        return String::new();
    }
    let suffix_at = name
        .rfind('-')
        .map_or(chars.len(), |b| name[..b].chars().count());
    let suffix = &chars[suffix_at..];
    if !suffix.is_empty() && suffix.len() + 2 <= room {
        let head = room - suffix.len() - 1;
        let mut out: String = chars[..head].iter().collect();
        out.push('…');
        out.extend(suffix);
        return out;
    }
    // Too narrow even for the suffix: its end is what tells pods apart.
    let mut out = String::from("…");
    out.extend(&chars[chars.len() - (room - 1)..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taints_wrap_after_punctuation_not_mid_word() {
        let rows = wrap_words("! node-role.kubernetes.io/master:NoSchedule", 22, "  ");
        assert_eq!(
            rows,
            vec!["! node-role.", "  kubernetes.io/", "  master:NoSchedule"]
        );
        assert!(rows.iter().all(|r| r.chars().count() <= 22));
        let rows = wrap_words("! VIPOnly=true:NoExecute", 16, "  ");
        assert_eq!(rows, vec!["! VIPOnly=true:", "  NoExecute"]);
    }

    #[test]
    fn words_wrap_at_spaces_and_every_character_is_kept() {
        let text = "- demo-daemon: no pod: taint VIPOnly=true:NoExecute not tolerated";
        let rows = wrap_words(text, 20, "  ");
        assert!(rows.iter().all(|r| r.chars().count() <= 20), "{rows:?}");
        let joined: String = rows
            .iter()
            .map(|r| r.trim_start())
            .collect::<Vec<_>>()
            .join(" ");
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(squeeze(&joined), squeeze(text));
        assert_eq!(wrap_words("", 5, "  "), vec![""]);
        assert_eq!(
            wrap_words("abcdefgh", 3, " "),
            vec!["abc", " de", " fg", " h"]
        );
    }

    #[test]
    fn labelled_text_hangs_under_its_label() {
        let lines = hang_spans(
            vec![Span::raw("   hint   ")],
            vec![Span::raw("a property of the node with a key")],
            24,
            10,
        );
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            text,
            vec![
                "   hint   a property of",
                "          the node with",
                "          a key"
            ]
        );
        assert!(text.iter().all(|l| l.chars().count() <= 24));
        // A word that ends a row exactly does not push its space onto the next row.
        let lines = hang_spans(vec![Span::raw("ab ")], vec![Span::raw("cd ef gh")], 5, 3);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, vec!["ab cd", "   ef", "   gh"]);
    }

    #[test]
    fn a_cut_pod_name_keeps_its_unique_suffix() {
        assert_eq!(clip_name("demo-daemon-86k2x", 14), "demo-da…-86k2x");
        assert_eq!(clip_name("demo-daemon-86k2x", 17), "demo-daemon-86k2x");
        assert_eq!(clip_name("demo-daemon-86k2x", 5), "…6k2x");
        assert_eq!(clip_name("abc", 0), "");
    }
}
