//! `watch [-n SECONDS] [-t] COMMAND...` (procps-ng): runs the command every interval (2 s by
//! default) until Ctrl-C, each time as a fresh screen: the title line `Every 2.0s: COMMAND`
//! with `HOST: DATE` at the right of an 80-column line, a blank line, then what the command
//! printed (stdout and stderr together, as watch captures both). In the tutor each refresh
//! clears the terminal pane first; headless, the refreshes follow one another.

use std::time::Duration;

use super::{Dest, WaitKind};
use crate::engine::Cluster;
use crate::engine::clock::SimTime;
use crate::shell::{Flow, Output, Shell};

/// procps-ng's default interval.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(2);
/// procps-ng's smallest interval.
const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// The title line's width when the output is not a terminal (procps uses `COLUMNS`, 80).
const TITLE_WIDTH: usize = 80;
/// The host name the title shows (the simulated workstation's).
const HOST: &str = "kubetutor";
/// What a terminal's `clear` prints; the tutor's pane clears on it.
const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J";

const USAGE: &str = "\nUsage:\n watch [options] command\n\nOptions:\n  -n, --interval <secs>  seconds to wait between updates\n  -t, --no-title         turn off header\n";

/// Runs `watch ARGS` until it is stopped.
pub(crate) fn watch(sh: &mut Shell, args: &[String], cluster: &mut Cluster) -> Output {
    let mut interval = DEFAULT_INTERVAL;
    let mut title = true;
    let mut rest = args;
    while let Some(first) = rest.first() {
        let s = first.as_str();
        let value = if s == "-n" || s == "--interval" {
            let Some(v) = rest.get(1) else {
                return Output::err(
                    format!("watch: option requires an argument -- 'n'\n{USAGE}"),
                    1,
                );
            };
            rest = &rest[2..];
            Some(v.as_str())
        } else if let Some(v) = s.strip_prefix("--interval=") {
            rest = &rest[1..];
            Some(v)
        } else if let Some(v) = s.strip_prefix("-n").filter(|v| !v.is_empty()) {
            rest = &rest[1..];
            Some(v)
        } else if s == "-t" || s == "--no-title" {
            title = false;
            rest = &rest[1..];
            None
        } else if s == "--" {
            rest = &rest[1..];
            break;
        } else if s.starts_with('-') && s.len() > 1 {
            let c = s.chars().nth(1).unwrap_or('-');
            return Output::err(format!("watch: invalid option -- '{c}'\n{USAGE}"), 1);
        } else {
            break;
        };
        if let Some(v) = value {
            match v.replace(',', ".").parse::<f64>() {
                Ok(secs) if secs.is_finite() && secs >= 0.0 => {
                    interval = Duration::try_from_secs_f64(secs)
                        .unwrap_or(DEFAULT_INTERVAL)
                        .clamp(MIN_INTERVAL, Duration::from_secs(u32::MAX.into()));
                }
                _ => return Output::err(format!("watch: failed to parse argument: '{v}'\n"), 1),
            }
        }
    }
    if rest.is_empty() {
        return Output::err(USAGE, 1);
    }
    let command = rest.join(" ");
    let mut held = Output::default();
    let clear = sh.pace.is_interactive() && sh.out_dest != Dest::Held;
    loop {
        let dests = (sh.out_dest, sh.err_dest);
        (sh.out_dest, sh.err_dest) = (Dest::Held, Dest::Held);
        let saved = sh.last_status;
        let out = sh.run_source(&command, cluster, 0);
        sh.last_status = saved;
        (sh.out_dest, sh.err_dest) = dests;
        let mut screen = String::new();
        if clear {
            screen.push_str(CLEAR_SCREEN);
        }
        if title {
            screen.push_str(&title_line(interval, &command, cluster.now()));
            screen.push_str("\n\n");
        }
        screen.push_str(&out.stdout);
        screen.push_str(&out.stderr);
        sh.print_now(&mut held, &screen);
        if sh.flow == Some(Flow::Abort) {
            return held;
        }
        sh.flow = None;
        if sh.wait(cluster, interval, WaitKind::Open).is_err() {
            return held;
        }
    }
}

/// `Every 2.0s: COMMAND` and `HOST: DATE` on one line of [`TITLE_WIDTH`] columns.
fn title_line(interval: Duration, command: &str, now: SimTime) -> String {
    let left = format!("Every {:.1}s: {command}", interval.as_secs_f64());
    let right = format!("{HOST}: {}", ctime(now));
    let room = TITLE_WIDTH.saturating_sub(right.chars().count() + 1);
    let shown: String = left.chars().take(room).collect();
    let pad = TITLE_WIDTH.saturating_sub(shown.chars().count() + right.chars().count());
    format!("{shown}{}{right}", " ".repeat(pad))
}

/// `Sun Dec  6 05:42:11 2026` (C's `%a %b %e %H:%M:%S %Y`).
fn ctime(now: SimTime) -> String {
    // rfc1123z: `Thu, 01 Jul 2021 09:58:12 +0000`.
    let text = now.rfc1123z();
    let parts: Vec<&str> = text.split([' ', ',']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [weekday, day, month, year, time, _] => {
            let day = day.trim_start_matches('0');
            format!("{weekday} {month} {day:>2} {time} {year}")
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_procps_layout_at_80_columns() {
        let t = title_line(
            Duration::from_secs(2),
            "kubectl get pods",
            SimTime::parse_rfc3339("2021-07-06T05:42:11Z").unwrap_or(SimTime(0)),
        );
        assert_eq!(t.chars().count(), 80);
        assert!(t.starts_with("Every 2.0s: kubectl get pods "), "{t}");
        assert!(t.ends_with("kubetutor: Tue Jul  6 05:42:11 2021"), "{t}");
    }
}
