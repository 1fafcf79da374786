//! The dashboard at scale (issue 16): its figures from 100,000 executions with 10,000 history
//! digests (goal: recompute ≤ 20 ms; from nothing, and in place as the screen recomputes on a
//! new bucket or window), one new execution counted into them (≤ 1 ms), and a
//! 200×50 frame of the screen drawn from them (≤ 2 ms).

#[path = "../tests/flows/app_support.rs"]
mod app_support;

use app_support::*;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};
use stepdeck::app::msg::Msg;
use stepdeck::app::update::update;
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use stepdeck::domain::stats::{Figures, HistoryDigest, StateSample, Window};

const EXECUTIONS: u32 = 100_000;
const HISTORIES: u32 = 10_000;
const STATES: [&str; 8] = [
    "CheckInputFormat",
    "FaceDetection",
    "CheckFaceDuplicate",
    "ParallelProcessing",
    "AddFaceToIndex",
    "Thumbnail",
    "PersistMetadata",
    "PhotoDoesNotMeetRequirement",
];
const REASONS: [&str; 4] = [
    "Face is wearing sunglasses",
    "Detected 2 faces in the photo.",
    "Detected 0 faces in the photo.",
    "Face in the picture is already in the system.",
];

/// Run `n`: one every ~0.86 s over the day before `NOW`, most accepted, a fifth rejected for
/// one of four reasons, a few failed, the newest running.
fn run(n: u32) -> ExecutionSummary {
    let start = NOW - i64::from(n) * 864;
    let (status, outcome) = match n % 20 {
        _ if n < 20 => (ExecutionStatus::Running, None),
        0..=14 => (ExecutionStatus::Succeeded, Some(Outcome::Completed)),
        15..=18 => (
            ExecutionStatus::Succeeded,
            Some(Outcome::Rejected {
                state: "FaceDetection".into(),
                error: "PhotoDoesNotMeetRequirementError".into(),
                message: REASONS[(n / 20 % 4) as usize].into(),
            }),
        ),
        _ => (
            ExecutionStatus::Failed,
            Some(Outcome::Error {
                error: "DynamoDB.ProvisionedThroughputExceededException".into(),
                cause: String::new(),
            }),
        ),
    };
    let mut summary = execution(
        &format!("bench-{n:06}"),
        status,
        start,
        Some(1_500 + i64::from(n % 4_000)),
    );
    if status == ExecutionStatus::Running {
        summary.stop = None;
    }
    summary.outcome = outcome;
    summary
}

fn digest(n: u32) -> HistoryDigest {
    HistoryDigest {
        states: STATES
            .iter()
            .enumerate()
            .map(|(i, name)| StateSample {
                name: name.to_string(),
                duration: 20 + i64::from((n * 7_919 + i as u32 * 104_729) % 3_000),
                retries: u32::from(n % 11 == i as u32),
                failed: n % 97 == i as u32,
            })
            .collect(),
        outcome: Some(Outcome::Completed),
    }
}

fn bench(c: &mut Criterion) {
    let executions: Vec<ExecutionSummary> = (0..EXECUTIONS).map(run).collect();
    // The histories of the newest finished runs.
    let digests: HashMap<String, HistoryDigest> = executions
        .iter()
        .filter(|e| e.status.is_terminal())
        .take(HISTORIES as usize)
        .map(|e| {
            let n: u32 = e.name[6..].parse().unwrap();
            (e.arn.clone(), digest(n))
        })
        .collect();
    let compute = || {
        Figures::compute(
            Window::Day,
            NOW,
            &executions,
            digests.iter().map(|(arn, d)| (arn.as_str(), d)),
        )
    };
    let base = compute();
    let mut in_place = base.clone();
    c.bench_function(
        "dashboard: recompute in place from 100,000 executions, 10,000 histories",
        |b| {
            b.iter(|| {
                in_place.recompute(
                    Window::Day,
                    NOW,
                    &executions,
                    digests.iter().map(|(arn, d)| (arn.as_str(), d)),
                );
                black_box(&in_place);
            })
        },
    );
    assert_eq!(base.coverage().histories, u64::from(HISTORIES));
    c.bench_function(
        "dashboard: figures from 100,000 executions, 10,000 histories",
        |b| b.iter(|| black_box(compute())),
    );

    let mut figures = base.clone();
    let mut next = EXECUTIONS;
    c.bench_function("dashboard: one new execution into 100,000", |b| {
        // New runs (just started, at now) go in one by one; after 10,000 the figures start
        // again from the 100,000 (untimed).
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if next >= EXECUTIONS + 10_000 {
                    figures = base.clone();
                    next = EXECUTIONS;
                }
                let mut summary = run(next % 20 + 20);
                summary.arn = exec_arn(&format!("new-{next}"));
                summary.start = NOW;
                next += 1;
                let start = Instant::now();
                black_box(figures.observe(&summary));
                total += start.elapsed();
            }
            total
        })
    });

    let mut app = seed_app();
    update(&mut app, Msg::Resize(200, 50));
    press(&mut app, "g d");
    app.dashboard.figures = base.clone();
    app.dashboard.listing = None;
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    c.bench_function("dashboard: render 200x50 from 100,000 executions", |b| {
        b.iter(|| {
            terminal
                .draw(|f| stepdeck::app::frame::render(black_box(&app), f))
                .unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
