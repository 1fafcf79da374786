//! What `stepdeck test` is asked (its flags) and given (the plan main makes), what it
//! comes to per suite, and the exit status that follows.

use crate::domain::Millis;
use crate::domain::journal::JournalContext;
use crate::domain::suites::Suite;
use crate::domain::suites::runner::{Defaults, StepResult};
use crate::domain::suites::verdict::Verdict;
use std::path::PathBuf;
use std::sync::Arc;

/// How many runs of an independent suite may go at once, at most.
pub const MAX_CONCURRENCY: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// `stepdeck test [--suite NAME…] [--suites FILE] [--junit FILE] [--format text|json]`, with
/// the console's backend flags (`--local`, or `--profile` / `--region` / `--endpoint-url`).
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Run only this suite (repeat for more); every suite when none is named.
    #[arg(long = "suite", value_name = "NAME")]
    pub suite: Vec<String>,
    /// A suites file (TOML, `[[suites]]` tables) beside the built-in suites and the settings'.
    #[arg(long = "suites", value_name = "FILE")]
    pub suites_file: Option<PathBuf>,
    /// Also write the verdicts as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// The summary on stdout: a table (text) or JSON.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Runs of an independent suite that may go at once (1 to 8).
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u8).range(1..=MAX_CONCURRENCY as i64))]
    pub concurrency: u8,
}

/// Appends journal lines durably (the runtime's journal writer, handed in by `main`).
pub type JournalWriter = Arc<dyn Fn(&[String]) -> Result<(), String> + Send + Sync>;

/// Everything a run of suites needs besides the backend.
pub struct Plan {
    pub suites: Vec<Suite>,
    pub defaults: Defaults,
    /// The state machine of runs that name none (name or ARN).
    pub state_machine: Option<String>,
    pub collection: String,
    pub journal: JournalWriter,
    /// Where and as whom deletions happen, for the journal (`time` is set per record).
    pub journal_context: JournalContext,
    pub concurrency: usize,
    /// Between two looks at a running execution.
    pub poll_ms: u64,
    /// Epoch milliseconds now (the sandbox's clock on `--local`).
    pub now: Arc<dyn Fn() -> Millis + Send + Sync>,
}

/// The result of one suite.
#[derive(Debug, Clone)]
pub struct SuiteOutcome {
    pub name: String,
    pub steps: Vec<StepResult>,
    pub duration_ms: Millis,
}

impl SuiteOutcome {
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.verdict.passed())
    }
}

/// The process's exit status for these outcomes: 2 when a step could not be carried out
/// (the backend failed, a test case is unknown), else 1 when a verdict failed, else 0.
pub fn exit_status(outcomes: &[SuiteOutcome]) -> u8 {
    let verdicts = || outcomes.iter().flat_map(|o| &o.steps).map(|s| &s.verdict);
    if verdicts().any(|v| matches!(v, Verdict::Error(_))) {
        2
    } else if verdicts().any(|v| matches!(v, Verdict::Failed(_))) {
        1
    } else {
        0
    }
}
