//! Every delay of the simulated cluster in one table (the shape of kwok's stages), so that
//! pod lifecycles read as data rather than `if`s scattered across controllers.
//! Values follow the KinD estimates in `shared/kubectl-fidelity.md` §7.7.

use std::time::Duration;

/// Delays, measured from the previous stage.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Timings {
    /// Created → bound to a node by the scheduler (the pod shows Pending, NODE `<none>`).
    pub schedule: Duration,
    /// Bound → sandbox up: the pod gets its IP (still ContainerCreating).
    pub sandbox: Duration,
    /// Sandbox up → container started and Ready (image already on the node).
    pub start: Duration,
    /// Extra time to pull an image the node does not have.
    pub pull: Duration,
    /// Bound → first `ErrImagePull` for an image that does not exist.
    pub pull_fail: Duration,
    /// First image-pull back-off; doubles up to `backoff_max` (kubelet defaults).
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// The scheduler's back-off for a pod that did not fit: doubles from
    /// `sched_backoff_initial` up to `sched_backoff_max` with each failed attempt
    /// (kube-scheduler's `podInitialBackoffSeconds` and `podMaxBackoffSeconds`).
    pub sched_backoff_initial: Duration,
    pub sched_backoff_max: Duration,
    /// The kubelet's pod-worker back-off (`backOffPeriod`): a pod whose container env did
    /// not resolve (`CreateContainerConfigError`) is synced again after it.
    pub config_retry: Duration,
    /// The volume manager's back-off for a volume that did not mount (`FailedMount`):
    /// doubles from `mount_backoff_initial` up to `mount_backoff_max` (2m2s).
    pub mount_backoff_initial: Duration,
    pub mount_backoff_max: Duration,
    /// A container that exits promptly on SIGTERM.
    pub exit_on_sigterm: Duration,
    /// A namespace's finalization after its last pod is gone.
    pub namespace_finalize: Duration,
    /// How long Events are kept (the API server's `--event-ttl`).
    pub event_ttl: Duration,
}

/// The default table.
pub const TIMINGS: Timings = Timings {
    schedule: Duration::from_millis(200),
    sandbox: Duration::from_millis(1000),
    start: Duration::from_millis(1200),
    pull: Duration::from_millis(3500),
    pull_fail: Duration::from_millis(2500),
    backoff_initial: Duration::from_secs(10),
    backoff_max: Duration::from_secs(300),
    sched_backoff_initial: Duration::from_secs(1),
    sched_backoff_max: Duration::from_secs(10),
    config_retry: Duration::from_secs(10),
    mount_backoff_initial: Duration::from_millis(500),
    mount_backoff_max: Duration::from_secs(122),
    exit_on_sigterm: Duration::from_millis(2500),
    namespace_finalize: Duration::from_secs(5),
    event_ttl: Duration::from_secs(3600),
};

/// Images whose main process ignores SIGTERM (a shell or `sleep` as PID 1), so their pods
/// stay Terminating for the whole grace period.
pub const IGNORES_SIGTERM: &[&str] = &["busybox", "alpine", "ubuntu", "debian", "centos", "fedora"];
