//! An identity allowed some Step Functions APIs and denied others: the console shows what the
//! allowed ones return, names the missing permission, and does not keep calling a denied API
//! (no retry storm on the account). In update() terms, with snapshots of the screens.

use crate::app_support;

use app_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::screens::execution::Tab;
use stepdeck::app::{App, AppOptions, NoticeLevel, update::update};
use stepdeck::backend::{BackendError, Page};
use stepdeck::domain::execution::{ExecutionDetail, ExecutionStatus};
use stepdeck::keymap::Keymap;

fn denied(action: &str) -> BackendError {
    BackendError::AccessDenied {
        action: action.into(),
        message: format!(
            "AccessDeniedException: User: arn:aws:iam::123456789012:user/ops is not authorized \
             to perform: {action}"
        ),
    }
}

const HISTORY: &str = "states:GetExecutionHistory";

/// Opens the row under the cursor; the description arrives, the history is denied.
fn open_with_history_denied(app: &mut App, detail: ExecutionDetail) {
    let o = opened(&press(app, "Enter"));
    update(
        app,
        Msg::Execution {
            generation: o.detail_generation,
            result: Ok(detail),
        },
    );
    let effects = update(
        app,
        Msg::History {
            generation: o.history_generation,
            include_data: false,
            result: Err(denied(HISTORY)),
        },
    );
    assert!(effects.is_empty(), "{effects:#?}");
}

fn failed_detail(app: &App) -> ExecutionDetail {
    let summary = app.executions.selected().unwrap().clone();
    assert_eq!(summary.status, ExecutionStatus::Failed);
    let mut detail = detail_of(
        &summary,
        Some(r#"{"userId":"user_a","s3Bucket":"riderphotos","s3Key":"5_failed.jpg"}"#),
        None,
    );
    detail.error = Some("States.TaskFailed".into());
    detail.cause = Some(r#"{"errorMessage":"rekognition unavailable"}"#.into());
    detail
}

fn describes(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadExecution { .. }))
        .count()
}

fn history_requests(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadHistory { .. }))
        .count()
}

#[test]
fn a_denied_history_stops_its_polling_and_the_description_is_polled_instead() {
    let mut app = seed_app();
    assert_eq!(app.executions.selected().unwrap().name, "run-06-running");
    let running = app.executions.selected().unwrap().clone();
    open_with_history_denied(
        &mut app,
        detail_of(&running, Some(r#"{"s3Key":"6.jpg"}"#), None),
    );
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.history.denied.as_deref(), Some(HISTORY));
    assert_eq!(view.error, None, "the panel says it; no error line on top");
    assert!(view.is_running());

    // The history would be polled every second; denied, it is not asked again. The
    // description is, every refresh interval (2 s), one request at a time.
    assert!(update(&mut app, Msg::Tick(NOW + 1_000)).is_empty());
    let effects = update(&mut app, Msg::Tick(NOW + 2_000));
    assert_eq!(
        (describes(&effects), history_requests(&effects)),
        (1, 0),
        "{effects:#?}"
    );
    let generation = match effects.as_slice() {
        [Effect::LoadExecution { generation, .. }] => *generation,
        other => panic!("{other:#?}"),
    };
    assert!(
        update(&mut app, Msg::Tick(NOW + 4_500)).is_empty(),
        "in flight"
    );
    // The description shows the run failed: status, stop time and error come from it.
    let mut ended = running.clone();
    ended.status = ExecutionStatus::Failed;
    ended.stop = Some(NOW + 4_000);
    let mut detail = detail_of(&ended, Some(r#"{"s3Key":"6.jpg"}"#), None);
    detail.error = Some("States.TaskFailed".into());
    update(
        &mut app,
        Msg::Execution {
            generation,
            result: Ok(detail),
        },
    );
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.status(), ExecutionStatus::Failed);
    assert_eq!(view.end(), Some(NOW + 4_000));
    assert_eq!(view.error_and_cause().0, Some("States.TaskFailed"));
    // Ended: nothing more to poll, and the console sleeps until input.
    assert!(update(&mut app, Msg::Tick(NOW + 60_000)).is_empty());
    assert_eq!(app.next_wakeup(), None);
}

#[test]
fn asking_again_by_hand_reads_the_history_once_it_is_allowed() {
    let mut app = seed_app();
    press(&mut app, "j");
    let detail = failed_detail(&app);
    open_with_history_denied(&mut app, detail);
    assert!(update(&mut app, Msg::Tick(NOW + 30_000)).is_empty());

    // The key the panel names (ctrl-r), as the palette's `:refresh`.
    let effects = press(&mut app, "ctrl-r");
    assert_eq!(history_requests(&effects), 1, "{effects:#?}");
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadHistory { generation, .. } => Some(*generation),
            _ => None,
        })
        .unwrap();
    update(
        &mut app,
        Msg::History {
            generation,
            include_data: false,
            result: Ok(fixture("failed.json")),
        },
    );
    let view = app.execution.as_ref().unwrap();
    assert_eq!(view.history.denied, None);
    assert!(!view.timeline.rows.is_empty(), "the timeline is back");
}

#[test]
fn snapshots_with_the_history_denied() {
    let mut app = seed_app();
    press(&mut app, "j");
    let detail = failed_detail(&app);
    open_with_history_denied(&mut app, detail);
    for (width, height) in [(120, 32), (80, 24)] {
        update(&mut app, Msg::Resize(width, height));
        insta::assert_snapshot!(
            format!("timeline_history_denied_{width}x{height}"),
            screen(&app, width, height)
        );
    }
    press(&mut app, "Tab");
    assert_eq!(app.execution.as_ref().unwrap().tab, Tab::Events);
    update(&mut app, Msg::Resize(120, 32));
    insta::assert_snapshot!("events_history_denied_120x32", screen(&app, 120, 32));
}

/// The app after the first ListExecutions was denied.
fn app_with_listing_denied() -> App {
    let mut app = new_app();
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    let effects = answer_listing(&mut app, &effects, Err(denied("states:ListExecutions")));
    assert!(effects.is_empty());
    app
}

#[test]
fn a_denied_listing_names_the_permission_and_is_not_refreshed_on_its_own() {
    let mut app = app_with_listing_denied();
    assert_eq!(
        app.executions.refresh.denied.as_deref(),
        Some("states:ListExecutions")
    );
    let (error, _) = app.executions.error.clone().unwrap();
    assert_eq!(error, "missing permission states:ListExecutions");
    // No timer asks again: the console sleeps until input.
    assert_eq!(app.next_wakeup(), None);
    assert!(update(&mut app, Msg::Tick(NOW + 60_000)).is_empty());

    // A refresh by hand asks again; once allowed, the list refreshes on its interval again.
    let effects = press(&mut app, "ctrl-r");
    assert!(!list_request(&effects).1, "a refresh, not a further page");
    let page = Page {
        items: seed_rows(),
        next_token: None,
    };
    answer_listing(&mut app, &effects, Ok(page));
    assert_eq!(app.executions.refresh.denied, None);
    assert_eq!(app.executions.error, None);
    list_request(&update(&mut app, Msg::Tick(NOW + 62_000)));
}

#[test]
fn snapshot_of_a_denied_listing() {
    let app = app_with_listing_denied();
    insta::assert_snapshot!("executions_listing_denied_120x32", screen(&app, 120, 32));
}

fn app_asking_for(state_machine: Option<&str>) -> (App, Vec<Effect>) {
    let options = AppOptions {
        state_machine: state_machine.map(str::to_string),
        ..AppOptions::default()
    };
    let mut app = App::new(options, Keymap::defaults(), NOW);
    let effects = update(
        &mut app,
        Msg::StateMachines(Err(denied("states:ListStateMachines"))),
    );
    (app, effects)
}

#[test]
fn a_state_machine_arn_is_enough_when_the_list_is_denied() {
    let (app, effects) = app_asking_for(Some(SM_ARN));
    match effects.as_slice() {
        [Effect::LoadExecutions { request, .. }] => {
            assert_eq!(request.state_machine_arn, SM_ARN)
        }
        other => panic!("{other:#?}"),
    }
    assert_eq!(app.state_machine().unwrap().name, "RiderPhotoProcessing");
    let notice = app.notice.unwrap();
    assert_eq!(notice.level, NoticeLevel::Info);
    assert_eq!(
        notice.text,
        "states:ListStateMachines denied; using ARN from --state-machine"
    );
}

#[test]
fn a_state_machine_name_needs_the_list_and_the_message_says_to_pass_the_arn() {
    let (app, effects) = app_asking_for(Some("RiderPhotoProcessing"));
    assert!(effects.is_empty(), "{effects:#?}");
    assert!(app.state_machine().is_none());
    let notice = app.notice.unwrap();
    assert_eq!(notice.level, NoticeLevel::Error);
    assert!(
        notice.text.contains("states:ListStateMachines denied")
            && notice.text.contains("pass the full ARN")
            && notice.text.contains("stateMachine:RiderPhotoProcessing")
            && notice.text.contains("--state-machine"),
        "{}",
        notice.text
    );

    let (app, effects) = app_asking_for(None);
    assert!(effects.is_empty());
    let text = app.notice.unwrap().text;
    assert!(
        text.contains("states:ListStateMachines denied") && text.contains("--state-machine"),
        "{text}"
    );
}
