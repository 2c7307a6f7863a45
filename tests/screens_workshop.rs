//! Screen snapshots of a workshop (a folder of chapters) in the tutor: the chapter list with
//! each chapter's done/total steps in place of the table of contents, the chapter in the
//! pane's title and the status bar, and the banner where a chapter begins; at 80x24 and
//! 100x30, fixed seed, no real clock.

use std::path::Path;

use kubetutor::content;
use kubetutor::session::{self, Session};
use kubetutor::tui::harness::{Harness, SEED};

fn workshop() -> content::Lesson {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workshop");
    content::load_workshop(&dir).unwrap().unwrap()
}

#[test]
fn a_workshop_opens_on_its_chapter_list_at_80x24() {
    let session = Session::new(workshop(), SEED, 3);
    let mut h = Harness::with_session(session, 80, 24);
    let screen = h.screen();
    assert!(screen.contains("Chapters (3)"), "{screen}");
    assert!(screen.contains("[>] 1. First"), "{screen}");
    assert!(screen.contains(" Chapter 1/3 · 0/2 done"), "{screen}");
    assert!(screen.contains("ch 1 step 1/2"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_workshop_started_at_chapter_3_shows_the_earlier_chapters_done() {
    let session = session::start_at_chapter(workshop(), 2, SEED, 3, &mut |_, _| {});
    let mut h = Harness::with_session(session, 100, 30);
    let screen = h.screen();
    assert!(screen.contains("Chapter 3 of 3"), "{screen}");
    assert!(screen.contains("Chapter 3/3 · 0/2 done"), "{screen}");
    assert!(screen.contains("ch 3 step 1/2"), "{screen}");
    assert!(screen.contains("were replayed for you"), "{screen}");
    insta::assert_snapshot!(screen);
    // At the top of the lesson, the chapter list: the replayed chapters done.
    h.press("Ctrl-T");
    for _ in 0..6 {
        h.press("PageUp");
    }
    let top = h.screen();
    assert!(
        top.contains("[x] 1. First                      2/2"),
        "{top}"
    );
    assert!(
        top.contains("[x] 2. Second                     2/2"),
        "{top}"
    );
    assert!(
        top.contains("[>] 3. Third                      0/2"),
        "{top}"
    );
    insta::assert_snapshot!("chapter_list_after_replay", top);
}

#[test]
fn finishing_a_chapter_moves_on_to_the_next_under_its_banner() {
    let session = Session::new(workshop(), SEED, 3);
    let mut h = Harness::with_session(session, 80, 24);
    for i in 0..2 {
        let cmd = h.session.lesson().steps[i].command.clone().unwrap();
        for line in cmd.lines() {
            h.type_line(line);
        }
    }
    h.advance(5);
    let screen = h.screen();
    assert_eq!(h.session.current_step(), Some(2), "{screen}");
    // The pane follows into the new chapter from its banner.
    assert!(screen.contains("Chapter 2 of 3"), "{screen}");
    assert!(
        screen.contains("[>] Step 1: Create a Deployment in dev."),
        "{screen}"
    );
    assert!(screen.contains("ch 2 step 1/2"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn jumping_back_a_chapter_asks_then_replays_behind_a_progress_bar() {
    let session = session::start_at_chapter(workshop(), 2, SEED, 3, &mut |_, _| {});
    let mut h = Harness::with_session(session, 80, 24);
    h.type_line("kubectl create namespace mine");
    h.press("Ctrl-T");
    h.press("<");
    let asked = h.screen();
    assert!(asked.contains("Start over at 2. Second?"), "{asked}");
    insta::assert_snapshot!("jump_back_asks", asked);
    h.press("y");
    // The bar shows in the status bar at once; ticks replay the steps; keys other than
    // quitting wait.
    let replaying = h.screen();
    assert!(replaying.contains("replay [..........] 0/2"), "{replaying}");
    insta::assert_snapshot!("replaying", replaying);
    h.press("F10");
    assert!(!h.screen().contains("Reset the whole lesson?"));
    for _ in 0..3 {
        h.advance(1);
    }
    let done = h.screen();
    assert!(done.contains("ch 2 step 1/2"), "{done}");
    assert_eq!(h.session.current_step(), Some(2));
    // Chapter 1's namespace is back, the learner's own work is gone.
    let mut s = h.session.clone();
    assert_eq!(
        s.submit("kubectl get ns dev -o name").stdout,
        "namespace/dev\n"
    );
    assert_eq!(s.submit("kubectl get ns mine -o name").status, 1);
    insta::assert_snapshot!("jumped_back_to_chapter_2", done);
}

#[test]
fn a_finished_chapter_offers_its_own_quiz_and_the_answer_counts_for_it() {
    let session = session::start_at_chapter(workshop(), 1, SEED, 3, &mut |_, _| {});
    let mut h = Harness::with_session(session, 80, 24);
    for i in 2..4 {
        let cmd = h.session.lesson().steps[i].command.clone().unwrap();
        h.type_line(&cmd);
        h.advance(30);
    }
    assert_eq!(h.session.current_step(), Some(4));
    let offered = h.screen();
    assert!(
        offered.contains("This chapter's quiz is ready"),
        "{offered}"
    );
    h.press("F8");
    let asked = h.screen();
    assert!(asked.contains("Where did the Deployment go?"), "{asked}");
    assert!(asked.contains("question 1 of 1"), "{asked}");
    insta::assert_snapshot!("chapter_2_quiz", asked);
    // Pick the right answer (source order: the first), hand in.
    let q = &h.session.lesson().quiz.as_ref().unwrap().questions[0];
    assert!(q.answers[0].correct);
    let mut guard = 0;
    while !h.screen().contains("Quiz results") && guard < 10 {
        h.press("Space");
        h.press("Enter");
        guard += 1;
    }
    let records = h.session.chapter_records("ada", "a", "b");
    let second = records.iter().find(|r| r.lesson == "2. Second").unwrap();
    let quiz = second
        .quiz
        .as_ref()
        .expect("chapter 2's quiz is in its record");
    assert_eq!(quiz.total, 1);
    assert_ne!(
        h.session.progress().answers[0],
        kubetutor::content::Response::Unanswered
    );
}
