//! Rendering cost of the two largest views on a 200×50 `TestBackend`: the executions list with
//! 10,000 rows (goal ≤ 1 ms/frame) and the timeline of a 1,000-span execution (≤ 2 ms/frame).

#[path = "../tests/flows/app_support.rs"]
mod app_support;
#[path = "../tests/timeline/timeline_support.rs"]
mod timeline_support;

use app_support::*;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, update::update};
use stepdeck::domain::execution::ExecutionStatus;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

fn big_list() -> App {
    let rows = (0..10_000)
        .map(|i| {
            let status = match i % 7 {
                0 => ExecutionStatus::Running,
                1 => ExecutionStatus::Failed,
                _ => ExecutionStatus::Succeeded,
            };
            let took = (status != ExecutionStatus::Running).then_some(1_000 + i % 5_000);
            execution(&format!("run-{i:05}"), status, NOW - i * 1_000, took)
        })
        .collect();
    let mut app = app_with(&["RiderPhotoProcessing"], rows, None);
    update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    let page = app.page_rows();
    app.executions.list.set_cursor(5_000, page);
    app
}

fn big_timeline() -> App {
    // A Map with enough iterations for at least 1,000 spans.
    let events = timeline_support::map_history(1_000, 40, 7);
    let spans = stepdeck::domain::timeline::build(&events).spans.len();
    assert!(spans >= 1_000, "only {spans} spans");
    let mut app = seed_app();
    update(&mut app, Msg::Resize(WIDTH, HEIGHT));
    let summary = app.executions.selected().unwrap().clone();
    open_with(&mut app, detail_of(&summary, None, None), events);
    let page = app.page_rows();
    let view = app.execution.as_mut().unwrap();
    view.move_timeline(500, page);
    app
}

fn bench(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    let list = big_list();
    c.bench_function("render executions 10k rows 200x50", |b| {
        b.iter(|| {
            terminal
                .draw(|f| stepdeck::app::frame::render(black_box(&list), f))
                .unwrap();
        })
    });
    let timeline = big_timeline();
    c.bench_function("render timeline 1k spans 200x50", |b| {
        b.iter(|| {
            terminal
                .draw(|f| stepdeck::app::frame::render(black_box(&timeline), f))
                .unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
