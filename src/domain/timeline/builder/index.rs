//! Event id -> what the builder knows of that event, for any history: a vector indexed by id
//! for AWS's dense numbering, a map for ids that are not.

/// Event id -> context. AWS numbers events 1, 2, 3, … so a vector indexed by id is the fast
/// path; ids that are not small positive numbers (hand-made histories) go to a map.
#[derive(Debug, Clone)]
pub(super) struct EventIndex<C> {
    pub(super) dense: Vec<Option<C>>,
    sparse: std::collections::HashMap<i64, C>,
}

/// How far past the end of the dense vector an id may land and still grow it: ids that jump
/// further go to the map, so one event numbered 4,000,000 does not cost 128 MB of empty slots.
const DENSE_ID_GAP: usize = 1 << 16;

impl<C> Default for EventIndex<C> {
    fn default() -> Self {
        EventIndex {
            dense: Vec::new(),
            sparse: std::collections::HashMap::new(),
        }
    }
}

impl<C: Copy> EventIndex<C> {
    pub(super) fn get(&self, id: i64) -> Option<C> {
        let dense = usize::try_from(id)
            .ok()
            .and_then(|slot| self.dense.get(slot).copied().flatten());
        // An id can be in the map while the vector has since grown past it.
        dense.or_else(|| self.sparse.get(&id).copied())
    }

    pub(super) fn contains(&self, id: i64) -> bool {
        self.get(id).is_some()
    }

    pub(super) fn insert(&mut self, id: i64, context: C) {
        match usize::try_from(id) {
            Ok(slot) if slot < self.dense.len().saturating_add(DENSE_ID_GAP) => {
                if slot >= self.dense.len() {
                    self.dense.resize(slot + 1, None);
                }
                self.dense[slot] = Some(context);
            }
            _ => {
                self.sparse.insert(id, context);
            }
        }
    }
}
