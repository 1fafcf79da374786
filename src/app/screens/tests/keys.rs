//! The `[tests]` keys the screen handles itself: moving over the suites and their steps. Running
//! a suite and opening a step's execution need the shell (the test cases, the state machines,
//! the execution view): `app::keys` does those.

use super::State;
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::list::moved;
use crate::app::screen::Screen;
use crate::keymap::action::Action;

pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let page = cx.page_rows();
    let rows = s.rows().len();
    if let Some(target) = moved(action, s.cursor, page) {
        s.cursor = target.min(rows.saturating_sub(1));
        if s.cursor < s.offset {
            s.offset = s.cursor;
        } else if s.cursor >= s.offset + page {
            s.offset = s.cursor + 1 - page;
        }
    } else if action == Action::Back {
        cx.switch_to = Some(Screen::Executions);
    }
    Vec::new()
}
