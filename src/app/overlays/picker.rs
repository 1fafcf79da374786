//! The state machine picker: the listed state machines, the current one marked.

use crate::app::App;
use crate::app::list::scroll_to;
use crate::app::widgets::text::centered;
use crate::app::widgets::theme;
use crate::domain::execution::StateMachineKind;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(app: &App, cursor: usize, frame: &mut Frame, area: Rect) {
    let height = (app.state_machines.len() as u16 + 2)
        .min(area.height)
        .max(3);
    let popup = centered(area, 60, height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(" state machines ", theme::title()));
    let inner_height = popup.height.saturating_sub(2) as usize;
    let offset = scroll_to(0, cursor, inner_height);
    let lines: Vec<Line> = app
        .state_machines
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner_height)
        .map(|(i, sm)| {
            let current = if Some(i) == app.selected_state_machine {
                "●"
            } else {
                " "
            };
            let mark = if i == cursor { "▌" } else { " " };
            let kind = match sm.kind {
                StateMachineKind::Standard => "standard",
                StateMachineKind::Express => "express",
            };
            let line = Line::from(vec![
                Span::styled(format!("{mark}{current} "), theme::key()),
                Span::raw(sm.name.clone()),
                Span::styled(format!("  {kind}"), theme::dim()),
            ]);
            if i == cursor {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
