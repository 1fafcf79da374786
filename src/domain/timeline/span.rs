//! The span tree: the types a timeline is made of (states, attempts, lanes' paths, the
//! execution's own span) and what a finished run amounts to. Filled by `builder.rs`, read by
//! the views, the headless CLI and the test verdicts.

use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, Outcome, error_message_from_cause};
use std::sync::Arc;

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

/// One try of a Task (scheduled → started → succeeded/failed) or one run of a Parallel/Map
/// (`…StateStarted` → its branches or iterations end). Retries are further attempts within the
/// same state entry; the gap between one attempt's end and the next one's `scheduled` is the
/// retry backoff. A redriven state's attempts continue in the same list, in a later segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub scheduled: Millis,
    pub started: Option<Millis>,
    pub end: Option<Millis>,
    pub status: AttemptStatus,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The segment of the execution it ran in: 0 before any redrive, n after the n-th.
    pub segment: usize,
    /// The event that scheduled a task's attempt (`TaskScheduled`, `ActivityScheduled`, …:
    /// its resource, region, timeouts and resolved parameters) and the one that ended it
    /// (its raw result or error), for the details pane.
    pub scheduled_event_id: Option<i64>,
    pub ended_event_id: Option<i64>,
}

impl Attempt {
    /// Time spent waiting to start (`scheduled` → `started`): no worker polling the activity,
    /// a throttled Lambda. None until it started (or when it never did).
    pub fn queue_time(&self) -> Option<Millis> {
        self.started
            .map(|started| started.saturating_sub(self.scheduled))
    }

    /// Time spent running (`started` → end, or → `now` while running). None until it started.
    pub fn run_time(&self, now: Millis) -> Option<Millis> {
        self.started
            .map(|started| self.end.unwrap_or(now).max(started).saturating_sub(started))
    }
}

/// How a span ended in an earlier segment, before a redrive resumed it.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierEnd {
    pub status: SpanStatus,
    pub at: Millis,
    pub error: Option<String>,
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
    /// Task attempts, or runs of a Parallel/Map (a retried container has several); empty for
    /// the other states.
    pub attempts: Vec<Attempt>,
    /// Outermost first; shared with the other spans of the same lane.
    pub path: Arc<[PathSegment]>,
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
    /// How the span ended in earlier segments, oldest first, when a redrive resumed it: a
    /// span can read "FAILED → redriven → SUCCEEDED".
    pub before_redrive: Vec<EarlierEnd>,
}

impl Span {
    /// Duration so far (running) or in total.
    pub fn duration(&self, now: Millis) -> Millis {
        self.end.unwrap_or(now).saturating_sub(self.start)
    }

    /// Number of task attempts or container runs (1 for the other states).
    pub fn attempt_count(&self) -> usize {
        self.attempts.len().max(1)
    }

    /// `FAILED → redriven → SUCCEEDED` for a span a redrive resumed; the status otherwise.
    pub fn status_trail(&self) -> String {
        let mut trail = String::new();
        for earlier in &self.before_redrive {
            trail.push_str(earlier.status.as_str());
            trail.push_str(" → redriven → ");
        }
        trail.push_str(self.status.as_str());
        trail
    }
}

/// The execution as a whole, as far as the history tells.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionSpan {
    pub status: ExecutionStatus,
    /// Timestamp of `ExecutionStarted`; without one, of the earliest event (the builder's
    /// caveats say so); 0 before any event was seen.
    pub start: Millis,
    pub end: Option<Millis>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Times the execution was redriven (`ExecutionRedriven`'s `redriveCount`).
    pub redrive_count: u32,
}

/// An `ExecutionRedriven`: the execution resumed after it had ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Redrive {
    /// Its `redriveCount` (1 for the first redrive).
    pub count: u32,
    pub event_id: i64,
    /// When it was redriven: the next segment starts here.
    pub at: Millis,
    /// When the segment before it ended: `idle_from..at` is time nothing ran.
    pub idle_from: Millis,
    /// How the segment before it ended.
    pub ended: ExecutionStatus,
}

/// One run of the execution: the first, or one after a redrive.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// 0 for the first run, n after the n-th redrive.
    pub redrive_count: u32,
    pub start: Millis,
    /// None while it runs.
    pub end: Option<Millis>,
    pub status: ExecutionStatus,
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
    /// Redrives in order; empty for an execution never redriven.
    pub redrives: Vec<Redrive>,
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

impl Timeline {
    /// The runs of the execution: one, plus one per redrive; the idle time between two
    /// segments is no part of either.
    pub fn segments(&self) -> Vec<Segment> {
        let exec = &self.execution;
        let mut segments = Vec::with_capacity(self.redrives.len() + 1);
        let mut start = exec.start;
        let mut redrive_count = 0;
        for redrive in &self.redrives {
            segments.push(Segment {
                redrive_count,
                start,
                end: Some(redrive.idle_from),
                status: redrive.ended,
            });
            start = redrive.at;
            redrive_count = redrive.count;
        }
        segments.push(Segment {
            redrive_count,
            start,
            end: exec.end,
            status: exec.status,
        });
        segments
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
