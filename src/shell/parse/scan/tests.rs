//! The scanner agrees with the parser: it never calls incomplete text whole or the reverse.

use proptest::prelude::*;

use super::Scanner;
use crate::shell::parse::{Completeness, completeness};

/// The scanner's answer for `text` typed and then Enter; `None` once it defers to the
/// parser (a compound command: then it must say "may be complete").
fn scanned(text: &str) -> bool {
    let mut s = Scanner::new();
    s.feed(text);
    s.feed("\n");
    s.may_be_complete()
}

fn defers(text: &str) -> bool {
    let mut s = Scanner::new();
    s.feed(text);
    s.feed("\n");
    s.defers_to_parser()
}

/// Exact agreement where the scanner follows the grammar; where it defers (compound
/// commands), it never calls text incomplete, so the parser alone decides.
fn agree(text: &str) -> bool {
    if defers(text) {
        scanned(text)
    } else {
        scanned(text) == parsed(text)
    }
}

#[test]
fn compound_commands_are_left_to_the_parser() {
    for (text, whole) in [
        ("(", false),
        ("( echo a )", true),
        ("for i in 1 2; do", false),
        ("for i in 1 2; do\necho $i\ndone", true),
        ("if true; then echo 'a\nb'; fi", true),
        ("while read x; do cat <<EOF\n$x\nEOF\ndone", true),
        ("while read x; do cat <<EOF\n$x\n", false),
        ("case a in a) echo;;", false),
        ("f() {", false),
        ("{ echo; }", true),
        ("done", true),
        ("echo if", true),
    ] {
        assert!(agree(text), "{text:?}");
        assert_eq!(parsed(text), whole, "{text:?}");
    }
    assert!(!defers("echo if for"));
    // A reserved word ended by a line continuation (found by the heredoc property test).
    assert!(agree("cat <<EOF |}\\\n\n"));
}

fn parsed(text: &str) -> bool {
    completeness(text) == Completeness::Complete
}

#[test]
fn the_scanner_follows_the_lexers_constructs() {
    for (text, whole) in [
        ("echo hi", true),
        ("cat <<EOF\nx\nEOF", true),
        ("cat <<EOF\nx", false),
        ("cat <<-'E F'\n\t\tE F", true),
        ("cat <<A <<B\nA\nx", false),
        ("cat <<A <<B\nA\nB", true),
        ("echo 'a\nb", false),
        ("echo \"$(echo ')')\"", true),
        ("echo \"$(echo ')'", false),
        ("echo ${A", false),
        ("echo `a", false),
        ("echo a \\", false),
        ("a |", false),
        ("a &&\n\n", false),
        ("a && # c", false),
        ("| a 'open", true),
        ("echo >", true),
        ("echo 2>&1", true),
        ("echo $'", false),
        ("echo \"\\\"\"", true),
        ("x=1 # it's a comment", true),
        ("echo a#'", false),
        ("cat 3<<EOF\nEOF", true),
        (";;", true),
    ] {
        assert_eq!(scanned(text), whole, "{text:?}");
        assert_eq!(parsed(text), whole, "{text:?}");
    }
}

/// Characters that exercise the grammar far more often than uniform text would.
const SHELL_CHARS: &str = "ab01 \t\n|&;<>()$`'\"\\#{}-EOF";

fn shellish(max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = SHELL_CHARS.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), 0..max)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn scanner_and_parser_agree(text in shellish(40)) {
        prop_assert!(agree(&text), "{:?}", text);
    }

    #[test]
    fn scanner_and_parser_agree_on_heredocs(
        head in shellish(12),
        delim in "(EOF|'EOF'|E\"O\"F|\\\\EOF)",
        dash in any::<bool>(),
        body in proptest::collection::vec("(\t*EOF|x|\t|'|EO|EOFF|\\$\\(|)", 0..5),
        tail in shellish(12),
    ) {
        let op = if dash { "<<-" } else { "<<" };
        let text = format!("cat {op}{delim} {head}\n{}\n{tail}", body.join("\n"));
        prop_assert!(agree(&text), "{:?}", text);
    }
}
