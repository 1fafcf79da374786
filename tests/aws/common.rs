//! Shared set-up of the AWS integration tests: the test server's endpoint, dummy credentials,
//! the pipeline-shaped state machine, small generated images, and moto's own HTTP API.
//!
//! The endpoint comes from `STEPDECK_TEST_ENDPOINT`, which `scripts/test.sh` sets after it
//! started moto server (scripts/moto/start.sh). When the variable is missing:
//! - with `CI` set (as `.ci/run` runs), the tests FAIL: CI must never pass without exercising
//!   the AWS path;
//! - otherwise (a plain `cargo test` on a developer machine), each test prints why and returns
//!   early. Run `./scripts/test.sh`, or `scripts/moto/start.sh` and then
//!   `STEPDECK_TEST_ENDPOINT=$(cat target/moto.endpoint) cargo test --test aws`.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Once;
use std::time::Duration;
use stepdeck::backend::aws::{AwsBackend, AwsOptions};

pub const ENDPOINT_VARIABLE: &str = "STEPDECK_TEST_ENDPOINT";
pub const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/RiderPhotoProcessingRole";

/// The test server's endpoint, or None (after saying why) when tests may be skipped.
pub fn test_endpoint() -> Option<String> {
    if let Ok(endpoint) = std::env::var(ENDPOINT_VARIABLE)
        && !endpoint.trim().is_empty()
    {
        return Some(endpoint.trim().to_string());
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if in_ci {
        panic!(
            "{ENDPOINT_VARIABLE} is not set but CI is: the AWS integration tests must run \
             against moto server; run them through scripts/test.sh"
        );
    }
    eprintln!(
        "skipping: {ENDPOINT_VARIABLE} is not set (run ./scripts/test.sh to start moto server \
         and run these tests against it)"
    );
    None
}

static DUMMY_CREDENTIALS: Once = Once::new();

/// Static dummy credentials through the environment, exactly as a user would export them;
/// the rest of the credential chain (profiles, SSO, IMDS) is then never consulted.
pub fn use_dummy_credentials() {
    DUMMY_CREDENTIALS.call_once(|| {
        // SAFETY: runs once, before any test of this binary loads AWS configuration (every
        // test calls this first, and `Once` blocks the others until it is done); nothing
        // else in the test process reads or writes these variables concurrently.
        unsafe {
            std::env::set_var("AWS_ACCESS_KEY_ID", "AKIASTEPDECKTESTING");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "stepdeck-testing-secret");
            std::env::remove_var("AWS_SESSION_TOKEN");
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        }
    });
}

/// The AWS backend pointed at the test server, configured as a user would with
/// `--region us-east-1 --endpoint-url …`.
pub async fn backend(endpoint: &str) -> AwsBackend {
    use_dummy_credentials();
    AwsBackend::connect(AwsOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.to_string()),
        api_budget_share: None,
    })
    .await
    .expect("connect to the test server")
}

/// A suffix that keeps names of this run apart from earlier runs against the same server.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{:x}", nanos % 0xffff_ffff_ffff)
}

/// The rider-photo pipeline's shape, as moto can run it: Lambda tasks (moto echoes their
/// input), then a Parallel of AddFaceToIndex and Thumbnail, then PersistMetadata. The `Hold`
/// Wait reads its length from the input (`holdSeconds`) so a test can keep a run RUNNING as
/// long as it needs; it is the only addition to the real pipeline.
pub fn pipeline_definition() -> String {
    let lambda = "arn:aws:lambda:us-east-1:123456789012:function";
    serde_json::json!({
        "Comment": "Rider photo processing (test shape)",
        "StartAt": "FaceDetection",
        "States": {
            "FaceDetection": {
                "Type": "Task",
                "Resource": format!("{lambda}:FaceDetectionFunction"),
                "ResultPath": "$.detectedFaceDetails",
                "Next": "CheckFaceDuplicate"
            },
            "CheckFaceDuplicate": {
                "Type": "Task",
                "Resource": format!("{lambda}:CheckFaceDuplicateFunction"),
                "ResultPath": null,
                "Next": "Hold"
            },
            "Hold": {
                "Type": "Wait",
                "SecondsPath": "$.holdSeconds",
                "Next": "ParallelProcessing"
            },
            "ParallelProcessing": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "AddFaceToIndex",
                        "States": {
                            "AddFaceToIndex": {
                                "Type": "Task",
                                "Resource": format!("{lambda}:IndexFaceFunction"),
                                "End": true
                            }
                        }
                    },
                    {
                        "StartAt": "Thumbnail",
                        "States": {
                            "Thumbnail": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::lambda:invoke",
                                "Parameters": {
                                    "FunctionName": format!("{lambda}:ThumbnailFunction"),
                                    "Payload.$": "$"
                                },
                                "End": true
                            }
                        }
                    }
                ],
                "ResultPath": "$.parallelResult",
                "Next": "PersistMetadata"
            },
            "PersistMetadata": {
                "Type": "Task",
                "Resource": format!("{lambda}:PersistMetadataFunction"),
                "End": true
            }
        }
    })
    .to_string()
}

/// An execution input of the pipeline, held `hold_seconds` in the `Hold` state.
pub fn pipeline_input(photo: &str, user: &str, hold_seconds: u64) -> String {
    serde_json::json!({
        "userId": user,
        "s3Bucket": "wildrydes-step-module-resources-riderphotos3bucket",
        "s3Key": photo,
        "holdSeconds": hold_seconds
    })
    .to_string()
}

/// A small PNG generated from `seed` (no third-party photos in the repository): different
/// seeds give different bytes, and so different "faces" on the test server.
pub fn generated_png(seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(8, 8, |x, y| {
        image::Rgb([seed, (x * 32) as u8, (y * 32) as u8 ^ seed])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode png");
    bytes.into_inner()
}

/// A request to moto's own API (`/moto-api/...`), over a plain HTTP/1.1 connection.
/// Returns the status code and body.
pub fn moto_api(endpoint: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let address = endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&address).expect("connect to moto");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).to_string();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size_line, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size_line.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}
