//! Word expansion, in bash's order: `~`, `$VAR` and `$( )`, then field splitting of
//! unquoted results on blanks, then globs, then quote removal.
//!
//! Command substitution runs the inner command line in a copy of the shell's variables
//! and working directory (a subshell), so only file changes leak out, as in bash.
//! Must not import the TUI or the engine's internals.

use super::parse::{self, Part, Word};
use super::{Export, MAX_EXPANDED_BYTES, MAX_STREAM_BYTES, Shell, arith, glob, vfs};
use crate::engine::Cluster;

/// Deepest nesting of `$( )` inside `$( )`.
const MAX_SUBST_DEPTH: usize = 8;

/// What expansion needs besides the shell: the cluster (for `$(kubectl …)`), the
/// nesting depth, and where error text of substitutions goes.
pub(crate) struct Cx<'a> {
    pub cluster: &'a mut Cluster,
    pub depth: usize,
    pub stderr: String,
    /// Status of the last command substitution, which a bare assignment returns.
    pub subst_status: Option<i32>,
    budget_bytes: usize,
}

impl<'a> Cx<'a> {
    pub fn new(cluster: &'a mut Cluster, depth: usize) -> Cx<'a> {
        Cx {
            cluster,
            depth,
            stderr: String::new(),
            subst_status: None,
            budget_bytes: MAX_STREAM_BYTES,
        }
    }

    fn spend(&mut self, bytes: usize) -> Result<(), String> {
        self.budget_bytes = self
            .budget_bytes
            .checked_sub(bytes)
            .ok_or("bash: expansion too large\n")?;
        Ok(())
    }
}

/// A field being built: its final text, and the same text as a glob pattern with
/// quoted glob characters escaped.
#[derive(Default)]
struct Field {
    text: String,
    pattern: String,
    magic: bool,
    started: bool,
}

#[derive(Default)]
struct Fields {
    done: Vec<Field>,
    cur: Field,
}

impl Fields {
    fn quoted(&mut self, text: &str) {
        self.cur.started = true;
        self.cur.text.push_str(text);
        for c in text.chars() {
            if matches!(c, '*' | '?' | '[' | '\\') {
                self.cur.pattern.push('\\');
            }
            self.cur.pattern.push(c);
        }
    }

    fn unquoted(&mut self, text: &str) {
        self.cur.started = true;
        self.cur.text.push_str(text);
        self.cur.pattern.push_str(text);
        self.cur.magic |= text.contains(['*', '?', '[']);
    }

    /// An unquoted expansion result: split on blanks and newlines (bash's default IFS).
    fn split(&mut self, text: &str) {
        for (i, piece) in text.split([' ', '\t', '\n']).enumerate() {
            if i > 0 && self.cur.started {
                self.done.push(std::mem::take(&mut self.cur));
            }
            if !piece.is_empty() {
                self.unquoted(piece);
            }
        }
    }

    fn finish(mut self) -> Vec<Field> {
        if self.cur.started {
            self.done.push(self.cur);
        }
        self.done
    }
}

impl Shell {
    /// Expands command words into arguments: split, globbed, quotes removed.
    pub(crate) fn expand_words(
        &mut self,
        cx: &mut Cx<'_>,
        words: &[Word],
    ) -> Result<Vec<String>, String> {
        let mut args = Vec::new();
        for word in words {
            let mut fields = Fields::default();
            self.expand_parts(cx, &word.parts, &mut fields, Quoting::Unquoted)?;
            for field in fields.finish() {
                let matched = if field.magic {
                    glob::expand(&self.vfs, &self.cwd, &field.pattern)
                } else {
                    Vec::new()
                };
                if matched.is_empty() {
                    args.push(field.text);
                } else {
                    cx.spend(matched.iter().map(String::len).sum())?;
                    args.extend(matched);
                }
            }
        }
        Ok(args)
    }

    /// Expands one word to one string, with no splitting or globbing (assignment values,
    /// redirection targets, here-strings).
    pub(crate) fn expand_plain(&mut self, cx: &mut Cx<'_>, word: &Word) -> Result<String, String> {
        let mut text = String::new();
        self.expand_flat(cx, &word.parts, &mut text)?;
        Ok(text)
    }

    /// A `case` or `[[ == ]]` pattern: expanded without splitting, quoted glob characters
    /// escaped so they match themselves.
    pub(crate) fn expand_pattern(
        &mut self,
        cx: &mut Cx<'_>,
        word: &Word,
    ) -> Result<String, String> {
        let mut fields = Fields::default();
        self.expand_parts(cx, &word.parts, &mut fields, Quoting::Unquoted)?;
        let patterns: Vec<String> = fields.finish().into_iter().map(|f| f.pattern).collect();
        Ok(patterns.join(" "))
    }

    /// The body of a heredoc whose delimiter was unquoted.
    pub(crate) fn expand_heredoc(&mut self, cx: &mut Cx<'_>, body: &str) -> Result<String, String> {
        let parts = parse::heredoc_parts(body);
        let mut text = String::new();
        self.expand_flat(cx, &parts, &mut text)?;
        Ok(text)
    }

    fn expand_flat(
        &mut self,
        cx: &mut Cx<'_>,
        parts: &[Part],
        out: &mut String,
    ) -> Result<(), String> {
        for part in parts {
            match part {
                Part::Lit(text) | Part::Quoted(text) => out.push_str(text),
                Part::Double(inner) => self.expand_flat(cx, inner, out)?,
                other => {
                    let value = self.expand_value(cx, other)?;
                    cx.spend(value.len())?;
                    self.charge_expansion(value.len())?;
                    out.push_str(&value);
                }
            }
        }
        Ok(())
    }

    fn expand_parts(
        &mut self,
        cx: &mut Cx<'_>,
        parts: &[Part],
        fields: &mut Fields,
        quoting: Quoting,
    ) -> Result<(), String> {
        for part in parts {
            match part {
                Part::Lit(text) if quoting == Quoting::Unquoted => fields.unquoted(text),
                Part::Lit(text) | Part::Quoted(text) => fields.quoted(text),
                Part::Double(inner) if matches!(inner.as_slice(), [Part::Param(p)] if p == "@") => {
                    // `"$@"`: one word per positional parameter, none when there are none.
                    let params = self.positional.clone();
                    for (i, param) in params.iter().enumerate() {
                        if i > 0 && fields.cur.started {
                            fields.done.push(std::mem::take(&mut fields.cur));
                        }
                        fields.quoted(param);
                    }
                }
                Part::Double(inner) => {
                    fields.quoted("");
                    self.expand_parts(cx, inner, fields, Quoting::Double)?;
                }
                other => {
                    let value = self.expand_value(cx, other)?;
                    cx.spend(value.len())?;
                    self.charge_expansion(value.len())?;
                    match quoting {
                        Quoting::Double => fields.quoted(&value),
                        Quoting::Unquoted if matches!(other, Part::Tilde(_)) => {
                            fields.quoted(&value)
                        }
                        Quoting::Unquoted => fields.split(&value),
                    }
                }
            }
        }
        Ok(())
    }

    /// The text of a `$NAME`, `$( )` or `~` part.
    pub(crate) fn expand_value(&mut self, cx: &mut Cx<'_>, part: &Part) -> Result<String, String> {
        match part {
            Part::Param(name) => self.param(name),
            Part::Tilde(user) => Ok(match user.as_str() {
                "" => self.var("HOME").unwrap_or(vfs::HOME).to_string(),
                "learner" => vfs::HOME.to_string(),
                "root" => "/root".to_string(),
                other => format!("~{other}"),
            }),
            Part::Subst(source) => self.substitute(cx, source),
            Part::Arith(source) => {
                let expr = self.expand_heredoc(cx, source)?;
                arith::eval(&expr, self)
                    .map(|n| n.to_string())
                    .map_err(|e| {
                        // bash abandons the whole command line after an arithmetic error.
                        if self.flow.is_none() {
                            self.flow = Some(super::Flow::Fatal);
                        }
                        format!("bash: {e}\n")
                    })
            }
            Part::Lit(text) | Part::Quoted(text) => Ok(text.clone()),
            Part::Double(_) => Ok(String::new()),
        }
    }

    fn param(&self, name: &str) -> Result<String, String> {
        let (name, default) = match name.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (name, None),
        };
        let value = match name {
            "?" => Some(self.last_status.to_string()),
            "$" => Some("4242".to_string()),
            "#" => Some(self.positional.len().to_string()),
            "0" => Some("bash".to_string()),
            "-" => Some("himBHs".to_string()),
            "!" => None,
            "@" | "*" => Some(self.positional.join(" ")),
            n if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => n
                .parse::<usize>()
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| self.positional.get(i).cloned()),
            n if is_name(n) => self.var(n).map(str::to_string),
            _ => return Err(format!("bash: ${{{name}}}: bad substitution\n")),
        };
        Ok(match (value, default) {
            (Some(v), Some(d)) if v.is_empty() => d.to_string(),
            (Some(v), _) => v,
            (None, d) => d.unwrap_or_default().to_string(),
        })
    }

    fn substitute(&mut self, cx: &mut Cx<'_>, source: &str) -> Result<String, String> {
        if cx.depth >= MAX_SUBST_DEPTH {
            return Err("bash: command substitution nested too deeply\n".to_string());
        }
        // bash's `$(<file)`: the file's text, without running a command.
        if let Some(file) = source.trim().strip_prefix('<').map(str::trim)
            && !file.is_empty()
            && !file.contains(|c: char| c.is_whitespace() || "$'\"`<>|&;()".contains(c))
        {
            cx.subst_status = Some(0);
            return match self.vfs.read(&self.cwd, file) {
                Ok(mut text) => {
                    text.truncate(text.trim_end_matches('\n').len());
                    self.charge_expansion(text.len())?;
                    Ok(text)
                }
                Err(e) => {
                    cx.stderr.push_str(&format!("bash: {file}: {e}\n"));
                    cx.subst_status = Some(1);
                    Ok(String::new())
                }
            };
        }
        let saved = (
            self.cwd.clone(),
            self.vars.clone(),
            self.exit_requested,
            self.last_status,
        );
        let dests = (self.out_dest, self.err_dest);
        (self.out_dest, self.err_dest) = (super::stream::Dest::Held, super::stream::Dest::Held);
        let out = self.run_source(source, cx.cluster, cx.depth + 1);
        (self.out_dest, self.err_dest) = dests;
        (self.cwd, self.vars, self.exit_requested, self.last_status) = saved;
        if self.flow != Some(super::Flow::Abort) {
            self.flow = None;
        }
        cx.stderr.push_str(&out.stderr);
        cx.subst_status = Some(out.status);
        let mut text = out.stdout;
        text.truncate(text.trim_end_matches('\n').len());
        Ok(text)
    }
}

impl Shell {
    /// Counts expanded bytes against the line's [`MAX_EXPANDED_BYTES`], so a loop that
    /// expands a 4 MiB variable ten thousand times stops early instead of copying 40 GB.
    fn charge_expansion(&mut self, bytes: usize) -> Result<(), String> {
        self.expanded_bytes = self.expanded_bytes.saturating_add(bytes);
        if self.expanded_bytes <= MAX_EXPANDED_BYTES {
            return Ok(());
        }
        // Like an arithmetic error, this abandons the rest of the line.
        if self.flow.is_none() {
            self.flow = Some(super::Flow::Fatal);
        }
        Err(format!(
            "bash: expansion stopped: this command line expanded more than {MAX_EXPANDED_BYTES} bytes of $VAR and $( ) text\n"
        ))
    }
}

impl arith::Vars for Shell {
    fn get(&self, name: &str) -> Option<String> {
        self.var(name).map(str::to_string)
    }

    fn set(&mut self, name: &str, value: i64) {
        self.set_var(name, value.to_string(), Export::Keep);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Unquoted,
    Double,
}

/// A valid variable name: a letter or `_`, then letters, digits and `_`.
pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
