//! A folder of chapters is one workshop: the loader's order and what it skips, chapters
//! played in order on one cluster and one home folder, starting at chapter N (the chapters
//! before it replayed) equal to having played them, per-chapter scores and result records,
//! and a killed workshop session resuming mid-workshop.
#![allow(clippy::disallowed_methods)] // the binary tests start kubetutor and kill it

mod support;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kubetutor::content::{self, Lesson};
use kubetutor::session::{self, Replay, Session};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/workshop")
}

fn workshop() -> Lesson {
    content::load_workshop(&fixture()).unwrap().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("kubetutor-workshop-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Everything a learner could observe of a session's world: the cluster, the files, the
/// working directory and the clock.
fn world(s: &Session) -> (serde_json::Value, String, String, i64) {
    let vfs = serde_json::to_string(s.shell().vfs()).unwrap();
    (
        serde_json::to_value(s.cluster()).unwrap(),
        vfs,
        s.shell().cwd().to_string(),
        s.cluster().now().0,
    )
}

#[test]
fn chapters_are_ordered_by_weight_then_folder_and_pages_drafts_and_plain_folders_are_skipped() {
    let w = workshop();
    assert_eq!(
        w.meta.title, "Fixture Workshop",
        "the site _index.md names it"
    );
    let names: Vec<&str> = w.chapters.iter().map(|c| c.name.as_str()).collect();
    // 010 and 020 share weight 20 (folder name decides); 005 has weight 30. Skipped: the
    // draft 015 (weight 25), appendix (a landing page without steps), images (no
    // _index.md), scratch.md and the site _index.md (not chapter folders).
    assert_eq!(names, ["010_first", "020_second", "005_third"]);
    let numbers: Vec<usize> = w.chapters.iter().map(|c| c.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(w.steps.len(), 6);
    assert!(w.steps.iter().all(|s| !s.title.contains("draft")));
    assert!(w.steps.iter().all(|s| !s.title.contains("loose page")));
    // The quiz of chapter 2 (quizzes/020_second.md) is the workshop's question 1.
    assert_eq!(w.quiz.as_ref().unwrap().questions.len(), 1);
    assert_eq!(w.chapters[1].questions, 0..1);
    assert_eq!(w.chapters[0].questions, 0..0);
}

#[test]
fn a_flat_folder_of_lessons_is_a_workshop_and_one_lesson_keeps_its_identity() {
    let dir = temp_dir("flat");
    let lesson = |title: &str, weight: i64, ns: &str, draft: bool| {
        format!(
            "---\ntitle: \"{title}\"\nweight: {weight}\ndraft: {draft}\n---\n\n{{{{< step >}}}}Make {ns}.{{{{< /step >}}}}\n```bash\nkubectl create namespace {ns}\n```\n"
        )
    };
    fs::write(dir.join("a.md"), lesson("Second", 2, "b", false)).unwrap();
    fs::write(dir.join("b.md"), lesson("First", 1, "a", false)).unwrap();
    fs::write(dir.join("c.md"), lesson("Draft", 0, "c", true)).unwrap();
    let w = content::load_workshop(&dir).unwrap().unwrap();
    let titles: Vec<&str> = w.chapters.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["First", "Second"]);
    let _ = fs::remove_dir_all(&dir);

    // A folder holding only the DaemonSet lesson (and its quiz) is that lesson, with the
    // identity its results already carry.
    let alone = content::builtin_lessons()
        .unwrap()
        .into_iter()
        .find(|l| l.meta.title.contains("DaemonSets"))
        .unwrap();
    let one = temp_dir("one");
    fs::create_dir_all(one.join("lessons")).unwrap();
    fs::create_dir_all(one.join("quizzes")).unwrap();
    for part in ["lessons", "quizzes"] {
        fs::copy(
            root().join(part).join("daemonsets.md"),
            one.join(part).join("daemonsets.md"),
        )
        .unwrap();
    }
    let from_folder = content::load_workshop(&one.join("lessons"))
        .unwrap()
        .unwrap();
    assert!(!from_folder.is_workshop());
    assert_eq!(from_folder.identity(), alone.identity());
    let _ = fs::remove_dir_all(&one);
    // The repo's own lessons/ folder is the whole workshop, chapters 7 to 12.
    let whole = content::load_workshop(&root().join("lessons"))
        .unwrap()
        .unwrap();
    assert!(whole.is_workshop());
    assert_eq!(whole.chapters.len(), 6);
}

#[test]
fn a_namespace_made_in_chapter_one_is_there_in_chapter_two_on_one_cluster() {
    let w = workshop();
    let mut out = Vec::new();
    let (scores, played) = session::play_workshop(&w, 0, 1, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let totals: Vec<(usize, usize, usize)> = scores
        .iter()
        .map(|c| (c.number, c.passed, c.total))
        .collect();
    assert_eq!(totals, [(1, 2, 2), (2, 2, 2), (3, 2, 2)], "{out}");
    assert!(
        out.contains("# 2. Second\n✓ 1 Create a Deployment in dev.\n"),
        "{out}"
    );
    assert!(
        out.ends_with("chapter 1: 2/2 steps\nchapter 2: 2/2 steps\nchapter 3: 2/2 steps\ntotal: 6/6 steps passed\n"),
        "{out}"
    );
    // Chapter 2's Deployment went into chapter 1's namespace; chapter 3 labelled it; the
    // file chapter 1 wrote is still in the home folder; history runs through all chapters.
    let mut s = played;
    let labels = s.submit("kubectl -n dev get deployment demo -o jsonpath={.metadata.labels.tier}");
    assert_eq!(labels.stdout, "web");
    assert!(
        s.submit("ls ~/environment")
            .stdout
            .contains("000-dev-namespace.yaml")
    );
    let history = s.submit("history").stdout;
    assert!(
        history.contains("kubectl apply -f ~/environment/000-dev-namespace.yaml"),
        "{history}"
    );
    assert!(
        history.contains("kubectl -n dev label deployment demo tier=web"),
        "{history}"
    );

    // Played alone, chapter 2 has no `dev` namespace: its steps fail.
    let alone = content::load_path(&fixture().join("020_second/_index.md"))
        .unwrap()
        .remove(0);
    let (passed, _) = session::play_lesson(&alone, 1, &mut Vec::new()).unwrap();
    assert!(!passed);
}

#[test]
fn starting_at_a_chapter_finds_the_world_the_earlier_chapters_left() {
    let w = workshop();
    let third = w.find_chapter("3").unwrap();
    let mut bar = Vec::new();
    let started = session::start_at_chapter(w.clone(), third, 5, 3, &mut |d, t| bar.push((d, t)));
    assert_eq!(bar, [(1, 4), (2, 4), (3, 4), (4, 4)]);
    assert_eq!(started.current_step(), Some(4), "at chapter 3's first step");

    // The same steps played one by one, the way a learner would have.
    let mut played = session::first_session(w.clone(), 5, 3);
    for i in 0..4 {
        session::play_step(&mut played, i).unwrap();
    }
    assert_eq!(played.current_step(), Some(4));
    assert_eq!(world(&started), world(&played));

    // Jumping back: the session starts over and replays up to chapter 2.
    let mut back = started.clone();
    back.reset_lesson();
    Replay::to_step(w.chapters[1].steps.start).finish(&mut back);
    assert_eq!(back.current_step(), Some(2));
    let mut fresh = session::first_session(w, 5, 3);
    Replay::to_step(2).finish(&mut fresh);
    assert_eq!(world(&back).0, world(&fresh).0);
}

#[test]
fn starting_at_the_repos_own_lesson_after_other_chapters_replays_them() {
    // The repository's DaemonSet lesson as the last chapter of a workshop: entered there,
    // the cluster holds what the chapters before it made, and the lesson still passes.
    let mut chapters: Vec<(String, Lesson)> =
        content::load_chapters(&fixture()).unwrap().unwrap().1;
    let ds = content::builtin_lessons().unwrap().remove(0);
    let ds_identity = ds.identity();
    chapters.push(("027_daemonsets".into(), ds));
    let w = content::join_chapters("W", chapters).unwrap();
    let last = w.find_chapter("daemonsets").unwrap();
    assert_eq!(w.chapters[last].identity, ds_identity);
    let mut out = Vec::new();
    let (scores, s) = session::play_workshop(&w, last, 1, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with("(replaying 6 steps of the chapters before chapter 12)\n"),
        "{out}"
    );
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].passed, scores[0].total, "{out}");
    let mut s = s;
    assert_eq!(
        s.submit("kubectl get ns dev -o name").stdout,
        "namespace/dev\n"
    );
}

#[test]
fn results_are_kept_per_chapter_and_replayed_chapters_leave_none() {
    let w = workshop();
    let alone: Vec<String> = content::load_chapters(&fixture())
        .unwrap()
        .unwrap()
        .1
        .iter()
        .map(|(_, l)| l.identity())
        .collect();
    let mut s = session::start_at_chapter(w.clone(), 1, 1, 3, &mut |_, _| {});
    for i in 2..4 {
        session::play_step(&mut s, i).unwrap();
    }
    s.answer(0, kubetutor::content::Response::Single(0))
        .unwrap();
    let records = s.chapter_records("ada", "a", "b");
    let ids: Vec<&str> = records.iter().map(|r| r.lesson_id.as_str()).collect();
    // Chapter 1 was replayed for the learner: no record. Chapters 2 and 3 (the learner is on
    // its first step), keyed by the identity each has as a lesson of its own.
    assert_eq!(ids, [alone[1].as_str(), alone[2].as_str()]);
    assert_eq!(records[1].steps_done(), 0);
    assert_eq!(records[1].current_step().map(|s| s.number), Some(1));
    let r = &records[0];
    assert_eq!(r.lesson, "2. Second");
    assert_eq!(r.steps.iter().map(|s| s.number).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(r.steps_done(), 2);
    let quiz = r.quiz.as_ref().unwrap();
    assert_eq!((quiz.points, quiz.total), (1, 1));

    // The workshop's own record numbers its steps through and names their chapter.
    let whole = s.result_record("ada", "a", "b");
    assert_eq!(whole.lesson, "Fixture Workshop");
    assert_eq!(whole.steps.len(), 6);
    assert_eq!(whole.steps[2].number, 3);
    assert_eq!(whole.steps[2].title, "2.1 Create a Deployment in dev.");
}

fn kubetutor(state: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubetutor"));
    cmd.args(["shell", "--lesson"])
        .arg(fixture())
        .args(["--learner", "ada", "--state-dir"])
        .arg(state)
        .args(extra)
        .env_remove("NO_COLOR");
    cmd
}

fn run(state: &Path, extra: &[&str], input: &str) -> (String, String) {
    let out = support::bin::feed(&mut kubetutor(state, extra), input);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const FIRST: &str = "cat <<EOF > ~/environment/000-dev-namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: dev
EOF
kubectl apply -f ~/environment/000-dev-namespace.yaml
kubectl -n dev create deployment demo --image=nginx:1.21
sleep 30
";
const QUERIES: &str = "kubectl get pods -A -o wide
ls -l ~/environment
:hint
";

#[test]
fn a_killed_workshop_session_resumes_mid_workshop_exactly() {
    use std::os::unix::process::ExitStatusExt;
    let dir = temp_dir("kill");
    let (reference, err) = run(
        &dir.join("reference"),
        &["--seed", "7"],
        &format!("{FIRST}echo ===\n{QUERIES}"),
    );
    let (_, expected) = reference
        .split_once("===\n")
        .unwrap_or_else(|| panic!("{err}"));

    let state = dir.join("killed");
    let mut child = kubetutor(&state, &["--seed", "7"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{FIRST}echo saved\nsleep 1\n").as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while line.trim_end() != "saved" {
        line.clear();
        assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "ended early");
    }
    child.kill().unwrap();
    assert_eq!(child.wait().unwrap().signal(), Some(9));
    drop(stdin);

    let (resumed, err) = run(&state, &["--seed", "999"], &format!("echo ===\n{QUERIES}"));
    assert!(
        err.starts_with(
            "kubetutor: resuming ada's progress on Fixture Workshop at chapter 2, step 2\n"
        ),
        "{err}"
    );
    let (_, actual) = resumed.split_once("===\n").unwrap();
    assert!(actual.contains("demo-"), "{actual}");
    assert_eq!(actual, expected);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_binary_starts_at_a_chapter_and_reports_per_chapter() {
    let bin = env!("CARGO_BIN_EXE_kubetutor");
    let out = Command::new(bin)
        .args(["lesson", "run"])
        .arg(fixture())
        .args(["--chapter", "second"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.ends_with("chapter 2: 2/2 steps\nchapter 3: 2/2 steps\ntotal: 4/4 steps passed\n"),
        "{text}"
    );

    let out = Command::new(bin)
        .args(["lesson", "run"])
        .arg(fixture())
        .args(["--chapter", "9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no chapter \"9\" in Fixture Workshop"),
        "{err}"
    );
    assert!(err.contains("  2  2. Second  (020_second)"), "{err}");

    // `lesson check DIR` checks every chapter (it used to fail: "Is a directory").
    let out = Command::new(bin)
        .args(["lesson", "check"])
        .arg(fixture())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.starts_with("workshop Fixture Workshop: 3 chapter(s), 6 steps\n"),
        "{text}"
    );
    assert_eq!(text.matches("\n== ").count(), 3, "{text}");

    // A failing step makes the exit status non-zero.
    let dir = temp_dir("fail");
    fs::create_dir_all(dir.join("010_a")).unwrap();
    fs::create_dir_all(dir.join("020_b")).unwrap();
    let chapter = |title: &str, cmd: &str| {
        format!(
            "---\ntitle: \"{title}\"\n---\n\n{{{{< step >}}}}Go.{{{{< /step >}}}}\n```bash\n{cmd}\n```\n"
        )
    };
    fs::write(
        dir.join("010_a/_index.md"),
        chapter("7. A", "kubectl get nodes"),
    )
    .unwrap();
    fs::write(
        dir.join("020_b/_index.md"),
        chapter("8. B", "kubectl get ns nope"),
    )
    .unwrap();
    let out = Command::new(bin)
        .args(["lesson", "run"])
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.ends_with("chapter 7: 1/1 steps\nchapter 8: 0/1 steps\ntotal: 1/2 steps passed\n"),
        "{text}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_class_report_shows_the_workshop_and_each_chapter() {
    let w = workshop();
    let (_, s) = session::play_workshop(&w, 0, 1, &mut Vec::new()).unwrap();
    let mut records = vec![s.result_record("ada", "a", "b")];
    records.extend(s.chapter_records("ada", "a", "b"));
    assert_eq!(records.len(), 4, "the workshop and its three chapters");
    let csv = kubetutor::report::build(
        records
            .into_iter()
            .map(|r| (PathBuf::from("r.json"), r))
            .collect(),
        Vec::new(),
    )
    .render(kubetutor::report::Format::Csv);
    for title in ["Fixture Workshop", "1. First", "2. Second", "3. Third"] {
        let row = csv
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title}: {csv}"));
        let total = if title == "Fixture Workshop" {
            "6"
        } else {
            "2"
        };
        assert!(row.contains(&format!(",{total},{total},")), "{row}\n{csv}");
    }
}

#[test]
fn the_lessons_folder_plays_as_one_workshop_and_every_step_passes() {
    // Today one lesson; once it holds chapters that build on each other, they play in
    // order on one cluster here (a fresh cluster per lesson would miss what earlier ones made).
    let lesson = content::load_workshop(&root().join("lessons"))
        .unwrap()
        .unwrap();
    let mut out = Vec::new();
    let (scores, _) = session::play_workshop(&lesson, 0, 1, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(!scores.is_empty());
    for c in &scores {
        assert_eq!(c.passed, c.total, "{}: {out}", c.title);
    }
}

#[test]
fn the_shell_starts_a_workshop_at_a_chapter() {
    let dir = temp_dir("shell-chapter");
    let (out, err) = run(
        &dir,
        &["--seed", "3", "--chapter", "3"],
        "kubectl -n dev get deployment demo -o name\nls ~/environment\n:hint\n",
    );
    assert_eq!(
        out.lines().take(2).collect::<Vec<_>>(),
        ["deployment.apps/demo", "000-dev-namespace.yaml"],
        "{out}\n{err}"
    );
    let saved = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("fixture-workshop"));
    assert!(saved, "the workshop's progress is saved under its title");
    let _ = fs::remove_dir_all(&dir);
}
