//! What overlays hand back to whoever opened them: the `Outcome` of a key, and the data it
//! carries (what Yes confirms, which text input changed). Apart from the overlays so that
//! each overlay and the `Overlay` enum can use it without importing one another.

use crate::domain::test_case::RunDraft;
use crate::keymap::action::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// `/` in the executions list: filters as you type.
    ListFilter,
    /// `/` in the events tab: jumps to matches as you type.
    EventSearch,
    /// `/` in the faces list.
    FacesFilter,
    /// `/` in the thumbnails list.
    ThumbnailsFilter,
    /// `u`: the rider id to rerun the same photo as; Enter starts the run.
    RerunAsUser,
    /// `w` in the events tab: the file to write the history to; Enter writes it.
    HistoryFile,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    StopExecution {
        execution_arn: String,
        name: String,
    },
    RedriveExecution {
        execution_arn: String,
        name: String,
    },
    DeleteFaces {
        collection: String,
        faces: Vec<crate::domain::faces::Face>,
    },
    DeleteObject {
        bucket: String,
        object: crate::domain::objects::ObjectInfo,
    },
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
