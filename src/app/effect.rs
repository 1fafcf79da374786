//! `Effect`: requests the pure update function makes of the runtime (backend calls, clipboard,
//! quitting). The runtime performs them and answers with `Msg`s.

use crate::app::msg::{Control, Generation};
use crate::backend::{HistoryRequest, ListExecutionsRequest, StartExecutionRequest};
use crate::domain::test_case::TestCase;
use std::path::PathBuf;

/// Where a suite's steps go: the state machines to start runs on, the collection to clear,
/// the journal that records each deletion.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuiteTarget {
    /// For the names of the executions it starts.
    pub suite_name: String,
    pub machines: Vec<crate::domain::execution::StateMachineSummary>,
    /// The state machine of runs that name none (the one selected).
    pub state_machine: Option<String>,
    pub collection: String,
    pub journal_path: Option<PathBuf>,
    pub journal_context: Option<crate::domain::journal::JournalContext>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadStateMachines,
    /// Who the credentials belong to (the account id for the header).
    LoadCallerIdentity,
    /// What the store holds (`:cache`); answered by `Msg::StoreReport`.
    LoadStoreReport,
    /// `DescribeExecution` for a list row whose input or outcome the listing left out.
    DescribeRow {
        execution_arn: String,
        listed_status: crate::domain::execution::ExecutionStatus,
    },
    /// Connect to AWS with `profile` in `region` (None: the profile's), then switch the
    /// console over; the answer is `Msg::Reconnected`.
    Reconnect {
        profile: String,
        region: Option<String>,
    },
    /// Record a choice for this profile and region in the settings file.
    RememberChoice {
        path: PathBuf,
        target: crate::backend::AwsTarget,
        choice: crate::settings::RememberedChoice,
        value: String,
    },
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
    /// `DescribeStateMachineForExecution`; answered by `Msg::Definition`.
    LoadDefinition {
        generation: Generation,
        execution_arn: String,
    },
    /// A finished execution's whole history for the dashboard's figures (no payloads);
    /// answered by `Msg::StatsHistory`.
    LoadStatsHistory {
        generation: Generation,
        execution_arn: String,
    },
    StartExecution(StartExecutionRequest),
    /// `DescribeExecution` of the execution a start's name implies (`execution_arn`), after
    /// the start's answer was lost: did it start? Answered by `Msg::StartReconciled`.
    ReconcileStart {
        execution_arn: String,
        request: StartExecutionRequest,
    },
    StopExecution {
        execution_arn: String,
    },
    /// `DescribeExecution` after a stop's or redrive's answer was lost: was it carried out?
    /// `redrives_before`: the execution's redrive count when it was asked, if known. Answered
    /// by `Msg::ControlReconciled`.
    ReconcileControl {
        control: Control,
        execution_arn: String,
        redrives_before: Option<u32>,
    },
    RedriveExecution {
        execution_arn: String,
    },
    /// One page of the face collection (`next_token` None: the first page, a reload).
    LoadFaces {
        generation: Generation,
        collection: String,
        next_token: Option<String>,
        page_size: u32,
    },
    /// The collection's face count, for "of ~N"; answered by `Msg::CollectionDescribed`.
    DescribeCollection {
        generation: Generation,
        collection: String,
    },
    /// The lookalike searches kept from earlier sessions (the store's); answered by
    /// `Msg::KeptLookalikeSearches`.
    LoadLookalikeSearches {
        collection: String,
    },
    /// Keep one lookalike search's answer so a later scan does not repeat it.
    KeepLookalikeSearch {
        collection: String,
        search: crate::domain::faces::LookalikeSearch,
    },
    /// `SearchFaces` for one face, to cluster lookalikes.
    SearchFaces {
        generation: Generation,
        collection: String,
        face_id: String,
        threshold: f32,
    },
    /// `SearchFacesByImage` with a run's S3 photo: the faces that rejected it as a duplicate.
    SearchFacesByImage {
        generation: Generation,
        collection: String,
        bucket: String,
        key: String,
        threshold: f32,
    },
    /// `DeleteFaces` (the backend splits into batches of at most 4,096 ids).
    DeleteFaces {
        generation: Generation,
        collection: String,
        face_ids: Vec<String>,
    },
    /// Which of `face_ids` are still in `collection` (the collection listed in pages of
    /// 4,096), after their delete's answer was lost; answered by `Msg::FacesReconciled`.
    ReconcileFaces {
        generation: Generation,
        collection: String,
        face_ids: Vec<String>,
    },
    /// Append JSON lines to the deletion journal (creating the file and its folder).
    AppendJournal {
        generation: Generation,
        path: std::path::PathBuf,
        lines: Vec<String>,
    },
    /// List the account's buckets (to find the thumbnail and photo buckets).
    LoadBuckets {
        generation: Generation,
    },
    /// One page of a bucket's objects.
    LoadObjects {
        generation: Generation,
        bucket: String,
        continuation: Option<String>,
        page_size: u32,
    },
    /// Fetch an image, decode and fit it in `cells` (columns, rows) off the UI thread.
    LoadPreview {
        generation: Generation,
        bucket: String,
        key: String,
        cells: (u16, u16),
    },
    DeleteObject {
        generation: Generation,
        bucket: String,
        key: String,
    },
    /// Whether `key` is still in `bucket` (a listing under the key as prefix), after its
    /// delete's answer was lost; answered by `Msg::ObjectReconciled`.
    ReconcileObject {
        generation: Generation,
        bucket: String,
        key: String,
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
    /// Write `contents` to a new file at `path` (relative: in the current directory), never
    /// over an existing one; answered by `Msg::FileWritten` with `what` it holds.
    WriteFile {
        path: PathBuf,
        contents: String,
        what: String,
    },
    /// One step of a test suite the tests screen runs (a run followed to its end, faces
    /// cleared, an object deleted, a wait); answered by `Msg::SuiteAnswer`.
    SuiteStep {
        generation: Generation,
        suite: usize,
        request: crate::domain::suites::runner::Request,
        target: Box<SuiteTarget>,
    },
    /// Keep a suite step's verdict in the store (no answer: a store that fails costs only
    /// the history).
    RecordVerdict(crate::domain::suites::recorded::VerdictRecord),
    /// The kept verdicts of these suites' steps; answered by `Msg::VerdictHistory`.
    LoadVerdictHistory {
        suites: Vec<String>,
    },
    /// Suspend the process (Ctrl-Z): restore the terminal, stop, re-enter on resume.
    Suspend,
    Quit,
}

impl Effect {
    /// Whether performing this changes something in the account (starts, stops, redrives,
    /// deletes). Every variant is listed, so a new effect cannot be added without deciding.
    pub fn is_mutating(&self) -> bool {
        match self {
            Effect::StartExecution(_)
            | Effect::StopExecution { .. }
            | Effect::RedriveExecution { .. }
            | Effect::DeleteFaces { .. }
            | Effect::DeleteObject { .. }
            // A suite's steps start executions and delete faces and thumbnails.
            | Effect::SuiteStep { .. } => true,
            Effect::LoadFaces { .. }
            | Effect::DescribeCollection { .. }
            // The store on this machine, not the account.
            | Effect::LoadLookalikeSearches { .. }
            | Effect::KeepLookalikeSearch { .. }
            | Effect::SearchFaces { .. }
            | Effect::SearchFacesByImage { .. }
            | Effect::LoadBuckets { .. }
            | Effect::LoadObjects { .. }
            | Effect::LoadPreview { .. }
            // The journal is a local record of deletions, written only after one happened.
            | Effect::AppendJournal { .. }
            | Effect::LoadStateMachines
            | Effect::LoadCallerIdentity
            | Effect::LoadStoreReport
            // The verdicts are kept in the local store, not the account.
            | Effect::RecordVerdict(_)
            | Effect::LoadVerdictHistory { .. }
            | Effect::DescribeRow { .. }
            // Reads back whether a start happened; it starts nothing.
            | Effect::ReconcileStart { .. }
            | Effect::ReconcileObject { .. }
            | Effect::ReconcileFaces { .. }
            | Effect::ReconcileControl { .. }
            // Connecting elsewhere and the settings file change nothing in an account.
            | Effect::Reconnect { .. }
            | Effect::RememberChoice { .. }
            | Effect::LoadExecutions { .. }
            | Effect::LoadExecution { .. }
            | Effect::LoadDefinition { .. }
            | Effect::LoadHistory { .. }
            | Effect::LoadStatsHistory { .. }
            | Effect::LoadInput { .. }
            | Effect::EditExternally { .. }
            // The settings file is the user's own, not the account's.
            | Effect::SaveTestCase { .. }
            // A local file the user named, not the account.
            | Effect::WriteFile { .. }
            | Effect::CopyToClipboard(_)
            | Effect::Suspend
            | Effect::Quit => false,
        }
    }

    /// What a refused mutating effect would have done, for the notice.
    pub fn refused_what(&self) -> &'static str {
        match self {
            Effect::StartExecution(_) => "start an execution",
            Effect::StopExecution { .. } => "stop an execution",
            Effect::RedriveExecution { .. } => "redrive an execution",
            Effect::DeleteFaces { .. } => "delete faces",
            Effect::DeleteObject { .. } => "delete an object",
            Effect::SuiteStep { .. } => "run a test suite (it starts executions and deletes faces)",
            _ => "change the account",
        }
    }
}
