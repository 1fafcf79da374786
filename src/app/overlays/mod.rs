//! Things drawn over the current view and taking its keys: help, the command palette (its
//! commands live in `app/commands.rs`), the confirm dialog, the state machine and test-case
//! pickers, the inline input editor and the one-line text inputs (list filter, events
//! search, user id). An overlay knows no screen: its keys return an `Outcome` that the shell
//! hands to whoever opened it.

pub mod confirm;
pub mod editor;
pub mod editor_view;
pub mod help;
pub mod input;
pub mod messages;
pub mod outcome;
pub mod palette;
pub mod picker;
pub mod test_cases;

use crate::keymap::Context;
use editor::InputEditor;

pub use confirm::{Confirm, ConfirmAction};
pub use input::{InputPurpose, TextInput};
pub use outcome::Outcome;
pub use palette::Palette;

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Bindings of `context` (the view underneath) and the global ones.
    Help {
        context: Context,
        scroll: usize,
    },
    Palette(Palette),
    Confirm(Confirm),
    Picker {
        cursor: usize,
    },
    Input(TextInput),
    /// The test-case library (`s`); `cursor` indexes `App::runs.test_cases`.
    TestCases {
        cursor: usize,
    },
    /// The inline editor of a run's input.
    Editor(Box<InputEditor>),
    /// `:messages`: every notice of the session, newest first.
    Messages {
        scroll: usize,
    },
}

impl Overlay {
    pub fn context(&self) -> Context {
        match self {
            Overlay::Help { .. } => Context::Help,
            Overlay::Palette(_) => Context::Palette,
            Overlay::Confirm(_) => Context::Confirm,
            Overlay::Picker { .. } => Context::Picker,
            Overlay::Input(_) => Context::Input,
            Overlay::TestCases { .. } => Context::TestCases,
            Overlay::Editor(_) => Context::Editor,
            // Scrolled and closed like help, with help's keys.
            Overlay::Messages { .. } => Context::Help,
        }
    }
}
