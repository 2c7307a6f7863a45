//! Real programs a learner may reach for that the tutor does not run, each with a plain
//! word on what to do instead, so "command not found" never leaves them guessing. The exit
//! status stays bash's 127 for a missing command.
//!
//! Must not import the TUI; never runs anything.

/// What the tutor says for a program it does not provide, if it knows the program.
pub(crate) fn note(name: &str) -> Option<&'static str> {
    Some(match name {
        "vi" | "vim" | "nvim" | "nano" | "emacs" | "pico" | "ed" => {
            "the tutor has no full-screen editor; write a file with a heredoc (cat <<EOF > FILE ... EOF) or tee, read it with cat"
        }
        "exec" => {
            "the tutor's shell cannot be replaced by another program; to run a command in a pod, use kubectl exec POD -- COMMAND"
        }
        "bash" | "sh" | "zsh" | "su" | "sudo" | "ssh" => {
            "the tutor has one shell and no other programs or hosts; type the commands here"
        }
        "docker" | "kind" | "crictl" | "systemctl" | "journalctl" => {
            "the simulated cluster has no nodes to log into; inspect it with kubectl (get, describe, logs)"
        }
        "less" | "more" => {
            "the tutor has no pager; scroll back with Shift-PgUp, or pipe into head or tail"
        }
        "curl" | "wget" | "ping" => {
            "the tutor's host has no network; inside a pod curl works: kubectl exec POD -- curl URL"
        }
        _ => return None,
    })
}
