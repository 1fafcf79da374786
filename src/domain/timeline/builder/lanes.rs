//! The lanes of Parallel and Map runs: a Parallel's next branch, a Map iteration's lane
//! (found again by its index), and new lanes under a span.

use super::{Lane, LaneId, TimelineBuilder};
use crate::domain::timeline::span::{PathSegment, SpanId};

impl TimelineBuilder {
    /// A state entered right after `ParallelStateStarted` starts the Parallel's next branch.
    pub(super) fn open_branch(&mut self, parallel: SpanId) -> LaneId {
        let index = self.states[parallel].lanes.len();
        let segment = PathSegment::Branch {
            parallel: self.timeline.spans[parallel].name.clone(),
            index,
        };
        let lane = self.new_lane(parallel, segment, index as u32);
        self.states[parallel].lanes.push(lane);
        lane
    }

    /// The lane of iteration `index` of a Map span, created on first use.
    pub(super) fn iteration_lane(&mut self, map: SpanId, index: u32) -> LaneId {
        if let Some(lane) = self.find_lane(map, index) {
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

    pub(super) fn new_lane(&mut self, owner: SpanId, segment: PathSegment, order: u32) -> LaneId {
        let mut path = Vec::with_capacity(self.timeline.spans[owner].path.len() + 1);
        path.extend_from_slice(&self.timeline.spans[owner].path);
        path.push(segment);
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
