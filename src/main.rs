//! The `kubetutor` binary: parse arguments, pick the mode, call the library.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use kubetutor::content;
use kubetutor::engine::Cluster;
use kubetutor::engine::bootstrap::DEFAULT_WORKERS;
use kubetutor::headless;

const USAGE: &str = "kubetutor: a terminal tutor for Kubernetes, with a simulated KinD cluster

Usage:
  kubetutor                          start the tutor on the DaemonSet lesson
  kubetutor shell [--seed N] [--workers N]
                                     run command lines from stdin against a fresh cluster
  kubetutor lesson check PATH [--json]
                                     check a lesson or quiz file and show its structure
  kubetutor report DIR [--format table|csv|json|junit]
                                     the class's results from a shared results folder
  kubetutor --help                   this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("shell") => shell(&args[1..]),
        Some("lesson") => lesson(&args[1..]),
        Some("report") => report(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        None => tutor(),
        Some(other) => fail(&format!(
            "kubetutor: unknown command \"{other}\"\n\n{USAGE}"
        )),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprint!("{msg}");
    if !msg.ends_with('\n') {
        eprintln!();
    }
    ExitCode::from(2)
}

/// A seed for runs without `--seed`: names differ from run to run, as on a real cluster.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// Reads `--name VALUE` / `--name=VALUE` as a number.
fn number_flag(args: &[String], name: &str) -> Result<Option<u64>, String> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let value = if a == name {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("kubetutor: {name} needs a value"))?
        } else if let Some(v) = a.strip_prefix(&format!("{name}=")) {
            v.to_string()
        } else {
            i += 1;
            continue;
        };
        return value
            .parse()
            .map(Some)
            .map_err(|_| format!("kubetutor: {name} takes a whole number, not \"{value}\""));
    }
    Ok(None)
}

fn shell(args: &[String]) -> ExitCode {
    for a in args {
        let known =
            a.starts_with("--seed") || a.starts_with("--workers") || a.parse::<u64>().is_ok();
        if !known {
            return fail(&format!(
                "kubetutor shell: unknown argument \"{a}\"\n\n{USAGE}"
            ));
        }
    }
    let seed = match number_flag(args, "--seed") {
        Ok(s) => s.unwrap_or_else(random_seed),
        Err(e) => return fail(&e),
    };
    let workers = match number_flag(args, "--workers") {
        Ok(w) => w.map_or(DEFAULT_WORKERS, |w| w as usize),
        Err(e) => return fail(&e),
    };
    if workers == 0 || workers > 10_000 {
        return fail("kubetutor: --workers takes a number from 1 to 10000");
    }
    let mut cluster = Cluster::kind(seed, workers);
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let (mut out, mut err) = (io::stdout(), io::stderr());
    match headless::run_script(&mut input, &mut out, &mut err, &mut cluster) {
        Ok(status) => ExitCode::from(status.clamp(0, 255) as u8),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("kubetutor: {e}")),
    }
}

fn lesson(args: &[String]) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("check") => {
            let json = args.iter().any(|a| a == "--json");
            let Some(path) = args[1..].iter().find(|a| !a.starts_with("--")) else {
                return fail("kubetutor lesson check: give a lesson or quiz file");
            };
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => return fail(&format!("kubetutor: {path}: {e}")),
            };
            match content::check_file(path, &text) {
                Ok(report) => {
                    if json {
                        println!("{}", report.to_json());
                    } else {
                        print!("{}", report.to_text());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => fail(&format!("kubetutor lesson: expected \"check\"\n\n{USAGE}")),
    }
}

/// The interactive tutor. Until the full-screen interface lands it runs the shell
/// interactively, line by line, against the lesson's cluster.
fn tutor() -> ExitCode {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return fail(
            "kubetutor: the tutor needs an interactive terminal; use `kubetutor shell` to run commands from a pipe",
        );
    }
    println!(
        "kubetutor: simulated KinD cluster ready (4 nodes, Kubernetes v1.21.1). Type kubectl commands; `exit` quits."
    );
    let mut cluster = Cluster::kind(random_seed(), DEFAULT_WORKERS);
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let (mut out, mut err) = (io::stdout(), io::stderr());
    match headless::run_script(&mut input, &mut out, &mut err, &mut cluster) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("kubetutor: {e}")),
    }
}

fn report(args: &[String]) -> ExitCode {
    let mut format = kubetutor::report::Format::Table;
    let mut dir: Option<&String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let value = if a == "--format" {
            i += 1;
            args.get(i).map(String::as_str)
        } else {
            a.strip_prefix("--format=")
        };
        if a.starts_with("--format") {
            match value.and_then(kubetutor::report::Format::parse) {
                Some(f) => format = f,
                None => return fail("kubetutor report: --format takes table, csv, json or junit"),
            }
        } else if dir.is_none() && !a.starts_with('-') {
            dir = Some(a);
        } else {
            return fail(&format!(
                "kubetutor report: unknown argument \"{a}\"\n\n{USAGE}"
            ));
        }
        i += 1;
    }
    let Some(dir) = dir else {
        return fail("kubetutor report: give the results folder");
    };
    match kubetutor::results::read_dir(std::path::Path::new(dir)) {
        Ok((records, skipped)) => {
            if format != kubetutor::report::Format::Table {
                for (path, why) in &skipped {
                    eprintln!("kubetutor report: skipped {}: {why}", path.display());
                }
            }
            print!(
                "{}",
                kubetutor::report::build(records, skipped).render(format)
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("kubetutor report: {dir}: {e}")),
    }
}
