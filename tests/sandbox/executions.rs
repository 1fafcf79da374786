//! The local sandbox end to end, on a paused tokio clock with a fixed seed: the four seed
//! test cases, their histories, retries, duplicates, incremental history, stop, pagination
//! and the Map machine.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::backend::local::{
    self, LocalSandbox, PHOTO_BUCKET, RIDER_PHOTO_PROCESSING, SandboxOptions, THUMBNAIL_BACKFILL,
    THUMBNAIL_BUCKET, state_machine_arn,
};
use stepdeck::backend::{
    Backend, BackendError, HistoryRequest, ListExecutionsRequest, StartExecutionRequest,
};
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use stepdeck::domain::history::{EventType, HistoryEvent};
use stepdeck::domain::test_case::MAX_INPUT_BYTES;

const BASE: i64 = 1_764_064_800_000;

fn options(seed_runs: bool) -> SandboxOptions {
    SandboxOptions {
        epoch_base_ms: BASE,
        rng_seed: 42,
        seed_runs,
        backfill: false,
        trickle_every: None,
        transient_failure_rate: 0.0,
    }
}

fn riders() -> String {
    state_machine_arn(RIDER_PHOTO_PROCESSING)
}

fn photo_input(user: &str, key: &str) -> String {
    json!({"userId": user, "s3Bucket": PHOTO_BUCKET, "s3Key": key}).to_string()
}

async fn start(sandbox: &LocalSandbox, user: &str, key: &str) -> ExecutionSummary {
    sandbox
        .start_execution(StartExecutionRequest {
            state_machine_arn: riders(),
            name: None,
            input: photo_input(user, key),
        })
        .await
        .expect("started")
}

async fn list(
    sandbox: &LocalSandbox,
    machine: &str,
    status: Option<ExecutionStatus>,
) -> Vec<ExecutionSummary> {
    sandbox
        .list_executions(ListExecutionsRequest {
            state_machine_arn: machine.to_string(),
            status,
            next_token: None,
            page_size: 1000,
        })
        .await
        .unwrap()
        .items
}

/// Waits (in paused tokio time) until the execution is no longer running.
async fn finished(sandbox: &LocalSandbox, arn: &str) -> ExecutionSummary {
    for _ in 0..600 {
        let detail = sandbox.describe_execution(arn).await.unwrap();
        if detail.summary.status != ExecutionStatus::Running {
            return detail.summary;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{arn} still running after 150 s");
}

async fn all_finished(sandbox: &LocalSandbox, machine: &str) -> Vec<ExecutionSummary> {
    for summary in list(sandbox, machine, None).await {
        finished(sandbox, &summary.arn).await;
    }
    list(sandbox, machine, None).await
}

async fn history(sandbox: &LocalSandbox, arn: &str, include_data: bool) -> Vec<HistoryEvent> {
    sandbox
        .get_execution_history(HistoryRequest {
            execution_arn: arn.to_string(),
            after_event_id: None,
            include_data,
        })
        .await
        .unwrap()
}

fn types(events: &[HistoryEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event_type.as_str()).collect()
}

fn rejected(message: &str, state: &str, error: &str) -> Option<Outcome> {
    Some(Outcome::Rejected {
        state: state.into(),
        error: error.into(),
        message: message.into(),
    })
}

fn assert_well_chained(events: &[HistoryEvent]) {
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event.id, i as i64 + 1, "ids are consecutive");
        assert!(event.previous_event_id < event.id);
        assert!(i == 0 || event.timestamp >= events[i - 1].timestamp);
    }
    assert_eq!(events[0].previous_event_id, 0);
}

#[tokio::test(start_paused = true)]
async fn the_four_seed_cases_end_with_the_expected_outcomes() {
    let sandbox = LocalSandbox::start(options(true));
    let executions = all_finished(&sandbox, &riders()).await;
    assert_eq!(executions.len(), 4);
    let by_key: HashMap<String, &ExecutionSummary> = executions
        .iter()
        .map(|e| (e.input_label.clone().unwrap(), e))
        .collect();
    for summary in &executions {
        assert_eq!(summary.status, ExecutionStatus::Succeeded, "{summary:?}");
        assert_eq!(summary.start, BASE, "seed runs start at once");
    }
    let outcome = |key: &str| by_key[&format!("{key} (user_a)")].outcome.clone();
    assert_eq!(outcome("1_happy_face.jpg"), Some(Outcome::Completed));
    let detect = "FaceDetection";
    let requirement = "PhotoDoesNotMeetRequirementError";
    assert_eq!(
        outcome("2_sunglass_face.jpg"),
        rejected("Face is wearing sunglasses", detect, requirement)
    );
    assert_eq!(
        outcome("3_multiple_faces.jpg"),
        rejected("Detected 3 faces in the photo.", detect, requirement)
    );
    assert_eq!(
        outcome("4_no_face.jpg"),
        rejected("Detected 0 faces in the photo.", detect, requirement)
    );
    assert_eq!(
        outcome("2_sunglass_face.jpg").unwrap().label(),
        "rejected: Face is wearing sunglasses"
    );

    // The accepted photo: its face is indexed for user_a, its thumbnail fits 300×300 and keeps
    // the 4:3 aspect ratio, and its record is in the metadata table.
    let faces = sandbox.faces();
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].external_image_id, "user_a");
    assert_eq!(faces[0].face_id.len(), 36);
    let happy = sandbox
        .describe_execution(&by_key["1_happy_face.jpg (user_a)"].arn)
        .await
        .unwrap();
    let output: Value = serde_json::from_str(happy.output.as_deref().unwrap()).unwrap();
    assert_eq!(
        output["parallelResult"][0]["FaceId"],
        json!(faces[0].face_id)
    );
    assert_eq!(
        output["parallelResult"][1]["thumbnail"],
        json!({"s3key": "resized-1_happy_face.jpg", "s3bucket": THUMBNAIL_BUCKET})
    );
    let bytes = sandbox
        .object_bytes(THUMBNAIL_BUCKET, "resized-1_happy_face.jpg")
        .expect("thumbnail stored");
    let thumbnail = image::load_from_memory(&bytes).unwrap();
    assert!(thumbnail.width() <= 300 && thumbnail.height() <= 300);
    assert_eq!((thumbnail.width(), thumbnail.height()), (300, 225));
    let items = sandbox.metadata_items();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].item["Username"], json!({"S": "user_a"}));
    assert_eq!(items[0].item["faceId"], json!({"S": faces[0].face_id}));
    assert_eq!(
        items[0].item["thumbnail"]["M"]["s3key"],
        json!({"S": "resized-1_happy_face.jpg"})
    );

    // Each rejection was published with its error info.
    let notifications = sandbox.notifications();
    assert_eq!(notifications.len(), 3);
    let messages: Vec<Value> = notifications
        .iter()
        .map(|n| serde_json::from_str(&n.message).unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .all(|m| m["errorInfo"]["Error"] == json!(requirement))
    );
    assert!(
        messages
            .iter()
            .any(|m| m["s3Key"] == json!("2_sunglass_face.jpg"))
    );
}

#[tokio::test(start_paused = true)]
async fn seed_histories_have_the_aws_event_sequences_and_parallel_chaining() {
    let sandbox = LocalSandbox::start(options(true));
    let executions = all_finished(&sandbox, &riders()).await;
    let arn_of = |key: &str| {
        executions
            .iter()
            .find(|e| e.input_label.as_deref() == Some(&format!("{key} (user_a)")))
            .unwrap()
            .arn
            .clone()
    };

    let events = history(&sandbox, &arn_of("1_happy_face.jpg"), true).await;
    assert_well_chained(&events);
    let task = [
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
    ];
    let mut expected = vec![
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
    ];
    expected.extend(task); // FaceDetection
    expected.extend(task); // CheckFaceDuplicate
    expected.extend(["ParallelStateEntered", "ParallelStateStarted"]);
    let all_types = types(&events);
    let mut branch_events = all_types[expected.len()..expected.len() + 10].to_vec();
    branch_events.sort();
    let mut two_tasks: Vec<&str> = task.iter().chain(task.iter()).copied().collect();
    two_tasks.sort();
    assert_eq!(branch_events, two_tasks, "two branches of one task each");
    let tail = [
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ];
    assert_eq!(all_types[..expected.len()], expected[..]);
    assert_eq!(all_types[expected.len() + 10..], tail);

    // Both branches start from ParallelStateStarted; ParallelStateSucceeded follows the last
    // branch event.
    let started = events
        .iter()
        .find(|e| e.event_type == EventType::ParallelStateStarted)
        .unwrap();
    let branch_starts: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| e.previous_event_id == started.id)
        .collect();
    let names: Vec<&str> = branch_starts
        .iter()
        .map(|e| e.details.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, vec!["AddFaceToIndex", "Thumbnail"]);
    assert!(
        branch_starts
            .iter()
            .all(|e| e.event_type == EventType::TaskStateEntered)
    );
    let succeeded = events
        .iter()
        .find(|e| e.event_type == EventType::ParallelStateSucceeded)
        .unwrap();
    assert_eq!(succeeded.previous_event_id, succeeded.id - 1);
    assert_eq!(
        events[(succeeded.id - 2) as usize].event_type,
        EventType::TaskStateExited
    );
    // Inside each branch, events chain to the branch's own previous event.
    for first in &branch_starts {
        let name = first.details.name.clone();
        let exit = events
            .iter()
            .find(|e| e.event_type == EventType::TaskStateExited && e.details.name == name)
            .unwrap();
        let mut at = exit;
        let mut chain = Vec::new();
        while at.id != first.id {
            chain.push(at.event_type.as_str());
            at = &events[(at.previous_event_id - 1) as usize];
        }
        assert_eq!(
            chain,
            vec![
                "TaskStateExited",
                "TaskSucceeded",
                "TaskStarted",
                "TaskScheduled"
            ]
        );
    }
    let scheduled = events
        .iter()
        .find(|e| e.event_type == EventType::TaskScheduled)
        .unwrap();
    assert_eq!(scheduled.details.resource_type.as_deref(), Some("lambda"));
    assert_eq!(scheduled.details.resource.as_deref(), Some("invoke"));
    let persist = events
        .iter()
        .rfind(|e| e.event_type == EventType::TaskScheduled)
        .unwrap();
    assert_eq!(persist.details.resource_type.as_deref(), Some("dynamodb"));
    assert_eq!(persist.details.resource.as_deref(), Some("putItem"));

    // A rejected photo: FaceDetection fails, the Catch routes to the SNS notification.
    let events = history(&sandbox, &arn_of("2_sunglass_face.jpg"), true).await;
    assert_well_chained(&events);
    assert_eq!(
        types(&events),
        vec![
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    for event in &events[1..] {
        assert_eq!(event.previous_event_id, event.id - 1);
    }
    let failed = &events[6];
    assert_eq!(
        failed.details.error.as_deref(),
        Some("PhotoDoesNotMeetRequirementError")
    );
    let cause: Value = serde_json::from_str(failed.details.cause.as_deref().unwrap()).unwrap();
    assert_eq!(cause["errorMessage"], json!("Face is wearing sunglasses"));
    assert_eq!(
        cause["errorType"],
        json!("PhotoDoesNotMeetRequirementError")
    );
    assert!(cause["stackTrace"].is_array());
    assert_eq!(
        events[8].details.name.as_deref(),
        Some("PhotoDoesNotMeetRequirement")
    );
    assert_eq!(events[9].details.resource_type.as_deref(), Some("sns"));
    assert_eq!(events[9].details.resource.as_deref(), Some("publish"));
    let exited: Value = serde_json::from_str(events[7].details.output.as_deref().unwrap()).unwrap();
    assert_eq!(
        exited["errorInfo"]["Error"],
        json!("PhotoDoesNotMeetRequirementError")
    );

    // FaceDetection took a time within its declared range.
    let duration = events[6].timestamp - events[5].timestamp;
    assert!(
        (800..=2_500).contains(&duration),
        "FaceDetection took {duration} ms"
    );
}

#[tokio::test(start_paused = true)]
async fn a_transient_lambda_failure_is_retried_and_the_run_succeeds() {
    let sandbox = LocalSandbox::start(options(false));
    sandbox.fail_next_invocations(local::pipeline::FACE_DETECTION, 1);
    let run = start(&sandbox, "user_a", "1_happy_face.jpg").await;
    let summary = finished(&sandbox, &run.arn).await;
    assert_eq!(summary.status, ExecutionStatus::Succeeded);
    assert_eq!(summary.outcome, Some(Outcome::Completed));
    let events = history(&sandbox, &run.arn, false).await;
    let first_state_exit = events
        .iter()
        .position(|e| e.event_type == EventType::TaskStateExited)
        .unwrap();
    let detection = &events[..first_state_exit];
    let scheduled: Vec<&HistoryEvent> = detection
        .iter()
        .filter(|e| e.event_type == EventType::TaskScheduled)
        .collect();
    let failed: Vec<&HistoryEvent> = detection
        .iter()
        .filter(|e| e.event_type == EventType::TaskFailed)
        .collect();
    assert_eq!(scheduled.len(), 2, "two attempts");
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].details.error.as_deref(),
        Some("Lambda.ServiceException")
    );
    assert_eq!(scheduled[1].previous_event_id, failed[0].id);
    assert!(scheduled[1].timestamp - failed[0].timestamp >= 2_000);
}

#[tokio::test(start_paused = true)]
async fn the_same_face_is_refused_for_any_user_until_deleted() {
    let sandbox = LocalSandbox::start(options(false));
    let first = start(&sandbox, "user_a", "1_happy_face.jpg").await;
    assert_eq!(
        finished(&sandbox, &first.arn).await.outcome,
        Some(Outcome::Completed)
    );
    let duplicate = rejected(
        "Face in the picture is already in the system.",
        "CheckFaceDuplicate",
        "FaceAlreadyExistsError",
    );
    for user in ["user_a", "user_b"] {
        let rerun = start(&sandbox, user, "1_happy_face.jpg").await;
        assert_eq!(
            finished(&sandbox, &rerun.arn).await.outcome,
            duplicate,
            "{user}"
        );
    }
    assert_eq!(sandbox.faces().len(), 1);
    let face_id = sandbox.faces()[0].face_id.clone();
    assert_eq!(
        sandbox.delete_faces(std::slice::from_ref(&face_id)),
        vec![face_id]
    );
    let again = start(&sandbox, "user_b", "1_happy_face.jpg").await;
    assert_eq!(
        finished(&sandbox, &again.arn).await.outcome,
        Some(Outcome::Completed)
    );
    assert_eq!(sandbox.faces()[0].external_image_id, "user_b");
}

#[tokio::test(start_paused = true)]
async fn incremental_history_returns_exactly_the_new_events() {
    let sandbox = LocalSandbox::start(options(false));
    let run = start(&sandbox, "user_a", "1_happy_face.jpg").await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let early = history(&sandbox, &run.arn, false).await;
    assert!(early.len() >= 4);
    assert_ne!(
        early.last().unwrap().event_type,
        EventType::ExecutionSucceeded
    );
    finished(&sandbox, &run.arn).await;
    let full = history(&sandbox, &run.arn, false).await;
    let last_seen = early.last().unwrap().id;
    let newer = sandbox
        .get_execution_history(HistoryRequest {
            execution_arn: run.arn.clone(),
            after_event_id: Some(last_seen),
            include_data: false,
        })
        .await
        .unwrap();
    assert_eq!(newer, full[last_seen as usize..].to_vec());
    assert_eq!(newer[0].id, last_seen + 1);
    assert_eq!(early[..], full[..early.len()]);
    let none = sandbox
        .get_execution_history(HistoryRequest {
            execution_arn: run.arn.clone(),
            after_event_id: Some(full.last().unwrap().id),
            include_data: true,
        })
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test(start_paused = true)]
async fn without_data_the_history_carries_no_payloads() {
    let sandbox = LocalSandbox::start(options(false));
    let run = start(&sandbox, "user_a", "1_happy_face.jpg").await;
    finished(&sandbox, &run.arn).await;
    let with_data = history(&sandbox, &run.arn, true).await;
    let without = history(&sandbox, &run.arn, false).await;
    assert_eq!(with_data.len(), without.len());
    assert!(
        with_data
            .iter()
            .filter(|e| e.details.input.is_some())
            .count()
            > 5
    );
    assert!(with_data.iter().any(|e| e.details.parameters.is_some()));
    for event in &without {
        assert_eq!(event.details.input, None);
        assert_eq!(event.details.output, None);
        assert_eq!(event.details.parameters, None);
    }
    // Everything else is kept: names, resources.
    assert_eq!(without[3].details.name.as_deref(), Some("FaceDetection"));
    assert_eq!(without[4].details.resource_type.as_deref(), Some("lambda"));
}

#[tokio::test(start_paused = true)]
async fn stopping_a_running_execution_aborts_it() {
    let sandbox = LocalSandbox::start(options(false));
    let run = start(&sandbox, "user_a", "1_happy_face.jpg").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    sandbox
        .stop_execution(
            &run.arn,
            Some("Operator".into()),
            Some("stopped from stepdeck".into()),
        )
        .await
        .unwrap();
    let detail = sandbox.describe_execution(&run.arn).await.unwrap();
    assert_eq!(detail.summary.status, ExecutionStatus::Aborted);
    assert_eq!(detail.summary.stop, Some(BASE + 500));
    assert_eq!(
        detail.summary.outcome,
        Some(Outcome::Error {
            error: "Operator".into(),
            cause: "stopped from stepdeck".into()
        })
    );
    let events = history(&sandbox, &run.arn, false).await;
    assert_well_chained(&events);
    let names = types(&events);
    assert_eq!(
        names[names.len() - 2..],
        ["TaskStateAborted", "ExecutionAborted"]
    );
    let aborted = events.last().unwrap();
    assert_eq!(aborted.previous_event_id, aborted.id - 1);
    assert_eq!(aborted.details.error.as_deref(), Some("Operator"));
    // Nothing happens after the stop: the face was never indexed.
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(history(&sandbox, &run.arn, false).await.len(), events.len());
    assert!(sandbox.faces().is_empty());
    let again = sandbox.stop_execution(&run.arn, None, None).await;
    assert!(
        matches!(again, Err(BackendError::Invalid(ref m)) if m.contains("not running")),
        "{again:?}"
    );
    let unknown = sandbox
        .stop_execution(
            "arn:aws:states:us-east-1:123456789012:execution:RiderPhotoProcessing:nope",
            None,
            None,
        )
        .await;
    assert!(matches!(unknown, Err(BackendError::NotFound { .. })));
}

#[tokio::test(start_paused = true)]
async fn listing_pages_newest_first_and_filters_by_status() {
    let sandbox = LocalSandbox::start(options(false));
    let mut started = Vec::new();
    for i in 0..7 {
        started.push(start(&sandbox, &format!("user_{i}"), "2_sunglass_face.jpg").await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for run in &started {
        finished(&sandbox, &run.arn).await;
    }
    let aborted_run = start(&sandbox, "user_x", "1_happy_face.jpg").await;
    sandbox
        .stop_execution(&aborted_run.arn, None, None)
        .await
        .unwrap();
    let running = start(&sandbox, "user_y", "1_happy_face.jpg").await;

    let mut pages = Vec::new();
    let mut token = None;
    loop {
        let page = sandbox
            .list_executions(ListExecutionsRequest {
                state_machine_arn: riders(),
                status: None,
                next_token: token.clone(),
                page_size: 3,
            })
            .await
            .unwrap();
        pages.push(page.items.iter().map(|e| e.arn.clone()).collect::<Vec<_>>());
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3, 3]
    );
    let mut expected: Vec<String> = started.iter().map(|e| e.arn.clone()).collect();
    expected.push(aborted_run.arn.clone());
    expected.push(running.arn.clone());
    expected.reverse();
    assert_eq!(pages.concat(), expected, "newest first, each once");

    let machine = riders();
    let with_status = |status| list(&sandbox, &machine, Some(status));
    let running_now: Vec<String> = with_status(ExecutionStatus::Running)
        .await
        .into_iter()
        .map(|e| e.arn)
        .collect();
    assert_eq!(running_now, vec![running.arn.clone()]);
    assert_eq!(with_status(ExecutionStatus::Aborted).await.len(), 1);
    assert_eq!(with_status(ExecutionStatus::Succeeded).await.len(), 7);
    assert!(with_status(ExecutionStatus::Failed).await.is_empty());
    assert!(
        list(&sandbox, &state_machine_arn(THUMBNAIL_BACKFILL), None)
            .await
            .is_empty()
    );

    let bad_token = sandbox
        .list_executions(ListExecutionsRequest {
            state_machine_arn: riders(),
            status: None,
            next_token: Some("garbage".into()),
            page_size: 3,
        })
        .await;
    assert!(matches!(bad_token, Err(BackendError::Invalid(_))));
    let unknown = sandbox
        .list_executions(ListExecutionsRequest {
            state_machine_arn: state_machine_arn("Nope"),
            status: None,
            next_token: None,
            page_size: 3,
        })
        .await;
    assert!(matches!(unknown, Err(BackendError::NotFound { .. })));
    let unknown = sandbox.describe_execution("arn:nope").await;
    assert!(matches!(unknown, Err(BackendError::NotFound { .. })));
}

#[tokio::test(start_paused = true)]
async fn an_input_over_256_kib_is_refused_as_aws_does() {
    let sandbox = LocalSandbox::start(options(false));
    // `photo_input` padded to `bytes` with a `note` the pipeline ignores.
    let padded = |bytes: usize| {
        let bare = photo_input("u", "4_no_face.jpg");
        let pad = bytes - bare.len() - r#","note":"""#.len();
        format!(
            r#"{},"note":"{}"}}"#,
            bare.trim_end_matches('}'),
            "x".repeat(pad)
        )
    };
    let request = |input: String| StartExecutionRequest {
        state_machine_arn: riders(),
        name: None,
        input,
    };
    let over = padded(MAX_INPUT_BYTES + 1);
    assert_eq!(over.len(), MAX_INPUT_BYTES + 1);
    match sandbox.start_execution(request(over)).await {
        Err(BackendError::Invalid(message)) => assert_eq!(
            message,
            "ValidationException: 1 validation error detected: Value at 'input' failed to \
             satisfy constraint: Member must have length less than or equal to 262144"
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        list(&sandbox, &riders(), None).await.is_empty(),
        "nothing was started"
    );
    let at_limit = padded(MAX_INPUT_BYTES);
    assert_eq!(at_limit.len(), MAX_INPUT_BYTES);
    sandbox.start_execution(request(at_limit)).await.unwrap();
    assert_eq!(list(&sandbox, &riders(), None).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn start_validates_its_input_and_names() {
    let sandbox = LocalSandbox::start(options(false));
    let request = |name: Option<&str>, input: &str| StartExecutionRequest {
        state_machine_arn: riders(),
        name: name.map(str::to_string),
        input: input.to_string(),
    };
    match sandbox
        .start_execution(request(None, "{\"userId\": "))
        .await
    {
        Err(BackendError::Invalid(message)) => assert!(
            message.contains("not valid JSON") && message.contains("line 1"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        list(&sandbox, &riders(), None).await.is_empty(),
        "nothing was started"
    );

    let generated = sandbox
        .start_execution(request(None, &photo_input("u", "4_no_face.jpg")))
        .await
        .unwrap();
    assert_eq!(generated.name.len(), 36);
    assert_eq!(generated.name.matches('-').count(), 4);
    assert_eq!(
        generated.arn,
        format!(
            "arn:aws:states:us-east-1:123456789012:execution:RiderPhotoProcessing:{}",
            generated.name
        )
    );
    assert_eq!(generated.status, ExecutionStatus::Running);
    assert_eq!(generated.input_label.as_deref(), Some("4_no_face.jpg (u)"));

    let named = sandbox
        .start_execution(request(Some("my-run"), "{}"))
        .await
        .unwrap();
    assert_eq!(named.name, "my-run");
    // As AWS: the same name and input while it runs is the same start (a start sent again
    // after a lost answer), answered with the execution it created; another input under
    // that name is refused.
    let again = sandbox
        .start_execution(request(Some("my-run"), "{}"))
        .await
        .unwrap();
    assert_eq!((again.arn, again.start), (named.arn.clone(), named.start));
    let duplicate = sandbox
        .start_execution(request(Some("my-run"), r#"{"other":1}"#))
        .await;
    assert!(
        matches!(duplicate, Err(BackendError::AlreadyExists(ref m)) if m.contains("Already Exists")),
        "{duplicate:?}"
    );
    let bad_name = sandbox
        .start_execution(request(Some("has space"), "{}"))
        .await;
    assert!(matches!(bad_name, Err(BackendError::Invalid(_))));
    let unknown = sandbox
        .start_execution(StartExecutionRequest {
            state_machine_arn: state_machine_arn("Nope"),
            name: None,
            input: "{}".into(),
        })
        .await;
    assert!(matches!(unknown, Err(BackendError::NotFound { .. })));
    // `{}` has no userId: the Choice sends it to TransformS3event, which finds no event
    // fields — a runtime error that fails the execution.
    let failed = finished(&sandbox, &named.arn).await;
    assert_eq!(failed.status, ExecutionStatus::Failed);
    assert!(
        matches!(failed.outcome, Some(Outcome::Error { ref error, .. }) if error == "States.Runtime"),
        "{failed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_s3_object_created_event_goes_through_the_transform() {
    let sandbox = LocalSandbox::start(options(false));
    assert!(sandbox.upload_photo("user_x/selfie.jpg", "5_rider_farah.jpg"));
    let event = json!({
        "detail-type": "Object Created",
        "source": "aws.s3",
        "detail": {"bucket": {"name": PHOTO_BUCKET}, "object": {"key": "user_x/selfie.jpg"}}
    });
    let run = sandbox
        .start_execution(StartExecutionRequest {
            state_machine_arn: riders(),
            name: None,
            input: event.to_string(),
        })
        .await
        .unwrap();
    assert_eq!(run.input_label.as_deref(), Some("user_x/selfie.jpg"));
    let summary = finished(&sandbox, &run.arn).await;
    assert_eq!(summary.outcome, Some(Outcome::Completed));
    let events = history(&sandbox, &run.arn, true).await;
    let transform = events
        .iter()
        .find(|e| e.event_type == EventType::PassStateExited)
        .unwrap();
    let output: Value = serde_json::from_str(transform.details.output.as_deref().unwrap()).unwrap();
    assert_eq!(
        output,
        json!({"userId": "user_x", "s3Bucket": PHOTO_BUCKET, "s3Key": "user_x/selfie.jpg"})
    );
    assert_eq!(sandbox.faces()[0].external_image_id, "user_x");
    assert!(
        sandbox
            .object_bytes(THUMBNAIL_BUCKET, "resized-user_x/selfie.jpg")
            .is_some()
    );
}

#[tokio::test(start_paused = true)]
async fn the_map_machine_writes_iteration_events_with_indexes() {
    let sandbox = LocalSandbox::start(options(true));
    // The lead's main holds the sandbox as `Arc<dyn Backend>`.
    let backend: Arc<dyn Backend> = sandbox.clone();
    assert_eq!(backend.info().kind, "local sandbox");
    let machines = backend.list_state_machines().await.unwrap();
    let names: Vec<&str> = machines.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, vec![RIDER_PHOTO_PROCESSING, THUMBNAIL_BACKFILL]);
    let backfills = all_finished(&sandbox, &state_machine_arn(THUMBNAIL_BACKFILL)).await;
    assert_eq!(backfills.len(), 1);
    assert_eq!(backfills[0].outcome, Some(Outcome::Completed));
    let events = history(&sandbox, &backfills[0].arn, true).await;
    assert_well_chained(&events);
    let photos = sandbox.objects(PHOTO_BUCKET).len() as u32;
    let map_started = events
        .iter()
        .find(|e| e.event_type == EventType::MapStateStarted)
        .unwrap();
    assert_eq!(map_started.details.length, Some(photos));
    let indexes = |event_type: EventType| -> Vec<u32> {
        let mut found: Vec<u32> = events
            .iter()
            .filter(|e| e.event_type == event_type)
            .map(|e| e.details.index.unwrap())
            .collect();
        found.sort();
        found
    };
    let all: Vec<u32> = (0..photos).collect();
    assert_eq!(indexes(EventType::MapIterationStarted), all);
    assert_eq!(indexes(EventType::MapIterationSucceeded), all);
    assert!(
        events
            .iter()
            .filter(|e| e.event_type == EventType::MapIterationStarted)
            .all(|e| e.details.name.as_deref() == Some("BackfillThumbnails")
                && e.previous_event_id == map_started.id)
    );
    let detail = sandbox.describe_execution(&backfills[0].arn).await.unwrap();
    let output: Value = serde_json::from_str(detail.output.as_deref().unwrap()).unwrap();
    assert_eq!(
        output["summary"],
        json!(format!(
            "{photos} thumbnails written to the thumbnail bucket"
        ))
    );
    for photo in sandbox.objects(PHOTO_BUCKET) {
        let key = format!("resized-{}", photo.key);
        assert!(sandbox.object_bytes(THUMBNAIL_BUCKET, &key).is_some());
    }
}

#[test]
fn a_definition_with_an_unsupported_construct_names_the_state() {
    let definition = json!({"StartAt": "Load", "States": {
        "Load": {"Type": "Pass", "Next": "Crunch"},
        "Crunch": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject"},
                   "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}, "End": true}
    }});
    let error = local::load_definition(&definition.to_string()).unwrap_err();
    assert_eq!(error.state.as_deref(), Some("Crunch"));
    assert_eq!(
        error.to_string(),
        "state 'Crunch': field 'ItemReader' is not supported on a Map state"
    );
    let definition = json!({"StartAt": "Run", "States": {
        "Run": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask", "End": true}
    }});
    let error = local::load_definition(&definition.to_string()).unwrap_err();
    assert_eq!(error.state.as_deref(), Some("Run"));
    assert!(
        error.message.contains("not supported by the local sandbox"),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_trickle_keeps_runs_coming_with_a_mix_of_outcomes() {
    let sandbox: Arc<LocalSandbox> = LocalSandbox::start(SandboxOptions {
        trickle_every: Some(Duration::from_secs(2)),
        transient_failure_rate: 0.1,
        ..options(false)
    });
    tokio::time::sleep(Duration::from_millis(24_500)).await;
    let executions = list(&sandbox, &riders(), None).await;
    assert_eq!(executions.len(), 13, "one at once, then one every 2 s");
    for summary in &executions {
        finished(&sandbox, &summary.arn).await;
    }
    let executions: Vec<ExecutionSummary> = list(&sandbox, &riders(), None)
        .await
        .into_iter()
        .filter(|e| executions.iter().any(|first| first.arn == e.arn))
        .collect();
    let completed = executions
        .iter()
        .filter(|e| e.outcome == Some(Outcome::Completed))
        .count();
    let rejected = executions
        .iter()
        .filter(|e| matches!(e.outcome, Some(Outcome::Rejected { .. })))
        .count();
    assert!(
        completed > 0 && rejected > 0,
        "completed {completed}, rejected {rejected}"
    );
    assert_eq!(
        completed + rejected,
        executions.len(),
        "transient failures are absorbed: {executions:?}"
    );
    let labels: std::collections::HashSet<String> = executions
        .iter()
        .filter_map(|e| e.input_label.clone())
        .collect();
    assert!(labels.len() > 9, "new users keep coming: {labels:?}");
}

/// The sandbox's RedriveExecution works like AWS's: a stopped run goes on from the state it
/// was stopped in (no new `TaskStateEntered`: the task's events chain to its original one),
/// after an `ExecutionRedriven`; the same execution ends SUCCEEDED with a redrive count of 1,
/// and the timeline draws it in two segments. A run that succeeded cannot be redriven.
#[tokio::test(start_paused = true)]
async fn a_stopped_run_redriven_goes_on_from_where_it_stopped() {
    let sandbox = LocalSandbox::start(options(false));
    let run = start(&sandbox, "user_a", "1_happy_face.jpg").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    sandbox.stop_execution(&run.arn, None, None).await.unwrap();
    let stopped = history(&sandbox, &run.arn, false).await;
    let detection_entered = stopped
        .iter()
        .find(|e| e.event_type.as_str() == "TaskStateEntered")
        .unwrap()
        .id;
    assert_eq!(types(&stopped).last(), Some(&"ExecutionAborted"));

    sandbox.redrive_execution(&run.arn).await.unwrap();
    let detail = sandbox.describe_execution(&run.arn).await.unwrap();
    assert_eq!(detail.summary.status, ExecutionStatus::Running);
    assert_eq!(detail.redrive_count, 1);
    let done = finished(&sandbox, &run.arn).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.outcome, Some(Outcome::Completed));
    assert_eq!(
        sandbox.faces().len(),
        1,
        "the face was indexed by the redrive"
    );

    let events = history(&sandbox, &run.arn, false).await;
    assert_well_chained(&events);
    let after = &events[stopped.len()..];
    assert_eq!(after[0].event_type.as_str(), "ExecutionRedriven");
    assert_eq!(after[0].previous_event_id, stopped.len() as i64);
    assert_eq!(after[0].details.redrive_count, Some(1));
    assert_eq!(after[1].event_type.as_str(), "TaskScheduled");
    assert_eq!(after[1].previous_event_id, detection_entered);
    let entered_again = after
        .iter()
        .filter(|e| e.event_type.as_str().ends_with("StateEntered"))
        .filter_map(|e| e.details.name.as_deref())
        .collect::<Vec<_>>();
    assert!(
        !entered_again.contains(&"FaceDetection"),
        "{entered_again:?}"
    );
    assert!(
        entered_again.contains(&"CheckFaceDuplicate"),
        "{entered_again:?}"
    );
    assert_eq!(types(&events).last(), Some(&"ExecutionSucceeded"));

    let timeline = stepdeck::domain::timeline::build(&events);
    assert_eq!(timeline.segments().len(), 2);
    assert_eq!(timeline.execution.redrive_count, 1);
    assert_eq!(
        timeline
            .spans
            .iter()
            .filter(|s| s.name == "FaceDetection")
            .count(),
        1,
        "one FaceDetection entry across the redrive"
    );

    let again = sandbox.redrive_execution(&run.arn).await;
    assert!(
        matches!(again, Err(BackendError::Invalid(ref m)) if m.contains("not redrivable")),
        "{again:?}"
    );
}
