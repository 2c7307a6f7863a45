//! The kubelet's image-pull retry loop seen from outside: which timers only continue a
//! background loop (heartbeats, retries of a pull that will never succeed), the back-off
//! between pulls (10 s doubling to 300 s), and how a long `advance` jumps whole retry
//! cycles at the 300 s cap in one step, leaving what stepping through them would.

use std::time::Duration;

use super::kubelet::{Stage, kubelet};
use crate::engine::images;
use crate::engine::objects::{Kind, meta, pod};
use crate::engine::{Cluster, PodRef, SimTime, Timer};

/// Whether a timer only continues a background loop: a heartbeat, an image-pull retry
/// loop that will never succeed (after the first failed pull), a ReplicaSet's retry.
pub(crate) fn is_retry(timer: &Timer) -> bool {
    match timer {
        Timer::Heartbeat | Timer::RsRetry { .. } => true,
        Timer::Kubelet { stage, .. } => matches!(
            stage,
            Stage::BackOff { .. }
                | Stage::Retry { .. }
                | Stage::PullFailed { attempt: 2.. }
                | Stage::Mount { attempt: 2.. }
                | Stage::ConfigRetry
        ),
        _ => false,
    }
}

/// The image-pull back-off after failed pull number `attempt` (10 s doubling to 300 s).
pub(super) fn pull_backoff(c: &Cluster, attempt: u32) -> Duration {
    let t = c.timings();
    super::doubling_backoff(t.backoff_initial, t.backoff_max, attempt)
}

/// kubelet's message for a pull of `image` (an image that does not exist) that failed.
pub(super) fn pull_error(image: &str) -> String {
    let normalized = images::normalize(image);
    format!(
        "rpc error: code = Unknown desc = failed to pull and unpack image \"{normalized}\": failed to resolve reference \"{normalized}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
    )
}

/// Where an image-pull retry due at `at` may jump to, skipping whole retry cycles (pull,
/// ErrImagePull, back-off at its 300 s cap) that end before `horizon`. The skipped cycles
/// leave what they would have: each of the cycle's five events counted once more per
/// cycle, at the last cycle's times; the pod's status ends each cycle as it is now. None
/// when the back-off is still growing or the pod is not in such a loop.
pub(crate) fn skip_retries(
    c: &mut Cluster,
    r: &PodRef,
    stage: Stage,
    at: SimTime,
    horizon: SimTime,
) -> Option<(SimTime, Timer)> {
    let Stage::Retry { attempt } = stage else {
        return None;
    };
    let t = c.timings();
    // The cycle after this retry waits the longest back-off, as every later one does.
    if pull_backoff(c, attempt.saturating_add(1)) < t.backoff_max {
        return None;
    }
    let p = c
        .get(Kind::Pod, &r.namespace, &r.name)
        .filter(|p| meta::uid(p) == r.uid && !meta::is_deleting(p))
        .cloned()?;
    let node = pod::node_name(&p).to_string();
    let image = super::kubelet::unavailable_image(c, &p, &node)?;
    let pull_fail = t.pull_fail.as_millis() as i64;
    let backoff_start = pull_fail + 1000;
    let period = backoff_start + t.backoff_max.as_millis() as i64;
    let cycles = (horizon.0 - at.0).max(0) / period;
    if cycles == 0 {
        return None;
    }
    let last = at.0 + (cycles - 1) * period;
    let events = [
        ("Pulling", format!("Pulling image \"{image}\""), 0),
        (
            "Failed",
            format!("Failed to pull image \"{image}\": {}", pull_error(&image)),
            pull_fail,
        ),
        ("Failed", "Error: ErrImagePull".to_string(), pull_fail),
        (
            "BackOff",
            format!("Back-off pulling image \"{image}\""),
            backoff_start,
        ),
        (
            "Failed",
            "Error: ImagePullBackOff".to_string(),
            backoff_start,
        ),
    ];
    let source = kubelet(&node).component;
    if !events
        .iter()
        .all(|(reason, msg, _)| c.has_event(&r.uid, reason, msg, source))
    {
        return None;
    }
    for (reason, msg, offset) in &events {
        c.bump_event(
            &r.uid,
            reason,
            msg,
            source,
            cycles as u64,
            SimTime(last + offset),
        );
    }
    let skipped = u32::try_from(cycles).unwrap_or(u32::MAX);
    Some((
        SimTime(at.0 + cycles * period),
        Timer::Kubelet {
            pod: r.clone(),
            stage: Stage::Retry {
                attempt: attempt.saturating_add(skipped),
            },
        },
    ))
}
