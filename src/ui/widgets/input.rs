//! The one-line text input of `/` (list filter, events search), drawn above the hint bar.

use crate::app::overlay::{InputPurpose, TextInput};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(input: &TextInput, frame: &mut Frame, area: Rect) {
    let label = match input.purpose {
        InputPurpose::ListFilter => "filter",
        InputPurpose::EventSearch => "search",
        InputPurpose::FacesFilter | InputPurpose::ThumbnailsFilter => "filter",
    };
    let line = Line::from(vec![
        Span::styled(format!(" {label} "), theme::dim()),
        Span::styled("/", theme::key()),
        Span::raw(input.text.clone()),
        Span::styled("▏", theme::key()),
        Span::styled("   Enter apply · Esc cancel", theme::dim()),
    ]);
    frame.render_widget(line, area);
}
