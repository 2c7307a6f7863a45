//! `kubetutor shell --lesson`: command lines from a reader run through a lesson [`Session`],
//! saved after every command and every completed step, so that a killed run resumes where
//! it stopped. Command output goes to stdout and stderr exactly as in `kubetutor shell`;
//! the tutor's own notes (a step done, the lesson complete, a record written) go to stderr
//! with a `kubetutor:` prefix.
//!
//! A few lines starting with `:` stand for what a learner does with keys in the TUI:
//! `:hint`, `:solution`, `:answer Q A[,A...]` (question and answers numbered from 1 in source
//! order) and `:quiz` (evaluate the quiz and write the result record).
//!
//! Must not import: the TUI, terminals, std::process or a real clock.

use std::collections::BTreeSet;
use std::io::{self, BufRead, Write};

use super::autosave::{Autosave, position};
use crate::content::{QuestionKind, Response};
use crate::session::Session;
use crate::shell::input::{Assembled, CommandReader, too_long_message};

/// The driver's state between lines.
struct Driver<'a> {
    session: &'a mut Session,
    autosave: &'a Autosave,
    clock: &'a dyn Fn() -> String,
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
    /// The save error already shown (each different one is shown once).
    save_error: Option<String>,
    /// Something changed since the result record was last written.
    unrecorded: bool,
}

/// Runs every command line of `input` in `session`, saving through `autosave`; returns the
/// last command's exit status. `clock` gives the wall-clock time (RFC 3339) for records.
/// A result record is written when the lesson completes, when the quiz is evaluated, and at
/// the end of input if anything changed since (so an instructor sees where a learner stopped).
pub fn run_lesson_script(
    input: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    session: &mut Session,
    autosave: &Autosave,
    clock: &dyn Fn() -> String,
) -> io::Result<i32> {
    let mut driver = Driver {
        session,
        autosave,
        clock,
        stdout,
        stderr,
        save_error: None,
        unrecorded: false,
    };
    driver.save()?;
    let mut status = 0;
    let mut reader = CommandReader::new(input);
    while let Some(next) = reader.next_command()? {
        status = match next {
            Assembled::Command(line) => driver.run_line(&line)?,
            Assembled::TooLong(bytes) => {
                driver
                    .stderr
                    .write_all(too_long_message(bytes).as_bytes())?;
                driver.stderr.flush()?;
                1
            }
        };
        if driver.session.shell().exit_requested().is_some() {
            break;
        }
    }
    if driver.unrecorded {
        driver.write_record()?;
    }
    Ok(driver.session.shell().exit_requested().unwrap_or(status))
}

impl Driver<'_> {
    fn run_line(&mut self, text: &str) -> io::Result<i32> {
        let line = text.strip_suffix('\n').unwrap_or(text);
        if line.trim().is_empty() {
            return Ok(0);
        }
        let before = self.session.current_step();
        self.unrecorded = true;
        let status = match directive(line) {
            Some((name, args)) => self.directive(name, args)?,
            None => {
                let out = self.session.submit(line);
                self.stdout.write_all(out.stdout.as_bytes())?;
                self.stdout.flush()?;
                self.stderr.write_all(out.stderr.as_bytes())?;
                out.status
            }
        };
        self.announce_steps(before)?;
        self.save()?;
        if before.is_some() && self.session.current_step().is_none() {
            writeln!(self.stderr, "kubetutor: lesson complete")?;
            self.write_record()?;
        }
        self.stderr.flush()?;
        Ok(status)
    }

    /// Notes each step completed since the cursor was at `before`.
    fn announce_steps(&mut self, before: Option<usize>) -> io::Result<()> {
        let Some(from) = before else { return Ok(()) };
        let to = self
            .session
            .current_step()
            .unwrap_or(self.session.lesson().steps.len());
        for i in from..to {
            if let Some(step) = self.session.lesson().steps.get(i) {
                let done = if self.session.check_step(i).is_ok() {
                    "done"
                } else {
                    "skipped"
                };
                writeln!(
                    self.stderr,
                    "kubetutor: step {} {done}: {}",
                    step.number, step.title
                )?;
            }
        }
        Ok(())
    }

    /// Saves; a failure is shown once and the session goes on (losing work is bad, stopping
    /// the learner is worse).
    fn save(&mut self) -> io::Result<()> {
        match self.autosave.save(self.session) {
            Ok(_) => self.save_error = None,
            Err(e) => {
                let text = e.to_string();
                if self.save_error.as_deref() != Some(text.as_str()) {
                    writeln!(self.stderr, "kubetutor: cannot save progress: {text}")?;
                }
                self.save_error = Some(text);
            }
        }
        Ok(())
    }

    fn write_record(&mut self) -> io::Result<()> {
        let now = (self.clock)();
        match self.autosave.write_result(self.session, &now) {
            None => {}
            Some(Ok(path)) => {
                self.unrecorded = false;
                writeln!(
                    self.stderr,
                    "kubetutor: result written to {}",
                    path.display()
                )?;
            }
            Some(Err(e)) => writeln!(self.stderr, "kubetutor: cannot write the result: {e}")?,
        }
        Ok(())
    }

    fn directive(&mut self, name: &str, args: &str) -> io::Result<i32> {
        match name {
            "hint" => {
                self.session.record_hint();
                let text = match self.session.waiting_for() {
                    Some(unmet) => format!("waiting for: {unmet}"),
                    None => format!("nothing to wait for: {}", position(self.session)),
                };
                writeln!(self.stdout, "{text}")?;
                Ok(0)
            }
            "solution" => {
                self.session.record_solution();
                let command = self
                    .session
                    .current_step()
                    .and_then(|i| self.session.lesson().steps.get(i))
                    .and_then(|s| s.command.clone());
                match command {
                    Some(c) => writeln!(self.stdout, "{}", c.trim_end())?,
                    None => writeln!(self.stdout, "no command for this step")?,
                }
                Ok(0)
            }
            "answer" => match self.answer(args) {
                Ok(()) => Ok(0),
                Err(why) => {
                    writeln!(self.stderr, "kubetutor: :answer: {why}")?;
                    Ok(2)
                }
            },
            "quiz" => {
                let Some(score) = self.session.score() else {
                    writeln!(self.stderr, "kubetutor: this lesson has no quiz")?;
                    return Ok(1);
                };
                let verdict = match score.passed {
                    Some(true) => " (passed)",
                    Some(false) => " (not passed)",
                    None => "",
                };
                writeln!(
                    self.stdout,
                    "quiz: {}/{}{verdict}",
                    score.points, score.total
                )?;
                self.write_record()?;
                Ok(0)
            }
            _ => {
                writeln!(
                    self.stderr,
                    "kubetutor: unknown :{name} (try :hint, :solution, :answer Q A, :quiz)"
                )?;
                Ok(2)
            }
        }
    }

    /// `:answer Q A[,A...]`: the response is built for the question's kind.
    fn answer(&mut self, args: &str) -> Result<(), String> {
        let mut words = args.split_whitespace();
        let question: usize = words
            .next()
            .and_then(|w| w.parse().ok())
            .filter(|n| *n >= 1)
            .ok_or("give the question number (from 1) and the answers, e.g. `:answer 2 1,3`")?;
        let picks: Vec<usize> = words
            .flat_map(|w| w.split(','))
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .map(|n| n - 1)
                    .ok_or(format!("\"{w}\" is not an answer number"))
            })
            .collect::<Result<_, _>>()?;
        let kind = self
            .session
            .lesson()
            .quiz
            .as_ref()
            .ok_or("this lesson has no quiz")?
            .questions
            .get(question - 1)
            .ok_or(format!("the quiz has no question {question}"))?
            .kind;
        let response = match (kind, picks.as_slice()) {
            (_, []) => Response::Unanswered,
            (QuestionKind::Single, [one]) => Response::Single(*one),
            (QuestionKind::Single, _) => {
                return Err(format!("question {question} takes one answer"));
            }
            (QuestionKind::Multiple, _) => {
                Response::Multiple(picks.iter().copied().collect::<BTreeSet<_>>())
            }
            (QuestionKind::Sequence, _) => Response::Sequence(picks),
        };
        self.session
            .answer(question - 1, response)
            .map_err(|e| e.to_string())
    }
}

/// `:name args` when `line` is one of the driver's own lines (a bash `: args` is not).
fn directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim().strip_prefix(':')?;
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(match rest.split_once(char::is_whitespace) {
        Some((name, args)) => (name, args.trim()),
        None => (rest, ""),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;
    use crate::persist::autosave::{Access, AutosaveConfig, Start};
    use crate::persist::store::StateStore;

    fn run(script: &str, name: &str) -> (String, String, Session, std::path::PathBuf) {
        let root =
            std::env::temp_dir().join(format!("kubetutor-driver-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let lesson = content::builtin_lessons().unwrap().remove(0);
        let mut opened = Autosave::open(
            AutosaveConfig {
                store: StateStore::new(Some(root.join("state"))),
                learner: "ada".into(),
                results_dir: Some(root.join("results")),
                start: Start::Resume,
                access: Access::Save,
                holder: String::new(),
            },
            lesson,
            1,
            3,
            "2026-01-01T00:00:00Z",
        )
        .unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let clock = || "2026-01-01T01:00:00Z".to_string();
        run_lesson_script(
            &mut script.as_bytes(),
            &mut out,
            &mut err,
            &mut opened.session,
            &opened.autosave,
            &clock,
        )
        .unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            opened.session,
            root,
        )
    }

    #[test]
    fn directives_record_help_and_answers_and_the_quiz_writes_a_record() {
        let (out, err, session, root) = run(
            ":hint\n: not a directive\nkubectl get nodes -o wide\n:solution\n:answer 1 1\n:answer 99 1\n:quiz\n",
            "directives",
        );
        assert!(out.starts_with("waiting for: "), "{out}");
        assert!(
            out.contains("kubectl -n kube-system get daemonsets -o wide\n"),
            "{out}"
        );
        assert!(out.contains("quiz: "), "{out}");
        assert!(err.contains("kubetutor: step 1 done: "), "{err}");
        assert!(
            err.contains(":answer: the quiz has no question 99"),
            "{err}"
        );
        assert_eq!(err.matches("result written to").count(), 1, "{err}");
        assert_eq!(session.current_step(), Some(1));
        let (records, _) = crate::results::read_dir(&root.join("results")).unwrap();
        assert_eq!(records.len(), 1);
        let r = &records[0].1;
        assert!(r.steps[0].hint_used && r.steps[1].solution_used);
        assert_eq!(r.quiz.as_ref().unwrap().questions[0].answer.len(), 1);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn bash_colon_lines_still_run_in_the_shell() {
        assert_eq!(directive(": hint"), None);
        assert_eq!(directive(":answer 1 2"), Some(("answer", "1 2")));
        assert_eq!(directive(":quiz"), Some(("quiz", "")));
    }
}
