//! The `kubetutor` binary: parse arguments, pick the mode, call the library.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kubetutor::content::{self, Lesson};
use kubetutor::engine::Cluster;
use kubetutor::headless;
use kubetutor::persist::{self, Autosave};
use kubetutor::report::{Format, printable};
use kubetutor::results;
use kubetutor::session;

#[path = "cli/flags.rs"]
mod flags;
#[path = "cli/workshop.rs"]
mod workshop;

use flags::{Flags, autosave_config, parse_flags};

const USAGE: &str = "kubetutor: a terminal tutor for Kubernetes, with a simulated KinD cluster

Usage:
  kubetutor [--lesson PATH] [--chapter N|NAME] [--learner NAME] [--state-dir DIR]
            [--results-dir DIR] [--fresh] [--read-only] [--seed N] [--workers N] [--no-color]
                                     start the tutor (default: the DaemonSet lesson); PATH is
                                     a lesson file or a workshop folder (a Hugo content folder
                                     of NNN_slug/_index.md chapters, or a folder of *.md
                                     lessons), played in order on one cluster; --chapter starts
                                     at that chapter (its number, e.g. 10, or folder name),
                                     replaying the chapters before it
  kubetutor shell [--seed N] [--workers N] [--start none|kind|tutor]
                                     run command lines from stdin against a fresh cluster
  kubetutor shell --lesson [PATH] [--chapter N|NAME] [--learner NAME] [--state-dir DIR]
                  [--results-dir DIR] [--fresh] [--read-only] [--seed N] [--workers N]
                                     run command lines from stdin through a lesson, saving
                                     progress after every command; resumes saved progress
  kubetutor lesson check PATH [--json]
                                     check a lesson or quiz file, or every chapter of a
                                     workshop folder, and show its structure
  kubetutor lesson run [PATH] [--chapter N|NAME] [--seed N] [--learner NAME] [--results-dir DIR]
                                     play a lesson or a workshop's chapters in order (default:
                                     the built-in lesson) on one fresh cluster, check every
                                     step, and print per-chapter results
  kubetutor report DIR [--format table|csv|json|junit]
                                     the class's results from a shared results folder
  kubetutor --help                   this text

Progress is saved in $XDG_DATA_HOME/kubetutor (or ~/.local/share/kubetutor) unless
--state-dir says otherwise; the learner is the login name unless --learner says otherwise.
One session at a time saves a learner's lesson; --read-only runs without saving (no lock).
";

/// What the interactive tutor needs to know from the command line.
pub struct TutorOptions {
    /// `--learner`, else the login name.
    pub learner: String,
    /// `--state-dir`, else the user's data folder (see [`StateStore::new`]).
    pub state_dir: Option<PathBuf>,
    /// `--results-dir`: the class's shared results folder.
    pub results_dir: Option<PathBuf>,
    /// `--fresh`: start over instead of resuming saved progress.
    pub fresh: bool,
    /// `--read-only`: save nothing (and take no lock).
    pub read_only: bool,
    /// `--seed`; without it names differ from run to run.
    pub seed: Option<u64>,
    pub workers: usize,
    /// `--lesson PATH`; without it the built-in lesson.
    pub lesson_path: Option<PathBuf>,
    /// `--no-color`, or `NO_COLOR` set in the environment (no-color.org).
    pub no_color: bool,
    /// `--chapter`: the workshop chapter to start at.
    pub chapter: Option<String>,
}

fn main() -> ExitCode {
    let args = match utf8_args(std::env::args_os().skip(1)) {
        Ok(args) => args,
        Err(e) => return fail(&e),
    };
    match args.first().map(String::as_str) {
        Some("shell") => shell(&args[1..]),
        Some("lesson") => lesson(&args[1..]),
        Some("report") => report(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        None => run_tutor(&[]),
        Some(first) if first.starts_with("--") => run_tutor(&args),
        Some(other) => fail(&format!(
            "kubetutor: unknown command \"{other}\"\n\n{USAGE}"
        )),
    }
}

/// The arguments as text; one that is not UTF-8 is a usage error that shows its bytes
/// (`std::env::args` would panic on it).
fn utf8_args(args: impl Iterator<Item = std::ffi::OsString>) -> Result<Vec<String>, String> {
    args.enumerate()
        .map(|(i, arg)| {
            arg.into_string().map_err(|bad| {
                // The standard library's debug form shows the bytes that are not text as
                // `\xff`, which is what the learner needs to find them.
                format!(
                    "kubetutor: argument {} ({bad:?}) is not valid UTF-8; names, paths and values must be UTF-8 text\n\n{USAGE}",
                    i + 1
                )
            })
        })
        .collect()
}

fn fail(msg: &str) -> ExitCode {
    eprint!("{msg}");
    if !msg.ends_with('\n') {
        eprintln!();
    }
    ExitCode::from(2)
}

/// A lesson that could not be opened for saving (another session holds it): exit status 1.
fn refuse(e: &persist::PersistError) -> ExitCode {
    eprintln!("kubetutor: {e}");
    ExitCode::FAILURE
}

/// A seed for runs without `--seed`: names differ from run to run, as on a real cluster.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// The wall-clock time as RFC 3339 (UTC): it stamps attempts and result records only; the
/// simulated cluster never sees it.
#[allow(
    clippy::disallowed_methods,
    reason = "result records carry the learner's real start and end times"
)]
fn now_rfc3339() -> String {
    persist::rfc3339(std::time::SystemTime::now())
}

/// The lesson at `path`: one file, or a folder's chapters as one workshop (the built-in
/// lesson without a path).
fn one_lesson(mode: &str, path: Option<&Path>) -> Result<Lesson, String> {
    workshop::load_lesson(mode, path)
}

fn run_tutor(args: &[String]) -> ExitCode {
    let allowed = [
        "--lesson",
        "--learner",
        "--state-dir",
        "--results-dir",
        "--fresh",
        "--read-only",
        "--seed",
        "--workers",
        "--no-color",
        "--chapter",
    ];
    let flags = match parse_flags("kubetutor", args, &allowed, 0) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let opts = TutorOptions {
        learner: flags.learner(),
        workers: flags.workers(),
        state_dir: flags.state_dir,
        results_dir: flags.results_dir,
        fresh: flags.fresh,
        read_only: flags.read_only,
        seed: flags.seed,
        lesson_path: flags.lesson.flatten(),
        chapter: flags.chapter,
        no_color: flags.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    };
    tutor(opts)
}

fn shell(args: &[String]) -> ExitCode {
    let allowed = [
        "--seed",
        "--workers",
        "--start",
        "--lesson",
        "--learner",
        "--state-dir",
        "--results-dir",
        "--fresh",
        "--read-only",
        "--chapter",
    ];
    let flags = match parse_flags("kubetutor shell", args, &allowed, 0) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    if flags.lesson.is_some() {
        return lesson_shell(flags);
    }
    if flags.learner.is_some()
        || flags.state_dir.is_some()
        || flags.results_dir.is_some()
        || flags.fresh
        || flags.read_only
        || flags.chapter.is_some()
    {
        return fail(
            "kubetutor shell: --learner, --state-dir, --results-dir, --fresh, --read-only and --chapter need --lesson",
        );
    }
    let seed = flags.seed.unwrap_or_else(random_seed);
    let (mut cluster, shell) = match flags.start {
        Some(start) => kubetutor::session::start::world(start, seed, flags.workers()),
        None => (
            Cluster::kind(seed, flags.workers()),
            kubetutor::shell::Shell::new(),
        ),
    };
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let (mut out, mut err) = (io::stdout(), io::stderr());
    match headless::run_script_with(&mut input, &mut out, &mut err, &mut cluster, shell) {
        Ok(status) => ExitCode::from(status.clamp(0, 255) as u8),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("kubetutor: {e}")),
    }
}

/// `kubetutor shell --lesson`: stdin through a lesson session that saves itself.
fn lesson_shell(flags: Flags) -> ExitCode {
    let path = flags.lesson.clone().flatten();
    let lesson = match one_lesson("kubetutor shell", path.as_deref()) {
        Ok(l) => l,
        Err(e) => return fail(&e),
    };
    let chapter =
        match workshop::chapter_index("kubetutor shell", &lesson, flags.chapter.as_deref()) {
            Ok(c) => c,
            Err(e) => return fail(&e),
        };
    let config = autosave_config(
        flags.learner(),
        flags.state_dir.clone(),
        flags.results_dir.clone(),
        flags.fresh,
        flags.read_only,
    );
    let seed = flags.seed.unwrap_or_else(random_seed);
    let mut opened = match Autosave::open(config, lesson, seed, flags.workers(), &now_rfc3339()) {
        Ok(o) => o,
        Err(e) => return refuse(&e),
    };
    for notice in &opened.notices {
        eprintln!("kubetutor: {notice}");
    }
    if let Some(chapter) = chapter {
        workshop::replay_to_chapter(&mut opened.session, chapter);
        if let Err(e) = opened.autosave.save(&opened.session) {
            eprintln!("kubetutor: progress not saved: {e}");
        }
    }
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let (mut out, mut err) = (io::stdout(), io::stderr());
    let result = persist::run_lesson_script(
        &mut input,
        &mut out,
        &mut err,
        &mut opened.session,
        &opened.autosave,
        &now_rfc3339,
    );
    match result {
        Ok(status) => ExitCode::from(status.clamp(0, 255) as u8),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("kubetutor: {e}")),
    }
}

fn lesson(args: &[String]) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("check") => {
            let flags = match parse_flags("kubetutor lesson check", &args[1..], &["--json"], 1) {
                Ok(f) => f,
                Err(e) => return fail(&e),
            };
            let Some(path) = flags.positional.first() else {
                return fail(
                    "kubetutor lesson check: give a lesson or quiz file, or a workshop folder",
                );
            };
            if let Some(code) = workshop::check_dir(Path::new(path), flags.json) {
                return code;
            }
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => return fail(&format!("kubetutor: {path}: {e}")),
            };
            // The quiz the tutor would attach (a `quizzes/` file beside the lesson's folder).
            let quiz = if content::is_quiz_file(path, &text) {
                Ok(None)
            } else {
                content::sibling_quiz(Path::new(path))
            };
            let checked = match quiz {
                Ok(quiz) => content::check_all(path, &text, quiz),
                Err(e) => Err(vec![e]),
            };
            match checked {
                Ok(report) => {
                    if flags.json {
                        println!("{}", report.to_json());
                    } else {
                        print!("{}", report.to_text());
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    if flags.json {
                        println!("{}", content::errors_json(&errors));
                    } else {
                        for e in &errors {
                            eprintln!("{e}");
                        }
                        let n = errors.len();
                        let more = if n >= content::MAX_ERRORS {
                            " (the check stops there; fix these and run it again)"
                        } else {
                            ""
                        };
                        eprintln!("{n} error{}{more}", if n == 1 { "" } else { "s" });
                    }
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

/// `kubetutor lesson run [PATH] [--seed N] [--learner NAME] [--results-dir DIR]`: plays each
/// lesson headless; exit 0 if all pass. With a results folder each lesson leaves a result
/// record there, as a learner's would (an instructor's smoke test of the class setup).
fn lesson_run(args: &[String]) -> ExitCode {
    let allowed = ["--seed", "--learner", "--results-dir", "--chapter"];
    let flags = match parse_flags("kubetutor lesson run", args, &allowed, 1) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let seed = flags.seed.unwrap_or(LESSON_RUN_SEED);
    let path = flags.positional.first().map(PathBuf::from);
    let lesson = match workshop::load_lesson("kubetutor lesson run", path.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let from =
        match workshop::chapter_index("kubetutor lesson run", &lesson, flags.chapter.as_deref()) {
            Ok(c) => c.unwrap_or(0),
            Err(e) => return fail(&e),
        };
    let learner = flags.learner();
    let mut out = io::stdout().lock();
    let started = now_rfc3339();
    let (scores, played) = match session::play_workshop(&lesson, from, seed, &mut out) {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::FAILURE,
        Err(e) => return fail(&format!("kubetutor: {e}")),
    };
    if let Some(dir) = &flags.results_dir {
        let ended = now_rfc3339();
        let mut records = vec![played.result_record(&learner, &started, &ended)];
        records.extend(played.chapter_records(&learner, &started, &ended));
        let attempt = format!("{}-{}", started.replace([':', '-'], ""), std::process::id());
        for record in &records {
            match results::write_record(dir, record, &attempt) {
                Ok(path) => eprintln!("kubetutor: result written to {}", path.display()),
                Err(e) => {
                    return fail(&format!(
                        "kubetutor: cannot write the result into {}: {e}",
                        dir.display()
                    ));
                }
            }
        }
    }
    if scores.iter().all(|c| c.passed == c.total) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The interactive tutor: the full-screen interface on the lesson, resuming the learner's
/// saved progress unless `--fresh`. Progress is saved after every command and every step; the
/// result record (with `--results-dir`) is written when a step completes, the quiz is handed
/// in, and at the end.
fn tutor(opts: TutorOptions) -> ExitCode {
    use kubetutor::tui::{self, Options, theme::ColorMode};
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return fail(
            "kubetutor: the tutor needs an interactive terminal; use `kubetutor shell` to run commands from a pipe, or `kubetutor lesson run` to play a lesson",
        );
    }
    let lesson = match one_lesson("kubetutor", opts.lesson_path.as_deref()) {
        Ok(l) => l,
        Err(e) => return fail(&e),
    };
    let chapter = match workshop::chapter_index("kubetutor", &lesson, opts.chapter.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let config = autosave_config(
        opts.learner,
        opts.state_dir,
        opts.results_dir,
        opts.fresh,
        opts.read_only,
    );
    let seed = opts.seed.unwrap_or_else(random_seed);
    let opened = match Autosave::open(config, lesson, seed, opts.workers, &now_rfc3339()) {
        Ok(o) => o,
        Err(e) => return refuse(&e),
    };
    let (autosave, mut session) = (opened.autosave, opened.session);
    let mut problems: Vec<String> = opened
        .notices
        .iter()
        .filter(|_| !opened.resumed)
        .cloned()
        .collect();
    // Shown inside the tutor at once (and again on the way out, below).
    let at_start = problems.clone();
    // What the last result record said, so the shared folder is written only on a change.
    let mut recorded: Option<(Option<usize>, Option<usize>)> = None;
    let mut save = |s: &session::Session| {
        if let Err(e) = autosave.save(s) {
            let e = format!("progress not saved: {e}");
            if !problems.contains(&e) {
                problems.push(e);
            }
        }
        let now = (s.current_step(), s.score().map(|sc| sc.points));
        if recorded != Some(now) {
            recorded = Some(now);
            if let Some(Err(e)) = autosave.write_result(s, &now_rfc3339()) {
                problems.push(format!("result record not written: {e}"));
            }
        }
    };
    let color = if opts.no_color {
        ColorMode::NoColor
    } else {
        ColorMode::Color
    };
    // A workshop started at a chapter replays the chapters before it inside the tutor,
    // behind a progress bar.
    let options = Options {
        color,
        start_chapter: chapter,
    };
    let result = tui::run(&mut session, options, &at_start, &mut save);
    for p in &problems {
        eprintln!("kubetutor: {p}");
    }
    match result {
        Ok(()) if !autosave.saves() => {
            eprintln!("kubetutor: read-only session: nothing was saved");
            ExitCode::SUCCESS
        }
        Ok(()) => {
            eprintln!(
                "kubetutor: progress saved in {} (run kubetutor again to continue)",
                autosave.state_path().display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("kubetutor: {e}")),
    }
}

fn report(args: &[String]) -> ExitCode {
    let flags = match parse_flags("kubetutor report", args, &["--format"], 1) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let format = flags.format.unwrap_or(Format::Table);
    let Some(dir) = flags.positional.first() else {
        return fail("kubetutor report: give the results folder");
    };
    match results::read_dir(Path::new(dir)) {
        Ok((records, skipped)) => {
            if format != Format::Table {
                for (path, why) in &skipped {
                    eprintln!(
                        "kubetutor report: skipped {}: {}",
                        printable(&path.display().to_string()),
                        printable(why)
                    );
                }
            }
            let text = kubetutor::report::build(records, skipped).render(format);
            let mut out = io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => fail(&format!("kubetutor report: {e}")),
            }
        }
        Err(e) => fail(&format!("kubetutor report: {dir}: {e}")),
    }
}
