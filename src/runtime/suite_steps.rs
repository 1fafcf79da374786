//! One step of a suite the tests screen runs, carried out exactly as `stepdeck test` carries
//! it out (`cli::test::perform`): the same start and follow, the same journaled clearing.

use crate::app::effect::SuiteTarget;
use crate::app::msg::{Generation, Msg};
use crate::backend::Backend;
use crate::cli::test::perform::Performer;
use crate::cli::test::{JournalWriter, Plan};
use crate::domain::journal::JournalContext;
use crate::domain::suites::runner::{Defaults, Request};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// Between two looks at a run the console started for a suite.
const POLL_MS: u64 = 1_000;

/// Performs `request` and answers with `Msg::SuiteAnswer`.
pub async fn perform(
    backend: Arc<dyn Backend>,
    generation: Generation,
    suite: usize,
    request: Request,
    target: Box<SuiteTarget>,
) -> Msg {
    let step = request.step();
    let target_name = target.suite_name.clone();
    let journal: JournalWriter = match target.journal_path.clone() {
        Some(path) => Arc::new(move |lines: &[String]| {
            super::journal::append_lines(&path, lines)
                .map(drop)
                .map_err(|e| format!("{}: {e}", path.display()))
        }),
        None => Arc::new(|_: &[String]| Err("no journal file is known".to_string())),
    };
    let context = target.journal_context.clone().unwrap_or(JournalContext {
        time: 0,
        profile: String::new(),
        region: String::new(),
        account: None,
        principal: None,
    });
    let plan = Plan {
        suites: Vec::new(),
        defaults: Defaults::default(),
        state_machine: target.state_machine.clone(),
        collection: target.collection.clone(),
        journal,
        journal_context: context.clone(),
        concurrency: 1,
        poll_ms: POLL_MS,
        now: Arc::new(wall_clock_ms),
    };
    let performer = Performer {
        backend,
        plan: Arc::new(plan),
        machines: target.machines,
        journal_context: context,
        sequence: AtomicU64::new(crate::cli::test::name_base()),
    };
    let answer = performer.perform(&target_name, request).await;
    Msg::SuiteAnswer {
        generation,
        suite,
        step,
        answer,
    }
}

/// Epoch milliseconds now (the runtime's own clock lives in `runtime/mod.rs`, which reaches
/// this file through the effects runner).
fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
