//! `AppOptions`: the start-up choices that shape the console, from the command line and the
//! settings file (and, after `:profile` / `:region`, from the new connection's settings).

/// The shortest list refresh interval: faster would spend the account's API budget.
pub const MIN_REFRESH_INTERVAL_MS: crate::domain::Millis = 250;
/// The longest list refresh interval. Whatever reaches the app (a huge or non-finite number
/// of seconds converted to milliseconds) is brought within reach of the due-time arithmetic.
pub const MAX_REFRESH_INTERVAL_MS: crate::domain::Millis = 3_600_000;

/// Start-up choices that shape the app (from the CLI and the settings file).
#[derive(Debug, Clone, PartialEq)]
pub struct AppOptions {
    /// State machine to open first (name or ARN); the first listed one otherwise.
    pub state_machine: Option<String>,
    /// The list refresh interval as given; read it through `refresh_interval`, which keeps
    /// it within `MIN_REFRESH_INTERVAL_MS..=MAX_REFRESH_INTERVAL_MS`.
    pub refresh_interval_ms: i64,
    /// Problems found in the settings file, shown at start and in help. Any one of them makes
    /// the console read-only (`ReadOnlyCause::SettingsProblems`).
    pub settings_problems: Vec<String>,
    /// Problems found in the keymap file (the entry is skipped), shown at start and in help.
    pub keymap_problems: Vec<String>,
    /// Face collection of the faces screen.
    pub collection: String,
    /// Bucket of the thumbnails screen; found among the buckets when None.
    pub thumbnail_bucket: Option<String>,
    /// Deletion journal (JSON lines); deleting is refused without one.
    pub journal_path: Option<std::path::PathBuf>,
    /// Why the journal cannot be written, found at start: deleting is refused.
    pub journal_problem: Option<String>,
    /// What opening the on-disk store said at start (it could not be opened, or a corrupt
    /// file was moved aside): said once; the console works without the store.
    pub store_problem: Option<String>,
    /// Refuse every mutating action (`--read-only`, `read_only = true`, a settings problem).
    pub read_only: bool,
    /// Why `read_only` is on, for the header and the refusals.
    pub read_only_cause: ReadOnlyCause,
    /// The test-case library offered by `s` and `:run`.
    pub test_cases: Vec<crate::domain::test_case::TestCase>,
    /// The settings file "save as test case" appends to; None: saving is unavailable.
    pub settings_path: Option<std::path::PathBuf>,
    /// The AWS profile and region connected to; None on the local sandbox.
    pub aws_target: Option<crate::backend::AwsTarget>,
    /// Profiles of the AWS config files, offered by `:profile`.
    pub aws_profiles: Vec<String>,
    /// The built-in test cases need the photo bucket, to be found among the buckets.
    pub find_photo_bucket: bool,
    /// The test suites of the tests screen (built-in and the user's).
    pub suites: Vec<crate::domain::suites::Suite>,
    /// Open on the dashboard rather than the executions list (`start_screen = "dashboard"`).
    pub start_dashboard: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            state_machine: None,
            refresh_interval_ms: 2_000,
            settings_problems: Vec::new(),
            keymap_problems: Vec::new(),
            collection: crate::settings::DEFAULT_COLLECTION.to_string(),
            thumbnail_bucket: None,
            journal_path: None,
            journal_problem: None,
            store_problem: None,
            read_only: false,
            read_only_cause: ReadOnlyCause::Flag,
            test_cases: Vec::new(),
            settings_path: None,
            aws_target: None,
            aws_profiles: Vec::new(),
            find_photo_bucket: false,
            suites: Vec::new(),
            start_dashboard: false,
        }
    }
}

/// Why the console is read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyCause {
    /// `--read-only` on the command line.
    Flag,
    /// `read_only = true` in the settings file.
    Setting,
    /// The settings file has a problem, so its `read_only` cannot be trusted to be off: the
    /// console fails closed until the file is fixed.
    SettingsProblems,
}

impl ReadOnlyCause {
    /// How a refusal explains itself: "(started with --read-only)".
    pub fn explain(self) -> &'static str {
        match self {
            ReadOnlyCause::Flag => "started with --read-only",
            ReadOnlyCause::Setting => "read_only = true in the settings",
            ReadOnlyCause::SettingsProblems => {
                "the settings file has problems (see ? help); fix them and restart"
            }
        }
    }
}

impl AppOptions {
    /// The list refresh interval, within `MIN_REFRESH_INTERVAL_MS..=MAX_REFRESH_INTERVAL_MS`.
    pub fn refresh_interval(&self) -> crate::domain::Millis {
        self.refresh_interval_ms
            .clamp(MIN_REFRESH_INTERVAL_MS, MAX_REFRESH_INTERVAL_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refresh_interval_stays_within_its_range() {
        let with = |refresh_interval_ms| AppOptions {
            refresh_interval_ms,
            ..AppOptions::default()
        };
        assert_eq!(with(2_000).refresh_interval(), 2_000);
        assert_eq!(with(i64::MIN).refresh_interval(), MIN_REFRESH_INTERVAL_MS);
        assert_eq!(with(0).refresh_interval(), MIN_REFRESH_INTERVAL_MS);
        assert_eq!(with(i64::MAX).refresh_interval(), MAX_REFRESH_INTERVAL_MS);
    }
}
