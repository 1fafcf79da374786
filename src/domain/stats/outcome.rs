//! How a run ended, as the dashboard counts it.

use crate::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};

/// How a run ended, as the dashboard counts it: the status, with a succeeded run split into
/// accepted and rejected (the pipeline reports a rejected photo as a caught error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeKind {
    Accepted,
    Rejected,
    Failed,
    Running,
    Aborted,
    TimedOut,
}

impl OutcomeKind {
    pub const COUNT: usize = 6;
    pub const ALL: [OutcomeKind; 6] = [
        OutcomeKind::Accepted,
        OutcomeKind::Rejected,
        OutcomeKind::Failed,
        OutcomeKind::Running,
        OutcomeKind::Aborted,
        OutcomeKind::TimedOut,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Accepted => "accepted",
            OutcomeKind::Rejected => "rejected",
            OutcomeKind::Failed => "failed",
            OutcomeKind::Running => "running",
            OutcomeKind::Aborted => "aborted",
            OutcomeKind::TimedOut => "timed out",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind of a run from its status and, for a succeeded one, its outcome (unknown taken
    /// as accepted until a description or the history says otherwise).
    pub fn of(status: ExecutionStatus, outcome: Option<&Outcome>) -> OutcomeKind {
        match status {
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive => OutcomeKind::Running,
            ExecutionStatus::Succeeded => match outcome {
                Some(Outcome::Rejected { .. }) => OutcomeKind::Rejected,
                _ => OutcomeKind::Accepted,
            },
            ExecutionStatus::Failed => OutcomeKind::Failed,
            ExecutionStatus::Aborted => OutcomeKind::Aborted,
            ExecutionStatus::TimedOut => OutcomeKind::TimedOut,
        }
    }

    pub fn of_summary(summary: &ExecutionSummary) -> OutcomeKind {
        OutcomeKind::of(summary.status, summary.outcome.as_ref())
    }
}
