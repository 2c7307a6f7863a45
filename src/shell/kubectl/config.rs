//! `kubectl config`: the tutor's one kubeconfig, as `kind create cluster` writes it
//! (context, cluster and user all `kind-kind`): `current-context`, `get-contexts`,
//! `get-clusters`, `use-context` and `view` (secrets shown as kubectl redacts them).
//!
//! Must not import: the terminal, std::fs, std::process.

use crate::engine::value::json;

use super::flags::{self, Flag, boolean, value};
use super::{Io, messages, output};
use crate::tabwriter;

/// KinD's context, cluster and user name for a cluster called `kind`.
const CONTEXT: &str = "kind-kind";

const FLAGS: &[Flag] = &[
    value("output", Some('o')),
    boolean("no-headers", None),
    boolean("raw", None),
    boolean("minify", None),
    boolean("flatten", None),
    value("merge", None),
];

const HELP: &str = "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\"

 The tutor's cluster has one kubeconfig with one context, kind-kind.

Available Commands:
  current-context Displays the current-context
  get-clusters    Display clusters defined in the kubeconfig
  get-contexts    Describe one or many contexts
  use-context     Sets the current-context in a kubeconfig file
  view            Display merged kubeconfig settings or a specified kubeconfig file

Usage:
  kubectl config SUBCOMMAND [options]
";

/// `kubectl config ...` with the kubeconfig's server (`https://127.0.0.1:PORT`).
pub fn run_at(server: &str, args: &[String], io: &mut Io) {
    let sub = args.iter().position(|a| !a.starts_with('-'));
    let Some(i) = sub else {
        if let Err(e) = flags::parse(args, &[]) {
            return io.fail(messages::flag_error("kubectl config", &e));
        }
        io.out.push_str(HELP);
        return;
    };
    let word = args[i].as_str();
    let rest: Vec<String> = args[..i].iter().chain(&args[i + 1..]).cloned().collect();
    let command = format!("kubectl config {word}");
    let known = [
        "current-context",
        "get-contexts",
        "get-clusters",
        "use-context",
        "view",
    ];
    let other = [
        "delete-cluster",
        "delete-context",
        "delete-user",
        "get-users",
        "rename-context",
        "set",
        "set-cluster",
        "set-context",
        "set-credentials",
        "unset",
    ];
    if other.contains(&word) {
        return io.fail(messages::unsupported(&format!("config {word}")));
    }
    if !known.contains(&word) {
        return io.fail(messages::usage_error(
            "kubectl config",
            &format!("unknown command {:?}", args[i..].join(" ")),
        ));
    }
    let p = match flags::parse(&rest, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error(&command, &e)),
    };
    match word {
        "current-context" => io.out.push_str(&format!("{CONTEXT}\n")),
        "get-clusters" => io.out.push_str(&format!("NAME\n{CONTEXT}\n")),
        "use-context" => match p.args.first().map(String::as_str) {
            Some(CONTEXT) => io
                .out
                .push_str(&format!("Switched to context \"{CONTEXT}\".\n")),
            Some(other) => io.fail(format!(
                "error: no context exists with the name: {other:?}\n"
            )),
            None => io.fail(messages::usage_error(&command, "Unexpected args: []")),
        },
        "get-contexts" => get_contexts(&p, io),
        _ => view(&p, &command, server, io),
    }
}

fn get_contexts(p: &flags::Parsed, io: &mut Io) {
    let format = p.value("output").unwrap_or("");
    match format {
        "" | "name" => {}
        "json"
        | "yaml"
        | "wide"
        | "custom-columns"
        | "custom-columns-file"
        | "go-template"
        | "go-template-file"
        | "jsonpath"
        | "jsonpath-file" => {
            return io.fail(format!("error: --output {format} is not available in kubectl config get-contexts; resetting to default output format\n"));
        }
        f => return io.fail(format!("error: output must be one of '' or 'name': {f}\n")),
    }
    let missing: Vec<&String> = p.args.iter().filter(|n| *n != CONTEXT).collect();
    let show = p.args.is_empty() || p.args.iter().any(|n| n == CONTEXT);
    if format == "name" {
        if show {
            io.out.push_str(&format!("{CONTEXT}\n"));
        }
    } else {
        let mut text = String::new();
        if !p.flag("no-headers") {
            text.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
        }
        if show {
            text.push_str(&format!("*\t{CONTEXT}\t{CONTEXT}\t{CONTEXT}\t\n"));
        }
        if !text.is_empty() {
            io.out.push_str(&tabwriter::format(&text, tabwriter::GET));
        }
    }
    for name in missing {
        io.fail(format!("error: context {name} not found\n"));
    }
}

fn view(p: &flags::Parsed, command: &str, server: &str, io: &mut Io) {
    if !p.args.is_empty() {
        return io.fail(messages::usage_error(
            command,
            &format!("unexpected arguments: [{}]", p.args.join(" ")),
        ));
    }
    let config = json!({
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": server}, "name": CONTEXT}],
        "contexts": [{"context": {"cluster": CONTEXT, "user": CONTEXT}, "name": CONTEXT}],
        "current-context": CONTEXT,
        "kind": "Config",
        "preferences": {},
        "users": [{"name": CONTEXT, "user": {"client-certificate-data": "REDACTED", "client-key-data": "REDACTED"}}],
    });
    let format = match output::Format::parse(Some(p.value("output").unwrap_or("yaml"))) {
        Ok(output::Format::Table | output::Format::Wide) => output::Format::Yaml,
        Ok(f) => f,
        Err(e) => return io.fail(e),
    };
    match output::print_structured(&format, &config) {
        Ok(text) => io.out.push_str(&text),
        Err(e) => io.fail(e),
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::kubectl::testkit::Kit;

    #[test]
    fn context_commands() {
        let mut k = Kit::new();
        assert_eq!(k.ok("config current-context"), "kind-kind\n");
        assert_eq!(
            k.ok("config get-contexts"),
            "CURRENT   NAME        CLUSTER     AUTHINFO    NAMESPACE\n*         kind-kind   kind-kind   kind-kind   \n"
        );
        assert_eq!(k.ok("config get-contexts -o name"), "kind-kind\n");
        assert_eq!(
            k.ok("config use-context kind-kind"),
            "Switched to context \"kind-kind\".\n"
        );
        assert_eq!(
            k.err("config use-context prod"),
            "error: no context exists with the name: \"prod\"\n"
        );
        assert_eq!(
            k.err("config frob"),
            "error: unknown command \"frob\"\nSee 'kubectl config -h' for help and examples\n"
        );
    }

    #[test]
    fn view_redacts_the_credentials() {
        let mut k = Kit::new();
        assert_eq!(
            k.ok("config view"),
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://127.0.0.1:39427\n  name: kind-kind\ncontexts:\n- context:\n    cluster: kind-kind\n    user: kind-kind\n  name: kind-kind\ncurrent-context: kind-kind\nkind: Config\npreferences: {}\nusers:\n- name: kind-kind\n  user:\n    client-certificate-data: REDACTED\n    client-key-data: REDACTED\n"
        );
        assert!(
            k.ok("config view -o jsonpath={.current-context}")
                .starts_with("kind-kind")
        );
    }
}
