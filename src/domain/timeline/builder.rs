//! TimelineBuilder: history events → the span tree, incrementally (branches recovered by
//! `previousEventId`, Map iterations, retries, redrives). The core algorithm: applying an
//! event is here; opening and exiting spans is in `builder/spans.rs`, how runs, lanes and
//! spans end in `builder/ends.rs`, finding and opening lanes in `builder/lanes.rs`, attempts
//! and container runs in `builder/attempts.rs`, failure attribution in `builder/failures.rs`,
//! redrives in `builder/redrive.rs` (all `impl TimelineBuilder`, over the same private state).
//!
//! Every applied event gets a small `EventContext`: the lane it happened in (the top level, a
//! Parallel branch or a Map iteration) and the span it belongs to. A new event inherits the
//! context of its `previousEventId`, which is how interleaved Parallel branches are told apart
//! without any branch index in the events. Everything is found through ids (event id -> context,
//! span id -> state, lane id -> lane): applying an event never scans the spans.
//!
//! Any history is accepted (the backends' and a file's alike) and its oddities are counted as
//! caveats for the caller to show: no `ExecutionStarted`, events after events that are not in
//! the history, times before the start, nesting past `MAX_NESTING`. Times are only compared
//! and subtracted with saturation, so no history makes the arithmetic wrap.

use super::span::{AttemptStatus, ExecutionSpan, PathSegment, SpanId, StateType, Timeline};
use crate::domain::Millis;
use crate::domain::execution::ExecutionStatus;
use crate::domain::history::HistoryEvent;
use std::sync::Arc;

mod attempts;
mod ending;
mod ends;
mod failures;
mod index;
mod lanes;
mod oddities;
mod redrive;
mod spans;

use ending::{EndKind, Ending};
use index::EventIndex;
use oddities::{Oddities, count_first};

/// Index into `TimelineBuilder::lanes`. Lane 0 is the top level of the execution.
type LaneId = usize;
const TOP_LEVEL: LaneId = 0;

/// States that run one after another: the top level, one Parallel branch or one Map iteration.
#[derive(Debug, Clone)]
struct Lane {
    /// The Parallel/Map span this lane belongs to (None for the top level).
    owner: Option<SpanId>,
    /// Shared by every span of the lane (a span's `path` is this one, not a copy).
    path: Arc<[PathSegment]>,
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
    /// That error was a timeout (`TaskTimedOut`, …): failing with it is TIMED_OUT.
    timed_out: bool,
    /// Parallel/Map: `…StateStarted` events seen (runs; more than one is a retry).
    runs_started: u32,
    /// Parallel: the branch the next state entered after `ParallelStateStarted` opens (a
    /// retry follows its branches again in the lanes of the first run).
    branch_cursor: usize,
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

/// Deepest nesting of Parallel branches and Map iterations followed. Real state machines nest
/// a few levels; a history nesting thousands (5 MB of JSON) cost tens of GB in paths and
/// walks up the lanes. States deeper than this are placed in the lane of their Parallel/Map.
pub const MAX_NESTING: usize = 16;

/// Builds and incrementally extends a `Timeline` from history events.
#[derive(Debug, Clone)]
pub struct TimelineBuilder {
    /// `build()` takes it whole at the end.
    pub(super) timeline: Timeline,
    /// Parallel to `timeline.spans`.
    states: Vec<SpanState>,
    lanes: Vec<Lane>,
    events: EventIndex<EventContext>,
    last_event_id: i64,
    /// `ExecutionStarted` was applied: its time is the start, not a guess.
    execution_started: bool,
    oddities: Oddities,
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
                    redrive_count: 0,
                },
                spans: Vec::new(),
                roots: Vec::new(),
                event_count: 0,
                redrives: Vec::new(),
            },
            states: Vec::new(),
            lanes: vec![Lane {
                owner: None,
                path: Arc::from([]),
                open: None,
                span_count: 0,
                order: 0,
            }],
            events: EventIndex::default(),
            last_event_id: 0,
            execution_started: false,
            oddities: Oddities::default(),
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
        let previous = match self.events.get(event.previous_event_id) {
            Some(context) => context,
            None => {
                if event.previous_event_id != 0 {
                    if self.oddities.orphans.0 == 0 {
                        self.oddities.first_orphan_previous = event.previous_event_id;
                    }
                    count_first(&mut self.oddities.orphans, event.id);
                }
                TOP_CONTEXT
            }
        };
        self.note_start(event);
        if !self.timeline.redrives.is_empty() {
            self.resume(event, previous);
        }
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

    /// What the timeline shows with a caveat, one sentence each, for the caller to pass on
    /// (the headless CLI prints them as warnings). Empty for a well-formed history.
    pub fn caveats(&self) -> Vec<String> {
        self.oddities.sentences(MAX_NESTING)
    }

    /// Keeps the execution's start right whatever the history holds: `ExecutionStarted` sets
    /// it; until then (or without one) it is the earliest event's time, not 1970.
    fn note_start(&mut self, event: &HistoryEvent) {
        use crate::domain::history::EventType;
        let at = event.timestamp;
        if event.event_type == EventType::ExecutionStarted {
            self.execution_started = true;
            self.oddities.start_guessed_from = None;
            return;
        }
        if self.execution_started {
            if at < self.timeline.execution.start {
                count_first(&mut self.oddities.before_start, event.id);
            }
            return;
        }
        let earliest = self
            .oddities
            .start_guessed_from
            .is_none_or(|_| at < self.timeline.execution.start);
        if earliest {
            self.timeline.execution.start = at;
            self.oddities.start_guessed_from = Some(event.id);
        }
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
        use crate::domain::history::EventType as E;
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
                self.redriven(event);
                TOP_CONTEXT
            }
            E::ExecutionSucceeded => {
                self.end_execution(ExecutionStatus::Succeeded, EndKind::Succeeded, event);
                TOP_CONTEXT
            }
            E::ExecutionFailed => {
                let blamed = self.blame_from_cause(event);
                self.end_execution(ExecutionStatus::Failed, EndKind::Failed, event);
                if let Some(span) = blamed {
                    self.settle_blame(span);
                }
                TOP_CONTEXT
            }
            E::ExecutionAborted => {
                self.end_execution(ExecutionStatus::Aborted, EndKind::Aborted, event);
                TOP_CONTEXT
            }
            E::ExecutionTimedOut => {
                let blamed = self.blame_from_cause(event);
                self.end_execution(ExecutionStatus::TimedOut, EndKind::TimedOut, event);
                if let Some(span) = blamed {
                    self.settle_blame(span);
                }
                TOP_CONTEXT
            }
            t if t.is_state_entered() => {
                let lane = match previous {
                    EventContext {
                        forks: true,
                        span: Some(parallel),
                        ..
                    } => self.open_branch(parallel, event.id),
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
                // AWS may chain it to another iteration's failure, whose context is the Map: a
                // container is not what was aborted (its run's end aborts what it still runs).
                if let Some(span) = here.span
                    && !matches!(
                        self.timeline.spans[span].state_type,
                        StateType::Parallel | StateType::Map
                    )
                {
                    self.close_span(span, self.plain_ending(EndKind::Aborted, at));
                }
                here
            }
            E::ParallelStateStarted => {
                match self.starting_container(here.span, here.lane, StateType::Parallel) {
                    Some(parallel) => {
                        self.start_run(parallel, at);
                        EventContext {
                            forks: true,
                            ..self.context_of(parallel)
                        }
                    }
                    None => here,
                }
            }
            E::ParallelStateSucceeded | E::ParallelStateFailed | E::ParallelStateAborted => {
                self.close_run_event(here, StateType::Parallel, event)
            }
            E::MapStateSucceeded | E::MapStateFailed | E::MapStateAborted => {
                self.close_run_event(here, StateType::Map, event)
            }
            E::MapStateStarted => {
                match self.starting_container(here.span, here.lane, StateType::Map) {
                    Some(map) => {
                        self.start_run(map, at);
                        self.timeline.spans[map].iterations = d.length;
                        self.context_of(map)
                    }
                    None => here,
                }
            }
            E::MapIterationStarted => {
                match self.enclosing_run(here, StateType::Map, d.name.as_deref()) {
                    Some(map) => {
                        let index = d.index.unwrap_or(self.states[map].lanes.len() as u32);
                        let lane = self.iteration_lane(map, index, event.id);
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
            E::EvaluationFailed => match self.evaluating_span(here, d.name.as_deref()) {
                Some(span) => {
                    self.states[span].in_error = true;
                    self.states[span].timed_out = false;
                    self.record_error(span, d.error.as_deref(), d.cause.as_deref());
                    self.context_of(span)
                }
                None => here,
            },
            E::MapRunFailed | E::MapRunAborted => {
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
}

#[cfg(test)]
#[path = "builder_tests.rs"]
mod tests;
