//! What asks for a further page of the bucket's objects: only the user's intent. A key that
//! moves the cursor near the end of what shows asks for one page; `G` reads every page to the
//! end; Enter on a filter that matches less than a screenful reads on for at most
//! `FILTER_PAGES` pages. Both show their progress in the title and stop on `Esc`. A re-sort,
//! a filter being typed or a page arriving never asks for a page by itself (the cursor left
//! near the end by a sort would otherwise pull the whole bucket, page after page).

use super::{OBJECTS_PAGE_SIZE, OBJECTS_PREFETCH_ROWS, Seek, State};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::notice::NoticeLevel;
use crate::app::widgets::text::thousands;

/// Pages a filter applied with Enter reads on for, at most, looking for matches (1,000 objects
/// a page): bounded, so that a narrow filter does not list a bucket of millions; Enter again
/// reads as many more.
pub const FILTER_PAGES: usize = 20;

/// The request for the page after the rows held.
fn request_next(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let Some(bucket) = s.bucket.clone() else {
        return Vec::new();
    };
    if !s.can_page() {
        return Vec::new();
    }
    let generation = cx.next_generation();
    s.pages.begin(generation, cx.now, true);
    vec![Effect::LoadObjects {
        generation,
        bucket,
        continuation: s.next_token.clone(),
        page_size: OBJECTS_PAGE_SIZE,
    }]
}

/// After a key moved the cursor: the next page when it came near the end of what shows.
pub fn after_move(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.seek.is_some() || !s.list.near_end(OBJECTS_PREFETCH_ROWS) {
        return Vec::new();
    }
    request_next(s, cx)
}

/// `G`: to the last row, and on to the real end while the bucket has more.
pub fn to_end(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    s.list.set_cursor(usize::MAX, cx.page_rows());
    if s.next_token.is_none() || !s.loaded {
        return Vec::new();
    }
    s.seek = Some(Seek::ToEnd);
    request_next(s, cx)
}

/// Enter on the filter: when it matches less than a screenful and the bucket has more, read
/// on for at most `FILTER_PAGES` pages.
pub fn filter_submitted(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.list.filter.is_empty() || s.next_token.is_none() || s.seek == Some(Seek::ToEnd) {
        return Vec::new();
    }
    if s.list.visible.len() >= cx.page_rows() {
        return Vec::new();
    }
    s.seek = Some(Seek::Matches {
        left: FILTER_PAGES,
        pages: FILTER_PAGES,
    });
    // A page already on its way continues the search when it arrives.
    read_on(s, cx)
}

/// The filter text changed: a search for the previous text has nothing left to find.
pub fn filter_changed(s: &mut State) {
    if matches!(s.seek, Some(Seek::Matches { .. })) {
        s.seek = None;
    }
}

/// A page arrived (or a search began): the next one if a seek goes on, else the seek ends.
pub fn read_on(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    match s.seek {
        None => return Vec::new(),
        Some(_) if s.next_token.is_none() => {
            s.seek = None;
            return Vec::new();
        }
        Some(Seek::ToEnd) => {}
        Some(Seek::Matches { left, pages }) => {
            if left == 0 || s.list.visible.len() >= cx.page_rows() {
                s.seek = None;
                return Vec::new();
            }
            if !s.pages.busy() {
                s.seek = Some(Seek::Matches {
                    left: left - 1,
                    pages,
                });
            }
        }
    }
    request_next(s, cx)
}

/// `Esc` while reading on: stops (the page on its way is still added) and says how far it got.
pub fn stop(s: &mut State, cx: &mut Ctx) -> bool {
    if s.seek.take().is_none() {
        return false;
    }
    cx.notify(
        NoticeLevel::Info,
        format!(
            "stopped loading: {} objects loaded, more exist",
            thousands(s.list.rows.len())
        ),
    );
    true
}
