//! The tests screen's state: the suites (built-in and the user's), a cursor over their rows
//! (a suite, then its steps), the walk of each suite being run (`domain::suites::runner`: the
//! same one `stepdeck test` drives), each step's last result and the verdicts of its recent
//! runs, to mark the flaky ones. Read in the order `keys.rs` → `update.rs` → `view.rs`.

pub mod keys;
pub mod update;
pub mod view;

use crate::app::effect::SuiteTarget;
use crate::app::msg::Generation;
use crate::domain::Millis;
use crate::domain::suites::Suite;
use crate::domain::suites::recorded::KEPT_PER_STEP;
use crate::domain::suites::runner::{Request, StepResult, SuiteRun};
use crate::domain::suites::verdict::Observed;
use std::collections::VecDeque;

/// Verdicts kept per step for the flaky mark ("passed 9 of the last 10"), as many as the
/// store keeps.
pub const HISTORY: usize = KEPT_PER_STEP;
/// Runs of one suite sent at once; the rest wait their turn (each call is also within the
/// API budget of the backend).
pub const CONCURRENT_STEPS: usize = 3;

/// One row of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Suite(usize),
    Step(usize, usize),
}

/// What is known of one step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepRecord {
    /// The result of its last run.
    pub last: Option<StepResult>,
    /// The execution that run observed (for `Enter`).
    pub observed: Option<Observed>,
    /// Passed or not, newest last, at most `HISTORY`: the store's kept verdicts, then this
    /// console's.
    pub history: VecDeque<bool>,
}

impl StepRecord {
    /// `passed 9 of the last 10` when its recent verdicts disagree; None when they agree.
    pub fn flaky(&self) -> Option<String> {
        let passed = self.history.iter().filter(|p| **p).count();
        (passed > 0 && passed < self.history.len())
            .then(|| format!("passed {passed} of the last {}", self.history.len()))
    }
}

/// One suite and its run in progress.
#[derive(Debug, Clone)]
pub struct SuiteState {
    pub suite: Suite,
    pub steps: Vec<StepRecord>,
    /// The walk while the suite runs.
    pub walk: Option<SuiteRun>,
    /// Requests the walk made that wait for a free slot.
    pub queue: VecDeque<Request>,
    /// Steps whose request is out.
    pub in_flight: Vec<usize>,
    /// Answers carrying another generation are from an earlier run.
    pub generation: Generation,
    pub started: Option<Millis>,
    /// How long the last finished run took.
    pub took: Option<Millis>,
    /// Steps of the current run whose result is recorded.
    pub recorded: Vec<bool>,
    /// Where the current run's requests go.
    pub target: Option<SuiteTarget>,
}

impl SuiteState {
    pub fn running(&self) -> bool {
        self.walk.is_some()
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub suites: Vec<SuiteState>,
    pub cursor: usize,
    /// First row shown.
    pub offset: usize,
    /// When the kept verdicts were asked for (once, on first sight): those kept later are
    /// this console's own, already in `history`.
    pub history_asked_at: Option<Millis>,
}

impl State {
    pub fn new(suites: Vec<Suite>) -> State {
        State {
            suites: suites
                .into_iter()
                .map(|suite| SuiteState {
                    steps: vec![StepRecord::default(); suite.steps.len()],
                    suite,
                    walk: None,
                    queue: VecDeque::new(),
                    in_flight: Vec::new(),
                    generation: 0,
                    started: None,
                    took: None,
                    recorded: Vec::new(),
                    target: None,
                })
                .collect(),
            cursor: 0,
            offset: 0,
            history_asked_at: None,
        }
    }

    /// Every row, in order: each suite, then its steps.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        for (i, s) in self.suites.iter().enumerate() {
            rows.push(Row::Suite(i));
            rows.extend((0..s.suite.steps.len()).map(|j| Row::Step(i, j)));
        }
        rows
    }

    /// The row under the cursor.
    pub fn current(&self) -> Option<Row> {
        self.rows().get(self.cursor).copied()
    }

    /// The suite of the row under the cursor.
    pub fn current_suite(&self) -> Option<usize> {
        match self.current()? {
            Row::Suite(i) | Row::Step(i, _) => Some(i),
        }
    }
}
