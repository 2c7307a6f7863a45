//! Compound commands in use: errors in bash's words, kubectl in loops, the step budget,
//! nesting bounds and gathering multi-line input (outputs pinned from bash are in
//! `bash_pinned`).

use super::{cluster, run, sh};
use crate::engine::Cluster;
use crate::shell::input::{Assembled, Assembler};
use crate::shell::{MAX_STEPS, STEP_LIMIT_STATUS, Shell};

#[test]
fn errors_use_bash_words() {
    for (line, stderr, status) in [
        (
            "for i in 1 2; do done",
            "bash: syntax error near unexpected token `done'\n",
            2,
        ),
        (
            "if true; then echo; fi fi",
            "bash: syntax error near unexpected token `fi'\n",
            2,
        ),
        (
            "echo hi; done",
            "bash: syntax error near unexpected token `done'\n",
            2,
        ),
        (
            "for x in a b",
            "bash: syntax error: unexpected end of file\n",
            2,
        ),
        (
            "for 1 in a; do :; done",
            "bash: `1': not a valid identifier\n",
            2,
        ),
        (
            "echo $((1/0)); echo never",
            "bash: 1/0: division by 0 (error token is \"0\")\n",
            1,
        ),
        (
            "[ abc -eq 1 ]",
            "bash: [: abc: integer expression expected\n",
            2,
        ),
        ("[ 1 -eq 1", "bash: [: missing `]'\n", 2),
        (
            "break",
            "bash: break: only meaningful in a `for', `while', or `until' loop\n",
            0,
        ),
        (
            "return",
            "bash: return: can only `return' from a function or sourced script\n",
            1,
        ),
        (
            "local x=1",
            "bash: local: can only be used in a function\n",
            1,
        ),
        (
            "f() { f; }; f",
            "bash: f: maximum function nesting level exceeded (100)\n",
            1,
        ),
    ] {
        let out = run(&mut sh(), line);
        assert_eq!(
            (out.stderr.as_str(), out.status),
            (stderr, status),
            "{line}"
        );
        assert_eq!(out.stdout, "", "{line}");
    }
}

#[test]
fn kubectl_runs_inside_loops_and_pipes_into_read() {
    let mut shell = Shell::new();
    let mut kind = Cluster::kind(7, 3);
    let out = shell.run(
        "for n in 1 2 3; do kubectl create namespace ns$n; done",
        &mut kind,
    );
    assert_eq!(
        out.stdout,
        "namespace/ns1 created\nnamespace/ns2 created\nnamespace/ns3 created\n"
    );
    let out = shell.run(
        "kubectl get nodes -o name | while read n; do echo \"node: $n\"; done",
        &mut kind,
    );
    assert_eq!(
        out.stdout,
        "node: node/kind-control-plane\nnode: node/kind-worker\nnode: node/kind-worker2\nnode: node/kind-worker3\n"
    );
    let out = shell.run(
        "kubectl get ns -o name | grep ns | cut -d/ -f2 | xargs -n 1 echo gone:",
        &mut kind,
    );
    assert_eq!(out.stdout, "gone: ns1\ngone: ns2\ngone: ns3\n");
    let out = shell.run(
        "if kubectl get ns ns9 >/dev/null 2>&1; then echo yes; else echo no; fi",
        &mut kind,
    );
    assert_eq!(out.stdout, "no\n");
}

#[test]
fn a_runaway_loop_stops_at_the_step_budget() {
    for line in [
        "while true; do :; done",
        "while true; do echo x; done",
        "f() { g; }; g() { :; }; while :; do f; done",
        "until false; do ( : ); done; echo never",
    ] {
        let out = run(&mut sh(), line);
        assert_eq!(out.status, STEP_LIMIT_STATUS, "{line}");
        assert_eq!(
            out.stderr,
            format!(
                "kubetutor: stopped after {MAX_STEPS} commands in one command line (an endless loop?); see README, Limits on input\n"
            ),
            "{line}"
        );
        assert!(!out.stdout.contains("never"));
    }
    // Expanding a 4 MiB variable in a loop stops at the line's 16 MiB expansion budget
    // (before this bound, the unquoted form ran for 339 s of CPU in a release build).
    let mut big = sh();
    run(&mut big, "x=$(seq 1 600000)");
    let out = run(&mut big, "while true; do echo \"$x\" >/dev/null; done");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("expansion stopped"), "{}", out.stderr);
    // Printing 4 MiB to /dev/null in a loop stops at the line's 64 MiB print budget.
    let out = run(&mut sh(), "while true; do seq 1 600000 >/dev/null; done");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("printed more than"), "{}", out.stderr);
    // The budget is per command line: the next one runs.
    let mut shell = sh();
    run(&mut shell, "while true; do :; done");
    assert_eq!(run(&mut shell, "echo next").stdout, "next\n");
    // sleep inside a loop moves the simulated clock as it does alone.
    let mut c = cluster();
    let before = c.now();
    sh().run("for i in 1 2 3; do sleep 10; done", &mut c);
    assert_eq!(c.now().as_secs() - before.as_secs(), 30);
}

#[test]
fn deep_nesting_is_refused_not_overflowing() {
    let line = format!("{}echo{}", "( ".repeat(5000), " )".repeat(5000));
    let out = run(&mut sh(), &line);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("nested too deeply"), "{}", out.stderr);
}

#[test]
fn nesting_at_every_bound_ends_cleanly() {
    // 100 levels of groups, each function call inside 99 more: the depth bound answers
    // before the stack runs out (debug build, a test thread's 2 MiB stack).
    let groups = format!("{}echo deep{}", "{ ".repeat(99), "; }".repeat(99));
    assert_eq!(run(&mut sh(), &groups).stdout, "deep\n");
    let nested = format!("f() {{ {}f{}; }}; f", "( ".repeat(98), " )".repeat(98));
    let out = run(&mut sh(), &nested);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("commands nested too deeply"),
        "{}",
        out.stderr
    );
    let subst = "f() { echo $(f); }; f";
    let out = run(&mut sh(), subst);
    assert!(!out.stderr.is_empty());
}

/// Gathering a long piped loop is linear: at every line up to 4 KiB, then only when the
/// text has doubled (a parse at each of these 20,000 lines, 200 KB, would take minutes).
#[test]
fn a_long_multi_line_loop_is_gathered_in_linear_time() {
    let mut input = Assembler::new();
    assert!(input.push("while read x; do\n").is_none());
    for _ in 0..20_000 {
        assert!(input.push("  echo $x\n").is_none());
    }
    // Past 4 KiB the end is confirmed when the text doubles or at an empty line.
    let done = match input.push("done\n") {
        Some(done) => done,
        None => input.push("\n").unwrap_or(Assembled::TooLong(0)),
    };
    let Assembled::Command(text) = done else {
        panic!("the loop should be complete at an empty line");
    };
    assert!(text.starts_with("while read x; do\n") && text.trim_end().ends_with("done"));
}

#[test]
fn multi_line_compound_commands_are_gathered_as_one() {
    let mut input = Assembler::new();
    let typed = [
        "for n in 1 2\n",
        "do\n",
        "  if [ $n = 2 ]; then\n",
        "    echo two\n",
        "  fi\n",
    ];
    for line in typed {
        assert_eq!(input.push(line), None, "{line:?}");
    }
    let Some(Assembled::Command(text)) = input.push("done\n") else {
        panic!("the loop should be complete");
    };
    assert_eq!(run(&mut sh(), &text).stdout, "two\n");
    assert_eq!(input.push("{ echo a\n"), None);
    assert!(matches!(input.push("}\n"), Some(Assembled::Command(_))));
}
