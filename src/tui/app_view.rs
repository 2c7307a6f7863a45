//! The read side of the app: [`App::view`] builds the `…View` values a frame draws, and the
//! lesson pane's scrolling, which needs the lesson laid out as the pane will draw it.
//!
//! Must not import tokio or touch the real clock or files.

use crate::content::Lesson;
use crate::session::{Session, StepStatus};
use crate::tui::app::{App, Pending};
use crate::tui::cluster_view::{ClusterView, MapOptions};
use crate::tui::theme::Theme;
use crate::tui::view::{
    Focus, Layout, LessonView, Overlay, ScreenView, Scroll, StatusView, StepMark, TerminalView,
    TopPane,
};
use crate::tui::widgets::{areas, lesson_pane, lesson_text};

impl App {
    /// The read models for one frame.
    pub fn view<'a>(&'a self, session: &'a Session) -> ScreenView<'a> {
        let cluster = session.cluster();
        let marks = marks(session);
        let step = match session.current_step() {
            Some(i) if session.lesson().is_workshop() => {
                crate::tui::widgets::chapters::status(session.lesson(), i)
            }
            Some(i) => format!("step {}/{}", i + 1, session.lesson().steps.len()),
            None => "lesson done".to_string(),
        };
        let clock = self.stream_now.unwrap_or(cluster.now()).rfc3339();
        let quiz = match (&self.quiz, self.shown_quiz(session)) {
            (Some(state), Some(quiz)) if self.quiz_open => Some(state.view(quiz)),
            _ => None,
        };
        let overlay = if self.help {
            Some(Overlay::Help(self.help_scroll))
        } else {
            self.confirm.map(|p| {
                Overlay::Confirm(match p {
                    Pending::ResetStep => "Reset the current step? Its changes are undone.".into(),
                    Pending::ResetLesson => "Reset the whole lesson? All progress is lost.".into(),
                    Pending::Chapter(c) => crate::tui::app_chapters::question(session, c),
                })
            })
        };
        let search = self.prompt.search().map(|s| {
            (
                s.query.as_str(),
                s.found
                    .and_then(|i| session.shell().history().get(i))
                    .map_or("", String::as_str),
            )
        });
        ScreenView {
            layout: self.layout(),
            focus: self.focus,
            lesson: LessonView {
                lesson: session.lesson(),
                marks,
                scroll: self.scroll,
                focused: self.focus == Focus::Lesson,
            },
            terminal: TerminalView {
                lines: &self.lines,
                // While a line streams the terminal shows its cursor, not the prompt.
                prompt: if self.streaming {
                    String::new()
                } else {
                    self.prompt_text(session)
                },
                input: if self.streaming {
                    ""
                } else {
                    self.prompt.input()
                },
                cursor: if self.streaming {
                    0
                } else {
                    self.prompt.cursor()
                },
                back: self.back,
                search,
                focused: self.focus == Focus::Terminal && !self.quiz_open,
                zoomed: self.zoomed,
            },
            cluster: self.map_view(session),
            status: StatusView {
                clock: clock.get(11..19).unwrap_or(&clock).to_string(),
                speed: self.speed,
                run: self.run,
                settled: cluster.is_settled(),
                step,
                message: self.message.clone(),
            },
            quiz,
            overlay,
        }
    }

    /// The map's read model. The map model is brought up to date after every action; when
    /// the cluster was changed some other way, a caught-up copy serves this frame.
    fn map_view(&self, session: &Session) -> ClusterView {
        let cluster = session.cluster();
        let opts = MapOptions {
            selected: self.selected,
            explain: self.explain,
            system_pods: self.system_pods,
            rows: usize::from(self.height),
        };
        let mut view = if self.map.is_current(cluster) {
            self.map.view(cluster, opts)
        } else {
            let mut map = self.map.clone();
            map.update(cluster);
            map.view(cluster, opts)
        };
        view.why_scroll = self.why_scroll;
        view
    }

    /// How far the map's explanation can scroll (its rows at the map's width), and the rows
    /// one PgDn moves it (what the map shows of it, less one row kept in view).
    pub(super) fn why_rows(&self, session: &Session) -> (usize, usize) {
        let map = areas(
            ratatui::layout::Rect::new(0, 0, self.width, self.height),
            self.layout(),
        )
        .map
        .unwrap_or_default();
        let width = usize::from(map.width.saturating_sub(2));
        let shown = crate::tui::widgets::cluster_map::why_room(map.height.saturating_sub(2));
        let rows = crate::tui::widgets::cluster_map::why_rows(&self.map_view(session), width).len();
        // As the map clamps it: the header takes one of the rows shown.
        let room = shown.saturating_sub(1).max(1);
        (rows.saturating_sub(room), room.saturating_sub(1).max(1))
    }

    /// Draws one frame with the given theme.
    pub fn render(&self, frame: &mut ratatui::Frame, session: &Session, theme: &Theme) {
        crate::tui::widgets::draw(frame, &self.view(session), theme);
    }

    /// The lesson pane's laid-out text and height, at the current size.
    fn lesson_geometry(
        &self,
        lesson: &Lesson,
        marks: &[StepMark],
    ) -> (lesson_text::LaidOut, usize) {
        let rect = ratatui::layout::Rect::new(0, 0, self.width, self.height);
        let pane = areas(
            rect,
            Layout::for_size(self.width, self.height, TopPane::Lesson),
        )
        .lesson
        .unwrap_or(rect);
        let laid = lesson_text::lay_out(
            lesson,
            marks,
            lesson_pane::text_width(pane.width),
            &crate::tui::theme::PLAIN,
        );
        (laid, usize::from(pane.height.saturating_sub(2)))
    }

    /// Rows one PgUp/PgDn moves the lesson: the pane's height less one row kept in view.
    pub(super) fn lesson_page_rows(&self, session: &Session) -> i32 {
        let (_, height) = self.lesson_geometry(session.lesson(), &marks(session));
        i32::try_from(height.saturating_sub(1).max(1)).unwrap_or(1)
    }

    pub(super) fn scroll_lesson(&mut self, lesson: &Lesson, marks: &[StepMark], delta: i32) {
        let (laid, height) = self.lesson_geometry(lesson, marks);
        let top = lesson_pane::first_row(&laid, marks, self.scroll, height);
        let max = laid.lines.len().saturating_sub(height.max(1));
        let row = (top as i64 + i64::from(delta)).clamp(0, max as i64) as usize;
        self.scroll = Scroll::At(row);
    }

    pub(super) fn jump_section(&mut self, session: &Session, d: i32) {
        let marks = marks(session);
        let (laid, height) = self.lesson_geometry(session.lesson(), &marks);
        let top = lesson_pane::first_row(&laid, &marks, self.scroll, height);
        let target = if d > 0 {
            laid.section_rows.iter().find(|r| **r > top).copied()
        } else {
            laid.section_rows.iter().rev().find(|r| **r < top).copied()
        };
        if let Some(row) = target {
            self.scroll = Scroll::At(row);
        }
    }
}

/// Each step's mark, from the session.
pub fn marks(session: &Session) -> Vec<StepMark> {
    (0..session.lesson().steps.len())
        .map(|i| match session.step_status(i) {
            StepStatus::Done => StepMark::Done,
            StepStatus::Current => StepMark::Current,
            StepStatus::Pending => StepMark::Pending,
        })
        .collect()
}
