//! The command palette (`:`): the typed line, the highlighted completion, its keys and view.
//! The completions are handed in by the shell (`commands.rs` knows the commands).

use super::outcome::Outcome;
use crate::app::widgets::theme;
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const MAX_SUGGESTIONS: usize = 8;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Palette {
    pub text: String,
    /// Highlighted completion.
    pub selected: usize,
}

/// The palette's keys over the current `completions`; Enter hands the line to the shell.
pub fn on_action(palette: &mut Palette, action: Action, completions: &[String]) -> Outcome {
    match action {
        Action::Cancel | Action::Back => return Outcome::Close,
        Action::DeleteChar => {
            palette.text.pop();
            palette.selected = 0;
        }
        Action::ClearInput => {
            palette.text.clear();
            palette.selected = 0;
        }
        Action::Down if !completions.is_empty() => {
            palette.selected = (palette.selected + 1) % completions.len();
        }
        Action::Up if !completions.is_empty() => {
            palette.selected = (palette.selected + completions.len() - 1) % completions.len();
        }
        Action::Complete => {
            if let Some(c) = completions.get(palette.selected.min(completions.len().max(1) - 1)) {
                palette.text = c.clone();
                palette.selected = 0;
            }
        }
        Action::Submit => return Outcome::Submit(palette.text.clone()),
        _ => {}
    }
    Outcome::Stay
}

/// A typed character.
pub fn type_char(palette: &mut Palette, c: char) {
    palette.text.push(c);
    palette.selected = 0;
}

/// A paste, made one line (see `input::single_line`).
pub fn paste(palette: &mut Palette, text: &str) {
    palette.text.push_str(&super::input::single_line(text));
    palette.selected = 0;
}

pub fn render(palette: &Palette, completions: &[String], frame: &mut Frame, area: Rect) {
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
