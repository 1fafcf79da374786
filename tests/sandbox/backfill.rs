//! The backfill: a day of recorded runs that list, describe and history return like any
//! other, with the mix of outcomes and the slow, throttled step a dashboard should show.

use crate::sandbox_support::{EPOCH_MS, quiet_options};
use std::sync::Arc;
use stepdeck::backend::local::backfill::BACKFILL_RUNS;
use stepdeck::backend::local::{
    LocalSandbox, RIDER_PHOTO_PROCESSING, SandboxOptions, state_machine_arn,
};
use stepdeck::backend::{Backend, HistoryRequest, ListExecutionsRequest};
use stepdeck::domain::execution::{ExecutionSummary, Outcome, outcome_from_description};
use stepdeck::domain::stats::{Figures, HistoryDigest, OutcomeKind, ReasonKind, Window};
use stepdeck::domain::timeline::TimelineBuilder;

fn backfilled(seed: u64) -> Arc<LocalSandbox> {
    LocalSandbox::start(SandboxOptions {
        rng_seed: seed,
        backfill: true,
        ..quiet_options()
    })
}

async fn all_executions(backend: &dyn Backend) -> Vec<ExecutionSummary> {
    let mut all = Vec::new();
    let mut next_token = None;
    loop {
        let page = backend
            .list_executions(ListExecutionsRequest {
                state_machine_arn: state_machine_arn(RIDER_PHOTO_PROCESSING),
                status: None,
                next_token,
                page_size: 1000,
            })
            .await
            .unwrap();
        all.extend(page.items);
        match page.next_token {
            Some(token) => next_token = Some(token),
            None => return all,
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_day_of_runs_is_there_at_start_with_a_realistic_mix() {
    let sandbox = backfilled(11);
    let executions = all_executions(sandbox.as_ref()).await;
    assert_eq!(executions.len(), BACKFILL_RUNS);
    assert!(
        executions.windows(2).all(|w| w[0].start >= w[1].start),
        "newest first"
    );
    let day = 24 * 3_600_000;
    assert!(
        executions
            .iter()
            .all(|e| e.start >= EPOCH_MS - day && e.stop.is_some_and(|s| s <= EPOCH_MS))
    );

    let mut kinds = [0usize; OutcomeKind::COUNT];
    for e in &executions {
        kinds[OutcomeKind::of_summary(e).index()] += 1;
    }
    let share = |k: OutcomeKind| kinds[k.index()] as f64 / executions.len() as f64;
    assert!(
        (0.5..0.7).contains(&share(OutcomeKind::Accepted)),
        "{kinds:?}"
    );
    assert!(
        (0.2..0.4).contains(&share(OutcomeKind::Rejected)),
        "{kinds:?}"
    );
    for rare in [
        OutcomeKind::Failed,
        OutcomeKind::TimedOut,
        OutcomeKind::Aborted,
    ] {
        assert!(kinds[rare.index()] > 3, "{rare:?} in {kinds:?}");
    }
    assert_eq!(kinds[OutcomeKind::Running.index()], 0);

    // Every history reads cleanly, tells the outcome the listing and the description tell,
    // and ends when the listing says.
    let mut digests = std::collections::HashMap::new();
    for e in &executions {
        let events = sandbox
            .get_execution_history(HistoryRequest {
                execution_arn: e.arn.clone(),
                after_event_id: None,
                include_data: false,
            })
            .await
            .unwrap();
        let mut builder = TimelineBuilder::new();
        builder.extend(&events);
        assert!(
            builder.caveats().is_empty(),
            "{}: {:?}",
            e.arn,
            builder.caveats()
        );
        let timeline = builder.timeline();
        assert_eq!(timeline.execution.status, e.status, "{}", e.arn);
        assert_eq!(timeline.execution.end, e.stop, "{}", e.arn);
        assert_eq!(timeline.outcome(), e.outcome, "{}", e.arn);
        digests.insert(e.arn.clone(), HistoryDigest::of(timeline));
    }
    let rejected = executions
        .iter()
        .find(|e| matches!(e.outcome, Some(Outcome::Rejected { .. })))
        .unwrap();
    let detail = sandbox.describe_execution(&rejected.arn).await.unwrap();
    assert!(matches!(
        outcome_from_description(&detail),
        Some(Outcome::Rejected { .. })
    ));

    // The figures a dashboard draws from it: Thumbnail is the slow step and the retried one.
    let figures = Figures::compute(
        Window::Day,
        EPOCH_MS,
        &executions,
        digests.iter().map(|(arn, d)| (arn.as_str(), d)),
    );
    let rows = figures.state_rows();
    // (The Parallel that holds it is slower still: it waits for it.)
    let slowest = rows
        .iter()
        .filter(|r| r.name != "ParallelProcessing")
        .max_by_key(|r| r.percentiles.p95)
        .unwrap();
    assert_eq!(slowest.name, "Thumbnail");
    let most_retried = rows.iter().max_by_key(|r| r.retries).unwrap();
    assert_eq!(most_retried.name, "Thumbnail");
    let reasons = figures.top_reasons(ReasonKind::Rejection, 3);
    // The two most frequent, about one run in nine each.
    let mut top: Vec<&str> = reasons[..2]
        .iter()
        .map(|r| r.reason.text.as_str())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            "Face in the picture is already in the system.",
            "Face is wearing sunglasses"
        ]
    );
    // The window starts on the hour: the runs of the first part-hour of the day are before it.
    let coverage = figures.coverage();
    assert_eq!(coverage.histories, coverage.executions);
    assert!(coverage.executions > BACKFILL_RUNS as u64 * 9 / 10);
}

#[tokio::test(start_paused = true)]
async fn the_same_seed_records_the_same_day() {
    let day = |seed| async move {
        let sandbox = backfilled(seed);
        all_executions(sandbox.as_ref())
            .await
            .into_iter()
            .map(|e| (e.arn, e.start, e.stop, e.status))
            .collect::<Vec<_>>()
    };
    let first = day(5).await;
    assert_eq!(first, day(5).await);
    assert_ne!(first, day(6).await);
}
