//! The hint bar: the main bindings of the current context, generated from the keymap (first
//! key of each action, in file order) on the left, help / commands / quit on the right.

use crate::app::App;
use crate::app::widgets::theme;
use crate::keymap::action::Action;
use crate::keymap::{Context, format_keys};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Always offered on the right, when the context lets them through.
const RIGHT: [(Action, &str); 3] = [
    (Action::Help, "help"),
    (Action::Palette, "commands"),
    (Action::Quit, "quit"),
];

/// Short form of a description for the bar: `Sort by status (again: reverse)` → `Sort by status`.
fn short(desc: &str) -> &str {
    desc.split(" (").next().unwrap_or(desc).trim()
}

/// (keys, description) pairs of the context's own bindings, then tab/back in the execution
/// view: one per action, in file order.
pub fn hint_items(app: &App, context: Context) -> Vec<(String, String)> {
    let mut seen: Vec<Action> = RIGHT.iter().map(|(a, _)| *a).collect();
    seen.push(Action::Noop);
    let mut items = Vec::new();
    let tabbed = matches!(
        context,
        Context::Timeline | Context::Definition | Context::Events | Context::Io
    );
    let extra = app
        .keymap
        .effective(context)
        .iter()
        .filter(|b| tabbed && matches!(b.action, Action::NextTab | Action::Back));
    for b in app.keymap.bindings(context).iter().chain(extra) {
        if !seen.contains(&b.action) && crate::app::safety::offered(&app.options, b.action) {
            seen.push(b.action);
            items.push((format_keys(&b.keys), short(&b.desc).to_string()));
        }
    }
    items
}

/// The right-hand items available in the context (with their current keys).
pub fn right_items(app: &App, context: Context) -> Vec<(String, &'static str)> {
    RIGHT
        .iter()
        .filter_map(|(action, label)| {
            let keys = app.keymap.key_for(context, *action)?;
            Some((format_keys(keys), *label))
        })
        .collect()
}

fn item(keys: String, desc: &str) -> [Span<'static>; 2] {
    [
        Span::styled(keys, theme::key()),
        Span::styled(format!(" {desc}  "), theme::dim()),
    ]
}

fn width_of(keys: &str, desc: &str) -> usize {
    keys.chars().count() + 1 + desc.chars().count() + 2
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let context = app.context();
    let width = area.width as usize;
    let right = right_items(app, context);
    let right_width: usize = right.iter().map(|(k, d)| width_of(k, d)).sum();
    let mut used = 1 + right_width;
    let mut spans = vec![Span::raw(" ")];
    if !app.pending_keys.is_empty() {
        let pending = format!("{} …  ", format_keys(&app.pending_keys));
        used += pending.chars().count();
        spans.push(Span::styled(pending, theme::key()));
    }
    for (keys, desc) in hint_items(app, context) {
        let w = width_of(&keys, &desc);
        if used + w > width {
            // A shorter one further on (Esc back, Tab next tab) may still fit.
            continue;
        }
        used += w;
        spans.extend(item(keys, &desc));
    }
    if used <= width {
        spans.push(Span::raw(" ".repeat(width - used)));
        for (keys, desc) in right {
            spans.extend(item(keys, desc));
        }
    }
    frame.render_widget(Line::from(spans), area);
}
