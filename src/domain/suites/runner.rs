//! Walking a suite, pure: `ready` says what to do next in domain terms (start this run and
//! watch it to its end, clear these faces, delete that object, wait), the caller does it and
//! hands back an `Answer`, which becomes the step's result. The headless `stepdeck test` and
//! the console both drive this one walk. Steps go in order; in a suite marked independent the
//! runs between two set-up steps may go at once. A set-up step that fails ends the suite: what
//! follows it would be judged on an account in an unknown state.

use super::verdict::{Observed, Verdict, judge};
use super::{Step, Suite};
use crate::domain::Millis;
use crate::domain::test_case::{TestCase, with_user_id};

/// Something the caller must do for a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Start an execution with `input` and follow it to its end (or until `time_limit` has
    /// passed since its start, if one is set), then answer with what it did.
    Run {
        step: usize,
        /// For the execution's name.
        case: String,
        /// Name or ARN; the one in use when None.
        state_machine: Option<String>,
        input: String,
        time_limit: Option<Millis>,
    },
    /// `SearchFacesByImage` on the photo, then `DeleteFaces` of every match, journaled.
    ClearFaces {
        step: usize,
        bucket: String,
        key: String,
    },
    /// Delete one object, journaled.
    DeleteObject {
        step: usize,
        bucket: String,
        key: String,
    },
    Wait {
        step: usize,
        ms: Millis,
    },
}

impl Request {
    pub fn step(&self) -> usize {
        match self {
            Request::Run { step, .. }
            | Request::ClearFaces { step, .. }
            | Request::DeleteObject { step, .. }
            | Request::Wait { step, .. } => *step,
        }
    }
}

/// What came of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The execution a `Run` started, as far as it went.
    Ran(Observed),
    /// A set-up step was carried out; the text says what it did (`2 faces deleted`).
    Done(String),
    /// It could not be done (the backend's error, in words).
    Problem(String),
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    pub step: usize,
    /// `1_happy_face as user_b`, `clear the faces of 1_happy_face.jpg`.
    pub label: String,
    pub verdict: Verdict,
    /// What a set-up step did, or what a run did when it passed (`accepted`).
    pub detail: Option<String>,
    /// The execution a run started.
    pub execution_arn: Option<String>,
    /// How long the execution ran.
    pub duration_ms: Option<Millis>,
}

impl StepResult {
    pub fn is_run(&self) -> bool {
        self.execution_arn.is_some() || self.duration_ms.is_some()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum StepState {
    Pending,
    Running,
    Done(StepResult),
}

/// Where set-up steps and runs find what their steps leave unsaid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defaults {
    /// The test case library (built-in and the user's).
    pub cases: Vec<TestCase>,
    /// The bucket `ClearFaces` reads photos from when a step names none.
    pub photo_bucket: Option<String>,
    /// The bucket `DeleteThumbnail` deletes from when a step names none.
    pub thumbnail_bucket: Option<String>,
}

/// One walk through a suite.
#[derive(Debug, Clone)]
pub struct SuiteRun {
    pub suite: Suite,
    defaults: Defaults,
    states: Vec<StepState>,
}

impl SuiteRun {
    pub fn new(suite: Suite, defaults: Defaults) -> SuiteRun {
        let states = vec![StepState::Pending; suite.steps.len()];
        SuiteRun {
            suite,
            defaults,
            states,
        }
    }

    /// What may start now (each is then counted as running): the next step once the ones
    /// before it are done, or in an independent suite every run up to the next set-up step.
    /// A step that cannot even be asked (an unknown test case, an input that is not an
    /// object) is done at once with an error, and the walk goes on.
    pub fn ready(&mut self) -> Vec<Request> {
        let mut requests = Vec::new();
        let mut busy = false;
        for index in 0..self.states.len() {
            let is_run = matches!(self.suite.steps[index], Step::Run(_));
            let concurrent = self.suite.independent && is_run;
            match &self.states[index] {
                StepState::Done(_) => continue,
                StepState::Running if concurrent => {
                    busy = true;
                    continue;
                }
                StepState::Running => return requests,
                StepState::Pending => {}
            }
            if busy && !concurrent {
                break;
            }
            match self.request(index) {
                Ok(request) => {
                    self.states[index] = StepState::Running;
                    requests.push(request);
                    busy = true;
                    if !concurrent {
                        break;
                    }
                }
                Err(problem) => {
                    let result = self.result(index, Verdict::Error(problem), None);
                    self.finish(result);
                }
            }
        }
        requests
    }

    /// Records what came of step `step`'s request (judged at `now` for a run that was still
    /// going) and returns its result. A set-up step that could not be done skips the rest.
    pub fn answer(&mut self, step: usize, answer: Answer, now: Millis) -> StepResult {
        let result = match (&self.suite.steps[step], answer) {
            (Step::Run(run), Answer::Ran(observed)) => {
                let verdict = judge(&run.expect, &observed, now);
                let mut result = self.result(step, verdict, Some(observed.describe()));
                result.execution_arn = Some(observed.execution_arn.clone());
                result.duration_ms = Some(observed.duration(now));
                result
            }
            (_, Answer::Problem(problem)) => self.result(step, Verdict::Error(problem), None),
            (Step::Run(_), Answer::Done(what)) => self.result(
                step,
                Verdict::Error(format!("no execution was observed ({what})")),
                None,
            ),
            (_, Answer::Done(what)) => self.result(step, Verdict::Passed, Some(what)),
            (_, Answer::Ran(observed)) => self.result(
                step,
                Verdict::Error("a set-up step was answered with an execution".into()),
                Some(observed.describe()),
            ),
        };
        self.finish(result.clone());
        result
    }

    /// Files a step's result; a set-up step that did not succeed skips every step after it.
    fn finish(&mut self, result: StepResult) {
        let step = result.step;
        let set_up_failed =
            !matches!(self.suite.steps[step], Step::Run(_)) && !result.verdict.passed();
        let why = format!("skipped: {} did not succeed", result.label);
        self.states[step] = StepState::Done(result);
        if set_up_failed {
            for index in step + 1..self.states.len() {
                if self.states[index] == StepState::Pending {
                    let skipped = self.result(index, Verdict::Error(why.clone()), None);
                    self.states[index] = StepState::Done(skipped);
                }
            }
        }
    }

    /// Every step is done.
    pub fn is_finished(&self) -> bool {
        self.states.iter().all(|s| matches!(s, StepState::Done(_)))
    }

    /// Whether step `step` is waiting for its answer.
    pub fn is_running(&self, step: usize) -> bool {
        self.states.get(step) == Some(&StepState::Running)
    }

    /// The results so far, in step order.
    pub fn results(&self) -> Vec<&StepResult> {
        self.states
            .iter()
            .filter_map(|state| match state {
                StepState::Done(result) => Some(result),
                _ => None,
            })
            .collect()
    }

    /// Finished, with every step passed.
    pub fn passed(&self) -> bool {
        self.is_finished() && self.results().iter().all(|r| r.verdict.passed())
    }

    fn result(&self, step: usize, verdict: Verdict, detail: Option<String>) -> StepResult {
        StepResult {
            step,
            label: self.suite.steps[step].describe(),
            verdict,
            detail,
            execution_arn: None,
            duration_ms: None,
        }
    }

    /// The request for step `index`, in terms the caller can carry out as they are.
    fn request(&self, index: usize) -> Result<Request, String> {
        let missing_bucket = |what: &str| {
            format!("no {what} bucket is known: name one in the step (bucket = \"…\")")
        };
        Ok(match &self.suite.steps[index] {
            Step::Run(run) => {
                let case = self.defaults.cases.iter().find(|c| c.name == run.case);
                let input = match (&run.input, case) {
                    (Some(input), _) => input.clone(),
                    (None, Some(case)) => case.input.clone(),
                    (None, None) => {
                        return Err(format!("no test case named {}", run.case));
                    }
                };
                let input = match &run.as_user {
                    Some(user) => with_user_id(&input, user)?,
                    None => input,
                };
                Request::Run {
                    step: index,
                    case: run.case.clone(),
                    state_machine: run
                        .state_machine
                        .clone()
                        .or_else(|| case.and_then(|c| c.state_machine.clone())),
                    input,
                    time_limit: run.expect.within_ms,
                }
            }
            Step::ClearFaces { bucket, key } => Request::ClearFaces {
                step: index,
                bucket: bucket
                    .clone()
                    .or_else(|| self.defaults.photo_bucket.clone())
                    .ok_or_else(|| missing_bucket("photo"))?,
                key: key.clone(),
            },
            Step::DeleteThumbnail { bucket, key } => Request::DeleteObject {
                step: index,
                bucket: bucket
                    .clone()
                    .or_else(|| self.defaults.thumbnail_bucket.clone())
                    .ok_or_else(|| missing_bucket("thumbnail"))?,
                key: key.clone(),
            },
            Step::Wait { ms } => Request::Wait {
                step: index,
                ms: *ms,
            },
        })
    }
}
