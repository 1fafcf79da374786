//! What a redrive resumes from: each state's entry as the run went, keyed by where it ran
//! (the branch or iteration, the state, and which visit of it), with the event that entered it
//! and — once it succeeded or a Catch routed it onwards — its output and the state it went to.
//! A redrive replays the done entries without events, as AWS does, re-runs the ones that did
//! not finish from their original `*StateEntered` event, and runs what was never reached.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

/// One state entry (or one Map iteration) of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The `*StateEntered` (or `MapIterationStarted`) event.
    pub entered: i64,
    /// Its output and where the flow went next (None: the end of its flow), once done.
    pub done: Option<(Value, Option<String>)>,
    /// A Parallel's or Map's attempts so far (each runs its branches or iterations afresh).
    pub attempts: u32,
}

/// The marks of one execution, shared by its first run and every redrive.
#[derive(Debug, Default)]
pub struct Ledger {
    marks: Mutex<HashMap<String, Mark>>,
}

impl Ledger {
    /// The key of visit `visit` (0 for the first) to `state` in the flow at `path`.
    pub fn key(path: &str, state: &str, visit: u32) -> String {
        format!("{path}{state}@{visit}")
    }

    /// The flow of branch `index` of a Parallel's attempt (`place`).
    pub fn branch_path(place: &str, index: usize) -> String {
        format!("{place}#{index}/")
    }

    /// Iteration `index` of a Map's attempt (`place`): its own mark, and the prefix of its
    /// states' keys.
    pub fn iteration_path(place: &str, index: usize) -> String {
        format!("{place}[{index}]/")
    }

    pub fn get(&self, key: &str) -> Option<Mark> {
        self.marks.lock().expect("ledger lock").get(key).cloned()
    }

    pub fn entered(&self, key: &str, event_id: i64) {
        self.marks.lock().expect("ledger lock").insert(
            key.to_string(),
            Mark {
                entered: event_id,
                done: None,
                attempts: 0,
            },
        );
    }

    pub fn done(&self, key: &str, output: &Value, next: Option<&str>) {
        if let Some(mark) = self.marks.lock().expect("ledger lock").get_mut(key) {
            mark.done = Some((output.clone(), next.map(str::to_string)));
        }
    }

    /// The number of the entry's latest attempt (what a redrive resumes).
    pub fn attempt(&self, key: &str) -> u32 {
        self.get(key).map_or(0, |mark| mark.attempts)
    }

    /// Counts a new attempt of the entry; its number.
    pub fn next_attempt(&self, key: &str) -> u32 {
        let mut marks = self.marks.lock().expect("ledger lock");
        match marks.get_mut(key) {
            Some(mark) => {
                mark.attempts += 1;
                mark.attempts
            }
            None => 0,
        }
    }

    /// Whether the run recorded anything (a backfilled run, never run here, did not).
    pub fn is_empty(&self) -> bool {
        self.marks.lock().expect("ledger lock").is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_flow_the_state_and_the_visit() {
        let parallel = Ledger::key("", "ParallelProcessing", 0);
        let branch = Ledger::branch_path(&format!("{parallel}/1"), 1);
        assert_eq!(
            Ledger::key(&branch, "Thumbnail", 0),
            "ParallelProcessing@0/1#1/Thumbnail@0"
        );
        let map = Ledger::key("", "Items", 2);
        assert_eq!(Ledger::iteration_path(&map, 3), "Items@2[3]/");
        let ledger = Ledger::default();
        assert!(ledger.is_empty());
        ledger.entered("A@0", 2);
        ledger.done("A@0", &serde_json::json!({"x": 1}), Some("B"));
        ledger.done("Never@0", &Value::Null, None);
        assert_eq!(
            ledger.get("A@0"),
            Some(Mark {
                entered: 2,
                done: Some((serde_json::json!({"x": 1}), Some("B".into()))),
                attempts: 0,
            })
        );
        assert_eq!(
            (ledger.next_attempt("A@0"), ledger.next_attempt("A@0")),
            (1, 2)
        );
        assert_eq!(ledger.attempt("A@0"), 2);
        assert_eq!(
            ledger.get("Never@0"),
            None,
            "done only marks what was entered"
        );
    }
}
