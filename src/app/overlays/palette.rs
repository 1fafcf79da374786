//! The command palette (`:`): the typed command and its completions.

use crate::app::App;
use crate::app::overlays::Palette;
use crate::app::widgets::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const MAX_SUGGESTIONS: usize = 8;

pub fn render(app: &App, palette: &Palette, frame: &mut Frame, area: Rect) {
    let completions = palette.completions(app);
    let shown = completions.len().min(MAX_SUGGESTIONS);
    let width = area.width.min(64);
    let height = (shown as u16 + 3).min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + 1.min(area.height),
        width,
        height,
    );
    let popup = popup.intersection(area);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(" command ", theme::title()));
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme::key()),
        Span::raw(palette.text.clone()),
        Span::styled("▏", theme::key()),
    ])];
    let selected = palette.selected.min(completions.len().saturating_sub(1));
    let start = selected.saturating_sub(MAX_SUGGESTIONS - 1);
    for (i, c) in completions
        .iter()
        .enumerate()
        .skip(start)
        .take(MAX_SUGGESTIONS)
    {
        let line = Line::from(Span::raw(format!("  {c}")));
        lines.push(if i == selected {
            line.style(theme::selected())
        } else {
            line.style(theme::dim())
        });
    }
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
