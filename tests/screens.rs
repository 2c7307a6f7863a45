//! Screen snapshots of the tutor (ratatui's TestBackend, insta), driven through the Harness:
//! keys pressed, lines typed, simulated time advanced; no sleeps and no real clock, so ages
//! and pod names are the same on every run (the seed is fixed).

use kubetutor::tui::harness::Harness;

mod support;
use support::{command, do_steps, quiz, step_number};

#[test]
fn first_screen_120x40() {
    let mut h = Harness::new(120, 40);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn first_screen_100x30() {
    let mut h = Harness::new(100, 30);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn first_screen_80x24_stacks_the_panes() {
    let mut h = Harness::new(80, 24);
    let screen = h.screen();
    assert!(screen.contains("[Lesson]") && screen.contains("Terminal"));
    insta::assert_snapshot!(screen);
}

#[test]
fn the_cluster_tab_at_80x24() {
    let mut h = Harness::new(80, 24);
    h.press("F4");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn a_step_completing() {
    let mut h = Harness::new(100, 30);
    let cmd = command(&h, 0);
    h.type_line(&cmd);
    let screen = h.screen();
    assert!(screen.contains("✓ Step 1 done"), "{screen}");
    assert!(screen.contains("[x] Step 1") || screen.contains("[>] Step 2"));
    insta::assert_snapshot!(screen);
}

#[test]
fn a_heredoc_asks_for_more_with_the_continuation_prompt() {
    let mut h = Harness::new(100, 30);
    let cmd = command(&h, 3);
    let mut lines = cmd.lines();
    h.type_line(lines.next().unwrap());
    h.type_line(lines.next().unwrap());
    let screen = h.screen();
    assert!(screen.contains("> apiVersion: v1"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_map_after_the_taint_evicts_the_worker3_pod() {
    let mut h = Harness::new(100, 30);
    let taint = step_number(&h, "Taint kind-worker3");
    do_steps(&mut h, taint);
    h.type_line(&command(&h, taint));
    h.advance(1);
    let evicting = h.screen();
    assert!(evicting.contains("T demo-daemon"), "{evicting}");
    h.press("F7");
    let screen = h.screen();
    assert!(screen.contains("! VIPOnly=true:NoExecute"), "{screen}");
    assert!(screen.contains("gone"), "{screen}");
    insta::assert_snapshot!("evicting", evicting);
    insta::assert_snapshot!("evicted", screen);
}

#[test]
fn a_nodes_why_explanation() {
    let mut h = Harness::new(100, 30);
    let create = step_number(&h, "Create the demo-daemon DaemonSet");
    do_steps(&mut h, create + 1);
    h.press("Ctrl-T");
    h.press("Ctrl-T");
    h.press("Enter");
    let screen = h.screen();
    assert!(screen.contains("- demo-daemon: no pod: taint"), "{screen}");
    assert!(screen.contains("+ kindnet: runs a pod here"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_hint_says_what_the_step_waits_for() {
    let mut h = Harness::new(100, 30);
    h.press("F2");
    let screen = h.screen();
    assert!(
        screen.contains("Hint for step 1: run `kubectl get nodes"),
        "{screen}"
    );
    assert_eq!(h.session.progress().steps[0].hints, 1);
}

#[test]
fn the_solution_key_fills_the_prompt_without_running_it() {
    let mut h = Harness::new(100, 30);
    h.press("F3");
    let screen = h.screen();
    assert!(
        screen.contains("~/environment $ kubectl get nodes -o wide"),
        "{screen}"
    );
    assert_eq!(h.session.progress().steps[0].solutions, 1);
    assert_eq!(h.session.current_step(), Some(0));
}

#[test]
fn pasting_several_lines_runs_them_in_turn() {
    let mut h = Harness::new(100, 30);
    let text = format!("{}\n{}\n", command(&h, 0), command(&h, 1));
    h.paste(&text);
    assert_eq!(h.session.current_step(), Some(2));
}

#[test]
fn the_help_overlay_lists_the_keys() {
    let mut h = Harness::new(100, 30);
    h.press("F1");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn a_reset_asks_first() {
    let mut h = Harness::new(100, 30);
    h.press("F10");
    let screen = h.screen();
    assert!(screen.contains("Reset the whole lesson?"), "{screen}");
    h.press("n");
    assert!(!h.screen().contains("Reset the whole lesson?"));
}

#[test]
fn a_tiny_terminal_gets_a_notice_not_a_panic() {
    let mut h = Harness::new(100, 30);
    for (w, h_) in [
        (30, 8),
        (1, 1),
        (0, 0),
        (60, 15),
        (39, 40),
        (200, 11),
        (40, 12),
    ] {
        h.resize(w, h_);
        let screen = h.screen();
        assert_eq!(screen.lines().count(), usize::from(h_), "{w}x{h_}");
    }
    h.resize(30, 8);
    let screen = h.screen();
    assert!(screen.contains("too small"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn pause_and_speed_show_in_the_status_bar() {
    let mut h = Harness::new(100, 30);
    h.press("F5");
    h.press("F6");
    h.press("F6");
    let before = h.session.cluster().now();
    h.advance(5);
    assert_eq!(h.session.cluster().now(), before);
    let screen = h.screen();
    assert!(screen.contains("x10 PAUSED"), "{screen}");
    h.press("F5");
    h.advance(5);
    assert_eq!(h.session.cluster().now().since(before).0, 50_000);
}

#[test]
fn quiz_single_choice_question() {
    let mut h = quiz(100, 30);
    h.press("Enter");
    h.press("Space");
    h.press("h");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn quiz_multiple_choice_question() {
    let mut h = quiz(100, 30);
    let n = h.session.lesson().quiz.as_ref().unwrap().questions.len();
    let at = (0..n)
        .find(|i| {
            h.session.lesson().quiz.as_ref().unwrap().questions[*i].kind
                == kubetutor::content::QuestionKind::Multiple
        })
        .unwrap();
    for _ in 0..at {
        h.press("Enter");
    }
    h.press("Space");
    h.press("Down");
    h.press("Space");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn quiz_sequence_question() {
    let mut h = quiz(100, 30);
    let questions = &h.session.lesson().quiz.as_ref().unwrap().questions;
    let at = questions
        .iter()
        .position(|q| q.kind == kubetutor::content::QuestionKind::Sequence)
        .unwrap();
    for _ in 0..at {
        h.press("Enter");
    }
    h.press("Space");
    h.press("Down");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn quiz_results_and_retry() {
    let mut h = quiz(100, 30);
    let n = h.session.lesson().quiz.as_ref().unwrap().questions.len();
    for _ in 0..n {
        h.press("Space");
        h.press("Enter");
    }
    let screen = h.screen();
    assert!(screen.contains("Quiz results"), "{screen}");
    assert!(h.session.score().is_some());
    insta::assert_snapshot!(screen);
    h.press("r");
    assert!(h.screen().contains("question 1 of"));
}

#[test]
fn every_step_completes_by_typing_the_lessons_commands_then_the_quiz_is_offered() {
    let mut h = Harness::new(100, 30);
    let steps = h.session.lesson().steps.len();
    for i in 0..steps {
        assert_eq!(h.session.current_step(), Some(i), "{}", h.screen());
        let cmd = command(&h, i);
        h.type_line(&cmd);
        // Real time passes while the learner reads: pods start, get evicted, come back.
        for _ in 0..30 {
            if h.session.current_step() != Some(i) {
                break;
            }
            h.advance(2);
            if h.session.current_step() == Some(i) {
                // Steps like "run it again until only two pods are left" ask for a re-run.
                h.type_line(&cmd);
            }
        }
    }
    assert_eq!(h.session.current_step(), None);
    // Issue 15 item 2: the quiz does not jump over the last step's output; it says it is
    // ready and how to start it.
    let screen = h.screen();
    assert!(!screen.contains("Quiz: question"), "{screen}");
    assert!(screen.contains("The quiz is ready"), "{screen}");
    assert!(screen.contains("F8 starts the quiz"), "{screen}");
    assert!(
        screen.contains(&format!("{steps}/{steps} done")),
        "{screen}"
    );
    h.press("F8");
    assert!(h.screen().contains("Quiz: question 1 of"));
    h.press("Esc");
    assert!(h.screen().contains(&format!("{steps}/{steps} done")));
}

#[test]
fn a_big_cluster_is_summarised_one_row_per_node() {
    let mut h = Harness::with_workers(100, 30, 40);
    let screen = h.screen();
    assert!(screen.contains("Cluster: 41 nodes"), "{screen}");
    assert!(screen.contains("more nodes"), "{screen}");
    assert!(screen.contains("kind-control-plane   R"), "{screen}");
}

/// The map of a big cluster is built only around the selected node: drawn, it must look
/// exactly as a map built with every node, wherever the selection is.
#[test]
fn a_big_clusters_map_built_around_the_selection_draws_as_if_built_whole() {
    use kubetutor::engine::Cluster;
    use kubetutor::tui::cluster_view::{MapOptions, SystemPods};
    use kubetutor::tui::map_model::MapModel;
    use kubetutor::tui::widgets::cluster_map::ClusterMap;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::Widget;

    let c = Cluster::kind(7, 120);
    let model = MapModel::new(&c);
    let draw = |selected: Option<usize>, rows: usize, height: u16| {
        let view = model.view(
            &c,
            MapOptions {
                selected,
                explain: false,
                system_pods: SystemPods::Counted,
                rows,
            },
        );
        let area = Rect::new(0, 0, 60, height);
        let mut buf = Buffer::empty(area);
        ClusterMap {
            view: &view,
            focused: true,
            theme: &kubetutor::tui::theme::PLAIN,
        }
        .render(area, &mut buf);
        (view.nodes.len(), buf)
    };
    for height in [12, 30, 50] {
        for selected in [None, Some(0), Some(9), Some(60), Some(120), Some(121)] {
            let (built, windowed) = draw(selected, usize::from(height), height);
            let (all, whole) = draw(selected, usize::MAX, height);
            assert_eq!(all, 121);
            assert!(built <= 2 * usize::from(height) + 1, "{built}");
            assert_eq!(windowed, whole, "height {height}, selected {selected:?}");
        }
    }
}
