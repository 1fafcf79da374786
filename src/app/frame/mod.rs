//! Pure rendering: `render(&App, &mut Frame)` draws the current view; one file per view plus
//! shared widgets and the theme. Reads nothing but the `App`.

use crate::app::overlay::Overlay;
use crate::app::screen::Screen;
use crate::app::{App, NoticeLevel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub mod execution;
pub mod executions;
pub mod faces;
pub mod header;
pub mod theme;
pub mod thumbnails;
pub mod widgets;

/// Below this size the views cannot be laid out; a compact notice is shown instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(app, frame, area);
        return;
    }
    let input_line = matches!(app.overlay, Some(Overlay::Input(_)));
    let notice_line = app.notice.is_some() && !input_line;
    let [header, body, notice, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(input_line || notice_line)),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(app, frame, header);
    match (app.screen, &app.execution) {
        (Screen::Faces, _) => faces::render(app, frame, body),
        (Screen::Thumbnails, _) => thumbnails::render(app, frame, body),
        (Screen::Executions, Some(view)) => execution::render(app, view, frame, body),
        (Screen::Executions, None) => executions::render(app, frame, body),
    }
    if let Some(Overlay::Input(input)) = &app.overlay {
        widgets::input::render(input, frame, notice);
    } else if let Some(n) = &app.notice {
        let style = match n.level {
            NoticeLevel::Info => Style::default().fg(theme::ACCENT),
            NoticeLevel::Error => theme::error(),
        };
        let icon = match n.level {
            NoticeLevel::Info => "ℹ ",
            NoticeLevel::Error => "⚠ ",
        };
        frame.render_widget(
            Line::from(Span::styled(format!(" {icon}{}", n.text), style)),
            notice,
        );
    }
    widgets::hints::render(app, frame, hints);
    match &app.overlay {
        Some(Overlay::Help { context, scroll }) => {
            widgets::help::render(app, *context, *scroll, frame, body)
        }
        Some(Overlay::Palette(palette)) => widgets::palette::render(app, palette, frame, body),
        Some(Overlay::Confirm(confirm)) => widgets::confirm::render(confirm, frame, body),
        Some(Overlay::Picker { cursor }) => widgets::picker::render(app, *cursor, frame, body),
        Some(Overlay::TestCases { cursor }) => {
            widgets::test_cases::render(app, *cursor, frame, body)
        }
        Some(Overlay::Editor(editor)) => widgets::editor::render(editor, frame, body),
        Some(Overlay::Input(_)) | None => {}
    }
}

/// A terminal too small for any view still says what it is and what it needs.
fn render_too_small(app: &App, frame: &mut Frame, area: Rect) {
    let status = match (app.screen, &app.execution) {
        (Screen::Faces, _) => format!("{} faces", app.faces.rows.len()),
        (Screen::Thumbnails, _) => format!("{} objects", app.thumbnails.objects.len()),
        (Screen::Executions, Some(view)) => {
            format!("{} {}", view.summary.name, view.status().as_str())
        }
        (Screen::Executions, None) => format!("{} executions", app.executions.visible.len()),
    };
    let lines = [
        Line::from(Span::styled("stepdeck", theme::title())),
        Line::from(status),
        Line::from(Span::styled(
            format!("too small: {}×{}", area.width, area.height),
            theme::error(),
        )),
        Line::from(format!("need {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::from(Span::styled("q quits", theme::dim())),
    ];
    for (i, line) in lines.into_iter().enumerate().take(area.height as usize) {
        let row = Rect::new(area.x, area.y + i as u16, area.width, 1);
        frame.render_widget(line, row);
    }
}

/// A rectangle of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// `1,234` — thousands separators for counts.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The noun for a count: `one` for exactly 1, else `many` ("1 face", "2 faces", "0 faces").
pub fn noun<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// Cuts `text` to `width` columns, ending with `…` when it was longer.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_truncation() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(25_000_000), "25,000,000");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("abc", 0), "");
    }
}
