//! `Effect`: requests the pure update function makes of the runtime (backend calls, clipboard,
//! quitting). The runtime performs them and answers with `Msg`s.

use super::msg::Generation;
use crate::backend::{HistoryRequest, ListExecutionsRequest, StartExecutionRequest};

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
    /// Suspend the process (Ctrl-Z): restore the terminal, stop, re-enter on resume.
    Suspend,
    Quit,
}
