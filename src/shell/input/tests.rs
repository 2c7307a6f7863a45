use super::*;

/// Every command line `text` yields, read through a reader with bound `limit`.
fn commands(text: &str, limit: usize) -> Vec<Assembled> {
    let mut input = text.as_bytes();
    let mut reader = CommandReader::with_limit(&mut input, limit);
    let mut out = Vec::new();
    while let Some(next) = reader.next_command().unwrap() {
        out.push(next);
    }
    out
}

fn cmd(s: &str) -> Assembled {
    Assembled::Command(s.to_string())
}

#[test]
fn lines_gather_into_whole_commands() {
    let text = "echo a\ncat <<EOF |\nx\nEOF\nwc -l\necho 'b\nc'\nls \\\n -l\n";
    assert_eq!(
        commands(text, 1 << 20),
        vec![
            cmd("echo a"),
            cmd("cat <<EOF |\nx\nEOF\nwc -l"),
            cmd("echo 'b\nc'"),
            cmd("ls \\\n -l"),
        ]
    );
}

#[test]
fn a_too_long_heredoc_is_refused_whole_and_its_body_never_runs() {
    // The input, scaled to a 4 KB bound: the body passes the bound long before
    // `echo INJECTED` and `touch pwned`, which are heredoc lines and must not run.
    let body: String = (0..300).map(|_| format!("{}\n", "y".repeat(99))).collect();
    let text = format!("cat <<EOF > d\n{body}echo INJECTED\ntouch pwned\nEOF\nls\n");
    let got = commands(&text, 4096);
    let heredoc = text.len() - "ls\n".len();
    assert_eq!(got, vec![Assembled::TooLong(heredoc), cmd("ls")]);
}

#[test]
fn a_too_long_quoted_string_or_continued_line_is_refused_whole() {
    let quoted = format!(
        "echo '{}\n{}\ntouch pwned'\nls\n",
        "a".repeat(50),
        "b".repeat(50)
    );
    assert_eq!(
        commands(&quoted, 64),
        vec![Assembled::TooLong(quoted.len() - 3), cmd("ls")]
    );
    let continued = format!("echo a \\\n{} \\\ntouch pwned\nls\n", "b".repeat(80));
    assert_eq!(
        commands(&continued, 64),
        vec![Assembled::TooLong(continued.len() - 3), cmd("ls")]
    );
}

#[test]
fn a_line_longer_than_the_bound_is_skipped_in_pieces_and_reported_once() {
    // 1 MB on one line against a 1 KB bound: reported once, the next line runs.
    let text = format!("echo {}\necho after\n", "x".repeat(1 << 20));
    let got = commands(&text, 1024);
    assert_eq!(
        got,
        vec![Assembled::TooLong((1 << 20) + 6), cmd("echo after")]
    );
}

#[test]
fn the_reader_holds_at_most_the_bound_plus_one_piece() {
    let line = format!("{}\nls\n", "z".repeat(4 << 20));
    let mut input = std::io::BufReader::with_capacity(8192, line.as_bytes());
    let mut reader = CommandReader::with_limit(&mut input, 4096);
    let mut got = Vec::new();
    while let Some(next) = reader.next_command().unwrap() {
        got.push(next);
        assert!(
            reader.buf.capacity() <= 128 << 10,
            "{}",
            reader.buf.capacity()
        );
    }
    assert_eq!(got, vec![Assembled::TooLong(4 << 20 | 1), cmd("ls")]);
}

#[test]
fn end_of_input_runs_what_is_left_or_reports_it_too_long() {
    assert_eq!(commands("echo 'open\n", 1024), vec![cmd("echo 'open")]);
    assert_eq!(commands("echo last", 1024), vec![cmd("echo last")]);
    let open = format!("cat <<EOF\n{}", "a\n".repeat(100));
    assert_eq!(commands(&open, 64), vec![Assembled::TooLong(open.len())]);
}

#[test]
fn a_syntax_error_is_a_whole_command_at_once() {
    assert_eq!(
        commands("; echo 'x\nls\n", 1024),
        vec![cmd("; echo 'x"), cmd("ls")]
    );
    assert_eq!(
        commands("echo >\nls\n", 1024),
        vec![cmd("echo >"), cmd("ls")]
    );
}

#[test]
fn the_assembler_is_idle_only_with_nothing_waiting() {
    let mut a = Assembler::with_limit(8);
    assert!(a.is_idle());
    assert_eq!(a.push("cat <<EOF\n"), None);
    assert!(!a.is_idle());
    a.clear();
    assert!(a.is_idle());
    assert_eq!(a.push("echo 0123456789 '\n"), None);
    assert!(
        !a.is_idle(),
        "skipping a too-long input still asks for more"
    );
    assert_eq!(a.push("'\n"), Some(Assembled::TooLong(20)));
    assert!(a.is_idle());
}
