//! Context: where a key press is interpreted (a view, an overlay or a text input), one per
//! `keymap.toml` section; the modal ones (dialogs, inputs) inherit only ctrl/alt global keys.

use std::str::FromStr;

/// Where a key press is interpreted: a view, an overlay or a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Executions,
    Picker,
    Timeline,
    Definition,
    Events,
    Io,
    Faces,
    Thumbnails,
    Tests,
    Dashboard,
    Confirm,
    Input,
    Help,
    Palette,
    TestCases,
    Editor,
}

impl Context {
    pub const ALL: [Context; 17] = [
        Context::Global,
        Context::Executions,
        Context::Picker,
        Context::Timeline,
        Context::Definition,
        Context::Events,
        Context::Io,
        Context::Faces,
        Context::Thumbnails,
        Context::Tests,
        Context::Dashboard,
        Context::Confirm,
        Context::Input,
        Context::Help,
        Context::Palette,
        Context::TestCases,
        Context::Editor,
    ];

    /// The section name in `keymap.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Executions => "executions",
            Context::Picker => "picker",
            Context::Timeline => "timeline",
            Context::Definition => "definition",
            Context::Events => "events",
            Context::Io => "io",
            Context::Faces => "faces",
            Context::Thumbnails => "thumbnails",
            Context::Tests => "tests",
            Context::Dashboard => "dashboard",
            Context::Confirm => "confirm",
            Context::Input => "input",
            Context::Help => "help",
            Context::Palette => "palette",
            Context::TestCases => "test_cases",
            Context::Editor => "editor",
        }
    }

    /// Dialogs and text inputs: plain global keys (`q`, `j`, `:`) must not fire there, only
    /// global keys with ctrl/alt (`ctrl-c`, `ctrl-z`) do.
    pub fn is_modal(self) -> bool {
        matches!(
            self,
            Context::Picker
                | Context::Confirm
                | Context::Input
                | Context::Help
                | Context::Palette
                | Context::TestCases
                | Context::Editor
        )
    }
}

impl FromStr for Context {
    type Err = String;

    fn from_str(name: &str) -> Result<Context, String> {
        Context::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| format!("unknown context `[{name}]`"))
    }
}
