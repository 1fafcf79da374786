//! The hint bar: the main bindings of the current context, generated from the keymap (first
//! key of each action, in file order), then help and quit, cut to the width.

use crate::app::App;
use crate::app::action::Action;
use crate::keymap::{Binding, Context, format_keys};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Short form of a description for the bar: `Sort by status (again: reverse)` → `Sort by status`.
fn short(desc: &str) -> &str {
    desc.split(" (").next().unwrap_or(desc).trim()
}

/// (keys, description) pairs for the bar, most useful first.
pub fn hint_items(app: &App, context: Context) -> Vec<(String, String)> {
    let mut seen: Vec<Action> = Vec::new();
    let mut items = Vec::new();
    let mut add = |b: &Binding, items: &mut Vec<(String, String)>| {
        if !seen.contains(&b.action) && b.action != Action::Noop {
            seen.push(b.action);
            items.push((format_keys(&b.keys), short(&b.desc).to_string()));
        }
    };
    for b in app.keymap.bindings(context) {
        add(b, &mut items);
    }
    // Then the global ones that matter everywhere (if the context does not shadow them).
    let globals = [
        Action::NextTab,
        Action::Back,
        Action::Palette,
        Action::Help,
        Action::Quit,
    ];
    for b in app.keymap.effective(context) {
        if globals.contains(&b.action) {
            if b.action == Action::NextTab && app.execution.is_none() {
                continue;
            }
            add(b, &mut items);
        }
    }
    items
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let context = app.context();
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1usize;
    let width = area.width as usize;
    for (keys, desc) in hint_items(app, context) {
        let item_width = keys.chars().count() + 1 + desc.chars().count() + 2;
        if used + item_width > width {
            break;
        }
        used += item_width;
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::styled(format!(" {desc}  "), theme::dim()));
    }
    if !app.pending_keys.is_empty() {
        let pending = format!("{} …", format_keys(&app.pending_keys));
        spans.push(Span::styled(pending, theme::key()));
    }
    frame.render_widget(Line::from(spans), area);
}
