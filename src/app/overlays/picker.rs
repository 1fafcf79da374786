//! The state machine picker: the listed state machines, the current one marked; its keys
//! and view.

use super::outcome::Outcome;
use crate::app::list::scroll_to;
use crate::app::widgets::text::centered;
use crate::app::widgets::theme;
use crate::domain::execution::{StateMachineKind, StateMachineSummary};
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The picker's keys over `count` state machines; Enter hands the one under the cursor back.
pub fn on_action(cursor: &mut usize, count: usize, action: Action) -> Outcome {
    match action {
        Action::Down => *cursor = (*cursor + 1).min(count.saturating_sub(1)),
        Action::Up => *cursor = cursor.saturating_sub(1),
        Action::Top => *cursor = 0,
        Action::Bottom => *cursor = count.saturating_sub(1),
        Action::Open | Action::Submit => return Outcome::Chosen(*cursor, action),
        Action::Cancel | Action::Back => return Outcome::Close,
        _ => {}
    }
    Outcome::Stay
}

/// The state machines, `selected` marked as the current one, `cursor` highlighted.
pub fn render(
    machines: &[StateMachineSummary],
    selected: Option<usize>,
    cursor: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let height = (machines.len() as u16 + 2).min(area.height).max(3);
    let popup = centered(area, 60, height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Span::styled(" state machines ", theme::title()));
    let inner_height = popup.height.saturating_sub(2) as usize;
    let offset = scroll_to(0, cursor, inner_height);
    let lines: Vec<Line> = machines
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner_height)
        .map(|(i, sm)| {
            let current = if Some(i) == selected { "●" } else { " " };
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
