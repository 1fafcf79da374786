//! Test suites end to end on the sandbox, on a paused clock: the built-in suites (the four
//! photos, and the duplicates suite's clear-and-retest loop) pass through the headless
//! runner, each cleared face journaled; a suite expecting the wrong thing fails with the
//! difference.

use crate::sandbox_support::{EPOCH_MS, quiet_options};
use std::sync::{Arc, Mutex};
use stepdeck::backend::Backend;
use stepdeck::backend::local::{COLLECTION_ID, LocalSandbox, PHOTO_BUCKET, THUMBNAIL_BUCKET};
use stepdeck::cli::test::{Plan, SuiteOutcome, exit_status, report, run_suites};
use stepdeck::domain::journal::JournalContext;
use stepdeck::domain::suites::Suite;
use stepdeck::domain::suites::builtin::builtin_suites;
use stepdeck::domain::suites::file::{Source, parse_suites};
use stepdeck::domain::suites::runner::Defaults;
use stepdeck::domain::suites::verdict::Verdict;
use stepdeck::domain::test_case::seed_test_cases;

/// Runs `suites` on a fresh quiet sandbox; returns the outcomes, the journal's lines and the
/// progress lines.
async fn run(
    suites: Vec<Suite>,
) -> (
    Vec<SuiteOutcome>,
    Vec<String>,
    Vec<String>,
    Arc<LocalSandbox>,
) {
    let sandbox = LocalSandbox::start(quiet_options());
    let journal = Arc::new(Mutex::new(Vec::<String>::new()));
    let written = journal.clone();
    let origin = tokio::time::Instant::now();
    let plan = Plan {
        suites,
        defaults: Defaults {
            cases: seed_test_cases(PHOTO_BUCKET),
            photo_bucket: Some(PHOTO_BUCKET.into()),
            thumbnail_bucket: Some(THUMBNAIL_BUCKET.into()),
        },
        state_machine: None,
        collection: COLLECTION_ID.into(),
        journal: Arc::new(move |lines: &[String]| {
            written.lock().unwrap().extend_from_slice(lines);
            Ok(())
        }),
        journal_context: JournalContext {
            time: 0,
            profile: "sandbox".into(),
            region: "us-east-1".into(),
            account: None,
            principal: None,
        },
        concurrency: 3,
        poll_ms: 500,
        now: Arc::new(move || EPOCH_MS + origin.elapsed().as_millis() as i64),
    };
    let backend: Arc<dyn Backend> = sandbox.clone();
    let mut progress = Vec::new();
    let outcomes = run_suites(backend, plan, &mut |line| progress.push(line))
        .await
        .unwrap();
    let lines = journal.lock().unwrap().clone();
    (outcomes, lines, progress, sandbox)
}

fn verdicts(outcome: &SuiteOutcome) -> Vec<(String, Verdict)> {
    outcome
        .steps
        .iter()
        .map(|s| (s.label.clone(), s.verdict.clone()))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_built_in_suites_pass_on_the_sandbox() {
    let (outcomes, journal, progress, sandbox) = run(builtin_suites()).await;
    assert_eq!(outcomes.len(), 2);
    for outcome in &outcomes {
        assert!(
            outcome.passed(),
            "{}: {:#?}",
            outcome.name,
            verdicts(outcome)
        );
    }
    assert_eq!(exit_status(&outcomes), 0);
    let photos = &outcomes[0];
    assert_eq!(photos.name, "photos");
    let details: Vec<Option<&str>> = photos.steps.iter().map(|s| s.detail.as_deref()).collect();
    assert_eq!(
        details,
        [
            Some("no face of 1_happy_face.jpg in rider-photos"),
            Some("accepted"),
            Some("rejected: Face is wearing sunglasses"),
            Some("rejected: Detected 3 faces in the photo."),
            Some("rejected: Detected 0 faces in the photo."),
        ]
    );
    // The duplicates loop: accepted, the same input rejected, another user rejected, the
    // face cleared (the one the photos suite indexed), accepted again.
    let duplicates = &outcomes[1];
    let details: Vec<&str> = duplicates
        .steps
        .iter()
        .map(|s| s.detail.as_deref().unwrap())
        .collect();
    assert_eq!(
        details,
        [
            "1 face deleted",
            "accepted",
            "rejected: Face in the picture is already in the system.",
            "rejected: Face in the picture is already in the system.",
            "1 face deleted",
            "accepted",
        ]
    );
    // Each cleared face is journaled twice: the intent before the call, the outcome after.
    let statuses: Vec<String> = journal
        .iter()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(record["kind"], "face");
            assert_eq!(record["collection"], COLLECTION_ID);
            record["status"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(statuses, ["intended", "deleted", "intended", "deleted"]);
    // What is left: the face of the last accepted run, for user_a.
    let faces = sandbox.faces();
    assert_eq!(faces.len(), 1, "{faces:?}");
    // A line as each step begins, one as it ends.
    let count = |mark: &str| progress.iter().filter(|l| l.starts_with(mark)).count();
    assert_eq!((count("  … "), count("  ✓ ")), (11, 11), "{progress:#?}");
    assert_eq!(progress.len(), 2 + 22, "{progress:#?}");
    assert!(progress.contains(&"suite duplicates".to_string()));
}

#[tokio::test(start_paused = true)]
async fn a_wrong_expectation_fails_with_the_difference() {
    let text = r#"
[[suites]]
name = "wrong"

[[suites.steps]]
clear_faces = "1_happy_face.jpg"

[[suites.steps]]
run = "1_happy_face"
expect = "accepted"

[[suites.steps]]
run = "1_happy_face"
as_user = "user_b"
expect = "accepted"

[[suites.steps]]
run = "2_sunglass_face"
expect = "rejected"
reason = "sunglasses"
not_entered = ["PhotoDoesNotMeetRequirement"]
"#;
    let (suites, problems) = parse_suites("wrong.toml", text, Source::SuitesFile);
    assert!(problems.is_empty(), "{problems:?}");
    let (outcomes, _, progress, _) = run(suites).await;
    let steps = verdicts(&outcomes[0]);
    assert_eq!(steps[1].1, Verdict::Passed);
    assert_eq!(
        steps[2],
        (
            "1_happy_face as user_b".to_string(),
            Verdict::Failed(
                "expected \"accepted\", got \"rejected: Face in the picture is already in the \
                 system.\""
                    .into()
            )
        )
    );
    assert_eq!(
        steps[3].1,
        Verdict::Failed("expected state PhotoDoesNotMeetRequirement not entered, it was".into())
    );
    assert_eq!(exit_status(&outcomes), 1);
    assert!(
        progress.iter().any(|line| line.starts_with(
            "  ✗ 1_happy_face as user_b  expected \"accepted\", got \"rejected: Face"
        )),
        "{progress:#?}"
    );
    let table = report::text(&outcomes);
    assert!(
        table.ends_with("1 suite, 4 steps: 2 passed, 2 failed, 0 errors\n"),
        "{table}"
    );
    // The JUnit report carries the difference as the failure's message, and reads back.
    let xml = report::junit(&outcomes).unwrap();
    let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    assert_eq!((parsed.tests, parsed.failures, parsed.errors), (4, 2, 0));
    let case = &parsed.test_suites[0].test_cases[2];
    assert_eq!(case.name.as_str(), "3. 1_happy_face as user_b");
    match &case.status {
        quick_junit::TestCaseStatus::NonSuccess { message, .. } => assert!(
            message
                .as_ref()
                .unwrap()
                .as_str()
                .starts_with("expected \"accepted\""),
            "{message:?}"
        ),
        other => panic!("{other:?}"),
    }
}
