//! Reading suites files: every key of the format, and problems with their file and line.

use super::file::{Source, parse_suites};
use super::{Expected, OutputCheck, Pattern, RunStep, Step};

const FILE: &str = r#"
[[suites]]
name = "duplicates"
description = "the workshop's questions"

[[suites.steps]]
clear_faces = "1_happy_face.jpg"

[[suites.steps]]
run = "1_happy_face"
as_user = "user_b"
expect = "rejected"
reason = "/already in the (system|collection)/"
within_seconds = 60
entered = ["CheckFaceDuplicate"]
not_entered = ["ParallelProcessing"]
output = [
  { path = "$.errorInfo.Error", equals = "FaceAlreadyExistsError" },
  { path = "$.userId", matches = "user_b" },
  { path = "$.s3Key", exists = true },
]

[[suites.steps]]
delete_thumbnail = "resized-1_happy_face.jpg"
bucket = "thumbs"

[[suites.steps]]
wait_seconds = 2.5

[[suites]]
name = "orders"
independent = true

[[suites.steps]]
run = "big order"
input = '{"amount": 5000}'
state_machine = "Orders"
expect = "failed"
error = "States.TaskFailed"
"#;

#[test]
fn every_key_of_the_format_is_read() {
    let (suites, problems) = parse_suites("suites.toml", FILE, Source::SuitesFile);
    assert_eq!(problems, Vec::<String>::new());
    assert_eq!(suites.len(), 2);
    let duplicates = &suites[0];
    assert_eq!(duplicates.steps.len(), 4);
    assert!(!duplicates.independent);
    let Step::Run(run) = &duplicates.steps[1] else {
        panic!("a run")
    };
    assert_eq!(run.as_user.as_deref(), Some("user_b"));
    assert_eq!(
        run.expect.outcome.to_string(),
        "rejected: /already in the (system|collection)/"
    );
    assert_eq!(run.expect.within_ms, Some(60_000));
    assert_eq!(run.expect.output.len(), 3);
    assert_eq!(
        run.expect.output[0].check,
        OutputCheck::Equals(serde_json::json!("FaceAlreadyExistsError"))
    );
    assert_eq!(
        duplicates.steps[2],
        Step::DeleteThumbnail {
            bucket: Some("thumbs".into()),
            key: "resized-1_happy_face.jpg".into()
        }
    );
    assert_eq!(duplicates.steps[3], Step::Wait { ms: 2_500 });
    assert!(suites[1].independent);
    assert_eq!(
        suites[1].steps[0],
        Step::Run(RunStep {
            case: "big order".into(),
            input: Some(r#"{"amount": 5000}"#.into()),
            state_machine: Some("Orders".into()),
            as_user: None,
            expect: super::Expectation::outcome(Expected::Failed(Some(Pattern::Text(
                "States.TaskFailed".into()
            )))),
        })
    );
}

#[test]
fn problems_name_the_file_and_line_and_leave_that_suite_out() {
    let text = "[[suites]]\nname = \"a\"\n[[suites.steps]]\nrun = \"x\"\nexpect = \"accepted\"\n\n[[suites]]\nname = \"b\"\n[[suites.steps]]\nrun = \"x\"\nexpect = \"approved\"\n[[suites.steps]]\nwait_seconds = 1\nrun = \"y\"\n[[suites.steps]]\nrun = \"z\"\nexpect = \"rejected\"\nreason = \"/(unclosed/\"\n";
    let (suites, problems) = parse_suites("mine.toml", text, Source::SuitesFile);
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0].name, "a");
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].starts_with(
            "mine.toml:9: suite `b`: expect = \"approved\": one of accepted, rejected"
        ),
        "{problems:#?}"
    );
    assert!(problems[1].starts_with("mine.toml:12: suite `b`: a step does one thing"));
    assert!(problems[2].starts_with("mine.toml:15: suite `b`: /(unclosed/ is not a regular"));

    // A misspelt key is a TOML problem at its line.
    let (suites, problems) = parse_suites(
        "mine.toml",
        "[[suites]]\nname = \"a\"\n[[suites.steps]]\nrun = \"x\"\nexpekt = \"accepted\"\n",
        Source::SuitesFile,
    );
    assert!(suites.is_empty());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("mine.toml:5: unknown field `expekt`"),
        "{problems:?}"
    );

    // Unknown top-level keys are the settings reader's business, not a suites problem.
    let (suites, problems) = parse_suites(
        "config.toml",
        "refresh_seconds = 3\n[[suites]]\nname = \"a\"\n[[suites.steps]]\nwait_seconds = 1\n",
        Source::SettingsFile,
    );
    assert_eq!((suites.len(), problems.len()), (1, 0), "{problems:?}");
    let (_, problems) = parse_suites("s.toml", "refresh_seconds = 3\n", Source::SuitesFile);
    assert!(problems[0].starts_with("s.toml:1: unknown field `refresh_seconds`"));
}
