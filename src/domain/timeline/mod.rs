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

/// The timeline of a history fixture in `tests/fixtures/histories/`, for unit tests.
#[cfg(test)]
pub fn fixture(name: &str) -> Timeline {
    let path = format!(
        "{}/tests/fixtures/histories/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    build(&crate::domain::history_json::parse_history(&text).unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

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
