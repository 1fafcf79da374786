//! How runs, lanes and spans end: the Parallel or Map run an event closes, the span a
//! `*StateExited` event exits, and the endings that cascade from a run's end (its lanes, their
//! open spans) and from the execution's end.

use super::ending::{EndKind, Ending};
use super::{EventContext, LaneId, TOP_LEVEL, TimelineBuilder};
use crate::domain::execution::ExecutionStatus;
use crate::domain::history::HistoryEvent;
use crate::domain::timeline::span::{AttemptStatus, SpanId, SpanStatus, StateType};

impl TimelineBuilder {
    /// The Parallel (or Map) run an event closes: the event's own span if it is one, else the
    /// nearest enclosing one still running, walking up lane owners.
    pub(super) fn enclosing_run(
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
    pub(super) fn exiting_span(&self, here: EventContext, name: Option<&str>) -> Option<SpanId> {
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
    pub(super) fn close_run_event(
        &mut self,
        here: EventContext,
        state_type: StateType,
        event: &HistoryEvent,
    ) -> EventContext {
        use crate::domain::history::EventType as E;
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
    pub(super) fn close_run(&mut self, owner: SpanId, ending: Ending<'_>) {
        if self.states[owner].run_closed {
            return;
        }
        self.states[owner].run_closed = true;
        self.end_run_attempt(owner, ending.kind, ending.at);
        for i in 0..self.states[owner].lanes.len() {
            let lane = self.states[owner].lanes[i];
            self.close_lane(lane, ending);
        }
    }

    pub(super) fn close_lane(&mut self, lane: LaneId, ending: Ending<'_>) {
        if let Some(span) = self.lanes[lane].open {
            self.close_span(span, ending);
        }
    }

    /// Ends a span that is still open, and anything still running inside it.
    pub(super) fn close_span(&mut self, span: SpanId, ending: Ending<'_>) {
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
        let timed_out = self.states[span].timed_out;
        let s = &mut self.timeline.spans[span];
        s.end = Some(ending.at);
        s.status = match ending.kind.status_for(in_error) {
            SpanStatus::Failed if timed_out => SpanStatus::TimedOut,
            status => status,
        };
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

    pub(super) fn end_execution(
        &mut self,
        status: ExecutionStatus,
        kind: EndKind,
        event: &HistoryEvent,
    ) {
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
}
