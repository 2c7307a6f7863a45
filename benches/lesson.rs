//! The whole DaemonSet lesson through `kubetutor shell`, timed against one start of the
//! real `kubectl version --client` (when installed), with the peak RSS of the tutor.
//! Run with `cargo bench --bench lesson`; it prints its figures, it asserts nothing.
#![allow(clippy::disallowed_methods)] // a benchmark times real processes on purpose

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 20;

fn main() {
    let exe = env!("CARGO_BIN_EXE_kubetutor");
    let script = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scripts/lesson.sh"
    ))
    .unwrap_or_default();
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let Ok(mut child) = Command::new(exe)
            .args(["shell", "--seed", "1"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            eprintln!("cannot start {exe}");
            return;
        };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(&script);
        }
        let _ = child.wait();
        times.push(start.elapsed());
    }
    let max_rss_kib = children_max_rss_kib();
    times.sort();
    println!(
        "lesson via `kubetutor shell` ({} runs): median {:.1} ms, min {:.1} ms, max {:.1} ms; peak RSS {} KiB",
        RUNS,
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS - 1]),
        max_rss_kib
    );

    let mut kubectl: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        match Command::new("kubectl")
            .args(["version", "--client"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
        {
            Ok(_) => kubectl.push(start.elapsed()),
            Err(_) => break,
        }
    }
    if kubectl.len() == RUNS {
        kubectl.sort();
        println!(
            "`kubectl version --client` ({} runs): median {:.1} ms, min {:.1} ms",
            RUNS,
            ms(kubectl[RUNS / 2]),
            ms(kubectl[0])
        );
        println!(
            "ratio lesson/kubectl (medians): {:.2}",
            ms(times[RUNS / 2]) / ms(kubectl[RUNS / 2])
        );
    } else {
        println!("`kubectl` not installed: no comparison");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The largest peak RSS among waited-for children (getrusage RUSAGE_CHILDREN, in KiB on Linux).
fn children_max_rss_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) == 0 {
            usage.ru_maxrss
        } else {
            -1
        }
    }
}
