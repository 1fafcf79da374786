//! The execution view: a header (name, status, outcome, start, live duration), the tab bar
//! and the selected tab (timeline, events, input/output); with the history denied, the line
//! naming the missing permission and the description alone.

use super::{State, Tab};
use super::{definition, events, io, timeline};
use crate::app::ctx::View;
use crate::app::widgets::text::thousands;
use crate::app::widgets::theme;
use crate::domain::time::{format_duration, format_rfc3339};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

pub fn render(view: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let [head, tabs, body] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    render_head(view, cx, frame, head);
    render_tabs(view, frame, tabs);
    match view.tab {
        Tab::Timeline => timeline::render(view, cx, frame, body),
        Tab::Definition => definition::render(view, cx, frame, body),
        Tab::Events => events::render(view, cx, frame, body),
        Tab::Io => io::render(view, frame, body),
    }
}

fn render_head(view: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let status = view.status();
    let mut first = vec![
        Span::styled(" ", Style::default()),
        Span::styled(
            view.summary.name.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw("  "),
        Span::styled(
            format!(
                "{} {}",
                theme::status_symbol(status, cx.now),
                status.as_str()
            ),
            theme::status_style(status),
        ),
    ];
    if let Some(outcome) = view.outcome() {
        first.push(Span::raw("  "));
        first.push(Span::styled(
            outcome.label(),
            theme::outcome_style(&outcome),
        ));
    }
    let duration = format_duration(view.duration(cx.now));
    let live = if view.is_running() { " (running)" } else { "" };
    let mut second = vec![
        Span::styled(" started ", theme::dim()),
        Span::raw(format_rfc3339(view.start())),
        Span::styled("  duration ", theme::dim()),
        Span::styled(
            format!("{duration}{live}"),
            if view.is_running() {
                Style::default().fg(theme::RUNNING)
            } else {
                Style::default()
            },
        ),
    ];
    // A redriven run: how often, and how long it actually ran (the duration above counts the
    // time it waited for each redrive).
    let redrives = view.redrive_count();
    if redrives > 0 {
        second.push(Span::styled(
            format!("  redriven {redrives}×"),
            Style::default().fg(theme::ACCENT),
        ));
        let ran = view.chart_length(cx.now);
        if ran < view.duration(cx.now) {
            second.push(Span::styled(
                format!(" · ran {}", format_duration(ran)),
                theme::dim(),
            ));
        }
    }
    second.push(Span::styled("  events ", theme::dim()));
    second.push(Span::raw(thousands(view.events.len())));
    if let Some(label) = &view.summary.input_label {
        second.push(Span::styled("  input ", theme::dim()));
        second.push(Span::raw(label.clone()));
    }
    if let Some(error) = &view.error {
        second.push(Span::styled(format!("  ⚠ {error}"), theme::error()));
    }
    // On every tab: the events counted above are not all there are.
    if view.history_gap.is_some() {
        second.push(Span::styled("  ⚠ history incomplete", theme::error()));
    }
    let [a, b] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(Line::from(first), a);
    frame.render_widget(Line::from(second), b);
}

fn render_tabs(view: &State, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", theme::dim()));
        }
        let style = if *tab == view.tab {
            theme::title().add_modifier(Modifier::REVERSED)
        } else {
            theme::dim()
        };
        spans.push(Span::styled(format!(" {} ", tab.title()), style));
    }
    frame.render_widget(Line::from(spans), area);
}
