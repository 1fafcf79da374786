//! The Events tab: every history event in a virtualised table (only the rows on screen are
//! built), with the count against the 25,000-event limit and the search matches.

use super::{HISTORY_EVENT_LIMIT, State};
use crate::app::ctx::Ctx;
use crate::app::ctx::View;
use crate::app::effect::Effect;
use crate::app::list::scroll_to;
use crate::app::list::{bound_filter, moved};
use crate::app::notice::NoticeLevel;
use crate::app::overlays::Overlay;
use crate::app::overlays::input::{InputPurpose, TextInput};
use crate::app::widgets::text::thousands;
use crate::app::widgets::theme;
use crate::domain::history::HistoryEvent;
use crate::domain::time::{format_clock, format_duration};
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

pub fn render(view: &State, cx: &View, frame: &mut Frame, area: Rect) {
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
    if let Some(action) = view.history.denied.as_deref() {
        spans.push(Span::raw(" "));
        spans.extend(crate::app::widgets::text::missing_permission(action, "events").spans);
        spans.push(Span::styled(
            format!("  {} asks again", cx.retry_hint()),
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

fn event_row(view: &State, event: &HistoryEvent, matched: bool, cursor: bool) -> Row<'static> {
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

/// The Events tab's keys: moving, `/` search (as you type), next and previous match.
pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let page = cx.page_rows();
    if let Some(target) = moved(action, s.events_view.cursor, page) {
        s.move_events(target, page);
        return Vec::new();
    }
    match action {
        Action::Search => {
            let current = s.events_view.search.clone();
            cx.open(Overlay::Input(TextInput::new(
                InputPurpose::EventSearch,
                current,
            )));
        }
        Action::NextMatch | Action::PrevMatch => {
            if s.events_view.search.is_empty() {
                cx.notify(NoticeLevel::Info, "no search: press / to search the events");
            } else {
                match s.find_match(action == Action::NextMatch, false) {
                    Some(i) => s.move_events(i, page),
                    None => {
                        let text = format!("no event matches `{}`", s.events_view.search);
                        cx.notify(NoticeLevel::Info, text);
                    }
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// The search as typed (cut to `MAX_FILTER_CHARS`): the cursor jumps to the first match at
/// or after it.
pub fn apply_search(s: &mut State, cx: &Ctx, text: String) {
    s.events_view.search = bound_filter(text).0;
    s.recompute_matches();
    if let Some(i) = s.find_match(true, true) {
        s.move_events(i, cx.page_rows());
    }
}
