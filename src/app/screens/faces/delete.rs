//! Deleting faces: marks (one, a range, a duplicate group, all but the newest or oldest of a
//! group) → the confirm dialog → `DeleteFaces` → the journal lines → the deleted faces taken
//! out of the list (no re-listing). A deletion is only done once its journal lines are
//! written; without a journal location it is refused.

use super::{DeletionReport, DeletionStage, FaceDeletion, State};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::app::overlays::{Confirm, ConfirmAction, Overlay};
use crate::backend::BackendError;
use crate::domain::faces::{DeleteFacesResult, Face, all_but_one};
use crate::domain::journal::{DeletionStatus, face_line};

/// Face ids named one by one in the confirm dialog; more are counted.
const CONFIRM_LISTED_IDS: usize = 6;

/// Toggles the mark of the face under the cursor.
pub fn toggle_mark(s: &mut State) {
    let Some(id) = s.selected().map(|f| f.face_id.clone()) else {
        return;
    };
    if !s.marked.remove(&id) {
        s.marked.insert(id.clone());
    }
    s.anchor = Some(id);
}

/// Marks every visible face between the anchor (the face last toggled) and the cursor.
/// False when there is no anchor on screen.
pub fn mark_range(s: &mut State) -> bool {
    let list = &s.list;
    // Looked for outward from the cursor: the cost is the range's length, not the list's.
    let anchor = s.anchor.as_ref().and_then(|id| {
        let row = s.index.row_of(id, &s.list.rows)?;
        let (visible, cursor) = (&list.visible, list.cursor);
        (0..visible.len()).find_map(|d| {
            [cursor.checked_sub(d), cursor.checked_add(d)]
                .into_iter()
                .flatten()
                .find(|&p| visible.get(p) == Some(&row))
        })
    });
    let Some(anchor) = anchor else {
        return false;
    };
    let (from, to) = (anchor.min(list.cursor), anchor.max(list.cursor));
    for &i in &list.visible[from..=to.min(list.visible.len().saturating_sub(1))] {
        s.marked.insert(list.rows[i].face_id.clone());
    }
    true
}

/// Marks the faces of the cursor's duplicate groups.
pub fn mark_group(s: &mut State, cx: &mut Ctx) {
    let ids: Vec<String> = s
        .cursor_group_faces()
        .iter()
        .map(|f| f.face_id.clone())
        .collect();
    if ids.is_empty() {
        cx.notify(NoticeLevel::Info, "this face is not in a duplicate group");
    } else {
        s.marked.extend(ids);
    }
}

/// Marks every face of the cursor's duplicate groups but the newest (or the oldest), and
/// unmarks that one.
pub fn keep_one(s: &mut State, cx: &mut Ctx, keep_newest: bool) {
    let group = s.cursor_group_faces();
    if group.is_empty() {
        cx.notify(NoticeLevel::Info, "this face is not in a duplicate group");
        return;
    }
    match all_but_one(&group, keep_newest) {
        Some(ids) => {
            let group_ids: Vec<String> = group.iter().map(|f| f.face_id.clone()).collect();
            for id in group_ids {
                s.marked.remove(&id);
            }
            s.marked.extend(ids);
        }
        None => cx.notify(
            NoticeLevel::Error,
            "indexed times are unknown for this group: mark the faces to delete by hand",
        ),
    }
}

/// The faces a delete acts on: the marked ones in list order, else the one under the
/// cursor.
pub fn deletion_targets(s: &State) -> Vec<Face> {
    if s.marked.is_empty() {
        return s.selected().cloned().into_iter().collect();
    }
    let mut rows: Vec<usize> = s
        .marked
        .iter()
        .filter_map(|id| s.index.row_of(id, &s.list.rows))
        .collect();
    rows.sort_unstable();
    let mut targets: Vec<Face> = rows.iter().map(|&r| s.list.rows[r].clone()).collect();
    // Marked faces no longer listed (e.g. deleted elsewhere) are still asked for: the
    // service says which ones it could not delete.
    for id in &s.marked {
        if s.index.row_of(id, &s.list.rows).is_none() {
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

/// The delete key: asks to confirm the deletion of the marked faces (or the cursor's).
pub fn ask(s: &State, cx: &mut Ctx) {
    let targets = deletion_targets(s);
    if targets.is_empty() {
        cx.notify(NoticeLevel::Info, "no face to delete");
    } else if s.deletion.is_some() {
        cx.notify(NoticeLevel::Error, "a deletion is still in progress");
    } else {
        cx.open(Overlay::Confirm(delete_confirm(&s.collection, targets)));
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

/// Confirmed: records the intent in the journal first; the delete call is sent only once
/// that is written. Refused without a journal location or one that cannot be written: a
/// deletion without a record is what the journal exists to prevent.
pub fn confirmed(s: &mut State, cx: &mut Ctx, collection: String, faces: Vec<Face>) -> Vec<Effect> {
    let Some(path) = cx.journal_ready() else {
        return Vec::new();
    };
    if s.deletion.is_some() {
        cx.notify(NoticeLevel::Error, "a deletion is still in progress");
        return Vec::new();
    }
    let generation = cx.next_generation();
    let journal_generation = cx.next_generation();
    let context = cx.journal_context();
    let lines = faces
        .iter()
        .map(|f| face_line(&context, &collection, f, DeletionStatus::Intended))
        .collect();
    cx.notify(
        NoticeLevel::Info,
        format!("recording {} face(s) in the journal…", faces.len()),
    );
    s.deletion = Some(FaceDeletion {
        generation,
        report: DeletionReport {
            requested: faces.len(),
            ..DeletionReport::default()
        },
        faces,
        stage: DeletionStage::Recording {
            generation: journal_generation,
        },
    });
    vec![Effect::AppendJournal {
        generation: journal_generation,
        path,
        lines,
    }]
}

/// The intent is recorded: send the delete call. Not recorded: refuse, nothing was deleted.
fn on_intent_written(s: &mut State, cx: &mut Ctx, result: Result<String, String>) -> Vec<Effect> {
    let collection = s.collection.clone();
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    if let Err(e) = result {
        s.deletion = None;
        cx.notify(
            NoticeLevel::Error,
            format!("deletion refused: its journal entry could not be written first ({e}); nothing was deleted"),
        );
        return Vec::new();
    }
    deletion.stage = DeletionStage::Deleting;
    let face_ids: Vec<String> = deletion.faces.iter().map(|f| f.face_id.clone()).collect();
    cx.notify(
        NoticeLevel::Info,
        format!("deleting {} face(s)…", face_ids.len()),
    );
    vec![Effect::DeleteFaces {
        generation: deletion.generation,
        collection,
        face_ids,
    }]
}

/// The delete call answered: journal the faces it deleted (all of them as `unknown` if
/// the call failed part-way) before the deletion counts as done.
pub fn on_deleted(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<DeleteFacesResult, BackendError>,
) -> Vec<Effect> {
    let context = cx.journal_context();
    let collection = s.collection.clone();
    let Some(deletion) = s.deletion.as_mut() else {
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
        // The answer was lost (or the service failed): read back what is gone rather than
        // record "unknown" for good.
        Err(e @ (BackendError::NoAnswer { .. } | BackendError::Other(_))) => {
            deletion.report.error = Some(e.to_string());
            let generation = cx.next_generation();
            deletion.stage = DeletionStage::Reconciling { generation };
            cx.notify(
                NoticeLevel::Info,
                "the delete's answer was lost: reading the collection back…",
            );
            return vec![Effect::ReconcileFaces {
                generation,
                collection,
                face_ids: deletion.faces.iter().map(|f| f.face_id.clone()).collect(),
            }];
        }
        Err(e) => {
            // A certain failure is the first batch's (the backend reports a later one with
            // what the earlier batches deleted): nothing was deleted.
            let certain = e.certainly_not_done();
            let status = if certain {
                DeletionStatus::NotDeleted
            } else {
                DeletionStatus::Unknown
            };
            deletion.report.error = Some(e.to_string());
            deletion.report.nothing_deleted = certain;
            deletion
                .faces
                .iter()
                .map(|f| face_line(&context, &collection, f, status))
                .collect()
        }
    };
    if lines.is_empty() {
        // Nothing was deleted: nothing to record.
        return finish(s, cx);
    }
    journal_outcome(s, cx, lines)
}

/// The collection read back after a lost answer: the asked faces no longer there were
/// deleted, the others not. A read-back that fails leaves them `unknown`.
pub fn on_reconciled(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<Vec<String>, BackendError>,
) -> Vec<Effect> {
    let context = cx.journal_context();
    let collection = s.collection.clone();
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    if deletion.stage != (DeletionStage::Reconciling { generation }) {
        return Vec::new();
    }
    let lines: Vec<String> = match result {
        Ok(present) => {
            let gone = |f: &&Face| !present.contains(&f.face_id);
            deletion.report.deleted = deletion
                .faces
                .iter()
                .filter(gone)
                .map(|f| f.face_id.clone())
                .collect();
            // The truth is known: the failure is no longer the story.
            deletion.report.error = None;
            deletion.report.reconciled = true;
            deletion
                .faces
                .iter()
                .map(|f| {
                    let status = if present.contains(&f.face_id) {
                        DeletionStatus::NotDeleted
                    } else {
                        DeletionStatus::Deleted
                    };
                    face_line(&context, &collection, f, status)
                })
                .collect()
        }
        Err(e) => {
            let error = deletion.report.error.take().unwrap_or_default();
            deletion.report.error = Some(format!("{error}; reading back failed too: {e}"));
            deletion
                .faces
                .iter()
                .map(|f| face_line(&context, &collection, f, DeletionStatus::Unknown))
                .collect()
        }
    };
    journal_outcome(s, cx, lines)
}

/// Journals the outcome `lines` of the deletion in progress; it is done once they are written.
fn journal_outcome(s: &mut State, cx: &mut Ctx, lines: Vec<String>) -> Vec<Effect> {
    let generation = cx.next_generation();
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    deletion.stage = DeletionStage::Journaling { generation };
    let path = cx
        .options
        .journal_path
        .clone()
        .expect("checked before deleting");
    vec![Effect::AppendJournal {
        generation,
        path,
        lines,
    }]
}

/// Whether a journal answer belongs to this screen's deletion.
pub fn journal_generation(s: &State) -> Option<Generation> {
    match s.deletion.as_ref()?.stage {
        DeletionStage::Recording { generation } | DeletionStage::Journaling { generation } => {
            Some(generation)
        }
        DeletionStage::Deleting | DeletionStage::Reconciling { .. } => None,
    }
}

/// The journal lines are written (or could not be): the deletion is done.
pub fn on_journal_written(
    s: &mut State,
    cx: &mut Ctx,
    result: Result<String, String>,
) -> Vec<Effect> {
    if let Some(FaceDeletion {
        stage: DeletionStage::Recording { .. },
        ..
    }) = &s.deletion
    {
        return on_intent_written(s, cx, result);
    }
    if let Some(deletion) = s.deletion.as_mut() {
        deletion.report.journal = Some(result);
    }
    finish(s, cx)
}

/// The deletion is done: report it, unmark the deleted faces and take them out of the
/// list. No re-listing: the answer (or the read-back) already says which faces went, and
/// re-reading a large collection after each deletion cost a call per 4,096 faces.
fn finish(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    let Some(deletion) = s.deletion.take() else {
        return Vec::new();
    };
    let report = deletion.report;
    for id in &report.deleted {
        s.marked.remove(id);
    }
    if !report.deleted.is_empty() {
        let gone: std::collections::HashSet<&str> =
            report.deleted.iter().map(String::as_str).collect();
        let rows: Vec<Face> = std::mem::take(&mut s.list.rows)
            .into_iter()
            .filter(|f| !gone.contains(f.face_id.as_str()))
            .collect();
        // Once per deletion: the rows' positions changed, the index is rebuilt.
        s.set_rows(rows);
        let cursor = s.list.cursor;
        s.list.set_cursor(cursor, cx.page_rows());
    }
    let (level, text) = deletion_notice(&report);
    cx.notify(level, text);
    s.last_report = Some(report);
    Vec::new()
}

/// The notice after a deletion: what was deleted, what failed, where the journal is.
pub fn deletion_notice(report: &DeletionReport) -> (NoticeLevel, String) {
    let mut text = match &report.error {
        Some(_) => report.failure().unwrap_or_default(),
        None if report.reconciled => format!(
            "the delete's answer was lost; read back: {} of {} face(s) deleted",
            report.deleted.len(),
            report.requested
        ),
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
