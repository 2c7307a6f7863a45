//! What a lesson starts from when it is played first: front matter `start:`.
//!
//! Must not import anything in the crate: the session builds the cluster and the shell
//! from it (`session::start`).

/// What a lesson starts from when it is played first (front matter `start:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Start {
    /// No `start:` key: the tutor's standing cluster, about 22 hours old, four nodes,
    /// `kind` and `kubectl` installed, `demo:1.0.0` on every node.
    #[default]
    Tutor,
    /// `start: none`: no cluster, no `kind` or `kubectl` in `PATH`, no `~/.kube/config`;
    /// Docker's cache holds `demo:1.0.0` and `php:8.0.1-apache`, and `~/environment`
    /// holds `index.php` and `Dockerfile` (the workshop's chapter 7).
    None,
    /// `start: kind`: a cluster made from the workshop's four-node config a few minutes
    /// ago, `kind` and `kubectl` installed, the kubeconfig written; `demo:1.0.0` in Docker's
    /// cache but not on the nodes (the workshop's chapter 8 played alone).
    Kind,
}

impl Start {
    /// The front-matter word, or `None` for a word that names no start.
    pub fn parse(word: &str) -> Option<Start> {
        match word {
            "tutor" => Some(Start::Tutor),
            "none" => Some(Start::None),
            "kind" => Some(Start::Kind),
            _ => None,
        }
    }

    /// The front-matter word for this start.
    pub fn word(self) -> &'static str {
        match self {
            Start::Tutor => "tutor",
            Start::None => "none",
            Start::Kind => "kind",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for s in [Start::Tutor, Start::None, Start::Kind] {
            assert_eq!(Start::parse(s.word()), Some(s));
        }
        assert_eq!(Start::parse("after-chapter-9"), None);
        assert_eq!(Start::default(), Start::Tutor);
    }
}
