//! `Timeline::rows()`: the span tree flattened into Gantt rows, each Parallel branch and Map
//! iteration a lane header over its spans, for the console's views and the headless CLI.

use super::{PathSegment, RowKind, SpanId, Timeline, TimelineRow};

impl Timeline {
    /// Rows of the Gantt chart in display order: each span followed by its children, grouped
    /// under one lane header per Parallel branch / Map iteration.
    pub fn rows(&self) -> Vec<TimelineRow> {
        let mut rows = Vec::with_capacity(self.spans.len() * 2);
        for &root in &self.roots {
            self.push_rows(root, 0, &mut rows);
        }
        rows
    }

    fn push_rows(&self, span: SpanId, depth: usize, rows: &mut Vec<TimelineRow>) {
        rows.push(TimelineRow {
            kind: RowKind::Span(span),
            depth,
        });
        let mut current_lane: Option<&PathSegment> = None;
        for &child in &self.spans[span].children {
            let lane = self.spans[child].path.last();
            if lane.is_some() && lane != current_lane {
                current_lane = lane;
                rows.push(TimelineRow {
                    kind: RowKind::Lane {
                        owner: span,
                        segment: lane.cloned().expect("checked above"),
                    },
                    depth: depth + 1,
                });
            }
            self.push_rows(child, depth + 2, rows);
        }
    }
}
