//! The keys the open execution's tabs share (back, tab switch, refresh), then the selected
//! tab's own (in `timeline.rs`, `definition.rs`, `events.rs`, `io.rs`). Stop, redrive, reruns and the
//! face jump cross screens and are routed to `flows/` by the shell.

use super::{State, Tab, definition, events, io, timeline, update};
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::keymap::action::Action;

pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    match action {
        Action::Back if s.tab == Tab::Timeline && s.timeline.details => {
            s.timeline.details = false;
        }
        Action::Back if s.tab == Tab::Events && s.events_view.expanded.is_some() => {
            s.events_view.expanded = None;
        }
        Action::Back => cx.close = true,
        Action::NextTab | Action::PrevTab => {
            s.tab = match action {
                Action::NextTab => s.tab.next(),
                _ => s.tab.prev(),
            };
            if s.tab == Tab::Definition {
                return definition::request(s, cx);
            }
        }
        // Describe again and ask for new events (also the way back after a refused history
        // or definition).
        Action::Refresh => {
            let mut effects = update::refresh(s, cx);
            if s.tab == Tab::Definition {
                effects.extend(definition::retry(s, cx));
            }
            return effects;
        }
        _ => {
            return match s.tab {
                Tab::Timeline => timeline::on_action(s, cx, action),
                Tab::Definition => definition::on_action(s, cx, action),
                Tab::Events => events::on_action(s, cx, action),
                Tab::Io => io::on_action(s, cx, action),
            };
        }
    }
    Vec::new()
}
