//! The suite walk: what it asks in which order, and what it makes of the answers.

use super::builtin::{DUPLICATES_SUITE, PHOTOS_SUITE, builtin_suites};
use super::file::{Source, parse_suites};
use super::runner::{Answer, Defaults, Request, SuiteRun};
use super::verdict::{Observed, Verdict};
use crate::domain::execution::{ExecutionStatus, Outcome};
use crate::domain::test_case::seed_test_cases;

fn defaults() -> Defaults {
    Defaults {
        cases: seed_test_cases("photos"),
        photo_bucket: Some("photos".into()),
        thumbnail_bucket: Some("thumbs".into()),
    }
}

fn suite(name: &str) -> super::Suite {
    builtin_suites()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap()
}

fn steps(requests: &[Request]) -> Vec<usize> {
    requests.iter().map(Request::step).collect()
}

fn ended(outcome: Outcome, entered: &[&str], output: Option<&str>) -> Answer {
    Answer::Ran(Observed {
        execution_arn: "arn:exec".into(),
        status: ExecutionStatus::Succeeded,
        outcome: Some(outcome),
        output: output.map(str::to_string),
        entered: entered.iter().map(|s| s.to_string()).collect(),
        start: 1_000,
        stop: Some(4_000),
    })
}

fn accepted() -> Answer {
    ended(
        Outcome::Completed,
        &[
            "FaceDetection",
            "ParallelProcessing",
            "AddFaceToIndex",
            "Thumbnail",
        ],
        Some(
            r#"{"parallelResult":[{"FaceId":"f"},{"thumbnail":{"s3key":"resized-1_happy_face.jpg"}}]}"#,
        ),
    )
}

fn duplicate() -> Answer {
    ended(
        Outcome::Rejected {
            state: "CheckFaceDuplicate".into(),
            error: "FaceAlreadyExistsError".into(),
            message: "Face in the picture is already in the system.".into(),
        },
        &["CheckFaceDuplicate", "PhotoDoesNotMeetRequirement"],
        None,
    )
}

#[test]
fn the_duplicates_suite_goes_one_step_at_a_time_in_order() {
    let mut run = SuiteRun::new(suite(DUPLICATES_SUITE), defaults());
    let first = run.ready();
    assert_eq!(
        first,
        [Request::ClearFaces {
            step: 0,
            bucket: "photos".into(),
            key: "1_happy_face.jpg".into()
        }]
    );
    assert!(
        run.ready().is_empty(),
        "nothing more until the clear is done"
    );
    run.answer(0, Answer::Done("1 face deleted".into()), 0);
    let Request::Run { input, .. } = &run.ready()[0] else {
        panic!("a run follows the clear")
    };
    assert!(input.contains(r#""userId":"user_a""#), "{input}");
    run.answer(1, accepted(), 5_000);
    assert_eq!(steps(&run.ready()), [2]);
    run.answer(2, duplicate(), 5_000);
    let Request::Run { input, .. } = &run.ready()[0] else {
        panic!("the run as user_b")
    };
    assert!(input.contains(r#""userId":"user_b""#), "{input}");
    // Accepted where a duplicate was expected: the difference is the verdict.
    let result = run.answer(3, accepted(), 5_000);
    assert_eq!(result.label, "1_happy_face as user_b");
    assert_eq!(
        result.verdict,
        Verdict::Failed("expected \"rejected: already in the system\", got \"accepted\"".into())
    );
    assert_eq!(result.duration_ms, Some(3_000));
    assert_eq!(steps(&run.ready()), [4]);
    run.answer(4, Answer::Done("0 faces".into()), 5_000);
    assert_eq!(steps(&run.ready()), [5]);
    run.answer(5, accepted(), 5_000);
    assert!(run.is_finished());
    assert!(!run.passed());
    let passed: Vec<bool> = run.results().iter().map(|r| r.verdict.passed()).collect();
    assert_eq!(passed, [true, true, true, false, true, true]);
}

#[test]
fn an_independent_suite_runs_its_cases_at_once_after_the_set_up() {
    let mut run = SuiteRun::new(suite(PHOTOS_SUITE), defaults());
    assert_eq!(steps(&run.ready()), [0]);
    run.answer(0, Answer::Done("0 faces".into()), 0);
    assert_eq!(steps(&run.ready()), [1, 2, 3, 4]);
    assert!(run.ready().is_empty());
    assert!(run.is_running(3));
    run.answer(3, accepted(), 5_000);
    assert!(!run.is_finished());
}

#[test]
fn a_failed_set_up_step_skips_the_rest_and_an_unknown_case_is_an_error() {
    let mut run = SuiteRun::new(suite(DUPLICATES_SUITE), defaults());
    run.ready();
    let result = run.answer(0, Answer::Problem("access denied".into()), 0);
    assert_eq!(result.verdict, Verdict::Error("access denied".into()));
    assert!(run.is_finished());
    assert!(run.ready().is_empty());
    assert_eq!(
        run.results()[5].verdict,
        Verdict::Error("skipped: clear the faces of 1_happy_face.jpg did not succeed".into())
    );

    let text = "[[suites]]\nname = \"mine\"\n[[suites.steps]]\nrun = \"night shot\"\nexpect = \"accepted\"\n[[suites.steps]]\nwait_seconds = 1\n";
    let (suites, problems) = parse_suites("s.toml", text, Source::SuitesFile);
    assert_eq!(problems, Vec::<String>::new());
    let mut run = SuiteRun::new(suites[0].clone(), defaults());
    // The unknown case is judged at once; the walk goes on to the wait.
    assert_eq!(run.ready(), [Request::Wait { step: 1, ms: 1_000 }]);
    assert_eq!(
        run.results()[0].verdict,
        Verdict::Error("no test case named night shot".into())
    );
}
