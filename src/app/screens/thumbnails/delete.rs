//! Deleting the selected object: the confirm dialog → `DeleteObject` → its journal line →
//! a reload. A deletion is only done once its journal line is written; without a journal
//! location it is refused.

use super::update::reload;
use super::{ObjectDeletion, State, s3_uri};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::app::overlays::{Confirm, ConfirmAction, Overlay};
use crate::backend::BackendError;
use crate::domain::journal::{DeletionStatus, object_line};
use crate::domain::objects::ObjectInfo;

/// The delete key: asks to confirm the deletion of the selected object.
pub fn ask(s: &State, cx: &mut Ctx) {
    let (Some(bucket), Some(object)) = (s.bucket.clone(), s.selected().cloned()) else {
        cx.notify(NoticeLevel::Info, "no object selected");
        return;
    };
    if s.deletion.is_some() {
        cx.notify(NoticeLevel::Error, "a deletion is still in progress");
    } else {
        cx.open(Overlay::Confirm(delete_object_confirm(&bucket, object)));
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

/// Confirmed: records the intent in the journal first; the delete call is sent only once it
/// is written. Refused without a journal location or one that cannot be written.
pub fn confirmed(s: &mut State, cx: &mut Ctx, bucket: String, object: ObjectInfo) -> Vec<Effect> {
    let Some(path) = cx.journal_ready() else {
        return Vec::new();
    };
    if s.deletion.is_some() {
        cx.notify(NoticeLevel::Error, "a deletion is still in progress");
        return Vec::new();
    }
    let generation = cx.next_generation();
    let intent_generation = cx.next_generation();
    let line = object_line(
        &cx.journal_context(),
        &bucket,
        &object,
        DeletionStatus::Intended,
    );
    cx.notify(
        NoticeLevel::Info,
        format!("recording {} in the journal…", s3_uri(&bucket, &object.key)),
    );
    s.deletion = Some(ObjectDeletion {
        generation,
        bucket,
        object,
        error: None,
        read_back: None,
        reconciling: false,
        status: None,
        intent_generation: Some(intent_generation),
        journal_generation: None,
    });
    vec![Effect::AppendJournal {
        generation: intent_generation,
        path,
        lines: vec![line],
    }]
}

/// The intent is recorded: send the delete call. Not recorded: refuse, nothing was deleted.
fn on_intent_written(s: &mut State, cx: &mut Ctx, result: Result<String, String>) -> Vec<Effect> {
    if let Err(e) = result {
        s.deletion = None;
        cx.notify(
            NoticeLevel::Error,
            format!(
                "deletion refused: its journal entry could not be written first ({e}); nothing \
                 was deleted"
            ),
        );
        return Vec::new();
    }
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    deletion.intent_generation = None;
    let (bucket, key) = (deletion.bucket.clone(), deletion.object.key.clone());
    cx.notify(
        NoticeLevel::Info,
        format!("deleting {}…", s3_uri(&bucket, &key)),
    );
    vec![Effect::DeleteObject {
        generation: deletion.generation,
        bucket,
        key,
    }]
}

/// The delete answered: journal it (`not_deleted` when the call certainly did nothing) before
/// it counts as done. When its outcome is unknown (the answer was lost: S3 may have deleted
/// the object all the same), the object is read back first.
pub fn on_deleted(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<(), BackendError>,
) -> Vec<Effect> {
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    if deletion.generation != generation
        || deletion.intent_generation.is_some()
        || deletion.journal_generation.is_some()
        || deletion.reconciling
    {
        return Vec::new();
    }
    let status = match result {
        Ok(()) => DeletionStatus::Deleted,
        Err(e) if e.certainly_not_done() => {
            deletion.error = Some(e.to_string());
            DeletionStatus::NotDeleted
        }
        Err(e) => {
            deletion.error = Some(e.to_string());
            deletion.reconciling = true;
            let (bucket, key) = (deletion.bucket.clone(), deletion.object.key.clone());
            cx.notify(
                NoticeLevel::Info,
                format!("{e}: looking whether {} is gone…", s3_uri(&bucket, &key)),
            );
            return vec![Effect::ReconcileObject {
                generation,
                bucket,
                key,
            }];
        }
    };
    journal_outcome(s, cx, status)
}

/// The object read back after its delete's answer was lost: gone (deleted), there (not
/// deleted), or unknown when it could not be read.
pub fn on_reconciled(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<bool, BackendError>,
) -> Vec<Effect> {
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    if deletion.generation != generation || !deletion.reconciling {
        return Vec::new();
    }
    deletion.reconciling = false;
    let (status, found) = match result {
        Ok(false) => (DeletionStatus::Deleted, "it is gone".to_string()),
        Ok(true) => (DeletionStatus::NotDeleted, "it is still there".to_string()),
        Err(e) => (
            DeletionStatus::Unknown,
            format!("reading it back failed ({e}): the outcome is unknown"),
        ),
    };
    deletion.read_back = Some(format!("the delete's answer was lost; {found}"));
    journal_outcome(s, cx, status)
}

/// Appends the deletion's outcome line to the journal.
fn journal_outcome(s: &mut State, cx: &mut Ctx, status: DeletionStatus) -> Vec<Effect> {
    let context = cx.journal_context();
    let journal_generation = cx.next_generation();
    let Some(path) = cx.options.journal_path.clone() else {
        return Vec::new();
    };
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    deletion.status = Some(status);
    deletion.journal_generation = Some(journal_generation);
    let line = object_line(&context, &deletion.bucket, &deletion.object, status);
    vec![Effect::AppendJournal {
        generation: journal_generation,
        path,
        lines: vec![line],
    }]
}

/// Whether a journal answer belongs to this screen's deletion.
pub fn journal_generation(s: &State) -> Option<Generation> {
    let deletion = s.deletion.as_ref()?;
    deletion.intent_generation.or(deletion.journal_generation)
}

/// The journal line is written (or could not be): report the deletion and reload.
pub fn on_journal_written(
    s: &mut State,
    cx: &mut Ctx,
    result: Result<String, String>,
) -> Vec<Effect> {
    if s.deletion
        .as_ref()
        .is_some_and(|d| d.intent_generation.is_some())
    {
        return on_intent_written(s, cx, result);
    }
    let Some(deletion) = s.deletion.take() else {
        return Vec::new();
    };
    let uri = s3_uri(&deletion.bucket, &deletion.object.key);
    let (mut level, mut text) = match (&deletion.read_back, deletion.status, &deletion.error) {
        (Some(read_back), Some(DeletionStatus::Deleted), _) => {
            (NoticeLevel::Info, format!("deleted {uri} ({read_back})"))
        }
        (Some(read_back), Some(DeletionStatus::NotDeleted), _) => (
            NoticeLevel::Error,
            format!("not deleted {uri} ({read_back})"),
        ),
        (Some(read_back), _, _) => (NoticeLevel::Error, format!("{uri}: {read_back}")),
        (None, _, Some(e)) => (NoticeLevel::Error, format!("not deleted {uri}: {e}")),
        (None, _, None) => (NoticeLevel::Info, format!("deleted {uri}")),
    };
    match result {
        Ok(path) => text.push_str(&format!(" · journal: {path}")),
        Err(e) => {
            level = NoticeLevel::Error;
            text.push_str(&format!(" · JOURNAL NOT WRITTEN ({e})"));
        }
    }
    cx.notify(level, text);
    if s.preview
        .as_ref()
        .is_some_and(|p| p.key() == deletion.object.key)
    {
        s.preview = None;
    }
    reload(s, cx)
}
