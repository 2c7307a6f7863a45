//! A workshop as one lesson: its chapters' sections, steps and quiz questions one after the
//! other, with [`Chapter`] marks saying where each chapter begins. One lesson means one
//! session: one cluster, one home folder, one clock and one history across chapters, and the
//! next chapter begins on the cluster the last one left.
//!
//! Steps keep the numbers their chapter gives them (what the chapter's text says); a step is
//! addressed by its index in the joined lesson. A workshop of one chapter is that chapter
//! unchanged, so its identity (and every class result keyed by it) stays what it was.
//!
//! Must not import the engine, the shell or the TUI.

use std::ops::Range;

use super::frontmatter::Meta;
use super::lesson::Lesson;
use super::markdown::Block;
use super::quiz::Quiz;

/// Where one chapter sits in a joined workshop lesson.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Chapter {
    /// The chapter's own title (`7. Meet Kubernetes`).
    pub title: String,
    /// The number a learner calls it by: the number its title starts with (`7`), else its
    /// position in the workshop (1-based).
    pub number: usize,
    /// Its folder (`017_meet_kubernetes`) or file stem, for `--chapter NAME`.
    pub name: String,
    /// The chapter's identity as a lesson of its own (class results per chapter are keyed by
    /// it, so a chapter's results are the same whether it was played alone or in the workshop).
    pub identity: String,
    /// Its steps, as indexes into the joined lesson's steps.
    pub steps: Range<usize>,
    /// Its sections, as indexes into the joined lesson's sections.
    pub sections: Range<usize>,
    /// Its quiz questions, as indexes into the joined lesson's quiz.
    pub questions: Range<usize>,
}

impl Lesson {
    /// True when this lesson is several chapters played as one workshop.
    pub fn is_workshop(&self) -> bool {
        self.chapters.len() > 1
    }

    /// The index of the chapter step `step` belongs to (0 for a plain lesson).
    pub fn chapter_of_step(&self, step: usize) -> usize {
        self.chapters
            .iter()
            .position(|c| c.steps.contains(&step))
            .unwrap_or_else(|| {
                // Past the last step: the last chapter.
                self.chapters.len().saturating_sub(1)
            })
    }

    /// The chapter a learner names with `--chapter`: its number (`10`), its folder or file
    /// name (`023_services`), the name without its number (`services`), or its title.
    pub fn find_chapter(&self, wanted: &str) -> Option<usize> {
        let wanted = wanted.trim();
        let lower = wanted.to_lowercase();
        if let Ok(n) = wanted.parse::<usize>() {
            return self.chapters.iter().position(|c| c.number == n);
        }
        self.chapters.iter().position(|c| {
            let bare = c
                .name
                .trim_start_matches(|ch: char| ch.is_ascii_digit())
                .trim_start_matches(['_', '-']);
            c.name == wanted || bare.eq_ignore_ascii_case(wanted) || c.title.to_lowercase() == lower
        })
    }
}

/// What a workshop starts from: its first chapter's start, unless that chapter and the
/// ones after it reach no cluster (no `kubectl` or `kind` command: a Linux or setup
/// chapter) before a chapter that declares (or, making its cluster with `kind create
/// cluster`, implies) another start. So a whole Hugo site whose early chapters set up the
/// host starts with no cluster when its chapter 7 makes one.
fn workshop_start(chapters: &[(String, Lesson)]) -> super::Start {
    let first = chapters.first().map(|(_, c)| c.start).unwrap_or_default();
    for (_, chapter) in chapters {
        if chapter.start != super::Start::Tutor {
            return chapter.start;
        }
        let reaches_cluster = chapter.runs(&["kubectl"]) || chapter.runs(&["kind"]);
        if reaches_cluster {
            return first;
        }
    }
    first
}

/// Joins `chapters` (in play order; `names` are their folder or file names) into one
/// workshop lesson titled `title`. One chapter comes back as it is.
pub fn join(title: &str, mut chapters: Vec<(String, Lesson)>) -> Option<Lesson> {
    if chapters.len() <= 1 {
        return chapters.pop().map(|(_, lesson)| lesson);
    }
    let mut joined = Lesson {
        meta: Meta {
            title: title.to_string(),
            ..Meta::default()
        },
        sections: Vec::new(),
        steps: Vec::new(),
        quiz: None,
        warnings: Vec::new(),
        chapters: Vec::new(),
        start: workshop_start(&chapters),
    };
    let mut questions = Vec::new();
    for (position, (name, chapter)) in chapters.into_iter().enumerate() {
        let identity = chapter.identity();
        let first_step = joined.steps.len();
        let first_section = joined.sections.len();
        let first_question = questions.len();
        if let Some(quiz) = chapter.quiz {
            if quiz.options.n_questions.is_some() || quiz.options.passing_grade.is_some() {
                joined.warnings.push(format!(
                    "{}: the quiz's nQuestions and passingGrade do not carry over into the workshop's quiz",
                    chapter.meta.title
                ));
            }
            let shuffle = quiz.options.shuffle_answers;
            questions.extend(quiz.questions.into_iter().map(|mut q| {
                q.options.shuffle_answers.get_or_insert(shuffle);
                q
            }));
        }
        joined.steps.extend(chapter.steps);
        joined
            .sections
            .extend(chapter.sections.into_iter().map(|mut section| {
                shift_steps(&mut section.blocks, first_step);
                section
            }));
        joined.warnings.extend(chapter.warnings);
        joined.chapters.push(Chapter {
            number: leading_number(&chapter.meta.title).unwrap_or(position + 1),
            title: chapter.meta.title,
            name,
            identity,
            steps: first_step..joined.steps.len(),
            sections: first_section..joined.sections.len(),
            questions: first_question..questions.len(),
        });
    }
    if !questions.is_empty() {
        joined.quiz = Some(Quiz {
            options: Default::default(),
            questions,
        });
    }
    Some(joined)
}

/// Points a chapter's `Block::Step(i)` at the joined lesson's step `i + by`.
fn shift_steps(blocks: &mut [Block], by: usize) {
    for block in blocks {
        match block {
            Block::Step(i) => *i += by,
            Block::List { items, .. } => items.iter_mut().for_each(|b| shift_steps(b, by)),
            Block::Quote(inner) | Block::Notice { blocks: inner, .. } => shift_steps(inner, by),
            _ => {}
        }
    }
}

/// The number a title starts with (`7. Meet Kubernetes` → 7).
fn leading_number(title: &str) -> Option<usize> {
    let digits: String = title
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load_lesson;

    fn chapter(title: &str, steps: usize) -> (String, Lesson) {
        let mut text = format!("---\ntitle: \"{title}\"\n---\n\n## Go\n\n");
        for i in 0..steps {
            text.push_str(&format!(
                "{{{{< step >}}}}Step {i}{{{{< /step >}}}}\n```bash\nkubectl get ns s{i}\n```\n\n"
            ));
        }
        let name = title.to_lowercase().replace(['.', ' '], "_");
        (name, load_lesson("c.md", &text).unwrap())
    }

    fn chapter_running(title: &str, command: &str) -> (String, Lesson) {
        let text = format!(
            "---\ntitle: \"{title}\"\n---\n\n{{{{< step >}}}}Go{{{{< /step >}}}}\n```bash\n{command}\n```\n"
        );
        (title.to_string(), load_lesson("c.md", &text).unwrap())
    }

    #[test]
    fn a_workshop_starts_with_no_cluster_when_its_first_cluster_chapter_makes_one() {
        use crate::content::Start;
        let setup = chapter_running("1. Setup", "sudo yum install -y jq");
        let meet = chapter_running(
            "7. Meet",
            "kind create cluster --config ~/environment/000-four-node-cluster.yaml",
        );
        assert_eq!(meet.1.start, Start::None, "inferred for the chapter alone");
        let later = chapter("8. Orchestrate", 1);
        let w = join("site", vec![setup.clone(), meet.clone(), later.clone()]).unwrap();
        assert_eq!(w.start, Start::None);
        // A chapter that uses the cluster before: the tutor's standing cluster, as the
        // first chapter has.
        let w = join("site", vec![later.clone(), meet]).unwrap();
        assert_eq!(w.start, Start::Tutor);
        let w = join("site", vec![setup, later]).unwrap();
        assert_eq!(w.start, Start::Tutor);
    }

    #[test]
    fn a_workshop_of_one_chapter_is_that_chapter_unchanged() {
        let one = chapter("12. DaemonSets", 2);
        let joined = join("w", vec![one.clone()]).unwrap();
        assert_eq!(joined, one.1);
        assert_eq!(joined.identity(), one.1.identity());
        assert!(!joined.is_workshop());
    }

    #[test]
    fn chapters_join_in_order_with_their_own_numbers_and_identities() {
        let a = chapter("7. Meet", 2);
        let b = chapter("Services", 3);
        let ids = (a.1.identity(), b.1.identity());
        let w = join("Workshop", vec![a, b]).unwrap();
        assert!(w.is_workshop());
        assert_eq!(w.meta.title, "Workshop");
        assert_eq!(w.steps.len(), 5);
        let numbers: Vec<usize> = w.steps.iter().map(|s| s.number).collect();
        assert_eq!(numbers, [1, 2, 1, 2, 3]);
        assert_eq!(w.chapters[0].number, 7);
        assert_eq!(
            w.chapters[1].number, 2,
            "no number in the title: its position"
        );
        assert_eq!(w.chapters[1].steps, 2..5);
        assert_eq!(
            (
                w.chapters[0].identity.clone(),
                w.chapters[1].identity.clone()
            ),
            ids
        );
        // The second chapter's text places its own steps, now steps 2..5.
        let placed: Vec<usize> = w.sections[1]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Step(i) => Some(*i),
                _ => None,
            })
            .collect();
        assert_eq!(placed, [2, 3, 4]);
        assert_eq!(w.chapter_of_step(1), 0);
        assert_eq!(w.chapter_of_step(2), 1);
        assert_eq!(w.chapter_of_step(99), 1);
        assert_eq!(w.find_chapter("7"), Some(0));
        assert_eq!(w.find_chapter("services"), Some(1));
        assert_eq!(w.find_chapter("7__meet"), Some(0));
        assert_eq!(w.find_chapter("8"), None);
    }
}
