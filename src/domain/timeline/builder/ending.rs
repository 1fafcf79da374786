//! How an open span is ended by something around it: the kind of ending, and the status a
//! span cut short by it gets.

use crate::domain::Millis;
use crate::domain::timeline::span::SpanStatus;

/// How a span that is still open is ended by something around it (its Parallel/Map run
/// closing, or the execution ending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EndKind {
    Succeeded,
    Failed,
    Aborted,
    TimedOut,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Ending<'a> {
    pub(super) kind: EndKind,
    pub(super) at: Millis,
    /// Error/cause given to failed spans that have none of their own (a Fail state learns its
    /// error from `ExecutionFailed`).
    pub(super) error: Option<&'a str>,
    pub(super) cause: Option<&'a str>,
}

impl EndKind {
    /// Status of a span cut short by this ending.
    pub(super) fn status_for(self, in_error: bool) -> SpanStatus {
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
