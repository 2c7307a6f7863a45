//! The simulated cluster at scale (issue 7): bootstrap time, `kubectl get pods -A -o wide`,
//! a DaemonSet rolled out to every node (process CPU time), and peak RSS, at the lesson's
//! four nodes and at 500 / 1,000 / 2,000 / 5,000 nodes so the growth is visible.
//! Run with `cargo bench --bench scale`; it prints its figures and asserts nothing.
//! `KUBETUTOR_BENCH_MAX_WORKERS=N` leaves out clusters with more than N workers.
//!
//! Peak RSS is measured in a child: the bench starts itself again with
//! `--scenario NAME` and reads the child's peak with getrusage(RUSAGE_CHILDREN). The
//! children run first, while this process is still small: a child is started by a
//! vfork-style spawn that shares the parent's pages until it execs, and the kernel counts
//! those pages into the child's peak.
#![allow(clippy::disallowed_methods)] // a benchmark reads the real clock and starts itself

use std::io::BufReader;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubetutor::engine::Cluster;
use kubetutor::engine::objects::{Kind, meta, pod};
use kubetutor::shell::Shell;

/// Cluster sizes in nodes (the control plane is one of them; the rest are workers).
const SIZES: &[usize] = &[500, 1_000, 2_000, 5_000];
/// Runs of each quick figure; the median is printed.
const RUNS: usize = 7;
/// Runs of `get pods -A` on a large cluster.
const LARGE_RUNS: usize = 5;
/// Rollouts at each size (each on a fresh cluster); the median is printed.
const ROLLOUT_RUNS: usize = 3;
/// Daemon pods deleted and replaced one after another at each size.
const REPLACEMENTS: u32 = 50;

/// The lesson's DaemonSet (shared with the round-trip tests).
const DAEMONSET_YAML: &str = include_str!("../tests/fixtures/lesson/demo-daemonset.yaml");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--scenario") {
        run_scenario(args.get(i + 1).map_or("", String::as_str));
        return;
    }
    let max_workers = std::env::var("KUBETUTOR_BENCH_MAX_WORKERS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    // Smallest first, so that each reading of the children's peak is the newest child's.
    let lesson_rss = child_peak_rss_kib("lesson");
    let cluster_rss: Vec<i64> = SIZES
        .iter()
        .map(|&nodes| {
            if nodes - 1 > max_workers {
                -1
            } else {
                child_peak_rss_kib(&format!("cluster-{}", nodes - 1))
            }
        })
        .collect();

    let boot = median_of(RUNS, || {
        let start = Instant::now();
        std::hint::black_box(Cluster::kind(1, 3));
        start.elapsed()
    });
    println!(
        "bootstrap, 4 nodes (Cluster::kind(1, 3)): median {} of {RUNS}",
        ms(boot)
    );
    let mut small = Cluster::kind(1, 3);
    let get = get_pods_median(&mut small, RUNS);
    println!(
        "`kubectl get pods -A -o wide`, 4 nodes, {} pods: median {} of {RUNS}",
        small.count(Kind::Pod),
        ms(get)
    );
    println!(
        "peak RSS, the whole lesson script through the shell (child process): {lesson_rss} KiB"
    );

    for (&nodes, &rss) in SIZES.iter().zip(&cluster_rss) {
        let workers = nodes - 1;
        if workers > max_workers {
            println!("{nodes} nodes: left out (KUBETUTOR_BENCH_MAX_WORKERS={max_workers})");
            continue;
        }
        large(nodes, workers, rss);
    }
}

/// Every figure at one cluster size (`rss`: its child's peak, measured earlier).
fn large(nodes: usize, workers: usize, rss: i64) {
    let start = Instant::now();
    let mut c = Cluster::kind(1, workers);
    let boot = start.elapsed();
    println!(
        "{nodes} nodes: bootstrap (Cluster::kind(1, {workers})) {}; {} pods",
        ms(boot),
        c.count(Kind::Pod)
    );
    let get = get_pods_median(&mut c, LARGE_RUNS);
    println!(
        "{nodes} nodes: `kubectl get pods -A -o wide`, {} pods: median {} of {LARGE_RUNS}",
        c.count(Kind::Pod),
        ms(get)
    );
    let (cpu, wall, simulated) = rollout(&mut c);
    let running = c
        .list(Kind::Pod, Some("default"))
        .filter(|p| pod::phase(p) == "Running")
        .count();
    // The rollout again on fresh clusters: one run on a shared machine is noisy.
    let mut cpus = vec![cpu];
    for _ in 1..ROLLOUT_RUNS {
        let mut fresh = Cluster::kind(1, workers);
        cpus.push(rollout(&mut fresh).0);
    }
    cpus.sort();
    println!(
        "{nodes} nodes: DaemonSet applied until every pod is Running ({running} pods, {:.0} s simulated): CPU median {} of {ROLLOUT_RUNS} (min {}, max {}; user+sys), first run wall {}",
        simulated.as_secs_f64(),
        ms(cpus[cpus.len() / 2]),
        ms(cpus[0]),
        ms(cpus[cpus.len() - 1]),
        ms(wall)
    );
    let (one_cpu, one_sim) = replace_one_pod(&mut c);
    println!(
        "{nodes} nodes: one daemon pod deleted, until its replacement is Running ({:.0} s simulated): CPU {} (mean of {REPLACEMENTS})",
        one_sim.as_secs_f64(),
        ms(one_cpu)
    );
    println!(
        "{nodes} nodes: peak RSS of a child that builds the cluster and lists every pod: {rss} KiB ({:.0} MB)",
        rss as f64 / 1024.0
    );
}

/// Applies the lesson's DaemonSet and moves time on one second at a time until the
/// DaemonSet reports every pod ready (at most ten simulated minutes). Returns the process
/// CPU time, the wall time and the simulated time it took.
fn rollout(c: &mut Cluster) -> (Duration, Duration, Duration) {
    let mut shell = Shell::new();
    let cpu_before = cpu_time();
    let wall = Instant::now();
    let t0 = c.now();
    let out = shell.run(
        &format!("cat <<EOF | kubectl -n default apply -f -\n{DAEMONSET_YAML}EOF"),
        c,
    );
    if out.status != 0 {
        println!("apply failed: {}", out.stderr);
    }
    for _ in 0..600 {
        if daemonset_ready(c) {
            break;
        }
        c.advance(Duration::from_secs(1));
    }
    let simulated = Duration::from_millis((c.now().0 - t0.0).max(0) as u64);
    (
        cpu_time().saturating_sub(cpu_before),
        wall.elapsed(),
        simulated,
    )
}

/// Lets the cluster settle, then deletes one pod of the rolled-out DaemonSet at a time and
/// moves time on until its replacement is Running, `REPLACEMENTS` times: the work one change
/// makes, which should not grow with the cluster. Returns the process CPU time per
/// replacement (the total over all of them, divided: `getrusage` counts in coarse steps) and
/// the simulated time of one.
fn replace_one_pod(c: &mut Cluster) -> (Duration, Duration) {
    // On a settled cluster, so that only these changes' work is measured.
    c.settle(Duration::from_secs(600));
    let cpu_before = cpu_time();
    let t0 = c.now();
    for _ in 0..REPLACEMENTS {
        let victim = c
            .list(Kind::Pod, Some("default"))
            .find(|p| meta::name(p).starts_with("demo-daemon-"))
            .map(|p| meta::name(p).to_string())
            .unwrap_or_default();
        let deleted = c.delete(
            Kind::Pod,
            "default",
            &victim,
            kubetutor::engine::DeleteOptions::default(),
        );
        if let Err(e) = deleted {
            println!("delete failed: {e}");
            break;
        }
        for _ in 0..600 {
            c.advance(Duration::from_secs(1));
            let replaced = c.get(Kind::Pod, "default", &victim).is_none();
            if replaced && daemonset_ready(c) {
                break;
            }
        }
    }
    let simulated = Duration::from_millis((c.now().0 - t0.0).max(0) as u64) / REPLACEMENTS;
    (
        cpu_time().saturating_sub(cpu_before) / REPLACEMENTS,
        simulated,
    )
}

fn daemonset_ready(c: &Cluster) -> bool {
    c.get(Kind::DaemonSet, "default", "demo-daemon")
        .is_some_and(|ds| {
            let count = |f: &str| meta::i64_at(ds, &["status", f]).unwrap_or(0);
            count("desiredNumberScheduled") > 0
                && count("numberReady") == count("desiredNumberScheduled")
        })
}

fn get_pods_median(c: &mut Cluster, runs: usize) -> Duration {
    let mut shell = Shell::new();
    median_of(runs, || {
        let start = Instant::now();
        let out = shell.run("kubectl get pods -A -o wide", c);
        let elapsed = start.elapsed();
        std::hint::black_box(out);
        elapsed
    })
}

fn median_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// One scenario, alone in this (child) process, so that its peak RSS is its own.
fn run_scenario(name: &str) {
    if name == "lesson" {
        let script = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/scripts/lesson.sh"
        ))
        .unwrap_or_default();
        let mut cluster = Cluster::kind(1, 3);
        let mut sink = std::io::sink();
        let mut err = std::io::sink();
        let status = kubetutor::headless::run_script(
            &mut BufReader::new(script.as_slice()),
            &mut sink,
            &mut err,
            &mut cluster,
        );
        std::hint::black_box(status.ok());
    } else if let Some(workers) = name
        .strip_prefix("cluster-")
        .and_then(|n| n.parse::<usize>().ok())
    {
        let mut cluster = Cluster::kind(1, workers);
        let mut shell = Shell::new();
        let out = shell.run("kubectl get pods -A -o wide", &mut cluster);
        std::hint::black_box(out);
    }
}

/// Starts this bench again on one scenario and returns the largest peak RSS of any child
/// waited for so far (KiB). Scenarios run smallest first, so each figure is its own.
fn child_peak_rss_kib(scenario: &str) -> i64 {
    let Ok(exe) = std::env::current_exe() else {
        return -1;
    };
    let status = Command::new(exe)
        .args(["--scenario", scenario])
        .stdout(Stdio::null())
        .status();
    if status.is_err() {
        return -1;
    }
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

/// User plus system CPU time of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
