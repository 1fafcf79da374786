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
pub mod palette;
pub mod picker;
pub mod test_cases;

use crate::domain::test_case::RunDraft;
use crate::keymap::Context;
use crate::keymap::action::Action;
use editor::InputEditor;

pub use confirm::{Confirm, ConfirmAction};
pub use input::{InputPurpose, TextInput};
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
        }
    }
}

/// What an overlay's keys mean for whoever opened it. The shell closes the overlay for every
/// outcome but `Stay` (and an `Input` that keeps it open) and hands the rest to the owner:
/// overlays know no screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing for the owner; the overlay stays open.
    Stay,
    /// Closed without an answer.
    Close,
    /// Yes in the confirm dialog.
    Confirmed(ConfirmAction),
    /// The text of an input changed (as you type), or was restored by Esc (`close`).
    Input {
        purpose: InputPurpose,
        text: String,
        close: bool,
    },
    /// Enter on a text: the palette's command line, the rerun's user id.
    Submit(String),
    /// Enter in the input editor: the run with the edited (valid) input.
    Run(RunDraft),
    /// `ctrl-s` in the input editor: save this (valid) input as a test case; the editor
    /// stays open.
    SaveInput(String),
    /// `ctrl-e` in the input editor: continue in `$EDITOR` with this draft.
    EditExternally(RunDraft),
    /// A picker's row chosen (its index), and with which key's action: `Open` / `Submit`,
    /// or what else the picker offers (`EditAndRun`, `RerunAsUser` for test cases).
    Chosen(usize, Action),
}

impl Outcome {
    /// Whether the overlay closes with this outcome.
    pub fn closes(&self) -> bool {
        match self {
            Outcome::Stay | Outcome::SaveInput(_) => false,
            Outcome::Input { close, .. } => *close,
            Outcome::Close
            | Outcome::Confirmed(_)
            | Outcome::Submit(_)
            | Outcome::Run(_)
            | Outcome::EditExternally(_)
            | Outcome::Chosen(..) => true,
        }
    }
}
