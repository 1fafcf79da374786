//! update() flows of the faces and thumbnails screens: switching screens (hidden ones do not
//! poll), lazy pages, duplicates and lookalikes, marks, mark -> confirm -> delete -> journal
//! -> reload, and the thumbnails' bucket discovery, preview, copy and journaled delete.

use crate::app_support;
use crate::faces_support;

use app_support::*;
use faces_support::*;
use serde_json::Value;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::PreviewFailure;
use stepdeck::app::msg::{Generation, Msg};
use stepdeck::app::overlays::Overlay;
use stepdeck::app::screen::Screen;
use stepdeck::app::screens::thumbnails::{PreviewState, preview::PREVIEW_DEBOUNCE_MS};
use stepdeck::app::{App, AppOptions, NoticeLevel, update::update};
use stepdeck::backend::BackendError;
use stepdeck::domain::faces::{
    DeleteFacesResult, DuplicateKind, FaceMatch, LookalikeSearch, UnsuccessfulFaceDeletion,
};
use stepdeck::keymap::{Context, Keymap};

#[test]
fn screens_switch_with_g_keys_and_hidden_screens_do_not_poll() {
    let mut app = base_app();
    assert!(app.next_wakeup().is_some(), "the executions list polls");
    let effects = press(&mut app, "g f");
    assert_eq!(app.screen, Screen::Faces);
    assert_eq!(app.context(), Context::Faces);
    let (_, token) = faces_request(&effects);
    assert_eq!(token, None);
    match &effects[0] {
        Effect::LoadFaces { collection, .. } => assert_eq!(collection, "rider-photos"),
        other => panic!("{other:?}"),
    }
    // The executions list is hidden: no wake-up, and a late tick asks for nothing.
    assert_eq!(app.next_wakeup(), None);
    assert!(update(&mut app, Msg::Tick(NOW + 60_000)).is_empty());
    // Shown again: it refreshes at once.
    let effects = press(&mut app, "g e");
    assert_eq!(app.screen, Screen::Executions);
    assert_eq!(list_request(&effects), (list_request(&effects).0, false));
    // Back to faces: already loading, no second request.
    assert!(press(&mut app, "g f").is_empty());
}

#[test]
fn an_open_execution_stops_polling_its_history_while_another_screen_shows() {
    let mut app = base_app();
    let summary = app.executions.selected().unwrap().clone();
    open_with(
        &mut app,
        detail_of(&summary, None, None),
        fixture("running.json"),
    );
    assert!(app.next_wakeup().is_some());
    press(&mut app, "g t");
    let effects = update(&mut app, Msg::Tick(NOW + 30_000));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::LoadHistory { .. })),
        "{effects:#?}"
    );
    assert!(!app.is_animating());
}

#[test]
fn faces_load_page_by_page_as_the_cursor_nears_the_end() {
    let mut app = base_app();
    let effects = press(&mut app, "g f");
    let (generation, _) = faces_request(&effects);
    let first = many_faces(100);
    let effects = answer_faces(&mut app, generation, first, Some("page-2"));
    assert!(effects.is_empty(), "the cursor is far from the end");
    let effects = press(&mut app, "G");
    let (generation, token) = faces_request(&effects);
    assert_eq!(token.as_deref(), Some("page-2"));
    // A stale answer (an older generation) is dropped.
    answer_faces(&mut app, generation - 1, collection(), None);
    assert_eq!(app.faces.list.rows.len(), 100);
    answer_faces(&mut app, generation, collection(), None);
    assert_eq!(app.faces.list.rows.len(), 107);
    assert_eq!(app.faces.next_token, None);
}

#[test]
fn the_faces_filter_after_scrolling_to_the_end_shows_every_matching_face() {
    let mut app = base_app();
    let (generation, _) = faces_request(&press(&mut app, "g f"));
    answer_faces(&mut app, generation, many_faces(64), None);
    press(&mut app, "G");
    assert!(app.faces.list.offset > 0);
    press(&mut app, "/");
    type_text(&mut app, "user_00");
    press(&mut app, "Enter");
    assert_eq!(app.faces.list.visible.len(), 10);
    assert_eq!(app.faces.list.offset, 0, "no face hidden above");
    let drawn = screen(&app, 120, 32);
    for n in 0..10 {
        let user = format!("user_{n:03}");
        assert!(drawn.contains(&user), "{user} is not drawn:\n{drawn}");
    }
}

#[test]
fn duplicates_are_flagged_grouped_and_jumped_between() {
    let mut app = faces_app();
    let view = &app.faces;
    assert_eq!(view.group_count(), 2);
    assert_eq!(
        view.duplicate_kinds(&face_id(1)),
        vec![DuplicateKind::SameUser]
    );
    assert_eq!(
        view.duplicate_kinds(&face_id(5)),
        vec![DuplicateKind::SameImage]
    );
    assert!(view.duplicate_kinds(&face_id(2)).is_empty());

    // `]` from the top: face 1 starts the first group (cursor already there), then 3 (user_a's
    // second face is not adjacent in server order), then 4.
    press(&mut app, "]");
    assert_eq!(selected_id(&app), face_id(3));
    press(&mut app, "]");
    assert_eq!(selected_id(&app), face_id(4));
    press(&mut app, "[");
    assert_eq!(selected_id(&app), face_id(3));

    // Duplicates only: members side by side, group by group.
    press(&mut app, "D");
    let shown: Vec<String> = app
        .faces
        .list
        .visible
        .iter()
        .map(|&i| app.faces.list.rows[i].face_id.clone())
        .collect();
    assert_eq!(shown, vec![face_id(1), face_id(3), face_id(4), face_id(5)]);
    press(&mut app, "g g ]");
    assert_eq!(selected_id(&app), face_id(4));
    press(&mut app, "]");
    assert!(notice(&app).contains("no further duplicate group"));
}

/// The searches of a lookalike scan: `LOOKALIKE_IN_FLIGHT` out at once (the adapter's budget
/// paces them), the next sent as each answers, faces already clustered skipped; the title
/// shows progress with a time-left estimate once a few have answered.
#[test]
fn lookalikes_are_searched_a_few_at_a_time_skipping_clustered_faces() {
    let mut app = faces_app();
    let searches = |effects: &[Effect]| -> Vec<(Generation, String)> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::SearchFaces {
                    generation,
                    face_id,
                    threshold,
                    collection,
                } => {
                    assert_eq!(*threshold, 70.0);
                    assert_eq!(collection, "rider-photos");
                    Some((*generation, face_id.clone()))
                }
                // Checked below: each answer is kept for the next scan.
                Effect::KeepLookalikeSearch { .. } => None,
                other => panic!("{other:#?}"),
            })
            .collect()
    };
    let mut out = searches(&press(&mut app, "L"));
    assert_eq!(
        out.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>(),
        vec![face_id(1), face_id(2), face_id(3), face_id(4)],
        "four out at once"
    );
    // Face 1 (user_a) looks like face 6 (user_e): one person under two user ids.
    let lookalike = FaceMatch {
        face: collection()[5].clone(),
        similarity: 99.4,
    };
    let (first, _) = out.remove(0);
    let answered = update(
        &mut app,
        Msg::FaceMatches {
            generation: first,
            face_id: face_id(1),
            result: Ok(vec![lookalike]),
        },
    );
    assert!(
        answered.iter().any(|e| matches!(e,
            Effect::KeepLookalikeSearch { collection, search }
                if collection == "rider-photos"
                    && search.face_id == face_id(1)
                    && search.matched == vec![face_id(6)])),
        "the answer is kept: {answered:#?}"
    );
    let next = searches(&answered);
    assert!(
        app.faces
            .duplicate_kinds(&face_id(6))
            .contains(&DuplicateKind::Lookalike)
    );
    // One answered, one more sent: face 5 (face 6 is clustered now and will be skipped).
    assert_eq!(
        next.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>(),
        vec![face_id(5)]
    );
    out.extend(next);
    let mut searched = vec![face_id(1)];
    let mut answered_at = NOW;
    while let Some((generation, id)) = out.first().cloned() {
        out.remove(0);
        searched.push(id.clone());
        answered_at += 400;
        update(&mut app, Msg::Tick(answered_at));
        out.extend(searches(&update(
            &mut app,
            Msg::FaceMatches {
                generation,
                face_id: id,
                result: Ok(vec![]),
            },
        )));
        if let Some(scan) = &app.faces.scan
            && scan.answered >= 4
        {
            let title = screen(&app, 200, 10);
            assert!(title.contains("left · L stops"), "{title}");
        }
    }
    searched.sort();
    assert_eq!(
        searched,
        vec![
            face_id(1),
            face_id(2),
            face_id(3),
            face_id(4),
            face_id(5),
            face_id(7)
        ]
    );
    assert!(app.faces.scan.is_none());
    assert!(notice(&app).contains("1 group(s)"), "{}", notice(&app));
}

#[test]
fn marks_toggle_range_group_and_keep_newest_or_oldest() {
    let mut app = faces_app();
    press(&mut app, "Space");
    assert!(app.faces.marked.contains(&face_id(1)));
    assert_eq!(selected_id(&app), face_id(2), "Space moves down");
    press(&mut app, "j j V");
    assert_eq!(app.faces.marked.len(), 4, "faces 1..4");
    press(&mut app, "u");
    assert!(app.faces.marked.is_empty());

    // user_a's group: keep the newest (face 3, indexed later) → face 1 marked.
    press(&mut app, "g g n");
    assert_eq!(
        app.faces.marked.iter().cloned().collect::<Vec<_>>(),
        vec![face_id(1)]
    );
    press(&mut app, "o");
    assert_eq!(
        app.faces.marked.iter().cloned().collect::<Vec<_>>(),
        vec![face_id(3)]
    );
    press(&mut app, "u j j j M");
    assert_eq!(
        app.faces.marked.iter().cloned().collect::<Vec<_>>(),
        vec![face_id(4), face_id(5)]
    );
    // Not a duplicate: nothing to mark, said so.
    press(&mut app, "u g g j M");
    assert!(app.faces.marked.is_empty());
    assert!(notice(&app).contains("not in a duplicate group"));
}

#[test]
fn keep_newest_refuses_when_indexed_times_are_unknown() {
    let mut app = base_app();
    let effects = press(&mut app, "g f");
    let (generation, _) = faces_request(&effects);
    let faces = vec![face(1, "user_a", "i1", None), face(2, "user_a", "i2", None)];
    answer_faces(&mut app, generation, faces, None);
    press(&mut app, "n");
    assert!(app.faces.marked.is_empty());
    assert_eq!(app.notice.as_ref().unwrap().level, NoticeLevel::Error);
}

#[test]
fn filter_and_sort_the_faces() {
    let mut app = faces_app();
    press(&mut app, "/");
    type_text(&mut app, "user_a");
    assert_eq!(app.faces.list.visible.len(), 2);
    press(&mut app, "Enter Esc");
    assert_eq!(app.faces.list.visible.len(), 7, "Esc clears the filter");
    press(&mut app, "4");
    assert_eq!(
        selected_id(&app),
        face_id(1),
        "the cursor stays on its face"
    );
    press(&mut app, "g g");
    assert_eq!(selected_id(&app), face_id(7), "newest indexed first");
    press(&mut app, "1");
    let users: Vec<_> = app
        .faces
        .list
        .visible
        .iter()
        .map(|&i| app.faces.list.rows[i].external_image_id.clone().unwrap())
        .collect();
    assert_eq!(users[..2], ["user_a", "user_a"]);
}

#[test]
fn mark_confirm_delete_journal_then_take_the_deleted_out_without_a_relisting() {
    let mut app = faces_app();
    press(&mut app, "Space j Space");
    assert_eq!(app.faces.marked.len(), 2);
    press(&mut app, "d");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("{:?}", app.overlay);
    };
    assert!(!confirm.yes_selected, "No is the default");
    assert!(confirm.message.contains("Delete 2 faces"));
    assert!(
        confirm.message.contains("users: user_a\n"),
        "{}",
        confirm.message
    );
    assert!(confirm.message.contains(&face_id(1)) && confirm.message.contains(&face_id(3)));
    // Enter takes the default: nothing happens.
    assert!(press(&mut app, "Enter").is_empty());
    assert!(app.overlay.is_none());
    assert_eq!(app.faces.marked.len(), 2, "marks survive a No");

    press(&mut app, "d");
    let effects = press(&mut app, "y");
    let effects = record_intent(&mut app, effects);
    let generation = match effects.as_slice() {
        [
            Effect::DeleteFaces {
                generation,
                collection,
                face_ids,
            },
        ] => {
            assert_eq!(collection, "rider-photos");
            assert_eq!(face_ids, &vec![face_id(1), face_id(3)]);
            *generation
        }
        other => panic!("{other:#?}"),
    };
    // Face 3 was already gone: the service says so per face.
    let effects = update(
        &mut app,
        Msg::FacesDeleted {
            generation,
            result: Ok(DeleteFacesResult {
                deleted: vec![face_id(1)],
                unsuccessful: vec![UnsuccessfulFaceDeletion {
                    face_id: face_id(3),
                    reasons: vec!["FACE_NOT_FOUND".into()],
                }],
            }),
        },
    );
    let (journal_generation, lines) = match effects.as_slice() {
        [
            Effect::AppendJournal {
                generation,
                path,
                lines,
            },
        ] => {
            assert_eq!(path.to_str(), Some(JOURNAL));
            (*generation, lines.clone())
        }
        other => panic!("only the journal comes next: {other:#?}"),
    };
    assert_eq!(lines.len(), 1, "only the face actually deleted");
    let record: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(record["face_id"], face_id(1));
    assert_eq!(record["external_image_id"], "user_a");
    assert_eq!(record["image_id"], "img00001-0000-4000-8000-000000000000");
    assert_eq!(record["collection"], "rider-photos");
    assert_eq!(record["profile"], "sandbox");
    assert_eq!(record["region"], "us-east-1");
    assert_eq!(record["time"], "2025-11-25T10:06:00.000Z");
    assert_eq!(record["bounding_box"]["Width"], 0.28);
    assert!(
        app.faces.deletion.is_some(),
        "not done before the journal is written"
    );

    let effects = update(
        &mut app,
        Msg::JournalWritten {
            generation: journal_generation,
            result: Ok(JOURNAL.into()),
        },
    );
    assert!(
        face_loads(&effects).is_empty(),
        "the answer says what went: no re-listing {effects:#?}"
    );
    assert!(
        app.faces.face(&face_id(1)).is_none(),
        "the deleted face left"
    );
    assert!(app.faces.face(&face_id(3)).is_some());
    assert_eq!(app.faces.list.rows.len(), 6);
    assert_eq!(app.faces.group_count(), 1, "user_a's pair is no more");
    assert!(app.faces.deletion.is_none());
    let text = notice(&app);
    assert!(text.contains("deleted 1 of 2"), "{text}");
    assert!(text.contains("1 not deleted"), "{text}");
    assert!(text.contains(&format!("journal: {JOURNAL}")), "{text}");
    let report = app.faces.last_report.as_ref().unwrap();
    assert_eq!(report.unsuccessful[0].reasons, vec!["FACE_NOT_FOUND"]);
    assert_eq!(
        app.faces.marked.iter().cloned().collect::<Vec<_>>(),
        vec![face_id(3)],
        "the deleted face is unmarked, the failed one stays marked"
    );
}

/// Deletes the selected face and answers the call with a lost answer; returns the read-back
/// the app asks for next.
/// `d y` on the selected face, its intent journaled: the generation of the delete call sent.
fn send_delete(app: &mut App) -> Generation {
    press(app, "d");
    let effects = press(app, "y");
    let effects = record_intent(app, effects);
    let [Effect::DeleteFaces { generation, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    *generation
}

fn lose_the_delete_answer(app: &mut App) -> (Generation, Vec<String>) {
    let generation = send_delete(app);
    let effects = update(
        app,
        Msg::FacesDeleted {
            generation,
            // Sent, and the answer lost: the faces may be gone.
            result: Err(BackendError::NoAnswer {
                action: "rekognition:DeleteFaces".into(),
                detail: "connection reset".into(),
            }),
        },
    );
    match effects.as_slice() {
        [
            Effect::ReconcileFaces {
                generation,
                collection,
                face_ids,
            },
        ] => {
            assert_eq!(collection, "rider-photos");
            (*generation, face_ids.clone())
        }
        other => panic!("the collection is read back before anything is journaled: {other:#?}"),
    }
}

#[test]
fn a_lost_delete_answer_is_read_back_and_journaled_as_it_turned_out() {
    let mut app = faces_app();
    let (generation, face_ids) = lose_the_delete_answer(&mut app);
    assert_eq!(face_ids, vec![face_id(1)]);
    // The face is no longer in the collection: it was deleted.
    let effects = update(
        &mut app,
        Msg::FacesReconciled {
            generation,
            result: Ok(Vec::new()),
        },
    );
    let [
        Effect::AppendJournal {
            lines, generation, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:#?}");
    };
    let record: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(record["status"], "deleted");
    update(
        &mut app,
        Msg::JournalWritten {
            generation: *generation,
            result: Ok(JOURNAL.into()),
        },
    );
    let text = notice(&app);
    assert!(
        text.starts_with("the delete's answer was lost; read back: 1 of 1 face(s) deleted"),
        "{text}"
    );
}

#[test]
fn a_failed_read_back_journals_every_face_as_unknown() {
    let mut app = faces_app();
    let (generation, _) = lose_the_delete_answer(&mut app);
    let effects = update(
        &mut app,
        Msg::FacesReconciled {
            generation,
            result: Err(BackendError::Network("connection refused".into())),
        },
    );
    let [
        Effect::AppendJournal {
            lines, generation, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:#?}");
    };
    let record: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(record["status"], "unknown");
    assert!(
        app.faces
            .deletion
            .as_ref()
            .unwrap()
            .report
            .failure()
            .unwrap()
            .starts_with("delete's outcome unknown (the faces may be deleted)")
    );
    // The journal could not be written either: said loudly, with the ids.
    update(
        &mut app,
        Msg::JournalWritten {
            generation: *generation,
            result: Err("/tmp/x: permission denied".into()),
        },
    );
    let n = app.notice.as_ref().unwrap();
    assert_eq!(n.level, NoticeLevel::Error);
    assert!(n.text.contains("JOURNAL NOT WRITTEN"), "{}", n.text);
}

#[test]
fn deleting_is_refused_without_a_journal_location() {
    let mut app = App::new(
        AppOptions {
            journal_path: None,
            ..AppOptions::default()
        },
        Keymap::defaults(),
        NOW,
    );
    let effects = press(&mut app, "g f");
    let (generation, _) = faces_request(&effects);
    answer_faces(&mut app, generation, collection(), None);
    press(&mut app, "d");
    assert!(press(&mut app, "y").is_empty());
    assert!(notice(&app).contains("journal_path"));
}

#[test]
fn the_thumbnail_bucket_is_found_listed_matched_and_previewed_after_the_cursor_rests() {
    let mut app = thumbnails_app();
    let view = &app.thumbnails;
    assert_eq!(view.bucket.as_deref(), Some(THUMBS));
    assert_eq!(view.photo_bucket.as_deref(), Some(PHOTOS));
    assert_eq!(view.list.rows.len(), 5);
    use stepdeck::app::screens::thumbnails::SourceMatch;
    assert_eq!(
        view.source_match("resized-1_happy_face.jpg"),
        SourceMatch::Found
    );
    assert_eq!(
        view.source_match("resized-user_0002/selfie.jpg"),
        SourceMatch::Missing
    );
    assert_eq!(view.source_match("notes.txt"), SourceMatch::NoRule);

    // The first page asked for the preview of the first object now.
    assert_eq!(app.next_wakeup(), Some(NOW));
    let effects = update(&mut app, Msg::Tick(NOW));
    let (generation, cells) = match effects.as_slice() {
        [
            Effect::LoadPreview {
                generation,
                bucket,
                key,
                cells,
            },
        ] => {
            assert_eq!(
                (bucket.as_str(), key.as_str()),
                (THUMBS, "resized-1_happy_face.jpg")
            );
            (*generation, *cells)
        }
        other => panic!("{other:#?}"),
    };
    assert_eq!(cells, (46, 22));
    // Scrolling: no fetch until the cursor rests.
    press(&mut app, "j j");
    assert!(update(&mut app, Msg::Tick(NOW + 10)).is_empty());
    let due = app.next_wakeup().unwrap();
    assert_eq!(due, NOW + PREVIEW_DEBOUNCE_MS);
    // The answer for the earlier object is stale.
    update(
        &mut app,
        Msg::Preview {
            generation,
            key: "resized-1_happy_face.jpg".into(),
            result: Err(PreviewFailure {
                message: "x".into(),
            }),
        },
    );
    let effects = update(&mut app, Msg::Tick(due));
    let [
        Effect::LoadPreview {
            key, generation, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:#?}");
    };
    assert_eq!(key, "resized-5_rider_farah.jpg");
    update(
        &mut app,
        Msg::Preview {
            generation: *generation,
            key: key.clone(),
            result: Err(PreviewFailure {
                message: "cannot decode".into(),
            }),
        },
    );
    assert!(matches!(
        app.thumbnails.preview,
        Some(PreviewState::Failed { .. })
    ));
    // Hidden: the preview timer does not fire.
    press(&mut app, "j g f");
    assert!(
        !update(&mut app, Msg::Tick(NOW + 10_000))
            .iter()
            .any(|e| matches!(e, Effect::LoadPreview { .. }))
    );
}

#[test]
fn copy_key_or_uri_and_sort_and_filter_objects() {
    let mut app = thumbnails_app();
    assert_eq!(
        press(&mut app, "y"),
        vec![Effect::CopyToClipboard("resized-1_happy_face.jpg".into())]
    );
    assert_eq!(
        press(&mut app, "Y"),
        vec![Effect::CopyToClipboard(format!(
            "s3://{THUMBS}/resized-1_happy_face.jpg"
        ))]
    );
    press(&mut app, "2");
    assert_eq!(
        app.thumbnails.selected().unwrap().key,
        "resized-1_happy_face.jpg",
        "the cursor stays on its object"
    );
    press(&mut app, "g g");
    assert_eq!(
        app.thumbnails.selected().unwrap().key,
        "resized-2_sunglass_face.jpg"
    );
    press(&mut app, "/");
    type_text(&mut app, "selfie");
    assert_eq!(app.thumbnails.list.visible.len(), 1);
}

#[test]
fn an_object_delete_is_confirmed_journaled_then_reloaded() {
    let mut app = thumbnails_app();
    press(&mut app, "d");
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("{:?}", app.overlay);
    };
    assert!(!confirm.yes_selected);
    assert!(
        confirm
            .message
            .contains(&format!("s3://{THUMBS}/resized-1_happy_face.jpg"))
    );
    let effects = press(&mut app, "y");
    let effects = record_intent(&mut app, effects);
    let [
        Effect::DeleteObject {
            generation,
            bucket,
            key,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:#?}");
    };
    assert_eq!(
        (bucket.as_str(), key.as_str()),
        (THUMBS, "resized-1_happy_face.jpg")
    );
    let effects = update(
        &mut app,
        Msg::ObjectDeleted {
            generation: *generation,
            result: Ok(()),
        },
    );
    let [
        Effect::AppendJournal {
            generation, lines, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:#?}");
    };
    let record: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(record["kind"], "object");
    assert_eq!(record["bucket"], THUMBS);
    assert_eq!(record["key"], "resized-1_happy_face.jpg");
    let effects = update(
        &mut app,
        Msg::JournalWritten {
            generation: *generation,
            result: Ok(JOURNAL.into()),
        },
    );
    let requests = objects_requests(&effects);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].1, THUMBS);
    assert!(notice(&app).contains("journal: /tmp/stepdeck-tests/deletions.jsonl"));
}

#[test]
fn without_a_thumbnail_bucket_the_view_asks_for_one() {
    let mut app = base_app();
    let effects = press(&mut app, "g t");
    let [Effect::LoadBuckets { generation }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    let effects = update(
        &mut app,
        Msg::Buckets {
            generation: *generation,
            result: Ok(vec![]),
        },
    );
    assert!(effects.is_empty());
    let problem = app.thumbnails.bucket_problem.clone().unwrap();
    assert!(
        problem.contains("choose one with :bucket <name>"),
        "{problem}"
    );

    // A bucket from the settings is listed at once (the bucket list still finds sources).
    let mut app = App::new(
        AppOptions {
            thumbnail_bucket: Some("my-thumbs".into()),
            ..options()
        },
        Keymap::defaults(),
        NOW,
    );
    let effects = press(&mut app, "g t");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadBuckets { .. }))
    );
    let requests = objects_requests(&effects);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].1, "my-thumbs");
}

/// The `LoadFaces` effects among `effects` (a tick may also refresh other things).
fn face_loads(effects: &[Effect]) -> Vec<(u64, Option<String>, u32)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadFaces {
                generation,
                next_token,
                page_size,
                ..
            } => Some((*generation, next_token.clone(), *page_size)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_shown_faces_reload_at_most_a_call_a_minute_one_at_a_time() {
    let mut app = faces_app();
    assert_eq!(app.faces.updated_at, Some(NOW));
    // The title's age wants a tick each second; the reload (one page) is due a minute after
    // the last one: the 2 s refresh interval is below the budget of a call a minute.
    assert_eq!(app.next_wakeup(), Some(NOW + 1_000));
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 59_999))).is_empty());
    assert!(screen(&app, 120, 32).contains("confirmed 59 s ago"));
    let effects = update(&mut app, Msg::Tick(NOW + 60_000));
    let [(generation, None, _)] = face_loads(&effects)[..] else {
        panic!("one reload from the first page: {effects:#?}");
    };
    // Coalesced: no second reload while this one is out, however late the tick.
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 75_000))).is_empty());
    assert!(
        face_loads(&press(&mut app, "r")).is_empty(),
        "not even by key"
    );
    answer_faces(&mut app, generation, collection(), None);
    assert_eq!(app.faces.updated_at, Some(NOW + 75_000));
    assert!(screen(&app, 120, 32).contains("confirmed 0 s ago"));
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 134_999))).is_empty());
    assert_eq!(
        face_loads(&update(&mut app, Msg::Tick(NOW + 135_000))).len(),
        1,
        "a minute after the last reload ended"
    );

    // A longer refresh interval from the settings is used as it is.
    let mut slow = App::new(
        AppOptions {
            refresh_interval_ms: 90_000,
            ..options()
        },
        Keymap::defaults(),
        NOW,
    );
    let (generation, _) = faces_request(&press(&mut slow, "g f"));
    answer_faces(&mut slow, generation, collection(), None);
    assert!(face_loads(&update(&mut slow, Msg::Tick(NOW + 89_000))).is_empty());
    assert_eq!(
        face_loads(&update(&mut slow, Msg::Tick(NOW + 90_000))).len(),
        1
    );
}

#[test]
fn faces_load_in_pages_of_4096_the_most_one_list_faces_call_returns() {
    let mut app = base_app();
    let effects = press(&mut app, "g f");
    let [(generation, None, 4096)] = face_loads(&effects)[..] else {
        panic!("the first page asks for the most: {effects:#?}");
    };
    // Duplicates mode needs every face: the next page too comes 4,096 at a time.
    press(&mut app, "D");
    let effects = answer_faces(&mut app, generation, many_faces(4096), Some("p2"));
    let [(generation, Some(ref token), 4096)] = face_loads(&effects)[..] else {
        panic!("{effects:#?}");
    };
    assert_eq!(token, "p2");
    answer_faces(
        &mut app,
        generation,
        many_faces(5000)[4096..].to_vec(),
        None,
    );
    assert_eq!(app.faces.list.rows.len(), 5000);
    // A reload of the 5,000 takes two calls, not 25.
    let effects = press(&mut app, "r");
    let [(generation, None, 4096)] = face_loads(&effects)[..] else {
        panic!("{effects:#?}");
    };
    let effects = answer_faces(&mut app, generation, many_faces(4096), Some("q2"));
    let [(generation, Some(_), 4096)] = face_loads(&effects)[..] else {
        panic!("{effects:#?}");
    };
    let effects = answer_faces(
        &mut app,
        generation,
        many_faces(5000)[4096..].to_vec(),
        None,
    );
    assert!(face_loads(&effects).is_empty(), "{effects:#?}");
    assert_eq!(app.faces.updated_at, Some(NOW));
}

#[test]
fn a_large_collection_reloads_within_its_call_budget_and_never_while_idle() {
    let mut app = base_app();
    let (generation, _) = faces_request(&press(&mut app, "g f"));
    answer_faces(&mut app, generation, many_faces(5000), None);
    // 5,000 faces: a reload re-reads two pages, so every two minutes at most.
    press(&mut app, "j");
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 60_000))).is_empty());
    press(&mut app, "j");
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 119_999))).is_empty());
    let [(generation, None, _)] = face_loads(&update(&mut app, Msg::Tick(NOW + 120_000)))[..]
    else {
        panic!("a reload two minutes after the last one");
    };
    answer_faces(&mut app, generation, many_faces(5000), None);
    // No key since NOW + 60,000: three minutes later someone may still be looking...
    let [(generation, None, _)] = face_loads(&update(&mut app, Msg::Tick(NOW + 240_000)))[..]
    else {
        panic!("a reload three minutes after the last key");
    };
    answer_faces(&mut app, generation, many_faces(5000), None);
    // ...but by the next reload's time nobody has for five minutes: none, however long.
    for minute in 5..=120 {
        assert!(
            face_loads(&update(&mut app, Msg::Tick(NOW + minute * 60_000))).is_empty(),
            "minute {minute}"
        );
    }
    assert!(screen(&app, 200, 32).contains("reload paused while idle"));
    // Someone is back: a reload at once, counted from the last one.
    press(&mut app, "k");
    assert_eq!(app.next_wakeup(), Some(app.now), "due long ago");
    let [(generation, None, _)] =
        face_loads(&update(&mut app, Msg::Tick(NOW + 120 * 60_000 + 1)))[..]
    else {
        panic!("a reload for the returning user");
    };
    answer_faces(&mut app, generation, many_faces(5000), None);
    // And the refresh keys reload at once, whatever the interval.
    let [(generation, None, _)] = face_loads(&press(&mut app, "ctrl-r"))[..] else {
        panic!("ctrl-r reloads");
    };
    answer_faces(&mut app, generation, many_faces(5000), None);
    assert_eq!(face_loads(&press(&mut app, "r")).len(), 1);
}

#[test]
fn an_idle_minute_on_a_hundred_thousand_faces_asks_for_nothing() {
    let mut app = base_app();
    let (generation, _) = faces_request(&press(&mut app, "g f"));
    answer_faces(&mut app, generation, many_faces(100_000), None);
    press(&mut app, "j");
    let mut calls = 0;
    for second in 1..=60 {
        calls += update(&mut app, Msg::Tick(NOW + second * 1_000)).len();
    }
    assert_eq!(calls, 0);
    // Even someone at the keys is not re-listed before 25 minutes (25 pages, a call a
    // minute), and then once.
    for minute in 1..25 {
        press(&mut app, "j");
        let effects = update(&mut app, Msg::Tick(NOW + minute * 60_000));
        assert!(face_loads(&effects).is_empty(), "minute {minute}");
    }
    press(&mut app, "j");
    assert_eq!(
        face_loads(&update(&mut app, Msg::Tick(NOW + 25 * 60_000))).len(),
        1
    );
}

#[test]
fn the_faces_reload_pauses_while_hidden_and_while_a_deletion_is_asked_or_in_flight() {
    let mut app = faces_app();
    press(&mut app, "g e");
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 60_000))).is_empty());
    // Shown again after the interval: reloaded at the next tick.
    press(&mut app, "g f");
    assert_eq!(app.next_wakeup(), Some(NOW + 60_000), "due already");
    let scheduled = update(&mut app, Msg::Tick(NOW + 60_000));
    let [(generation, ..)] = face_loads(&scheduled)[..] else {
        panic!("a reload");
    };
    // The scheduled re-list does not count the collection again (one call, not two).
    assert!(
        !scheduled
            .iter()
            .any(|e| matches!(e, Effect::DescribeCollection { .. })),
        "{scheduled:#?}"
    );
    answer_faces(&mut app, generation, collection(), None);

    // The confirmation is on screen: no reload under it.
    press(&mut app, "d");
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 90_000))).is_empty());
    // Confirmed: no reload while the deletion and its journal are out.
    let effects = press(&mut app, "y");
    let effects = record_intent(&mut app, effects);
    let [Effect::DeleteFaces { generation, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 100_000))).is_empty());
    let effects = update(
        &mut app,
        Msg::FacesDeleted {
            generation: *generation,
            result: Ok(DeleteFacesResult {
                deleted: vec![face_id(1)],
                unsuccessful: vec![],
            }),
        },
    );
    let [Effect::AppendJournal { generation, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    assert!(face_loads(&update(&mut app, Msg::Tick(NOW + 110_000))).is_empty());
    // Written: the deleted face is taken out, no re-listing, and the automatic reload
    // keeps its pace (a minute after the last one).
    let effects = update(
        &mut app,
        Msg::JournalWritten {
            generation: *generation,
            result: Ok(JOURNAL.into()),
        },
    );
    assert!(face_loads(&effects).is_empty(), "{effects:#?}");
    assert!(app.faces.face(&face_id(1)).is_none());
    assert_eq!(
        face_loads(&update(&mut app, Msg::Tick(NOW + 200_000))).len(),
        1
    );
}

#[test]
fn a_reload_keeps_the_cursor_and_marks_by_face_id_and_drops_marks_of_vanished_faces() {
    let mut app = faces_app();
    // Marks on faces 1, 3 and 6; the cursor on face 5.
    press(&mut app, "Space j Space j j Space k k");
    assert_eq!(selected_id(&app), face_id(5));
    assert_eq!(app.faces.marked.len(), 3);
    let [(generation, ..)] = face_loads(&update(&mut app, Msg::Tick(NOW + 60_000)))[..] else {
        panic!("a reload");
    };
    // Faces 3 and 6 were deleted elsewhere, a new face arrived first, the order changed.
    let mut fresh = vec![face(9, "user_g", "img00009", Some(40))];
    fresh.extend(
        collection()
            .into_iter()
            .filter(|f| f.face_id != face_id(3) && f.face_id != face_id(6))
            .rev(),
    );
    answer_faces(&mut app, generation, fresh, None);
    assert_eq!(app.faces.list.rows.len(), 6);
    assert_eq!(
        selected_id(&app),
        face_id(5),
        "the cursor stays on its face"
    );
    assert_eq!(
        app.faces.marked.iter().cloned().collect::<Vec<_>>(),
        vec![face_id(1)]
    );
    let text = notice(&app);
    assert!(
        text.contains("2 marked face(s) are no longer in the collection"),
        "{text}"
    );
}

#[test]
fn a_reload_gathers_as_many_faces_as_were_loaded_before_swapping_them_in() {
    let mut app = base_app();
    let (generation, _) = faces_request(&press(&mut app, "g f"));
    let all = collection();
    // Loaded in two pages (the second asked for at once: the cursor is near the end).
    let effects = answer_faces(&mut app, generation, all[..4].to_vec(), Some("p2"));
    let (generation, _) = faces_request(&effects);
    answer_faces(&mut app, generation, all[4..].to_vec(), None);
    press(&mut app, "G");
    assert_eq!(selected_id(&app), face_id(7));

    let effects = press(&mut app, "r");
    let [(generation, None, page_size)] = face_loads(&effects)[..] else {
        panic!("{effects:#?}");
    };
    assert!(page_size >= 7, "one call can bring back all 7: {page_size}");
    // The server pages differently this time: the first page alone is not swapped in.
    let effects = answer_faces(&mut app, generation, all[..3].to_vec(), Some("q2"));
    let loads = face_loads(&effects);
    let [(generation, Some(token), _)] = loads.as_slice() else {
        panic!("the reload goes on: {effects:#?}");
    };
    assert_eq!(token, "q2");
    let generation = *generation;
    assert_eq!(app.faces.list.rows.len(), 7, "the old rows stay meanwhile");
    assert_eq!(selected_id(&app), face_id(7));
    answer_faces(&mut app, generation, all[3..].to_vec(), None);
    assert_eq!(app.faces.list.rows.len(), 7);
    assert_eq!(
        selected_id(&app),
        face_id(7),
        "the cursor is still on face 7"
    );
    assert_eq!(app.faces.next_token, None);
}

#[test]
fn a_deletion_whose_intent_cannot_be_journaled_is_not_sent() {
    let mut app = faces_app();
    press(&mut app, "Space");
    press(&mut app, "d");
    let effects = press(&mut app, "y");
    let [Effect::AppendJournal { generation, .. }] = effects.as_slice() else {
        panic!("the journal comes first: {effects:#?}");
    };
    let effects = update(
        &mut app,
        Msg::JournalWritten {
            generation: *generation,
            result: Err("/full/disk/deletions.jsonl: No space left on device".into()),
        },
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::DeleteFaces { .. })),
        "{effects:#?}"
    );
    assert!(app.faces.deletion.is_none());
    let text = notice(&app);
    assert!(text.contains("deletion refused"), "{text}");
    assert!(text.contains("nothing was deleted"), "{text}");
    assert_eq!(app.faces.marked.len(), 1, "the marks stay for a retry");
}

#[test]
fn an_unwritable_journal_found_at_start_refuses_deleting_up_front() {
    let mut app = faces_app();
    app.options.journal_problem =
        Some("/dev/null/deletions.jsonl: /dev/null is not a folder".into());
    press(&mut app, "d");
    let effects = press(&mut app, "y");
    assert!(effects.is_empty(), "{effects:#?}");
    let text = notice(&app);
    assert!(
        text.contains("deleting is refused: the journal cannot be written"),
        "{text}"
    );
}

#[test]
fn the_journal_records_environment_credentials_and_the_caller_not_a_default_profile() {
    let mut app = faces_app();
    app.options.aws_target = Some(stepdeck::backend::AwsTarget {
        profile: "default".into(),
        region: "eu-west-1".into(),
    });
    update(
        &mut app,
        Msg::BackendInfo(stepdeck::backend::BackendInfo {
            kind: "aws".into(),
            identity: stepdeck::backend::ENVIRONMENT_CREDENTIALS.into(),
            region: "eu-west-1".into(),
            endpoint: None,
        }),
    );
    update(
        &mut app,
        Msg::CallerIdentity(Ok(Some(stepdeck::backend::CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:sts::123456789012:assumed-role/ops/alice".into(),
        }))),
    );
    press(&mut app, "Space d");
    let effects = press(&mut app, "y");
    let [Effect::AppendJournal { lines, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    let record: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(record["profile"], "environment credentials");
    assert_eq!(record["region"], "eu-west-1");
    assert_eq!(record["account"], "123456789012");
    assert_eq!(
        record["principal"],
        "arn:aws:sts::123456789012:assumed-role/ops/alice"
    );
}

#[test]
fn a_refused_delete_call_journals_not_deleted_and_says_nothing_was_deleted() {
    let mut app = faces_app();
    let generation = send_delete(&mut app);
    let effects = update(
        &mut app,
        Msg::FacesDeleted {
            generation,
            result: Err(BackendError::AccessDenied {
                action: "rekognition:DeleteFaces".into(),
                message: "not authorized".into(),
            }),
        },
    );
    let [
        Effect::AppendJournal {
            lines, generation, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:#?}");
    };
    let record: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(record["status"], "not_deleted");
    update(
        &mut app,
        Msg::JournalWritten {
            generation: *generation,
            result: Ok(JOURNAL.into()),
        },
    );
    let text = notice(&app);
    assert!(text.starts_with("nothing deleted: "), "{text}");
    assert!(!text.contains("part-way"), "{text}");
}

#[test]
fn lookalike_answers_kept_from_an_earlier_scan_are_not_asked_again() {
    let mut app = faces_app();
    update(
        &mut app,
        Msg::KeptLookalikeSearches {
            collection: "rider-photos".into(),
            result: Ok(vec![
                LookalikeSearch {
                    face_id: face_id(1),
                    matched: vec![face_id(6)],
                },
                LookalikeSearch {
                    face_id: face_id(2),
                    matched: vec![],
                },
            ]),
        },
    );
    // The kept match shows at once, as if searched now.
    assert!(
        app.faces
            .duplicate_kinds(&face_id(6))
            .contains(&DuplicateKind::Lookalike)
    );
    assert!(notice(&app).contains("2 lookalike search(es) kept from earlier scans"));
    // `L` searches only the rest: not 1 and 2 (answered), not 6 (clustered with 1).
    let asked: Vec<String> = press(&mut app, "L")
        .iter()
        .filter_map(|e| match e {
            Effect::SearchFaces { face_id, .. } => Some(face_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, vec![face_id(3), face_id(4), face_id(5), face_id(7)]);
    // Kept searches of another collection (a target switched meanwhile) are ignored.
    update(
        &mut app,
        Msg::KeptLookalikeSearches {
            collection: "other".into(),
            result: Ok(vec![LookalikeSearch {
                face_id: face_id(3),
                matched: vec![face_id(4)],
            }]),
        },
    );
    assert!(
        !app.faces
            .duplicate_kinds(&face_id(4))
            .contains(&DuplicateKind::Lookalike)
    );
}
