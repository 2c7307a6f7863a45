//! Widgets, each drawing one `…View` read model, and [`draw`], which lays them out: lesson on
//! the left with the terminal above the cluster map on the right when there is room, otherwise
//! one tabbed pane above the terminal; a notice instead when the terminal is too small.
//!
//! Must not import crossterm, tokio or the session: widgets read views and draw, nothing else.

pub mod chapters;
pub mod cluster_map;
pub mod highlight;
pub mod lesson_pane;
pub mod lesson_text;
pub mod overlay;
pub mod page;
pub mod quiz;
pub mod status_bar;
pub mod terminal_pane;
pub mod wrap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout as Split, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::theme::Theme;
use crate::tui::view::{Focus, Layout, MIN_HEIGHT, MIN_WIDTH, ScreenView, TopPane};

/// Where each pane goes on a screen of a given size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Option<Rect>,
    pub lesson: Option<Rect>,
    pub terminal: Option<Rect>,
    pub map: Option<Rect>,
    pub status: Rect,
    /// Everything above the status bar (the quiz screen uses it whole).
    pub main: Rect,
}

/// The panes' rectangles for `layout` within `area`.
pub fn areas(area: Rect, layout: Layout) -> Areas {
    let [main, status] = Split::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut a = Areas {
        status,
        main,
        ..Areas::default()
    };
    match layout {
        Layout::TooSmall => {}
        Layout::Zoomed => a.terminal = Some(main),
        Layout::Wide => {
            let [lesson, right] =
                Split::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                    .areas(main);
            let [terminal, map] =
                Split::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(right);
            a.lesson = Some(lesson);
            a.terminal = Some(terminal);
            a.map = Some(map);
        }
        Layout::Narrow(top) => {
            let [tabs, upper, terminal] = Split::vertical([
                Constraint::Length(1),
                Constraint::Percentage(55),
                Constraint::Min(3),
            ])
            .areas(main);
            a.tabs = Some(tabs);
            match top {
                TopPane::Lesson => a.lesson = Some(upper),
                TopPane::Map => a.map = Some(upper),
            }
            a.terminal = Some(terminal);
        }
    }
    a
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, v: &ScreenView<'_>, t: &Theme) {
    let area = frame.area();
    if v.layout == Layout::TooSmall {
        let text = format!(
            "Terminal too small: {}x{}. kubetutor needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Ctrl-Q quits.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(Line::styled(text, t.warning)).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let a = areas(area, v.layout);
    if let Some(quiz) = &v.quiz {
        frame.render_widget(
            quiz::QuizScreen {
                view: quiz,
                theme: t,
            },
            a.main,
        );
    } else {
        if let (Some(r), Layout::Narrow(top)) = (a.tabs, v.layout) {
            frame.render_widget(tabs(top, t), r);
        }
        if let Some(r) = a.lesson {
            frame.render_widget(
                lesson_pane::LessonPane {
                    view: &v.lesson,
                    theme: t,
                },
                r,
            );
        }
        if let Some(r) = a.terminal {
            frame.render_widget(
                terminal_pane::TerminalPane {
                    view: &v.terminal,
                    theme: t,
                },
                r,
            );
        }
        if let Some(r) = a.map {
            frame.render_widget(
                cluster_map::ClusterMap {
                    view: &v.cluster,
                    focused: v.focus == Focus::Map,
                    theme: t,
                },
                r,
            );
        }
    }
    frame.render_widget(
        status_bar::StatusBar {
            view: &v.status,
            theme: t,
        },
        a.status,
    );
    if let Some(o) = &v.overlay {
        frame.render_widget(
            overlay::OverlayBox {
                overlay: o,
                theme: t,
            },
            area,
        );
    }
}

fn tabs(top: TopPane, t: &Theme) -> Line<'static> {
    let tab = |name: &str, on: bool| {
        if on {
            Span::styled(format!("[{name}]"), t.selected)
        } else {
            Span::styled(format!(" {name} "), t.dim)
        }
    };
    Line::from(vec![
        tab("Lesson", top == TopPane::Lesson),
        Span::raw(" "),
        tab("Cluster", top == TopPane::Map),
        Span::styled("  F4 switches", t.dim),
    ])
}
