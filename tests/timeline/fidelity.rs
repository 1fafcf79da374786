//! The builder on hand-written histories in the shape AWS records them, quirks included: the
//! first state's `previousEventId` 0, `EvaluationFailed` chained to the predecessor of the
//! failing state's entry, runtime errors told only by `ExecutionFailed`'s cause, a retried
//! Parallel's second `ParallelStateStarted` chained to the first run's last branch event,
//! `…StateExited` chained to a branch's last event, `MapIterationAborted` chained to another
//! iteration's failure, timeouts of tasks, Lambdas and activities, and redrives.

use crate::timeline_support::load_fixture;
use stepdeck::domain::execution::{ExecutionStatus, Outcome};
use stepdeck::domain::history::{EventType, HistoryEvent};
use stepdeck::domain::history_json::{details_key, parse_history};
use stepdeck::domain::timeline::{AttemptStatus, SpanStatus, StateType, Timeline, build};

const T0: f64 = 1_764_064_800.0;
const T0_MS: i64 = 1_764_064_800_000;

/// A history from `(id, previousEventId, seconds after T0, type, details object)`, written as
/// the AWS CLI prints it and read back by the JSON reader.
fn aws(events: &[(i64, i64, f64, &str, &str)]) -> Vec<HistoryEvent> {
    let lines: Vec<String> = events
        .iter()
        .map(|&(id, previous, at, kind, details)| {
            let details = match details {
                "" => String::new(),
                d => format!(r#", "{}": {d}"#, details_key(&EventType::parse(kind))),
            };
            format!(
                r#"{{"timestamp": {:.3}, "type": "{kind}", "id": {id}, "previousEventId": {previous}{details}}}"#,
                T0 + at
            )
        })
        .collect();
    parse_history(&format!(r#"{{"events": [{}]}}"#, lines.join(",\n"))).unwrap()
}

fn statuses(t: &Timeline) -> Vec<(&str, SpanStatus)> {
    t.spans
        .iter()
        .map(|s| (s.name.as_str(), s.status))
        .collect()
}

fn paths(t: &Timeline) -> Vec<Vec<String>> {
    t.spans
        .iter()
        .map(|s| s.path.iter().map(|p| p.label()).collect())
        .collect()
}

const LAMBDA: &str = r#"{"resourceType": "lambda", "resource": "invoke"}"#;

#[test]
fn evaluation_failed_chained_to_the_entrys_predecessor_fails_its_state() {
    // The first state's entry has `previousEventId` 0, and so does the `EvaluationFailed` of
    // its predecessor-less entry; the second state's failure chains to the first's exit.
    let t = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", r#"{"input": "{}"}"#),
        (2, 0, 0.01, "PassStateEntered", r#"{"name": "Prepare"}"#),
        (3, 2, 0.02, "PassStateExited", r#"{"name": "Prepare"}"#),
        (4, 3, 0.03, "TaskStateEntered", r#"{"name": "Compute"}"#),
        (
            5,
            3,
            0.04,
            "EvaluationFailed",
            r#"{"error": "States.QueryEvaluationError", "cause": "The JSONata expression failed",
                "location": "Arguments", "state": "Compute"}"#,
        ),
        (
            6,
            5,
            0.05,
            "ExecutionFailed",
            r#"{"error": "States.QueryEvaluationError", "cause": "The JSONata expression failed"}"#,
        ),
    ]));
    assert_eq!(
        statuses(&t),
        [
            ("Prepare", SpanStatus::Succeeded),
            ("Compute", SpanStatus::Failed)
        ]
    );
    assert_eq!(
        t.spans[1].error.as_deref(),
        Some("States.QueryEvaluationError")
    );
    assert_eq!(t.spans[1].end, Some(T0_MS + 50));

    // The first state itself, and a branch's first state (chained to ParallelStateStarted).
    let first = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "TaskStateEntered", r#"{"name": "Compute"}"#),
        (
            3,
            0,
            0.02,
            "EvaluationFailed",
            r#"{"error": "E", "state": "Compute"}"#,
        ),
        (4, 3, 0.03, "ExecutionFailed", r#"{"error": "E"}"#),
    ]));
    assert_eq!(statuses(&first), [("Compute", SpanStatus::Failed)]);
    let branch = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "ParallelStateEntered", r#"{"name": "Both"}"#),
        (3, 2, 0.02, "ParallelStateStarted", ""),
        (4, 3, 0.03, "TaskStateEntered", r#"{"name": "A"}"#),
        (5, 3, 0.03, "TaskStateEntered", r#"{"name": "B"}"#),
        (
            6,
            3,
            0.04,
            "EvaluationFailed",
            r#"{"error": "E", "state": "B"}"#,
        ),
        (7, 6, 0.05, "ParallelStateFailed", ""),
        (8, 7, 0.06, "ExecutionFailed", r#"{"error": "E"}"#),
    ]));
    assert_eq!(
        statuses(&branch),
        [
            ("Both", SpanStatus::Failed),
            ("A", SpanStatus::Aborted),
            ("B", SpanStatus::Failed)
        ]
    );
    assert_eq!(branch.spans[0].error.as_deref(), Some("E"));
}

#[test]
fn a_runtime_error_named_only_in_the_executions_cause_fails_that_state() {
    let cause = "An error occurred while executing the state 'Resize' (entered at the event id \
                 #11). The JSONPath '$.Payload.size' specified for the field 'ResultSelector' \
                 could not be found in the input";
    let failed = format!(r#"{{"error": "States.Runtime", "cause": "{cause}"}}"#);
    // Resize runs in Map iteration 1; iteration 0's task is aborted, and AWS chains the
    // iterations' aborts to the failure of another iteration.
    let t = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "MapStateEntered", r#"{"name": "Items"}"#),
        (3, 2, 0.02, "MapStateStarted", r#"{"length": 2}"#),
        (
            4,
            3,
            0.03,
            "MapIterationStarted",
            r#"{"name": "Items", "index": 0}"#,
        ),
        (
            5,
            3,
            0.03,
            "MapIterationStarted",
            r#"{"name": "Items", "index": 1}"#,
        ),
        (6, 4, 0.04, "TaskStateEntered", r#"{"name": "Resize"}"#),
        (7, 6, 0.05, "TaskScheduled", LAMBDA),
        (8, 7, 0.06, "TaskStarted", LAMBDA),
        (9, 5, 0.07, "PassStateEntered", r#"{"name": "Prepare"}"#),
        (10, 9, 0.08, "PassStateExited", r#"{"name": "Prepare"}"#),
        (11, 10, 0.09, "TaskStateEntered", r#"{"name": "Resize"}"#),
        (12, 11, 0.10, "TaskScheduled", LAMBDA),
        (13, 12, 0.11, "TaskStarted", LAMBDA),
        (14, 13, 0.20, "TaskSucceeded", LAMBDA),
        (
            15,
            14,
            0.21,
            "MapIterationFailed",
            r#"{"name": "Items", "index": 1}"#,
        ),
        (16, 15, 0.22, "TaskStateAborted", ""),
        (
            17,
            15,
            0.22,
            "MapIterationAborted",
            r#"{"name": "Items", "index": 0}"#,
        ),
        (18, 17, 0.23, "MapStateFailed", ""),
        (19, 18, 0.24, "ExecutionFailed", &failed),
    ]));
    let resize = |i: usize| &t.spans[i];
    assert_eq!(
        statuses(&t),
        [
            ("Items", SpanStatus::Failed),
            ("Resize", SpanStatus::Aborted),
            ("Prepare", SpanStatus::Succeeded),
            ("Resize", SpanStatus::Failed),
        ]
    );
    assert_eq!(resize(3).entered_event_id, 11);
    assert_eq!(resize(3).error.as_deref(), Some("States.Runtime"));
    assert_eq!(paths(&t)[3], ["Items[1]"]);
    assert_eq!(paths(&t)[1], ["Items[0]"]);

    // At the top level: the task succeeded, its output processing failed.
    let cause = "An error occurred while executing the state 'Store' (entered at the event id \
                 #2). Invalid path '$.x'";
    let failed = format!(r#"{{"error": "States.Runtime", "cause": "{cause}"}}"#);
    let top = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "TaskStateEntered", r#"{"name": "Store"}"#),
        (3, 2, 0.02, "TaskScheduled", LAMBDA),
        (4, 3, 0.03, "TaskStarted", LAMBDA),
        (5, 4, 0.04, "TaskSucceeded", LAMBDA),
        (6, 5, 0.05, "ExecutionFailed", &failed),
    ]));
    assert_eq!(statuses(&top), [("Store", SpanStatus::Failed)]);
    assert_eq!(top.spans[0].error.as_deref(), Some("States.Runtime"));
    // A cause naming a state with another entry id blames nobody.
    let wrong_id = failed.replace("#2", "#3");
    let other = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "TaskStateEntered", r#"{"name": "Store"}"#),
        (3, 2, 0.02, "TaskScheduled", LAMBDA),
        (4, 3, 0.05, "ExecutionFailed", &wrong_id),
    ]));
    assert_eq!(statuses(&other), [("Store", SpanStatus::Aborted)]);
}

/// A Parallel `Fan` whose branch A fails and B is aborted, retried: the second
/// `ParallelStateStarted` chains to the first run's last branch event (B's abort).
fn retried_parallel() -> Vec<HistoryEvent> {
    aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "ParallelStateEntered", r#"{"name": "Fan"}"#),
        (3, 2, 0.02, "ParallelStateStarted", ""),
        (4, 3, 0.03, "TaskStateEntered", r#"{"name": "A"}"#),
        (5, 3, 0.03, "TaskStateEntered", r#"{"name": "B"}"#),
        (6, 4, 0.04, "TaskScheduled", LAMBDA),
        (7, 5, 0.04, "TaskScheduled", LAMBDA),
        (8, 6, 0.05, "TaskStarted", LAMBDA),
        (9, 7, 0.05, "TaskStarted", LAMBDA),
        (
            10,
            8,
            0.10,
            "TaskFailed",
            r#"{"resourceType": "lambda", "resource": "invoke", "error": "Flaky"}"#,
        ),
        (11, 10, 0.11, "ParallelStateFailed", ""),
        (12, 9, 0.11, "TaskStateAborted", ""),
        (13, 12, 1.11, "ParallelStateStarted", ""),
        (14, 13, 1.12, "TaskStateEntered", r#"{"name": "A"}"#),
        (15, 13, 1.12, "TaskStateEntered", r#"{"name": "B"}"#),
        (16, 14, 1.13, "TaskScheduled", LAMBDA),
        (17, 15, 1.13, "TaskScheduled", LAMBDA),
        (18, 16, 1.14, "TaskStarted", LAMBDA),
        (19, 17, 1.14, "TaskStarted", LAMBDA),
        (20, 18, 1.20, "TaskSucceeded", LAMBDA),
        (21, 19, 1.25, "TaskSucceeded", LAMBDA),
        (22, 20, 1.21, "TaskStateExited", r#"{"name": "A"}"#),
        (23, 21, 1.26, "TaskStateExited", r#"{"name": "B"}"#),
        (24, 23, 1.27, "ParallelStateSucceeded", ""),
        // Chained to the last branch event, not to ParallelStateSucceeded.
        (
            25,
            23,
            1.28,
            "ParallelStateExited",
            r#"{"name": "Fan", "output": "[]"}"#,
        ),
        (26, 25, 1.29, "ExecutionSucceeded", r#"{"output": "[]"}"#),
    ])
}

#[test]
fn a_retried_parallel_is_attempts_of_one_span_without_bogus_nesting() {
    let t = build(&retried_parallel());
    assert_eq!(
        statuses(&t),
        [
            ("Fan", SpanStatus::Succeeded),
            ("A", SpanStatus::Failed),
            ("B", SpanStatus::Aborted),
            ("A", SpanStatus::Succeeded),
            ("B", SpanStatus::Succeeded),
        ]
    );
    // Every state of both runs sits one level down, in the branch lanes of the first run.
    assert_eq!(
        paths(&t),
        [
            vec![],
            vec!["Fan#0".to_string()],
            vec!["Fan#1".into()],
            vec!["Fan#0".into()],
            vec!["Fan#1".into()]
        ]
    );
    assert_eq!(t.spans[0].children, [1, 3, 2, 4]);
    let fan = &t.spans[0];
    assert_eq!(fan.end, Some(T0_MS + 1_280));
    assert_eq!(fan.attempt_count(), 2);
    let runs: Vec<_> = fan
        .attempts
        .iter()
        .map(|a| (a.scheduled - T0_MS, a.end.map(|e| e - T0_MS), a.status))
        .collect();
    assert_eq!(
        runs,
        [
            (20, Some(110), AttemptStatus::Failed),
            (1_110, Some(1_270), AttemptStatus::Succeeded)
        ]
    );
    assert_eq!(fan.attempts[0].error.as_deref(), Some("Flaky"));
    assert_eq!(t.execution.status, ExecutionStatus::Succeeded);
    assert_eq!(t.outcome(), Some(Outcome::Completed));
}

#[test]
fn a_retried_map_is_attempts_of_one_span() {
    let t = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "MapStateEntered", r#"{"name": "Items"}"#),
        (3, 2, 0.02, "MapStateStarted", r#"{"length": 1}"#),
        (
            4,
            3,
            0.03,
            "MapIterationStarted",
            r#"{"name": "Items", "index": 0}"#,
        ),
        (5, 4, 0.04, "TaskStateEntered", r#"{"name": "Work"}"#),
        (6, 5, 0.05, "TaskScheduled", LAMBDA),
        (7, 6, 0.06, "TaskFailed", r#"{"error": "Flaky"}"#),
        (
            8,
            7,
            0.07,
            "MapIterationFailed",
            r#"{"name": "Items", "index": 0}"#,
        ),
        (9, 8, 0.08, "MapStateFailed", ""),
        // The retry chains to the last iteration event of the first run.
        (10, 8, 2.0, "MapStateStarted", r#"{"length": 1}"#),
        (
            11,
            10,
            2.01,
            "MapIterationStarted",
            r#"{"name": "Items", "index": 0}"#,
        ),
        (12, 11, 2.02, "TaskStateEntered", r#"{"name": "Work"}"#),
        (13, 12, 2.03, "TaskScheduled", LAMBDA),
        (14, 13, 2.04, "TaskSucceeded", LAMBDA),
        (15, 14, 2.05, "TaskStateExited", r#"{"name": "Work"}"#),
        (
            16,
            15,
            2.06,
            "MapIterationSucceeded",
            r#"{"name": "Items", "index": 0}"#,
        ),
        (17, 16, 2.07, "MapStateSucceeded", ""),
        (18, 17, 2.08, "MapStateExited", r#"{"name": "Items"}"#),
        (19, 18, 2.09, "ExecutionSucceeded", ""),
    ]));
    assert_eq!(
        statuses(&t),
        [
            ("Items", SpanStatus::Succeeded),
            ("Work", SpanStatus::Failed),
            ("Work", SpanStatus::Succeeded)
        ]
    );
    assert_eq!(paths(&t)[2], ["Items[0]"]);
    let statuses: Vec<_> = t.spans[0].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [AttemptStatus::Failed, AttemptStatus::Succeeded]);
}

#[test]
fn task_lambda_and_activity_timeouts_that_end_a_state_are_timed_out() {
    let timed_out = |scheduled: &str, started: &str, timeout: &str, details: &str| {
        build(&aws(&[
            (1, 0, 0.0, "ExecutionStarted", ""),
            (2, 0, 0.01, "TaskStateEntered", r#"{"name": "Slow"}"#),
            (
                3,
                2,
                0.02,
                scheduled,
                r#"{"resource": "arn:x", "timeoutInSeconds": 5}"#,
            ),
            (4, 3, 0.03, started, ""),
            (5, 4, 5.03, timeout, details),
            (
                6,
                5,
                5.04,
                "ExecutionFailed",
                r#"{"error": "States.Timeout"}"#,
            ),
        ]))
    };
    for (scheduled, started, timeout) in [
        ("TaskScheduled", "TaskStarted", "TaskTimedOut"),
        (
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionTimedOut",
        ),
        ("ActivityScheduled", "ActivityStarted", "ActivityTimedOut"),
    ] {
        let t = timed_out(
            scheduled,
            started,
            timeout,
            r#"{"error": "States.Timeout"}"#,
        );
        assert_eq!(statuses(&t), [("Slow", SpanStatus::TimedOut)], "{timeout}");
        assert_eq!(t.spans[0].attempts[0].status, AttemptStatus::TimedOut);
        assert_eq!(t.execution.status, ExecutionStatus::Failed);
    }
    let heartbeat = timed_out(
        "ActivityScheduled",
        "ActivityStarted",
        "ActivityTimedOut",
        r#"{"error": "States.HeartbeatTimeout"}"#,
    );
    assert_eq!(heartbeat.spans[0].status, SpanStatus::TimedOut);
    assert_eq!(
        heartbeat.spans[0].error.as_deref(),
        Some("States.HeartbeatTimeout")
    );

    // A timeout that a retry absorbs is no timeout of the state; one a Catch routes is caught.
    let t = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "TaskStateEntered", r#"{"name": "Slow"}"#),
        (3, 2, 0.02, "TaskScheduled", LAMBDA),
        (4, 3, 1.0, "TaskTimedOut", r#"{"error": "States.Timeout"}"#),
        (5, 4, 2.0, "TaskScheduled", LAMBDA),
        (6, 5, 2.5, "TaskSucceeded", LAMBDA),
        (7, 6, 2.6, "TaskStateExited", r#"{"name": "Slow"}"#),
        (8, 7, 2.7, "TaskStateEntered", r#"{"name": "Again"}"#),
        (9, 8, 2.8, "TaskScheduled", LAMBDA),
        (10, 9, 3.8, "TaskTimedOut", r#"{"error": "States.Timeout"}"#),
        (11, 10, 3.9, "TaskStateExited", r#"{"name": "Again"}"#),
        (12, 11, 4.0, "ExecutionSucceeded", ""),
    ]));
    assert_eq!(
        statuses(&t),
        [
            ("Slow", SpanStatus::Succeeded),
            ("Again", SpanStatus::Caught)
        ]
    );

    // A task timing out in a branch: the task is TIMED_OUT, its Parallel FAILED.
    let t = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "ParallelStateEntered", r#"{"name": "Both"}"#),
        (3, 2, 0.02, "ParallelStateStarted", ""),
        (4, 3, 0.03, "TaskStateEntered", r#"{"name": "Slow"}"#),
        (5, 4, 0.04, "TaskScheduled", LAMBDA),
        (6, 5, 5.04, "TaskTimedOut", r#"{"error": "States.Timeout"}"#),
        (7, 6, 5.05, "ParallelStateFailed", ""),
        (
            8,
            7,
            5.06,
            "ExecutionFailed",
            r#"{"error": "States.Timeout"}"#,
        ),
    ]));
    assert_eq!(
        statuses(&t),
        [("Both", SpanStatus::Failed), ("Slow", SpanStatus::TimedOut)]
    );
}

#[test]
fn queue_time_and_run_time_are_told_apart_per_attempt() {
    // No worker polled the activity for 5 s; then it ran 0.5 s. The retry started at once.
    let t = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "TaskStateEntered", r#"{"name": "Review"}"#),
        (
            3,
            2,
            0.1,
            "ActivityScheduled",
            r#"{"resource": "arn:activity"}"#,
        ),
        (4, 3, 5.1, "ActivityStarted", r#"{"workerName": "w1"}"#),
        (5, 4, 5.6, "ActivityFailed", r#"{"error": "Oops"}"#),
        (
            6,
            5,
            6.6,
            "ActivityScheduled",
            r#"{"resource": "arn:activity"}"#,
        ),
        (7, 6, 6.6, "ActivityStarted", r#"{"workerName": "w2"}"#),
        (8, 7, 7.0, "ActivitySucceeded", ""),
        (9, 8, 7.01, "TaskStateExited", r#"{"name": "Review"}"#),
        (10, 9, 7.02, "ExecutionSucceeded", ""),
    ]));
    let attempts = &t.spans[0].attempts;
    let now = T0_MS + 10_000;
    assert_eq!(attempts[0].queue_time(), Some(5_000));
    assert_eq!(attempts[0].run_time(now), Some(500));
    assert_eq!(attempts[1].queue_time(), Some(0));
    assert_eq!(attempts[1].run_time(now), Some(400));
    assert_eq!(t.spans[0].resource_type.as_deref(), Some("activity"));
}

#[test]
fn a_redriven_pipeline_is_two_segments_and_resumes_only_what_failed() {
    let t = build(&load_fixture("redriven.json"));
    let redriven_at = 1_764_065_342_425 + (3 * 3_600 + 17 * 60) * 1_000;
    assert_eq!(t.execution.status, ExecutionStatus::Succeeded);
    assert_eq!(t.execution.redrive_count, 1);
    assert_eq!(t.outcome(), Some(Outcome::Completed));
    let segments = t.segments();
    assert_eq!(segments.len(), 2);
    assert_eq!(
        (segments[0].start, segments[0].end, segments[0].status),
        (
            1_764_065_340_000,
            Some(1_764_065_342_425),
            ExecutionStatus::Failed
        )
    );
    assert_eq!(segments[1].redrive_count, 1);
    assert_eq!(segments[1].start, redriven_at);
    assert_eq!(segments[1].end, Some(redriven_at + 1_380));
    assert_eq!(segments[1].status, ExecutionStatus::Succeeded);

    // No new spans for resumed work: the same seven states, the last one new after the redrive.
    let names: Vec<_> = t
        .spans
        .iter()
        .map(|s| (s.name.as_str(), s.status_trail()))
        .collect();
    assert_eq!(
        names,
        [
            ("Check for userId", "SUCCEEDED".to_string()),
            ("FaceDetection", "SUCCEEDED".into()),
            ("CheckFaceDuplicate", "SUCCEEDED".into()),
            ("ParallelProcessing", "FAILED → redriven → SUCCEEDED".into()),
            ("AddFaceToIndex", "ABORTED → redriven → SUCCEEDED".into()),
            ("Thumbnail", "FAILED → redriven → SUCCEEDED".into()),
            ("PersistMetadata", "SUCCEEDED".into()),
        ]
    );
    let parallel = &t.spans[3];
    assert_eq!(parallel.end, Some(redriven_at + 1_151));
    assert_eq!(parallel.before_redrive[0].at, 1_764_065_342_425);
    // Attempts continue across the divider: the retry count starts again, in segment 1.
    let thumbnail = &t.spans[5];
    let attempts: Vec<_> = thumbnail
        .attempts
        .iter()
        .map(|a| (a.segment, a.status))
        .collect();
    assert_eq!(
        attempts,
        [(0, AttemptStatus::Failed), (1, AttemptStatus::Succeeded)]
    );
    assert_eq!(thumbnail.path[0].label(), "ParallelProcessing#1");
    assert_eq!(
        parallel
            .attempts
            .iter()
            .map(|a| (a.segment, a.status))
            .collect::<Vec<_>>(),
        [(0, AttemptStatus::Failed), (1, AttemptStatus::Succeeded)]
    );
    assert_eq!(t.spans[6].path.len(), 0);
    assert_eq!(t.spans[6].state_type, StateType::Task);
}

#[test]
fn a_task_aborted_with_its_sibling_is_resumed_in_the_same_entry() {
    let t = build(&aws(&[
        (1, 0, 0.0, "ExecutionStarted", ""),
        (2, 0, 0.01, "ParallelStateEntered", r#"{"name": "Both"}"#),
        (3, 2, 0.02, "ParallelStateStarted", ""),
        (4, 3, 0.03, "TaskStateEntered", r#"{"name": "A"}"#),
        (5, 3, 0.03, "TaskStateEntered", r#"{"name": "B"}"#),
        (6, 4, 0.04, "TaskScheduled", LAMBDA),
        (7, 5, 0.04, "TaskScheduled", LAMBDA),
        (8, 6, 0.10, "TaskFailed", r#"{"error": "Boom"}"#),
        (9, 7, 0.11, "TaskStateAborted", ""),
        (10, 8, 0.12, "ParallelStateFailed", ""),
        (11, 10, 0.13, "ExecutionFailed", r#"{"error": "Boom"}"#),
        (12, 11, 600.0, "ExecutionRedriven", r#"{"redriveCount": 1}"#),
        (13, 5, 600.01, "TaskScheduled", LAMBDA),
        (14, 4, 600.01, "TaskScheduled", LAMBDA),
        (15, 13, 600.2, "TaskSucceeded", LAMBDA),
        (16, 15, 600.21, "TaskStateExited", r#"{"name": "B"}"#),
        (17, 14, 600.3, "TaskSucceeded", LAMBDA),
        (18, 17, 600.31, "TaskStateExited", r#"{"name": "A"}"#),
        (19, 18, 600.32, "ParallelStateSucceeded", ""),
        (20, 18, 600.33, "ParallelStateExited", r#"{"name": "Both"}"#),
        (21, 20, 600.34, "ExecutionFailed", r#"{"error": "Later"}"#),
        (22, 21, 900.0, "ExecutionRedriven", r#"{"redriveCount": 2}"#),
        (23, 22, 900.01, "SucceedStateEntered", r#"{"name": "Done"}"#),
        (24, 23, 900.02, "SucceedStateExited", r#"{"name": "Done"}"#),
        (25, 24, 900.03, "ExecutionSucceeded", ""),
    ]));
    assert_eq!(
        t.spans
            .iter()
            .map(|s| (s.name.as_str(), s.status_trail()))
            .collect::<Vec<_>>(),
        [
            ("Both", "FAILED → redriven → SUCCEEDED".to_string()),
            ("A", "FAILED → redriven → SUCCEEDED".into()),
            ("B", "ABORTED → redriven → SUCCEEDED".into()),
            ("Done", "SUCCEEDED".into()),
        ]
    );
    assert_eq!(t.execution.redrive_count, 2);
    let segments = t.segments();
    assert_eq!(
        segments
            .iter()
            .map(|s| (s.redrive_count, s.status))
            .collect::<Vec<_>>(),
        [
            (0, ExecutionStatus::Failed),
            (1, ExecutionStatus::Failed),
            (2, ExecutionStatus::Succeeded)
        ]
    );
    assert_eq!(t.redrives[1].idle_from, T0_MS + 600_340);
    assert_eq!(t.spans[2].attempts.len(), 2);
    assert_eq!(t.spans[2].attempts[1].segment, 1);
}
