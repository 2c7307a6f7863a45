//! What makes saved progress impossible, though it parses: a hand edit or a damaged disk can
//! leave a step cursor far past the last step (`current: 999`), a clock before the cluster
//! was created, or a step that took negative time. Such a file is treated like any damaged
//! one (moved aside, the learner starts fresh) rather than resumed into nonsense.
//!
//! Must not import: the TUI, terminals, std::fs, std::process or a real clock.

use crate::engine::bootstrap::CLUSTER_CREATED;
use crate::engine::clock::SimTime;
use crate::session::Progress;

/// The most worker nodes a saved cluster may have: `--workers` takes at most this many.
pub const MAX_WORKERS: usize = 10_000;

/// Why `progress` cannot be real, or `None` when it can.
pub fn impossible(progress: &Progress) -> Option<String> {
    let steps = progress.steps.len();
    if progress.current > steps {
        return Some(format!(
            "it is at step {} of a lesson of {steps} steps",
            progress.current.saturating_add(1)
        ));
    }
    if !(1..=MAX_WORKERS).contains(&progress.workers) {
        return Some(format!(
            "it has {} worker nodes (1 to {MAX_WORKERS})",
            progress.workers
        ));
    }
    let created = SimTime::parse_rfc3339(CLUSTER_CREATED).unwrap_or_default();
    let now = progress.cluster.now();
    if now < created {
        return Some("its cluster clock is before the cluster was created".to_string());
    }
    let in_range = |t: SimTime| created <= t && t <= now;
    for (i, record) in progress.steps.iter().enumerate() {
        let number = i + 1;
        let times = record
            .started_at
            .iter()
            .chain(&record.completed_at)
            .copied()
            .chain(record.ran.iter().map(|r| r.at));
        if let Some(bad) = times.into_iter().find(|t| !in_range(*t)) {
            let when = if bad < created { "before" } else { "after" };
            return Some(format!(
                "step {number} has a time {when} the cluster's ({})",
                bad.rfc3339()
            ));
        }
        if let (Some(start), Some(end)) = (record.started_at, record.completed_at)
            && end < start
        {
            return Some(format!("step {number} was completed before it started"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn played() -> Progress {
        let mut p = Progress::start(1, 3, 4, 0);
        p.cluster.advance(Duration::from_secs(600));
        let now = p.cluster.now();
        p.steps[0].started_at = Some(SimTime(now.0 - 300_000));
        p.steps[0].completed_at = Some(now);
        p.current = 1;
        p
    }

    #[test]
    fn real_progress_passes() {
        assert_eq!(impossible(&played()), None);
        let mut done = played();
        done.current = 4;
        assert_eq!(
            impossible(&done),
            None,
            "the end of the lesson is a position"
        );
    }

    #[test]
    fn a_cursor_past_the_last_step_is_impossible() {
        let mut p = played();
        p.current = 999;
        assert_eq!(
            impossible(&p).as_deref(),
            Some("it is at step 1000 of a lesson of 4 steps")
        );
    }

    #[test]
    fn negative_and_reversed_times_are_impossible() {
        let mut p = played();
        p.steps[0].started_at = Some(SimTime(-60_000));
        let why = impossible(&p).unwrap();
        assert!(
            why.starts_with("step 1 has a time before the cluster's"),
            "{why}"
        );
        let mut p = played();
        let now = p.cluster.now();
        p.steps[0].completed_at = Some(SimTime(now.0 - 400_000));
        assert_eq!(
            impossible(&p).as_deref(),
            Some("step 1 was completed before it started")
        );
        let mut p = played();
        p.steps[1].started_at = Some(SimTime(now.0 + 60_000));
        assert!(impossible(&p).unwrap().contains("after the cluster's"));
        let mut p = played();
        p.workers = 0;
        assert!(impossible(&p).unwrap().contains("0 worker nodes"));
    }
}
