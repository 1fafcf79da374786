//! Verdicts on AWS-shaped executions: the history fixtures (as `get-execution-history`
//! writes them) with their descriptions, judged against expectations.

use super::verdict::{Observed, Verdict, judge};
use super::{Expectation, Expected, OutputAssertion, OutputCheck, Pattern};
use crate::domain::execution::{ExecutionDetail, ExecutionSummary};
use crate::domain::history::HistoryEvent;
use crate::domain::history_json::parse_history;
use crate::domain::timeline;

fn history(name: &str) -> Vec<HistoryEvent> {
    let path = format!(
        "{}/tests/fixtures/histories/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    parse_history(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The execution of a fixture as `DescribeExecution` tells it, with `output` when given.
fn observed(name: &str, output: Option<&str>) -> Observed {
    let events = history(name);
    let t = timeline::build(&events);
    let detail = ExecutionDetail {
        summary: ExecutionSummary {
            arn: format!(
                "arn:aws:states:us-east-1:123456789012:execution:RiderPhotoProcessing:{name}"
            ),
            name: name.into(),
            state_machine_arn:
                "arn:aws:states:us-east-1:123456789012:stateMachine:RiderPhotoProcessing".into(),
            status: t.execution.status,
            start: t.execution.start,
            stop: t.execution.end,
            input_label: None,
            outcome: None,
        },
        input: t.execution.input.clone(),
        output: output.map(str::to_string).or(t.execution.output.clone()),
        error: t.execution.error.clone(),
        cause: t.execution.cause.clone(),
        redrive_count: 0,
    };
    Observed::from_execution(&detail, &events)
}

fn expect(outcome: Expected) -> Expectation {
    Expectation::outcome(outcome)
}

fn pattern(text: &str) -> Option<Pattern> {
    Some(Pattern::parse(text).unwrap())
}

fn failed(verdict: Verdict) -> String {
    match verdict {
        Verdict::Failed(difference) => difference,
        other => panic!("expected a failed verdict, got {other:?}"),
    }
}

const NOW: i64 = 1_764_070_000_000;

#[test]
fn a_rejection_is_judged_by_its_reason_text_or_pattern() {
    let run = observed("rejected_sunglasses", None);
    assert_eq!(run.describe(), "rejected: Face is wearing sunglasses");
    let sunglasses = expect(Expected::Rejected(pattern("wearing SUNGLASSES")));
    assert_eq!(judge(&sunglasses, &run, NOW), Verdict::Passed);
    let regex = expect(Expected::Rejected(pattern("/^Face is \\w+ sunglasses$/")));
    assert_eq!(judge(&regex, &run, NOW), Verdict::Passed);
    // The error's name matches too.
    let by_error = expect(Expected::Rejected(pattern("PhotoDoesNotMeetRequirement")));
    assert_eq!(judge(&by_error, &run, NOW), Verdict::Passed);
    let duplicate = expect(Expected::Rejected(pattern("already in the system")));
    assert_eq!(
        failed(judge(&duplicate, &run, NOW)),
        "expected \"rejected: already in the system\", got \"rejected: Face is wearing sunglasses\""
    );
    assert_eq!(
        failed(judge(&expect(Expected::Accepted), &run, NOW)),
        "expected \"accepted\", got \"rejected: Face is wearing sunglasses\""
    );
}

#[test]
fn an_accepted_run_is_not_a_rejection() {
    let run = observed("happy_path", None);
    assert_eq!(
        judge(&expect(Expected::Accepted), &run, NOW),
        Verdict::Passed
    );
    assert_eq!(
        failed(judge(
            &expect(Expected::Rejected(pattern("already in the system"))),
            &run,
            NOW
        )),
        "expected \"rejected: already in the system\", got \"accepted\""
    );
}

#[test]
fn failures_and_timeouts_are_told_by_status_and_error_name() {
    let run = observed("failed", None);
    let dynamo = expect(Expected::Failed(pattern("/^DynamoDB\\./")));
    assert_eq!(judge(&dynamo, &run, NOW), Verdict::Passed);
    assert_eq!(
        judge(&expect(Expected::Failed(None)), &run, NOW),
        Verdict::Passed
    );
    let lambda = expect(Expected::Failed(pattern("Lambda.Unknown")));
    let difference = failed(judge(&lambda, &run, NOW));
    assert!(
        difference.starts_with(
            "expected \"failed: Lambda.Unknown\", got \"failed: DynamoDB.ResourceNotFoundException"
        ),
        "{difference}"
    );
    let timed_out = observed("timed_out", None);
    assert_eq!(
        judge(&expect(Expected::TimedOut), &timed_out, NOW),
        Verdict::Passed
    );
    assert_eq!(
        failed(judge(&expect(Expected::Failed(None)), &timed_out, NOW)),
        "expected \"failed\", got \"timed out\""
    );
    let running = observed("running", None);
    assert_eq!(
        failed(judge(&expect(Expected::Accepted), &running, NOW)),
        "expected \"accepted\", got \"still running\""
    );
}

#[test]
fn output_assertions_query_the_output_by_jsonpath() {
    let output = r#"{"userId":"user_a","parallelResult":[{"FaceId":"f-1"},{"thumbnail":{"s3bucket":"thumbs","s3key":"resized-1_happy_face.jpg"}}]}"#;
    let run = observed("happy_path", Some(output));
    let with = |path: &str, check: OutputCheck| {
        let mut e = expect(Expected::Accepted);
        e.output = vec![OutputAssertion::new(path, check).unwrap()];
        judge(&e, &run, NOW)
    };
    assert_eq!(
        with("$.parallelResult[1].thumbnail.s3key", OutputCheck::Exists),
        Verdict::Passed
    );
    assert_eq!(
        with(
            "$.parallelResult[*].thumbnail.s3key",
            OutputCheck::Equals(serde_json::json!("resized-1_happy_face.jpg"))
        ),
        Verdict::Passed
    );
    assert_eq!(
        with(
            "$..s3key",
            OutputCheck::Matches(Pattern::parse("/^resized-.*\\.jpg$/").unwrap())
        ),
        Verdict::Passed
    );
    assert_eq!(
        failed(with("$.parallelResult[2]", OutputCheck::Exists)),
        "expected $.parallelResult[2] to exist, found nothing there"
    );
    assert_eq!(
        failed(with(
            "$.parallelResult[0].FaceId",
            OutputCheck::Equals(serde_json::json!("f-2"))
        )),
        "expected $.parallelResult[0].FaceId = \"f-2\", got \"f-1\""
    );
    assert_eq!(
        failed(with(
            "$.userId",
            OutputCheck::Matches(Pattern::parse("user_b").unwrap())
        )),
        "expected $.userId to match user_b, got \"user_a\""
    );
    assert!(OutputAssertion::new("$.[", OutputCheck::Exists).is_err());
}

#[test]
fn states_entered_and_not_entered_come_from_the_history() {
    let accepted = observed("happy_path", None);
    let mut e = expect(Expected::Accepted);
    e.entered = vec!["ParallelProcessing".into(), "Thumbnail".into()];
    e.not_entered = vec!["PhotoDoesNotMeetRequirement".into()];
    assert_eq!(judge(&e, &accepted, NOW), Verdict::Passed);

    let rejected = observed("rejected_sunglasses", None);
    let mut e = expect(Expected::Rejected(None));
    e.entered = vec!["PhotoDoesNotMeetRequirement".into()];
    assert_eq!(judge(&e, &rejected, NOW), Verdict::Passed);
    e.entered = vec!["ParallelProcessing".into()];
    assert_eq!(
        failed(judge(&e, &rejected, NOW)),
        "expected state ParallelProcessing entered, it was not"
    );
    e.entered.clear();
    e.not_entered = vec!["PhotoDoesNotMeetRequirement".into()];
    assert_eq!(
        failed(judge(&e, &rejected, NOW)),
        "expected state PhotoDoesNotMeetRequirement not entered, it was"
    );
}

#[test]
fn a_time_limit_is_checked_after_the_outcome() {
    let run = observed("happy_path", None);
    let took = run.duration(NOW);
    assert!(took > 1_000, "{took}");
    let mut e = expect(Expected::Accepted);
    e.within_ms = Some(took);
    assert_eq!(judge(&e, &run, NOW), Verdict::Passed);
    e.within_ms = Some(1_000);
    let difference = failed(judge(&e, &run, NOW));
    assert!(
        difference.starts_with("expected to end within 1.0s, took "),
        "{difference}"
    );
    // The outcome is the first difference when both differ.
    e.outcome = Expected::TimedOut;
    assert_eq!(
        failed(judge(&e, &run, NOW)),
        "expected \"timed out\", got \"accepted\""
    );
}
