//! The `[thumbnails]` keys: moving (the preview follows once the cursor rests; the next page
//! loads when a key brings the cursor near the end, `G` reads to the real end), sorting (which
//! reads no page), the `/` filter, refresh, copying key or URI, the delete key, and `Back` —
//! which stops a seek, clears the filter or asks the shell for the executions screen.

use super::preview::debounce_if_moved;
use super::update::{apply_filter, reload, shown};
use super::{ObjectSortColumn, Seek, State, delete, paging, s3_uri};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::list::moved;
use crate::app::notice::NoticeLevel;
use crate::app::overlays::{InputPurpose, Overlay, TextInput};
use crate::app::screen::Screen;
use crate::keymap::action::Action;

/// Performs an action of the thumbnails screen.
pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let page = cx.page_rows();
    let before = s.list.cursor_key.clone();
    let effects = match action {
        Action::Bottom => paging::to_end(s, cx),
        Action::Top => {
            // Back at the top, reading on to the end is not what is looked at any more.
            if s.seek == Some(Seek::ToEnd) {
                s.seek = None;
            }
            s.list.set_cursor(0, page);
            Vec::new()
        }
        _ if moved(action, s.list.cursor, page).is_some() => {
            let target = moved(action, s.list.cursor, page).unwrap_or(0);
            s.list.set_cursor(target, page);
            paging::after_move(s, cx)
        }
        Action::SortByKey | Action::SortBySize | Action::SortByModified => {
            let column = match action {
                Action::SortByKey => ObjectSortColumn::Key,
                Action::SortBySize => ObjectSortColumn::Size,
                _ => ObjectSortColumn::Modified,
            };
            s.sort_by(column);
            let cursor = s.list.cursor;
            s.list.set_cursor(cursor, page);
            Vec::new()
        }
        Action::Filter => {
            let current = s.list.filter.clone();
            cx.open(Overlay::Input(TextInput {
                purpose: InputPurpose::ThumbnailsFilter,
                text: current.clone(),
                previous: current,
            }));
            return Vec::new();
        }
        Action::Back if paging::stop(s, cx) => Vec::new(),
        Action::Back if !s.list.filter.is_empty() => {
            apply_filter(s, cx, String::new());
            return Vec::new();
        }
        Action::Back => {
            cx.switch_to = Some(Screen::Executions);
            return Vec::new();
        }
        Action::Refresh => {
            s.preview = None;
            s.preview_due = Some(cx.now);
            let mut effects = reload(s, cx);
            if !s.buckets_listed {
                effects.extend(shown(s, cx));
            }
            return effects;
        }
        Action::CopyKey | Action::CopyUri => {
            let (Some(bucket), Some(object)) = (s.bucket.as_deref(), s.selected()) else {
                cx.notify(NoticeLevel::Info, "no object selected");
                return Vec::new();
            };
            let text = if action == Action::CopyKey {
                object.key.clone()
            } else {
                s3_uri(bucket, &object.key)
            };
            return vec![Effect::CopyToClipboard(text)];
        }
        Action::Delete => {
            delete::ask(s, cx);
            return Vec::new();
        }
        _ => Vec::new(),
    };
    debounce_if_moved(s, cx, before);
    effects
}
