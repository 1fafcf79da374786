//! The Timeline tab: the Gantt chart of the spans (zoom, pan, follow) beside, when opened, the
//! details pane of the selected state (`details.rs`).

use super::{State, io};
use crate::app::ctx::Ctx;
use crate::app::ctx::View;
use crate::app::effect::Effect;
use crate::app::list::moved;
use crate::app::list::scroll_to;
use crate::app::notice::NoticeLevel;
use crate::app::widgets::gantt::{self, Gantt};
use crate::app::widgets::text::missing_permission;
use crate::app::widgets::theme;
use crate::domain::text::escape_control;
use crate::domain::time::{format_duration, format_rfc3339};
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(view: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let [status_line, main] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    if let Some(action) = view.history.denied.as_deref()
        && view.timeline.rows.is_empty()
    {
        // No time window to speak of: the whole tab is the description.
        let lines = description_only(view, cx, action);
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    frame.render_widget(window_line(view, cx), status_line);
    if view.timeline.rows.is_empty() {
        let text = if view.history_loaded {
            "no states entered yet"
        } else {
            "loading history…"
        };
        frame.render_widget(
            Line::from(Span::styled(format!("  {text}"), theme::dim())),
            main,
        );
        return;
    }
    let details = view.timeline.details && main.height >= 6;
    let (chart, pane) = if !details {
        (main, None)
    } else if main.width >= 110 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .areas(main);
        (a, Some(b))
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(main);
        (a, Some(b))
    };
    render_chart(view, cx, frame, chart);
    if let Some(pane) = pane {
        super::details::render_details(view, cx, frame, pane);
    }
}

fn window_line(view: &State, cx: &View) -> Line<'static> {
    let (from, to) = view.window(cx.now);
    let mut spans = vec![
        Span::styled(" window ", theme::dim()),
        Span::raw(format!(
            "+{} … +{}",
            format_duration(from),
            format_duration(to)
        )),
    ];
    let mode = if view.timeline.window.is_none() {
        "fit"
    } else {
        "zoomed"
    };
    spans.push(Span::styled(format!("  {mode}"), theme::dim()));
    if view.timeline.follow && view.is_running() {
        let age = view.history_ok_at.map(|t| cx.now.saturating_sub(t));
        match age {
            Some(age) if age > 2 * super::HISTORY_POLL_MS => spans.push(Span::styled(
                format!("  ◌ STALE · events {} old", format_duration(age)),
                theme::error().add_modifier(Modifier::BOLD),
            )),
            // Events are missing: nothing is being followed.
            _ if view.history_gap.is_some() => {}
            _ => spans.push(Span::styled(
                "  ▶ FOLLOW",
                Style::default()
                    .fg(theme::RUNNING)
                    .add_modifier(Modifier::BOLD),
            )),
        }
    }
    spans.push(Span::styled(
        format!("  {} spans", view.timeline().spans.len()),
        theme::dim(),
    ));
    // Last, so that a narrow terminal cuts the reason rather than the marker.
    if let Some(gap) = &view.history_gap {
        spans.push(Span::styled(
            format!(
                "  ⚠ history incomplete, states not final · {} · {gap}",
                gap_next(view, cx)
            ),
            theme::error().add_modifier(Modifier::BOLD),
        ));
    }
    Line::from(spans)
}

/// What happens next about a history gap: when the read is tried again, or that the refresh
/// key asks again for a refused one. Bars of states whose end was missed are not final.
fn gap_next(view: &State, cx: &View) -> String {
    if view.history.denied.is_some() {
        return format!("{} asks again", cx.retry_hint());
    }
    if view.history.busy() {
        return "reading…".to_string();
    }
    match super::update::history_due_at(view, cx.now) {
        Some(due) if due > cx.now => format!("retrying in {}", format_duration(due - cx.now)),
        _ => "retrying".to_string(),
    }
}

fn render_chart(view: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let rows_height = area
        .height
        .saturating_sub(gantt::header_rows(view.timeline())) as usize;
    let offset = scroll_to(view.timeline.offset, view.timeline.selected, rows_height);
    let gantt = Gantt {
        timeline: view.timeline(),
        rows: &view.timeline.rows,
        now: cx.now,
        window: view.window(cx.now),
        selected: Some(view.timeline.selected),
        offset,
        name_width: (area.width / 3).clamp(12, 36),
    };
    frame.render_widget(gantt, area);
}

/// What is known without the history: the permission line, then what DescribeExecution
/// returned (status, start and stop, input, output, error and cause).
pub fn description_only(view: &State, cx: &View, action: &str) -> Vec<Line<'static>> {
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {name:<9}"), theme::dim()),
            Span::raw(value),
        ])
    };
    let status = view.status();
    let refreshed = if view.is_running() {
        ", refreshed while it runs"
    } else {
        ""
    };
    let mut lines = vec![
        missing_permission(action, "timeline"),
        Line::from(Span::styled(
            format!(
                "   showing what DescribeExecution returns{refreshed}; {} asks for the history again",
                cx.retry_hint()
            ),
            theme::dim(),
        )),
        Line::from(""),
        Line::from(vec![
            Span::styled(format!(" {:<9}", "status"), theme::dim()),
            Span::styled(status.as_str(), theme::status_style(status)),
        ]),
        field("started", format_rfc3339(view.start())),
        field(
            "stopped",
            view.end()
                .map_or_else(|| "(running)".to_string(), format_rfc3339),
        ),
        field("duration", format_duration(view.duration(cx.now))),
        Line::from(""),
    ];
    lines.extend(io::sections(view, false));
    lines
}

/// The Timeline tab's keys: moving the selection, the details pane (fetching the state's
/// payloads when it needs them), zoom, pan, fit and follow.
pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let page = cx.page_rows();
    let now = cx.now;
    if let Some(target) = moved(action, s.timeline.selected, page) {
        s.move_timeline(target, page);
        return Vec::new();
    }
    match action {
        Action::ToggleDetails | Action::Open => {
            s.timeline.details = !s.timeline.details;
            s.timeline.details_scroll = 0;
            if !s.timeline.details {
                return Vec::new();
            }
            // The pane shows the state's own definition too.
            let mut effects = super::definition::request(s, cx);
            if s.selected_span()
                .is_some_and(|span| s.needs_payloads_for(span))
            {
                effects.extend(super::update::request_payloads(s, cx));
            }
            return effects;
        }
        Action::ScrollDetailsDown if s.timeline.details => {
            s.timeline.details_scroll = s.timeline.details_scroll.saturating_add(page as u16 / 2);
        }
        Action::ScrollDetailsUp if s.timeline.details => {
            s.timeline.details_scroll = s.timeline.details_scroll.saturating_sub(page as u16 / 2);
        }
        Action::CopyLogGroup => return copy_log_group(s, cx),
        Action::ZoomIn => s.zoom(true, now),
        Action::ZoomOut => s.zoom(false, now),
        Action::PanLeft => s.pan(false, now),
        Action::PanRight => s.pan(true, now),
        Action::Fit => s.fit(),
        Action::Follow => toggle_follow(s, cx),
        _ => {}
    }
    Vec::new()
}

/// Copies the log group of the selected state's Lambda function.
fn copy_log_group(s: &State, cx: &mut Ctx) -> Vec<Effect> {
    match s.selected_span().and_then(|span| s.span_resource(span)) {
        Some(resource) => match resource.log_group() {
            Some(group) => {
                cx.notify(
                    NoticeLevel::Info,
                    format!("copied {}", escape_control(&group)),
                );
                vec![Effect::CopyToClipboard(group)]
            }
            None => {
                cx.notify(
                    NoticeLevel::Info,
                    "this state did not call a Lambda function",
                );
                Vec::new()
            }
        },
        None => {
            cx.notify(
                NoticeLevel::Info,
                "select a task state to copy its log group",
            );
            Vec::new()
        }
    }
}

fn toggle_follow(s: &mut State, cx: &mut Ctx) {
    if s.timeline.follow {
        s.timeline.follow = false;
    } else if s.is_running() {
        s.timeline.follow = true;
    } else {
        cx.notify(NoticeLevel::Info, "follow applies to running executions");
    }
}
