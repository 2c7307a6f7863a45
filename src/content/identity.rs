//! A lesson's stable identity, for class results: two lessons that share a title (the
//! built-in DaemonSet lesson and the upstream chapter it came from are both "12. DaemonSets")
//! must not be counted as one. The author's front-matter `id` when there is one; otherwise
//! the title as a slug and a hash of what the learner is asked to do (every step's title,
//! command and check, and the quiz), so the same lesson file gives the same identity on every
//! machine wherever it is loaded from, and a lesson whose steps differ gets another.
//!
//! Must not import anything in the crate outside `content`.

use super::lesson::Lesson;

impl Lesson {
    /// The identity class results are keyed by: the front-matter `id`, else
    /// `SLUG-HASH` (`12-daemonsets-88f44630`).
    pub fn identity(&self) -> String {
        if let Some(id) = &self.meta.id {
            return id.clone();
        }
        format!("{}-{:08x}", self.slug(), self.content_hash())
    }

    /// The title as a slug: lowercase letters and digits, other runs as one `-`
    /// (`12. DaemonSets` → `12-daemonsets`); `lesson` when nothing is left.
    pub fn slug(&self) -> String {
        let mut id = String::new();
        for c in self.meta.title.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                id.push(c);
            } else if !id.is_empty() && !id.ends_with('-') {
                id.push('-');
            }
        }
        while id.ends_with('-') {
            id.pop();
        }
        if id.is_empty() {
            "lesson".to_string()
        } else {
            id
        }
    }

    /// FNV-1a over the title, the steps and the quiz as JSON (sorted, typed data: the same
    /// bytes on every machine), folded to 32 bits.
    fn content_hash(&self) -> u32 {
        let parts = serde_json::to_vec(&(&self.meta.title, &self.steps, &self.quiz))
            .unwrap_or_else(|_| self.meta.title.clone().into_bytes());
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in parts {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        (h ^ (h >> 32)) as u32
    }
}

#[cfg(test)]
mod tests {
    use crate::content::{self, LESSON};

    #[test]
    fn one_lesson_file_has_one_identity_wherever_it_is_loaded_from() {
        let a = content::load_lesson("lessons/daemonsets.md", LESSON).unwrap();
        let b = content::load_lesson("/elsewhere/copy.md", LESSON).unwrap();
        assert_eq!(a.identity(), b.identity());
        assert!(
            a.identity().starts_with("12-daemonsets-"),
            "{}",
            a.identity()
        );
        assert_eq!(a.identity().len(), "12-daemonsets-".len() + 8);
    }

    #[test]
    fn lessons_of_one_title_with_other_steps_differ() {
        let built_in = content::load_lesson("a.md", LESSON).unwrap();
        // The upstream chapter: the same title and steps, without the check comments.
        let mut upstream = String::new();
        let mut in_check = false;
        for line in LESSON.lines() {
            if line.starts_with("<!-- check") {
                in_check = !line.ends_with("-->");
                continue;
            }
            if in_check {
                in_check = !line.ends_with("-->");
                continue;
            }
            upstream.push_str(line);
            upstream.push('\n');
        }
        let upstream = content::load_lesson("b.md", &upstream).unwrap();
        assert_eq!(upstream.meta.title, built_in.meta.title);
        assert_eq!(upstream.steps.len(), built_in.steps.len());
        assert_ne!(upstream.identity(), built_in.identity());
    }

    #[test]
    fn the_front_matter_id_is_the_identity() {
        let text = LESSON.replacen("---\n", "---\nid: k8s-ds-101\n", 1);
        let lesson = content::load_lesson("x.md", &text).unwrap();
        assert_eq!(lesson.identity(), "k8s-ds-101");
        let mut untitled = lesson.clone();
        untitled.meta.title = "!!".into();
        assert_eq!(untitled.slug(), "lesson");
    }
}
