//! The timeline: a tree of state spans built from a history, incrementally. `span.rs` holds
//! the span tree types the views and the headless CLI consume and the outcome of a run;
//! `builder.rs` fills the tree event by event, `rows.rs` flattens it into lanes, `chart.rs` is
//! the Gantt geometry. This file builds a whole history at once.

mod builder;
pub mod chart;
mod redrive;
mod rows;
mod span;

pub use builder::{MAX_NESTING, TimelineBuilder};
pub use redrive::{RedrivePlan, Rerun};
pub use span::*;

use super::history::HistoryEvent;

/// Builds a timeline from a whole history.
pub fn build(events: &[HistoryEvent]) -> Timeline {
    let mut b = TimelineBuilder::new();
    b.extend(events);
    b.timeline
}

/// `build` for a history handed over, with the builder's caveats (see
/// `TimelineBuilder::caveats`). Each event is dropped as soon as it is applied, so a big
/// history (the headless CLI's file) and the timeline copied from it are never both held whole.
pub fn build_from(events: &mut [HistoryEvent]) -> (Timeline, Vec<String>) {
    let mut b = TimelineBuilder::new();
    b.reserve(events.len());
    // Stable, like `extend`: of two events with one id, the first is the one applied.
    if !events.is_sorted_by_key(|e| e.id) {
        events.sort_by_key(|e| e.id);
    }
    for event in events.iter() {
        b.push(event);
    }
    let caveats = b.caveats();
    (b.timeline, caveats)
}

/// A timeline built straight from the AWS CLI's JSON of a history, with the builder's
/// caveats and how many events it held (0: none, and an empty timeline). Each event goes into
/// the builder as it is read and is dropped there, so the events are never held all at once:
/// no list of them to fault in and fill (a third of the time, for 25,000 events). Events in
/// a file come in id order as AWS gives them; when they do not (a `--reverse-order` listing,
/// a repeated id), the history is read again whole and sorted as `build_from` does.
pub fn build_from_json(
    json: &[u8],
) -> Result<(Timeline, Vec<String>, usize), super::history_json::ReadError> {
    use super::history_json::{events_in, for_each_event, parse_history_bytes};
    let mut b = TimelineBuilder::new();
    b.reserve(events_in(json));
    let (mut last_id, mut count, mut in_order) = (None, 0, true);
    let streamed = for_each_event(json, &mut |event| {
        if last_id.is_some_and(|last| event.id <= last) {
            in_order = false;
            return Err("out of order".into());
        }
        last_id = Some(event.id);
        count += 1;
        b.push(event);
        Ok(())
    });
    if !in_order {
        let mut events = parse_history_bytes(json)?;
        let count = events.len();
        let (timeline, caveats) = build_from(&mut events);
        return Ok((timeline, caveats, count));
    }
    streamed?;
    let caveats = b.caveats();
    Ok((b.timeline, caveats, count))
}

/// The text of a history fixture in `tests/fixtures/histories/`, for unit tests.
#[cfg(test)]
fn fixture_text(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/histories/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// The timeline of a history fixture in `tests/fixtures/histories/`, for unit tests.
#[cfg(test)]
pub fn fixture(name: &str) -> Timeline {
    build(&crate::domain::history_json::parse_history(&fixture_text(name)).unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_built_as_it_is_read_equals_one_read_whole() {
        for name in [
            "redriven.json",
            "nested_parallel.json",
            "map_iterations.json",
        ] {
            let text = fixture_text(name);
            let mut events = crate::domain::history_json::parse_history(&text).unwrap();
            let count = events.len();
            let whole = build_from(&mut events);
            let (timeline, caveats, read) = build_from_json(text.as_bytes()).unwrap();
            assert_eq!(
                (timeline, caveats, read),
                (whole.0, whole.1, count),
                "{name}"
            );
        }
    }

    #[test]
    fn a_history_out_of_id_order_is_read_again_whole_and_sorted() {
        let text = fixture_text("redriven.json");
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["events"].as_array_mut().unwrap().reverse();
        let reversed = serde_json::to_vec(&value).unwrap();
        let (timeline, _, count) = build_from_json(&reversed).unwrap();
        let (in_order, _, _) = build_from_json(text.as_bytes()).unwrap();
        assert_eq!((timeline, count), (in_order, 41));
    }

    #[test]
    fn a_repeated_id_or_a_bad_event_midway_is_refused_as_a_whole_read_refuses_it() {
        let repeated = br#"[{"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1},
            {"id":2,"previousEventId":1,"type":"PassStateEntered","timestamp":2,
             "stateEnteredEventDetails":{"name":"A"}},
            {"id":2,"previousEventId":1,"type":"PassStateExited","timestamp":3,
             "stateExitedEventDetails":{"name":"A"}}]"#;
        let bad = br#"[{"id":1,"previousEventId":0,"type":"ExecutionStarted","timestamp":1},
            {"id":2,"previousEventId":1,"type":"PassStateEntered","timestamp":"soon"}]"#;
        for text in [&repeated[..], &bad[..]] {
            let streamed = build_from_json(text).unwrap_err().to_string();
            let whole = crate::domain::history_json::parse_history_bytes(text)
                .unwrap_err()
                .to_string();
            assert_eq!(streamed, whole);
        }
        let (_, _, count) = build_from_json(br#"{"events": []}"#).unwrap();
        assert_eq!(count, 0);
    }

    #[test]
    fn path_labels_match_the_headless_format() {
        let branch = PathSegment::Branch {
            parallel: "ParallelProcessing".into(),
            index: 1,
        };
        let iteration = PathSegment::Iteration {
            map: "ProcessItems".into(),
            index: 3,
        };
        assert_eq!(branch.label(), "ParallelProcessing#1");
        assert_eq!(iteration.label(), "ProcessItems[3]");
    }
}
