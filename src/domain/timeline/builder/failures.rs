//! Failure attribution from whichever event carries it: `EvaluationFailed` (which AWS often
//! chains to the predecessor of the failing state's entry, not to the entry) names its state;
//! a runtime error with no event of its own shows only in `ExecutionFailed`'s cause, "An error
//! occurred while executing the state 'X' (entered at the event id #N)", and the state named
//! there with that entry id is the one that failed.

use super::{EventContext, TimelineBuilder};
use crate::domain::history::HistoryEvent;
use crate::domain::timeline::span::{SpanId, SpanStatus, StateType};

impl TimelineBuilder {
    /// The open state an `EvaluationFailed` naming `name` is about: the event's own span, else
    /// the state of that name open in the event's lane (the entry followed the same
    /// predecessor), else one open in a lane of the Parallel/Map the event chains to (its
    /// first state failed). Without a name, the event's own span.
    pub(super) fn evaluating_span(&self, here: EventContext, name: Option<&str>) -> Option<SpanId> {
        let Some(name) = name else {
            return here.span;
        };
        let open_named = |span: SpanId| {
            let s = &self.timeline.spans[span];
            s.end.is_none() && s.name == name
        };
        if let Some(span) = here.span
            && open_named(span)
        {
            return Some(span);
        }
        if let Some(span) = self.lanes[here.lane].open
            && open_named(span)
        {
            return Some(span);
        }
        if let Some(container) = here.span
            && matches!(
                self.timeline.spans[container].state_type,
                StateType::Parallel | StateType::Map
            )
        {
            let found = self.states[container]
                .lanes
                .iter()
                .filter_map(|&lane| self.lanes[lane].open)
                .find(|&span| open_named(span));
            if found.is_some() {
                return found;
            }
        }
        here.span
    }

    /// The state an execution's failure names in its cause, marked as the one in error (so
    /// the end of the execution fails it rather than aborting it). Only when the state of
    /// that name was entered at that event id.
    pub(super) fn blame_from_cause(&mut self, event: &HistoryEvent) -> Option<SpanId> {
        let d = &event.details;
        let (name, entered) = state_in_cause(d.cause.as_deref()?)?;
        let span = self.events.get(entered)?.span?;
        let s = &self.timeline.spans[span];
        if s.name != name || s.entered_event_id != entered {
            return None;
        }
        // The state's own error (a failed attempt before this) stays; else the execution's.
        if !self.states[span].in_error || s.error.is_none() {
            self.record_error(span, d.error.as_deref(), d.cause.as_deref());
        }
        self.states[span].in_error = true;
        self.states[span].timed_out = d.error.as_deref() == Some("States.Timeout");
        Some(span)
    }

    /// After the execution ended: the blamed state, if something had already closed it as
    /// aborted (its Parallel's or Map's run failing around it), failed in fact.
    pub(super) fn settle_blame(&mut self, span: SpanId) {
        let timed_out = self.states[span].timed_out;
        let s = &mut self.timeline.spans[span];
        if matches!(s.status, SpanStatus::Aborted | SpanStatus::Running) {
            s.status = if timed_out {
                SpanStatus::TimedOut
            } else {
                SpanStatus::Failed
            };
        }
    }
}

/// The state and entry event id in "An error occurred while executing the state 'X' (entered
/// at the event id #N)", AWS's cause for a runtime error that has no event of its own.
pub(super) fn state_in_cause(cause: &str) -> Option<(&str, i64)> {
    const BEFORE_NAME: &str = "while executing the state '";
    const BEFORE_ID: &str = "' (entered at the event id #";
    let from = cause.find(BEFORE_NAME)? + BEFORE_NAME.len();
    let rest = &cause[from..];
    // State names may contain quotes: the name ends where the entry id's text begins.
    let name_len = rest.find(BEFORE_ID)?;
    let digits = &rest[name_len + BEFORE_ID.len()..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let id = digits[..end].parse().ok()?;
    Some((&rest[..name_len], id))
}

#[cfg(test)]
mod tests {
    use super::state_in_cause;

    #[test]
    fn the_state_and_its_entry_are_read_from_the_cause() {
        let cause = "An error occurred while executing the state 'Resize it' (entered at the \
                     event id #14). The JSONPath '$.missing' specified for the field \
                     'InputPath' could not be found in the input '{}'";
        assert_eq!(state_in_cause(cause), Some(("Resize it", 14)));
        assert_eq!(
            state_in_cause("while executing the state 'It's' (entered at the event id #7)."),
            Some(("It's", 7))
        );
        assert_eq!(state_in_cause("Lambda failed"), None);
        assert_eq!(
            state_in_cause("while executing the state 'X' (entered at the event id #)"),
            None
        );
    }
}
