//! History reader benchmarks: a 25,000-event history in the AWS CLI's JSON (execution data on
//! the events that carry it, about 6 MB) read into events, from memory as `stepdeck timeline`
//! reads a file, and as a stream; plus the whole headless path, read then built.

#[path = "../tests/timeline/timeline_support.rs"]
mod timeline_support;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use stepdeck::domain::history::EventType;
use stepdeck::domain::history_json::{parse_history_bytes, read_history, to_history_json};
use stepdeck::domain::timeline::{build_from, build_from_json};
use timeline_support::map_history_with_at_least;

/// The generated Map history with inputs, outputs and parameters where AWS puts them.
fn history_text() -> Vec<u8> {
    let mut events = map_history_with_at_least(25_000);
    for (i, event) in events.iter_mut().enumerate() {
        let d = &mut event.details;
        let item = format!(
            r#"{{"bucket":"rider-photos","key":"user_{}/photo_{i}.jpg"}}"#,
            i % 997
        );
        match event.event_type {
            EventType::TaskStateEntered => d.input = Some(item),
            EventType::TaskScheduled => {
                d.region = Some("us-east-1".into());
                d.timeout_in_seconds = Some(60);
                d.parameters = Some(format!(
                    r#"{{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:resize","Payload":{item}}}"#
                ));
            }
            EventType::TaskSucceeded | EventType::TaskStateExited => {
                d.output = Some(format!(
                    r#"{{"thumbnail":"thumbs/photo_{i}.jpg","width":320}}"#
                ))
            }
            _ => {}
        }
    }
    to_history_json(&events).to_string().into_bytes()
}

fn read_25000_events(c: &mut Criterion) {
    let text = history_text();
    let mut group = c.benchmark_group("reader");
    group.sample_size(20);
    group.bench_function("25k events from memory", |b| {
        b.iter(|| parse_history_bytes(black_box(&text)).unwrap().len())
    });
    group.bench_function("25k events as a stream", |b| {
        b.iter(|| read_history(black_box(&text[..])).unwrap().len())
    });
    group.bench_function("25k events read and built", |b| {
        b.iter(|| {
            let mut events = parse_history_bytes(black_box(&text)).unwrap();
            build_from(&mut events).0.spans.len()
        })
    });
    group.bench_function("25k events built as they are read", |b| {
        b.iter(|| build_from_json(black_box(&text)).unwrap().0.spans.len())
    });
    group.finish();
}

criterion_group!(benches, read_25000_events);
criterion_main!(benches);
