//! Reading the settings file: every problem reported with file and line.

use super::model::{MIN_REFRESH_SECONDS, Settings, TestCaseSpec};
use crate::domain::test_case::validate_input;
use std::path::Path;

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
    use crate::backend::AwsTarget;
    use crate::settings::model::*;
    use std::path::PathBuf;

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
