//! End to end on the sandbox, through the app and the real effects runner: the seed's
//! "checking for duplicates" story — `1_happy_face.jpg` for `user_a` is accepted, rerun it is
//! rejected, for `user_b` it is rejected too (the check matches faces, not user ids), the
//! face is deleted from the faces screen (mark → confirm → delete → journal → reload), and
//! the rerun is accepted again; the same story through the jump from the rejected run to its
//! face. Then the thumbnails screen finds the bucket and previews.

use crate::app_support;
use crate::sandbox_support;

use app_support::{key_event, press};
use sandbox_support::{quiet_options, run_photo, wait_until_done};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screen::Screen;
use stepdeck::app::screens::thumbnails::PreviewState;
use stepdeck::app::{App, AppOptions, update::update};
use stepdeck::backend::Backend;
use stepdeck::backend::local::{COLLECTION_ID, LocalSandbox, THUMBNAIL_BUCKET};
use stepdeck::domain::execution::{ExecutionStatus, Outcome};
use stepdeck::keymap::Keymap;
use stepdeck::runtime::effects::EffectRunner;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

const NOW: i64 = sandbox_support::EPOCH_MS;

/// Runs `1_happy_face.jpg` for `user` to its end and returns its outcome.
async fn run_happy_face(sandbox: &dyn Backend, user: &str) -> Outcome {
    let summary = run_photo(sandbox, user, "1_happy_face.jpg").await;
    assert_eq!(summary.status, ExecutionStatus::Succeeded);
    summary.outcome.expect("an ended run has an outcome")
}

fn rejected_as_duplicate(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Rejected { error, .. } if error == "FaceAlreadyExistsError")
}

/// The app wired to the sandbox through the real effects runner.
struct Console {
    app: App,
    runner: EffectRunner,
    inbox: UnboundedReceiver<Msg>,
}

impl Console {
    fn new(sandbox: Arc<dyn Backend>, journal: PathBuf) -> Console {
        let (sender, inbox) = unbounded_channel();
        let runner = EffectRunner::new(Arc::clone(&sandbox), sender);
        let options = AppOptions {
            journal_path: Some(journal),
            ..AppOptions::default()
        };
        let mut app = App::new(options, Keymap::defaults(), NOW + 60_000);
        update(&mut app, Msg::Resize(120, 32));
        update(&mut app, Msg::BackendInfo(sandbox.info()));
        Console { app, runner, inbox }
    }

    /// Performs `effects` (each answers with one message), applies the answers and returns
    /// the effects they ask for next.
    async fn perform(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let count = effects.len();
        for effect in effects {
            self.runner.run(effect);
        }
        let mut next = Vec::new();
        for _ in 0..count {
            let msg = tokio::time::timeout(Duration::from_secs(30), self.inbox.recv())
                .await
                .expect("an answer")
                .expect("the runner is alive");
            next.extend(update(&mut self.app, msg));
        }
        next
    }

    fn press(&mut self, keys: &str) -> Vec<Effect> {
        press(&mut self.app, keys)
    }

    /// Performs `effects` and everything they lead to, until nothing is left to do.
    async fn settle(&mut self, mut effects: Vec<Effect>) {
        for _ in 0..50 {
            if effects.is_empty() {
                return;
            }
            effects = self.perform(effects).await;
        }
        panic!("still asking for more after 50 rounds: {effects:#?}");
    }
}

/// A journal of its own for each test (they run in parallel in one process).
fn journal_path(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stepdeck-e2e-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("deletions.jsonl")
}

#[tokio::test(start_paused = true)]
async fn a_duplicate_face_is_deleted_from_the_console_and_the_rerun_is_accepted_again() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    assert_eq!(
        run_happy_face(sandbox.as_ref(), "user_a").await,
        Outcome::Completed
    );
    let again = run_happy_face(sandbox.as_ref(), "user_a").await;
    assert!(rejected_as_duplicate(&again), "{again:?}");
    let other_user = run_happy_face(sandbox.as_ref(), "user_b").await;
    assert!(rejected_as_duplicate(&other_user), "{other_user:?}");

    let journal = journal_path("delete");
    let mut console = Console::new(Arc::clone(&sandbox), journal.clone());
    let effects = console.press("g f");
    assert!(
        matches!(effects.as_slice(), [
            Effect::LoadFaces { collection, next_token: None, .. },
            Effect::LoadLookalikeSearches { collection: kept },
            Effect::DescribeCollection { .. },
        ] if collection == COLLECTION_ID && kept == COLLECTION_ID),
        "{effects:#?}"
    );
    assert!(console.perform(effects).await.is_empty());
    let faces = console.app.faces.list.rows.clone();
    assert_eq!(faces.len(), 1, "one face: the duplicates were rejected");
    assert_eq!(faces[0].external_image_id.as_deref(), Some("user_a"));

    console.press("Space d");
    let effects = update(&mut console.app, Msg::Key(key_event("y")));
    let [Effect::AppendJournal { lines, .. }] = effects.as_slice() else {
        panic!("the intent is journaled before the delete call: {effects:#?}");
    };
    assert!(lines[0].contains(r#""status":"intended""#), "{lines:?}");
    let effects = console.perform(effects).await;
    assert!(
        matches!(effects.as_slice(), [Effect::DeleteFaces { face_ids, .. }] if *face_ids == vec![faces[0].face_id.clone()]),
        "{effects:#?}"
    );
    let effects = console.perform(effects).await;
    let [Effect::AppendJournal { lines, .. }] = effects.as_slice() else {
        panic!("the journal comes before anything else: {effects:#?}");
    };
    assert_eq!(lines.len(), 1);
    assert!(console.app.faces.deletion.is_some(), "not done yet");
    let effects = console.perform(effects).await;
    assert!(
        effects.is_empty(),
        "the deleted face is taken out without re-listing: {effects:#?}"
    );
    assert!(console.app.faces.list.rows.is_empty());
    let notice = console.app.notice.clone().unwrap().text;
    // A reload agrees: the collection is empty.
    let effects = console.press("r");
    assert!(
        matches!(
            effects.as_slice(),
            [
                Effect::LoadFaces {
                    next_token: None,
                    ..
                },
                Effect::DescribeCollection { .. }
            ]
        ),
        "{effects:#?}"
    );
    assert!(console.perform(effects).await.is_empty());
    assert!(console.app.faces.list.rows.is_empty());
    assert!(
        notice.contains(&format!("journal: {}", journal.display())),
        "{notice}"
    );

    let written = std::fs::read_to_string(&journal).unwrap();
    let records: Vec<Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The intent, then the outcome.
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["status"], "intended");
    assert_eq!(records[1]["status"], "deleted");
    assert_eq!(records[0]["face_id"], records[1]["face_id"]);
    assert_eq!(records[0]["face_id"], faces[0].face_id.as_str());
    assert_eq!(records[0]["external_image_id"], "user_a");
    assert_eq!(records[0]["profile"], "sandbox");
    assert_eq!(records[0]["collection"], COLLECTION_ID);
    assert!(records[0]["bounding_box"]["Width"].is_number());

    assert_eq!(
        run_happy_face(sandbox.as_ref(), "user_a").await,
        Outcome::Completed,
        "the face is gone: the same photo is accepted again"
    );
    let _ = std::fs::remove_dir_all(journal.parent().unwrap());
}

/// The jump: from the rejected run of `user_b`, one key shows the face it matched — indexed
/// for `user_a`, the check matches faces, not user ids — which is deleted with the
/// confirmation; the rerun of `user_b` is accepted then.
#[tokio::test(start_paused = true)]
async fn from_the_rejected_run_to_its_face_deleted_and_the_rerun_accepted() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    assert_eq!(
        run_happy_face(sandbox.as_ref(), "user_a").await,
        Outcome::Completed
    );
    let rejected = run_photo(sandbox.as_ref(), "user_b", "1_happy_face.jpg").await;
    assert!(rejected_as_duplicate(rejected.outcome.as_ref().unwrap()));

    let journal = journal_path("jump");
    let mut console = Console::new(Arc::clone(&sandbox), journal.clone());
    let effects = console.app.init();
    console.settle(effects).await;
    assert_eq!(console.app.executions.selected().unwrap().arn, rejected.arn);
    // Open the rejected run: its history says why it was rejected.
    let effects = console.press("Enter");
    console.settle(effects).await;
    let view = console.app.execution.as_ref().unwrap();
    assert!(rejected_as_duplicate(&view.outcome().unwrap()));

    let effects = console.press("J");
    assert!(
        matches!(effects.as_slice(), [Effect::SearchFacesByImage { key, .. }] if key == "1_happy_face.jpg"),
        "{effects:#?}"
    );
    console.settle(effects).await;
    assert_eq!(console.app.screen, Screen::Faces);
    let face = console
        .app
        .faces
        .selected()
        .cloned()
        .expect("a face selected");
    assert_eq!(face.external_image_id.as_deref(), Some("user_a"));
    let notice = console.app.notice.clone().unwrap().text;
    assert!(
        notice.contains("1_happy_face.jpg (user_b) was rejected for user_a's face"),
        "{notice}"
    );

    // Delete it, confirmed (No is the default: `y` says yes).
    console.press("d");
    let effects = console.press("y");
    let effects = console.perform(effects).await;
    assert!(
        matches!(effects.as_slice(), [Effect::DeleteFaces { face_ids, .. }] if *face_ids == vec![face.face_id.clone()]),
        "{effects:#?}"
    );
    console.settle(effects).await;
    assert!(console.app.faces.list.rows.is_empty());
    let written = std::fs::read_to_string(&journal).unwrap();
    assert!(written.contains(&face.face_id), "{written}");

    // Back to the rejected run and rerun it: accepted, the face indexed for user_b now.
    let effects = console.press("Esc r");
    assert_eq!(console.app.screen, Screen::Executions);
    let [Effect::StartExecution(request)] = effects.as_slice() else {
        panic!("{effects:#?}");
    };
    assert!(
        request.input.contains(r#""userId":"user_b""#),
        "{}",
        request.input
    );
    console.settle(effects).await;
    let rerun = console.app.execution.as_ref().unwrap().arn.clone();
    assert_ne!(rerun, rejected.arn, "the new run is open");
    let done = wait_until_done(sandbox.as_ref(), &rerun).await;
    assert_eq!(done.outcome, Some(Outcome::Completed));
    let faces = sandbox.list_faces(COLLECTION_ID, None, 100).await.unwrap();
    assert_eq!(faces.items.len(), 1);
    assert_eq!(faces.items[0].external_image_id.as_deref(), Some("user_b"));
    let _ = std::fs::remove_dir_all(journal.parent().unwrap());
}

#[tokio::test(start_paused = true)]
async fn the_thumbnails_screen_finds_the_sandbox_bucket_and_previews_a_real_thumbnail() {
    let sandbox: Arc<dyn Backend> = LocalSandbox::start(quiet_options());
    assert_eq!(
        run_happy_face(sandbox.as_ref(), "user_a").await,
        Outcome::Completed
    );
    let mut console = Console::new(Arc::clone(&sandbox), journal_path("thumbnails"));
    let effects = console.press("g t");
    assert!(matches!(effects.as_slice(), [Effect::LoadBuckets { .. }]));
    // Buckets → the thumbnail bucket's and the photo bucket's listings.
    let effects = console.perform(effects).await;
    assert_eq!(effects.len(), 2, "{effects:#?}");
    assert!(console.perform(effects).await.is_empty());
    let view = &console.app.thumbnails;
    assert_eq!(view.bucket.as_deref(), Some(THUMBNAIL_BUCKET));
    assert_eq!(view.list.rows[0].key, "resized-1_happy_face.jpg");
    assert_eq!(
        view.source_match("resized-1_happy_face.jpg"),
        stepdeck::app::screens::thumbnails::SourceMatch::Found
    );
    let now = console.app.now;
    let effects = update(&mut console.app, Msg::Tick(now));
    assert!(matches!(effects.as_slice(), [Effect::LoadPreview { .. }]));
    assert!(console.perform(effects).await.is_empty());
    match &console.app.thumbnails.preview {
        Some(PreviewState::Ready { key, image }) => {
            assert_eq!(key, "resized-1_happy_face.jpg");
            assert!(image.width <= 300 && image.height <= 300);
            assert_eq!(image.format, "jpeg");
        }
        other => panic!("{other:?}"),
    }
}
