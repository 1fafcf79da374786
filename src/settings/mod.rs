//! The settings file (`<config dir>/stepdeck/config.toml`): which state machine to open, the
//! refresh floor, the sandbox's behaviour, read-only mode and the test-case library (saving
//! one appends a `[[test_cases]]` table, leaving the rest of the file as it was), with
//! per-profile/region `[[aws]]` tables. Problems are reported with file and line, and the
//! defaults stand in for whatever could not be read. The edits that keep comments are `edit.rs`.

use crate::backend::AwsTarget;
use crate::domain::test_case::{TestCase, validate_input};
use serde::Deserialize;
use std::path::{Path, PathBuf};

mod edit;
pub use edit::{append_test_case, remember_choice, settings_remembering, settings_with_test_case};

/// The smallest list refresh interval the console accepts: below it a live list would spend
/// the account's ListExecutions budget for no visible gain.
pub const MIN_REFRESH_SECONDS: f64 = 1.0;
pub const DEFAULT_REFRESH_SECONDS: f64 = 2.0;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// State machine to open first (name or ARN).
    pub state_machine: Option<String>,
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
    /// What to open per AWS profile and region (`[[aws]]` tables), over the values above. The
    /// console writes these itself when the user picks a state machine, collection or bucket.
    #[serde(default)]
    pub aws: Vec<AwsTargetSettings>,
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
        (seconds.max(MIN_REFRESH_SECONDS) * 1000.0) as i64
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

/// Parses settings text; on error returns the defaults and a message naming file and line.
pub fn parse_settings(path: &Path, text: &str) -> (Settings, Vec<String>) {
    match toml::from_str::<Settings>(text) {
        Ok(mut settings) => {
            let mut problems = check_test_cases(path, text, &mut settings.test_cases);
            if let Some(seconds) = settings.refresh_seconds
                && seconds < MIN_REFRESH_SECONDS
            {
                problems.push(format!(
                    "{}: refresh_seconds = {seconds} is below the floor; using {MIN_REFRESH_SECONDS}",
                    path.display()
                ));
            }
            (settings, problems)
        }
        Err(error) => {
            let line = error.span().map(|span| line_of(text, span.start));
            let location = match line {
                Some(line) => format!("{}:{line}", path.display()),
                None => path.display().to_string(),
            };
            let message = error.message().to_string();
            (
                Settings::default(),
                vec![format!(
                    "{location}: {message} (settings ignored, defaults used)"
                )],
            )
        }
    }
}

/// Drops test cases whose input is not JSON or whose name is taken, reporting each with
/// the file's line and the JSON's own line and column.
fn check_test_cases(path: &Path, text: &str, cases: &mut Vec<TestCaseSpec>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    cases.retain(|case| {
        let line = line_of(text, case.input.span().start);
        let at = format!("{}:{line}", path.display());
        if seen.contains(&case.name) {
            problems.push(format!(
                "{at}: test case `{}` is defined twice (the first one is kept)",
                case.name
            ));
            return false;
        }
        seen.push(case.name.clone());
        match validate_input(case.input.get_ref()) {
            Ok(_) => true,
            Err(problem) => {
                problems.push(format!(
                    "{at}: test case `{}`: input is not valid JSON ({problem}); skipped",
                    case.name
                ));
                false
            }
        }
    });
    problems
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

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Loads the settings file if it exists (a missing file is not a problem).
pub fn load_settings(path: &Path) -> (Settings, Vec<String>) {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_settings(path, &text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => (Settings::default(), vec![]),
        Err(error) => (
            Settings::default(),
            vec![format!("{}: {error} (defaults used)", path.display())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_settings_file() {
        let text = "state_machine = \"RiderPhotoProcessing\"\nrefresh_seconds = 5\n\n[sandbox]\ntrickle_seconds = 0\nseed_runs = false\n";
        let (settings, problems) = parse_settings(Path::new("config.toml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            settings.state_machine.as_deref(),
            Some("RiderPhotoProcessing")
        );
        assert_eq!(settings.refresh_interval_ms(), 5_000);
        assert_eq!(settings.sandbox.trickle_seconds, Some(0.0));
        assert_eq!(settings.sandbox.seed_runs, Some(false));
    }

    #[test]
    fn an_unknown_key_is_reported_with_file_and_line() {
        let text = "refresh_seconds = 3\n\n[sandbox]\ntrickle = 4\n";
        let (settings, problems) = parse_settings(Path::new("/home/u/config.toml"), text);
        assert_eq!(settings, Settings::default());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("/home/u/config.toml:4: "),
            "{}",
            problems[0]
        );
        assert!(problems[0].contains("trickle"), "{}", problems[0]);
    }

    #[test]
    fn refresh_below_the_floor_is_raised_and_reported() {
        let (settings, problems) = parse_settings(Path::new("c.toml"), "refresh_seconds = 0.1");
        assert_eq!(settings.refresh_interval_ms(), 1_000);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn faces_and_thumbnails_settings_override_the_defaults() {
        let (defaults, _) = parse_settings(Path::new("c.toml"), "");
        assert_eq!(defaults.collection(), "rider-photos");
        assert_eq!(defaults.thumbnail_bucket, None);
        let text = "collection = \"test-faces\"\nthumbnail_bucket = \"thumbs\"\njournal_path = \"/var/log/sd.jsonl\"\n";
        let (settings, problems) = parse_settings(Path::new("c.toml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.collection(), "test-faces");
        assert_eq!(settings.thumbnail_bucket.as_deref(), Some("thumbs"));
        assert_eq!(
            settings.journal_path(),
            Some(PathBuf::from("/var/log/sd.jsonl"))
        );
    }

    #[test]
    fn test_cases_load_and_a_bad_input_is_reported_at_its_line() {
        let text = "refresh_seconds = 3\n\n[[test_cases]]\nname = \"mine\"\ninput = '{\"userId\":\"u\"}'\n\n[[test_cases]]\nname = \"broken\"\ninput = '{\"userId\": }'\n";
        let (settings, problems) = parse_settings(Path::new("c.toml"), text);
        assert_eq!(
            settings.refresh_interval_ms(),
            3_000,
            "the rest still applies"
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "c.toml:9: test case `broken`: input is not valid JSON (line 1, column 12:"
            ),
            "{}",
            problems[0]
        );
        let names: Vec<String> = settings
            .test_case_library(Some("bucket"))
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            names,
            [
                "1_happy_face",
                "2_sunglass_face",
                "3_multiple_faces",
                "4_no_face",
                "mine"
            ]
        );
    }

    #[test]
    fn the_photo_bucket_setting_and_the_builtin_switch_shape_the_library() {
        let (settings, _) = parse_settings(Path::new("c.toml"), "photo_bucket = \"prod-photos\"\n");
        let library = settings.test_case_library(Some("sandbox-photos"));
        assert!(
            library[0].input.contains("\"s3Bucket\":\"prod-photos\""),
            "{library:?}"
        );
        let (off, _) = parse_settings(Path::new("c.toml"), "builtin_test_cases = false\n");
        assert!(off.test_case_library(Some("b")).is_empty());
        assert!(
            Settings::default().test_case_library(None).is_empty(),
            "no bucket, no built-ins"
        );
        let (ro, _) = parse_settings(Path::new("c.toml"), "read_only = true\n");
        assert_eq!(ro.read_only, Some(true));
    }

    #[test]
    fn a_missing_file_is_silent() {
        let (settings, problems) = load_settings(Path::new("/nonexistent/stepdeck/config.toml"));
        assert_eq!(settings, Settings::default());
        assert!(problems.is_empty());
    }

    fn target(profile: &str, region: &str) -> AwsTarget {
        AwsTarget {
            profile: profile.into(),
            region: region.into(),
        }
    }

    #[test]
    fn aws_tables_override_the_top_level_the_most_specific_last() {
        let text = r#"
state_machine = "Top"
collection = "top-faces"

[[aws]]
profile = "prod"
region = "eu-west-1"
state_machine = "ProdIreland"

[[aws]]
profile = "prod"
state_machine = "ProdAnywhere"
thumbnail_bucket = "prod-thumbs"

[[aws]]
region = "eu-west-1"
collection = "ireland-faces"
"#;
        let (settings, problems) = parse_settings(Path::new("c.toml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        let ireland = settings.for_target(&target("prod", "eu-west-1"));
        assert_eq!(ireland.state_machine.as_deref(), Some("ProdIreland"));
        assert_eq!(ireland.thumbnail_bucket.as_deref(), Some("prod-thumbs"));
        assert_eq!(ireland.collection(), "ireland-faces");
        let virginia = settings.for_target(&target("prod", "us-east-1"));
        assert_eq!(virginia.state_machine.as_deref(), Some("ProdAnywhere"));
        assert_eq!(virginia.collection(), "top-faces");
        let dev = settings.for_target(&target("dev", "us-east-1"));
        assert_eq!(dev.state_machine.as_deref(), Some("Top"));
        assert_eq!(dev.thumbnail_bucket, None);
    }
}
