//! update() flows of a stop or redrive whose answer was lost: the console says it may have
//! been carried out, reads the execution back and tells what actually happened: never
//! "failed" for a request that may have been done.

use crate::app_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::{Control, Msg};
use stepdeck::app::{App, NoticeLevel, update::update};
use stepdeck::backend::BackendError;
use stepdeck::domain::execution::{ExecutionDetail, ExecutionStatus};

fn lost(action: &str) -> BackendError {
    BackendError::NoAnswer {
        action: action.into(),
        detail: "connection closed before message completed".into(),
    }
}

/// The one ReconcileControl among `effects`.
fn reconciles(effects: &[Effect]) -> (Control, String, Option<u32>) {
    let found: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::ReconcileControl {
                control,
                execution_arn,
                redrives_before,
            } => Some((*control, execution_arn.clone(), *redrives_before)),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "{effects:#?}");
    found[0].clone()
}

fn described(name: &str, status: ExecutionStatus, redrives: u32) -> ExecutionDetail {
    let row = execution(name, status, NOW - 60_000, None);
    ExecutionDetail {
        redrive_count: redrives,
        ..detail_of(&row, None, None)
    }
}

fn reconciled(app: &mut App, control: Control, before: Option<u32>, detail: ExecutionDetail) {
    update(
        app,
        Msg::ControlReconciled {
            control,
            execution_arn: detail.summary.arn.clone(),
            redrives_before: before,
            result: Ok(detail),
        },
    );
}

#[test]
fn a_stop_whose_answer_was_lost_is_read_back_and_told_as_it_is() {
    for (now, told, level) in [
        (
            ExecutionStatus::Aborted,
            "the stop of run-06-running was carried out: it is ABORTED",
            NoticeLevel::Info,
        ),
        (
            ExecutionStatus::Running,
            "the stop of run-06-running was not carried out: it is still RUNNING",
            NoticeLevel::Error,
        ),
    ] {
        let mut app = seed_app();
        press(&mut app, "S");
        assert_eq!(press(&mut app, "y").len(), 1);
        let effects = update(
            &mut app,
            Msg::Stopped {
                execution_arn: exec_arn("run-06-running"),
                result: Err(lost("states:StopExecution")),
            },
        );
        assert!(
            notice(&app).contains("no answer to the stop of run-06-running; it may have been"),
            "{}",
            notice(&app)
        );
        assert!(!notice(&app).contains("failed"), "{}", notice(&app));
        let (control, arn, before) = reconciles(&effects);
        assert_eq!(
            (control, arn.as_str()),
            (Control::Stop, exec_arn("run-06-running").as_str())
        );
        reconciled(
            &mut app,
            control,
            before,
            described("run-06-running", now, 0),
        );
        assert!(notice(&app).contains(told), "{}", notice(&app));
        assert_eq!(app.notice.as_ref().unwrap().level, level);
        // Either way the list is asked again at once for the status to show.
        assert_eq!(app.next_wakeup(), Some(NOW));
    }
}

#[test]
fn a_redrive_whose_answer_was_lost_is_judged_by_the_redrive_count_when_known() {
    // From the open execution: its redrive count before is known.
    let mut app = seed_app();
    press(&mut app, "j");
    let failed = app.executions.selected().unwrap().clone();
    assert_eq!(failed.status, ExecutionStatus::Failed);
    open_with(
        &mut app,
        ExecutionDetail {
            redrive_count: 1,
            ..detail_of(&failed, None, None)
        },
        Vec::new(),
    );
    press(&mut app, "R");
    press(&mut app, "y");
    let effects = update(
        &mut app,
        Msg::Redriven {
            execution_arn: failed.arn.clone(),
            result: Err(lost("states:RedriveExecution")),
        },
    );
    let (control, _, before) = reconciles(&effects);
    assert_eq!((control, before), (Control::Redrive, Some(1)));
    // Redriven and already failed again: the count says it happened, the status does not.
    reconciled(
        &mut app,
        control,
        before,
        described("run-05-failed", ExecutionStatus::Failed, 2),
    );
    assert!(
        notice(&app)
            .contains("the redrive of run-05-failed was carried out: redrive 2, now FAILED"),
        "{}",
        notice(&app)
    );
    reconciled(
        &mut app,
        control,
        before,
        described("run-05-failed", ExecutionStatus::Failed, 1),
    );
    assert!(
        notice(&app).contains("was not carried out: it is still FAILED (R to redrive again)"),
        "{}",
        notice(&app)
    );

    // From the list: the count before is not known; running again says it happened.
    let mut app = seed_app();
    press(&mut app, "j R y");
    let effects = update(
        &mut app,
        Msg::Redriven {
            execution_arn: failed.arn.clone(),
            result: Err(lost("states:RedriveExecution")),
        },
    );
    let (control, _, before) = reconciles(&effects);
    assert_eq!(before, None);
    reconciled(
        &mut app,
        control,
        before,
        described("run-05-failed", ExecutionStatus::Running, 1),
    );
    assert!(
        notice(&app).contains("was carried out: redrive 1, now RUNNING"),
        "{}",
        notice(&app)
    );
}

#[test]
fn a_read_back_that_fails_says_the_outcome_is_unknown() {
    let mut app = seed_app();
    update(
        &mut app,
        Msg::ControlReconciled {
            control: Control::Stop,
            execution_arn: exec_arn("run-06-running"),
            redrives_before: None,
            result: Err(BackendError::Network("connection refused".into())),
        },
    );
    assert!(
        notice(&app).contains("could not read run-06-running back after the lost answer, so whether it was carried out is unknown"),
        "{}",
        notice(&app)
    );
    assert_eq!(app.notice.as_ref().unwrap().level, NoticeLevel::Error);
}
