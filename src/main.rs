//! The `kubetutor` binary: parse arguments, pick the mode, call the library.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use kubetutor::content;
use kubetutor::engine::Cluster;
use kubetutor::engine::bootstrap::DEFAULT_WORKERS;
use kubetutor::headless;
use kubetutor::session;

const USAGE: &str = "kubetutor: a terminal tutor for Kubernetes, with a simulated KinD cluster

Usage:
  kubetutor [--no-color] [--fresh] [--seed N]
                                     start the tutor on the DaemonSet lesson (saved progress
                                     resumes unless --fresh; NO_COLOR is honoured)
  kubetutor shell [--seed N] [--workers N]
                                     run command lines from stdin against a fresh cluster
  kubetutor lesson check PATH [--json]
                                     check a lesson or quiz file and show its structure
  kubetutor lesson run [PATH] [--seed N]
                                     play a lesson (file or directory; default: the built-in
                                     one) against a fresh cluster and check every step
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
        None => tutor(&[]),
        Some(a) if a.starts_with("--") => tutor(&args),
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
        Some("run") => lesson_run(&args[1..]),
        _ => fail(&format!(
            "kubetutor lesson: expected \"check\" or \"run\"\n\n{USAGE}"
        )),
    }
}

/// The seed `lesson run` uses without `--seed`: a fixed one, so an author's run is repeatable.
const LESSON_RUN_SEED: u64 = 1;

/// `kubetutor lesson run [PATH] [--seed N]`: plays each lesson headless; exit 0 if all pass.
fn lesson_run(args: &[String]) -> ExitCode {
    let mut path = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--seed" {
            i += 1;
        } else if !a.starts_with("--seed=") {
            if a.starts_with('-') || path.is_some() {
                return fail(&format!(
                    "kubetutor lesson run: unexpected argument \"{a}\"\n\n{USAGE}"
                ));
            }
            path = Some(a.as_str());
        }
        i += 1;
    }
    let seed = match number_flag(args, "--seed") {
        Ok(s) => s.unwrap_or(LESSON_RUN_SEED),
        Err(e) => return fail(&e),
    };
    let lessons = match path {
        Some(p) => content::load_path(std::path::Path::new(p)),
        None => content::builtin_lessons(),
    };
    let lessons = match lessons {
        Ok(l) if l.is_empty() => return fail("kubetutor lesson run: no lesson found"),
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = io::stdout().lock();
    let mut all_passed = true;
    for lesson in &lessons {
        if lessons.len() > 1 {
            let _ = writeln!(out, "# {}", lesson.meta.title);
        }
        match session::run_lesson(lesson, seed, &mut out) {
            Ok(passed) => all_passed &= passed,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::FAILURE,
            Err(e) => return fail(&format!("kubetutor: {e}")),
        }
    }
    if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The interactive tutor: the full-screen interface on the built-in DaemonSet lesson, resuming
/// saved progress unless `--fresh` is given.
fn tutor(args: &[String]) -> ExitCode {
    use kubetutor::tui::{self, Options, theme::ColorMode};
    for a in args {
        let known = matches!(a.as_str(), "--no-color" | "--fresh")
            || a.starts_with("--seed")
            || a.parse::<u64>().is_ok();
        if !known {
            return fail(&format!("kubetutor: unknown argument \"{a}\"\n\n{USAGE}"));
        }
    }
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return fail(
            "kubetutor: the tutor needs an interactive terminal; use `kubetutor shell` to run commands from a pipe, or `kubetutor lesson run` to play the lesson",
        );
    }
    let lesson = match content::builtin_lessons().map(|l| l.into_iter().next()) {
        Ok(Some(lesson)) => lesson,
        Ok(None) => return fail("kubetutor: no lesson is built in"),
        Err(e) => return fail(&format!("kubetutor: {e}")),
    };
    let seed = match number_flag(args, "--seed") {
        Ok(s) => s.unwrap_or_else(random_seed),
        Err(e) => return fail(&e),
    };
    let state = progress_file();
    let saved = match (&state, args.iter().any(|a| a == "--fresh")) {
        (Some(path), false) => std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<session::Progress>(&text).ok()),
        _ => None,
    };
    let mut session = match saved {
        Some(progress) => session::Session::resume(lesson, progress),
        None => session::Session::new(lesson, seed, DEFAULT_WORKERS),
    };
    let color = ColorMode::from_env_and_flag(
        std::env::var("NO_COLOR").ok().as_deref(),
        args.iter().any(|a| a == "--no-color"),
    );
    let mut save_error = None;
    let mut save = |s: &session::Session| {
        if let Some(path) = &state
            && let Err(e) = save_progress(path, s)
        {
            save_error = Some(format!(
                "kubetutor: progress not saved to {}: {e}",
                path.display()
            ));
        }
    };
    let result = tui::run(&mut session, Options { color }, &mut save);
    if let Some(e) = save_error {
        eprintln!("{e}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("kubetutor: {e}")),
    }
}

/// Where the tutor keeps the learner's progress: `$XDG_STATE_HOME/kubetutor/progress.json`,
/// or under `~/.local/state` (the XDG default).
fn progress_file() -> Option<std::path::PathBuf> {
    let base = match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".local/state"),
    };
    Some(base.join("kubetutor").join("progress.json"))
}

fn save_progress(path: &std::path::Path, s: &session::Session) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_string(s.progress()).map_err(io::Error::other)?;
    // Written aside and renamed, so a crash never leaves half a file.
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, path)
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
