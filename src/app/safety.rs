//! Read-only mode (`--read-only`, `read_only = true`): which actions and effects change the
//! account, and the one gate in `update` that refuses every mutating effect, whatever view
//! or message produced it, so views added later are covered without doing anything.

use crate::app::effect::Effect;
use crate::app::{App, NoticeLevel};
use crate::keymap::action::Action;

impl Effect {
    /// Whether performing this changes something in the account (starts, stops, redrives,
    /// deletes). Every variant is listed, so a new effect cannot be added without deciding.
    pub fn is_mutating(&self) -> bool {
        match self {
            Effect::StartExecution(_)
            | Effect::StopExecution { .. }
            | Effect::RedriveExecution { .. }
            | Effect::DeleteFaces { .. }
            | Effect::DeleteObject { .. } => true,
            Effect::LoadFaces { .. }
            | Effect::SearchFaces { .. }
            | Effect::SearchFacesByImage { .. }
            | Effect::LoadBuckets { .. }
            | Effect::LoadObjects { .. }
            | Effect::LoadPreview { .. }
            // The journal is a local record of deletions, written only after one happened.
            | Effect::AppendJournal { .. }
            | Effect::LoadStateMachines
            | Effect::LoadCallerIdentity
            | Effect::DescribeRow { .. }
            // Connecting elsewhere and the settings file change nothing in an account.
            | Effect::Reconnect { .. }
            | Effect::RememberChoice { .. }
            | Effect::LoadExecutions { .. }
            | Effect::LoadExecution { .. }
            | Effect::LoadHistory { .. }
            | Effect::LoadInput { .. }
            | Effect::EditExternally { .. }
            // The settings file is the user's own, not the account's.
            | Effect::SaveTestCase { .. }
            | Effect::CopyToClipboard(_)
            | Effect::Suspend
            | Effect::Quit => false,
        }
    }

    /// What a refused mutating effect would have done, for the notice.
    fn refused_what(&self) -> &'static str {
        match self {
            Effect::StartExecution(_) => "start an execution",
            Effect::StopExecution { .. } => "stop an execution",
            Effect::RedriveExecution { .. } => "redrive an execution",
            Effect::DeleteFaces { .. } => "delete faces",
            Effect::DeleteObject { .. } => "delete an object",
            _ => "change the account",
        }
    }
}

impl Action {
    /// Actions whose purpose is a mutating effect: hidden from the hint bar and help and
    /// refused at the key in read-only mode (the effect gate stands behind them).
    pub fn is_mutating(self) -> bool {
        matches!(
            self,
            Action::StopExecution
                | Action::RedriveExecution
                | Action::StartTestCase
                | Action::Rerun
                | Action::RerunAsUser
                | Action::EditAndRun
                | Action::Delete
        )
    }
}

/// Whether a binding to `action` is offered (not hidden by read-only mode).
pub fn offered(app: &App, action: Action) -> bool {
    !(app.options.read_only && action.is_mutating())
}

/// Refuses an action in read-only mode, with a notice.
pub fn refuse_action(app: &mut App, action: Action) -> Vec<Effect> {
    app.notify(
        NoticeLevel::Error,
        format!("read-only: `{action}` is disabled (started with --read-only)"),
    );
    Vec::new()
}

/// The gate every effect passes: in read-only mode mutating effects are dropped and the
/// first one is named in a notice.
pub fn gate(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    if !app.options.read_only {
        return effects;
    }
    let (refused, allowed): (Vec<Effect>, Vec<Effect>) =
        effects.into_iter().partition(Effect::is_mutating);
    if let Some(first) = refused.first() {
        app.runs.pending_starts.clear();
        app.notify(
            NoticeLevel::Error,
            format!(
                "read-only: refused to {} (started with --read-only)",
                first.refused_what()
            ),
        );
    }
    allowed
}
