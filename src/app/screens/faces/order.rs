//! The order of the faces list: its sort columns, a column's comparison, and a page's faces
//! merged into a sorted list without re-sorting what was already shown.

use crate::domain::faces::Face;
use std::cmp::Ordering;

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

/// The ascending order of two faces by a column (ties: the list's order, by a stable sort).
pub(super) fn compare(column: FaceSortColumn, a: &Face, b: &Face) -> Ordering {
    match column {
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
    }
}

/// `old` and `new` (each sorted by `order`, `new` of later rows) as one sorted list; on a tie
/// the older row first, as a stable sort of the whole would. Each new row's place is found
/// by binary search, then the runs between are copied: O(new · log old) comparisons.
/// Also returns where the entry at `keep` in `old` (the cursor's) is in the merged list.
pub(super) fn merge_sorted(
    old: &[usize],
    new: &[usize],
    keep: usize,
    order: impl Fn(usize, usize) -> Ordering,
) -> (Vec<usize>, usize) {
    let mut merged = Vec::with_capacity(old.len() + new.len());
    let mut start = 0;
    let mut kept = None;
    let mut copy = |merged: &mut Vec<usize>, from: usize, to: usize| {
        if kept.is_none() && (from..to).contains(&keep) {
            kept = Some(merged.len() + keep - from);
        }
        merged.extend_from_slice(&old[from..to]);
    };
    for &n in new {
        let at = start + old[start..].partition_point(|&o| order(o, n) != Ordering::Greater);
        copy(&mut merged, start, at);
        merged.push(n);
        start = at;
    }
    copy(&mut merged, start, old.len());
    let kept = kept.unwrap_or(keep);
    (merged, kept)
}
