//! Cost of typing a 300,000-character filter key by key into the executions list of 1,000
//! rows (the figure: 166 s before the filter was bounded; every key past the bound is
//! refused at once).

#[path = "../tests/flows/app_support.rs"]
mod app_support;

use app_support::*;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::hint::black_box;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};
use stepdeck::domain::execution::ExecutionStatus;

const TYPED: usize = 300_000;

fn list_of_1000() -> App {
    let rows = (0..1_000)
        .map(|i| {
            execution(
                &format!("run-{i:05}"),
                ExecutionStatus::Succeeded,
                NOW - i * 1_000,
                Some(1_000),
            )
        })
        .collect();
    app_with(&["RiderPhotoProcessing"], rows, None)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter");
    group.sample_size(10);
    group.bench_function("type 300k characters into the filter of 1,000 rows", |b| {
        b.iter_batched(
            list_of_1000,
            |mut app| {
                press(&mut app, "/");
                for c in "run-".chars().chain(std::iter::repeat('x')).take(TYPED) {
                    let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
                    black_box(update(&mut app, Msg::Key(key)));
                }
                app
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
