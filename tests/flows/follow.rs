//! Following a running execution when a history read fails or is refused: the timeline says
//! it is incomplete instead of passing a part for the whole, and catches up by itself (a
//! failure, retried with backoff) or on `ctrl-r` (a refusal, asked again).

use crate::app_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};
use stepdeck::backend::BackendError;
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary};
use stepdeck::domain::history::HistoryEvent;

const HISTORY: &str = "states:GetExecutionHistory";

/// The history reads among `effects`: (generation, after which event id).
fn history_reads(effects: &[Effect]) -> Vec<(u64, Option<i64>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadHistory {
                generation,
                request,
            } if !request.include_data => Some((*generation, request.after_event_id)),
            _ => None,
        })
        .collect()
}

fn answer(app: &mut App, generation: u64, result: Result<Vec<HistoryEvent>, BackendError>) {
    update(
        app,
        Msg::History {
            generation,
            include_data: false,
            result,
        },
    );
}

/// The running row opened, its description still running, the first 12 of the run's 33
/// events read (the Parallel and PersistMetadata not yet entered).
fn following() -> (App, Vec<HistoryEvent>, ExecutionSummary) {
    let mut app = seed_app();
    let running = app.executions.selected().unwrap().clone();
    assert_eq!(running.status, ExecutionStatus::Running);
    let all = fixture("happy_path.json");
    assert_eq!(all.len(), 33);
    let o = opened(&press(&mut app, "Enter"));
    update(
        &mut app,
        Msg::Execution {
            generation: o.detail_generation,
            result: Ok(detail_of(&running, None, None)),
        },
    );
    answer(&mut app, o.history_generation, Ok(all[..12].to_vec()));
    assert!(app.execution.as_ref().unwrap().timeline.follow);
    (app, all, running)
}

/// The description says the run succeeded (it ended while the history could not be read).
fn described_succeeded(app: &mut App, running: &ExecutionSummary, generation: u64) {
    let mut ended = running.clone();
    ended.status = ExecutionStatus::Succeeded;
    ended.stop = Some(NOW + 5_000);
    update(
        app,
        Msg::Execution {
            generation,
            result: Ok(detail_of(&ended, None, None)),
        },
    );
}

#[test]
fn a_failed_history_read_marks_the_timeline_incomplete_and_is_retried_with_backoff_until_caught_up()
{
    let (mut app, all, running) = following();
    let [(generation, Some(12))] = history_reads(&update(&mut app, Msg::Tick(NOW + 1_000)))[..]
    else {
        panic!("the poll for new events");
    };
    answer(
        &mut app,
        generation,
        Err(BackendError::Network(
            "GetExecutionHistory timed out".into(),
        )),
    );
    let text = screen(&app, 160, 32);
    assert!(
        text.contains("⚠ history incomplete, states not final · retrying in 2.0s · loading"),
        "{text}"
    );
    assert!(
        !text.contains("FOLLOW"),
        "nothing is being followed: {text}"
    );

    // Meanwhile the description says the run ended: the history is still read, since the
    // events missed are what the timeline lacks (the old console stopped polling here).
    let effects = press(&mut app, "ctrl-r");
    let describe = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadExecution { generation, .. } => Some(*generation),
            _ => None,
        })
        .unwrap();
    let [(generation, Some(12))] = history_reads(&effects)[..] else {
        panic!("{effects:#?}");
    };
    described_succeeded(&mut app, &running, describe);
    answer(
        &mut app,
        generation,
        Err(BackendError::Other(
            "GetExecutionHistory failed: 500".into(),
        )),
    );
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.status(), ExecutionStatus::Succeeded);
    assert_eq!(view.history_failures, 2);
    assert!(screen(&app, 160, 32).contains("⚠ history incomplete"));
    // Two failures in a row: the next try four seconds after the last one went out.
    assert!(history_reads(&update(&mut app, Msg::Tick(NOW + 4_999))).is_empty());
    let [(generation, Some(12))] = history_reads(&update(&mut app, Msg::Tick(NOW + 5_000)))[..]
    else {
        panic!("retried on the poll schedule, with backoff");
    };
    answer(&mut app, generation, Ok(all[12..].to_vec()));

    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.events.len(), 33, "caught up");
    assert_eq!(view.history_gap, None);
    assert!(
        view.timeline()
            .spans
            .iter()
            .any(|s| s.name == "PersistMetadata")
    );
    let text = screen(&app, 160, 32);
    assert!(!text.contains("history incomplete"), "{text}");
    // The end was read: nothing more to ask.
    assert!(history_reads(&update(&mut app, Msg::Tick(NOW + 60_000))).is_empty());
}

#[test]
fn a_refused_history_read_while_following_marks_the_timeline_incomplete_until_ctrl_r_reads_it() {
    let (mut app, all, running) = following();
    let [(generation, Some(12))] = history_reads(&update(&mut app, Msg::Tick(NOW + 1_000)))[..]
    else {
        panic!("the poll for new events");
    };
    answer(
        &mut app,
        generation,
        Err(BackendError::AccessDenied {
            action: HISTORY.into(),
            message: "AccessDeniedException".into(),
        }),
    );
    // Refused: not asked again on its own; the description is polled instead.
    let effects = update(&mut app, Msg::Tick(NOW + 3_000));
    assert!(history_reads(&effects).is_empty(), "{effects:#?}");
    let describe = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadExecution { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("the description is polled instead");
    described_succeeded(&mut app, &running, describe);
    let text = screen(&app, 160, 32);
    assert!(
        text.contains(
            "⚠ history incomplete, states not final · ctrl-r asks again · missing permission \
             states:GetExecutionHistory"
        ),
        "{text}"
    );
    assert!(!text.contains("FOLLOW"), "{text}");
    assert!(history_reads(&update(&mut app, Msg::Tick(NOW + 60_000))).is_empty());

    // ctrl-r asks again, for the events after the last one held.
    let effects = press(&mut app, "ctrl-r");
    let [(generation, Some(12))] = history_reads(&effects)[..] else {
        panic!("{effects:#?}");
    };
    assert_eq!(app.execution.as_ref().unwrap().history.denied, None);
    answer(&mut app, generation, Ok(all[12..].to_vec()));
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.events.len(), 33);
    assert_eq!(view.history_gap, None);
    assert!(!screen(&app, 160, 32).contains("history incomplete"));
}
