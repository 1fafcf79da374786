//! update() flows of deletions whose outcome is not a plain success: a certain
//! non-deletion is journaled `not_deleted`; a lost answer is read back first and the truth
//! journaled (`deleted` / `not_deleted`), `unknown` only when reading back fails too.

use crate::app_support;
use crate::faces_support;

use app_support::*;
use faces_support::*;
use serde_json::Value;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::{Generation, Msg};
use stepdeck::app::{App, update::update};
use stepdeck::backend::BackendError;

const KEY: &str = "resized-1_happy_face.jpg";

fn lost(action: &str) -> BackendError {
    BackendError::NoAnswer {
        action: action.into(),
        detail: "connection closed before message completed".into(),
    }
}

/// Confirms the delete of the object under the cursor, records the intent: the DeleteObject
/// generation.
fn delete_object(app: &mut App) -> Generation {
    press(app, "d");
    let effects = press(app, "y");
    match record_intent(app, effects).as_slice() {
        [Effect::DeleteObject { generation, .. }] => *generation,
        other => panic!("{other:#?}"),
    }
}

/// The status of the single journal line among `effects`, after writing it.
fn journaled(app: &mut App, effects: &[Effect]) -> String {
    let [
        Effect::AppendJournal {
            generation, lines, ..
        },
    ] = effects
    else {
        panic!("expected one journal append, got {effects:#?}");
    };
    assert_eq!(lines.len(), 1);
    let record: Value = serde_json::from_str(&lines[0]).unwrap();
    update(
        app,
        Msg::JournalWritten {
            generation: *generation,
            result: Ok(JOURNAL.into()),
        },
    );
    record["status"].as_str().unwrap().to_string()
}

#[test]
fn a_denied_object_delete_is_journaled_not_deleted() {
    let mut app = thumbnails_app();
    let generation = delete_object(&mut app);
    let effects = update(
        &mut app,
        Msg::ObjectDeleted {
            generation,
            result: Err(BackendError::AccessDenied {
                action: "s3:DeleteObject".into(),
                message: "AccessDenied".into(),
            }),
        },
    );
    assert_eq!(journaled(&mut app, &effects), "not_deleted");
    assert!(notice(&app).starts_with("not deleted"), "{}", notice(&app));
}

#[test]
fn a_lost_object_delete_answer_is_read_back_and_journaled_as_what_happened() {
    for (still_there, status, said) in [
        (false, "deleted", "deleted s3://"),
        (true, "not_deleted", "not deleted s3://"),
    ] {
        let mut app = thumbnails_app();
        let generation = delete_object(&mut app);
        let effects = update(
            &mut app,
            Msg::ObjectDeleted {
                generation,
                result: Err(lost("s3:DeleteObject")),
            },
        );
        let [
            Effect::ReconcileObject {
                generation: asked,
                bucket,
                key,
            },
        ] = effects.as_slice()
        else {
            panic!("expected the object read back, got {effects:#?}");
        };
        assert_eq!((bucket.as_str(), key.as_str()), (THUMBS, KEY));
        let effects = update(
            &mut app,
            Msg::ObjectReconciled {
                generation: *asked,
                result: Ok(still_there),
            },
        );
        assert_eq!(journaled(&mut app, &effects), status);
        let text = notice(&app);
        assert!(text.starts_with(said), "{text}");
        assert!(text.contains("the delete's answer was lost"), "{text}");
    }
}

#[test]
fn an_object_that_cannot_be_read_back_stays_unknown() {
    let mut app = thumbnails_app();
    let generation = delete_object(&mut app);
    update(
        &mut app,
        Msg::ObjectDeleted {
            generation,
            result: Err(lost("s3:DeleteObject")),
        },
    );
    let effects = update(
        &mut app,
        Msg::ObjectReconciled {
            generation,
            result: Err(lost("s3:ListBucket")),
        },
    );
    assert_eq!(journaled(&mut app, &effects), "unknown");
    assert!(
        notice(&app).contains("outcome is unknown"),
        "{}",
        notice(&app)
    );
}
