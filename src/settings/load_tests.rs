//! Tests of reading the settings file: every problem at its line, every valid key kept,
//! fail-closed inputs, and arbitrary input never panicking.

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
fn the_store_keys_are_read_and_a_tiny_limit_refused() {
    let text = "store = false\nstore_path = \"/data/s.sqlite3\"\nstore_limit_mb = 64\n";
    let (settings, problems) = parse_settings(Path::new("config.toml"), text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(settings.store, Some(false));
    assert_eq!(settings.store_path, Some(PathBuf::from("/data/s.sqlite3")));
    assert_eq!(settings.store_limit_mb, Some(64.0));
    let (settings, problems) = parse_settings(Path::new("config.toml"), "store_limit_mb = 0.5\n");
    assert_eq!(settings.store_limit_mb, None);
    assert!(problems[0].contains("store_limit_mb"), "{problems:?}");
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
    let (settings, problems) = load_settings(Path::new("/nonexistent/stepdeck/config.toml"), false);
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

#[test]
fn suites_in_the_settings_file_are_read_with_their_problems_at_their_lines() {
    let text = "refresh_seconds = 3\n\n[[suites]]\nname = \"mine\"\n[[suites.steps]]\nwait_seconds = 1\n\n[[suites]]\nname = \"broken\"\n[[suites.steps]]\nrun = \"x\"\n";
    let (settings, problems) = parse_settings(Path::new("c.toml"), text);
    assert_eq!(settings.refresh_seconds, Some(3.0));
    assert_eq!(settings.suites.len(), 1);
    assert_eq!(settings.suites[0].name, "mine");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("c.toml:10: suite `broken`: a `run` step needs `expect`"),
        "{problems:?}"
    );
}
