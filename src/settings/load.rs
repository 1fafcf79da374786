//! Reading the settings file so that it fails closed: every valid key is kept, and every
//! problem — a syntax error, an unknown key, a wrong type, a number out of range, bytes that are
//! not UTF-8, a file that cannot be read — is reported with file and line. A file with any
//! problem cannot be read with certainty (the typo may be `read_onyl = true`), so the caller
//! starts read-only until it is fixed.

use super::model::{
    AwsTargetSettings, MAX_REFRESH_SECONDS, MAX_TRICKLE_SECONDS, MIN_REFRESH_SECONDS,
    MIN_TRICKLE_SECONDS, SandboxSettings, Settings, TestCaseSpec,
};
use crate::domain::lines::LineIndex;
use crate::domain::test_case::validate_input;
use serde::de::{DeserializeOwned, IntoDeserializer};
use std::io::Read;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Problems kept per file: a runaway file must not fill memory or the help screen.
const MAX_PROBLEMS: usize = 100;
/// The largest settings file read. Real ones are a few KB; the bound keeps `/dev/zero` or a
/// mistaken log file from filling memory.
pub const MAX_SETTINGS_BYTES: u64 = 16 * 1024 * 1024;

const TOP_LEVEL_KEYS: &[&str] = &[
    "state_machine",
    "refresh_seconds",
    "collection",
    "thumbnail_bucket",
    "journal_path",
    "sandbox",
    "read_only",
    "photo_bucket",
    "builtin_test_cases",
    "test_cases",
    "aws",
    "api_budget_share",
];
const SANDBOX_KEYS: &[&str] = &["trickle_seconds", "seed_runs", "transient_failure_rate"];
const TEST_CASE_KEYS: &[&str] = &["name", "input", "state_machine"];
const AWS_KEYS: &[&str] = &[
    "profile",
    "region",
    "state_machine",
    "collection",
    "thumbnail_bucket",
    "photo_bucket",
];

/// Loads the settings file. An absent file is no problem unless it was named (`--config`);
/// every problem returned means the file could not be read with certainty.
pub fn load_settings(path: &Path, named: bool) -> (Settings, Vec<String>) {
    let shown = path.display();
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !named => {
            return (Settings::default(), Vec::new());
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return (
                Settings::default(),
                vec![format!(
                    "{shown}: no such settings file (named by --config)"
                )],
            );
        }
        Err(error) => {
            return (
                Settings::default(),
                vec![format!("{shown}: cannot be read: {error}")],
            );
        }
    };
    let mut bytes = Vec::new();
    if let Err(error) = file.take(MAX_SETTINGS_BYTES + 1).read_to_end(&mut bytes) {
        return (
            Settings::default(),
            vec![format!("{shown}: cannot be read: {error}")],
        );
    }
    if bytes.len() as u64 > MAX_SETTINGS_BYTES {
        return (
            Settings::default(),
            vec![format!(
                "{shown}: larger than {} MiB, not read as settings",
                MAX_SETTINGS_BYTES / (1024 * 1024)
            )],
        );
    }
    parse_settings_bytes(path, bytes)
}

/// Parses settings bytes: text that is not UTF-8 is read with the bad bytes replaced, and
/// reported where the first one is.
fn parse_settings_bytes(path: &Path, bytes: Vec<u8>) -> (Settings, Vec<String>) {
    match String::from_utf8(bytes) {
        Ok(text) => parse_settings(path, &text),
        Err(error) => {
            let bad = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let line = LineIndex::new(&text).line_of(bad);
            let (settings, mut problems) = parse_settings(path, &text);
            problems.insert(
                0,
                format!(
                    "{}:{line}: not UTF-8 text (byte {bad}); read with the bad bytes replaced",
                    path.display()
                ),
            );
            (settings, problems)
        }
    }
}

/// Parses settings text, keeping every valid key and reporting every problem with its line.
pub fn parse_settings(path: &Path, text: &str) -> (Settings, Vec<String>) {
    let mut reader = Reader {
        path: path.display().to_string(),
        lines: LineIndex::new(text),
        problems: Vec::new(),
        dropped: 0,
    };
    let (table, errors) = DeTable::parse_recoverable(text);
    for error in errors {
        let at = error.span().map_or(0, |span| span.start);
        reader.problem(at, error.message().trim());
    }
    let mut settings = reader.settings(table);
    reader.check_test_cases(&mut settings.test_cases);
    (settings, reader.finish())
}

/// Walks the parsed tree against the schema of `Settings`, collecting problems.
struct Reader {
    path: String,
    lines: LineIndex,
    /// (line, message), sorted by line when finished.
    problems: Vec<(usize, String)>,
    dropped: usize,
}

type Entry<'t> = (Spanned<std::borrow::Cow<'t, str>>, Spanned<DeValue<'t>>);

impl Reader {
    fn problem(&mut self, offset: usize, message: impl std::fmt::Display) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.dropped += 1;
            return;
        }
        let line = self.lines.line_of(offset);
        self.problems
            .push((line, format!("{}:{line}: {message}", self.path)));
    }

    fn finish(mut self) -> Vec<String> {
        self.problems.sort_by_key(|(line, _)| *line);
        let mut problems: Vec<String> = self.problems.into_iter().map(|(_, p)| p).collect();
        if self.dropped > 0 {
            problems.push(format!(
                "{}: {} more problems not listed",
                self.path, self.dropped
            ));
        }
        problems
    }

    fn unknown_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        known: &[&str],
        within: &str,
    ) {
        let name = key.get_ref();
        // Jaro-Winkler favours a shared beginning, which is how setting names get mistyped
        // (`refresh_secs`), as clap's suggestions do.
        let hint = known
            .iter()
            .map(|k| (strsim::jaro_winkler(k, name), k))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        self.problem(
            key.span().start,
            format!("unknown key `{name}`{within}{hint}; ignored"),
        );
    }

    /// The value as a `T`, or a problem naming the key and what was expected.
    fn value<T: DeserializeOwned>(&mut self, key: &str, value: Spanned<DeValue<'_>>) -> Option<T> {
        let start = value.span().start;
        match T::deserialize(value.into_deserializer()) {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                let at = error.span().map_or(start, |span| span.start);
                self.problem(at, format!("`{key}`: {}; ignored", error.message().trim()));
                None
            }
        }
    }

    /// A number of seconds (or a rate) that must be finite and within `min..=max`.
    fn number(
        &mut self,
        key: &str,
        value: Spanned<DeValue<'_>>,
        min: f64,
        max: f64,
        unit: &str,
    ) -> Option<f64> {
        let start = value.span().start;
        let number: f64 = self.value(key, value)?;
        if number.is_finite() && (min..=max).contains(&number) {
            return Some(number);
        }
        self.problem(
            start,
            format!("`{key}` = {number} is not between {min} and {max}{unit}; ignored"),
        );
        None
    }

    fn table<'t>(&mut self, key: &str, value: Spanned<DeValue<'t>>) -> Option<Vec<Entry<'t>>> {
        let start = value.span().start;
        match value.into_inner() {
            DeValue::Table(table) => Some(table.into_iter().collect()),
            other => {
                self.problem(
                    start,
                    format!("`{key}` must be a table, not {}; ignored", kind(&other)),
                );
                None
            }
        }
    }

    fn array_of_tables<'t>(
        &mut self,
        key: &str,
        value: Spanned<DeValue<'t>>,
    ) -> Vec<(usize, Vec<Entry<'t>>)> {
        let start = value.span().start;
        let DeValue::Array(items) = value.into_inner() else {
            self.problem(
                start,
                format!("`{key}` must be an array of tables ([[{key}]]); ignored"),
            );
            return Vec::new();
        };
        items
            .into_iter()
            .filter_map(|item| {
                let at = item.span().start;
                self.table(key, item).map(|entries| (at, entries))
            })
            .collect()
    }

    fn settings(&mut self, root: Spanned<DeTable<'_>>) -> Settings {
        let mut s = Settings::default();
        for (key, value) in root.into_inner() {
            let name = key.get_ref().as_ref();
            match name {
                "state_machine" => s.state_machine = self.value(name, value),
                "refresh_seconds" => s.refresh_seconds = self.refresh_seconds(value),
                "collection" => s.collection = self.value(name, value),
                "thumbnail_bucket" => s.thumbnail_bucket = self.value(name, value),
                "journal_path" => s.journal_path = self.value::<PathBuf>(name, value),
                "sandbox" => s.sandbox = self.sandbox(value),
                "read_only" => s.read_only = self.value(name, value),
                "photo_bucket" => s.photo_bucket = self.value(name, value),
                "builtin_test_cases" => s.builtin_test_cases = self.value(name, value),
                "test_cases" => s.test_cases = self.test_cases(value),
                "aws" => s.aws = self.aws_tables(value),
                // Above 0 (a budget of nothing would send nothing); 1 is the whole quota.
                "api_budget_share" => s.api_budget_share = self.number(name, value, 0.001, 1.0, ""),
                _ => self.unknown_key(&key, TOP_LEVEL_KEYS, ""),
            }
        }
        s
    }

    /// Below the floor is raised to it (and reported): the wish for a fast list is clear.
    fn refresh_seconds(&mut self, value: Spanned<DeValue<'_>>) -> Option<f64> {
        let start = value.span().start;
        let key = "refresh_seconds";
        let seconds = self.number(key, value, 0.0, MAX_REFRESH_SECONDS, " s")?;
        if seconds < MIN_REFRESH_SECONDS {
            self.problem(
                start,
                format!("`{key}` = {seconds} is below the floor; using {MIN_REFRESH_SECONDS}"),
            );
            return Some(MIN_REFRESH_SECONDS);
        }
        Some(seconds)
    }

    fn sandbox(&mut self, value: Spanned<DeValue<'_>>) -> SandboxSettings {
        let mut sandbox = SandboxSettings::default();
        for (key, value) in self.table("sandbox", value).unwrap_or_default() {
            let name = key.get_ref().as_ref();
            match name {
                // 0 turns the trickle off; otherwise the floor keeps a core from spinning.
                "trickle_seconds" => {
                    let start = value.span().start;
                    sandbox.trickle_seconds = self
                        .number(name, value, 0.0, MAX_TRICKLE_SECONDS, " s")
                        .and_then(|s| {
                            if s == 0.0 || s >= MIN_TRICKLE_SECONDS {
                                return Some(s);
                            }
                            self.problem(
                                start,
                                format!(
                                    "`trickle_seconds` = {s} is below the floor of \
                                     {MIN_TRICKLE_SECONDS} s (0 turns the trickle off); ignored"
                                ),
                            );
                            None
                        })
                }
                "seed_runs" => sandbox.seed_runs = self.value(name, value),
                "transient_failure_rate" => {
                    sandbox.transient_failure_rate = self.number(name, value, 0.0, 1.0, "")
                }
                _ => self.unknown_key(&key, SANDBOX_KEYS, " in [sandbox]"),
            }
        }
        sandbox
    }

    fn test_cases(&mut self, value: Spanned<DeValue<'_>>) -> Vec<TestCaseSpec> {
        let mut cases = Vec::new();
        for (at, entries) in self.array_of_tables("test_cases", value) {
            let (mut name, mut input, mut state_machine) = (None, None, None);
            for (key, value) in entries {
                match key.get_ref().as_ref() {
                    "name" => name = self.value::<String>("name", value),
                    "input" => {
                        let span = value.span();
                        input = self
                            .value::<String>("input", value)
                            .map(|text| Spanned::new(span, text));
                    }
                    "state_machine" => state_machine = self.value("state_machine", value),
                    _ => self.unknown_key(&key, TEST_CASE_KEYS, " in [[test_cases]]"),
                }
            }
            match (name, input) {
                (Some(name), Some(input)) => cases.push(TestCaseSpec {
                    name,
                    input,
                    state_machine,
                }),
                (name, _) => {
                    let missing = if name.is_none() { "name" } else { "input" };
                    self.problem(
                        at,
                        format!("a [[test_cases]] table without `{missing}`; skipped"),
                    );
                }
            }
        }
        cases
    }

    fn aws_tables(&mut self, value: Spanned<DeValue<'_>>) -> Vec<AwsTargetSettings> {
        let mut tables = Vec::new();
        for (_, entries) in self.array_of_tables("aws", value) {
            let mut aws = AwsTargetSettings::default();
            for (key, value) in entries {
                let name = key.get_ref().as_ref();
                let slot = match name {
                    "profile" => &mut aws.profile,
                    "region" => &mut aws.region,
                    "state_machine" => &mut aws.state_machine,
                    "collection" => &mut aws.collection,
                    "thumbnail_bucket" => &mut aws.thumbnail_bucket,
                    "photo_bucket" => &mut aws.photo_bucket,
                    _ => {
                        self.unknown_key(&key, AWS_KEYS, " in [[aws]]");
                        continue;
                    }
                };
                *slot = self.value(name, value);
            }
            tables.push(aws);
        }
        tables
    }

    /// Drops test cases whose input is not JSON or whose name is taken, reporting each with
    /// the file's line and the JSON's own line and column.
    fn check_test_cases(&mut self, cases: &mut Vec<TestCaseSpec>) {
        let mut seen = std::collections::HashSet::new();
        cases.retain(|case| {
            let at = case.input.span().start;
            if !seen.insert(case.name.clone()) {
                self.problem(
                    at,
                    format!(
                        "test case `{}` is defined twice (the first one is kept)",
                        case.name
                    ),
                );
                return false;
            }
            match validate_input(case.input.get_ref()) {
                Ok(_) => true,
                Err(problem) => {
                    self.problem(
                        at,
                        format!(
                            "test case `{}`: input is not valid JSON ({problem}); skipped",
                            case.name
                        ),
                    );
                    false
                }
            }
        });
    }
}

fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
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
        // The valid key beside it is kept.
        assert_eq!(settings.refresh_seconds, Some(3.0));
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
        let (settings, problems) =
            load_settings(Path::new("/nonexistent/stepdeck/config.toml"), false);
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

    fn parse(text: &str) -> (Settings, Vec<String>) {
        parse_settings(Path::new("c.toml"), text)
    }

    #[test]
    fn a_typo_beside_read_only_keeps_read_only_and_every_valid_key() {
        let (settings, problems) = parse(
            "read_only = true
refresh_secs = 5
collection = \"faces\"\n",
        );
        assert_eq!(settings.read_only, Some(true));
        assert_eq!(settings.collection.as_deref(), Some("faces"));
        assert_eq!(
            problems,
            ["c.toml:2: unknown key `refresh_secs` (did you mean `refresh_seconds`?); ignored"]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line_in_line_order() {
        let text = "read_only = \"yes\"\nstate_machine = 3\n[sandbox]\nseed_runs = true\n\
                    transient_failure_rate = 2\n[[test_cases]]\nname = \"no input\"\n";
        let (settings, problems) = parse(text);
        assert_eq!(settings.sandbox.seed_runs, Some(true));
        assert_eq!(settings.read_only, None);
        let lines: Vec<&str> = problems
            .iter()
            .map(|p| p.split(':').nth(1).unwrap())
            .collect();
        assert_eq!(lines, ["1", "2", "5", "6"], "{problems:#?}");
        assert!(
            problems[2].contains("not between 0 and 1"),
            "{}",
            problems[2]
        );
        assert!(problems[3].contains("without `input`"), "{}", problems[3]);
    }

    #[test]
    fn numbers_must_be_finite_and_in_range() {
        for (text, key) in [
            ("refresh_seconds = nan\n", "refresh_seconds"),
            ("refresh_seconds = inf\n", "refresh_seconds"),
            ("refresh_seconds = 1e20\n", "refresh_seconds"),
            ("[sandbox]\ntrickle_seconds = nan\n", "trickle_seconds"),
            ("[sandbox]\ntrickle_seconds = 0.001\n", "trickle_seconds"),
            ("[sandbox]\ntrickle_seconds = -1\n", "trickle_seconds"),
            (
                "[sandbox]\ntransient_failure_rate = -0.5\n",
                "transient_failure_rate",
            ),
        ] {
            let (settings, problems) = parse(text);
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            assert!(problems[0].contains(key), "{text}: {problems:?}");
            assert_eq!(settings.refresh_seconds, None, "{text}");
            assert_eq!(settings.sandbox.trickle_seconds, None, "{text}");
            assert_eq!(settings.sandbox.transient_failure_rate, None, "{text}");
        }
        let (settings, problems) = parse("[sandbox]\ntrickle_seconds = 0\n");
        assert!(problems.is_empty(), "0 turns the trickle off: {problems:?}");
        assert_eq!(settings.sandbox.trickle_seconds, Some(0.0));
    }

    #[test]
    fn a_syntax_error_keeps_the_keys_that_parse() {
        let (settings, problems) = parse("read_only = true\ncollection = \"unterminated\n");
        assert_eq!(settings.read_only, Some(true));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("c.toml:2: "), "{problems:?}");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_reported_and_the_rest_is_read() {
        let bytes = b"read_only = true\n# caf\xe9\ncollection = \"faces\"\n".to_vec();
        let (settings, problems) = parse_settings_bytes(Path::new("c.toml"), bytes);
        assert_eq!(settings.read_only, Some(true));
        assert_eq!(settings.collection.as_deref(), Some("faces"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("c.toml:2: not UTF-8"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_named_settings_file_must_exist() {
        let path = Path::new("/nonexistent/stepdeck/named.toml");
        let (_, problems) = load_settings(path, true);
        assert_eq!(
            problems,
            ["/nonexistent/stepdeck/named.toml: no such settings file (named by --config)"]
        );
    }

    #[test]
    fn an_unreadable_or_huge_file_is_a_problem() {
        let dir = std::env::temp_dir().join(format!("stepdeck-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A directory cannot be read as a file.
        let (_, problems) = load_settings(&dir, false);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("cannot be read"), "{problems:?}");
        let (_, problems) = load_settings(Path::new("/dev/zero"), false);
        assert!(problems[0].contains("larger than 16 MiB"), "{problems:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_runaway_file_keeps_a_bounded_list_of_problems() {
        let text = "bad_key = 1\n".repeat(10_000);
        let (_, problems) = parse(&text);
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert!(
            problems
                .last()
                .unwrap()
                .contains("9900 more problems not listed")
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_without_panicking(text in ".{0,400}") {
            let _ = parse(&text);
        }

        #[test]
        fn any_bytes_read_without_panicking(bytes in proptest::collection::vec(0u8..=255, 0..400)) {
            let _ = parse_settings_bytes(Path::new("c.toml"), bytes);
        }

        #[test]
        fn toml_shaped_text_reads_without_panicking(
            lines in proptest::collection::vec(
                ("(read_only|refresh_seconds|sandbox|test_cases|aws|name|input|x)",
                 "(true|1|-1|nan|inf|1e400|\"s\"|\\[1\\]|\\{\\}|\\[\\[aws\\]\\]|\\[sandbox\\])"),
                0..30,
            )
        ) {
            let text: String = lines.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            let _ = parse(&text);
        }
    }
}
