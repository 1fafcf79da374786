//! The open execution's tabs on histories the seed scenarios do not cover: a redriven
//! execution drawn as segments (its idle gap collapsed and labelled), a retried task whose
//! attempts waited in a queue.

use crate::app_support;
use crate::executions::open_fixture;

use app_support::*;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};

fn shown(app: &mut App, width: u16, height: u16) -> String {
    update(app, Msg::Resize(width, height));
    screen(app, width, height)
}

#[test]
fn a_redriven_execution_is_two_segments_with_the_idle_gap_collapsed() {
    let mut app = seed_app();
    open_fixture(&mut app, "run-05-failed", "redriven.json");
    let wide = shown(&mut app, 160, 45);
    insta::assert_snapshot!("redriven_160x45", wide);
    let narrow = shown(&mut app, 80, 24);
    insta::assert_snapshot!("redriven_80x24", narrow);
    for text in [&wide, &narrow] {
        // Fitted to the 3.8 s of work, not to the 3 h 17 m between the failure and the
        // redrive.
        assert!(text.contains("window +0ms … +3.8s  fit"), "{text}");
        assert!(text.contains("redriven 1×"), "{text}");
        assert!(text.contains('┆'), "{text}");
    }
    // The summary says how often and how long it ran, beside the wall-clock duration.
    assert!(
        wide.contains("duration 3h 17m  redriven 1× · ran 3.8s  events 41"),
        "{wide}"
    );
    // Help explains the marks.
    press(&mut app, "?");
    let help = shown(&mut app, 120, 45);
    assert!(
        help.contains("queued: scheduled, not yet started"),
        "{help}"
    );
    assert!(
        help.contains("a redrive (the idle time before it collapsed)"),
        "{help}"
    );
    assert!(
        wide.contains("redrive 1 at 13:26:02 · idle 3h 17m collapsed"),
        "{wide}"
    );
}

#[test]
fn queue_time_is_drawn_apart_from_run_time() {
    let mut events = fixture("retry_absorbed.json");
    // FaceDetection's attempts waited for a worker: 253 ms before the first started, 688 ms
    // before the second.
    for e in &mut events {
        match e.id {
            6 => e.timestamp += 220,
            9 => e.timestamp += 660,
            _ => {}
        }
    }
    let mut app = seed_app();
    open_fixture(&mut app, "run-01-happy", "retry_absorbed.json");
    // Reopen with the edited events (same row, same description).
    update(&mut app, Msg::Resize(120, 32));
    press(&mut app, "Esc");
    let summary = app.executions.selected().unwrap().clone();
    open_with(&mut app, detail_of(&summary, None, None), events);
    let text = shown(&mut app, 120, 32);
    insta::assert_snapshot!("queued_120x32", text);
    let face = text
        .lines()
        .find(|l| l.starts_with("\"FaceDetection"))
        .unwrap();
    // Queued cells in a light shade, then the run in solid blocks, for each attempt.
    let queued = face.find('░').expect("queue time drawn");
    let run = face.find('█').unwrap();
    assert!(queued < run, "{face}");
    assert!(face.matches('░').count() >= 4, "{face}");
    assert!(text.contains("░ queued · backoff"), "{text}");
    // The details pane tells each attempt's queue time from its run time.
    press(&mut app, "j Enter");
    let details = shown(&mut app, 120, 32);
    insta::assert_snapshot!("queued_details_120x32", details);
    assert!(
        details.contains("duration 3.5s (queued 941ms)"),
        "{details}"
    );
    assert!(
        details.contains("#1 failed 365ms (queued 253ms, ran 112ms)"),
        "{details}"
    );
    assert!(
        details.contains("#2 succeeded 1.1s (queued 688ms, ran 407ms)"),
        "{details}"
    );
}

/// The redriven run on its Events tab, the cursor on event `id`.
fn events_at(id: i64, edit: impl Fn(&mut stepdeck::domain::history::HistoryEvent)) -> App {
    let mut events = fixture("redriven.json");
    events.iter_mut().for_each(edit);
    let mut app = seed_app();
    open_fixture(&mut app, "run-05-failed", "redriven.json");
    update(&mut app, Msg::Resize(120, 32));
    press(&mut app, "Esc");
    let summary = app.executions.selected().unwrap().clone();
    open_with(&mut app, detail_of(&summary, None, None), events);
    press(&mut app, "Tab");
    for _ in 1..id {
        press(&mut app, "j");
    }
    app
}

#[test]
fn an_event_opens_as_its_json_with_untrusted_text_escaped() {
    let mut app = events_at(22, |e| {
        if e.id == 22 {
            // What a task may put in its error: a terminal escape and a bidi override.
            e.details.cause = Some(
                "bad \u{1b}]0;pwned\u{7} image \u{202e}gpj.exe, and a message long enough to run \
                 past the right edge of a narrow terminal: END"
                    .into(),
            );
        }
    });
    press(&mut app, "Enter");
    let wide = shown(&mut app, 120, 32);
    insta::assert_snapshot!("event_json_120x32", wide);
    let narrow = shown(&mut app, 80, 24);
    insta::assert_snapshot!("event_json_80x24", narrow);
    for text in [&wide, &narrow] {
        assert!(text.contains("event 22 · TaskFailed"), "{text}");
        assert!(
            text.contains(r#""error": "UnidentifiedImageError""#),
            "{text}"
        );
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
    }
    // JSON escapes the ESC; the bidi override, which JSON leaves alone, is escaped too.
    assert!(
        wide.contains(r"\u001b]0;pwned\u0007 image \u{202e}gpj.exe"),
        "{wide}"
    );
    // Long lines are cut onto the next line, not lost past the edge.
    assert!(narrow.contains("terminal: END\""), "{narrow}");
    assert!(narrow.contains("\"previousEventId\": 21"), "{narrow}");
}

#[test]
fn the_failures_filter_says_it_is_on_and_how_many_match() {
    let mut app = events_at(1, |e| {
        if e.id == 22 {
            e.details.cause = Some("bad \u{1b}]0;pwned\u{7} image \u{202e}gpj.exe".into());
        }
        if e.event_type.is_state_entered() && e.details.name.as_deref() == Some("Thumbnail") {
            e.details.name = Some("Thumb\u{1b}[2Jnail".into());
        }
    });
    press(&mut app, "f");
    let wide = shown(&mut app, 120, 32);
    insta::assert_snapshot!("events_failures_120x32", wide);
    let narrow = shown(&mut app, 80, 24);
    insta::assert_snapshot!("events_failures_80x24", narrow);
    for text in [&wide, &narrow] {
        assert!(text.contains("failures only: 3 of 41"), "{text}");
        assert!(
            text.contains("TaskFailed") && text.contains("ExecutionFailed"),
            "{text}"
        );
        assert!(!text.contains("TaskStateEntered"), "{text}");
        // A row's details are untrusted text too.
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
    }
    // So are state names, in the list and on the chart.
    press(&mut app, "f");
    let list = shown(&mut app, 120, 32);
    assert!(list.contains(r"Thumb\x1b[2Jnail"), "{list}");
    press(&mut app, "BackTab");
    let chart = shown(&mut app, 120, 32);
    assert!(chart.contains(r"Thumb\x1b[2Jnail"), "{chart}");
    assert!(!chart.contains('\u{1b}'), "{chart}");
}

#[test]
fn the_redrive_dialog_lists_what_re_runs_and_what_is_kept() {
    let mut app = seed_app();
    open_fixture(&mut app, "run-05-failed", "failed_in_branch.json");
    press(&mut app, "R");
    let wide = shown(&mut app, 120, 32);
    insta::assert_snapshot!("redrive_plan_120x32", wide);
    let narrow = shown(&mut app, 80, 24);
    insta::assert_snapshot!("redrive_plan_80x24", narrow);
    for text in [&wide, &narrow] {
        assert!(
            text.contains("runs again only what did not succeed"),
            "{text}"
        );
        assert!(
            text.contains("↻ Thumbnail in ParallelProcessing#1 (FAILED)"),
            "{text}"
        );
        assert!(text.contains("that succeeded keep their results"), "{text}");
    }
}

/// After a redrive is accepted, the open execution reads its history on (it had ended) until
/// the `ExecutionRedriven` arrives, and then follows the new segment as a running execution.
#[test]
fn an_accepted_redrive_is_followed_live_in_the_open_execution() {
    use stepdeck::app::effect::Effect;
    use stepdeck::domain::execution::ExecutionStatus;
    use stepdeck::domain::history::{EventDetails, EventType, HistoryEvent};

    let mut app = seed_app();
    open_fixture(&mut app, "run-05-failed", "failed_in_branch.json");
    let arn = app.execution.as_ref().unwrap().arn.clone();
    let held = app.execution.as_ref().unwrap().events.len() as i64;
    let later = app.now + 10_000;
    let quiet = update(&mut app, Msg::Tick(later));
    assert!(
        !quiet
            .iter()
            .any(|e| matches!(e, Effect::LoadHistory { .. })),
        "an ended history is not polled: {quiet:?}"
    );
    press(&mut app, "R");
    assert_eq!(
        press(&mut app, "y"),
        vec![Effect::RedriveExecution {
            execution_arn: arn.clone()
        }]
    );
    update(
        &mut app,
        Msg::Redriven {
            execution_arn: arn.clone(),
            result: Ok(()),
        },
    );
    let effects = update(&mut app, Msg::Tick(later + 10_000));
    let Some((generation, request)) = effects.iter().find_map(|e| match e {
        Effect::LoadHistory {
            generation,
            request,
        } => Some((*generation, request.clone())),
        _ => None,
    }) else {
        panic!("the history is read on after the redrive: {effects:?}");
    };
    assert_eq!(request.after_event_id, Some(held));
    let mut redriven = HistoryEvent::new(held + 1, held, app.now, EventType::ExecutionRedriven);
    redriven = redriven.with_details(EventDetails {
        redrive_count: Some(1),
        ..EventDetails::default()
    });
    update(
        &mut app,
        Msg::History {
            generation,
            include_data: request.include_data,
            result: Ok(vec![redriven]),
        },
    );
    let open = app.execution.as_ref().unwrap();
    assert_eq!(open.status(), ExecutionStatus::Running);
    assert!(!open.redrive_pending());
    let screen = shown(&mut app, 120, 32);
    assert!(screen.contains("redriven 1×"), "{screen}");
    assert!(screen.contains("RUNNING"), "{screen}");
}
