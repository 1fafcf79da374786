//! The `[faces]` keys: moving (which may load the next page), marks and the delete key,
//! duplicate groups and the duplicates-only mode, the lookalike scan, sorting, the `/`
//! filter, refresh, and `Back` — which clears the filter, stops the scan, or asks the shell
//! for the executions screen.

use super::update::{apply_filter, next_page_if_needed, toggle_lookalike_scan};
use super::{FaceSortColumn, State, delete, refresh};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::list::moved;
use crate::app::notice::NoticeLevel;
use crate::app::overlays::{InputPurpose, Overlay, TextInput};
use crate::app::screen::Screen;
use crate::app::widgets::text::thousands;
use crate::keymap::action::Action;

/// Performs an action of the faces screen.
pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    // Someone is looking: the automatic reload keeps its active interval.
    s.last_key_at = Some(cx.now);
    let page = cx.page_rows();
    match action {
        // The real end, not the last face loaded: read on with progress (Esc stops).
        Action::Bottom => s.to_end = s.next_token.is_some() || !s.loaded,
        Action::Top => s.to_end = false,
        _ => {}
    }
    if let Some(target) = moved(action, s.list.cursor, page) {
        s.list.set_cursor(target, page);
        return next_page_if_needed(s, cx);
    }
    match action {
        Action::ToggleMark => {
            delete::toggle_mark(s);
            let next = s.list.cursor + 1;
            s.list.set_cursor(next, page);
        }
        Action::MarkRange if !delete::mark_range(s) => {
            cx.notify(
                NoticeLevel::Info,
                "mark a face with Space first: the range runs from it to the cursor",
            );
        }
        Action::MarkGroup => delete::mark_group(s, cx),
        Action::KeepNewest | Action::KeepOldest => {
            delete::keep_one(s, cx, action == Action::KeepNewest)
        }
        Action::ClearMarks => s.marked.clear(),
        Action::NextGroup | Action::PrevGroup
            if !s.jump_group(action == Action::NextGroup, page) =>
        {
            let text = if s.group_count() == 0 {
                "no duplicate groups among the loaded faces"
            } else {
                "no further duplicate group in that direction"
            };
            cx.notify(NoticeLevel::Info, text);
        }
        Action::ToggleDuplicates => {
            s.duplicates_only = !s.duplicates_only;
            // Grouping needs every face: read to the end (with progress; Esc stops).
            s.to_end = s.duplicates_only && (s.next_token.is_some() || !s.loaded);
            s.recompute();
            let cursor = s.list.cursor;
            s.list.set_cursor(cursor, page);
        }
        Action::FindLookalikes => return toggle_lookalike_scan(s, cx),
        Action::SortByUser
        | Action::SortByFaceId
        | Action::SortByConfidence
        | Action::SortByIndexed => {
            let column = match action {
                Action::SortByUser => FaceSortColumn::User,
                Action::SortByFaceId => FaceSortColumn::FaceId,
                Action::SortByConfidence => FaceSortColumn::Confidence,
                _ => FaceSortColumn::Indexed,
            };
            s.sort_by(column);
            let cursor = s.list.cursor;
            s.list.set_cursor(cursor, page);
        }
        Action::Filter => {
            let current = s.list.filter.clone();
            cx.open(Overlay::Input(TextInput {
                purpose: InputPurpose::FacesFilter,
                text: current.clone(),
                previous: current,
            }));
        }
        Action::Back if s.reading_on() => {
            s.to_end = false;
            s.filter_pages_left = 0;
            cx.notify(
                NoticeLevel::Info,
                format!(
                    "stopped loading: {} faces loaded, more exist",
                    thousands(s.list.rows.len())
                ),
            );
            return Vec::new();
        }
        Action::Back if !s.list.filter.is_empty() => {
            return apply_filter(s, cx, String::new());
        }
        Action::Back if s.scan.is_some() => return toggle_lookalike_scan(s, cx),
        Action::Back => {
            cx.switch_to = Some(Screen::Executions);
            return Vec::new();
        }
        // A reload supersedes a page load, not another reload.
        Action::Refresh if s.pages.in_flight.as_ref().is_none_or(|&(_, append)| append) => {
            return refresh::reload(s, cx);
        }
        Action::Delete => delete::ask(s, cx),
        _ => {}
    }
    // Only what asked for more faces reads on (`D`): a sort, a mark or a mode does not,
    // wherever it leaves the cursor.
    if s.to_end {
        return next_page_if_needed(s, cx);
    }
    Vec::new()
}
