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

/// The delete answered: journal it (as `unknown` when the call failed, since S3 may
/// have deleted the object before the answer was lost) before it counts as done.
pub fn on_deleted(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    result: Result<(), BackendError>,
) -> Vec<Effect> {
    let context = cx.journal_context();
    let journal_generation = cx.next_generation();
    let Some(path) = cx.options.journal_path.clone() else {
        return Vec::new();
    };
    let Some(deletion) = s.deletion.as_mut() else {
        return Vec::new();
    };
    if deletion.generation != generation
        || deletion.intent_generation.is_some()
        || deletion.journal_generation.is_some()
    {
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
    cx.notify(level, text);
    if s.preview
        .as_ref()
        .is_some_and(|p| p.key() == deletion.object.key)
    {
        s.preview = None;
    }
    reload(s, cx)
}
