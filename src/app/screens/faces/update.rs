//! The faces screen's requests and their answers: the first load on first sight, the next
//! page only when the user asks (the cursor near the end, `G` or `D` reading to the end, a
//! filter's bounded search of further pages), the `/` filter, and the lookalike scan — one
//! `SearchFaces` at a time over the loaded faces. A page that arrived is reported to the
//! shell, which settles a pending jump (a flow) before `after_page` asks for more.

use super::refresh::{gather_reload_page, reload};
use super::{
    FACES_FILTER_PAGES, FACES_PAGE_SIZE, LOOKALIKE_IN_FLIGHT, LOOKALIKE_THRESHOLD, LookalikeScan,
    State,
};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::backend::{BackendError, Page};
use crate::domain::faces::{Face, FaceMatch, LookalikeSearch};

/// What a page answer did, for the shell to go on with.
#[derive(Debug, PartialEq)]
pub enum Paged {
    /// Nothing changed on screen: a stale answer, or a reload still gathering pages (these
    /// effects ask for its next one).
    Pending(Vec<Effect>),
    /// The listing failed; the error is on screen (a pending jump stops looking).
    Failed,
    /// The rows changed: the shell settles a pending jump, then calls `after_page`.
    Arrived,
}

/// Entering the faces screen: the first load happens on first sight only.
pub fn shown(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    // Showing the screen is the user looking: the automatic reload is not idle.
    s.last_key_at = Some(cx.now);
    if s.loaded || s.pages.busy() {
        return Vec::new();
    }
    reload(s, cx)
}

pub fn next_page_if_needed(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if !s.wants_next_page() {
        return Vec::new();
    }
    request_next_page(s, cx)
}

/// Asks for the page after those loaded.
pub fn request_next_page(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let generation = cx.next_generation();
    s.pages.begin(generation, cx.now, true);
    vec![Effect::LoadFaces {
        generation,
        collection: s.collection.clone(),
        next_token: s.next_token.clone(),
        page_size: FACES_PAGE_SIZE,
    }]
}

/// A page of faces arrived: appended, or gathered into the reload it belongs to.
pub fn on_page(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<Page<Face>, BackendError>,
) -> Paged {
    let Some(append) = s.pages.accept(generation) else {
        return Paged::Pending(Vec::new());
    };
    match result {
        Ok(page) if append => {
            s.append_rows(page.items);
            s.next_token = page.next_token;
            if !s.list.filter.is_empty() && !s.to_end {
                s.filter_pages_left = s.filter_pages_left.saturating_sub(1);
            }
        }
        Ok(page) => {
            if let Some(next_page) = gather_reload_page(s, cx, page) {
                return Paged::Pending(next_page);
            }
        }
        Err(e) => {
            s.reload = None;
            s.to_end = false;
            s.error = Some(format!("listing faces failed: {e}"));
            return Paged::Failed;
        }
    }
    if s.to_end && s.next_token.is_none() {
        // Read to the end: every row was listed by now, the title's age starts here.
        s.to_end = false;
        s.updated_at = Some(cx.now);
    }
    s.loaded = true;
    s.error = None;
    let cursor = s.list.cursor;
    s.list.set_cursor(cursor, cx.page_rows());
    Paged::Arrived
}

/// After a page arrived (and a pending jump was settled): the next page if the list wants
/// it, and the lookalike scan's next search.
pub fn after_page(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    // A page arriving goes on to the next only for a read the user started (to the end, a
    // filter's budget) or to fill the plain list's screen; in the duplicates mode a page
    // may add no row, and "near the end" would read the whole collection unasked.
    let mut effects = if s.duplicates_only && !s.to_end {
        Vec::new()
    } else {
        next_page_if_needed(s, cx)
    };
    effects.extend(continue_scan(s, cx));
    effects
}

/// The `/` filter of the faces list, applied as typed.
pub fn apply_filter(s: &mut State, cx: &mut Ctx, text: String) -> Vec<Effect> {
    s.last_key_at = Some(cx.now);
    if s.list.filter.is_empty() {
        // A new filter: a bounded search of further pages; editing it spends the same budget.
        s.filter_pages_left = FACES_FILTER_PAGES;
    }
    let before = s.list.needle();
    s.list.set_filter(text);
    if s.list.filter.is_empty() {
        s.filter_pages_left = 0;
    }
    if !before.is_empty() && s.list.needle().as_str().contains(before.as_str()) {
        // One more character typed: only what matched before can match now.
        s.narrow_filter();
    } else {
        s.recompute();
    }
    let cursor = s.list.cursor;
    s.list.set_cursor(cursor, cx.page_rows());
    next_page_if_needed(s, cx)
}

/// The lookalike searches an earlier session kept: their faces count as searched (a scan
/// skips them) and their matches join the clusters, as if answered now.
pub fn on_kept_searches(
    s: &mut State,
    cx: &mut Ctx,
    collection: &str,
    result: Result<Vec<LookalikeSearch>, BackendError>,
) {
    if collection != s.collection {
        return;
    }
    match result {
        Ok(searches) if searches.is_empty() => {}
        Ok(searches) => {
            for search in &searches {
                s.lookalikes.add_kept(search);
            }
            let rows = std::mem::take(&mut s.list.rows);
            s.set_rows(rows);
            cx.notify(
                NoticeLevel::Info,
                format!(
                    "{} lookalike search(es) kept from earlier scans: L searches only the rest",
                    searches.len()
                ),
            );
        }
        // The store is a help, not a need: the scan simply searches everything.
        Err(e) => cx.notify(
            NoticeLevel::Info,
            format!("earlier lookalike searches could not be read ({e}): L searches every face"),
        ),
    }
}

/// Starts (or stops) searching every loaded face for lookalikes under other user ids.
pub fn toggle_lookalike_scan(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.scan.take().is_some() {
        cx.notify(NoticeLevel::Info, "lookalike search stopped");
        return Vec::new();
    }
    let queue: std::collections::VecDeque<String> = s
        .list
        .visible
        .iter()
        .map(|&i| s.list.rows[i].face_id.clone())
        .filter(|id| !s.lookalikes.was_searched(id))
        .collect();
    if queue.is_empty() {
        cx.notify(NoticeLevel::Info, "every listed face was already searched");
        return Vec::new();
    }
    s.scan = Some(LookalikeScan {
        total: queue.len(),
        queue,
        searched: 0,
        in_flight: Vec::new(),
        started_at: cx.now,
        answered: 0,
    });
    continue_scan(s, cx)
}

/// Sends the scan's next searches, up to `LOOKALIKE_IN_FLIGHT` out at once (the adapter's
/// SearchFaces budget paces them); ends the scan when nothing is left.
fn continue_scan(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let Some(scan) = s.scan.as_mut() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    while scan.in_flight.len() < LOOKALIKE_IN_FLIGHT {
        let Some(face_id) = scan.queue.pop_front() else {
            break;
        };
        // Faces already in a cluster would find the same cluster again: skip them.
        if s.lookalikes.is_clustered(&face_id) || s.lookalikes.was_searched(&face_id) {
            scan.searched += 1;
            continue;
        }
        let generation = cx.next_generation();
        scan.in_flight.push((generation, face_id.clone()));
        effects.push(Effect::SearchFaces {
            generation,
            collection: s.collection.clone(),
            face_id,
            threshold: LOOKALIKE_THRESHOLD,
        });
    }
    if scan.queue.is_empty() && scan.in_flight.is_empty() {
        s.scan = None;
        let found = s.index.lookalike_group_count();
        cx.notify(
            NoticeLevel::Info,
            format!("lookalike search done: {found} group(s) of one face under several user ids"),
        );
    }
    effects
}

/// A search of the scan answered: its matches join the lookalike clusters.
pub fn on_face_matches(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    face_id: String,
    result: Result<Vec<FaceMatch>, BackendError>,
) -> Vec<Effect> {
    let Some(scan) = s.scan.as_mut() else {
        return Vec::new();
    };
    let Some(at) = scan.in_flight.iter().position(|(g, _)| *g == generation) else {
        return Vec::new();
    };
    scan.in_flight.swap_remove(at);
    scan.searched += 1;
    scan.answered += 1;
    match result {
        Ok(matches) => {
            s.lookalikes.add(&face_id, &matches);
            let kept = Effect::KeepLookalikeSearch {
                collection: s.collection.clone(),
                search: LookalikeSearch {
                    face_id: face_id.clone(),
                    matched: matches.iter().map(|m| m.face.face_id.clone()).collect(),
                },
            };
            // Only this answer's cluster is regrouped; the duplicates-only view is rebuilt
            // (a pass over every loaded face) only when the groups changed.
            let changed = s
                .index
                .update_lookalike(&s.list.rows, &s.lookalikes, &face_id);
            if changed && s.duplicates_only {
                s.recompute();
            }
            let mut effects = vec![kept];
            effects.extend(continue_scan(s, cx));
            effects
        }
        Err(e) => {
            s.scan = None;
            cx.notify(
                NoticeLevel::Error,
                format!("face search failed, lookalike search stopped: {e}"),
            );
            Vec::new()
        }
    }
}
