//! What `stepdeck test` prints and writes: a progress line per step (stderr), the summary as a
//! table or JSON (stdout), and JUnit XML (`quick-junit`) for CI. Text from AWS or files goes
//! through `escape_control` before it reaches a terminal.

use super::plan::SuiteOutcome;
use crate::domain::suites::runner::StepResult;
use crate::domain::suites::verdict::Verdict;
use crate::domain::text::escape_control;
use crate::domain::time::format_duration;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde_json::json;
use std::time::Duration;

fn mark(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Passed => "✓",
        Verdict::Failed(_) => "✗",
        Verdict::Error(_) => "!",
    }
}

fn duration(result: &StepResult) -> String {
    result.duration_ms.map(format_duration).unwrap_or_default()
}

/// What the step came to: the detail when it passed, else the difference or the problem.
fn what(result: &StepResult) -> String {
    let text = match (&result.verdict, &result.detail) {
        (Verdict::Passed, Some(detail)) => detail.clone(),
        (Verdict::Passed, None) => "passed".into(),
        (verdict, _) => verdict.describe(),
    };
    escape_control(&text).into_owned()
}

/// `  ✓ 2_sunglass_face  rejected: Face is wearing sunglasses  (4.1s)`
pub fn progress_line(result: &StepResult) -> String {
    let took = duration(result);
    let took = if took.is_empty() {
        String::new()
    } else {
        format!("  ({took})")
    };
    format!(
        "  {} {}  {}{took}",
        mark(&result.verdict),
        escape_control(&result.label),
        what(result)
    )
}

/// The summary table, then one line of totals.
pub fn text(outcomes: &[SuiteOutcome]) -> String {
    let rows: Vec<[String; 5]> = outcomes
        .iter()
        .flat_map(|o| {
            o.steps.iter().map(|s| {
                [
                    escape_control(&o.name).into_owned(),
                    escape_control(&s.label).into_owned(),
                    mark(&s.verdict).to_string(),
                    duration(s),
                    what(s),
                ]
            })
        })
        .collect();
    let header = ["SUITE", "STEP", "", "TIME", "RESULT"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), 1, width(3)];
    let line = |cells: [&str; 5]| {
        let mut out = String::new();
        for (i, width) in widths.iter().enumerate() {
            out.push_str(cells[i]);
            let pad = width.saturating_sub(cells[i].chars().count());
            out.push_str(&" ".repeat(pad + 2));
        }
        out.push_str(cells[4]);
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    let steps = outcomes.iter().flat_map(|o| &o.steps);
    let count = |f: fn(&Verdict) -> bool| steps.clone().filter(|s| f(&s.verdict)).count();
    // "1 suite, 4 steps: …, 1 error": a CI log reads this line first.
    let counted =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    out.push_str(&format!(
        "{}, {}: {} passed, {} failed, {}\n",
        counted(outcomes.len(), "suite", "suites"),
        counted(steps.clone().count(), "step", "steps"),
        count(|v| matches!(v, Verdict::Passed)),
        count(|v| matches!(v, Verdict::Failed(_))),
        counted(count(|v| matches!(v, Verdict::Error(_))), "error", "errors"),
    ));
    out
}

/// The summary as one JSON document.
pub fn json(outcomes: &[SuiteOutcome]) -> String {
    let suites: Vec<_> = outcomes
        .iter()
        .map(|o| {
            let steps: Vec<_> = o
                .steps
                .iter()
                .map(|s| {
                    let (verdict, difference) = match &s.verdict {
                        Verdict::Passed => ("passed", None),
                        Verdict::Failed(d) => ("failed", Some(d)),
                        Verdict::Error(d) => ("error", Some(d)),
                    };
                    json!({
                        "step": s.step + 1,
                        "label": s.label,
                        "verdict": verdict,
                        "difference": difference,
                        "detail": s.detail,
                        "execution_arn": s.execution_arn,
                        "duration_ms": s.duration_ms,
                    })
                })
                .collect();
            json!({
                "name": o.name,
                "passed": o.passed(),
                "duration_ms": o.duration_ms,
                "steps": steps,
            })
        })
        .collect();
    let passed = outcomes.iter().all(SuiteOutcome::passed);
    serde_json::to_string_pretty(&json!({"passed": passed, "suites": suites}))
        .expect("a JSON value serializes")
}

/// JUnit XML: one `<testsuite>` per suite, one `<testcase>` per step (classname the suite),
/// a failure with the difference, an error with the problem.
pub fn junit(outcomes: &[SuiteOutcome]) -> Result<String, String> {
    let mut report = Report::new("stepdeck");
    for outcome in outcomes {
        let mut suite = TestSuite::new(outcome.name.as_str());
        suite.set_time(Duration::from_millis(outcome.duration_ms.max(0) as u64));
        for step in &outcome.steps {
            let status = match &step.verdict {
                Verdict::Passed => TestCaseStatus::success(),
                Verdict::Failed(difference) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(difference.as_str()).set_type("verdict");
                    status
                }
                Verdict::Error(problem) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                    status.set_message(problem.as_str()).set_type("problem");
                    status
                }
            };
            let mut case = TestCase::new(format!("{}. {}", step.step + 1, step.label), status);
            case.set_classname(outcome.name.as_str());
            if let Some(ms) = step.duration_ms {
                case.set_time(Duration::from_millis(ms.max(0) as u64));
            }
            let out = [step.detail.as_deref(), step.execution_arn.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
            if !out.is_empty() {
                case.set_system_out(out);
            }
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().map_err(|e| e.to_string())
}
