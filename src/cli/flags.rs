//! Flags of every mode (`--lesson`, `--learner`, `--seed` ...), parsed the same way for each;
//! each mode says which it accepts. Part of the binary: it only turns arguments into options.

use std::path::PathBuf;

use kubetutor::engine::bootstrap::DEFAULT_WORKERS;
use kubetutor::persist::{self, Access, AutosaveConfig, Start, StateStore};
use kubetutor::report::Format;

use super::{USAGE, now_rfc3339};

/// The flags of every mode; each mode says which it accepts.
#[derive(Default)]
pub(crate) struct Flags {
    pub(crate) learner: Option<String>,
    pub(crate) state_dir: Option<PathBuf>,
    pub(crate) results_dir: Option<PathBuf>,
    pub(crate) fresh: bool,
    pub(crate) read_only: bool,
    pub(crate) seed: Option<u64>,
    pub(crate) workers: Option<usize>,
    /// `--start none|kind|tutor`: what a plain `kubetutor shell` starts from.
    pub(crate) start: Option<kubetutor::content::Start>,
    /// `--lesson` was given, with its PATH if one followed.
    pub(crate) lesson: Option<Option<PathBuf>>,
    pub(crate) no_color: bool,
    /// `--chapter N|NAME`: the workshop chapter to start at.
    pub(crate) chapter: Option<String>,
    pub(crate) json: bool,
    pub(crate) format: Option<Format>,
    pub(crate) positional: Vec<String>,
}

impl Flags {
    pub(crate) fn learner(&self) -> String {
        self.learner
            .clone()
            .unwrap_or_else(persist::default_learner)
    }

    pub(crate) fn workers(&self) -> usize {
        self.workers.unwrap_or(DEFAULT_WORKERS)
    }
}

/// How a lesson session saves, from the flags: where, for whom, and what this process writes
/// into the learner's lock (`pid N on HOST since TIME`) for a second session to show.
pub(crate) fn autosave_config(
    learner: String,
    state_dir: Option<PathBuf>,
    results_dir: Option<PathBuf>,
    fresh: bool,
    read_only: bool,
) -> AutosaveConfig {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().chars().take(255).collect::<String>())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "an unnamed host".into());
    AutosaveConfig {
        store: StateStore::new(state_dir),
        learner,
        results_dir,
        start: if fresh { Start::Fresh } else { Start::Resume },
        access: if read_only {
            Access::ReadOnly
        } else {
            Access::Save
        },
        holder: format!(
            "pid {} on {host} since {}",
            std::process::id(),
            now_rfc3339()
        ),
    }
}

/// Reads `args` (`--name VALUE` or `--name=VALUE`), accepting only the flags in `allowed`;
/// at most `positional` plain arguments. Errors are messages for the learner.
pub(crate) fn parse_flags(
    mode: &str,
    args: &[String],
    allowed: &[&str],
    positional: usize,
) -> Result<Flags, String> {
    let mut flags = Flags::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if !arg.starts_with('-') || arg == "-" {
            if flags.positional.len() >= positional {
                return Err(format!("{mode}: unexpected argument \"{arg}\"\n\n{USAGE}"));
            }
            flags.positional.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (arg.as_str(), None),
        };
        if !allowed.contains(&name) {
            return Err(format!("{mode}: unknown argument \"{arg}\"\n\n{USAGE}"));
        }
        let switch = matches!(name, "--fresh" | "--read-only" | "--no-color" | "--json");
        if switch {
            if inline.is_some() {
                return Err(format!("{mode}: {name} takes no value"));
            }
        } else if name == "--lesson" {
            let path = inline.or_else(|| {
                let next = args.get(i).filter(|a| !a.starts_with('-'))?;
                i += 1;
                Some(next.clone())
            });
            flags.lesson = Some(path.map(PathBuf::from));
            continue;
        }
        let mut value = || -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            let v = args
                .get(i)
                .cloned()
                .ok_or_else(|| format!("{mode}: {name} needs a value"))?;
            i += 1;
            Ok(v)
        };
        match name {
            "--fresh" => flags.fresh = true,
            "--read-only" => flags.read_only = true,
            "--no-color" => flags.no_color = true,
            "--json" => flags.json = true,
            "--learner" => {
                let v = value()?;
                if v.trim().is_empty() {
                    return Err(format!("{mode}: --learner needs a name"));
                }
                flags.learner = Some(v);
            }
            "--chapter" => {
                let v = value()?;
                if v.trim().is_empty() {
                    return Err(format!("{mode}: --chapter needs a chapter number or name"));
                }
                flags.chapter = Some(v);
            }
            "--state-dir" => flags.state_dir = Some(PathBuf::from(value()?)),
            "--results-dir" => flags.results_dir = Some(PathBuf::from(value()?)),
            "--seed" => {
                let v = value()?;
                let seed = v
                    .parse()
                    .map_err(|_| format!("{mode}: --seed takes a whole number, not \"{v}\""))?;
                flags.seed = Some(seed);
            }
            "--workers" => {
                let v = value()?;
                match v.parse::<usize>() {
                    Ok(n) if (1..=10_000).contains(&n) => flags.workers = Some(n),
                    _ => return Err(format!("{mode}: --workers takes a number from 1 to 10000")),
                }
            }
            "--start" => {
                let v = value()?;
                let start = kubetutor::content::Start::parse(&v)
                    .ok_or_else(|| format!("{mode}: --start takes none, kind or tutor"))?;
                flags.start = Some(start);
            }
            "--format" => {
                let v = value()?;
                let format = Format::parse(&v)
                    .ok_or_else(|| format!("{mode}: --format takes table, csv, json or junit"))?;
                flags.format = Some(format);
            }
            _ => return Err(format!("{mode}: unknown argument \"{arg}\"\n\n{USAGE}")),
        }
    }
    Ok(flags)
}
