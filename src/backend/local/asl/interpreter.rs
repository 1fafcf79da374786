//! Runs a loaded state machine and writes its history as Step Functions does: one event log
//! per execution, consecutive ids, and `previousEventId` chains that follow each flow of
//! control (a Parallel branch's first event chains to `ParallelStateStarted`, a Map
//! iteration's `MapIterationStarted` to `MapStateStarted`, `ParallelStateSucceeded` to the
//! last branch event). Tasks are delegated to a `TaskExecutor`; every wait is a tokio sleep,
//! so tests can run with a paused clock.

use super::StateError;
use super::definition::{
    FailField, Retrier, State, StateKind, StateMachine, TaskResource, Transition, WaitFor,
    error_matches,
};
use super::jsonpath::Path;
use super::ledger::{Ledger, Mark};
use super::template::{EvalEnv, Template};
use crate::backend::local::cancel::CancelToken;
use crate::backend::local::clock::Clock;
use crate::domain::Millis;
use crate::domain::history::{EventDetails, EventType, HistoryEvent};
use crate::domain::time::format_rfc3339;
use async_trait::async_trait;
use futures_util::future::{BoxFuture, join_all};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The history of one execution. Events are only ever appended.
#[derive(Debug)]
pub struct EventLog {
    clock: Clock,
    events: Mutex<Vec<HistoryEvent>>,
}

impl EventLog {
    pub fn new(clock: Clock) -> EventLog {
        EventLog {
            clock,
            events: Mutex::new(Vec::new()),
        }
    }

    /// Appends an event chained to `previous`; returns its id.
    pub fn emit(&self, previous: i64, event_type: EventType, details: EventDetails) -> i64 {
        let mut events = self.events.lock().expect("event log lock");
        let id = events.len() as i64 + 1;
        events.push(
            HistoryEvent::new(id, previous, self.clock.now_ms(), event_type).with_details(details),
        );
        id
    }

    /// A log holding a history written beforehand (the backfill's recorded runs).
    pub fn recorded(clock: Clock, events: Vec<HistoryEvent>) -> EventLog {
        EventLog {
            clock,
            events: Mutex::new(events),
        }
    }

    /// Events with an id above `after_event_id`, ascending.
    pub fn events_after(&self, after_event_id: i64) -> Vec<HistoryEvent> {
        let events = self.events.lock().expect("event log lock");
        let skip = after_event_id.clamp(0, events.len() as i64) as usize;
        events[skip..].to_vec()
    }

    pub fn len(&self) -> usize {
        self.events.lock().expect("event log lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One task invocation as the executor sees it.
pub struct TaskCall<'a> {
    pub execution_arn: &'a str,
    pub state_name: &'a str,
    pub resource: &'a TaskResource,
    /// The resolved `Parameters` (the request sent to the service).
    pub parameters: &'a Value,
    /// 0 for the first attempt, then 1, 2, … for retries.
    pub attempt: u32,
}

/// Performs tasks: the built-in pipeline functions in the sandbox, fakes in tests.
#[async_trait]
pub trait TaskExecutor: Send + Sync + 'static {
    /// Whether a resource can be called at all (checked when a definition is loaded).
    fn supports(&self, resource: &TaskResource) -> bool;

    /// The time between `TaskScheduled` and `TaskStarted`.
    async fn schedule(&self, _call: &TaskCall<'_>) {}

    /// Runs the task (including its duration) and returns the service's response.
    async fn invoke(&self, call: &TaskCall<'_>) -> Result<Value, StateError>;
}

/// Who and what an execution is: the source of the `$$` context object.
#[derive(Debug, Clone)]
pub struct RunSpec {
    pub execution_arn: String,
    pub execution_name: String,
    pub state_machine_arn: String,
    pub state_machine_name: String,
    pub role_arn: String,
    pub input: Value,
    /// Seed of the run's own randomness (`States.UUID`, retry jitter).
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExecutionEnd {
    Succeeded { output: Value },
    Failed(StateError),
    Aborted,
}

/// An error a Catch routed onwards: what makes a succeeded run a rejected one.
#[derive(Debug, Clone, PartialEq)]
pub struct CaughtError {
    pub state: String,
    pub error: String,
    pub cause: String,
}

/// Why a flow stopped early.
#[derive(Debug, Clone, PartialEq)]
enum Halt {
    Failed(StateError),
    Cancelled,
}

impl From<StateError> for Halt {
    fn from(error: StateError) -> Self {
        Halt::Failed(error)
    }
}

enum Step<'a> {
    Next(&'a str, Value),
    End(Value),
}

/// One execution in progress.
pub struct Run {
    spec: RunSpec,
    start_time: Millis,
    clock: Clock,
    log: Arc<EventLog>,
    executor: Arc<dyn TaskExecutor>,
    cancel: CancelToken,
    stop_reason: Mutex<(Option<String>, Option<String>)>,
    caught: Mutex<Option<CaughtError>>,
    rng: Mutex<SmallRng>,
    /// Every state entry so far, shared with the redrives of this execution.
    ledger: Arc<Ledger>,
}

impl Run {
    /// Creates the run and writes `ExecutionStarted` (id 1) at once, so the history is never
    /// empty once an execution exists.
    pub fn begin(
        spec: RunSpec,
        clock: Clock,
        log: Arc<EventLog>,
        executor: Arc<dyn TaskExecutor>,
    ) -> Arc<Run> {
        log.emit(
            0,
            EventType::ExecutionStarted,
            EventDetails {
                input: Some(spec.input.to_string()),
                role_arn: Some(spec.role_arn.clone()),
                ..EventDetails::default()
            },
        );
        Arc::new(Run {
            rng: Mutex::new(SmallRng::seed_from_u64(spec.seed)),
            spec,
            start_time: clock.now_ms(),
            clock,
            log,
            executor,
            cancel: CancelToken::new(),
            stop_reason: Mutex::new((None, None)),
            caught: Mutex::new(None),
            ledger: Arc::new(Ledger::default()),
        })
    }

    /// The run a redrive of `previous` starts: the same execution (input, history, ledger),
    /// a fresh stop token. `execute_redrive` runs it.
    pub fn redriven(previous: &Run) -> Arc<Run> {
        Arc::new(Run {
            rng: Mutex::new(SmallRng::seed_from_u64(previous.spec.seed.wrapping_add(1))),
            spec: previous.spec.clone(),
            start_time: previous.start_time,
            clock: previous.clock,
            log: Arc::clone(&previous.log),
            executor: Arc::clone(&previous.executor),
            cancel: CancelToken::new(),
            stop_reason: Mutex::new((None, None)),
            caught: Mutex::new(previous.caught()),
            ledger: Arc::clone(&previous.ledger),
        })
    }

    /// Whether a redrive has something to resume from (a backfilled run never ran here).
    pub fn can_resume(&self) -> bool {
        !self.ledger.is_empty()
    }

    /// A run that ended before the sandbox started (the backfill): its whole history is in
    /// `log` already and nothing runs; `caught` is the error a Catch routed onwards, if any.
    pub fn recorded(
        spec: RunSpec,
        clock: Clock,
        log: Arc<EventLog>,
        executor: Arc<dyn TaskExecutor>,
        start_time: Millis,
        caught: Option<CaughtError>,
    ) -> Arc<Run> {
        Arc::new(Run {
            rng: Mutex::new(SmallRng::seed_from_u64(spec.seed)),
            spec,
            start_time,
            clock,
            log,
            executor,
            cancel: CancelToken::new(),
            stop_reason: Mutex::new((None, None)),
            caught: Mutex::new(caught),
            ledger: Arc::new(Ledger::default()),
        })
    }

    pub fn log(&self) -> &Arc<EventLog> {
        &self.log
    }

    pub fn start_time(&self) -> Millis {
        self.start_time
    }

    /// The first error a Catch routed onwards, if any.
    pub fn caught(&self) -> Option<CaughtError> {
        self.caught.lock().expect("caught lock").clone()
    }

    /// Asks the run to stop: open states write their `…Aborted` events and `execute`
    /// returns `Aborted`.
    pub fn request_stop(&self, error: Option<String>, cause: Option<String>) {
        *self.stop_reason.lock().expect("stop lock") = (error, cause);
        self.cancel.cancel();
    }

    /// Runs the machine to its end; returns how it ended and the id of its last event. The
    /// closing `Execution*` event is written by `finish`, so that the owner can decide it
    /// atomically with the status it reports.
    pub async fn execute(&self, machine: &StateMachine) -> (ExecutionEnd, i64) {
        self.execute_from(machine, 1).await
    }

    /// Runs a redrive to its end after the history's last event, `last_event_id`:
    /// `ExecutionRedriven`, then what did not succeed again, as `execute` does.
    pub async fn execute_redrive(
        &self,
        machine: &StateMachine,
        last_event_id: i64,
        redrive_count: u32,
    ) -> (ExecutionEnd, i64) {
        let redriven = self.log.emit(
            last_event_id,
            EventType::ExecutionRedriven,
            EventDetails {
                redrive_count: Some(redrive_count),
                ..EventDetails::default()
            },
        );
        self.execute_from(machine, redriven).await
    }

    async fn execute_from(&self, machine: &StateMachine, mut cursor: i64) -> (ExecutionEnd, i64) {
        let result = self
            .run_states(
                machine,
                self.spec.input.clone(),
                &mut cursor,
                &self.cancel,
                "",
            )
            .await;
        let end = match result {
            Ok(output) => ExecutionEnd::Succeeded { output },
            Err(Halt::Failed(error)) => ExecutionEnd::Failed(error),
            Err(Halt::Cancelled) => ExecutionEnd::Aborted,
        };
        (end, cursor)
    }

    /// Writes the closing event (`ExecutionSucceeded`, `ExecutionFailed` or
    /// `ExecutionAborted` with the stop request's error and cause).
    pub fn finish(&self, end: &ExecutionEnd, last_event_id: i64) {
        let (event_type, details) = match end {
            ExecutionEnd::Succeeded { output } => (
                EventType::ExecutionSucceeded,
                EventDetails {
                    output: Some(output.to_string()),
                    ..EventDetails::default()
                },
            ),
            ExecutionEnd::Failed(error) => (
                EventType::ExecutionFailed,
                EventDetails {
                    error: Some(error.error.clone()),
                    cause: Some(error.cause.clone()),
                    ..EventDetails::default()
                },
            ),
            ExecutionEnd::Aborted => {
                let (error, cause) = self.stop_reason.lock().expect("stop lock").clone();
                (
                    EventType::ExecutionAborted,
                    EventDetails {
                        error,
                        cause,
                        ..EventDetails::default()
                    },
                )
            }
        };
        self.log.emit(last_event_id, event_type, details);
    }

    /// `execute` then `finish`: the whole run.
    pub async fn run_to_end(&self, machine: &StateMachine) -> ExecutionEnd {
        let (end, last) = self.execute(machine).await;
        self.finish(&end, last);
        end
    }

    fn emit(&self, cursor: &mut i64, event_type: EventType, details: EventDetails) {
        *cursor = self.log.emit(*cursor, event_type, details);
    }

    fn emit_state(&self, cursor: &mut i64, state: &State, suffix: &str, details: EventDetails) {
        let event_type = EventType::parse(&format!("{}State{suffix}", state.kind.type_name()));
        self.emit(cursor, event_type, details);
    }

    fn uuid(&self) -> String {
        let mut rng = self.rng.lock().expect("rng lock");
        random_uuid(&mut *rng)
    }

    /// The `$$` context object for a state.
    fn context(
        &self,
        state: &State,
        entered: Millis,
        retry_count: u32,
        item: Option<(usize, &Value)>,
    ) -> Value {
        let mut context = json!({
            "Execution": {
                "Id": self.spec.execution_arn,
                "Input": self.spec.input,
                "Name": self.spec.execution_name,
                "RoleArn": self.spec.role_arn,
                "StartTime": format_rfc3339(self.start_time),
                "RedriveCount": 0,
            },
            "StateMachine": {"Id": self.spec.state_machine_arn, "Name": self.spec.state_machine_name},
            "State": {"Name": state.name, "EnteredTime": format_rfc3339(entered), "RetryCount": retry_count},
        });
        if let Some((index, value)) = item {
            context["Map"] = json!({"Item": {"Index": index, "Value": value}});
        }
        context
    }

    fn evaluate(
        &self,
        template: &Template,
        input: &Value,
        context: &Value,
    ) -> Result<Value, StateError> {
        let mut uuid = || self.uuid();
        let mut env = EvalEnv {
            input,
            context,
            uuid: &mut uuid,
        };
        template.evaluate(&mut env)
    }

    /// Runs the flow of `machine` at `path` (the ledger's name for it: "" at the top, a
    /// branch's or an iteration's otherwise). A state entry the ledger holds as done (a
    /// redrive's) is passed over without events, with the output and next state it had.
    fn run_states<'a>(
        &'a self,
        machine: &'a StateMachine,
        input: Value,
        cursor: &'a mut i64,
        cancel: &'a CancelToken,
        path: &'a str,
    ) -> BoxFuture<'a, Result<Value, Halt>> {
        Box::pin(async move {
            let mut name = machine.start_at.as_str();
            let mut input = input;
            let mut visits: std::collections::HashMap<&str, u32> = Default::default();
            loop {
                if cancel.is_cancelled() {
                    return Err(Halt::Cancelled);
                }
                let visit = visits.entry(name).or_default();
                let key = Ledger::key(path, name, *visit);
                *visit += 1;
                if let Some(Mark {
                    done: Some((output, next)),
                    ..
                }) = self.ledger.get(&key)
                {
                    match next {
                        Some(next) => {
                            let Some((next, _)) = machine.states.get_key_value(next.as_str())
                            else {
                                return Err(Halt::Failed(StateError::runtime(format!(
                                    "the state '{next}' to resume at is not in the definition"
                                ))));
                            };
                            name = next;
                            input = output;
                            continue;
                        }
                        None => return Ok(output),
                    }
                }
                let state = &machine.states[name];
                match self.run_state(state, input, cursor, cancel, &key).await? {
                    Step::Next(next, output) => {
                        self.ledger.done(&key, &output, Some(next));
                        name = next;
                        input = output;
                    }
                    Step::End(output) => {
                        self.ledger.done(&key, &output, None);
                        return Ok(output);
                    }
                }
            }
        })
    }

    /// Runs one state entry, `key` in the ledger. One the ledger holds as entered (a
    /// redrive of a state that did not finish) is not entered again: its events follow its
    /// original `*StateEntered`, as AWS writes them.
    async fn run_state<'a>(
        &self,
        state: &'a State,
        raw_input: Value,
        cursor: &mut i64,
        cancel: &CancelToken,
        key: &str,
    ) -> Result<Step<'a>, Halt> {
        let entered = self.clock.now_ms();
        let resumed = match self.ledger.get(key) {
            Some(mark) => {
                *cursor = mark.entered;
                true
            }
            None => {
                self.emit_state(
                    cursor,
                    state,
                    "Entered",
                    named(&state.name).input(&raw_input),
                );
                self.ledger.entered(key, *cursor);
                false
            }
        };
        let context = self.context(state, entered, 0, None);
        let io = &state.io;
        let output = match &state.kind {
            StateKind::Pass { result } => {
                let effective = apply_input_path(io.input_path.as_ref(), &raw_input)?;
                let value = match (&io.parameters, result) {
                    (Some(parameters), _) => self.evaluate(parameters, &effective, &context)?,
                    (None, Some(result)) => result.clone(),
                    (None, None) => effective,
                };
                let combined = apply_result_path(io.result_path.as_ref(), raw_input, value)?;
                apply_output_path(io.output_path.as_ref(), &combined)?
            }
            StateKind::Choice { choices, default } => {
                let effective = apply_input_path(io.input_path.as_ref(), &raw_input)?;
                let mut chosen = None;
                for (rule, next) in choices {
                    if rule.evaluate(&effective, &context)? {
                        chosen = Some(next.as_str());
                        break;
                    }
                }
                let next = chosen
                    .or(default.as_deref())
                    .ok_or_else(|| StateError::new("States.NoChoiceMatched", "No Matches!"))?;
                let output = apply_output_path(io.output_path.as_ref(), &effective)?;
                self.emit_state(cursor, state, "Exited", named(&state.name).output(&output));
                return Ok(Step::Next(next, output));
            }
            StateKind::Wait(wait_for) => {
                let effective = apply_input_path(io.input_path.as_ref(), &raw_input)?;
                let delay = self.wait_duration(wait_for, &effective)?;
                if sleep_or_cancel(cancel, delay).await.is_err() {
                    self.emit_state(cursor, state, "Aborted", EventDetails::default());
                    return Err(Halt::Cancelled);
                }
                apply_output_path(io.output_path.as_ref(), &effective)?
            }
            StateKind::Succeed => {
                let effective = apply_input_path(io.input_path.as_ref(), &raw_input)?;
                let output = apply_output_path(io.output_path.as_ref(), &effective)?;
                self.emit_state(cursor, state, "Exited", named(&state.name).output(&output));
                return Ok(Step::End(output));
            }
            StateKind::Fail { error, cause } => {
                let read = |field: &Option<FailField>| -> Result<String, StateError> {
                    Ok(match field {
                        None => String::new(),
                        Some(FailField::Literal(text)) => text.clone(),
                        Some(FailField::Path(path)) => match read_path(path, &raw_input, &context)?
                        {
                            Value::String(text) => text,
                            other => other.to_string(),
                        },
                    })
                };
                return Err(Halt::Failed(StateError::new(read(error)?, read(cause)?)));
            }
            StateKind::Task { .. } | StateKind::Parallel { .. } | StateKind::Map { .. } => {
                match self
                    .run_with_retries(state, &raw_input, &context, cursor, cancel, (key, resumed))
                    .await
                {
                    Ok(output) => output,
                    Err(Halt::Failed(error)) => {
                        let Some(catcher) = state
                            .io
                            .catch
                            .iter()
                            .find(|c| error_matches(&c.errors, &error.error))
                        else {
                            return Err(Halt::Failed(error));
                        };
                        let error_output = json!({"Error": error.error, "Cause": error.cause});
                        let output = apply_result_path(
                            catcher.result_path.as_ref(),
                            raw_input,
                            error_output,
                        )?;
                        self.caught
                            .lock()
                            .expect("caught lock")
                            .get_or_insert(CaughtError {
                                state: state.name.clone(),
                                error: error.error,
                                cause: error.cause,
                            });
                        self.emit_state(
                            cursor,
                            state,
                            "Exited",
                            named(&state.name).output(&output),
                        );
                        return Ok(Step::Next(&catcher.next, output));
                    }
                    Err(Halt::Cancelled) => {
                        self.emit_state(cursor, state, "Aborted", EventDetails::default());
                        return Err(Halt::Cancelled);
                    }
                }
            }
        };
        self.emit_state(cursor, state, "Exited", named(&state.name).output(&output));
        Ok(match &state.transition {
            Transition::Next(next) => Step::Next(next, output),
            Transition::End => Step::End(output),
        })
    }

    fn wait_duration(&self, wait_for: &WaitFor, input: &Value) -> Result<Duration, StateError> {
        let until = |target_ms: Millis| {
            Duration::from_millis((target_ms - self.clock.now_ms()).max(0) as u64)
        };
        Ok(match wait_for {
            WaitFor::Seconds(seconds) => Duration::from_secs(*seconds),
            WaitFor::Timestamp(ms) => until(*ms),
            WaitFor::SecondsPath(path) => {
                let value = path
                    .read(input)
                    .ok_or_else(|| missing(path, "SecondsPath"))?;
                let seconds = value.as_u64().ok_or_else(|| {
                    StateError::runtime(format!(
                        "The SecondsPath parameter does not reference a valid integer value: {value}"
                    ))
                })?;
                Duration::from_secs(seconds)
            }
            WaitFor::TimestampPath(path) => {
                let value = path
                    .read(input)
                    .ok_or_else(|| missing(path, "TimestampPath"))?;
                let ms = value
                    .as_str()
                    .and_then(|t| super::definition::parse_timestamp(t).ok())
                    .ok_or_else(|| {
                        StateError::runtime(format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 timestamp: {value}"
                        ))
                    })?;
                until(ms)
            }
        })
    }

    /// Task, Parallel and Map: attempts with the state's Retry policy; returns the state's
    /// output (after ResultSelector, ResultPath, OutputPath) or the final error.
    /// `(key, resumed)`: the entry's ledger key, and whether it resumes one that did not finish
    /// (its first attempt then continues the Parallel's or Map's last one).
    async fn run_with_retries(
        &self,
        state: &State,
        raw_input: &Value,
        context: &Value,
        cursor: &mut i64,
        cancel: &CancelToken,
        (key, resumed): (&str, bool),
    ) -> Result<Value, Halt> {
        let io = &state.io;
        let effective = apply_input_path(io.input_path.as_ref(), raw_input)?;
        // A Map's Parameters are its ItemSelector (moved there at load time).
        let request = match &io.parameters {
            Some(parameters) => self.evaluate(parameters, &effective, context)?,
            None => effective,
        };
        let mut retries_used = vec![0u32; io.retry.len()];
        let mut attempt = 0u32;
        loop {
            let result = match &state.kind {
                StateKind::Task {
                    resource,
                    timeout_seconds,
                } => {
                    self.task_attempt(
                        state,
                        resource,
                        *timeout_seconds,
                        &request,
                        attempt,
                        cursor,
                        cancel,
                    )
                    .await
                }
                StateKind::Parallel { branches } => {
                    let place = self.container_attempt(key, resumed && attempt == 0);
                    self.parallel_attempt(branches, &request, cursor, cancel, place)
                        .await
                }
                StateKind::Map {
                    items_path,
                    item_selector,
                    processor,
                    max_concurrency,
                } => {
                    let place = self.container_attempt(key, resumed && attempt == 0);
                    self.map_attempt(
                        state,
                        items_path,
                        item_selector.as_ref(),
                        processor,
                        *max_concurrency,
                        &request,
                        cursor,
                        cancel,
                        place,
                    )
                    .await
                }
                _ => unreachable!("only Task, Parallel and Map are retried"),
            };
            let error = match result {
                Ok(value) => {
                    let selected = match &io.result_selector {
                        Some(selector) => self.evaluate(selector, &value, context)?,
                        None => value,
                    };
                    let combined =
                        apply_result_path(io.result_path.as_ref(), raw_input.clone(), selected)?;
                    return Ok(apply_output_path(io.output_path.as_ref(), &combined)?);
                }
                Err(Halt::Cancelled) => return Err(Halt::Cancelled),
                Err(Halt::Failed(error)) => error,
            };
            let Some(index) = io
                .retry
                .iter()
                .position(|r| error_matches(&r.errors, &error.error))
            else {
                return Err(Halt::Failed(error));
            };
            let retrier = &io.retry[index];
            if retries_used[index] >= retrier.max_attempts {
                return Err(Halt::Failed(error));
            }
            let delay = self.backoff(retrier, retries_used[index]);
            retries_used[index] += 1;
            attempt += 1;
            sleep_or_cancel(cancel, delay).await?;
        }
    }

    /// `IntervalSeconds × BackoffRate^n`, capped by `MaxDelaySeconds`, with full jitter when
    /// asked for.
    fn backoff(&self, retrier: &Retrier, retries_so_far: u32) -> Duration {
        let mut seconds =
            retrier.interval_seconds * retrier.backoff_rate.powi(retries_so_far as i32);
        if let Some(max) = retrier.max_delay_seconds {
            seconds = seconds.min(max);
        }
        if retrier.jitter {
            seconds *= self.rng.lock().expect("rng lock").random::<f64>();
        }
        Duration::from_secs_f64(seconds)
    }

    #[allow(clippy::too_many_arguments)]
    async fn task_attempt(
        &self,
        state: &State,
        resource: &TaskResource,
        timeout_seconds: Option<u64>,
        parameters: &Value,
        attempt: u32,
        cursor: &mut i64,
        cancel: &CancelToken,
    ) -> Result<Value, Halt> {
        let task_details = || EventDetails {
            resource_type: Some(resource.service.clone()),
            resource: Some(resource.action.clone()),
            ..EventDetails::default()
        };
        self.emit(
            cursor,
            EventType::TaskScheduled,
            EventDetails {
                parameters: Some(parameters.to_string()),
                ..task_details()
            },
        );
        let call = TaskCall {
            execution_arn: &self.spec.execution_arn,
            state_name: &state.name,
            resource,
            parameters,
            attempt,
        };
        tokio::select! {
            _ = self.executor.schedule(&call) => {}
            _ = cancel.cancelled() => return Err(Halt::Cancelled),
        }
        self.emit(cursor, EventType::TaskStarted, task_details());
        let timeout = timeout_seconds
            .map(Duration::from_secs)
            .unwrap_or(Duration::MAX);
        let outcome = tokio::select! {
            result = self.executor.invoke(&call) => Some(result),
            _ = tokio::time::sleep(timeout), if timeout_seconds.is_some() => None,
            _ = cancel.cancelled() => return Err(Halt::Cancelled),
        };
        match outcome {
            Some(Ok(output)) => {
                self.emit(
                    cursor,
                    EventType::TaskSucceeded,
                    EventDetails {
                        output: Some(output.to_string()),
                        ..task_details()
                    },
                );
                Ok(output)
            }
            Some(Err(error)) => {
                self.task_error(cursor, EventType::TaskFailed, error, task_details())
            }
            None => self.task_error(
                cursor,
                EventType::TaskTimedOut,
                StateError::new("States.Timeout", ""),
                task_details(),
            ),
        }
    }

    /// Writes `TaskFailed` / `TaskTimedOut` with the error and fails the attempt.
    fn task_error(
        &self,
        cursor: &mut i64,
        event_type: EventType,
        error: StateError,
        task_details: EventDetails,
    ) -> Result<Value, Halt> {
        self.emit(
            cursor,
            event_type,
            EventDetails {
                error: Some(error.error.clone()),
                cause: Some(error.cause.clone()),
                ..task_details
            },
        );
        Err(Halt::Failed(error))
    }

    /// Where a Parallel's or Map's attempt runs its flows in the ledger, and whether it
    /// resumes the last attempt (a redrive: no new `…StateStarted`) rather than starting one.
    fn container_attempt(&self, key: &str, resumed: bool) -> (String, bool) {
        let attempt = if resumed {
            self.ledger.attempt(key)
        } else {
            self.ledger.next_attempt(key)
        };
        (format!("{key}/{attempt}"), resumed)
    }

    async fn parallel_attempt(
        &self,
        branches: &[Arc<StateMachine>],
        input: &Value,
        cursor: &mut i64,
        cancel: &CancelToken,
        (place, resumed): (String, bool),
    ) -> Result<Value, Halt> {
        if !resumed {
            self.emit(
                cursor,
                EventType::ParallelStateStarted,
                EventDetails::default(),
            );
        }
        let started = *cursor;
        let siblings = cancel.child();
        let first_error: Mutex<Option<StateError>> = Mutex::new(None);
        let runs = branches.iter().enumerate().map(|(index, branch)| {
            let siblings = &siblings;
            let first_error = &first_error;
            let path = Ledger::branch_path(&place, index);
            async move {
                let mut branch_cursor = started;
                let result = self
                    .run_states(branch, input.clone(), &mut branch_cursor, siblings, &path)
                    .await;
                if let Err(Halt::Failed(error)) = &result {
                    first_error
                        .lock()
                        .expect("error lock")
                        .get_or_insert(error.clone());
                    siblings.cancel();
                }
                (result, branch_cursor)
            }
        });
        let results = join_all(runs).await;
        *cursor = results.iter().map(|(_, c)| *c).max().unwrap_or(started);
        if let Some(error) = first_error.into_inner().expect("error lock") {
            self.emit(
                cursor,
                EventType::ParallelStateFailed,
                EventDetails::default(),
            );
            return Err(Halt::Failed(error));
        }
        let mut outputs = Vec::with_capacity(results.len());
        for (result, _) in results {
            outputs.push(result?);
        }
        self.emit(
            cursor,
            EventType::ParallelStateSucceeded,
            EventDetails::default(),
        );
        Ok(Value::Array(outputs))
    }

    #[allow(clippy::too_many_arguments)]
    async fn map_attempt(
        &self,
        state: &State,
        items_path: &Path,
        item_selector: Option<&Template>,
        processor: &StateMachine,
        max_concurrency: usize,
        input: &Value,
        cursor: &mut i64,
        cancel: &CancelToken,
        (place, resumed): (String, bool),
    ) -> Result<Value, Halt> {
        let items = match items_path.read(input) {
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(Halt::Failed(StateError::runtime(format!(
                    "Map state '{}': ItemsPath '{items_path}' must reference a JSON array, found {other}",
                    state.name
                ))));
            }
            None => return Err(Halt::Failed(missing(items_path, "ItemsPath"))),
        };
        if !resumed {
            self.emit(
                cursor,
                EventType::MapStateStarted,
                EventDetails {
                    length: Some(items.len() as u32),
                    ..EventDetails::default()
                },
            );
        }
        let started = *cursor;
        let siblings = cancel.child();
        let limit = if max_concurrency == 0 {
            items.len().max(1)
        } else {
            max_concurrency
        };
        let slots = tokio::sync::Semaphore::new(limit);
        let first_error: Mutex<Option<StateError>> = Mutex::new(None);
        let iteration_details = |index: usize| EventDetails {
            name: Some(state.name.clone()),
            index: Some(index as u32),
            ..EventDetails::default()
        };
        let runs = items.iter().enumerate().map(|(index, item)| {
            let (siblings, slots, first_error) = (&siblings, &slots, &first_error);
            let path = Ledger::iteration_path(&place, index);
            async move {
                let mut iteration_cursor = started;
                // A redrive passes over the iterations that succeeded and continues the ones
                // that did not from their `MapIterationStarted`.
                let mark = self.ledger.get(&path);
                if let Some(Mark {
                    done: Some((output, _)),
                    ..
                }) = mark
                {
                    return (Some(Ok(output)), iteration_cursor);
                }
                let _slot = tokio::select! {
                    slot = slots.acquire() => slot.expect("semaphore open"),
                    _ = siblings.cancelled() => return (None, iteration_cursor),
                };
                if siblings.is_cancelled() {
                    return (None, iteration_cursor);
                }
                match &mark {
                    Some(mark) => iteration_cursor = mark.entered,
                    None => {
                        self.emit(
                            &mut iteration_cursor,
                            EventType::MapIterationStarted,
                            iteration_details(index),
                        );
                        self.ledger.entered(&path, iteration_cursor);
                    }
                }
                let item_input = match item_selector {
                    Some(selector) => {
                        let context =
                            self.context(state, self.clock.now_ms(), 0, Some((index, item)));
                        self.evaluate(selector, input, &context)
                            .map_err(Halt::Failed)
                    }
                    None => Ok(item.clone()),
                };
                let result = match item_input {
                    Ok(item_input) => {
                        self.run_states(
                            processor,
                            item_input,
                            &mut iteration_cursor,
                            siblings,
                            &path,
                        )
                        .await
                    }
                    Err(halt) => Err(halt),
                };
                let closing = match &result {
                    Ok(output) => {
                        self.ledger.done(&path, output, None);
                        EventType::MapIterationSucceeded
                    }
                    Err(Halt::Failed(error)) => {
                        first_error
                            .lock()
                            .expect("error lock")
                            .get_or_insert(error.clone());
                        siblings.cancel();
                        EventType::MapIterationFailed
                    }
                    Err(Halt::Cancelled) => EventType::MapIterationAborted,
                };
                self.emit(&mut iteration_cursor, closing, iteration_details(index));
                (Some(result), iteration_cursor)
            }
        });
        let results = join_all(runs).await;
        *cursor = results.iter().map(|(_, c)| *c).max().unwrap_or(started);
        if let Some(error) = first_error.into_inner().expect("error lock") {
            self.emit(cursor, EventType::MapStateFailed, EventDetails::default());
            return Err(Halt::Failed(error));
        }
        let mut outputs = Vec::with_capacity(results.len());
        for (result, _) in results {
            outputs.push(result.unwrap_or(Err(Halt::Cancelled))?);
        }
        self.emit(
            cursor,
            EventType::MapStateSucceeded,
            EventDetails::default(),
        );
        Ok(Value::Array(outputs))
    }
}

/// A UUID-shaped (version 4 layout) identifier from the given generator.
pub fn random_uuid(rng: &mut impl Rng) -> String {
    let a: u32 = rng.random();
    let b: u16 = rng.random();
    let c: u16 = (rng.random::<u16>() & 0x0fff) | 0x4000;
    let d: u16 = (rng.random::<u16>() & 0x3fff) | 0x8000;
    let e: u64 = rng.random::<u64>() & 0xffff_ffff_ffff;
    format!("{a:08x}-{b:04x}-{c:04x}-{d:04x}-{e:012x}")
}

async fn sleep_or_cancel(cancel: &CancelToken, delay: Duration) -> Result<(), Halt> {
    tokio::select! {
        _ = tokio::time::sleep(delay) => Ok(()),
        _ = cancel.cancelled() => Err(Halt::Cancelled),
    }
}

fn missing(path: &Path, field: &str) -> StateError {
    StateError::runtime(format!(
        "The JSONPath '{path}' specified for the field '{field}' could not be found in the input"
    ))
}

fn read_path(path: &Path, input: &Value, context: &Value) -> Result<Value, StateError> {
    path.read(if path.context { context } else { input })
        .ok_or_else(|| missing(path, "path"))
}

/// `InputPath` / `OutputPath`: the selected part of `value`; `null` (None) selects `{}`.
fn select_path(path: Option<&Path>, value: &Value, field: &str) -> Result<Value, StateError> {
    match path {
        None => Ok(json!({})),
        Some(path) => path.read(value).ok_or_else(|| missing(path, field)),
    }
}

fn apply_input_path(path: Option<&Path>, input: &Value) -> Result<Value, StateError> {
    select_path(path, input, "InputPath")
}

fn apply_output_path(path: Option<&Path>, output: &Value) -> Result<Value, StateError> {
    select_path(path, output, "OutputPath")
}

fn apply_result_path(
    path: Option<&Path>,
    input: Value,
    result: Value,
) -> Result<Value, StateError> {
    match path {
        None => Ok(input),
        Some(path) => path
            .write(input, result)
            .map_err(|cause| StateError::new("States.ResultPathMatchFailure", cause)),
    }
}

fn named(name: &str) -> EventDetails {
    EventDetails {
        name: Some(name.to_string()),
        ..EventDetails::default()
    }
}

trait WithPayload {
    fn input(self, value: &Value) -> Self;
    fn output(self, value: &Value) -> Self;
}

impl WithPayload for EventDetails {
    fn input(mut self, value: &Value) -> Self {
        self.input = Some(value.to_string());
        self
    }

    fn output(mut self, value: &Value) -> Self {
        self.output = Some(value.to_string());
        self
    }
}

#[cfg(test)]
#[path = "interpreter_tests.rs"]
mod tests;
