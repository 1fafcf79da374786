//! Answers moto never gives, served on the wire: a tiny scripted HTTP server on 127.0.0.1
//! answers the real SDK client with AWS-shaped JSON errors (throttling, access denied, expired
//! token) and with the answers of `RedriveExecution`, which moto 5.2.5 does not implement, so
//! the adapter's request building, error reading, retry and call counting are tested through
//! the SDK exactly as they run against AWS. Needs no emulator; always runs.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stepdeck::backend::aws::retry::RetryPolicy;
use stepdeck::backend::aws::{AwsBackend, AwsOptions};
use stepdeck::backend::{Backend, BackendError, BackendNotice, HistoryRequest};

/// One scripted answer: HTTP status and JSON body.
type Answer = (u16, String);

/// Serves the scripted answers in order (the last one repeats) and records each request's
/// `X-Amz-Target` and body.
struct ScriptedServer {
    endpoint: String,
    targets: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl ScriptedServer {
    fn start(answers: Vec<Answer>) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let targets = Arc::new(Mutex::new(Vec::new()));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(answers.into_iter().collect::<Vec<_>>()));
        let recorded = (Arc::clone(&targets), Arc::clone(&bodies));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let answers = Arc::clone(&answers);
                let recorded = (Arc::clone(&recorded.0), Arc::clone(&recorded.1));
                std::thread::spawn(move || {
                    serve_connection(stream, &answers, &recorded.0, &recorded.1)
                });
            }
        });
        ScriptedServer {
            endpoint,
            targets,
            bodies,
        }
    }

    fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }

    /// Request bodies as JSON values, in order.
    fn json_bodies(&self) -> Vec<serde_json::Value> {
        self.bodies
            .lock()
            .unwrap()
            .iter()
            .map(|b| serde_json::from_str(b).unwrap_or(serde_json::Value::Null))
            .collect()
    }
}

fn serve_connection(
    stream: TcpStream,
    answers: &Mutex<Vec<Answer>>,
    recorded: &Mutex<Vec<String>>,
    bodies: &Mutex<Vec<String>>,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    // HTTP/1.1 keep-alive: several requests per connection.
    loop {
        let mut content_length = 0usize;
        let mut target = String::new();
        let mut first = true;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            first = false;
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                content_length = value.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("x-amz-target:") {
                target = line["x-amz-target:".len()..].trim().to_string();
            }
        }
        if first {
            return;
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        recorded.lock().unwrap().push(target);
        bodies
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(&body).into_owned());
        let (status, json) = {
            let mut answers = answers.lock().unwrap();
            if answers.len() > 1 {
                answers.remove(0)
            } else {
                answers[0].clone()
            }
        };
        let response = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.0\r\n\
             x-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\n\
             Content-Length: {}\r\n\r\n{json}",
            json.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn error(code: &str, message: &str) -> Answer {
    (
        400,
        serde_json::json!({"__type": format!("com.amazonaws.swf.service.v2.model#{code}"), "message": message})
            .to_string(),
    )
}

fn state_machines() -> Answer {
    (
        200,
        serde_json::json!({"stateMachines": [{
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:RiderPhotoProcessing",
            "name": "RiderPhotoProcessing",
            "type": "STANDARD",
            "creationDate": 1_764_064_800.0
        }]})
        .to_string(),
    )
}

/// The backend against the scripted server. With the whole quota as its budget (share 1): these
/// tests are about the wire, and the governor's waits after a throttle stay under a second.
async fn backend_for(server: &ScriptedServer, attempts: u32) -> AwsBackend {
    common::use_dummy_credentials();
    AwsBackend::connect(AwsOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(server.endpoint.clone()),
        api_budget_share: Some(1.0),
    })
    .await
    .unwrap()
    .with_retry_policy(RetryPolicy {
        max_attempts: attempts,
        base: Duration::from_millis(1),
        cap: Duration::from_millis(5),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_retried_then_succeeds() {
    let server = ScriptedServer::start(vec![
        error("ThrottlingException", "Rate exceeded"),
        error("ThrottlingException", "Rate exceeded"),
        state_machines(),
    ]);
    let backend = backend_for(&server, 6).await;
    let notices = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&notices);
    backend.set_notice_sink(Arc::new(move |notice| seen.lock().unwrap().push(notice)));
    let machines = backend.list_state_machines().await.unwrap();
    let notices = notices.lock().unwrap().clone();
    let attempts: Vec<u32> = notices
        .iter()
        .map(|n| match n {
            BackendNotice::Throttled {
                operation,
                attempt,
                retry_in_ms,
            } => {
                assert_eq!(operation, "ListStateMachines");
                // The backoff is at most 5 ms, but each throttle halves the API's rate (5/s):
                // the notice tells the whole wait, 1 token at 2.5/s, then at 1.25/s.
                let expected = 400 * u64::from(*attempt);
                assert!(
                    retry_in_ms.abs_diff(expected) <= 50,
                    "attempt {attempt}: {retry_in_ms} ms, expected about {expected}"
                );
                *attempt
            }
            other => panic!("only throttling here: {other:?}"),
        })
        .collect();
    assert_eq!(attempts, vec![1, 2], "one notice per backoff, for the UI");
    assert_eq!(machines.len(), 1);
    assert_eq!(machines[0].name, "RiderPhotoProcessing");
    assert_eq!(backend.api_calls().count("ListStateMachines"), 3);
    assert_eq!(
        server.targets(),
        vec!["AWSStepFunctions.ListStateMachines"; 3],
        "every attempt reached the server; the SDK added no retries of its own"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_throttling_gives_up_with_the_attempt_count() {
    let server = ScriptedServer::start(vec![error("ThrottlingException", "Rate exceeded")]);
    let backend = backend_for(&server, 4).await;
    let result = backend
        .get_execution_history(HistoryRequest {
            execution_arn: "arn:aws:states:us-east-1:123456789012:execution:P:run".into(),
            after_event_id: Some(7),
            include_data: false,
        })
        .await;
    assert_eq!(
        result,
        Err(BackendError::Throttled {
            api: "GetExecutionHistory".into(),
            attempts: 4
        })
    );
    assert_eq!(server.targets().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_denied_names_the_permission_and_is_not_retried() {
    let server = ScriptedServer::start(vec![error(
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: \
         states:GetExecutionHistory on resource: arn:aws:states:us-east-1:123456789012:execution:P:run",
    )]);
    let backend = backend_for(&server, 6).await;
    let result = backend
        .get_execution_history(HistoryRequest {
            execution_arn: "arn:aws:states:us-east-1:123456789012:execution:P:run".into(),
            after_event_id: None,
            include_data: false,
        })
        .await;
    match result {
        Err(BackendError::AccessDenied { action, message }) => {
            assert_eq!(action, "states:GetExecutionHistory");
            assert!(message.contains("not authorized"), "{message}");
        }
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    assert_eq!(server.targets().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_credentials_are_said_so() {
    let server = ScriptedServer::start(vec![error(
        "ExpiredTokenException",
        "The security token included in the request is expired",
    )]);
    let backend = backend_for(&server, 6).await;
    let result = backend
        .describe_execution("arn:aws:states:us-east-1:123456789012:execution:P:run")
        .await;
    assert!(
        matches!(&result, Err(BackendError::Credentials(m)) if m.contains("expired")),
        "{result:?}"
    );
    assert_eq!(server.targets().len(), 1);
}

const FAILED_RUN: &str =
    "arn:aws:states:us-east-1:123456789012:execution:RiderPhotoProcessing:run-05-failed";

// moto 5.2.5 has no RedriveExecution (HTTP 500: "The redrive_execution action has not been
// implemented"), and a real redrive (re-running from the failed state, keeping the history,
// `ExecutionRedriven` events, `redriveCount`) is no small honest addition to the emulator. So
// the adapter's side of it is proven here, on the wire: the request the SDK sends and the two
// answers AWS gives.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redrive_sends_the_execution_arn_and_accepts_the_answer() {
    let server = ScriptedServer::start(vec![(
        200,
        serde_json::json!({"redriveDate": 1_764_065_000.5}).to_string(),
    )]);
    let backend = backend_for(&server, 6).await;
    backend.redrive_execution(FAILED_RUN).await.unwrap();
    assert_eq!(server.targets(), vec!["AWSStepFunctions.RedriveExecution"]);
    let body = &server.json_bodies()[0];
    assert_eq!(body["executionArn"], FAILED_RUN, "{body}");
    assert_eq!(backend.api_calls().count("RedriveExecution"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_cannot_be_redriven_is_refused_with_the_services_reason() {
    let server = ScriptedServer::start(vec![error(
        "ExecutionNotRedrivable",
        "Execution with ARN arn:aws:states:us-east-1:123456789012:execution:\
         RiderPhotoProcessing:run-05-failed cannot be redriven: it ended more than 14 days ago",
    )]);
    let backend = backend_for(&server, 6).await;
    let result = backend.redrive_execution(FAILED_RUN).await;
    match result {
        Err(BackendError::Invalid(message)) => {
            assert!(
                message.contains("states:RedriveExecution")
                    && message.contains("ExecutionNotRedrivable")
                    && message.contains("cannot be redriven"),
                "{message}"
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(server.targets().len(), 1, "a refusal is not retried");
}

fn described_execution() -> Answer {
    (
        200,
        serde_json::json!({
            "executionArn": FAILED_RUN,
            "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:RiderPhotoProcessing",
            "name": "run-05-failed",
            "status": "FAILED",
            "startDate": 1_764_064_800.0,
            "stopDate": 1_764_064_805.0,
            "input": "{}"
        })
        .to_string(),
    )
}

fn server_error(status: u16) -> Answer {
    (
        status,
        serde_json::json!({"__type": "com.amazonaws.swf.service.v2.model#InternalServerError", "message": "boom"})
            .to_string(),
    )
}

/// Records the backend's notices.
fn notices_of(backend: &AwsBackend) -> Arc<Mutex<Vec<BackendNotice>>> {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&notices);
    backend.set_notice_sink(Arc::new(move |notice| seen.lock().unwrap().push(notice)));
    notices
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_of_reads_are_retried_and_said_so() {
    let server = ScriptedServer::start(vec![
        server_error(500),
        server_error(503),
        described_execution(),
    ]);
    let backend = backend_for(&server, 6).await;
    let notices = notices_of(&backend);
    let detail = backend.describe_execution(FAILED_RUN).await.unwrap();
    assert_eq!(detail.summary.name, "run-05-failed");
    assert_eq!(
        server.targets(),
        vec!["AWSStepFunctions.DescribeExecution"; 3]
    );
    assert_eq!(backend.api_calls().count("DescribeExecution"), 3);
    let reasons: Vec<String> = notices
        .lock()
        .unwrap()
        .iter()
        .map(|n| match n {
            BackendNotice::Retrying { why, .. } => why.clone(),
            other => panic!("a retry after a server error: {other:?}"),
        })
        .collect();
    assert_eq!(reasons, ["HTTP 500", "HTTP 503"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_are_not_sent_again_after_a_server_error() {
    let server = ScriptedServer::start(vec![server_error(500)]);
    let backend = backend_for(&server, 6).await;
    let result = backend.stop_execution(FAILED_RUN, None, None).await;
    assert!(
        matches!(&result, Err(BackendError::Other(m)) if m.contains("HTTP 500")),
        "{result:?}"
    );
    assert_eq!(
        server.targets(),
        vec!["AWSStepFunctions.StopExecution"],
        "whether to stop again is the caller's to decide"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_throttling_pauses_the_api_says_until_when_then_resumes() {
    let mut answers = vec![error("ThrottlingException", "Rate exceeded"); 5];
    answers.push(described_execution());
    let server = ScriptedServer::start(answers);
    let backend = backend_for(&server, 6).await;
    let notices = notices_of(&backend);
    let asked = std::time::Instant::now();
    let detail = backend.describe_execution(FAILED_RUN).await.unwrap();
    assert_eq!(detail.summary.name, "run-05-failed");
    assert!(
        asked.elapsed() >= Duration::from_secs(10),
        "the sixth attempt waited for the pause to end"
    );
    assert_eq!(server.targets().len(), 6);
    let notices = notices.lock().unwrap().clone();
    let paused = notices
        .iter()
        .position(|n| matches!(n, BackendNotice::Paused { .. }))
        .expect("the pause is said");
    let BackendNotice::Paused { operation, until } = &notices[paused] else {
        unreachable!()
    };
    assert_eq!(operation, "DescribeExecution");
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(
        (now_ms - until).abs() < 3_000,
        "until {until}, now {now_ms}"
    );
    assert!(notices[paused].to_string().contains("trying again at"));
    assert_eq!(
        notices.last(),
        Some(&BackendNotice::Resumed {
            operation: "DescribeExecution".into()
        }),
        "{notices:?}"
    );
}

/// An STS (query protocol) error answer, as XML.
fn sts_error(status: u16, code: &str, message: &str) -> Answer {
    (
        status,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caller_identity_errors_go_through_the_same_mapping() {
    let server = ScriptedServer::start(vec![sts_error(
        403,
        "ExpiredToken",
        "The security token included in the request is expired",
    )]);
    let backend = backend_for(&server, 6).await;
    let result = backend.caller_identity().await;
    assert!(
        matches!(&result, Err(BackendError::Credentials(m)) if m.contains("expired")),
        "{result:?}"
    );
    let server = ScriptedServer::start(vec![sts_error(
        403,
        "AccessDenied",
        "User is not authorized to perform: sts:GetCallerIdentity",
    )]);
    let backend = backend_for(&server, 6).await;
    match backend.caller_identity().await {
        Err(BackendError::AccessDenied { action, .. }) => {
            assert_eq!(action, "sts:GetCallerIdentity")
        }
        other => panic!("expected AccessDenied, got {other:?}"),
    }
}
