//! The figures' index of executions: ARN → slot in `Figures::records`, every ARN kept once in
//! one text. Apart from the tallies, so a recompute of 100,000 runs builds it on a second
//! thread while the first counts (hashing the ARNs and probing the table wait on memory,
//! which was half of a recompute).

use crate::domain::Millis;
use crate::domain::execution::ExecutionSummary;
use crate::domain::text_keys::{KeyMap, hash_of};

#[derive(Debug, Clone, Default)]
pub(super) struct ArnIndex {
    /// Every slot's ARN, one after another, in slot order.
    text: String,
    /// Where each slot's ARN starts in `text`; it ends where the next one starts.
    starts: Vec<u32>,
    by_arn: KeyMap,
    /// The hashes of the slots `append` gave, not in `by_arn` yet.
    unindexed: Vec<u64>,
}

impl ArnIndex {
    /// Holds nothing, keeping its memory.
    pub fn clear(&mut self) {
        self.text.clear();
        self.starts.clear();
        self.by_arn.clear();
        self.unindexed.clear();
    }

    /// Room for `slots` more ARNs of about `arn_len` bytes.
    pub fn reserve(&mut self, slots: usize, arn_len: usize) {
        self.text.reserve(slots * arn_len);
        self.starts.reserve(slots);
        self.by_arn.reserve(slots);
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The ARN of `slot`.
    pub fn arn(&self, slot: usize) -> &str {
        arn_in(&self.text, &self.starts, slot)
    }

    pub fn slot_of(&self, arn: &str) -> Option<usize> {
        let (text, starts) = (&self.text, &self.starts);
        self.by_arn
            .get(arn, |slot| {
                ((slot as usize) < starts.len()).then(|| arn_in(text, starts, slot as usize))
            })
            .map(|slot| slot as usize)
    }

    /// The next slot, for `arn` (not held yet), whose `hash_of` is `hash`, indexed at once.
    pub fn push(&mut self, hash: u64, arn: &str) -> usize {
        debug_assert!(
            self.unindexed.is_empty(),
            "index_appended runs after append"
        );
        let slot = self.append_one(hash, arn);
        self.index_appended();
        slot
    }

    /// The next slot, for `arn`, to be indexed by `index_appended`. Past four gigabytes of
    /// ARNs a slot gets no ARN and is never found (no dashboard holds that many runs).
    fn append_one(&mut self, hash: u64, arn: &str) -> usize {
        let slot = self.starts.len();
        // The text only grows while it fits in a u32 (below).
        self.starts.push(self.text.len() as u32);
        if u32::try_from(self.text.len() + arn.len()).is_ok() {
            self.text.push_str(arn);
        }
        self.unindexed.push(hash);
        slot
    }

    /// Gives the next slots to the runs of `executions` that started at or after
    /// `first_start`, in order (the records the figures count, one by one), and returns each
    /// slot of a finished run whose ARN `histories` holds, with the value it holds there: the
    /// histories are matched with the hash each ARN needs anyway, probing their small map
    /// rather than the big one afterwards. The slots are found by ARN once `index_appended`
    /// ran: the two passes' steps are each independent of each other, so the memory system
    /// overlaps their misses, where one pass waited on each ARN and each probe in turn.
    pub fn append<'a>(
        &mut self,
        executions: impl Iterator<Item = &'a ExecutionSummary>,
        first_start: Millis,
        histories: &KeyMap,
        history_arn: impl Fn(u32) -> Option<&'a str> + Copy,
    ) -> Vec<(usize, u32)> {
        let mut matched = Vec::new();
        for summary in executions.filter(|s| s.start >= first_start) {
            let hash = hash_of(&summary.arn);
            let slot = self.append_one(hash, &summary.arn);
            if summary.status.is_terminal()
                && let Some(at) = histories.get_hashed(hash, &summary.arn, history_arn)
            {
                matched.push((slot, at));
            }
        }
        matched
    }

    /// Indexes the slots `append` gave (a slot without an ARN stays unfound).
    pub fn index_appended(&mut self) {
        let first = self.starts.len() - self.unindexed.len();
        let (text, starts) = (&self.text, &self.starts);
        for (slot, &hash) in (first..).zip(&self.unindexed) {
            let arn = arn_in(text, starts, slot);
            if arn.is_empty() {
                continue;
            }
            let held = self
                .by_arn
                .get_or_insert_hashed(hash, arn, slot as u32, |held| {
                    ((held as usize) < slot).then(|| arn_in(text, starts, held as usize))
                });
            debug_assert_eq!(held, None, "an ARN is pushed once");
        }
        self.unindexed.clear();
    }
}

fn arn_in<'a>(text: &'a str, starts: &[u32], slot: usize) -> &'a str {
    let end = starts
        .get(slot + 1)
        .map_or(text.len(), |&next| next as usize);
    &text[starts[slot] as usize..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_arn_is_found_at_its_slot_and_nothing_else_is() {
        let mut index = ArnIndex::default();
        let arns = ["arn:a:execution:m:one", "arn:a:execution:m:two", "x"];
        for (n, arn) in arns.iter().enumerate() {
            assert_eq!(index.push(hash_of(arn), arn), n);
        }
        for (n, arn) in arns.iter().enumerate() {
            assert_eq!(index.arn(n), *arn);
            assert_eq!(index.slot_of(arn), Some(n));
        }
        assert_eq!(index.slot_of("arn:a:execution:m:on"), None);
        index.clear();
        assert_eq!(index.slot_of(arns[0]), None);
    }
}
