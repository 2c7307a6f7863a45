//! Pathname expansion: `*`, `?` and `[...]` in unquoted words, matched against the
//! virtual files. A pattern that matches nothing stays as typed (bash's default, no
//! `nullglob`), which is what lets kubectl's `{.spec.taints[*]}` through.
//!
//! Patterns arrive with quoted glob characters escaped by a backslash. Must not import
//! the executor or the engine.

use super::vfs::Vfs;

/// Most names one pattern may expand to, so `*/*/*` stays cheap.
const MAX_MATCHES: usize = 10_000;

/// The sorted paths matching `pattern`, written as the learner wrote them (relative
/// stays relative); empty when nothing matches.
pub fn expand(vfs: &Vfs, cwd: &str, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let components: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    let mut found: Vec<String> = vec![if absolute {
        "/".to_string()
    } else {
        String::new()
    }];
    for (i, component) in components.iter().enumerate() {
        let last = i + 1 == components.len();
        let mut next = Vec::new();
        for prefix in &found {
            let dir = if prefix.is_empty() {
                ".".to_string()
            } else {
                prefix.clone()
            };
            if has_magic(component) {
                let Ok(names) = vfs.list_dir(cwd, &dir) else {
                    continue;
                };
                let mut names: Vec<String> = names;
                if component.starts_with('.') {
                    names.extend([".".to_string(), "..".to_string()]);
                }
                for name in names {
                    if (name.starts_with('.') && !component.starts_with('.'))
                        || !matches(component, &name)
                    {
                        continue;
                    }
                    let path = join(prefix, &name);
                    if last || vfs.is_dir(cwd, &path) {
                        next.push(path);
                    }
                }
            } else {
                let path = join(prefix, &unescape(component));
                if vfs.exists(cwd, &path) {
                    next.push(path);
                }
            }
            if next.len() > MAX_MATCHES {
                break;
            }
        }
        found = next;
        if found.is_empty() {
            return found;
        }
    }
    if pattern.ends_with('/') {
        for path in &mut found {
            path.push('/');
        }
    }
    found.sort();
    found
}

fn join(prefix: &str, name: &str) -> String {
    match prefix {
        "" => name.to_string(),
        p if p.ends_with('/') => format!("{p}{name}"),
        p => format!("{p}/{name}"),
    }
}

/// Whether the pattern has an unescaped `*`, `?` or `[`.
pub fn has_magic(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

/// The pattern with its backslash escapes removed.
pub fn unescape(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `name` matches one pattern component (iterative, so `*a*a*a…` stays linear-ish).
pub fn matches(pattern: &str, name: &str) -> bool {
    let pat: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = name.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        let step = match pat.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some('?') => Some(p + 1),
            Some('[') => bracket(&pat, p, text[t]),
            Some('\\') if p + 1 < pat.len() => (pat[p + 1] == text[t]).then_some(p + 2),
            Some(c) => (*c == text[t]).then_some(p + 1),
            None => None,
        };
        match (step, star) {
            (Some(next_p), _) => {
                p = next_p;
                t += 1;
            }
            (None, Some((star_p, star_t))) => {
                p = star_p + 1;
                t = star_t + 1;
                star = Some((star_p, star_t + 1));
            }
            (None, None) => return false,
        }
    }
    pat[p..].iter().all(|c| *c == '*')
}

/// Matches `c` against the bracket expression at `pat[start]`; returns the index after
/// it. A `[` with no closing `]` is an ordinary character.
fn bracket(pat: &[char], start: usize, c: char) -> Option<usize> {
    let mut first = start + 1;
    let negate = matches!(pat.get(first), Some('!' | '^'));
    if negate {
        first += 1;
    }
    let mut end = first;
    loop {
        match pat.get(end) {
            None => return (c == '[').then_some(start + 1),
            Some(']') if end > first => break,
            Some(_) => end += 1,
        }
    }
    let mut hit = false;
    let mut j = first;
    while j < end {
        if j + 2 < end && pat[j + 1] == '-' {
            hit |= pat[j] <= c && c <= pat[j + 2];
            j += 3;
        } else {
            hit |= pat[j] == c;
            j += 1;
        }
    }
    (hit != negate).then_some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::vfs::{ENVIRONMENT, WriteMode};

    #[test]
    fn star_question_and_brackets_match_names() {
        assert!(matches("*.yaml", "a.yaml"));
        assert!(!matches("*.yaml", "a.yml"));
        assert!(matches("0?3-*", "013-demo"));
        assert!(matches("[a-c]x", "bx"));
        assert!(!matches("[!a-c]x", "bx"));
        assert!(matches("a\\*", "a*"));
        assert!(!matches("a\\*", "ab"));
        assert!(matches("*a*b*c", "xxaxxbxxc"));
        assert!(matches("{.spec.taints[*]}", "{.spec.taints*}"));
        assert!(matches("a[b", "a[b"));
    }

    #[test]
    fn expansion_is_sorted_and_keeps_relative_form() {
        let mut vfs = Vfs::with_home();
        for name in ["b.yaml", "a.yaml", ".hidden.yaml", "c.txt"] {
            vfs.write(ENVIRONMENT, name, "", WriteMode::Truncate)
                .unwrap();
        }
        assert_eq!(
            expand(&vfs, ENVIRONMENT, "*.yaml"),
            vec!["a.yaml", "b.yaml"]
        );
        assert_eq!(
            expand(&vfs, "/home/learner", "environment/*.txt"),
            vec!["environment/c.txt"]
        );
        assert_eq!(
            expand(&vfs, "/", "/home/learner/env*/a*"),
            vec!["/home/learner/environment/a.yaml"]
        );
        assert_eq!(expand(&vfs, ENVIRONMENT, ".h*"), vec![".hidden.yaml"]);
        assert!(expand(&vfs, ENVIRONMENT, "{.spec.taints[*]}").is_empty());
    }
}
