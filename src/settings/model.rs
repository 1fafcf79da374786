//! What the settings file says: the `Settings` tree serde reads, its defaults, and how it
//! applies to one profile and region.

use crate::backend::AwsTarget;
use crate::domain::test_case::TestCase;
use serde::Deserialize;
use std::path::PathBuf;

/// The smallest list refresh interval the console accepts: below it a live list would spend
/// the account's ListExecutions budget for no visible gain.
pub const MIN_REFRESH_SECONDS: f64 = 1.0;
pub const DEFAULT_REFRESH_SECONDS: f64 = 2.0;
/// The largest list refresh interval: an hour is "never" for a live list, and bounding it keeps
/// every due-time sum far from overflow.
pub const MAX_REFRESH_SECONDS: f64 = 3_600.0;
/// The sandbox trickle's shortest interval: below it drawing and running photos keeps a core
/// busy. The same floor as `--trickle` and the sandbox's own bound
/// (`backend::local::options::MIN_TRICKLE_INTERVAL`), which settings may not import.
pub const MIN_TRICKLE_SECONDS: f64 = 1.0;
/// The sandbox trickle's longest interval (a day).
pub const MAX_TRICKLE_SECONDS: f64 = 86_400.0;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// State machine to open first (name or ARN).
    pub state_machine: Option<String>,
    /// The screen shown at start: `executions` (the default) or `dashboard`.
    pub start_screen: Option<String>,
    /// List refresh interval in seconds (floored at `MIN_REFRESH_SECONDS`).
    pub refresh_seconds: Option<f64>,
    /// Rekognition face collection of the faces view (default `rider-photos`).
    pub collection: Option<String>,
    /// Bucket of the thumbnails view; discovered from the bucket names when absent.
    pub thumbnail_bucket: Option<String>,
    /// Journal of deletions (JSON lines); default `<data dir>/stepdeck/deletions.jsonl`.
    pub journal_path: Option<PathBuf>,
    #[serde(default)]
    pub sandbox: SandboxSettings,
    /// Refuse every mutating action (start, rerun, stop, redrive, deletes), like `--read-only`.
    pub read_only: Option<bool>,
    /// The bucket the built-in test cases read photos from (default: the backend's own).
    pub photo_bucket: Option<String>,
    /// Offer the seed's four photos as built-in test cases (default true).
    pub builtin_test_cases: Option<bool>,
    /// The user's test cases (`[[test_cases]]` tables), after the built-in ones.
    #[serde(default)]
    pub test_cases: Vec<TestCaseSpec>,
    /// The share (0.001 to 1, default 0.1) of each AWS API's published rate and bucket the
    /// console allows itself, per account and region (`backend::aws::quotas`).
    pub api_budget_share: Option<f64>,
    /// Keep finished executions in the on-disk store (default true; `false`: every start
    /// asks AWS again, and nothing can be shown offline).
    pub store: Option<bool>,
    /// Where the store lives (default `<data dir>/stepdeck/store.sqlite3`).
    pub store_path: Option<PathBuf>,
    /// The store's size limit in MB (default 256); the least recently read histories go
    /// first when it is reached.
    pub store_limit_mb: Option<f64>,
    /// What to open per AWS profile and region (`[[aws]]` tables), over the values above. The
    /// console writes these itself when the user picks a state machine, collection or bucket.
    #[serde(default)]
    pub aws: Vec<AwsTargetSettings>,
    /// The user's test suites (`[[suites]]` tables, `domain::suites::file`).
    #[serde(skip)]
    pub suites: Vec<crate::domain::suites::Suite>,
}

/// One `[[aws]]` table: the choices for a profile and region (an absent `profile` or `region`
/// matches every one; the more specific table wins).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsTargetSettings {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub state_machine: Option<String>,
    pub collection: Option<String>,
    pub thumbnail_bucket: Option<String>,
    pub photo_bucket: Option<String>,
}

/// A choice the console remembers per profile and region (a key of `[[aws]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RememberedChoice {
    StateMachine,
    Collection,
    ThumbnailBucket,
}

impl RememberedChoice {
    pub fn key(self) -> &'static str {
        match self {
            RememberedChoice::StateMachine => "state_machine",
            RememberedChoice::Collection => "collection",
            RememberedChoice::ThumbnailBucket => "thumbnail_bucket",
        }
    }
}

/// One `[[test_cases]]` table: `name = "…"`, `input = '{"userId": …}'`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCaseSpec {
    pub name: String,
    /// JSON text; kept with its position to report a bad one at its line.
    pub input: toml::Spanned<String>,
    /// State machine (name or ARN) to start it on; the selected one when absent.
    pub state_machine: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxSettings {
    /// Start a new pipeline run every N seconds; 0 turns the trickle off.
    pub trickle_seconds: Option<f64>,
    /// Run the four seed test cases at start.
    pub seed_runs: Option<bool>,
    /// Record a day of simulated runs before the start (for the dashboard).
    pub backfill: Option<bool>,
    /// Chance (0..1) that a Lambda call fails transiently (absorbed by the Retry block).
    pub transient_failure_rate: Option<f64>,
}

impl Settings {
    /// These settings as they apply on `target`: the matching `[[aws]]` tables override the
    /// top-level values, the ones naming both profile and region last.
    pub fn for_target(&self, target: &AwsTarget) -> Settings {
        let mut resolved = self.clone();
        let matching = |entry: &&AwsTargetSettings| {
            entry.profile.as_ref().is_none_or(|p| *p == target.profile)
                && entry.region.as_ref().is_none_or(|r| *r == target.region)
        };
        let mut entries: Vec<&AwsTargetSettings> = self.aws.iter().filter(matching).collect();
        // Stable: among equally specific tables the later one in the file wins.
        entries.sort_by_key(|e| e.profile.is_some() as u8 + e.region.is_some() as u8);
        for entry in entries {
            let overrides = [
                (&mut resolved.state_machine, &entry.state_machine),
                (&mut resolved.collection, &entry.collection),
                (&mut resolved.thumbnail_bucket, &entry.thumbnail_bucket),
                (&mut resolved.photo_bucket, &entry.photo_bucket),
            ];
            for (value, wanted) in overrides {
                if wanted.is_some() {
                    value.clone_from(wanted);
                }
            }
        }
        resolved
    }

    /// The refresh interval in milliseconds after applying the floor.
    pub fn refresh_interval_ms(&self) -> i64 {
        let seconds = self.refresh_seconds.unwrap_or(DEFAULT_REFRESH_SECONDS);
        // `clamp` keeps NaN as NaN, and `as` turns NaN into 0: fall back to the default first.
        let seconds = if seconds.is_finite() {
            seconds
        } else {
            DEFAULT_REFRESH_SECONDS
        };
        (seconds.clamp(MIN_REFRESH_SECONDS, MAX_REFRESH_SECONDS) * 1000.0) as i64
    }
}

/// The face collection the pipeline indexes riders into.
pub const DEFAULT_COLLECTION: &str = "rider-photos";

/// `$XDG_DATA_HOME/stepdeck/deletions.jsonl` (or the platform's data dir): where every
/// deletion made from the console is recorded.
pub fn default_journal_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("stepdeck").join("deletions.jsonl"))
}

impl Settings {
    /// The collection to show: the settings' one, else the pipeline's default.
    pub fn collection(&self) -> String {
        self.collection
            .clone()
            .unwrap_or_else(|| DEFAULT_COLLECTION.to_string())
    }

    /// The journal file: the settings' path, else the default location.
    pub fn journal_path(&self) -> Option<PathBuf> {
        self.journal_path.clone().or_else(default_journal_path)
    }
}

/// `$XDG_CONFIG_HOME/stepdeck` (or the platform's config dir).
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("stepdeck"))
}

impl Settings {
    /// The user's valid test cases, as the app's library takes them.
    pub fn user_test_cases(&self) -> Vec<TestCase> {
        self.test_cases
            .iter()
            .map(|spec| TestCase {
                name: spec.name.clone(),
                input: spec.input.get_ref().clone(),
                state_machine: spec.state_machine.clone(),
            })
            .collect()
    }

    /// The test-case library: the seed's photos in `default_photo_bucket` (the backend's; the
    /// `photo_bucket` setting wins) unless turned off, then the user's own.
    pub fn test_case_library(&self, default_photo_bucket: Option<&str>) -> Vec<TestCase> {
        let bucket = self.photo_bucket.as_deref().or(default_photo_bucket);
        let builtin = bucket.filter(|_| self.builtin_test_cases.unwrap_or(true));
        crate::domain::test_case::library(builtin, self.user_test_cases())
    }
}
