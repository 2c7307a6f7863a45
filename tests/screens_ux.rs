//! Screen tests for issue 15 (a tutor that teaches: quiz feedback, nothing hidden at 80x24,
//! a readable terminal, useful hints): each item pinned at the size the tester saw it.

use kubetutor::tui::harness::Harness;

mod support;
use support::{do_steps, quiz, step_number};

/// Issue 15 item 7: the hint on the DaemonSet step says the next action in plain words, then
/// what is observed and what is wanted.
#[test]
fn the_hint_on_the_daemonset_step_reads_as_plain_words() {
    let mut h = Harness::new(120, 40);
    let create = step_number(&h, "Create the demo-daemon DaemonSet");
    do_steps(&mut h, create);
    h.press("F12");
    h.press("Ctrl-L");
    h.press("F2");
    let screen = h.screen();
    // The pane wraps the hint between words: compare without the spaces and borders.
    let squeeze = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    let text = squeeze(&screen);
    for wanted in [
        "Hint for step 5: the DaemonSet demo-daemon in namespace dev-system does not exist yet: run the heredoc that starts `cat <<EOF | tee ~/environment/013-demo-daemonset.yaml",
        "which saves the manifest with tee and applies it",
        "now: no daemonsets.apps \"demo-daemon\" in namespace dev-system",
        "wanted: \"3\" for {.status.numberReady}",
    ] {
        assert!(text.contains(&squeeze(wanted)), "{wanted}\n{screen}");
    }
    insta::assert_snapshot!(screen);
}

/// Item 1 and 3 of issue 15: the results teach (your answer, the right one, the pass mark,
/// "not answered") and scroll to the last question at 80x24.
#[test]
fn quiz_results_teach_and_scroll_at_80x24() {
    let mut h = quiz(80, 24);
    let n = h.session.lesson().quiz.as_ref().unwrap().questions.len();
    h.press("Space");
    for _ in 0..n {
        h.press("Enter");
    }
    let top = h.screen();
    assert!(top.contains("the pass mark is"), "{top}");
    assert!(top.contains("your answer"), "{top}");
    assert!(top.contains("[not answered]"), "{top}");
    assert!(top.contains("more below: PgDn"), "{top}");
    insta::assert_snapshot!("quiz_results_80x24_top", top);
    for _ in 0..40 {
        h.press("PageDown");
    }
    let bottom = h.screen();
    assert!(bottom.contains(&format!("{n}. [")), "{bottom}");
    assert!(bottom.contains("retry the"), "{bottom}");
    insta::assert_snapshot!("quiz_results_80x24_bottom", bottom);
    h.press("PageUp");
    assert_ne!(h.screen(), bottom, "one PgUp moves back at once");
    h.press("r");
    let again = h.screen();
    assert!(again.contains("(again)"), "{again}");
}

/// Issue 15 item 3: at 80x24 the help scrolls to its last key.
#[test]
fn the_help_scrolls_at_80x24() {
    let mut h = Harness::new(80, 24);
    h.press("F1");
    let top = h.screen();
    assert!(top.contains("more below: PgDn"), "{top}");
    assert!(top.contains("F12"), "{top}");
    h.press("PageDown");
    h.press("PageDown");
    h.press("PageDown");
    let bottom = h.screen();
    let last = kubetutor::tui::keymap::HELP.last().unwrap().1;
    assert!(bottom.contains(last), "{bottom}");
    insta::assert_snapshot!("help_80x24_bottom", bottom);
    h.press("Up");
    assert!(
        h.screen().contains("Keys (Esc closes"),
        "Up scrolls, it does not close"
    );
    h.press("Esc");
    assert!(!h.screen().contains("Keys (Esc closes"));
}

/// Issue 15 item 3: F12 gives the terminal the whole screen, and F12 gives it back.
#[test]
fn f12_zooms_the_terminal_and_back_at_80x24() {
    let mut h = Harness::new(80, 24);
    h.type_line("kubectl get nodes -o wide");
    h.press("F12");
    let zoomed = h.screen();
    assert!(zoomed.contains("Terminal (F12: panes back)"), "{zoomed}");
    assert!(!zoomed.contains("[Lesson]"), "{zoomed}");
    assert!(zoomed.contains("CONTAINER-RUNTIME"), "{zoomed}");
    insta::assert_snapshot!("terminal_zoomed_80x24", zoomed);
    h.press("F12");
    let back = h.screen();
    assert!(back.contains("[Lesson]"), "{back}");
}

/// Issue 15 item 3: at 80x24 the map keeps each pod's unique suffix and wraps taints
/// between words.
#[test]
fn the_map_at_80x24_keeps_pod_suffixes_and_wraps_taints_between_words() {
    let mut h = Harness::new(80, 24);
    let create = step_number(&h, "Create the demo-daemon DaemonSet");
    do_steps(&mut h, create + 1);
    h.press("F4");
    let screen = h.screen();
    let pods: Vec<String> = h
        .session
        .cluster()
        .list(kubetutor::engine::objects::Kind::Pod, Some("dev-system"))
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!pods.is_empty());
    for name in &pods {
        let suffix = name.rsplit('-').next().unwrap();
        assert!(screen.contains(&format!("-{suffix}")), "{name}\n{screen}");
    }
    assert!(screen.contains("! node-role."), "{screen}");
    assert!(!screen.contains("kuber│"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// Issue 15 item 4: a heredoc put in the prompt by F3, or recalled with Up, shows as lines.
#[test]
fn a_multi_line_command_shows_and_recalls_as_lines() {
    let mut h = Harness::new(120, 40);
    let create = step_number(&h, "Create the demo-daemon DaemonSet");
    do_steps(&mut h, create);
    h.press("F12");
    h.press("Ctrl-L");
    h.press("F3");
    let screen = h.screen();
    assert!(
        screen.contains("~/environment $ cat <<EOF | tee ~/environment/013-demo-daemonset.yaml"),
        "{screen}"
    );
    assert!(screen.contains("│> apiVersion: apps/v1"), "{screen}");
    assert!(screen.contains("│> kind: DaemonSet"), "{screen}");
    assert!(screen.contains("│> EOF"), "{screen}");
    assert!(!screen.contains("-apiVersion"), "{screen}");
    insta::assert_snapshot!(screen);
    h.press("Enter");
    h.press("F7");
    assert_eq!(h.session.current_step(), Some(create + 1), "{}", h.screen());
    h.press("Ctrl-L");
    h.press("Up");
    let recalled = h.screen();
    assert!(recalled.contains("│> kind: DaemonSet"), "{recalled}");
    // Home and Ctrl-K work on the cursor's line (the last one, `EOF`).
    h.press("Home");
    h.press("Ctrl-K");
    let edited = h.screen();
    assert!(!edited.contains("│> EOF"), "{edited}");
    assert!(edited.contains("│> kind: DaemonSet"), "{edited}");
    // Up moves to the line above, not to an older command.
    h.press("Up");
    h.press("Home");
    h.press("Ctrl-K");
    let edited = h.screen();
    assert!(!edited.contains("image: demo:1.0.0"), "{edited}");
    assert!(edited.contains("│> kind: DaemonSet"), "{edited}");
}

/// Issue 15 item 5: a burst of keys (a paste without bracketed paste) is handled whole before
/// the next frame, so the frame after it shows the command's output; the loop stops at
/// MAX_BURST events and draws in between.
#[test]
fn a_burst_of_keys_is_handled_whole_then_drawn() {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use futures_util::StreamExt;
    use kubetutor::tui::{Input, MAX_BURST, drain_burst};
    let mut h = Harness::new(100, 30);
    let key = |c: char| {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Events that are waiting, then nothing more for now (a stream that stays pending).
    let waiting = |events: Vec<Event>| {
        futures_util::stream::iter(events.into_iter().map(Ok))
            .chain(futures_util::stream::pending())
    };
    let mut burst = waiting("kubectl get nodes -o wide\n".chars().map(key).collect());
    let more = runtime
        .block_on(drain_burst(&mut h.app, &mut h.session, &mut burst))
        .unwrap();
    assert_eq!(more, Input::Open);
    let screen = h.screen();
    assert!(screen.contains("kind-worker3"), "{screen}");
    assert_eq!(h.session.current_step(), Some(1));
    let mut long = waiting((0..MAX_BURST + 10).map(|_| key('x')).collect());
    runtime
        .block_on(drain_burst(&mut h.app, &mut h.session, &mut long))
        .unwrap();
    let rest = runtime.block_on(async {
        let mut n = 0;
        while tokio::time::timeout(std::time::Duration::ZERO, long.next())
            .await
            .is_ok()
        {
            n += 1;
        }
        n
    });
    assert_eq!(rest, 10, "a longer burst leaves the rest for after a frame");
    let mut ended = futures_util::stream::iter(Vec::<std::io::Result<Event>>::new());
    assert_eq!(
        runtime
            .block_on(drain_burst(&mut h.app, &mut h.session, &mut ended))
            .unwrap(),
        Input::Ended
    );
}

/// Issue 15 item 5: while the cluster is settled the clock still ticks once a second, so the
/// status bar's clock moves; paused, it does not.
#[test]
fn the_status_clock_moves_while_the_cluster_is_settled() {
    use kubetutor::tui::app::{BUSY_TICK, IDLE_TICK};
    let mut h = Harness::new(100, 30);
    h.press("F7");
    assert_eq!(h.app.tick_interval(&h.session), Some(IDLE_TICK));
    let clock = |s: &str| s.lines().last().unwrap()[1..9].to_string();
    let before = clock(&h.screen());
    h.advance(1);
    let after = clock(&h.screen());
    assert_ne!(before, after);
    h.press("F5");
    assert_eq!(h.app.tick_interval(&h.session), None);
    h.press("F5");
    h.type_line("kubectl delete pod -n kube-system -l k8s-app=kube-proxy --wait=false");
    assert_eq!(h.app.tick_interval(&h.session), Some(BUSY_TICK));
}

/// Issue 15 item 9: a saved progress file that cannot be read is reported on the first
/// screen, not only after quitting.
#[test]
fn an_unreadable_save_is_reported_inside_the_tutor_at_start() {
    use kubetutor::persist::{Access, Autosave, AutosaveConfig, Start, StateStore};
    let dir = std::env::temp_dir().join(format!("kubetutor-ux-save-{}", std::process::id()));
    let open = |start: Start| {
        let lesson = kubetutor::content::builtin_lessons().unwrap().remove(0);
        Autosave::open(
            AutosaveConfig {
                learner: "ada".into(),
                store: StateStore::new(Some(dir.clone())),
                results_dir: None,
                start,
                access: Access::Save,
                holder: "pid 1 on test since 2026-01-01T00:00:00Z".into(),
            },
            lesson,
            7,
            3,
            "2026-01-01T00:00:00Z",
        )
    };
    let first = open(Start::Fresh).unwrap();
    first.autosave.save(&first.session).unwrap();
    std::fs::write(first.autosave.state_path(), b"{ not json").unwrap();
    // The first session ends (and lets go of its lock) before the next one opens.
    drop(first);
    let again = open(Start::Resume).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!again.resumed);
    assert!(!again.notices.is_empty());
    let mut h = Harness::with_session(again.session, 100, 30);
    h.app.startup_notices(&again.notices);
    h.press("F12");
    let screen = h.screen();
    assert!(screen.contains("# Note: "), "{screen}");
    assert!(screen.contains("corrupt"), "{screen}");
}

/// Issue 15 item 6: a wide example output in the lesson wraps (continuation rows marked `↪`)
/// instead of being cut where the NODE column sits; wide output in a narrow terminal pane
/// offers the zoom.
#[test]
fn wide_examples_wrap_instead_of_being_cut_and_wide_output_offers_the_zoom() {
    let mut h = Harness::new(80, 24);
    let pods = h
        .session
        .lesson()
        .steps
        .iter()
        .position(|s| {
            s.example_output
                .as_deref()
                .is_some_and(|o| o.contains("NOMINATED NODE") && o.lines().any(|l| l.len() > 74))
        })
        .expect("a step with a wide example");
    let example = h.session.lesson().steps[pods]
        .example_output
        .clone()
        .unwrap();
    let node = example
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with("kind-")))
        .unwrap()
        .to_string();
    let laid = kubetutor::tui::widgets::lesson_text::lay_out(
        h.session.lesson(),
        &vec![kubetutor::tui::view::StepMark::Pending; h.session.lesson().steps.len()],
        60,
        &kubetutor::tui::theme::PLAIN,
    );
    let text: Vec<String> = laid.lines.iter().map(|l| l.to_string()).collect();
    assert!(
        text.iter().any(|l| l.starts_with("┆↪")),
        "no continuation rows"
    );
    assert!(text.iter().any(|l| l.contains(&node)), "{node} cut");
    assert!(
        !text.iter().any(|l| l.starts_with('┆') && l.ends_with('…')),
        "an example line was cut"
    );
    h.type_line("kubectl get nodes -o wide");
    let screen = h.screen();
    assert!(screen.contains("F12 zooms the terminal"), "{screen}");
}

/// Issue 15 item 11: the lesson opens at its introduction; PgDn moves a page; the map marks
/// the selected node clearly and its "why" names the toleration; a cut title ends with `…`.
#[test]
fn the_lesson_opens_at_its_introduction_and_pgdn_moves_a_page() {
    let mut h = Harness::new(100, 30);
    let first = h.screen();
    let title = h.session.lesson().meta.title.clone();
    assert!(first.contains(&format!("│ {title}")), "{first}");
    assert!(first.contains("Contents"), "{first}");
    h.press("PageDown");
    let paged = h.screen();
    // The pane's last row before the key is its first row after it (one row kept).
    let rows = |s: &str| -> Vec<String> {
        s.lines()
            .skip(1)
            .take(27)
            .map(|l| l.chars().take(42).collect::<String>())
            .collect()
    };
    let (before, after) = (rows(&first), rows(&paged));
    assert_eq!(before[before.len() - 1], after[0], "{first}\n{paged}");
}

#[test]
fn the_selected_node_is_marked_and_its_why_names_the_toleration() {
    let mut h = Harness::new(120, 40);
    h.press("Ctrl-T");
    h.press("Ctrl-T");
    h.press("Enter");
    let screen = h.screen();
    assert!(screen.contains("╔▶kind-control-plane"), "{screen}");
    assert!(
        screen.contains("+ kindnet: runs a pod here; tolerates taint"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn a_cut_pane_title_ends_with_an_ellipsis() {
    let mut h = Harness::new(40, 12);
    let mut cut = 0;
    for _ in 0..60 {
        h.press("PageDown");
        let screen = h.screen();
        let title = screen.lines().nth(1).unwrap();
        assert!(title.starts_with("┌ Lesson "), "{screen}");
        // Either the whole title shows, then the border runs on, or it ends with `…`.
        assert!(title.contains(" ─") || title.contains("… ┐"), "{title}");
        if title.contains('…') {
            cut += 1;
        }
    }
    assert!(cut > 0, "no long section title at 40 columns");
}

/// Issue 15 item 3: at 80x24 the map's explanation shows whole; on a screen too small for it,
/// it scrolls with PgDn instead of being cut.
#[test]
fn the_maps_explanation_shows_whole_at_80x24_and_scrolls_when_smaller() {
    let mut h = Harness::new(80, 24);
    let create = step_number(&h, "Create the demo-daemon DaemonSet");
    do_steps(&mut h, create + 1);
    h.press("Ctrl-T");
    h.press("Ctrl-T");
    h.press("Enter");
    let whole = h.screen();
    for ds in ["demo-daemon", "kindnet", "kube-proxy"] {
        assert!(whole.contains(&format!(" {ds}: ")), "{ds}\n{whole}");
    }
    assert!(!whole.contains("PgDn scrolls"), "{whole}");
    insta::assert_snapshot!(whole);
    h.resize(60, 16);
    let top = h.screen();
    assert!(top.contains("Why on kind-control-plane:"), "{top}");
    assert!(top.contains("PgDn scrolls the explanation"), "{top}");
    let mut seen = top.clone();
    for _ in 0..10 {
        h.press("PageDown");
        seen.push_str(&h.screen());
    }
    let last = h.screen();
    assert!(last.contains("(↑ PgUp)"), "{last}");
    assert!(!last.contains("PgDn scrolls the explanation"), "{last}");
    for ds in ["demo-daemon", "kindnet", "kube-proxy"] {
        assert!(
            seen.contains(&format!(" {ds}: ")),
            "{ds} never shown\n{seen}"
        );
    }
    h.press("PageUp");
    assert_ne!(h.screen(), last, "one PgUp moves back at once");
}
