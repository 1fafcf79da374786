//! The help overlay: the bindings of the current context and the global ones, generated from
//! the keymap's descriptions (keys of one action grouped), plus start-up problems.

use crate::app::App;
use crate::app::widgets::theme;
use crate::keymap::{Binding, Context, format_keys};
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
fn offered(app: &App, context: Context) -> Vec<Binding> {
    app.keymap
        .bindings(context)
        .iter()
        .filter(|b| crate::app::safety::offered(app, b.action))
        .cloned()
        .collect()
}

pub fn lines(app: &App, context: Context) -> Vec<Line<'static>> {
    let mut lines = section(context.name(), &offered(app, context));
    lines.push(Line::from(""));
    lines.extend(section("global", &offered(app, Context::Global)));
    let problems = &app.options.startup_problems;
    if !problems.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("keymap problems", theme::error())));
        for p in problems {
            lines.push(Line::from(format!("  {p}")));
        }
    }
    lines
}

pub fn render(app: &App, context: Context, scroll: usize, frame: &mut Frame, area: Rect) {
    let popup = crate::app::widgets::text::centered(area, 72, area.height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(" help — keys ", theme::title()))
        .title_bottom(Span::styled(" Esc/? close · j/k scroll ", theme::dim()));
    let all = lines(app, context);
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
