//! Property tests: no text or byte soup makes the parser or the shell panic.

use proptest::prelude::*;

use super::{cluster, sh};
use crate::shell::parse::completeness;

/// Characters that exercise the grammar far more often than uniform text would.
const SHELL_CHARS: &str = "ab01 \t\n|&;<>()$`'\"\\#*?[]{}~=-/.:%EOF";

fn shellish(max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = SHELL_CHARS.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), 0..max)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn completeness_never_panics(text in shellish(80), raw in proptest::collection::vec(any::<u8>(), 0..80)) {
        let _ = completeness(&text);
        let _ = completeness(&String::from_utf8_lossy(&raw));
    }

    #[test]
    fn run_never_panics_on_shell_like_text(text in shellish(60)) {
        let mut shell = sh();
        let out = shell.run(&text, &mut cluster());
        prop_assert!(out.status >= 0 && out.status <= 255);
    }

    #[test]
    fn run_never_panics_on_random_bytes(raw in proptest::collection::vec(any::<u8>(), 0..60)) {
        let mut shell = sh();
        let _ = shell.run(&String::from_utf8_lossy(&raw), &mut cluster());
    }

    #[test]
    fn builtins_never_panic_on_random_arguments(
        cmd in proptest::sample::select(vec!["grep", "grep -E", "printf", "echo -e", "head", "tail", "wc", "ls -l", "cat -n", "sleep", "cd", "rm -rf", "mkdir -p", "history", "export", "type"]),
        args in shellish(30),
    ) {
        let mut shell = sh();
        let _ = shell.run("printf 'x\\ny\\n' > f; mkdir -p d", &mut cluster());
        let _ = shell.run(&format!("echo some input | {cmd} {args}"), &mut cluster());
    }

    #[test]
    fn regex_never_panics(pattern in shellish(30), line in shellish(30)) {
        use crate::shell::regex::{Case, Options, Regex, Syntax, Whole};
        for syntax in [Syntax::Basic, Syntax::Extended] {
            let options = Options { syntax, case: Case::Insensitive, whole: Whole::Word };
            if let Ok(re) = Regex::new(&pattern, options) {
                let _ = re.is_match(&line);
            }
        }
    }
}
