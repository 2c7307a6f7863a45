//! Parser and completeness tests.

use super::*;

fn complete(text: &str) -> bool {
    completeness(text) == Completeness::Complete
}

#[test]
fn whole_lines_are_complete() {
    for text in [
        "",
        "echo hi",
        "kubectl get pods -o wide",
        "echo 'a' \"b\"",
        "cat <<EOF\nx\nEOF",
        "a | b && c || d; e",
        "echo \\\nb",
        "echo $(ls)",
        "echo ${X}",
        "# comment",
        "cat <<-EOF\n\tx\n\tEOF",
    ] {
        assert!(complete(text), "{text:?} should be complete");
    }
}

#[test]
fn open_constructs_ask_for_more() {
    for text in [
        "cat <<EOF",
        "cat <<EOF\napiVersion: v1\n",
        "cat <<'EOF'\nx\nEOFX",
        "echo 'abc",
        "echo \"abc",
        "echo a |",
        "echo a &&",
        "echo a ||",
        "echo a \\",
        "echo $(ls",
        "echo ${X",
        "echo `ls",
        "a |\n",
    ] {
        assert!(!complete(text), "{text:?} should be incomplete");
    }
}

#[test]
fn syntax_errors_are_complete_so_running_reports_them() {
    assert!(complete("| x"));
    assert!(complete("echo >"));
    assert!(complete("a ;; b"));
}

#[test]
fn a_heredoc_comment_line_is_body_text() {
    assert!(!complete("cat <<EOF\n# huh ... no \"replicas\" attribute?"));
    let script = parse("cat <<EOF\n# huh ... no \"replicas\" attribute?\nEOF").unwrap();
    let redir = &script.items[0].first.commands[0].redirs[0];
    assert_eq!(
        redir.kind,
        RedirKind::Heredoc {
            body: "# huh ... no \"replicas\" attribute?\n".into(),
            expand: true
        }
    );
}

#[test]
fn words_keep_quoting_apart() {
    let script = parse("echo a'b'\"c$X\"\\d").unwrap();
    let words = &script.items[0].first.commands[0].words;
    assert_eq!(
        words[1].parts,
        vec![
            Part::Lit("a".into()),
            Part::Quoted("b".into()),
            Part::Double(vec![Part::Lit("c".into()), Part::Param("X".into())]),
            Part::Quoted("d".into()),
        ]
    );
}

#[test]
fn redirections_and_assignments_are_recognised() {
    let script = parse("A=1 B=x cmd 2>&1 >out 2>>log <in &>all arg C=3").unwrap();
    let command = &script.items[0].first.commands[0];
    assert_eq!(
        command
            .assigns
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["A", "B"]
    );
    assert_eq!(command.words.len(), 3);
    let kinds: Vec<(u32, &RedirKind)> = command.redirs.iter().map(|r| (r.fd, &r.kind)).collect();
    assert_eq!(kinds[0], (2, &RedirKind::Dup(1)));
    assert!(matches!(
        kinds[1],
        (1, RedirKind::Output(_, WriteMode::Truncate))
    ));
    assert!(matches!(
        kinds[2],
        (2, RedirKind::Output(_, WriteMode::Append))
    ));
    assert!(matches!(kinds[3], (0, RedirKind::Input(_))));
    assert!(matches!(
        kinds[4],
        (1, RedirKind::OutputBoth(_, WriteMode::Truncate))
    ));
}

#[test]
fn lists_and_pipelines_nest_as_bash_does() {
    let script = parse("a | b && c || d; e\nf").unwrap();
    assert_eq!(script.items.len(), 3);
    assert_eq!(script.items[0].first.commands.len(), 2);
    let connectors: Vec<Connector> = script.items[0].rest.iter().map(|(c, _)| *c).collect();
    assert_eq!(connectors, [Connector::And, Connector::Or]);
}

#[test]
fn errors_display_bash_messages() {
    assert_eq!(
        parse("| x").unwrap_err().to_string(),
        "bash: syntax error near unexpected token `|'\n"
    );
    assert_eq!(parse("a &&").unwrap_err(), ParseError::UnexpectedEof);
    assert_eq!(parse("echo 'x").unwrap_err(), ParseError::Unclosed('\''));
    assert_eq!(
        parse("echo x \\").unwrap_err(),
        ParseError::TrailingBackslash
    );
}
