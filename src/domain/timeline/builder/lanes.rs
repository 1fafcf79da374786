//! The lanes of Parallel and Map runs: a Parallel's next branch, a Map iteration's lane
//! (found again by its index), and new lanes under a span, at most `MAX_NESTING` deep.

use super::{Lane, LaneId, MAX_NESTING, TimelineBuilder, count_first};
use crate::domain::timeline::span::{PathSegment, SpanId};
use std::sync::Arc;

impl TimelineBuilder {
    /// A state entered right after `ParallelStateStarted` (event `event_id`) starts the
    /// Parallel's next branch (of its current run).
    pub(super) fn open_branch(&mut self, parallel: SpanId, event_id: i64) -> LaneId {
        if let Some(lane) = self.too_deep_for_a_lane(parallel, event_id) {
            return lane;
        }
        // A retried Parallel's branches are followed again in the lanes of its first run.
        let cursor = self.states[parallel].branch_cursor;
        self.states[parallel].branch_cursor += 1;
        if let Some(&lane) = self.states[parallel].lanes.get(cursor) {
            return lane;
        }
        let index = self.states[parallel].lanes.len();
        let segment = PathSegment::Branch {
            parallel: self.timeline.spans[parallel].name.clone(),
            index,
        };
        let lane = self.new_lane(parallel, segment, index as u32);
        self.states[parallel].lanes.push(lane);
        lane
    }

    /// The lane of iteration `index` of a Map span, created on first use (by event
    /// `event_id`).
    pub(super) fn iteration_lane(&mut self, map: SpanId, index: u32, event_id: i64) -> LaneId {
        if let Some(lane) = self.find_lane(map, index) {
            return lane;
        }
        if let Some(lane) = self.too_deep_for_a_lane(map, event_id) {
            return lane;
        }
        let segment = PathSegment::Iteration {
            map: self.timeline.spans[map].name.clone(),
            index,
        };
        let lane = self.new_lane(map, segment, index);
        let lanes = &self.states[map].lanes;
        let at = lanes.partition_point(|&l| self.lanes[l].order < index);
        self.states[map].lanes.insert(at, lane);
        lane
    }

    pub(super) fn find_lane(&self, owner: SpanId, order: u32) -> Option<LaneId> {
        let lanes = &self.states[owner].lanes;
        // Iterations usually start in order: check the newest lane before searching.
        if let Some(&last) = lanes.last()
            && self.lanes[last].order == order
        {
            return Some(last);
        }
        lanes
            .binary_search_by_key(&order, |&l| self.lanes[l].order)
            .ok()
            .map(|i| lanes[i])
    }

    /// A lane under `owner` would nest deeper than `MAX_NESTING`: the owner's own lane takes
    /// its states instead (counted as a caveat). Bounds every path and every walk up the lanes.
    fn too_deep_for_a_lane(&mut self, owner: SpanId, event_id: i64) -> Option<LaneId> {
        if self.timeline.spans[owner].path.len() < MAX_NESTING {
            return None;
        }
        count_first(&mut self.oddities.too_deep, event_id);
        Some(self.states[owner].lane)
    }

    pub(super) fn new_lane(&mut self, owner: SpanId, segment: PathSegment, order: u32) -> LaneId {
        let owner_path = &self.timeline.spans[owner].path;
        let path: Arc<[PathSegment]> = owner_path
            .iter()
            .cloned()
            .chain(std::iter::once(segment))
            .collect();
        self.lanes.push(Lane {
            owner: Some(owner),
            path,
            open: None,
            span_count: 0,
            order,
        });
        self.lanes.len() - 1
    }
}
