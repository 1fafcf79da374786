//! Keeping the faces screen current: reloads (by key, after a deletion, and automatically on
//! an interval while the screen is shown) gather as many faces as were loaded before and
//! swap them in at once, so the cursor and marks stay on their faces by id; marks of faces
//! that are gone are dropped and counted; the title shows the data's age.

use crate::app::effect::Effect;
use crate::app::overlays::Overlay;
use crate::app::screen::Screen;
use crate::app::screens::faces::{FACES_PAGE_SIZE, FacesView, extend_new};
use crate::app::{App, NoticeLevel};
use crate::backend::Page;
use crate::domain::Millis;
use crate::domain::faces::Face;

/// The automatic reload never comes more often than this, whatever the refresh interval:
/// a collection changes slowly and `ListFaces` shares the account's Rekognition quota.
pub const FACES_REFRESH_FLOOR_MS: Millis = 10_000;
/// `ListFaces` returns at most this many faces per call.
const MAX_LIST_FACES: usize = 4096;

/// A reload from the first page in progress: its pages are gathered here and replace the
/// rows only once they cover what was loaded before (or the whole collection).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reload {
    pub rows: Vec<Face>,
    /// How many faces were loaded when it started.
    pub extent: usize,
}

impl Reload {
    /// The page size that fetches the rest of the extent in as few calls as possible.
    fn page_size(&self) -> u32 {
        let missing = self.extent.saturating_sub(self.rows.len());
        missing.clamp(FACES_PAGE_SIZE as usize, MAX_LIST_FACES) as u32
    }
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
    let age = (now - updated_at).max(0);
    let step = if age < 60_000 {
        1_000
    } else if age < 3_600_000 {
        60_000
    } else {
        3_600_000
    };
    updated_at + (age / step + 1) * step
}

impl App {
    /// Reloads the faces from the first page (the rows stay on screen until it is complete).
    /// A reload already gathering pages is replaced: its answers become stale.
    pub fn reload_faces(&mut self) -> Vec<Effect> {
        let generation = self.next_generation();
        let now = self.now;
        let view = &mut self.faces;
        let reload = Reload {
            rows: Vec::new(),
            extent: view.rows.len(),
        };
        let page_size = reload.page_size();
        view.reload = Some(reload);
        view.in_flight = Some((generation, false));
        view.reload_requested_at = Some(now);
        vec![Effect::LoadFaces {
            generation,
            collection: view.collection.clone(),
            next_token: None,
            page_size,
        }]
    }

    /// A page of a reload arrived: asks for the next one while the reload covers less than
    /// was loaded before (Some: those effects), else swaps the gathered faces in (None).
    pub(crate) fn gather_reload_page(&mut self, page: Page<Face>) -> Option<Vec<Effect>> {
        let generation = self.next_generation();
        let now = self.now;
        let view = &mut self.faces;
        let mut reload = view.reload.take().unwrap_or_default();
        extend_new(&mut reload.rows, page.items);
        if let Some(token) = page.next_token.clone()
            && reload.rows.len() < reload.extent
        {
            let page_size = reload.page_size();
            view.reload = Some(reload);
            view.in_flight = Some((generation, false));
            return Some(vec![Effect::LoadFaces {
                generation,
                collection: view.collection.clone(),
                next_token: Some(token),
                page_size,
            }]);
        }
        view.rows = reload.rows;
        view.next_token = page.next_token;
        view.updated_at = Some(now);
        let dropped = drop_vanished_marks(view);
        if dropped > 0 {
            self.notify(
                NoticeLevel::Info,
                format!("{dropped} marked face(s) are no longer in the collection: unmarked"),
            );
        }
        None
    }

    /// When the shown faces screen reloads next: an interval (of at least
    /// `FACES_REFRESH_FLOOR_MS`) after the last reload, never while a request is out (no reload piles on another),
    /// while a deletion is in flight or while its confirmation is asked.
    fn faces_refresh_due_at(&self) -> Option<Millis> {
        let view = &self.faces;
        if self.screen != Screen::Faces
            || view.in_flight.is_some()
            || view.deletion.is_some()
            || matches!(self.overlay, Some(Overlay::Confirm(_)))
        {
            return None;
        }
        // Only after the first load was asked for (showing the screen asks for it); from the
        // end of the last reload, so that a slow one is not followed by the next at once.
        let last = view
            .reload_requested_at?
            .max(view.updated_at.unwrap_or(Millis::MIN));
        let interval = self.options.refresh_interval_ms.max(FACES_REFRESH_FLOOR_MS);
        Some(last + interval)
    }

    /// When the faces screen wants a tick: its next reload, or the next change of the age
    /// shown in its title.
    pub(crate) fn faces_wakeup(&self) -> Option<Millis> {
        if self.screen != Screen::Faces {
            return None;
        }
        let age = self.faces.updated_at.map(|t| next_age_change(t, self.now));
        [self.faces_refresh_due_at(), age]
            .into_iter()
            .flatten()
            .min()
    }

    /// On a tick: the automatic reload when it is due.
    pub(crate) fn faces_tick(&mut self) -> Vec<Effect> {
        match self.faces_refresh_due_at() {
            Some(due) if due <= self.now => self.reload_faces(),
            _ => Vec::new(),
        }
    }
}

/// Unmarks faces a completed reload no longer lists; returns how many.
fn drop_vanished_marks(view: &mut FacesView) -> usize {
    let listed: std::collections::HashSet<&str> =
        view.rows.iter().map(|f| f.face_id.as_str()).collect();
    let before = view.marked.len();
    view.marked.retain(|id| listed.contains(id.as_str()));
    if view
        .anchor
        .as_ref()
        .is_some_and(|id| !listed.contains(id.as_str()))
    {
        view.anchor = None;
    }
    before - view.marked.len()
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
    fn a_reload_asks_for_the_rest_of_its_extent_in_big_pages() {
        let reload = |extent| Reload {
            rows: Vec::new(),
            extent,
        };
        assert_eq!(reload(0).page_size(), FACES_PAGE_SIZE);
        assert_eq!(reload(600).page_size(), 600);
        assert_eq!(reload(9_000).page_size(), 4096);
    }
}
