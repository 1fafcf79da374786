//! Things drawn over the current view and taking its keys: help, the command palette (its
//! commands live in `palette.rs`), the confirm dialog, the state machine and test-case
//! pickers, the inline input editor and the one-line text inputs (list filter, events
//! search, user id).

pub mod confirm;
pub mod editor;
pub mod editor_view;
pub mod help;
pub mod input;
pub mod palette;
pub mod picker;
pub mod test_cases;

use crate::app::overlays::editor::InputEditor;
use crate::keymap::Context;

pub use crate::app::commands::{Command, Palette, status_filter_words};

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
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextInput {
    pub purpose: InputPurpose,
    pub text: String,
    /// The value before editing, restored by Esc.
    pub previous: String,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    /// The highlighted button; No by default so that Enter is the safe answer.
    pub yes_selected: bool,
    pub on_yes: ConfirmAction,
}

impl Confirm {
    pub fn stop_execution(execution_arn: String, name: String) -> Confirm {
        Confirm {
            title: "Stop execution".into(),
            message: format!("Stop execution {name}? It will end as ABORTED."),
            yes_selected: false,
            on_yes: ConfirmAction::StopExecution {
                execution_arn,
                name,
            },
        }
    }

    pub fn redrive_execution(execution_arn: String, name: String) -> Confirm {
        Confirm {
            title: "Redrive execution".into(),
            message: format!(
                "Redrive execution {name}? It restarts from the states that did not succeed, \
                 with the same input."
            ),
            yes_selected: false,
            on_yes: ConfirmAction::RedriveExecution {
                execution_arn,
                name,
            },
        }
    }
}
