//! The one-line text input of `/` (list filter, events search) and of the rerun's user id,
//! drawn above the hint bar.

use crate::app::overlays::{InputPurpose, TextInput};
use crate::app::widgets::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(input: &TextInput, frame: &mut Frame, area: Rect) {
    let (label, prompt, keys) = match input.purpose {
        InputPurpose::ListFilter => ("filter", "/", "Enter apply · Esc cancel"),
        InputPurpose::EventSearch => ("search", "/", "Enter apply · Esc cancel"),
        InputPurpose::FacesFilter | InputPurpose::ThumbnailsFilter => {
            ("filter", "/", "Enter apply · Esc cancel")
        }
        InputPurpose::RerunAsUser => (
            "rerun the same photo as user id",
            ": ",
            "Enter run · Esc cancel",
        ),
    };
    let line = Line::from(vec![
        Span::styled(format!(" {label} "), theme::dim()),
        Span::styled(prompt, theme::key()),
        Span::raw(input.text.clone()),
        Span::styled("▏", theme::key()),
        Span::styled(format!("   {keys}"), theme::dim()),
    ]);
    frame.render_widget(line, area);
}
