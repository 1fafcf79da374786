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
use crate::domain::suites::file::{Source, parse_suites};
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
    "start_screen",
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
    "store",
    "store_path",
    "store_limit_mb",
    "suites",
];
const SANDBOX_KEYS: &[&str] = &[
    "trickle_seconds",
    "seed_runs",
    "backfill",
    "transient_failure_rate",
];
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
    let has_suites = table
        .get_ref()
        .iter()
        .any(|(key, _)| key.get_ref() == "suites");
    let syntax_errors = !errors.is_empty();
    for error in errors {
        let at = error.span().map_or(0, |span| span.start);
        reader.problem(at, error.message().trim());
    }
    let mut settings = reader.settings(table);
    reader.check_test_cases(&mut settings.test_cases);
    if has_suites && syntax_errors {
        reader.problem(0, "[[suites]] not read until the syntax errors are fixed");
    } else if has_suites {
        settings.suites = reader.suites(text);
    }
    (settings, reader.finish())
}

impl Reader {
    /// The `[[suites]]` tables, read by `domain::suites::file` over the whole text; its
    /// problems join the others in line order.
    fn suites(&mut self, text: &str) -> Vec<crate::domain::suites::Suite> {
        let (suites, problems) = parse_suites(&self.path, text, Source::SettingsFile);
        for problem in problems {
            // Already `file:line: …`; kept in line order with the others.
            let line = problem
                .strip_prefix(&format!("{}:", self.path))
                .and_then(|rest| rest.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            self.problems.push((line, problem));
        }
        suites
    }
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
                "start_screen" => s.start_screen = self.value(name, value),
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
                "store" => s.store = self.value(name, value),
                "store_path" => s.store_path = self.value::<PathBuf>(name, value),
                // A store of less than a megabyte could hold no history worth keeping.
                "store_limit_mb" => {
                    s.store_limit_mb = self.number(name, value, 1.0, 1_000_000.0, " MB")
                }
                // Read by `domain::suites::file` over the whole text (below).
                "suites" => {}
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
                "backfill" => sandbox.backfill = self.value(name, value),
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
#[path = "load_tests.rs"]
mod tests;
