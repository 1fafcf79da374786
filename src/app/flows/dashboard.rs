//! From the dashboard to the executions screen: `Enter` on a reason lists the runs it
//! concerns (the list's text filter set to the reason, which the outcome labels contain);
//! `Enter` on one of a state's slowest runs opens its timeline with that state selected.

use crate::app::effect::Effect;
use crate::app::screen::Screen;
use crate::app::screens::dashboard::Focus;
use crate::app::screens::executions;
use crate::app::{App, lend};

/// What `Enter` does when it leaves the dashboard; None when it stays (a state's slowest
/// runs open in place).
pub fn open(app: &mut App) -> Option<Vec<Effect>> {
    if app.dashboard.drill.is_some() {
        let (summary, state) = app.dashboard.selected_slow_run()?;
        let mut effects = app.switch_screen(Screen::Executions);
        effects.extend(app.open_execution(summary));
        if let Some(open) = app.execution.as_mut() {
            open.timeline.select_state = Some(state);
        }
        return Some(effects);
    }
    if app.dashboard.focus != Focus::Reasons {
        return None;
    }
    let reason = app.dashboard.selected_reason()?;
    app.execution = None;
    let mut effects = app.switch_screen(Screen::Executions);
    let (s, mut cx) = lend!(app, executions);
    effects.extend(executions::update::apply_filter(s, &mut cx, reason));
    Some(effects)
}
