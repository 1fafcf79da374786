//! The AWS backend against a real peer: moto server (with stepdeck's own Rekognition
//! face-collection extension), through the real SDK clients configured exactly as for AWS —
//! only the endpoint differs. Executions and histories, buckets and objects, faces.
//!
//! Needs `STEPDECK_TEST_ENDPOINT` (set by `scripts/test.sh`). Without it these tests FAIL when
//! `CI` is set, and print why and return early on a plain `cargo test` (see tests/aws/common.rs).

use crate::common;

use common::{
    ROLE_ARN, backend, generated_png, pipeline_definition, pipeline_input, test_endpoint, unique,
};
use std::collections::HashSet;
use std::time::Duration;
use stepdeck::backend::aws::AwsBackend;
use stepdeck::backend::aws::retry::RetryPolicy;
use stepdeck::backend::{
    Backend, BackendError, HistoryRequest, ListExecutionsRequest, StartExecutionRequest,
};
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary, StateMachineKind};
use stepdeck::domain::history::EventType;

/// Polls DescribeExecution until the execution is no longer RUNNING (bounded).
async fn wait_until_done(backend: &AwsBackend, execution_arn: &str) -> ExecutionStatus {
    for _ in 0..200 {
        let detail = backend.describe_execution(execution_arn).await.unwrap();
        if detail.summary.status != ExecutionStatus::Running {
            return detail.summary.status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{execution_arn} still running after 20 s");
}

/// Every page of a listing, following next tokens (bounded).
async fn all_pages(
    backend: &AwsBackend,
    state_machine_arn: &str,
    status: Option<ExecutionStatus>,
    page_size: u32,
) -> (Vec<ExecutionSummary>, usize) {
    let mut items = Vec::new();
    let mut next_token = None;
    for pages in 1..=50 {
        let page = backend
            .list_executions(ListExecutionsRequest {
                state_machine_arn: state_machine_arn.to_string(),
                status,
                next_token,
                page_size,
            })
            .await
            .unwrap();
        assert!(
            page.items.len() <= page_size as usize,
            "page larger than asked"
        );
        items.extend(page.items);
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => return (items, pages),
        }
    }
    panic!("listing did not end after 50 pages");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executions_list_describe_history_and_stop() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    let name = unique("RiderPhotoProcessing");
    let arn = backend
        .create_state_machine(&name, &pipeline_definition(), ROLE_ARN)
        .await
        .unwrap();

    let machines = backend.list_state_machines().await.unwrap();
    let machine = machines
        .iter()
        .find(|m| m.arn == arn)
        .expect("the new state machine is listed");
    assert_eq!(machine.name, name);
    assert_eq!(machine.kind, StateMachineKind::Standard);

    // Five runs that finish at once, three held in the Wait state.
    let mut quick = Vec::new();
    for i in 0..5 {
        let started = backend
            .start_execution(StartExecutionRequest {
                state_machine_arn: arn.clone(),
                name: Some(format!("quick-{i}")),
                input: pipeline_input(&format!("{i}_happy_face.jpg"), "user_a", 0),
            })
            .await
            .unwrap();
        assert_eq!(started.status, ExecutionStatus::Running);
        assert_eq!(
            started.input_label.as_deref(),
            Some(format!("{i}_happy_face.jpg (user_a)").as_str())
        );
        quick.push(started);
    }
    let mut held = Vec::new();
    for i in 0..3 {
        let started = backend
            .start_execution(StartExecutionRequest {
                state_machine_arn: arn.clone(),
                // The backend names runs started without a name.
                name: None,
                input: pipeline_input(&format!("held_{i}.jpg"), "user_b", 30),
            })
            .await
            .unwrap();
        assert!(started.name.starts_with("stepdeck-"), "{}", started.name);
        assert!(started.arn.ends_with(&started.name));
        held.push(started);
    }
    let names: HashSet<&str> = held.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 3, "generated names are unique");

    for run in &quick {
        assert_eq!(
            wait_until_done(&backend, &run.arn).await,
            ExecutionStatus::Succeeded
        );
    }
    backend
        .stop_execution(
            &held[0].arn,
            Some("Operator.Stop".into()),
            Some("stopped from stepdeck".into()),
        )
        .await
        .unwrap();
    assert_eq!(
        backend
            .describe_execution(&held[0].arn)
            .await
            .unwrap()
            .summary
            .status,
        ExecutionStatus::Aborted
    );

    // Everything, two per page: more than one page, each run once.
    let calls_before = backend.api_calls().count("ListExecutions");
    let (all, pages) = all_pages(&backend, &arn, None, 2).await;
    assert_eq!(all.len(), 8);
    assert!(pages >= 4, "{pages} pages of 2 for 8 runs");
    assert_eq!(
        backend.api_calls().count("ListExecutions") - calls_before,
        pages as u64,
        "one ListExecutions call per page"
    );
    let arns: HashSet<&str> = all.iter().map(|e| e.arn.as_str()).collect();
    assert_eq!(arns.len(), 8, "no run listed twice");
    assert!(all.iter().all(|e| e.state_machine_arn == arn));

    // Server-side status filters, paginated too.
    let (running, running_pages) =
        all_pages(&backend, &arn, Some(ExecutionStatus::Running), 1).await;
    let running_arns: HashSet<&str> = running.iter().map(|e| e.arn.as_str()).collect();
    let expected: HashSet<&str> = held[1..].iter().map(|e| e.arn.as_str()).collect();
    assert_eq!(running_arns, expected);
    assert!(running_pages >= 2);
    let (succeeded, _) = all_pages(&backend, &arn, Some(ExecutionStatus::Succeeded), 3).await;
    assert_eq!(succeeded.len(), 5);
    assert!(
        succeeded
            .iter()
            .all(|e| e.stop.is_some_and(|stop| stop >= e.start))
    );
    let (aborted, _) = all_pages(&backend, &arn, Some(ExecutionStatus::Aborted), 10).await;
    assert_eq!(aborted.len(), 1);
    assert_eq!(aborted[0].arn, held[0].arn);

    // Describe reads the input label and output.
    let detail = backend.describe_execution(&quick[0].arn).await.unwrap();
    assert_eq!(
        detail.summary.input_label.as_deref(),
        Some("0_happy_face.jpg (user_a)")
    );
    assert!(
        detail
            .output
            .as_deref()
            .unwrap_or("")
            .contains("0_happy_face.jpg")
    );

    // The full history of a finished run: consecutive ids, AWS event types, Parallel
    // branches chained to ParallelStateStarted.
    let history = backend
        .get_execution_history(HistoryRequest {
            execution_arn: quick[0].arn.clone(),
            after_event_id: None,
            include_data: true,
        })
        .await
        .unwrap();
    let ids: Vec<i64> = history.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=history.len() as i64).collect::<Vec<_>>());
    assert_eq!(history[0].event_type, EventType::ExecutionStarted);
    assert!(
        history[0]
            .details
            .input
            .as_deref()
            .unwrap()
            .contains("user_a")
    );
    assert_eq!(
        history.last().unwrap().event_type,
        EventType::ExecutionSucceeded
    );
    let parallel_started = history
        .iter()
        .find(|e| e.event_type == EventType::ParallelStateStarted)
        .expect("ParallelStateStarted");
    let mut branch_heads: Vec<&str> = history
        .iter()
        .filter(|e| e.previous_event_id == parallel_started.id && e.event_type.is_state_entered())
        .filter_map(|e| e.details.name.as_deref())
        .collect();
    branch_heads.sort();
    assert_eq!(branch_heads, vec!["AddFaceToIndex", "Thumbnail"]);
    let entered: Vec<&str> = history
        .iter()
        .filter(|e| e.event_type.is_state_entered())
        .filter_map(|e| e.details.name.as_deref())
        .collect();
    for state in [
        "FaceDetection",
        "CheckFaceDuplicate",
        "Hold",
        "ParallelProcessing",
        "PersistMetadata",
    ] {
        assert!(entered.contains(&state), "{state} entered: {entered:?}");
    }
    // The timeline of moto's history: the branches are lanes of the Parallel, and the state
    // after it is back at the top level (moto chains the Parallel's exit to a branch).
    let timeline = stepdeck::domain::timeline::build(&history);
    let roots: Vec<&str> = timeline
        .roots
        .iter()
        .map(|&r| timeline.spans[r].name.as_str())
        .collect();
    assert_eq!(
        roots,
        [
            "FaceDetection",
            "CheckFaceDuplicate",
            "Hold",
            "ParallelProcessing",
            "PersistMetadata"
        ]
    );

    // The stopped run's history ends with ExecutionAborted.
    let aborted_history = backend
        .get_execution_history(HistoryRequest {
            execution_arn: held[0].arn.clone(),
            after_event_id: None,
            include_data: false,
        })
        .await
        .unwrap();
    assert_eq!(
        aborted_history.last().unwrap().event_type,
        EventType::ExecutionAborted
    );

    for run in &held[1..] {
        backend.stop_execution(&run.arn, None, None).await.unwrap();
    }
}

/// The Definition tab's read: the definition an execution ran, with the state machine's name
/// and ARN, drawn from the same text the server holds; an unknown execution is NotFound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_definition_an_execution_ran_is_read_back_whole() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    let name = unique("RiderPhotoProcessing");
    let arn = backend
        .create_state_machine(&name, &pipeline_definition(), ROLE_ARN)
        .await
        .unwrap();
    let started = backend
        .start_execution(StartExecutionRequest {
            state_machine_arn: arn.clone(),
            name: Some("definition-read".into()),
            input: pipeline_input("1_happy_face.jpg", "user_a", 0),
        })
        .await
        .unwrap();
    let read = backend
        .describe_state_machine_for_execution(&started.arn)
        .await
        .unwrap();
    assert_eq!(read.state_machine_arn, arn);
    assert_eq!(read.name, name);
    let held: serde_json::Value = serde_json::from_str(&pipeline_definition()).unwrap();
    let got: serde_json::Value = serde_json::from_str(&read.definition).unwrap();
    assert_eq!(got, held);
    let parsed = stepdeck::domain::definition::parse_definition(&read.definition).unwrap();
    assert!(parsed.find(&parsed.top.start_at).is_some());

    let missing = format!(
        "{}:no-such-run",
        arn.replace(":stateMachine:", ":execution:")
    );
    match backend.describe_state_machine_for_execution(&missing).await {
        Err(BackendError::NotFound { .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_functions_errors_are_information() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    let missing = "arn:aws:states:us-east-1:123456789012:execution:NoSuchMachine:no-such-run";

    let described = backend.describe_execution(missing).await;
    assert!(
        matches!(&described, Err(BackendError::NotFound { what }) if what.contains("no-such-run")),
        "{described:?}"
    );
    let history = backend
        .get_execution_history(HistoryRequest {
            execution_arn: missing.into(),
            after_event_id: Some(3),
            include_data: false,
        })
        .await;
    assert!(
        matches!(history, Err(BackendError::NotFound { .. })),
        "{history:?}"
    );

    // Express runs have no history API: a clear answer, and no call spent on it.
    let calls_before = backend.api_calls().count("GetExecutionHistory");
    let express = backend
        .get_execution_history(HistoryRequest {
            execution_arn: "arn:aws:states:us-east-1:123456789012:express:Fast:run:abc".into(),
            after_event_id: None,
            include_data: false,
        })
        .await;
    assert!(matches!(&express, Err(BackendError::Unsupported(m)) if m.contains("Express")));
    assert_eq!(
        backend.api_calls().count("GetExecutionHistory"),
        calls_before
    );

    let listed = backend
        .list_executions(ListExecutionsRequest {
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:NoSuchMachine"
                .into(),
            status: None,
            next_token: None,
            page_size: 10,
        })
        .await;
    assert!(
        matches!(listed, Err(BackendError::NotFound { .. })),
        "{listed:?}"
    );

    let bad_definition = backend
        .create_state_machine(&unique("Broken"), "{not json", ROLE_ARN)
        .await;
    assert!(
        matches!(bad_definition, Err(BackendError::Invalid(_))),
        "{bad_definition:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caller_identity_is_the_account_of_the_credentials() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    // STS goes to the same --endpoint-url and region as the other clients: moto answers with
    // its fixed account.
    let identity = backend
        .caller_identity()
        .await
        .unwrap()
        .expect("the AWS backend knows who it is");
    assert_eq!(identity.account, "123456789012");
    assert!(
        identity.arn.starts_with("arn:aws:") && identity.arn.contains("123456789012"),
        "{}",
        identity.arn
    );
    assert_eq!(backend.api_calls().count("GetCallerIdentity"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_endpoint_is_a_network_error() {
    let Some(_) = test_endpoint() else {
        return;
    };
    // A loopback port nothing listens on: connection refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let backend = backend(&closed).await.with_retry_policy(RetryPolicy {
        max_attempts: 3,
        ..RetryPolicy::default()
    });
    let result = backend.list_state_machines().await;
    assert!(
        matches!(&result, Err(BackendError::Network(m)) if m.contains("states")),
        "{result:?}"
    );
    assert_eq!(
        backend.api_calls().count("ListStateMachines"),
        3,
        "a read is tried again, up to the policy's attempts"
    );
    let result = backend
        .stop_execution(
            "arn:aws:states:us-east-1:123456789012:execution:P:run",
            None,
            None,
        )
        .await;
    assert!(
        matches!(&result, Err(BackendError::Network(_))),
        "{result:?}"
    );
    assert_eq!(
        backend.api_calls().count("StopExecution"),
        1,
        "a stop is not sent again: it may have been carried out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bucket_objects_put_list_get_delete() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    let bucket = unique("wildrydes-step-module-resources-thumbnails3bucket");
    backend.create_bucket(&bucket).await.unwrap();

    let buckets = backend.list_buckets().await.unwrap();
    assert!(
        buckets
            .iter()
            .any(|b| b.name == bucket && b.created.is_some())
    );

    let mut expected_keys = Vec::new();
    for i in 0..7u8 {
        let key = format!("thumbs/user_a/{i}_photo.png");
        backend
            .put_object(&bucket, &key, generated_png(i), Some("image/png"))
            .await
            .unwrap();
        expected_keys.push(key);
    }
    backend
        .put_object(
            &bucket,
            "source/readme.txt",
            b"not a thumbnail".to_vec(),
            None,
        )
        .await
        .unwrap();

    // Three per page under the prefix: 3 + 3 + 1, in key order.
    let mut listed = Vec::new();
    let mut continuation = None;
    let mut pages = 0;
    loop {
        let page = backend
            .list_objects(&bucket, Some("thumbs/"), continuation, 3)
            .await
            .unwrap();
        pages += 1;
        assert!(page.items.len() <= 3);
        listed.extend(page.items);
        continuation = page.next_token;
        if continuation.is_none() || pages > 10 {
            break;
        }
    }
    assert_eq!(pages, 3);
    let keys: Vec<&str> = listed.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(
        keys,
        expected_keys.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let first = &listed[0];
    assert_eq!(first.size, generated_png(0).len() as u64);
    assert!(first.last_modified.is_some());
    assert!(first.etag.as_deref().is_some_and(|e| !e.contains('"')));

    let body = backend
        .get_object(&bucket, &expected_keys[2])
        .await
        .unwrap();
    assert_eq!(body.bytes, generated_png(2));
    assert_eq!(body.content_type.as_deref(), Some("image/png"));

    backend
        .delete_object(&bucket, &expected_keys[2])
        .await
        .unwrap();
    let after = backend
        .list_objects(&bucket, Some("thumbs/"), None, 100)
        .await
        .unwrap();
    assert_eq!(after.items.len(), 6);
    assert!(after.next_token.is_none());
    assert!(after.items.iter().all(|o| o.key != expected_keys[2]));

    let gone = backend.get_object(&bucket, &expected_keys[2]).await;
    assert!(
        matches!(gone, Err(BackendError::NotFound { .. })),
        "{gone:?}"
    );
    let no_bucket = backend
        .list_objects(&unique("no-such-bucket"), None, None, 10)
        .await;
    assert!(
        matches!(no_bucket, Err(BackendError::NotFound { .. })),
        "{no_bucket:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faces_index_list_search_delete() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    let collection = "rider-photos";
    match backend.create_collection(collection).await {
        Ok(()) => {}
        // Left over from an earlier run against the same server: start from empty.
        Err(BackendError::Invalid(m)) if m.contains("ResourceAlreadyExists") => {
            let page = backend.list_faces(collection, None, 4096).await.unwrap();
            let ids: Vec<String> = page.items.into_iter().map(|f| f.face_id).collect();
            if !ids.is_empty() {
                backend.delete_faces(collection, &ids).await.unwrap();
            }
        }
        Err(other) => panic!("create collection: {other}"),
    }

    // Six photos of six riders, and photo 0 indexed a second time under another user id:
    // the duplicate the console exists to find.
    let mut indexed = Vec::new();
    for i in 0..6u8 {
        let faces = backend
            .index_faces(collection, &generated_png(i), Some(&format!("user_{i}")))
            .await
            .unwrap();
        assert_eq!(faces.len(), 1);
        indexed.push(faces.into_iter().next().unwrap());
    }
    let duplicate = backend
        .index_faces(collection, &generated_png(0), Some("user_b"))
        .await
        .unwrap()
        .remove(0);
    assert_ne!(duplicate.face_id, indexed[0].face_id);
    let face = &indexed[3];
    assert_eq!(face.external_image_id.as_deref(), Some("user_3"));
    assert!(face.image_id.is_some());
    assert!(face.confidence.is_some_and(|c| c > 90.0));
    let bounding_box = face.bounding_box.expect("bounding box");
    assert!(bounding_box.width > 0.0 && bounding_box.left + bounding_box.width <= 1.0);

    // Several pages of three.
    let mut listed = Vec::new();
    let mut next_token = None;
    let mut pages = 0;
    loop {
        let page = backend.list_faces(collection, next_token, 3).await.unwrap();
        pages += 1;
        assert!(page.items.len() <= 3);
        listed.extend(page.items);
        next_token = page.next_token;
        if next_token.is_none() || pages > 10 {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(listed.len(), 7);
    // DescribeCollection counts them too (what the faces title's "of ~N" shows).
    let described = backend.describe_collection(collection).await.unwrap();
    assert_eq!(described.face_count, 7);
    let listed_ids: HashSet<&str> = listed.iter().map(|f| f.face_id.as_str()).collect();
    assert_eq!(listed_ids.len(), 7);
    assert!(listed_ids.contains(duplicate.face_id.as_str()));

    // The same face under two user ids is found; a different face is not.
    let matches = backend
        .search_faces(collection, &indexed[0].face_id, 80.0)
        .await
        .unwrap();
    assert_eq!(matches.len(), 1, "{matches:?}");
    assert_eq!(matches[0].face.face_id, duplicate.face_id);
    assert_eq!(matches[0].face.external_image_id.as_deref(), Some("user_b"));
    assert!(matches[0].similarity > 99.0);
    let lonely = backend
        .search_faces(collection, &indexed[4].face_id, 80.0)
        .await
        .unwrap();
    assert!(lonely.is_empty(), "{lonely:?}");

    // Delete the duplicate and an id that does not exist.
    let result = backend
        .delete_faces(
            collection,
            &[
                duplicate.face_id.clone(),
                "00000000-0000-0000-0000-000000000000".into(),
            ],
        )
        .await
        .unwrap();
    assert_eq!(result.deleted, vec![duplicate.face_id.clone()]);
    assert_eq!(result.unsuccessful.len(), 1);
    assert_eq!(
        result.unsuccessful[0].face_id,
        "00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(
        result.unsuccessful[0].reasons,
        vec!["FACE_NOT_FOUND".to_string()]
    );
    let remaining = backend.list_faces(collection, None, 100).await.unwrap();
    assert_eq!(remaining.items.len(), 6);
    assert!(remaining.next_token.is_none());
    assert_eq!(
        backend
            .describe_collection(collection)
            .await
            .unwrap()
            .face_count,
        6
    );
    let unknown = backend
        .describe_collection(&unique("no-such-collection"))
        .await;
    assert!(
        matches!(unknown, Err(BackendError::NotFound { .. })),
        "{unknown:?}"
    );

    // Errors: a missing collection, an image that is not one.
    let missing = backend
        .list_faces(&unique("no-such-collection"), None, 10)
        .await;
    assert!(
        matches!(missing, Err(BackendError::NotFound { .. })),
        "{missing:?}"
    );
    let not_an_image = backend
        .index_faces(collection, b"plain text", Some("user_x"))
        .await;
    assert!(
        matches!(not_an_image, Err(BackendError::Invalid(_))),
        "{not_an_image:?}"
    );
}

/// The console's jump from a rejected run to the face it ran into: `SearchFacesByImage` with
/// the run's S3 photo (Rekognition reads it) finds the face indexed from that photo whatever
/// user id it was indexed under, and nothing once that face is deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_faces_by_image_reads_the_photo_from_s3() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    let collection = unique("jump-faces");
    let bucket = unique("riderphotos3bucket");
    backend.create_collection(&collection).await.unwrap();
    backend.create_bucket(&bucket).await.unwrap();
    for (i, key) in [(0u8, "1_happy_face.png"), (1, "5_rider_farah.png")] {
        backend
            .put_object(&bucket, key, generated_png(i), Some("image/png"))
            .await
            .unwrap();
    }
    let indexed = backend
        .index_faces(&collection, &generated_png(0), Some("user_a"))
        .await
        .unwrap()
        .remove(0);
    backend
        .index_faces(&collection, &generated_png(2), Some("user_c"))
        .await
        .unwrap();

    let found = backend
        .search_faces_by_image(&collection, &bucket, "1_happy_face.png", 70.0)
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].face.face_id, indexed.face_id);
    assert_eq!(found[0].face.external_image_id.as_deref(), Some("user_a"));
    assert!(found[0].similarity > 99.0);
    let stranger = backend
        .search_faces_by_image(&collection, &bucket, "5_rider_farah.png", 70.0)
        .await
        .unwrap();
    assert!(stranger.is_empty(), "{stranger:?}");

    let missing = backend
        .search_faces_by_image(&collection, &bucket, "no-such-photo.png", 70.0)
        .await;
    assert!(
        matches!(&missing, Err(BackendError::Invalid(m)) if m.contains("InvalidS3ObjectException")),
        "{missing:?}"
    );

    backend
        .delete_faces(&collection, std::slice::from_ref(&indexed.face_id))
        .await
        .unwrap();
    let after = backend
        .search_faces_by_image(&collection, &bucket, "1_happy_face.png", 70.0)
        .await
        .unwrap();
    assert!(
        after.is_empty(),
        "deleted: nothing matches any more: {after:?}"
    );
}
