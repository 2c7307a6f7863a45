//! `kubectl api-resources`: the table of the resource kinds the simulated API server
//! serves, sorted as kubectl v1.21 sorts discovery (by API group, then name), with `-o wide`
//! (VERBS), `-o name`, `--namespaced`, `--api-group`, `--verbs`, `--sort-by`.
//!
//! Must not import: the terminal, std::fs, std::process.

use super::flags::{self, Flag, boolean, value};
use super::{Io, messages};
use crate::api::resources;
use crate::engine::objects::Kind;
use crate::tabwriter;

const COMMAND: &str = "kubectl api-resources";

const FLAGS: &[Flag] = &[
    boolean("no-headers", None),
    value("output", Some('o')),
    value("api-group", None),
    value("namespaced", None),
    value("verbs", None),
    value("sort-by", None),
    boolean("cached", None),
];

/// The verbs discovery lists for a kind.
fn verbs(kind: Kind) -> &'static [&'static str] {
    resources::resource(kind).verbs
}

pub fn run(args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(COMMAND, &e)),
    };
    if !p.args.is_empty() {
        return io.fail(messages::usage_error(
            COMMAND,
            &format!("unexpected arguments: [{}]", p.args.join(" ")),
        ));
    }
    let output = p.value("output").unwrap_or("");
    if !["", "wide", "name"].contains(&output) {
        return io.fail(format!("error: --output {output} is not available\n"));
    }
    let sort_by = p.value("sort-by").unwrap_or("");
    if !["", "name", "kind"].contains(&sort_by) {
        return io.fail("error: --sort-by accepts only name or kind\n");
    }
    let namespaced = match p.value("namespaced") {
        None => None,
        Some("true" | "1" | "t" | "T" | "TRUE" | "True") => Some(true),
        Some("false" | "0" | "f" | "F" | "FALSE" | "False") => Some(false),
        Some(v) => {
            return io.fail(messages::flag_error(
                COMMAND,
                &format!("invalid argument {v:?} for \"--namespaced\" flag: strconv.ParseBool: parsing {v:?}: invalid syntax"),
            ));
        }
    };
    let wanted_verbs: Vec<String> = p
        .values("verbs")
        .iter()
        .flat_map(|v| v.split(',').map(str::to_string))
        .collect();
    let mut rows: Vec<Row> = Kind::ALL
        .into_iter()
        .map(Row::of_kind)
        .chain(resources::served_rows().map(Row::of_served))
        .filter(|r| p.value("api-group").is_none_or(|g| g == r.group))
        .filter(|r| namespaced.is_none_or(|n| n == r.namespaced))
        .filter(|r| wanted_verbs.iter().all(|v| r.verbs.contains(&v.as_str())))
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &Row| match sort_by {
            "name" => r.name.to_string(),
            "kind" => r.kind.to_string(),
            _ => r.group.to_string(),
        };
        key(a).cmp(&key(b)).then(a.name.cmp(b.name))
    });
    if output == "name" {
        for r in rows {
            io.out.push_str(&r.name_with_group());
            io.out.push('\n');
        }
        return;
    }
    let mut text = String::new();
    if !p.flag("no-headers") {
        text.push_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND");
        text.push_str(if output == "wide" { "\tVERBS\n" } else { "\n" });
    }
    for r in rows {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            r.name,
            r.short_names.join(","),
            r.group_version,
            r.namespaced,
            r.kind
        ));
        if output == "wide" {
            text.push_str(&format!("\t[{}]", r.verbs.join(" ")));
        }
        text.push('\n');
    }
    if !text.is_empty() {
        io.out.push_str(&tabwriter::format(&text, tabwriter::GET));
    }
}

/// One discovery row: a simulated kind or a served-but-empty resource.
struct Row {
    name: &'static str,
    short_names: &'static [&'static str],
    group: &'static str,
    group_version: &'static str,
    namespaced: bool,
    kind: &'static str,
    verbs: &'static [&'static str],
}

impl Row {
    fn of_kind(k: Kind) -> Row {
        Row {
            name: k.plural(),
            short_names: resources::resource(k).short_names,
            group: k.group(),
            group_version: k.api_version(),
            namespaced: k.is_namespaced(),
            kind: k.name(),
            verbs: verbs(k),
        }
    }

    fn of_served(s: &'static resources::Served) -> Row {
        Row {
            name: s.name,
            short_names: s.short_names,
            group: s.group(),
            group_version: s.group_version,
            namespaced: s.namespaced,
            kind: s.kind,
            verbs: s.verbs,
        }
    }

    fn name_with_group(&self) -> String {
        match self.group {
            "" => self.name.to_string(),
            g => format!("{}.{g}", self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::kubectl::testkit::Kit;

    #[test]
    fn lists_kind_v1_21_1s_discovery_sorted_by_group_then_name() {
        let mut k = Kit::new();
        let table = k.ok("api-resources");
        assert_eq!(table.lines().count(), 58);
        assert!(table.starts_with(
            "NAME                              SHORTNAMES   APIVERSION                             NAMESPACED   KIND\nbindings                                       v1                                     true         Binding\n"
        ));
        assert!(table.ends_with(
            "csistoragecapacities                           storage.k8s.io/v1beta1                 true         CSIStorageCapacity\nstorageclasses                    sc           storage.k8s.io/v1                      false        StorageClass\nvolumeattachments                              storage.k8s.io/v1                      false        VolumeAttachment\n"
        ));
        assert_eq!(
            k.ok("api-resources -o name --namespaced=false")
                .lines()
                .count(),
            25
        );
        assert_eq!(
            k.ok("api-resources --api-group=apps -o name"),
            "controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n"
        );
        assert_eq!(
            k.ok("api-resources --api-group=authentication.k8s.io -o wide"),
            "NAME           SHORTNAMES   APIVERSION                 NAMESPACED   KIND          VERBS\ntokenreviews                authentication.k8s.io/v1   false        TokenReview   [create]\n"
        );
        assert!(
            k.ok("api-resources -o wide")
                .contains("[create delete deletecollection get list patch update watch]")
        );
        assert_eq!(
            k.err("api-resources -o json"),
            "error: --output json is not available\n"
        );
    }

    #[test]
    fn every_listed_resource_answers_get() {
        let mut k = Kit::new();
        for name in k.ok("api-resources -o name").lines() {
            let out = k.run(&format!("get {name}"));
            assert!(
                !out.stderr.contains("doesn't have a resource type"),
                "{name}: {out:?}"
            );
        }
        assert_eq!(
            k.run("get leases").stderr,
            "No resources found in default namespace.\n"
        );
        assert_eq!(k.run("get sc").stderr, "No resources found\n");
        assert_eq!(
            k.run("get statefulsets.apps -A").stderr,
            "No resources found\n"
        );
        assert_eq!(
            k.err("get tokenreviews"),
            "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n"
        );
        assert_eq!(
            k.err("get role/x"),
            "Error from server (NotFound): roles.rbac.authorization.k8s.io \"x\" not found\n"
        );
        assert!(
            k.ok("get jobs -o yaml")
                .starts_with("apiVersion: v1\nitems: []\n")
        );
    }
}
