//! Running a suite from the console: the walk (`domain::suites::runner`) asks, each request
//! goes out as an `Effect::SuiteStep` (at most `CONCURRENT_STEPS` at once), each answer is
//! judged and recorded as it comes, and the end of the run says how it went.

use super::{CONCURRENT_STEPS, HISTORY, Row, State};
use crate::app::ctx::Ctx;
use crate::app::effect::{Effect, SuiteTarget};
use crate::app::msg::Generation;
use crate::app::notice::NoticeLevel;
use crate::domain::execution::ExecutionSummary;
use crate::domain::suites::Step;
use crate::domain::suites::runner::{Answer, Defaults, SuiteRun};
use crate::domain::text::escape_control;

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
    for result in walk.results() {
        if !suite.recorded[result.step] {
            suite.recorded[result.step] = true;
            let record = &mut suite.steps[result.step];
            record.history.push_back(result.verdict.passed());
            while record.history.len() > HISTORY {
                record.history.pop_front();
            }
            record.last = Some(result.clone());
        }
    }
    let mut effects = Vec::new();
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
