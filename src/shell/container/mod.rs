//! Inside a container: what `kubectl exec` runs. The command runs with the tutor's own
//! shell interpreter (parser, compound commands, `sh -c`/`bash -c`), but against the
//! container's command table (the image's programs and bash's builtins) and the
//! container's files (image files, kubelet-written files, volume mounts), with the
//! environment the container started with. Nothing of the learner's host shows inside.
//!
//! Must not import the TUI; never runs a host process or reads a host file.

mod commands;
mod fs;
pub(crate) mod net;
mod ps;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use super::{Export, Flow, Output, STEP_LIMIT_STATUS, Shell, builtins};
use crate::engine::Cluster;
use crate::engine::runtime::images::{self, ImageSpec};

/// Directories a command name may be given with (`/bin/bash`, `/usr/bin/curl`).
const BIN_DIRS: &[&str] = &[
    "/usr/local/sbin/",
    "/usr/local/bin/",
    "/usr/sbin/",
    "/usr/bin/",
    "/sbin/",
    "/bin/",
];

/// bash's own builtins: present inside `bash -c` whatever the image ships.
const BASH_BUILTINS: &[&str] = &[
    "echo", "printf", "test", "[", ":", "true", "false", "read", "break", "continue", "return",
    "local", "shift", "let", "export", "unset", "cd", "pwd", "type", "exit", "kill", "history",
];

/// The container a command runs in, and where in it.
#[derive(Clone, Debug)]
pub(crate) struct Inside {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub image: &'static ImageSpec,
    pub pod_ip: String,
    /// The container's host name: the pod's name, or the node's for a hostNetwork pod.
    pub hostname: String,
    /// Whether the exec has a terminal (`-i -t`): `TERM`, `ls` columns, the process's tty.
    pub tty: bool,
    /// The exported variables' order in the process's environment (what `env` prints).
    pub env_order: Vec<String>,
    /// PID of the next process the exec starts.
    pub next_pid: u32,
    /// PIDs and command lines of the shells the exec started (`bash -c`), innermost last.
    pub shells: Vec<(u32, String)>,
    /// PID 1 was killed: the container is stopping, nothing more runs.
    pub ended: bool,
    /// The container's restart count when the exec began (a restart ends the session).
    pub restarts: u32,
}

/// What the caller knows about the container to enter.
pub(crate) struct Target<'a> {
    pub namespace: &'a str,
    pub pod: &'a str,
    pub container: &'a str,
    pub image: &'a str,
    pub tty: bool,
}

/// Runs `command` in the container as the runtime's exec would: the program must exist
/// in the image, or the OCI runtime refuses it (exit 126). Err is the kubelet's refusal
/// when the container does not run (kubectl's whole error line).
pub(crate) fn exec(
    cluster: &mut Cluster,
    target: &Target<'_>,
    command: &[String],
    stdin: &str,
    pace: Option<(&mut crate::shell::stream::Pace, bool)>,
) -> Result<Output, String> {
    let Some(mut sh) = container_shell(cluster, target) else {
        // The kubelet's `container not found (%q)`, wrapped by the SPDY upgrade.
        return Err(format!(
            "error: unable to upgrade connection: container not found ({:?})\n",
            target.container
        ));
    };
    let Some(program) = command.first() else {
        return Ok(Output::default());
    };
    let inside = sh.container.as_deref().cloned();
    let Some(inside) = inside else {
        return Ok(Output::default());
    };
    if !program_exists(&inside, program) {
        // runc 1.0 (kind v0.11.1's containerd 1.5), as containerd's CRI returns it.
        return Ok(Output {
            stdout: format!(
                "OCI runtime exec failed: exec failed: container_linux.go:380: starting container process caused: exec: {program:?}: executable file not found in $PATH: unknown\n"
            ),
            stderr: String::new(),
            status: 126,
        });
    }
    let to_terminal = target.tty;
    // The caller's pace, lent for the command: its waits are the terminal's (Ctrl-C, the
    // clock's speed, the headless bound), and text printed to a live terminal shows at once
    // (with a TTY, stderr is the same terminal as stdout).
    let mut lent = pace;
    if let Some((pace, live)) = lent.as_mut() {
        std::mem::swap(&mut sh.pace, &mut **pace);
        if *live {
            use crate::shell::stream::Dest;
            sh.out_dest = Dest::LiveOut;
            sh.err_dest = if target.tty {
                Dest::LiveOut
            } else {
                Dest::LiveErr
            };
        }
    }
    let mut out = sh.dispatch(command, stdin, cluster, to_terminal);
    if let Some((pace, _)) = lent {
        std::mem::swap(&mut sh.pace, pace);
    }
    let stopped = cluster
        .container_run(target.namespace, target.pod, target.container)
        .is_some_and(|r| !r.running);
    if stopped {
        // The exec's stream closes when the container is torn down; by the time kubectl
        // returns, the kubelet's next relist has restarted it (unless backing off).
        cluster.advance(crate::engine::runtime::RESTART_DELAY);
    }
    match sh.flow.take() {
        Some(Flow::Abort) => out.status = STEP_LIMIT_STATUS,
        Some(Flow::Fatal) => out.status = 1,
        _ => {}
    }
    Ok(out)
}

/// A shell for the container: its files, its environment, its working directory.
fn container_shell(cluster: &Cluster, target: &Target<'_>) -> Option<Shell> {
    let run = cluster.container_run(target.namespace, target.pod, target.container)?;
    if !run.running {
        return None;
    }
    let pod = cluster.get(crate::engine::Kind::Pod, target.namespace, target.pod)?;
    let image = images::spec(target.image);
    let pod_ip = crate::engine::objects::pod::ip(pod)
        .unwrap_or("")
        .to_string();
    let mut env: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: &str| {
        env.retain(|(n, _)| n != k);
        env.push((k.to_string(), v.to_string()));
    };
    let started = run.env.clone();
    if let Some(path) = started.get("PATH") {
        push("PATH", path);
    }
    let hostname = fs::hostname(pod).to_string();
    push("HOSTNAME", &hostname);
    if target.tty {
        push("TERM", "xterm");
    }
    for (k, v) in started.iter().filter(|(k, _)| *k != "PATH") {
        push(k, v);
    }
    push("HOME", "/root");
    let mut sh = Shell::new();
    sh.vfs = fs::build(cluster, pod, target.container, image);
    sh.cwd = image.workdir.to_string();
    sh.vars = BTreeMap::new();
    for (k, v) in &env {
        sh.set_var(k, v.clone(), Export::Yes);
    }
    sh.set_var("PWD", image.workdir.to_string(), Export::Yes);
    let mut order: Vec<String> = env.iter().map(|(k, _)| k.clone()).collect();
    order.push("PWD".to_string());
    let first_free = image.processes.iter().map(|p| p.pid).max().unwrap_or(1) + 1;
    sh.container = Some(Box::new(Inside {
        namespace: target.namespace.to_string(),
        pod: target.pod.to_string(),
        container: target.container.to_string(),
        image,
        pod_ip,
        hostname,
        tty: target.tty,
        env_order: order,
        next_pid: first_free,
        shells: Vec::new(),
        ended: false,
        restarts: run.restarts,
    }));
    Some(sh)
}

/// Whether the image of `image` holds `program` (for an interactive shell request).
pub(crate) fn has_program(image: &str, program: &str) -> bool {
    base_name(program).is_some_and(|b| images::spec(image).tools.contains(&b))
}

/// An interactive shell in the container (`kubectl exec -it POD -- bash`): the learner's
/// next lines run in it until `exit`. Err is the kubelet's refusal when it does not run.
pub(crate) fn attach(
    cluster: &mut Cluster,
    target: &Target<'_>,
    command: &[String],
) -> Result<Box<Shell>, String> {
    let Some(mut sh) = container_shell(cluster, target) else {
        return Err(format!(
            "error: unable to upgrade connection: container not found ({:?})\n",
            target.container
        ));
    };
    if let Some(i) = sh.container.as_deref_mut() {
        i.shells.push((i.next_pid, command.join(" ")));
        i.next_pid += 1;
    }
    Ok(Box::new(sh))
}

/// The prompt of Debian's root bash in the container: `root@POD:DIR# `.
pub(crate) fn prompt(sh: &Shell) -> String {
    let pod = sh.container.as_deref().map_or("", |i| i.pod.as_str());
    let dir = match sh.cwd.strip_prefix("/root") {
        Some("") => "~".to_string(),
        Some(rest) if rest.starts_with('/') => format!("~{rest}"),
        _ => sh.cwd.clone(),
    };
    format!("root@{pod}:{dir}# ")
}

impl Shell {
    /// Runs a line in the attached container shell; `exit` (or the container's end)
    /// detaches, with kubectl's `command terminated with exit code N` for a failure.
    pub(crate) fn run_attached(&mut self, line: &str, cluster: &mut Cluster) -> Output {
        let Some(mut inner) = self.attached.take() else {
            return Output::default();
        };
        let alive = inner.container.as_deref().is_some_and(|i| {
            cluster
                .container_run(&i.namespace, &i.pod, &i.container)
                .is_some_and(|r| r.running && r.restarts == i.restarts)
        });
        if !alive {
            // The container's end killed the session's shell (SIGKILL).
            return Output::err("command terminated with exit code 137\n", 137);
        }
        inner.read_bytes = 0;
        inner.expanded_bytes = 0;
        inner.printed_bytes = 0;
        inner.steps = 0;
        let mut out = inner.run_source(line, cluster, 0);
        match inner.flow.take() {
            Some(Flow::Abort) => out.status = STEP_LIMIT_STATUS,
            Some(Flow::Fatal) => out.status = 1,
            _ => {}
        }
        inner.loop_depth = 0;
        inner.exec_depth = 0;
        inner.last_status = out.status;
        let ended = inner.container.as_deref().is_some_and(|i| i.ended);
        if let Some(code) = inner.exit_requested {
            out.stdout.push_str("exit\n");
            out.status = code;
            if code != 0 {
                out.stderr
                    .push_str(&format!("command terminated with exit code {code}\n"));
            }
        } else if ended {
            out.stderr
                .push_str("command terminated with exit code 137\n");
            out.status = 137;
        } else {
            self.attached = Some(inner);
        }
        out
    }
}

/// The program's base name when it is given bare or from one of the image's bin dirs.
fn base_name(program: &str) -> Option<&str> {
    if !program.contains('/') {
        return Some(program);
    }
    BIN_DIRS.iter().find_map(|d| program.strip_prefix(d))
}

/// Whether the runtime finds `program` in the image (on its PATH, or by path).
fn program_exists(inside: &Inside, program: &str) -> bool {
    base_name(program).is_some_and(|b| inside.image.tools.contains(&b))
}

/// Runs one simple command inside the container: bash's builtins, then the image's
/// programs; anything else is bash's "command not found".
pub(crate) fn dispatch(
    sh: &mut Shell,
    args: &[String],
    stdin: &str,
    cluster: &mut Cluster,
    to_terminal: bool,
) -> Output {
    let Some(inside) = sh.container.as_deref() else {
        return Output::default();
    };
    if inside.ended {
        return Output::default();
    }
    let Some(name) = args.first() else {
        return Output::default();
    };
    let found = base_name(name).filter(|b| {
        (!name.contains('/') && BASH_BUILTINS.contains(b)) || inside.image.tools.contains(b)
    });
    let Some(base) = found else {
        return if name.contains('/') {
            Output::err(format!("bash: {name}: No such file or directory\n"), 127)
        } else {
            Output::err(format!("bash: {name}: command not found\n"), 127)
        };
    };
    let rest = &args[1..];
    if let Some(own) = commands::lookup(base) {
        return own(sh, rest, stdin, cluster, to_terminal);
    }
    match builtins::lookup(base) {
        Some(builtin) => {
            let mut call = builtins::Call {
                args: rest,
                stdin,
                cluster,
                to_terminal,
            };
            builtin(sh, &mut call)
        }
        // A program of the image the simulation gives no behaviour (apache2, php, nginx).
        None => Output::err(
            format!("kubetutor: {base} is in the image, but the tutor does not run it by hand\n"),
            1,
        ),
    }
}
