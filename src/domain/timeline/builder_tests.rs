//! The builder on hand-written histories: failures, catches, Parallel branches, Map
//! iterations, aborts, redrives and odd event ids.

use super::*;
use crate::domain::execution::Outcome;
use crate::domain::history::{EventDetails, EventType};
use crate::domain::timeline::build;
use crate::domain::timeline::span::SpanStatus;

/// Writes a history line by line: `(id, previous, ms, type, name/index/error)`.
fn event(id: i64, previous: i64, at: Millis, event_type: &str) -> HistoryEvent {
    HistoryEvent::new(id, previous, at, EventType::parse(event_type))
}

fn named(id: i64, previous: i64, at: Millis, event_type: &str, name: &str) -> HistoryEvent {
    event(id, previous, at, event_type).with_details(EventDetails {
        name: Some(name.into()),
        ..EventDetails::default()
    })
}

fn iteration(id: i64, previous: i64, at: Millis, event_type: &str, index: u32) -> HistoryEvent {
    event(id, previous, at, event_type).with_details(EventDetails {
        name: Some("Items".into()),
        index: Some(index),
        ..EventDetails::default()
    })
}

fn failure(id: i64, previous: i64, at: Millis, event_type: &str, error: &str) -> HistoryEvent {
    event(id, previous, at, event_type).with_details(EventDetails {
        error: Some(error.into()),
        cause: Some(format!(r#"{{"errorMessage":"{error} happened"}}"#)),
        ..EventDetails::default()
    })
}

fn statuses(t: &Timeline) -> Vec<(&str, SpanStatus, Option<Millis>)> {
    t.spans
        .iter()
        .map(|s| (s.name.as_str(), s.status, s.end))
        .collect()
}

#[test]
fn a_fail_state_fails_at_the_end_of_the_execution_with_its_error() {
    let t = build(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 1, 10, "FailStateEntered", "Reject"),
        failure(3, 2, 15, "ExecutionFailed", "Rejected"),
    ]);
    assert_eq!(statuses(&t), [("Reject", SpanStatus::Failed, Some(15))]);
    assert_eq!(t.spans[0].state_type, StateType::Fail);
    assert_eq!(t.spans[0].error.as_deref(), Some("Rejected"));
}

#[test]
fn a_caught_parallel_makes_a_rejected_outcome_with_its_branch_error() {
    let t = build(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 1, 1, "ParallelStateEntered", "Both"),
        event(3, 2, 2, "ParallelStateStarted"),
        named(4, 3, 3, "TaskStateEntered", "A"),
        event(5, 4, 4, "TaskScheduled"),
        failure(6, 5, 9, "TaskFailed", "Boom"),
        event(7, 6, 10, "ParallelStateFailed"),
        named(8, 7, 11, "ParallelStateExited", "Both"),
        named(9, 8, 12, "PassStateEntered", "Handle"),
        named(10, 9, 13, "PassStateExited", "Handle"),
        event(11, 10, 14, "ExecutionSucceeded"),
    ]);
    assert_eq!(
        statuses(&t),
        [
            ("Both", SpanStatus::Caught, Some(11)),
            ("A", SpanStatus::Failed, Some(10)),
            ("Handle", SpanStatus::Succeeded, Some(13)),
        ]
    );
    assert_eq!(
        t.outcome(),
        Some(Outcome::Rejected {
            state: "Both".into(),
            error: "Boom".into(),
            message: "Boom happened".into(),
        })
    );
}

/// A branch that ends in a Fail state leaves no error in the history (moto's and AWS's
/// `ParallelStateFailed` carry no details): the error and cause come from what the Catch put
/// in the output, whole or at its `ResultPath`.
#[test]
fn a_parallel_caught_from_a_fail_state_takes_its_error_from_the_catch_output() {
    let exited = |id: i64, output: &str| {
        event(id, id - 1, 11, "ParallelStateExited").with_details(EventDetails {
            name: Some("Check".into()),
            output: Some(output.into()),
            ..EventDetails::default()
        })
    };
    let caught =
        r#"{"Error":"PhotoDoesNotMeetRequirementError","Cause":"Face is wearing sunglasses"}"#;
    for output in [
        caught.to_string(),
        format!(r#"{{"userId":"u1","errorInfo":{caught}}}"#),
    ] {
        let t = build(&[
            event(1, 0, 0, "ExecutionStarted"),
            named(2, 1, 1, "ParallelStateEntered", "Check"),
            event(3, 2, 2, "ParallelStateStarted"),
            named(4, 3, 3, "FailStateEntered", "Deny"),
            event(5, 4, 10, "ParallelStateFailed"),
            exited(6, &output),
            named(7, 6, 12, "PassStateEntered", "Rejected"),
            named(8, 7, 13, "PassStateExited", "Rejected"),
            event(9, 8, 14, "ExecutionSucceeded"),
        ]);
        assert_eq!(t.spans[0].status, SpanStatus::Caught);
        assert_eq!(
            t.outcome(),
            Some(Outcome::Rejected {
                state: "Check".into(),
                error: "PhotoDoesNotMeetRequirementError".into(),
                message: "Face is wearing sunglasses".into(),
            }),
            "{output}"
        );
    }
}

/// moto chains `ParallelStateExited` to a branch's last event (AWS chains it to
/// `ParallelStateSucceeded`): the exit still closes the Parallel, and what follows is
/// back at the top level, not in the branch.
#[test]
fn a_parallel_exit_chained_to_a_branch_still_closes_the_parallel() {
    let t = build(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 0, 1, "ParallelStateEntered", "ParallelProcessing"),
        event(3, 2, 2, "ParallelStateStarted"),
        named(4, 3, 3, "WaitStateEntered", "AddFaceToIndex"),
        named(5, 3, 3, "WaitStateEntered", "Thumbnail"),
        named(6, 4, 6, "WaitStateExited", "AddFaceToIndex"),
        named(7, 5, 8, "WaitStateExited", "Thumbnail"),
        event(8, 7, 8, "ParallelStateSucceeded"),
        named(9, 7, 9, "ParallelStateExited", "ParallelProcessing"),
        named(10, 9, 10, "WaitStateEntered", "PersistMetadata"),
        named(11, 10, 11, "WaitStateExited", "PersistMetadata"),
        event(12, 11, 12, "ExecutionSucceeded"),
    ]);
    let root_names: Vec<&str> = t.roots.iter().map(|&r| t.spans[r].name.as_str()).collect();
    assert_eq!(root_names, ["ParallelProcessing", "PersistMetadata"]);
    let parallel = &t.spans[t.roots[0]];
    assert_eq!(
        (parallel.status, parallel.end),
        (SpanStatus::Succeeded, Some(9))
    );
    assert_eq!(parallel.children.len(), 2);
}

#[test]
fn aborted_states_and_iterations_are_aborted() {
    let t = build(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 1, 1, "MapStateEntered", "Items"),
        event(3, 2, 2, "MapStateStarted"),
        iteration(4, 3, 3, "MapIterationStarted", 0),
        iteration(5, 3, 3, "MapIterationStarted", 1),
        named(6, 4, 4, "WaitStateEntered", "Pause"),
        named(7, 5, 4, "TaskStateEntered", "Work"),
        event(8, 7, 5, "TaskScheduled"),
        named(9, 6, 20, "WaitStateAborted", "Pause"),
        iteration(10, 9, 21, "MapIterationAborted", 0),
        failure(11, 8, 30, "TaskFailed", "Bad"),
        iteration(12, 11, 31, "MapIterationFailed", 1),
        event(13, 12, 32, "MapStateFailed"),
        failure(
            14,
            13,
            33,
            "ExecutionFailed",
            "States.ExceedToleratedFailureThreshold",
        ),
    ]);
    assert_eq!(
        statuses(&t),
        [
            ("Items", SpanStatus::Failed, Some(33)),
            ("Pause", SpanStatus::Aborted, Some(20)),
            ("Work", SpanStatus::Failed, Some(31)),
        ]
    );
    assert_eq!(t.spans[0].children, vec![1, 2]);
    // MapStateFailed names no error: the Map takes the execution's, which says why.
    assert_eq!(
        t.spans[0].error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(t.spans[2].error.as_deref(), Some("Bad"));
}

#[test]
fn a_task_aborted_while_running_ends_its_attempt() {
    let t = build(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 1, 1, "TaskStateEntered", "Work"),
        event(3, 2, 2, "TaskScheduled"),
        event(4, 3, 3, "TaskStarted"),
        event(5, 4, 8, "TaskStateAborted"),
        event(6, 5, 9, "ExecutionAborted"),
    ]);
    assert_eq!(statuses(&t), [("Work", SpanStatus::Aborted, Some(8))]);
    assert_eq!(t.spans[0].attempts[0].end, Some(8));
    assert_eq!(t.execution.end, Some(9));
}

#[test]
fn iterations_starting_out_of_order_are_listed_by_index() {
    let t = build(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 1, 1, "MapStateEntered", "Items"),
        event(3, 2, 2, "MapStateStarted"),
        iteration(4, 3, 3, "MapIterationStarted", 2),
        iteration(5, 3, 3, "MapIterationStarted", 0),
        named(6, 4, 4, "PassStateEntered", "Two"),
        named(7, 5, 4, "PassStateEntered", "Zero"),
    ]);
    assert_eq!(t.spans[0].children, vec![2, 1]);
    assert_eq!(t.spans[0].status, SpanStatus::Running);
    assert_eq!(t.spans[1].path[0].label(), "Items[2]");
}

#[test]
fn a_redriven_execution_runs_again() {
    let mut b = TimelineBuilder::new();
    b.extend(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 1, 1, "TaskStateEntered", "Work"),
        event(3, 2, 2, "TaskScheduled"),
        failure(4, 3, 3, "TaskFailed", "Flaky"),
        failure(5, 4, 4, "ExecutionFailed", "Flaky"),
    ]);
    assert_eq!(b.timeline().execution.status, ExecutionStatus::Failed);
    b.extend(&[
        event(6, 5, 100, "ExecutionRedriven"),
        named(7, 6, 101, "TaskStateEntered", "Work"),
    ]);
    let t = b.timeline();
    assert_eq!(t.execution.status, ExecutionStatus::Running);
    assert_eq!(t.execution.end, None);
    assert_eq!(t.outcome(), None);
    assert_eq!(
        statuses(t),
        [
            ("Work", SpanStatus::Failed, Some(4)),
            ("Work", SpanStatus::Running, None)
        ]
    );
}

#[test]
fn events_with_unknown_predecessors_and_odd_ids_still_land() {
    let mut b = TimelineBuilder::new();
    b.push(&named(
        1_000_000_000_000,
        999,
        5,
        "PassStateEntered",
        "Orphan",
    ));
    assert_eq!(b.timeline().roots, vec![0]);
    assert_eq!(b.last_event_id(), 1_000_000_000_000);
    b.push(&named(
        1_000_000_000_001,
        1_000_000_000_000,
        6,
        "PassStateExited",
        "Orphan",
    ));
    assert_eq!(b.timeline().spans[0].status, SpanStatus::Succeeded);
    b.push(&named(
        1_000_000_000_001,
        1_000_000_000_000,
        6,
        "PassStateExited",
        "Orphan",
    ));
    assert_eq!(b.timeline().event_count, 2);
}

#[test]
fn an_empty_timeline_has_no_rows_and_no_outcome() {
    let b = TimelineBuilder::new();
    assert!(b.timeline().rows().is_empty());
    assert_eq!(b.timeline().outcome(), None);
    assert_eq!(b.last_event_id(), 0);
}

#[test]
fn a_history_without_execution_started_starts_at_its_earliest_event() {
    let mut b = TimelineBuilder::new();
    b.extend(&[
        named(4, 3, 1_764_064_800_500, "TaskStateEntered", "Late"),
        named(5, 4, 1_764_064_800_200, "TaskStateExited", "Late"),
        event(6, 5, 1_764_064_800_900, "ExecutionSucceeded"),
    ]);
    let t = b.timeline();
    assert_eq!(t.execution.start, 1_764_064_800_200, "not 1970");
    assert_eq!(t.execution.end, Some(1_764_064_800_900));
    let caveats = b.caveats();
    assert_eq!(caveats.len(), 2, "{caveats:?}");
    assert!(caveats[0].contains("no ExecutionStarted event") && caveats[0].contains("id 5"));
    assert!(caveats[1].contains("1 event(s) follow an event that is not in the history"));
    assert!(caveats[1].contains("first: id 4 after id 3"));
}

#[test]
fn events_before_the_start_are_kept_with_a_caveat() {
    let mut b = TimelineBuilder::new();
    b.extend(&[
        event(1, 0, 1_000, "ExecutionStarted"),
        named(2, 1, 400, "PassStateEntered", "Early"),
        named(3, 2, 500, "PassStateExited", "Early"),
        event(4, 3, 900, "ExecutionSucceeded"),
    ]);
    assert_eq!(b.timeline().execution.start, 1_000);
    assert_eq!(b.timeline().spans[0].duration(0), 100);
    assert_eq!(
        b.caveats(),
        ["3 event(s) are timestamped before the execution started (first: id 2)"]
    );
}

#[test]
fn a_well_formed_history_has_no_caveats() {
    let mut b = TimelineBuilder::new();
    b.extend(&[
        event(1, 0, 0, "ExecutionStarted"),
        named(2, 1, 1, "PassStateEntered", "P"),
        named(3, 2, 2, "PassStateExited", "P"),
        event(4, 3, 3, "ExecutionSucceeded"),
    ]);
    assert_eq!(b.caveats(), Vec::<String>::new());
}

/// `depth` Parallel states, each the only branch of the one before.
fn nested_parallels(depth: i64) -> Vec<HistoryEvent> {
    let mut events = vec![event(1, 0, 0, "ExecutionStarted")];
    for level in 0..depth {
        let entered = 2 + 2 * level;
        let name = format!("P{level}");
        events.push(named(
            entered,
            entered - 1,
            level,
            "ParallelStateEntered",
            &name,
        ));
        events.push(event(entered + 1, entered, level, "ParallelStateStarted"));
    }
    events
}

#[test]
fn nesting_is_followed_to_a_bound_and_flattened_beyond_it() {
    let depth = MAX_NESTING as i64 + 40;
    let mut b = TimelineBuilder::new();
    b.extend(&nested_parallels(depth));
    let t = b.timeline();
    assert_eq!(t.spans.len(), depth as usize);
    assert!(t.spans.iter().all(|s| s.path.len() <= MAX_NESTING));
    assert_eq!(t.spans[MAX_NESTING].path.len(), MAX_NESTING);
    assert_eq!(t.spans[MAX_NESTING + 1].path.len(), MAX_NESTING);
    assert!(t.rows().len() >= t.spans.len());
    let caveats = b.caveats();
    assert_eq!(caveats.len(), 1, "{caveats:?}");
    assert!(
        caveats[0].starts_with("39 Parallel branch(es) or Map iteration(s) nest deeper than 16"),
        "{caveats:?}"
    );
}

#[test]
fn a_far_event_id_does_not_grow_the_dense_index() {
    let mut b = TimelineBuilder::new();
    b.push(&event(1, 0, 0, "ExecutionStarted"));
    b.push(&named(4_000_000, 1, 1, "PassStateEntered", "Far"));
    b.push(&named(4_000_001, 4_000_000, 2, "PassStateExited", "Far"));
    assert!(b.events.dense.len() < 1 << 17, "{}", b.events.dense.len());
    assert_eq!(b.timeline().spans[0].status, SpanStatus::Succeeded);
    // An id kept in the map stays found once the vector grows past it.
    let mut grown = TimelineBuilder::new();
    grown.push(&event(70_000, 0, 0, "ExecutionStarted"));
    for id in (1..=70_001).filter(|&id| id != 70_000) {
        grown.events.insert(id, TOP_CONTEXT);
    }
    assert!(grown.events.dense.len() > 70_000);
    assert!(grown.events.contains(70_000));
}
