//! Helpers the screen tests share: the lesson's own commands, typing steps, opening the quiz.
#![allow(dead_code)] // each test file uses only some of them

use kubetutor::tui::harness::Harness;

pub mod bin;
pub mod tmux;

/// The lesson's own command for step `index` (0-based), as the learner would type it.
pub fn command(h: &Harness, index: usize) -> String {
    h.session.lesson().steps[index]
        .command
        .clone()
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// Types the commands of steps `0..n`, letting the cluster settle after each.
pub fn do_steps(h: &mut Harness, n: usize) {
    for i in 0..n {
        let cmd = command(h, i);
        h.type_line(&cmd);
        h.press("F7");
    }
}

pub fn step_number(h: &Harness, title_part: &str) -> usize {
    h.session
        .lesson()
        .steps
        .iter()
        .position(|s| s.title.contains(title_part))
        .unwrap()
}

/// Opens the quiz after the last step and answers nothing yet.
pub fn quiz(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(width, height);
    h.press("F8");
    h
}
