//! The seed's "Checking for duplicates" questions end to end: the console's keys (`s`, `r`,
//! `u`) drive the real sandbox on a paused tokio clock, the effects performed as the runtime
//! would. Run `1_happy_face.jpg` for `user_a` (accepted: face indexed, thumbnail stored),
//! rerun it (rejected: the face already exists), run it for `user_b` (rejected too), delete
//! the face through `Backend::delete_faces`, rerun (accepted again).

use crate::app_support;

use app_support::press;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, AppOptions, update::update};
use stepdeck::backend::Backend;
use stepdeck::backend::local::{
    COLLECTION_ID, LocalSandbox, PHOTO_BUCKET, SandboxOptions, THUMBNAIL_BUCKET,
};
use stepdeck::domain::execution::Outcome;
use stepdeck::domain::test_case::seed_test_cases;
use stepdeck::keymap::Keymap;
use tokio::time::Instant;

const BASE: i64 = 1_764_064_800_000;

/// Performs effects against the backend and feeds the answers back, until none are left.
async fn drive(app: &mut App, backend: &Arc<dyn Backend>, effects: Vec<Effect>) {
    let mut queue = effects;
    while let Some(effect) = queue.pop() {
        let msg = match effect {
            Effect::LoadStateMachines => Msg::StateMachines(backend.list_state_machines().await),
            Effect::LoadCallerIdentity => Msg::CallerIdentity(backend.caller_identity().await),
            Effect::LoadExecutions {
                generation,
                append,
                request,
            } => Msg::Executions {
                generation,
                append,
                result: backend.list_executions(request).await,
            },
            Effect::LoadExecution {
                generation,
                execution_arn,
            } => Msg::Execution {
                generation,
                result: backend.describe_execution(&execution_arn).await,
            },
            Effect::LoadHistory {
                generation,
                request,
            } => Msg::History {
                generation,
                include_data: request.include_data,
                result: backend.get_execution_history(request).await,
            },
            Effect::LoadInput {
                generation,
                execution_arn,
            } => Msg::InputLoaded {
                generation,
                result: backend.describe_execution(&execution_arn).await,
            },
            Effect::StartExecution(request) => Msg::Started {
                result: backend.start_execution(request.clone()).await,
                request,
            },
            Effect::ReconcileStart {
                execution_arn,
                request,
            } => Msg::StartReconciled {
                request,
                result: backend.describe_execution(&execution_arn).await,
            },
            other => panic!("not expected here: {other:?}"),
        };
        queue.extend(update(app, msg));
    }
}

/// Lets paused time run (ticking the app as the runtime would) until the open execution
/// has ended and its history says how; returns its outcome.
async fn outcome_of_open_run(app: &mut App, backend: &Arc<dyn Backend>, start: Instant) -> Outcome {
    for _ in 0..300 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let now = BASE + start.elapsed().as_millis() as i64;
        let effects = update(app, Msg::Tick(now));
        drive(app, backend, effects).await;
        let view = app.execution.as_ref().expect("the run is open");
        if !view.is_running() && view.history_loaded {
            return view.outcome().expect("an ended run has an outcome");
        }
    }
    panic!("the run did not end within 75 s");
}

fn open_name(app: &App) -> String {
    app.execution.as_ref().unwrap().summary.name.clone()
}

#[tokio::test(start_paused = true)]
async fn the_duplicate_questions_from_the_console() {
    let start = Instant::now();
    let sandbox = LocalSandbox::start(SandboxOptions {
        epoch_base_ms: BASE,
        rng_seed: 7,
        seed_runs: false,
        backfill: false,
        trickle_every: None,
        transient_failure_rate: 0.0,
    });
    let backend: Arc<dyn Backend> = sandbox.clone();
    let options = AppOptions {
        test_cases: seed_test_cases(PHOTO_BUCKET),
        ..AppOptions::default()
    };
    let mut app = App::new(options, Keymap::defaults(), BASE);
    let effects = app.init();
    drive(&mut app, &backend, effects).await;
    assert_eq!(app.state_machine().unwrap().name, "RiderPhotoProcessing");

    // 1. The first test case for user_a: accepted, the face indexed, the thumbnail stored.
    let effects = press(&mut app, "s Enter");
    drive(&mut app, &backend, effects).await;
    let first = open_name(&app);
    assert!(first.starts_with("run-1_happy_face-"), "{first}");
    assert_eq!(app.executions.selected().unwrap().name, first);
    assert_eq!(
        outcome_of_open_run(&mut app, &backend, start).await,
        Outcome::Completed
    );
    let faces = backend.list_faces(COLLECTION_ID, None, 100).await.unwrap();
    assert_eq!(faces.items.len(), 1);
    assert_eq!(faces.items[0].external_image_id.as_deref(), Some("user_a"));
    let thumbnails = backend
        .list_objects(THUMBNAIL_BUCKET, None, None, 100)
        .await
        .unwrap();
    assert!(
        thumbnails
            .items
            .iter()
            .any(|o| o.key == "resized-1_happy_face.jpg"),
        "{thumbnails:?}"
    );

    let duplicate = Outcome::Rejected {
        state: "CheckFaceDuplicate".into(),
        error: "FaceAlreadyExistsError".into(),
        message: "Face in the picture is already in the system.".into(),
    };

    // 2. `r`: the same input again — rejected, the face is already in the collection.
    let effects = press(&mut app, "r");
    drive(&mut app, &backend, effects).await;
    let rerun = open_name(&app);
    assert!(rerun.starts_with("rerun-1_happy_face-user_a-"), "{rerun}");
    assert_eq!(
        outcome_of_open_run(&mut app, &backend, start).await,
        duplicate
    );
    let described = backend
        .describe_execution(&app.execution.as_ref().unwrap().arn)
        .await
        .unwrap();
    let first_input =
        format!(r#"{{"userId":"user_a","s3Bucket":"{PHOTO_BUCKET}","s3Key":"1_happy_face.jpg"}}"#);
    assert_eq!(described.input.as_deref(), Some(first_input.as_str()));

    // 3. `u Enter`: the same photo as user_b — rejected too (faces match, not user ids).
    let effects = press(&mut app, "u Enter");
    drive(&mut app, &backend, effects).await;
    assert!(
        open_name(&app).starts_with("rerun-1_happy_face-user_b-"),
        "{}",
        open_name(&app)
    );
    assert_eq!(
        outcome_of_open_run(&mut app, &backend, start).await,
        duplicate
    );
    let faces = backend.list_faces(COLLECTION_ID, None, 100).await.unwrap();
    assert_eq!(faces.items.len(), 1, "nothing new was indexed");

    // 4. Delete the indexed face, then `r` again: accepted, indexed for user_b this time.
    let face_id = faces.items[0].face_id.clone();
    let deleted = backend
        .delete_faces(COLLECTION_ID, std::slice::from_ref(&face_id))
        .await
        .unwrap();
    assert_eq!(deleted.deleted, vec![face_id]);
    let effects = press(&mut app, "r");
    drive(&mut app, &backend, effects).await;
    assert_eq!(
        outcome_of_open_run(&mut app, &backend, start).await,
        Outcome::Completed
    );
    let faces = backend.list_faces(COLLECTION_ID, None, 100).await.unwrap();
    assert_eq!(faces.items.len(), 1);
    assert_eq!(faces.items[0].external_image_id.as_deref(), Some("user_b"));
    assert_eq!(app.executions.list.rows.len(), 4, "all four runs listed");
}
