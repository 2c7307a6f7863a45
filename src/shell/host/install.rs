//! The install lines of the workshop on the virtual files: `chmod`, `sudo`, `mv`, `install`
//! and `sha256sum` (`curl` is in `curl.rs`). Texts follow GNU coreutils' wording.

use super::super::{Output, Shell, vfs};
use super::sha256_hex;
use crate::engine::Cluster;

/// Applies a `chmod` mode (octal, or symbolic like `+x`, `u+x,go-w`, `a=r`) to `old`.
fn apply_mode(spec: &str, old: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().filter(|m| *m <= 0o7777);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let ops_at = clause.find(['+', '-', '='])?;
        let who = &clause[..ops_at];
        if !who.chars().all(|c| "ugoa".contains(c)) {
            return None;
        }
        let mut rest = &clause[ops_at..];
        while !rest.is_empty() {
            let op = rest.chars().next()?;
            rest = &rest[1..];
            let perm_end = rest.find(['+', '-', '=']).unwrap_or(rest.len());
            let perms = &rest[..perm_end];
            rest = &rest[perm_end..];
            let mut bits = 0;
            for c in perms.chars() {
                bits |= match c {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    'X' if is_dir || old & 0o111 != 0 => 0o111,
                    'X' => 0,
                    _ => return None,
                };
            }
            // Without `ugoa`, the umask (022) keeps `w` for the owner only.
            let mask = if who.is_empty() {
                0o777 & !0o022
            } else {
                who.chars().fold(0, |m, c| {
                    m | match c {
                        'u' => 0o700,
                        'g' => 0o070,
                        'o' => 0o007,
                        _ => 0o777,
                    }
                })
            };
            match op {
                '+' => mode |= bits & mask,
                '-' => mode &= !(bits & mask),
                _ => mode = (mode & !mask) | (bits & mask),
            }
        }
    }
    Some(mode)
}

pub(crate) fn chmod(sh: &mut Shell, args: &[String]) -> Output {
    let words: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
    let Some((spec, files)) = words.split_first() else {
        return Output::err(
            "chmod: missing operand\nTry 'chmod --help' for more information.\n",
            1,
        );
    };
    if files.is_empty() {
        return Output::err(
            format!(
                "chmod: missing operand after '{spec}'\nTry 'chmod --help' for more information.\n"
            ),
            1,
        );
    }
    let mut out = Output::default();
    for file in files {
        let Some(meta) = sh.vfs.meta(&sh.cwd, file) else {
            out.stderr.push_str(&format!(
                "chmod: cannot access '{file}': No such file or directory\n"
            ));
            out.status = 1;
            continue;
        };
        let Some(mode) = apply_mode(spec, meta.mode, meta.is_dir) else {
            return Output::err(
                format!(
                    "chmod: invalid mode: '{spec}'\nTry 'chmod --help' for more information.\n"
                ),
                1,
            );
        };
        if sh.vfs.set_mode(&sh.cwd, file, mode).is_err() {
            out.stderr.push_str(&format!(
                "chmod: changing permissions of '{file}': Operation not permitted\n"
            ));
            out.status = 1;
        }
    }
    out
}

pub(crate) fn sudo(
    sh: &mut Shell,
    args: &[String],
    stdin: &str,
    cluster: &mut Cluster,
    to_terminal: bool,
) -> Output {
    let rest: Vec<String> = args
        .iter()
        .skip_while(|a| a.starts_with('-'))
        .cloned()
        .collect();
    if rest.is_empty() {
        return Output::err(
            "usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-C num] [-g group] [-h host] [-p prompt] [-u user] command\n",
            1,
        );
    }
    let was_root = sh.vfs.is_root();
    sh.vfs.set_root(true);
    let out = match rest[0].as_str() {
        // sudo runs programs, not the shell's builtins.
        "cd" | "export" | "source" | "alias" => {
            Output::err(format!("sudo: {}: command not found\n", rest[0]), 1)
        }
        _ => sh.dispatch(&rest, stdin, cluster, to_terminal),
    };
    sh.vfs.set_root(was_root);
    out
}

pub(crate) fn mv(sh: &mut Shell, args: &[String]) -> Output {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match names.as_slice() {
        [] => Output::err(
            "mv: missing file operand\nTry 'mv --help' for more information.\n",
            1,
        ),
        [one] => Output::err(
            format!(
                "mv: missing destination file operand after '{one}'\nTry 'mv --help' for more information.\n"
            ),
            1,
        ),
        [sources @ .., dest] => {
            let mut out = Output::default();
            if sources.len() > 1 && !sh.vfs.is_dir(&sh.cwd, dest) {
                return Output::err(format!("mv: target '{dest}' is not a directory\n"), 1);
            }
            for src in sources {
                if !sh.vfs.exists(&sh.cwd, src) {
                    out.stderr.push_str(&format!(
                        "mv: cannot stat '{src}': No such file or directory\n"
                    ));
                    out.status = 1;
                    continue;
                }
                if let Err(e) = sh.vfs.rename(&sh.cwd, src, dest) {
                    let why = match e {
                        vfs::VfsError::IsADirectory => {
                            "Is a directory (the tutor moves files only)".to_string()
                        }
                        other => other.to_string(),
                    };
                    out.stderr
                        .push_str(&format!("mv: cannot move '{src}' to '{dest}': {why}\n"));
                    out.status = 1;
                }
            }
            out
        }
    }
}

pub(crate) fn install(sh: &mut Shell, args: &[String]) -> Output {
    let mut mode = 0o755;
    let mut owner_change = false;
    let mut names = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "-o" | "-g" | "--owner" | "--group" => {
                let who = iter.next().map(String::as_str).unwrap_or("");
                owner_change |= who != "learner";
            }
            "-m" | "--mode" => {
                let spec = iter.next().map(String::as_str).unwrap_or("");
                match apply_mode(spec, 0o755, false) {
                    Some(m) => mode = m,
                    None => return Output::err(format!("install: invalid mode '{spec}'\n"), 1),
                }
            }
            s if s.starts_with('-') => {}
            name => names.push(name.to_string()),
        }
    }
    let [src, dest] = names.as_slice() else {
        return Output::err(
            "install: missing destination file operand\nTry 'install --help' for more information.\n",
            1,
        );
    };
    let data = match sh.vfs.read(&sh.cwd, src) {
        Ok(d) => d,
        Err(_) => {
            return Output::err(
                format!("install: cannot stat '{src}': No such file or directory\n"),
                1,
            );
        }
    };
    let mut target = sh.vfs.resolve(&sh.cwd, dest);
    if sh.vfs.is_dir("/", &target) {
        target = format!("{target}/{}", src.rsplit('/').next().unwrap_or(src));
    }
    if let Err(e) = sh.vfs.write("/", &target, &data, vfs::WriteMode::Truncate) {
        return Output::err(
            format!("install: cannot create regular file '{dest}': {e}\n"),
            1,
        );
    }
    let _ = sh.vfs.set_mode("/", &target, mode);
    if owner_change && !sh.vfs.is_root() {
        return Output::err(
            format!("install: cannot change ownership of '{dest}': Operation not permitted\n"),
            1,
        );
    }
    Output::default()
}

pub(crate) fn sha256sum(sh: &mut Shell, args: &[String], stdin: &str) -> Output {
    let check = args.iter().any(|a| a == "-c" || a == "--check");
    let files: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') || a.as_str() == "-")
        .collect();
    let inputs: Vec<(String, Result<String, vfs::VfsError>)> = if files.is_empty() {
        vec![("-".to_string(), Ok(stdin.to_string()))]
    } else {
        files
            .iter()
            .map(|f| {
                let text = if f.as_str() == "-" {
                    Ok(stdin.to_string())
                } else {
                    sh.vfs.read(&sh.cwd, f)
                };
                (f.to_string(), text)
            })
            .collect()
    };
    let mut out = Output::default();
    for (name, text) in inputs {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                out.stderr.push_str(&format!("sha256sum: {name}: {e}\n"));
                out.status = 1;
                continue;
            }
        };
        if !check {
            out.stdout
                .push_str(&format!("{}  {name}\n", sha256_hex(text.as_bytes())));
            continue;
        }
        let (mut failed, mut unreadable, mut proper) = (0, 0, 0);
        for line in text.lines() {
            let Some((digest, file)) = line.split_once("  ").or_else(|| line.split_once(" *"))
            else {
                continue;
            };
            if digest.len() != 64 || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
                continue;
            }
            proper += 1;
            match sh.vfs.read(&sh.cwd, file) {
                Ok(data) if sha256_hex(data.as_bytes()) == digest.to_ascii_lowercase() => {
                    out.stdout.push_str(&format!("{file}: OK\n"));
                }
                Ok(_) => {
                    out.stdout.push_str(&format!("{file}: FAILED\n"));
                    failed += 1;
                }
                Err(e) => {
                    out.stderr.push_str(&format!("sha256sum: {file}: {e}\n"));
                    out.stdout
                        .push_str(&format!("{file}: FAILED open or read\n"));
                    unreadable += 1;
                }
            }
        }
        if proper == 0 {
            out.stderr.push_str(&format!(
                "sha256sum: {name}: no properly formatted SHA256 checksum lines found\n"
            ));
            out.status = 1;
        }
        if unreadable > 0 {
            let s = if unreadable == 1 { "file" } else { "files" };
            out.stderr.push_str(&format!(
                "sha256sum: WARNING: {unreadable} listed {s} could not be read\n"
            ));
            out.status = 1;
        }
        if failed > 0 {
            let (s, verb) = if failed == 1 {
                ("checksum", "did")
            } else {
                ("checksums", "did")
            };
            out.stderr.push_str(&format!(
                "sha256sum: WARNING: {failed} computed {s} {verb} NOT match\n"
            ));
            out.status = 1;
        }
    }
    out
}
