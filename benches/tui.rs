//! The tutor's drawing speed: time to the first frame (lesson loaded, cluster built, app made,
//! one frame drawn; target under 20 ms) and the time of one frame at 200x50 while the cluster
//! changes, at four nodes (target under 2 ms) and at 1,000 nodes (target under 10 ms).
//! Before each timed frame the simulated cluster moves on a little (the lesson DaemonSet's
//! pods are starting, and one of them is deleted so that every frame has something to
//! catch up with); that engine and shell work is timed apart, and the frame is what the app
//! does next: its update after a tick (the map model catching up with the changes, the step
//! checks) and the draw.
//! Run with `cargo bench --bench tui`; it prints its figures.
#![allow(clippy::disallowed_methods)] // a benchmark reads the real clock on purpose

use std::time::{Duration, Instant};

use kubetutor::engine::objects::{Kind, meta};
use kubetutor::tui::action::Action;
use kubetutor::tui::harness::Harness;

const FIRST_FRAME_RUNS: usize = 10;
const FRAME_RUNS: usize = 200;
/// Frames drawn at 1,000 nodes (each costs more; the median is steady well before this).
const LARGE_FRAME_RUNS: usize = 50;
/// Workers of the large cluster: with the control plane, 1,000 nodes.
const LARGE_WORKERS: usize = 999;
/// Simulated time spread over the timed frames: about how long the lesson DaemonSet's pods
/// take to start (schedule, sandbox, image pull, start), so every frame sees them moving.
const BUSY: Duration = Duration::from_secs(6);

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

    let small = busy_frames(Harness::new(200, 50), FRAME_RUNS);
    small.print(4, Duration::from_millis(2));
    let large = busy_frames(
        Harness::with_workers(200, 50, LARGE_WORKERS),
        LARGE_FRAME_RUNS,
    );
    large.print(LARGE_WORKERS + 1, Duration::from_millis(10));
}

fn verdict(took: Duration, target: Duration) -> &'static str {
    if took < target { "met" } else { "missed" }
}

/// What [`busy_frames`] measured.
struct Frames {
    frames: Vec<Duration>,
    /// The engine's advance and the delete before each frame (not part of the frame).
    engine: Vec<Duration>,
    /// Writes to the cluster between two frames, summed.
    changes: u64,
    step: Duration,
}

impl Frames {
    fn print(self, nodes: usize, target: Duration) {
        let runs = self.frames.len();
        let worst = self.frames.iter().max().copied().unwrap_or_default();
        let mean = self.frames.iter().sum::<Duration>() / runs.max(1) as u32;
        let frame = median(self.frames);
        println!(
            "tui: one frame at 200x50, {nodes} nodes: {frame:.3?} (median of {runs}; mean {mean:.3?}, worst {worst:.3?}; target under {target:?}: {})",
            verdict(frame, target)
        );
        println!(
            "     before each frame, untimed: one pod deleted and {:?} simulated in {:.3?} (median); {:.1} writes per frame on average",
            self.step,
            median(self.engine),
            self.changes as f64 / runs.max(1) as f64
        );
    }
}

/// Applies the lesson's namespace and DaemonSet, then times frames while their pods start:
/// before each frame one of them is deleted and the cluster moves on (untimed), then the
/// app's tick update and the draw are timed together.
fn busy_frames(mut h: Harness, runs: usize) -> Frames {
    for i in 0..5 {
        let cmd = h.session.lesson().steps[i]
            .command
            .clone()
            .unwrap_or_default();
        h.type_line(cmd.trim_end());
    }
    let step = BUSY / runs.max(1) as u32;
    let seq = |h: &Harness| h.session.cluster().changes().back().map_or(0, |r| r.seq);
    let mut out = Frames {
        frames: Vec::new(),
        engine: Vec::new(),
        changes: 0,
        step,
    };
    for i in 0..runs {
        let before = seq(&h);
        let start = Instant::now();
        let victim = h
            .session
            .cluster()
            .list(Kind::Pod, Some("dev-system"))
            .filter(|p| !meta::is_deleting(p))
            .map(|p| meta::name(p).to_string())
            .nth(i % 7);
        if let Some(name) = victim {
            h.session.submit(&format!(
                "kubectl -n dev-system delete pod {name} --wait=false"
            ));
        }
        h.session.advance(step);
        out.engine.push(start.elapsed());
        out.changes += seq(&h) - before;
        let start = Instant::now();
        h.app.update(Action::Tick(Duration::ZERO), &mut h.session);
        std::hint::black_box(h.screen());
        out.frames.push(start.elapsed());
    }
    out
}
