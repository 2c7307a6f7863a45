//! `kubectl version`: the client and the KinD node's server, both v1.21.1.

use super::flags::{self, Flag, boolean, value};
use super::{Io, messages};

const FLAGS: &[Flag] = &[
    boolean("client", None),
    boolean("short", None),
    value("output", Some('o')),
];

const CLIENT: &str = "version.Info{Major:\"1\", Minor:\"21\", GitVersion:\"v1.21.1\", GitCommit:\"5e58841cce77d4bc13713ad2b91fa0d961e69192\", GitTreeState:\"clean\", BuildDate:\"2021-05-12T14:18:45Z\", GoVersion:\"go1.16.4\", Compiler:\"gc\", Platform:\"linux/amd64\"}";
const SERVER: &str = "version.Info{Major:\"1\", Minor:\"21\", GitVersion:\"v1.21.1\", GitCommit:\"5e58841cce77d4bc13713ad2b91fa0d961e69192\", GitTreeState:\"clean\", BuildDate:\"2021-05-21T23:01:33Z\", GoVersion:\"go1.16.4\", Compiler:\"gc\", Platform:\"linux/amd64\"}";

pub fn run(args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl version", &e)),
    };
    // kubectl 1.21's version command declares no argument check: extra words are ignored.
    let client_only = p.flag("client");
    match p.value("output") {
        None | Some("") => {}
        Some("yaml") => return io.out.push_str(&structured(Format::Yaml, client_only)),
        Some("json") => return io.out.push_str(&structured(Format::Json, client_only)),
        Some(_) => return io.fail("error: --output must be 'yaml' or 'json'\n"),
    }
    if p.flag("short") {
        io.out.push_str("Client Version: v1.21.1\n");
        if !p.flag("client") {
            io.out.push_str("Server Version: v1.21.1\n");
        }
        return;
    }
    io.out.push_str(&format!("Client Version: {CLIENT}\n"));
    if !p.flag("client") {
        io.out.push_str(&format!("Server Version: {SERVER}\n"));
    }
}

/// The fields of apimachinery's `version.Info`, in struct order (json tag, client value,
/// server value).
const INFO_FIELDS: &[(&str, &str, &str)] = &[
    ("major", "1", "1"),
    ("minor", "21", "21"),
    ("gitVersion", "v1.21.1", "v1.21.1"),
    (
        "gitCommit",
        "5e58841cce77d4bc13713ad2b91fa0d961e69192",
        "5e58841cce77d4bc13713ad2b91fa0d961e69192",
    ),
    ("gitTreeState", "clean", "clean"),
    ("buildDate", "2021-05-12T14:18:45Z", "2021-05-21T23:01:33Z"),
    ("goVersion", "go1.16.4", "go1.16.4"),
    ("compiler", "gc", "gc"),
    ("platform", "linux/amd64", "linux/amd64"),
];

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Json,
}

/// `-o yaml|json`: kubectl marshals its `Version` struct and prints it with `Println`, so
/// one more newline follows. JSON keeps struct order with a 2-space indent; YAML goes
/// through JSON to a map, so its keys come out sorted.
fn structured(format: Format, client_only: bool) -> String {
    let mut sections = vec![("clientVersion", 1)];
    if !client_only {
        sections.push(("serverVersion", 2));
    }
    let value = |f: &(&str, &'static str, &'static str), which: usize| {
        if which == 1 { f.1 } else { f.2 }
    };
    match format {
        Format::Json => {
            let blocks: Vec<String> = sections
                .iter()
                .map(|(name, which)| {
                    let fields: Vec<String> = INFO_FIELDS
                        .iter()
                        .map(|f| format!("    \"{}\": \"{}\"", f.0, value(f, *which)))
                        .collect();
                    format!("  \"{name}\": {{\n{}\n  }}", fields.join(",\n"))
                })
                .collect();
            format!("{{\n{}\n}}\n", blocks.join(",\n"))
        }
        Format::Yaml => {
            let mut doc = crate::engine::value::Map::new();
            for (name, which) in &sections {
                let info: crate::engine::value::Map = INFO_FIELDS
                    .iter()
                    .map(|f| {
                        (
                            f.0.to_string(),
                            crate::engine::value::Value::from(value(f, *which)),
                        )
                    })
                    .collect();
                doc.insert(name.to_string(), info.into());
            }
            format!("{}\n", super::printers::yaml::to_yaml(&doc.into()))
        }
    }
}
