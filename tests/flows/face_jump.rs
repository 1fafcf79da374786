//! update() flows of the jump from a run rejected by `CheckFaceDuplicate` to the face it
//! matched: from the open execution and from the list row, the search by the run's photo
//! (not its user id), the faces screen with the closest match selected and the others
//! flagged, pages loaded until the face is listed, and the notices when there is nothing to
//! jump to.

use crate::app_support;
use crate::faces_support;

use app_support::*;
use faces_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screen::Screen;
use stepdeck::app::{NoticeLevel, update::update};
use stepdeck::backend::BackendError;

fn search_of(effects: &[Effect]) -> (String, String, String, f32) {
    match effects {
        [
            Effect::SearchFacesByImage {
                collection,
                bucket,
                key,
                threshold,
                ..
            },
        ] => (collection.clone(), bucket.clone(), key.clone(), *threshold),
        other => panic!("expected one SearchFacesByImage: {other:#?}"),
    }
}

#[test]
fn j_on_the_open_rejected_run_selects_the_face_its_photo_matched() {
    let mut app = rejected_open_app();
    let effects = press(&mut app, "J");
    // The photo is searched, as CheckFaceDuplicate searches it: not the user id.
    assert_eq!(
        search_of(&effects),
        (
            "rider-photos".to_string(),
            PHOTOS.to_string(),
            "1_happy_face.jpg".to_string(),
            70.0
        )
    );
    assert_eq!(
        app.screen,
        Screen::Executions,
        "nothing moves before the answer"
    );

    // user_b's run matched user_a's faces (the photo was indexed twice for user_a).
    let effects = answer_search(
        &mut app,
        &effects,
        vec![photo_match(1, 99.1), photo_match(3, 99.6)],
    );
    assert_eq!(app.screen, Screen::Faces);
    let (generation, token) = faces_request(&effects);
    assert_eq!(token, None, "first sight of the faces: loaded");
    answer_faces(&mut app, generation, collection(), None);
    assert_eq!(
        selected_id(&app),
        face_id(3),
        "the closest match is selected"
    );
    let jump = app.faces.jump.as_ref().unwrap();
    assert!(!jump.pending);
    assert_eq!(jump.similarity(&face_id(1)), Some(99.1));
    assert_eq!(jump.similarity(&face_id(2)), None);
    let text = notice(&app);
    assert!(
        text.contains("1_happy_face.jpg (user_b) was rejected for user_a's face (99.6% similar)"),
        "{text}"
    );
    assert!(text.contains("1 more match(es) flagged"), "{text}");
    assert!(app.faces.marked.is_empty(), "a jump marks nothing");

    // `d` now deletes the selected face; Esc goes back to the rejected run.
    press(&mut app, "d");
    let Some(stepdeck::app::overlays::Overlay::Confirm(confirm)) = &app.overlay else {
        panic!("{:?}", app.overlay);
    };
    assert!(confirm.message.contains(&face_id(3)), "{}", confirm.message);
    press(&mut app, "n Esc");
    assert_eq!(app.screen, Screen::Executions);
    assert_eq!(app.execution.as_ref().unwrap().summary.name, REJECTED);
}

#[test]
fn j_on_a_rejected_list_row_reads_its_input_first() {
    let mut app = rejected_listed_app();
    assert_eq!(app.executions.selected().unwrap().name, REJECTED);
    let effects = press(&mut app, "J");
    let [
        Effect::LoadInput {
            generation,
            execution_arn,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:#?}");
    };
    assert_eq!(*execution_arn, exec_arn(REJECTED));
    let detail = detail_of(&rejected_row(), Some(&rejected_input()), None);
    let effects = update(
        &mut app,
        Msg::InputLoaded {
            generation: *generation,
            result: Ok(detail),
        },
    );
    assert_eq!(search_of(&effects).2, "1_happy_face.jpg");
    assert!(app.runs.pending_starts.is_empty(), "not taken for a rerun");
    let effects = answer_search(&mut app, &effects, vec![photo_match(1, 99.4)]);
    let (generation, _) = faces_request(&effects);
    answer_faces(&mut app, generation, collection(), None);
    assert_eq!(app.screen, Screen::Faces);
    assert_eq!(selected_id(&app), face_id(1));
    assert!(
        app.execution.is_none(),
        "the list stays the executions screen"
    );
}

#[test]
fn j_explains_when_there_is_no_face_to_jump_to() {
    // A row rejected for another reason, and a row whose outcome the list does not know.
    let mut app = rejected_listed_app();
    press(&mut app, "j j j");
    let row = app.executions.selected().unwrap().name.clone();
    assert_eq!(row, "run-04-no-face");
    assert!(press(&mut app, "J").is_empty());
    let text = notice(&app);
    assert!(
        text.contains("was not rejected as a duplicate face (rejected: No face detected)"),
        "{text}"
    );
    for listed in app
        .executions
        .list
        .rows
        .iter_mut()
        .filter(|r| r.name == row)
    {
        listed.outcome = None; // as the AWS list has it
    }
    app.executions.recompute(NOW);
    // The row is described (as every AWS row on screen is) and J is for a moment later.
    let effects = press(&mut app, "J");
    let listed_arn = app.executions.selected().unwrap().arn.clone();
    assert!(
        effects.iter().all(
            |e| matches!(e, Effect::DescribeRow { execution_arn, .. } if *execution_arn == listed_arn)
        ) && !effects.is_empty(),
        "{effects:#?}"
    );
    let text = notice(&app);
    assert!(text.contains("press J again in a moment"), "{text}");
    // Where rows cannot be described, the open execution's history tells.
    app.executions.describe_denied = true;
    assert!(press(&mut app, "J").is_empty());
    let text = notice(&app);
    assert!(text.contains("open it (Enter), then J there"), "{text}");

    // The search finds nothing: the face was deleted since; no jump.
    let mut app = rejected_open_app();
    let effects = press(&mut app, "J");
    assert!(answer_search(&mut app, &effects, vec![]).is_empty());
    assert_eq!(app.screen, Screen::Executions);
    assert!(app.faces.jump.is_none());
    let text = notice(&app);
    assert!(text.contains("no face in rider-photos matches 1_happy_face.jpg (user_b) any more: it was already deleted"), "{text}");

    // The search fails: said, no jump.
    let effects = press(&mut app, "J");
    let [Effect::SearchFacesByImage { generation, .. }] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    update(
        &mut app,
        Msg::FacesByImage {
            generation: *generation,
            result: Err(BackendError::Invalid(
                "rekognition:SearchFacesByImage: InvalidS3ObjectException: Unable to get object metadata from S3.".into(),
            )),
        },
    );
    assert_eq!(app.screen, Screen::Executions);
    assert_eq!(app.notice.as_ref().unwrap().level, NoticeLevel::Error);
    assert!(
        notice(&app).contains("InvalidS3ObjectException"),
        "{}",
        notice(&app)
    );
}

#[test]
fn a_face_not_yet_listed_is_brought_in_by_a_reload_then_further_pages() {
    let mut app = rejected_open_app();
    // The faces screen was seen before: 100 faces of a longer collection, filtered.
    let (generation, _) = faces_request(&press(&mut app, "g f"));
    let first = many_faces(100);
    answer_faces(&mut app, generation, first.clone(), Some("page-2"));
    app.faces.list.filter = "user_01".into();
    app.faces.recompute();
    press(&mut app, "g e");

    let effects = press(&mut app, "J");
    let effects = answer_search(&mut app, &effects, vec![photo_match(3, 99.6)]);
    assert_eq!(app.screen, Screen::Faces);
    // Not listed: the list is reloaded first (the face may be newer than it)…
    let (generation, token) = faces_request(&effects);
    assert_eq!(token, None);
    let effects = answer_faces(&mut app, generation, first, Some("page-2"));
    // …then the next pages are asked for until it is.
    let (generation, token) = faces_request(&effects);
    assert_eq!(token.as_deref(), Some("page-2"));
    assert!(app.faces.jump.as_ref().unwrap().pending);
    answer_faces(&mut app, generation, collection(), None);
    assert!(!app.faces.jump.as_ref().unwrap().pending);
    assert_eq!(selected_id(&app), face_id(3));
    assert!(
        app.faces.list.filter.is_empty(),
        "the filter hid it: cleared"
    );
}

#[test]
fn the_jump_is_offered_in_read_only_mode() {
    let mut app = rejected_open_app();
    app.options.read_only = true;
    let effects = press(&mut app, "J");
    assert_eq!(
        search_of(&effects).2,
        "1_happy_face.jpg",
        "reading is not refused"
    );
}
