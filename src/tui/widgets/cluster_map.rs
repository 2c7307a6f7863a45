//! The cluster map: one box per node (name, role, IP, taints in full, wrapped between words)
//! holding its pods as chips with a state letter (a cut name keeps its unique suffix),
//! DaemonSet pods tagged `ds`, new and vanished pods tagged; a
//! node's "why" explanation; the last cluster events. When the boxes cannot fit, one summary
//! row per node instead.
//!
//! Must not import crossterm, tokio or the session.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Widget};

use super::lesson_text::clip;
use super::wrap::{clip_name, wrap_words};
use crate::tui::cluster_view::{
    Change, ClusterView, MAX_BOXES, NodeView, PodChip, PodState, SystemPods,
};
use crate::tui::theme::Theme;

/// Narrowest node box worth drawing.
const MIN_BOX_WIDTH: u16 = 24;
/// What the state letters mean, shown on the map's bottom border.
const LEGEND: &str = " R run C create P pend T term F fail x gone ! taint ";

pub struct ClusterMap<'a> {
    pub view: &'a ClusterView,
    pub focused: bool,
    pub theme: &'a Theme,
}

fn state_style(s: PodState, t: &Theme) -> Style {
    match s {
        PodState::Pending => t.pod_pending,
        PodState::Creating => t.pod_creating,
        PodState::Running => t.pod_running,
        PodState::Terminating => t.pod_terminating,
        PodState::Failed => t.pod_failed,
        PodState::Gone => t.dim,
    }
}

fn chip(p: &PodChip, width: usize, t: &Theme) -> Line<'static> {
    let mut tags = String::new();
    if p.daemon {
        tags.push_str(" ds");
    }
    match p.change {
        Some(Change::New) => tags.push_str(" new"),
        Some(Change::Gone) => tags.push_str(" gone"),
        None => {}
    }
    let room = width.saturating_sub(2 + tags.chars().count());
    let mut style = state_style(p.state, t);
    if p.system {
        style = style.patch(t.dim);
    }
    if p.change.is_some() {
        style = style.patch(t.highlight);
    }
    Line::from(vec![
        Span::styled(format!("{} ", p.state.mark()), style),
        Span::styled(clip_name(&p.name, room), style),
        Span::styled(
            tags,
            t.dim.patch(if p.change.is_some() {
                t.highlight
            } else {
                t.dim
            }),
        ),
    ])
}

/// The rows inside one node's box.
fn node_rows(n: &NodeView, width: usize, system: SystemPods, t: &Theme) -> Vec<Line<'static>> {
    let mut rows = Vec::new();
    for taint in &n.taints {
        for piece in wrap_words(&format!("! {taint}"), width, "  ") {
            rows.push(Line::styled(piece, t.warning));
        }
    }
    let mut listed = 0;
    for p in &n.pods {
        if !p.system || system == SystemPods::Listed {
            rows.push(chip(p, width, t));
            listed += 1;
        }
    }
    let hidden = n.system_pods();
    if system == SystemPods::Counted && hidden > 0 {
        rows.push(Line::styled(
            clip(&format!("+{hidden} system pods"), width),
            t.dim,
        ));
    } else if listed == 0 {
        rows.push(Line::styled("(no pods)", t.dim));
    }
    rows
}

/// Role, readiness and address, for the bottom edge of the node's box.
fn node_state(n: &NodeView, width: usize) -> String {
    let mut state = n.role.to_string();
    if state.len() + n.ip.len() + 4 > width {
        // Narrow boxes: the role in short, as `kubectl get nodes` users say it.
        state = if n.role == "worker" { "wk" } else { "cp" }.to_string();
    }
    if !n.ready {
        state.push_str(" NotReady");
    }
    if n.unschedulable {
        state.push_str(" cordoned");
    }
    format!(" {state} {} ", n.ip)
}

/// One row per node, for clusters too big for boxes.
fn summary_row(n: &NodeView, selected: bool, width: usize, t: &Theme) -> Line<'static> {
    let counts: String = [
        PodState::Running,
        PodState::Creating,
        PodState::Pending,
        PodState::Terminating,
        PodState::Failed,
    ]
    .iter()
    .map(|s| format!("{}{:<3}", s.mark(), n.count(*s)))
    .collect();
    let taints = if n.taints.is_empty() {
        String::new()
    } else {
        format!(" taints {}", n.taints.join(","))
    };
    let mark = if selected { "▶" } else { " " };
    let text = format!("{mark}{:<20} {counts}{taints}", n.name);
    Line::styled(
        clip(&text, width),
        if selected { t.selected } else { t.text },
    )
}

/// Rows the explanation may take in a map of `inner_height` rows: two thirds.
pub fn why_room(inner_height: u16) -> usize {
    usize::from(inner_height * 2 / 3).max(2)
}

/// The explanation's rows at `width` (inside the map's border), wrapped between words.
pub fn why_rows(v: &ClusterView, width: usize) -> Vec<String> {
    let Some((_, lines)) = &v.why else {
        return Vec::new();
    };
    if lines.is_empty() {
        return vec!["  no DaemonSets in the cluster".to_string()];
    }
    let mut rows = Vec::new();
    for w in lines {
        let mark = if w.runs { "+" } else { "-" };
        let text = format!("{mark} {}: {}", w.daemonset, w.reason);
        for r in wrap_words(&text, width.saturating_sub(2), "  ") {
            rows.push(format!("  {r}"));
        }
    }
    rows
}

fn write_rows(rows: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    for (i, line) in rows.iter().take(usize::from(area.height)).enumerate() {
        buf.set_line(area.x, area.y + i as u16, line, area.width);
    }
}

impl Widget for ClusterMap<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let v = self.view;
        let system = match v.system_pods {
            SystemPods::Counted => "",
            SystemPods::Listed => ", system pods shown",
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.focused {
                t.border_focused
            } else {
                t.border
            })
            .title(Span::styled(
                format!(" Cluster: {} nodes{system} ", v.node_count),
                t.title,
            ))
            .title_bottom(Line::styled(LEGEND, t.dim).right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let width = usize::from(inner.width);
        // The bottom: the "why" explanation, then the recent events.
        let mut bottom: Vec<Line<'static>> = Vec::new();
        // The explanation may take two thirds of the map; events give way first. A longer
        // explanation scrolls (PgUp/PgDn on the map), its border rows saying so.
        let max_bottom = if v.why.is_some() {
            why_room(inner.height)
        } else {
            usize::from(inner.height / 2).max(1)
        };
        if let Some((node, _)) = &v.why {
            let rows = why_rows(v, width);
            let room = max_bottom - 1;
            let scroll = v.why_scroll.min(rows.len().saturating_sub(room));
            let above = if scroll > 0 { " (↑ PgUp)" } else { "" };
            bottom.push(Line::styled(
                clip(&format!("Why on {node}:{above}"), width),
                t.title,
            ));
            let more = rows.len() > scroll + room;
            let shown = if more { room - 1 } else { room };
            for r in rows.iter().skip(scroll).take(shown) {
                bottom.push(Line::styled(r.clone(), t.text));
            }
            if more {
                bottom.push(Line::styled(
                    clip("  … more: PgDn scrolls the explanation", width),
                    t.dim,
                ));
            }
        }
        // The Services, one line each (two at most), then `+N more`.
        let (svc_lines, svc_total) = &v.services;
        let svc_room = if inner.height >= 20 { 2 } else { 1 };
        let mut services: Vec<Line<'static>> = svc_lines
            .iter()
            .take(svc_room)
            .map(|s| Line::styled(clip(s, width), t.text))
            .collect();
        if *svc_total > services.len() && services.len() >= 2 {
            let more = svc_total - services.len() + 1;
            services.pop();
            services.push(Line::styled(
                clip(
                    &format!("+{more} more services (kubectl get svc -A)"),
                    width,
                ),
                t.dim,
            ));
        }
        let room_for_services = max_bottom.saturating_sub(bottom.len() + 1);
        bottom.extend(services.into_iter().take(room_for_services));
        let event_rows = if inner.height >= 20 { 3 } else { 1 };
        let events: Vec<Line<'static>> = v
            .events
            .iter()
            .rev()
            .take(event_rows)
            .rev()
            .map(|e| Line::styled(clip(e, width), t.dim))
            .collect();
        let room_for_events = max_bottom.saturating_sub(bottom.len());
        let skip = events.len().saturating_sub(room_for_events);
        bottom.extend(events.into_iter().skip(skip));
        bottom.truncate(max_bottom);
        let bottom_h = bottom.len() as u16;
        let nodes_area = Rect {
            height: inner.height.saturating_sub(bottom_h),
            ..inner
        };
        write_rows(
            &bottom,
            Rect {
                y: inner.y + nodes_area.height,
                height: bottom_h,
                ..inner
            },
            buf,
        );
        self.render_nodes(nodes_area, buf);
    }
}

impl ClusterMap<'_> {
    fn render_nodes(&self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let v = self.view;
        let count = v.node_count;
        let n = count.min(usize::from(u16::MAX)) as u16;
        if n == 0 || area.height == 0 {
            return;
        }
        let cols = (area.width / MIN_BOX_WIDTH).clamp(1, n.min(4));
        let grid_rows = n.div_ceil(cols);
        let box_h = area.height / grid_rows;
        if box_h < 4 || count > MAX_BOXES {
            // One row per node from `start`; the view holds the nodes around the selected one.
            let room = usize::from(area.height);
            let start = v.selected.unwrap_or(0).saturating_sub(room - 1);
            let end = (start + room).min(count);
            let mut shown: Vec<Line> = (start..end)
                .filter_map(|i| {
                    v.node(i).map(|node| {
                        summary_row(node, v.selected == Some(i), usize::from(area.width), t)
                    })
                })
                .collect();
            if count - start > room {
                let more = count - start - room + 1;
                shown.truncate(room - 1);
                shown.push(Line::styled(format!(" … {more} more nodes"), t.dim));
            }
            write_rows(&shown, area, buf);
            return;
        }
        let box_w = area.width / cols;
        for (i, node) in (v.first..).zip(&v.nodes) {
            let (col, row) = (i as u16 % cols, i as u16 / cols);
            let cell = Rect {
                x: area.x + col * box_w,
                y: area.y + row * box_h,
                width: box_w,
                height: box_h,
            };
            let selected = v.selected == Some(i);
            // The selected node: a double border and an arrow, visible without colour too.
            let room = usize::from(cell.width.saturating_sub(4));
            let title = if selected {
                format!("▶{} ", clip(&node.name, room.saturating_sub(1)))
            } else {
                format!(" {} ", clip(&node.name, room))
            };
            let block = Block::default()
                .borders(Borders::ALL)
                .border_type(if selected {
                    BorderType::Double
                } else {
                    BorderType::Plain
                })
                .border_style(if selected { t.border_focused } else { t.border })
                .title(Span::styled(
                    title,
                    if selected { t.selected } else { t.title },
                ))
                .title_bottom(
                    Line::styled(node_state(node, usize::from(cell.width)), t.dim).right_aligned(),
                );
            let inner = block.inner(cell);
            block.render(cell, buf);
            let mut rows = node_rows(node, usize::from(inner.width), v.system_pods, t);
            let room = usize::from(inner.height);
            if rows.len() > room && room > 0 {
                let more = rows.len() - room + 1;
                rows.truncate(room - 1);
                rows.push(Line::styled(format!("… {more} more"), t.dim));
            }
            write_rows(&rows, inner, buf);
        }
    }
}
