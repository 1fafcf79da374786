//! The Input/Output tab: the execution's input and output (or error and cause) as pretty,
//! coloured JSON, scrollable; `y`/`Y` copy them.

use crate::app::screens::execution::ExecutionView;
use crate::app::widgets::json::json_lines;
use crate::app::widgets::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// All lines of the tab, in order: title, JSON, blank line, next section.
pub fn content(view: &ExecutionView) -> Vec<Line<'static>> {
    sections(view, true)
}

/// The input, output and error/cause sections; `copy_hints` adds the tab's copy keys to the
/// titles (not where those keys do nothing, e.g. in the timeline's description-only panel).
pub fn sections(view: &ExecutionView, copy_hints: bool) -> Vec<Line<'static>> {
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

pub fn render(view: &ExecutionView, frame: &mut Frame, area: Rect) {
    let lines = content(view);
    let height = area.height as usize;
    let scroll = view.io_scroll.min(lines.len().saturating_sub(height));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), area);
}
