//! The dashboard view: a title with the window, totals and what the figures cover; the
//! outcome bars and throughput; the top reasons; the per-state table with in-line bars (or a
//! state's slowest runs); the end-to-end histogram and the collection and bucket at a glance.
//! Narrow or short terminals keep the title, bars, reasons and states, in that order.

use super::{Focus, State};
use crate::app::ctx::View;
use crate::app::widgets::stats_charts::{block, histogram, outcome_chart, rates};
use crate::app::widgets::text::truncate;
use crate::app::widgets::theme;
use crate::domain::execution::ExecutionStatus;
use crate::domain::stats::{OutcomeKind, ReasonKind, thousands};
use crate::domain::text::escape_control;
use crate::domain::time::{format_date_time, format_duration};
use crate::keymap::action::Action;
use crate::keymap::{Context, format_keys};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Elsewhere;

pub fn render(s: &State, elsewhere_now: &Elsewhere, cx: &View, frame: &mut Frame, area: Rect) {
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(title_line(s, cx, title.width as usize), title);
    if body.height < 4 {
        return;
    }
    let wide = body.width >= 100;
    let tall = body.height >= 26;
    let chart_height = if tall {
        body.height * 2 / 5
    } else {
        (body.height / 3).max(4)
    };
    let bottom_height = if tall { 8 } else { 0 };
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(chart_height),
        Constraint::Min(3),
        Constraint::Length(bottom_height),
    ])
    .areas(body);
    if wide {
        let [chart, side] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(36)]).areas(top);
        outcome_chart(&s.figures, frame, chart);
        rates(&s.figures, frame, side);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                .areas(middle);
        reasons(s, frame, left);
        states(s, frame, right);
    } else {
        outcome_chart(&s.figures, frame, top);
        let reasons_height = (middle.height / 2).max(3);
        let [left, right] =
            Layout::vertical([Constraint::Length(reasons_height), Constraint::Min(2)])
                .areas(middle);
        reasons(s, frame, left);
        states(s, frame, right);
    }
    if bottom.height > 0 {
        let side = if wide { 44 } else { 0 };
        let [chart, glance] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(side)]).areas(bottom);
        histogram(&s.figures, frame, chart);
        if side > 0 {
            elsewhere(elsewhere_now, cx, frame, glance);
        }
    }
}

/// `Dashboard · last 24 h · 1,148 runs · p95 over 180 of 1,148 executions …  reading ⠋`.
fn title_line(s: &State, cx: &View, width: usize) -> Line<'static> {
    let coverage = s.figures.coverage();
    let mut spans = vec![
        Span::styled(" Dashboard", theme::title()),
        Span::raw(format!(" · last {} ", s.window.label())),
        Span::styled("(w)", theme::key()),
        Span::raw(format!(" · {} runs", thousands(coverage.executions))),
    ];
    let mut tail = format!(" · {}", coverage.sentence(s.window));
    if coverage.outcomes_unknown > 0 {
        tail.push_str(&format!(
            " · {} outcomes assumed",
            thousands(coverage.outcomes_unknown)
        ));
    }
    if s.is_reading() {
        tail.push_str(&format!(" · reading {}", theme::spinner(cx.now)));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    spans.push(Span::styled(
        truncate(&tail, width.saturating_sub(used)),
        theme::dim(),
    ));
    if let Some(problem) = &s.problem {
        spans = vec![
            Span::styled(" Dashboard", theme::title()),
            Span::styled(
                truncate(
                    &format!("  {}", escape_control(problem)),
                    width.saturating_sub(10),
                ),
                theme::error(),
            ),
        ];
    }
    Line::from(spans)
}

fn panel(title: &str, focused: bool) -> Block<'static> {
    let style = if focused {
        theme::title()
    } else {
        Style::default().add_modifier(Modifier::BOLD)
    };
    Block::default()
        .borders(Borders::TOP)
        .border_style(theme::dim())
        .title(Span::styled(format!(" {title} "), style))
}

/// Top rejection reasons, then top failures: count, trend, text.
fn reasons(s: &State, frame: &mut Frame, area: Rect) {
    let focused = s.focus == Focus::Reasons && s.drill.is_none();
    let block = panel(
        "Why runs were rejected or failed (Enter: those runs)",
        focused,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = s.reasons();
    let mut lines = Vec::new();
    if all.is_empty() {
        lines.push(Line::from(Span::styled(
            "  none in this window",
            theme::dim(),
        )));
    }
    let mut kind = None;
    let mut cursor_line = 0;
    for (i, tally) in all.iter().enumerate() {
        if kind != Some(tally.reason.kind) {
            kind = Some(tally.reason.kind);
            let label = match tally.reason.kind {
                ReasonKind::Rejection => "rejected",
                ReasonKind::Failure => "failed",
            };
            let style = match tally.reason.kind {
                ReasonKind::Rejection => Style::default().fg(theme::REJECTED),
                ReasonKind::Failure => Style::default().fg(theme::FAILED),
            };
            lines.push(Line::from(Span::styled(format!(" {label}"), style)));
        }
        let text = escape_control(&tally.reason.text).into_owned();
        let row = format!(
            "  {:>6} {:<4} {}",
            thousands(u64::from(tally.count)),
            tally.trend().arrow(),
            text
        );
        let row = truncate(&row, inner.width as usize);
        let style = if focused && i == s.reason_cursor {
            cursor_line = lines.len();
            theme::selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(row, style)));
    }
    let scroll = cursor_line.saturating_sub(inner.height.saturating_sub(1) as usize);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}

/// The per-state table (p50 / p95 / p99 / max, retries, failures, a bar of the p95), or the
/// slowest runs of the state opened.
fn states(s: &State, frame: &mut Frame, area: Rect) {
    if let Some(drill) = &s.drill {
        return slowest(s, &drill.state, drill.cursor, frame, area);
    }
    let focused = s.focus == Focus::States;
    let block = panel(
        "Time per state, from the histories read (Enter: slowest runs)",
        focused,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = s.figures.state_rows();
    if rows.is_empty() {
        let text = if s.figures.coverage().finished == 0 {
            "  no finished run in this window"
        } else {
            "  no history read yet"
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme::dim())), inner);
        return;
    }
    // The figures keep their columns; the names give way down to 8 characters, then the
    // columns are cut at the right edge.
    let room = (inner.width as usize).saturating_sub(1 + 4 * 8 + 2 * 7 + 6);
    let name_width = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 28)
        .min(room.max(8));
    let figures_width = name_width + 2 + 4 * 8 + 2 * 7;
    let bar_width = (inner.width as usize).saturating_sub(figures_width + 1);
    let longest = rows
        .iter()
        .map(|r| r.percentiles.p95)
        .max()
        .unwrap_or(1)
        .max(1);
    let mut lines = vec![Line::from(Span::styled(
        truncate(
            &format!(
                " {:<name_width$} {:>7} {:>7} {:>7} {:>7} {:>6} {:>6}  p95",
                "state", "p50", "p95", "p99", "max", "retry", "fail"
            ),
            inner.width as usize,
        ),
        theme::dim(),
    ))];
    let visible = inner.height.saturating_sub(1) as usize;
    let offset = s.state_cursor.saturating_sub(visible.saturating_sub(1));
    for (i, row) in rows.iter().enumerate().skip(offset).take(visible) {
        let p = row.percentiles;
        let name = truncate(&escape_control(&row.name), name_width);
        let text = format!(
            " {name:<name_width$} {:>7} {:>7} {:>7} {:>7} {:>6} {:>6} ",
            format_duration(p.p50),
            format_duration(p.p95),
            format_duration(p.p99),
            format_duration(p.max),
            thousands(row.retries),
            thousands(row.failures),
        );
        let cells = (p.p95 as u128 * bar_width as u128 / longest as u128) as usize;
        let style = if focused && i == s.state_cursor {
            theme::selected()
        } else {
            Style::default()
        };
        let bar_color = if row.failures > 0 || row.retries > 0 {
            theme::REJECTED
        } else {
            theme::ACCENT
        };
        lines.push(Line::from(vec![
            Span::styled(truncate(&text, inner.width as usize), style),
            Span::styled(
                "▇".repeat(cells.max(1).min(bar_width)),
                Style::default().fg(bar_color),
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn slowest(s: &State, state: &str, cursor: usize, frame: &mut Frame, area: Rect) {
    let title = format!(
        "Slowest in {} (Enter: its timeline · Esc: back)",
        escape_control(state)
    );
    let block = panel(&title, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let runs = s.figures.slowest(state);
    let visible = inner.height as usize;
    let offset = cursor.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = runs
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, (duration, arn))| {
            let run = s.executions.get(arn);
            let name = run.map_or(arn.as_str(), |r| r.name.as_str());
            let started = run.map_or("--".to_string(), |r| format_date_time(r.start));
            let status = run.map_or(ExecutionStatus::Succeeded, |r| r.status);
            let kind = run.map_or(OutcomeKind::Accepted, OutcomeKind::of_summary);
            let text = format!(
                " {:>8}  {started}  {:<10} {}",
                format_duration(*duration),
                kind.label(),
                escape_control(name)
            );
            let style = if i == cursor {
                theme::selected()
            } else {
                theme::status_style(status)
            };
            Line::from(Span::styled(truncate(&text, inner.width as usize), style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The face collection and the thumbnail bucket, as far as their screens have read them.
fn elsewhere(e: &Elsewhere, cx: &View, frame: &mut Frame, area: Rect) {
    let outer = block("Elsewhere".into());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let key = |action| {
        cx.keymap
            .key_for(Context::Dashboard, action)
            .map_or_else(String::new, format_keys)
    };
    let width = inner.width as usize;
    let mut lines = Vec::new();
    let faces_key = key(Action::ShowFaces);
    match &e.faces {
        Some(f) => {
            let more = if f.complete { "" } else { "+" };
            lines.push(Line::from(vec![
                Span::styled(format!(" {faces_key} "), theme::key()),
                Span::raw(truncate(
                    &format!("faces in {}", escape_control(&f.collection)),
                    width.saturating_sub(6),
                )),
            ]));
            lines.push(Line::from(format!(
                "   {}{more} faces · {}{more} riders · {} duplicate groups",
                thousands(f.faces as u64),
                thousands(f.riders as u64),
                thousands(f.duplicate_groups as u64)
            )));
        }
        None => lines.push(Line::from(vec![
            Span::styled(format!(" {faces_key} "), theme::key()),
            Span::styled("faces: not read yet (open to read)", theme::dim()),
        ])),
    }
    let thumbs_key = key(Action::ShowThumbnails);
    match &e.bucket {
        Some(b) => {
            let more = if b.complete { "" } else { "+" };
            lines.push(Line::from(vec![
                Span::styled(format!(" {thumbs_key} "), theme::key()),
                Span::raw(truncate(
                    &escape_control(&b.bucket),
                    width.saturating_sub(6),
                )),
            ]));
            let orphans = b.orphans.map_or_else(
                || "sources not checked".to_string(),
                |n| format!("{} without source", thousands(n as u64)),
            );
            lines.push(Line::from(format!(
                "   {}{more} objects · {:.1} MB · {orphans}",
                thousands(b.objects as u64),
                b.bytes as f64 / 1_048_576.0
            )));
        }
        None => lines.push(Line::from(vec![
            Span::styled(format!(" {thumbs_key} "), theme::key()),
            Span::styled("thumbnails: not read yet (open to read)", theme::dim()),
        ])),
    }
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if text.chars().count() > width {
                Line::from(truncate(&text, width))
            } else {
                l
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
