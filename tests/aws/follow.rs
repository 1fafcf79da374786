//! Following a running execution costs one `GetExecutionHistory` request per poll, each
//! returning only events not seen before — counted both by the adapter and by the test
//! server itself (moto's request recorder). The other tests of the binary run meanwhile, so
//! both counts are of this test's own: the adapter counts per backend, and the recording is
//! read for this execution's ARN only.
//!
//! Needs `STEPDECK_TEST_ENDPOINT` (set by `scripts/test.sh`). Without it this test FAILS when
//! `CI` is set, and prints why and returns early on a plain `cargo test` (see tests/aws/common.rs).

use crate::common;

use common::{
    ROLE_ARN, backend, moto_api, pipeline_definition, pipeline_input, test_endpoint, unique,
};
use std::time::Duration;
use stepdeck::backend::{Backend, HistoryRequest, StartExecutionRequest};
use stepdeck::domain::execution::ExecutionStatus;
use stepdeck::domain::history::HistoryEvent;

const HOLD_SECONDS: u64 = 3;
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// GetExecutionHistory requests for `execution_arn` in moto's recording (one JSON per line).
fn recorded_history_requests(recording: &str, execution_arn: &str) -> usize {
    recording
        .lines()
        .filter(|line| line.contains("AWSStepFunctions.GetExecutionHistory"))
        .filter(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).expect("recording line");
            request_body(&entry).contains(execution_arn)
        })
        .count()
}

/// The recorder stores bodies as text or base64.
fn request_body(entry: &serde_json::Value) -> String {
    let body = entry["body"].as_str().unwrap_or_default();
    if entry["body_encoded"].as_bool() == Some(true) {
        String::from_utf8_lossy(&base64_decode(body)).into_owned()
    } else {
        body.to_string()
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes().filter(|b| *b != b'=') {
        let Some(value) = ALPHABET.iter().position(|a| *a == byte) else {
            continue;
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_a_running_execution_costs_one_history_call_per_poll() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let backend = backend(&endpoint).await;
    let machine = backend
        .create_state_machine(
            &unique("RiderPhotoProcessing"),
            &pipeline_definition(),
            ROLE_ARN,
        )
        .await
        .unwrap();
    let run = backend
        .start_execution(StartExecutionRequest {
            state_machine_arn: machine,
            name: Some(unique("followed")),
            input: pipeline_input("1_happy_face.jpg", "user_a", HOLD_SECONDS),
        })
        .await
        .unwrap();

    assert_eq!(
        moto_api(&endpoint, "POST", "/moto-api/recorder/reset-recording", "").0,
        200
    );
    assert_eq!(
        moto_api(&endpoint, "POST", "/moto-api/recorder/start-recording", "").0,
        200
    );
    let calls_before = backend.api_calls().count("GetExecutionHistory");

    let mut seen: Vec<HistoryEvent> = Vec::new();
    let mut polls = 0usize;
    let mut polls_while_running = 0usize;
    let mut finished = false;
    while !finished {
        assert!(polls < 200, "the execution did not finish");
        let after = seen.last().map(|e| e.id);
        let new = backend
            .get_execution_history(HistoryRequest {
                execution_arn: run.arn.clone(),
                after_event_id: after,
                include_data: false,
            })
            .await
            .unwrap();
        polls += 1;
        // Only new events, ascending, continuing exactly where the last poll stopped.
        for (i, event) in new.iter().enumerate() {
            let expected = after.unwrap_or(0) + 1 + i as i64;
            assert_eq!(event.id, expected, "poll {polls}: ids {:?}", ids(&new));
        }
        finished = new.iter().any(|e| e.event_type.is_execution_end());
        if !finished {
            polls_while_running += 1;
            tokio::time::sleep(POLL_INTERVAL).await;
        }
        seen.extend(new);
    }

    assert_eq!(
        moto_api(&endpoint, "POST", "/moto-api/recorder/stop-recording", "").0,
        200
    );
    let (status, recording) = moto_api(
        &endpoint,
        "GET",
        "/moto-api/recorder/download-recording",
        "",
    );
    assert_eq!(status, 200);

    // The run was really followed while it ran, not read once at the end.
    assert!(
        polls_while_running >= 3,
        "{polls_while_running} polls while running"
    );
    // O(polls): exactly one request per poll, as the adapter counts and as the server saw.
    let counted = backend.api_calls().count("GetExecutionHistory") - calls_before;
    assert_eq!(counted, polls as u64, "adapter count");
    assert_eq!(
        recorded_history_requests(&recording, &run.arn),
        polls,
        "requests received by the test server"
    );

    // Together the polls hold the whole history, once each, as one full read returns it.
    let full = backend
        .get_execution_history(HistoryRequest {
            execution_arn: run.arn.clone(),
            after_event_id: None,
            include_data: false,
        })
        .await
        .unwrap();
    assert_eq!(ids(&seen), ids(&full));
    assert_eq!(
        backend
            .describe_execution(&run.arn)
            .await
            .unwrap()
            .summary
            .status,
        ExecutionStatus::Succeeded
    );
}

fn ids(events: &[HistoryEvent]) -> Vec<i64> {
    events.iter().map(|e| e.id).collect()
}

#[test]
fn base64_of_the_recording_decodes() {
    assert_eq!(base64_decode("eyJhIjogMX0="), br#"{"a": 1}"#.to_vec());
}
