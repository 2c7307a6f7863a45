//! Tests of the session builtins.

use crate::shell::tests::{run, sh};

#[test]
fn clear_prints_the_escape_sequence() {
    assert_eq!(run(&mut sh(), "clear").stdout, "\x1b[H\x1b[2J");
}

#[test]
fn help_lists_the_commands_it_knows() {
    let text = run(&mut sh(), "help").stdout;
    for (name, _) in super::BUILTINS {
        assert!(text.contains(name), "help should mention {name}");
    }
    assert!(text.contains("kubectl"));
}

#[test]
fn true_false_and_history_clear() {
    let mut t = sh();
    assert_eq!(run(&mut t, "true").status, 0);
    assert_eq!(run(&mut t, "false").status, 1);
    run(&mut t, "history -c");
    assert_eq!(run(&mut t, "history").stdout, "    1  history\n");
    assert_eq!(
        run(&mut t, "history x").stderr,
        "bash: history: x: numeric argument required\n"
    );
}

#[test]
fn export_lists_declarations_and_rejects_bad_names() {
    let mut t = sh();
    run(&mut t, "export GREETING='say \"hi\"'");
    assert!(
        run(&mut t, "export")
            .stdout
            .contains("declare -x GREETING=\"say \\\"hi\\\"\"\n")
    );
    assert!(
        run(&mut t, "export -p")
            .stdout
            .starts_with("declare -x GREETING=")
    );
    let out = run(&mut t, "export 1a=b");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        ("bash: export: `1a=b': not a valid identifier\n", 1)
    );
    run(&mut t, "unset GREETING");
    assert_eq!(run(&mut t, "echo [$GREETING]").stdout, "[]\n");
}

#[test]
fn env_lists_exported_variables_sorted() {
    let out = run(&mut sh(), "env").stdout;
    assert_eq!(
        out,
        "HOME=/home/learner\nPATH=/usr/local/bin:/usr/bin:/bin\nPWD=/home/learner/environment\nSHELL=/bin/bash\nUSER=learner\n"
    );
}

#[test]
fn which_and_type_describe_commands() {
    let mut t = sh();
    assert_eq!(
        run(&mut t, "which kubectl").stdout,
        "/usr/local/bin/kubectl\n"
    );
    assert_eq!(run(&mut t, "which nope").status, 1);
    assert_eq!(
        run(&mut t, "type kubectl echo").stdout,
        "kubectl is /usr/local/bin/kubectl\necho is a shell builtin\n"
    );
    let out = run(&mut t, "type nope");
    assert_eq!(
        (out.stderr.as_str(), out.status),
        ("bash: type: nope: not found\n", 1)
    );
}

#[test]
fn sleep_validates_its_operands() {
    let mut t = sh();
    assert_eq!(
        run(&mut t, "sleep").stderr,
        "sleep: missing operand\nTry 'sleep --help' for more information.\n"
    );
    assert_eq!(run(&mut t, "sleep 1y").status, 1);
    assert_eq!(run(&mut t, "sleep 0").status, 0);
}
