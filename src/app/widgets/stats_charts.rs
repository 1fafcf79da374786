//! Pictures of the dashboard's figures (knowing no App): outcome bars per bucket with their
//! time axis, totals and rates beside the throughput sparkline, the end-to-end histogram.

use super::{stacked_bars, theme};
use crate::domain::stats::{Figures, OutcomeKind, Window, thousands};
use crate::domain::time::format_duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{BarChart, Block, Borders, Paragraph, Sparkline};

/// The colour of each outcome, in `OutcomeKind::ALL` order.
pub const KIND_COLORS: [Color; OutcomeKind::COUNT] = [
    theme::SUCCEEDED,
    theme::REJECTED,
    theme::FAILED,
    theme::RUNNING,
    theme::ENDED_DARK,
    Color::Yellow,
];

pub fn block(title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::TOP)
        .border_style(theme::dim())
        .title(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        ))
}

/// `14:00`, or `11-24` for buckets of a day or more, or `11-24 06h` for six hours.
fn bucket_label(start: i64, width: i64) -> String {
    let Some(t) = chrono::DateTime::from_timestamp_millis(start) else {
        return "--".into();
    };
    if width >= 86_400_000 {
        t.format("%m-%d").to_string()
    } else if width >= 6 * 3_600_000 {
        t.format("%m-%d %Hh").to_string()
    } else {
        t.format("%H:%M").to_string()
    }
}

pub fn outcome_chart(figures: &Figures, frame: &mut Frame, area: Rect) {
    let window = figures.window();
    let title = format!(
        "Runs per {} by outcome (UTC)",
        bucket_noun(figures.window())
    );
    let outer = block(title);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if inner.height < 2 {
        return;
    }
    let [bars, axis] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let buckets = figures.buckets();
    stacked_bars::render(buckets, &KIND_COLORS, bars, frame.buffer_mut());
    // Labels under the first bar, the middle one and the last (the bucket holding now).
    let slot = (bars.width as usize / buckets.len().max(1)).max(1);
    let mut axis_text = vec![' '; axis.width as usize];
    for i in [0, buckets.len() / 2, buckets.len().saturating_sub(1)] {
        let label = bucket_label(figures.bucket_start(i), window.bucket());
        let at = (i * slot).min(axis_text.len().saturating_sub(label.len()));
        if axis_text[at..]
            .iter()
            .take(label.len() + 1)
            .all(|c| *c == ' ')
            || i == 0
        {
            for (k, c) in label.chars().enumerate() {
                if let Some(cell) = axis_text.get_mut(at + k) {
                    *cell = c;
                }
            }
        }
    }
    let axis_line: String = axis_text.into_iter().collect();
    frame.render_widget(Paragraph::new(Span::styled(axis_line, theme::dim())), axis);
}

/// Totals and shares per outcome, then the throughput sparkline.
pub fn rates(figures: &Figures, frame: &mut Frame, area: Rect) {
    let outer = block("Totals".into());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let totals = figures.totals();
    let mut lines: Vec<Line> = OutcomeKind::ALL
        .iter()
        .map(|&kind| {
            let share = match (kind, figures.rate(kind)) {
                (OutcomeKind::Running, _) | (_, None) => String::new(),
                (_, Some(rate)) => format!("{:>5.1}%", rate * 100.0),
            };
            Line::from(vec![
                Span::styled(" ■ ", Style::default().fg(KIND_COLORS[kind.index()])),
                Span::raw(format!(
                    "{:<10}{:>8} {share}",
                    kind.label(),
                    thousands(totals[kind.index()])
                )),
            ])
        })
        .collect();
    let e2e = figures.end_to_end();
    if let Some(p) = e2e {
        lines.push(Line::from(Span::styled(
            format!(
                " end to end p50 {} · p95 {}",
                format_duration(p.p50),
                format_duration(p.p95)
            ),
            theme::dim(),
        )));
    }
    let text_height = (lines.len() as u16).min(inner.height);
    let [text, spark] =
        Layout::vertical([Constraint::Length(text_height), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), text);
    if spark.height >= 2 {
        let throughput = figures.throughput();
        let last = throughput.last().copied().unwrap_or(0);
        let [label, line] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(spark);
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    " throughput · {last} this {}",
                    bucket_noun(figures.window())
                ),
                theme::dim(),
            )),
            label,
        );
        // The newest buckets that fit, right-aligned so "now" is at the right edge.
        let fit = throughput.len().saturating_sub(line.width as usize);
        frame.render_widget(
            Sparkline::default()
                .data(&throughput[fit..])
                .style(Style::default().fg(theme::ACCENT)),
            line,
        );
    }
}

/// What one bucket of the window is: `5 min`, `hour`, `6 h`, `day`.
fn bucket_noun(window: Window) -> &'static str {
    match window {
        Window::Hour => "5 min",
        Window::Day => "hour",
        Window::Week => "6 h",
        Window::Month => "day",
    }
}

/// End-to-end durations of the finished runs in bins up to the p99.
pub fn histogram(figures: &Figures, frame: &mut Frame, area: Rect) {
    let outer =
        block("End to end, finished runs (fastest to p99; the last bin holds the rest)".into());
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let bins = (inner.width as usize / 7).clamp(1, 16);
    let histogram = figures.end_to_end_histogram(bins);
    if histogram.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "  no finished run in this window",
                theme::dim(),
            )),
            inner,
        );
        return;
    }
    let labels: Vec<String> = histogram
        .iter()
        .map(|(lo, _, _)| format_duration(*lo))
        .collect();
    let data: Vec<(&str, u64)> = histogram
        .iter()
        .zip(&labels)
        .map(|((_, _, n), label)| (label.as_str(), *n))
        .collect();
    let bar_width = ((inner.width as usize / bins).saturating_sub(1)).max(1) as u16;
    frame.render_widget(
        BarChart::default()
            .data(data.as_slice())
            .bar_width(bar_width)
            .bar_gap(1)
            .bar_style(Style::default().fg(theme::ACCENT))
            .value_style(Style::default().fg(Color::Black).bg(theme::ACCENT))
            .label_style(theme::dim()),
        inner,
    );
}
