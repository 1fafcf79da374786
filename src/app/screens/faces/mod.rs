//! The face collection view's state and transitions: faces loaded page by page as the user
//! scrolls, filter and sort, duplicate groups (same user, same image, lookalikes found with
//! face search), marks, and the deletion flow — confirm, delete, journal, refresh — in which
//! a deletion is only done once its journal lines are written.

pub mod jump;
pub mod refresh;
pub mod view;

use crate::app::effect::Effect;
use crate::app::flows::face_jump;
use crate::app::list::scroll_to;
use crate::app::list::{ColumnSort, Cursor};
use crate::app::msg::Generation;
use crate::app::overlays::{Confirm, ConfirmAction, InputPurpose, Overlay, TextInput};
use crate::app::screens::faces::refresh::Reload;
use crate::app::{App, NoticeLevel};
use crate::backend::{BackendError, Page};
use crate::domain::Millis;
use crate::domain::faces::{
    DeleteFacesResult, DuplicateGroup, DuplicateKind, Face, FaceMatch, LookalikeClusters,
    UnsuccessfulFaceDeletion, all_but_one, duplicate_groups,
};
use crate::domain::journal::{DeletionStatus, JournalContext, face_line};
use crate::keymap::action::Action;
use jump::{FaceJump, JumpRequest};
use std::collections::{BTreeSet, HashMap};

/// Faces asked for per `ListFaces` call (the API allows up to 4,096).
pub const FACES_PAGE_SIZE: u32 = 200;
/// The next page is requested when the cursor gets this close to the end of the list.
pub const FACES_PREFETCH_ROWS: usize = 40;
/// Similarity (percent) from which face search calls two faces one person: the pipeline's
/// own `CheckFaceDuplicate` threshold.
pub const LOOKALIKE_THRESHOLD: f32 = 70.0;
/// Face ids named one by one in the confirm dialog; more are counted.
const CONFIRM_LISTED_IDS: usize = 6;

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
    Deleting,
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
    /// Ok: the journal's path; Err: why it could not be written. None while writing.
    pub journal: Option<Result<String, String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FacesView {
    pub collection: String,
    /// Faces in server order, across the pages loaded so far.
    pub rows: Vec<Face>,
    pub next_token: Option<String>,
    /// A first page arrived.
    pub loaded: bool,
    /// The page request in flight and whether it appends (false: a reload from the top).
    pub in_flight: Option<(Generation, bool)>,
    pub error: Option<String>,
    /// Client-side filter on face id, user id and image id (case-insensitive).
    pub filter: String,
    pub sort: Option<FaceSort>,
    /// Show only faces that belong to a duplicate group, group by group.
    pub duplicates_only: bool,
    /// Duplicate groups among the loaded faces (same user, same image, lookalikes).
    pub groups: Vec<DuplicateGroup>,
    /// Face id -> indices into `groups`.
    group_index: HashMap<String, Vec<usize>>,
    pub lookalikes: LookalikeClusters,
    pub scan: Option<LookalikeScan>,
    /// Indices into `rows` after filtering, duplicates mode and sorting.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub cursor: usize,
    pub offset: usize,
    /// The face under the cursor, kept selected across reloads and re-sorts.
    pub cursor_face: Option<String>,
    /// Marked face ids (for deletion).
    pub marked: BTreeSet<String>,
    /// The face last marked or unmarked: one end of a range mark.
    pub anchor: Option<String>,
    pub deletion: Option<FaceDeletion>,
    pub last_report: Option<DeletionReport>,
    /// The reload gathering pages (its requests are the `in_flight` ones that do not append).
    pub reload: Option<Reload>,
    /// When the rows were last reloaded completely (the age shown in the title).
    pub updated_at: Option<Millis>,
    /// When the last reload was asked for (the automatic reload's interval runs from it).
    pub reload_requested_at: Option<Millis>,
    /// The faces the last jump from a rejected run found (flagged in the list).
    pub jump: Option<FaceJump>,
    /// A jump waiting for the run's input or the search.
    pub jump_request: Option<JumpRequest>,
}

impl FacesView {
    pub fn new(collection: String) -> Self {
        FacesView {
            collection,
            rows: Vec::new(),
            next_token: None,
            loaded: false,
            in_flight: None,
            error: None,
            filter: String::new(),
            sort: None,
            duplicates_only: false,
            groups: Vec::new(),
            group_index: HashMap::new(),
            lookalikes: LookalikeClusters::default(),
            scan: None,
            visible: Vec::new(),
            cursor: 0,
            offset: 0,
            cursor_face: None,
            marked: BTreeSet::new(),
            anchor: None,
            deletion: None,
            last_report: None,
            reload: None,
            updated_at: None,
            reload_requested_at: None,
            jump: None,
            jump_request: None,
        }
    }

    pub fn selected(&self) -> Option<&Face> {
        self.visible.get(self.cursor).map(|&i| &self.rows[i])
    }

    pub fn face(&self, face_id: &str) -> Option<&Face> {
        self.rows.iter().find(|f| f.face_id == face_id)
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

    fn matches_filter(face: &Face, needle: &str) -> bool {
        if needle.is_empty() {
            return true;
        }
        let hay = |s: &str| s.to_lowercase().contains(needle);
        hay(&face.face_id)
            || face.external_image_id.as_deref().is_some_and(hay)
            || face.image_id.as_deref().is_some_and(hay)
    }

    /// Rebuilds groups and `visible` after a change of rows, filter, mode or sort, and puts
    /// the cursor back on the same face when it is still listed.
    pub fn recompute(&mut self) {
        self.groups = duplicate_groups(&self.rows);
        self.groups.extend(self.lookalikes.groups(&self.rows));
        self.group_index.clear();
        for (g, group) in self.groups.iter().enumerate() {
            for id in &group.face_ids {
                self.group_index.entry(id.clone()).or_default().push(g);
            }
        }
        let needle = self.filter.to_lowercase();
        let mut visible: Vec<usize> = (0..self.rows.len())
            .filter(|&i| Self::matches_filter(&self.rows[i], &needle))
            .filter(|&i| {
                !self.duplicates_only || self.group_index.contains_key(&self.rows[i].face_id)
            })
            .collect();
        let rows = &self.rows;
        if let Some(sort) = self.sort {
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
        self.visible = visible;
        let rows = &self.rows;
        Cursor {
            visible: &self.visible,
            cursor: &mut self.cursor,
            key: &mut self.cursor_face,
        }
        .keep(|i| rows[i].face_id.clone());
    }

    pub fn set_cursor(&mut self, position: usize, page_rows: usize) {
        let rows = &self.rows;
        Cursor {
            visible: &self.visible,
            cursor: &mut self.cursor,
            key: &mut self.cursor_face,
        }
        .place(position, |i| rows[i].face_id.clone());
        self.offset = scroll_to(self.offset, self.cursor, page_rows);
    }

    pub fn sort_by(&mut self, column: FaceSortColumn) {
        let descending_first =
            matches!(column, FaceSortColumn::Confidence | FaceSortColumn::Indexed);
        self.sort = Some(FaceSort::chosen(self.sort, column, descending_first));
        self.recompute();
    }

    /// True when more faces exist and the cursor nears the end of those loaded — or when the
    /// duplicates mode needs every face to group them.
    pub fn wants_next_page(&self) -> bool {
        self.loaded
            && self.next_token.is_some()
            && self.in_flight.is_none()
            && (self.duplicates_only || self.cursor + FACES_PREFETCH_ROWS >= self.visible.len())
    }

    /// Toggles the mark of the face under the cursor.
    pub fn toggle_mark(&mut self) {
        let Some(id) = self.selected().map(|f| f.face_id.clone()) else {
            return;
        };
        if !self.marked.remove(&id) {
            self.marked.insert(id.clone());
        }
        self.anchor = Some(id);
    }

    /// Marks every visible face between the anchor (the face last toggled) and the cursor.
    /// False when there is no anchor on screen.
    pub fn mark_range(&mut self) -> bool {
        let anchor = self.anchor.as_ref().and_then(|id| {
            self.visible
                .iter()
                .position(|&i| &self.rows[i].face_id == id)
        });
        let Some(anchor) = anchor else {
            return false;
        };
        let (from, to) = (anchor.min(self.cursor), anchor.max(self.cursor));
        for &i in &self.visible[from..=to.min(self.visible.len().saturating_sub(1))] {
            self.marked.insert(self.rows[i].face_id.clone());
        }
        true
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
        self.rows
            .iter()
            .filter(|f| ids.contains(f.face_id.as_str()))
            .collect()
    }

    /// Moves the cursor to the first face of the next (or previous) duplicate group in the
    /// visible order. False when there is none in that direction.
    pub fn jump_group(&mut self, forward: bool, page_rows: usize) -> bool {
        // A group starts where a duplicate face follows a face outside its groups.
        let key_of = |position: usize| -> Option<Vec<usize>> {
            let face = &self.rows[*self.visible.get(position)?];
            self.group_index.get(&face.face_id).cloned()
        };
        let starts: Vec<usize> = (0..self.visible.len())
            .filter(|&p| {
                let here = key_of(p);
                here.is_some() && (p == 0 || key_of(p - 1) != here)
            })
            .collect();
        let current_start = starts.iter().rev().find(|&&s| s <= self.cursor).copied();
        let target = if forward {
            starts.iter().find(|&&s| s > self.cursor).copied()
        } else {
            match current_start {
                Some(s) if s < self.cursor => Some(s),
                _ => starts.iter().rev().find(|&&s| s < self.cursor).copied(),
            }
        };
        match target {
            Some(t) => {
                self.set_cursor(t, page_rows);
                true
            }
            None => false,
        }
    }

    /// The faces a delete acts on: the marked ones in list order, else the one under the
    /// cursor.
    pub fn deletion_targets(&self) -> Vec<Face> {
        if self.marked.is_empty() {
            return self.selected().cloned().into_iter().collect();
        }
        let mut targets: Vec<Face> = self
            .rows
            .iter()
            .filter(|f| self.marked.contains(&f.face_id))
            .cloned()
            .collect();
        // Marked faces no longer listed (e.g. deleted elsewhere) are still asked for: the
        // service says which ones it could not delete.
        for id in &self.marked {
            if !targets.iter().any(|f| &f.face_id == id) {
                targets.push(Face {
                    face_id: id.clone(),
                    external_image_id: None,
                    image_id: None,
                    confidence: None,
                    bounding_box: None,
                    indexed_at: None,
                });
            }
        }
        targets
    }
}

/// The confirm dialog for deleting `faces`: count, user ids and face ids, No selected.
pub fn delete_confirm(collection: &str, faces: Vec<Face>) -> Confirm {
    let mut users: Vec<&str> = faces
        .iter()
        .map(|f| f.external_image_id.as_deref().unwrap_or("(no user id)"))
        .collect();
    users.sort_unstable();
    users.dedup();
    let ids: Vec<&str> = faces
        .iter()
        .take(CONFIRM_LISTED_IDS)
        .map(|f| f.face_id.as_str())
        .collect();
    let more = match faces.len().saturating_sub(CONFIRM_LISTED_IDS) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let noun = if faces.len() == 1 { "face" } else { "faces" };
    let message = format!(
        "Delete {} {noun} from collection {collection}?\nusers: {}\nface ids: {}{more}\nThis \
         cannot be undone; each deletion is written to the journal.",
        faces.len(),
        users.join(", "),
        ids.join(", "),
    );
    Confirm {
        title: format!("Delete {} {noun}", faces.len()),
        message,
        yes_selected: false,
        on_yes: ConfirmAction::DeleteFaces {
            collection: collection.to_string(),
            faces,
        },
    }
}

impl App {
    /// The journal lines' context: now, the profile, account and region the console is
    /// connected to.
    pub fn journal_context(&self) -> JournalContext {
        let (profile, region) = match (&self.options.aws_target, &self.backend) {
            (Some(target), _) => (target.profile.clone(), target.region.clone()),
            (None, Some(info)) => (info.identity.clone(), info.region.clone()),
            (None, None) => ("unknown".to_string(), "unknown".to_string()),
        };
        JournalContext {
            time: self.now,
            profile,
            region,
            account: self.caller.as_ref().map(|c| c.account.clone()),
        }
    }

    fn next_faces_page_if_needed(&mut self) -> Vec<Effect> {
        if !self.faces.wants_next_page() {
            return Vec::new();
        }
        self.request_next_faces_page()
    }

    /// Asks for the page after those loaded.
    pub(crate) fn request_next_faces_page(&mut self) -> Vec<Effect> {
        let generation = self.next_generation();
        let view = &mut self.faces;
        view.in_flight = Some((generation, true));
        vec![Effect::LoadFaces {
            generation,
            collection: view.collection.clone(),
            next_token: view.next_token.clone(),
            page_size: FACES_PAGE_SIZE,
        }]
    }

    /// Entering the faces screen: the first load happens on first sight only.
    pub(crate) fn faces_shown(&mut self) -> Vec<Effect> {
        if self.faces.loaded || self.faces.in_flight.is_some() {
            return Vec::new();
        }
        self.reload_faces()
    }

    pub(crate) fn on_faces_page(
        &mut self,
        generation: Generation,
        result: Result<Page<Face>, BackendError>,
    ) -> Vec<Effect> {
        let page_rows = self.page_rows();
        let view = &mut self.faces;
        let Some((expected, append)) = view.in_flight else {
            return Vec::new();
        };
        if expected != generation {
            return Vec::new();
        }
        view.in_flight = None;
        match result {
            Ok(page) if append => {
                extend_new(&mut view.rows, page.items);
                view.next_token = page.next_token;
            }
            Ok(page) => {
                if let Some(next_page) = self.gather_reload_page(page) {
                    return next_page;
                }
            }
            Err(e) => {
                view.reload = None;
                view.error = Some(format!("listing faces failed: {e}"));
                face_jump::abandon_jump(self);
                return Vec::new();
            }
        }
        let view = &mut self.faces;
        view.loaded = true;
        view.error = None;
        view.recompute();
        let cursor = view.cursor;
        view.set_cursor(cursor, page_rows);
        let mut effects = face_jump::settle_jump(self);
        effects.extend(self.next_faces_page_if_needed());
        effects.extend(self.continue_scan());
        effects
    }

    /// Starts (or stops) searching every loaded face for lookalikes under other user ids.
    fn toggle_lookalike_scan(&mut self) -> Vec<Effect> {
        if self.faces.scan.take().is_some() {
            self.notify(NoticeLevel::Info, "lookalike search stopped");
            return Vec::new();
        }
        let view = &self.faces;
        let queue: Vec<String> = view
            .visible
            .iter()
            .map(|&i| view.rows[i].face_id.clone())
            .filter(|id| !view.lookalikes.was_searched(id))
            .collect();
        if queue.is_empty() {
            self.notify(NoticeLevel::Info, "every listed face was already searched");
            return Vec::new();
        }
        self.faces.scan = Some(LookalikeScan {
            total: queue.len(),
            queue,
            searched: 0,
            in_flight: None,
        });
        self.continue_scan()
    }

    /// Sends the next search of the scan (one at a time: a bounded load on the account).
    fn continue_scan(&mut self) -> Vec<Effect> {
        let generation = self.next_generation();
        let view = &mut self.faces;
        let Some(scan) = view.scan.as_mut() else {
            return Vec::new();
        };
        if scan.in_flight.is_some() {
            return Vec::new();
        }
        // Faces already in a cluster would find the same cluster again: skip them.
        while let Some(next) = scan.queue.first() {
            if view.lookalikes.is_clustered(next) || view.lookalikes.was_searched(next) {
                scan.queue.remove(0);
                scan.searched += 1;
            } else {
                break;
            }
        }
        if scan.queue.is_empty() {
            view.scan = None;
            let found = view
                .groups
                .iter()
                .filter(|g| g.kind == DuplicateKind::Lookalike)
                .count();
            self.notify(
                NoticeLevel::Info,
                format!(
                    "lookalike search done: {found} group(s) of one face under several user ids"
                ),
            );
            return Vec::new();
        }
        let face_id = scan.queue.remove(0);
        scan.in_flight = Some(generation);
        vec![Effect::SearchFaces {
            generation,
            collection: view.collection.clone(),
            face_id,
            threshold: LOOKALIKE_THRESHOLD,
        }]
    }

    pub(crate) fn on_face_matches(
        &mut self,
        generation: Generation,
        face_id: String,
        result: Result<Vec<FaceMatch>, BackendError>,
    ) -> Vec<Effect> {
        let view = &mut self.faces;
        let Some(scan) = view.scan.as_mut() else {
            return Vec::new();
        };
        if scan.in_flight != Some(generation) {
            return Vec::new();
        }
        scan.in_flight = None;
        scan.searched += 1;
        match result {
            Ok(matches) => {
                view.lookalikes.add(&face_id, &matches);
                view.recompute();
                self.continue_scan()
            }
            Err(e) => {
                view.scan = None;
                self.notify(
                    NoticeLevel::Error,
                    format!("face search failed, lookalike search stopped: {e}"),
                );
                Vec::new()
            }
        }
    }

    /// Confirmed: sends the deletion. Refused without a journal location: a deletion without
    /// a record is what the journal exists to prevent.
    pub(crate) fn delete_faces_confirmed(
        &mut self,
        collection: String,
        faces: Vec<Face>,
    ) -> Vec<Effect> {
        if self.options.journal_path.is_none() {
            self.notify(
                NoticeLevel::Error,
                "no journal location (no data dir): set journal_path in the settings to delete",
            );
            return Vec::new();
        }
        if self.faces.deletion.is_some() {
            self.notify(NoticeLevel::Error, "a deletion is still in progress");
            return Vec::new();
        }
        let generation = self.next_generation();
        let face_ids: Vec<String> = faces.iter().map(|f| f.face_id.clone()).collect();
        self.notify(
            NoticeLevel::Info,
            format!("deleting {} face(s)…", face_ids.len()),
        );
        self.faces.deletion = Some(FaceDeletion {
            generation,
            report: DeletionReport {
                requested: faces.len(),
                ..DeletionReport::default()
            },
            faces,
            stage: DeletionStage::Deleting,
        });
        vec![Effect::DeleteFaces {
            generation,
            collection,
            face_ids,
        }]
    }

    /// The delete call answered: journal the faces it deleted (all of them as `unknown` if
    /// the call failed part-way) before the deletion counts as done.
    pub(crate) fn on_faces_deleted(
        &mut self,
        generation: Generation,
        result: Result<DeleteFacesResult, BackendError>,
    ) -> Vec<Effect> {
        let context = self.journal_context();
        let journal_generation = self.next_generation();
        let collection = self.faces.collection.clone();
        let Some(deletion) = self.faces.deletion.as_mut() else {
            return Vec::new();
        };
        if deletion.generation != generation || deletion.stage != DeletionStage::Deleting {
            return Vec::new();
        }
        let lines: Vec<String> = match result {
            Ok(result) => {
                let lines = deletion
                    .faces
                    .iter()
                    .filter(|f| result.deleted.contains(&f.face_id))
                    .map(|f| face_line(&context, &collection, f, DeletionStatus::Deleted))
                    .collect();
                deletion.report.deleted = result.deleted;
                deletion.report.unsuccessful = result.unsuccessful;
                lines
            }
            Err(e) => {
                deletion.report.error = Some(e.to_string());
                deletion
                    .faces
                    .iter()
                    .map(|f| face_line(&context, &collection, f, DeletionStatus::Unknown))
                    .collect()
            }
        };
        if lines.is_empty() {
            // Nothing was deleted: nothing to record.
            return self.finish_face_deletion();
        }
        deletion.stage = DeletionStage::Journaling {
            generation: journal_generation,
        };
        let path = self
            .options
            .journal_path
            .clone()
            .expect("checked before deleting");
        vec![Effect::AppendJournal {
            generation: journal_generation,
            path,
            lines,
        }]
    }

    /// Whether a journal answer belongs to the faces view's deletion.
    pub(crate) fn faces_journal_generation(&self) -> Option<Generation> {
        match self.faces.deletion.as_ref()?.stage {
            DeletionStage::Journaling { generation } => Some(generation),
            DeletionStage::Deleting => None,
        }
    }

    pub(crate) fn on_faces_journal_written(
        &mut self,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        if let Some(deletion) = self.faces.deletion.as_mut() {
            deletion.report.journal = Some(result);
        }
        self.finish_face_deletion()
    }

    /// The deletion is done: report it, unmark the deleted faces and reload the list.
    fn finish_face_deletion(&mut self) -> Vec<Effect> {
        let Some(deletion) = self.faces.deletion.take() else {
            return Vec::new();
        };
        let report = deletion.report;
        for id in &report.deleted {
            self.faces.marked.remove(id);
        }
        let (level, text) = deletion_notice(&report);
        self.notify(level, text);
        self.faces.last_report = Some(report);
        self.reload_faces()
    }
}

/// The notice after a deletion: what was deleted, what failed, where the journal is.
pub fn deletion_notice(report: &DeletionReport) -> (NoticeLevel, String) {
    let mut text = match &report.error {
        Some(e) => format!("delete failed part-way: {e}"),
        None => format!(
            "deleted {} of {} face(s)",
            report.deleted.len(),
            report.requested
        ),
    };
    if !report.unsuccessful.is_empty() {
        text.push_str(&format!(", {} not deleted", report.unsuccessful.len()));
    }
    let mut level = if report.error.is_some() || !report.unsuccessful.is_empty() {
        NoticeLevel::Error
    } else {
        NoticeLevel::Info
    };
    match &report.journal {
        Some(Ok(path)) => text.push_str(&format!(" · journal: {path}")),
        Some(Err(e)) => {
            level = NoticeLevel::Error;
            text.push_str(&format!(
                " · JOURNAL NOT WRITTEN ({e}); deleted ids: {}",
                report.deleted.join(", ")
            ));
        }
        None => {}
    }
    (level, text)
}

/// Performs an action of the faces screen.
pub(crate) fn faces_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.page_rows();
    let view = &mut app.faces;
    if let Some(target) = crate::app::list::moved(action, view.cursor, page) {
        view.set_cursor(target, page);
        return app.next_faces_page_if_needed();
    }
    match action {
        Action::ToggleMark => {
            view.toggle_mark();
            let next = view.cursor + 1;
            view.set_cursor(next, page);
        }
        Action::MarkRange if !view.mark_range() => {
            app.notify(
                NoticeLevel::Info,
                "mark a face with Space first: the range runs from it to the cursor",
            );
        }
        Action::MarkGroup => {
            let ids: Vec<String> = view
                .cursor_group_faces()
                .iter()
                .map(|f| f.face_id.clone())
                .collect();
            if ids.is_empty() {
                app.notify(NoticeLevel::Info, "this face is not in a duplicate group");
            } else {
                view.marked.extend(ids);
            }
        }
        Action::KeepNewest | Action::KeepOldest => {
            let keep_newest = action == Action::KeepNewest;
            let group = view.cursor_group_faces();
            if group.is_empty() {
                app.notify(NoticeLevel::Info, "this face is not in a duplicate group");
            } else {
                match all_but_one(&group, keep_newest) {
                    Some(ids) => {
                        let group_ids: Vec<String> =
                            group.iter().map(|f| f.face_id.clone()).collect();
                        for id in group_ids {
                            view.marked.remove(&id);
                        }
                        view.marked.extend(ids);
                    }
                    None => app.notify(
                        NoticeLevel::Error,
                        "indexed times are unknown for this group: mark the faces to delete by hand",
                    ),
                }
            }
        }
        Action::ClearMarks => view.marked.clear(),
        Action::NextGroup | Action::PrevGroup
            if !view.jump_group(action == Action::NextGroup, page) =>
        {
            let text = if view.groups.is_empty() {
                "no duplicate groups among the loaded faces"
            } else {
                "no further duplicate group in that direction"
            };
            app.notify(NoticeLevel::Info, text);
        }
        Action::ToggleDuplicates => {
            view.duplicates_only = !view.duplicates_only;
            view.recompute();
            let cursor = view.cursor;
            view.set_cursor(cursor, page);
        }
        Action::FindLookalikes => return app.toggle_lookalike_scan(),
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
            view.sort_by(column);
            let cursor = view.cursor;
            view.set_cursor(cursor, page);
        }
        Action::Filter => {
            let current = view.filter.clone();
            app.overlay = Some(Overlay::Input(TextInput {
                purpose: InputPurpose::FacesFilter,
                text: current.clone(),
                previous: current,
            }));
        }
        Action::Back if !view.filter.is_empty() => {
            return apply_faces_filter(app, String::new());
        }
        Action::Back if view.scan.is_some() => return app.toggle_lookalike_scan(),
        Action::Back => return app.switch_screen(crate::app::screen::Screen::Executions),
        // A reload supersedes a page load, not another reload.
        Action::Refresh if view.in_flight.is_none_or(|(_, append)| append) => {
            return app.reload_faces();
        }
        Action::Delete => {
            let targets = view.deletion_targets();
            if targets.is_empty() {
                app.notify(NoticeLevel::Info, "no face to delete");
            } else if view.deletion.is_some() {
                app.notify(NoticeLevel::Error, "a deletion is still in progress");
            } else {
                let collection = view.collection.clone();
                app.overlay = Some(Overlay::Confirm(delete_confirm(&collection, targets)));
            }
        }
        _ => {}
    }
    app.next_faces_page_if_needed()
}

/// Appends the faces of a page that `rows` does not hold yet (pages can overlap when the
/// collection changes between calls).
pub(crate) fn extend_new(rows: &mut Vec<Face>, items: Vec<Face>) {
    let known: std::collections::HashSet<String> = rows.iter().map(|f| f.face_id.clone()).collect();
    rows.extend(items.into_iter().filter(|f| !known.contains(&f.face_id)));
}

/// The `/` filter of the faces list, applied as typed.
pub(crate) fn apply_faces_filter(app: &mut App, text: String) -> Vec<Effect> {
    let page = app.page_rows();
    let view = &mut app.faces;
    view.filter = text;
    view.recompute();
    let cursor = view.cursor;
    view.set_cursor(cursor, page);
    app.next_faces_page_if_needed()
}
