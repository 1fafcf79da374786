//! `stepdeck timeline` through its library entry point: the exact JSON format on the
//! hand-written fixtures, the text format's header, and human errors naming the file.

use crate::timeline_support;

use serde_json::{Value, json};
use std::path::PathBuf;
use stepdeck::cli::timeline::{DEFAULT_MAX_HISTORY_MB, Format, TimelineArgs, run};
use timeline_support::fixture_path;

fn run_json(fixture: &str) -> Value {
    let args = TimelineArgs {
        history: PathBuf::from(fixture_path(fixture)),
        format: Format::Json,
        max_history_mb: DEFAULT_MAX_HISTORY_MB,
    };
    serde_json::from_str(&run(&args).unwrap().text).unwrap()
}

fn span(name: &str, kind: &str, status: &str, start: i64, end: Value, path: &[&str]) -> Value {
    json!({"name": name, "type": kind, "status": status, "start_ms": start, "end_ms": end,
           "attempts": 1, "path": path})
}

#[test]
fn happy_path_json_is_exact() {
    let expected = json!({
        "execution": {"status": "SUCCEEDED", "start": "2025-11-25T10:00:00.000Z", "duration_ms": 3660},
        "spans": [
            span("Check for userId", "Choice", "SUCCEEDED", 21, json!(34), &[]),
            span("FaceDetection", "Task", "SUCCEEDED", 51, json!(1262), &[]),
            span("CheckFaceDuplicate", "Task", "SUCCEEDED", 1280, json!(2030), &[]),
            span("ParallelProcessing", "Parallel", "SUCCEEDED", 2048, json!(3430), &[]),
            span("AddFaceToIndex", "Task", "SUCCEEDED", 2060, json!(2720), &["ParallelProcessing#0"]),
            span("Thumbnail", "Task", "SUCCEEDED", 2061, json!(3415), &["ParallelProcessing#1"]),
            span("PersistMetadata", "Task", "SUCCEEDED", 3447, json!(3640), &[]),
        ]
    });
    let actual = run_json("happy_path.json");
    assert_eq!(actual, expected);
    // Key order matters to people diffing the output.
    let keys: Vec<&String> = actual["spans"][0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "name", "type", "status", "start_ms", "end_ms", "attempts", "path"
        ]
    );
}

#[test]
fn nested_map_retry_and_running_json() {
    let nested = run_json("nested_parallel.json");
    assert_eq!(
        nested["spans"][4],
        span(
            "Cooldown",
            "Wait",
            "SUCCEEDED",
            640,
            json!(2640),
            &["ProcessVariants#0", "Publish#0"]
        )
    );
    assert_eq!(nested["execution"]["start"], "2025-11-25T10:03:00.000Z");

    let map = run_json("map_iterations.json");
    let mut retried = span(
        "MakeThumbnail",
        "Task",
        "SUCCEEDED",
        850,
        json!(2913),
        &["ProcessPhotos[2]"],
    );
    retried["attempts"] = json!(2);
    assert_eq!(map["spans"][4], retried);
    assert_eq!(map["spans"][1]["type"], "Map");

    let running = run_json("running.json");
    assert_eq!(
        running["execution"],
        json!({"status": "RUNNING", "start": "2025-11-25T10:05:00.000Z", "duration_ms": null})
    );
    assert_eq!(
        running["spans"][5],
        span(
            "Thumbnail",
            "Task",
            "RUNNING",
            2061,
            Value::Null,
            &["ParallelProcessing#1"]
        )
    );
}

#[test]
fn failure_statuses_in_json() {
    let statuses = |fixture: &str| -> Vec<String> {
        run_json(fixture)["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{}={}",
                    s["name"].as_str().unwrap(),
                    s["status"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        statuses("rejected_sunglasses.json"),
        [
            "Check for userId=SUCCEEDED",
            "FaceDetection=CAUGHT",
            "PhotoDoesNotMeetRequirement=SUCCEEDED"
        ]
    );
    assert_eq!(statuses("timed_out.json")[1], "FaceDetection=TIMED_OUT");
    assert_eq!(statuses("aborted.json")[5], "Thumbnail=ABORTED");
    assert_eq!(statuses("failed.json")[6], "PersistMetadata=FAILED");
    assert_eq!(
        run_json("timed_out.json")["execution"]["status"],
        "TIMED_OUT"
    );
    assert_eq!(run_json("failed.json")["execution"]["duration_ms"], 3611);
}

#[test]
fn text_format_starts_with_the_execution_summary() {
    let args = TimelineArgs {
        history: PathBuf::from(fixture_path("rejected_sunglasses.json")),
        format: Format::Text,
        max_history_mb: DEFAULT_MAX_HISTORY_MB,
    };
    let text = run(&args).unwrap().text;
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "execution SUCCEEDED  started 2025-11-25T10:01:00.000Z  duration 1.3s  outcome: rejected: Face is wearing sunglasses"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("FaceDetection") && l.contains("CAUGHT"))
    );
}

#[test]
fn errors_name_the_file_and_the_problem() {
    let dir = std::env::temp_dir().join(format!("stepdeck-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let args = |path: &PathBuf| TimelineArgs {
        history: path.clone(),
        format: Format::Json,
        max_history_mb: DEFAULT_MAX_HISTORY_MB,
    };

    let missing = dir.join("missing.json");
    let err = run(&args(&missing)).unwrap_err();
    assert!(
        err.contains("missing.json") && err.starts_with("cannot read"),
        "{err}"
    );

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"events":[{"timestamp":"soon","type":"ExecutionStarted","id":1}]}"#,
    )
    .unwrap();
    let err = run(&args(&bad)).unwrap_err();
    assert!(
        err.contains("bad.json") && err.contains("event #0 (id 1)") && err.contains("timestamp"),
        "{err}"
    );

    let empty = dir.join("empty.json");
    std::fs::write(&empty, r#"{"events":[]}"#).unwrap();
    let err = run(&args(&empty)).unwrap_err();
    assert!(
        err.contains("empty.json") && err.contains("no events"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
