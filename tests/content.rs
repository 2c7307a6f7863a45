//! Content CI (rustlings' `dev check` shape): every shipped lesson and quiz loads, our lesson is
//! fully checked, a fixed answer sheet scores as expected, a Hugo chapter loads unmodified, and
//! broken files give file:line errors instead of panics.

use kubetutor::content::*;
use std::collections::BTreeSet;
use std::path::Path;

fn md_files(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let name = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn fixture(name: &str) -> (String, String) {
    let path = format!("tests/fixtures/lessons/{name}");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    (path, text)
}

#[test]
fn every_shipped_lesson_and_quiz_loads() {
    let lessons = md_files("lessons");
    assert!(!lessons.is_empty());
    for (name, text) in &lessons {
        let lesson = load_lesson(name, text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!lesson.meta.title.is_empty(), "{name} has no title");
        assert!(lesson.warnings.is_empty(), "{name}: {:?}", lesson.warnings);
        for step in &lesson.steps {
            assert!(
                step.check.is_some(),
                "{name}: step {} has no check",
                step.number
            );
        }
    }
    let quizzes = md_files("quizzes");
    assert!(!quizzes.is_empty());
    for (name, text) in &quizzes {
        assert!(is_quiz_file(name, text), "{name}");
        let quiz = load_quiz(name, text, 1).unwrap_or_else(|e| panic!("{e}"));
        for q in &quiz.questions {
            assert!(q.hint.is_some(), "{name}: \"{}\" has no hint", q.title);
            for a in q
                .answers
                .iter()
                .filter(|a| !a.correct && q.kind != QuestionKind::Sequence)
            {
                assert!(
                    a.comment.is_some(),
                    "{name}: \"{}\" / \"{}\" has no comment",
                    q.title,
                    a.text
                );
            }
        }
    }
}

/// `lesson check` (its library form) on every shipped lesson with the quiz the tutor attaches:
/// no error, no warning, every step checked, and each workshop chapter's own quiz of 5 to 8
/// questions from `quizzes/` under the lesson's file name.
#[test]
fn every_shipped_lesson_passes_lesson_check_with_its_quiz() {
    for (name, text) in md_files("lessons") {
        let quiz_name = name.replace("lessons/", "quizzes/");
        let quiz_text = md_files("quizzes")
            .into_iter()
            .find(|(n, _)| *n == quiz_name)
            .map(|(_, t)| t);
        assert!(quiz_text.is_some(), "{name}: no {quiz_name}");
        let report = check_all(&name, &text, quiz_text.map(|t| (quiz_name.clone(), t)))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(report.warnings.is_empty(), "{name}: {:?}", report.warnings);
        assert_eq!(report.quiz_file.as_deref(), Some(quiz_name.as_str()));
        assert!(report.steps.iter().all(|s| s.check.is_some()), "{name}");
        let questions = report.quiz.as_ref().map_or(0, |q| q.questions.len());
        if name != "lessons/daemonsets.md" {
            assert!(
                (5..=8).contains(&questions),
                "{name}: {questions} questions"
            );
        }
    }
}

#[test]
fn daemonset_lesson_has_fifteen_checked_steps_in_order() {
    let lesson = load_lesson("lessons/daemonsets.md", LESSON).unwrap();
    assert_eq!(lesson.meta.title, "12. DaemonSets");
    assert!(!lesson.meta.chapter);
    assert_eq!(lesson.steps.len(), 15);
    let commands: Vec<&str> = lesson
        .steps
        .iter()
        .map(|s| s.command.as_deref().unwrap())
        .collect();
    assert_eq!(commands[0], "kubectl get nodes -o wide");
    assert_eq!(
        commands[7],
        "kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute"
    );
    assert_eq!(
        commands[14],
        "kubectl taint nodes kind-worker3 VIPOnly=true:NoExecute-"
    );
    assert!(commands[4].starts_with(
        "cat <<EOF | tee ~/environment/013-demo-daemonset.yaml | kubectl -n dev-system apply -f -\n"
    ));
    assert!(
        commands[4].contains("# Nothing says \"replicas\" here"),
        "heredoc comments survive"
    );
    for (i, step) in lesson.steps.iter().enumerate() {
        assert_eq!(step.number, i + 1);
        assert!(
            step.example_output.is_some(),
            "step {} has no example output",
            step.number
        );
        assert_eq!(step.commands().len(), 1, "step {}", step.number);
    }
    assert_eq!(
        lesson.steps[10].example_output.as_deref(),
        Some("daemonset.apps/demo-daemon configured")
    );
    assert_eq!(
        lesson.steps[9].example_output.as_deref(),
        Some(
            "[\n    {\n        \"effect\": \"NoExecute\",\n        \"key\": \"VIPOnly\",\n        \"value\": \"true\"\n    }\n]"
        )
    );
    let check = lesson.steps[10].check.as_ref().unwrap();
    assert_eq!(check.conditions.len(), 3);
    let titles: Vec<&str> = lesson.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles.first(), Some(&"Why DaemonSets"));
    assert_eq!(titles.last(), Some(&"Recap"));
    let notices: Vec<NoticeKind> = lesson
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Notice { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    assert_eq!(notices, [NoticeKind::Info, NoticeKind::Tip]);
}

#[test]
fn builtin_lesson_comes_with_its_quiz() {
    let lessons = builtin_lessons().unwrap();
    assert_eq!(lessons.len(), 1);
    let quiz = lessons[0].quiz.as_ref().unwrap();
    assert!(quiz.questions.len() >= 8);
    let kinds: BTreeSet<&str> = quiz.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(kinds, BTreeSet::from(["multiple", "sequence", "single"]));
}

#[test]
fn load_path_reads_a_directory_and_pairs_quizzes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let from_root = load_path(root).unwrap();
    let from_dir = load_path(&root.join("lessons")).unwrap();
    let from_file = load_path(&root.join("lessons/daemonsets.md")).unwrap();
    assert_eq!(from_file.len(), 1);
    assert_eq!(from_file[0].steps.len(), 15);
    assert!(
        from_file[0].quiz.is_some(),
        "quiz paired from quizzes/daemonsets.md"
    );
    // The folder is the workshop: chapters 7-12 in weight order, each with its quiz.
    for lessons in [&from_root, &from_dir] {
        let titles: Vec<&str> = lessons.iter().map(|l| l.meta.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "7. Meet Kubernetes",
                "8. Orchestrate Containers",
                "9. Running at Scale",
                "10. Services",
                "11. Configuration as Code",
                "12. DaemonSets"
            ]
        );
        let steps: Vec<usize> = lessons.iter().map(|l| l.steps.len()).collect();
        assert_eq!(steps, [8, 15, 6, 13, 15, 15]);
        assert!(lessons.iter().all(|l| l.quiz.is_some()), "{titles:?}");
    }
    let err = load_path(&root.join("no-such-lessons")).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Io { .. }));
}

/// The fixed answer sheet for `quizzes/daemonsets.md`, all right, in question order.
fn right_sheet() -> Vec<Response> {
    vec![
        Response::Multiple(BTreeSet::from([1])),
        Response::Single(1),
        Response::Sequence(vec![0, 1, 2, 3]),
        Response::Single(1),
        Response::Multiple(BTreeSet::from([0, 1, 2])),
        Response::Single(0),
        Response::Multiple(BTreeSet::from([0, 1, 2])),
        Response::Sequence(vec![0, 1, 2, 3]),
        Response::Single(2),
        Response::Single(1),
    ]
}

/// The same questions answered wrong, each in its own way.
fn wrong_sheet() -> Vec<Response> {
    vec![
        Response::Multiple(BTreeSet::from([1, 3])),
        Response::Single(2),
        Response::Sequence(vec![1, 0, 2, 3]),
        Response::Single(3),
        Response::Multiple(BTreeSet::from([0, 1])),
        Response::Single(1),
        Response::Multiple(BTreeSet::from([0, 1, 2, 3])),
        Response::Sequence(vec![2, 0, 1, 3]),
        Response::Single(0),
        Response::Unanswered,
    ]
}

#[test]
fn fixed_answer_sheets_score_as_expected() {
    let quiz = load_quiz("quizzes/daemonsets.md", QUIZ, 1).unwrap();
    assert_eq!(quiz.options.passing_grade, Some(75.0));

    let all_right = score(&quiz, &right_sheet());
    assert_eq!(
        (all_right.points, all_right.total, all_right.passed),
        (10, 10, Some(true))
    );

    let all_wrong = score(&quiz, &wrong_sheet());
    assert_eq!((all_wrong.points, all_wrong.passed), (0, Some(false)));
    assert!(all_wrong.per_question.iter().all(|r| !r));

    let mut partly: Vec<Response> = right_sheet();
    for i in [2, 6, 9] {
        partly[i] = wrong_sheet()[i].clone();
    }
    let partly = score(&quiz, &partly);
    assert_eq!((partly.points, partly.passed), (7, Some(false)));
    assert_eq!(
        partly.per_question,
        [
            true, true, false, true, true, true, false, true, true, false
        ]
    );

    let mut pass: Vec<Response> = right_sheet();
    for i in [0, 5] {
        pass[i] = wrong_sheet()[i].clone();
    }
    assert_eq!(score(&quiz, &pass).passed, Some(true), "8/10 is 80% >= 75%");
}

fn one_question(text: &str) -> Quiz {
    load_quiz("q.md", text, 1).unwrap()
}

#[test]
fn single_choice_is_right_only_with_the_one_box() {
    let quiz = one_question("## Q\n1. [ ] a\n1. [x] b\n1. [ ] c\n");
    let right = |r: Response| score(&quiz, &[r]).points == 1;
    assert!(right(Response::Single(1)));
    assert!(!right(Response::Single(0)));
    assert!(!right(Response::Single(9)));
    assert!(
        !right(Response::Multiple(BTreeSet::from([1]))),
        "wrong response kind"
    );
    assert!(!right(Response::Unanswered));
}

#[test]
fn multiple_choice_needs_exactly_the_ticked_set() {
    let quiz = one_question("## Q\n- [x] a\n- [ ] b\n- [x] c\n");
    let right = |set: &[usize]| {
        score(&quiz, &[Response::Multiple(set.iter().copied().collect())]).points == 1
    };
    assert!(right(&[0, 2]));
    assert!(!right(&[0]), "a subset gets no partial credit");
    assert!(!right(&[0, 1, 2]), "a superset is wrong");
    assert!(!right(&[]));
    let one = one_question("## Q\n- [ ] a\n- [x] b\n");
    assert_eq!(
        one.questions[0].kind,
        QuestionKind::Multiple,
        "one [x] in a bullet list is still multiple"
    );
}

#[test]
fn sequence_is_right_only_in_source_order() {
    let quiz = one_question("## Q\n3. c first\n1. then a\n2. then b\n");
    let right = |order: Vec<usize>| score(&quiz, &[Response::Sequence(order)]).points == 1;
    assert!(right(vec![0, 1, 2]), "the printed numbers do not matter");
    assert!(!right(vec![0, 2, 1]));
    assert!(!right(vec![0, 1]));
    assert!(!right(vec![0, 1, 2, 2]));
}

#[test]
fn hugo_chapter_loads_unmodified() {
    let (path, text) = fixture("hugo_chapter.md");
    let lesson = load_lesson(&path, &text).unwrap();
    assert_eq!(lesson.meta.title, "21. A node agent everywhere");
    assert_eq!(lesson.meta.weight, Some(42));
    assert_eq!(lesson.steps.len(), 6);
    assert!(lesson.steps.iter().all(|s| s.check.is_none()));
    assert_eq!(lesson.steps[0].command, None, "a read-only step");
    assert!(
        lesson.steps[0]
            .title
            .starts_with("Take a look at the diagram")
    );
    assert_eq!(lesson.steps[2].command_lang.as_deref(), Some("yaml"));
    assert_eq!(
        lesson.steps[3].title,
        "Deploy the node-agent DaemonSet, tolerating the control plane's taint."
    );
    assert!(
        lesson.steps[3]
            .command
            .as_deref()
            .unwrap()
            .contains("# the control plane is a node too")
    );
    assert_eq!(
        lesson.steps[1].example_output.as_deref(),
        Some(
            "NAME                 STATUS   ROLES                  AGE   VERSION\n\
             kind-control-plane   Ready    control-plane,master   ...   v1.21.1\n\
             kind-worker          Ready    <none>                 ...   v1.21.1\n\
             ..."
        )
    );
    let warnings = lesson.warnings.join("\n");
    for (line, name) in [
        (9, "ref"),
        (14, "mermaid"),
        (59, "tabs"),
        (60, "tab"),
        (63, "tab"),
        (112, "expand"),
    ] {
        assert!(
            warnings.contains(&format!("{path}:{line}: ")),
            "{line} {name}: {warnings}"
        );
        assert!(
            warnings.contains(&format!("`{name}`")),
            "{name}: {warnings}"
        );
    }
    let quiz = lesson.quiz.as_ref().unwrap();
    assert_eq!(quiz.questions.len(), 2);
    assert!(!quiz.options.shuffle_answers);
    assert_eq!(quiz.questions[0].kind, QuestionKind::Single);
    assert_eq!(quiz.questions[1].kind, QuestionKind::Multiple);
    let report = check_file(&path, &text).unwrap();
    assert_eq!(report.steps.len(), 6);
    assert!(report.to_text().contains("6 steps (0 with a check)"));
}

#[test]
fn hugo_chapter_steps_accept_equivalent_commands() {
    let (path, text) = fixture("hugo_chapter.md");
    let lesson = load_lesson(&path, &text).unwrap();
    let deploy = lesson.steps[3].command.as_deref().unwrap();
    let mine = deploy
        .replace(
            "kubectl -n monitoring apply -f -",
            "kubectl apply --namespace=monitoring -f -",
        )
        .replace("~/environment", "$HOME/environment")
        .replace("      # the control plane is a node too\n", "");
    assert!(equivalent(deploy, &mine));
    assert!(!equivalent(
        deploy,
        &mine.replace("image: demo:1.0.0", "image: demo:2.0.0")
    ));
    assert!(equivalent(
        "kubectl -n monitoring get ds node-agent",
        "kubectl get daemonset/node-agent -n monitoring"
    ));
}

#[test]
fn broken_files_give_file_line_errors() {
    let cases = [
        (
            "broken_unterminated_shortcode.md",
            "13:1: unterminated shortcode",
        ),
        (
            "broken_quiz_no_answers.md",
            "15:1: question \"Second question\" has no answers",
        ),
        (
            "broken_two_correct_single.md",
            "1:1: single-choice question \"Which node?\" marks 2 answers",
        ),
        ("broken_front_matter.md", "4:8: bad front matter"),
    ];
    for (name, want) in cases {
        let (path, text) = fixture(name);
        let err = check_file(&path, &text).expect_err(name).to_string();
        assert!(err.starts_with(&format!("{path}:{want}")), "{name}: {err}");
    }
    let (path, text) = fixture("broken_front_matter.md");
    assert!(
        check_file(&path, &text)
            .unwrap_err()
            .to_string()
            .contains("bad front matter")
    );
}

#[test]
fn a_check_that_cannot_be_parsed_fails_at_load_with_its_line() {
    let cases = [
        (
            "broken_check_jsonpath.md",
            "13:1: bad check: error parsing jsonpath {.status.phase, unclosed action",
        ),
        (
            "broken_check_resource.md",
            "11:1: bad check: the server doesn't have a resource type \"daemonsetz\"",
        ),
    ];
    for (name, want) in cases {
        let (path, text) = fixture(name);
        let err = check_file(&path, &text).expect_err(name).to_string();
        assert!(err.starts_with(&format!("{path}:{want}")), "{name}: {err}");
    }
}

#[test]
fn check_report_json_has_the_documented_shape() {
    let report = check_file("lessons/daemonsets.md", LESSON).unwrap();
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["quiz", "quiz_file", "steps", "title", "warnings"]);
    assert_eq!(json["steps"][3]["number"], 4);
    assert_eq!(
        json["steps"][7]["check"],
        "kubectl get node kind-worker3 -o jsonpath={.spec.taints[*].key} contains VIPOnly"
    );
    assert!(json["quiz"].is_null());

    let quiz = check_file("quizzes/daemonsets.md", QUIZ).unwrap();
    let json: serde_json::Value = serde_json::from_str(&quiz.to_json()).unwrap();
    assert_eq!(json["steps"].as_array().unwrap().len(), 0);
    let q = &json["quiz"]["questions"][2];
    assert_eq!(q["kind"], "sequence");
    assert_eq!(q["correct"], serde_json::json!([0, 1, 2, 3]));
    assert_eq!(q["answers"][0], "`apiVersion`");
    assert_eq!(
        json["quiz"]["questions"][4]["correct"],
        serde_json::json!([0, 1, 2])
    );
    let text = quiz.to_text();
    assert!(
        text.contains("quiz: 10 questions (5 single, 3 multiple, 2 sequence)"),
        "{text}"
    );
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    const FRAGMENTS: &[&str] = &[
        "{{<",
        ">}}",
        "{{%",
        "%}}",
        "{{< /",
        "{{</*",
        "*/>}}",
        "---\n",
        "```",
        "\n",
        "<!-- check",
        "-->",
        "[x]",
        "1. ",
        "- [ ] ",
        "> ",
        "# ",
        "\"",
        "'",
        "é",
        "{{< quizdown >}}",
        "{{< step >}}",
        "<<EOF",
        "EOF\n",
        "\t",
        "\r\n",
    ];

    fn mutate(text: &str, edits: &[(usize, usize, usize)]) -> String {
        let mut out = text.to_string();
        for &(at, fragment, cut) in edits {
            let mut at = at % (out.len() + 1);
            while !out.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut % 8).min(out.len());
            while !out.is_char_boundary(end) {
                end += 1;
            }
            out.replace_range(at..end, FRAGMENTS[fragment % FRAGMENTS.len()]);
        }
        out
    }

    fn exercise(text: &str) {
        let _ = load_lesson("p.md", text);
        let _ = check_file("p.md", text);
        let _ = check_file("quizzes/p.md", text);
        let _ = load_quiz("p.md", text, 1);
        let _ = equivalent(text, text);
    }

    proptest! {
        #[test]
        fn random_text_never_panics(text in proptest::collection::vec(any::<char>(), 0..400)) {
            exercise(&text.into_iter().collect::<String>());
        }

        #[test]
        fn mutated_lesson_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 1..12)) {
            exercise(&mutate(LESSON, &edits));
            exercise(&mutate(QUIZ, &edits));
        }
    }
}

/// Found by the lesson_file fuzz target (its input kept in
/// `tests/fixtures/fuzz/lesson-tokenizer-loop.bin`): a step command holding `<<<` made the
/// command tokenizer loop without consuming input until memory ran out.
#[test]
fn a_here_string_in_a_step_command_does_not_loop() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fuzz/lesson-tokenizer-loop.bin"
    ))
    .unwrap();
    let text = String::from_utf8_lossy(&bytes);
    if let Ok(lesson) = kubetutor::content::load_lesson("fuzz.md", &text) {
        for step in &lesson.steps {
            let _ = step.commands();
        }
    }
    let cmds = kubetutor::content::equivalent("cat <<< hello", "cat <<< hello");
    assert!(cmds);
}

/// `lesson check` lists every error in one run, but never more than MAX_ERRORS: a file with
/// 200 bad checks stops at the cap (each recovery re-reads the file, so the cap bounds the work).
#[test]
fn check_all_lists_every_error_up_to_the_cap() {
    let mut text = String::from("---\ntitle: \"Many\"\n---\n\n");
    for i in 0..200 {
        text.push_str(&format!(
            "{{{{< step >}}}}Step {i}.{{{{< /step >}}}}\n\n```bash\nkubectl get nodes\n```\n<!-- check: kubectl get nodes bogus{i} -->\n\n"
        ));
    }
    let errors = check_all("lessons/many.md", &text, None).unwrap_err();
    assert_eq!(errors.len(), MAX_ERRORS);
    assert!(errors.windows(2).all(|w| w[0].line < w[1].line));
    let two = "---\ntitle: \"Two\"\n---\n\n{{< step >}}A.{{< /step >}}\n\n```bash\nls\n```\n<!-- check: nonsense -->\n\n{{< step >}}B.{{< /step >}}\n\n```bash\nls\n```\n<!-- check: more nonsense -->\n";
    assert_eq!(check_all("lessons/two.md", two, None).unwrap_err().len(), 2);
    let fine = check_all(
        "lessons/daemonsets.md",
        LESSON,
        Some(("quizzes/daemonsets.md".into(), QUIZ.into())),
    )
    .unwrap();
    assert_eq!(fine.quiz_file.as_deref(), Some("quizzes/daemonsets.md"));
    assert!(fine.to_text().contains("quiz from quizzes/daemonsets.md: "));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// `check_all` on a damaged lesson (a slice cut out of the built-in one) never panics and
    /// never lists more than MAX_ERRORS errors, all with a line inside the file.
    #[test]
    fn check_all_survives_a_damaged_lesson(start in 0usize..20_000, len in 0usize..400) {
        let bytes = LESSON.as_bytes();
        let a = start.min(bytes.len());
        let b = (a + len).min(bytes.len());
        let mut cut = bytes[..a].to_vec();
        cut.extend_from_slice(&bytes[b..]);
        let text = String::from_utf8_lossy(&cut).into_owned();
        if let Err(errors) = check_all("lessons/d.md", &text, None) {
            proptest::prop_assert!(!errors.is_empty() && errors.len() <= MAX_ERRORS);
            let lines = text.lines().count() + 1;
            proptest::prop_assert!(errors.iter().all(|e| e.line >= 1 && e.line <= lines));
        }
    }
}
