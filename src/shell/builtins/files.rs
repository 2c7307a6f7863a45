//! The working directory and file management: `pwd`, `cd`, `mkdir`, `rm`, `touch`.

use super::{Call, getopt};
use crate::shell::vfs::{MkdirMode, RemoveMode, VfsError};
use crate::shell::{Export, Output, Shell};

/// `pwd`: the working directory.
pub(crate) fn pwd(sh: &mut Shell, _call: &mut Call<'_>) -> Output {
    Output::ok(format!("{}\n", sh.cwd))
}

/// `cd [DIR|-]`: no argument means `$HOME`; `-` goes back and prints where.
pub(crate) fn cd(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let args: Vec<&String> = call.args.iter().filter(|a| *a != "--").collect();
    if args.len() > 1 {
        return Output::err("bash: cd: too many arguments\n", 1);
    }
    let (target, announce) = match args.first().map(|a| a.as_str()) {
        None => match sh.var("HOME") {
            Some(home) => (home.to_string(), false),
            None => return Output::err("bash: cd: HOME not set\n", 1),
        },
        Some("-") => match sh.var("OLDPWD") {
            Some(old) => (old.to_string(), true),
            None => return Output::err("bash: cd: OLDPWD not set\n", 1),
        },
        Some(dir) => (dir.to_string(), false),
    };
    let abs = sh.vfs.resolve(&sh.cwd, &target);
    match sh.vfs.meta("/", &abs) {
        None => {
            return Output::err(
                format!("bash: cd: {target}: No such file or directory\n"),
                1,
            );
        }
        Some(meta) if !meta.is_dir => {
            return Output::err(format!("bash: cd: {target}: Not a directory\n"), 1);
        }
        Some(_) => {}
    }
    let old = std::mem::replace(&mut sh.cwd, abs.clone());
    sh.set_var("OLDPWD", old, Export::Keep);
    sh.set_var("PWD", abs.clone(), Export::Keep);
    Output::ok(if announce {
        format!("{abs}\n")
    } else {
        String::new()
    })
}

/// `mkdir [-p] DIR...`.
pub(crate) fn mkdir(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("mkdir", call.args, "pv") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    if opts.operands.is_empty() {
        return Output::err(
            "mkdir: missing operand\nTry 'mkdir --help' for more information.\n",
            1,
        );
    }
    let mode = if opts.has('p') {
        MkdirMode::Parents
    } else {
        MkdirMode::Single
    };
    let mut out = Output::default();
    for name in &opts.operands {
        match sh.vfs.mkdir(&sh.cwd, name, mode) {
            Ok(()) if opts.has('v') => out
                .stdout
                .push_str(&format!("mkdir: created directory '{name}'\n")),
            Ok(()) => {}
            Err(e) => {
                out.stderr
                    .push_str(&format!("mkdir: cannot create directory ‘{name}’: {e}\n"));
                out.status = 1;
            }
        }
    }
    out
}

/// `rm [-rf] FILE...`.
pub(crate) fn rm(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("rm", call.args, "rRfiv") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    let force = opts.has('f');
    let recursive = opts.has('r') || opts.has('R');
    if opts.operands.is_empty() {
        return if force {
            Output::default()
        } else {
            Output::err(
                "rm: missing operand\nTry 'rm --help' for more information.\n",
                1,
            )
        };
    }
    let mode = if recursive {
        RemoveMode::Recursive
    } else {
        RemoveMode::FileOnly
    };
    let mut out = Output::default();
    for name in &opts.operands {
        let last = name.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if recursive && matches!(last, "." | "..") {
            out.stderr.push_str(&format!(
                "rm: refusing to remove '.' or '..' directory: skipping '{name}'\n"
            ));
            out.status = 1;
            continue;
        }
        if recursive && sh.vfs.resolve(&sh.cwd, name) == "/" {
            out.stderr.push_str(
                "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n",
            );
            out.status = 1;
            continue;
        }
        match sh.vfs.remove(&sh.cwd, name, mode) {
            Ok(()) if opts.has('v') => out.stdout.push_str(&format!("removed '{name}'\n")),
            Ok(()) => {}
            Err(VfsError::NotFound) if force => {}
            Err(e) => {
                out.stderr
                    .push_str(&format!("rm: cannot remove '{name}': {e}\n"));
                out.status = 1;
            }
        }
    }
    out
}

/// `touch FILE...`: creates empty files, or updates their time.
pub(crate) fn touch(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("touch", call.args, "acm") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 1),
    };
    if opts.operands.is_empty() {
        return Output::err(
            "touch: missing file operand\nTry 'touch --help' for more information.\n",
            1,
        );
    }
    let mut out = Output::default();
    for name in &opts.operands {
        if let Err(e) = sh.vfs.touch(&sh.cwd, name) {
            out.stderr
                .push_str(&format!("touch: cannot touch '{name}': {e}\n"));
            out.status = 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::shell::tests::{run, sh};

    #[test]
    fn cd_moves_around_and_back() {
        let mut t = sh();
        run(&mut t, "mkdir -p a/b");
        run(&mut t, "cd a/b");
        assert_eq!(run(&mut t, "pwd").stdout, "/home/learner/environment/a/b\n");
        assert_eq!(t.prompt_dir(), "~/environment/a/b");
        run(&mut t, "cd ../..");
        assert_eq!(t.cwd(), "/home/learner/environment");
        run(&mut t, "cd");
        assert_eq!(t.prompt_dir(), "~");
        assert_eq!(run(&mut t, "cd -").stdout, "/home/learner/environment\n");
        run(&mut t, "cd ~");
        assert_eq!(
            run(&mut t, "echo $PWD $OLDPWD").stdout,
            "/home/learner /home/learner/environment\n"
        );
        run(&mut t, "cd /");
        assert_eq!(t.prompt_dir(), "/");
    }

    #[test]
    fn cd_reports_bash_errors() {
        let mut t = sh();
        run(&mut t, "touch f");
        let out = run(&mut t, "cd x");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            ("bash: cd: x: No such file or directory\n", 1)
        );
        assert_eq!(run(&mut t, "cd f").stderr, "bash: cd: f: Not a directory\n");
        assert_eq!(
            run(&mut t, "cd a b").stderr,
            "bash: cd: too many arguments\n"
        );
        assert_eq!(run(&mut t, "cd -").stderr, "bash: cd: OLDPWD not set\n");
    }

    #[test]
    fn mkdir_rm_and_touch_manage_files() {
        let mut t = sh();
        assert_eq!(run(&mut t, "mkdir d && touch d/f && ls d").stdout, "f\n");
        assert_eq!(
            run(&mut t, "mkdir d").stderr,
            "mkdir: cannot create directory ‘d’: File exists\n"
        );
        assert_eq!(
            run(&mut t, "mkdir x/y").stderr,
            "mkdir: cannot create directory ‘x/y’: No such file or directory\n"
        );
        assert_eq!(
            run(&mut t, "mkdir").stderr,
            "mkdir: missing operand\nTry 'mkdir --help' for more information.\n"
        );
        assert_eq!(
            run(&mut t, "rm d").stderr,
            "rm: cannot remove 'd': Is a directory\n"
        );
        assert_eq!(
            run(&mut t, "rm nope").stderr,
            "rm: cannot remove 'nope': No such file or directory\n"
        );
        assert_eq!(run(&mut t, "rm -f nope").status, 0);
        assert_eq!(run(&mut t, "rm -rf d && ls").stdout, "");
        assert_eq!(
            run(&mut t, "touch /etc/x").stderr,
            "touch: cannot touch '/etc/x': Permission denied\n"
        );
        assert_eq!(
            run(&mut t, "mkdir /etc/x").stderr,
            "mkdir: cannot create directory ‘/etc/x’: Permission denied\n"
        );
        assert_eq!(run(&mut t, "rm -rf /").status, 1);
    }
}
