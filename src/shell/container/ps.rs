//! `ps` inside a container (procps-ng 3.3.15, Debian buster): the image's processes, the
//! shells the exec started and `ps` itself (its parent PID 0: it was started from outside
//! the PID namespace). Formats: plain, `-ef`, `-e`/`-A`, `-o`/`-eo` lists, `aux`.

use super::Inside;
use crate::engine::Cluster;
use crate::engine::SimTime;
use crate::shell::{Output, Shell};

struct Row {
    pid: u32,
    ppid: u32,
    user: String,
    cmd: String,
    tty: String,
    start: SimTime,
    exec: bool,
}

pub(super) fn ps(
    sh: &mut Shell,
    args: &[String],
    _stdin: &str,
    cluster: &mut Cluster,
    _t: bool,
) -> Output {
    let Some(inside) = sh.container.as_deref().cloned() else {
        return Output::default();
    };
    let started = cluster
        .container_run(&inside.namespace, &inside.pod, &inside.container)
        .map_or(cluster.now(), |r| r.started_at);
    let rows = table(&inside, args, started, cluster.now());
    let mut every = false;
    let mut full = false;
    let mut bsd = false;
    let mut columns: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        if let Some(flags) = a.strip_prefix('-') {
            let mut chars = flags.chars();
            while let Some(c) = chars.next() {
                match c {
                    'e' | 'A' => every = true,
                    'f' => full = true,
                    'o' => {
                        let rest: String = chars.by_ref().collect();
                        let list = if rest.is_empty() {
                            iter.next().cloned().unwrap_or_default()
                        } else {
                            rest
                        };
                        columns.extend(
                            list.split([',', ' '])
                                .filter(|s| !s.is_empty())
                                .map(str::to_string),
                        );
                    }
                    _ => {
                        return usage_error("unsupported SysV option");
                    }
                }
            }
        } else if a.chars().all(|c| "auxw".contains(c)) {
            bsd = true;
        } else {
            return usage_error("garbage option");
        }
    }
    let shown: Vec<&Row> = if every || bsd || !columns.is_empty() {
        rows.iter().collect()
    } else if inside.tty {
        rows.iter().filter(|r| r.exec).collect()
    } else {
        // Without a terminal: the caller's user's processes that have none either.
        rows.iter()
            .filter(|r| r.tty == "?" && r.user == "root")
            .collect()
    };
    let mut out = String::new();
    if bsd {
        out.push_str("USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
        for r in &shown {
            let (vsz, rss, stat) = if r.exec {
                (6700, 3000, if inside.tty { "R+" } else { "R" })
            } else if r.pid == 1 {
                (83640, 19512, "Ss")
            } else {
                (83712, 8748, "S")
            };
            out.push_str(&format!(
                "{:<8} {:>5} {:>4} {:>4} {:>6} {:>5} {:<8} {:<4} {:>5} {:>6} {}\n",
                r.user,
                r.pid,
                "0.0",
                "0.0",
                vsz,
                rss,
                r.tty,
                stat,
                hhmm(r.start),
                "0:00",
                r.cmd
            ));
        }
    } else if full && columns.is_empty() {
        out.push_str("UID        PID  PPID  C STIME TTY          TIME CMD\n");
        for r in &shown {
            out.push_str(&format!(
                "{:<8} {:>5} {:>5} {:>2} {:>5} {:<8} {:>8} {}\n",
                r.user,
                r.pid,
                r.ppid,
                0,
                hhmm(r.start),
                r.tty,
                "00:00:00",
                r.cmd
            ));
        }
    } else {
        let columns: Vec<String> = if columns.is_empty() {
            vec!["pid".into(), "tty".into(), "time".into(), "comm".into()]
        } else {
            columns
        };
        let mut header = Vec::new();
        for c in &columns {
            match c.as_str() {
                "pid" => header.push("  PID".to_string()),
                "ppid" => header.push(" PPID".to_string()),
                "user" => header.push(format!("{:<8}", "USER")),
                "uid" => header.push("  UID".to_string()),
                "tty" => header.push(format!("{:<8}", "TT")),
                "time" => header.push("    TIME".to_string()),
                "cmd" => header.push("CMD".to_string()),
                "args" | "command" => header.push("COMMAND".to_string()),
                "comm" => header.push("COMMAND".to_string()),
                other => {
                    return usage_error(&format!(
                        "unknown user-defined format specifier \"{other}\""
                    ));
                }
            }
        }
        // The plain format labels the tty column TTY and pads it wider.
        if columns == ["pid", "tty", "time", "comm"] {
            header = vec![
                "  PID".into(),
                "TTY     ".into(),
                "    TIME".into(),
                "CMD".into(),
            ];
        }
        out.push_str(header.join(" ").trim_end());
        out.push('\n');
        for r in &shown {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| match c.as_str() {
                    "pid" => format!("{:>5}", r.pid),
                    "ppid" => format!("{:>5}", r.ppid),
                    "user" => format!("{:<8}", r.user),
                    "uid" => format!("{:>5}", if r.user == "root" { 0 } else { 33 }),
                    "tty" => format!("{:<8}", r.tty),
                    "time" => "00:00:00".to_string(),
                    "comm" => r
                        .cmd
                        .split(' ')
                        .next()
                        .unwrap_or("")
                        .trim_end_matches(':')
                        .to_string(),
                    _ => r.cmd.clone(),
                })
                .collect();
            out.push_str(cells.join(" ").trim_end());
            out.push('\n');
        }
    }
    Output::ok(out)
}

/// The process table: the image's processes, the exec's shells, then `ps` itself.
fn table(inside: &Inside, args: &[String], started: SimTime, now: SimTime) -> Vec<Row> {
    let tty = if inside.tty { "pts/0" } else { "?" };
    let mut rows: Vec<Row> = inside
        .image
        .processes
        .iter()
        .map(|p| Row {
            pid: p.pid,
            ppid: p.ppid,
            user: p.user.to_string(),
            cmd: p.cmd.to_string(),
            tty: "?".to_string(),
            start: started,
            exec: false,
        })
        .collect();
    let mut parent = 0;
    for (pid, cmdline) in &inside.shells {
        rows.push(Row {
            pid: *pid,
            ppid: parent,
            user: "root".to_string(),
            cmd: cmdline.clone(),
            tty: tty.to_string(),
            start: now,
            exec: true,
        });
        parent = *pid;
    }
    let mut cmd = String::from("ps");
    for a in args {
        cmd.push(' ');
        cmd.push_str(a);
    }
    rows.push(Row {
        pid: inside.next_pid,
        ppid: parent,
        user: "root".to_string(),
        cmd,
        tty: tty.to_string(),
        start: now,
        exec: true,
    });
    rows
}

/// `HH:MM` of a start time (ps's STIME/START for processes started today).
fn hhmm(t: SimTime) -> String {
    t.rfc3339().get(11..16).unwrap_or("00:00").to_string()
}

/// procps' error for options it does not take, with its short usage.
fn usage_error(what: &str) -> Output {
    Output::err(
        format!(
            "error: {what}\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n"
        ),
        1,
    )
}
