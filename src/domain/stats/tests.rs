//! The figures against numbers worked out by hand.

use super::*;
use crate::domain::Millis;
use crate::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};

/// 2025-11-25 10:00:00 UTC.
const TEN: Millis = 1_764_064_800_000;
const MIN: Millis = 60_000;

fn run(n: u32, status: ExecutionStatus, start: Millis, secs: Option<i64>) -> ExecutionSummary {
    let outcome = match status {
        ExecutionStatus::Succeeded => Some(Outcome::Completed),
        ExecutionStatus::Failed => Some(Outcome::Error {
            error: "States.TaskFailed".into(),
            cause: String::new(),
        }),
        _ => None,
    };
    ExecutionSummary {
        arn: format!("arn:e:{n}"),
        name: format!("e{n}"),
        state_machine_arn: "arn:sm".into(),
        status,
        start,
        stop: secs.map(|s| start + s * 1000),
        input_label: None,
        outcome,
    }
}

fn rejected(n: u32, start: Millis, message: &str) -> ExecutionSummary {
    let mut summary = run(n, ExecutionStatus::Succeeded, start, Some(2));
    summary.outcome = Some(Outcome::Rejected {
        state: "FaceDetection".into(),
        error: "PhotoDoesNotMeetRequirementError".into(),
        message: message.into(),
    });
    summary
}

fn digest(states: &[(&str, Millis, u32, bool)]) -> HistoryDigest {
    HistoryDigest {
        states: states
            .iter()
            .map(|&(name, duration, retries, failed)| StateSample {
                name: name.into(),
                duration,
                retries,
                failed,
            })
            .collect(),
        outcome: Some(Outcome::Completed),
    }
}

#[test]
fn nearest_rank_percentiles_match_the_textbook_example() {
    // The nearest-rank method's worked example: 15, 20, 35, 40, 50.
    let values = [15, 20, 35, 40, 50];
    assert_eq!(nearest_rank(&values, 5.0), Some(15));
    assert_eq!(nearest_rank(&values, 30.0), Some(20));
    assert_eq!(nearest_rank(&values, 40.0), Some(20));
    assert_eq!(nearest_rank(&values, 50.0), Some(35));
    assert_eq!(nearest_rank(&values, 100.0), Some(50));
    assert_eq!(nearest_rank(&[], 50.0), None);
    // 1..=20: p50 is rank 10, p95 rank 19, p99 rank ⌈19.8⌉ = 20.
    let twenty: Vec<Millis> = (1..=20).collect();
    assert_eq!(
        Percentiles::of(&twenty),
        Some(Percentiles {
            p50: 10,
            p95: 19,
            p99: 20,
            max: 20
        })
    );
    let hundred: Vec<Millis> = (1..=100).map(|n| n * 10).collect();
    let p = Percentiles::of(&hundred).unwrap();
    assert_eq!((p.p50, p.p95, p.p99, p.max), (500, 950, 990, 1000));
}

#[test]
fn windows_cut_into_aligned_buckets_and_cycle() {
    assert_eq!(
        Window::ALL.map(Window::bucket_count),
        [12, 24, 28, 30],
        "5 min, 1 h, 6 h and 1 d bars"
    );
    // At 10:07:30 the hour's last bucket is 10:05–10:10, its first 09:10–09:15.
    let now = TEN + 7 * MIN + 30_000;
    assert_eq!(Window::Hour.first_bucket_start(now), TEN - 50 * MIN);
    assert_eq!(Window::Day.first_bucket_start(now), TEN - 23 * 60 * MIN);
    assert_eq!(Window::Hour.next(), Window::Day);
    assert_eq!(Window::Month.next(), Window::Hour);
    assert_eq!(Window::parse("24h"), Some(Window::Day));
    assert_eq!(Window::parse(" 7 d"), Some(Window::Week));
    assert_eq!(Window::parse("2h"), None);
    assert_eq!(thousands(2_340), "2,340");
    assert_eq!(thousands(100_000), "100,000");
    assert_eq!(thousands(999), "999");
}

#[test]
fn executions_land_in_their_bucket_by_outcome() {
    let now = TEN + 7 * MIN + 30_000;
    let first = TEN - 50 * MIN; // 09:10
    let executions = vec![
        run(1, ExecutionStatus::Succeeded, first - 1, Some(3)), // before the window
        run(2, ExecutionStatus::Succeeded, first, Some(3)),     // bucket 0
        run(3, ExecutionStatus::Succeeded, first + 4 * MIN, Some(5)), // bucket 0
        rejected(4, first + 24 * MIN, "Face is wearing sunglasses"), // bucket 4
        run(5, ExecutionStatus::Failed, first + 25 * MIN, Some(9)), // bucket 5
        run(6, ExecutionStatus::Running, TEN + 6 * MIN, None),  // bucket 11
        run(7, ExecutionStatus::TimedOut, TEN + 5 * MIN, Some(60)), // bucket 11
        run(8, ExecutionStatus::Aborted, now + 5 * MIN, Some(1)), // in the future: the last
    ];
    let figures = Figures::compute(Window::Hour, now, &executions, []);
    let b = figures.buckets();
    let kind = |k: OutcomeKind| k.index();
    assert_eq!(b[0][kind(OutcomeKind::Accepted)], 2);
    assert_eq!(b[4][kind(OutcomeKind::Rejected)], 1);
    assert_eq!(b[5][kind(OutcomeKind::Failed)], 1);
    assert_eq!(b[11][kind(OutcomeKind::Running)], 1);
    assert_eq!(b[11][kind(OutcomeKind::TimedOut)], 1);
    assert_eq!(b[11][kind(OutcomeKind::Aborted)], 1);
    assert_eq!(figures.totals(), [2, 1, 1, 1, 1, 1]);
    assert_eq!(
        figures.throughput(),
        vec![2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 3]
    );
    // 6 finished: 2 accepted, 1 rejected, 3 failed in some way.
    assert_eq!(figures.rate(OutcomeKind::Accepted), Some(2.0 / 6.0));
    assert_eq!(figures.rate(OutcomeKind::Rejected), Some(1.0 / 6.0));
    let coverage = figures.coverage();
    assert_eq!((coverage.executions, coverage.finished), (7, 6));
    // End to end: 1, 2, 3, 5, 9, 60 s.
    let e2e = figures.end_to_end().unwrap();
    assert_eq!((e2e.p50, e2e.p95, e2e.max), (3_000, 60_000, 60_000));
    let histogram = figures.end_to_end_histogram(3);
    assert_eq!(histogram.iter().map(|b| b.2).sum::<u64>(), 6);
    // From 1 s in bins of 19,667 ms: 1, 2, 3, 5, 9 s in the first; 60 s in the last.
    assert_eq!(
        histogram.iter().map(|b| b.2).collect::<Vec<_>>(),
        vec![5, 0, 1]
    );
}

#[test]
fn reasons_rank_by_count_then_text_with_a_trend() {
    let now = TEN + 30 * MIN;
    let first = Window::Hour.first_bucket_start(now);
    let early = first + MIN;
    let late = now - MIN;
    let executions = vec![
        rejected(1, late, "Face is wearing sunglasses"),
        rejected(2, late, "Face is wearing sunglasses"),
        rejected(3, late - MIN, "Face is wearing sunglasses"),
        rejected(4, early, "Multiple faces"),
        rejected(5, late, "Multiple faces"),
        rejected(6, early, "Face already exists"),
        rejected(7, early + MIN, "Face already exists"),
        rejected(8, early, "Face already exists"),
        rejected(9, late, "Face already exists"),
        run(10, ExecutionStatus::Failed, late, Some(1)),
    ];
    let figures = Figures::compute(Window::Hour, now, &executions, []);
    let top: Vec<(String, u32, Trend)> = figures
        .top_reasons(ReasonKind::Rejection, 3)
        .iter()
        .map(|t| (t.reason.text.clone(), t.count, t.trend()))
        .collect();
    assert_eq!(
        top,
        vec![
            // 4 (three early, one late), 3 (all late), 2 (one each half).
            ("Face already exists".to_string(), 4, Trend::Falling),
            ("Face is wearing sunglasses".to_string(), 3, Trend::New),
            ("Multiple faces".to_string(), 2, Trend::Steady),
        ]
    );
    let failures = figures.top_reasons(ReasonKind::Failure, 5);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].reason.text, "States.TaskFailed");
    assert_eq!(Trend::of(4, 5), Trend::Steady, "one more is not a trend");
    assert_eq!(Trend::of(4, 6), Trend::Rising);
}

#[test]
fn states_give_percentiles_retries_failures_and_their_slowest_runs() {
    let now = TEN;
    let executions: Vec<ExecutionSummary> = (0..20)
        .map(|n| run(n, ExecutionStatus::Succeeded, TEN - 10 * MIN, Some(3)))
        .collect();
    // FaceDetection takes (n+1) × 100 ms in run n, retried once in every fifth run, failed
    // (and retried) in run 19; Thumbnail 50 ms throughout.
    let digests: Vec<HistoryDigest> = (0..20)
        .map(|n| {
            digest(&[
                (
                    "FaceDetection",
                    (n as Millis + 1) * 100,
                    u32::from(n % 5 == 0),
                    n == 19,
                ),
                ("Thumbnail", 50, 0, false),
            ])
        })
        .collect();
    let figures = Figures::compute(
        Window::Day,
        now,
        &executions,
        executions.iter().map(|e| e.arn.as_str()).zip(&digests),
    );
    let rows = figures.state_rows();
    assert_eq!(rows.len(), 2);
    let face = &rows[0];
    assert_eq!(face.name, "FaceDetection");
    assert_eq!(face.samples, 20);
    // 100, 200, …, 2000: p50 rank 10, p95 rank 19, p99 rank 20.
    assert_eq!(
        face.percentiles,
        Percentiles {
            p50: 1_000,
            p95: 1_900,
            p99: 2_000,
            max: 2_000
        }
    );
    assert_eq!((face.retries, face.failures), (4, 1));
    assert_eq!(rows[1].percentiles.max, 50);
    let slowest = figures.slowest("FaceDetection");
    assert_eq!(slowest.len(), 20);
    assert_eq!(slowest[0], (2_000, "arn:e:19".to_string()));
    assert_eq!(slowest[1].1, "arn:e:18");
    assert!(figures.slowest("Nowhere").is_empty());
    let coverage = figures.coverage();
    assert_eq!((coverage.histories, coverage.histories_unread()), (20, 0));
}

#[test]
fn one_at_a_time_gives_what_all_at_once_gives() {
    one_at_a_time_matches_all_at_once(50);
}

#[test]
fn all_at_once_on_two_threads_gives_what_one_at_a_time_gives() {
    // Enough runs that a recompute indexes them on a second thread.
    one_at_a_time_matches_all_at_once(super::figures::SECOND_THREAD_FROM as u32 + 904);
}

/// `count` runs over about 14 hours before `TEN` (the oldest out of a 1 h window, none out of
/// a day), counted all at once and one at a time.
fn one_at_a_time_matches_all_at_once(count: u32) {
    let now = TEN;
    let step = 17 * MIN * 50 / Millis::from(count);
    let executions: Vec<ExecutionSummary> = (0..count)
        .map(|n| {
            let start = TEN - (n as Millis) * step;
            match n % 4 {
                0 => rejected(n, start, ["a", "b", "c"][n as usize % 3]),
                1 => run(n, ExecutionStatus::Failed, start, Some(n as i64)),
                _ => run(n, ExecutionStatus::Succeeded, start, Some(n as i64 % 7)),
            }
        })
        .collect();
    let digests: Vec<HistoryDigest> = (0..50)
        .map(|n| digest(&[("S", (n * 37 % 11) as Millis * 10, n % 2, n % 3 == 0)]))
        .collect();
    let lookup = |arn: &str| -> Option<&HistoryDigest> {
        let n: usize = arn.rsplit(':').next()?.parse().ok()?;
        n.is_multiple_of(2).then(|| &digests[n % 50])
    };
    let read = executions
        .iter()
        .filter_map(|e| Some((e.arn.as_str(), lookup(&e.arn)?)));
    let all = Figures::compute(Window::Day, now, &executions, read);
    let mut one = Figures::new(Window::Day, now);
    // Each first seen running, then ended; its history after.
    for summary in &executions {
        let mut running = summary.clone();
        running.status = ExecutionStatus::Running;
        running.stop = None;
        running.outcome = None;
        one.observe(&running);
        assert!(one.observe(summary));
        assert!(!one.observe(summary), "seen again unchanged: nothing to do");
        if let Some(digest) = lookup(&summary.arn) {
            assert_eq!(
                one.observe_history(&summary.arn, digest),
                one.has_history(&summary.arn)
            );
            assert!(
                !one.observe_history(&summary.arn, digest),
                "never counted twice"
            );
        }
    }
    assert_eq!(one.buckets(), all.buckets());
    assert_eq!(one.state_rows(), all.state_rows());
    assert_eq!(one.slowest("S"), all.slowest("S"));
    assert_eq!(one.end_to_end(), all.end_to_end());
    assert_eq!(one.coverage(), all.coverage());
    assert_eq!(
        one.top_reasons(ReasonKind::Rejection, 5),
        all.top_reasons(ReasonKind::Rejection, 5)
    );
    assert!(all.coverage().histories > 0);
    assert_eq!(
        all.lacking_history().count() as u64,
        all.coverage().histories_unread()
    );
}

#[test]
fn a_recompute_in_place_forgets_what_it_held_and_matches_a_fresh_compute() {
    let executions: Vec<ExecutionSummary> = (0..40)
        .map(|n| {
            let start = TEN - (n as Millis) * 23 * MIN;
            match n % 3 {
                0 => rejected(n, start, ["a", "b"][n as usize % 2]),
                1 => run(n, ExecutionStatus::Failed, start, Some(n as i64)),
                _ => run(n, ExecutionStatus::Succeeded, start, Some(3)),
            }
        })
        .collect();
    let digests: Vec<HistoryDigest> = (0..40)
        .map(|n| digest(&[("S", n as Millis * 10, n % 2, false), ("T", 5, 0, n == 7)]))
        .collect();
    let pairs = || executions.iter().map(|e| e.arn.as_str()).zip(&digests);
    // Held before: another window, other runs, a state the new histories never name.
    let mut figures = Figures::compute(
        Window::Hour,
        TEN,
        &executions[..5],
        [(
            executions[0].arn.as_str(),
            &digest(&[("Gone", 99, 1, true)]),
        )],
    );
    assert!(figures.state_rows().iter().any(|r| r.name == "Gone"));
    figures.recompute(Window::Day, TEN, &executions, pairs());
    let fresh = Figures::compute(Window::Day, TEN, &executions, pairs());
    assert_eq!(figures.window(), Window::Day);
    assert_eq!(figures.buckets(), fresh.buckets());
    assert_eq!(figures.state_rows(), fresh.state_rows());
    assert!(figures.state_rows().iter().all(|r| r.name != "Gone"));
    assert!(figures.slowest("Gone").is_empty());
    assert_eq!(figures.slowest("S"), fresh.slowest("S"));
    assert_eq!(figures.end_to_end(), fresh.end_to_end());
    assert_eq!(figures.coverage(), fresh.coverage());
    for kind in [ReasonKind::Rejection, ReasonKind::Failure] {
        assert_eq!(figures.top_reasons(kind, 5), fresh.top_reasons(kind, 5));
    }
    assert!(figures.has_history(&executions[39].arn));
    assert_eq!(figures.coverage().executions, 40);
}

#[test]
fn a_history_tells_the_outcome_a_listing_did_not() {
    let now = TEN;
    let mut summary = run(1, ExecutionStatus::Succeeded, TEN - MIN, Some(2));
    summary.outcome = None;
    let mut figures = Figures::compute(Window::Hour, now, [&summary], []);
    assert_eq!(figures.totals()[OutcomeKind::Accepted.index()], 1);
    assert_eq!(figures.coverage().outcomes_unknown, 1);
    let mut told = digest(&[("FaceDetection", 400, 0, true)]);
    told.outcome = Some(Outcome::Rejected {
        state: "FaceDetection".into(),
        error: "PhotoDoesNotMeetRequirementError".into(),
        message: "No face detected".into(),
    });
    assert!(figures.observe_history(&summary.arn, &told));
    assert_eq!(figures.totals()[OutcomeKind::Accepted.index()], 0);
    assert_eq!(figures.totals()[OutcomeKind::Rejected.index()], 1);
    assert_eq!(figures.coverage().outcomes_unknown, 0);
    assert_eq!(
        figures.top_reasons(ReasonKind::Rejection, 1)[0].reason.text,
        "No face detected"
    );
    assert_eq!(
        figures.coverage().sentence(Window::Hour),
        "p95 over 1 of 1 executions in 1 h; every finished history read"
    );
}

/// A description guesses a rejection from the output; where it guessed "completed" for a run
/// whose history shows a caught error, the history wins.
#[test]
fn a_history_corrects_the_outcome_a_description_guessed() {
    let summary = run(1, ExecutionStatus::Succeeded, TEN - MIN, Some(2));
    assert_eq!(summary.outcome, Some(Outcome::Completed));
    let mut figures = Figures::compute(Window::Hour, TEN, [&summary], []);
    assert_eq!(figures.totals()[OutcomeKind::Accepted.index()], 1);
    let mut told = digest(&[("Check", 40, 0, true)]);
    told.outcome = Some(Outcome::Rejected {
        state: "Check".into(),
        error: "PhotoDoesNotMeetRequirementError".into(),
        message: "Face is wearing sunglasses".into(),
    });
    assert!(figures.observe_history(&summary.arn, &told));
    assert_eq!(figures.totals()[OutcomeKind::Accepted.index()], 0);
    assert_eq!(figures.totals()[OutcomeKind::Rejected.index()], 1);
    // Seen listed again with the description's guess: the history's word stands.
    assert!(!figures.observe(&summary));
    assert_eq!(figures.totals()[OutcomeKind::Rejected.index()], 1);
}

#[test]
fn the_coverage_sentence_says_what_is_still_unread() {
    let coverage = Coverage {
        executions: 2_340,
        finished: 2_340,
        histories: 180,
        outcomes_unknown: 0,
    };
    assert_eq!(
        coverage.sentence(Window::Day),
        "p95 over 180 of 2,340 executions in 24 h; 2,160 histories not read yet"
    );
}

#[test]
fn a_digest_reads_states_retries_and_the_outcome_from_a_history() {
    let retried = HistoryDigest::of(&crate::domain::timeline::fixture("retry_absorbed.json"));
    let face = retried
        .states
        .iter()
        .find(|s| s.name == "FaceDetection")
        .unwrap();
    assert_eq!((face.retries, face.failed), (1, false));
    assert_eq!(retried.outcome, Some(Outcome::Completed));
    let names: Vec<&str> = retried.states.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"Thumbnail") && names.contains(&"PersistMetadata"));
    let sunglasses = HistoryDigest::of(&crate::domain::timeline::fixture(
        "rejected_sunglasses.json",
    ));
    let face = &sunglasses.states[1];
    assert_eq!((face.name.as_str(), face.failed), ("FaceDetection", true));
    assert!(matches!(sunglasses.outcome, Some(Outcome::Rejected { .. })));
}

#[test]
fn a_rejection_without_error_or_message_is_named_by_where_it_was_caught() {
    let bare = Outcome::Rejected {
        state: "Check".into(),
        error: String::new(),
        message: String::new(),
    };
    let reason = Reason::of(&bare).unwrap();
    assert_eq!(
        (reason.kind, reason.text.as_str()),
        (ReasonKind::Rejection, "caught in Check")
    );
    let named = Outcome::Rejected {
        state: "Check".into(),
        error: "PhotoDoesNotMeetRequirementError".into(),
        message: String::new(),
    };
    assert_eq!(
        Reason::of(&named).unwrap().text,
        "PhotoDoesNotMeetRequirementError"
    );
}

#[test]
fn durations_sort_like_a_comparison_sort_whatever_their_spread() {
    use super::percentile::sort_durations;
    // A small linear congruential generator: the same values on every run.
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 11
    };
    let spreads: [i64; 5] = [0, 255, 4_000, 86_400_000, i64::MAX / 2];
    let mut scratch = Vec::new();
    for spread in spreads {
        for len in [0usize, 1, 300, 5_000] {
            let mut values: Vec<i64> = (0..len)
                .map(|_| match spread {
                    0 => 7,
                    s => (next() as i64).rem_euclid(s) - s / 3,
                })
                .collect();
            let mut expected = values.clone();
            expected.sort_unstable();
            sort_durations(&mut values, &mut scratch);
            assert_eq!(values, expected, "spread {spread}, {len} values");
        }
    }
    // The extremes of the type.
    let mut values = vec![i64::MAX, i64::MIN, 0, -1, 1];
    values.extend(std::iter::repeat_n(3, 300));
    let mut expected = values.clone();
    expected.sort_unstable();
    sort_durations(&mut values, &mut scratch);
    assert_eq!(values, expected);
}
