//! The Events tab: every history event in a virtualised table (only the rows on screen are
//! built), with the count against the 25,000-event limit and the search matches.

use crate::app::App;
use crate::app::list::scroll_to;
use crate::app::screens::execution::{ExecutionView, HISTORY_EVENT_LIMIT};
use crate::app::widgets::text::thousands;
use crate::app::widgets::theme;
use crate::domain::history::HistoryEvent;
use crate::domain::time::{format_clock, format_duration};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

pub fn render(app: &App, view: &ExecutionView, frame: &mut Frame, area: Rect) {
    let [title, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let mut spans = vec![Span::styled(
        format!(
            " {} events (limit {})",
            thousands(view.events.len()),
            thousands(HISTORY_EVENT_LIMIT)
        ),
        theme::title(),
    )];
    let search = &view.events_view.search;
    if !search.is_empty() {
        let matches = &view.events_view.matches;
        let position = matches
            .iter()
            .position(|&i| i == view.events_view.cursor)
            .map(|p| format!("{}/", p + 1))
            .unwrap_or_default();
        spans.push(Span::styled("  search ", theme::dim()));
        spans.push(Span::styled(format!("/{search}"), theme::key()));
        spans.push(Span::styled(
            format!("  {position}{} matches", thousands(matches.len())),
            theme::dim(),
        ));
    }
    if let Some(action) = view.history_denied.as_deref() {
        spans.push(Span::raw(" "));
        spans.extend(
            crate::app::screens::execution::view::missing_permission(action, "events").spans,
        );
        spans.push(Span::styled(
            format!(
                "  {} asks again",
                crate::app::screens::execution::view::retry_hint(app)
            ),
            theme::dim(),
        ));
    } else if !view.history_loaded {
        spans.push(Span::styled("  loading…", theme::dim()));
    }
    frame.render_widget(Line::from(spans), title);
    if table.height < 2 || view.events.is_empty() {
        return;
    }
    let height = table.height.saturating_sub(1) as usize;
    let cursor = view.events_view.cursor;
    let offset = scroll_to(view.events_view.offset, cursor, height);
    let end = view.events.len().min(offset + height);
    let rows: Vec<Row> = (offset..end)
        .map(|i| {
            let matched = view.events_view.matches.binary_search(&i).is_ok();
            let row = event_row(view, &view.events[i], matched, i == cursor);
            if i == cursor {
                row.style(theme::selected())
            } else {
                row
            }
        })
        .collect();
    let _ = app;
    let widths = [
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(28),
        Constraint::Fill(1),
    ];
    let header = Row::new(["    ID", "TIME", "ELAPSED", "TYPE", "DETAILS"])
        .style(theme::dim().add_modifier(Modifier::BOLD));
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );
}

fn event_row(
    view: &ExecutionView,
    event: &HistoryEvent,
    matched: bool,
    cursor: bool,
) -> Row<'static> {
    let kind = event.event_type.as_str().to_string();
    let style = if event.event_type.is_failure() {
        Style::default().fg(theme::FAILED)
    } else if event.event_type.is_execution_end() || event.event_type.as_str() == "ExecutionStarted"
    {
        Style::default().add_modifier(Modifier::BOLD)
    } else if event.event_type.is_state_entered() {
        Style::default().fg(theme::ACCENT)
    } else {
        Style::default()
    };
    let mark = match (cursor, matched) {
        (true, _) => "▌",
        (false, true) => "▸",
        (false, false) => " ",
    };
    Row::new([
        Cell::from(Line::from(vec![
            Span::styled(mark, theme::key()),
            Span::raw(format!("{:>5}", event.id)),
        ])),
        Cell::from(format_clock(event.timestamp)),
        Cell::from(
            Line::from(Span::styled(
                format!("+{}", format_duration(view.elapsed(event))),
                theme::dim(),
            ))
            .right_aligned(),
        ),
        Cell::from(Span::styled(kind, style)),
        Cell::from(event.summary()),
    ])
}
