//! Tests for quizdown parsing, scoring and shuffling.

use super::error::ErrorKind;
use super::quiz::{QuestionKind, Quiz, Response, parse, presentation, score};
use std::collections::BTreeSet;

const KINDS: &str = "\
---
shuffle_questions: true
nQuestions: 3
passing_grade: 50
enableRetry: false
custom_pass_msg: yes!
primaryColor: orange
---

## Pick *one*

Some body with `code`.

```bash
kubectl get nodes
```

> A hint
> on two lines.

1. [ ] wrong `a`
   > why a is wrong
1. [x] right b

## Tick all

---
shuffleAnswers: false
---

- [x] first
- [ ] second
    > not this one
- [X] third

### Put in order

1. apiVersion
1. kind
3. metadata
";

fn quiz() -> Quiz {
    parse("q.md", KINDS, 1).unwrap()
}

#[test]
fn kinds_come_from_the_first_list() {
    let quiz = quiz();
    let kinds: Vec<QuestionKind> = quiz.questions.iter().map(|q| q.kind).collect();
    assert_eq!(
        kinds,
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::Sequence
        ]
    );
    let correct: Vec<Vec<bool>> = quiz
        .questions
        .iter()
        .map(|q| q.answers.iter().map(|a| a.correct).collect())
        .collect();
    assert_eq!(
        correct,
        [
            vec![false, true],
            vec![true, false, true],
            vec![false, false, false]
        ]
    );
}

#[test]
fn markdown_is_kept_in_titles_bodies_hints_answers_and_comments() {
    let q = &quiz().questions[0];
    assert_eq!(q.title, "Pick *one*");
    assert_eq!(
        q.body,
        "Some body with `code`.\n\n```bash\nkubectl get nodes\n```"
    );
    assert_eq!(q.hint.as_deref(), Some("A hint\non two lines."));
    assert_eq!(q.answers[0].text, "wrong `a`");
    assert_eq!(q.answers[0].comment.as_deref(), Some("why a is wrong"));
    assert_eq!(q.answers[1].comment, None);
    assert_eq!(q.line, 10);
}

#[test]
fn options_accept_both_spellings_and_questions_override() {
    let quiz = quiz();
    let o = &quiz.options;
    assert!(o.shuffle_questions && o.shuffle_answers && !o.enable_retry);
    assert_eq!((o.n_questions, o.passing_grade), (Some(3), Some(50.0)));
    assert_eq!(o.custom_pass_msg.as_deref(), Some("yes!"));
    assert_eq!(
        o.colors,
        vec![("primarycolor".to_string(), "orange".to_string())]
    );
    assert_eq!(quiz.questions[1].options.shuffle_answers, Some(false));
    assert_eq!(quiz.questions[0].options.shuffle_answers, None);
}

#[test]
fn parse_errors_name_the_line() {
    type Case = (&'static str, usize, fn(&ErrorKind) -> bool);
    let cases: &[Case] = &[
        ("intro\n\n## Q\n\nNo list here.\n", 3, |k| {
            matches!(k, ErrorKind::QuestionWithoutAnswers { .. })
        }),
        ("just text\n", 1, |k| {
            matches!(k, ErrorKind::QuizWithoutQuestions)
        }),
        ("\n## Q\n1. [x] a\n1. [x] b\n", 2, |k| {
            matches!(
                k,
                ErrorKind::SeveralCorrectInSingleChoice { correct: 2, .. }
            )
        }),
        ("## Q\n- [ ] a\n- [ ] b\n", 1, |k| {
            matches!(k, ErrorKind::NoCorrectAnswer { .. })
        }),
        ("## Q\n- a\n- b\n", 1, |k| {
            matches!(k, ErrorKind::AnswersWithoutBoxes { .. })
        }),
        ("---\nshuffleAnswers: maybe\n---\n## Q\n- [x] a\n", 1, |k| {
            matches!(k, ErrorKind::BadQuizOptions { .. })
        }),
        ("## Q\n---\nshuffle_answers: false\n", 2, |k| {
            matches!(k, ErrorKind::BadQuizOptions { .. })
        }),
    ];
    for (text, line, kind) in cases {
        let err = parse("q.md", text, 1).expect_err(text);
        assert_eq!(err.line, *line, "{text:?}: {err}");
        assert!(kind(&err.kind), "{text:?}: {err}");
        assert!(
            err.to_string().starts_with(&format!("q.md:{line}:")),
            "{err}"
        );
    }
}

#[test]
fn lines_are_offset_for_inline_quizzes() {
    let err = parse("l.md", "\n## Q\n\ntext\n", 40).unwrap_err();
    assert_eq!(err.line, 41);
}

#[test]
fn scoring_respects_n_questions_and_passing_grade() {
    let quiz = quiz();
    let sheet = [
        Response::Single(1),
        Response::Multiple(BTreeSet::from([0, 2])),
        Response::Sequence(vec![1, 0, 2]),
    ];
    let s = score(&quiz, &sheet);
    assert_eq!((s.points, s.total, s.passed), (2, 3, Some(true)));
    assert_eq!(s.per_question, [true, true, false]);
    let s = score(&quiz, &[Response::Single(0)]);
    assert_eq!((s.points, s.passed), (0, Some(false)));
}

#[test]
fn presentation_is_seeded_and_follows_options() {
    let quiz = quiz();
    assert_eq!(presentation(&quiz, 7), presentation(&quiz, 7));
    let orders: BTreeSet<Vec<usize>> = (0..40)
        .map(|seed| {
            presentation(&quiz, seed)
                .questions
                .iter()
                .map(|q| q.index)
                .collect()
        })
        .collect();
    assert!(orders.len() > 1, "shuffle_questions should vary the order");
    for seed in 0..40 {
        let p = presentation(&quiz, seed);
        assert_eq!(p.questions.len(), 3);
        for q in &p.questions {
            let mut sorted = q.answer_order.clone();
            sorted.sort_unstable();
            assert_eq!(
                sorted,
                (0..quiz.questions[q.index].answers.len()).collect::<Vec<_>>()
            );
            match q.index {
                1 => assert_eq!(
                    q.answer_order,
                    [0, 1, 2],
                    "per-question shuffle_answers: false"
                ),
                2 => assert_ne!(q.answer_order, [0, 1, 2], "sequences never start solved"),
                _ => {}
            }
        }
    }
}

#[test]
fn two_answer_sequence_is_always_swapped() {
    let quiz = parse("q.md", "## Q\n1. a\n2. b\n", 1).unwrap();
    for seed in 0..20 {
        assert_eq!(presentation(&quiz, seed).questions[0].answer_order, [1, 0]);
    }
}

#[test]
fn credit_counts_the_parts_right_of_a_wrong_multiple_choice_or_sequence() {
    use super::quiz::{Credit, credit};
    let q = quiz();
    let seq = q
        .questions
        .iter()
        .find(|x| x.kind == QuestionKind::Sequence)
        .unwrap();
    let n = seq.answers.len();
    let mut swapped: Vec<usize> = (0..n).collect();
    swapped.swap(0, 1);
    assert_eq!(
        credit(seq, &Response::Sequence(swapped)),
        Credit::Partly {
            right: n - 2,
            of: n
        }
    );
    assert_eq!(
        credit(seq, &Response::Sequence((0..n).collect())),
        Credit::Right
    );
    assert_eq!(credit(seq, &Response::Unanswered), Credit::NotAnswered);
    let multi = q
        .questions
        .iter()
        .find(|x| x.kind == QuestionKind::Multiple)
        .unwrap();
    assert_eq!(
        credit(multi, &Response::Multiple(BTreeSet::new())),
        Credit::NotAnswered
    );
}
