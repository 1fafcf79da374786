//! What a redrive would re-run, read from the timeline before it is asked for: AWS restarts
//! an execution from the states that did not succeed — the failed, aborted or timed-out
//! state, and inside a Parallel or a Map only the branches and iterations that did not
//! succeed — while everything that succeeded keeps its result.

use super::span::{SpanStatus, StateType, Timeline};

/// One state that a redrive runs again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rerun {
    pub state: String,
    /// Where it runs: `ParallelProcessing#1`, `ProcessItems[3]` (empty at the top level).
    pub path: String,
    /// How it ended the last time.
    pub status: SpanStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RedrivePlan {
    /// The innermost states that did not succeed, in the order they were entered.
    pub reruns: Vec<Rerun>,
    /// States that succeeded and are not run again.
    pub kept: usize,
    /// A Map among the re-run states: its iterations never started run too.
    pub map_resumes: bool,
}

fn unfinished(status: SpanStatus) -> bool {
    matches!(
        status,
        SpanStatus::Failed | SpanStatus::Aborted | SpanStatus::TimedOut
    )
}

impl Timeline {
    /// What a redrive of this execution would run again.
    pub fn redrive_plan(&self) -> RedrivePlan {
        let mut plan = RedrivePlan::default();
        for span in &self.spans {
            if matches!(span.status, SpanStatus::Succeeded | SpanStatus::Caught) {
                plan.kept += 1;
                continue;
            }
            if !unfinished(span.status) {
                continue;
            }
            if span.state_type == StateType::Map {
                plan.map_resumes = true;
            }
            // A container is named through the branch or iteration that did not succeed.
            let inner = span
                .children
                .iter()
                .any(|&child| unfinished(self.spans[child].status));
            if inner {
                continue;
            }
            plan.reruns.push(Rerun {
                state: span.name.clone(),
                path: span
                    .path
                    .iter()
                    .map(|segment| segment.label())
                    .collect::<Vec<_>>()
                    .join(" › "),
                status: span.status,
            });
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Millis;
    use crate::domain::history::{EventDetails, EventType, HistoryEvent};
    use crate::domain::timeline::{SpanStatus, build};

    fn event(id: i64, previous: i64, at: Millis, event_type: &str) -> HistoryEvent {
        HistoryEvent::new(id, previous, at, EventType::parse(event_type))
    }

    fn named(id: i64, previous: i64, at: Millis, event_type: &str, name: &str) -> HistoryEvent {
        event(id, previous, at, event_type).with_details(EventDetails {
            name: Some(name.into()),
            ..EventDetails::default()
        })
    }

    fn failure(id: i64, previous: i64, at: Millis, event_type: &str) -> HistoryEvent {
        event(id, previous, at, event_type).with_details(EventDetails {
            error: Some("Boom".into()),
            cause: Some("it broke".into()),
            ..EventDetails::default()
        })
    }

    #[test]
    fn only_the_branch_that_failed_runs_again_and_what_succeeded_is_kept() {
        // Detect succeeds, then a Parallel: branch 0 (AddFace) succeeds, branch 1 (Thumbnail)
        // fails, and the run fails.
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "TaskStateEntered", "Detect"),
            named(3, 2, 2, "TaskStateExited", "Detect"),
            named(4, 3, 3, "ParallelStateEntered", "Both"),
            event(5, 4, 4, "ParallelStateStarted"),
            named(6, 5, 5, "TaskStateEntered", "AddFace"),
            named(7, 5, 5, "TaskStateEntered", "Thumbnail"),
            named(8, 6, 6, "TaskStateExited", "AddFace"),
            event(9, 7, 7, "TaskScheduled"),
            failure(10, 9, 8, "TaskFailed"),
            event(11, 10, 9, "ParallelStateFailed"),
            failure(12, 11, 10, "ExecutionFailed"),
        ]);
        let plan = t.redrive_plan();
        assert_eq!(plan.reruns.len(), 1, "{plan:?}");
        assert_eq!(plan.reruns[0].state, "Thumbnail");
        assert_eq!(plan.reruns[0].path, "Both#1");
        assert_eq!(plan.reruns[0].status, SpanStatus::Failed);
        assert_eq!(plan.kept, 2, "Detect and AddFace");
        assert!(!plan.map_resumes);
    }

    #[test]
    fn a_succeeded_run_has_nothing_to_run_again() {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "PassStateEntered", "P"),
            named(3, 2, 2, "PassStateExited", "P"),
            event(4, 3, 3, "ExecutionSucceeded"),
        ]);
        let plan = t.redrive_plan();
        assert!(plan.reruns.is_empty());
        assert_eq!(plan.kept, 1);
    }
}
