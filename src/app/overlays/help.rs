//! The help overlay: the bindings of the current context and the global ones, generated from
//! the keymap's descriptions (keys of one action grouped), plus start-up problems; its
//! scrolling keys.

use super::outcome::Outcome;
use crate::app::options::AppOptions;
use crate::app::widgets::text::wrap_words;
use crate::app::widgets::theme;
use crate::keymap::action::Action;
use crate::keymap::{Binding, Context, Keymap, format_keys};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Lines `keys  description`, one per action (its keys joined), in file order.
fn section(title: &str, bindings: &[Binding]) -> Vec<Line<'static>> {
    let mut grouped: Vec<(Vec<String>, String)> = Vec::new();
    for b in bindings {
        let keys = format_keys(&b.keys);
        match grouped.iter_mut().find(|(_, desc)| *desc == b.desc) {
            Some((k, _)) => k.push(keys),
            None => grouped.push((vec![keys], b.desc.clone())),
        }
    }
    let mut lines = vec![Line::from(Span::styled(title.to_string(), theme::title()))];
    for (keys, desc) in grouped {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<22}", keys.join(", ")), theme::key()),
            Span::raw(desc),
        ]));
    }
    lines
}

/// The bindings of `context` shown in help: read-only mode hides those it would refuse.
fn offered(keymap: &Keymap, options: &AppOptions, context: Context) -> Vec<Binding> {
    keymap
        .bindings(context)
        .iter()
        .filter(|b| crate::app::safety::offered(options, b.action))
        .cloned()
        .collect()
}

/// Help's lines for a popup `width` columns wide inside its border: the problems are wrapped
/// here so that every line is one row and scrolling reaches the last one.
pub fn lines(
    keymap: &Keymap,
    options: &AppOptions,
    context: Context,
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = section(context.name(), &offered(keymap, options, context));
    if context == Context::Definition {
        lines.push(Line::from(""));
        lines.extend(graph_marks());
    }
    if context == Context::Timeline {
        lines.push(Line::from(""));
        lines.extend(chart_marks());
    }
    lines.push(Line::from(""));
    lines.extend(section(
        "global",
        &offered(keymap, options, Context::Global),
    ));
    let problems = [
        (
            "settings problems (the console is read-only until they are fixed)",
            &options.settings_problems,
        ),
        (
            "keymap problems (those entries are skipped)",
            &options.keymap_problems,
        ),
    ];
    for (title, problems) in problems {
        if problems.is_empty() {
            continue;
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(title, theme::error())));
        for p in problems.iter() {
            for (i, part) in wrap_words(p, width.saturating_sub(4))
                .into_iter()
                .enumerate()
            {
                let indent = if i == 0 { "  " } else { "    " };
                lines.push(Line::from(format!("{indent}{part}")));
            }
        }
    }
    lines
}

/// What the Gantt's marks mean (its legend names only those on screen); each fits one row
/// of the popup.
fn chart_marks() -> Vec<Line<'static>> {
    let marks = [
        ("█", "time in the state, coloured by its status"),
        ("░", "queued: scheduled, not yet started"),
        ("red", "an attempt that failed or timed out"),
        ("·", "backoff before a retry"),
        ("┆", "a redrive (the idle time before it collapsed)"),
    ];
    legend("chart", &marks)
}

/// What the definition graph's marks mean; each fits one row of the popup.
fn graph_marks() -> Vec<Line<'static>> {
    let marks = [
        ("✓ ✗ ↯", "succeeded, failed, caught (border in that colour)"),
        ("● ■ ⏱", "running, aborted, timed out"),
        ("no mark, dim", "never entered in this execution"),
        ("┏━┓", "the state under the cursor"),
        ("┆ ┄", "a Catch transition (labelled with its errors)"),
        ("→ X  ↺ X", "a transition that skips rows / loops back"),
    ];
    legend("graph", &marks)
}

/// A titled list of marks and what they mean.
fn legend(title: &'static str, marks: &[(&'static str, &'static str)]) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(title, theme::title()))];
    for (mark, meaning) in marks {
        lines.push(Line::from(vec![
            Span::styled(format!("  {mark:<22}"), theme::key()),
            Span::raw(*meaning),
        ]));
    }
    lines
}

/// Help's keys: scrolling, and the ways out.
pub fn on_action(scroll: &mut usize, action: Action) -> Outcome {
    match action {
        Action::Back | Action::Cancel | Action::Help => return Outcome::Close,
        Action::Down => *scroll += 1,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::PageDown => *scroll += 10,
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::Top => *scroll = 0,
        _ => {}
    }
    Outcome::Stay
}

pub fn render(
    keymap: &Keymap,
    options: &AppOptions,
    context: Context,
    scroll: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let popup = crate::app::widgets::text::centered(area, 72, area.height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(" help — keys ", theme::title()))
        .title_bottom(Span::styled(" Esc/? close · j/k scroll ", theme::dim()));
    let all = lines(
        keymap,
        options,
        context,
        popup.width.saturating_sub(2) as usize,
    );
    let visible = popup.height.saturating_sub(2) as usize;
    let scroll = scroll.min(all.len().saturating_sub(visible));
    let shown: Vec<Line> = all.into_iter().skip(scroll).collect();
    frame.render_widget(
        Paragraph::new(shown)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
