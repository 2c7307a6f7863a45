//! Test support for the verb files: a fresh seeded four-node cluster and a way to run
//! `kubectl ...` lines against it (single-quoted words are kept whole, as the shell would).

use super::{Ctx, run};
use crate::engine::Cluster;
use crate::shell::Output;
use crate::shell::vfs::{ENVIRONMENT, Vfs, WriteMode};

/// A cluster and the learner's files.
pub struct Kit {
    pub cluster: Cluster,
    pub vfs: Vfs,
}

impl Kit {
    /// The workshop's cluster (seed 7, three workers).
    pub fn new() -> Kit {
        Kit {
            cluster: Cluster::kind(7, 3),
            vfs: Vfs::with_home(),
        }
    }

    /// Runs one `kubectl` line (the leading word `kubectl` is optional).
    pub fn run(&mut self, line: &str) -> Output {
        let mut words = split(line);
        if words.first().map(String::as_str) == Some("kubectl") {
            words.remove(0);
        }
        let mut ctx = Ctx {
            cluster: &mut self.cluster,
            vfs: &self.vfs,
            cwd: ENVIRONMENT,
            pace: None,
        };
        run(&mut ctx, &words, "")
    }

    /// Runs a line that must succeed with nothing on stderr; returns stdout.
    pub fn ok(&mut self, line: &str) -> String {
        let out = self.run(line);
        assert_eq!(out.stderr, "", "stderr of `{line}`");
        assert_eq!(out.status, 0, "status of `{line}`");
        out.stdout
    }

    /// Runs a line that must fail; returns stderr.
    pub fn err(&mut self, line: &str) -> String {
        let out = self.run(line);
        assert_eq!(
            out.status, 1,
            "status of `{line}` (stdout {:?})",
            out.stdout
        );
        out.stderr
    }

    /// Writes a file in `~/environment`.
    pub fn file(&mut self, name: &str, text: &str) {
        self.vfs
            .write(ENVIRONMENT, name, text, WriteMode::Truncate)
            .unwrap();
    }

    /// Lets simulated time pass.
    pub fn wait(&mut self, secs: u64) {
        self.cluster.advance(std::time::Duration::from_secs(secs));
    }

    /// Creates the lesson's namespace and DaemonSet and lets its pods start.
    pub fn with_demo_daemonset(mut self) -> Kit {
        self.file(
            "ds.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev-system\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: demo-daemon\n  namespace: dev-system\n  labels:\n    app: demo-daemon\nspec:\n  selector:\n    matchLabels:\n      app: demo-daemon\n  template:\n    metadata:\n      labels:\n        app: demo-daemon\n    spec:\n      containers:\n      - name: demo\n        image: demo:1.0.0\n",
        );
        self.ok("apply -f ds.yaml");
        self.wait(60);
        self
    }

    /// Names of the pods in a namespace (sorted).
    pub fn pods(&self, namespace: &str) -> Vec<String> {
        self.cluster
            .list(crate::engine::Kind::Pod, Some(namespace))
            .map(|p| crate::engine::objects::meta::name(p).to_string())
            .collect()
    }
}

/// Splits a line on spaces, keeping `'...'` together (quotes removed).
fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for ch in line.chars() {
        match ch {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(cur);
    }
    words
}
