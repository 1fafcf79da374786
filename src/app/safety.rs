//! Read-only mode (`--read-only`, `read_only = true`): which actions and effects change the
//! account, and the one gate in `update` that refuses every mutating effect, whatever view
//! or message produced it, so views added later are covered without doing anything.

use crate::app::effect::Effect;
use crate::app::options::AppOptions;
use crate::keymap::action::Action;

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
                | Action::RunSuite
        )
    }
}

/// Whether a binding to `action` is offered (not hidden by read-only mode).
pub fn offered(options: &AppOptions, action: Action) -> bool {
    !(options.read_only && action.is_mutating())
}

/// The notice for an action refused in read-only mode.
pub fn refusal(options: &AppOptions, action: Action) -> String {
    let why = options.read_only_cause.explain();
    if action == Action::RunSuite {
        return format!(
            "read-only: suites are not run: they start executions and delete faces ({why})"
        );
    }
    format!("read-only: `{action}` is disabled ({why})")
}

/// The gate every effect passes (called once, in `update`): in read-only mode mutating
/// effects are dropped. Returns the effects allowed and, when some were refused, the notice
/// naming the first one.
pub fn gate(options: &AppOptions, effects: Vec<Effect>) -> (Vec<Effect>, Option<String>) {
    if !options.read_only {
        return (effects, None);
    }
    let (refused, allowed): (Vec<Effect>, Vec<Effect>) =
        effects.into_iter().partition(Effect::is_mutating);
    let notice = refused.first().map(|first| {
        format!(
            "read-only: refused to {} ({})",
            first.refused_what(),
            options.read_only_cause.explain()
        )
    });
    (allowed, notice)
}
