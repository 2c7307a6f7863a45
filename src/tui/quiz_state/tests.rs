use super::*;
use crate::content::Credit;

fn quiz() -> Quiz {
    let text = "\
## One

Pick one.

1. [ ] wrong
   > not this one
1. [x] right

## Many

Tick two.

- [x] a
- [ ] b
- [x] c

## Order

Put in order.

1. first
2. second
3. third
";
    content::load_quiz("q.md", text, 1).unwrap()
}

fn pick(state: &mut QuizState, quiz: &Quiz, wanted: &[&str]) {
    let QuizView::Question { rows, .. } = state.view(quiz) else {
        panic!("not on a question");
    };
    let texts: Vec<String> = rows.iter().map(|r| r.text.to_string()).collect();
    for (row, text) in texts.iter().enumerate() {
        if wanted.contains(&text.as_str()) {
            while state.cursor < row {
                state.apply(QuizMove::Down, quiz);
            }
            while state.cursor > row {
                state.apply(QuizMove::Up, quiz);
            }
            state.apply(QuizMove::Toggle, quiz);
        }
    }
}

/// Sorts the sequence on screen by moving grabbed items (a selection sort with the keys).
fn order(state: &mut QuizState, quiz: &Quiz, wanted: &[&str]) {
    for (target, text) in wanted.iter().enumerate() {
        let QuizView::Question { rows, .. } = state.view(quiz) else {
            panic!("not on a question");
        };
        let from = rows.iter().position(|r| r.text == *text).unwrap();
        while state.cursor < from {
            state.apply(QuizMove::Down, quiz);
        }
        while state.cursor > from {
            state.apply(QuizMove::Up, quiz);
        }
        state.apply(QuizMove::Toggle, quiz);
        while state.cursor > target {
            state.apply(QuizMove::Up, quiz);
        }
        state.apply(QuizMove::Toggle, quiz);
    }
}

#[test]
fn right_answers_by_keys_score_full_marks() {
    let quiz = quiz();
    let mut state = QuizState::new(&quiz, 3);
    pick(&mut state, &quiz, &["right"]);
    assert_eq!(state.apply(QuizMove::Next, &quiz), None);
    pick(&mut state, &quiz, &["a", "c"]);
    state.apply(QuizMove::Next, &quiz);
    order(&mut state, &quiz, &["first", "second", "third"]);
    let handed_in = state.apply(QuizMove::Next, &quiz).unwrap();
    assert_eq!(handed_in.len(), 3);
    let QuizView::Results { score, lines, .. } = state.view(&quiz) else {
        panic!("no results");
    };
    assert_eq!((score.points, score.total), (3, 3));
    assert!(lines.iter().all(|l| l.right));
}

#[test]
fn a_wrong_pick_shows_its_comment_and_retry_starts_over() {
    let quiz = quiz();
    let mut state = QuizState::new(&quiz, 3);
    pick(&mut state, &quiz, &["wrong"]);
    for _ in 0..3 {
        state.apply(QuizMove::Next, &quiz);
    }
    let QuizView::Results { score, lines, .. } = state.view(&quiz) else {
        panic!("no results");
    };
    assert_eq!(score.points, 0);
    assert_eq!(lines[0].comments, vec!["not this one"]);
    state.apply(QuizMove::Retry, &quiz);
    assert_eq!(state.phase(), Phase::Asking);
    assert_eq!(state.question_index(), Some(0));
}

#[test]
fn the_cursor_stays_inside_the_answers() {
    let quiz = quiz();
    let mut state = QuizState::new(&quiz, 3);
    for _ in 0..5 {
        state.apply(QuizMove::Down, &quiz);
    }
    assert_eq!(state.cursor, 1);
    for _ in 0..5 {
        state.apply(QuizMove::Up, &quiz);
    }
    assert_eq!(state.cursor, 0);
}

#[test]
fn results_show_your_answer_the_right_one_and_partial_credit() {
    let quiz = quiz();
    let mut state = QuizState::new(&quiz, 3);
    pick(&mut state, &quiz, &["wrong"]);
    state.apply(QuizMove::Next, &quiz);
    // Ticks a, leaves b (both as they should be) but misses c: 2 of 3 choices right.
    pick(&mut state, &quiz, &["a"]);
    state.apply(QuizMove::Next, &quiz);
    // The sequence is left untouched: not answered.
    state.apply(QuizMove::Next, &quiz);
    let QuizView::Results { lines, .. } = state.view(&quiz) else {
        panic!("no results");
    };
    assert_eq!(lines[0].credit, Credit::Wrong);
    assert_eq!(lines[0].yours, vec!["wrong"]);
    assert_eq!(lines[0].answer, vec!["right"]);
    assert_eq!(lines[1].credit, Credit::Partly { right: 2, of: 3 });
    assert_eq!(lines[1].answer, vec!["a", "c"]);
    assert_eq!(lines[2].credit, Credit::NotAnswered);
    assert_eq!(lines[2].answer, vec!["first", "second", "third"]);
}

#[test]
fn a_skipped_question_is_not_answered_not_wrong() {
    let quiz = quiz();
    let mut state = QuizState::new(&quiz, 3);
    for _ in 0..3 {
        state.apply(QuizMove::Next, &quiz);
    }
    let QuizView::Results { lines, .. } = state.view(&quiz) else {
        panic!("no results");
    };
    assert!(lines.iter().all(|l| l.credit == Credit::NotAnswered));
    assert!(lines.iter().all(|l| l.yours.is_empty()));
}

#[test]
fn retry_asks_only_the_questions_not_right_and_keeps_the_right_answers() {
    let quiz = quiz();
    let mut state = QuizState::new(&quiz, 3);
    pick(&mut state, &quiz, &["right"]);
    state.apply(QuizMove::Next, &quiz);
    pick(&mut state, &quiz, &["a"]);
    state.apply(QuizMove::Next, &quiz);
    state.apply(QuizMove::Next, &quiz);
    let QuizView::Results { to_retry, .. } = state.view(&quiz) else {
        panic!("no results");
    };
    assert_eq!(to_retry, 2);
    state.apply(QuizMove::Retry, &quiz);
    let QuizView::Question {
        total, retrying, ..
    } = state.view(&quiz)
    else {
        panic!("not asking");
    };
    assert_eq!((total, retrying), (2, true));
    assert_eq!(state.question_index(), Some(1));
    pick(&mut state, &quiz, &["a", "c"]);
    state.apply(QuizMove::Next, &quiz);
    order(&mut state, &quiz, &["first", "second", "third"]);
    let handed_in = state.apply(QuizMove::Next, &quiz).unwrap();
    assert_eq!(handed_in.len(), 3, "the kept answer is handed in too");
    let QuizView::Results { score, lines, .. } = state.view(&quiz) else {
        panic!("no results");
    };
    assert_eq!((score.points, score.total), (3, 3));
    assert_eq!(
        lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    state.apply(QuizMove::RetryAll, &quiz);
    let QuizView::Question { total, .. } = state.view(&quiz) else {
        panic!("not asking");
    };
    assert_eq!(total, 3);
}

#[test]
fn results_scroll_and_the_scroll_is_kept_within_the_page() {
    let quiz = quiz();
    let mut state = QuizState::new(&quiz, 3);
    for _ in 0..3 {
        state.apply(QuizMove::Next, &quiz);
    }
    state.apply(QuizMove::Scroll(10), &quiz);
    state.apply(QuizMove::Down, &quiz);
    assert_eq!(state.scroll, 11);
    state.clamp_scroll(4);
    state.apply(QuizMove::Up, &quiz);
    assert_eq!(state.scroll, 3);
}
