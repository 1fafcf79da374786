//! The interpreter on small definitions with a fake executor and a paused clock.

use super::*;
use crate::backend::local::asl::definition::StateMachine;
use serde_json::json;

/// Lambda stand-in driven by its parameters: `FunctionName` picks the behaviour, `ms` the
/// duration (default 100 ms), `failTimes` how many attempts fail first.
struct FakeLambda;

#[async_trait]
impl TaskExecutor for FakeLambda {
    fn supports(&self, resource: &TaskResource) -> bool {
        resource.service == "lambda" && resource.action == "invoke"
    }

    async fn invoke(&self, call: &TaskCall<'_>) -> Result<Value, StateError> {
        let p = call.parameters;
        let ms = p.get("ms").and_then(Value::as_u64).unwrap_or(100);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        let payload = p.get("Payload").cloned().unwrap_or(Value::Null);
        match p["FunctionName"].as_str().unwrap_or("") {
            "echo" => Ok(json!({"Payload": payload, "StatusCode": 200})),
            "flaky" if (call.attempt as u64) < p["failTimes"].as_u64().unwrap_or(0) => {
                Err(StateError::new("Lambda.ServiceException", "transient"))
            }
            "flaky" => Ok(json!({"Payload": {"attempt": call.attempt}})),
            name => Err(StateError::new(
                name.strip_prefix("fail:").unwrap_or("Unknown"),
                r#"{"errorMessage":"it broke"}"#,
            )),
        }
    }
}

const BASE: Millis = 1_700_000_000_000;

fn start(definition: Value, input: Value) -> (Arc<Run>, StateMachine) {
    let executor: Arc<dyn TaskExecutor> = Arc::new(FakeLambda);
    let machine = StateMachine::parse(&definition.to_string(), &|r| executor.supports(r))
        .expect("definition loads");
    (begin(input, executor), machine)
}

/// Execution `e1` of machine `M` begun on `input` at `BASE`, its tasks run by `executor`.
fn begin(input: Value, executor: Arc<dyn TaskExecutor>) -> Arc<Run> {
    let clock = Clock::start(BASE);
    Run::begin(
        RunSpec {
            execution_arn: "arn:aws:states:us-east-1:1:execution:M:e1".into(),
            execution_name: "e1".into(),
            state_machine_arn: "arn:aws:states:us-east-1:1:stateMachine:M".into(),
            state_machine_name: "M".into(),
            role_arn: "arn:aws:iam::1:role/r".into(),
            input,
            seed: 7,
        },
        clock,
        Arc::new(EventLog::new(clock)),
        executor,
    )
}

fn lambda(function: &str, extra: Value) -> Value {
    let mut parameters = json!({"FunctionName": function, "Payload.$": "$"});
    parameters
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": parameters})
}

fn with(mut state: Value, fields: Value) -> Value {
    state
        .as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    state
}

fn types(events: &[HistoryEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event_type.as_str()).collect()
}

fn by_id(events: &[HistoryEvent], id: i64) -> &HistoryEvent {
    &events[(id - 1) as usize]
}

fn assert_ids_consecutive(events: &[HistoryEvent]) {
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event.id, i as i64 + 1);
        assert!(event.previous_event_id < event.id);
    }
}

#[tokio::test(start_paused = true)]
async fn sequential_states_chain_each_event_to_the_previous_one() {
    let (run, machine) = start(
        json!({"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [
                {"Variable": "$.userId", "IsPresent": true, "Next": "Call"}], "Default": "Transform"},
            "Transform": {"Type": "Pass", "Parameters": {"userId.$": "$.detail.user"}, "Next": "Call"},
            "Call": with(lambda("echo", json!({})), json!({"ResultSelector": {"echoed.$": "$.Payload"},
                     "ResultPath": "$.result", "OutputPath": "$.result.echoed", "Next": "Done"})),
            "Done": {"Type": "Succeed"}
        }}),
        json!({"detail": {"user": "u1"}}),
    );
    let end = run.run_to_end(&machine).await;
    assert_eq!(
        end,
        ExecutionEnd::Succeeded {
            output: json!({"userId": "u1"})
        }
    );
    let events = run.log().events_after(0);
    assert_eq!(
        types(&events),
        vec![
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "PassStateEntered",
            "PassStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_ids_consecutive(&events);
    for event in &events {
        assert_eq!(event.previous_event_id, event.id - 1, "{event:?}");
    }
    let scheduled = &events[6];
    assert_eq!(scheduled.details.resource_type.as_deref(), Some("lambda"));
    assert_eq!(scheduled.details.resource.as_deref(), Some("invoke"));
    let parameters: Value =
        serde_json::from_str(scheduled.details.parameters.as_ref().unwrap()).unwrap();
    assert_eq!(
        parameters,
        json!({"FunctionName": "echo", "Payload": {"userId": "u1"}})
    );
    assert_eq!(events[8].timestamp - events[7].timestamp, 100);
}

#[tokio::test(start_paused = true)]
async fn parallel_branches_interleave_and_chain_to_the_parallel_events() {
    let (run, machine) = start(
        json!({"StartAt": "Both", "States": {
            "Both": {"Type": "Parallel", "ResultPath": "$.parallelResult", "End": true, "Branches": [
                {"StartAt": "Slow", "States": {"Slow": with(lambda("echo", json!({"ms": 3000})), json!({"OutputPath": "$.Payload.n", "End": true}))}},
                {"StartAt": "Fast", "States": {"Fast": with(lambda("echo", json!({"ms": 1000})), json!({"End": true, "ResultSelector": {"fast": true}}))}}
            ]}
        }}),
        json!({"n": 5}),
    );
    let end = run.run_to_end(&machine).await;
    assert_eq!(
        end,
        ExecutionEnd::Succeeded {
            output: json!({"n": 5, "parallelResult": [5, {"fast": true}]})
        }
    );
    let events = run.log().events_after(0);
    assert_ids_consecutive(&events);
    let started = events
        .iter()
        .find(|e| e.event_type == EventType::ParallelStateStarted)
        .unwrap();
    let entered: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| e.event_type == EventType::TaskStateEntered)
        .collect();
    assert_eq!(entered.len(), 2);
    for first in &entered {
        assert_eq!(
            first.previous_event_id, started.id,
            "branch start chains to ParallelStateStarted"
        );
    }
    // The fast branch finishes first; the slow one's exit is the last branch event.
    let exits: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| e.event_type == EventType::TaskStateExited)
        .collect();
    assert_eq!(exits[0].details.name.as_deref(), Some("Fast"));
    assert_eq!(exits[1].details.name.as_deref(), Some("Slow"));
    let succeeded = events
        .iter()
        .find(|e| e.event_type == EventType::ParallelStateSucceeded)
        .unwrap();
    assert_eq!(succeeded.previous_event_id, exits[1].id);
    // Each branch's events chain within the branch.
    let slow_exit = exits[1];
    let mut chain = vec![slow_exit.event_type.as_str()];
    let mut at = slow_exit;
    while at.previous_event_id != started.id {
        at = by_id(&events, at.previous_event_id);
        assert_eq!(
            at.details.name.as_deref().unwrap_or("Slow"),
            "Slow",
            "the slow branch chain only holds its own events"
        );
        chain.push(at.event_type.as_str());
    }
    assert_eq!(
        chain,
        vec![
            "TaskStateExited",
            "TaskSucceeded",
            "TaskStarted",
            "TaskScheduled",
            "TaskStateEntered"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn retry_backs_off_and_the_attempt_succeeds() {
    let (run, machine) = start(
        json!({"StartAt": "Call", "States": {
            "Call": with(lambda("flaky", json!({"failTimes": 2, "ms": 500})), json!({"End": true,
                "OutputPath": "$.Payload",
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2}]}))
        }}),
        json!({}),
    );
    let end = run.run_to_end(&machine).await;
    assert_eq!(
        end,
        ExecutionEnd::Succeeded {
            output: json!({"attempt": 2})
        }
    );
    let events = run.log().events_after(0);
    let failed: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| e.event_type == EventType::TaskFailed)
        .collect();
    let scheduled: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| e.event_type == EventType::TaskScheduled)
        .collect();
    assert_eq!((failed.len(), scheduled.len()), (2, 3));
    assert_eq!(scheduled[1].previous_event_id, failed[0].id);
    assert_eq!(scheduled[1].timestamp - failed[0].timestamp, 2_000);
    assert_eq!(scheduled[2].timestamp - failed[1].timestamp, 4_000);
    assert_eq!(
        failed[0].details.error.as_deref(),
        Some("Lambda.ServiceException")
    );
}

#[tokio::test(start_paused = true)]
async fn retries_run_out_and_max_delay_caps_the_backoff() {
    let (run, machine) = start(
        json!({"StartAt": "Call", "States": {
            "Call": with(lambda("flaky", json!({"failTimes": 10, "ms": 0})), json!({"End": true,
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 10, "MaxDelaySeconds": 5}]}))
        }}),
        json!({}),
    );
    let end = run.run_to_end(&machine).await;
    assert_eq!(
        end,
        ExecutionEnd::Failed(StateError::new("Lambda.ServiceException", "transient"))
    );
    let events = run.log().events_after(0);
    let failed: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| e.event_type == EventType::TaskFailed)
        .collect();
    assert_eq!(failed.len(), 3, "one attempt and two retries");
    assert_eq!(failed[1].timestamp - failed[0].timestamp, 3_000);
    assert_eq!(
        failed[2].timestamp - failed[1].timestamp,
        5_000,
        "30 s capped at 5 s"
    );
    let last = events.last().unwrap();
    assert_eq!(last.event_type, EventType::ExecutionFailed);
    assert_eq!(last.previous_event_id, failed[2].id);
}

#[tokio::test(start_paused = true)]
async fn catch_routes_the_error_with_its_result_path() {
    let (run, machine) = start(
        json!({"StartAt": "Detect", "States": {
            "Detect": with(lambda("fail:PhotoDoesNotMeetRequirementError", json!({})), json!({"Next": "Never",
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException"]}],
                "Catch": [{"ErrorEquals": ["Other"], "Next": "Never"},
                          {"ErrorEquals": ["PhotoDoesNotMeetRequirementError"], "ResultPath": "$.errorInfo", "Next": "Notify"}]})),
            "Never": {"Type": "Fail", "Error": "Wrong"},
            "Notify": {"Type": "Pass", "End": true}
        }}),
        json!({"userId": "u"}),
    );
    let end = run.run_to_end(&machine).await;
    let expected = json!({"userId": "u", "errorInfo": {"Error": "PhotoDoesNotMeetRequirementError", "Cause": "{\"errorMessage\":\"it broke\"}"}});
    assert_eq!(end, ExecutionEnd::Succeeded { output: expected });
    let events = run.log().events_after(0);
    assert_eq!(
        types(&events)[4..],
        [
            "TaskFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        run.caught(),
        Some(CaughtError {
            state: "Detect".into(),
            error: "PhotoDoesNotMeetRequirementError".into(),
            cause: "{\"errorMessage\":\"it broke\"}".into()
        })
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_branch_aborts_its_sibling_and_fails_the_execution() {
    let (run, machine) = start(
        json!({"StartAt": "Both", "States": {
            "Both": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Long", "States": {"Long": with(lambda("echo", json!({"ms": 10000})), json!({"End": true}))}},
                {"StartAt": "Boom", "States": {"Boom": with(lambda("fail:Bad", json!({"ms": 500})), json!({"End": true}))}}
            ]}
        }}),
        json!({}),
    );
    let end = run.run_to_end(&machine).await;
    assert!(
        matches!(&end, ExecutionEnd::Failed(e) if e.error == "Bad"),
        "{end:?}"
    );
    let events = run.log().events_after(0);
    let names = types(&events);
    let tail = &names[names.len() - 4..];
    assert_eq!(
        tail,
        [
            "TaskFailed",
            "TaskStateAborted",
            "ParallelStateFailed",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        events.last().unwrap().timestamp - events[0].timestamp,
        500,
        "the sibling did not run on"
    );
}

#[tokio::test(start_paused = true)]
async fn map_iterations_respect_max_concurrency_and_see_their_item() {
    let (run, machine) = start(
        json!({"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.keys", "MaxConcurrency": 2, "ResultPath": "$.out", "End": true,
                "ItemSelector": {"key.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "bucket.$": "$.bucket"},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Work", "States": {
                    "Work": with(lambda("echo", json!({"ms": 1000})), json!({"OutputPath": "$.Payload", "End": true}))}}}
        }}),
        json!({"bucket": "b", "keys": ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"]}),
    );
    let end = run.run_to_end(&machine).await;
    let ExecutionEnd::Succeeded { output } = end else {
        panic!("{end:?}")
    };
    assert_eq!(
        output["out"][3],
        json!({"key": "d.jpg", "index": 3, "bucket": "b"})
    );
    assert_eq!(output["out"].as_array().unwrap().len(), 5);
    let events = run.log().events_after(0);
    assert_ids_consecutive(&events);
    let map_started = events
        .iter()
        .find(|e| e.event_type == EventType::MapStateStarted)
        .unwrap();
    assert_eq!(map_started.details.length, Some(5));
    let started: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| e.event_type == EventType::MapIterationStarted)
        .collect();
    assert_eq!(
        started
            .iter()
            .map(|e| e.details.index.unwrap())
            .collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4]
    );
    assert!(started.iter().all(
        |e| e.previous_event_id == map_started.id && e.details.name.as_deref() == Some("Each")
    ));
    let mut running = 0;
    let mut most = 0;
    for event in &events {
        match event.event_type {
            EventType::MapIterationStarted => running += 1,
            EventType::MapIterationSucceeded => running -= 1,
            _ => {}
        }
        most = most.max(running);
    }
    assert_eq!(most, 2);
    // 5 items of 1 s, two at a time: three waves.
    let succeeded = events
        .iter()
        .find(|e| e.event_type == EventType::MapStateSucceeded)
        .unwrap();
    assert_eq!(succeeded.timestamp - map_started.timestamp, 3_000);
    assert_eq!(
        by_id(&events, succeeded.previous_event_id).event_type,
        EventType::MapIterationSucceeded
    );
}

#[tokio::test(start_paused = true)]
async fn stopping_aborts_the_open_task_and_the_execution() {
    let (run, machine) = start(
        json!({"StartAt": "Call", "States": {"Call": with(lambda("echo", json!({"ms": 5000})), json!({"End": true}))}}),
        json!({}),
    );
    let runner = {
        let run = run.clone();
        tokio::spawn(async move { run.run_to_end(&machine).await })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    run.request_stop(
        Some("Operator".into()),
        Some("stopped from the console".into()),
    );
    assert_eq!(runner.await.unwrap(), ExecutionEnd::Aborted);
    let events = run.log().events_after(0);
    assert_eq!(
        types(&events),
        vec![
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskStateAborted",
            "ExecutionAborted"
        ]
    );
    let aborted = events.last().unwrap();
    assert_eq!(aborted.details.error.as_deref(), Some("Operator"));
    assert_eq!(aborted.previous_event_id, 5);
    assert_eq!(aborted.timestamp, BASE + 1500);
}

#[tokio::test(start_paused = true)]
async fn waits_from_paths_and_task_timeouts() {
    let (run, machine) = start(
        json!({"StartAt": "Pause", "States": {
            "Pause": {"Type": "Wait", "SecondsPath": "$.seconds", "Next": "Until"},
            "Until": {"Type": "Wait", "TimestampPath": "$.until", "Next": "Slow"},
            "Slow": with(lambda("echo", json!({"ms": 9000})), json!({"TimeoutSeconds": 2, "End": true,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": null, "Next": "Done"}]})),
            "Done": {"Type": "Fail", "Error": "Late", "CausePath": "$.why"}
        }}),
        json!({"seconds": 3, "until": "2023-11-14T22:13:30Z", "why": "too slow"}),
    );
    let end = run.run_to_end(&machine).await;
    assert_eq!(
        end,
        ExecutionEnd::Failed(StateError::new("Late", "too slow"))
    );
    let events = run.log().events_after(0);
    let exits: Vec<Millis> = events
        .iter()
        .filter(|e| e.event_type == EventType::WaitStateExited)
        .map(|e| e.timestamp - BASE)
        .collect();
    // BASE is 2023-11-14T22:13:20Z: three seconds, then until :30.
    assert_eq!(exits, vec![3_000, 10_000]);
    let timed_out = events
        .iter()
        .find(|e| e.event_type == EventType::TaskTimedOut)
        .unwrap();
    assert_eq!(timed_out.details.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        types(&events)[events.len() - 2..],
        ["FailStateEntered", "ExecutionFailed"]
    );
}

#[tokio::test(start_paused = true)]
async fn runtime_errors_are_not_caught_by_states_all() {
    let (run, machine) = start(
        json!({"StartAt": "Call", "States": {
            "Call": with(lambda("echo", json!({"x.$": "$.missing"})), json!({"End": true,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]})),
            "Caught": {"Type": "Succeed"}
        }}),
        json!({}),
    );
    let end = run.run_to_end(&machine).await;
    assert!(
        matches!(&end, ExecutionEnd::Failed(e) if e.error == "States.Runtime" && e.cause.contains("$.missing")),
        "{end:?}"
    );
}

/// `FakeLambda`, except that `FunctionName: "mended"` fails until `fixed` is set: a bug fixed
/// between a run and its redrive.
struct Mendable {
    fixed: std::sync::atomic::AtomicBool,
}

#[async_trait]
impl TaskExecutor for Mendable {
    fn supports(&self, resource: &TaskResource) -> bool {
        FakeLambda.supports(resource)
    }

    async fn invoke(&self, call: &TaskCall<'_>) -> Result<Value, StateError> {
        if call.parameters["FunctionName"] == "mended" {
            tokio::time::sleep(Duration::from_millis(100)).await;
            return if self.fixed.load(std::sync::atomic::Ordering::SeqCst) {
                Ok(json!({"Payload": "thumb.png"}))
            } else {
                Err(StateError::new("Lambda.Unknown", "broken"))
            };
        }
        FakeLambda.invoke(call).await
    }
}

/// A redrive of a run whose Parallel failed in one branch, written as AWS writes it: an
/// `ExecutionRedriven` after the failure; no new `*StateEntered` or `ParallelStateStarted`;
/// the branch that succeeded is not run again; the failed task's re-run chains to its
/// original `TaskStateEntered` with its attempts counted from 0; the run then goes on.
#[tokio::test(start_paused = true)]
async fn a_redrive_re_runs_only_the_failed_branch_and_goes_on() {
    let mendable = Arc::new(Mendable {
        fixed: std::sync::atomic::AtomicBool::new(false),
    });
    let executor: Arc<dyn TaskExecutor> = mendable.clone();
    let machine = StateMachine::parse(
        &json!({"StartAt": "Detect", "States": {
            "Detect": with(lambda("echo", json!({})), json!({"ResultPath": null, "Next": "Both"})),
            "Both": {"Type": "Parallel", "ResultPath": "$.both", "Next": "Persist", "Branches": [
                {"StartAt": "AddFace", "States": {"AddFace": with(lambda("echo", json!({})), json!({"End": true}))}},
                {"StartAt": "Thumbnail", "States": {"Thumbnail": with(lambda("mended", json!({})), json!({
                    "Retry": [{"ErrorEquals": ["Lambda.Unknown"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                    "End": true}))}}
            ]},
            "Persist": {"Type": "Pass", "End": true}
        }})
        .to_string(),
        &|r| executor.supports(r),
    )
    .expect("definition loads");
    let first = begin(json!({"userId": "u1"}), executor);
    assert!(matches!(
        first.run_to_end(&machine).await,
        ExecutionEnd::Failed(_)
    ));
    assert!(first.can_resume());
    let failed_at = first.log().len() as i64;
    let before = first.log().events_after(0);
    let entered = |name: &str| {
        before
            .iter()
            .find(|e| {
                e.details.name.as_deref() == Some(name)
                    && e.event_type.as_str().ends_with("Entered")
            })
            .unwrap()
            .id
    };
    let thumbnail_entered = entered("Thumbnail");

    mendable
        .fixed
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let redrive = Run::redriven(&first);
    let (end, last) = redrive.execute_redrive(&machine, failed_at, 1).await;
    redrive.finish(&end, last);
    let ExecutionEnd::Succeeded { output } = end else {
        panic!("the redrive succeeds: {end:?}");
    };
    assert_eq!(output["both"][1]["Payload"], "thumb.png");
    assert_eq!(
        output["both"][0]["Payload"],
        json!({"userId": "u1"}),
        "kept from the first run"
    );

    let events = redrive.log().events_after(failed_at);
    assert_ids_consecutive(&redrive.log().events_after(0));
    assert_eq!(
        types(&events),
        vec![
            "ExecutionRedriven",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
        ]
    );
    assert_eq!(events[0].previous_event_id, failed_at);
    assert_eq!(events[0].details.redrive_count, Some(1));
    assert_eq!(
        events[1].previous_event_id, thumbnail_entered,
        "the re-run chains to the original TaskStateEntered"
    );
    assert_eq!(events[4].details.name.as_deref(), Some("Thumbnail"));
    assert_eq!(events[6].details.name.as_deref(), Some("Both"));

    // The timeline: one execution in two segments, Thumbnail one span whose attempts go on
    // across the redrive (two failed, then the one that succeeded).
    let timeline = crate::domain::timeline::build(&redrive.log().events_after(0));
    assert_eq!(
        timeline.execution.status,
        crate::domain::execution::ExecutionStatus::Succeeded
    );
    assert_eq!(timeline.segments().len(), 2);
    let thumbnail: Vec<_> = timeline
        .spans
        .iter()
        .filter(|s| s.name == "Thumbnail")
        .collect();
    assert_eq!(thumbnail.len(), 1);
    assert_eq!(thumbnail[0].attempt_count(), 3);
    assert_eq!(
        timeline
            .spans
            .iter()
            .filter(|s| s.name == "AddFace")
            .count(),
        1,
        "the branch that succeeded ran once"
    );
}

/// A redrive of a Map re-runs the iterations that failed, passes over the ones that
/// succeeded, and writes no `MapIterationStarted` again for an iteration it continues.
#[tokio::test(start_paused = true)]
async fn a_redrive_of_a_map_continues_only_its_failed_iterations() {
    let mendable = Arc::new(Mendable {
        fixed: std::sync::atomic::AtomicBool::new(false),
    });
    let executor: Arc<dyn TaskExecutor> = mendable.clone();
    let machine = StateMachine::parse(
        &json!({"StartAt": "Items", "States": {
            "Items": {"Type": "Map", "ItemsPath": "$.items", "End": true, "Iterator": {
                "StartAt": "Pick", "States": {
                    "Pick": {"Type": "Choice", "Choices": [
                        {"Variable": "$", "NumericEquals": 2, "Next": "Broken"}], "Default": "Fine"},
                    "Fine": {"Type": "Pass", "End": true},
                    "Broken": with(lambda("mended", json!({})), json!({"End": true}))
                }}}
        }})
        .to_string(),
        &|r| executor.supports(r),
    )
    .expect("definition loads");
    let first = begin(json!({"items": [0, 1, 2, 3]}), executor);
    assert!(matches!(
        first.run_to_end(&machine).await,
        ExecutionEnd::Failed(_)
    ));
    let failed_at = first.log().len() as i64;
    mendable
        .fixed
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let redrive = Run::redriven(&first);
    let (end, last) = redrive.execute_redrive(&machine, failed_at, 1).await;
    redrive.finish(&end, last);
    let ExecutionEnd::Succeeded { output } = end else {
        panic!("the redrive succeeds: {end:?}");
    };
    assert_eq!(output[2]["Payload"], "thumb.png");
    assert_eq!(output[1], json!(1));
    let events = redrive.log().events_after(failed_at);
    let started: Vec<u32> = events
        .iter()
        .filter(|e| e.event_type.as_str() == "MapIterationStarted")
        .filter_map(|e| e.details.index)
        .collect();
    let succeeded: Vec<u32> = events
        .iter()
        .filter(|e| e.event_type.as_str() == "MapIterationSucceeded")
        .filter_map(|e| e.details.index)
        .collect();
    // Iteration 2 failed and is continued; those aborted when it failed are continued too;
    // none that succeeded runs again.
    assert!(!started.contains(&2), "{started:?}");
    assert!(succeeded.contains(&2), "{succeeded:?}");
    assert!(
        !events
            .iter()
            .any(|e| e.event_type.as_str() == "MapStateStarted"
                || e.event_type.as_str() == "MapStateEntered"),
        "{:?}",
        types(&events)
    );
    assert_eq!(types(&events).last(), Some(&"ExecutionSucceeded"));
}
