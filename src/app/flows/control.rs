//! Stop and redrive, from the list or the open execution: whether the execution can be
//! stopped or redriven, the confirm dialog, sending it, and the answer (the list and the open
//! execution are asked again so the new status shows soon).

use crate::app::effect::Effect;
use crate::app::overlays::{Confirm, Overlay};
use crate::app::{App, NoticeLevel};
use crate::backend::BackendError;
use crate::domain::execution::ExecutionStatus;

/// What the user asked to do to an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Stop,
    Redrive,
}

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
        Control::Redrive => Confirm::redrive_execution(arn, name),
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
            // Show the new status soon: refresh the list and poll the open execution now.
            app.expect_change(&execution_arn)
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
