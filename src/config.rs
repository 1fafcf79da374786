//! The settings file (`<config dir>/stepdeck/config.toml`): which state machine to open, the
//! refresh floor, the sandbox's behaviour. Problems are reported with file and line, and the
//! defaults stand in for whatever could not be read.

use serde::Deserialize;
use std::path::{Path, PathBuf};

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
        Ok(settings) => {
            let mut problems = Vec::new();
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
    fn a_missing_file_is_silent() {
        let (settings, problems) = load_settings(Path::new("/nonexistent/stepdeck/config.toml"));
        assert_eq!(settings, Settings::default());
        assert!(problems.is_empty());
    }
}
