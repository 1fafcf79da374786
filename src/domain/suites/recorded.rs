//! A verdict as it is kept between runs: which step of which suite (its position and its
//! label, so that a step edited in a suites file starts a history of its own), whether it
//! passed, what was said, when and on which execution. The console's flaky mark and "last
//! runs" are read from these, whoever recorded them (the console or `stepdeck test` in CI).

use super::runner::StepResult;
use super::verdict::Verdict;
use crate::domain::Millis;

/// Verdicts kept per step (the store keeps no more; the console shows as many).
pub const KEPT_PER_STEP: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct VerdictRecord {
    pub suite: String,
    /// The step's position in its suite.
    pub step: usize,
    /// `1_happy_face as user_b`: what the step does, as the runner labels it.
    pub label: String,
    pub passed: bool,
    /// What a passed step did (`rejected: Face is wearing sunglasses`, else `passed`), the
    /// difference (`expected … got …`) or the problem.
    pub detail: String,
    pub finished_at: Millis,
    /// The execution a run started; None for a set-up step.
    pub execution_arn: Option<String>,
}

impl VerdictRecord {
    /// The record of `result`, a step of `suite` that finished at `finished_at`.
    pub fn of(suite: &str, result: &StepResult, finished_at: Millis) -> VerdictRecord {
        VerdictRecord {
            suite: suite.to_string(),
            step: result.step,
            label: result.label.clone(),
            passed: result.verdict.passed(),
            detail: match (&result.verdict, &result.detail) {
                (Verdict::Passed, Some(did)) => did.clone(),
                (verdict, _) => verdict.describe(),
            },
            finished_at,
            execution_arn: result.execution_arn.clone(),
        }
    }

    /// Whether this is a verdict on step `step` labelled `label` (a step moved or changed in
    /// its suite is another step).
    pub fn is_of(&self, step: usize, label: &str) -> bool {
        self.step == step && self.label == label
    }
}
