//! Regex engine tests, against what GNU grep 3.8 does with the same patterns.

use super::*;

fn opts(syntax: Syntax) -> Options {
    Options {
        syntax,
        case: Case::Sensitive,
        whole: Whole::Anywhere,
    }
}

fn bre(pattern: &str, line: &str) -> bool {
    Regex::new(pattern, opts(Syntax::Basic))
        .unwrap()
        .is_match(line)
}

fn ere(pattern: &str, line: &str) -> bool {
    Regex::new(pattern, opts(Syntax::Extended))
        .unwrap()
        .is_match(line)
}

#[test]
fn literals_dot_star_and_anchors() {
    assert!(bre("abc", "xxabcxx"));
    assert!(!bre("abd", "abc"));
    assert!(bre("a.c", "abc"));
    assert!(bre("ab*c", "ac") && bre("ab*c", "abbbc"));
    assert!(bre("^ab", "abc") && !bre("^bc", "abc"));
    assert!(bre("bc$", "abc") && !bre("ab$", "abc"));
    assert!(bre("a^b$c", "a^b$c"));
    assert!(bre("", "anything"));
    assert!(bre("*a", "*a") && !bre("*a", "a"));
}

#[test]
fn basic_syntax_treats_ere_operators_literally_and_gnu_escapes_as_operators() {
    assert!(bre("a+b", "a+b") && !bre("a+b", "aab"));
    assert!(bre("a?", "a?"));
    assert!(bre("(a|b)", "(a|b)") && !bre("(a|b)", "a"));
    assert!(bre("a\\+b", "aaab"));
    assert!(bre("x\\|y", "y"));
    assert!(bre("\\(ab\\)\\{2\\}", "abab") && !bre("\\(ab\\)\\{2\\}", "ab"));
}

#[test]
fn extended_syntax_has_groups_alternation_and_repeats() {
    assert!(ere("a+b", "aab") && !ere("a+b", "b"));
    assert!(ere("colou?r", "color") && ere("colou?r", "colour"));
    assert!(ere("^(Running|Pending)$", "Pending") && !ere("^(Running|Pending)$", "Pendings"));
    assert!(ere("a{2,3}", "aa") && !ere("^a{2,3}$", "aaaa"));
    assert!(ere("a{,2}b", "b"));
    assert!(ere("a{1", "a{1") && !ere("a{1", "a"));
    assert!(ere("a)", "a)"));
    assert!(ere("+x", "x"));
    assert!(ere("()", "") && ere("(a*)*b", "aaab"));
}

#[test]
fn bracket_expressions() {
    assert!(bre("[abc]x", "bx") && !bre("[abc]x", "dx"));
    assert!(bre("[^abc]x", "dx") && !bre("^[^abc]x", "ax"));
    assert!(bre("[0-9][0-9]*", "a12"));
    assert!(bre("[]x]", "]") && bre("[a-]", "-"));
    assert!(bre("[[:digit:]][[:alpha:]]", "1a") && !bre("[[:upper:]]", "abc"));
    assert!(bre("[.]", ".") && !bre("[.]", "a"));
}

#[test]
fn gnu_escapes_for_words_and_spaces() {
    assert!(bre("\\w\\s\\w", "a b") && !bre("\\w\\s\\w", "ab"));
    assert!(bre("\\<node\\>", "a node here") && !bre("\\<node\\>", "nodes"));
    assert!(bre("\\bx", "a x") && !bre("\\bx", "ax"));
    assert!(bre("\\.", ".") && !bre("\\.", "a"));
}

#[test]
fn case_and_whole_word_or_line() {
    let insensitive = Options {
        syntax: Syntax::Basic,
        case: Case::Insensitive,
        whole: Whole::Anywhere,
    };
    assert!(
        Regex::new("taint", insensitive)
            .unwrap()
            .is_match("Taints: none")
    );
    assert!(Regex::new("[a-c]X", insensitive).unwrap().is_match("Bx"));
    let word = Options {
        whole: Whole::Word,
        ..opts(Syntax::Basic)
    };
    assert!(
        Regex::new("node", word)
            .unwrap()
            .is_match("kind-worker node")
    );
    assert!(!Regex::new("node", word).unwrap().is_match("nodes"));
    assert!(Regex::new("ab", word).unwrap().is_match("abc ab"));
    let line = Options {
        whole: Whole::Line,
        ..opts(Syntax::Basic)
    };
    assert!(
        Regex::new("a.c", line).unwrap().is_match("abc")
            && !Regex::new("a.c", line).unwrap().is_match("abcd")
    );
}

#[test]
fn newline_separated_patterns_are_alternatives() {
    assert!(bre("foo\nbar", "xbar") && bre("foo\nbar", "foo") && !bre("foo\nbar", "baz"));
}

#[test]
fn bad_patterns_give_gnu_messages() {
    let err = |p: &str, syntax| Regex::new(p, opts(syntax)).unwrap_err().to_string();
    assert_eq!(err("(a", Syntax::Extended), "Unmatched ( or \\(");
    assert_eq!(err("\\(a", Syntax::Basic), "Unmatched ( or \\(");
    assert_eq!(err("a\\)", Syntax::Basic), "Unmatched ) or \\)");
    assert_eq!(err("a[b", Syntax::Basic), "Unmatched [, [^, [:, [., or [=");
    assert_eq!(err("a[", Syntax::Basic), "Invalid regular expression");
    assert_eq!(
        err("[[:foo:]]", Syntax::Basic),
        "Invalid character class name"
    );
    assert_eq!(err("[z-a]", Syntax::Basic), "Invalid range end");
    assert_eq!(err("a\\{1", Syntax::Basic), "Unmatched \\{");
    assert_eq!(err("a\\", Syntax::Basic), "Trailing backslash");
    assert_eq!(
        err("(((a{1000}){1000}){1000})", Syntax::Extended),
        "regular expression too big"
    );
}

#[test]
fn matching_stays_fast_on_pathological_patterns() {
    let re = Regex::new("(a*)*(a|aa)*b", opts(Syntax::Extended)).unwrap();
    assert!(!re.is_match(&"a".repeat(5000)));
}

#[test]
fn a_line_without_a_required_character_is_skipped_whole() {
    // The issue's pattern over a 960 KB line without `x`: no matching work at all.
    let re = Regex::new(".{1,1999}x", opts(Syntax::Extended)).unwrap();
    let line = "y".repeat(960_000);
    let mut budget = Budget(0);
    assert_eq!(re.is_match_within(&line, &mut budget), Ok(false));
    assert!(re.is_match("yyyx"));
    assert!(!re.is_match("x"));
    // Alternations need only what every branch needs; optional parts need nothing.
    assert!(ere("ab|ac", "zac") && !ere("ab|ac", "zad"));
    assert!(ere("a(b)?c", "ac"));
    assert!(ere("(ab){0,2}c", "c"));
    let insensitive = Regex::new(
        "X",
        Options {
            syntax: Syntax::Extended,
            case: Case::Insensitive,
            whole: Whole::Anywhere,
        },
    )
    .unwrap();
    assert!(insensitive.is_match("x"));
}

#[test]
fn matching_stops_when_its_budget_runs_out() {
    // About 2,000 live threads per character: a 100,000-character line needs 200 million
    // steps; the budget of a million ends it early.
    let re = Regex::new("[a-z]{1,1999}[0-9]", opts(Syntax::Extended)).unwrap();
    let line = "q".repeat(100_000);
    let mut budget = Budget(1_000_000);
    assert_eq!(re.is_match_within(&line, &mut budget), Err(Exhausted));
    let mut plenty = Budget(1_000_000);
    assert_eq!(re.is_match_within("qq7", &mut plenty), Ok(true));
    assert!(plenty.0 > 990_000);
}
