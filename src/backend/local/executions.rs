//! The sandbox's table of executions: insertion order (= start order), lookup by ARN,
//! newest-first pages from an opaque position, and a retention cap that drops the oldest
//! finished executions so a long-running sandbox stays bounded.

use std::collections::{HashMap, VecDeque};

/// Executions kept at most (running ones are never dropped).
pub const MAX_RETAINED_EXECUTIONS: usize = 2_000;

pub(crate) struct ExecutionTable<T> {
    /// (sequence number, ARN, value), ascending sequence numbers.
    entries: VecDeque<(u64, String, T)>,
    by_arn: HashMap<String, u64>,
    next_seq: u64,
    cap: usize,
}

impl<T> ExecutionTable<T> {
    pub fn new(cap: usize) -> ExecutionTable<T> {
        ExecutionTable {
            entries: VecDeque::new(),
            by_arn: HashMap::new(),
            next_seq: 1,
            cap,
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds an entry, then drops the oldest finished ones beyond the cap.
    pub fn insert(&mut self, arn: String, value: T, is_finished: impl Fn(&T) -> bool) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.by_arn.insert(arn.clone(), seq);
        self.entries.push_back((seq, arn, value));
        while self.entries.len() > self.cap {
            let Some(oldest_finished) = self.entries.iter().position(|(_, _, v)| is_finished(v))
            else {
                break;
            };
            if let Some((_, arn, _)) = self.entries.remove(oldest_finished) {
                self.by_arn.remove(&arn);
            }
        }
    }

    pub fn get(&self, arn: &str) -> Option<&T> {
        let seq = *self.by_arn.get(arn)?;
        let index = self
            .entries
            .binary_search_by_key(&seq, |(s, _, _)| *s)
            .ok()?;
        Some(&self.entries[index].2)
    }

    /// Entries newest first, starting below the position `before` (a sequence number from a
    /// previous page), each with its position.
    pub fn newest_first(&self, before: Option<u64>) -> impl Iterator<Item = (u64, &T)> {
        self.entries
            .iter()
            .rev()
            .filter(move |(seq, _, _)| before.is_none_or(|b| *seq < b))
            .map(|(seq, _, value)| (*seq, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_drops_the_oldest_finished_entries_only() {
        let mut table = ExecutionTable::new(3);
        // (name, finished)
        for (name, finished) in [("a", false), ("b", true), ("c", true), ("d", false)] {
            table.insert(format!("arn:{name}"), (name, finished), |v| v.1);
        }
        assert_eq!(table.len(), 3);
        assert!(table.get("arn:b").is_none(), "oldest finished dropped");
        assert!(table.get("arn:a").is_some(), "running entries are kept");
        table.insert("arn:e".into(), ("e", false), |v| v.1);
        table.insert("arn:f".into(), ("f", false), |v| v.1);
        // Only running entries left to drop: the table grows past the cap rather than lose them.
        assert_eq!(table.len(), 4);
        assert!(table.get("arn:c").is_none());
        let names: Vec<&str> = table.newest_first(None).map(|(_, v)| v.0).collect();
        assert_eq!(names, vec!["f", "e", "d", "a"]);
    }

    #[test]
    fn pages_continue_below_a_position() {
        let mut table = ExecutionTable::new(10);
        for name in ["a", "b", "c", "d"] {
            table.insert(name.to_string(), name, |_| true);
        }
        let first: Vec<(u64, &&str)> = table.newest_first(None).take(2).collect();
        assert_eq!(
            first.iter().map(|(_, v)| **v).collect::<Vec<_>>(),
            vec!["d", "c"]
        );
        let rest: Vec<&str> = table
            .newest_first(Some(first[1].0))
            .map(|(_, v)| *v)
            .collect();
        assert_eq!(rest, vec!["b", "a"]);
    }
}
