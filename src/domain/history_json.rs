//! Reading and writing histories in the JSON shape of `aws stepfunctions
//! get-execution-history` (`{"events": [...]}`, per-type `…EventDetails` objects, timestamps as
//! ISO-8601 strings or epoch seconds). Reading is `history_json/read.rs`; writing is here.

use super::history::{EventDetails, EventType, HistoryEvent};
use super::time::format_rfc3339;
use serde_json::{Map, Value};

mod read;

pub use read::{
    ReadError, events_in, for_each_event, parse_history, parse_history_bytes, read_history,
};

/// The key AWS uses for the details object of an event type: `stateEnteredEventDetails` for
/// every `*StateEntered` (including `FailStateEntered`), `stateExitedEventDetails` for every
/// `*StateExited`, otherwise the type name in lower camel case + `EventDetails`
/// (`taskScheduledEventDetails`, `mapIterationStartedEventDetails`, …).
pub fn details_key(event_type: &EventType) -> String {
    if event_type.is_state_entered() {
        return "stateEnteredEventDetails".into();
    }
    if event_type.is_state_exited() {
        return "stateExitedEventDetails".into();
    }
    let name = event_type.as_str();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!(
            "{}{}EventDetails",
            first.to_ascii_lowercase(),
            chars.as_str()
        ),
        None => "eventDetails".into(),
    }
}

/// Writes events in the AWS CLI shape (timestamps as RFC 3339 strings).
pub fn to_history_json(events: &[HistoryEvent]) -> serde_json::Value {
    let events: Vec<Value> = events.iter().map(event_json).collect();
    let mut root = Map::new();
    root.insert("events".into(), Value::Array(events));
    Value::Object(root)
}

/// A history file as `aws stepfunctions get-execution-history` prints it: `{"events": [...]}`
/// indented by four spaces, non-ASCII text as is, ending in a newline.
pub fn to_history_text(events: &[HistoryEvent]) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // A `Value` of strings, numbers and objects always serialises, into memory always
    // succeeds, and serde_json writes UTF-8.
    let written = to_history_json(events).serialize(&mut serializer);
    debug_assert!(written.is_ok());
    let mut text = String::from_utf8(out).unwrap_or_default();
    text.push('\n');
    text
}

/// One event in the AWS CLI shape: `timestamp`, `type`, `id`, `previousEventId` and its
/// `…EventDetails` object with every field the model keeps.
pub fn event_json(event: &HistoryEvent) -> Value {
    let mut map = Map::new();
    map.insert(
        "timestamp".into(),
        Value::String(format_rfc3339(event.timestamp)),
    );
    map.insert(
        "type".into(),
        Value::String(event.event_type.as_str().into()),
    );
    map.insert("id".into(), Value::from(event.id));
    map.insert(
        "previousEventId".into(),
        Value::from(event.previous_event_id),
    );
    let details = details_to_json(&event.event_type, &event.details);
    if !details.is_empty() {
        map.insert(details_key(&event.event_type), Value::Object(details));
    }
    Value::Object(map)
}

/// The details object of an event, every field the model keeps under its AWS name and shape
/// (so that reading it back gives the same event).
fn details_to_json(event_type: &EventType, d: &EventDetails) -> Map<String, Value> {
    let mut map = Map::new();
    let mut put = |key: &str, value: &Option<String>| {
        if let Some(v) = value {
            map.insert(key.into(), Value::String(v.clone()));
        }
    };
    let name_key = match event_type {
        EventType::EvaluationFailed => "state",
        _ => "name",
    };
    put(name_key, &d.name);
    put("resourceType", &d.resource_type);
    put("resource", &d.resource);
    put("region", &d.region);
    put("parameters", &d.parameters);
    put("input", &d.input);
    put("output", &d.output);
    put("error", &d.error);
    put("cause", &d.cause);
    put("workerName", &d.worker_name);
    put("stateMachineAliasArn", &d.state_machine_alias_arn);
    put("stateMachineVersionArn", &d.state_machine_version_arn);
    put("location", &d.location);
    put("mapRunArn", &d.map_run_arn);
    if let Some(role) = &d.role_arn {
        let role = Value::String(role.clone());
        match event_type {
            EventType::ExecutionStarted => map.insert("roleArn".into(), role),
            _ => map.insert("taskCredentials".into(), json_object([("roleArn", role)])),
        };
    }
    let truncated = |flag: bool| json_object([("truncated", Value::Bool(flag))]);
    if d.input.is_some() || d.input_truncated {
        map.insert("inputDetails".into(), truncated(d.input_truncated));
    }
    if d.output.is_some() || d.output_truncated {
        map.insert("outputDetails".into(), truncated(d.output_truncated));
    }
    if !d.assigned_variables.is_empty() || d.assigned_variables_truncated {
        let variables = d
            .assigned_variables
            .iter()
            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
            .collect();
        map.insert("assignedVariables".into(), Value::Object(variables));
        map.insert(
            "assignedVariablesDetails".into(),
            truncated(d.assigned_variables_truncated),
        );
    }
    let numbers = [
        ("index", d.index.map(i64::from)),
        ("length", d.length.map(i64::from)),
        ("redriveCount", d.redrive_count.map(i64::from)),
        ("timeoutInSeconds", d.timeout_in_seconds),
        ("heartbeatInSeconds", d.heartbeat_in_seconds),
    ];
    for (key, value) in numbers {
        if let Some(n) = value {
            map.insert(key.into(), Value::from(n));
        }
    }
    map
}

fn json_object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
        "events": [
            {
                "timestamp": "2025-11-25T10:00:00.000000+00:00",
                "type": "ExecutionStarted",
                "id": 1,
                "previousEventId": 0,
                "executionStartedEventDetails": {
                    "input": "{\"userId\":\"user_a\"}",
                    "inputDetails": {"truncated": false},
                    "roleArn": "arn:aws:iam::123456789012:role/StepFunctionsRole"
                }
            },
            {
                "timestamp": 1764064800.051,
                "type": "TaskScheduled",
                "id": 2,
                "previousEventId": 1,
                "taskScheduledEventDetails": {
                    "resourceType": "lambda",
                    "resource": "invoke",
                    "region": "us-east-1",
                    "parameters": "{\"FunctionName\":\"f\"}",
                    "timeoutInSeconds": null
                }
            },
            {
                "timestamp": 1764064800.2,
                "type": "MapIterationStarted",
                "id": 3,
                "previousEventId": 2,
                "mapIterationStartedEventDetails": {"name": "ProcessItems", "index": 4}
            }
        ],
        "nextToken": "AAAA"
    }"#;

    #[test]
    fn reads_the_cli_shape_with_both_timestamp_forms() {
        let events = parse_history(SAMPLE).unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(events[0].event_type, EventType::ExecutionStarted);
        assert_eq!(events[0].timestamp, 1_764_064_800_000);
        assert_eq!(
            events[0].details.role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/StepFunctionsRole")
        );
        assert_eq!(events[1].timestamp, 1_764_064_800_051);
        assert_eq!(events[1].previous_event_id, 1);
        assert_eq!(events[1].details.resource_type.as_deref(), Some("lambda"));
        assert_eq!(events[1].details.resource.as_deref(), Some("invoke"));
        assert_eq!(
            events[1].details.parameters.as_deref(),
            Some("{\"FunctionName\":\"f\"}")
        );
        assert_eq!(events[2].details.name.as_deref(), Some("ProcessItems"));
        assert_eq!(events[2].details.index, Some(4));
    }

    #[test]
    fn accepts_a_bare_array() {
        let json = r#"[{"timestamp": 1.5, "type": "PassStateEntered", "id": 7,
                        "previousEventId": 6, "stateEnteredEventDetails": {"name": "P"}}]"#;
        let events = parse_history(json).unwrap();
        assert_eq!(events[0].timestamp, 1_500);
        assert_eq!(events[0].details.name.as_deref(), Some("P"));
    }

    #[test]
    fn errors_name_the_event_and_the_field() {
        let bad_time = r#"{"events":[{"timestamp":"x","type":"TaskStarted","id":1}]}"#;
        let err = parse_history(bad_time).unwrap_err();
        assert!(
            err.contains("event #0 (id 1)") && err.contains("timestamp"),
            "{err}"
        );

        let bad_index = r#"{"events":[
            {"timestamp":1,"type":"ExecutionStarted","id":1},
            {"timestamp":2,"type":"MapIterationStarted","id":2,"previousEventId":1,
             "mapIterationStartedEventDetails":{"name":"M","index":-1}}]}"#;
        let err = parse_history(bad_index).unwrap_err();
        assert!(
            err.contains("event #1 (id 2)")
                && err.contains("mapIterationStartedEventDetails.index"),
            "{err}"
        );

        let missing_type = r#"[{"timestamp":1,"id":1}]"#;
        assert!(
            parse_history(missing_type)
                .unwrap_err()
                .contains("`type` is missing")
        );
        assert!(parse_history(r#"{"nextToken":"x"}"#).is_err());
        assert!(
            parse_history("not json")
                .unwrap_err()
                .contains("not valid JSON")
        );
    }

    #[test]
    fn a_stream_and_bytes_read_like_the_text() {
        let streamed = read_history(SAMPLE.as_bytes()).unwrap();
        assert_eq!(streamed, parse_history(SAMPLE).unwrap());
        assert_eq!(parse_history_bytes(SAMPLE.as_bytes()).unwrap(), streamed);
        let err = parse_history_bytes(b"{\"events\": [{\"id\": 1").unwrap_err();
        assert!(matches!(&err, ReadError::Invalid(m) if m.starts_with("not valid JSON")));
        let err = read_history(&b"{\"events\": [{\"id\": 1"[..]).unwrap_err();
        assert!(matches!(&err, ReadError::Invalid(m) if m.starts_with("not valid JSON")));
    }

    #[test]
    fn shapes_that_are_not_a_history_are_named() {
        let twice = r#"{"events": [], "events": []}"#;
        assert!(
            parse_history(twice)
                .unwrap_err()
                .contains("`events` appears twice")
        );
        let not_array = r#"{"events": {"id": 1}}"#;
        assert!(
            parse_history(not_array)
                .unwrap_err()
                .contains("`events` to be an array")
        );
        let not_object = r#"[{"timestamp":1,"type":"TaskStarted","id":1}, 5]"#;
        assert!(
            parse_history(not_object)
                .unwrap_err()
                .contains("event #1 to be an object")
        );
        let details =
            r#"[{"timestamp":1,"type":"TaskFailed","id":4,"taskFailedEventDetails":[1]}]"#;
        let err = parse_history(details).unwrap_err();
        assert!(
            err.contains("event #0 (id 4): `taskFailedEventDetails` must be an object"),
            "{err}"
        );
        let error = r#"[{"timestamp":1,"type":"TaskFailed","id":4,
                         "taskFailedEventDetails":{"error":{"nested":true}}}]"#;
        let err = parse_history(error).unwrap_err();
        assert!(
            err.contains("`taskFailedEventDetails.error` must be a string"),
            "{err}"
        );
    }

    #[test]
    fn what_cannot_be_right_is_refused_by_event_and_field() {
        let err = |json: &str| parse_history(json).unwrap_err();
        for timestamp in [
            r#""NaN""#,
            r#""inf""#,
            "1e300",
            "-5",
            r#""1969-07-20T20:17:40Z""#,
        ] {
            let json = format!(
                r#"[{{"timestamp":1,"type":"ExecutionStarted","id":1}},
                    {{"timestamp":{timestamp},"type":"TaskStarted","id":2,"previousEventId":1}}]"#
            );
            let message = err(&json);
            assert!(
                message.contains("event #1 (id 2): `timestamp` must be")
                    && message.contains("from 1970 to 9999"),
                "{timestamp}: {message}"
            );
        }
        let twice = r#"[{"timestamp":1,"type":"ExecutionStarted","id":1},
                        {"timestamp":2,"type":"PassStateEntered","id":2,"previousEventId":1},
                        {"timestamp":3,"type":"PassStateExited","id":2,"previousEventId":1}]"#;
        let message = err(twice);
        assert!(
            message.contains("event #2 (id 2): the id is used again (first by event #1)"),
            "{message}"
        );
        assert!(
            err(r#"[{"timestamp":1,"type":"TaskStarted","id":0}]"#)
                .contains("event #0: `id` must be a positive integer")
        );
        assert!(
            err(r#"[{"timestamp":1,"type":"TaskStarted","id":"9223372036854775808"}]"#)
                .contains("`id` must be a positive integer")
        );
        assert!(
            err(r#"[{"timestamp":1,"type":"TaskStarted","id":3,"previousEventId":-1}]"#)
                .contains("event #0 (id 3): `previousEventId` must be a non-negative integer")
        );
        let streamed = read_history(twice.as_bytes()).unwrap_err();
        assert!(matches!(streamed, ReadError::Invalid(m) if m.contains("used again")));
    }

    #[test]
    fn details_keys_follow_the_aws_names() {
        assert_eq!(
            details_key(&EventType::FailStateEntered),
            "stateEnteredEventDetails"
        );
        assert_eq!(
            details_key(&EventType::MapStateExited),
            "stateExitedEventDetails"
        );
        assert_eq!(
            details_key(&EventType::LambdaFunctionScheduleFailed),
            "lambdaFunctionScheduleFailedEventDetails"
        );
        assert_eq!(
            details_key(&EventType::MapStateStarted),
            "mapStateStartedEventDetails"
        );
    }

    /// One event of each kind that carries a field beyond the common ones, as AWS writes them.
    const EVERY_FIELD: &str = r#"{"events": [
        {"timestamp": 1764064800.0, "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
         "executionStartedEventDetails": {
            "input": "{}", "inputDetails": {"truncated": true},
            "roleArn": "arn:aws:iam::123456789012:role/Sfn",
            "stateMachineAliasArn": "arn:aws:states:us-east-1:123456789012:stateMachine:p:prod",
            "stateMachineVersionArn": "arn:aws:states:us-east-1:123456789012:stateMachine:p:7"}},
        {"timestamp": 1764064800.1, "type": "TaskScheduled", "id": 2, "previousEventId": 1,
         "taskScheduledEventDetails": {
            "resourceType": "lambda", "resource": "invoke", "region": "eu-west-1",
            "parameters": "{\"FunctionName\":\"f\"}", "timeoutInSeconds": 30,
            "heartbeatInSeconds": 10,
            "taskCredentials": {"roleArn": "arn:aws:iam::123456789012:role/Task"}}},
        {"timestamp": 1764064800.2, "type": "ActivityStarted", "id": 3, "previousEventId": 2,
         "activityStartedEventDetails": {"workerName": "worker-7"}},
        {"timestamp": 1764064800.3, "type": "PassStateExited", "id": 4, "previousEventId": 3,
         "stateExitedEventDetails": {
            "name": "Remember", "output": "{}", "outputDetails": {"truncated": false},
            "assignedVariables": {"total": "42", "who": "\"ann\""},
            "assignedVariablesDetails": {"truncated": true}}},
        {"timestamp": 1764064800.4, "type": "EvaluationFailed", "id": 5, "previousEventId": 4,
         "evaluationFailedEventDetails": {
            "error": "States.QueryEvaluationError", "cause": "bad", "location": "Arguments",
            "state": "Compute"}},
        {"timestamp": 1764064800.5, "type": "MapRunStarted", "id": 6, "previousEventId": 5,
         "mapRunStartedEventDetails": {"mapRunArn": "arn:aws:states:us-east-1:1:mapRun:p/m:r"}},
        {"timestamp": 1764064900.0, "type": "ExecutionRedriven", "id": 7, "previousEventId": 6,
         "executionRedrivenEventDetails": {"redriveCount": 2}},
        {"timestamp": 1764064900.1, "type": "MapRunRedriven", "id": 8, "previousEventId": 7,
         "mapRunRedrivenEventDetails": {"mapRunArn": "arn:aws:states:us-east-1:1:mapRun:p/m:r",
                                        "redriveCount": 1}}
    ]}"#;

    #[test]
    fn every_field_of_the_details_is_kept() {
        let events = parse_history(EVERY_FIELD).unwrap();
        let d: Vec<&EventDetails> = events.iter().map(|e| &e.details).collect();
        assert!(d[0].input_truncated);
        assert_eq!(
            d[0].state_machine_alias_arn.as_deref(),
            Some("arn:aws:states:us-east-1:123456789012:stateMachine:p:prod")
        );
        assert_eq!(
            d[0].state_machine_version_arn.as_deref(),
            Some("arn:aws:states:us-east-1:123456789012:stateMachine:p:7")
        );
        assert_eq!(d[1].region.as_deref(), Some("eu-west-1"));
        assert_eq!(d[1].timeout_in_seconds, Some(30));
        assert_eq!(d[1].heartbeat_in_seconds, Some(10));
        assert_eq!(
            d[1].role_arn.as_deref(),
            Some("arn:aws:iam::123456789012:role/Task")
        );
        assert_eq!(d[1].parameters.as_deref(), Some("{\"FunctionName\":\"f\"}"));
        assert_eq!(d[2].worker_name.as_deref(), Some("worker-7"));
        assert!(!d[3].output_truncated);
        assert_eq!(
            d[3].assigned_variables.iter().collect::<Vec<_>>(),
            [
                (&"total".to_string(), &"42".to_string()),
                (&"who".to_string(), &"\"ann\"".to_string())
            ]
        );
        assert!(d[3].assigned_variables_truncated);
        assert_eq!(d[4].name.as_deref(), Some("Compute"));
        assert_eq!(d[4].location.as_deref(), Some("Arguments"));
        assert_eq!(
            d[5].map_run_arn.as_deref(),
            Some("arn:aws:states:us-east-1:1:mapRun:p/m:r")
        );
        assert_eq!(d[6].redrive_count, Some(2));
        assert_eq!(d[7].redrive_count, Some(1));
        assert!(d[7].map_run_arn.is_some());
    }

    #[test]
    fn every_field_survives_writing_and_reading_back() {
        let events = parse_history(EVERY_FIELD).unwrap();
        let written = to_history_json(&events);
        let e = &written["events"];
        assert_eq!(
            e[1]["taskScheduledEventDetails"]["taskCredentials"]["roleArn"],
            "arn:aws:iam::123456789012:role/Task"
        );
        assert_eq!(e[4]["evaluationFailedEventDetails"]["state"], "Compute");
        assert_eq!(
            e[0]["executionStartedEventDetails"]["inputDetails"]["truncated"],
            true
        );
        assert_eq!(
            e[3]["stateExitedEventDetails"]["assignedVariables"]["total"],
            "42"
        );
        let reread = parse_history(&written.to_string()).unwrap();
        assert_eq!(reread, events);
    }

    #[test]
    fn nested_objects_of_the_wrong_shape_are_named() {
        let err = |details: &str| {
            parse_history(&format!(
                r#"[{{"timestamp":1,"type":"PassStateExited","id":4,
                     "stateExitedEventDetails":{details}}}]"#
            ))
            .unwrap_err()
        };
        assert!(
            err(r#"{"assignedVariables": {"x": 1}}"#)
                .contains("`stateExitedEventDetails.assignedVariables.x` must be a string")
        );
        assert!(
            err(r#"{"outputDetails": {"truncated": "yes"}}"#).contains(
                "`stateExitedEventDetails.outputDetails.truncated` must be true or false"
            )
        );
        assert!(
            err(r#"{"taskCredentials": 5}"#)
                .contains("`stateExitedEventDetails.taskCredentials` must be an object")
        );
        assert!(
            err(r#"{"timeoutInSeconds": "x"}"#)
                .contains("`stateExitedEventDetails.timeoutInSeconds` must be a non-negative")
        );
    }

    #[test]
    fn writing_then_reading_gives_the_same_events() {
        let events = parse_history(SAMPLE).unwrap();
        let written = to_history_json(&events);
        assert!(written["events"][2]["mapIterationStartedEventDetails"]["index"] == 4);
        let reread = parse_history(&written.to_string()).unwrap();
        assert_eq!(reread, events);
    }

    #[test]
    fn a_history_file_reads_back_to_the_same_events() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/histories/redriven.json"
        );
        let events = parse_history(&std::fs::read_to_string(path).unwrap()).unwrap();
        let text = to_history_text(&events);
        assert!(
            text.starts_with("{\n    \"events\": [\n        {\n"),
            "{text}"
        );
        assert!(text.ends_with("}\n"));
        assert_eq!(parse_history(&text).unwrap(), events);
        assert_eq!(
            event_json(&events[0])["executionStartedEventDetails"]["roleArn"],
            events[0].details.role_arn.clone().unwrap()
        );
    }
}
