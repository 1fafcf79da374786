//! `Msg`: every input to the pure update function — keys, time, and backend results tagged
//! with the generation of the request that produced them (stale ones are dropped).

pub use crate::app::widgets::image::PreviewImage;
use crate::backend::{BackendError, BackendInfo, Page};
use crate::domain::Millis;
use crate::domain::execution::{ExecutionDetail, ExecutionSummary, StateMachineSummary};
use crate::domain::faces::{CollectionInfo, DeleteFacesResult, Face, FaceMatch};
use crate::domain::history::HistoryEvent;
use crate::domain::objects::{BucketInfo, ObjectInfo};
use crate::domain::test_case::TestCase;
use crossterm::event::KeyEvent;

/// Identifies a request; responses carrying an older generation than the view's current one
/// are stale (the user navigated away) and ignored.
pub type Generation = u64;

/// What the user asked to do to an execution (its rules are in `flows::control`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Stop,
    Redrive,
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// What came of one step of a suite the tests screen runs (`Effect::SuiteStep`).
    SuiteAnswer {
        generation: Generation,
        suite: usize,
        step: usize,
        answer: crate::domain::suites::runner::Answer,
    },
    /// The answer to `Effect::LoadVerdictHistory`: every kept verdict of the suites asked.
    VerdictHistory(Result<Vec<crate::domain::suites::recorded::VerdictRecord>, BackendError>),
    /// A key press (releases and repeats are filtered out by the runtime).
    Key(KeyEvent),
    /// A paste (bracketed paste: the whole text at once, never read as keys), for the text
    /// input that has focus; ignored anywhere else.
    Paste(String),
    /// A remark from the runtime, shown as a notice (e.g. why ctrl-z did not suspend).
    Notice(String),
    /// The terminal was resized (width, height).
    Resize(u16, u16),
    /// Time advanced; the only way `App::now` changes.
    Tick(Millis),
    BackendInfo(BackendInfo),
    /// The answer to `Effect::DescribeRow`.
    RowDescribed {
        execution_arn: String,
        listed_status: crate::domain::execution::ExecutionStatus,
        result: Result<ExecutionDetail, BackendError>,
    },
    /// The answer to `Effect::LoadCallerIdentity` (None: the backend has no account).
    CallerIdentity(Result<Option<crate::backend::CallerIdentity>, BackendError>),
    /// The answer to `Effect::LoadStoreReport`.
    StoreReport(Result<Option<crate::backend::StoreReport>, BackendError>),
    /// The answer to `Effect::Reconnect`: the options for the new profile and region (the
    /// runtime has switched backends and sent the new `BackendInfo` first), or why not.
    Reconnected(Result<Box<crate::app::options::AppOptions>, String>),
    /// The answer to `Effect::RememberChoice`.
    ChoiceRemembered(Result<(), String>),
    /// The backend is doing something on its own worth showing (e.g. backing off a throttle).
    BackendNotice(crate::backend::BackendNotice),
    StateMachines(Result<Vec<StateMachineSummary>, BackendError>),
    Executions {
        generation: Generation,
        /// True when this page continues the list (scrolling down), false for a refresh.
        append: bool,
        result: Result<Page<ExecutionSummary>, BackendError>,
    },
    Execution {
        generation: Generation,
        result: Result<ExecutionDetail, BackendError>,
    },
    /// The answer to `Effect::LoadLookalikeSearches`.
    KeptLookalikeSearches {
        collection: String,
        result: Result<Vec<crate::domain::faces::LookalikeSearch>, BackendError>,
    },
    /// The answer to `Effect::LoadDefinition`.
    Definition {
        generation: Generation,
        result: Result<crate::domain::execution::ExecutionDefinition, BackendError>,
    },
    History {
        generation: Generation,
        /// Whether these events carry inputs/outputs.
        include_data: bool,
        result: Result<Vec<HistoryEvent>, BackendError>,
    },
    /// The answer to `Effect::LoadStatsHistory`.
    StatsHistory {
        generation: Generation,
        execution_arn: String,
        result: Result<Vec<HistoryEvent>, BackendError>,
    },
    /// The answer to `Effect::StartExecution`, with the request (a lost answer is reconciled
    /// by its name, and sent again as it was).
    Started {
        request: crate::backend::StartExecutionRequest,
        result: Result<ExecutionSummary, BackendError>,
    },
    /// The answer to `Effect::ReconcileStart`: the execution the start's name implies, or why
    /// it could not be read (NotFound: the start was not carried out).
    StartReconciled {
        request: crate::backend::StartExecutionRequest,
        result: Result<ExecutionDetail, BackendError>,
    },
    Redriven {
        execution_arn: String,
        result: Result<(), BackendError>,
    },
    Stopped {
        execution_arn: String,
        result: Result<(), BackendError>,
    },
    /// The answer to `Effect::ReconcileControl`: the execution as it is now.
    ControlReconciled {
        control: Control,
        execution_arn: String,
        redrives_before: Option<u32>,
        result: Result<ExecutionDetail, BackendError>,
    },
    /// The description asked for by `Effect::LoadInput` (for its input).
    InputLoaded {
        generation: Generation,
        result: Result<ExecutionDetail, BackendError>,
    },
    /// The external editor closed (or could not run).
    EditedExternally(ExternalEdit),
    /// The test case was appended to the settings file (its path), or why not.
    TestCaseSaved(Result<(TestCase, String), String>),
    /// `Effect::WriteFile` done: `what` it held, and where it went (the absolute path) or why
    /// it was not written.
    FileWritten {
        what: String,
        result: Result<String, String>,
    },
    /// Copying to the clipboard finished (OSC 52 written) or failed.
    Copied(Result<String, String>),
    Faces {
        generation: Generation,
        result: Result<Page<Face>, BackendError>,
    },
    CollectionDescribed {
        generation: Generation,
        result: Result<CollectionInfo, BackendError>,
    },
    FaceMatches {
        generation: Generation,
        face_id: String,
        result: Result<Vec<FaceMatch>, BackendError>,
    },
    /// The answer to `Effect::SearchFacesByImage` (the jump from a rejected run).
    FacesByImage {
        generation: Generation,
        result: Result<Vec<FaceMatch>, BackendError>,
    },
    FacesDeleted {
        generation: Generation,
        result: Result<DeleteFacesResult, BackendError>,
    },
    /// The journal lines were appended (Ok: the file's path) or could not be.
    JournalWritten {
        generation: Generation,
        result: Result<String, String>,
    },
    Buckets {
        generation: Generation,
        result: Result<Vec<BucketInfo>, BackendError>,
    },
    Objects {
        generation: Generation,
        result: Result<Page<ObjectInfo>, BackendError>,
    },
    Preview {
        generation: Generation,
        key: String,
        result: Result<PreviewImage, PreviewFailure>,
    },
    ObjectDeleted {
        generation: Generation,
        result: Result<(), BackendError>,
    },
    /// The answer to `Effect::ReconcileFaces`: the asked ids still in the collection.
    FacesReconciled {
        generation: Generation,
        result: Result<Vec<String>, BackendError>,
    },
    /// The answer to `Effect::ReconcileObject`: whether the object is still there.
    ObjectReconciled {
        generation: Generation,
        result: Result<bool, BackendError>,
    },
}

/// How the external editor session ended.
#[derive(Debug, Clone, PartialEq)]
pub enum ExternalEdit {
    /// The text as saved by the editor.
    Edited(String),
    /// Neither `$VISUAL` nor `$EDITOR` is set.
    NoEditor,
    /// The editor could not be run or exited with an error.
    Failed(String),
}

/// Why there is no image to show; the metadata is shown instead.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewFailure {
    pub message: String,
}
