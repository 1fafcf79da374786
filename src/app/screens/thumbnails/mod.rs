//! The thumbnail bucket view's state and transitions: which bucket (settings, else found by
//! the stack's naming), its objects page by page with filter and sort, the source photo of
//! each thumbnail, the preview of the selected image (fetched, decoded and fitted off the UI
//! thread after the cursor settles), copying key or URI, and the confirmed, journaled delete.

pub mod view;

use crate::app::effect::Effect;
use crate::app::list::scroll_to;
use crate::app::list::{ColumnSort, Cursor};
use crate::app::msg::Generation;
use crate::app::msg::{PreviewFailure, PreviewImage};
use crate::app::overlays::{Confirm, ConfirmAction, InputPurpose, Overlay, TextInput};
use crate::app::screen::Screen;
use crate::app::{App, NoticeLevel};
use crate::backend::{BackendError, Page};
use crate::domain::Millis;
use crate::domain::journal::{DeletionStatus, object_line};
use crate::domain::objects::{
    BucketInfo, ObjectInfo, find_photo_bucket, find_thumbnail_bucket, source_key,
};
use crate::keymap::action::Action;
use std::collections::HashSet;

/// Objects asked for per `ListObjectsV2` call (the API returns at most 1,000).
pub const OBJECTS_PAGE_SIZE: u32 = 200;
pub const OBJECTS_PREFETCH_ROWS: usize = 40;
/// The preview is fetched once the cursor rests this long: scrolling through a list does not
/// download every image on the way.
pub const PREVIEW_DEBOUNCE_MS: Millis = 150;
/// Photo keys listed to match thumbnails with their sources; beyond, matching says "?".
pub const MAX_PHOTO_KEYS: usize = 20_000;
/// Below this terminal width the preview pane is left out.
pub const PREVIEW_MIN_WIDTH: u16 = 90;
/// Lines under the image in the preview pane: key, size and dimensions, type, source.
pub const PREVIEW_INFO_LINES: u16 = 4;

/// Width of the preview pane for a body `width` columns wide, None when it does not fit.
pub fn preview_pane_width(width: u16) -> Option<u16> {
    (width >= PREVIEW_MIN_WIDTH).then(|| (width * 2 / 5).min(64))
}

/// Cells (columns, rows) the image may fill at this terminal size: the pane minus its
/// borders and info lines, with the header, title, notice and hint lines taken off. Shared
/// by the update (to size the decoded image) and the view (to place it).
pub fn preview_image_cells(viewport: (u16, u16)) -> Option<(u16, u16)> {
    let pane = preview_pane_width(viewport.0)?;
    let rows = viewport.1.checked_sub(4 + 2 + PREVIEW_INFO_LINES)?;
    let columns = pane.checked_sub(2)?;
    (rows >= 2 && columns >= 4).then_some((columns, rows))
}

#[derive(Debug, Clone)]
pub enum PreviewState {
    /// The request for `key` is out.
    Loading {
        generation: Generation,
        key: String,
    },
    Ready {
        key: String,
        image: PreviewImage,
    },
    Failed {
        key: String,
        failure: PreviewFailure,
    },
}

impl PreviewState {
    pub fn key(&self) -> &str {
        match self {
            PreviewState::Loading { key, .. }
            | PreviewState::Ready { key, .. }
            | PreviewState::Failed { key, .. } => key,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectSortColumn {
    Key,
    Size,
    Modified,
}

impl ObjectSortColumn {
    pub fn title(self) -> &'static str {
        match self {
            ObjectSortColumn::Key => "key",
            ObjectSortColumn::Size => "size",
            ObjectSortColumn::Modified => "modified",
        }
    }
}

pub type ObjectSort = ColumnSort<ObjectSortColumn>;

/// Whether a thumbnail's source photo is in the photo bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceMatch {
    /// The key does not follow the `resized-<key>` rule.
    NoRule,
    Found,
    /// The photo bucket was listed completely and holds no such key.
    Missing,
    /// Not known (no photo bucket, or not listed yet).
    Unknown,
}

/// A deletion from confirmation until its journal line is written.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDeletion {
    pub generation: Generation,
    pub bucket: String,
    pub object: ObjectInfo,
    pub error: Option<String>,
    pub journal_generation: Option<Generation>,
}

#[derive(Debug, Clone, Default)]
pub struct ThumbnailsView {
    /// From the settings, or found among the buckets.
    pub bucket: Option<String>,
    /// Why no bucket is shown (none found, several, listing failed).
    pub bucket_problem: Option<String>,
    pub buckets_in_flight: Option<Generation>,
    pub buckets_listed: bool,
    /// The photo bucket (sources of the thumbnails), when found.
    pub photo_bucket: Option<String>,
    /// Every bucket listed (completions of `:bucket`).
    pub bucket_names: Vec<String>,
    pub photo_keys: HashSet<String>,
    pub photo_next_token: Option<String>,
    pub photos_complete: bool,
    pub photos_in_flight: Option<Generation>,
    pub objects: Vec<ObjectInfo>,
    pub next_token: Option<String>,
    pub loaded: bool,
    /// The page request in flight and whether it appends (false: a reload).
    pub in_flight: Option<(Generation, bool)>,
    pub error: Option<String>,
    pub filter: String,
    pub sort: Option<ObjectSort>,
    /// Indices into `objects` after filter and sort.
    pub visible: Vec<usize>,
    pub cursor: usize,
    pub offset: usize,
    pub cursor_key: Option<String>,
    pub preview: Option<PreviewState>,
    /// When the preview of the cursor's object should be fetched (the cursor has rested).
    pub preview_due: Option<Millis>,
    pub deletion: Option<ObjectDeletion>,
}

impl ThumbnailsView {
    pub fn new(bucket: Option<String>) -> Self {
        ThumbnailsView {
            bucket,
            ..ThumbnailsView::default()
        }
    }

    pub fn selected(&self) -> Option<&ObjectInfo> {
        self.visible.get(self.cursor).map(|&i| &self.objects[i])
    }

    pub fn source_match(&self, key: &str) -> SourceMatch {
        let Some(source) = source_key(key) else {
            return SourceMatch::NoRule;
        };
        if self.photo_keys.contains(source) {
            SourceMatch::Found
        } else if self.photos_complete {
            SourceMatch::Missing
        } else {
            SourceMatch::Unknown
        }
    }

    pub fn recompute(&mut self) {
        let needle = self.filter.to_lowercase();
        let objects = &self.objects;
        let mut visible: Vec<usize> = (0..objects.len())
            .filter(|&i| needle.is_empty() || objects[i].key.to_lowercase().contains(&needle))
            .collect();
        if let Some(sort) = self.sort {
            visible.sort_by(|&a, &b| {
                let (a, b) = (&objects[a], &objects[b]);
                let order = match sort.column {
                    ObjectSortColumn::Key => a.key.cmp(&b.key),
                    ObjectSortColumn::Size => a.size.cmp(&b.size),
                    ObjectSortColumn::Modified => a.last_modified.cmp(&b.last_modified),
                };
                sort.directed(order)
            });
        }
        self.visible = visible;
        let objects = &self.objects;
        Cursor {
            visible: &self.visible,
            cursor: &mut self.cursor,
            key: &mut self.cursor_key,
        }
        .keep(|i| objects[i].key.clone());
    }

    pub fn set_cursor(&mut self, position: usize, page_rows: usize) {
        let objects = &self.objects;
        Cursor {
            visible: &self.visible,
            cursor: &mut self.cursor,
            key: &mut self.cursor_key,
        }
        .place(position, |i| objects[i].key.clone());
        self.offset = scroll_to(self.offset, self.cursor, page_rows);
    }

    pub fn sort_by(&mut self, column: ObjectSortColumn) {
        let descending_first = column != ObjectSortColumn::Key;
        self.sort = Some(ObjectSort::chosen(self.sort, column, descending_first));
        self.recompute();
    }

    fn wants_next_page(&self) -> bool {
        self.loaded
            && self.next_token.is_some()
            && self.in_flight.is_none()
            && self.cursor + OBJECTS_PREFETCH_ROWS >= self.visible.len()
    }

    /// The preview shown matches the cursor (or is on its way).
    fn preview_is_current(&self) -> bool {
        match (&self.preview, &self.cursor_key) {
            (Some(p), Some(key)) => p.key() == key,
            _ => false,
        }
    }
}

/// `s3://bucket/key`.
pub fn s3_uri(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}

impl App {
    /// Entering the thumbnails screen: find the bucket, list it, resume the source listing.
    pub(crate) fn thumbnails_shown(&mut self) -> Vec<Effect> {
        // The bucket list is needed to find the thumbnail bucket when it is not set, and the
        // photo bucket in any case (sources).
        let mut effects = self.list_buckets_once();
        let view = &self.thumbnails;
        if view.bucket.is_some() && !view.loaded && view.in_flight.is_none() {
            effects.extend(self.reload_objects());
        }
        effects.extend(self.next_photo_page_if_needed());
        self.thumbnails.preview_due = Some(self.now);
        effects
    }

    /// Lists the buckets unless that was done or is under way.
    pub(crate) fn list_buckets_once(&mut self) -> Vec<Effect> {
        let view = &self.thumbnails;
        if view.buckets_listed || view.buckets_in_flight.is_some() {
            return Vec::new();
        }
        let generation = self.next_generation();
        self.thumbnails.buckets_in_flight = Some(generation);
        vec![Effect::LoadBuckets { generation }]
    }

    pub fn reload_objects(&mut self) -> Vec<Effect> {
        let Some(bucket) = self.thumbnails.bucket.clone() else {
            return Vec::new();
        };
        let generation = self.next_generation();
        self.thumbnails.in_flight = Some((generation, false));
        vec![Effect::LoadObjects {
            generation,
            bucket,
            continuation: None,
            page_size: OBJECTS_PAGE_SIZE,
        }]
    }

    fn next_objects_page_if_needed(&mut self) -> Vec<Effect> {
        if !self.thumbnails.wants_next_page() {
            return Vec::new();
        }
        let Some(bucket) = self.thumbnails.bucket.clone() else {
            return Vec::new();
        };
        let generation = self.next_generation();
        self.thumbnails.in_flight = Some((generation, true));
        vec![Effect::LoadObjects {
            generation,
            bucket,
            continuation: self.thumbnails.next_token.clone(),
            page_size: OBJECTS_PAGE_SIZE,
        }]
    }

    /// The photo bucket is listed page after page (one at a time, while the screen shows)
    /// up to `MAX_PHOTO_KEYS`, to match thumbnails with their sources.
    fn next_photo_page_if_needed(&mut self) -> Vec<Effect> {
        let view = &self.thumbnails;
        let Some(bucket) = view.photo_bucket.clone() else {
            return Vec::new();
        };
        if view.photos_complete
            || view.photos_in_flight.is_some()
            || view.photo_keys.len() >= MAX_PHOTO_KEYS
            || self.screen != Screen::Thumbnails
        {
            return Vec::new();
        }
        let generation = self.next_generation();
        self.thumbnails.photos_in_flight = Some(generation);
        vec![Effect::LoadObjects {
            generation,
            bucket,
            continuation: self.thumbnails.photo_next_token.clone(),
            page_size: 1000,
        }]
    }

    pub(crate) fn on_buckets(
        &mut self,
        generation: Generation,
        result: Result<Vec<BucketInfo>, BackendError>,
    ) -> Vec<Effect> {
        let view = &mut self.thumbnails;
        if view.buckets_in_flight != Some(generation) {
            return Vec::new();
        }
        view.buckets_in_flight = None;
        let buckets = match result {
            Ok(buckets) => buckets,
            Err(e) => {
                if view.bucket.is_none() {
                    view.bucket_problem = Some(format!(
                        "listing buckets failed ({e}): choose one with :bucket <name>"
                    ));
                }
                return Vec::new();
            }
        };
        view.buckets_listed = true;
        view.bucket_names = buckets.iter().map(|b| b.name.clone()).collect();
        view.photo_bucket = find_photo_bucket(&buckets).map(|b| b.name.clone());
        if let Some(photos) = view.photo_bucket.clone() {
            self.runs.photo_bucket_found(&photos);
        }
        let view = &mut self.thumbnails;
        let mut effects = Vec::new();
        if view.bucket.is_none() {
            match find_thumbnail_bucket(&buckets) {
                Some(found) => {
                    view.bucket = Some(found.name.clone());
                    // Listed now if shown, else when the screen is entered.
                    if self.screen == Screen::Thumbnails {
                        effects.extend(self.reload_objects());
                    }
                }
                None => {
                    let candidates = buckets
                        .iter()
                        .filter(|b| b.name.to_ascii_lowercase().contains("thumbnail"))
                        .count();
                    view.bucket_problem = Some(if candidates > 1 {
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
        effects.extend(self.next_photo_page_if_needed());
        effects
    }

    pub(crate) fn on_objects(
        &mut self,
        generation: Generation,
        result: Result<Page<ObjectInfo>, BackendError>,
    ) -> Vec<Effect> {
        if self.thumbnails.photos_in_flight == Some(generation) {
            return self.on_photo_page(result);
        }
        let page_rows = self.page_rows();
        let now = self.now;
        let view = &mut self.thumbnails;
        let Some((expected, append)) = view.in_flight else {
            return Vec::new();
        };
        if expected != generation {
            return Vec::new();
        }
        view.in_flight = None;
        match result {
            Ok(page) => {
                if append {
                    let known: HashSet<String> =
                        view.objects.iter().map(|o| o.key.clone()).collect();
                    view.objects
                        .extend(page.items.into_iter().filter(|o| !known.contains(&o.key)));
                } else {
                    view.objects = page.items;
                }
                view.next_token = page.next_token;
                view.loaded = true;
                view.error = None;
                view.recompute();
                let cursor = view.cursor;
                view.set_cursor(cursor, page_rows);
                if !view.preview_is_current() {
                    view.preview_due = Some(now);
                }
            }
            Err(e) => {
                view.error = Some(format!("listing objects failed: {e}"));
                return Vec::new();
            }
        }
        self.next_objects_page_if_needed()
    }

    fn on_photo_page(&mut self, result: Result<Page<ObjectInfo>, BackendError>) -> Vec<Effect> {
        let view = &mut self.thumbnails;
        view.photos_in_flight = None;
        match result {
            Ok(page) => {
                view.photo_keys
                    .extend(page.items.into_iter().map(|o| o.key));
                view.photos_complete = page.next_token.is_none();
                view.photo_next_token = page.next_token;
                self.next_photo_page_if_needed()
            }
            Err(_) => {
                // Sources stay "?"; the thumbnails themselves are unaffected.
                view.photo_bucket = None;
                Vec::new()
            }
        }
    }

    /// The preview wake-up while the thumbnails show.
    pub(crate) fn thumbnails_wakeup(&self) -> Option<Millis> {
        (self.screen == Screen::Thumbnails)
            .then_some(self.thumbnails.preview_due)
            .flatten()
    }

    /// On a tick: fetch the preview of the object the cursor rests on.
    pub(crate) fn thumbnails_tick(&mut self) -> Vec<Effect> {
        if self.screen != Screen::Thumbnails {
            return Vec::new();
        }
        match self.thumbnails.preview_due {
            Some(due) if due <= self.now => {}
            _ => return Vec::new(),
        }
        self.thumbnails.preview_due = None;
        let view = &self.thumbnails;
        let (Some(bucket), Some(object)) = (view.bucket.clone(), view.selected().cloned()) else {
            return Vec::new();
        };
        let Some(cells) = preview_image_cells(self.viewport) else {
            return Vec::new();
        };
        let fresh = match &view.preview {
            Some(PreviewState::Ready { key, image }) => *key == object.key && image.cells == cells,
            Some(PreviewState::Loading { key, .. } | PreviewState::Failed { key, .. }) => {
                *key == object.key
            }
            None => false,
        };
        if fresh {
            return Vec::new();
        }
        let generation = self.next_generation();
        self.thumbnails.preview = Some(PreviewState::Loading {
            generation,
            key: object.key.clone(),
        });
        vec![Effect::LoadPreview {
            generation,
            bucket,
            key: object.key,
            cells,
        }]
    }

    /// The terminal changed size: refit the preview once the size settles.
    pub(crate) fn thumbnails_resized(&mut self) {
        if matches!(self.thumbnails.preview, Some(PreviewState::Ready { .. })) {
            self.thumbnails.preview_due = Some(self.now + PREVIEW_DEBOUNCE_MS);
        }
    }

    pub(crate) fn on_preview(
        &mut self,
        generation: Generation,
        key: String,
        result: Result<PreviewImage, PreviewFailure>,
    ) -> Vec<Effect> {
        let view = &mut self.thumbnails;
        match &view.preview {
            Some(PreviewState::Loading { generation: g, .. }) if *g == generation => {}
            _ => return Vec::new(),
        }
        view.preview = Some(match result {
            Ok(image) => PreviewState::Ready { key, image },
            Err(failure) => PreviewState::Failed { key, failure },
        });
        Vec::new()
    }

    pub(crate) fn delete_object_confirmed(
        &mut self,
        bucket: String,
        object: ObjectInfo,
    ) -> Vec<Effect> {
        if self.options.journal_path.is_none() {
            self.notify(
                NoticeLevel::Error,
                "no journal location (no data dir): set journal_path in the settings to delete",
            );
            return Vec::new();
        }
        if self.thumbnails.deletion.is_some() {
            self.notify(NoticeLevel::Error, "a deletion is still in progress");
            return Vec::new();
        }
        let generation = self.next_generation();
        let key = object.key.clone();
        self.notify(
            NoticeLevel::Info,
            format!("deleting {}…", s3_uri(&bucket, &key)),
        );
        self.thumbnails.deletion = Some(ObjectDeletion {
            generation,
            bucket: bucket.clone(),
            object,
            error: None,
            journal_generation: None,
        });
        vec![Effect::DeleteObject {
            generation,
            bucket,
            key,
        }]
    }

    /// The delete answered: journal it (as `unknown` when the call failed, since S3 may
    /// have deleted the object before the answer was lost) before it counts as done.
    pub(crate) fn on_object_deleted(
        &mut self,
        generation: Generation,
        result: Result<(), BackendError>,
    ) -> Vec<Effect> {
        let context = {
            let (_, cx) = crate::app::lend!(self, thumbnails);
            cx.journal_context()
        };
        let journal_generation = self.next_generation();
        let Some(path) = self.options.journal_path.clone() else {
            return Vec::new();
        };
        let Some(deletion) = self.thumbnails.deletion.as_mut() else {
            return Vec::new();
        };
        if deletion.generation != generation || deletion.journal_generation.is_some() {
            return Vec::new();
        }
        let status = match result {
            Ok(()) => DeletionStatus::Deleted,
            Err(e) => {
                deletion.error = Some(e.to_string());
                DeletionStatus::Unknown
            }
        };
        deletion.journal_generation = Some(journal_generation);
        let line = object_line(&context, &deletion.bucket, &deletion.object, status);
        vec![Effect::AppendJournal {
            generation: journal_generation,
            path,
            lines: vec![line],
        }]
    }

    pub(crate) fn thumbnails_journal_generation(&self) -> Option<Generation> {
        self.thumbnails.deletion.as_ref()?.journal_generation
    }

    pub(crate) fn on_thumbnails_journal_written(
        &mut self,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        let Some(deletion) = self.thumbnails.deletion.take() else {
            return Vec::new();
        };
        let uri = s3_uri(&deletion.bucket, &deletion.object.key);
        let (mut level, mut text) = match &deletion.error {
            Some(e) => (NoticeLevel::Error, format!("delete of {uri} failed: {e}")),
            None => (NoticeLevel::Info, format!("deleted {uri}")),
        };
        match result {
            Ok(path) => text.push_str(&format!(" · journal: {path}")),
            Err(e) => {
                level = NoticeLevel::Error;
                text.push_str(&format!(" · JOURNAL NOT WRITTEN ({e})"));
            }
        }
        self.notify(level, text);
        if self
            .thumbnails
            .preview
            .as_ref()
            .is_some_and(|p| p.key() == deletion.object.key)
        {
            self.thumbnails.preview = None;
        }
        self.reload_objects()
    }
}

/// The confirm dialog for deleting one object.
pub fn delete_object_confirm(bucket: &str, object: ObjectInfo) -> Confirm {
    Confirm {
        title: "Delete object".into(),
        message: format!(
            "Delete {} ({} bytes)? This cannot be undone; the deletion is written to the \
             journal.",
            s3_uri(bucket, &object.key),
            object.size
        ),
        yes_selected: false,
        on_yes: ConfirmAction::DeleteObject {
            bucket: bucket.to_string(),
            object,
        },
    }
}

/// Performs an action of the thumbnails screen.
pub(crate) fn thumbnails_action(app: &mut App, action: Action) -> Vec<Effect> {
    let page = app.page_rows();
    let now = app.now;
    let view = &mut app.thumbnails;
    let before = view.cursor_key.clone();
    let mut effects = match action {
        _ if crate::app::list::moved(action, view.cursor, page).is_some() => {
            let target = crate::app::list::moved(action, view.cursor, page).unwrap_or(0);
            view.set_cursor(target, page);
            Vec::new()
        }
        Action::SortByKey | Action::SortBySize | Action::SortByModified => {
            let column = match action {
                Action::SortByKey => ObjectSortColumn::Key,
                Action::SortBySize => ObjectSortColumn::Size,
                _ => ObjectSortColumn::Modified,
            };
            view.sort_by(column);
            let cursor = view.cursor;
            view.set_cursor(cursor, page);
            Vec::new()
        }
        Action::Filter => {
            let current = view.filter.clone();
            app.overlay = Some(Overlay::Input(TextInput {
                purpose: InputPurpose::ThumbnailsFilter,
                text: current.clone(),
                previous: current,
            }));
            return Vec::new();
        }
        Action::Back if !view.filter.is_empty() => {
            return apply_thumbnails_filter(app, String::new());
        }
        Action::Back => return app.switch_screen(Screen::Executions),
        Action::Refresh => {
            view.preview = None;
            view.preview_due = Some(now);
            let mut effects = app.reload_objects();
            if !app.thumbnails.buckets_listed {
                effects.extend(app.thumbnails_shown());
            }
            return effects;
        }
        Action::CopyKey | Action::CopyUri => {
            let (Some(bucket), Some(object)) = (view.bucket.as_deref(), view.selected()) else {
                app.notify(NoticeLevel::Info, "no object selected");
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
            let (Some(bucket), Some(object)) = (view.bucket.clone(), view.selected().cloned())
            else {
                app.notify(NoticeLevel::Info, "no object selected");
                return Vec::new();
            };
            if view.deletion.is_some() {
                app.notify(NoticeLevel::Error, "a deletion is still in progress");
            } else {
                app.overlay = Some(Overlay::Confirm(delete_object_confirm(&bucket, object)));
            }
            return Vec::new();
        }
        _ => Vec::new(),
    };
    let view = &mut app.thumbnails;
    if view.cursor_key != before {
        view.preview_due = Some(now + PREVIEW_DEBOUNCE_MS);
    }
    effects.extend(app.next_objects_page_if_needed());
    effects
}

/// The `/` filter of the objects list, applied as typed.
pub(crate) fn apply_thumbnails_filter(app: &mut App, text: String) -> Vec<Effect> {
    let page = app.page_rows();
    let now = app.now;
    let view = &mut app.thumbnails;
    let before = view.cursor_key.clone();
    view.filter = text;
    view.recompute();
    let cursor = view.cursor;
    view.set_cursor(cursor, page);
    if view.cursor_key != before {
        view.preview_due = Some(now + PREVIEW_DEBOUNCE_MS);
    }
    app.next_objects_page_if_needed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_fits_inside_its_pane_or_is_left_out() {
        assert_eq!(preview_pane_width(89), None);
        assert_eq!(preview_pane_width(100), Some(40));
        assert_eq!(preview_pane_width(200), Some(64));
        // 120×32: pane 48 wide → 46 columns; 32 - 4 chrome - 2 borders - 4 info = 22 rows.
        assert_eq!(preview_image_cells((120, 32)), Some((46, 22)));
        assert_eq!(preview_image_cells((120, 10)), None);
        assert_eq!(preview_image_cells((80, 40)), None);
    }
}
