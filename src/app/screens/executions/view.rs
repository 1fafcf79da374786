//! The executions view: a title line (filters, sort, counts) and a table of the visible rows
//! only — status with a spinner while running, name, input, outcome, start and duration.

use super::{SortColumn, State};
use crate::app::ctx::View;
use crate::app::widgets::table::{count, placeholder, sort_header, visible_rows};
use crate::app::widgets::text::{missing_permission, thousands, truncate};
use crate::app::widgets::theme;
use crate::domain::execution::ExecutionSummary;
use crate::domain::time::{format_date_time, format_duration};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

pub fn render(s: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let [title, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(title_line(s), title);
    render_table(s, cx, frame, table);
}

fn title_line(s: &State) -> Line<'static> {
    let list = &s.list;
    let mut spans = vec![Span::styled(" Executions", theme::title())];
    let status = s.status_filter.map_or("all", |s| s.as_str());
    spans.push(Span::styled("  status: ", theme::dim()));
    spans.push(Span::raw(status.to_string()));
    if !list.filter.is_empty() {
        spans.push(Span::styled("  filter: ", theme::dim()));
        spans.push(Span::styled(format!("/{}", list.filter), theme::key()));
    }
    if let Some(sort) = list.sort {
        let arrow = if sort.descending { "↓" } else { "↑" };
        spans.push(Span::styled("  sort: ", theme::dim()));
        spans.push(Span::raw(format!("{} {arrow}", sort.column.title())));
    }
    let count = count(list);
    // "+": more exist than are held, below the last row or in a gap.
    let more = if s.next_token.is_some() || !s.gaps.is_empty() {
        "+"
    } else {
        ""
    };
    let rows = crate::app::widgets::text::noun(list.rows.len(), "row", "rows");
    spans.push(Span::styled(
        format!("  {count}{more} {rows}"),
        theme::dim(),
    ));
    if !list.filter.is_empty() {
        // A text filter matches only what is held: say how much that is, so a count is
        // never read as the whole account's. Input and outcome come from describes.
        let held = list.rows.len();
        let searching = s.next_token.is_some() || !s.gaps.is_empty();
        let searched = if searching {
            format!("  searched {held} · loading…")
        } else {
            format!("  searched all {held}")
        };
        spans.push(Span::styled(searched, theme::dim()));
        let known = list.rows.iter().filter(|r| r.input_label.is_some()).count();
        if known < held {
            let describing = if s.describing.is_empty() {
                ""
            } else {
                " · describing the rest"
            };
            spans.push(Span::styled(
                format!(
                    "  input known for {} of {}{describing}",
                    thousands(known),
                    thousands(held)
                ),
                theme::key(),
            ));
        }
    }
    if let Some(gap) = s.gaps.last() {
        // Said until filled: the rows shown are not all there are between these times.
        spans.push(Span::styled(
            format!("  loading missed executions… {} so far", gap.filled),
            theme::key(),
        ));
    } else if s.to_end {
        spans.push(Span::styled(
            format!(
                "  loading to the end… {} rows so far · Esc stops",
                list.rows.len()
            ),
            theme::key(),
        ));
    } else if s.page.busy() {
        spans.push(Span::styled("  loading more…", theme::dim()));
    }
    Line::from(spans)
}

struct Columns {
    input: bool,
    outcome: bool,
    start: bool,
}

fn columns_for(width: u16) -> Columns {
    Columns {
        input: width >= 70,
        outcome: width >= 100,
        start: width >= 56,
    }
}

fn render_table(s: &State, cx: &View, frame: &mut Frame, area: Rect) {
    let list = &s.list;
    if area.height < 2 {
        return;
    }
    if list.visible.is_empty() {
        if let Some(action) = s.refresh.denied.as_deref() {
            let lines = vec![
                missing_permission(action, "executions list"),
                Line::from(Span::styled(
                    format!(
                        "   not refreshed until it is allowed; {} asks again",
                        cx.retry_hint()
                    ),
                    theme::dim(),
                )),
            ];
            frame.render_widget(ratatui::widgets::Paragraph::new(lines), area);
            return;
        }
        if let (Some(problem), false) = (&s.machines.problem, s.loaded) {
            let next = if problem.retried {
                format!(
                    "   asked again every few seconds; {} asks now",
                    cx.retry_hint()
                )
            } else {
                "   not asked again on its own".to_string()
            };
            let lines = vec![
                Line::from(Span::styled(format!(" ⚠ {}", problem.text), theme::error())),
                Line::from(Span::styled(next, theme::dim())),
            ];
            frame.render_widget(
                ratatui::widgets::Paragraph::new(lines)
                    .wrap(ratatui::widgets::Wrap { trim: false }),
                area,
            );
            return;
        }
        let text = if !s.loaded {
            if s.machines.loaded && s.machines.all.is_empty() {
                "no state machines"
            } else {
                "loading executions…"
            }
        } else if list.rows.is_empty() {
            "no executions"
        } else {
            "no execution matches the filter"
        };
        frame.render_widget(placeholder(text, theme::dim()), area);
        return;
    }
    let columns = columns_for(area.width);
    let height = area.height.saturating_sub(1) as usize;
    let rows = visible_rows(list, height, |row, selected| {
        execution_row(row, cx.now, &columns, selected)
    });
    let mut widths = vec![Constraint::Length(13), Constraint::Fill(2)];
    let mut header = vec![
        sort_header(list.sort, Some(SortColumn::Status), "STATUS"),
        sort_header(list.sort, Some(SortColumn::Name), "NAME"),
    ];
    if columns.input {
        widths.push(Constraint::Fill(2));
        header.push(Cell::from("INPUT"));
    }
    if columns.outcome {
        widths.push(Constraint::Fill(3));
        header.push(Cell::from("OUTCOME"));
    }
    if columns.start {
        widths.push(Constraint::Length(14));
        header.push(sort_header(list.sort, Some(SortColumn::Start), "STARTED"));
    }
    widths.push(Constraint::Length(10));
    header.push(sort_header(
        list.sort,
        Some(SortColumn::Duration),
        "DURATION",
    ));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme::dim().add_modifier(Modifier::BOLD)))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn execution_row(
    e: &ExecutionSummary,
    now: i64,
    columns: &Columns,
    selected: bool,
) -> Row<'static> {
    // A cursor mark as well as the highlight, for monochrome terminals and captures.
    let mark = if selected { "▌" } else { " " };
    let status = Line::from(vec![
        Span::styled(mark, theme::key()),
        Span::styled(
            format!("{} ", theme::status_symbol(e.status, now)),
            theme::status_style(e.status),
        ),
        Span::styled(e.status.as_str(), theme::status_style(e.status)),
    ]);
    let mut cells = vec![Cell::from(status), Cell::from(e.name.clone())];
    if columns.input {
        let input = e.input_label.clone().unwrap_or_default();
        cells.push(Cell::from(Span::styled(input, theme::dim())));
    }
    if columns.outcome {
        let outcome = match &e.outcome {
            Some(o) => Span::styled(truncate(&o.label(), 80), theme::outcome_style(o)),
            None => Span::raw(""),
        };
        cells.push(Cell::from(outcome));
    }
    if columns.start {
        cells.push(Cell::from(format_date_time(e.start)));
    }
    let duration = format_duration(e.duration(now));
    let style = if e.stop.is_none() {
        Style::default().fg(theme::RUNNING)
    } else {
        Style::default()
    };
    cells.push(Cell::from(
        Line::from(Span::styled(duration, style)).right_aligned(),
    ));
    Row::new(cells)
}
