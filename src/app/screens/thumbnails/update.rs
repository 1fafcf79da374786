//! The thumbnails screen's requests and their answers: the bucket listing (to find the
//! thumbnail and photo buckets), the objects page by page (what asks for the next one is
//! `paging.rs`), the photo bucket's keys (one page at a time, only while the screen is shown)
//! and the `/` filter. Whether the screen is shown is the shell's to say (`shown`).

use super::paging;
use super::preview::{debounce_if_moved, preview_is_current};
use super::{MAX_PHOTO_KEYS, OBJECTS_PAGE_SIZE, Seek, State};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::backend::{BackendError, Page};
use crate::domain::objects::{BucketInfo, ObjectInfo, find_photo_bucket, find_thumbnail_bucket};

/// Entering the thumbnails screen: find the bucket, list it, resume the source listing.
pub fn shown(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    // The bucket list is needed to find the thumbnail bucket when it is not set, and the
    // photo bucket in any case (sources).
    let mut effects = list_buckets_once(s, cx);
    if s.bucket.is_some() && !s.loaded && !s.pages.busy() {
        effects.extend(reload(s, cx));
    }
    effects.extend(next_photo_page_if_needed(s, cx, true));
    s.preview_due = Some(cx.now);
    effects
}

/// Lists the buckets unless that was done or is under way.
pub fn list_buckets_once(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.buckets_listed || s.buckets.busy() {
        return Vec::new();
    }
    let generation = cx.next_generation();
    s.buckets.begin(generation, cx.now, ());
    vec![Effect::LoadBuckets { generation }]
}

/// Lists the bucket's objects from the first page.
pub fn reload(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let Some(bucket) = s.bucket.clone() else {
        return Vec::new();
    };
    // The rows are replaced by the first page: a seek has nothing to go on from.
    s.seek = None;
    let generation = cx.next_generation();
    s.pages.begin(generation, cx.now, false);
    vec![Effect::LoadObjects {
        generation,
        bucket,
        continuation: None,
        page_size: OBJECTS_PAGE_SIZE,
    }]
}

/// The photo bucket is listed page after page (one at a time, while the screen is `shown`)
/// up to `MAX_PHOTO_KEYS`, to match thumbnails with their sources.
fn next_photo_page_if_needed(s: &mut State, cx: &mut Ctx, shown: bool) -> Vec<Effect> {
    let Some(bucket) = s.photo_bucket.clone() else {
        return Vec::new();
    };
    if s.photos_complete || s.photos.busy() || s.photo_keys.len() >= MAX_PHOTO_KEYS || !shown {
        return Vec::new();
    }
    let generation = cx.next_generation();
    s.photos.begin(generation, cx.now, ());
    vec![Effect::LoadObjects {
        generation,
        bucket,
        continuation: s.photo_next_token.clone(),
        page_size: 1000,
    }]
}

/// The buckets arrived: find the thumbnail bucket (unless set) and the photo bucket. Returns
/// the effects and the photo bucket found, which the shell hands to the runs flow (the
/// built-in test cases read their photos from it).
pub fn on_buckets(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<Vec<BucketInfo>, BackendError>,
    shown: bool,
) -> (Vec<Effect>, Option<String>) {
    if s.buckets.accept(generation).is_none() {
        return (Vec::new(), None);
    }
    let buckets = match result {
        Ok(buckets) => buckets,
        Err(e) => {
            if s.bucket.is_none() {
                s.bucket_problem = Some(format!(
                    "listing buckets failed ({e}): choose one with :bucket <name>"
                ));
            }
            return (Vec::new(), None);
        }
    };
    s.buckets_listed = true;
    s.bucket_names = buckets.iter().map(|b| b.name.clone()).collect();
    s.photo_bucket = find_photo_bucket(&buckets).map(|b| b.name.clone());
    let mut effects = Vec::new();
    if s.bucket.is_none() {
        match find_thumbnail_bucket(&buckets) {
            Some(found) => {
                s.bucket = Some(found.name.clone());
                // Listed now if shown, else when the screen is entered.
                if shown {
                    effects.extend(reload(s, cx));
                }
            }
            None => {
                let candidates = buckets
                    .iter()
                    .filter(|b| b.name.to_ascii_lowercase().contains("thumbnail"))
                    .count();
                s.bucket_problem = Some(if candidates > 1 {
                    format!(
                        "{candidates} buckets look like thumbnail buckets: choose one \
                         with :bucket <name>"
                    )
                } else {
                    format!(
                        "no thumbnail bucket found among {} bucket(s): choose one \
                         with :bucket <name>",
                        buckets.len()
                    )
                });
            }
        }
    }
    effects.extend(next_photo_page_if_needed(s, cx, shown));
    (effects, s.photo_bucket.clone())
}

/// A page of objects arrived: of the thumbnail bucket (appended, or the first page of a
/// reload), or of the photo bucket's keys.
pub fn on_objects(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<Page<ObjectInfo>, BackendError>,
    shown: bool,
) -> Vec<Effect> {
    if s.photos.accept(generation).is_some() {
        return on_photo_page(s, cx, result, shown);
    }
    let Some(append) = s.pages.accept(generation) else {
        return Vec::new();
    };
    match result {
        Ok(page) => {
            if append {
                let from = s.append(page.items);
                s.merge_appended(from);
            } else {
                s.replace(page.items);
                s.recompute();
            }
            s.next_token = page.next_token;
            s.loaded = true;
            s.error = None;
            // `G`: the cursor follows the last row as pages arrive; otherwise it stays on its
            // object, wherever the sort puts the new rows.
            let cursor = if s.seek == Some(Seek::ToEnd) {
                usize::MAX
            } else {
                s.list.cursor
            };
            s.list.set_cursor(cursor, cx.page_rows());
            if !preview_is_current(s) {
                s.preview_due = Some(cx.now);
            }
        }
        Err(e) => {
            s.error = Some(format!("listing objects failed: {e}"));
            // A seek does not keep asking after a failure; the key that started it does.
            s.seek = None;
            return Vec::new();
        }
    }
    // Only a seek the user started reads on; a page never asks for the next by itself.
    paging::read_on(s, cx)
}

fn on_photo_page(
    s: &mut State,
    cx: &mut Ctx,
    result: Result<Page<ObjectInfo>, BackendError>,
    shown: bool,
) -> Vec<Effect> {
    match result {
        Ok(page) => {
            s.photo_keys.extend(page.items.into_iter().map(|o| o.key));
            s.photos_complete = page.next_token.is_none();
            s.photo_next_token = page.next_token;
            next_photo_page_if_needed(s, cx, shown)
        }
        Err(_) => {
            // Sources stay "?"; the thumbnails themselves are unaffected.
            s.photo_bucket = None;
            Vec::new()
        }
    }
}

/// The `/` filter of the objects list, applied as typed to the rows loaded: typing reads no
/// page (Enter may: `paging::filter_submitted`). Typing on only narrows what matched.
pub fn apply_filter(s: &mut State, cx: &mut Ctx, text: String) {
    let before = s.list.cursor_key.clone();
    let previous = std::mem::take(&mut s.list.filter);
    s.list.set_filter(text);
    if s.list.filter == previous {
        return;
    }
    paging::filter_changed(s);
    if s.list.filter.starts_with(previous.as_str()) {
        s.narrow();
    } else {
        s.recompute();
    }
    let cursor = s.list.cursor;
    s.list.set_cursor(cursor, cx.page_rows());
    debounce_if_moved(s, cx, before);
}
