use super::*;

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
