//! The per-state half of the figures: each state's durations, retries, failures and slowest
//! runs, from the histories read. Apart from the runs' tallies, so a recompute fills it on
//! the second thread, beside the ARN index that matches histories to runs.

use super::digest::HistoryDigest;
use super::percentile::{Percentiles, insert_sorted, sort_durations};
use crate::domain::Millis;
use crate::domain::text_keys::Map;

/// Slowest executions kept per state (what `Enter` on a state lists).
pub const SLOWEST_KEPT: usize = 20;

#[derive(Debug, Clone)]
struct StateTally {
    name: String,
    /// Its earliest place in a run (0: the first state entered): the table's order, the
    /// same whatever order the histories came in.
    position: usize,
    /// Every sample's duration, ascending (once `sort` ran, after a bulk of `add`s).
    durations: Vec<Millis>,
    retries: u64,
    failures: u64,
    /// (duration, execution ARN), slowest first, at most `SLOWEST_KEPT`.
    slowest: Vec<(Millis, String)>,
}

/// One row of the per-state table.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRow {
    pub name: String,
    pub samples: usize,
    pub percentiles: Percentiles,
    pub retries: u64,
    pub failures: u64,
}

#[derive(Debug, Clone, Default)]
pub(super) struct StateTallies {
    states: Vec<StateTally>,
    by_name: Map<usize>,
    /// The state last seen at each place of a history (a guess, checked by name).
    slot_at_position: Vec<usize>,
}

impl StateTallies {
    /// No samples, each state keeping its slot and its vectors' memory (one no history
    /// names any more has no samples, which the table leaves out).
    pub fn clear(&mut self) {
        for state in &mut self.states {
            state.position = usize::MAX;
            state.durations.clear();
            state.retries = 0;
            state.failures = 0;
            state.slowest.clear();
        }
    }

    /// Adds the states of one history, the run `arn`'s. `keep_sorted`: each duration goes in
    /// its place (one at a time); else they are appended and `sort` runs after the bulk.
    pub fn add(&mut self, arn: &str, digest: &HistoryDigest, keep_sorted: bool) {
        for (position, sample) in digest.states.iter().enumerate() {
            // Histories of one machine name the same states in the same places: the state
            // last seen at this place is checked before the name is hashed.
            let guess = self.slot_at_position.get(position).copied();
            let slot = match guess.filter(|&slot| self.states[slot].name == sample.name) {
                Some(slot) => slot,
                None => self.slot_of(&sample.name, position),
            };
            match self.slot_at_position.get_mut(position) {
                Some(at) => *at = slot,
                // Places come in order from 0: this one is the next.
                None => self.slot_at_position.push(slot),
            }
            let state = &mut self.states[slot];
            state.position = state.position.min(position);
            if keep_sorted {
                insert_sorted(&mut state.durations, sample.duration);
            } else {
                state.durations.push(sample.duration);
            }
            state.retries += u64::from(sample.retries);
            state.failures += u64::from(sample.failed);
            let slower = state
                .slowest
                .partition_point(|(d, _)| *d >= sample.duration);
            if slower < SLOWEST_KEPT {
                state
                    .slowest
                    .insert(slower, (sample.duration, arn.to_string()));
                state.slowest.truncate(SLOWEST_KEPT);
            }
        }
    }

    /// Sorts every state's durations after a bulk of unsorted `add`s.
    pub fn sort(&mut self, scratch: &mut Vec<Millis>) {
        for state in &mut self.states {
            sort_durations(&mut state.durations, scratch);
        }
    }

    /// The tally of the state `name`, new at `position` when no history named it before.
    fn slot_of(&mut self, name: &str, position: usize) -> usize {
        if let Some(&slot) = self.by_name.get(name) {
            return slot;
        }
        self.states.push(StateTally {
            name: name.to_string(),
            position,
            durations: Vec::new(),
            retries: 0,
            failures: 0,
            slowest: Vec::new(),
        });
        self.by_name.insert(name.into(), self.states.len() - 1);
        self.states.len() - 1
    }

    /// Per-state figures in the order states run (their earliest place in a run, then name).
    pub fn rows(&self) -> Vec<StateRow> {
        let mut order: Vec<&StateTally> = self.states.iter().collect();
        order.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then_with(|| a.name.cmp(&b.name))
        });
        order
            .into_iter()
            .filter_map(|s| {
                Some(StateRow {
                    name: s.name.clone(),
                    samples: s.durations.len(),
                    percentiles: Percentiles::of(&s.durations)?,
                    retries: s.retries,
                    failures: s.failures,
                })
            })
            .collect()
    }

    /// The slowest executions in `state`: (its duration there, execution ARN), slowest first.
    pub fn slowest(&self, state: &str) -> &[(Millis, String)] {
        self.by_name
            .get(state)
            .map(|&slot| self.states[slot].slowest.as_slice())
            .unwrap_or_default()
    }
}
