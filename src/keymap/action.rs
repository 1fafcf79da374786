//! `Action`: the user intents a key can be bound to. Names are the snake_case words used in
//! `keymap.toml` (`run = "page_down"`), parsed with `FromStr`.

use std::fmt;
use std::str::FromStr;

macro_rules! actions {
    ($($variant:ident => $name:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in declaration order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The keymap name, e.g. `page_down`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }
        }

        impl FromStr for Action {
            type Err = String;

            fn from_str(name: &str) -> Result<Action, String> {
                match name {
                    $($name => Ok(Action::$variant),)*
                    other => Err(format!("unknown action `{other}`")),
                }
            }
        }
    };
}

actions!(
    // Application.
    Quit => "quit",
    Suspend => "suspend",
    Help => "help",
    Palette => "palette",
    Back => "back",
    // Movement.
    Open => "open",
    Up => "up",
    Down => "down",
    PageUp => "page_up",
    PageDown => "page_down",
    Top => "top",
    Bottom => "bottom",
    NextTab => "next_tab",
    PrevTab => "prev_tab",
    // Executions list.
    Filter => "filter",
    Refresh => "refresh",
    CycleStatusFilter => "cycle_status_filter",
    SortByStatus => "sort_by_status",
    SortByName => "sort_by_name",
    SortByStart => "sort_by_start",
    SortByDuration => "sort_by_duration",
    PickStateMachine => "pick_state_machine",
    StopExecution => "stop_execution",
    RedriveExecution => "redrive_execution",
    // Timeline.
    ZoomIn => "zoom_in",
    ZoomOut => "zoom_out",
    PanLeft => "pan_left",
    PanRight => "pan_right",
    Fit => "fit",
    Follow => "follow",
    ToggleDetails => "toggle_details",
    ScrollDetailsDown => "scroll_details_down",
    ScrollDetailsUp => "scroll_details_up",
    CopyLogGroup => "copy_log_group",
    // Definition graph.
    ToggleFold => "toggle_fold",
    // Events.
    Search => "search",
    NextMatch => "next_match",
    PrevMatch => "prev_match",
    ToggleFailures => "toggle_failures",
    WriteHistory => "write_history",
    // Input / output.
    CopyInput => "copy_input",
    CopyOutput => "copy_output",
    // Confirm dialog.
    ConfirmYes => "confirm_yes",
    ConfirmNo => "confirm_no",
    ConfirmToggle => "confirm_toggle",
    ConfirmAccept => "confirm_accept",
    // Screens.
    ShowExecutions => "show_executions",
    ShowFaces => "show_faces",
    ShowThumbnails => "show_thumbnails",
    ShowTests => "show_tests",
    // Tests.
    RunSuite => "run_suite",
    ShowDashboard => "show_dashboard",
    // Dashboard.
    CycleWindow => "cycle_window",
    // Faces.
    ToggleMark => "toggle_mark",
    MarkRange => "mark_range",
    MarkGroup => "mark_group",
    ClearMarks => "clear_marks",
    KeepNewest => "keep_newest",
    KeepOldest => "keep_oldest",
    NextGroup => "next_group",
    PrevGroup => "prev_group",
    ToggleDuplicates => "toggle_duplicates",
    FindLookalikes => "find_lookalikes",
    // From a run rejected as a duplicate to the face it matched.
    JumpToFace => "jump_to_face",
    SortByUser => "sort_by_user",
    SortByFaceId => "sort_by_face_id",
    SortByConfidence => "sort_by_confidence",
    SortByIndexed => "sort_by_indexed",
    // Faces and thumbnails.
    Delete => "delete",
    // Thumbnails.
    SortByKey => "sort_by_key",
    SortBySize => "sort_by_size",
    SortByModified => "sort_by_modified",
    CopyKey => "copy_key",
    CopyUri => "copy_uri",
    // Text input (filter, search, palette).
    Submit => "submit",
    Cancel => "cancel",
    DeleteChar => "delete_char",
    ClearInput => "clear_input",
    Complete => "complete",
    // Runs: test cases, reruns, the input editor.
    StartTestCase => "start_test_case",
    Rerun => "rerun",
    EditAndRun => "edit_and_run",
    RerunAsUser => "rerun_as_user",
    SaveTestCase => "save_test_case",
    OpenInEditor => "open_in_editor",
    Newline => "newline",
    DeleteForward => "delete_forward",
    CursorLeft => "cursor_left",
    CursorRight => "cursor_right",
    LineStart => "line_start",
    LineEnd => "line_end",
    // Explicitly unbinds a key inherited from the defaults.
    Noop => "noop",
);

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_name_parses_back() {
        for action in Action::ALL {
            assert_eq!(action.name().parse::<Action>(), Ok(*action));
        }
        assert!("PageDown".parse::<Action>().is_err());
        assert!("launch_rockets".parse::<Action>().is_err());
    }
}
