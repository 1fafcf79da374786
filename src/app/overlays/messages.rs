//! The `:messages` overlay: every notice of the session with its time, newest first, wrapped
//! and scrolled like help (its keys are help's).

use crate::app::notice::{MessageLog, NoticeLevel};
use crate::app::widgets::text::wrap_words;
use crate::app::widgets::theme;
use crate::domain::time::format_clock;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The log's lines for a popup `width` columns wide inside its border, one row each.
pub fn lines(log: &MessageLog, width: usize) -> Vec<Line<'static>> {
    if log.is_empty() {
        return vec![Line::from(Span::styled("  no messages yet", theme::dim()))];
    }
    // "10:06:00 ⚠ " before the text; continuation lines are indented under it.
    const GUTTER: usize = 11;
    let mut lines = Vec::new();
    for notice in log.newest_first() {
        let (icon, style) = match notice.level {
            NoticeLevel::Info => ("ℹ", Style::default().fg(theme::ACCENT)),
            NoticeLevel::Error => ("⚠", theme::error()),
        };
        let parts = wrap_words(&notice.text, width.saturating_sub(GUTTER).max(1));
        for (i, part) in parts.into_iter().enumerate() {
            let gutter = if i == 0 {
                Span::styled(format!("{} {icon} ", format_clock(notice.at)), theme::dim())
            } else {
                Span::raw(" ".repeat(GUTTER))
            };
            lines.push(Line::from(vec![gutter, Span::styled(part, style)]));
        }
    }
    lines
}

pub fn render(log: &MessageLog, scroll: usize, frame: &mut Frame, area: Rect) {
    let popup = crate::app::widgets::text::centered(area, 100, area.height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(
            format!(" messages — {} ", log.len()),
            theme::title(),
        ))
        .title_bottom(Span::styled(" Esc close · j/k scroll ", theme::dim()));
    let all = lines(log, popup.width.saturating_sub(2) as usize);
    let visible = popup.height.saturating_sub(2) as usize;
    let scroll = scroll.min(all.len().saturating_sub(visible));
    let shown: Vec<Line> = all.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(block), popup);
}
