//! The crate's layering, checked mechanically: which top-level module may use which (the
//! arrows of `src/lib.rs`), that the layers above the API read objects through its typed views
//! rather than the engine's JSON helpers, and that no source file outgrows the size the style
//! guide sets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Top-level module → the crate modules it may use (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("engine", &[]),
    ("api", &["engine"]),
    ("tabwriter", &[]),
    ("files", &[]),
    ("shell", &["api", "engine", "tabwriter"]),
    ("content", &["api"]),
    ("session", &["api", "content", "engine", "results", "shell"]),
    ("headless", &["api", "engine", "shell"]),
    ("results", &["files"]),
    ("report", &["files", "results", "tabwriter"]),
    (
        "persist",
        &[
            "api", "content", "engine", "files", "report", "results", "session", "shell",
        ],
    ),
    (
        "tui",
        &["api", "content", "engine", "persist", "session", "shell"],
    ),
];

/// A file longer than this is split (the style guide: "split before 600").
const MAX_LINES: usize = 600;

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// The top-level module a source file belongs to (`src/shell/kubectl/get.rs` → `shell`).
fn module_of(path: &Path) -> Option<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// Whether a file is test code only (its lines do not count as the module's uses).
fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

/// The non-test lines of a file: everything before its `#[cfg(test)]` module.
fn code(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = Vec::new();
    for path in sources() {
        let Some(module) = module_of(&path) else {
            continue;
        };
        // The binary (`main.rs` and its `cli/` modules) uses the library by its name.
        if matches!(module.as_str(), "lib" | "main" | "cli") || is_test_file(&path) {
            continue;
        }
        let Some(may) = allowed.get(module.as_str()) else {
            wrong.push(format!(
                "{}: module {module} has no row in ALLOWED",
                path.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        for (n, line) in code(&text).lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let used: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if used.is_empty() {
                    wrong.push(format!(
                        "{}:{}: spell `crate::{{..}}` imports one module at a time",
                        path.display(),
                        n + 1
                    ));
                } else if used != module
                    && !may.contains(&used.as_str())
                    // `#[macro_export]` puts the engine's own `json!` at the crate root.
                    && used != "__store_json"
                {
                    wrong.push(format!(
                        "{}:{}: {module} uses {used}",
                        path.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

/// The layers above the API read objects through its typed views (`api::views`), never
/// through the engine's JSON helpers.
const VIEW_ONLY: &[&str] = &["tui", "session", "content", "report", "persist"];

#[test]
fn the_layers_above_the_api_read_objects_through_typed_views() {
    let mut wrong = Vec::new();
    for path in sources() {
        let Some(module) = module_of(&path) else {
            continue;
        };
        if !VIEW_ONLY.contains(&module.as_str()) || is_test_file(&path) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        for (n, line) in code(&text).lines().enumerate() {
            let code_part = line.split("//").next().unwrap_or("");
            let helpers = code_part.contains("objects::meta")
                || code_part.contains("objects::pod")
                || (code_part.contains("objects::{")
                    && (code_part.contains("meta") || code_part.contains("pod")));
            if helpers {
                wrong.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "read objects through api::views instead:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_outgrows_the_style_guides_size() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(&path).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}
