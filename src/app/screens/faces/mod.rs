//! The faces screen's state: the collection's faces (a `List` kept by face id, loaded page by
//! page as the user scrolls), duplicate groups (same user, same image, lookalikes found with
//! face search) and the duplicates-only mode, marks, the deletion in progress and its last
//! report, the reload gathering pages, and the jump flags. Read in the order `keys.rs` →
//! `update.rs` (pages, lookalike scan) → `refresh.rs` → `delete.rs` → `view.rs`.

pub mod delete;
pub mod jump;
pub mod keys;
mod order;
pub mod refresh;
pub mod update;
pub mod view;

use crate::app::fetch::Fetch;
use crate::app::list::{ColumnSort, Keyed, List, Needle};
use crate::app::msg::Generation;
use crate::domain::Millis;
use crate::domain::face_groups::FaceGroups;
use crate::domain::faces::{
    DuplicateGroup, DuplicateKind, Face, LookalikeClusters, UnsuccessfulFaceDeletion,
};
use jump::{FaceJump, JumpRequest};
pub use order::FaceSortColumn;
use order::{compare, merge_sorted};
use std::collections::{BTreeSet, HashSet, VecDeque};

/// Faces asked for per `ListFaces` call: the API's maximum (`MaxResults` ≤ 4,096; the AWS
/// adapter and the sandbox pass it through), so 5,000 faces take 2 calls, not
/// 25 (each call spends a token of the account's Rekognition quota, whatever its size).
pub const FACES_PAGE_SIZE: u32 = 4096;
/// The next page is requested when the cursor gets this close to the end of the list.
pub const FACES_PREFETCH_ROWS: usize = 40;
/// A filter the user applied reads at most this many further pages looking for matches
/// (40,960 faces): a narrow filter over a large collection would otherwise read all of it.
/// `G` reads on to the end; `Esc` stops either.
pub const FACES_FILTER_PAGES: usize = 10;
/// Similarity (percent) from which face search calls two faces one person: the pipeline's
/// own `CheckFaceDuplicate` threshold.
pub const LOOKALIKE_THRESHOLD: f32 = 70.0;
/// Searches of a lookalike scan out at once: the adapter's budget for SearchFaces paces them
/// (5 a second in the large regions at the default share), so this only keeps it busy.
pub const LOOKALIKE_IN_FLIGHT: usize = 4;

pub type FaceSort = ColumnSort<FaceSortColumn>;

impl Keyed for Face {
    fn key(&self) -> &str {
        &self.face_id
    }
}

/// A lookalike scan in progress: one `SearchFaces` at a time over the loaded faces.
#[derive(Debug, Clone, PartialEq)]
pub struct LookalikeScan {
    /// Face ids still to search, in list order (taken from the front: O(1) an answer).
    pub queue: VecDeque<String>,
    pub total: usize,
    pub searched: usize,
    /// Searches sent and not answered: (generation, face id).
    pub in_flight: Vec<(Generation, String)>,
    /// When it started, and how many searches were answered since: the time-left estimate.
    pub started_at: Millis,
    pub answered: usize,
}

impl LookalikeScan {
    /// "~3 min left", from the pace so far (None before a few answers).
    pub fn estimate(&self, now: Millis) -> Option<Millis> {
        if self.answered < LOOKALIKE_IN_FLIGHT {
            return None;
        }
        let left = self.total.saturating_sub(self.searched) as Millis;
        let per_answer = (now - self.started_at).max(0) / self.answered as Millis;
        Some(left * per_answer)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeletionStage {
    /// The intent lines are being written; the delete call waits for them.
    Recording {
        generation: Generation,
    },
    Deleting,
    /// The delete's answer was lost: the collection is read back to learn what is gone.
    Reconciling {
        generation: Generation,
    },
    /// The delete call answered; the journal lines are being written.
    Journaling {
        generation: Generation,
    },
}

/// A deletion from confirmation until its journal lines are written.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceDeletion {
    pub generation: Generation,
    /// The faces asked for, with everything the journal records about them.
    pub faces: Vec<Face>,
    pub stage: DeletionStage,
    pub report: DeletionReport,
}

/// What the last deletion did, shown above the table until the next one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeletionReport {
    pub requested: usize,
    pub deleted: Vec<String>,
    pub unsuccessful: Vec<UnsuccessfulFaceDeletion>,
    /// The delete call failed (earlier batches may be deleted).
    pub error: Option<String>,
    /// The failure certainly deleted nothing: one call (at most 4,096 ids), refused or never
    /// sent. Otherwise the outcome of the failed call, or of earlier batches, is unknown.
    pub nothing_deleted: bool,
    /// The outcome was read back after the delete's answer was lost.
    pub reconciled: bool,
    /// Ok: the journal's path; Err: why it could not be written. None while writing.
    pub journal: Option<Result<String, String>>,
}

impl DeletionReport {
    /// What a failed deletion amounts to, in words: nothing deleted, part-way (several
    /// batches), or unknown (one call whose answer did not say).
    pub fn failure(&self) -> Option<String> {
        let error = self.error.as_ref()?;
        Some(if self.nothing_deleted {
            format!("nothing deleted: {error}")
        } else if self.requested > crate::domain::faces::MAX_FACE_IDS_PER_DELETE {
            format!("delete failed part-way (earlier batches may be deleted): {error}")
        } else {
            format!("delete's outcome unknown (the faces may be deleted): {error}")
        })
    }
}

/// A reload from the first page in progress: its pages are gathered here and replace the
/// rows only once they cover what was loaded before (or the whole collection).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reload {
    pub rows: Vec<Face>,
    /// The ids in `rows`: a page that overlaps the last one adds only new faces, in O(page).
    pub ids: HashSet<String>,
    /// How many faces were loaded when it started.
    pub extent: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub collection: String,
    /// Faces in server order, across the pages loaded so far; the list's filter matches face
    /// id, user id and image id (case-insensitive).
    pub list: List<Face, FaceSortColumn>,
    pub next_token: Option<String>,
    /// A first page arrived.
    pub loaded: bool,
    /// The page request in flight, tagged with whether it appends (false: a page of a reload
    /// from the top).
    pub pages: Fetch<bool>,
    pub error: Option<String>,
    /// Reading on to the last page (`G`, or `D` which groups every face); `Esc` stops.
    pub to_end: bool,
    /// Further pages the filter may still read looking for matches (set when a filter is
    /// applied over an unfiltered list, spent a page at a time, emptied by `Esc`).
    pub filter_pages_left: usize,
    /// Show only faces that belong to a duplicate group, group by group.
    pub duplicates_only: bool,
    /// Duplicate groups among the loaded faces (same user, same image, lookalikes) and the
    /// counts, kept as pages and search answers arrive; always in step with `list.rows`.
    pub index: FaceGroups,
    pub lookalikes: LookalikeClusters,
    pub scan: Option<LookalikeScan>,
    /// Marked face ids (for deletion).
    pub marked: BTreeSet<String>,
    /// The face last marked or unmarked: one end of a range mark.
    pub anchor: Option<String>,
    pub deletion: Option<FaceDeletion>,
    pub last_report: Option<DeletionReport>,
    /// The reload gathering pages (its requests are the `pages` ones that do not append).
    pub reload: Option<Reload>,
    /// When the rows were last reloaded completely (the age shown in the title).
    pub updated_at: Option<Millis>,
    /// When the last reload was asked for (the automatic reload's interval runs from it).
    pub reload_requested_at: Option<Millis>,
    /// The collection's face count as `DescribeCollection` last said (an estimate: the
    /// service updates it late), asked once per reload: the "of ~N" while not all are loaded.
    pub expected_faces: Option<u64>,
    /// The `DescribeCollection` on its way.
    pub describing: Option<Generation>,
    /// The lookalike searches kept from earlier sessions were asked for (once).
    pub kept_searches_asked: bool,
    /// When the user last pressed a key on this screen or showed it: the automatic reload
    /// slows down once nobody has for a while.
    pub last_key_at: Option<Millis>,
    /// The faces the last jump from a rejected run found (flagged in the list).
    pub jump: Option<FaceJump>,
    /// A jump waiting for the run's input or the search.
    pub jump_request: Option<JumpRequest>,
}

impl State {
    pub fn new(collection: String) -> Self {
        State {
            collection,
            list: List::default(),
            next_token: None,
            loaded: false,
            pages: Fetch::default(),
            error: None,
            to_end: false,
            filter_pages_left: 0,
            duplicates_only: false,
            index: FaceGroups::default(),
            lookalikes: LookalikeClusters::default(),
            scan: None,
            marked: BTreeSet::new(),
            anchor: None,
            deletion: None,
            last_report: None,
            reload: None,
            updated_at: None,
            reload_requested_at: None,
            expected_faces: None,
            describing: None,
            kept_searches_asked: false,
            last_key_at: None,
            jump: None,
            jump_request: None,
        }
    }

    pub fn selected(&self) -> Option<&Face> {
        self.list.selected()
    }

    pub fn face(&self, face_id: &str) -> Option<&Face> {
        self.index
            .row_of(face_id, &self.list.rows)
            .map(|r| &self.list.rows[r])
    }

    /// The kinds of duplicate group the face belongs to (empty: not a duplicate).
    pub fn duplicate_kinds(&self, face_id: &str) -> Vec<DuplicateKind> {
        self.index
            .row_of(face_id, &self.list.rows)
            .map(|r| self.index.kinds(r))
            .unwrap_or_default()
    }

    /// The groups the face belongs to.
    pub fn groups_of(&self, face_id: &str) -> Vec<DuplicateGroup> {
        self.index
            .row_of(face_id, &self.list.rows)
            .map(|r| self.index.groups_of(r, &self.list.rows))
            .unwrap_or_default()
    }

    /// Duplicate groups among the loaded faces.
    pub fn group_count(&self) -> usize {
        self.index.group_count()
    }

    /// Faces in at least one duplicate group.
    pub fn duplicate_face_count(&self) -> usize {
        self.index.duplicate_face_count()
    }

    /// Replaces every row (a reload, a deletion reconciled): the index is rebuilt once.
    pub fn set_rows(&mut self, rows: Vec<Face>) {
        self.index = FaceGroups::build(&rows, &self.lookalikes);
        self.list.rows = rows;
        if self.index.len() != self.list.rows.len() {
            // Repeated ids (rare: the callers dedup): drop them, then index what is left.
            let mut seen = HashSet::with_capacity(self.list.rows.len());
            self.list.rows.retain(|f| seen.insert(f.face_id.clone()));
            self.index = FaceGroups::build(&self.list.rows, &self.lookalikes);
        }
        self.recompute();
    }

    /// Appends the faces of a further page not held yet and shows those that pass the
    /// filter: costs the page (and, under a sort, one merge), not a rebuild of everything.
    pub fn append_rows(&mut self, faces: Vec<Face>) {
        let from = self.list.rows.len();
        for face in faces {
            if self.index.add(&face, &self.list.rows) {
                self.list.rows.push(face);
            }
        }
        self.index
            .add_known_lookalikes(&self.list.rows, &self.lookalikes, from);
        if self.duplicates_only {
            // Members join their groups anywhere in the list: redone over the duplicates.
            self.recompute();
            return;
        }
        let mut needle = self.list.needle();
        let rows = &self.list.rows;
        let mut added: Vec<usize> = (from..rows.len())
            .filter(|&i| Self::matches_filter(&rows[i], &mut needle))
            .collect();
        match self.list.sort {
            None => self.list.append_visible(added),
            Some(sort) => {
                added.sort_by(|&a, &b| sort.directed(compare(sort.column, &rows[a], &rows[b])));
                let (merged, cursor) =
                    merge_sorted(&self.list.visible, &added, self.list.cursor, |a, b| {
                        sort.directed(compare(sort.column, &rows[a], &rows[b]))
                    });
                self.list.show_at(merged, cursor);
            }
        }
    }

    fn matches_filter(face: &Face, needle: &mut Needle) -> bool {
        if needle.is_empty() {
            return true;
        }
        needle.found_in(&face.face_id)
            || face
                .external_image_id
                .as_deref()
                .is_some_and(|id| needle.found_in(id))
            || face
                .image_id
                .as_deref()
                .is_some_and(|id| needle.found_in(id))
    }

    /// `visible` after the filter grew to contain the one it was computed with: what shows
    /// keeps only the faces the longer filter matches, in the same order (typing costs the
    /// matches so far, not every face).
    pub fn narrow_filter(&mut self) {
        let mut needle = self.list.needle();
        let rows = &self.list.rows;
        let visible: Vec<usize> = self
            .list
            .visible
            .iter()
            .copied()
            .filter(|&i| Self::matches_filter(&rows[i], &mut needle))
            .collect();
        self.list.show(visible);
    }

    /// Rebuilds `visible` after a change of filter, mode or sort (a user's action, once),
    /// and puts the cursor back on the same face when it is still listed. The duplicate
    /// index is not rebuilt: it follows the rows as they change.
    pub fn recompute(&mut self) {
        let rows = &self.list.rows;
        let mut needle = self.list.needle();
        let candidates: Vec<usize> = if self.duplicates_only {
            self.index.duplicate_rows_in_order()
        } else {
            (0..rows.len()).collect()
        };
        let mut visible: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| Self::matches_filter(&rows[i], &mut needle))
            .collect();
        if let Some(sort) = self.list.sort {
            if self.duplicates_only {
                visible.sort_unstable();
            }
            visible.sort_by(|&a, &b| sort.directed(compare(sort.column, &rows[a], &rows[b])));
        }
        self.list.show(visible);
    }

    pub fn sort_by(&mut self, column: FaceSortColumn) {
        let descending_first =
            matches!(column, FaceSortColumn::Confidence | FaceSortColumn::Indexed);
        self.list.choose_sort(column, descending_first);
        self.recompute();
    }

    /// True when more faces exist and the user asked for them: reading to the end (`G`,
    /// `D`), or the cursor near the end of those loaded — under a filter only while its
    /// budget of pages lasts. A re-sort or a page's arrival alone never asks.
    pub fn wants_next_page(&self) -> bool {
        if !self.loaded || self.next_token.is_none() || self.pages.busy() {
            return false;
        }
        if self.to_end {
            return true;
        }
        let filtered = !self.list.filter.is_empty();
        self.list.near_end(FACES_PREFETCH_ROWS) && (!filtered || self.filter_pages_left > 0)
    }

    /// Reading further pages on the user's behalf (to the end, or for a filter).
    pub fn reading_on(&self) -> bool {
        self.next_token.is_some()
            && (self.to_end || (!self.list.filter.is_empty() && self.filter_pages_left > 0))
    }

    /// The faces of the cursor's duplicate groups (all kinds it belongs to), in list order.
    pub fn cursor_group_faces(&self) -> Vec<&Face> {
        let Some(row) = self.list.visible.get(self.list.cursor) else {
            return Vec::new();
        };
        if !self.index.is_duplicate(*row) {
            return Vec::new();
        }
        self.index
            .group_members(*row)
            .into_iter()
            .map(|r| &self.list.rows[r])
            .collect()
    }

    /// Moves the cursor to the first face of the next (or previous) duplicate group in the
    /// visible order. False when there is none in that direction. A group starts where a
    /// duplicate face follows a face outside its groups; the walk costs the distance to it.
    pub fn jump_group(&mut self, forward: bool, page_rows: usize) -> bool {
        let list = &self.list;
        let index = &self.index;
        let key = |position: usize| {
            let row = *list.visible.get(position)?;
            index.is_duplicate(row).then(|| index.group_key(row))
        };
        let is_start = |p: usize| {
            let here = key(p);
            here.is_some() && (p == 0 || key(p - 1) != here)
        };
        let cursor = list.cursor;
        let target = if index.group_count() == 0 {
            None
        } else if forward {
            (cursor + 1..list.visible.len()).find(|&p| is_start(p))
        } else {
            (0..cursor).rev().find(|&p| is_start(p))
        };
        match target {
            Some(t) => {
                self.list.set_cursor(t, page_rows);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(n: u32, user: &str) -> Face {
        Face {
            face_id: format!("face-{n:03}"),
            external_image_id: Some(user.into()),
            image_id: Some(format!("img-{n}")),
            confidence: Some(90.0 + (n % 7) as f32),
            bounding_box: None,
            indexed_at: Some(i64::from(n % 5)),
        }
    }

    #[test]
    fn pages_merged_under_a_sort_and_a_filter_show_what_a_recompute_would() {
        let faces: Vec<Face> = (0..60).map(|n| face(n, &format!("u{}", n % 9))).collect();
        let mut state = State::new("c".into());
        state.list.set_filter("u".into());
        state.list.choose_sort(FaceSortColumn::Confidence, true);
        state.append_rows(faces[..20].to_vec());
        state.list.set_cursor(7, 10);
        let under_cursor = state.selected().unwrap().face_id.clone();
        for page in faces[20..].chunks(13) {
            state.append_rows(page.to_vec());
        }
        // A page repeating faces adds nothing.
        state.append_rows(faces[..5].to_vec());
        assert_eq!(state.list.rows.len(), 60);
        assert_eq!(state.selected().unwrap().face_id, under_cursor);
        let merged = state.list.visible.clone();
        state.recompute();
        assert_eq!(merged, state.list.visible);
        assert_eq!(state.selected().unwrap().face_id, under_cursor);
        assert_eq!(state.index.user_count(), 9);

        // A longer filter narrows what shows to what a recompute would show.
        state.list.set_filter("u3".into());
        state.narrow_filter();
        let narrowed = state.list.visible.clone();
        assert_eq!(narrowed.len(), 7, "faces 3, 12, … 57 of rider u3");
        state.recompute();
        assert_eq!(narrowed, state.list.visible);
    }
}
