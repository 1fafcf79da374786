//! The Events tab: every history event (or the failures only) in a virtualised table (only the
//! rows on screen are built), with the count against the 25,000-event limit and the search
//! matches; `Enter` opens an event as its full JSON, scrollable; `w` writes the whole history
//! to a file in the AWS CLI's shape.

use super::{HISTORY_EVENT_LIMIT, State};
use crate::app::ctx::Ctx;
use crate::app::ctx::View;
use crate::app::effect::Effect;
use crate::app::list::scroll_to;
use crate::app::list::{bound_filter, moved};
use crate::app::notice::NoticeLevel;
use crate::app::overlays::Overlay;
use crate::app::overlays::input::{InputPurpose, TextInput};
use crate::app::widgets::json::json_lines;
use crate::app::widgets::text::thousands;
use crate::app::widgets::theme;
use crate::domain::history::HistoryEvent;
use crate::domain::text::escape_control;
use crate::domain::time::{format_clock, format_duration};
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

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
    if view.events_view.failures_only {
        let failures = view.events_view.failures.len();
        spans.push(Span::styled(
            format!(
                "  failures only: {} of {}",
                thousands(failures),
                thousands(view.events.len())
            ),
            Style::default()
                .fg(theme::FAILED)
                .add_modifier(Modifier::BOLD),
        ));
    }
    let search = &view.events_view.search;
    if !search.is_empty() {
        let matches: Vec<usize> = view
            .events_view
            .matches
            .iter()
            .copied()
            .filter(|&i| view.is_shown(i))
            .collect();
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
    if view.events_view.expanded.is_some() {
        render_expanded(view, frame, table);
        return;
    }
    if view.events_view.failures_only && view.shown_len() == 0 && view.history_loaded {
        frame.render_widget(
            Line::from(Span::styled(
                "  no failure in this history (f shows every event)",
                theme::dim(),
            )),
            table,
        );
        return;
    }
    if table.height < 2 || view.shown_len() == 0 {
        return;
    }
    let height = table.height.saturating_sub(1) as usize;
    let cursor = view.events_view.cursor;
    let offset = scroll_to(view.events_view.offset, view.cursor_position(), height);
    let end = view.shown_len().min(offset + height);
    let rows: Vec<Row> = (offset..end)
        .filter_map(|position| view.shown_at(position))
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

/// The opened event: its JSON, coloured, escaped (the text comes from the history: anything a
/// task put in an error or an output) and cut to the width, from the scrolled line on.
fn render_expanded(view: &State, frame: &mut Frame, area: Rect) {
    let Some(id) = view.events_view.expanded else {
        return;
    };
    let event = view
        .events
        .binary_search_by_key(&id, |e| e.id)
        .ok()
        .map(|i| &view.events[i]);
    let mut title = vec![Span::styled(
        format!(
            " event {id} · {} ",
            event.map_or("", |e| e.event_type.as_str())
        ),
        theme::title(),
    )];
    if view.payload.busy() {
        title.push(Span::styled("· input and output loading… ", theme::dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(text) = view.expanded_json() else {
        return;
    };
    let width = inner.width.max(1) as usize;
    let lines: Vec<Line<'static>> = json_lines(&text)
        .into_iter()
        .flat_map(|line| cut_line(line, width))
        .collect();
    let page = inner.height as usize;
    let scroll = view
        .events_view
        .expanded_scroll
        .min(lines.len().saturating_sub(page));
    let shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(page).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// `line` with its text escaped, in pieces of `width` characters (as `wrapped_rows` counts).
fn cut_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::default()];
    let mut used = 0;
    for span in line.spans {
        let text = escape_control(&span.content).into_owned();
        let mut chars = text.chars().peekable();
        while chars.peek().is_some() {
            if used == width {
                out.push(Line::default());
                used = 0;
            }
            let piece: String = chars.by_ref().take(width - used).collect();
            used += piece.chars().count();
            if let Some(last) = out.last_mut() {
                last.spans.push(Span::styled(piece, span.style));
            }
        }
    }
    out
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
        // Names, errors and causes from the history: escaped before they reach the terminal.
        Cell::from(escape_control(&event.summary()).into_owned()),
    ])
}

/// The Events tab's keys: moving (or scrolling the opened event), `Enter` to open and close
/// an event's JSON, `f` failures only, `w` write the history, `/` search (as you type), next
/// and previous match.
pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let page = cx.page_rows();
    if s.events_view.expanded.is_some() {
        // The JSON box is as wide as the terminal, less its borders.
        let width = usize::from(cx.viewport.0.saturating_sub(2)).max(1);
        if let Some(row) = moved(action, s.events_view.expanded_scroll, page) {
            s.scroll_expanded(row, width, page);
            return Vec::new();
        }
        match action {
            Action::Open => {
                s.events_view.expanded = None;
                return Vec::new();
            }
            Action::WriteHistory => {}
            // Anything else is about the list: back to it.
            _ => s.events_view.expanded = None,
        }
    }
    if let Some(target) = moved(action, s.cursor_position(), page) {
        s.move_to_position(target, page);
        return Vec::new();
    }
    match action {
        Action::Open => return open_event(s, cx),
        Action::ToggleFailures => {
            s.toggle_failures(page);
            if s.events_view.failures.is_empty() && s.events_view.failures_only {
                cx.notify(NoticeLevel::Info, "no failure in this history");
            }
        }
        Action::WriteHistory => ask_history_file(s, cx),
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

/// Opens the event under the cursor as its JSON. An event listed without its data gets it
/// from one fetch of the history with execution data (as the details pane does).
fn open_event(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let Some(id) = s.cursor_event().map(|e| e.id) else {
        return Vec::new();
    };
    s.events_view.expanded = Some(id);
    s.events_view.expanded_scroll = 0;
    if id > s.payloads_through && !s.payload.busy() {
        return super::update::request_payloads(s, cx);
    }
    Vec::new()
}

/// `w`: asks where to write the history, offering `<execution name>.history.json` in the
/// current directory.
fn ask_history_file(s: &State, cx: &mut Ctx) {
    if s.events.is_empty() {
        cx.notify(NoticeLevel::Info, "no events yet: nothing to write");
        return;
    }
    cx.open(Overlay::Input(TextInput::new(
        InputPurpose::HistoryFile,
        default_history_file(&s.summary.name),
    )));
}

/// `<name>.history.json`, with any character a file name should not hold replaced by `_`.
pub fn default_history_file(execution_name: &str) -> String {
    let safe: String = execution_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    let stem = if safe.is_empty() { "execution" } else { safe };
    format!("{stem}.history.json")
}

/// Enter in the file input: the whole history, as `aws stepfunctions get-execution-history`
/// prints it (with the states' inputs and outputs, read first with one fetch when the listing
/// left them out), written by the runtime to the file typed (never over an existing one).
pub fn write_history(s: &mut State, cx: &mut Ctx, typed: &str) -> Vec<Effect> {
    let path = typed.trim();
    if path.is_empty() {
        cx.notify(
            NoticeLevel::Info,
            "no file name: the history is not written",
        );
        return Vec::new();
    }
    let path = std::path::PathBuf::from(path);
    if !s.has_all_data() {
        s.events_view.pending_write = Some(path);
        cx.notify(
            NoticeLevel::Info,
            "reading the states' inputs and outputs, then writing the history…",
        );
        if s.payload.busy() {
            return Vec::new();
        }
        return super::update::request_payloads(s, cx);
    }
    vec![s.write_effect(path, None)]
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
