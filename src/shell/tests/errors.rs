//! bash's own error texts and statuses for bad command lines.

use super::{run, sh};
use crate::shell::MAX_INPUT_BYTES;

fn err(line: &str) -> (String, i32) {
    let out = run(&mut sh(), line);
    (out.stderr, out.status)
}

#[test]
fn unknown_commands_and_paths() {
    assert_eq!(
        err("kubeclt get pods"),
        ("bash: kubeclt: command not found\n".to_string(), 127)
    );
    assert_eq!(
        err("./run.sh"),
        (
            "bash: ./run.sh: No such file or directory\n".to_string(),
            127
        )
    );
    assert_eq!(err("touch s; ./s").0, "bash: ./s: Permission denied\n");
}

#[test]
fn syntax_errors_use_bash_words_and_status_2() {
    assert_eq!(
        err("| wc"),
        (
            "bash: syntax error near unexpected token `|'\n".to_string(),
            2
        )
    );
    assert_eq!(
        err("echo a | | wc").0,
        "bash: syntax error near unexpected token `|'\n"
    );
    assert_eq!(
        err("echo >").0,
        "bash: syntax error near unexpected token `newline'\n"
    );
    assert_eq!(
        err("echo a ;;").0,
        "bash: syntax error near unexpected token `;;'\n"
    );
    assert_eq!(
        err("; echo").0,
        "bash: syntax error near unexpected token `;'\n"
    );
    assert_eq!(
        err("echo > | x").0,
        "bash: syntax error near unexpected token `|'\n"
    );
    assert_eq!(
        err("echo a &&"),
        (
            "bash: syntax error: unexpected end of file\n".to_string(),
            2
        )
    );
}

#[test]
fn syntax_errors_run_nothing() {
    let mut t = sh();
    let out = run(&mut t, "echo a > f; |");
    assert_eq!(out.stdout, "");
    assert!(!t.vfs().exists(t.cwd(), "f"));
}

#[test]
fn unterminated_quotes_report_the_missing_quote() {
    let expected = "bash: unexpected EOF while looking for matching `'\"\nbash: syntax error: unexpected end of file\n";
    assert_eq!(err("echo \"abc"), (expected.replace("'\"", "\"'"), 2));
    let expected = "bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file\n";
    assert_eq!(err("echo 'abc"), (expected.to_string(), 2));
    assert_eq!(
        err("echo $(ls").0,
        "bash: unexpected EOF while looking for matching `)'\nbash: syntax error: unexpected end of file\n"
    );
}

#[test]
fn unterminated_heredoc_warns_and_runs() {
    let out = run(&mut sh(), "cat <<EOF\nabc");
    assert_eq!(
        out.stderr,
        "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n"
    );
    assert_eq!((out.stdout.as_str(), out.status), ("abc\n", 0));
    let out = run(&mut sh(), "echo x\ncat <<END");
    assert_eq!(
        out.stderr,
        "bash: warning: here-document at line 2 delimited by end-of-file (wanted `END')\n"
    );
}

#[test]
fn trailing_backslash_is_dropped() {
    assert_eq!(run(&mut sh(), "echo a \\").stdout, "a\n");
    assert_eq!(run(&mut sh(), "echo a \\\nb").stdout, "a b\n");
}

#[test]
fn redirection_failures_skip_the_command() {
    let mut t = sh();
    let out = run(&mut t, "echo x > /etc/x");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.status),
        ("", "bash: /etc/x: Permission denied\n", 1)
    );
    assert_eq!(
        run(&mut t, "cat < nope").stderr,
        "bash: nope: No such file or directory\n"
    );
    assert_eq!(
        run(&mut t, "echo x > no/dir/f").stderr,
        "bash: no/dir/f: No such file or directory\n"
    );
    assert_eq!(
        run(&mut t, "echo x > .").stderr,
        "bash: .: Is a directory\n"
    );
    assert_eq!(
        run(&mut t, "echo x 3>&5").stderr,
        "bash: 5: Bad file descriptor\n"
    );
}

#[test]
fn oversized_input_is_refused_clearly() {
    let mut t = sh();
    let out = run(&mut t, &"x".repeat(MAX_INPUT_BYTES + 1));
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("too long"));
    run(&mut t, &format!("echo {} > big", "y".repeat(60_000)));
    let out = run(&mut t, &format!("cat {} > /dev/null", "big ".repeat(2000)));
    assert!(out.stderr.contains("output too large"));
    run(&mut t, &format!("cat {} > huge", "big ".repeat(100)));
    let out = run(&mut t, &format!("cat {} >> huge", "big ".repeat(50)));
    assert_eq!(
        (out.stderr.as_str(), out.status),
        ("bash: huge: File too large\n", 1)
    );
}

#[test]
fn exit_sets_the_request_and_stops_the_line() {
    let mut t = sh();
    assert_eq!(t.exit_requested(), None);
    let out = run(&mut t, "exit 3; echo after");
    assert_eq!((out.stdout.as_str(), t.exit_requested()), ("", Some(3)));
    let mut t = sh();
    run(&mut t, "false; exit");
    assert_eq!(t.exit_requested(), Some(1));
    let mut t = sh();
    assert_eq!(run(&mut t, "exit 300").status, 44);
    let mut t = sh();
    assert_eq!(
        run(&mut t, "exit abc").stderr,
        "bash: exit: abc: numeric argument required\n"
    );
    assert_eq!(t.exit_requested(), Some(2));
    let mut t = sh();
    run(&mut t, "exit | cat");
    assert_eq!(t.exit_requested(), None);
}

#[test]
fn compound_commands_run_and_reserved_words_are_plain_arguments() {
    let mut t = sh();
    let out = run(&mut t, "echo before; for i in 1 2; do echo $i; done");
    assert_eq!(out.stdout, "before\n1\n2\n");
    assert_eq!(out.status, 0);
    assert_eq!(run(&mut t, "echo if then 'for'").stdout, "if then for\n");
}

/// Issue 15 item 10: programs the tutor does not run say plainly what to do instead, and a
/// capped sleep says it was capped.
#[test]
fn unavailable_programs_and_a_capped_sleep_say_what_the_tutor_does() {
    let mut t = sh();
    for (line, words) in [
        ("vi x.yaml", "no full-screen editor"),
        ("nano x.yaml", "no full-screen editor"),
        ("exec bash", "cannot be replaced"),
    ] {
        let out = run(&mut t, line);
        assert_eq!(out.status, 127, "{line}");
        assert!(
            out.stderr.contains("command not found (kubetutor: "),
            "{line}"
        );
        assert!(out.stderr.contains(words), "{line}: {}", out.stderr);
    }
    assert_eq!(
        run(&mut t, "frobnicate").stderr,
        "bash: frobnicate: command not found\n"
    );
    let mut c = super::cluster();
    let out = t.run("sleep 100000", &mut c);
    assert_eq!(out.status, 0);
    assert_eq!(
        out.stderr,
        "kubetutor: sleep is capped at 24h of simulated time; 24h passed\n"
    );
    assert_eq!(c.now().as_secs(), 24 * 3600);
    assert_eq!(t.run("sleep 10", &mut c).stderr, "");
}

#[test]
fn a_command_line_of_too_many_pieces_is_refused_before_it_is_built() {
    let mut t = sh();
    let expected = "kubetutor: command line too complex (over 200000 words, operators and quoted pieces): none of it was run\n";
    for line in [
        format!("echo {}", "a ".repeat(200_001)),
        format!("echo {}", "''".repeat(200_001)),
        format!("{}echo done", "true;".repeat(100_001)),
        format!("echo \"{}\"", "$HOME".repeat(200_001)),
    ] {
        let out = run(&mut t, &line);
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str(), out.status),
            ("", expected, 2)
        );
    }
    // Just under the bound, a long line still runs.
    let out = run(&mut t, &format!("echo {}| wc -w", "a ".repeat(100_000)));
    assert_eq!(out.stdout.trim(), "100000");
}

#[test]
fn a_command_line_reads_and_pipes_at_most_its_bound() {
    let mut t = sh();
    let four_mib = "y".repeat(1023) + "\n";
    let four_mib = four_mib.repeat(4096);
    let cwd = t.cwd().to_string();
    t.vfs_mut()
        .write(&cwd, "f", &four_mib, crate::shell::vfs::WriteMode::Truncate)
        .unwrap();
    // 20 files of 4 MiB: the 17th passes 64 MiB.
    let out = run(&mut t, &format!("grep -c y {}", "f ".repeat(20)));
    assert_eq!(out.stdout, "f:4096\n".repeat(16));
    assert_eq!(
        out.stderr,
        "grep: f: input too large: the tutor reads at most 67108864 bytes per command line\n"
            .repeat(4)
    );
    assert_eq!(out.status, 2);
    // 4 MiB through 20 pipes: stopped when the handoffs pass 64 MiB.
    let out = run(&mut t, &format!("cat f{} | wc -c", " | cat".repeat(20)));
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "bash: pipeline stopped: its commands passed more than 67108864 bytes between them\n"
    );
    assert_eq!(out.status, 1);
    // Each command line starts afresh.
    assert_eq!(run(&mut t, "cat f | cat | wc -c").stdout, "4194304\n");
}
