//! Spans opening and closing: a `*StateEntered` opens one in its lane (placed among its
//! Parallel's or Map's children by lane), a `*StateExited` ends it (succeeded, or caught after
//! an error).

use super::ending::EndKind;
use super::{LaneId, SpanState, TimelineBuilder};
use crate::domain::history::HistoryEvent;
use crate::domain::timeline::span::{Span, SpanId, SpanStatus, StateType};

impl TimelineBuilder {
    pub(super) fn enter(&mut self, lane: LaneId, event: &HistoryEvent) -> SpanId {
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
            before_redrive: Vec::new(),
        });
        self.states.push(SpanState {
            lane,
            lanes: Vec::new(),
            run_closed: false,
            // A Fail state has no exit: it is the error.
            in_error: state_type == StateType::Fail,
            timed_out: false,
            runs_started: 0,
            branch_cursor: 0,
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

    pub(super) fn exit(&mut self, span: SpanId, event: &HistoryEvent) {
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
        // A branch that ended in a Fail state leaves no error in the history (its
        // `ParallelStateFailed` has no details): the Catch wrote it into the state's output.
        if in_error
            && s.error.is_none()
            && let Some((error, cause)) = s
                .output
                .as_deref()
                .and_then(crate::domain::execution::caught_error_in)
        {
            s.error = Some(error);
            s.cause = s.cause.take().or(cause);
        }
        let lane = self.states[span].lane;
        if self.lanes[lane].open == Some(span) {
            self.lanes[lane].open = None;
        }
    }
}

/// The state type named by a `*StateEntered` event type (unknown future types count as Task).
fn state_type_of(event_type: &crate::domain::history::EventType) -> StateType {
    use crate::domain::history::EventType as E;
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
