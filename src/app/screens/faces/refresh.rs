//! Keeping the faces screen current: reloads (by key, and automatically while the screen
//! is shown) gather as many faces as were loaded before and swap them in at once, so the
//! cursor and marks stay on their faces by id; marks of faces that are gone are dropped and
//! counted; the title says when the rows were last confirmed. The automatic reload spends
//! the account's Rekognition quota sparingly: at most one `ListFaces` a minute on average
//! (a reload of n pages waits n minutes), never more often than every 10 minutes above
//! 10,000 faces, and not at all once nobody has pressed a key for 5 minutes. Deletions made
//! here are taken out of the rows without re-listing (`delete.rs`). The shell calls `wakeup`
//! and `tick` only while the screen is shown.

use super::{FACES_PAGE_SIZE, Reload, State};
use crate::app::ctx::{Ctx, View};
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::app::overlays::Overlay;
use crate::backend::BackendError;
use crate::backend::Page;
use crate::domain::Millis;
use crate::domain::faces::{CollectionInfo, Face};

/// The automatic reload never comes more often than this, whatever the refresh interval:
/// a collection changes slowly and `ListFaces` shares the account's Rekognition quota.
pub const FACES_REFRESH_FLOOR_MS: Millis = 10_000;
/// The interval grows by one floor per this many faces held: a reload re-reads every face
/// loaded (~280 bytes each), so 5,000 faces (1.4 MB) reload once a minute, not every 10 s.
pub const FACES_PER_INTERVAL_STEP: usize = 1_000;
/// Above this many faces a reload is a long re-listing: not more often than
/// `FACES_LARGE_INTERVAL_MS`.
pub const FACES_LARGE: usize = 10_000;
pub const FACES_LARGE_INTERVAL_MS: Millis = 10 * 60_000;
/// On average the automatic reload spends at most one `ListFaces` call per this long: a
/// reload of 25 pages (100,000 faces) comes at most every 25 minutes.
pub const FACES_MS_PER_CALL: Millis = 60_000;
/// No key on the screen for this long: nobody is looking, the automatic reload stops until
/// a key is pressed (`ctrl-r` reloads at once).
pub const FACES_IDLE_AFTER_MS: Millis = 5 * 60_000;
/// However large the collection, the growth by faces held stops here (the call budget
/// above still applies).
pub const FACES_REFRESH_CEILING_MS: Millis = 30 * 60_000;

/// The automatic reload's interval for `faces` held while someone is looking: the
/// settings' refresh interval (at least the floor), one more of it per
/// `FACES_PER_INTERVAL_STEP` faces up to the ceiling, at least `FACES_LARGE_INTERVAL_MS`
/// above `FACES_LARGE` faces, and at least `FACES_MS_PER_CALL` per page it re-reads.
pub fn reload_interval(refresh_interval: Millis, faces: usize) -> Millis {
    let base = refresh_interval.max(FACES_REFRESH_FLOOR_MS);
    let steps = 1 + (faces / FACES_PER_INTERVAL_STEP) as Millis;
    let mut interval = base
        .saturating_mul(steps)
        .min(FACES_REFRESH_CEILING_MS)
        .max(base);
    if faces > FACES_LARGE {
        interval = interval.max(FACES_LARGE_INTERVAL_MS);
    }
    let pages = faces.div_ceil(FACES_PAGE_SIZE as usize).max(1) as Millis;
    interval.max(pages.saturating_mul(FACES_MS_PER_CALL))
}

/// "12 s ago", "3 min ago", "2 h ago".
pub fn age_label(age: Millis) -> String {
    let seconds = age.max(0) / 1000;
    if seconds < 60 {
        format!("{seconds} s ago")
    } else if seconds < 3600 {
        format!("{} min ago", seconds / 60)
    } else {
        format!("{} h ago", seconds / 3600)
    }
}

/// When `age_label` next changes its text.
fn next_age_change(updated_at: Millis, now: Millis) -> Millis {
    let age = now.saturating_sub(updated_at).max(0);
    let step = if age < 60_000 {
        1_000
    } else if age < 3_600_000 {
        60_000
    } else {
        3_600_000
    };
    updated_at.saturating_add((age / step + 1).saturating_mul(step))
}

/// Reloads the faces from the first page (the rows stay on screen until it is complete),
/// and counts the collection (what "of ~N" says while the list is partial): the first load
/// and a reload the user asks for.
pub fn reload(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let mut effects = relist(s, cx);
    if !s.kept_searches_asked {
        s.kept_searches_asked = true;
        effects.push(Effect::LoadLookalikeSearches {
            collection: s.collection.clone(),
        });
    }
    if s.describing.is_none() {
        let generation = cx.next_generation();
        s.describing = Some(generation);
        effects.push(Effect::DescribeCollection {
            generation,
            collection: s.collection.clone(),
        });
    }
    effects
}

/// Lists the faces again from the first page; a re-list already gathering pages is
/// replaced (its answers become stale). The slow scheduled re-list is only this, without a
/// count: idle, the screen stays at one call a minute.
fn relist(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let generation = cx.next_generation();
    let reload = Reload {
        rows: Vec::new(),
        ids: Default::default(),
        extent: s.list.rows.len(),
    };
    s.reload = Some(reload);
    s.pages.begin(generation, cx.now, false);
    s.reload_requested_at = Some(cx.now);
    vec![Effect::LoadFaces {
        generation,
        collection: s.collection.clone(),
        next_token: None,
        page_size: FACES_PAGE_SIZE,
    }]
}

/// The collection's face count arrived. A failure (no `rekognition:DescribeCollection`
/// permission, say) only leaves the total unknown: the list works without it.
pub fn on_described(
    s: &mut State,
    _cx: &mut Ctx,
    generation: Generation,
    result: Result<CollectionInfo, BackendError>,
) -> Vec<Effect> {
    if s.describing != Some(generation) {
        return Vec::new();
    }
    s.describing = None;
    if let Ok(info) = result {
        s.expected_faces = Some(info.face_count);
    }
    Vec::new()
}

/// A page of a reload arrived: asks for the next one while the reload covers less than
/// was loaded before (Some: those effects), else swaps the gathered faces in (None).
pub fn gather_reload_page(s: &mut State, cx: &mut Ctx, page: Page<Face>) -> Option<Vec<Effect>> {
    let generation = cx.next_generation();
    let mut reload = s.reload.take().unwrap_or_default();
    for face in page.items {
        // Pages can overlap when the collection changes between calls.
        if reload.ids.insert(face.face_id.clone()) {
            reload.rows.push(face);
        }
    }
    if let Some(token) = page.next_token.clone()
        && reload.rows.len() < reload.extent
    {
        s.reload = Some(reload);
        s.pages.begin(generation, cx.now, false);
        return Some(vec![Effect::LoadFaces {
            generation,
            collection: s.collection.clone(),
            next_token: Some(token),
            page_size: FACES_PAGE_SIZE,
        }]);
    }
    s.set_rows(reload.rows);
    s.next_token = page.next_token;
    s.updated_at = Some(cx.now);
    let dropped = drop_vanished_marks(s);
    if dropped > 0 {
        cx.notify(
            NoticeLevel::Info,
            format!("{dropped} marked face(s) are no longer in the collection: unmarked"),
        );
    }
    None
}

/// When the shown faces screen reloads next: `reload_interval` after the last reload, and
/// only while someone is looking (a key within `FACES_IDLE_AFTER_MS` of the time it would
/// go) — never while a request is out (no reload piles on another), while a deletion is in
/// flight or while its confirmation is asked (`confirming`: a confirm dialog is open).
/// `refresh_interval` is the settings' one, within its range (`AppOptions::refresh_interval`).
fn refresh_due_at(s: &State, refresh_interval: Millis, confirming: bool) -> Option<Millis> {
    if s.pages.busy() || s.deletion.is_some() || confirming {
        return None;
    }
    // Only after the first load was asked for (showing the screen asks for it); from the
    // end of the last reload, so that a slow one is not followed by the next at once.
    let last = s
        .reload_requested_at?
        .max(s.updated_at.unwrap_or(Millis::MIN));
    let due = last.saturating_add(reload_interval(refresh_interval, s.list.rows.len()));
    // A key pressed later brings the reload back: whoever returns after a long idle gets
    // fresh rows at the next tick.
    let looking = s
        .last_key_at
        .is_some_and(|key| due < key.saturating_add(FACES_IDLE_AFTER_MS));
    looking.then_some(due)
}

/// The automatic reload's interval, and whether it is paused because nobody looked for
/// `FACES_IDLE_AFTER_MS` by `now`: what the title says, so an operator sees what the
/// screen costs the account.
pub fn reload_pace(s: &State, refresh_interval: Millis, now: Millis) -> (Millis, bool) {
    let idle = s
        .last_key_at
        .is_none_or(|key| now >= key.saturating_add(FACES_IDLE_AFTER_MS));
    (reload_interval(refresh_interval, s.list.rows.len()), idle)
}

/// When the shown faces screen wants a tick: its next reload, or the next change of the age
/// shown in its title. `confirming`: a confirm dialog is open (the reload waits for it).
pub fn wakeup(s: &State, cx: &View, confirming: bool) -> Option<Millis> {
    let age = s.updated_at.map(|t| next_age_change(t, cx.now));
    let due = refresh_due_at(s, cx.options.refresh_interval(), confirming);
    [due, age].into_iter().flatten().min()
}

/// On a tick while the screen is shown: the automatic reload when it is due.
pub fn tick(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let confirming = matches!(cx.overlay, Some(Overlay::Confirm(_)));
    match refresh_due_at(s, cx.options.refresh_interval(), confirming) {
        Some(due) if due <= cx.now => relist(s, cx),
        _ => Vec::new(),
    }
}

/// Unmarks faces a completed reload no longer lists; returns how many.
fn drop_vanished_marks(s: &mut State) -> usize {
    let listed: std::collections::HashSet<&str> =
        s.list.rows.iter().map(|f| f.face_id.as_str()).collect();
    let before = s.marked.len();
    s.marked.retain(|id| listed.contains(id.as_str()));
    if s.anchor
        .as_ref()
        .is_some_and(|id| !listed.contains(id.as_str()))
    {
        s.anchor = None;
    }
    before - s.marked.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_age_reads_in_seconds_then_minutes_then_hours() {
        assert_eq!(age_label(0), "0 s ago");
        assert_eq!(age_label(12_400), "12 s ago");
        assert_eq!(age_label(-5), "0 s ago");
        assert_eq!(age_label(125_000), "2 min ago");
        assert_eq!(age_label(7_300_000), "2 h ago");
        assert_eq!(next_age_change(1_000, 13_400), 14_000);
        assert_eq!(next_age_change(0, 125_000), 180_000);
        assert_eq!(next_age_change(0, 7_300_000), 10_800_000);
    }

    #[test]
    fn the_reload_interval_grows_with_the_collection_and_its_call_budget() {
        assert_eq!(reload_interval(2_000, 7), 60_000, "one page: a minute");
        assert_eq!(reload_interval(90_000, 7), 90_000, "the settings'");
        assert_eq!(reload_interval(2_000, 5_000), 120_000, "two pages");
        assert_eq!(reload_interval(2_000, 9_000), 180_000, "three pages");
        assert_eq!(reload_interval(2_000, 10_001), FACES_LARGE_INTERVAL_MS);
        assert_eq!(reload_interval(2_000, 100_000), 25 * 60_000, "25 pages");
        assert_eq!(reload_interval(2_000, 1_000_000), 245 * 60_000);
        assert_eq!(
            reload_interval(Millis::MAX, 1_000_000),
            Millis::MAX,
            "never below the settings' interval"
        );
    }
}
