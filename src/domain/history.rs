//! Execution history events in the shape Step Functions returns them (`GetExecutionHistory`):
//! same type names, ids and `previousEventId` chains. Both backends produce these.

use super::Millis;
use std::collections::BTreeMap;

macro_rules! event_types {
    ($($variant:ident),* $(,)?) => {
        /// The `type` of a history event. Unknown future types are kept verbatim in `Other`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum EventType {
            $($variant,)*
            Other(String),
        }

        impl EventType {
            /// The AWS name of the type, e.g. `TaskStateEntered`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(EventType::$variant => stringify!($variant),)*
                    EventType::Other(name) => name,
                }
            }

            /// Parses an AWS type name; never fails (unknown names become `Other`).
            pub fn parse(name: &str) -> EventType {
                match name {
                    $(stringify!($variant) => EventType::$variant,)*
                    other => EventType::Other(other.to_string()),
                }
            }
        }
    };
}

event_types!(
    ActivityFailed,
    ActivityScheduled,
    ActivityScheduleFailed,
    ActivityStarted,
    ActivitySucceeded,
    ActivityTimedOut,
    ChoiceStateEntered,
    ChoiceStateExited,
    EvaluationFailed,
    ExecutionAborted,
    ExecutionFailed,
    ExecutionRedriven,
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionTimedOut,
    FailStateEntered,
    LambdaFunctionFailed,
    LambdaFunctionScheduled,
    LambdaFunctionScheduleFailed,
    LambdaFunctionStarted,
    LambdaFunctionStartFailed,
    LambdaFunctionSucceeded,
    LambdaFunctionTimedOut,
    MapIterationAborted,
    MapIterationFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapRunAborted,
    MapRunFailed,
    MapRunRedriven,
    MapRunStarted,
    MapRunSucceeded,
    MapStateAborted,
    MapStateEntered,
    MapStateExited,
    MapStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    ParallelStateAborted,
    ParallelStateEntered,
    ParallelStateExited,
    ParallelStateFailed,
    ParallelStateStarted,
    ParallelStateSucceeded,
    PassStateEntered,
    PassStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    TaskFailed,
    TaskScheduled,
    TaskStarted,
    TaskStartFailed,
    TaskStateAborted,
    TaskStateEntered,
    TaskStateExited,
    TaskSubmitFailed,
    TaskSubmitted,
    TaskSucceeded,
    TaskTimedOut,
    WaitStateAborted,
    WaitStateEntered,
    WaitStateExited,
);

impl EventType {
    /// `*StateEntered`: a state begins (its `details.name` is the state name).
    pub fn is_state_entered(&self) -> bool {
        self.as_str().ends_with("StateEntered")
    }

    /// `*StateExited`: a state ends normally (also after a caught error).
    pub fn is_state_exited(&self) -> bool {
        self.as_str().ends_with("StateExited")
    }

    /// The execution reached a terminal status with this event.
    pub fn is_execution_end(&self) -> bool {
        matches!(
            self,
            EventType::ExecutionSucceeded
                | EventType::ExecutionFailed
                | EventType::ExecutionAborted
                | EventType::ExecutionTimedOut
        )
    }

    /// A failure of some kind (task, lambda, activity, state, execution).
    pub fn is_failure(&self) -> bool {
        let name = self.as_str();
        name.ends_with("Failed") || name.ends_with("TimedOut") || name.ends_with("Aborted")
    }
}

/// One history event. `details` flattens the per-type `…EventDetails` objects of the AWS API
/// into one struct: each event type fills the fields AWS gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: i64,
    /// 0 for the first event. Parallel branch events chain back to `ParallelStateStarted`.
    pub previous_event_id: i64,
    pub timestamp: Millis,
    pub event_type: EventType,
    pub details: EventDetails,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventDetails {
    /// State name (`*StateEntered`/`*StateExited`, the `state` of `EvaluationFailed`) or Map
    /// state name (`MapIteration*`).
    pub name: Option<String>,
    /// Map iteration index (`MapIteration*`).
    pub index: Option<u32>,
    /// Number of iterations (`MapStateStarted`).
    pub length: Option<u32>,
    /// JSON text; absent when fetched with `includeExecutionData=false`.
    pub input: Option<String>,
    /// JSON text; absent when fetched with `includeExecutionData=false`.
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// `lambda`, `sns`, `dynamodb`, … (`Task*` events).
    pub resource_type: Option<String>,
    /// `invoke`, `publish`, `putItem`, … or a full ARN (`Task*`, `LambdaFunction*`, `Activity*`).
    pub resource: Option<String>,
    /// Task parameters as JSON text (`TaskScheduled`).
    pub parameters: Option<String>,
    /// Execution role (`ExecutionStarted`), or the role a task runs with
    /// (`taskCredentials.roleArn` of `TaskScheduled`/`LambdaFunctionScheduled`).
    pub role_arn: Option<String>,
    /// `inputDetails.truncated` / `outputDetails.truncated`: the data was cut to fit.
    pub input_truncated: bool,
    pub output_truncated: bool,
    /// Variables a state assigned (`stateExitedEventDetails.assignedVariables`): name ->
    /// JSON text, in name order.
    pub assigned_variables: BTreeMap<String, String>,
    /// `assignedVariablesDetails.truncated`.
    pub assigned_variables_truncated: bool,
    /// Configured `TimeoutSeconds` / `HeartbeatSeconds` of the task (`*Scheduled`).
    pub timeout_in_seconds: Option<i64>,
    pub heartbeat_in_seconds: Option<i64>,
    /// Region of the resource (`TaskScheduled`).
    pub region: Option<String>,
    /// Name of the activity worker that took the task (`ActivityStarted`).
    pub worker_name: Option<String>,
    /// `ExecutionRedriven` / `MapRunRedriven`: how many times it has been redriven.
    pub redrive_count: Option<u32>,
    /// The alias and version the execution was started through (`ExecutionStarted`).
    pub state_machine_alias_arn: Option<String>,
    pub state_machine_version_arn: Option<String>,
    /// Where in the state an evaluation failed (`EvaluationFailed.location`, e.g. `Arguments`);
    /// the state itself is `name` (AWS's `state`).
    pub location: Option<String>,
    /// The Distributed Map run (`MapRunStarted`, `MapRunRedriven`).
    pub map_run_arn: Option<String>,
}

impl HistoryEvent {
    /// Convenience constructor used by the sandbox and by tests.
    pub fn new(id: i64, previous_event_id: i64, timestamp: Millis, event_type: EventType) -> Self {
        HistoryEvent {
            id,
            previous_event_id,
            timestamp,
            event_type,
            details: EventDetails::default(),
        }
    }

    pub fn with_details(mut self, details: EventDetails) -> Self {
        self.details = details;
        self
    }

    /// One line describing the event for lists: state name, error, resource.
    pub fn summary(&self) -> String {
        let d = &self.details;
        let mut parts: Vec<String> = Vec::new();
        if let Some(name) = &d.name {
            match d.index {
                Some(i) => parts.push(format!("{name}[{i}]")),
                None => parts.push(name.clone()),
            }
        }
        if let Some(rt) = &d.resource_type {
            match &d.resource {
                Some(r) => parts.push(format!("{rt}:{r}")),
                None => parts.push(rt.clone()),
            }
        } else if let Some(r) = &d.resource {
            parts.push(r.clone());
        }
        if let Some(e) = &d.error {
            parts.push(e.clone());
        }
        if let Some(c) = &d.cause {
            parts.push(c.chars().take(120).collect());
        }
        if let Some(n) = d.length {
            parts.push(format!("{n} items"));
        }
        parts.join("  ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_type_names_round_trip_and_unknown_names_survive() {
        for name in [
            "TaskStateEntered",
            "ParallelStateStarted",
            "MapIterationSucceeded",
        ] {
            assert_eq!(EventType::parse(name).as_str(), name);
        }
        let future = EventType::parse("QuantumStateEntered");
        assert_eq!(future, EventType::Other("QuantumStateEntered".into()));
        assert!(future.is_state_entered());
        assert!(EventType::TaskTimedOut.is_failure());
        assert!(!EventType::TaskSucceeded.is_failure());
    }
}
