//! Session behaviour: steps completing in order, the ran-during-this-step rule, time passing,
//! what a step waits for, help tracking, resets, quiz answers and saving progress.

use std::time::Duration;

use super::{Progress, Session, SessionError, StepStatus};
use crate::content::{self, Lesson, QuestionKind, Response};

const LESSON: &str = r#"---
title: "Test lesson"
---

## Namespace

{{< step >}}Make the demo namespace.{{< /step >}}

```bash
kubectl create namespace demo
```
<!-- check: kubectl get ns demo -o jsonpath={.status.phase} == Active -->

{{< step >}}List the nodes.{{< /step >}}

```bash
kubectl get nodes
```

{{< step >}}Keep a note.{{< /step >}}

```bash
echo done > ~/environment/note.txt
```
<!-- check: file ~/environment/note.txt contains done -->

## Agent

{{< step >}}Start the agent.{{< /step >}}

```bash
cat <<EOF | kubectl -n demo apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: demo:1.0.0
EOF
```
<!-- check: kubectl -n demo get ds agent -o jsonpath={.status.numberReady} == 3 -->
"#;

fn lesson() -> Lesson {
    content::load_lesson("test.md", LESSON).unwrap()
}

fn session() -> Session {
    Session::new(lesson(), 7, 3)
}

fn commands(s: &Session, index: usize) -> Vec<String> {
    s.lesson().steps[index].commands()
}

#[test]
fn a_new_session_is_on_the_first_step() {
    let s = session();
    assert_eq!(s.current_step(), Some(0));
    assert_eq!(s.step_status(0), StepStatus::Current);
    assert_eq!(s.step_status(1), StepStatus::Pending);
    assert_eq!(s.step_status(99), StepStatus::Pending);
    assert_eq!(s.cluster().count(crate::engine::Kind::Node), 4);
    let started = s.progress().steps[0].started_at;
    assert_eq!(started, Some(s.cluster().now()));
}

#[test]
fn submitting_the_step_command_completes_it_and_moves_on() {
    let mut s = session();
    let out = s.submit("kubectl create namespace demo");
    assert_eq!(out.stdout, "namespace/demo created\n");
    assert_eq!(s.step_status(0), StepStatus::Done);
    assert_eq!(s.current_step(), Some(1));
    assert_eq!(s.progress().steps[0].completed_at, Some(s.cluster().now()));
    assert_eq!(s.progress().steps[0].ran.len(), 1);
    s.submit("kubectl get nodes");
    s.submit("echo done > ~/environment/note.txt");
    assert_eq!(s.current_step(), Some(3));
}

#[test]
fn a_failing_check_is_evaluated_again_only_when_what_it_reads_changes() {
    let mut s = session();
    s.settle(Duration::from_secs(600));
    let settled = s.check_evaluations();
    // Time passes, nothing is written: the check is not run again, its answer is kept.
    for _ in 0..10 {
        s.advance(Duration::from_millis(100));
    }
    assert_eq!(s.check_evaluations(), settled);
    let unmet = s.waiting_for().unwrap();
    assert_eq!(s.check_evaluations(), settled);
    // A command (even one that changes nothing) and a file written each count as a change.
    s.submit("true");
    assert_eq!(s.check_evaluations(), settled + 1);
    assert_eq!(s.waiting_for(), Some(unmet));
    s.submit("kubectl create namespace demo");
    assert_eq!(s.current_step(), Some(1));
    let before = s.check_evaluations();
    s.progress
        .shell
        .vfs_mut()
        .touch("/home/learner/environment", "x")
        .unwrap();
    s.advance(Duration::ZERO);
    assert_eq!(s.check_evaluations(), before + 1);
}

#[test]
fn a_command_counts_only_for_the_step_it_was_run_in() {
    let mut s = session();
    // Step 2's command, run while step 1 is current, is recorded for step 1 only.
    s.submit("kubectl get nodes");
    assert_eq!(s.progress().steps[0].ran.len(), 1);
    s.submit("kubectl create namespace demo");
    assert_eq!(s.current_step(), Some(1));
    assert!(s.progress().steps[1].ran.is_empty());
    let unmet = s.waiting_for().unwrap();
    assert_eq!(unmet.condition, "ran kubectl get nodes");
    s.submit("kubectl get nodes");
    assert_eq!(s.current_step(), Some(2));
}

#[test]
fn several_steps_can_complete_at_once() {
    let mut s = session();
    s.submit("echo done > ~/environment/note.txt");
    s.submit("kubectl create namespace demo");
    // Step 2 still needs its command; step 3 waits behind it even though its check holds.
    assert_eq!(s.current_step(), Some(1));
    assert_eq!(s.step_status(2), StepStatus::Pending);
    s.submit("kubectl get nodes");
    assert_eq!(s.current_step(), Some(3));
    assert_eq!(s.step_status(2), StepStatus::Done);
}

#[test]
fn time_passing_completes_a_step_that_waits_for_pods() {
    let mut s = session();
    for i in 0..3 {
        for c in commands(&s, i) {
            s.submit(&c);
        }
    }
    for c in commands(&s, 3) {
        assert_eq!(s.submit(&c).status, 0);
    }
    assert_eq!(s.current_step(), Some(3));
    let unmet = s.waiting_for().unwrap();
    assert_eq!(
        unmet.condition,
        "kubectl get ds agent -n demo -o jsonpath={.status.numberReady} == 3"
    );
    assert_eq!(unmet.expected, "\"3\"");
    s.advance(Duration::from_secs(120));
    assert_eq!(s.current_step(), None);
    assert_eq!(s.waiting_for(), None);
    assert!((0..4).all(|i| s.step_status(i) == StepStatus::Done));
}

#[test]
fn waiting_for_names_the_condition_observed_and_expected() {
    let mut s = session();
    assert_eq!(
        s.waiting_for().unwrap().to_string(),
        "kubectl get ns demo -o jsonpath={.status.phase} == Active: observed no namespaces \"demo\", expected \"Active\""
    );
    s.submit("kubectl create namespace demo");
    assert_eq!(
        s.waiting_for().unwrap().to_string(),
        "ran kubectl get nodes: observed no command run during this step yet, expected this command, or an equivalent one, to succeed"
    );
}

#[test]
fn help_is_counted_per_step() {
    let mut s = session();
    s.record_hint();
    s.record_hint();
    s.record_solution();
    s.submit("kubectl create namespace demo");
    s.record_solution();
    let steps = &s.progress().steps;
    assert_eq!((steps[0].hints, steps[0].solutions), (2, 1));
    assert_eq!((steps[1].hints, steps[1].solutions), (0, 1));
}

#[test]
fn reset_step_undoes_the_step_but_not_the_clock() {
    let mut s = session();
    s.submit("kubectl create namespace demo");
    s.submit("kubectl get pods");
    s.submit("echo scratch > ~/environment/scratch.txt");
    s.submit("kubectl create namespace scratch");
    s.advance(Duration::from_secs(30));
    let now = s.cluster().now();
    s.record_hint();
    s.reset_step();
    assert_eq!(s.current_step(), Some(1));
    assert!(s.progress().steps[1].ran.is_empty());
    assert_eq!(s.progress().steps[1].hints, 1);
    assert_eq!(s.cluster().now(), now);
    let scratch = s
        .cluster()
        .get(crate::engine::Kind::Namespace, "", "scratch");
    assert!(scratch.is_none());
    assert!(!s.shell().vfs().exists("/", "~/environment/scratch.txt"));
    // What earlier steps did stays, and so does the history.
    assert!(
        s.cluster()
            .get(crate::engine::Kind::Namespace, "", "demo")
            .is_some()
    );
    assert_eq!(s.shell().history().len(), 4);
}

#[test]
fn reset_lesson_starts_over_on_the_same_cluster() {
    let mut s = session();
    let fresh = session();
    s.submit("kubectl create namespace demo");
    s.submit("kubectl get nodes");
    s.record_hint();
    s.reset_lesson();
    assert_eq!(s.current_step(), Some(0));
    assert!(
        s.progress()
            .steps
            .iter()
            .all(|r| r.ran.is_empty() && r.completed_at.is_none() && r.hints == 0)
    );
    assert!(
        s.cluster()
            .get(crate::engine::Kind::Namespace, "", "demo")
            .is_none()
    );
    assert_eq!(s.cluster().now(), fresh.cluster().now());
    assert_eq!(s.shell().history().len(), 2);
}

#[test]
fn skipping_a_step_leaves_it_pending() {
    let mut s = session();
    s.skip_step();
    assert_eq!(s.current_step(), Some(1));
    assert_eq!(s.step_status(0), StepStatus::Pending);
    for _ in 0..10 {
        s.skip_step();
    }
    assert_eq!(s.current_step(), None);
}

#[test]
fn a_step_with_neither_command_nor_check_completes_when_reached() {
    let text = "---\ntitle: t\n---\n{{< step >}}Read this.{{< /step >}}\n\n{{< step >}}List.{{< /step >}}\n\n```bash\nkubectl get nodes\n```\n";
    let s = Session::new(content::load_lesson("t.md", text).unwrap(), 1, 3);
    assert_eq!(s.step_status(0), StepStatus::Done);
    assert_eq!(s.current_step(), Some(1));
}

#[test]
fn quiz_answers_are_scored() {
    let lesson = content::builtin_lessons().unwrap().remove(0);
    let quiz = lesson.quiz.clone().unwrap();
    let mut s = Session::new(lesson, 1, 3);
    assert_eq!(s.score().unwrap().points, 0);
    let right = |q: &content::Question| -> Response {
        let correct = q.answers.iter().enumerate().filter(|(_, a)| a.correct);
        match q.kind {
            QuestionKind::Single => Response::Single(correct.map(|(i, _)| i).next().unwrap()),
            QuestionKind::Multiple => Response::Multiple(correct.map(|(i, _)| i).collect()),
            QuestionKind::Sequence => Response::Sequence((0..q.answers.len()).collect()),
        }
    };
    for (i, q) in quiz.questions.iter().enumerate().skip(1) {
        s.answer(i, right(q)).unwrap();
    }
    let score = s.score().unwrap();
    assert_eq!(score.points, quiz.questions.len() - 1);
    assert!(!score.per_question[0]);
    assert_eq!(
        s.answer(quiz.questions.len(), Response::Single(0)),
        Err(SessionError::NoSuchQuestion(quiz.questions.len()))
    );
    assert_eq!(
        session().answer(0, Response::Single(0)),
        Err(SessionError::NoQuiz)
    );
}

#[test]
fn a_save_holds_one_cluster_and_the_checkpoint_as_its_difference() {
    let mut s = session();
    s.submit("kubectl create namespace demo");
    s.submit("kubectl create namespace scratch");
    s.submit("echo scratch > ~/environment/scratch.txt");
    s.advance(Duration::from_secs(30));
    let saved = serde_json::to_string(s.progress()).unwrap();
    let cluster = serde_json::to_string(s.cluster()).unwrap();
    assert!(saved.contains("checkpoint_delta"));
    // One cluster, and far less than a second one for the checkpoint.
    assert!(
        saved.len() < cluster.len() + cluster.len() / 5,
        "{} bytes saved for a {}-byte cluster",
        saved.len(),
        cluster.len()
    );
    let progress: Progress = serde_json::from_str(&saved).unwrap();
    let (was, back) = (
        s.progress().checkpoint.as_deref().unwrap(),
        progress.checkpoint.as_deref().unwrap(),
    );
    assert_eq!(
        serde_json::to_string(&back.cluster).unwrap(),
        serde_json::to_string(&was.cluster).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&back.shell).unwrap(),
        serde_json::to_string(&was.shell).unwrap()
    );
    let mut resumed = Session::resume(lesson(), progress);
    resumed.reset_step();
    s.reset_step();
    assert_eq!(
        serde_json::to_string(resumed.cluster()).unwrap(),
        serde_json::to_string(s.cluster()).unwrap()
    );
    assert!(
        !resumed
            .shell()
            .vfs()
            .exists("/", "~/environment/scratch.txt")
    );
}

#[test]
fn a_large_clusters_checkpoint_is_saved_whole_and_read_back() {
    let mut s = Session::new(lesson(), 7, 120);
    s.submit("kubectl create namespace scratch");
    let saved = serde_json::to_string(s.progress()).unwrap();
    assert!(!saved.contains("checkpoint_delta"));
    let progress: Progress = serde_json::from_str(&saved).unwrap();
    let back = progress.checkpoint.as_deref().unwrap();
    let was = s.progress().checkpoint.as_deref().unwrap();
    assert_eq!(
        serde_json::to_string(&back.cluster).unwrap(),
        serde_json::to_string(&was.cluster).unwrap()
    );
}

#[test]
fn progress_survives_a_save_and_resume() {
    let mut s = session();
    s.submit("kubectl create namespace demo");
    s.submit("kubectl get nodes");
    s.advance(Duration::from_secs(5));
    let saved = serde_yaml::to_string(s.progress()).unwrap();
    let progress: Progress = serde_yaml::from_str(&saved).unwrap();
    let mut resumed = Session::resume(lesson(), progress);
    assert_eq!(resumed.current_step(), Some(2));
    assert_eq!(resumed.cluster().now(), s.cluster().now());
    assert_eq!(resumed.shell().history(), s.shell().history());
    // YAML, not JSON: the engine keys its timers by (time, sequence), which JSON cannot.
    assert_eq!(
        serde_yaml::to_string(resumed.cluster()).unwrap(),
        serde_yaml::to_string(s.cluster()).unwrap()
    );
    resumed.submit("echo done > ~/environment/note.txt");
    assert_eq!(resumed.current_step(), Some(3));
    resumed.reset_step();
    assert_eq!(resumed.current_step(), Some(3));
}

#[test]
fn a_hint_says_the_next_action_in_plain_words_then_now_and_wanted() {
    let mut s = session();
    let hint = s.hint().unwrap();
    assert_eq!(
        hint.next,
        "the Namespace demo does not exist yet: run `kubectl create namespace demo` (F3 puts it in the prompt)"
    );
    assert_eq!(hint.wanted, "\"Active\" for {.status.phase}");
    s.submit("kubectl create namespace demo");
    assert_eq!(
        s.hint().unwrap().next,
        "run `kubectl get nodes` (F3 puts it in the prompt)"
    );
    s.submit("kubectl get nodes");
    assert_eq!(
        s.hint().unwrap().next,
        "the file ~/environment/note.txt does not exist yet: run `echo done > ~/environment/note.txt` (F3 puts it in the prompt)"
    );
    s.submit("echo done > ~/environment/note.txt");
    let hint = s.hint().unwrap();
    assert!(
        hint.next.starts_with(
            "the DaemonSet agent in namespace demo does not exist yet: run the heredoc that starts `cat <<EOF | kubectl -n demo apply -f -`, which sends the manifest to the cluster"
        ),
        "{}",
        hint.next
    );
    for c in commands(&s, 3) {
        s.submit(&c);
    }
    // Applied, pods starting: the hint says to wait, not to run it again.
    let hint = s.hint().unwrap();
    assert!(hint.next.contains("press F7"), "{}", hint.next);
}

#[test]
fn a_stream_stopped_at_the_headless_bound_counts_as_ran_like_ctrl_c() {
    let text = "---\ntitle: \"Watch\"\n---\n{{< step >}}Watch the pods.{{< /step >}}\n```bash\nkubectl get pods -w\n```\n<!-- check\nran kubectl get pods -w\n-->\n";
    let lesson = crate::content::load_lesson("watch.md", text).expect("lesson loads");
    let mut out = Vec::new();
    let (all_passed, session) =
        crate::session::play_lesson(&lesson, 1, &mut out).expect("lesson plays");
    let printed = String::from_utf8_lossy(&out);
    assert!(all_passed, "{printed}");
    assert_eq!(session.step_status(0), StepStatus::Done);
}
