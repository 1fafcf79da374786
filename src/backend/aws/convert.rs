//! SDK types -> domain types. The only place that knows both shapes: everything above the
//! adapter sees the same domain types the local sandbox produces.

use crate::domain::Millis;
use crate::domain::execution::{
    ExecutionDefinition, ExecutionDetail, ExecutionStatus, ExecutionSummary, StateMachineKind,
    StateMachineSummary, input_label,
};
use crate::domain::faces::{BoundingBox, Face};
use crate::domain::history::{EventDetails, EventType, HistoryEvent};
use crate::domain::objects::{BucketInfo, ObjectInfo, unquote_etag};
use aws_sdk_sfn::primitives::DateTime;
use aws_sdk_sfn::types as sfn;

pub fn millis(time: &DateTime) -> Millis {
    // Out of i64 range only for dates ~292 million years away.
    time.to_millis().unwrap_or(Millis::MAX)
}

pub fn execution_status(status: &sfn::ExecutionStatus) -> ExecutionStatus {
    ExecutionStatus::parse(status.as_str()).unwrap_or_else(|| {
        // A status added to the API after this build: it is not terminal as far as we know,
        // so keep polling it rather than hide it.
        tracing::warn!(status = status.as_str(), "unknown execution status");
        ExecutionStatus::Running
    })
}

pub fn sfn_status(status: ExecutionStatus) -> sfn::ExecutionStatus {
    sfn::ExecutionStatus::from(status.as_str())
}

pub fn state_machine(item: &sfn::StateMachineListItem) -> StateMachineSummary {
    StateMachineSummary {
        arn: item.state_machine_arn().to_string(),
        name: item.name().to_string(),
        kind: match item.r#type() {
            sfn::StateMachineType::Express => StateMachineKind::Express,
            _ => StateMachineKind::Standard,
        },
        created: millis(item.creation_date()),
    }
}

pub fn execution_summary(item: &sfn::ExecutionListItem) -> ExecutionSummary {
    ExecutionSummary {
        arn: item.execution_arn().to_string(),
        name: item.name().to_string(),
        state_machine_arn: item.state_machine_arn().to_string(),
        status: execution_status(item.status()),
        start: millis(item.start_date()),
        stop: item.stop_date().map(millis),
        // ListExecutions returns neither input nor outcome; the views fill them lazily.
        input_label: None,
        outcome: None,
    }
}

pub fn execution_detail(
    output: &aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput,
) -> ExecutionDetail {
    ExecutionDetail {
        summary: ExecutionSummary {
            arn: output.execution_arn().to_string(),
            name: output.name().unwrap_or_default().to_string(),
            state_machine_arn: output.state_machine_arn().to_string(),
            status: execution_status(output.status()),
            start: millis(output.start_date()),
            stop: output.stop_date().map(millis),
            input_label: output.input().and_then(input_label),
            outcome: None,
        },
        input: output.input().map(str::to_string),
        output: output.output().map(str::to_string),
        error: output.error().map(str::to_string),
        cause: output.cause().map(str::to_string),
        redrive_count: output.redrive_count().unwrap_or(0).max(0) as u32,
    }
}

pub fn execution_definition(
    output: &aws_sdk_sfn::operation::describe_state_machine_for_execution::DescribeStateMachineForExecutionOutput,
) -> ExecutionDefinition {
    ExecutionDefinition {
        state_machine_arn: output.state_machine_arn().to_string(),
        name: output.name().to_string(),
        definition: output.definition().to_string(),
        revision_id: owned(output.revision_id()),
        updated: Some(millis(output.update_date())),
    }
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_string)
}

fn required(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

fn truncated(details: Option<&sfn::HistoryEventExecutionDataDetails>) -> bool {
    details.is_some_and(|d| d.truncated())
}

fn count(value: Option<i32>) -> Option<u32> {
    value.and_then(|n| u32::try_from(n).ok())
}

/// Flattens whichever `…EventDetails` the event carries into the domain's one details struct,
/// keeping every field the JSON reader (`domain::history_json`) keeps: a test below checks the
/// two give equal events for the same history.
pub fn history_event(event: &sfn::HistoryEvent) -> HistoryEvent {
    let mut d = EventDetails::default();
    if let Some(x) = event.state_entered_event_details() {
        d.name = required(x.name());
        d.input = owned(x.input());
        d.input_truncated = truncated(x.input_details());
    }
    if let Some(x) = event.state_exited_event_details() {
        d.name = required(x.name());
        d.output = owned(x.output());
        d.output_truncated = truncated(x.output_details());
        if let Some(variables) = x.assigned_variables() {
            d.assigned_variables = variables
                .iter()
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
        }
        d.assigned_variables_truncated = x
            .assigned_variables_details()
            .is_some_and(|v| v.truncated());
    }
    if let Some(x) = event.execution_started_event_details() {
        d.input = owned(x.input());
        d.input_truncated = truncated(x.input_details());
        d.role_arn = owned(x.role_arn());
        d.state_machine_alias_arn = owned(x.state_machine_alias_arn());
        d.state_machine_version_arn = owned(x.state_machine_version_arn());
    }
    if let Some(x) = event.execution_succeeded_event_details() {
        d.output = owned(x.output());
        d.output_truncated = truncated(x.output_details());
    }
    if let Some(x) = event.execution_redriven_event_details() {
        d.redrive_count = count(x.redrive_count());
    }
    if let Some(x) = event.execution_failed_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.execution_aborted_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.execution_timed_out_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.task_scheduled_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
        d.region = required(x.region());
        d.parameters = required(x.parameters());
        d.timeout_in_seconds = x.timeout_in_seconds();
        d.heartbeat_in_seconds = x.heartbeat_in_seconds();
        d.role_arn = x.task_credentials().and_then(|c| owned(c.role_arn()));
    }
    if let Some(x) = event.task_started_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
    }
    if let Some(x) = event.task_submitted_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
        d.output = owned(x.output());
        d.output_truncated = truncated(x.output_details());
    }
    if let Some(x) = event.task_succeeded_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
        d.output = owned(x.output());
        d.output_truncated = truncated(x.output_details());
    }
    if let Some(x) = event.task_failed_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.task_start_failed_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.task_submit_failed_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.task_timed_out_event_details() {
        d.resource_type = required(x.resource_type());
        d.resource = required(x.resource());
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.activity_scheduled_event_details() {
        d.resource = required(x.resource());
        d.input = owned(x.input());
        d.input_truncated = truncated(x.input_details());
        d.timeout_in_seconds = x.timeout_in_seconds();
        d.heartbeat_in_seconds = x.heartbeat_in_seconds();
    }
    if let Some(x) = event.activity_started_event_details() {
        d.worker_name = owned(x.worker_name());
    }
    if let Some(x) = event.activity_succeeded_event_details() {
        d.output = owned(x.output());
        d.output_truncated = truncated(x.output_details());
    }
    if let Some(x) = event.activity_failed_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.activity_schedule_failed_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.activity_timed_out_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.lambda_function_scheduled_event_details() {
        d.resource = required(x.resource());
        d.input = owned(x.input());
        d.input_truncated = truncated(x.input_details());
        d.timeout_in_seconds = x.timeout_in_seconds();
        d.role_arn = x.task_credentials().and_then(|c| owned(c.role_arn()));
    }
    if let Some(x) = event.lambda_function_succeeded_event_details() {
        d.output = owned(x.output());
        d.output_truncated = truncated(x.output_details());
    }
    if let Some(x) = event.lambda_function_failed_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.lambda_function_schedule_failed_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.lambda_function_start_failed_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.lambda_function_timed_out_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.map_state_started_event_details() {
        d.length = u32::try_from(x.length()).ok();
    }
    for x in [
        event.map_iteration_started_event_details(),
        event.map_iteration_succeeded_event_details(),
        event.map_iteration_failed_event_details(),
        event.map_iteration_aborted_event_details(),
    ]
    .into_iter()
    .flatten()
    {
        d.name = owned(x.name());
        d.index = u32::try_from(x.index()).ok();
    }
    if let Some(x) = event.map_run_started_event_details() {
        d.map_run_arn = owned(x.map_run_arn());
    }
    if let Some(x) = event.map_run_redriven_event_details() {
        d.map_run_arn = owned(x.map_run_arn());
        d.redrive_count = count(x.redrive_count());
    }
    if let Some(x) = event.map_run_failed_event_details() {
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    if let Some(x) = event.evaluation_failed_event_details() {
        d.name = required(x.state());
        d.location = owned(x.location());
        (d.error, d.cause) = (owned(x.error()), owned(x.cause()));
    }
    HistoryEvent {
        id: event.id(),
        previous_event_id: event.previous_event_id(),
        timestamp: millis(event.timestamp()),
        event_type: EventType::parse(event.r#type().as_str()),
        details: d,
    }
}

pub fn face(face: &aws_sdk_rekognition::types::Face) -> Face {
    Face {
        face_id: face.face_id().unwrap_or_default().to_string(),
        external_image_id: owned(face.external_image_id()),
        image_id: owned(face.image_id()),
        confidence: face.confidence(),
        bounding_box: face.bounding_box().map(|b| BoundingBox {
            width: b.width().unwrap_or(0.0),
            height: b.height().unwrap_or(0.0),
            left: b.left().unwrap_or(0.0),
            top: b.top().unwrap_or(0.0),
        }),
        // Rekognition does not say when a face was indexed.
        indexed_at: None,
    }
}

pub fn object(object: &aws_sdk_s3::types::Object) -> ObjectInfo {
    ObjectInfo {
        key: object.key().unwrap_or_default().to_string(),
        size: object.size().unwrap_or(0).max(0) as u64,
        last_modified: object.last_modified().map(millis),
        content_type: None,
        etag: object.e_tag().map(unquote_etag),
    }
}

pub fn bucket(bucket: &aws_sdk_s3::types::Bucket) -> BucketInfo {
    BucketInfo {
        name: bucket.name().unwrap_or_default().to_string(),
        created: bucket.creation_date().map(millis),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_events_keep_ids_chains_and_flattened_details() {
        let event = sfn::HistoryEvent::builder()
            .id(12)
            .previous_event_id(10)
            .timestamp(DateTime::from_millis(1_764_064_800_123))
            .r#type(sfn::HistoryEventType::TaskStateEntered)
            .state_entered_event_details(
                sfn::StateEnteredEventDetails::builder()
                    .name("Thumbnail")
                    .input(r#"{"s3Key":"1_happy_face.jpg"}"#)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let converted = history_event(&event);
        assert_eq!(converted.id, 12);
        assert_eq!(converted.previous_event_id, 10);
        assert_eq!(converted.timestamp, 1_764_064_800_123);
        assert_eq!(converted.event_type, EventType::TaskStateEntered);
        assert_eq!(converted.details.name.as_deref(), Some("Thumbnail"));
        assert!(
            converted
                .details
                .input
                .as_deref()
                .unwrap()
                .contains("1_happy_face")
        );

        let failed = sfn::HistoryEvent::builder()
            .id(5)
            .previous_event_id(4)
            .timestamp(DateTime::from_millis(0))
            .r#type(sfn::HistoryEventType::TaskFailed)
            .task_failed_event_details(
                sfn::TaskFailedEventDetails::builder()
                    .resource_type("lambda")
                    .resource("invoke")
                    .error("PhotoDoesNotMeetRequirementError")
                    .cause(r#"{"errorMessage":"Face is wearing sunglasses"}"#)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let converted = history_event(&failed);
        assert_eq!(converted.details.resource_type.as_deref(), Some("lambda"));
        assert_eq!(
            converted.details.error.as_deref(),
            Some("PhotoDoesNotMeetRequirementError")
        );
    }

    /// The SDK path and the JSON path (`stepdeck timeline --history`, the sandbox's history
    /// written by `w`) are two readers of one shape: for the same history they must give equal
    /// events, every field included.
    #[test]
    fn the_sdk_and_the_json_reader_keep_the_same_fields() {
        use crate::domain::history_json::parse_history;
        let at = |id: i64| DateTime::from_millis(1_764_064_800_000 + id * 100);
        let base = |id: i64, t: sfn::HistoryEventType| {
            sfn::HistoryEvent::builder()
                .id(id)
                .previous_event_id(id - 1)
                .timestamp(at(id))
                .r#type(t)
        };
        let data = |truncated: bool| {
            sfn::HistoryEventExecutionDataDetails::builder()
                .truncated(truncated)
                .build()
        };
        let role = |arn: &str| sfn::TaskCredentials::builder().role_arn(arn).build();
        let sdk = vec![
            base(1, sfn::HistoryEventType::ExecutionStarted)
                .execution_started_event_details(
                    sfn::ExecutionStartedEventDetails::builder()
                        .input("{}")
                        .input_details(data(true))
                        .role_arn("arn:role/Sfn")
                        .state_machine_alias_arn("arn:sm:p:prod")
                        .state_machine_version_arn("arn:sm:p:7")
                        .build(),
                )
                .build(),
            base(2, sfn::HistoryEventType::TaskScheduled)
                .task_scheduled_event_details(
                    sfn::TaskScheduledEventDetails::builder()
                        .resource_type("lambda")
                        .resource("invoke")
                        .region("eu-west-1")
                        .parameters(r#"{"FunctionName":"f"}"#)
                        .timeout_in_seconds(30)
                        .heartbeat_in_seconds(10)
                        .task_credentials(role("arn:role/Task"))
                        .build()
                        .unwrap(),
                )
                .build(),
            base(3, sfn::HistoryEventType::ActivityStarted)
                .activity_started_event_details(
                    sfn::ActivityStartedEventDetails::builder()
                        .worker_name("worker-7")
                        .build(),
                )
                .build(),
            base(4, sfn::HistoryEventType::PassStateExited)
                .state_exited_event_details(
                    sfn::StateExitedEventDetails::builder()
                        .name("Remember")
                        .output("{}")
                        .output_details(data(false))
                        .assigned_variables("total", "42")
                        .assigned_variables("who", r#""ann""#)
                        .assigned_variables_details(
                            sfn::AssignedVariablesDetails::builder()
                                .truncated(true)
                                .build(),
                        )
                        .build()
                        .unwrap(),
                )
                .build(),
            base(5, sfn::HistoryEventType::EvaluationFailed)
                .evaluation_failed_event_details(
                    sfn::EvaluationFailedEventDetails::builder()
                        .error("States.QueryEvaluationError")
                        .cause("bad")
                        .location("Arguments")
                        .state("Compute")
                        .build()
                        .unwrap(),
                )
                .build(),
            base(6, sfn::HistoryEventType::MapRunStarted)
                .map_run_started_event_details(
                    sfn::MapRunStartedEventDetails::builder()
                        .map_run_arn("arn:mapRun:r")
                        .build(),
                )
                .build(),
            base(7, sfn::HistoryEventType::ExecutionRedriven)
                .execution_redriven_event_details(
                    sfn::ExecutionRedrivenEventDetails::builder()
                        .redrive_count(2)
                        .build(),
                )
                .build(),
            base(8, sfn::HistoryEventType::MapRunRedriven)
                .map_run_redriven_event_details(
                    sfn::MapRunRedrivenEventDetails::builder()
                        .map_run_arn("arn:mapRun:r")
                        .redrive_count(1)
                        .build(),
                )
                .build(),
            base(9, sfn::HistoryEventType::LambdaFunctionScheduled)
                .lambda_function_scheduled_event_details(
                    sfn::LambdaFunctionScheduledEventDetails::builder()
                        .resource("arn:lambda:f")
                        .input("{}")
                        .input_details(data(false))
                        .timeout_in_seconds(5)
                        .task_credentials(role("arn:role/L"))
                        .build()
                        .unwrap(),
                )
                .build(),
            base(10, sfn::HistoryEventType::ActivityScheduled)
                .activity_scheduled_event_details(
                    sfn::ActivityScheduledEventDetails::builder()
                        .resource("arn:activity:a")
                        .input("{}")
                        .timeout_in_seconds(60)
                        .heartbeat_in_seconds(20)
                        .build()
                        .unwrap(),
                )
                .build(),
        ];
        let from_sdk: Vec<HistoryEvent> = sdk
            .into_iter()
            .map(|event| history_event(&event.unwrap()))
            .collect();
        let json = r#"{"events": [
            {"timestamp": 1764064800.1, "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
             "executionStartedEventDetails": {"input": "{}", "inputDetails": {"truncated": true},
                "roleArn": "arn:role/Sfn", "stateMachineAliasArn": "arn:sm:p:prod",
                "stateMachineVersionArn": "arn:sm:p:7"}},
            {"timestamp": 1764064800.2, "type": "TaskScheduled", "id": 2, "previousEventId": 1,
             "taskScheduledEventDetails": {"resourceType": "lambda", "resource": "invoke",
                "region": "eu-west-1", "parameters": "{\"FunctionName\":\"f\"}",
                "timeoutInSeconds": 30, "heartbeatInSeconds": 10,
                "taskCredentials": {"roleArn": "arn:role/Task"}}},
            {"timestamp": 1764064800.3, "type": "ActivityStarted", "id": 3, "previousEventId": 2,
             "activityStartedEventDetails": {"workerName": "worker-7"}},
            {"timestamp": 1764064800.4, "type": "PassStateExited", "id": 4, "previousEventId": 3,
             "stateExitedEventDetails": {"name": "Remember", "output": "{}",
                "outputDetails": {"truncated": false},
                "assignedVariables": {"who": "\"ann\"", "total": "42"},
                "assignedVariablesDetails": {"truncated": true}}},
            {"timestamp": 1764064800.5, "type": "EvaluationFailed", "id": 5, "previousEventId": 4,
             "evaluationFailedEventDetails": {"error": "States.QueryEvaluationError",
                "cause": "bad", "location": "Arguments", "state": "Compute"}},
            {"timestamp": 1764064800.6, "type": "MapRunStarted", "id": 6, "previousEventId": 5,
             "mapRunStartedEventDetails": {"mapRunArn": "arn:mapRun:r"}},
            {"timestamp": 1764064800.7, "type": "ExecutionRedriven", "id": 7, "previousEventId": 6,
             "executionRedrivenEventDetails": {"redriveCount": 2}},
            {"timestamp": 1764064800.8, "type": "MapRunRedriven", "id": 8, "previousEventId": 7,
             "mapRunRedrivenEventDetails": {"mapRunArn": "arn:mapRun:r", "redriveCount": 1}},
            {"timestamp": 1764064800.9, "type": "LambdaFunctionScheduled", "id": 9,
             "previousEventId": 8,
             "lambdaFunctionScheduledEventDetails": {"resource": "arn:lambda:f", "input": "{}",
                "inputDetails": {"truncated": false}, "timeoutInSeconds": 5,
                "taskCredentials": {"roleArn": "arn:role/L"}}},
            {"timestamp": 1764064801.0, "type": "ActivityScheduled", "id": 10,
             "previousEventId": 9,
             "activityScheduledEventDetails": {"resource": "arn:activity:a", "input": "{}",
                "timeoutInSeconds": 60, "heartbeatInSeconds": 20}}
        ]}"#;
        let from_json = parse_history(json).unwrap();
        for (sdk, json) in from_sdk.iter().zip(&from_json) {
            assert_eq!(sdk, json, "event {}", sdk.id);
        }
        assert_eq!(from_sdk.len(), from_json.len());
        // And the fields are really there (equal could mean equally empty).
        assert_eq!(from_sdk[1].details.region.as_deref(), Some("eu-west-1"));
        assert_eq!(from_sdk[3].details.assigned_variables.len(), 2);
        assert_eq!(from_sdk[4].details.name.as_deref(), Some("Compute"));
        assert_eq!(
            from_sdk[5].details.map_run_arn.as_deref(),
            Some("arn:mapRun:r")
        );
        assert_eq!(from_sdk[6].details.redrive_count, Some(2));
    }

    #[test]
    fn map_iterations_carry_name_and_index() {
        let event = sfn::HistoryEvent::builder()
            .id(7)
            .previous_event_id(6)
            .timestamp(DateTime::from_millis(0))
            .r#type(sfn::HistoryEventType::MapIterationStarted)
            .map_iteration_started_event_details(
                sfn::MapIterationEventDetails::builder()
                    .name("Resize")
                    .index(3)
                    .build(),
            )
            .build()
            .unwrap();
        let converted = history_event(&event);
        assert_eq!(converted.details.name.as_deref(), Some("Resize"));
        assert_eq!(converted.details.index, Some(3));
    }

    #[test]
    fn statuses_convert_both_ways_and_unknown_ones_stay_visible() {
        for status in ExecutionStatus::ALL {
            assert_eq!(execution_status(&sfn_status(status)), status);
        }
        assert_eq!(
            execution_status(&sfn::ExecutionStatus::from("HIBERNATING")),
            ExecutionStatus::Running
        );
    }
}
