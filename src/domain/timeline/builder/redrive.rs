//! Redrives as AWS records them: `ExecutionRedriven` follows the terminal event and starts a
//! new segment of the same execution. No state is entered again for the work that resumes: the
//! re-run task's first event chains back to its original `TaskStateEntered` (its retry count
//! starts again), a Map may start iterations it never started, and the Parallel or Map around
//! them keeps its earlier `…StateFailed` and later gets `…StateSucceeded` and `…StateExited`.
//! So a span that ended failed, aborted or timed out before the redrive is resumed (with the
//! Parallels and Maps around it) by the first event that belongs to it after the redrive, and
//! its attempts continue in the new segment.

use super::{EventContext, TimelineBuilder};
use crate::domain::history::{EventType, HistoryEvent};
use crate::domain::timeline::span::{
    Attempt, AttemptStatus, EarlierEnd, Redrive, SpanId, SpanStatus, StateType,
};

impl TimelineBuilder {
    /// `ExecutionRedriven`: the execution runs again, in a new segment.
    pub(super) fn redriven(&mut self, event: &HistoryEvent) {
        let exec = &mut self.timeline.execution;
        let count = event
            .details
            .redrive_count
            .unwrap_or(exec.redrive_count.saturating_add(1));
        self.timeline.redrives.push(Redrive {
            count,
            event_id: event.id,
            at: event.timestamp,
            idle_from: exec.end.unwrap_or(event.timestamp).min(event.timestamp),
            ended: exec.status,
        });
        exec.redrive_count = count;
        exec.status = crate::domain::execution::ExecutionStatus::Running;
        exec.end = None;
        exec.error = None;
        exec.cause = None;
    }

    /// Before an event after a redrive is applied: the span it belongs to and the Parallels
    /// and Maps around it, if they ended unsuccessfully before the redrive, resume.
    pub(super) fn resume(&mut self, event: &HistoryEvent, previous: EventContext) {
        if event.event_type.as_str().starts_with("Execution") {
            return;
        }
        let Some(redriven_at) = self.timeline.redrives.last().map(|r| r.at) else {
            return;
        };
        let at = event.timestamp;
        // A state entered after a redrive is new; only the lanes around it resume.
        let own = match event.event_type {
            ref t if t.is_state_entered() => None,
            EventType::MapIterationStarted => None,
            _ => previous.span,
        };
        if let Some(span) = own
            && self.resumable(span, redriven_at)
        {
            self.reopen(span, at);
        }
        let mut lane = previous.lane;
        while let Some(owner) = self.lanes[lane].owner {
            if self.resumable(owner, redriven_at) {
                self.reopen(owner, at);
            }
            lane = self.states[owner].lane;
        }
        // `MapIterationStarted` chains to its Map (or an earlier iteration's end, whose
        // context is the Map): the Map resumes.
        if event.event_type == EventType::MapIterationStarted
            && let Some(span) = previous.span
            && self.timeline.spans[span].state_type == StateType::Map
            && self.resumable(span, redriven_at)
        {
            self.reopen(span, at);
        }
    }

    /// Ended before the redrive, and not by succeeding or being caught: a redrive re-runs it.
    fn resumable(&self, span: SpanId, redriven_at: crate::domain::Millis) -> bool {
        let s = &self.timeline.spans[span];
        s.end.is_some_and(|end| end <= redriven_at)
            && matches!(
                s.status,
                SpanStatus::Failed | SpanStatus::Aborted | SpanStatus::TimedOut
            )
    }

    fn reopen(&mut self, span: SpanId, at: crate::domain::Millis) {
        let segment = self.timeline.redrives.len();
        let s = &mut self.timeline.spans[span];
        s.before_redrive.push(EarlierEnd {
            status: s.status,
            at: s.end.unwrap_or(at),
            error: s.error.clone(),
        });
        s.end = None;
        s.exited_event_id = None;
        s.status = SpanStatus::Running;
        let container = matches!(s.state_type, StateType::Parallel | StateType::Map);
        if container {
            // The run resumes: a new attempt in this segment, ended by its closing event.
            s.attempts.push(Attempt {
                scheduled: at,
                started: Some(at),
                end: None,
                status: AttemptStatus::Running,
                error: None,
                cause: None,
                segment,
                scheduled_event_id: None,
                ended_event_id: None,
            });
        }
        let state = &mut self.states[span];
        state.in_error = false;
        state.timed_out = false;
        state.run_closed = false;
        let lane = state.lane;
        if self.lanes[lane].open.is_none() {
            self.lanes[lane].open = Some(span);
        }
    }
}
