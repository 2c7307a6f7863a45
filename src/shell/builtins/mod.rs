//! The commands this shell knows besides kubectl, each a plain function of the shell
//! state and its arguments, plus the option parsing they share.
//!
//! Texts copy GNU coreutils' and bash's wording so that what the learner sees matches a
//! real terminal. Must not import the TUI; never touches host files or processes.

mod awk;
mod cat;
mod columns;
mod echo;
mod files;
mod flow;
mod grep;
mod ls;
mod session;
pub(crate) use session::parse_interval;
mod text;
mod xargs;

use super::{MAX_STREAM_BYTES, Output, Shell};
use crate::engine::Cluster;

/// One invocation: its arguments (without the command name) and its input.
pub(crate) struct Call<'a> {
    pub args: &'a [String],
    pub stdin: &'a str,
    pub cluster: &'a mut Cluster,
    /// Whether stdout is the terminal (not a pipe or a file): `ls` lays out columns then.
    pub to_terminal: bool,
}

pub(crate) type Builtin = fn(&mut Shell, &mut Call<'_>) -> Output;

/// Every builtin, by name, in the order `help` lists them.
pub(crate) const BUILTINS: &[(&str, Builtin)] = &[
    ("cat", cat::cat),
    ("tee", cat::tee),
    ("echo", echo::echo),
    ("printf", echo::printf),
    ("grep", grep::grep),
    ("head", text::head),
    ("seq", columns::seq),
    ("sort", columns::sort),
    ("uniq", columns::uniq),
    ("cut", columns::cut),
    ("base64", columns::base64),
    ("xargs", xargs::xargs),
    ("awk", awk::awk),
    ("tail", text::tail),
    ("wc", text::wc),
    ("ls", ls::ls),
    ("pwd", files::pwd),
    ("cd", files::cd),
    ("mkdir", files::mkdir),
    ("rm", files::rm),
    ("touch", files::touch),
    ("sleep", session::sleep),
    ("clear", session::clear),
    ("history", session::history),
    ("help", session::help),
    ("exit", session::exit),
    ("true", session::true_),
    ("false", session::false_),
    ("export", session::export),
    ("unset", session::unset),
    ("env", session::env),
    ("which", session::which),
    ("type", session::type_),
    ("test", super::cond::test),
    ("[", super::cond::bracket),
    (":", flow::colon),
    ("read", flow::read),
    ("break", flow::break_),
    ("continue", flow::continue_),
    ("return", flow::return_),
    ("local", flow::local),
    ("shift", flow::shift),
    ("let", flow::let_),
];

pub(crate) fn lookup(name: &str) -> Option<Builtin> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// Options and operands after GNU-style parsing (options may follow operands).
#[derive(Debug, Default)]
pub(crate) struct Opts {
    pub flags: Vec<(char, Option<String>)>,
    pub operands: Vec<String>,
}

impl Opts {
    pub fn has(&self, flag: char) -> bool {
        self.flags.iter().any(|(f, _)| *f == flag)
    }

    /// The last value given to a flag that takes one.
    pub fn value(&self, flag: char) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(f, _)| *f == flag)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Parses short options like getopt: `spec` lists the letters, a `:` after one means it
/// takes a value (`"n:"`). Errors use coreutils' two-line wording.
pub(crate) fn getopt(cmd: &str, args: &[String], spec: &str) -> Result<Opts, String> {
    let mut opts = Opts::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            opts.operands.extend(iter.by_ref().cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            return Err(format!(
                "{cmd}: unrecognized option '--{long}'\nTry '{cmd} --help' for more information.\n"
            ));
        }
        let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) else {
            opts.operands.push(arg.clone());
            continue;
        };
        for (i, c) in cluster.char_indices() {
            let Some(pos) = spec.find(c).filter(|_| c != ':') else {
                return Err(format!(
                    "{cmd}: invalid option -- '{c}'\nTry '{cmd} --help' for more information.\n"
                ));
            };
            if spec[pos + c.len_utf8()..].starts_with(':') {
                let rest = &cluster[i + c.len_utf8()..];
                let value = if rest.is_empty() {
                    iter.next().cloned()
                } else {
                    Some(rest.to_string())
                };
                let Some(value) = value else {
                    return Err(format!(
                        "{cmd}: option requires an argument -- '{c}'\nTry '{cmd} --help' for more information.\n"
                    ));
                };
                opts.flags.push((c, Some(value)));
                break;
            }
            opts.flags.push((c, None));
        }
    }
    Ok(opts)
}

/// The text of a file operand, or of stdin for `-`.
pub(crate) fn read_operand(
    sh: &mut Shell,
    name: &str,
    stdin: &str,
) -> Result<String, super::vfs::VfsError> {
    if name == "-" {
        // Counted as it was piped in (see `exec_pipeline`).
        return Ok(stdin.to_string());
    }
    let text = sh.vfs.read(&sh.cwd, name)?;
    if !sh.charge_read(text.len()) {
        return Err(super::vfs::VfsError::ReadLimit);
    }
    Ok(text)
}

/// Whether `out` already holds as much as one command may print.
pub(crate) fn full(out: &str) -> bool {
    out.len() >= MAX_STREAM_BYTES
}

/// Splits text into lines without their newlines; a final newline ends the last line
/// rather than starting an empty one.
pub(crate) fn lines(text: &str) -> Vec<&str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        Vec::new()
    } else {
        body.split('\n').collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn getopt_accepts_clusters_values_and_late_options() {
        let opts = getopt(
            "grep",
            &strings(&["-in", "pat", "file", "-c", "-e", "x", "-A3"]),
            "incA:e:",
        )
        .unwrap();
        assert!(opts.has('i') && opts.has('n') && opts.has('c'));
        assert_eq!(opts.value('e'), Some("x"));
        assert_eq!(opts.value('A'), Some("3"));
        assert_eq!(opts.operands, vec!["pat", "file"]);
    }

    #[test]
    fn getopt_reports_bad_and_incomplete_options() {
        let err = getopt("rm", &strings(&["-z"]), "rf").unwrap_err();
        assert_eq!(
            err,
            "rm: invalid option -- 'z'\nTry 'rm --help' for more information.\n"
        );
        let err = getopt("head", &strings(&["-n"]), "n:").unwrap_err();
        assert_eq!(
            err,
            "head: option requires an argument -- 'n'\nTry 'head --help' for more information.\n"
        );
        let opts = getopt("cat", &strings(&["--", "-n", "-"]), "n").unwrap();
        assert_eq!(opts.operands, vec!["-n", "-"]);
    }

    #[test]
    fn lines_ignore_one_final_newline() {
        assert_eq!(lines("a\nb\n"), vec!["a", "b"]);
        assert_eq!(lines("a\n\n"), vec!["a", ""]);
        assert_eq!(lines("a"), vec!["a"]);
        assert!(lines("").is_empty());
    }
}
