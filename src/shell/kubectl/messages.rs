//! Every fixed message kubectl prints, in one place for fidelity review (kubectl v1.21
//! wording; sources in `shared/kubectl-fidelity.md` §4).

/// cobra's flag error, as kubectl's FlagErrorFunc prints it.
pub fn flag_error(command: &str, msg: &str) -> String {
    format!("Error: {msg}\nSee '{command} --help' for usage.\n")
}

/// cobra's unknown sub-command error with its suggestions.
pub fn unknown_command(word: &str, suggestions: &[&str]) -> String {
    let mut s = format!("Error: unknown command \"{word}\" for \"kubectl\"");
    if !suggestions.is_empty() {
        s.push_str("\n\nDid you mean this?\n");
        for sug in suggestions {
            s.push('\t');
            s.push_str(sug);
            s.push('\n');
        }
    }
    s.push_str("\nRun 'kubectl --help' for usage.\n");
    s
}

/// A real kubectl command that the tutor's cluster does not simulate.
pub fn unsupported(what: &str) -> String {
    format!("error: \"kubectl {what}\" is not supported by the tutor's simulated cluster\n")
}

/// `cmdutil.UsageErrorf`.
pub fn usage_error(command: &str, msg: &str) -> String {
    format!("error: {msg}\nSee '{command} -h' for help and examples\n")
}

pub fn unknown_resource_type(arg: &str) -> String {
    format!("error: the server doesn't have a resource type \"{arg}\"\n")
}

pub fn no_resources_in_namespace(ns: &str) -> String {
    format!("No resources found in {ns} namespace.\n")
}

pub const NO_RESOURCES: &str = "No resources found\n";

pub fn required_resource(command: &str) -> String {
    format!(
        "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee '{command} -h' for help and examples\n"
    )
}

pub const APPLY_NEEDS_FILE: &str = "error: must specify one of -f and -k\n";
pub const NO_OBJECTS_APPLY: &str = "error: no objects passed to apply\n";
pub const NO_OBJECTS_CREATE: &str = "error: no objects passed to create\n";

pub fn path_not_found(path: &str) -> String {
    format!("error: the path \"{path}\" does not exist\n")
}

pub fn missing_last_applied(resource: &str, name: &str) -> String {
    format!(
        "Warning: resource {resource}/{name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
    )
}

pub fn namespace_mismatch(object_ns: &str, flag_ns: &str) -> String {
    format!(
        "error: the namespace from the provided object \"{object_ns}\" does not match the namespace \"{flag_ns}\". You must pass '--namespace={object_ns}' to perform this operation.\n"
    )
}

pub fn no_kind_match(source: &str, kind: &str, version: &str) -> String {
    format!(
        "error: unable to recognize \"{source}\": no matches for kind \"{kind}\" in version \"{version}\"\n"
    )
}

pub const FORCE_DELETE_WARNING: &str = "warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";

pub fn show_labels_with_printer(format: &str) -> String {
    format!("error: --show-labels option cannot be used with {format} printer\n")
}

pub fn bad_output_format(format: &str) -> String {
    format!(
        "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"
    )
}

pub const DELETE_NEEDS_ARGS: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n";
