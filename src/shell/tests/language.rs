//! Quotes, expansions, pipes, lists, redirections and heredocs, end to end.

use super::{cluster, run, sh};

#[test]
fn quotes_group_words_and_stop_expansion() {
    let mut t = sh();
    run(&mut t, "X=world");
    assert_eq!(
        run(&mut t, "echo 'a  $X'  \"b  $X\"").stdout,
        "a  $X b  world\n"
    );
    assert_eq!(
        run(&mut t, r#"echo "q\"uote \\ \$X \a""#).stdout,
        "q\"uote \\ $X \\a\n"
    );
    assert_eq!(run(&mut t, r"echo a\ b \$X \\").stdout, "a b $X \\\n");
    assert_eq!(
        run(&mut t, "printf '[%s]' '' \"\" x; echo").stdout,
        "[][][x]\n"
    );
}

#[test]
fn variables_expand_and_split() {
    let mut t = sh();
    run(&mut t, "X='a  b'");
    assert_eq!(
        run(&mut t, "printf '[%s]' $X \"$X\" ${X}c; echo").stdout,
        "[a][b][a  b][a][bc]\n"
    );
    assert_eq!(
        run(&mut t, "echo $HOME ${USER} $SHELL $PATH").stdout,
        "/home/learner learner /bin/bash /usr/local/bin:/usr/bin:/bin\n"
    );
    assert_eq!(run(&mut t, "echo [$NOPE] [$KUBECONFIG]").stdout, "[] []\n");
    assert_eq!(run(&mut t, "echo ${NOPE:-fallback}").stdout, "fallback\n");
    assert_eq!(run(&mut t, "echo $ a$ '$'").stdout, "$ a$ $\n");
}

#[test]
fn status_variable_tracks_the_last_pipeline() {
    let mut t = sh();
    run(&mut t, "false");
    assert_eq!(run(&mut t, "echo $?").stdout, "1\n");
    assert_eq!(run(&mut t, "true; echo $?").stdout, "0\n");
    assert_eq!(run(&mut t, "nope 2>/dev/null; echo $?").stdout, "127\n");
}

#[test]
fn tilde_expands_only_at_word_start() {
    let mut t = sh();
    assert_eq!(
        run(&mut t, "echo ~ ~/x a~ \"~\" '~' ~learner").stdout,
        "/home/learner /home/learner/x a~ ~ ~ /home/learner\n"
    );
    run(&mut t, "F=~/environment/f.yaml");
    assert_eq!(
        run(&mut t, "echo $F").stdout,
        "/home/learner/environment/f.yaml\n"
    );
}

#[test]
fn assignments_persist_alone_and_are_temporary_before_a_command() {
    let mut t = sh();
    run(&mut t, "A=1");
    assert_eq!(run(&mut t, "echo $A").stdout, "1\n");
    assert!(!run(&mut t, "env").stdout.contains("A=1"));
    assert!(run(&mut t, "B=2 env").stdout.contains("B=2\n"));
    assert_eq!(run(&mut t, "echo [$B]").stdout, "[]\n");
    run(&mut t, "export A C=3");
    let env = run(&mut t, "env").stdout;
    assert!(env.contains("A=1\n") && env.contains("C=3\n") && env.contains("HOME=/home/learner\n"));
    assert!(!env.contains("KUBECONFIG"));
}

#[test]
fn pipes_connect_stdout_to_stdin_and_keep_the_last_status() {
    let mut t = sh();
    let out = run(&mut t, "printf 'b\\na\\nb\\n' | grep b | wc -l");
    assert_eq!((out.stdout.as_str(), out.status), ("2\n", 0));
    let out = run(&mut t, "echo x | grep y | cat");
    assert_eq!(out.status, 0);
    let out = run(&mut t, "echo x | grep y");
    assert_eq!(out.status, 1);
    let out = run(&mut t, "cat nope | wc -l");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("0\n", "cat: nope: No such file or directory\n")
    );
}

#[test]
fn and_or_and_semicolons_sequence_commands() {
    let mut t = sh();
    assert_eq!(run(&mut t, "true && echo yes || echo no").stdout, "yes\n");
    assert_eq!(run(&mut t, "false && echo yes || echo no").stdout, "no\n");
    assert_eq!(run(&mut t, "echo a; echo b ; false").stdout, "a\nb\n");
    assert_eq!(run(&mut t, "echo a ;false").status, 1);
    assert_eq!(run(&mut t, "echo a &&\necho b").stdout, "a\nb\n");
    assert_eq!(run(&mut t, "echo a |\ncat").stdout, "a\n");
}

#[test]
fn comments_start_only_at_word_start() {
    let mut t = sh();
    assert_eq!(run(&mut t, "echo a#b # comment").stdout, "a#b\n");
    assert_eq!(run(&mut t, "# only a comment").stdout, "");
    assert_eq!(run(&mut t, "echo '#x' \"#y\" \\#z").stdout, "#x #y #z\n");
}

#[test]
fn redirections_write_append_read_and_merge() {
    let mut t = sh();
    run(&mut t, "echo one > f; echo two >> f");
    assert_eq!(run(&mut t, "cat < f").stdout, "one\ntwo\n");
    run(&mut t, "cat nope 2> err");
    assert_eq!(
        run(&mut t, "cat err").stdout,
        "cat: nope: No such file or directory\n"
    );
    run(&mut t, "cat nope 2>> err");
    assert_eq!(run(&mut t, "wc -l < err").stdout, "2\n");
    let out = run(&mut t, "cat f nope > both 2>&1");
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert_eq!(
        run(&mut t, "cat both").stdout,
        "one\ntwo\ncat: nope: No such file or directory\n"
    );
    run(&mut t, "cat f nope &> all");
    assert_eq!(
        run(&mut t, "cat all").stdout,
        "one\ntwo\ncat: nope: No such file or directory\n"
    );
    let out = run(&mut t, "cat nope 2>&1 | wc -l");
    assert_eq!(out.stdout, "1\n");
    let out = run(&mut t, "echo hidden > /dev/null; cat nope 2>/dev/null");
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert_eq!(run(&mut t, "echo to-err >&2").stderr, "to-err\n");
    assert_eq!(run(&mut t, "> empty; wc -c empty").stdout, "0 empty\n");
    assert_eq!(run(&mut t, "grep -c o <<< 'foo'").stdout, "1\n");
}

#[test]
fn heredocs_feed_stdin_with_or_without_expansion() {
    let mut t = sh();
    run(&mut t, "N=web");
    assert_eq!(
        run(
            &mut t,
            "cat <<EOF\nname: $N\n  # huh ... no \"replicas\" attribute?\nEOF"
        )
        .stdout,
        "name: web\n  # huh ... no \"replicas\" attribute?\n"
    );
    assert_eq!(
        run(&mut t, "cat <<'EOF'\nname: $N\nEOF").stdout,
        "name: $N\n"
    );
    assert_eq!(
        run(&mut t, "cat <<\"EOF\"\nname: $N\nEOF").stdout,
        "name: $N\n"
    );
    assert_eq!(
        run(&mut t, "cat <<-EOF\n\t\tindented $N\n\tEOF").stdout,
        "indented web\n"
    );
    assert_eq!(
        run(&mut t, "cat <<EOF\ncost: \\$5 $(echo sub)\nEOF").stdout,
        "cost: $5 sub\n"
    );
    assert_eq!(run(&mut t, "cat <<A; cat <<B\n1\nA\n2\nB").stdout, "1\n2\n");
}

#[test]
fn heredoc_through_tee_into_kubectl_writes_the_file() {
    let mut t = sh();
    let mut c = cluster();
    let line = "cat <<EOF | tee ~/environment/013-demo-daemonset.yaml | kubectl -n dev-system apply -f -\n\
apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: demo # huh ... no \"replicas\" attribute?\nEOF";
    let out = t.run(line, &mut c);
    assert_eq!(
        out,
        crate::shell::kubectl::run(
            &mut crate::shell::kubectl::Ctx {
                cluster: &mut cluster(),
                vfs: t.vfs(),
                cwd: t.cwd(),
                pace: None,
            },
            &["-n", "dev-system", "apply", "-f", "-"].map(String::from),
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: demo # huh ... no \"replicas\" attribute?\n",
        )
    );
    assert_eq!(
        t.vfs().read(t.cwd(), "013-demo-daemonset.yaml").unwrap(),
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: demo # huh ... no \"replicas\" attribute?\n"
    );
}

#[test]
fn globs_expand_against_files_or_stay_literal() {
    let mut t = sh();
    run(&mut t, "touch b.yaml a.yaml c.txt");
    assert_eq!(run(&mut t, "echo *.yaml").stdout, "a.yaml b.yaml\n");
    assert_eq!(
        run(&mut t, "echo ?.txt '*.yaml' \"*\"").stdout,
        "c.txt *.yaml *\n"
    );
    assert_eq!(run(&mut t, "echo *.none").stdout, "*.none\n");
    assert_eq!(
        run(&mut t, "echo {.spec.taints[*]} {a,b}").stdout,
        "{.spec.taints[*]} {a,b}\n"
    );
    assert_eq!(
        run(&mut t, "echo ~/environment/[ab].yaml").stdout,
        "/home/learner/environment/a.yaml /home/learner/environment/b.yaml\n"
    );
}

#[test]
fn command_substitution_runs_in_a_subshell() {
    let mut t = sh();
    run(&mut t, "echo hi > f");
    assert_eq!(
        run(&mut t, "echo [$(cat f)] [`echo b`]").stdout,
        "[hi] [b]\n"
    );
    assert_eq!(
        run(&mut t, "X=$(printf 'a\\n\\n'); echo \"$X.\"").stdout,
        "a.\n"
    );
    run(&mut t, "Y=$(cd /; A=1; pwd)");
    assert_eq!(
        run(&mut t, "echo $Y [$A] $(pwd)").stdout,
        "/ [] /home/learner/environment\n"
    );
    assert_eq!(run(&mut t, "X=$(false)").status, 1);
}

#[test]
fn sleep_advances_simulated_time_at_once() {
    let mut t = sh();
    let mut c = cluster();
    t.run("sleep 5", &mut c);
    assert_eq!(c.now().as_secs(), 5);
    t.run("sleep 0.5 2s 1m", &mut c);
    assert_eq!(c.now().as_millis(), 5000 + 500 + 2000 + 60_000);
    t.run("sleep 1h; touch late", &mut c);
    assert!(
        t.run("ls -l late", &mut c)
            .stdout
            .contains(" Jan  1 01:01 late")
    );
    let out = t.run("sleep x", &mut c);
    assert_eq!(
        (out.stderr.as_str(), out.status),
        (
            "sleep: invalid time interval ‘x’\nTry 'sleep --help' for more information.\n",
            1
        )
    );
}

#[test]
fn history_records_every_line_and_numbers_like_bash() {
    let mut t = sh();
    run(&mut t, "echo a");
    run(&mut t, "   ");
    run(&mut t, "cat <<EOF\nx\nEOF");
    assert_eq!(t.history(), ["echo a", "cat <<EOF\nx\nEOF"]);
    assert_eq!(
        run(&mut t, "history").stdout,
        "    1  echo a\n    2  cat <<EOF\nx\nEOF\n    3  history\n"
    );
    assert_eq!(run(&mut t, "history 1").stdout, "    4  history 1\n");
    for i in 0..1100 {
        run(&mut t, &format!("echo {i}"));
    }
    assert_eq!(t.history().len(), 1000);
    assert_eq!(run(&mut t, "history 1").stdout, " 1105  history 1\n");
}

#[test]
fn shell_state_round_trips_through_serde() {
    let mut t = sh();
    run(&mut t, "mkdir d; echo x > d/f; cd d; export K=v");
    let json = serde_json::to_string(&t).unwrap();
    let mut back: crate::shell::Shell = serde_json::from_str(&json).unwrap();
    assert_eq!(back.cwd(), "/home/learner/environment/d");
    assert_eq!(run(&mut back, "cat f; echo $K").stdout, "x\nv\n");
}
