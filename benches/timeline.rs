//! Timeline builder benchmarks: a whole 25,000-event history (goal ≤ 5 ms) and one poll's worth
//! of 100 new events applied to a large built timeline (goal ≤ 50 µs).

#[path = "../tests/timeline/timeline_support.rs"]
mod timeline_support;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use stepdeck::domain::timeline::TimelineBuilder;
use timeline_support::map_history_with_at_least;

fn build_25000_events(c: &mut Criterion) {
    let events = map_history_with_at_least(25_000);
    c.bench_function("timeline/build 25k events", |b| {
        b.iter(|| {
            let mut builder = TimelineBuilder::new();
            builder.extend(black_box(&events));
            black_box(builder.timeline().spans.len())
        })
    });
}

fn push_100_onto_large_timeline(c: &mut Criterion) {
    let events = map_history_with_at_least(25_100);
    let (known, new) = events.split_at(events.len() - 100);
    let mut base = TimelineBuilder::new();
    base.extend(known);
    c.bench_function("timeline/incremental +100 events", |b| {
        b.iter_batched(
            || {
                // `Vec::clone` keeps no spare capacity, so the first push into a clone would
                // copy every vector; a builder that grew by itself has room (its vectors
                // double). Reserving here, unmeasured, puts the clone in that steady state;
                // the amortised growth is part of the 25k build figure.
                let mut builder = base.clone();
                builder.reserve(new.len());
                builder
            },
            |mut builder| {
                builder.extend(black_box(new));
                // Returned so that dropping the clone is not measured.
                builder
            },
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, build_25000_events, push_100_onto_large_timeline);
criterion_main!(benches);
