//! The one-line text input of `/` (list filter, events search, faces and thumbnails filters),
//! of the rerun's user id and of the file a history is written to, drawn above the hint bar: its state, keys and view.

pub use super::outcome::InputPurpose;
use super::outcome::Outcome;
use crate::app::widgets::theme;
use crate::keymap::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

#[derive(Debug, Clone, PartialEq)]
pub struct TextInput {
    pub purpose: InputPurpose,
    pub text: String,
    /// The value before editing, restored by Esc.
    pub previous: String,
}

impl TextInput {
    /// An input for `purpose` starting from (and restoring on Esc) `current`.
    pub fn new(purpose: InputPurpose, current: String) -> Self {
        TextInput {
            purpose,
            text: current.clone(),
            previous: current,
        }
    }
}

/// An input's keys. Filters and searches act as you type, so every change of the text is
/// an `Outcome::Input` for the owner; Esc restores the text the input started from.
pub fn on_action(input: &mut TextInput, action: Action) -> Outcome {
    match action {
        // The thumbnails filter: Enter may read further pages for matches (typing never does).
        Action::Submit
            if matches!(
                input.purpose,
                InputPurpose::RerunAsUser
                    | InputPurpose::HistoryFile
                    | InputPurpose::ThumbnailsFilter
            ) =>
        {
            Outcome::Submit(input.text.clone())
        }
        Action::Submit => Outcome::Close,
        Action::Cancel | Action::Back => Outcome::Input {
            purpose: input.purpose,
            text: input.previous.clone(),
            close: true,
        },
        Action::DeleteChar => {
            input.text.pop();
            changed(input)
        }
        Action::ClearInput => {
            input.text.clear();
            changed(input)
        }
        _ => Outcome::Stay,
    }
}

/// A typed character.
pub fn type_char(input: &mut TextInput, c: char) -> Outcome {
    input.text.push(c);
    changed(input)
}

/// A paste, taken whole: one change of the text (one filter pass), however long it is.
pub fn paste(input: &mut TextInput, text: &str) -> Outcome {
    input.text.push_str(&single_line(text));
    changed(input)
}

/// A paste made fit for a one-line input: line breaks and tabs become spaces (a line copied
/// with its newline does not end in a space), other control characters are dropped so none
/// reaches the terminal when the input is drawn.
pub fn single_line(text: &str) -> String {
    let text = text.trim_end_matches(['\r', '\n']);
    let mut line = String::with_capacity(text.len());
    let mut after_cr = false;
    for c in text.chars() {
        match c {
            // `\r\n` is one line break, not two spaces.
            '\n' if after_cr => {}
            '\r' | '\n' | '\t' => line.push(' '),
            c if c.is_control() => {}
            c => line.push(c),
        }
        after_cr = c == '\r';
    }
    line
}

fn changed(input: &TextInput) -> Outcome {
    Outcome::Input {
        purpose: input.purpose,
        text: input.text.clone(),
        close: false,
    }
}

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
        InputPurpose::HistoryFile => ("write the history to", ": ", "Enter write · Esc cancel"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_becomes_one_line_without_control_characters() {
        assert_eq!(single_line("user_a\n"), "user_a");
        assert_eq!(single_line("a\r\nb\nc\rd\te"), "a b c d e");
        assert_eq!(single_line("x\u{1b}]0;title\u{7}y"), "x]0;titley");
    }

    #[test]
    fn a_paste_is_one_change_of_the_text() {
        let mut input = TextInput::new(InputPurpose::ListFilter, "ab".into());
        let outcome = paste(&mut input, "cd\nef\n");
        assert_eq!(
            outcome,
            Outcome::Input {
                purpose: InputPurpose::ListFilter,
                text: "abcd ef".into(),
                close: false,
            }
        );
    }
}
