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
    let mut kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| p.value("api-group").is_none_or(|g| g == k.group()))
        .filter(|k| namespaced.is_none_or(|n| n == k.is_namespaced()))
        .filter(|k| wanted_verbs.iter().all(|v| verbs(*k).contains(&v.as_str())))
        .collect();
    kinds.sort_by(|a, b| {
        let key = |k: &Kind| match sort_by {
            "name" => k.plural().to_string(),
            "kind" => k.name().to_string(),
            _ => k.group().to_string(),
        };
        key(a).cmp(&key(b)).then(a.plural().cmp(b.plural()))
    });
    if output == "name" {
        for k in kinds {
            io.out.push_str(&k.resource_with_group());
            io.out.push('\n');
        }
        return;
    }
    let mut text = String::new();
    if !p.flag("no-headers") {
        text.push_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND");
        text.push_str(if output == "wide" { "\tVERBS\n" } else { "\n" });
    }
    for k in kinds {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}",
            k.plural(),
            resources::resource(k).short_names.join(","),
            k.api_version(),
            k.is_namespaced(),
            k.name()
        ));
        if output == "wide" {
            text.push_str(&format!("\t[{}]", verbs(k).join(" ")));
        }
        text.push('\n');
    }
    if !text.is_empty() {
        io.out.push_str(&tabwriter::format(&text, tabwriter::GET));
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::kubectl::testkit::Kit;

    #[test]
    fn lists_the_simulated_kinds_in_discovery_order() {
        let mut k = Kit::new();
        assert_eq!(
            k.ok("api-resources"),
            "NAME                  SHORTNAMES   APIVERSION            NAMESPACED   KIND
configmaps            cm           v1                    true         ConfigMap
endpoints             ep           v1                    true         Endpoints
events                ev           v1                    true         Event
namespaces            ns           v1                    false        Namespace
nodes                 no           v1                    false        Node
pods                  po           v1                    true         Pod
secrets                            v1                    true         Secret
serviceaccounts       sa           v1                    true         ServiceAccount
services              svc          v1                    true         Service
controllerrevisions                apps/v1               true         ControllerRevision
daemonsets            ds           apps/v1               true         DaemonSet
deployments           deploy       apps/v1               true         Deployment
replicasets           rs           apps/v1               true         ReplicaSet
endpointslices                     discovery.k8s.io/v1   true         EndpointSlice
"
        );
        assert_eq!(
            k.ok("api-resources -o name --namespaced=false"),
            "namespaces\nnodes\n"
        );
        assert_eq!(
            k.ok("api-resources --api-group=apps -o name"),
            "controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\n"
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
}
