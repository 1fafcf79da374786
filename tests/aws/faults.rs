//! The AWS backend through the fault-injecting proxy (tests/aws/proxy.rs) in front of moto:
//! what the proxy counts, how the real SDK and the backend read each service's throttling,
//! denial and server-error answers, what a lost answer leaves behind, and history paging done
//! as AWS does it (moto alone ignores maxResults, nextToken and reverseOrder).
//!
//! Needs `STEPDECK_TEST_ENDPOINT` and `STEPDECK_TEST_PROXY` (both set by `scripts/test.sh`);
//! without them these tests FAIL under `CI` and skip on a plain `cargo test`.

use crate::common;
use crate::proxy::{Fault, Proxy};

use common::{
    ROLE_ARN, backend, generated_png, pipeline_definition, pipeline_input, test_endpoint, unique,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stepdeck::backend::aws::AwsBackend;
use stepdeck::backend::aws::retry::RetryPolicy;
use stepdeck::backend::{
    Backend, BackendError, BackendNotice, HistoryRequest, ListExecutionsRequest,
    StartExecutionRequest,
};
use stepdeck::domain::execution::ExecutionStatus;
use stepdeck::domain::history::HistoryEvent;

/// moto's endpoint and the proxy, or None when the tests may be skipped.
fn endpoints() -> Option<(String, Proxy)> {
    let endpoint = test_endpoint()?;
    let proxy = Proxy::from_env()?;
    Some((endpoint, proxy))
}

/// A backend through the proxy whose throttling retries wait milliseconds, not seconds: the
/// number of tries is what these tests look at.
async fn quick_backend(proxy: &Proxy, max_attempts: u32) -> AwsBackend {
    backend(&proxy.endpoint)
        .await
        .with_retry_policy(RetryPolicy {
            max_attempts,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(5),
        })
}

fn listing(state_machine_arn: &str) -> ListExecutionsRequest {
    ListExecutionsRequest {
        state_machine_arn: state_machine_arn.to_string(),
        status: None,
        next_token: None,
        page_size: 100,
    }
}

/// Records the backend's notices, for the UI's "throttled, retrying" messages.
fn notices_of(backend: &AwsBackend) -> Arc<Mutex<Vec<BackendNotice>>> {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&notices);
    backend.set_notice_sink(Arc::new(move |notice| sink.lock().unwrap().push(notice)));
    notices
}

/// The throttling notices' (operation, attempt), in order.
fn throttled(notices: &Mutex<Vec<BackendNotice>>) -> Vec<(String, u32)> {
    notices
        .lock()
        .unwrap()
        .iter()
        .filter_map(|notice| match notice {
            BackendNotice::Throttled {
                operation, attempt, ..
            } => Some((operation.clone(), *attempt)),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_counts_each_call_under_its_api_name() {
    let Some((_, proxy)) = endpoints() else {
        return;
    };
    let backend = backend(&proxy.endpoint).await;
    let machine = backend
        .create_state_machine(
            &unique("RiderPhotoProcessing"),
            &pipeline_definition(),
            ROLE_ARN,
        )
        .await
        .unwrap();
    for _ in 0..3 {
        backend.list_executions(listing(&machine)).await.unwrap();
    }
    backend.list_buckets().await.unwrap();
    // A collection that does not exist: refused, but the call was made and is counted.
    let missing = backend
        .list_faces(&unique("no-such-collection"), None, 10)
        .await;
    assert!(
        matches!(missing, Err(BackendError::NotFound { .. })),
        "{missing:?}"
    );

    let stats = proxy.stats();
    assert_eq!(stats.count("CreateStateMachine"), 1, "{stats:?}");
    assert_eq!(stats.count("ListExecutions"), 3, "{stats:?}");
    assert_eq!(stats.count("ListBuckets"), 1, "{stats:?}");
    assert_eq!(stats.count("ListFaces"), 1, "{stats:?}");
    assert!(stats.faulted.is_empty(), "no rule, no fault: {stats:?}");
    // The proxy and the backend's own counting agree.
    assert_eq!(backend.api_calls().count("ListExecutions"), 3);
    // Timestamps in order, on the proxy's clock, within the last minute.
    let times = stats.calls("ListExecutions");
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!(
        times
            .iter()
            .all(|t| *t <= stats.now && *t > stats.now - 60.0)
    );
    assert_eq!(stats.rate("ListExecutions", Duration::from_secs(60)), 0.05);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_services_throttling_answer_is_retried_by_the_backend() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    // Set-up straight on moto: only the calls under test go through the proxy.
    let direct = backend(&endpoint).await;
    let machine = direct
        .create_state_machine(
            &unique("RiderPhotoProcessing"),
            &pipeline_definition(),
            ROLE_ARN,
        )
        .await
        .unwrap();
    let collection = unique("faces");
    direct.create_collection(&collection).await.unwrap();
    let bucket = unique("thumbnails");
    direct.create_bucket(&bucket).await.unwrap();

    let backend = quick_backend(&proxy, 6).await;
    let notices = notices_of(&backend);
    // Step Functions (JSON 1.0), Rekognition (JSON 1.1) and S3 (XML `SlowDown`, 503) each
    // throttle in their own shape; the SDK must surface each as a throttling error code.
    proxy.set_faults(&[
        Fault::throttle("ListExecutions").times(2),
        Fault::throttle("ListFaces").times(1),
        Fault::throttle("ListObjectsV2").times(1),
    ]);
    backend.list_executions(listing(&machine)).await.unwrap();
    backend.list_faces(&collection, None, 10).await.unwrap();
    backend.list_objects(&bucket, None, None, 10).await.unwrap();

    assert_eq!(
        throttled(&notices),
        vec![
            ("ListExecutions".to_string(), 1),
            ("ListExecutions".to_string(), 2),
            ("ListFaces".to_string(), 1),
            // The backend names S3 calls by their IAM action.
            ("ListBucket".to_string(), 1),
        ]
    );
    let stats = proxy.stats();
    for (api, calls, faulted) in [
        ("ListExecutions", 3, 2),
        ("ListFaces", 2, 1),
        ("ListObjectsV2", 2, 1),
    ] {
        assert_eq!(stats.count(api), calls, "{api}: {stats:?}");
        let faults = &stats.faulted[api];
        assert_eq!(faults.len(), faulted, "{api}: {stats:?}");
        assert!(faults.iter().all(|(_, fault)| fault == "throttle"));
    }

    // Throttled on every try: the backend gives up after its attempts and says so.
    proxy.set_faults(&[Fault::throttle("DescribeExecution")]);
    let backend = quick_backend(&proxy, 3).await;
    let arn = machine.replace(":stateMachine:", ":execution:") + ":never-started";
    assert_eq!(
        backend.describe_execution(&arn).await,
        Err(BackendError::Throttled {
            api: "DescribeExecution".into(),
            attempts: 3
        })
    );
    assert_eq!(proxy.count("DescribeExecution"), 3);
}

/// The retry notices' (operation, attempt), in order.
fn retried(notices: &Mutex<Vec<BackendNotice>>) -> Vec<(String, u32)> {
    notices
        .lock()
        .unwrap()
        .iter()
        .filter_map(|notice| match notice {
            BackendNotice::Retrying {
                operation, attempt, ..
            } => Some((operation.clone(), *attempt)),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_resets_of_reads_are_retried_in_each_service() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let machine = direct
        .create_state_machine(
            &unique("RiderPhotoProcessing"),
            &pipeline_definition(),
            ROLE_ARN,
        )
        .await
        .unwrap();
    let collection = unique("faces");
    direct.create_collection(&collection).await.unwrap();
    let bucket = unique("thumbnails");
    direct.create_bucket(&bucket).await.unwrap();

    let backend = quick_backend(&proxy, 4).await;
    let notices = notices_of(&backend);
    // A read is idempotent: a 500, a 503 or a connection reset before the answer is asked
    // again, within the budget, and the caller sees only the answer.
    proxy.set_faults(&[
        Fault::server_error("ListExecutions", 500).times(1),
        Fault::reset("ListExecutions").times(1),
        Fault::server_error("ListFaces", 503).times(1),
        Fault::server_error("ListObjectsV2", 500).times(2),
    ]);
    backend.list_executions(listing(&machine)).await.unwrap();
    backend.list_faces(&collection, None, 10).await.unwrap();
    backend.list_objects(&bucket, None, None, 10).await.unwrap();

    let said = retried(&notices);
    assert_eq!(
        said.iter().map(|(api, _)| api.as_str()).collect::<Vec<_>>(),
        [
            "ListExecutions",
            "ListExecutions",
            "ListFaces",
            "ListBucket",
            "ListBucket"
        ],
        "{said:?}"
    );
    let stats = proxy.stats();
    for (api, calls) in [
        ("ListExecutions", 3),
        ("ListFaces", 2),
        ("ListObjectsV2", 3),
    ] {
        assert_eq!(stats.count(api), calls, "{api}: {stats:?}");
    }

    // A server error on every try: given up after the attempts, the code said.
    proxy.set_faults(&[Fault::server_error("DescribeExecution", 500)]);
    let arn = machine.replace(":stateMachine:", ":execution:") + ":never-started";
    let error = backend.describe_execution(&arn).await.unwrap_err();
    assert!(error.to_string().contains("InternalFailure"), "{error}");
    assert_eq!(
        proxy.count("DescribeExecution"),
        4,
        "one try and three retries"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denials_and_server_errors_are_read_in_each_services_shape() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let machine = direct
        .create_state_machine(
            &unique("RiderPhotoProcessing"),
            &pipeline_definition(),
            ROLE_ARN,
        )
        .await
        .unwrap();
    let bucket = unique("thumbnails");
    direct.create_bucket(&bucket).await.unwrap();

    let backend = quick_backend(&proxy, 3).await;
    proxy.set_faults(&[
        Fault::deny("ListExecutions"),
        Fault::deny("ListFaces"),
        Fault::deny("ListObjectsV2"),
        Fault::server_error("ListStateMachines", 500),
    ]);
    let denied = [
        (
            backend.list_executions(listing(&machine)).await.map(|_| ()),
            "states:ListExecutions",
        ),
        (
            backend.list_faces("any", None, 10).await.map(|_| ()),
            "rekognition:ListFaces",
        ),
        (
            backend
                .list_objects(&bucket, None, None, 10)
                .await
                .map(|_| ()),
            "s3:ListBucket",
        ),
    ];
    for (result, expected_action) in denied {
        match result {
            Err(BackendError::AccessDenied { action, message }) => {
                assert_eq!(action, expected_action);
                // S3 says only "Access Denied"; the JSON services name the action.
                assert!(
                    message.contains("Access Denied") || message.contains("not authorized"),
                    "{message}"
                );
            }
            other => panic!("{expected_action}: expected AccessDenied, got {other:?}"),
        }
    }
    let failed = backend.list_state_machines().await;
    match &failed {
        Err(error) => assert!(
            error.to_string().contains("InternalFailure"),
            "the server error's code reaches the operator: {error}"
        ),
        Ok(_) => panic!("a 500 on every ListStateMachines still listed machines"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_delete_batch_that_fails_keeps_what_the_earlier_ones_deleted() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let collection = unique("faces");
    direct.create_collection(&collection).await.unwrap();
    let mut kept = Vec::new();
    for seed in [0, 2] {
        let face = direct
            .index_faces(&collection, &generated_png(seed), Some("user_a"))
            .await
            .unwrap()
            .remove(0);
        kept.push(face.face_id);
    }
    // 4,097 ids: the first face and 4,095 unknown ones in the first batch, the second face
    // alone in the second.
    let mut ids = vec![kept[0].clone()];
    ids.extend((0..4_095).map(|i| format!("00000000-0000-0000-0000-{i:012}")));
    ids.push(kept[1].clone());

    let backend = quick_backend(&proxy, 1).await;
    proxy.set_faults(&[Fault::deny("DeleteFaces").after(1)]);
    let result = backend
        .delete_faces(&collection, &ids)
        .await
        .expect("the first batch's deletions are reported, not hidden by the second's error");
    assert_eq!(result.deleted, vec![kept[0].clone()]);
    assert_eq!(result.unsuccessful.len(), 4_096);
    let second = result
        .unsuccessful
        .iter()
        .find(|u| u.face_id == kept[1])
        .expect("the second batch's face is reported unsuccessful");
    assert!(
        second.reasons[0].starts_with("not deleted: batch 2 of 2 failed: ")
            && second.reasons[0].contains("rekognition:DeleteFaces"),
        "{second:?}"
    );
    assert_eq!(proxy.count("DeleteFaces"), 2);
    let left = direct.list_faces(&collection, None, 100).await.unwrap();
    assert_eq!(
        left.items
            .iter()
            .map(|f| f.face_id.clone())
            .collect::<Vec<_>>(),
        vec![kept[1].clone()]
    );

    // The second batch's answer lost: its outcome is unknown, so the whole is an error the
    // console reads back (`Effect::ReconcileFaces`).
    let again = vec![kept[1].clone()]
        .into_iter()
        .chain((0..4_096).map(|i| format!("00000000-0000-0000-0001-{i:012}")))
        .collect::<Vec<_>>();
    proxy.set_faults(&[Fault::drop_answer("DeleteFaces").after(1)]);
    let lost = backend.delete_faces(&collection, &again).await;
    assert!(
        matches!(&lost, Err(BackendError::NoAnswer { .. })),
        "{lost:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_stop_answer_is_no_answer_and_the_execution_is_stopped() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    // A plain Wait: moto's run of the Lambda pipeline carries on (RUNNING) after a stop.
    let waits = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}"#;
    let machine = direct
        .create_state_machine(&unique("Waits"), waits, ROLE_ARN)
        .await
        .unwrap();
    let run = direct
        .start_execution(StartExecutionRequest {
            state_machine_arn: machine,
            name: Some(unique("stopped")),
            input: "{}".into(),
        })
        .await
        .unwrap();

    let backend = backend(&proxy.endpoint).await;
    proxy.set_faults(&[Fault::drop_answer("StopExecution").times(1)]);
    match backend.stop_execution(&run.arn, None, None).await {
        Err(BackendError::NoAnswer { action, .. }) => {
            assert_eq!(action, "states:StopExecution")
        }
        other => panic!("expected NoAnswer, got {other:?}"),
    }
    // Sent once (a write is never sent again by the backend), and carried out: what the
    // console's read-back (`Effect::ReconcileControl`) finds.
    assert_eq!(proxy.count("StopExecution"), 1);
    let now = backend.describe_execution(&run.arn).await.unwrap();
    assert_eq!(now.summary.status, ExecutionStatus::Aborted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_start_answer_is_no_answer_and_the_execution_exists() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let machine = direct
        .create_state_machine(
            &unique("RiderPhotoProcessing"),
            &pipeline_definition(),
            ROLE_ARN,
        )
        .await
        .unwrap();

    // The answer lost both ways a connection can end: an orderly close, and a reset.
    let backend = backend(&proxy.endpoint).await;
    let mut started = Vec::new();
    for fault in [
        Fault::drop_answer("StartExecution"),
        Fault::drop_answer_with_reset("StartExecution"),
    ] {
        proxy.set_faults(&[fault.clone().times(1)]);
        let name = unique("lost-answer");
        let result = backend
            .start_execution(StartExecutionRequest {
                state_machine_arn: machine.clone(),
                name: Some(name.clone()),
                input: pipeline_input("1_happy_face.jpg", "user_a", 0),
            })
            .await;
        // Not "cannot reach the states endpoint": the request went out and was carried out,
        // and the error says it may have been.
        let error = result.expect_err("no answer came back, so the call cannot have succeeded");
        assert!(
            matches!(&error, BackendError::NoAnswer { action, .. } if action == "states:StartExecution"),
            "a lost StartExecution answer ({:?}) is reported as: {error}",
            fault.kind
        );
        assert!(
            error
                .to_string()
                .contains("no answer; the request may have been carried out"),
            "{error}"
        );
        started.push(name);
    }
    assert_eq!(proxy.stats().faulted["StartExecution"].len(), 2);

    // Yet each execution exists, once, as moto tells it directly.
    let executions = direct.list_executions(listing(&machine)).await.unwrap();
    let mut names: Vec<String> = executions.items.iter().map(|e| e.name.clone()).collect();
    names.sort();
    started.sort();
    assert_eq!(names, started);
    for execution in &executions.items {
        let detail = direct.describe_execution(&execution.arn).await.unwrap();
        assert!(
            detail
                .summary
                .input_label
                .is_some_and(|label| label.contains("1_happy_face.jpg"))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_delete_answer_is_no_answer_and_the_object_is_gone() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let bucket = unique("thumbnails");
    direct.create_bucket(&bucket).await.unwrap();
    let key = "resized-1_happy_face.png";
    direct
        .put_object(&bucket, key, generated_png(1), Some("image/png"))
        .await
        .unwrap();

    let backend = backend(&proxy.endpoint).await;
    proxy.set_faults(&[Fault::drop_answer("DeleteObject").times(1)]);
    let error = backend
        .delete_object(&bucket, key)
        .await
        .expect_err("no answer came back, so the call cannot have succeeded");
    assert!(
        matches!(&error, BackendError::NoAnswer { action, .. } if action == "s3:DeleteObject"),
        "a lost DeleteObject answer is reported as: {error}"
    );
    assert_eq!(proxy.stats().faulted["DeleteObject"].len(), 1);

    let gone = direct.get_object(&bucket, key).await;
    assert!(
        matches!(gone, Err(BackendError::NotFound { .. })),
        "the object was deleted all the same: {gone:?}"
    );
}

/// A state machine whose runs have long histories: a Map over the input's `items`, a Pass
/// per item (four events per item).
fn map_definition() -> String {
    serde_json::json!({
        "StartAt": "EachPhoto",
        "States": {
            "EachPhoto": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Resize",
                    "States": {"Resize": {"Type": "Pass", "End": true}}
                },
                "End": true
            }
        }
    })
    .to_string()
}

async fn wait_until_done(backend: &AwsBackend, execution_arn: &str) -> ExecutionStatus {
    for _ in 0..300 {
        let status = backend
            .describe_execution(execution_arn)
            .await
            .unwrap()
            .summary
            .status;
        if status != ExecutionStatus::Running {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{execution_arn} still running after 30 s");
}

async fn history(backend: &AwsBackend, arn: &str, after: Option<i64>) -> Vec<HistoryEvent> {
    backend
        .get_execution_history(HistoryRequest {
            execution_arn: arn.to_string(),
            after_event_id: after,
            include_data: false,
        })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_paged_as_aws_does_reads_the_same_as_moto_whole() {
    let Some((endpoint, proxy)) = endpoints() else {
        return;
    };
    let direct = backend(&endpoint).await;
    let machine = direct
        .create_state_machine(&unique("ResizeEach"), &map_definition(), ROLE_ARN)
        .await
        .unwrap();
    let items: Vec<u32> = (0..300).collect();
    let run = direct
        .start_execution(StartExecutionRequest {
            state_machine_arn: machine,
            name: Some(unique("long-history")),
            input: serde_json::json!({ "items": items }).to_string(),
        })
        .await
        .unwrap();
    assert_eq!(
        wait_until_done(&direct, &run.arn).await,
        ExecutionStatus::Succeeded
    );
    // moto answers the whole history to one request.
    let whole = history(&direct, &run.arn, None).await;
    assert!(
        whole.len() > 1000,
        "{} events: less than a page",
        whole.len()
    );

    // A full read pages forward, 1,000 events a page at most.
    let backend = backend(&proxy.endpoint).await;
    let paged = history(&backend, &run.arn, None).await;
    assert_eq!(paged, whole);
    let pages = proxy.count("GetExecutionHistory");
    assert_eq!(pages, whole.len().div_ceil(1000), "pages of a full read");

    // Following reads newest first, 100 a page, until it reaches a known event.
    let known = whole.len() as i64 - 250;
    let newer = history(&backend, &run.arn, Some(known)).await;
    assert_eq!(newer, whole[known as usize..].to_vec());
    assert_eq!(history(&direct, &run.arn, Some(known)).await, newer);
    let follow_pages = proxy.count("GetExecutionHistory") - pages;
    assert!(
        follow_pages > 1,
        "250 new events take more than one page of 100: {follow_pages}"
    );
}
