//! The faces screen's state: the collection's faces (a `List` kept by face id, loaded page by
//! page as the user scrolls), duplicate groups (same user, same image, lookalikes found with
//! face search) and the duplicates-only mode, marks, the deletion in progress and its last
//! report, the reload gathering pages, and the jump flags. Read in the order `keys.rs` →
//! `update.rs` (pages, lookalike scan) → `refresh.rs` → `delete.rs` → `view.rs`.

pub mod delete;
pub mod jump;
pub mod keys;
pub mod refresh;
pub mod update;
pub mod view;

use crate::app::fetch::Fetch;
use crate::app::list::{ColumnSort, Keyed, List, Needle};
use crate::app::msg::Generation;
use crate::domain::Millis;
use crate::domain::faces::{
    DuplicateGroup, DuplicateKind, Face, LookalikeClusters, UnsuccessfulFaceDeletion,
    duplicate_groups,
};
use jump::{FaceJump, JumpRequest};
use std::collections::{BTreeSet, HashMap};

/// Faces asked for per `ListFaces` call: the API's maximum (`MaxResults` ≤ 4,096; the AWS
/// adapter and the sandbox pass it through), so 5,000 faces take 2 calls, not
/// 25 (each call spends a token of the account's Rekognition quota, whatever its size).
pub const FACES_PAGE_SIZE: u32 = 4096;
/// The next page is requested when the cursor gets this close to the end of the list.
pub const FACES_PREFETCH_ROWS: usize = 40;
/// Similarity (percent) from which face search calls two faces one person: the pipeline's
/// own `CheckFaceDuplicate` threshold.
pub const LOOKALIKE_THRESHOLD: f32 = 70.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceSortColumn {
    User,
    FaceId,
    Confidence,
    Indexed,
}

impl FaceSortColumn {
    pub fn title(self) -> &'static str {
        match self {
            FaceSortColumn::User => "user",
            FaceSortColumn::FaceId => "face id",
            FaceSortColumn::Confidence => "confidence",
            FaceSortColumn::Indexed => "indexed",
        }
    }
}

pub type FaceSort = ColumnSort<FaceSortColumn>;

impl Keyed for Face {
    fn key(&self) -> &str {
        &self.face_id
    }
}

/// A lookalike scan in progress: one `SearchFaces` at a time over the loaded faces.
#[derive(Debug, Clone, PartialEq)]
pub struct LookalikeScan {
    /// Face ids still to search, in list order.
    pub queue: Vec<String>,
    pub total: usize,
    pub searched: usize,
    pub in_flight: Option<Generation>,
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
    /// Show only faces that belong to a duplicate group, group by group.
    pub duplicates_only: bool,
    /// Duplicate groups among the loaded faces (same user, same image, lookalikes).
    pub groups: Vec<DuplicateGroup>,
    /// Face id -> indices into `groups`.
    group_index: HashMap<String, Vec<usize>>,
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
            duplicates_only: false,
            groups: Vec::new(),
            group_index: HashMap::new(),
            lookalikes: LookalikeClusters::default(),
            scan: None,
            marked: BTreeSet::new(),
            anchor: None,
            deletion: None,
            last_report: None,
            reload: None,
            updated_at: None,
            reload_requested_at: None,
            last_key_at: None,
            jump: None,
            jump_request: None,
        }
    }

    pub fn selected(&self) -> Option<&Face> {
        self.list.selected()
    }

    pub fn face(&self, face_id: &str) -> Option<&Face> {
        self.list.rows.iter().find(|f| f.face_id == face_id)
    }

    /// The kinds of duplicate group the face belongs to (empty: not a duplicate).
    pub fn duplicate_kinds(&self, face_id: &str) -> Vec<DuplicateKind> {
        let mut kinds: Vec<DuplicateKind> = self
            .group_index
            .get(face_id)
            .map(|groups| groups.iter().map(|&g| self.groups[g].kind).collect())
            .unwrap_or_default();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// The groups the face belongs to.
    pub fn groups_of(&self, face_id: &str) -> Vec<&DuplicateGroup> {
        self.group_index
            .get(face_id)
            .map(|groups| groups.iter().map(|&g| &self.groups[g]).collect())
            .unwrap_or_default()
    }

    /// Faces in at least one duplicate group.
    pub fn duplicate_face_count(&self) -> usize {
        self.group_index.len()
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

    /// Rebuilds groups and `visible` after a change of rows, filter, mode or sort, and puts
    /// the cursor back on the same face when it is still listed.
    pub fn recompute(&mut self) {
        let rows = &self.list.rows;
        self.groups = duplicate_groups(rows);
        self.groups.extend(self.lookalikes.groups(rows));
        self.group_index.clear();
        for (g, group) in self.groups.iter().enumerate() {
            for id in &group.face_ids {
                self.group_index.entry(id.clone()).or_default().push(g);
            }
        }
        let mut needle = self.list.needle();
        let mut visible: Vec<usize> = (0..rows.len())
            .filter(|&i| Self::matches_filter(&rows[i], &mut needle))
            .filter(|&i| !self.duplicates_only || self.group_index.contains_key(&rows[i].face_id))
            .collect();
        if let Some(sort) = self.list.sort {
            visible.sort_by(|&a, &b| {
                let (a, b) = (&rows[a], &rows[b]);
                let order = match sort.column {
                    FaceSortColumn::User => a
                        .external_image_id
                        .cmp(&b.external_image_id)
                        .then(a.indexed_at.cmp(&b.indexed_at)),
                    FaceSortColumn::FaceId => a.face_id.cmp(&b.face_id),
                    FaceSortColumn::Confidence => a
                        .confidence
                        .unwrap_or(0.0)
                        .total_cmp(&b.confidence.unwrap_or(0.0)),
                    FaceSortColumn::Indexed => a.indexed_at.cmp(&b.indexed_at),
                };
                sort.directed(order)
            });
        } else if self.duplicates_only {
            // Members of a group side by side, groups in order (stable within a group).
            let first_group = |i: usize| {
                self.group_index
                    .get(&rows[i].face_id)
                    .and_then(|g| g.first().copied())
                    .unwrap_or(usize::MAX)
            };
            visible.sort_by_key(|&i| first_group(i));
        }
        self.list.show(visible);
    }

    pub fn sort_by(&mut self, column: FaceSortColumn) {
        let descending_first =
            matches!(column, FaceSortColumn::Confidence | FaceSortColumn::Indexed);
        self.list.choose_sort(column, descending_first);
        self.recompute();
    }

    /// True when more faces exist and the cursor nears the end of those loaded — or when the
    /// duplicates mode needs every face to group them.
    pub fn wants_next_page(&self) -> bool {
        self.loaded
            && self.next_token.is_some()
            && !self.pages.busy()
            && (self.duplicates_only || self.list.near_end(FACES_PREFETCH_ROWS))
    }

    /// The groups of the face under the cursor, or None when it is not a duplicate.
    fn cursor_groups(&self) -> Option<Vec<&DuplicateGroup>> {
        let face = self.selected()?;
        let groups = self.groups_of(&face.face_id);
        (!groups.is_empty()).then_some(groups)
    }

    /// The faces of the cursor's duplicate groups (all kinds it belongs to), in list order.
    pub fn cursor_group_faces(&self) -> Vec<&Face> {
        let Some(groups) = self.cursor_groups() else {
            return Vec::new();
        };
        let ids: BTreeSet<&str> = groups
            .iter()
            .flat_map(|g| g.face_ids.iter().map(String::as_str))
            .collect();
        self.list
            .rows
            .iter()
            .filter(|f| ids.contains(f.face_id.as_str()))
            .collect()
    }

    /// Moves the cursor to the first face of the next (or previous) duplicate group in the
    /// visible order. False when there is none in that direction.
    pub fn jump_group(&mut self, forward: bool, page_rows: usize) -> bool {
        let list = &self.list;
        // A group starts where a duplicate face follows a face outside its groups.
        let key_of = |position: usize| -> Option<Vec<usize>> {
            let face = &list.rows[*list.visible.get(position)?];
            self.group_index.get(&face.face_id).cloned()
        };
        let starts: Vec<usize> = (0..list.visible.len())
            .filter(|&p| {
                let here = key_of(p);
                here.is_some() && (p == 0 || key_of(p - 1) != here)
            })
            .collect();
        let cursor = list.cursor;
        let current_start = starts.iter().rev().find(|&&s| s <= cursor).copied();
        let target = if forward {
            starts.iter().find(|&&s| s > cursor).copied()
        } else {
            match current_start {
                Some(s) if s < cursor => Some(s),
                _ => starts.iter().rev().find(|&&s| s < cursor).copied(),
            }
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
