//! What in a history was read with a caveat (no start, orphans, times before the start,
//! nesting too deep), counted as the builder goes, and the sentences that tell the caller.

/// What in a history was read with a caveat, as counts and the first event concerned.
#[derive(Debug, Clone, Default)]
pub(super) struct Oddities {
    /// No `ExecutionStarted`: the start is the earliest event's time (id of that event).
    pub(super) start_guessed_from: Option<i64>,
    /// Events whose `previousEventId` is not in the history: (count, first id).
    pub(super) orphans: (usize, i64),
    /// The `previousEventId` of the first of those.
    pub(super) first_orphan_previous: i64,
    /// Events timestamped before `ExecutionStarted`: (count, first id).
    pub(super) before_start: (usize, i64),
    /// Branches and iterations deeper than `MAX_NESTING`: (count, first event id).
    pub(super) too_deep: (usize, i64),
}

pub(super) fn count_first(counter: &mut (usize, i64), id: i64) {
    if counter.0 == 0 {
        counter.1 = id;
    }
    counter.0 = counter.0.saturating_add(1);
}

impl Oddities {
    /// One sentence per kind of oddity, for the caller to show (`max_nesting`: the builder's
    /// depth limit, named in the sentence about it).
    pub(super) fn sentences(&self, max_nesting: usize) -> Vec<String> {
        let odd = self;
        let mut caveats = Vec::new();
        if let Some(id) = odd.start_guessed_from {
            caveats.push(format!(
                "the history has no ExecutionStarted event: times count from its earliest \
                 event (id {id})"
            ));
        }
        if odd.orphans.0 > 0 {
            caveats.push(format!(
                "{} event(s) follow an event that is not in the history (first: id {} after \
                 id {}): they are placed at the top level",
                odd.orphans.0, odd.orphans.1, odd.first_orphan_previous
            ));
        }
        if odd.before_start.0 > 0 {
            caveats.push(format!(
                "{} event(s) are timestamped before the execution started (first: id {})",
                odd.before_start.0, odd.before_start.1
            ));
        }
        if odd.too_deep.0 > 0 {
            caveats.push(format!(
                "{} Parallel branch(es) or Map iteration(s) nest deeper than {max_nesting} \
                 levels (first: id {}): their states are drawn in the lane of their \
                 Parallel/Map, and their status may be wrong",
                odd.too_deep.0, odd.too_deep.1
            ));
        }
        caveats
    }
}
