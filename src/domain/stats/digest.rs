//! What one finished execution's history contributes to the figures: each state's duration,
//! retries and whether it failed, and the outcome the history tells for certain. Computed once
//! per history (through the timeline builder, the one reader of histories), kept small.

use crate::domain::Millis;
use crate::domain::execution::Outcome;
use crate::domain::timeline::{SpanStatus, Timeline};

/// One state's entry in one execution.
#[derive(Debug, Clone, PartialEq)]
pub struct StateSample {
    pub name: String,
    /// Entered → exited (or → how it ended).
    pub duration: Millis,
    /// Attempts beyond the first (task retries, re-runs of a Parallel or Map).
    pub retries: u32,
    /// Ended in an error, caught or not, or timed out.
    pub failed: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoryDigest {
    /// Finished states in order of entry (a state entered twice gives two samples).
    pub states: Vec<StateSample>,
    /// None while the execution runs.
    pub outcome: Option<Outcome>,
}

impl HistoryDigest {
    pub fn of(timeline: &Timeline) -> HistoryDigest {
        let states = timeline
            .spans
            .iter()
            .filter_map(|span| {
                let end = span.end?;
                Some(StateSample {
                    name: span.name.clone(),
                    duration: end.saturating_sub(span.start),
                    retries: span.attempt_count().saturating_sub(1) as u32,
                    failed: matches!(
                        span.status,
                        SpanStatus::Failed | SpanStatus::Caught | SpanStatus::TimedOut
                    ),
                })
            })
            .collect();
        HistoryDigest {
            states,
            outcome: timeline.outcome(),
        }
    }
}
