//! The Input/Output tab: the execution's input and output (or error and cause) as pretty,
//! coloured JSON, scrollable; `y`/`Y` copy them.

use super::State;
use crate::app::ctx::Ctx;
use crate::app::effect::Effect;
use crate::app::list::moved;
use crate::app::notice::NoticeLevel;
use crate::app::widgets::json::json_lines;
use crate::app::widgets::theme;
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// All lines of the tab, in order: title, JSON, blank line, next section.
pub fn content(view: &State) -> Vec<Line<'static>> {
    sections(view, true)
}

/// The input, output and error/cause sections; `copy_hints` adds the tab's copy keys to the
/// titles (not where those keys do nothing, e.g. in the timeline's description-only panel).
pub fn sections(view: &State, copy_hints: bool) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut section = |title: &str, hint: Option<&str>, body: Option<&str>, missing: &str| {
        if !lines.is_empty() {
            lines.push(Line::from(""));
        }
        let mut heading = vec![Span::styled(format!(" {title}"), theme::title())];
        if let Some(hint) = hint {
            heading.push(Span::styled(format!("  {hint}"), theme::dim()));
        }
        lines.push(Line::from(heading));
        match body {
            Some(text) => lines.extend(json_lines(text)),
            None => lines.push(Line::from(Span::styled(
                format!(" {missing}"),
                theme::dim(),
            ))),
        }
    };
    section(
        "Input",
        copy_hints.then_some("y copies"),
        view.input(),
        "(not loaded yet)",
    );
    let (error, cause) = view.error_and_cause();
    let running = view.is_running();
    let missing_output = if running {
        "(running: no output yet)"
    } else {
        "(none)"
    };
    section(
        "Output",
        copy_hints.then_some("Y copies"),
        view.output(),
        missing_output,
    );
    if error.is_some() || cause.is_some() {
        let title = format!("Error: {}", error.unwrap_or("(no error name)"));
        section(&title, Some("cause"), cause, "(no cause)");
    }
    lines
}

pub fn render(view: &State, frame: &mut Frame, area: Rect) {
    let lines = content(view);
    let height = area.height as usize;
    let scroll = view.io_scroll.min(lines.len().saturating_sub(height));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), area);
}

/// The Input/Output tab's keys: scrolling, and copying the input or the output (the error
/// and cause of a failed run).
pub fn on_action(s: &mut State, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let page = cx.page_rows();
    if let Some(target) = moved(action, s.io_scroll, page) {
        let last = line_count(s).saturating_sub(page);
        s.io_scroll = target.min(last);
        return Vec::new();
    }
    let (text, what) = match action {
        Action::CopyInput => (s.input().map(str::to_string), "input"),
        Action::CopyOutput => {
            let output = s.output().map(str::to_string).or_else(|| {
                let (error, cause) = s.error_and_cause();
                error.map(|e| format!("{e}: {}", cause.unwrap_or_default()))
            });
            (output, "output")
        }
        _ => return Vec::new(),
    };
    match text {
        Some(text) => vec![Effect::CopyToClipboard(text)],
        None => {
            cx.notify(NoticeLevel::Info, format!("no {what} to copy yet"));
            Vec::new()
        }
    }
}

/// Lines of the Input/Output tab: a title and the pretty JSON of each section. Mirrors the
/// view's layout closely enough to stop scrolling at the end.
pub fn line_count(view: &State) -> usize {
    let pretty_lines = |text: Option<&str>| {
        text.map_or(1, |t| {
            serde_json::from_str::<serde_json::Value>(t)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .map_or_else(|| t.lines().count(), |p| p.lines().count())
        })
    };
    let (error, cause) = view.error_and_cause();
    let mut count = 1 + pretty_lines(view.input()) + 2 + pretty_lines(view.output());
    if error.is_some() || cause.is_some() {
        count += 2 + pretty_lines(cause);
    }
    count
}
