//! `kubectl get … -w` / `--watch` / `--watch-only` (kubectl 1.21's `get.go` watch path): the
//! initial list as plain `get` prints it (not with `--watch-only`), then, as the simulated
//! clock moves, one row per change of a watched object, without a header (the header comes
//! with the first row when `--watch-only` printed no list). `--output-watch-events` adds the
//! EVENT column (ADDED, MODIFIED, DELETED). Rows are aligned one by one, as kubectl flushes
//! its tabwriter after each event.
//!
//! Changes are read from the cluster's change log between waits: each write to a watched
//! object is a row, in order, showing the object as it is after the wait (two writes to one
//! object in the same instant print once). An object that stops matching the selector is
//! DELETED, one that starts matching is ADDED, as the API server's watch says.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::engine::value::Value;

use super::WaitKind;
use crate::api::resources::{self, Request};
use crate::api::selector;
use crate::engine::objects::scheduling::LabelSelector;
use crate::engine::objects::{Kind, meta};
use crate::engine::{ChangeKind, Cluster};
use crate::shell::kubectl::output::{self, Format};
use crate::shell::kubectl::tables::{self, TableOptions};
use crate::shell::kubectl::{self, flags};
use crate::shell::{Output, Shell};

/// The longest single wait of a watch: a change is seen at most this late (simulated).
const MAX_STEP: Duration = Duration::from_secs(1);

/// The flags that make `get` a watch, removed before the list is printed.
const WATCH_FLAGS: &[&str] = &[
    "-w",
    "--watch",
    "--watch=true",
    "--watch-only",
    "--watch-only=true",
];
const EVENTS_FLAGS: &[&str] = &["--output-watch-events", "--output-watch-events=true"];

/// Whether `kubectl ARGS` is a `get` that watches.
pub(crate) fn wants_watch(args: &[String]) -> bool {
    flags::find_verb(args).is_some_and(|i| args[i] == "get")
        && args.iter().any(|a| WATCH_FLAGS.contains(&a.as_str()))
}

/// What is watched and how it prints.
struct Watch {
    kind: Kind,
    namespace: Option<String>,
    names: Vec<String>,
    selector: Option<LabelSelector>,
    field_selector: Option<String>,
    format: Format,
    table: TableOptions,
    events: bool,
    /// The header is still to print (with `--watch-only`, before the first row).
    header_due: bool,
    /// Objects printed so far (YAML separates later ones with `---`).
    printed: usize,
}

/// Runs `kubectl ARGS` (a watching `get`) until it is stopped.
pub(crate) fn watch(sh: &mut Shell, args: &[String], stdin: &str, cluster: &mut Cluster) -> Output {
    let watch_only = args
        .iter()
        .any(|a| a.starts_with("--watch-only") && a != "--watch-only=false");
    let events = args.iter().any(|a| EVENTS_FLAGS.contains(&a.as_str()));
    let plain: Vec<String> = args
        .iter()
        .filter(|a| !WATCH_FLAGS.contains(&a.as_str()) && !EVENTS_FLAGS.contains(&a.as_str()))
        .cloned()
        .collect();
    let mut held = Output::default();
    let mut w = match setup(&plain, events, watch_only) {
        Ok(w) => w,
        // Whatever plain `get` says about these arguments (flag errors, unknown kinds).
        Err(None) => return run_kubectl(sh, &plain, stdin, cluster),
        Err(Some(message)) => return Output::err(message, 1),
    };
    let mut known: BTreeMap<(String, String), Value> = BTreeMap::new();
    for obj in matching(cluster, &w) {
        known.insert(key_of(obj), obj.clone());
    }
    if !watch_only {
        let first = run_kubectl(sh, &plain, stdin, cluster);
        if first.status != 0 {
            return first;
        }
        let mut text = first.stdout;
        if events && w.format.is_table() {
            text = with_event_column(&text, "ADDED");
        }
        w.printed = known.len();
        sh.print_now(&mut held, &text);
        sh.print_err_now(&mut held, &first.stderr);
    }
    let mut seen = cluster.changes().back().map_or(0, |c| c.seq);
    loop {
        let step = cluster
            .next_activity()
            .map_or(MAX_STEP, |at| {
                Duration::from_millis(at.0.saturating_sub(cluster.now().0).max(1) as u64)
            })
            .min(MAX_STEP);
        let waited = sh.wait(cluster, step, WaitKind::Open);
        let text = rows_since(cluster, &mut w, &mut known, &mut seen);
        sh.print_now(&mut held, &text);
        if waited.is_err() {
            return held;
        }
    }
}

fn run_kubectl(sh: &mut Shell, args: &[String], stdin: &str, cluster: &mut Cluster) -> Output {
    let mut ctx = kubectl::Ctx {
        cluster,
        vfs: &sh.vfs,
        cwd: &sh.cwd,
        pace: None,
    };
    let mut full = vec!["get".to_string()];
    if let Some(i) = flags::find_verb(args) {
        full = args.to_vec();
        full[i] = "get".to_string();
    }
    kubectl::run(&mut ctx, &full, stdin)
}

/// Reads what `get` would list; `Err(None)` leaves the error to plain `get`.
fn setup(args: &[String], events: bool, watch_only: bool) -> Result<Watch, Option<String>> {
    let i = flags::find_verb(args).ok_or(None)?;
    let rest: Vec<String> = args[..i].iter().chain(&args[i + 1..]).cloned().collect();
    let p = flags::parse(&rest, kubectl::get::FLAGS).map_err(|_| None)?;
    if p.args.is_empty() || p.value("filename").is_some() {
        return Err(None);
    }
    let requests = resources::parse(&p.args).map_err(|_| None)?;
    let found: usize = requests.iter().map(|r| r.names.len().max(1)).sum();
    if found != 1 {
        return Err(Some(format!(
            "error: watch is only supported on individual resources and resource collections, but {found} resources were found\n"
        )));
    }
    let Some(Request { kind, names }) = requests.into_iter().next() else {
        return Err(None);
    };
    let format = Format::parse(p.value("output")).map_err(|_| None)?;
    let selector = p
        .value("selector")
        .map(selector::parse_labels)
        .transpose()
        .map_err(|_| None)?;
    let all_ns = p.flag("all-namespaces");
    let namespace = if !kind.is_namespaced() || (all_ns && names.is_empty()) {
        None
    } else {
        Some(p.value("namespace").unwrap_or("default").to_string())
    };
    let no_headers = p.flag("no-headers");
    Ok(Watch {
        kind,
        namespace,
        names,
        selector,
        field_selector: p.value("field-selector").map(str::to_string),
        table: TableOptions {
            wide: matches!(format, Format::Wide),
            no_headers: true,
            show_labels: p.flag("show-labels"),
            all_namespaces: all_ns,
            with_kind: p.flag("show-kind"),
            label_columns: p
                .values("label-columns")
                .iter()
                .flat_map(|l| l.split(',').map(str::to_string))
                .collect(),
        },
        format,
        events,
        header_due: watch_only && !no_headers,
        printed: 0,
    })
}

fn key_of(obj: &Value) -> (String, String) {
    (
        meta::namespace(obj).to_string(),
        meta::name(obj).to_string(),
    )
}

/// Whether `obj` is one the watch shows.
fn matches(w: &Watch, obj: &Value) -> bool {
    if w.namespace
        .as_deref()
        .is_some_and(|ns| meta::namespace(obj) != ns)
    {
        return false;
    }
    if !w.names.is_empty() && !w.names.iter().any(|n| n == meta::name(obj)) {
        return false;
    }
    if w.selector
        .as_ref()
        .is_some_and(|s| !s.matches(&meta::labels(obj)))
    {
        return false;
    }
    match &w.field_selector {
        Some(fs) => selector::fields_match(fs, obj).unwrap_or(false),
        None => true,
    }
}

fn matching<'a>(cluster: &'a Cluster, w: &'a Watch) -> impl Iterator<Item = &'a Value> + 'a {
    cluster
        .list(w.kind, w.namespace.as_deref())
        .filter(move |o| matches(w, o))
}

/// The rows for the changes logged after `seen`, and `seen` moved past them.
fn rows_since(
    cluster: &Cluster,
    w: &mut Watch,
    known: &mut BTreeMap<(String, String), Value>,
    seen: &mut u64,
) -> String {
    let mut text = String::new();
    let mut last_row: BTreeMap<(String, String), String> = BTreeMap::new();
    let records: Vec<_> = cluster
        .changes()
        .iter()
        .filter(|c| c.seq > *seen && c.kind == w.kind)
        .cloned()
        .collect();
    if let Some(last) = cluster.changes().back() {
        *seen = last.seq;
    }
    for record in records {
        let key = (record.namespace.clone(), record.name.clone());
        let now_obj = cluster
            .get(w.kind, &record.namespace, &record.name)
            .filter(|o| matches(w, o));
        let was = known.contains_key(&key);
        let (event, obj) = match (now_obj, record.what) {
            (Some(obj), _) if !was => ("ADDED", obj.clone()),
            (Some(obj), _) => ("MODIFIED", obj.clone()),
            (None, _) if was => {
                let gone = known.remove(&key).unwrap_or(Value::Null);
                ("DELETED", gone)
            }
            (None, ChangeKind::Added | ChangeKind::Modified | ChangeKind::Deleted) => continue,
        };
        if event != "DELETED" {
            known.insert(key.clone(), obj.clone());
        }
        let row = row_of(cluster, w, &obj, event);
        if last_row.get(&key) == Some(&row) {
            continue;
        }
        last_row.insert(key, row.clone());
        text.push_str(&row);
        w.printed += 1;
    }
    text
}

/// One event as kubectl prints it.
fn row_of(cluster: &Cluster, w: &mut Watch, obj: &Value, event: &str) -> String {
    match &w.format {
        Format::Table | Format::Wide => {
            let mut opts = w.table.clone();
            opts.no_headers = !w.header_due;
            w.header_due = false;
            let table = tables::print(w.kind, &[obj], cluster.now(), &opts);
            if w.events {
                with_event_column(&table, event)
            } else {
                table
            }
        }
        Format::Name => format!("{}\n", output::object_name(w.kind, obj)),
        structured => {
            let text = output::print_structured(structured, obj).unwrap_or_default();
            if matches!(structured, Format::Yaml) && w.printed > 0 {
                format!("---\n{text}")
            } else {
                text
            }
        }
    }
}

/// Adds kubectl's EVENT column in front of a table: `EVENT` on the header, `event` on rows,
/// padded as its tabwriter pads (width of the widest cell plus 3).
fn with_event_column(table: &str, event: &str) -> String {
    let has_header = table.starts_with("NAME") || table.starts_with("NAMESPACE");
    let width = event.len().max(if has_header { 5 } else { 0 }) + 3;
    let mut out = String::with_capacity(table.len() + 16);
    for (i, line) in table.lines().enumerate() {
        let cell = if i == 0 && has_header { "EVENT" } else { event };
        out.push_str(&format!("{cell:<width$}{line}\n"));
    }
    out
}
