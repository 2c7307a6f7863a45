//! A workshop's chapters in the app: moving to another chapter (`<` / `>` in the lesson
//! pane, after a confirmation) starts the workshop over and replays the chapters before the
//! one chosen, a few steps per tick with a progress bar in the status bar, so the screen
//! keeps drawing and Ctrl-Q still quits while it runs.
//!
//! Must not import tokio or touch the real clock or files.

use crate::session::{Replay, Session};
use crate::tui::action::Action;
use crate::tui::app::{App, Pending};
use crate::tui::view::{LineKind, MessageKind, Scroll};

/// Steps replayed per tick: a step costs a few milliseconds, so a tick stays short and the
/// screen keeps drawing while a workshop's earlier chapters replay.
pub const REPLAY_STEPS_PER_TICK: usize = 4;

/// How often a replay ticks, whatever the clock's pause or speed.
pub const REPLAY_TICK: std::time::Duration = std::time::Duration::from_millis(30);

/// The confirmation's question for moving to chapter `chapter`.
pub(super) fn question(session: &Session, chapter: usize) -> String {
    let title = session
        .lesson()
        .chapters
        .get(chapter)
        .map_or("", |c| c.title.as_str());
    format!("Start over at {title}? The chapters before it are replayed; your own work is lost.")
}

/// A progress bar: `[#####.....] 12/41`.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(width);
    format!(
        "[{}{}] {done}/{total}",
        "#".repeat(filled),
        ".".repeat(width.saturating_sub(filled))
    )
}

impl App {
    /// Asks whether to start over at the chapter `d` away from the current one.
    pub(super) fn ask_chapter(&mut self, d: i32, session: &Session) {
        let lesson = session.lesson();
        if !lesson.is_workshop() {
            self.say("this lesson has one chapter", MessageKind::Info);
            return;
        }
        let here = lesson.chapter_of_step(session.current_step().unwrap_or(lesson.steps.len()));
        let target = here as i64 + i64::from(d);
        match usize::try_from(target) {
            Ok(t) if t < lesson.chapters.len() => self.confirm = Some(Pending::Chapter(t)),
            _ => self.say("no chapter there", MessageKind::Info),
        }
    }

    /// Starts the workshop over and replays up to chapter `chapter` (ticks carry it on).
    pub fn start_chapter(&mut self, chapter: usize, session: &mut Session) {
        let Some(target) = session
            .lesson()
            .chapters
            .get(chapter)
            .map(|c| c.steps.start)
        else {
            return;
        };
        session.reset_lesson();
        self.map.reset(session.cluster());
        self.quiz = None;
        self.quiz_part = None;
        self.scroll = Scroll::FollowStep;
        let replay = Replay::to_step(target);
        let (done, total) = replay.progress();
        self.say(
            format!("replay {}", bar(done, total, 10)),
            MessageKind::Info,
        );
        self.replay = Some(replay);
    }

    /// While a replay runs, every action but quitting and resizing waits; a tick replays a
    /// few more steps. True when the action was taken care of here.
    pub(super) fn replaying(&mut self, action: &Action, session: &mut Session) -> bool {
        if self.replay.is_none() {
            return false;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Resize { width, height } => {
                self.width = *width;
                self.height = *height;
            }
            Action::Tick(_) => self.replay_tick(session),
            _ => {}
        }
        true
    }

    fn replay_tick(&mut self, session: &mut Session) {
        let Some(replay) = self.replay.as_mut() else {
            return;
        };
        let mut more = true;
        for _ in 0..REPLAY_STEPS_PER_TICK {
            more = replay.step(session);
            if !more {
                break;
            }
        }
        let (done, total) = replay.progress();
        self.map.update(session.cluster());
        if more {
            self.say(
                format!("replay {}", bar(done, total, 10)),
                MessageKind::Info,
            );
            return;
        }
        self.replay = None;
        self.save_requested = true;
        let lesson = session.lesson();
        let step = session.current_step().unwrap_or(lesson.steps.len());
        let title = lesson
            .chapters
            .get(lesson.chapter_of_step(step))
            .map_or(String::new(), |c| c.title.clone());
        self.push_line(&format!("══ {title} ══"), LineKind::Info);
        self.info(&format!(
            "Starting at {title}: {total} steps of the chapters before it were replayed."
        ));
        self.say(format!("starting at {title}"), MessageKind::Success);
    }

    /// After steps completed: when step `now` opens a workshop's next chapter (the learner
    /// was on step `first`), marks the boundary in the terminal, says so, and offers the
    /// finished chapter's quiz. False when no chapter began.
    pub(super) fn chapter_begun(
        &mut self,
        session: &Session,
        now: Option<usize>,
        first: usize,
    ) -> bool {
        let lesson = session.lesson();
        let Some(i) = now.filter(|i| *i > first && lesson.is_workshop()) else {
            return false;
        };
        let index = lesson.chapter_of_step(i);
        let (Some(chapter), Some(step)) = (lesson.chapters.get(index), lesson.steps.get(i)) else {
            return false;
        };
        if chapter.steps.start != i {
            return false;
        }
        // The chapter just finished offers its quiz (F8) until the next is begun.
        let finished = index.checked_sub(1).and_then(|f| lesson.chapters.get(f));
        if finished.is_some_and(|c| !c.questions.is_empty()) {
            self.info(
                "This chapter's quiz is ready: F8 starts it (before the next chapter's first command).",
            );
        }
        let title = &chapter.title;
        self.push_line(&format!("══ {title} ══"), LineKind::Info);
        self.say(
            format!(
                "chapter done. Next: {title}, step {}: {}",
                step.number, step.title
            ),
            MessageKind::Success,
        );
        true
    }
}
