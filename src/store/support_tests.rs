//! What the store's tests share: a temporary folder removed after, and sample executions and
//! histories shaped like the rider-photo pipeline's.

use crate::domain::Millis;
use crate::domain::execution::{ExecutionDetail, ExecutionStatus, ExecutionSummary, Outcome};
use crate::domain::history::{EventDetails, EventType, HistoryEvent};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub const T0: Millis = 1_764_064_800_000;
pub const MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:RiderPhotoProcessing";
pub const LIMIT: u64 = 64 * 1024 * 1024;

/// A folder of its own under the system's temporary folder, removed (permissions restored
/// first) when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(what: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "stepdeck-store-{what}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn store_path(&self) -> PathBuf {
        self.0.join("store.sqlite3")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn execution_arn(machine: &str, name: &str) -> String {
    crate::domain::execution::execution_arn_of(machine, name).unwrap()
}

/// A finished execution of `machine` started at `start`, with an input, an output and the
/// outcome its status gives.
pub fn finished(
    machine: &str,
    name: &str,
    status: ExecutionStatus,
    start: Millis,
) -> ExecutionDetail {
    let input = format!(r#"{{"userId":"user_{name}","s3Bucket":"photos","s3Key":"{name}.jpg"}}"#);
    let (output, error, cause, outcome) = match status {
        ExecutionStatus::Succeeded => (
            Some(format!(
                r#"{{"thumbnail":"resized-{name}.jpg","faceId":"f-{name}"}}"#
            )),
            None,
            None,
            Some(Outcome::Rejected {
                state: "FaceDetection".into(),
                error: "PhotoDoesNotMeetRequirementError".into(),
                message: "Face is wearing sunglasses — «é»".into(),
            }),
        ),
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => (None, None, None, None),
        _ => (
            None,
            Some("States.TaskFailed".to_string()),
            Some(r#"{"errorMessage":"boom \"quoted\""}"#.to_string()),
            Some(Outcome::Error {
                error: "States.TaskFailed".into(),
                cause: r#"{"errorMessage":"boom \"quoted\""}"#.into(),
            }),
        ),
    };
    ExecutionDetail {
        summary: ExecutionSummary {
            arn: execution_arn(machine, name),
            name: name.to_string(),
            state_machine_arn: machine.to_string(),
            status,
            start,
            stop: status.is_terminal().then_some(start + 4_321),
            input_label: Some(format!("{name}.jpg (user_{name})")),
            outcome,
        },
        input: Some(input),
        output,
        error,
        cause,
        redrive_count: 0,
    }
}

/// A finished Map run of `iterations` iterations (7 events each, every fifth one retried),
/// with inputs, outputs, parameters and an error with a JSON cause.
pub fn history(iterations: u32) -> Vec<HistoryEvent> {
    let mut events: Vec<HistoryEvent> = Vec::new();
    let mut emit = |previous: i64, event_type: EventType, details: EventDetails| {
        let id = events.len() as i64 + 1;
        events.push(HistoryEvent {
            id,
            previous_event_id: previous,
            timestamp: T0 + id * 37,
            event_type,
            details,
        });
        id
    };
    let named = |name: &str| EventDetails {
        name: Some(name.into()),
        ..EventDetails::default()
    };
    let started = emit(
        0,
        EventType::ExecutionStarted,
        EventDetails {
            input: Some(r#"{"items":[1,2,3]}"#.into()),
            role_arn: Some("arn:aws:iam::123456789012:role/StepFunctionsRole".into()),
            ..EventDetails::default()
        },
    );
    let entered = emit(started, EventType::MapStateEntered, named("ProcessItems"));
    let mut last = emit(
        entered,
        EventType::MapStateStarted,
        EventDetails {
            length: Some(iterations),
            ..EventDetails::default()
        },
    );
    for i in 0..iterations {
        let iteration = EventDetails {
            name: Some("ProcessItems".into()),
            index: Some(i),
            ..EventDetails::default()
        };
        let it = emit(last, EventType::MapIterationStarted, iteration.clone());
        let task = emit(it, EventType::TaskStateEntered, named("Resize"));
        let scheduled = EventDetails {
            resource_type: Some("lambda".into()),
            resource: Some("invoke".into()),
            parameters: Some(format!(
                r#"{{"FunctionName":"resize","Payload":{{"i":{i}}}}}"#
            )),
            ..EventDetails::default()
        };
        let mut at = emit(task, EventType::TaskScheduled, scheduled.clone());
        if i % 5 == 0 {
            at = emit(at, EventType::TaskStarted, EventDetails::default());
            at = emit(
                at,
                EventType::TaskFailed,
                EventDetails {
                    error: Some("Lambda.TooManyRequestsException".into()),
                    cause: Some(r#"{"errorMessage":"Rate exceeded ✗"}"#.into()),
                    ..EventDetails::default()
                },
            );
            at = emit(at, EventType::TaskScheduled, scheduled);
        }
        at = emit(at, EventType::TaskStarted, EventDetails::default());
        at = emit(
            at,
            EventType::TaskSucceeded,
            EventDetails {
                output: Some(format!(r#"{{"resized":"item-{i}.jpg"}}"#)),
                ..EventDetails::default()
            },
        );
        at = emit(at, EventType::TaskStateExited, named("Resize"));
        last = emit(at, EventType::MapIterationSucceeded, iteration);
    }
    let done = emit(last, EventType::MapStateSucceeded, EventDetails::default());
    let exited = emit(done, EventType::MapStateExited, named("ProcessItems"));
    emit(
        exited,
        EventType::ExecutionSucceeded,
        EventDetails {
            output: Some(r#"{"done":true}"#.into()),
            ..EventDetails::default()
        },
    );
    events
}
