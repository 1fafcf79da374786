//! The timeline: a tree of state spans built from a history, incrementally. This file holds the
//! data types the views and the headless CLI consume; the builder fills them.

pub mod chart;

use super::Millis;
use super::execution::{ExecutionStatus, Outcome, error_message_from_cause};
use super::history::HistoryEvent;

/// Index of a span in `Timeline::spans`. Stable: spans are only ever appended.
pub type SpanId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateType {
    Task,
    Parallel,
    Map,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
}

impl StateType {
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
            StateType::Pass => "Pass",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanStatus {
    Succeeded,
    /// Ended in an error that was not caught.
    Failed,
    /// Ended in an error that a `Catch` routed onwards.
    Caught,
    Running,
    Aborted,
    TimedOut,
}

impl SpanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SpanStatus::Succeeded => "SUCCEEDED",
            SpanStatus::Failed => "FAILED",
            SpanStatus::Caught => "CAUGHT",
            SpanStatus::Running => "RUNNING",
            SpanStatus::Aborted => "ABORTED",
            SpanStatus::TimedOut => "TIMED_OUT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
}

/// One try of a Task (scheduled → started → succeeded/failed). Retries are further attempts
/// within the same state entry; the gap between one attempt's end and the next one's
/// `scheduled` is the retry backoff.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub scheduled: Millis,
    pub started: Option<Millis>,
    pub end: Option<Millis>,
    pub status: AttemptStatus,
    pub error: Option<String>,
    pub cause: Option<String>,
}

/// Where a span sits inside Parallel branches and Map iterations, outermost first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// Branch `index` of Parallel state `parallel`; a branch's number is the order in which
    /// its first event appears in the history, from 0.
    Branch { parallel: String, index: usize },
    /// Iteration `index` of Map state `map`.
    Iteration { map: String, index: u32 },
}

impl PathSegment {
    /// `ParallelProcessing#1` or `ProcessItems[3]`, as in the headless JSON format.
    pub fn label(&self) -> String {
        match self {
            PathSegment::Branch { parallel, index } => format!("{parallel}#{index}"),
            PathSegment::Iteration { map, index } => format!("{map}[{index}]"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub id: SpanId,
    /// The enclosing Parallel or Map span, if any.
    pub parent: Option<SpanId>,
    /// Child spans (of a Parallel or Map), ordered by (branch/iteration, entry time).
    pub children: Vec<SpanId>,
    pub name: String,
    pub state_type: StateType,
    pub status: SpanStatus,
    pub start: Millis,
    /// None while running.
    pub end: Option<Millis>,
    /// Task attempts; empty for states that are not tasks.
    pub attempts: Vec<Attempt>,
    pub path: Vec<PathSegment>,
    /// Id of the `*StateEntered` event; the exit event when known.
    pub entered_event_id: i64,
    pub exited_event_id: Option<i64>,
    /// JSON text, when the history was fetched with execution data.
    pub input: Option<String>,
    pub output: Option<String>,
    /// The last error of the state (also set for Caught).
    pub error: Option<String>,
    pub cause: Option<String>,
    /// `lambda`, `sns`, `dynamodb`, … for tasks.
    pub resource_type: Option<String>,
    /// Map: number of iterations announced by `MapStateStarted`.
    pub iterations: Option<u32>,
}

impl Span {
    /// Duration so far (running) or in total.
    pub fn duration(&self, now: Millis) -> Millis {
        self.end.unwrap_or(now) - self.start
    }

    /// Number of task attempts (1 for states that are not tasks).
    pub fn attempt_count(&self) -> usize {
        self.attempts.len().max(1)
    }
}

/// The execution as a whole, as far as the history tells.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionSpan {
    pub status: ExecutionStatus,
    /// Timestamp of `ExecutionStarted` (0 before any event was seen).
    pub start: Millis,
    pub end: Option<Millis>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub execution: ExecutionSpan,
    /// All spans in order of entry (`SpanId` = index).
    pub spans: Vec<Span>,
    /// Top-level spans in order of entry.
    pub roots: Vec<SpanId>,
    /// Number of history events applied.
    pub event_count: usize,
}

/// One row of the Gantt chart: either a span or a lane header (a Parallel branch or a Map
/// iteration) under which that lane's spans are listed.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    Span(SpanId),
    Lane {
        /// The Parallel or Map span this lane belongs to.
        owner: SpanId,
        segment: PathSegment,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub kind: RowKind,
    /// Nesting level for indentation (0 = top level).
    pub depth: usize,
}

// ---------------------------------------------------------------------------------------------
// Builder
//
// Every applied event gets a small `EventContext`: the lane it happened in (the top level, a
// Parallel branch or a Map iteration) and the span it belongs to. A new event inherits the
// context of its `previousEventId`, which is how interleaved Parallel branches are told apart
// without any branch index in the events. Everything is found through ids (event id -> context,
// span id -> state, lane id -> lane): applying an event never scans the spans.
// ---------------------------------------------------------------------------------------------

/// Index into `TimelineBuilder::lanes`. Lane 0 is the top level of the execution.
type LaneId = usize;
const TOP_LEVEL: LaneId = 0;

/// States that run one after another: the top level, one Parallel branch or one Map iteration.
#[derive(Debug, Clone)]
struct Lane {
    /// The Parallel/Map span this lane belongs to (None for the top level).
    owner: Option<SpanId>,
    path: Vec<PathSegment>,
    /// The span running in this lane, if any (a lane runs one state at a time).
    open: Option<SpanId>,
    /// Spans entered in this lane so far: places the owner's next child without a scan.
    span_count: usize,
    /// Position among the owner's lanes: branch number or iteration index.
    order: u32,
}

/// Builder-side facts about a span that the public `Span` does not carry.
#[derive(Debug, Clone)]
struct SpanState {
    lane: LaneId,
    /// Lanes of a Parallel/Map span, sorted by `Lane::order`.
    lanes: Vec<LaneId>,
    /// The Parallel/Map run ended (`ParallelStateSucceeded/Failed/Aborted`, `MapState…`).
    run_closed: bool,
    /// The latest thing that happened to the state was an error (a failed attempt, a failed
    /// branch, a Fail state): an exit now means a Catch routed it, an end of the run means it
    /// failed.
    in_error: bool,
}

#[derive(Debug, Clone, Copy)]
struct EventContext {
    lane: LaneId,
    span: Option<SpanId>,
    /// `ParallelStateStarted`: a state entered right after it opens a new branch.
    forks: bool,
}

const TOP_CONTEXT: EventContext = EventContext {
    lane: TOP_LEVEL,
    span: None,
    forks: false,
};

/// Event id -> context. AWS numbers events 1, 2, 3, … so a vector indexed by id is the fast
/// path; ids that are not small positive numbers (hand-made histories) go to a map.
#[derive(Debug, Clone, Default)]
struct EventIndex {
    dense: Vec<Option<EventContext>>,
    sparse: std::collections::HashMap<i64, EventContext>,
}

/// Largest id kept in the dense vector (well above the 25,000-event history limit).
const DENSE_ID_LIMIT: i64 = 1 << 22;

impl EventIndex {
    fn get(&self, id: i64) -> Option<EventContext> {
        if (0..DENSE_ID_LIMIT).contains(&id) {
            self.dense.get(id as usize).copied().flatten()
        } else {
            self.sparse.get(&id).copied()
        }
    }

    fn contains(&self, id: i64) -> bool {
        self.get(id).is_some()
    }

    fn insert(&mut self, id: i64, context: EventContext) {
        if (0..DENSE_ID_LIMIT).contains(&id) {
            let slot = id as usize;
            if slot >= self.dense.len() {
                self.dense.resize(slot + 1, None);
            }
            self.dense[slot] = Some(context);
        } else {
            self.sparse.insert(id, context);
        }
    }
}

/// How a span that is still open is ended by something around it (its Parallel/Map run
/// closing, or the execution ending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EndKind {
    Succeeded,
    Failed,
    Aborted,
    TimedOut,
}

#[derive(Debug, Clone, Copy)]
struct Ending<'a> {
    kind: EndKind,
    at: Millis,
    /// Error/cause given to failed spans that have none of their own (a Fail state learns its
    /// error from `ExecutionFailed`).
    error: Option<&'a str>,
    cause: Option<&'a str>,
}

impl EndKind {
    /// Status of a span cut short by this ending.
    fn status_for(self, in_error: bool) -> SpanStatus {
        match self {
            EndKind::Succeeded | EndKind::Failed if in_error => SpanStatus::Failed,
            EndKind::Succeeded => SpanStatus::Succeeded,
            // A sibling branch failed (or the execution failed elsewhere): this state did not
            // fail itself, it was stopped.
            EndKind::Failed | EndKind::Aborted => SpanStatus::Aborted,
            EndKind::TimedOut => SpanStatus::TimedOut,
        }
    }
}

/// Builds and incrementally extends a `Timeline` from history events.
#[derive(Debug, Clone)]
pub struct TimelineBuilder {
    timeline: Timeline,
    /// Parallel to `timeline.spans`.
    states: Vec<SpanState>,
    lanes: Vec<Lane>,
    events: EventIndex,
    last_event_id: i64,
}

impl Default for TimelineBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TimelineBuilder {
    pub fn new() -> Self {
        TimelineBuilder {
            timeline: Timeline {
                execution: ExecutionSpan {
                    status: ExecutionStatus::Running,
                    start: 0,
                    end: None,
                    input: None,
                    output: None,
                    error: None,
                    cause: None,
                },
                spans: Vec::new(),
                roots: Vec::new(),
                event_count: 0,
            },
            states: Vec::new(),
            lanes: vec![Lane {
                owner: None,
                path: Vec::new(),
                open: None,
                span_count: 0,
                order: 0,
            }],
            events: EventIndex::default(),
            last_event_id: 0,
        }
    }

    /// Applies one event. Events already applied (same id) are ignored; events may arrive in
    /// any order within one call of `extend` (some endpoints ignore `reverseOrder`).
    pub fn push(&mut self, event: &HistoryEvent) {
        if self.events.contains(event.id) {
            return;
        }
        // An unknown previous event (the first event, or a gap in what was fetched) falls back
        // to the top level rather than losing the event.
        let previous = self
            .events
            .get(event.previous_event_id)
            .unwrap_or(TOP_CONTEXT);
        let context = self.apply(event, previous);
        self.events.insert(event.id, context);
        self.timeline.event_count += 1;
        self.last_event_id = self.last_event_id.max(event.id);
    }

    /// Applies a batch of events (sorted by id first; ids already applied are skipped).
    pub fn extend(&mut self, events: &[HistoryEvent]) {
        self.reserve(events.len());
        if events.is_sorted_by_key(|e| e.id) {
            for e in events {
                self.push(e);
            }
        } else {
            let mut sorted: Vec<&HistoryEvent> = events.iter().collect();
            sorted.sort_by_key(|e| e.id);
            for e in sorted {
                self.push(e);
            }
        }
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Makes room for `additional_events` more events up front (growth stays amortised: the
    /// vectors at least double when they grow), so applying a page never reallocates midway.
    pub fn reserve(&mut self, additional_events: usize) {
        self.events.dense.reserve(additional_events);
        // A state takes at least two events (entered + exited or closed by its parent).
        self.timeline.spans.reserve(additional_events / 2 + 1);
        self.states.reserve(additional_events / 2 + 1);
    }

    /// Highest event id applied so far (0 when none): the next poll asks only for newer ones.
    pub fn last_event_id(&self) -> i64 {
        self.last_event_id
    }

    fn apply(&mut self, event: &HistoryEvent, previous: EventContext) -> EventContext {
        use super::history::EventType as E;
        let here = EventContext {
            forks: false,
            ..previous
        };
        let at = event.timestamp;
        let d = &event.details;
        match &event.event_type {
            E::ExecutionStarted => {
                let exec = &mut self.timeline.execution;
                exec.start = at;
                exec.status = ExecutionStatus::Running;
                exec.input = d.input.clone();
                TOP_CONTEXT
            }
            E::ExecutionRedriven => {
                let exec = &mut self.timeline.execution;
                exec.status = ExecutionStatus::Running;
                exec.end = None;
                exec.error = None;
                exec.cause = None;
                TOP_CONTEXT
            }
            E::ExecutionSucceeded => {
                self.end_execution(ExecutionStatus::Succeeded, EndKind::Succeeded, event);
                TOP_CONTEXT
            }
            E::ExecutionFailed => {
                self.end_execution(ExecutionStatus::Failed, EndKind::Failed, event);
                TOP_CONTEXT
            }
            E::ExecutionAborted => {
                self.end_execution(ExecutionStatus::Aborted, EndKind::Aborted, event);
                TOP_CONTEXT
            }
            E::ExecutionTimedOut => {
                self.end_execution(ExecutionStatus::TimedOut, EndKind::TimedOut, event);
                TOP_CONTEXT
            }
            t if t.is_state_entered() => {
                let lane = match previous {
                    EventContext {
                        forks: true,
                        span: Some(parallel),
                        ..
                    } => self.open_branch(parallel),
                    _ => here.lane,
                };
                let span = self.enter(lane, event);
                EventContext {
                    lane,
                    span: Some(span),
                    forks: false,
                }
            }
            t if t.is_state_exited() => match self.exiting_span(here, d.name.as_deref()) {
                Some(span) => {
                    self.exit(span, event);
                    EventContext {
                        lane: self.states[span].lane,
                        span: Some(span),
                        forks: false,
                    }
                }
                None => here,
            },
            E::TaskScheduled | E::LambdaFunctionScheduled | E::ActivityScheduled => {
                if let Some(span) = here.span {
                    self.schedule_attempt(span, event);
                }
                here
            }
            E::TaskStarted | E::LambdaFunctionStarted | E::ActivityStarted => {
                if let Some(span) = here.span
                    && let Some(attempt) = self.timeline.spans[span].attempts.last_mut()
                    && attempt.started.is_none()
                {
                    attempt.started = Some(at);
                }
                here
            }
            E::TaskSucceeded | E::LambdaFunctionSucceeded | E::ActivitySucceeded => {
                if let Some(span) = here.span {
                    self.end_attempt(span, AttemptStatus::Succeeded, event);
                }
                here
            }
            E::TaskFailed
            | E::TaskStartFailed
            | E::TaskSubmitFailed
            | E::LambdaFunctionFailed
            | E::LambdaFunctionStartFailed
            | E::LambdaFunctionScheduleFailed
            | E::ActivityFailed
            | E::ActivityScheduleFailed => {
                if let Some(span) = here.span {
                    self.end_attempt(span, AttemptStatus::Failed, event);
                }
                here
            }
            E::TaskTimedOut | E::LambdaFunctionTimedOut | E::ActivityTimedOut => {
                if let Some(span) = here.span {
                    self.end_attempt(span, AttemptStatus::TimedOut, event);
                }
                here
            }
            E::TaskStateAborted | E::WaitStateAborted => {
                if let Some(span) = here.span {
                    self.close_span(span, self.plain_ending(EndKind::Aborted, at));
                }
                here
            }
            E::ParallelStateStarted => EventContext {
                forks: here.span.is_some(),
                ..here
            },
            E::ParallelStateSucceeded | E::ParallelStateFailed | E::ParallelStateAborted => {
                self.close_run_event(here, StateType::Parallel, event)
            }
            E::MapStateSucceeded | E::MapStateFailed | E::MapStateAborted => {
                self.close_run_event(here, StateType::Map, event)
            }
            E::MapStateStarted => {
                if let Some(span) = here.span
                    && self.timeline.spans[span].state_type == StateType::Map
                {
                    self.timeline.spans[span].iterations = d.length;
                }
                here
            }
            E::MapIterationStarted => {
                match self.enclosing_run(here, StateType::Map, d.name.as_deref()) {
                    Some(map) => {
                        let index = d.index.unwrap_or(self.states[map].lanes.len() as u32);
                        let lane = self.iteration_lane(map, index);
                        EventContext {
                            lane,
                            span: None,
                            forks: false,
                        }
                    }
                    None => here,
                }
            }
            E::MapIterationSucceeded | E::MapIterationFailed | E::MapIterationAborted => {
                let Some(map) = self.enclosing_run(here, StateType::Map, d.name.as_deref()) else {
                    return here;
                };
                let kind = match event.event_type {
                    E::MapIterationSucceeded => EndKind::Succeeded,
                    E::MapIterationFailed => EndKind::Failed,
                    _ => EndKind::Aborted,
                };
                if let Some(lane) = d.index.and_then(|i| self.find_lane(map, i)) {
                    self.close_lane(lane, self.plain_ending(kind, at));
                }
                self.context_of(map)
            }
            E::EvaluationFailed | E::MapRunFailed | E::MapRunAborted => {
                if let Some(span) = here.span {
                    self.states[span].in_error = true;
                    self.record_error(span, d.error.as_deref(), d.cause.as_deref());
                }
                here
            }
            _ => here,
        }
    }

    fn plain_ending(&self, kind: EndKind, at: Millis) -> Ending<'static> {
        Ending {
            kind,
            at,
            error: None,
            cause: None,
        }
    }

    /// The context of events that belong to a span itself (not to one of its lanes).
    fn context_of(&self, span: SpanId) -> EventContext {
        EventContext {
            lane: self.states[span].lane,
            span: Some(span),
            forks: false,
        }
    }

    fn enter(&mut self, lane: LaneId, event: &HistoryEvent) -> SpanId {
        let id = self.timeline.spans.len();
        let state_type = state_type_of(&event.event_type);
        let owner = self.lanes[lane].owner;
        self.timeline.spans.push(Span {
            id,
            parent: owner,
            children: Vec::new(),
            name: event.details.name.clone().unwrap_or_default(),
            state_type,
            status: SpanStatus::Running,
            start: event.timestamp,
            end: None,
            attempts: Vec::new(),
            path: self.lanes[lane].path.clone(),
            entered_event_id: event.id,
            exited_event_id: None,
            input: event.details.input.clone(),
            output: None,
            error: None,
            cause: None,
            resource_type: None,
            iterations: None,
        });
        self.states.push(SpanState {
            lane,
            lanes: Vec::new(),
            run_closed: false,
            // A Fail state has no exit: it is the error.
            in_error: state_type == StateType::Fail,
        });
        match owner {
            None => self.timeline.roots.push(id),
            Some(owner) => self.insert_child(owner, lane, id),
        }
        self.lanes[lane].open = Some(id);
        self.lanes[lane].span_count += 1;
        id
    }

    /// Children are kept grouped by lane, lanes in order: the new child goes at the end of its
    /// lane's group. Counting back from the end keeps this O(1) when the latest lanes are the
    /// busy ones (in-order Map iterations, the few branches of a Parallel).
    fn insert_child(&mut self, owner: SpanId, lane: LaneId, child: SpanId) {
        let mut after = 0;
        for &other in self.states[owner].lanes.iter().rev() {
            if other == lane {
                break;
            }
            after += self.lanes[other].span_count;
        }
        let children = &mut self.timeline.spans[owner].children;
        let at = children.len() - after.min(children.len());
        children.insert(at, child);
    }

    fn exit(&mut self, span: SpanId, event: &HistoryEvent) {
        if self.timeline.spans[span].end.is_some() {
            return;
        }
        // A Parallel/Map that exits without a closure event: its lanes end with it.
        if !self.states[span].run_closed
            && matches!(
                self.timeline.spans[span].state_type,
                StateType::Parallel | StateType::Map
            )
        {
            self.close_run(span, self.plain_ending(EndKind::Succeeded, event.timestamp));
        }
        let in_error = self.states[span].in_error;
        let s = &mut self.timeline.spans[span];
        s.end = Some(event.timestamp);
        s.exited_event_id = Some(event.id);
        s.output = event.details.output.clone();
        s.status = if in_error {
            SpanStatus::Caught
        } else {
            SpanStatus::Succeeded
        };
        let lane = self.states[span].lane;
        if self.lanes[lane].open == Some(span) {
            self.lanes[lane].open = None;
        }
    }

    fn schedule_attempt(&mut self, span: SpanId, event: &HistoryEvent) {
        use super::history::EventType as E;
        // The previous attempt's error is being retried, not propagated.
        self.states[span].in_error = false;
        let s = &mut self.timeline.spans[span];
        s.attempts.push(Attempt {
            scheduled: event.timestamp,
            started: None,
            end: None,
            status: AttemptStatus::Running,
            error: None,
            cause: None,
        });
        if s.resource_type.is_none() {
            s.resource_type = match &event.event_type {
                _ if event.details.resource_type.is_some() => event.details.resource_type.clone(),
                E::LambdaFunctionScheduled => Some("lambda".into()),
                E::ActivityScheduled => Some("activity".into()),
                _ => None,
            };
        }
    }

    fn end_attempt(&mut self, span: SpanId, status: AttemptStatus, event: &HistoryEvent) {
        let at = event.timestamp;
        let s = &mut self.timeline.spans[span];
        let needs_new = s
            .attempts
            .last()
            .is_none_or(|a| a.status != AttemptStatus::Running);
        if needs_new {
            // e.g. `LambdaFunctionScheduleFailed`: the attempt failed before being scheduled.
            s.attempts.push(Attempt {
                scheduled: at,
                started: None,
                end: None,
                status: AttemptStatus::Running,
                error: None,
                cause: None,
            });
        }
        let attempt = s.attempts.last_mut().expect("an attempt was just ensured");
        attempt.end = Some(at);
        attempt.status = status;
        if status == AttemptStatus::Succeeded {
            self.states[span].in_error = false;
            return;
        }
        let error = match (&event.details.error, status) {
            (Some(e), _) => Some(e.clone()),
            (None, AttemptStatus::TimedOut) => Some("States.Timeout".to_string()),
            (None, _) => None,
        };
        attempt.error = error.clone();
        attempt.cause = event.details.cause.clone();
        self.states[span].in_error = true;
        self.record_error(span, error.as_deref(), event.details.cause.as_deref());
    }

    fn record_error(&mut self, span: SpanId, error: Option<&str>, cause: Option<&str>) {
        let s = &mut self.timeline.spans[span];
        if error.is_some() || cause.is_some() {
            s.error = error.map(str::to_string);
            s.cause = cause.map(str::to_string);
        }
    }

    /// The Parallel (or Map) run an event closes: the event's own span if it is one, else the
    /// nearest enclosing one still running, walking up lane owners.
    fn enclosing_run(
        &self,
        here: EventContext,
        state_type: StateType,
        name: Option<&str>,
    ) -> Option<SpanId> {
        let fits = |span: SpanId| {
            let s = &self.timeline.spans[span];
            s.state_type == state_type
                && !self.states[span].run_closed
                && s.end.is_none()
                && name.is_none_or(|n| s.name == n)
        };
        if let Some(span) = here.span
            && fits(span)
        {
            return Some(span);
        }
        let mut lane = here.lane;
        loop {
            let owner = self.lanes[lane].owner?;
            if fits(owner) {
                return Some(owner);
            }
            lane = self.states[owner].lane;
        }
    }

    /// The span a `…StateExited` event closes: the one of the event it chains to when the
    /// names agree, else the enclosing open state of that name (moto chains a Parallel's exit
    /// to a branch's last event, not to `ParallelStateSucceeded` as AWS does).
    fn exiting_span(&self, here: EventContext, name: Option<&str>) -> Option<SpanId> {
        let named = |span: SpanId| name.is_none_or(|n| self.timeline.spans[span].name == n);
        let span = here.span?;
        if named(span) {
            return Some(span);
        }
        let mut lane = self.states[span].lane;
        while let Some(owner) = self.lanes[lane].owner {
            if named(owner) && self.timeline.spans[owner].end.is_none() {
                return Some(owner);
            }
            lane = self.states[owner].lane;
        }
        Some(span)
    }

    /// `ParallelState{Succeeded,Failed,Aborted}` and `MapState{…}`: they chain to the last event
    /// of some branch/iteration but belong to the Parallel/Map span itself.
    fn close_run_event(
        &mut self,
        here: EventContext,
        state_type: StateType,
        event: &HistoryEvent,
    ) -> EventContext {
        use super::history::EventType as E;
        let Some(owner) = self.enclosing_run(here, state_type, None) else {
            return here;
        };
        let at = event.timestamp;
        match event.event_type {
            E::ParallelStateSucceeded | E::MapStateSucceeded => {
                self.states[owner].in_error = false;
                self.close_run(owner, self.plain_ending(EndKind::Succeeded, at));
            }
            E::ParallelStateFailed | E::MapStateFailed => {
                self.states[owner].in_error = true;
                // AWS gives these events no details: the error is the failing child's, which
                // is the span of the event this one chains to.
                let (error, cause) = match (&event.details.error, here.span) {
                    (Some(_), _) | (None, None) => {
                        (event.details.error.clone(), event.details.cause.clone())
                    }
                    (None, Some(child)) => {
                        let c = &self.timeline.spans[child];
                        (c.error.clone(), c.cause.clone())
                    }
                };
                self.record_error(owner, error.as_deref(), cause.as_deref());
                self.close_run(owner, self.plain_ending(EndKind::Failed, at));
            }
            _ => self.close_span(owner, self.plain_ending(EndKind::Aborted, at)),
        }
        self.context_of(owner)
    }

    /// Ends every lane of a Parallel/Map span (spans still open in them get `ending`).
    fn close_run(&mut self, owner: SpanId, ending: Ending<'_>) {
        if self.states[owner].run_closed {
            return;
        }
        self.states[owner].run_closed = true;
        for i in 0..self.states[owner].lanes.len() {
            let lane = self.states[owner].lanes[i];
            self.close_lane(lane, ending);
        }
    }

    fn close_lane(&mut self, lane: LaneId, ending: Ending<'_>) {
        if let Some(span) = self.lanes[lane].open {
            self.close_span(span, ending);
        }
    }

    /// Ends a span that is still open, and anything still running inside it.
    fn close_span(&mut self, span: SpanId, ending: Ending<'_>) {
        let lane = self.states[span].lane;
        if self.lanes[lane].open == Some(span) {
            self.lanes[lane].open = None;
        }
        if self.timeline.spans[span].end.is_some() {
            return;
        }
        if matches!(
            self.timeline.spans[span].state_type,
            StateType::Parallel | StateType::Map
        ) {
            self.close_run(span, ending);
        }
        let in_error = self.states[span].in_error;
        let s = &mut self.timeline.spans[span];
        s.end = Some(ending.at);
        s.status = ending.kind.status_for(in_error);
        if s.status == SpanStatus::Failed && s.error.is_none() {
            s.error = ending.error.map(str::to_string);
            s.cause = ending.cause.map(str::to_string);
        }
        if let Some(attempt) = s.attempts.last_mut()
            && attempt.status == AttemptStatus::Running
        {
            attempt.end = Some(ending.at);
            attempt.status = match ending.kind {
                EndKind::TimedOut => AttemptStatus::TimedOut,
                _ => AttemptStatus::Failed,
            };
        }
    }

    fn end_execution(&mut self, status: ExecutionStatus, kind: EndKind, event: &HistoryEvent) {
        let d = &event.details;
        let exec = &mut self.timeline.execution;
        exec.status = status;
        exec.end = Some(event.timestamp);
        if d.output.is_some() {
            exec.output = d.output.clone();
        }
        exec.error = d.error.clone();
        exec.cause = d.cause.clone();
        let ending = Ending {
            kind,
            at: event.timestamp,
            error: d.error.as_deref(),
            cause: d.cause.as_deref(),
        };
        self.close_lane(TOP_LEVEL, ending);
    }

    /// A state entered right after `ParallelStateStarted` starts the Parallel's next branch.
    fn open_branch(&mut self, parallel: SpanId) -> LaneId {
        let index = self.states[parallel].lanes.len();
        let segment = PathSegment::Branch {
            parallel: self.timeline.spans[parallel].name.clone(),
            index,
        };
        let lane = self.new_lane(parallel, segment, index as u32);
        self.states[parallel].lanes.push(lane);
        lane
    }

    /// The lane of iteration `index` of a Map span, created on first use.
    fn iteration_lane(&mut self, map: SpanId, index: u32) -> LaneId {
        if let Some(lane) = self.find_lane(map, index) {
            return lane;
        }
        let segment = PathSegment::Iteration {
            map: self.timeline.spans[map].name.clone(),
            index,
        };
        let lane = self.new_lane(map, segment, index);
        let lanes = &self.states[map].lanes;
        let at = lanes.partition_point(|&l| self.lanes[l].order < index);
        self.states[map].lanes.insert(at, lane);
        lane
    }

    fn find_lane(&self, owner: SpanId, order: u32) -> Option<LaneId> {
        let lanes = &self.states[owner].lanes;
        // Iterations usually start in order: check the newest lane before searching.
        if let Some(&last) = lanes.last()
            && self.lanes[last].order == order
        {
            return Some(last);
        }
        lanes
            .binary_search_by_key(&order, |&l| self.lanes[l].order)
            .ok()
            .map(|i| lanes[i])
    }

    fn new_lane(&mut self, owner: SpanId, segment: PathSegment, order: u32) -> LaneId {
        let mut path = Vec::with_capacity(self.timeline.spans[owner].path.len() + 1);
        path.extend_from_slice(&self.timeline.spans[owner].path);
        path.push(segment);
        self.lanes.push(Lane {
            owner: Some(owner),
            path,
            open: None,
            span_count: 0,
            order,
        });
        self.lanes.len() - 1
    }
}

/// The state type named by a `*StateEntered` event type (unknown future types count as Task).
fn state_type_of(event_type: &super::history::EventType) -> StateType {
    use super::history::EventType as E;
    match event_type {
        E::ParallelStateEntered => StateType::Parallel,
        E::MapStateEntered => StateType::Map,
        E::PassStateEntered => StateType::Pass,
        E::ChoiceStateEntered => StateType::Choice,
        E::WaitStateEntered => StateType::Wait,
        E::SucceedStateEntered => StateType::Succeed,
        E::FailStateEntered => StateType::Fail,
        _ => StateType::Task,
    }
}

/// Builds a timeline from a whole history.
pub fn build(events: &[HistoryEvent]) -> Timeline {
    let mut b = TimelineBuilder::new();
    b.extend(events);
    b.timeline
}

impl Timeline {
    /// Rows of the Gantt chart in display order: each span followed by its children, grouped
    /// under one lane header per Parallel branch / Map iteration.
    pub fn rows(&self) -> Vec<TimelineRow> {
        let mut rows = Vec::with_capacity(self.spans.len() * 2);
        for &root in &self.roots {
            self.push_rows(root, 0, &mut rows);
        }
        rows
    }

    fn push_rows(&self, span: SpanId, depth: usize, rows: &mut Vec<TimelineRow>) {
        rows.push(TimelineRow {
            kind: RowKind::Span(span),
            depth,
        });
        let mut current_lane: Option<&PathSegment> = None;
        for &child in &self.spans[span].children {
            let lane = self.spans[child].path.last();
            if lane.is_some() && lane != current_lane {
                current_lane = lane;
                rows.push(TimelineRow {
                    kind: RowKind::Lane {
                        owner: span,
                        segment: lane.cloned().expect("checked above"),
                    },
                    depth: depth + 1,
                });
            }
            self.push_rows(child, depth + 2, rows);
        }
    }

    /// What the run did: Completed, Rejected (a Catch routed an error onwards) or Error.
    pub fn outcome(&self) -> Option<Outcome> {
        let exec = &self.execution;
        match exec.status {
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive => None,
            ExecutionStatus::Succeeded => {
                let caught = self.spans.iter().find(|s| s.status == SpanStatus::Caught);
                Some(match caught {
                    None => Outcome::Completed,
                    Some(span) => Outcome::Rejected {
                        state: span.name.clone(),
                        error: span.error.clone().unwrap_or_default(),
                        message: span
                            .cause
                            .as_deref()
                            .map(|cause| {
                                error_message_from_cause(cause).unwrap_or_else(|| cause.to_string())
                            })
                            .unwrap_or_default(),
                    },
                })
            }
            status => Some(Outcome::Error {
                error: exec
                    .error
                    .clone()
                    .unwrap_or_else(|| status.as_str().to_string()),
                cause: exec.cause.clone().unwrap_or_default(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::{EventDetails, EventType};

    #[test]
    fn path_labels_match_the_headless_format() {
        let branch = PathSegment::Branch {
            parallel: "ParallelProcessing".into(),
            index: 1,
        };
        let iteration = PathSegment::Iteration {
            map: "ProcessItems".into(),
            index: 3,
        };
        assert_eq!(branch.label(), "ParallelProcessing#1");
        assert_eq!(iteration.label(), "ProcessItems[3]");
    }

    /// Writes a history line by line: `(id, previous, ms, type, name/index/error)`.
    fn event(id: i64, previous: i64, at: Millis, event_type: &str) -> HistoryEvent {
        HistoryEvent::new(id, previous, at, EventType::parse(event_type))
    }

    fn named(id: i64, previous: i64, at: Millis, event_type: &str, name: &str) -> HistoryEvent {
        event(id, previous, at, event_type).with_details(EventDetails {
            name: Some(name.into()),
            ..EventDetails::default()
        })
    }

    fn iteration(id: i64, previous: i64, at: Millis, event_type: &str, index: u32) -> HistoryEvent {
        event(id, previous, at, event_type).with_details(EventDetails {
            name: Some("Items".into()),
            index: Some(index),
            ..EventDetails::default()
        })
    }

    fn failure(id: i64, previous: i64, at: Millis, event_type: &str, error: &str) -> HistoryEvent {
        event(id, previous, at, event_type).with_details(EventDetails {
            error: Some(error.into()),
            cause: Some(format!(r#"{{"errorMessage":"{error} happened"}}"#)),
            ..EventDetails::default()
        })
    }

    fn statuses(t: &Timeline) -> Vec<(&str, SpanStatus, Option<Millis>)> {
        t.spans
            .iter()
            .map(|s| (s.name.as_str(), s.status, s.end))
            .collect()
    }

    #[test]
    fn a_fail_state_fails_at_the_end_of_the_execution_with_its_error() {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 10, "FailStateEntered", "Reject"),
            failure(3, 2, 15, "ExecutionFailed", "Rejected"),
        ]);
        assert_eq!(statuses(&t), [("Reject", SpanStatus::Failed, Some(15))]);
        assert_eq!(t.spans[0].state_type, StateType::Fail);
        assert_eq!(t.spans[0].error.as_deref(), Some("Rejected"));
    }

    #[test]
    fn a_caught_parallel_makes_a_rejected_outcome_with_its_branch_error() {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "ParallelStateEntered", "Both"),
            event(3, 2, 2, "ParallelStateStarted"),
            named(4, 3, 3, "TaskStateEntered", "A"),
            event(5, 4, 4, "TaskScheduled"),
            failure(6, 5, 9, "TaskFailed", "Boom"),
            event(7, 6, 10, "ParallelStateFailed"),
            named(8, 7, 11, "ParallelStateExited", "Both"),
            named(9, 8, 12, "PassStateEntered", "Handle"),
            named(10, 9, 13, "PassStateExited", "Handle"),
            event(11, 10, 14, "ExecutionSucceeded"),
        ]);
        assert_eq!(
            statuses(&t),
            [
                ("Both", SpanStatus::Caught, Some(11)),
                ("A", SpanStatus::Failed, Some(10)),
                ("Handle", SpanStatus::Succeeded, Some(13)),
            ]
        );
        assert_eq!(
            t.outcome(),
            Some(Outcome::Rejected {
                state: "Both".into(),
                error: "Boom".into(),
                message: "Boom happened".into(),
            })
        );
    }

    /// moto chains `ParallelStateExited` to a branch's last event (AWS chains it to
    /// `ParallelStateSucceeded`): the exit still closes the Parallel, and what follows is
    /// back at the top level, not in the branch.
    #[test]
    fn a_parallel_exit_chained_to_a_branch_still_closes_the_parallel() {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 0, 1, "ParallelStateEntered", "ParallelProcessing"),
            event(3, 2, 2, "ParallelStateStarted"),
            named(4, 3, 3, "WaitStateEntered", "AddFaceToIndex"),
            named(5, 3, 3, "WaitStateEntered", "Thumbnail"),
            named(6, 4, 6, "WaitStateExited", "AddFaceToIndex"),
            named(7, 5, 8, "WaitStateExited", "Thumbnail"),
            event(8, 7, 8, "ParallelStateSucceeded"),
            named(9, 7, 9, "ParallelStateExited", "ParallelProcessing"),
            named(10, 9, 10, "WaitStateEntered", "PersistMetadata"),
            named(11, 10, 11, "WaitStateExited", "PersistMetadata"),
            event(12, 11, 12, "ExecutionSucceeded"),
        ]);
        let root_names: Vec<&str> = t.roots.iter().map(|&r| t.spans[r].name.as_str()).collect();
        assert_eq!(root_names, ["ParallelProcessing", "PersistMetadata"]);
        let parallel = &t.spans[t.roots[0]];
        assert_eq!(
            (parallel.status, parallel.end),
            (SpanStatus::Succeeded, Some(9))
        );
        assert_eq!(parallel.children.len(), 2);
    }

    #[test]
    fn aborted_states_and_iterations_are_aborted() {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "MapStateEntered", "Items"),
            event(3, 2, 2, "MapStateStarted"),
            iteration(4, 3, 3, "MapIterationStarted", 0),
            iteration(5, 3, 3, "MapIterationStarted", 1),
            named(6, 4, 4, "WaitStateEntered", "Pause"),
            named(7, 5, 4, "TaskStateEntered", "Work"),
            event(8, 7, 5, "TaskScheduled"),
            named(9, 6, 20, "WaitStateAborted", "Pause"),
            iteration(10, 9, 21, "MapIterationAborted", 0),
            failure(11, 8, 30, "TaskFailed", "Bad"),
            iteration(12, 11, 31, "MapIterationFailed", 1),
            event(13, 12, 32, "MapStateFailed"),
            failure(
                14,
                13,
                33,
                "ExecutionFailed",
                "States.ExceedToleratedFailureThreshold",
            ),
        ]);
        assert_eq!(
            statuses(&t),
            [
                ("Items", SpanStatus::Failed, Some(33)),
                ("Pause", SpanStatus::Aborted, Some(20)),
                ("Work", SpanStatus::Failed, Some(31)),
            ]
        );
        assert_eq!(t.spans[0].children, vec![1, 2]);
        // MapStateFailed names no error: the Map takes the execution's, which says why.
        assert_eq!(
            t.spans[0].error.as_deref(),
            Some("States.ExceedToleratedFailureThreshold")
        );
        assert_eq!(t.spans[2].error.as_deref(), Some("Bad"));
    }

    #[test]
    fn a_task_aborted_while_running_ends_its_attempt() {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "TaskStateEntered", "Work"),
            event(3, 2, 2, "TaskScheduled"),
            event(4, 3, 3, "TaskStarted"),
            event(5, 4, 8, "TaskStateAborted"),
            event(6, 5, 9, "ExecutionAborted"),
        ]);
        assert_eq!(statuses(&t), [("Work", SpanStatus::Aborted, Some(8))]);
        assert_eq!(t.spans[0].attempts[0].end, Some(8));
        assert_eq!(t.execution.end, Some(9));
    }

    #[test]
    fn iterations_starting_out_of_order_are_listed_by_index() {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "MapStateEntered", "Items"),
            event(3, 2, 2, "MapStateStarted"),
            iteration(4, 3, 3, "MapIterationStarted", 2),
            iteration(5, 3, 3, "MapIterationStarted", 0),
            named(6, 4, 4, "PassStateEntered", "Two"),
            named(7, 5, 4, "PassStateEntered", "Zero"),
        ]);
        assert_eq!(t.spans[0].children, vec![2, 1]);
        assert_eq!(t.spans[0].status, SpanStatus::Running);
        assert_eq!(t.spans[1].path[0].label(), "Items[2]");
    }

    #[test]
    fn a_redriven_execution_runs_again() {
        let mut b = TimelineBuilder::new();
        b.extend(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "TaskStateEntered", "Work"),
            event(3, 2, 2, "TaskScheduled"),
            failure(4, 3, 3, "TaskFailed", "Flaky"),
            failure(5, 4, 4, "ExecutionFailed", "Flaky"),
        ]);
        assert_eq!(b.timeline().execution.status, ExecutionStatus::Failed);
        b.extend(&[
            event(6, 5, 100, "ExecutionRedriven"),
            named(7, 6, 101, "TaskStateEntered", "Work"),
        ]);
        let t = b.timeline();
        assert_eq!(t.execution.status, ExecutionStatus::Running);
        assert_eq!(t.execution.end, None);
        assert_eq!(t.outcome(), None);
        assert_eq!(
            statuses(t),
            [
                ("Work", SpanStatus::Failed, Some(4)),
                ("Work", SpanStatus::Running, None)
            ]
        );
    }

    #[test]
    fn events_with_unknown_predecessors_and_odd_ids_still_land() {
        let mut b = TimelineBuilder::new();
        b.push(&named(
            1_000_000_000_000,
            999,
            5,
            "PassStateEntered",
            "Orphan",
        ));
        assert_eq!(b.timeline().roots, vec![0]);
        assert_eq!(b.last_event_id(), 1_000_000_000_000);
        b.push(&named(
            1_000_000_000_001,
            1_000_000_000_000,
            6,
            "PassStateExited",
            "Orphan",
        ));
        assert_eq!(b.timeline().spans[0].status, SpanStatus::Succeeded);
        b.push(&named(
            1_000_000_000_001,
            1_000_000_000_000,
            6,
            "PassStateExited",
            "Orphan",
        ));
        assert_eq!(b.timeline().event_count, 2);
    }

    #[test]
    fn an_empty_timeline_has_no_rows_and_no_outcome() {
        let b = TimelineBuilder::new();
        assert!(b.timeline().rows().is_empty());
        assert_eq!(b.timeline().outcome(), None);
        assert_eq!(b.last_event_id(), 0);
    }
}
