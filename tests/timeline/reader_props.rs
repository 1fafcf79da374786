//! Property tests of the history reader and the builder on arbitrary input: whatever the text,
//! reading never panics; whatever history is accepted, building and rendering it never panic;
//! well-typed histories of any shape and order are accepted and built alike at once, by value
//! and in batches.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use stepdeck::cli::timeline::{to_json, to_text};
use stepdeck::domain::history::{EventType, HistoryEvent};
use stepdeck::domain::history_json::{details_key, parse_history, read_history};
use stepdeck::domain::timeline::{Timeline, TimelineBuilder, build, build_from};

/// Event types that drive every branch of the builder, and one it does not know.
const EVENT_TYPES: &[&str] = &[
    "ExecutionStarted",
    "ExecutionSucceeded",
    "ExecutionFailed",
    "ExecutionAborted",
    "ExecutionTimedOut",
    "ExecutionRedriven",
    "TaskStateEntered",
    "TaskStateExited",
    "TaskScheduled",
    "TaskStarted",
    "TaskSucceeded",
    "TaskFailed",
    "TaskTimedOut",
    "TaskStateAborted",
    "LambdaFunctionScheduleFailed",
    "PassStateEntered",
    "PassStateExited",
    "ChoiceStateEntered",
    "WaitStateEntered",
    "WaitStateAborted",
    "SucceedStateEntered",
    "FailStateEntered",
    "ParallelStateEntered",
    "ParallelStateStarted",
    "ParallelStateSucceeded",
    "ParallelStateFailed",
    "ParallelStateAborted",
    "ParallelStateExited",
    "MapStateEntered",
    "MapStateStarted",
    "MapIterationStarted",
    "MapIterationSucceeded",
    "MapIterationFailed",
    "MapIterationAborted",
    "MapStateSucceeded",
    "MapStateFailed",
    "MapStateAborted",
    "MapStateExited",
    "EvaluationFailed",
    "MapRunFailed",
    "QuantumStateEntered",
];

/// Few names, so that exits, closures and iterations meet the states they name.
const NAMES: &[&str] = &["A", "B", "Items", "", "\u{1b}[2J"];

/// Builds, rebuilds and renders an accepted history, as the CLI and the console do.
fn build_and_render(events: &[HistoryEvent]) -> Timeline {
    let timeline = build(events);
    let (by_value, _caveats) = build_from(&mut events.to_vec());
    assert_eq!(by_value, timeline);
    let rows = timeline.rows();
    assert!(rows.len() >= timeline.spans.len());
    let text = to_text(&timeline, 100);
    assert!(text.starts_with("execution "));
    let _ = to_text(&timeline, 0);
    let json = to_json(&timeline);
    assert_eq!(
        json["spans"].as_array().map(Vec::len),
        Some(timeline.spans.len())
    );
    timeline
}

/// One event with every field of the right type, any values: (type, ms offset, length, name,
/// index, failed).
fn typed_event() -> impl Strategy<Value = (usize, i64, u32, usize, u32, bool)> {
    (
        0..EVENT_TYPES.len(),
        // Offsets in ms from a fixed start: repeats and disorder included.
        0i64..200_000,
        0u32..60,
        0..NAMES.len(),
        0u32..4,
        any::<bool>(),
    )
}

fn typed_history() -> impl Strategy<Value = Value> {
    prop::collection::vec((typed_event(), 0usize..40), 0..40)
        .prop_flat_map(|events| {
            let count = events.len();
            // Unique ids in any order, as some endpoints return pages.
            let ids = Just((1..=count as i64).collect::<Vec<_>>()).prop_shuffle();
            (Just(events), ids)
        })
        .prop_map(|(events, ids)| {
            let list: Vec<Value> = events
                .iter()
                .zip(&ids)
                .map(
                    |(((kind, offset, seconds, name, index, failed), previous), id)| {
                        let kind = EVENT_TYPES[*kind];
                        let mut details = Map::new();
                        details.insert("name".into(), json!(NAMES[*name]));
                        details.insert("index".into(), json!(index));
                        details.insert("length".into(), json!(seconds));
                        if *failed {
                            details.insert("error".into(), json!("States.TaskFailed"));
                            details.insert("cause".into(), json!(r#"{"errorMessage":"no"}"#));
                        }
                        let mut event = json!({
                            "id": id,
                            // 0 (none), an id of the history (earlier or later), or one not in it.
                            "previousEventId": previous,
                            "type": kind,
                            "timestamp": 1_764_064_800.0 + *offset as f64 / 1000.0,
                        });
                        event[details_key(&EventType::parse(kind))] = Value::Object(details);
                        event
                    },
                )
                .collect();
            json!({ "events": list })
        })
}

/// Scalars of every JSON type, biased towards values a reader must tell apart.
fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-3i64..30).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        (1_764_064_800.0f64..1_764_064_900.0).prop_map(Value::from),
        prop::sample::select(vec![
            "NaN",
            "inf",
            "-1",
            "1e300",
            "9999-12-31T23:59:59Z",
            "2025-11-25 10:00:00",
            "2025-11-25T10:00:00.123+01:00",
            "12",
            "",
            "\u{0}",
            "\u{9b}",
        ])
        .prop_map(Value::from),
        prop::sample::select(EVENT_TYPES).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ]
}

/// Any JSON, shallow: scalars, and arrays or objects of them with the reader's keys likely.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "id",
            "previousEventId",
            "type",
            "timestamp",
            "name",
            "index",
            "length",
            "error",
            "cause",
            "input",
            "output",
            "events",
            "stateEnteredEventDetails",
            "taskFailedEventDetails",
            "EventDetails",
        ])
        .prop_map(String::from),
        any::<String>(),
    ];
    scalar().prop_recursive(3, 32, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Mostly a value of the right type, sometimes anything.
fn mostly(right: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Value> {
    prop_oneof![15 => right, 1 => scalar()]
}

/// Events whose every field may be of any type or missing, mostly in the CLI's shape (so that
/// a fair share of the histories is accepted and built).
fn hostile_history() -> impl Strategy<Value = Value> {
    let details = prop_oneof![
        6 => (
            0..NAMES.len(),
            mostly((0u32..4).prop_map(Value::from)),
            mostly(Just(Value::from("States.ALL"))),
        )
            .prop_map(|(name, index, error)| {
                json!({"name": NAMES[name], "index": index, "error": error})
            }),
        1 => json_value(),
    ];
    let event = (
        // `true` stands for a right id: the event's position + 1, so that ids are unique.
        prop::option::weighted(0.98, mostly(Just(Value::Bool(true)))),
        prop::option::weighted(0.8, mostly((0i64..12).prop_map(Value::from))),
        prop::option::weighted(
            0.95,
            mostly(prop::sample::select(EVENT_TYPES).prop_map(Value::from)),
        ),
        prop::option::weighted(
            0.95,
            mostly((1_764_064_800.0f64..1_764_064_900.0).prop_map(Value::from)),
        ),
        prop::option::of(details),
        prop::option::of(json_value()),
    )
        .prop_map(|(id, previous, kind, timestamp, details, extra)| {
            let mut event = Map::new();
            for (key, value) in [
                ("id", id),
                ("previousEventId", previous),
                ("type", kind),
                ("timestamp", timestamp),
                ("stateEnteredEventDetails", details),
                ("extra", extra),
            ] {
                if let Some(value) = value {
                    event.insert(key.into(), value);
                }
            }
            Value::Object(event)
        });
    prop_oneof![
        4 => prop::collection::vec(event, 0..10).prop_map(|mut events| {
            for (position, event) in events.iter_mut().enumerate() {
                if event["id"] == Value::Bool(true) {
                    event["id"] = json!(position + 1);
                }
            }
            json!({ "events": events })
        }),
        1 => json_value(),
    ]
}

proptest! {
    #[test]
    fn any_text_is_read_without_panic(text in any::<String>()) {
        let _ = parse_history(&text);
    }

    #[test]
    fn json_like_text_is_read_without_panic(text in r#"[\[\]{}",:0-9a-z .eE+\-]{0,80}"#) {
        let _ = parse_history(&text);
    }

    #[test]
    fn any_bytes_are_read_from_a_stream_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = read_history(bytes.as_slice());
    }

    #[test]
    fn well_typed_histories_are_accepted_and_built_alike_in_any_batches(
        history in typed_history(),
        cuts in prop::collection::vec(0usize..40, 0..4),
    ) {
        let events = parse_history(&history.to_string());
        prop_assert!(events.is_ok(), "{:?}", events);
        let events = events.unwrap();
        let whole = build_and_render(&events);
        // The console applies pages as they come, in id order: any split gives the same
        // timeline.
        let mut events = events;
        events.sort_by_key(|e| e.id);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(events.len())).collect();
        cuts.sort_unstable();
        let mut builder = TimelineBuilder::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([events.len()]) {
            builder.extend(&events[from..cut]);
            from = cut;
        }
        prop_assert_eq!(builder.timeline(), &whole);
    }
}

proptest! {
    // Most hostile histories are refused, a fair share at their first event: more cases so
    // that enough are accepted and built.
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_accepted_history_builds_and_renders(history in hostile_history()) {
        let text = history.to_string();
        let parsed = parse_history(&text);
        // The same verdict from a stream (error columns may differ by the one byte read
        // ahead).
        let streamed = read_history(text.as_bytes()).ok();
        prop_assert_eq!(parsed.as_ref().ok(), streamed.as_ref());
        if let Ok(events) = parsed {
            build_and_render(&events);
        }
    }
}
