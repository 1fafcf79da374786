//! Attempts: a task's tries (scheduled → started → ended, retries as further attempts of one
//! entry, timeouts kept apart from failures) and a Parallel's or Map's runs (each
//! `…StateStarted` inside one entry is a run; a retried container has several), with the
//! error each leaves on its span.

use super::TimelineBuilder;
use super::ending::EndKind;
use crate::domain::Millis;
use crate::domain::history::HistoryEvent;
use crate::domain::timeline::span::{Attempt, AttemptStatus, SpanId, StateType};

impl TimelineBuilder {
    fn new_attempt(&self, scheduled: Millis, started: Option<Millis>) -> Attempt {
        Attempt {
            scheduled,
            started,
            end: None,
            status: AttemptStatus::Running,
            error: None,
            cause: None,
            segment: self.timeline.redrives.len(),
            scheduled_event_id: None,
            ended_event_id: None,
        }
    }

    pub(super) fn schedule_attempt(&mut self, span: SpanId, event: &HistoryEvent) {
        use crate::domain::history::EventType as E;
        // The previous attempt's error is being retried, not propagated.
        self.states[span].in_error = false;
        self.states[span].timed_out = false;
        let attempt = Attempt {
            scheduled_event_id: Some(event.id),
            ..self.new_attempt(event.timestamp, None)
        };
        let s = &mut self.timeline.spans[span];
        s.attempts.push(attempt);
        if s.resource_type.is_none() {
            s.resource_type = match &event.event_type {
                _ if event.details.resource_type.is_some() => event.details.resource_type.clone(),
                E::LambdaFunctionScheduled => Some("lambda".into()),
                E::ActivityScheduled => Some("activity".into()),
                _ => None,
            };
        }
    }

    pub(super) fn end_attempt(
        &mut self,
        span: SpanId,
        status: AttemptStatus,
        event: &HistoryEvent,
    ) {
        let at = event.timestamp;
        let needs_new = self.timeline.spans[span]
            .attempts
            .last()
            .is_none_or(|a| a.status != AttemptStatus::Running);
        if needs_new {
            // e.g. `LambdaFunctionScheduleFailed`: the attempt failed before being scheduled.
            let attempt = self.new_attempt(at, None);
            self.timeline.spans[span].attempts.push(attempt);
        }
        let s = &mut self.timeline.spans[span];
        let attempt = s.attempts.last_mut().expect("an attempt was just ensured");
        attempt.end = Some(at);
        attempt.ended_event_id = Some(event.id);
        attempt.status = status;
        if status == AttemptStatus::Succeeded {
            self.states[span].in_error = false;
            self.states[span].timed_out = false;
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
        // A timeout that ends the state makes it TIMED_OUT, not FAILED.
        self.states[span].timed_out = status == AttemptStatus::TimedOut;
        self.record_error(span, error.as_deref(), event.details.cause.as_deref());
    }

    pub(super) fn record_error(&mut self, span: SpanId, error: Option<&str>, cause: Option<&str>) {
        let s = &mut self.timeline.spans[span];
        if error.is_some() || cause.is_some() {
            s.error = error.map(str::to_string);
            s.cause = cause.map(str::to_string);
        }
    }

    /// The Parallel (or Map) a `…StateStarted` event starts a run of: the event's own span, or
    /// the nearest enclosing one of that type still open. A retry's `…StateStarted` chains to
    /// the previous run's last branch event, not to the container.
    pub(super) fn starting_container(
        &self,
        span: Option<SpanId>,
        mut lane: super::LaneId,
        state_type: StateType,
    ) -> Option<SpanId> {
        let fits = |span: SpanId| {
            let s = &self.timeline.spans[span];
            s.state_type == state_type && s.end.is_none()
        };
        if let Some(span) = span
            && fits(span)
        {
            return Some(span);
        }
        loop {
            let owner = self.lanes[lane].owner?;
            if fits(owner) {
                return Some(owner);
            }
            lane = self.states[owner].lane;
        }
    }

    /// A `…StateStarted` of `container`: its first run, or a retry (the run before ends as
    /// failed if no `…StateFailed` said so; its branches or iterations are followed again in
    /// the same lanes).
    pub(super) fn start_run(&mut self, container: SpanId, at: Millis) {
        if self.states[container].runs_started > 0 {
            if !self.states[container].run_closed {
                self.states[container].in_error = true;
                self.close_run(container, self.plain_ending(EndKind::Failed, at));
            }
            let state = &mut self.states[container];
            state.run_closed = false;
            state.in_error = false;
            state.timed_out = false;
            state.branch_cursor = 0;
        }
        self.states[container].runs_started += 1;
        let attempt = self.new_attempt(at, Some(at));
        self.timeline.spans[container].attempts.push(attempt);
    }

    /// Ends the running attempt of a Parallel/Map whose run ends with `kind`.
    pub(super) fn end_run_attempt(&mut self, container: SpanId, kind: EndKind, at: Millis) {
        let in_error = self.states[container].in_error;
        let s = &mut self.timeline.spans[container];
        let Some(attempt) = s.attempts.last_mut() else {
            return;
        };
        if attempt.status != AttemptStatus::Running {
            return;
        }
        attempt.end = Some(at);
        attempt.status = match kind {
            EndKind::Succeeded if !in_error => AttemptStatus::Succeeded,
            EndKind::TimedOut => AttemptStatus::TimedOut,
            _ => AttemptStatus::Failed,
        };
        if attempt.status != AttemptStatus::Succeeded {
            attempt.error = s.error.clone();
            attempt.cause = s.cause.clone();
        }
    }
}
