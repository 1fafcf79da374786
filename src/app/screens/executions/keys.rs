//! The `[executions]` keys that stay on this screen: moving, filtering, sorting, the status
//! filter, the state machine picker and refresh. Opening a row, runs, the face jump, stop
//! and redrive cross screens and are routed to `flows/` by the shell.

use super::update::{apply_filter, next_page_if_needed, refresh, set_status_filter};
use super::{SortColumn, State, next_status_filter};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::notice::NoticeLevel;
use crate::app::overlays::Overlay;
use crate::app::overlays::input::{InputPurpose, TextInput};
use crate::domain::execution::ExecutionStatus;
use crate::keymap::action::Action;

pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let page = cx.page_rows();
    let list = &mut s.list;
    match action {
        Action::Down => list.move_cursor(1, page),
        Action::Up => list.move_cursor(-1, page),
        Action::PageDown => list.move_cursor(page as isize, page),
        Action::PageUp => list.move_cursor(-(page as isize), page),
        Action::Top => {
            s.to_end = false;
            s.list.set_cursor(0, page);
        }
        Action::Bottom => {
            // The real end, not the last row loaded: read on while the server has more.
            s.to_end = s.next_token.is_some() && s.refresh.denied.is_none();
            s.list.set_cursor(usize::MAX, page);
        }
        Action::Back if s.to_end => {
            s.to_end = false;
            let rows = s.list.rows.len();
            cx.notify(
                NoticeLevel::Info,
                format!("stopped loading: {rows} rows loaded, more exist"),
            );
            return Vec::new();
        }
        Action::Back if !list.filter.is_empty() => {
            return apply_filter(s, cx, String::new());
        }
        Action::Filter => {
            let current = list.filter.clone();
            cx.open(Overlay::Input(TextInput {
                purpose: InputPurpose::ListFilter,
                text: current.clone(),
                previous: current,
            }));
        }
        Action::CycleStatusFilter => {
            let next = next_status_filter(s.status_filter);
            let label = next.map_or("all", ExecutionStatus::as_str);
            let effects = set_status_filter(s, cx, next);
            cx.notify(NoticeLevel::Info, format!("status filter: {label}"));
            return effects;
        }
        Action::SortByStatus
        | Action::SortByName
        | Action::SortByStart
        | Action::SortByDuration => {
            let column = match action {
                Action::SortByStatus => SortColumn::Status,
                Action::SortByName => SortColumn::Name,
                Action::SortByStart => SortColumn::Start,
                _ => SortColumn::Duration,
            };
            s.sort_by(column, cx.now);
            let cursor = s.list.cursor;
            s.list.set_cursor(cursor, page);
        }
        Action::PickStateMachine => {
            if s.machines.all.len() > 1 {
                cx.open(Overlay::Picker {
                    cursor: s.machines.selected.unwrap_or(0),
                });
            } else {
                cx.notify(NoticeLevel::Info, "there is only one state machine");
            }
        }
        Action::Refresh => return refresh(s, cx),
        _ => {}
    }
    next_page_if_needed(s, cx)
}
