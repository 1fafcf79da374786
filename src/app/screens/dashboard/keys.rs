//! The `[dashboard]` keys the screen handles itself: the window, the panel in focus, moving,
//! `Enter` on a state (its slowest runs), refresh, and `Back` — out of the slowest runs, else
//! to the executions screen. `Enter` on a reason or a slow run crosses screens: a flow's.

use super::update::{cycle_window, read_histories, refresh};
use super::{Drill, Focus, State};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::screen::Screen;
use crate::keymap::action::Action;

pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    match action {
        Action::CycleWindow => return cycle_window(s, cx),
        Action::Refresh => {
            let mut effects = refresh(s, cx);
            effects.extend(read_histories(s, cx));
            return effects;
        }
        Action::NextTab | Action::PrevTab if s.drill.is_none() => {
            s.focus = match s.focus {
                Focus::Reasons => Focus::States,
                Focus::States => Focus::Reasons,
            };
        }
        Action::Open if s.drill.is_none() && s.focus == Focus::States => {
            if let Some(state) = s.selected_state() {
                s.drill = Some(Drill { state, cursor: 0 });
            }
        }
        Action::Back if s.drill.is_some() => s.drill = None,
        Action::Back => cx.switch_to = Some(Screen::Executions),
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => move_cursor(s, action),
        _ => {}
    }
    Vec::new()
}

fn move_cursor(s: &mut State, action: Action) {
    let len = match (&s.drill, s.focus) {
        (Some(drill), _) => s.figures.slowest(&drill.state).len(),
        (None, Focus::Reasons) => s.reasons().len(),
        (None, Focus::States) => s.figures.state_rows().len(),
    };
    let cursor = match (&mut s.drill, s.focus) {
        (Some(drill), _) => &mut drill.cursor,
        (None, Focus::Reasons) => &mut s.reason_cursor,
        (None, Focus::States) => &mut s.state_cursor,
    };
    let last = len.saturating_sub(1);
    *cursor = match action {
        Action::Up => cursor.saturating_sub(1),
        Action::Down => (*cursor + 1).min(last),
        Action::PageUp => cursor.saturating_sub(5),
        Action::PageDown => (*cursor + 5).min(last),
        Action::Top => 0,
        _ => last,
    };
}
