//! Stop and redrive, from the list or the open execution: whether the execution can be
//! stopped or redriven, the confirm dialog, sending it, and the answer (the list and the open
//! execution are asked again so the new status shows soon). An answer that never came is
//! neither success nor failure: the execution is read back and the user told what happened.

use crate::app::effect::Effect;
pub use crate::app::msg::Control;
use crate::app::overlays::{Confirm, Overlay};
use crate::app::{App, NoticeLevel};
use crate::backend::BackendError;
use crate::domain::execution::{ExecutionDetail, ExecutionStatus};

impl Control {
    /// Stop is for running executions; redrive for those that ended without success
    /// (whether one is eligible — Standard type, within 14 days, not redriven too often — is
    /// the service's answer).
    fn allows(self, status: ExecutionStatus) -> bool {
        match self {
            Control::Stop => status == ExecutionStatus::Running,
            Control::Redrive => matches!(
                status,
                ExecutionStatus::Failed | ExecutionStatus::Aborted | ExecutionStatus::TimedOut
            ),
        }
    }

    fn only(self) -> &'static str {
        match self {
            Control::Stop => "only running executions can be stopped",
            Control::Redrive => "only failed, aborted or timed-out executions can be redriven",
        }
    }
}

/// The execution the keys act on: the open one, else the list's cursor row.
fn target(app: &App) -> Option<(String, String, ExecutionStatus)> {
    match &app.execution {
        Some(view) => Some((view.arn.clone(), view.summary.name.clone(), view.status())),
        None => app
            .executions
            .selected()
            .map(|row| (row.arn.clone(), row.name.clone(), row.status)),
    }
}

/// Asks to confirm stopping or redriving the execution under the cursor (or the open one),
/// or says why it cannot be.
pub fn ask(app: &mut App, control: Control) {
    let Some((arn, name, status)) = target(app) else {
        return;
    };
    if !control.allows(status) {
        app.notify(
            NoticeLevel::Error,
            format!("{name} is {}: {}", status.as_str(), control.only()),
        );
        return;
    }
    let confirm = match control {
        Control::Stop => Confirm::stop_execution(arn, name),
        Control::Redrive => {
            // The open execution's timeline tells what re-runs, once its history is whole.
            let plan = app
                .execution
                .as_ref()
                .filter(|view| {
                    view.arn == arn && view.history_ended() && view.history_gap.is_none()
                })
                .map(|view| view.timeline().redrive_plan());
            Confirm::redrive_execution(arn, name, plan.as_ref())
        }
    };
    app.overlay = Some(Overlay::Confirm(confirm));
}

/// Yes in the confirm dialog: send it.
pub fn confirmed(
    app: &mut App,
    control: Control,
    execution_arn: String,
    name: &str,
) -> Vec<Effect> {
    match control {
        Control::Stop => {
            app.notify(NoticeLevel::Info, format!("stopping {name}…"));
            vec![Effect::StopExecution { execution_arn }]
        }
        Control::Redrive => {
            app.notify(NoticeLevel::Info, format!("redriving {name}…"));
            vec![Effect::RedriveExecution { execution_arn }]
        }
    }
}

pub fn on_stopped(
    app: &mut App,
    execution_arn: String,
    result: Result<(), BackendError>,
) -> Vec<Effect> {
    on_answer(app, Control::Stop, execution_arn, result)
}

pub fn on_redriven(
    app: &mut App,
    execution_arn: String,
    result: Result<(), BackendError>,
) -> Vec<Effect> {
    on_answer(app, Control::Redrive, execution_arn, result)
}

fn on_answer(
    app: &mut App,
    control: Control,
    execution_arn: String,
    result: Result<(), BackendError>,
) -> Vec<Effect> {
    let name = execution_arn.rsplit(':').next().unwrap_or(&execution_arn);
    match result {
        Ok(()) => {
            let text = match control {
                Control::Stop => format!("stop requested for {name}"),
                Control::Redrive => format!("redrive started for {name}"),
            };
            app.notify(NoticeLevel::Info, text);
            // Show the new status soon: refresh the list and poll the open execution now
            // (after a redrive, its history again: the new segment is followed live).
            app.expect_change(&execution_arn, control == Control::Redrive)
        }
        Err(e @ BackendError::NoAnswer { .. }) => {
            let what = match control {
                Control::Stop => "stop",
                Control::Redrive => "redrive",
            };
            app.notify(
                NoticeLevel::Info,
                format!(
                    "no answer to the {what} of {name}; it may have been carried out: reading \
                     its status back ({e})"
                ),
            );
            // The open execution's redrive count tells a redrive that happened from one
            // that did not; a list row's status has to do otherwise.
            let redrives_before = app
                .execution
                .as_ref()
                .filter(|view| view.arn == execution_arn)
                .and_then(|view| view.detail.as_ref())
                .map(|detail| detail.redrive_count);
            vec![Effect::ReconcileControl {
                control,
                execution_arn,
                redrives_before,
            }]
        }
        Err(e) => {
            let text = match control {
                Control::Stop => format!("stop failed: {e}"),
                Control::Redrive => format!("redrive of {name} refused: {e}"),
            };
            app.notify(NoticeLevel::Error, text);
            Vec::new()
        }
    }
}

/// What the execution's status says of a stop or redrive whose answer was lost.
pub fn on_reconciled(
    app: &mut App,
    control: Control,
    execution_arn: &str,
    redrives_before: Option<u32>,
    result: Result<ExecutionDetail, BackendError>,
) -> Vec<Effect> {
    let name = execution_arn.rsplit(':').next().unwrap_or(execution_arn);
    let detail = match result {
        Ok(detail) => detail,
        Err(e) => {
            app.notify(
                NoticeLevel::Error,
                format!(
                    "could not read {name} back after the lost answer, so whether it was \
                     carried out is unknown; its status will show on the next refresh ({e})"
                ),
            );
            return app.expect_change(execution_arn, false);
        }
    };
    let status = detail.summary.status;
    let (level, text) = match (control, carried_out(control, &detail, redrives_before)) {
        (Control::Stop, true) => (
            NoticeLevel::Info,
            format!(
                "the stop of {name} was carried out: it is {}",
                status.as_str()
            ),
        ),
        (Control::Stop, false) => (
            NoticeLevel::Error,
            format!(
                "the stop of {name} was not carried out: it is still RUNNING (S to stop again)"
            ),
        ),
        (Control::Redrive, true) => (
            NoticeLevel::Info,
            format!(
                "the redrive of {name} was carried out: redrive {}, now {}",
                detail.redrive_count,
                status.as_str()
            ),
        ),
        (Control::Redrive, false) => (
            NoticeLevel::Error,
            format!(
                "the redrive of {name} was not carried out: it is still {} (R to redrive again)",
                status.as_str()
            ),
        ),
    };
    let redriven = control == Control::Redrive && carried_out(control, &detail, redrives_before);
    app.notify(level, text);
    app.expect_change(execution_arn, redriven)
}

/// Whether the execution as described shows the stop or redrive done: a stopped run is no
/// longer RUNNING; a redriven one counts one more redrive than before (when that is not
/// known, it is running again).
fn carried_out(control: Control, detail: &ExecutionDetail, redrives_before: Option<u32>) -> bool {
    let status = detail.summary.status;
    match control {
        Control::Stop => status != ExecutionStatus::Running,
        Control::Redrive => match redrives_before {
            Some(before) => detail.redrive_count > before,
            None => matches!(
                status,
                ExecutionStatus::Running | ExecutionStatus::PendingRedrive
            ),
        },
    }
}
