//! `Effect`: requests the pure update function makes of the runtime (backend calls, clipboard,
//! quitting). The runtime performs them and answers with `Msg`s.

use super::msg::Generation;
use super::test_cases::TestCase;
use crate::backend::{HistoryRequest, ListExecutionsRequest, StartExecutionRequest};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadStateMachines,
    LoadExecutions {
        generation: Generation,
        append: bool,
        request: ListExecutionsRequest,
    },
    LoadExecution {
        generation: Generation,
        execution_arn: String,
    },
    LoadHistory {
        generation: Generation,
        request: HistoryRequest,
    },
    StartExecution(StartExecutionRequest),
    StopExecution {
        execution_arn: String,
    },
    /// Put text on the clipboard (OSC 52, so it works over SSH too).
    CopyToClipboard(String),
    /// Describe an execution for its input (a rerun from the list); answered by
    /// `Msg::InputLoaded`.
    LoadInput {
        generation: Generation,
        execution_arn: String,
    },
    /// Edit `text` in the user's `$VISUAL`/`$EDITOR` with the console suspended meanwhile;
    /// answered by `Msg::EditedExternally`.
    EditExternally {
        text: String,
    },
    /// Append a test case to the settings file; answered by `Msg::TestCaseSaved`.
    SaveTestCase {
        path: PathBuf,
        test_case: TestCase,
    },
    /// Suspend the process (Ctrl-Z): restore the terminal, stop, re-enter on resume.
    Suspend,
    Quit,
}
