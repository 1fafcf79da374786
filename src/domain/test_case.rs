//! Run inputs: the test-case library (the seed's four photos plus the user's own), JSON
//! validation with line and column, Step Functions' 256 KiB input limit, generated execution
//! names, and the `userId` swap that asks the pipeline's duplicate question ("same photo,
//! another rider?").

use crate::domain::Millis;
use chrono::{TimeZone, Utc};
use serde_json::Value;
use std::fmt;

/// The rider the seed's test cases run for.
pub const SEED_USER: &str = "user_a";
/// The workshop's four photos, in the seed's order.
pub const SEED_PHOTO_KEYS: [&str; 4] = [
    "1_happy_face.jpg",
    "2_sunglass_face.jpg",
    "3_multiple_faces.jpg",
    "4_no_face.jpg",
];
/// Step Functions' limit on execution names.
pub const MAX_EXECUTION_NAME: usize = 80;
/// Step Functions' limit on an execution's input: 256 KiB of UTF-8 (`StartExecution`
/// refuses a longer one).
pub const MAX_INPUT_BYTES: usize = 262_144;

/// A named input to start the pipeline with.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    pub name: String,
    /// JSON text, validated when the library is loaded.
    pub input: String,
    /// State machine (name or ARN) to start it on; the selected one when None.
    pub state_machine: Option<String>,
}

impl TestCase {
    pub fn new(name: impl Into<String>, input: impl Into<String>) -> TestCase {
        TestCase {
            name: name.into(),
            input: input.into(),
            state_machine: None,
        }
    }
}

/// The seed's four photos for `user_a`, reading from `photo_bucket` (the sandbox's photo
/// bucket, or the one configured for the AWS account).
pub fn seed_test_cases(photo_bucket: &str) -> Vec<TestCase> {
    SEED_PHOTO_KEYS
        .iter()
        .map(|key| {
            let name = key.trim_end_matches(".jpg");
            let input = serde_json::json!({
                "userId": SEED_USER,
                "s3Bucket": photo_bucket,
                "s3Key": key,
            });
            TestCase::new(name, input.to_string())
        })
        .collect()
}

/// The library offered by `s` and `:run`: the built-in cases (when a photo bucket is known),
/// then the user's; a user case with a built-in's name replaces it.
pub fn library(builtin_bucket: Option<&str>, user_cases: Vec<TestCase>) -> Vec<TestCase> {
    let mut cases: Vec<TestCase> = builtin_bucket.map(seed_test_cases).unwrap_or_default();
    for case in user_cases {
        match cases.iter_mut().find(|c| c.name == case.name) {
            Some(existing) => *existing = case,
            None => cases.push(case),
        }
    }
    cases
}

/// Where and why an input is not JSON (1-based line and column, as an editor shows them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Parses an execution input; the error names the line and column of the problem.
pub fn validate_input(text: &str) -> Result<Value, JsonProblem> {
    serde_json::from_str::<Value>(text).map_err(|error| {
        let full = error.to_string();
        // serde_json appends " at line L column C"; the position is reported separately.
        let message = match full.rfind(" at line ") {
            Some(at) => full[..at].to_string(),
            None => full,
        };
        JsonProblem {
            line: error.line().max(1),
            column: error.column().max(1),
            message,
        }
    })
}

/// An input longer than Step Functions accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputTooLarge {
    /// Its size in UTF-8 bytes.
    pub bytes: usize,
}

impl fmt::Display for InputTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Rounded up: an input one byte over the limit must not read "256 KiB".
        write!(
            f,
            "input is {} KiB, over Step Functions' {} KiB limit",
            self.bytes.div_ceil(1024),
            MAX_INPUT_BYTES / 1024
        )
    }
}

/// Whether Step Functions would take `input` as it is sent: at most `MAX_INPUT_BYTES`.
pub fn check_input_size(input: &str) -> Result<(), InputTooLarge> {
    match input.len() {
        bytes if bytes > MAX_INPUT_BYTES => Err(InputTooLarge { bytes }),
        _ => Ok(()),
    }
}

/// The size in bytes of `value` sent compact (what `compact` returns), without building the
/// text.
pub fn compact_len(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing a `Value` fails only when the writer does, and this one never does.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

/// Two-space pretty JSON for editing; the text unchanged when it is not JSON.
pub fn pretty(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string())
}

/// Compact JSON, the form sent to the service (the key order is kept).
pub fn compact(value: &Value) -> String {
    value.to_string()
}

/// The input's `userId`, when it is an object with a string one.
pub fn user_id(input: &str) -> Option<String> {
    serde_json::from_str::<Value>(input)
        .ok()?
        .get("userId")?
        .as_str()
        .map(str::to_string)
}

/// The rider id after `current`, to ask "same photo, another rider": `user_a` → `user_b`,
/// `rider7` → `rider8`, anything else gets `_2`.
pub fn next_user_id(current: Option<&str>) -> String {
    let Some(current) = current.filter(|c| !c.is_empty()) else {
        return "user_b".into();
    };
    let digits = current.len() - current.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let (stem, number) = current.split_at(current.len() - digits);
        if let Ok(n) = number.parse::<u64>() {
            return format!("{stem}{}", n + 1);
        }
    }
    match current.chars().last() {
        Some(c) if c.is_ascii_lowercase() && c != 'z' => {
            format!("{}{}", &current[..current.len() - 1], (c as u8 + 1) as char)
        }
        _ => format!("{current}_2"),
    }
}

/// The input with `userId` set to `user` (the rest unchanged, key order kept).
pub fn with_user_id(input: &str, user: &str) -> Result<String, String> {
    let mut value = validate_input(input).map_err(|p| format!("input is not JSON: {p}"))?;
    let object = value
        .as_object_mut()
        .ok_or("the input is not a JSON object: it has no userId to change")?;
    object.insert("userId".into(), Value::String(user.to_string()));
    Ok(compact(&value))
}

/// Keeps the characters execution names allow (letters, digits, `-`, `_`); runs of anything
/// else become one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A fresh execution name: `<prefix>-<what>-<UTC yyyymmddThhmmss>-<seq>`, at most 80
/// characters, unique within the console's session thanks to `seq`.
pub fn execution_name(prefix: &str, what: &str, now: Millis, seq: u64) -> String {
    let stamp = Utc
        .timestamp_millis_opt(now)
        .single()
        .map(|t| t.format("%Y%m%dT%H%M%S").to_string())
        .unwrap_or_else(|| now.to_string());
    let suffix = format!("-{stamp}-{seq}");
    let head = slug(prefix);
    let room = MAX_EXECUTION_NAME.saturating_sub(head.len() + 1 + suffix.len());
    let what: String = slug(what).chars().take(room).collect();
    let what = what.trim_end_matches('-');
    if what.is_empty() {
        format!("{head}{suffix}")
    } else {
        format!("{head}-{what}{suffix}")
    }
}

/// `wanted`, or `wanted 2`, `wanted 3`… whichever is not a test case name yet.
pub fn unique_name(wanted: &str, existing: &[TestCase]) -> String {
    let taken = |name: &str| existing.iter().any(|c| c.name == name);
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|n| format!("{wanted} {n}"))
        .find(|name| !taken(name))
        .expect("an unused name exists")
}

/// The name a saved input gets: its photo and rider (`1_happy_face user_b`), else `input`.
pub fn suggested_name(input: &str) -> String {
    let value: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(_) => return "input".into(),
    };
    let key = value
        .get("s3Key")
        .and_then(Value::as_str)
        .map(|k| k.trim_end_matches(".jpg"));
    let user = value.get("userId").and_then(Value::as_str);
    match (key, user) {
        (Some(k), Some(u)) => format!("{k} {u}"),
        (Some(k), None) => k.to_string(),
        (None, Some(u)) => u.to_string(),
        (None, None) => "input".into(),
    }
}

/// What a run repeats: a test case or an earlier execution (by name).
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    TestCase(String),
    Execution(String),
}

impl Origin {
    /// First word of the generated execution name.
    pub fn name_prefix(&self) -> &'static str {
        match self {
            Origin::TestCase(_) => "run",
            Origin::Execution(_) => "rerun",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Origin::TestCase(name) | Origin::Execution(name) => name,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Origin::TestCase(name) => format!("test case {name}"),
            Origin::Execution(name) => format!("rerun of {name}"),
        }
    }
}

/// A run about to be started: where, from what, with which input.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDraft {
    pub state_machine_arn: String,
    pub origin: Origin,
    /// JSON text, sent as it is.
    pub input: String,
    /// How the input differs from the origin's (`as user_b`, `edited`).
    pub note: Option<String>,
}

impl RunDraft {
    pub fn describe(&self) -> String {
        match &self.note {
            Some(note) => format!("{}, {note}", self.origin.describe()),
            None => self.origin.describe(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_cases_name_the_bucket_and_the_photo() {
        let cases = seed_test_cases("photos-bucket");
        assert_eq!(cases.len(), 4);
        assert_eq!(cases[0].name, "1_happy_face");
        assert_eq!(
            cases[0].input,
            r#"{"userId":"user_a","s3Bucket":"photos-bucket","s3Key":"1_happy_face.jpg"}"#
        );
        assert_eq!(cases[3].name, "4_no_face");
    }

    #[test]
    fn user_cases_follow_and_replace_the_built_in_ones() {
        let mine = vec![
            TestCase::new("1_happy_face", r#"{"userId":"me"}"#),
            TestCase::new("night shot", "{}"),
        ];
        let names: Vec<String> = library(Some("b"), mine.clone())
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
                "night shot"
            ]
        );
        assert_eq!(
            library(Some("b"), mine.clone())[0].input,
            r#"{"userId":"me"}"#
        );
        assert_eq!(library(None, mine.clone()), mine);
    }

    #[test]
    fn invalid_json_names_its_line_and_column() {
        let problem = validate_input("{\n  \"userId\": \"user_a\"\n  \"s3Key\": 1\n}").unwrap_err();
        assert_eq!((problem.line, problem.column), (3, 3));
        assert_eq!(problem.message, "expected `,` or `}`");
        assert_eq!(problem.to_string(), "line 3, column 3: expected `,` or `}`");
        assert!(validate_input("").is_err());
        assert!(validate_input(r#"{"a": [1, 2]}"#).is_ok());
    }

    #[test]
    fn inputs_over_256_kib_are_refused_and_measured_as_sent() {
        let at_limit = format!("\"{}\"", "a".repeat(MAX_INPUT_BYTES - 2));
        assert_eq!(check_input_size(&at_limit), Ok(()));
        // UTF-8 bytes, not characters: 2 bytes each.
        let over = format!("\"{}\"", "é".repeat(MAX_INPUT_BYTES / 2));
        let problem = check_input_size(&over).unwrap_err();
        assert_eq!(problem.bytes, MAX_INPUT_BYTES + 2);
        assert_eq!(
            problem.to_string(),
            "input is 257 KiB, over Step Functions' 256 KiB limit"
        );
        let value = validate_input("{\n  \"userId\": \"é\",\n  \"n\": [1, 2]\n}").unwrap();
        assert_eq!(compact_len(&value), compact(&value).len());
    }

    #[test]
    fn user_ids_cycle_to_the_next_rider() {
        assert_eq!(next_user_id(Some("user_a")), "user_b");
        assert_eq!(next_user_id(Some("user_b")), "user_c");
        assert_eq!(next_user_id(Some("rider9")), "rider10");
        assert_eq!(next_user_id(Some("user_z")), "user_z_2");
        assert_eq!(next_user_id(Some("Bob")), "Boc");
        assert_eq!(next_user_id(None), "user_b");
    }

    #[test]
    fn the_user_id_swap_keeps_the_rest_of_the_input() {
        let input = r#"{"userId":"user_a","s3Bucket":"b","s3Key":"1_happy_face.jpg"}"#;
        assert_eq!(user_id(input).as_deref(), Some("user_a"));
        assert_eq!(
            with_user_id(input, "user_b").unwrap(),
            r#"{"userId":"user_b","s3Bucket":"b","s3Key":"1_happy_face.jpg"}"#
        );
        assert!(with_user_id("[1]", "user_b").is_err());
        assert!(with_user_id("{", "user_b").is_err());
    }

    #[test]
    fn execution_names_are_valid_and_bounded() {
        let now = 1_764_064_800_000; // 2025-11-25T10:00:00Z
        assert_eq!(
            execution_name("run", "1_happy_face", now, 3),
            "run-1_happy_face-20251125T100000-3"
        );
        assert_eq!(
            execution_name("rerun", "my run (copy)!", now, 1),
            "rerun-my-run-copy-20251125T100000-1"
        );
        let long = execution_name("rerun", &"x".repeat(200), now, 12);
        assert_eq!(long.chars().count(), MAX_EXECUTION_NAME);
        assert!(long.ends_with("-20251125T100000-12"));
        assert_eq!(
            execution_name("run", "???", now, 1),
            "run-20251125T100000-1"
        );
    }

    #[test]
    fn saved_names_are_suggested_and_made_unique() {
        let input = r#"{"userId":"user_b","s3Key":"1_happy_face.jpg"}"#;
        assert_eq!(suggested_name(input), "1_happy_face user_b");
        let existing = vec![
            TestCase::new("1_happy_face user_b", "{}"),
            TestCase::new("1_happy_face user_b 2", "{}"),
        ];
        assert_eq!(
            unique_name("1_happy_face user_b", &existing),
            "1_happy_face user_b 3"
        );
        assert_eq!(unique_name("fresh", &existing), "fresh");
    }
}
