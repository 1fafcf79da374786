//! Executions and state machines as the console lists them, independent of the backend.

use super::Millis;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
    PendingRedrive,
}

impl ExecutionStatus {
    pub const ALL: [ExecutionStatus; 6] = [
        ExecutionStatus::Running,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted,
        ExecutionStatus::PendingRedrive,
    ];

    /// The AWS API name, e.g. `TIMED_OUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
            ExecutionStatus::PendingRedrive => "PENDING_REDRIVE",
        }
    }

    pub fn parse(name: &str) -> Option<ExecutionStatus> {
        ExecutionStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    pub fn is_terminal(self) -> bool {
        !matches!(
            self,
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateMachineKind {
    Standard,
    Express,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StateMachineSummary {
    pub arn: String,
    pub name: String,
    pub kind: StateMachineKind,
    pub created: Millis,
}

impl StateMachineSummary {
    /// What an ARN alone tells (`arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME`, maybe
    /// with a `:VERSION` or `:ALIAS` after the name), for when the list cannot be read: the
    /// name; the type and creation date are unknown (taken as Standard and 0). None when `text`
    /// is not a state machine ARN.
    pub fn from_arn(text: &str) -> Option<StateMachineSummary> {
        let parts: Vec<&str> = text.split(':').collect();
        let valid = parts.len() >= 7
            && parts[0] == "arn"
            && parts[2] == "states"
            && parts[5] == "stateMachine"
            && !parts[6].is_empty();
        valid.then(|| StateMachineSummary {
            arn: text.to_string(),
            name: parts[6].to_string(),
            kind: StateMachineKind::Standard,
            created: 0,
        })
    }
}

/// What the run *did*, beyond its status: the rider-photo pipeline reports a rejected photo as
/// a SUCCEEDED execution that went through a Catch, so the status alone hides the answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Succeeded without taking a Catch route.
    Completed,
    /// Succeeded after an error was caught and routed (e.g. to `PhotoDoesNotMeetRequirement`).
    Rejected {
        /// The state whose error was caught, e.g. `FaceDetection`.
        state: String,
        /// The error name, e.g. `PhotoDoesNotMeetRequirementError`.
        error: String,
        /// The human message, e.g. `Face is wearing sunglasses` (from the cause's `errorMessage`).
        message: String,
    },
    /// Failed, timed out or aborted: the error and cause of the execution.
    Error { error: String, cause: String },
}

impl Outcome {
    /// Short text for a table cell: `accepted`, `rejected: Face is wearing sunglasses`, …
    pub fn label(&self) -> String {
        match self {
            Outcome::Completed => "completed".into(),
            Outcome::Rejected { message, error, .. } => {
                if message.is_empty() {
                    format!("rejected: {error}")
                } else {
                    format!("rejected: {message}")
                }
            }
            Outcome::Error { error, cause } => {
                let message = error_message_from_cause(cause).unwrap_or_else(|| cause.clone());
                if message.is_empty() {
                    error.clone()
                } else {
                    format!("{error}: {message}")
                }
            }
        }
    }
}

/// Lambda errors carry a JSON cause `{"errorMessage": "...", "errorType": "..."}`; the message
/// is what an operator wants to read.
pub fn error_message_from_cause(cause: &str) -> Option<String> {
    let value: Value = serde_json::from_str(cause).ok()?;
    value
        .get("errorMessage")
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionSummary {
    pub arn: String,
    pub name: String,
    pub state_machine_arn: String,
    pub status: ExecutionStatus,
    pub start: Millis,
    pub stop: Option<Millis>,
    /// What the run was about, for the list: the input's `s3Key` (or `userId`), when known.
    pub input_label: Option<String>,
    /// Known outcome, when the backend can tell cheaply (the AWS backend fills it lazily).
    pub outcome: Option<Outcome>,
}

impl ExecutionSummary {
    /// Duration so far (running) or in total.
    pub fn duration(&self, now: Millis) -> Millis {
        // Saturating: timestamps come from AWS or a file and may be anything.
        self.stop.unwrap_or(now).saturating_sub(self.start)
    }
}

/// The ARN AWS gives the execution named `name` of the state machine `state_machine_arn`
/// (`arn:<partition>:states:<region>:<account>:stateMachine:<machine>` →
/// `…:execution:<machine>:<name>`), so a start whose answer was lost can be looked up by the
/// name it carried. None for an ARN not of that shape.
pub fn execution_arn_of(state_machine_arn: &str, name: &str) -> Option<String> {
    let (account_part, qualified) = state_machine_arn.split_once(":stateMachine:")?;
    // A version or alias ARN (`…:stateMachine:<machine>:<version or alias>`) starts an
    // execution filed under the machine itself.
    let machine = qualified.split(':').next().unwrap_or_default();
    if machine.is_empty() {
        return None;
    }
    Some(format!("{account_part}:execution:{machine}:{name}"))
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionDetail {
    pub summary: ExecutionSummary,
    /// Input and output as JSON text (absent when not yet produced or not readable).
    pub input: Option<String>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub redrive_count: u32,
}

/// What `DescribeStateMachineForExecution` answers: the definition an execution actually ran
/// (the state machine may have been updated since), with the revision it was.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionDefinition {
    pub state_machine_arn: String,
    pub name: String,
    /// The Amazon States Language JSON, as stored (untrusted text).
    pub definition: String,
    pub revision_id: Option<String>,
    /// When the state machine was last updated before the execution ran.
    pub updated: Option<Millis>,
}

/// The outcome a `DescribeExecution` answer tells without the history: the error and cause of
/// a failed, timed-out or aborted run; for a succeeded one, a rejection when the output carries
/// the error a Catch put there (whole, or at a `ResultPath` such as the pipeline's
/// `$.errorInfo`), else completed. (The history tells it for certain; the execution view and
/// the dashboard use that once read.)
pub fn outcome_from_description(detail: &ExecutionDetail) -> Option<Outcome> {
    let status = detail.summary.status;
    match status {
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => None,
        ExecutionStatus::Succeeded => {
            Some(match detail.output.as_deref().and_then(caught_error_in) {
                Some((error, cause)) => Outcome::Rejected {
                    state: String::new(),
                    error,
                    message: cause
                        .map(|cause| error_message_from_cause(&cause).unwrap_or(cause))
                        .unwrap_or_default(),
                },
                None => Outcome::Completed,
            })
        }
        _ => Some(Outcome::Error {
            error: detail
                .error
                .clone()
                .unwrap_or_else(|| status.as_str().to_string()),
            cause: detail.cause.clone().unwrap_or_default(),
        }),
    }
}

/// The error a Catch put into a state's (or a run's) output: `{"Error": …, "Cause": …}` as the
/// whole output (no `ResultPath`) or as one of its fields (`"ResultPath": "$.errorInfo"`).
pub fn caught_error_in(output: &str) -> Option<(String, Option<String>)> {
    let value: Value = serde_json::from_str(output).ok()?;
    let object = value.as_object()?;
    let of = |o: &serde_json::Map<String, Value>| {
        let error = o.get("Error")?.as_str()?.to_string();
        let cause = o.get("Cause").and_then(Value::as_str).map(str::to_string);
        Some((error, cause))
    };
    of(object).or_else(|| object.values().filter_map(Value::as_object).find_map(of))
}

/// The label shown in the executions list for an execution input: the photo key the run is
/// about, falling back to the user id.
pub fn input_label(input: &str) -> Option<String> {
    let value: Value = serde_json::from_str(input).ok()?;
    let key = value
        .get("s3Key")
        .or_else(|| value.pointer("/detail/object/key"))
        .and_then(Value::as_str);
    let user = value.get("userId").and_then(Value::as_str);
    match (key, user) {
        (Some(k), Some(u)) => Some(format!("{k} ({u})")),
        (Some(k), None) => Some(k.to_string()),
        (None, Some(u)) => Some(u.to_string()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_execution_arn_follows_from_the_machine_and_the_name() {
        assert_eq!(
            execution_arn_of(
                "arn:aws:states:eu-west-1:123456789012:stateMachine:RiderPhotoProcessing",
                "rerun-1_happy_face-user_a-20251125T100600-1"
            )
            .as_deref(),
            Some(
                "arn:aws:states:eu-west-1:123456789012:execution:RiderPhotoProcessing:\
                 rerun-1_happy_face-user_a-20251125T100600-1"
            )
        );
        assert_eq!(
            execution_arn_of("arn:aws-cn:states:cn-north-1:1:stateMachine:P", "r").as_deref(),
            Some("arn:aws-cn:states:cn-north-1:1:execution:P:r")
        );
        assert_eq!(execution_arn_of("not-an-arn", "r"), None);
        // Started through a version or an alias, it is filed under the machine.
        assert_eq!(
            execution_arn_of("arn:aws:states:r:1:stateMachine:P:prod", "r").as_deref(),
            Some("arn:aws:states:r:1:execution:P:r")
        );
    }

    fn described(status: ExecutionStatus, output: Option<&str>) -> ExecutionDetail {
        ExecutionDetail {
            summary: ExecutionSummary {
                arn: "arn".into(),
                name: "n".into(),
                state_machine_arn: "sm".into(),
                status,
                start: 0,
                stop: None,
                input_label: None,
                outcome: None,
            },
            input: None,
            output: output.map(str::to_string),
            error: Some("States.TaskFailed".into()),
            cause: Some(r#"{"errorMessage":"boom"}"#.into()),
            redrive_count: 0,
        }
    }

    #[test]
    fn a_description_tells_rejections_by_the_caught_error_in_the_output() {
        let rejected = r#"{"userId":"user_b","errorInfo":{"Error":"FaceAlreadyExistsError","Cause":"{\"errorMessage\":\"Face already exists\"}"}}"#;
        assert_eq!(
            outcome_from_description(&described(ExecutionStatus::Succeeded, Some(rejected))),
            Some(Outcome::Rejected {
                state: String::new(),
                error: "FaceAlreadyExistsError".into(),
                message: "Face already exists".into(),
            })
        );
        assert_eq!(
            outcome_from_description(&described(ExecutionStatus::Succeeded, Some("{}"))),
            Some(Outcome::Completed)
        );
        assert_eq!(
            outcome_from_description(&described(ExecutionStatus::Running, None)),
            None
        );
        let failed = outcome_from_description(&described(ExecutionStatus::Failed, None));
        assert_eq!(failed.unwrap().label(), "States.TaskFailed: boom");
    }

    #[test]
    fn statuses_round_trip_their_api_names() {
        for s in ExecutionStatus::ALL {
            assert_eq!(ExecutionStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ExecutionStatus::parse("running"), None);
        assert!(ExecutionStatus::Failed.is_terminal());
        assert!(!ExecutionStatus::Running.is_terminal());
    }

    #[test]
    fn a_state_machine_arn_gives_its_name() {
        let arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:RiderPhotoProcessing";
        let summary = StateMachineSummary::from_arn(arn).unwrap();
        assert_eq!(summary.name, "RiderPhotoProcessing");
        assert_eq!(summary.arn, arn);
        assert_eq!(summary.kind, StateMachineKind::Standard);
        let version = StateMachineSummary::from_arn(&format!("{arn}:3")).unwrap();
        assert_eq!(
            version.name, "RiderPhotoProcessing",
            "a version is not the name"
        );
        let china = "arn:aws-cn:states:cn-north-1:123456789012:stateMachine:P";
        assert_eq!(StateMachineSummary::from_arn(china).unwrap().name, "P");
        for not_one in [
            "RiderPhotoProcessing",
            "arn:aws:states:eu-west-1:123456789012:execution:RiderPhotoProcessing:run",
            "arn:aws:lambda:eu-west-1:123456789012:stateMachine:X",
            "arn:aws:states:eu-west-1:123456789012:stateMachine:",
        ] {
            assert_eq!(StateMachineSummary::from_arn(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn rejected_outcome_reads_the_lambda_error_message() {
        let cause = r#"{"errorMessage":"Face is wearing sunglasses","errorType":"PhotoDoesNotMeetRequirementError"}"#;
        let outcome = Outcome::Rejected {
            state: "FaceDetection".into(),
            error: "PhotoDoesNotMeetRequirementError".into(),
            message: error_message_from_cause(cause).unwrap(),
        };
        assert_eq!(outcome.label(), "rejected: Face is wearing sunglasses");
        let failed = Outcome::Error {
            error: "States.Timeout".into(),
            cause: "".into(),
        };
        assert_eq!(failed.label(), "States.Timeout");
    }

    #[test]
    fn input_label_prefers_the_photo_key() {
        let input = r#"{"userId":"user_a","s3Bucket":"b","s3Key":"1_happy_face.jpg"}"#;
        assert_eq!(
            input_label(input).as_deref(),
            Some("1_happy_face.jpg (user_a)")
        );
        assert_eq!(input_label(r#"{"userId":"u"}"#).as_deref(), Some("u"));
        assert_eq!(input_label("not json"), None);
    }
}
