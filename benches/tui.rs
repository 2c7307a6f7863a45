//! The tutor's drawing speed: time to the first frame (lesson loaded, cluster built, app made,
//! one frame drawn) and the time to draw one frame at 200x50 with the four-node cluster busy
//! (target: under 2 ms). Run with `cargo bench --bench tui`; it prints its figures.
#![allow(clippy::disallowed_methods)] // a benchmark reads the real clock on purpose

use std::time::{Duration, Instant};

use kubetutor::tui::harness::Harness;

const FIRST_FRAME_RUNS: usize = 10;
const FRAME_RUNS: usize = 200;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let mut first = Vec::new();
    for _ in 0..FIRST_FRAME_RUNS {
        let start = Instant::now();
        let mut h = Harness::new(200, 50);
        let screen = h.screen();
        first.push(start.elapsed());
        std::hint::black_box(screen);
    }

    let mut h = Harness::new(200, 50);
    // A busy cluster: the lesson's namespace and DaemonSet, pods still starting.
    for i in 0..5 {
        let cmd = h.session.lesson().steps[i]
            .command
            .clone()
            .unwrap_or_default();
        h.type_line(cmd.trim_end());
    }
    let mut frames = Vec::new();
    for _ in 0..FRAME_RUNS {
        let start = Instant::now();
        std::hint::black_box(h.screen());
        frames.push(start.elapsed());
    }
    let frame = median(frames);
    println!(
        "tui: first frame {:.2?} (median of {FIRST_FRAME_RUNS}); one frame at 200x50, 4 nodes: {:.3?} (median of {FRAME_RUNS}; target under 2 ms: {})",
        median(first),
        frame,
        if frame < Duration::from_millis(2) {
            "met"
        } else {
            "missed"
        }
    );
}
