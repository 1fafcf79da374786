//! Loading an Amazon States Language definition into typed states, validating it on the way:
//! every unsupported or malformed construct is refused here with an error naming the state,
//! so a run never stops half-way on something the loader could have seen.

use super::choice::Rule;
use super::jsonpath::Path;
use super::template::Template;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A state machine or a nested one (a Parallel branch, a Map item processor).
#[derive(Debug, Clone, PartialEq)]
pub struct StateMachine {
    pub start_at: String,
    pub states: HashMap<String, State>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub name: String,
    pub kind: StateKind,
    pub io: Io,
    pub transition: Transition,
}

/// Input/output processing and error handling shared by the state types that allow them.
#[derive(Debug, Clone, PartialEq)]
pub struct Io {
    /// `None` when the field is `null` (the state sees `{}`).
    pub input_path: Option<Path>,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    /// `None` when the field is `null` (the result is discarded, the input passes through).
    pub result_path: Option<Path>,
    /// `None` when the field is `null` (the state outputs `{}`).
    pub output_path: Option<Path>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

impl Default for Io {
    fn default() -> Self {
        Io {
            input_path: Some(Path::root()),
            parameters: None,
            result_selector: None,
            result_path: Some(Path::root()),
            output_path: Some(Path::root()),
            retry: Vec::new(),
            catch: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Transition {
    Next(String),
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StateKind {
    Pass {
        result: Option<Value>,
    },
    Task {
        resource: TaskResource,
        timeout_seconds: Option<u64>,
    },
    Choice {
        choices: Vec<(Rule, String)>,
        default: Option<String>,
    },
    Wait(WaitFor),
    Succeed,
    Fail {
        error: Option<FailField>,
        cause: Option<FailField>,
    },
    Parallel {
        branches: Vec<Arc<StateMachine>>,
    },
    Map {
        items_path: Path,
        item_selector: Option<Template>,
        processor: Arc<StateMachine>,
        /// 0 = no limit.
        max_concurrency: usize,
    },
}

impl StateKind {
    /// The `Type` name, also the prefix of the state's history events.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass { .. } => "Pass",
            StateKind::Task { .. } => "Task",
            StateKind::Choice { .. } => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail { .. } => "Fail",
            StateKind::Parallel { .. } => "Parallel",
            StateKind::Map { .. } => "Map",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum WaitFor {
    Seconds(u64),
    SecondsPath(Path),
    /// Epoch milliseconds.
    Timestamp(i64),
    TimestampPath(Path),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FailField {
    Literal(String),
    Path(Path),
}

/// An optimised service integration, `arn:aws:states:::<service>:<action>`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskResource {
    pub arn: String,
    /// `lambda`, `sns`, `dynamodb` (the history's `resourceType`).
    pub service: String,
    /// `invoke`, `publish`, `putItem` (the history's `resource`).
    pub action: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    pub errors: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    pub jitter: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub errors: Vec<String>,
    /// `None` when `null`: the error output replaces nothing and the input passes through.
    pub result_path: Option<Path>,
    pub next: String,
}

/// Why a definition was refused: the state (when one is at fault) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionError {
    pub state: Option<String>,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.state {
            Some(state) => write!(f, "state '{state}': {}", self.message),
            None => write!(f, "definition: {}", self.message),
        }
    }
}

impl std::error::Error for DefinitionError {}

/// Does `error` match an `ErrorEquals` entry? `States.ALL` matches every error except
/// `States.Runtime` (not retriable, not catchable, as in AWS); `States.TaskFailed` matches
/// every error except timeouts and runtime errors.
pub fn error_matches(patterns: &[String], error: &str) -> bool {
    patterns.iter().any(|pattern| match pattern.as_str() {
        "States.ALL" => error != "States.Runtime",
        "States.TaskFailed" => !matches!(error, "States.Timeout" | "States.Runtime"),
        exact => exact == error,
    })
}

impl StateMachine {
    /// Parses definition text. `supports` says which task resources the runtime can call.
    pub fn parse(
        text: &str,
        supports: &dyn Fn(&TaskResource) -> bool,
    ) -> Result<StateMachine, DefinitionError> {
        let value: Value = serde_json::from_str(text).map_err(|e| DefinitionError {
            state: None,
            message: format!("not valid JSON: {e}"),
        })?;
        let Value::Object(map) = &value else {
            return Err(DefinitionError {
                state: None,
                message: "the definition must be a JSON object".into(),
            });
        };
        if let Some(language) = map.get("QueryLanguage")
            && language != "JSONPath"
        {
            return Err(DefinitionError {
                state: None,
                message: format!("QueryLanguage {language} is not supported (only JSONPath)"),
            });
        }
        let top_level_only = ["Comment", "Version", "QueryLanguage"];
        parse_machine(map, &top_level_only, supports)
    }
}

fn parse_machine(
    map: &Map<String, Value>,
    extra_fields: &[&str],
    supports: &dyn Fn(&TaskResource) -> bool,
) -> Result<StateMachine, DefinitionError> {
    let top = |message: String| DefinitionError {
        state: None,
        message,
    };
    for key in map.keys() {
        if !["StartAt", "States"].contains(&key.as_str()) && !extra_fields.contains(&key.as_str()) {
            return Err(top(format!("unsupported field '{key}'")));
        }
    }
    let start_at = map
        .get("StartAt")
        .and_then(Value::as_str)
        .ok_or_else(|| top("StartAt (a state name) is required".into()))?
        .to_string();
    let Some(Value::Object(states_json)) = map.get("States") else {
        return Err(top("States (an object) is required".into()));
    };
    let mut states = HashMap::new();
    for (name, state_json) in states_json {
        let state = parse_state(name, state_json, supports).map_err(|e| match e {
            // Nested errors already name their own state.
            Nested(inner) => inner,
            Here(message) => DefinitionError {
                state: Some(name.clone()),
                message,
            },
        })?;
        states.insert(name.clone(), state);
    }
    if !states.contains_key(&start_at) {
        return Err(top(format!("StartAt '{start_at}' is not a state")));
    }
    for state in states.values() {
        for target in transition_targets(state) {
            if !states.contains_key(target) {
                return Err(DefinitionError {
                    state: Some(state.name.clone()),
                    message: format!("goes to '{target}', which is not a state at this level"),
                });
            }
        }
    }
    Ok(StateMachine { start_at, states })
}

fn transition_targets(state: &State) -> Vec<&String> {
    let mut targets = Vec::new();
    if let Transition::Next(next) = &state.transition {
        targets.push(next);
    }
    targets.extend(state.io.catch.iter().map(|c| &c.next));
    if let StateKind::Choice { choices, default } = &state.kind {
        targets.extend(choices.iter().map(|(_, next)| next));
        targets.extend(default.iter());
    }
    targets
}

/// A state's parse error: about this state, or already attributed to a nested one.
enum StateProblem {
    Here(String),
    Nested(DefinitionError),
}
use StateProblem::{Here, Nested};

impl From<String> for StateProblem {
    fn from(message: String) -> Self {
        Here(message)
    }
}

fn parse_state(
    name: &str,
    value: &Value,
    supports: &dyn Fn(&TaskResource) -> bool,
) -> Result<State, StateProblem> {
    let Value::Object(map) = value else {
        return Err(Here("a state must be a JSON object".into()));
    };
    let type_name = map
        .get("Type")
        .and_then(Value::as_str)
        .ok_or_else(|| Here("Type is required".into()))?;
    const IO: [&str; 2] = ["InputPath", "OutputPath"];
    const FLOW: [&str; 2] = ["Next", "End"];
    const RESULT: [&str; 5] = [
        "Parameters",
        "ResultSelector",
        "ResultPath",
        "Retry",
        "Catch",
    ];
    let allowed: Vec<&str> = match type_name {
        "Pass" => [&IO[..], &FLOW, &["Parameters", "Result", "ResultPath"]].concat(),
        "Task" => [&IO[..], &FLOW, &RESULT, &["Resource", "TimeoutSeconds"]].concat(),
        "Choice" => [&IO[..], &["Choices", "Default"]].concat(),
        "Wait" => [
            &IO[..],
            &FLOW,
            &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
        ]
        .concat(),
        "Succeed" => IO.to_vec(),
        "Fail" => vec!["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => [&IO[..], &FLOW, &RESULT, &["Branches"]].concat(),
        "Map" => [
            &IO[..],
            &FLOW,
            &RESULT,
            &[
                "ItemsPath",
                "ItemSelector",
                "ItemProcessor",
                "Iterator",
                "MaxConcurrency",
            ],
        ]
        .concat(),
        other => return Err(Here(format!("state type '{other}' is not supported"))),
    };
    for key in map.keys() {
        if key != "Type" && key != "Comment" && !allowed.contains(&key.as_str()) {
            return Err(Here(format!(
                "field '{key}' is not supported on a {type_name} state"
            )));
        }
    }

    let io = parse_io(map)?;
    let transition = match type_name {
        "Choice" | "Succeed" | "Fail" => Transition::End,
        _ => match (map.get("Next"), map.get("End")) {
            (Some(Value::String(next)), None) => Transition::Next(next.clone()),
            (None, Some(Value::Bool(true))) => Transition::End,
            _ => {
                return Err(Here(
                    "needs exactly one of Next (a state name) or End: true".into(),
                ));
            }
        },
    };

    let kind =
        match type_name {
            "Pass" => StateKind::Pass {
                result: map.get("Result").cloned(),
            },
            "Task" => {
                let arn = map
                    .get("Resource")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Here("Resource is required".into()))?;
                let resource = parse_resource(arn)?;
                if !supports(&resource) {
                    return Err(Here(format!(
                        "resource '{arn}' is not supported by the local sandbox"
                    )));
                }
                let timeout_seconds =
                    match map.get("TimeoutSeconds") {
                        None => None,
                        Some(v) => Some(v.as_u64().filter(|s| *s > 0).ok_or_else(|| {
                            Here("TimeoutSeconds must be a positive integer".into())
                        })?),
                    };
                StateKind::Task {
                    resource,
                    timeout_seconds,
                }
            }
            "Choice" => {
                let Some(Value::Array(rules)) = map.get("Choices") else {
                    return Err(Here("Choices (a non-empty array) is required".into()));
                };
                if rules.is_empty() {
                    return Err(Here("Choices must not be empty".into()));
                }
                let mut choices = Vec::new();
                for (i, rule_json) in rules.iter().enumerate() {
                    let rule = Rule::parse(rule_json).map_err(|e| format!("Choices[{i}]: {e}"))?;
                    let next = rule_json
                        .get("Next")
                        .and_then(Value::as_str)
                        .ok_or_else(|| format!("Choices[{i}]: Next is required"))?;
                    choices.push((rule, next.to_string()));
                }
                let default = match map.get("Default") {
                    None => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err(Here("Default must be a state name".into())),
                };
                StateKind::Choice { choices, default }
            }
            "Wait" => StateKind::Wait(parse_wait(map)?),
            "Succeed" => StateKind::Succeed,
            "Fail" => StateKind::Fail {
                error: parse_fail_field(map, "Error")?,
                cause: parse_fail_field(map, "Cause")?,
            },
            "Parallel" => {
                let Some(Value::Array(branches_json)) = map.get("Branches") else {
                    return Err(Here("Branches (a non-empty array) is required".into()));
                };
                if branches_json.is_empty() {
                    return Err(Here("Branches must not be empty".into()));
                }
                let mut branches = Vec::new();
                for (i, branch) in branches_json.iter().enumerate() {
                    let Value::Object(branch_map) = branch else {
                        return Err(Here(format!("Branches[{i}] must be an object")));
                    };
                    let machine = parse_machine(branch_map, &["Comment"], supports)
                        .map_err(|e| nested(&format!("Branches[{i}]"), e))?;
                    branches.push(Arc::new(machine));
                }
                StateKind::Parallel { branches }
            }
            "Map" => {
                let processor_json = match (map.get("ItemProcessor"), map.get("Iterator")) {
                    (Some(Value::Object(p)), None) | (None, Some(Value::Object(p))) => p,
                    _ => return Err(Here("needs an ItemProcessor (or Iterator) object".into())),
                };
                if let Some(config) = processor_json.get("ProcessorConfig") {
                    let mode = config
                        .get("Mode")
                        .and_then(Value::as_str)
                        .unwrap_or("INLINE");
                    if mode != "INLINE" {
                        return Err(Here(format!(
                            "Map mode {mode} is not supported (only INLINE)"
                        )));
                    }
                }
                let processor =
                    parse_machine(processor_json, &["Comment", "ProcessorConfig"], supports)
                        .map_err(|e| nested("ItemProcessor", e))?;
                let items_path = parse_path_field(map, "ItemsPath")?.unwrap_or_else(Path::root);
                // `Parameters` is the older name of `ItemSelector` on a Map state.
                let selector_json = match (map.get("ItemSelector"), &io.parameters) {
                    (Some(_), Some(_)) => {
                        return Err(Here("use ItemSelector or Parameters, not both".into()));
                    }
                    (Some(selector), None) => Some(selector),
                    (None, Some(_)) => map.get("Parameters"),
                    (None, None) => None,
                };
                let item_selector = selector_json
                    .map(|v| compile_object_template(v, "ItemSelector"))
                    .transpose()?;
                let max_concurrency = match map.get("MaxConcurrency") {
                    None => 0,
                    Some(v) => v.as_u64().ok_or_else(|| {
                        Here("MaxConcurrency must be a non-negative integer".into())
                    })? as usize,
                };
                StateKind::Map {
                    items_path,
                    item_selector,
                    processor: Arc::new(processor),
                    max_concurrency,
                }
            }
            _ => unreachable!("checked above"),
        };
    let mut io = io;
    if matches!(kind, StateKind::Map { .. }) {
        io.parameters = None;
    }
    Ok(State {
        name: name.to_string(),
        kind,
        io,
        transition,
    })
}

/// An error from a nested machine: kept as is when it names an inner state, otherwise it is
/// about the enclosing state's `part` (e.g. a branch's missing `StartAt`).
fn nested(part: &str, inner: DefinitionError) -> StateProblem {
    match inner.state {
        Some(_) => Nested(inner),
        None => Here(format!("{part}: {}", inner.message)),
    }
}

fn parse_resource(arn: &str) -> Result<TaskResource, String> {
    let Some(rest) = arn.strip_prefix("arn:aws:states:::") else {
        if arn.starts_with("arn:aws:lambda:") {
            return Err(format!(
                "resource '{arn}' (a direct Lambda ARN) is not supported: use \
                 arn:aws:states:::lambda:invoke with FunctionName"
            ));
        }
        return Err(format!(
            "resource '{arn}' is not supported by the local sandbox"
        ));
    };
    if rest.ends_with(".sync") || rest.contains(".sync:") || rest.ends_with(".waitForTaskToken") {
        return Err(format!(
            "resource '{arn}': only the request-response integration pattern is supported"
        ));
    }
    let (service, action) = rest
        .split_once(':')
        .ok_or_else(|| format!("resource '{arn}' has no action"))?;
    Ok(TaskResource {
        arn: arn.to_string(),
        service: service.to_string(),
        action: action.to_string(),
    })
}

fn parse_path_field(map: &Map<String, Value>, field: &str) -> Result<Option<Path>, String> {
    match map.get(field) {
        None => Ok(None),
        Some(Value::String(text)) => Path::parse(text)
            .map(Some)
            .map_err(|e| format!("{field}: {e}")),
        Some(_) => Err(format!("{field} must be a string path")),
    }
}

/// `InputPath`/`OutputPath`/`ResultPath`: absent = `$`, `null` = the special "discard".
fn parse_nullable_path(map: &Map<String, Value>, field: &str) -> Result<Option<Path>, String> {
    match map.get(field) {
        None => Ok(Some(Path::root())),
        Some(Value::Null) => Ok(None),
        Some(_) => parse_path_field(map, field),
    }
}

fn compile_object_template(value: &Value, field: &str) -> Result<Template, String> {
    if !value.is_object() {
        return Err(format!("{field} must be an object"));
    }
    Template::compile(value).map_err(|e| format!("{field}: {e}"))
}

fn parse_io(map: &Map<String, Value>) -> Result<Io, String> {
    let result_path = parse_nullable_path(map, "ResultPath")?;
    if let Some(path) = &result_path
        && (path.context || !path.is_reference())
    {
        return Err(format!(
            "ResultPath '{path}' must be a reference path into the input"
        ));
    }
    Ok(Io {
        input_path: parse_nullable_path(map, "InputPath")?,
        output_path: parse_nullable_path(map, "OutputPath")?,
        result_path,
        parameters: map
            .get("Parameters")
            .map(|v| compile_object_template(v, "Parameters"))
            .transpose()?,
        result_selector: map
            .get("ResultSelector")
            .map(|v| compile_object_template(v, "ResultSelector"))
            .transpose()?,
        retry: parse_error_handlers(map, "Retry", parse_retrier, |r| &r.errors)?,
        catch: parse_error_handlers(map, "Catch", parse_catcher, |c| &c.errors)?,
    })
}

/// `Retry` or `Catch`: an optional array of entries, each parsed by `parse`, with the
/// `States.ALL` placement rule checked across them.
fn parse_error_handlers<T>(
    map: &Map<String, Value>,
    field: &str,
    parse: fn(&Value) -> Result<T, String>,
    errors_of: fn(&T) -> &Vec<String>,
) -> Result<Vec<T>, String> {
    let items = match map.get(field) {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(format!("{field} must be an array")),
    };
    let handlers = items
        .iter()
        .enumerate()
        .map(|(i, item)| parse(item).map_err(|e| format!("{field}[{i}]: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    check_states_all_last(handlers.iter().map(errors_of), field)?;
    Ok(handlers)
}

/// AWS rule: `States.ALL` must be alone in its `ErrorEquals` and in the last entry.
fn check_states_all_last<'a>(
    lists: impl ExactSizeIterator<Item = &'a Vec<String>>,
    field: &str,
) -> Result<(), String> {
    let count = lists.len();
    for (i, errors) in lists.enumerate() {
        if errors.iter().any(|e| e == "States.ALL") && (errors.len() > 1 || i + 1 != count) {
            return Err(format!(
                "{field}[{i}]: States.ALL must appear alone and in the last entry"
            ));
        }
    }
    Ok(())
}

fn parse_error_equals(map: &Map<String, Value>) -> Result<Vec<String>, String> {
    let Some(Value::Array(items)) = map.get("ErrorEquals") else {
        return Err("ErrorEquals (a non-empty array of error names) is required".into());
    };
    let errors: Vec<String> = items
        .iter()
        .map(|e| e.as_str().map(str::to_string))
        .collect::<Option<_>>()
        .ok_or("ErrorEquals must hold strings")?;
    if errors.is_empty() {
        return Err("ErrorEquals must not be empty".into());
    }
    Ok(errors)
}

fn parse_retrier(value: &Value) -> Result<Retrier, String> {
    let Value::Object(map) = value else {
        return Err("a retrier must be an object".into());
    };
    for key in map.keys() {
        if ![
            "ErrorEquals",
            "IntervalSeconds",
            "MaxAttempts",
            "BackoffRate",
            "MaxDelaySeconds",
            "JitterStrategy",
            "Comment",
        ]
        .contains(&key.as_str())
        {
            return Err(format!("unsupported field '{key}'"));
        }
    }
    let number = |field: &str, default: f64| -> Result<f64, String> {
        match map.get(field) {
            None => Ok(default),
            Some(v) => v
                .as_f64()
                .filter(|n| *n >= 0.0)
                .ok_or_else(|| format!("{field} must be a non-negative number")),
        }
    };
    let backoff_rate = number("BackoffRate", 2.0)?;
    if backoff_rate < 1.0 {
        return Err("BackoffRate must be at least 1.0".into());
    }
    let jitter = match map.get("JitterStrategy").and_then(Value::as_str) {
        None | Some("NONE") => false,
        Some("FULL") => true,
        Some(other) => return Err(format!("JitterStrategy '{other}' is not FULL or NONE")),
    };
    Ok(Retrier {
        errors: parse_error_equals(map)?,
        interval_seconds: number("IntervalSeconds", 1.0)?.max(1.0),
        max_attempts: number("MaxAttempts", 3.0)? as u32,
        backoff_rate,
        max_delay_seconds: map
            .get("MaxDelaySeconds")
            .map(|_| number("MaxDelaySeconds", 0.0))
            .transpose()?,
        jitter,
    })
}

fn parse_catcher(value: &Value) -> Result<Catcher, String> {
    let Value::Object(map) = value else {
        return Err("a catcher must be an object".into());
    };
    for key in map.keys() {
        if !["ErrorEquals", "ResultPath", "Next", "Comment"].contains(&key.as_str()) {
            return Err(format!("unsupported field '{key}'"));
        }
    }
    Ok(Catcher {
        errors: parse_error_equals(map)?,
        result_path: parse_nullable_path(map, "ResultPath")?,
        next: map
            .get("Next")
            .and_then(Value::as_str)
            .ok_or("Next is required")?
            .to_string(),
    })
}

fn parse_wait(map: &Map<String, Value>) -> Result<WaitFor, String> {
    let present: Vec<&str> = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
        .into_iter()
        .filter(|f| map.contains_key(*f))
        .collect();
    if present.len() != 1 {
        return Err("needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath".into());
    }
    Ok(match present[0] {
        "Seconds" => WaitFor::Seconds(
            map["Seconds"]
                .as_u64()
                .ok_or("Seconds must be a non-negative integer")?,
        ),
        "Timestamp" => {
            let text = map["Timestamp"]
                .as_str()
                .ok_or("Timestamp must be a string")?;
            WaitFor::Timestamp(parse_timestamp(text)?)
        }
        "SecondsPath" => {
            WaitFor::SecondsPath(parse_path_field(map, "SecondsPath")?.expect("present"))
        }
        _ => WaitFor::TimestampPath(parse_path_field(map, "TimestampPath")?.expect("present")),
    })
}

/// RFC 3339 timestamp → epoch milliseconds.
pub fn parse_timestamp(text: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .map_err(|e| format!("'{text}' is not an RFC 3339 timestamp ({e})"))
}

fn parse_fail_field(map: &Map<String, Value>, field: &str) -> Result<Option<FailField>, String> {
    let path_field = format!("{field}Path");
    match (map.get(field), map.get(&path_field)) {
        (Some(_), Some(_)) => Err(format!("use {field} or {path_field}, not both")),
        (Some(Value::String(text)), None) => Ok(Some(FailField::Literal(text.clone()))),
        (Some(_), None) => Err(format!("{field} must be a string")),
        (None, Some(_)) => Ok(parse_path_field(map, &path_field)?.map(FailField::Path)),
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<StateMachine, DefinitionError> {
        StateMachine::parse(&value.to_string(), &|r| r.service == "lambda")
    }

    fn lambda_task(next: Value) -> Value {
        let mut task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                              "Parameters": {"FunctionName": "f", "Payload.$": "$"}});
        task.as_object_mut()
            .unwrap()
            .extend(next.as_object().unwrap().clone());
        task
    }

    #[test]
    fn a_valid_machine_loads_with_defaults() {
        let machine = parse(json!({"StartAt": "A", "States": {
            "A": lambda_task(json!({"Next": "B", "Retry": [{"ErrorEquals": ["States.ALL"]}]})),
            "B": {"Type": "Pass", "ResultPath": null, "End": true}
        }}))
        .unwrap();
        let a = &machine.states["A"];
        assert_eq!(a.transition, Transition::Next("B".into()));
        assert_eq!(a.io.retry[0].max_attempts, 3);
        assert_eq!(a.io.retry[0].interval_seconds, 1.0);
        assert_eq!(a.io.retry[0].backoff_rate, 2.0);
        assert_eq!(machine.states["B"].io.result_path, None);
        assert_eq!(machine.states["B"].io.input_path, Some(Path::root()));
    }

    #[test]
    fn unsupported_constructs_name_the_state() {
        let err = parse(json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                  "StartAt": "X", "States": {"X": {"Type": "Succeed"}}}, "End": true}
        }}))
        .unwrap_err();
        assert_eq!(err.state.as_deref(), Some("B"));
        assert!(err.message.contains("DISTRIBUTED"), "{err}");

        let err = parse(json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}
        }}))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "state 'A': resource 'arn:aws:states:::ecs:runTask.sync': only the request-response integration pattern is supported"
        );

        let err = parse(json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}
        }}))
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("not supported by the local sandbox")
        );

        let err = parse(json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "End": true, "Assign": {"x": 1}}
        }}))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "state 'A': field 'Assign' is not supported on a Pass state"
        );

        let err =
            parse(json!({"StartAt": "A", "States": {"A": {"Type": "Teleport", "End": true}}}))
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "state 'A': state type 'Teleport' is not supported"
        );
    }

    #[test]
    fn errors_inside_branches_name_the_inner_state() {
        let err = parse(json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Parameters": {"x.$": "States.Nope()"}, "End": true}}}
            ]}
        }}))
        .unwrap_err();
        assert_eq!(err.state.as_deref(), Some("Inner"));
        assert!(err.message.contains("States.Nope"), "{err}");
        let err = parse(json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Nowhere", "States": {}}]}
        }}))
        .unwrap_err();
        assert_eq!(err.state.as_deref(), Some("P"));
        assert!(
            err.message.contains("Branches[0]: StartAt 'Nowhere'"),
            "{err}"
        );
    }

    #[test]
    fn structural_mistakes_are_refused() {
        let err = parse(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Z"}}}))
            .unwrap_err();
        assert!(err.message.contains("'Z'"), "{err}");
        let err = parse(json!({"StartAt": "A", "States": {"A": {"Type": "Pass"}}})).unwrap_err();
        assert!(err.message.contains("Next"), "{err}");
        let err = parse(json!({"StartAt": "A", "States": {
            "A": lambda_task(json!({"End": true, "Catch": [
                {"ErrorEquals": ["States.ALL"], "Next": "A"}, {"ErrorEquals": ["X"], "Next": "A"}]}))
        }}))
        .unwrap_err();
        assert!(
            err.message.contains("States.ALL must appear alone"),
            "{err}"
        );
        let err = parse(json!({"StartAt": "A", "States": {"A": {"Type": "Wait", "End": true}}}))
            .unwrap_err();
        assert!(err.message.contains("exactly one of Seconds"), "{err}");
        let err =
            parse(json!({"StartAt": "A", "QueryLanguage": "JSONata", "States": {}})).unwrap_err();
        assert!(err.message.contains("JSONata"), "{err}");
    }

    #[test]
    fn error_matching_follows_the_reserved_names() {
        let all = vec!["States.ALL".to_string()];
        let task_failed = vec!["States.TaskFailed".to_string()];
        assert!(error_matches(&all, "Lambda.ServiceException"));
        assert!(!error_matches(&all, "States.Runtime"));
        assert!(error_matches(&task_failed, "FaceAlreadyExistsError"));
        assert!(!error_matches(&task_failed, "States.Timeout"));
        assert!(error_matches(&["X".to_string()], "X"));
        assert!(!error_matches(&["X".to_string()], "Y"));
    }
}
