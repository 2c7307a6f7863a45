//! The tutor's drawing speed: time to the first frame (lesson loaded, cluster built, app made,
//! one frame drawn; target under 20 ms) and the time to draw one frame at 200x50 with the
//! cluster busy, at four nodes (target under 2 ms) and at 1,000 nodes (target under 10 ms).
//! Run with `cargo bench --bench tui`; it prints its figures.
#![allow(clippy::disallowed_methods)] // a benchmark reads the real clock on purpose

use std::time::{Duration, Instant};

use kubetutor::tui::harness::Harness;

const FIRST_FRAME_RUNS: usize = 10;
const FRAME_RUNS: usize = 200;
/// Frames drawn at 1,000 nodes (each costs more; the median is steady well before this).
const LARGE_FRAME_RUNS: usize = 50;
/// Workers of the large cluster: with the control plane, 1,000 nodes.
const LARGE_WORKERS: usize = 999;

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
    let first = median(first);
    println!(
        "tui: first frame {first:.2?} (median of {FIRST_FRAME_RUNS}; target under 20 ms: {})",
        verdict(first, Duration::from_millis(20))
    );

    let frame = busy_frame_median(Harness::new(200, 50), FRAME_RUNS);
    println!(
        "tui: one frame at 200x50, 4 nodes: {frame:.3?} (median of {FRAME_RUNS}; target under 2 ms: {})",
        verdict(frame, Duration::from_millis(2))
    );

    let large = busy_frame_median(
        Harness::with_workers(200, 50, LARGE_WORKERS),
        LARGE_FRAME_RUNS,
    );
    println!(
        "tui: one frame at 200x50, {} nodes: {large:.3?} (median of {LARGE_FRAME_RUNS}; target under 10 ms: {})",
        LARGE_WORKERS + 1,
        verdict(large, Duration::from_millis(10))
    );
}

fn verdict(took: Duration, target: Duration) -> &'static str {
    if took < target { "met" } else { "missed" }
}

/// The median time to draw one frame once the lesson's namespace and DaemonSet are
/// applied and their pods are still starting.
fn busy_frame_median(mut h: Harness, runs: usize) -> Duration {
    for i in 0..5 {
        let cmd = h.session.lesson().steps[i]
            .command
            .clone()
            .unwrap_or_default();
        h.type_line(cmd.trim_end());
    }
    let mut frames = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(h.screen());
        frames.push(start.elapsed());
    }
    median(frames)
}
