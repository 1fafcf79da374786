//! The timeline builder on hand-written AWS-shaped histories (tests/fixtures/histories) and on
//! large generated ones: spans, statuses, branch/iteration paths, retries, rows, outcome, and
//! incremental building equal to building at once however the events are batched.

use crate::timeline_support;

use stepdeck::domain::execution::{ExecutionStatus, Outcome};
use stepdeck::domain::history::HistoryEvent;
use stepdeck::domain::history_json::{parse_history, to_history_json};
use stepdeck::domain::timeline::{
    AttemptStatus, RowKind, SpanStatus, Timeline, TimelineBuilder, build, build_from,
};
use timeline_support::*;

const FIXTURES: [&str; 10] = [
    "happy_path.json",
    "rejected_sunglasses.json",
    "retry_absorbed.json",
    "nested_parallel.json",
    "map_iterations.json",
    "running.json",
    "aborted.json",
    "timed_out.json",
    "failed.json",
    "failed_in_branch.json",
];

/// One line per span: `path/name type status start..end xattempts`, times relative to the
/// execution start, for compact exact comparisons.
fn describe(timeline: &Timeline) -> Vec<String> {
    let start = timeline.execution.start;
    timeline
        .spans
        .iter()
        .map(|s| {
            let path: Vec<String> = s.path.iter().map(|p| p.label()).collect();
            let end = s.end.map_or("..".to_string(), |e| (e - start).to_string());
            format!(
                "{}/{} {} {} {}..{} x{}",
                path.join("/"),
                s.name,
                s.state_type.as_str(),
                s.status.as_str(),
                s.start - start,
                end,
                s.attempt_count()
            )
        })
        .collect()
}

/// Rows as `depth:label` for order checks.
fn describe_rows(timeline: &Timeline) -> Vec<String> {
    timeline
        .rows()
        .iter()
        .map(|row| match &row.kind {
            RowKind::Span(id) => format!("{}:{}", row.depth, timeline.spans[*id].name),
            RowKind::Lane { segment, .. } => format!("{}:<{}>", row.depth, segment.label()),
        })
        .collect()
}

fn timeline_of(fixture: &str) -> Timeline {
    build(&load_fixture(fixture))
}

#[test]
fn happy_path_recovers_both_interleaved_branches() {
    let t = timeline_of("happy_path.json");
    assert_eq!(
        describe(&t),
        [
            "/Check for userId Choice SUCCEEDED 21..34 x1",
            "/FaceDetection Task SUCCEEDED 51..1262 x1",
            "/CheckFaceDuplicate Task SUCCEEDED 1280..2030 x1",
            "/ParallelProcessing Parallel SUCCEEDED 2048..3430 x1",
            "ParallelProcessing#0/AddFaceToIndex Task SUCCEEDED 2060..2720 x1",
            "ParallelProcessing#1/Thumbnail Task SUCCEEDED 2061..3415 x1",
            "/PersistMetadata Task SUCCEEDED 3447..3640 x1",
        ]
    );
    assert_eq!(t.execution.status, ExecutionStatus::Succeeded);
    assert_eq!(t.execution.start, 1_764_064_800_000);
    assert_eq!(t.execution.end, Some(1_764_064_803_660));
    assert_eq!(t.event_count, 33);
    assert_eq!(t.outcome(), Some(Outcome::Completed));
    assert_eq!(
        describe_rows(&t),
        [
            "0:Check for userId",
            "0:FaceDetection",
            "0:CheckFaceDuplicate",
            "0:ParallelProcessing",
            "1:<ParallelProcessing#0>",
            "2:AddFaceToIndex",
            "1:<ParallelProcessing#1>",
            "2:Thumbnail",
            "0:PersistMetadata",
        ]
    );
    let parallel = &t.spans[3];
    assert_eq!(parallel.children, vec![4, 5]);
    assert_eq!(t.spans[4].parent, Some(3));
    assert_eq!(t.spans[6].resource_type.as_deref(), Some("dynamodb"));
    assert_eq!(t.spans[1].resource_type.as_deref(), Some("lambda"));
    let face = &t.spans[1];
    assert!(face.input.as_deref().unwrap().contains("1_happy_face.jpg"));
    assert!(
        face.output
            .as_deref()
            .unwrap()
            .contains("detectedFaceDetails")
    );
    assert_eq!(face.entered_event_id, 4);
    assert_eq!(face.exited_event_id, Some(8));
    assert_eq!(face.attempts[0].scheduled, 1_764_064_800_051);
    assert_eq!(face.attempts[0].started, Some(1_764_064_800_090));
    assert_eq!(face.attempts[0].end, Some(1_764_064_801_240));
    assert!(t.execution.input.as_deref().unwrap().contains("user_a"));
    assert_eq!(
        t.execution.output.as_deref(),
        Some(r#"{"userId":"user_a"}"#)
    );
}

#[test]
fn rejected_photo_is_a_success_with_a_caught_error() {
    let t = timeline_of("rejected_sunglasses.json");
    assert_eq!(
        describe(&t),
        [
            "/Check for userId Choice SUCCEEDED 18..29 x1",
            "/FaceDetection Task CAUGHT 44..1133 x1",
            "/PhotoDoesNotMeetRequirement Task SUCCEEDED 1150..1305 x1",
        ]
    );
    let face = &t.spans[1];
    assert_eq!(
        face.error.as_deref(),
        Some("PhotoDoesNotMeetRequirementError")
    );
    assert_eq!(face.attempts[0].status, AttemptStatus::Failed);
    assert_eq!(t.spans[2].resource_type.as_deref(), Some("sns"));
    assert_eq!(t.execution.status, ExecutionStatus::Succeeded);
    assert_eq!(
        t.outcome(),
        Some(Outcome::Rejected {
            state: "FaceDetection".into(),
            error: "PhotoDoesNotMeetRequirementError".into(),
            message: "Face is wearing sunglasses".into(),
        })
    );
}

#[test]
fn retried_attempts_keep_their_backoff_gap() {
    let t = timeline_of("retry_absorbed.json");
    let face = &t.spans[1];
    assert_eq!(face.name, "FaceDetection");
    assert_eq!(face.status, SpanStatus::Succeeded);
    assert_eq!(face.attempts.len(), 2);
    let (first, second) = (&face.attempts[0], &face.attempts[1]);
    assert_eq!(first.status, AttemptStatus::Failed);
    assert_eq!(first.error.as_deref(), Some("Lambda.ServiceException"));
    assert_eq!(second.status, AttemptStatus::Succeeded);
    assert_eq!(second.scheduled - first.end.unwrap(), 2_000, "backoff gap");
    assert_eq!(second.end.unwrap() - second.started.unwrap(), 1_067);
    // The absorbed error is remembered but does not make the run a rejection.
    assert_eq!(face.error.as_deref(), Some("Lambda.ServiceException"));
    assert_eq!(t.outcome(), Some(Outcome::Completed));
    // Branch numbers follow the order of the branches' first events, not of their ends.
    assert_eq!(
        describe(&t)[4..6],
        [
            "ParallelProcessing#0/AddFaceToIndex Task SUCCEEDED 4226..5320 x1",
            "ParallelProcessing#1/Thumbnail Task SUCCEEDED 4228..5024 x1",
        ]
    );
}

#[test]
fn nested_parallel_paths_grow_outermost_first() {
    let t = timeline_of("nested_parallel.json");
    assert_eq!(
        describe(&t),
        [
            "/ProcessVariants Parallel SUCCEEDED 15..2662 x1",
            "ProcessVariants#0/ResizeSmall Task SUCCEEDED 25..612 x1",
            "ProcessVariants#1/ResizeLarge Task SUCCEEDED 26..1915 x1",
            "ProcessVariants#0/Publish Parallel SUCCEEDED 630..2650 x1",
            "ProcessVariants#0/Publish#0/Cooldown Wait SUCCEEDED 640..2640 x1",
            "ProcessVariants#0/Publish#1/NotifyRider Task SUCCEEDED 641..792 x1",
            "/Done Succeed SUCCEEDED 2670..2671 x1",
        ]
    );
    assert_eq!(
        describe_rows(&t),
        [
            "0:ProcessVariants",
            "1:<ProcessVariants#0>",
            "2:ResizeSmall",
            "2:Publish",
            "3:<Publish#0>",
            "4:Cooldown",
            "3:<Publish#1>",
            "4:NotifyRider",
            "1:<ProcessVariants#1>",
            "2:ResizeLarge",
            "0:Done",
        ]
    );
    assert_eq!(t.spans[0].children, vec![1, 3, 2]);
    assert_eq!(t.spans[4].parent, Some(3));
    // The +01:00 offsets in this fixture are the same instants as UTC.
    assert_eq!(t.execution.start, 1_764_064_980_000);
}

#[test]
fn map_iterations_are_lanes_with_their_own_retries() {
    let t = timeline_of("map_iterations.json");
    assert_eq!(
        describe(&t),
        [
            "/ListPhotos Pass SUCCEEDED 12..14 x1",
            "/ProcessPhotos Map SUCCEEDED 30..2931 x1",
            "ProcessPhotos[0]/MakeThumbnail Task SUCCEEDED 45..835 x1",
            "ProcessPhotos[1]/MakeThumbnail Task SUCCEEDED 46..1004 x1",
            "ProcessPhotos[2]/MakeThumbnail Task SUCCEEDED 850..2913 x2",
        ]
    );
    assert_eq!(t.spans[1].iterations, Some(3));
    let retried = &t.spans[4];
    assert_eq!(
        retried.attempts[1].scheduled - retried.attempts[0].end.unwrap(),
        1_000
    );
    assert_eq!(
        describe_rows(&t),
        [
            "0:ListPhotos",
            "0:ProcessPhotos",
            "1:<ProcessPhotos[0]>",
            "2:MakeThumbnail",
            "1:<ProcessPhotos[1]>",
            "2:MakeThumbnail",
            "1:<ProcessPhotos[2]>",
            "2:MakeThumbnail",
        ]
    );
}

#[test]
fn a_running_execution_has_open_spans_and_no_outcome() {
    let t = timeline_of("running.json");
    assert_eq!(
        describe(&t)[3..],
        [
            "/ParallelProcessing Parallel RUNNING 2048.... x1",
            "ParallelProcessing#0/AddFaceToIndex Task SUCCEEDED 2060..2720 x1",
            "ParallelProcessing#1/Thumbnail Task RUNNING 2061.... x1",
        ]
    );
    let thumbnail = &t.spans[5];
    assert_eq!(thumbnail.attempts[0].status, AttemptStatus::Running);
    assert_eq!(thumbnail.duration(t.execution.start + 3_061), 1_000);
    assert_eq!(t.execution.status, ExecutionStatus::Running);
    assert_eq!(t.execution.end, None);
    assert_eq!(t.outcome(), None);
}

#[test]
fn aborting_ends_every_open_span_at_the_abort() {
    let t = timeline_of("aborted.json");
    assert_eq!(
        describe(&t)[3..],
        [
            "/ParallelProcessing Parallel ABORTED 2048..2950 x1",
            "ParallelProcessing#0/AddFaceToIndex Task ABORTED 2060..2950 x1",
            "ParallelProcessing#1/Thumbnail Task ABORTED 2061..2950 x1",
        ]
    );
    assert_eq!(t.spans[2].status, SpanStatus::Succeeded);
    assert_eq!(t.execution.status, ExecutionStatus::Aborted);
    assert_eq!(
        t.outcome(),
        Some(Outcome::Error {
            error: "ABORTED".into(),
            cause: String::new()
        })
    );
}

#[test]
fn timing_out_marks_the_running_task() {
    let t = timeline_of("timed_out.json");
    assert_eq!(
        describe(&t),
        [
            "/Check for userId Choice SUCCEEDED 18..29 x1",
            "/FaceDetection Task TIMED_OUT 44..300000 x1",
        ]
    );
    assert_eq!(t.spans[1].attempts[0].status, AttemptStatus::TimedOut);
    assert_eq!(
        t.outcome(),
        Some(Outcome::Error {
            error: "States.Timeout".into(),
            cause: "The execution timed out after 300 seconds.".into()
        })
    );
}

#[test]
fn an_uncaught_task_failure_fails_the_state_and_the_run() {
    let t = timeline_of("failed.json");
    assert_eq!(
        describe(&t).last().unwrap(),
        "/PersistMetadata Task FAILED 3447..3611 x1"
    );
    let persist = t.spans.last().unwrap();
    assert_eq!(
        persist.error.as_deref(),
        Some("DynamoDB.ResourceNotFoundException")
    );
    assert_eq!(persist.attempts[0].end, Some(t.execution.start + 3_590));
    match t.outcome() {
        Some(Outcome::Error { error, cause }) => {
            assert_eq!(error, "DynamoDB.ResourceNotFoundException");
            assert!(cause.starts_with("Requested resource not found"));
        }
        other => panic!("expected an error outcome, got {other:?}"),
    }
}

#[test]
fn a_failed_branch_fails_the_parallel_and_stops_its_sibling() {
    let t = timeline_of("failed_in_branch.json");
    assert_eq!(
        describe(&t)[3..],
        [
            "/ParallelProcessing Parallel FAILED 2048..2425 x1",
            "ParallelProcessing#0/AddFaceToIndex Task ABORTED 2060..2410 x1",
            "ParallelProcessing#1/Thumbnail Task FAILED 2061..2410 x1",
        ]
    );
    // The Parallel carries its failing branch's error (AWS gives ParallelStateFailed none).
    assert_eq!(t.spans[3].error.as_deref(), Some("UnidentifiedImageError"));
    assert!(
        matches!(t.outcome(), Some(Outcome::Error { error, .. }) if error == "UnidentifiedImageError")
    );
}

fn assert_same_timeline(incremental: &TimelineBuilder, expected: &Timeline, context: &str) {
    assert_eq!(incremental.timeline(), expected, "{context}");
}

#[test]
fn building_incrementally_at_every_split_point_equals_building_at_once() {
    for name in FIXTURES {
        let events = load_fixture(name);
        let full = build(&events);
        for split in 0..=events.len() {
            let mut b = TimelineBuilder::new();
            b.extend(&events[..split]);
            let last = events[..split].iter().map(|e| e.id).max().unwrap_or(0);
            assert_eq!(b.last_event_id(), last);
            b.extend(&events[split..]);
            assert_same_timeline(&b, &full, &format!("{name} split at {split}"));
        }
        // And one event at a time.
        let mut b = TimelineBuilder::new();
        for e in &events {
            b.push(e);
        }
        assert_same_timeline(&b, &full, &format!("{name} pushed one by one"));
    }
}

/// Batches as a flaky endpoint returns them: each batch shuffled and overlapping the previous
/// one (duplicates), batches themselves in order.
fn messy_batches(events: &[HistoryEvent], rng: &mut Lcg) -> Vec<Vec<HistoryEvent>> {
    let mut batches = Vec::new();
    let mut from = 0;
    while from < events.len() {
        let to = (from + 1 + rng.below(8)).min(events.len());
        let overlap_from = from.saturating_sub(rng.below(4));
        let mut batch: Vec<HistoryEvent> = events[overlap_from..to].to_vec();
        for i in (1..batch.len()).rev() {
            batch.swap(i, rng.below(i + 1));
        }
        batches.push(batch);
        from = to;
    }
    batches
}

#[test]
fn shuffled_and_duplicated_batches_give_the_same_timeline() {
    let mut rng = Lcg(7);
    for name in FIXTURES {
        let events = load_fixture(name);
        let full = build(&events);
        for round in 0..25 {
            let mut b = TimelineBuilder::new();
            for batch in messy_batches(&events, &mut rng) {
                b.extend(&batch);
            }
            assert_same_timeline(&b, &full, &format!("{name} round {round}"));
            assert_eq!(b.timeline().event_count, events.len());
            assert_eq!(b.last_event_id(), events.last().unwrap().id);
        }
        // Reapplying everything changes nothing.
        let mut b = TimelineBuilder::new();
        b.extend(&events);
        b.extend(&events);
        assert_same_timeline(&b, &full, &format!("{name} applied twice"));
    }
}

#[test]
fn fixtures_survive_a_json_round_trip() {
    for name in FIXTURES {
        let events = load_fixture(name);
        let written = to_history_json(&events).to_string();
        assert_eq!(parse_history(&written).unwrap(), events, "{name}");
    }
}

#[test]
fn fixtures_are_read_without_caveats_and_alike_by_value() {
    for name in FIXTURES {
        let events = load_fixture(name);
        let (timeline, caveats) = build_from(&mut events.clone());
        assert_eq!(caveats, Vec::<String>::new(), "{name}");
        assert_eq!(timeline, build(&events), "{name}");
    }
}

#[test]
fn a_25000_event_map_history_is_built_correctly() {
    let events = map_history_with_at_least(25_000);
    assert!(events.len() >= 25_000, "{} events", events.len());
    let iterations = events
        .iter()
        .filter(|e| e.event_type.as_str() == "MapIterationStarted")
        .count();
    let t = build(&events);
    assert_eq!(t.event_count, events.len());
    assert_eq!(t.spans.len(), 2 + iterations);
    assert_eq!(t.execution.status, ExecutionStatus::Succeeded);
    let map = &t.spans[1];
    assert_eq!(map.name, MAP_NAME);
    assert_eq!(map.iterations, Some(iterations as u32));
    assert_eq!(map.children.len(), iterations);
    // Children come in iteration order even though their events interleave.
    for (expected_index, &child) in map.children.iter().enumerate() {
        let span = &t.spans[child];
        assert_eq!(
            span.path[0].label(),
            format!("{MAP_NAME}[{expected_index}]")
        );
        assert_eq!(span.status, SpanStatus::Succeeded);
        let retries = iteration_retries(expected_index as u32);
        assert_eq!(span.attempts.len(), if retries { 2 } else { 1 });
        assert!(span.end.unwrap() <= map.end.unwrap());
    }
    assert_eq!(t.rows().len(), 2 + 2 * iterations);

    // Polling it in pages of 100 (with the last event of each page fetched again) agrees.
    let mut b = TimelineBuilder::new();
    let mut from = 0;
    while from < events.len() {
        let to = (from + 100).min(events.len());
        b.extend(&events[from.saturating_sub(1)..to]);
        from = to;
    }
    assert_eq!(b.timeline(), &t);
}

#[test]
fn many_interleaved_parallel_branches_are_told_apart() {
    for seed in 1..=5 {
        let (events, branch_numbers) = parallel_history(12, 6, seed);
        let t = build(&events);
        assert_eq!(t.spans.len(), 1 + 12 * 6);
        for span in &t.spans[1..] {
            // Names are B<branch>S<step>.
            let branch: usize = span.name[1..span.name.find('S').unwrap()].parse().unwrap();
            assert_eq!(
                span.path[0].label(),
                format!("{PARALLEL_NAME}#{}", branch_numbers[branch]),
                "seed {seed}: {}",
                span.name
            );
            assert_eq!(span.status, SpanStatus::Succeeded);
        }
        // Rows: the Parallel, then per branch number a lane with its 6 steps in order.
        let rows = describe_rows(&t);
        assert_eq!(rows.len(), 1 + 12 * 7);
        for number in 0..12 {
            let lane = 1 + number * 7;
            assert_eq!(rows[lane], format!("1:<{PARALLEL_NAME}#{number}>"));
            let branch = branch_numbers.iter().position(|&n| n == number).unwrap();
            for step in 0..6 {
                assert_eq!(rows[lane + 1 + step], format!("2:B{branch}S{step}"));
            }
        }
    }
}
