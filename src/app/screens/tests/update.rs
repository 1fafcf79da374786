//! Running a suite from the console: the walk (`domain::suites::runner`) asks, each request
//! goes out as an `Effect::SuiteStep` (at most `CONCURRENT_STEPS` at once), each answer is
//! judged and recorded as it comes (and kept in the store: `Effect::RecordVerdict`), and the
//! end of the run says how it went. On first sight the kept verdicts are asked for and put
//! before this console's own.

use super::{CONCURRENT_STEPS, HISTORY, Row, State};
use crate::app::ctx::Ctx;
use crate::app::effect::{Effect, SuiteTarget};
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::backend::BackendResult;
use crate::domain::execution::ExecutionSummary;
use crate::domain::suites::Step;
use crate::domain::suites::recorded::VerdictRecord;
use crate::domain::suites::runner::{Answer, Defaults, SuiteRun};
use crate::domain::text::escape_control;

/// The screen is shown: the first time, ask for the verdicts the store keeps.
pub fn shown(s: &mut State, cx: &mut Ctx) -> Vec<Effect> {
    if s.history_asked_at.is_some() || s.suites.is_empty() {
        return Vec::new();
    }
    s.history_asked_at = Some(cx.now);
    vec![Effect::LoadVerdictHistory {
        suites: s.suites.iter().map(|x| x.suite.name.clone()).collect(),
    }]
}

/// The kept verdicts: each step's history becomes its kept verdicts from before the ask,
/// then the ones this console recorded since (never counted twice), the last `HISTORY`.
pub fn on_history(
    s: &mut State,
    cx: &mut Ctx,
    result: BackendResult<Vec<VerdictRecord>>,
) -> Vec<Effect> {
    let kept = match result {
        Ok(kept) => kept,
        Err(error) => {
            cx.notify(
                NoticeLevel::Error,
                format!("the verdicts of earlier runs cannot be read: {error}"),
            );
            return Vec::new();
        }
    };
    let asked = s.history_asked_at.unwrap_or(cx.now);
    for suite in &mut s.suites {
        for (index, (step, record)) in suite
            .suite
            .steps
            .iter()
            .zip(suite.steps.iter_mut())
            .enumerate()
        {
            let label = step.describe();
            let mut history: std::collections::VecDeque<bool> = kept
                .iter()
                .filter(|v| {
                    v.suite == suite.suite.name && v.is_of(index, &label) && v.finished_at < asked
                })
                .map(|v| v.passed)
                .collect();
            history.extend(record.history.iter().copied());
            while history.len() > HISTORY {
                history.pop_front();
            }
            record.history = history;
        }
    }
    Vec::new()
}

/// Starts suite `index`: nothing when it runs already, or when it deletes and the journal
/// cannot take the record.
pub fn run(
    s: &mut State,
    cx: &mut Ctx,
    index: usize,
    defaults: Defaults,
    mut target: SuiteTarget,
) -> Vec<Effect> {
    let Some(suite) = s.suites.get_mut(index) else {
        return Vec::new();
    };
    if suite.running() {
        let text = format!("suite {} is running", escape_control(&suite.suite.name));
        cx.notify(NoticeLevel::Info, text);
        return Vec::new();
    }
    let deletes = suite
        .suite
        .steps
        .iter()
        .any(|step| matches!(step, Step::ClearFaces { .. } | Step::DeleteThumbnail { .. }));
    if deletes {
        match cx.journal_ready() {
            Some(path) => target.journal_path = Some(path),
            None => return Vec::new(),
        }
    }
    suite.generation = cx.next_generation();
    suite.walk = Some(SuiteRun::new(suite.suite.clone(), defaults));
    suite.started = Some(cx.now);
    suite.recorded = vec![false; suite.suite.steps.len()];
    suite.queue.clear();
    suite.in_flight.clear();
    target.suite_name = suite.suite.name.clone();
    suite.target = Some(target);
    pump(s, cx, index)
}

/// The answer to one step's request.
pub fn on_answer(
    s: &mut State,
    cx: &mut Ctx,
    generation: Generation,
    index: usize,
    step: usize,
    answer: Answer,
) -> Vec<Effect> {
    let Some(suite) = s.suites.get_mut(index) else {
        return Vec::new();
    };
    if suite.generation != generation || !suite.in_flight.contains(&step) {
        return Vec::new();
    }
    suite.in_flight.retain(|&i| i != step);
    let Some(walk) = suite.walk.as_mut() else {
        return Vec::new();
    };
    if let Answer::Ran(observed) = &answer {
        suite.steps[step].observed = Some(observed.clone());
    }
    walk.answer(step, answer, cx.now);
    pump(s, cx, index)
}

/// Sends what the walk asks (within the bound), records the results it has, and ends the
/// run when every step is done.
fn pump(s: &mut State, cx: &mut Ctx, index: usize) -> Vec<Effect> {
    let suite = &mut s.suites[index];
    let Some(walk) = suite.walk.as_mut() else {
        return Vec::new();
    };
    suite.queue.extend(walk.ready());
    let mut effects = Vec::new();
    for result in walk.results() {
        if !suite.recorded[result.step] {
            effects.push(Effect::RecordVerdict(VerdictRecord::of(
                &suite.suite.name,
                result,
                cx.now,
            )));
            suite.recorded[result.step] = true;
            let record = &mut suite.steps[result.step];
            record.history.push_back(result.verdict.passed());
            while record.history.len() > HISTORY {
                record.history.pop_front();
            }
            record.last = Some(result.clone());
        }
    }
    while suite.in_flight.len() < CONCURRENT_STEPS
        && let Some(request) = suite.queue.pop_front()
    {
        suite.in_flight.push(request.step());
        effects.push(Effect::SuiteStep {
            generation: suite.generation,
            suite: index,
            request,
            target: Box::new(suite.target.clone().unwrap_or_default()),
        });
    }
    if walk.is_finished() {
        let results = walk.results();
        let passed = results.iter().filter(|r| r.verdict.passed()).count();
        let name = escape_control(&suite.suite.name).into_owned();
        let (level, text) = match results.iter().find(|r| !r.verdict.passed()) {
            None => (
                NoticeLevel::Info,
                format!("suite {name}: all {passed} steps passed"),
            ),
            Some(first) => (
                NoticeLevel::Error,
                format!(
                    "suite {name}: {passed} of {} passed; {}: {}",
                    results.len(),
                    escape_control(&first.label),
                    escape_control(&first.verdict.describe())
                ),
            ),
        };
        suite.took = suite.started.map(|t| cx.now - t);
        suite.walk = None;
        suite.target = None;
        cx.notify(level, text);
    }
    effects
}

/// The execution the step under the cursor last ran, as the execution view opens it.
pub fn execution_under_cursor(s: &State) -> Option<ExecutionSummary> {
    let Row::Step(i, j) = s.current()? else {
        return None;
    };
    let observed = s.suites[i].steps[j].observed.as_ref()?;
    let arn = &observed.execution_arn;
    // `arn:…:execution:<machine>:<name>` names its machine `arn:…:stateMachine:<machine>`.
    let (account_part, rest) = arn.split_once(":execution:")?;
    let (machine, name) = rest.split_once(':')?;
    Some(ExecutionSummary {
        arn: arn.clone(),
        name: name.to_string(),
        state_machine_arn: format!("{account_part}:stateMachine:{machine}"),
        status: observed.status,
        start: observed.start,
        stop: observed.stop,
        input_label: None,
        outcome: observed.outcome.clone(),
    })
}
