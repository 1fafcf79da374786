//! `stepdeck test`: runs test suites headless against the backend the flags name (the
//! sandbox with `--local`, else AWS), progress on stderr, a summary on stdout (text or
//! JSON), JUnit XML on request. Exit 0 only when every verdict passed, 1 when one failed, 2
//! for a usage or connection problem. `main.rs` builds the backend and the plan; this module
//! walks the suites (`domain::suites::runner`) and `perform.rs` carries out each request.

pub mod perform;
mod plan;
pub mod report;

pub use plan::*;

use crate::backend::Backend;
use crate::domain::suites::Suite;
use crate::domain::suites::recorded::VerdictRecord;
use crate::domain::suites::runner::{StepResult, SuiteRun};
use crate::domain::text::escape_control;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use perform::Performer;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// Runs the plan's suites one after another (they share the account: one suite's set-up
/// must not pull the faces from under another's runs); within an independent suite up to
/// `concurrency` runs go at once. `progress` gets one line per finished step.
pub async fn run_suites(
    backend: Arc<dyn Backend>,
    plan: Plan,
    progress: &mut dyn FnMut(String),
) -> Result<Vec<SuiteOutcome>, String> {
    let machines = backend
        .list_state_machines()
        .await
        .map_err(|e| format!("cannot list state machines: {e}"))?;
    let plan = Arc::new(plan);
    let performer = Arc::new(Performer {
        backend: backend.clone(),
        plan: plan.clone(),
        machines,
        journal_context: plan.journal_context.clone(),
        sequence: AtomicU64::new(name_base()),
    });
    let mut outcomes = Vec::new();
    for suite in &plan.suites {
        let began = (plan.now)();
        progress(format!("suite {}", escape_control(&suite.name)));
        let mut walk = SuiteRun::new(suite.clone(), plan.defaults.clone());
        let mut queue = std::collections::VecDeque::new();
        let mut going = FuturesUnordered::new();
        loop {
            queue.extend(walk.ready());
            while going.len() < plan.concurrency
                && let Some(request) = queue.pop_front()
            {
                // A run can take minutes on AWS: say what is under way.
                if let Some(step) = suite.steps.get(request.step()) {
                    progress(format!("  … {}", escape_control(&step.describe())));
                }
                let performer = performer.clone();
                let name = suite.name.clone();
                going.push(async move {
                    let step = request.step();
                    (step, performer.perform(&name, request).await)
                });
            }
            let Some((step, answer)) = going.next().await else {
                break;
            };
            let result = walk.answer(step, answer, (plan.now)());
            progress(report::progress_line(&result));
        }
        // Steps judged without a request (an unknown case) have no progress line yet.
        let results: Vec<StepResult> = walk.results().into_iter().cloned().collect();
        // Kept with the console's (where there is a store), so that a CI machine's runs show
        // in the console's last runs and flaky marks.
        let finished_at = (plan.now)();
        for result in &results {
            backend
                .record_verdict(VerdictRecord::of(&suite.name, result, finished_at))
                .await;
        }
        outcomes.push(SuiteOutcome {
            name: suite.name.clone(),
            steps: results,
            duration_ms: (plan.now)() - began,
        });
    }
    Ok(outcomes)
}

/// Where this process's execution numbers start: its id and the moment, so that two runs in
/// one second (two CI jobs against one account) never name an execution alike.
pub fn name_base() -> u64 {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_micros()));
    u64::from(std::process::id()) * 1_000_000 + micros
}

/// The suites to run: every one, or those named (in the order named). An unknown name is a
/// usage problem that lists the known ones.
pub fn select(all: Vec<Suite>, names: &[String]) -> Result<Vec<Suite>, String> {
    if names.is_empty() {
        return Ok(all);
    }
    names
        .iter()
        .map(|name| {
            all.iter()
                .find(|s| &s.name == name)
                .cloned()
                .ok_or_else(|| {
                    let known: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
                    format!(
                        "no suite named {} (known: {})",
                        escape_control(name),
                        known.join(", ")
                    )
                })
        })
        .collect()
}
