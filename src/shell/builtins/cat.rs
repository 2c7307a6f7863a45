//! `cat` and `tee`: copy files and stdin to stdout, and stdin to files.

use super::{Call, full, getopt, read_operand};
use crate::shell::vfs::WriteMode;
use crate::shell::{Output, Shell};

/// `cat [-n] [FILE|-]...`: with no file, copies stdin.
pub(crate) fn cat(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("cat", call.args, "nAETv") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let mut operands = opts.operands.clone();
    if operands.is_empty() {
        operands.push("-".to_string());
    }
    let mut out = Output::default();
    let mut line_number = 0usize;
    for name in &operands {
        if full(&out.stdout) {
            out.stderr.push_str("cat: write error: output too large\n");
            out.status = 1;
            break;
        }
        match read_operand(sh, name, call.stdin) {
            Ok(text) if opts.has('n') => {
                for line in text.split_inclusive('\n') {
                    line_number += 1;
                    out.stdout.push_str(&format!("{line_number:6}\t{line}"));
                }
            }
            Ok(text) => out.stdout.push_str(&text),
            Err(e) => {
                out.stderr.push_str(&format!("cat: {name}: {e}\n"));
                out.status = 1;
            }
        }
    }
    out
}

/// `tee [-a] FILE...`: copies stdin to stdout and to every file.
pub(crate) fn tee(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("tee", call.args, "ai") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let mode = if opts.has('a') {
        WriteMode::Append
    } else {
        WriteMode::Truncate
    };
    let mut out = Output::ok(call.stdin);
    for name in &opts.operands {
        if let Err(e) = sh.vfs.write(&sh.cwd, name, call.stdin, mode) {
            out.stderr.push_str(&format!("tee: {name}: {e}\n"));
            out.status = 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::shell::tests::{run, sh};

    #[test]
    fn cat_copies_files_stdin_and_numbers_lines() {
        let mut t = sh();
        run(&mut t, "printf 'a\\nb\\n' > f");
        assert_eq!(run(&mut t, "cat f").stdout, "a\nb\n");
        assert_eq!(run(&mut t, "echo x | cat f - f").stdout, "a\nb\nx\na\nb\n");
        assert_eq!(
            run(&mut t, "cat -n f f").stdout,
            "     1\ta\n     2\tb\n     3\ta\n     4\tb\n"
        );
    }

    #[test]
    fn cat_reports_missing_files_and_directories() {
        let mut t = sh();
        let out = run(&mut t, "cat x");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            ("cat: x: No such file or directory\n", 1)
        );
        assert_eq!(run(&mut t, "cat .").stderr, "cat: .: Is a directory\n");
    }

    #[test]
    fn tee_writes_several_files_and_appends() {
        let mut t = sh();
        let out = run(&mut t, "echo hi | tee a b");
        assert_eq!(out.stdout, "hi\n");
        run(&mut t, "echo more | tee -a a > /dev/null");
        assert_eq!(run(&mut t, "cat a").stdout, "hi\nmore\n");
        assert_eq!(run(&mut t, "cat b").stdout, "hi\n");
        let out = run(&mut t, "echo x | tee /etc/x");
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str(), out.status),
            ("x\n", "tee: /etc/x: Permission denied\n", 1)
        );
    }
}
