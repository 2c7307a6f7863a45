//! The container's own programs whose behaviour depends on the pod: `curl`, `getent`,
//! `hostname`, `env`/`printenv`, `kill`, `which`, and the shells `bash`/`sh` (the tutor's
//! own interpreter). Everything else comes from the host shell's builtins.

use super::net::{self, Connect};
use super::{BIN_DIRS, Inside};
use crate::engine::Cluster;
use crate::shell::{Output, Shell};

pub(super) type Own = fn(&mut Shell, &[String], &str, &mut Cluster, bool) -> Output;

const OWN: &[(&str, Own)] = &[
    ("curl", curl),
    ("getent", getent),
    ("hostname", hostname),
    ("env", env),
    ("printenv", printenv),
    ("kill", kill),
    ("which", which),
    ("bash", bash),
    ("sh", bash),
    ("ps", super::ps::ps),
];

pub(super) fn lookup(name: &str) -> Option<Own> {
    OWN.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

fn inside(sh: &Shell) -> Option<Inside> {
    sh.container.as_deref().cloned()
}

/// `bash -c SCRIPT [NAME ARGS…]`, or a script read from stdin.
fn bash(sh: &mut Shell, args: &[String], stdin: &str, cluster: &mut Cluster, _t: bool) -> Output {
    let (script, positional) = match args.first().map(String::as_str) {
        Some("-c") => match args.get(1) {
            Some(s) => (s.clone(), args.iter().skip(3).cloned().collect::<Vec<_>>()),
            None => return Output::err("bash: -c: option requires an argument\n", 2),
        },
        Some(other) if other.starts_with('-') && other != "-" => {
            return Output::err(format!("bash: {other}: invalid option\n"), 2);
        }
        Some(file) => match sh.vfs.read(&sh.cwd, file) {
            Ok(text) => (text, args.iter().skip(1).cloned().collect()),
            Err(e) => return Output::err(format!("bash: {file}: {e}\n"), 127),
        },
        None if stdin.is_empty() => {
            return Output::err(
                "kubetutor: an interactive shell inside a container is not simulated; give it a command: bash -c \"...\"\n",
                1,
            );
        }
        None => (stdin.to_string(), Vec::new()),
    };
    if let Some(i) = sh.container.as_deref_mut() {
        let mut cmdline = String::from("bash");
        for a in args {
            cmdline.push(' ');
            cmdline.push_str(a);
        }
        i.shells.push((i.next_pid, cmdline));
        i.next_pid += 1;
    }
    let saved = std::mem::replace(&mut sh.positional, positional);
    let mut out = sh.run_source(&script, cluster, 0);
    sh.positional = saved;
    if let Some(i) = sh.container.as_deref_mut() {
        i.shells.pop();
    }
    if let Some(code) = sh.exit_requested.take() {
        out.status = code;
    }
    out
}

/// `curl [-s] [-S] [-i] [-f] [-o FILE] URL`: one GET (curl 7.64's texts and exit codes).
fn curl(sh: &mut Shell, args: &[String], _stdin: &str, cluster: &mut Cluster, _t: bool) -> Output {
    let Some(inside) = inside(sh) else {
        return Output::default();
    };
    let mut silent = false;
    let mut show_errors = false;
    let mut include = false;
    let mut fail = false;
    let mut url: Option<&str> = None;
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_errors = true,
            "-sS" | "-Ss" => {
                silent = true;
                show_errors = true;
            }
            "-i" | "--include" => include = true,
            "-f" | "--fail" => fail = true,
            "-v" | "--verbose" | "-L" | "--location" | "-k" | "--insecure" => {}
            "-m" | "--max-time" | "--connect-timeout" | "-H" | "--header" | "-X" | "-o"
            | "--output" | "-A" | "--user-agent" => {
                iter.next();
            }
            other if other.starts_with('-') && other.len() > 1 => {
                // curl 7.64's message for an option it does not know.
                return Output::err(
                    format!(
                        "curl: option {other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
                    ),
                    2,
                );
            }
            other => url = url.or(Some(other)),
        }
    }
    let Some(url) = url else {
        return Output::err(
            "curl: try 'curl --help' or 'curl --manual' for more information\n",
            2,
        );
    };
    let quiet_errors = silent && !show_errors;
    let error = |code: i32, text: String| {
        Output::err(
            if quiet_errors {
                String::new()
            } else {
                format!("curl: ({code}) {text}\n")
            },
            code,
        )
    };
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), url),
    };
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => {
            return error(
                1,
                format!("Protocol \"{scheme}\" not supported or disabled in libcurl"),
            );
        }
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        // `host:` keeps the scheme's port.
        Some((h, "")) => (h, default_port),
        Some((h, p)) => match p.parse::<u32>() {
            Ok(n) => match u16::try_from(n) {
                Ok(n) => (h, n),
                Err(_) => return error(3, "Port number out of range".into()),
            },
            Err(_) => {
                let bad = p.chars().find(|c| !c.is_ascii_digit()).unwrap_or('?');
                return error(3, format!("Port number ended with '{bad}'"));
            }
        },
        None => (authority, default_port),
    };
    if host.is_empty() {
        return error(3, "URL using bad/illegal format or missing URL".into());
    }
    let Some(resolved) = net::resolve(cluster, &inside, host) else {
        return error(6, format!("Could not resolve host: {host}"));
    };
    match net::connect(cluster, &inside, &resolved.ip, port) {
        Connect::Refused => error(
            7,
            format!("Failed to connect to {host} port {port}: Connection refused"),
        ),
        Connect::TimedOut => error(
            7,
            format!("Failed to connect to {host} port {port}: Connection timed out"),
        ),
        Connect::Accepted { .. } if scheme == "https" => error(
            35,
            "error:1408F10B:SSL routines:ssl3_get_record:wrong version number".into(),
        ),
        Connect::Accepted {
            namespace,
            pod,
            container,
        } => {
            let client = if resolved.ip == "127.0.0.1" {
                "127.0.0.1".to_string()
            } else {
                inside.pod_ip.clone()
            };
            let (status, body) = net::respond(cluster, &client, &namespace, &pod, &container, path);
            if fail && status >= 400 {
                return error(
                    22,
                    format!("The requested URL returned error: {status} Not Found"),
                );
            }
            let mut text = String::new();
            if include {
                let reason = if status == 200 { "OK" } else { "Not Found" };
                text.push_str(&format!(
                    "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                ));
            }
            text.push_str(&body);
            Output::ok(text)
        }
    }
}

/// `getent hosts [NAME|IP…]` (glibc `nss/getent.c`: `%-15s %s` then aliases; a key not
/// found ends with status 2).
fn getent(
    sh: &mut Shell,
    args: &[String],
    _stdin: &str,
    cluster: &mut Cluster,
    _t: bool,
) -> Output {
    let Some(inside) = inside(sh) else {
        return Output::default();
    };
    let Some((db, keys)) = args.split_first() else {
        return Output::err(
            "Usage: getent [OPTION...] database [key ...]\nTry `getent --help' or `getent --usage' for more information.\n",
            1,
        );
    };
    if db != "hosts" {
        return Output::err(
            format!(
                "Unknown database: {db}\nTry `getent --help' or `getent --usage' for more information.\n"
            ),
            1,
        );
    }
    let mut out = Output::default();
    if keys.is_empty() {
        let hosts = sh.vfs.read("/", "/etc/hosts").unwrap_or_default();
        for line in hosts
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut words = line.split_whitespace();
            let ip = words.next().unwrap_or("");
            let names: Vec<&str> = words.collect();
            out.stdout
                .push_str(&format!("{ip:<15} {}\n", names.join(" ")));
        }
        return out;
    }
    for key in keys {
        // getent asks for IPv6 first (gethostbyname2 AF_INET6, then AF_INET): only
        // /etc/hosts' `::1` line answers that on this IPv4 cluster.
        if matches!(key.as_str(), "localhost" | "ip6-localhost" | "ip6-loopback") {
            out.stdout
                .push_str("::1             localhost ip6-localhost ip6-loopback\n");
            continue;
        }
        let hit = if net::is_ipv4(key) {
            net::reverse(cluster, &inside, key)
        } else {
            net::resolve(cluster, &inside, key)
        };
        match hit {
            Some(r) => {
                let mut line = format!("{:<15} {}", r.ip, r.name);
                for alias in &r.aliases {
                    line.push(' ');
                    line.push_str(alias);
                }
                out.stdout.push_str(&line);
                out.stdout.push('\n');
            }
            None => out.status = 2,
        }
    }
    out
}

/// `hostname` prints the pod's name; `-i` its IP.
fn hostname(sh: &mut Shell, args: &[String], _stdin: &str, _c: &mut Cluster, _t: bool) -> Output {
    let Some(inside) = inside(sh) else {
        return Output::default();
    };
    match args.first().map(String::as_str) {
        None => Output::ok(format!("{}\n", inside.hostname)),
        Some("-i" | "--ip-address" | "-I" | "--all-ip-addresses") => {
            let end = if args[0].starts_with("-I") || args[0] == "--all-ip-addresses" {
                " \n"
            } else {
                "\n"
            };
            Output::ok(format!("{}{end}", inside.pod_ip))
        }
        Some(_) => Output::err("hostname: you must be root to change the host name\n", 1),
    }
}

/// The exported variables in the order the process's environment holds them.
fn environment(sh: &Shell) -> Vec<(String, String)> {
    let order = sh
        .container
        .as_deref()
        .map(|i| i.env_order.clone())
        .unwrap_or_default();
    let mut out: Vec<(String, String)> = order
        .iter()
        .filter_map(|k| {
            sh.vars
                .get(k)
                .filter(|v| v.exported)
                .map(|v| (k.clone(), v.value.clone()))
        })
        .collect();
    for (k, v) in &sh.vars {
        if v.exported && !order.contains(k) {
            out.push((k.clone(), v.value.clone()));
        }
    }
    out
}

/// `env` with no arguments.
fn env(sh: &mut Shell, args: &[String], _stdin: &str, _c: &mut Cluster, _t: bool) -> Output {
    if let Some(first) = args.first() {
        return Output::err(
            format!("env: ‘{first}’: running programs through env is not supported here\n"),
            125,
        );
    }
    Output::ok(
        environment(sh)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}\n"))
            .collect::<String>(),
    )
}

/// `printenv [NAME…]`: status 1 when a name is not set.
fn printenv(sh: &mut Shell, args: &[String], _stdin: &str, _c: &mut Cluster, _t: bool) -> Output {
    let all = environment(sh);
    if args.is_empty() {
        return Output::ok(
            all.into_iter()
                .map(|(k, v)| format!("{k}={v}\n"))
                .collect::<String>(),
        );
    }
    let mut out = Output::default();
    for name in args {
        match all.iter().find(|(k, _)| k == name) {
            Some((_, v)) => {
                out.stdout.push_str(v);
                out.stdout.push('\n');
            }
            None => out.status = 1,
        }
    }
    out
}

/// `kill [-SIG] PID…` (bash's builtin wording). PID 1 ends the container's main process.
fn kill(sh: &mut Shell, args: &[String], _stdin: &str, cluster: &mut Cluster, _t: bool) -> Output {
    let Some(inside) = inside(sh) else {
        return Output::default();
    };
    let mut pids: Vec<&str> = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        if a == "-s" || a == "-n" {
            iter.next();
        } else if a == "-l" || a == "-L" {
            return Output::ok(
                " 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n",
            );
        } else if a.starts_with('-') && a.len() > 1 && pids.is_empty() {
            continue;
        } else {
            pids.push(a);
        }
    }
    if pids.is_empty() {
        return Output::err(
            "bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n",
            2,
        );
    }
    let mut out = Output::default();
    for pid in pids {
        let Ok(n) = pid.parse::<u32>() else {
            out.stderr.push_str(&format!(
                "bash: kill: {pid}: arguments must be process or job IDs\n"
            ));
            out.status = 1;
            continue;
        };
        let known = inside.image.processes.iter().any(|p| p.pid == n)
            || inside.shells.iter().any(|(pid, _)| *pid == n);
        if !known {
            out.stderr
                .push_str(&format!("bash: kill: ({n}) - No such process\n"));
            out.status = 1;
            continue;
        }
        if n == 1 {
            cluster.end_main_process(&inside.namespace, &inside.pod, &inside.container);
            if let Some(i) = sh.container.as_deref_mut() {
                i.ended = !i.shells.is_empty();
            }
        }
    }
    out
}

/// `which NAME…`: where the image has the program.
fn which(sh: &mut Shell, args: &[String], _stdin: &str, _c: &mut Cluster, _t: bool) -> Output {
    let Some(inside) = inside(sh) else {
        return Output::default();
    };
    let mut out = Output::default();
    for name in args {
        if inside.image.tools.contains(&name.as_str()) {
            let dir = if matches!(
                name.as_str(),
                "bash"
                    | "sh"
                    | "cat"
                    | "ls"
                    | "echo"
                    | "hostname"
                    | "sleep"
                    | "kill"
                    | "ps"
                    | "grep"
                    | "mkdir"
                    | "rm"
                    | "touch"
                    | "pwd"
                    | "true"
                    | "false"
            ) {
                BIN_DIRS[5]
            } else {
                BIN_DIRS[3]
            };
            out.stdout.push_str(&format!("{dir}{name}\n"));
        } else {
            out.status = 1;
        }
    }
    out
}
