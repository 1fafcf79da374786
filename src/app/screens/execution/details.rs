//! The Timeline tab's details pane of the selected state, as deep as the AWS console's step
//! details: type, status, times, the resource it called (region, and for Lambda the function
//! and its log group), configured timeout and heartbeat, each attempt with queue and run time
//! and its error, the state's input and output, the resolved parameters, the raw result, the
//! variables it assigned and its own definition. The pane scrolls on its own.

use super::State;
use crate::app::ctx::View;
use crate::app::widgets::json::json_lines;
use crate::app::widgets::theme;
use crate::domain::Millis;
use crate::domain::resource::TaskResource;
use crate::domain::text::escape_control;
use crate::domain::time::{format_clock, format_duration};
use crate::domain::timeline::{AttemptStatus, RowKind, Span as StateSpan, SpanStatus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render_details(view: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(" state details ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = match view
        .timeline
        .rows
        .get(view.timeline.selected)
        .map(|r| &r.kind)
    {
        Some(RowKind::Span(id)) => match view.timeline().spans.get(*id) {
            Some(span) => span_details(view, cx, span),
            None => Vec::new(),
        },
        Some(RowKind::Lane { segment, .. }) => vec![Line::from(vec![
            Span::styled("lane ", theme::dim()),
            Span::raw(segment.label()),
        ])],
        None => Vec::new(),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((view.timeline.details_scroll, 0)),
        inner,
    );
}

fn field(name: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<9}"), theme::dim()),
        Span::raw(value.into()),
    ])
}

fn relative(view: &State, at: Millis) -> String {
    format!(
        "{} (+{})",
        format_clock(at),
        format_duration(at - view.start())
    )
}

/// The span's duration, and how much of it its attempts spent queued (scheduled, not started).
fn duration_text(span: &StateSpan, now: Millis) -> String {
    let queued: Millis = span.attempts.iter().filter_map(|a| a.queue_time()).sum();
    let duration = format_duration(span.duration(now));
    if queued > 0 {
        format!("{duration} (queued {})", format_duration(queued))
    } else {
        duration
    }
}

fn span_details(view: &State, cx: &View, span: &StateSpan) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                escape_control(&span.name).into_owned(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw("  "),
            Span::styled(
                span.status.as_str(),
                Style::default().fg(theme::span_status_color(span.status)),
            ),
        ]),
        field(
            "type",
            match &span.resource_type {
                Some(r) => format!("{} ({r})", span.state_type.as_str()),
                None => span.state_type.as_str().to_string(),
            },
        ),
        field("start", relative(view, span.start)),
        field(
            "end",
            span.end
                .map_or_else(|| "running".to_string(), |e| relative(view, e)),
        ),
        field("duration", duration_text(span, cx.now)),
    ];
    if !span.path.is_empty() {
        let path: Vec<String> = span.path.iter().map(|p| p.label()).collect();
        lines.push(field("path", path.join(" › ")));
    }
    lines.extend(task_lines(view, span));
    if span.attempts.len() > 1 || span.attempts.iter().any(|a| a.error.is_some()) {
        lines.push(Line::from(Span::styled("attempts", theme::dim())));
        let mut previous_end: Option<Millis> = None;
        for (i, attempt) in span.attempts.iter().enumerate() {
            if let Some(end) = previous_end {
                lines.push(Line::from(Span::styled(
                    format!("   ⋯ backoff {}", format_duration(attempt.scheduled - end)),
                    theme::dim(),
                )));
            }
            let status = match attempt.status {
                AttemptStatus::Running => ("running", theme::RUNNING),
                AttemptStatus::Succeeded => ("succeeded", theme::SUCCEEDED),
                AttemptStatus::Failed => ("failed", theme::FAILED),
                AttemptStatus::TimedOut => ("timed out", theme::FAILED),
            };
            let took = format_duration(attempt.end.unwrap_or(cx.now) - attempt.scheduled);
            let mut parts = vec![
                Span::raw(format!(" #{} ", i + 1)),
                Span::styled(status.0, Style::default().fg(status.1)),
                Span::raw(format!(" {took}")),
            ];
            // Waiting for a worker or a throttled Lambda is not run time: said apart.
            if let (Some(queued), Some(ran)) = (attempt.queue_time(), attempt.run_time(cx.now))
                && queued > 0
            {
                parts.push(Span::styled(
                    format!(
                        " (queued {}, ran {})",
                        format_duration(queued),
                        format_duration(ran)
                    ),
                    theme::dim(),
                ));
            }
            if let Some(error) = &attempt.error {
                parts.push(Span::styled(
                    format!("  {}", escape_control(error)),
                    theme::error(),
                ));
            }
            lines.push(Line::from(parts));
            previous_end = attempt.end;
        }
    }
    // A retried-then-successful state keeps its last error: the attempts already show it.
    let ended_badly = span.status != SpanStatus::Succeeded;
    // A state still running shows its last attempt's error: a retry may yet succeed.
    let label = if span.status == SpanStatus::Running {
        "last err"
    } else {
        "error"
    };
    if let Some(error) = span.error.as_ref().filter(|_| ended_badly) {
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<9}"), theme::dim()),
            Span::styled(escape_control(error).into_owned(), theme::error()),
        ]));
    }
    if let Some(cause) = span.cause.as_ref().filter(|_| ended_badly) {
        lines.push(field("cause", escape_control(cause).into_owned()));
    }
    let pending = view.payload.busy();
    let missing = if pending { "loading…" } else { "(none)" };
    lines.push(Line::from(Span::styled("input", theme::title())));
    match view.span_input(span).filter(|text| !text.trim().is_empty()) {
        Some(text) => lines.extend(json_lines(text)),
        None => lines.push(Line::from(Span::styled(missing, theme::dim()))),
    }
    lines.push(Line::from(Span::styled("output", theme::title())));
    match view.span_output(span) {
        Some(text) => lines.extend(json_lines(text)),
        None if span.end.is_none() => {
            lines.push(Line::from(Span::styled("(running)", theme::dim())))
        }
        None => lines.push(Line::from(Span::styled(missing, theme::dim()))),
    }
    let last_attempt = span.attempts.last();
    if let Some(parameters) = last_attempt
        .and_then(|a| a.scheduled_event_id)
        .and_then(|id| view.event_parameters(id))
    {
        lines.push(Line::from(Span::styled(
            "parameters (resolved, last attempt)",
            theme::title(),
        )));
        lines.extend(json_lines(parameters));
    }
    if let Some(result) = last_attempt
        .filter(|a| a.status == AttemptStatus::Succeeded)
        .and_then(|a| a.ended_event_id)
        .and_then(|id| view.event_output(id))
    {
        lines.push(Line::from(Span::styled(
            "result (raw, before ResultSelector/ResultPath)",
            theme::title(),
        )));
        lines.extend(json_lines(result));
    }
    if let Some(variables) = span.exited_event_id.and_then(|id| view.event_variables(id))
        && !variables.is_empty()
    {
        lines.push(Line::from(Span::styled(
            "variables assigned",
            theme::title(),
        )));
        for (name, value) in variables {
            lines.push(Line::from(vec![
                Span::styled(format!("  ${}", escape_control(name)), theme::dim()),
                Span::raw(" = "),
                Span::raw(escape_control(value).into_owned()),
            ]));
        }
    }
    lines.extend(definition_lines(view, span));
    lines
}

/// The resource a task called, its region and configured timeouts, from the event that
/// scheduled its first attempt (each attempt is scheduled alike).
fn task_lines(view: &State, span: &StateSpan) -> Vec<Line<'static>> {
    let Some(scheduled) = view.first_scheduled(span) else {
        return Vec::new();
    };
    let d = &scheduled.details;
    let mut lines = Vec::new();
    if let Some(resource) = &view.span_resource(span) {
        lines.extend(resource_lines(resource));
    }
    let limits: Vec<String> = [
        d.timeout_in_seconds.map(|s| format!("timeout {s} s")),
        d.heartbeat_in_seconds.map(|s| format!("heartbeat {s} s")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !limits.is_empty() {
        lines.push(field("limits", limits.join(" · ")));
    }
    lines
}

fn resource_lines(resource: &TaskResource) -> Vec<Line<'static>> {
    let mut resource_text = escape_control(&resource.label).into_owned();
    if let Some(region) = &resource.region {
        resource_text.push_str(&format!(" · {}", escape_control(region)));
    }
    let mut lines = vec![field("resource", resource_text)];
    if let (Some(function), Some(group)) = (&resource.lambda_function, resource.log_group()) {
        lines.push(field("function", escape_control(function).into_owned()));
        lines.push(Line::from(vec![
            Span::styled(format!("{:<9}", "logs"), theme::dim()),
            Span::raw(escape_control(&group).into_owned()),
            Span::styled("  c copies", theme::dim()),
        ]));
    }
    lines
}

/// The state's own definition, from the definition the execution ran (asked for when the
/// pane opens).
fn definition_lines(view: &State, span: &StateSpan) -> Vec<Line<'static>> {
    let Some(snippet) = view.definition.snippet(&span.name) else {
        return Vec::new();
    };
    let mut lines = vec![Line::from(Span::styled("definition", theme::title()))];
    lines.extend(json_lines(snippet));
    lines
}
