//! Judging a run: what an execution did (`Observed`, from its description and history) against
//! what was expected, into a verdict that names the first difference.

use super::{Expectation, Expected, OutputCheck};
use crate::domain::Millis;
use crate::domain::execution::{ExecutionDetail, ExecutionStatus, Outcome};
use crate::domain::history::HistoryEvent;
use crate::domain::time::format_duration;
use crate::domain::timeline;
use serde_json::Value;

/// What one execution did, as far as its description and history tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    pub execution_arn: String,
    pub status: ExecutionStatus,
    /// The outcome the executions list shows (None while running).
    pub outcome: Option<Outcome>,
    /// The execution's output (JSON text), when it succeeded.
    pub output: Option<String>,
    /// Names of the states entered, in order of entry (a state entered twice is here twice).
    pub entered: Vec<String>,
    pub start: Millis,
    /// None while it runs.
    pub stop: Option<Millis>,
}

impl Observed {
    /// From `DescribeExecution` and the whole history. The outcome comes from the history's
    /// timeline (the Catch that routed a rejection), else from the description.
    pub fn from_execution(detail: &ExecutionDetail, history: &[HistoryEvent]) -> Observed {
        let timeline = timeline::build(history);
        let outcome = if history.is_empty() {
            crate::domain::execution::outcome_from_description(detail)
        } else {
            timeline
                .outcome()
                .or_else(|| detail.summary.outcome.clone())
        };
        let entered = history
            .iter()
            .filter(|e| e.event_type.is_state_entered())
            .filter_map(|e| e.details.name.clone())
            .collect();
        Observed {
            execution_arn: detail.summary.arn.clone(),
            status: detail.summary.status,
            outcome: if detail.summary.status.is_terminal() {
                outcome
            } else {
                None
            },
            output: detail.output.clone(),
            entered,
            start: detail.summary.start,
            stop: detail.summary.stop,
        }
    }

    pub fn duration(&self, now: Millis) -> Millis {
        self.stop.unwrap_or(now).saturating_sub(self.start)
    }

    /// How it ended, in the words of an expectation: `accepted`, `rejected: <reason>`,
    /// `failed: <error>: <message>`, `timed out`, `aborted`, `still running`.
    pub fn describe(&self) -> String {
        match (self.status, &self.outcome) {
            (ExecutionStatus::Running | ExecutionStatus::PendingRedrive, _) => {
                "still running".into()
            }
            (_, Some(Outcome::Completed)) => "accepted".into(),
            (_, Some(outcome @ Outcome::Rejected { .. })) => outcome.label(),
            (ExecutionStatus::TimedOut, _) => "timed out".into(),
            (ExecutionStatus::Aborted, _) => "aborted".into(),
            (_, Some(outcome @ Outcome::Error { .. })) => {
                format!("failed: {}", outcome.label())
            }
            (status, None) => status.as_str().to_lowercase(),
        }
    }
}

/// Whether a step did what it had to, and if not the first difference, e.g. `expected
/// "rejected: already in the system", got "accepted"`.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Passed,
    Failed(String),
    /// The step could not be carried out (a backend or input problem): no verdict on the
    /// pipeline, a problem with the check itself.
    Error(String),
}

impl Verdict {
    pub fn passed(&self) -> bool {
        matches!(self, Verdict::Passed)
    }

    /// `✓`, or `✗ <difference>`, or `! <problem>`.
    pub fn describe(&self) -> String {
        match self {
            Verdict::Passed => "passed".into(),
            Verdict::Failed(difference) => difference.clone(),
            Verdict::Error(problem) => format!("error: {problem}"),
        }
    }
}

/// Judges `observed` (at `now`, for a run still going) against `expect`: the outcome first,
/// then the time limit, the output assertions, the states entered and not entered. The first
/// difference found is the verdict.
pub fn judge(expect: &Expectation, observed: &Observed, now: Millis) -> Verdict {
    if let Some(difference) = outcome_difference(&expect.outcome, observed) {
        return Verdict::Failed(difference);
    }
    if let Some(limit) = expect.within_ms {
        let took = observed.duration(now);
        if took > limit {
            return Verdict::Failed(format!(
                "expected to end within {}, took {}",
                format_duration(limit),
                format_duration(took)
            ));
        }
    }
    if !expect.output.is_empty() {
        let output: Option<Value> = observed
            .output
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok());
        for assertion in &expect.output {
            let Some(output) = &output else {
                return Verdict::Failed(format!(
                    "expected output at {}, the execution has no JSON output",
                    assertion.path
                ));
            };
            let nodes = assertion.query.query(output).all();
            if let Some(difference) = check_nodes(&assertion.path, &assertion.check, &nodes) {
                return Verdict::Failed(difference);
            }
        }
    }
    for state in &expect.entered {
        if !observed.entered.iter().any(|s| s == state) {
            return Verdict::Failed(format!("expected state {state} entered, it was not"));
        }
    }
    for state in &expect.not_entered {
        if observed.entered.iter().any(|s| s == state) {
            return Verdict::Failed(format!("expected state {state} not entered, it was"));
        }
    }
    Verdict::Passed
}

fn outcome_difference(expected: &Expected, observed: &Observed) -> Option<String> {
    let matched = match (expected, observed.status, &observed.outcome) {
        (Expected::Accepted, ExecutionStatus::Succeeded, Some(Outcome::Completed)) => true,
        (
            Expected::Rejected(reason),
            ExecutionStatus::Succeeded,
            Some(Outcome::Rejected { error, message, .. }),
        ) => reason
            .as_ref()
            .is_none_or(|r| r.matches(message) || r.matches(error)),
        (
            Expected::Failed(error),
            ExecutionStatus::Failed,
            Some(Outcome::Error { error: e, .. }),
        ) => error.as_ref().is_none_or(|wanted| wanted.matches(e)),
        (Expected::Failed(None), ExecutionStatus::Failed, _) => true,
        (Expected::TimedOut, ExecutionStatus::TimedOut, _) => true,
        _ => false,
    };
    (!matched).then(|| format!("expected \"{expected}\", got \"{}\"", observed.describe()))
}

fn check_nodes(path: &str, check: &OutputCheck, nodes: &[&Value]) -> Option<String> {
    if nodes.is_empty() {
        let wanted = match check {
            OutputCheck::Exists => "to exist".to_string(),
            OutputCheck::Equals(value) => format!("= {value}"),
            OutputCheck::Matches(pattern) => format!("to match {pattern}"),
        };
        return Some(format!("expected {path} {wanted}, found nothing there"));
    }
    match check {
        OutputCheck::Exists => None,
        OutputCheck::Equals(value) => nodes
            .iter()
            .find(|node| **node != value)
            .map(|node| format!("expected {path} = {value}, got {node}")),
        OutputCheck::Matches(pattern) => nodes
            .iter()
            .find(|node| !pattern.matches(&node_text(node)))
            .map(|node| format!("expected {path} to match {pattern}, got {node}")),
    }
}

/// A string as it is, anything else as compact JSON.
fn node_text(node: &Value) -> String {
    match node {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
