//! Amazon States Language: loading a definition (`definition`), JSONPath (`jsonpath`), payload
//! templates and intrinsic functions (`template`), Choice rules (`choice`) and the interpreter
//! that runs a machine and writes AWS-shaped history events (`interpreter`).

pub mod choice;
pub mod definition;
pub mod interpreter;
pub mod jsonpath;
pub mod ledger;
pub mod template;

use std::fmt;

/// An error raised while running a state: the `Error` name and the `Cause` text, exactly as
/// they appear in history events and in a Catch's error output.
#[derive(Debug, Clone, PartialEq)]
pub struct StateError {
    pub error: String,
    pub cause: String,
}

impl StateError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> StateError {
        StateError {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// `States.Runtime`: a path or payload problem; neither retried nor caught.
    pub fn runtime(cause: impl Into<String>) -> StateError {
        StateError::new("States.Runtime", cause)
    }

    pub fn intrinsic(cause: impl Into<String>) -> StateError {
        StateError::new("States.IntrinsicFailure", cause)
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}
