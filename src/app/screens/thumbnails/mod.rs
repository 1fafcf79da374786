//! The thumbnails screen's state: which bucket (settings, else found by the stack's naming
//! among the buckets), its objects (a `List` kept by key, loaded page by page), the photo
//! bucket's keys to match each thumbnail with its source, the preview of the selected image
//! and the deletion in progress. Read in the order `keys.rs` → `update.rs` (buckets, pages,
//! photo keys) → `paging.rs` (what asks for a further page) → `preview.rs` → `delete.rs` →
//! `view.rs`.

pub mod delete;
pub mod keys;
pub mod paging;
pub mod preview;
pub mod update;
pub mod view;

use crate::app::fetch::Fetch;
use crate::app::list::{ColumnSort, Keyed, List};
use crate::app::msg::Generation;
use crate::app::msg::{PreviewFailure, PreviewImage};
use crate::domain::Millis;
use crate::domain::objects::{ObjectInfo, source_key};
use std::cmp::Ordering;
use std::collections::HashSet;

/// Objects asked for per `ListObjectsV2` call: the most the API returns, so that loading a
/// large bucket takes as few calls as it can.
pub const OBJECTS_PAGE_SIZE: u32 = 1000;
/// A key that moves the cursor this close to the end of what shows asks for the next page.
pub const OBJECTS_PREFETCH_ROWS: usize = 40;
/// Photo keys listed to match thumbnails with their sources; beyond, matching says "?".
pub const MAX_PHOTO_KEYS: usize = 20_000;

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

/// Pages read on without a key per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// `G`: every page to the end; the cursor stays on the last row.
    ToEnd,
    /// Enter on a filter: until it matches a screenful, the bucket ends, or `left` more pages
    /// were read (of `pages`).
    Matches { left: usize, pages: usize },
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

impl Keyed for ObjectInfo {
    fn key(&self) -> &str {
        &self.key
    }
}

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
    /// What reading back after a lost answer found, for the notice (None: not read back).
    pub read_back: Option<String>,
    /// The object is being read back after its delete's answer was lost.
    pub reconciling: bool,
    /// The outcome journaled (None until known).
    pub status: Option<crate::domain::journal::DeletionStatus>,
    /// The intent line is being written; the delete call waits for it.
    pub intent_generation: Option<Generation>,
    pub journal_generation: Option<Generation>,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// From the settings, or found among the buckets.
    pub bucket: Option<String>,
    /// Why no bucket is shown (none found, several, listing failed).
    pub bucket_problem: Option<String>,
    /// The bucket listing (asked for once, until it succeeds).
    pub buckets: Fetch,
    pub buckets_listed: bool,
    /// The photo bucket (sources of the thumbnails), when found.
    pub photo_bucket: Option<String>,
    /// Every bucket listed (completions of `:bucket`).
    pub bucket_names: Vec<String>,
    pub photo_keys: HashSet<String>,
    pub photo_next_token: Option<String>,
    pub photos_complete: bool,
    /// The photo bucket's listing, one page at a time.
    pub photos: Fetch,
    /// The bucket's objects, across the pages loaded so far; the list's filter matches the
    /// key (case-insensitive).
    pub list: List<ObjectInfo, ObjectSortColumn>,
    /// The keys of `list.rows`, kept as pages arrive: a page costs its own size to add, not
    /// the rows already held.
    pub held: HashSet<String>,
    pub next_token: Option<String>,
    /// Pages read on without a key per page: `G` (to the end) or a filter applied with Enter
    /// (a bounded number of pages). `Esc` stops it; nothing else reads on by itself.
    pub seek: Option<Seek>,
    pub loaded: bool,
    /// The page request in flight, tagged with whether it appends (false: a reload).
    pub pages: Fetch<bool>,
    pub error: Option<String>,
    pub preview: Option<PreviewState>,
    /// When the preview of the cursor's object should be fetched (the cursor has rested).
    pub preview_due: Option<Millis>,
    pub deletion: Option<ObjectDeletion>,
}

impl State {
    pub fn new(bucket: Option<String>) -> Self {
        State {
            bucket,
            ..State::default()
        }
    }

    pub fn selected(&self) -> Option<&ObjectInfo> {
        self.list.selected()
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

    /// The order of two rows under the list's sort (None: loaded order).
    fn order(&self, a: usize, b: usize) -> Ordering {
        let Some(sort) = self.list.sort else {
            return a.cmp(&b);
        };
        let (x, y) = (&self.list.rows[a], &self.list.rows[b]);
        let order = match sort.column {
            ObjectSortColumn::Key => x.key.cmp(&y.key),
            ObjectSortColumn::Size => x.size.cmp(&y.size),
            ObjectSortColumn::Modified => x.last_modified.cmp(&y.last_modified),
        };
        // Ties keep the loaded order, so that a merge gives what a full sort gives.
        sort.directed(order).then(a.cmp(&b))
    }

    /// Rebuilds `visible` after a change of rows, filter or sort, and puts the cursor back on
    /// the same object when it is still listed.
    pub fn recompute(&mut self) {
        let mut needle = self.list.needle();
        let objects = &self.list.rows;
        let mut visible: Vec<usize> = (0..objects.len())
            .filter(|&i| needle.found_in(&objects[i].key))
            .collect();
        visible.sort_by(|&a, &b| self.order(a, b));
        self.list.show(visible);
    }

    /// The filter grew by text at its end (typing on): only the rows it matched before can
    /// match now, in the same order, so they are the only ones looked at.
    pub fn narrow(&mut self) {
        let mut needle = self.list.needle();
        let objects = &self.list.rows;
        let visible: Vec<usize> = self
            .list
            .visible
            .iter()
            .copied()
            .filter(|&i| needle.found_in(&objects[i].key))
            .collect();
        self.list.show(visible);
    }

    /// Rows `from..` were appended: the ones the filter matches are sorted among themselves
    /// and merged into `visible` (a page costs its size and one pass, not a sort of all).
    pub fn merge_appended(&mut self, from: usize) {
        let mut needle = self.list.needle();
        let objects = &self.list.rows;
        let mut added: Vec<usize> = (from..objects.len())
            .filter(|&i| needle.found_in(&objects[i].key))
            .collect();
        added.sort_by(|&a, &b| self.order(a, b));
        let old = std::mem::take(&mut self.list.visible);
        let mut merged = Vec::with_capacity(old.len() + added.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < added.len() {
            if self.order(old[i], added[j]) == Ordering::Greater {
                merged.push(added[j]);
                j += 1;
            } else {
                merged.push(old[i]);
                i += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&added[j..]);
        self.list.show(merged);
    }

    /// Appends a page's objects not held yet; returns where the new rows start.
    pub fn append(&mut self, items: Vec<ObjectInfo>) -> usize {
        let from = self.list.rows.len();
        for object in items {
            if self.held.insert(object.key.clone()) {
                self.list.rows.push(object);
            }
        }
        from
    }

    /// Replaces the rows with a first page.
    pub fn replace(&mut self, items: Vec<ObjectInfo>) {
        self.held = items.iter().map(|o| o.key.clone()).collect();
        self.list.rows = items;
    }

    pub fn sort_by(&mut self, column: ObjectSortColumn) {
        let descending_first = column != ObjectSortColumn::Key;
        self.list.choose_sort(column, descending_first);
        self.recompute();
    }

    /// A further page can be asked for now: the bucket has more and none is on its way.
    pub fn can_page(&self) -> bool {
        self.loaded && self.next_token.is_some() && !self.pages.busy()
    }
}

/// `s3://bucket/key`.
pub fn s3_uri(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(i: u64) -> ObjectInfo {
        ObjectInfo {
            key: format!("resized-{:05}-{}.jpg", (i * 7_919) % 10_007, i % 3),
            size: (i * 31) % 17,
            last_modified: Some((i % 5) as Millis),
            content_type: None,
            etag: None,
        }
    }

    #[test]
    fn pages_merged_and_a_filter_narrowed_show_what_a_full_recompute_shows() {
        for column in [
            ObjectSortColumn::Key,
            ObjectSortColumn::Size,
            ObjectSortColumn::Modified,
        ] {
            for filter in ["", "-1", "resized-0"] {
                let mut merged = State::default();
                merged.list.sort = Some(ColumnSort {
                    column,
                    descending: column != ObjectSortColumn::Key,
                });
                merged.list.set_filter(filter.into());
                merged.recompute();
                for page in 0..4 {
                    let from = merged.append((page * 50..page * 50 + 60).map(object).collect());
                    merged.merge_appended(from);
                }
                // Ten rows of each page after the first were held already.
                assert_eq!(merged.list.rows.len(), 210);
                let mut full = merged.clone();
                full.recompute();
                assert_eq!(
                    merged.list.visible, full.list.visible,
                    "{column:?} /{filter}"
                );
                assert!(!full.list.visible.is_empty());

                merged.list.set_filter(format!("{filter}2"));
                merged.narrow();
                full.list.set_filter(format!("{filter}2"));
                full.recompute();
                assert_eq!(
                    merged.list.visible, full.list.visible,
                    "{column:?} /{filter}2"
                );
            }
        }
    }
}
