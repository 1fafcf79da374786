//! Keeping the faces screen current: reloads (by key, after a deletion, and automatically on
//! an interval while the screen is shown) gather as many faces as were loaded before and
//! swap them in at once, so the cursor and marks stay on their faces by id; marks of faces
//! that are gone are dropped and counted; the title shows the data's age. The automatic
//! reload spends the account's Rekognition quota sparingly: its interval grows with the
//! faces held (a reload re-reads all of them) and again once nobody has pressed a key for a
//! while; `ctrl-r` and a deletion reload at once. The shell calls `wakeup` and `tick` only
//! while the screen is shown.

use super::{FACES_PAGE_SIZE, Reload, State};
use crate::app::ctx::{Ctx, View};
use crate::app::effect::Effect;
use crate::app::notice::NoticeLevel;
use crate::app::overlays::Overlay;
use crate::backend::Page;
use crate::domain::Millis;
use crate::domain::faces::Face;

/// The automatic reload never comes more often than this, whatever the refresh interval:
/// a collection changes slowly and `ListFaces` shares the account's Rekognition quota.
pub const FACES_REFRESH_FLOOR_MS: Millis = 10_000;
/// The interval grows by one floor per this many faces held: a reload re-reads every face
/// loaded (~280 bytes each), so 5,000 faces (1.4 MB) reload once a minute, not every 10 s.
pub const FACES_PER_INTERVAL_STEP: usize = 1_000;
/// No key on the screen for this long: nobody is looking, the reload slows down.
pub const FACES_IDLE_AFTER_MS: Millis = 60_000;
/// How much slower the automatic reload is while nobody is looking.
pub const FACES_IDLE_FACTOR: Millis = 6;
/// However large the collection or long the idle time, an automatic reload still comes this
/// often (the age in the title says how old the rows are meanwhile).
pub const FACES_REFRESH_CEILING_MS: Millis = 30 * 60_000;

/// The automatic reload's interval for `faces` held: the settings' refresh interval (at
/// least the floor), one more of it per `FACES_PER_INTERVAL_STEP` faces, times
/// `FACES_IDLE_FACTOR` when `idle`, at most the ceiling (never below the base).
pub fn reload_interval(refresh_interval: Millis, faces: usize, idle: bool) -> Millis {
    let base = refresh_interval.max(FACES_REFRESH_FLOOR_MS);
    let steps = 1 + (faces / FACES_PER_INTERVAL_STEP) as Millis;
    let mut interval = base.saturating_mul(steps);
    if idle {
        interval = interval.saturating_mul(FACES_IDLE_FACTOR);
    }
    interval.min(FACES_REFRESH_CEILING_MS).max(base)
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

/// Reloads the faces from the first page (the rows stay on screen until it is complete).
/// A reload already gathering pages is replaced: its answers become stale.
pub fn reload(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
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

/// When the shown faces screen reloads next: `reload_interval` after the last reload — the
/// idle one when no key was pressed for `FACES_IDLE_AFTER_MS` by the time the reload would go
/// — never while a request is out (no reload piles on another), while a deletion is in
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
    let faces = s.list.rows.len();
    let active = last.saturating_add(reload_interval(refresh_interval, faces, false));
    // A key pressed later moves the reload back to the active interval: whoever returns
    // after a long idle gets fresh rows at the next tick.
    let idle = s
        .last_key_at
        .is_none_or(|key| active >= key.saturating_add(FACES_IDLE_AFTER_MS));
    if !idle {
        return Some(active);
    }
    Some(last.saturating_add(reload_interval(refresh_interval, faces, true)))
}

/// The automatic reload's interval in force at `now`, and whether it is the idle one (no key
/// on the screen for `FACES_IDLE_AFTER_MS`): what the title says, so an operator sees what the
/// screen costs the account.
pub fn reload_pace(s: &State, refresh_interval: Millis, now: Millis) -> (Millis, bool) {
    let idle = s
        .last_key_at
        .is_none_or(|key| now >= key.saturating_add(FACES_IDLE_AFTER_MS));
    (
        reload_interval(refresh_interval, s.list.rows.len(), idle),
        idle,
    )
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
        Some(due) if due <= cx.now => reload(s, cx),
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
    fn the_reload_interval_grows_with_the_collection_and_when_idle_within_bounds() {
        assert_eq!(reload_interval(2_000, 7, false), 10_000, "the floor");
        assert_eq!(reload_interval(30_000, 7, false), 30_000, "the settings'");
        assert_eq!(reload_interval(2_000, 5_000, false), 60_000);
        assert_eq!(reload_interval(2_000, 7, true), 60_000);
        assert_eq!(reload_interval(2_000, 5_000, true), 360_000);
        assert_eq!(
            reload_interval(2_000, 1_000_000, true),
            FACES_REFRESH_CEILING_MS
        );
        assert_eq!(
            reload_interval(Millis::MAX, 1_000_000, true),
            Millis::MAX,
            "never below the settings' interval"
        );
    }
}
