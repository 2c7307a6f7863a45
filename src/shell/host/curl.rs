//! `curl` on the host, for the workshop's download URLs only (kind v0.11.1, kubectl
//! v1.21.1 and its checksum, `stable.txt`): `-L`, `-o F`, `-O`, `-s`, `-S`, `-f`, with curl's
//! progress meter on stderr; any other host is curl's own "Could not resolve host".

use super::super::{Output, Shell, vfs};
use super::{placeholder, sha256_hex};

/// What one URL answers: the redirects curl follows with `-L`, then the body.
struct Answer {
    redirects: usize,
    body: String,
}

fn answer(url: &str) -> Option<Answer> {
    let kubectl = "https://dl.k8s.io/release/v1.21.1/bin/linux/amd64/kubectl";
    // dl.k8s.io serves each release with and without `/release` in the path.
    let url = url.replace(
        "https://dl.k8s.io/v1.21.1/",
        "https://dl.k8s.io/release/v1.21.1/",
    );
    Some(match url.as_str() {
        "https://kind.sigs.k8s.io/dl/v0.11.1/kind-linux-amd64" => Answer {
            redirects: 2,
            body: placeholder("kind"),
        },
        "https://dl.k8s.io/release/stable.txt" => Answer {
            redirects: 1,
            body: "v1.21.1".to_string(),
        },
        u if u == kubectl => Answer {
            redirects: 1,
            body: placeholder("kubectl"),
        },
        u if u == format!("{kubectl}.sha256") => Answer {
            redirects: 1,
            body: sha256_hex(placeholder("kubectl").as_bytes()),
        },
        _ => return None,
    })
}

/// One row of curl's progress meter for a finished transfer of `bytes`.
fn meter_row(bytes: usize) -> String {
    let size = human(bytes);
    format!(
        "100 {size:>5}  100 {size:>5}    0     0  {size:>5}      0 --:--:-- --:--:-- --:--:-- {size:>5}\n"
    )
}

/// curl's 5-character sizes (`12345`, `6584k`, `42.1M`).
fn human(bytes: usize) -> String {
    if bytes < 100_000 {
        bytes.to_string()
    } else if bytes < 10_000 * 1024 {
        format!("{}k", bytes / 1024)
    } else {
        format!("{}M", bytes / (1024 * 1024))
    }
}

pub(crate) fn curl(sh: &mut Shell, args: &[String], to_terminal: bool) -> Output {
    let mut follow = false;
    let mut silent = false;
    let mut show_error = false;
    let mut out_file: Option<String> = None;
    let mut remote_name = false;
    let mut urls = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--location" => follow = true,
            "--silent" => silent = true,
            "--show-error" => show_error = true,
            "--remote-name" => remote_name = true,
            "--fail" => {}
            "--output" => out_file = iter.next().cloned(),
            s if s.starts_with("--") => {
                return Output::err(
                    format!(
                        "curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
                    ),
                    2,
                );
            }
            s if s.starts_with('-') && s.len() > 1 => {
                let letters: Vec<char> = s[1..].chars().collect();
                for (i, c) in letters.iter().enumerate() {
                    match c {
                        'L' => follow = true,
                        's' => silent = true,
                        'S' => show_error = true,
                        'O' => remote_name = true,
                        'f' => {}
                        'o' => {
                            let rest: String = letters[i + 1..].iter().collect();
                            out_file = if rest.is_empty() {
                                iter.next().cloned()
                            } else {
                                Some(rest)
                            };
                            if out_file.is_none() {
                                return Output::err(
                                    "curl: option -o: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
                                    2,
                                );
                            }
                            break;
                        }
                        other => {
                            return Output::err(
                                format!(
                                    "curl: option -{other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
                                ),
                                2,
                            );
                        }
                    }
                }
            }
            url => urls.push(url.to_string()),
        }
    }
    let Some(url) = urls.first() else {
        return Output::err(
            "curl: try 'curl --help' or 'curl --manual' for more information\n",
            2,
        );
    };
    let mut result = Output::default();
    let Some(ans) = answer(url) else {
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split('/')
            .next()
            .unwrap_or("");
        if !silent || show_error {
            result.stderr = format!("curl: (6) Could not resolve host: {host}\n");
        }
        result.status = 6;
        return result;
    };
    let (body, rows) = if follow {
        (ans.body, ans.redirects + 1)
    } else {
        (String::new(), 1)
    };
    let target = if remote_name {
        Some(url.rsplit('/').next().unwrap_or("").to_string())
    } else {
        out_file
    };
    let meter = !silent && (target.is_some() || !to_terminal);
    if meter {
        result.stderr.push_str("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n");
        for i in 0..rows {
            let bytes = if i + 1 == rows { body.len() } else { 0 };
            result.stderr.push_str(&meter_row(bytes));
        }
    }
    match target {
        Some(name) => {
            if let Err(e) = sh
                .vfs
                .write(&sh.cwd, &name, &body, vfs::WriteMode::Truncate)
            {
                let why = match e {
                    vfs::VfsError::PermissionDenied => "Permission denied",
                    vfs::VfsError::NotFound => "No such file or directory",
                    _ => "Failure writing output to destination",
                };
                result.stderr.push_str(&format!(
                    "Warning: Failed to create the file {name}: {why}\ncurl: (23) Failure writing output to destination\n"
                ));
                result.status = 23;
            }
        }
        None => result.stdout = body,
    }
    result
}
