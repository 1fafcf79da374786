//! What the flows remember between messages, kept in `App`: the runs this console started
//! or is preparing, and a switch of profile or region under way. Apart from the flows' code
//! (which works on `App`), so that `App` can hold it without importing the flows.

use crate::app::msg::Generation;
use crate::domain::test_case::{RunDraft, TestCase};
use std::collections::{HashMap, HashSet};

/// What to do with an input once it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Start it unchanged.
    Same,
    /// Ask for another `userId` first (same photo, another rider).
    AsOtherUser,
    /// Edit it first (`$EDITOR`, then the inline editor to review).
    Edit,
}

/// A rerun waiting for the execution's input (DescribeExecution).
#[derive(Debug, Clone, PartialEq)]
pub struct AwaitingInput {
    pub generation: Generation,
    pub intent: Intent,
    pub execution_arn: String,
    pub draft: RunDraft,
}

#[derive(Debug, Clone, Default)]
pub struct RunsState {
    /// The library offered by `s` and `:run`.
    pub test_cases: Vec<TestCase>,
    /// Names of executions this console asked to start → what they are; a start answered
    /// for one of them selects and opens it.
    pub pending_starts: HashMap<String, String>,
    /// Names of pending starts already sent a second time after a lost answer: a start is
    /// sent again at most once, under the same name.
    pub resent_starts: HashSet<String>,
    /// Runs started this session (the sequence number in generated names).
    pub started: u64,
    pub awaiting_input: Option<AwaitingInput>,
    /// The draft waiting for the user id typed in the prompt.
    pub user_prompt: Option<RunDraft>,
    /// The draft out in `$EDITOR`.
    pub external_edit: Option<RunDraft>,
    /// The built-in test cases wait for the photo bucket to be found among the buckets (AWS
    /// without a `photo_bucket` setting).
    pub builtins_await_photo_bucket: bool,
}

impl RunsState {
    /// The photo bucket is known: the built-in test cases can name it.
    pub fn photo_bucket_found(&mut self, bucket: &str) {
        if std::mem::take(&mut self.builtins_await_photo_bucket) {
            let user_cases = std::mem::take(&mut self.test_cases);
            self.test_cases = crate::domain::test_case::library(Some(bucket), user_cases);
        }
    }
}

/// A switch of profile or region under way (the answer is `Msg::Reconnected`).
#[derive(Debug, Clone, PartialEq)]
pub struct Reconnecting {
    pub profile: String,
    /// None: the profile's own region.
    pub region: Option<String>,
}

impl Reconnecting {
    pub fn describe(&self) -> String {
        match &self.region {
            Some(region) => format!("profile {} in {region}", self.profile),
            None => format!("profile {}", self.profile),
        }
    }
}
