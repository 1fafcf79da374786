//! The on-disk store: loading the list of 10,000 stored descriptions of one state machine
//! (goal ≤ 50 ms) and a stored 25,000-event history read back and built into a timeline (goal
//! ≤ 30 ms), with the parts of the latter (parsing, building) and the cost of a write and of
//! opening the filled store (its integrity check) for scale.

#[path = "../tests/timeline/timeline_support.rs"]
mod timeline_support;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;
use stepdeck::domain::execution::{
    ExecutionDetail, ExecutionStatus, ExecutionSummary, Outcome, execution_arn_of,
};
use stepdeck::domain::history_json::{parse_history, to_history_json};
use stepdeck::domain::timeline::TimelineBuilder;
use stepdeck::store::Store;
use timeline_support::map_history_with_at_least;

const T0: i64 = 1_764_064_800_000;
const MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:RiderPhotoProcessing";

/// A folder removed when dropped.
struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dir() -> Dir {
    let dir = std::env::temp_dir().join(format!("stepdeck-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Dir(dir)
}

/// A finished run as DescribeExecution tells it: input and output of a rider photo, the
/// outcome (a third rejected, a tenth failed).
fn description(i: i64) -> ExecutionDetail {
    let name = format!("run-{i:05}-1_happy_face-user_{}", i % 97);
    let status = if i % 10 == 0 {
        ExecutionStatus::Failed
    } else {
        ExecutionStatus::Succeeded
    };
    let outcome = match (status, i % 3) {
        (ExecutionStatus::Failed, _) => Outcome::Error {
            error: "States.TaskFailed".into(),
            cause: r#"{"errorMessage":"Rekognition throttled","errorType":"ThrottlingException"}"#
                .into(),
        },
        (_, 0) => Outcome::Rejected {
            state: "FaceDetection".into(),
            error: "PhotoDoesNotMeetRequirementError".into(),
            message: "Face is wearing sunglasses".into(),
        },
        _ => Outcome::Completed,
    };
    let input = format!(
        r#"{{"userId":"user_{}","s3Bucket":"rider-photos","s3Key":"uploads/user_{}/{i}.jpg"}}"#,
        i % 97,
        i % 97
    );
    ExecutionDetail {
        summary: ExecutionSummary {
            arn: execution_arn_of(MACHINE, &name).unwrap(),
            name,
            state_machine_arn: MACHINE.into(),
            status,
            start: T0 + i * 1_000,
            stop: Some(T0 + i * 1_000 + 4_321),
            input_label: Some(format!("uploads/user_{}/{i}.jpg (user_{})", i % 97, i % 97)),
            outcome: Some(outcome),
        },
        output: (status == ExecutionStatus::Succeeded).then(|| {
            format!(
                r#"{{"userId":"user_{}","faceId":"{i:08x}-5f0e-4c1a-9d7b-1c2d3e4f5a6b","thumbnail":"resized-{i}.jpg"}}"#,
                i % 97
            )
        }),
        error: (status == ExecutionStatus::Failed).then(|| "States.TaskFailed".into()),
        cause: (status == ExecutionStatus::Failed).then(|| "Rekognition throttled".into()),
        input: Some(input),
        redrive_count: 0,
    }
}

fn bench(c: &mut Criterion) {
    let dir = dir();
    let path = dir.0.join("store.sqlite3");
    let (store, _) = Store::open(&path, Store::DEFAULT_LIMIT_BYTES, T0).unwrap();
    let started = Instant::now();
    for i in 0..10_000 {
        store.put_description("", &description(i), T0).unwrap();
    }
    eprintln!(
        "store: 10,000 descriptions put one by one in {:?}",
        started.elapsed()
    );
    let events = map_history_with_at_least(25_000);
    let arn = execution_arn_of(MACHINE, "big").unwrap();
    let before = store.stats().unwrap().bytes;
    let started = Instant::now();
    store.put_history("", &arn, &events, false, T0).unwrap();
    let took = started.elapsed();
    let after = store.stats().unwrap().bytes;
    eprintln!(
        "store: a {}-event history ({} bytes of JSON) put in {took:?}, {} bytes stored; \
         {after} bytes used in all",
        events.len(),
        to_history_json(&events).to_string().len(),
        after - before,
    );

    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.bench_function("descriptions_of 10,000", |b| {
        b.iter(|| {
            let rows = store.descriptions_of("", black_box(MACHINE)).unwrap();
            assert_eq!(rows.len(), 10_000);
            rows
        })
    });
    group.bench_function("history 25k to timeline", |b| {
        b.iter(|| {
            let events = store
                .history("", black_box(&arn), false, T0)
                .unwrap()
                .unwrap();
            let mut builder = TimelineBuilder::new();
            builder.extend(&events);
            black_box(builder.timeline().spans.len())
        })
    });
    group.bench_function("history 25k read back", |b| {
        b.iter(|| {
            store
                .history("", black_box(&arn), false, T0)
                .unwrap()
                .unwrap()
        })
    });
    let json = to_history_json(&events).to_string();
    group.bench_function("parse_history 25k (no store)", |b| {
        b.iter(|| parse_history(black_box(&json)).unwrap())
    });
    group.bench_function("timeline 25k (no store)", |b| {
        b.iter(|| {
            let mut builder = TimelineBuilder::new();
            builder.extend(black_box(&events));
            black_box(builder.timeline().spans.len())
        })
    });
    group.bench_function("open the filled store", |b| {
        b.iter(|| Store::open(black_box(&path), Store::DEFAULT_LIMIT_BYTES, T0).unwrap())
    });
    // Last: it adds rows (as many as it takes to measure) to the store measured above.
    let mut next = 10_000;
    group.bench_function("put_description", |b| {
        b.iter(|| {
            next += 1;
            store.put_description("", &description(next), T0).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
