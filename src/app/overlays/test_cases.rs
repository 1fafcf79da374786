//! The test-case picker (`s`): each case's name and what it runs (photo and rider), the
//! highlighted case's input, and the state machine it will start on; its keys and view.

use super::outcome::Outcome;
use crate::app::list::scroll_to;
use crate::app::widgets::text::{centered, truncate};
use crate::app::widgets::theme;
use crate::domain::execution::input_label;
use crate::domain::test_case::{TestCase, pretty};
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The picker's keys over `count` test cases at `page` rows a page: Enter starts the one
/// under the cursor, `e` edits it first, `u` runs it as another user.
pub fn on_action(cursor: &mut usize, count: usize, page: usize, action: Action) -> Outcome {
    let last = count.saturating_sub(1);
    match action {
        Action::Down => *cursor = (*cursor + 1).min(last),
        Action::Up => *cursor = cursor.saturating_sub(1),
        Action::PageDown => *cursor = (*cursor + page).min(last),
        Action::PageUp => *cursor = cursor.saturating_sub(page),
        Action::Top => *cursor = 0,
        Action::Bottom => *cursor = last,
        Action::Cancel | Action::Back => return Outcome::Close,
        Action::Open | Action::Submit | Action::EditAndRun | Action::RerunAsUser => {
            return Outcome::Chosen(*cursor, action);
        }
        _ => {}
    }
    Outcome::Stay
}

/// The test cases, `cursor` highlighted, to start on `state_machine` (its name).
pub fn render(
    cases: &[TestCase],
    state_machine: Option<&str>,
    cursor: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let list_height = cases.len().min(12) as u16;
    let popup = centered(area, 76, list_height + 8);
    frame.render_widget(Clear, popup);
    let target = state_machine
        .map(|name| format!("on {name} "))
        .unwrap_or_default();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::dim())
        .title(Line::from(vec![
            Span::styled(" start a test case ", theme::title()),
            Span::styled(target, theme::dim()),
        ]))
        .title_bottom(Span::styled(
            " Enter start · e edit first · u as another user · Esc close ",
            theme::dim(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [list_area, _, input_area] = Layout::vertical([
        Constraint::Length(list_height.min(inner.height)),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);

    let rows = list_area.height as usize;
    let offset = scroll_to(0, cursor, rows);
    let name_width = cases
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(32);
    let lines: Vec<Line> = cases
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, case)| {
            let mark = if i == cursor { "▌" } else { " " };
            let label = input_label(&case.input).unwrap_or_default();
            let line = Line::from(vec![
                Span::styled(mark, theme::key()),
                Span::raw(format!(
                    "{:<name_width$}  ",
                    truncate(&case.name, name_width)
                )),
                Span::styled(label, theme::dim()),
            ]);
            if i == cursor {
                line.style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);

    if let Some(case) = cases.get(cursor) {
        let width = input_area.width as usize;
        let lines: Vec<Line> = pretty(&case.input)
            .lines()
            .map(|l| {
                Line::from(Span::styled(
                    truncate(&format!(" {l}"), width),
                    theme::dim(),
                ))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), input_area);
    }
}
