//! Our workshop chapters 7-11 (`lessons/0*.md`) on the tutor's screen: each one renders at the
//! smallest supported size (80x24) and pages through from its introduction to its recap.

use std::path::Path;

use kubetutor::content;
use kubetutor::session::Session;
use kubetutor::tui::harness::Harness;

/// Each chapter's file and the title of its first section.
const CHAPTERS: &[(&str, &str)] = &[
    ("017_meet_kubernetes.md", "From containers to a cluster"),
    (
        "019_orchestrate_containers.md",
        "From docker run to Kubernetes",
    ),
    (
        "021_running_at_scale.md",
        "Workloads: objects that manage pods",
    ),
    ("023_services.md", "Pods come and go"),
    (
        "025_config_as_code.md",
        "Configuration belongs outside the image",
    ),
];

#[test]
fn our_chapters_page_from_introduction_to_recap_at_80x24() {
    for (file, first) in CHAPTERS {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("lessons")
            .join(file);
        let lesson = content::load_path(&path).unwrap().remove(0);
        let mut h = Harness::with_session(Session::new(lesson, 1, 3), 80, 24);
        let mut seen = h.screen();
        for _ in 0..80 {
            if seen.contains("Ready to check what stuck?") {
                break;
            }
            h.press("PageDown");
            seen.push_str(&h.screen());
        }
        assert!(seen.contains(first), "{file}: {first}\n{seen}");
        // The last page: the recap's pane title and the chapter's closing line.
        let end = h.screen();
        assert!(end.contains("done: Recap"), "{file}\n{end}");
        assert!(end.contains("Ready to check what stuck?"), "{file}\n{end}");
    }
}
