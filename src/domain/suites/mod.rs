//! Test suites: what a test case is expected to do (`Expectation`), the ordered steps of a
//! suite (runs and their set-up: clearing faces, deleting a thumbnail, waiting) and the
//! built-in suites. `verdict.rs` judges an execution against an expectation, `runner.rs` walks
//! a suite step by step (pure: it asks, the caller performs), `file.rs` reads suites files.

pub mod builtin;
pub mod file;
pub mod recorded;
pub mod runner;
pub mod verdict;

use super::Millis;
use serde_json::Value;
use std::fmt;

/// Text a reason or an error name must hold: plain text is looked for case-insensitively
/// anywhere in it; `/…/` is a regular expression.
#[derive(Debug, Clone)]
pub enum Pattern {
    Text(String),
    Regex(regex::Regex),
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Pattern {
    /// `/regex/` or plain text; the error says why a regular expression is not one.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        match text
            .strip_prefix('/')
            .and_then(|rest| rest.strip_suffix('/'))
        {
            Some(source) if text.len() >= 2 => regex::Regex::new(source)
                .map(Pattern::Regex)
                .map_err(|e| format!("{text} is not a regular expression: {e}")),
            _ => Ok(Pattern::Text(text.to_string())),
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        match self {
            Pattern::Text(wanted) => text.to_lowercase().contains(&wanted.to_lowercase()),
            Pattern::Regex(regex) => regex.is_match(text),
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Text(text) => write!(f, "{text}"),
            Pattern::Regex(regex) => write!(f, "/{}/", regex.as_str()),
        }
    }
}

/// How the run must end. The rider-photo pipeline ends a rejected photo SUCCEEDED after a
/// Catch, so "accepted" and "rejected" are told apart by the outcome, not the status.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// SUCCEEDED without a caught error.
    Accepted,
    /// SUCCEEDED after a Catch, with a reason (the error's message, or its name) matching.
    Rejected(Option<Pattern>),
    /// FAILED, with an error name matching.
    Failed(Option<Pattern>),
    /// TIMED_OUT.
    TimedOut,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Accepted => write!(f, "accepted"),
            Expected::Rejected(None) => write!(f, "rejected"),
            Expected::Rejected(Some(reason)) => write!(f, "rejected: {reason}"),
            Expected::Failed(None) => write!(f, "failed"),
            Expected::Failed(Some(error)) => write!(f, "failed: {error}"),
            Expected::TimedOut => write!(f, "timed out"),
        }
    }
}

/// What a JSONPath query over the execution's output must find.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputCheck {
    /// At least one node.
    Exists,
    /// At least one node, and every node equal to this value.
    Equals(Value),
    /// At least one node, and every node's text (a string as is, anything else as JSON)
    /// matching.
    Matches(Pattern),
}

/// One output assertion: `path` (RFC 9535 JSONPath, checked when read) and its check.
#[derive(Debug, Clone)]
pub struct OutputAssertion {
    pub path: String,
    pub query: serde_json_path::JsonPath,
    pub check: OutputCheck,
}

impl PartialEq for OutputAssertion {
    fn eq(&self, other: &OutputAssertion) -> bool {
        self.path == other.path && self.check == other.check
    }
}

impl OutputAssertion {
    pub fn new(path: &str, check: OutputCheck) -> Result<OutputAssertion, String> {
        let query = serde_json_path::JsonPath::parse(path)
            .map_err(|e| format!("{path} is not a JSONPath: {e}"))?;
        Ok(OutputAssertion {
            path: path.to_string(),
            query,
            check,
        })
    }
}

/// Everything a run is checked for; only `outcome` is required.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    pub outcome: Expected,
    /// The run must end within this many milliseconds of its start.
    pub within_ms: Option<Millis>,
    pub output: Vec<OutputAssertion>,
    /// States that must have been entered (at least once).
    pub entered: Vec<String>,
    /// States that must never have been entered.
    pub not_entered: Vec<String>,
}

impl Expectation {
    pub fn outcome(outcome: Expected) -> Expectation {
        Expectation {
            outcome,
            within_ms: None,
            output: Vec::new(),
            entered: Vec::new(),
            not_entered: Vec::new(),
        }
    }
}

/// One run of a suite: a test case (from the library, or its input given here), maybe as
/// another user, and what it must do.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStep {
    /// The test case's name (also the name of an inline case).
    pub case: String,
    /// An inline input (JSON text); the library's case of that name when None.
    pub input: Option<String>,
    /// State machine (name or ARN); the case's, else the one in use, when None.
    pub state_machine: Option<String>,
    /// Run with `userId` set to this.
    pub as_user: Option<String>,
    pub expect: Expectation,
}

/// One step of a suite, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Run(RunStep),
    /// Delete every face the photo would match (`SearchFacesByImage` → `DeleteFaces`), so
    /// that it is accepted again. The bucket is the photo bucket in use when None.
    ClearFaces {
        bucket: Option<String>,
        key: String,
    },
    /// Delete an object of the thumbnail bucket (or of `bucket`).
    DeleteThumbnail {
        bucket: Option<String>,
        key: String,
    },
    Wait {
        ms: Millis,
    },
}

impl Step {
    /// One line naming the step, for progress and reports.
    pub fn describe(&self) -> String {
        match self {
            Step::Run(run) => match &run.as_user {
                Some(user) => format!("{} as {user}", run.case),
                None => run.case.clone(),
            },
            Step::ClearFaces { key, .. } => format!("clear the faces of {key}"),
            Step::DeleteThumbnail { key, .. } => format!("delete thumbnail {key}"),
            Step::Wait { ms } => format!("wait {}", super::time::format_duration(*ms)),
        }
    }
}

/// An ordered list of steps with a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    pub name: String,
    pub description: Option<String>,
    /// Its runs do not affect one another: the runs between two set-up steps may go at once.
    pub independent: bool,
    pub steps: Vec<Step>,
}

/// The built-in suites, then the user's; a user suite with a built-in's name replaces it.
pub fn suite_library(builtin: Vec<Suite>, user: Vec<Suite>) -> Vec<Suite> {
    let mut suites = builtin;
    for suite in user {
        match suites.iter_mut().find(|s| s.name == suite.name) {
            Some(existing) => *existing = suite,
            None => suites.push(suite),
        }
    }
    suites
}

#[cfg(test)]
mod file_tests;
#[cfg(test)]
mod runner_tests;
#[cfg(test)]
mod verdict_tests;
