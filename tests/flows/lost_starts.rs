//! update() flows of a start whose answer was lost: the console reads back the execution the
//! start's name implies and follows it if it exists, sends the same start (same name) once
//! more if it does not, and never starts a second execution for one key press.

use crate::app_support;
use crate::runs_support;

use app_support::*;
use runs_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, NoticeLevel, update::update};
use stepdeck::backend::{BackendError, StartExecutionRequest};
use stepdeck::domain::execution::ExecutionDetail;

fn lost() -> BackendError {
    BackendError::NoAnswer {
        action: "states:StartExecution".into(),
        detail: "dispatch failure: connection closed before message completed".into(),
    }
}

/// Presses `r` on the open execution (its input known) and returns the start it sends.
fn rerun(app: &mut App) -> StartExecutionRequest {
    select_row(app, "run-01-happy");
    let row = app.executions.selected().unwrap().clone();
    let input = r#"{"userId":"user_a","s3Bucket":"photos","s3Key":"1_happy_face.jpg"}"#;
    open_with(app, detail_of(&row, Some(input), None), Vec::new());
    start_request(&press(app, "r"))
}

/// The one ReconcileStart among `effects`: the ARN it reads back.
fn reconciles(effects: &[Effect], request: &StartExecutionRequest) -> String {
    match effects {
        [
            Effect::ReconcileStart {
                execution_arn,
                request: asked,
            },
        ] => {
            assert_eq!(asked, request);
            execution_arn.clone()
        }
        other => panic!("expected one ReconcileStart, got {other:#?}"),
    }
}

fn exists(request: &StartExecutionRequest) -> ExecutionDetail {
    detail_of(&started(request), Some(&request.input), None)
}

fn not_found(request: &StartExecutionRequest) -> BackendError {
    BackendError::NotFound {
        what: format!("execution {}", exec_arn(request.name.as_deref().unwrap())),
    }
}

fn starts(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::StartExecution(_)))
        .count()
}

#[test]
fn a_lost_answer_reads_the_execution_back_and_follows_it_when_it_exists() {
    let mut app = runs_app(false);
    let request = rerun(&mut app);
    let name = request.name.clone().unwrap();

    let effects = update(&mut app, answer(&request, Err(lost())));
    // The execution the name implies, read back, rather than "start failed".
    assert_eq!(reconciles(&effects, &request), exec_arn(&name));
    let said = notice(&app);
    assert!(
        said.contains("no answer; the request may have been carried out"),
        "{said}"
    );
    assert!(!said.contains("failed"), "{said}");

    let effects = update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Ok(exists(&request)),
        },
    );
    assert_eq!(starts(&effects), 0, "it exists: nothing is started again");
    opened(&effects);
    assert_eq!(app.execution.as_ref().unwrap().summary.name, name);
    assert_eq!(app.executions.selected().unwrap().name, name);
    assert!(
        notice(&app).contains("the start's answer was lost; the execution exists"),
        "{}",
        notice(&app)
    );
    assert!(app.runs.pending_starts.is_empty());
}

#[test]
fn a_lost_answer_of_a_start_that_did_not_happen_sends_it_once_more_under_the_same_name() {
    let mut app = runs_app(false);
    let request = rerun(&mut app);

    let effects = update(&mut app, answer(&request, Err(lost())));
    reconciles(&effects, &request);
    let effects = update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Err(not_found(&request)),
        },
    );
    // The same request again: same name, same input, so AWS cannot make it two.
    assert_eq!(start_request(&effects), request);
    assert!(notice(&app).contains("was not started"), "{}", notice(&app));

    let effects = update(&mut app, answer(&request, Ok(started(&request))));
    opened(&effects);
    assert_eq!(
        app.execution.as_ref().unwrap().summary.name,
        request.name.clone().unwrap()
    );
}

#[test]
fn a_resent_start_whose_name_is_taken_is_read_back_not_reported_failed() {
    let mut app = runs_app(false);
    let request = rerun(&mut app);
    update(&mut app, answer(&request, Err(lost())));
    update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Err(not_found(&request)),
        },
    );
    // The first try arrived after all, before the second: AWS says the name is taken.
    let effects = update(
        &mut app,
        answer(
            &request,
            Err(BackendError::AlreadyExists(
                "ExecutionAlreadyExists: Execution Already Exists".into(),
            )),
        ),
    );
    reconciles(&effects, &request);
    let effects = update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Ok(exists(&request)),
        },
    );
    assert_eq!(starts(&effects), 0);
    opened(&effects);
}

#[test]
fn a_start_is_sent_again_at_most_once() {
    let mut app = runs_app(false);
    let request = rerun(&mut app);
    update(&mut app, answer(&request, Err(lost())));
    let resent = update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Err(not_found(&request)),
        },
    );
    assert_eq!(starts(&resent), 1);
    // The second answer is lost too, and again it did not start: the console stops and says.
    let effects = update(&mut app, answer(&request, Err(lost())));
    reconciles(&effects, &request);
    let effects = update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Err(not_found(&request)),
        },
    );
    assert!(effects.is_empty(), "{effects:#?}");
    assert_eq!(app.notice.as_ref().unwrap().level, NoticeLevel::Error);
    assert!(notice(&app).contains("not started"), "{}", notice(&app));
    assert!(app.runs.pending_starts.is_empty());
}

#[test]
fn an_execution_of_that_name_with_another_input_is_not_taken_for_ours() {
    let mut app = runs_app(false);
    let request = rerun(&mut app);
    update(&mut app, answer(&request, Err(lost())));
    let mut theirs = exists(&request);
    theirs.input = Some(r#"{"userId":"someone_else"}"#.into());
    let effects = update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Ok(theirs),
        },
    );
    assert!(effects.is_empty(), "{effects:#?}");
    assert!(app.execution.as_ref().unwrap().summary.name != request.name.clone().unwrap());
    assert!(notice(&app).contains("another input"), "{}", notice(&app));
}

#[test]
fn a_start_that_cannot_be_read_back_says_to_look_before_starting_again() {
    let mut app = runs_app(false);
    let request = rerun(&mut app);
    update(&mut app, answer(&request, Err(lost())));
    let effects = update(
        &mut app,
        Msg::StartReconciled {
            request: request.clone(),
            result: Err(BackendError::AccessDenied {
                action: "states:DescribeExecution".into(),
                message: "not authorized".into(),
            }),
        },
    );
    assert!(effects.is_empty(), "{effects:#?}");
    let said = notice(&app);
    assert!(said.contains("look for it in the list"), "{said}");
    assert!(said.contains(request.name.as_deref().unwrap()), "{said}");
}
