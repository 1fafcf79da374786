//! A dashboard filled from a day of synthetic runs: 120 executions every 11 minutes back
//! from `NOW` (accepted, rejected for two reasons, failed, timed out, aborted, a few running),
//! each finished one's history a fixture stretched by a factor of its own, so state
//! durations differ from run to run.
#![allow(dead_code)]

use crate::app_support::*;
use stepdeck::app::App;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::update::update;
use stepdeck::backend::Page;
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary, Outcome};
use stepdeck::domain::history::HistoryEvent;

pub const RUNS: u32 = 120;

pub fn dash_name(n: u32) -> String {
    format!("dash-{n:03}")
}

/// Run `n`: its summary and the fixture its history is made from.
pub fn dash_run(n: u32) -> (ExecutionSummary, &'static str) {
    let start = NOW - i64::from(n) * 11 * 60_000 - 30_000;
    let took = Some(2_000 + i64::from(n % 7) * 700);
    let (status, outcome, fixture) = match n % 10 {
        _ if n < 3 => (ExecutionStatus::Running, None, "running.json"),
        0..=5 => (
            ExecutionStatus::Succeeded,
            Some(Outcome::Completed),
            "retry_absorbed.json",
        ),
        6 | 7 => (
            ExecutionStatus::Succeeded,
            Some(Outcome::Rejected {
                state: "FaceDetection".into(),
                error: "PhotoDoesNotMeetRequirementError".into(),
                message: if n % 10 == 6 {
                    "Face is wearing sunglasses".into()
                } else {
                    "Detected 3 faces in the photo.".into()
                },
            }),
            "rejected_sunglasses.json",
        ),
        8 => (
            ExecutionStatus::Failed,
            Some(Outcome::Error {
                error: "DynamoDB.ResourceNotFoundException".into(),
                cause: "Requested resource not found".into(),
            }),
            "failed.json",
        ),
        _ if n % 20 == 9 => (
            ExecutionStatus::Aborted,
            Some(Outcome::Error {
                error: "ABORTED".into(),
                cause: String::new(),
            }),
            "aborted.json",
        ),
        _ => (
            ExecutionStatus::TimedOut,
            Some(Outcome::Error {
                error: "States.Timeout".into(),
                cause: String::new(),
            }),
            "timed_out.json",
        ),
    };
    let mut summary = execution(&dash_name(n), status, start, took);
    if status == ExecutionStatus::Running {
        summary.stop = None;
    }
    summary.outcome = outcome;
    (summary, fixture)
}

pub fn dash_rows() -> Vec<ExecutionSummary> {
    (0..RUNS).map(|n| dash_run(n).0).collect()
}

/// The history of run `n`: its fixture with every gap stretched by 1 + (n % 9) / 4.
pub fn dash_history(n: u32) -> Vec<HistoryEvent> {
    let mut events = fixture(dash_run(n).1);
    let t0 = events[0].timestamp;
    let factor = 4 + i64::from(n % 9);
    for e in &mut events {
        e.timestamp = t0 + (e.timestamp - t0) * factor / 4;
        // The other rejection: the sunglasses history tells its reason (histories win over
        // the listing's outcome for a succeeded run).
        if n % 10 == 7
            && let Some(cause) = &mut e.details.cause
        {
            *cause = cause.replace(
                "Face is wearing sunglasses",
                "Detected 3 faces in the photo.",
            );
        }
    }
    events
}

/// The dashboard's listing request in `effects`.
pub fn dash_listing(effects: &[Effect]) -> Option<(u64, bool, Option<String>)> {
    effects.iter().find_map(|e| match e {
        Effect::LoadExecutions {
            generation,
            append,
            request,
        } => Some((*generation, *append, request.next_token.clone())),
        _ => None,
    })
}

/// The history requests in `effects`: (generation, execution ARN).
pub fn history_requests(effects: &[Effect]) -> Vec<(u64, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadStatsHistory {
                generation,
                execution_arn,
            } => Some((*generation, execution_arn.clone())),
            _ => None,
        })
        .collect()
}

/// Answers history requests as they come until none is left; returns the ARNs asked for, in
/// order.
pub fn answer_histories(app: &mut App, mut effects: Vec<Effect>) -> Vec<String> {
    let mut asked = Vec::new();
    loop {
        let requests = history_requests(&effects);
        if requests.is_empty() {
            return asked;
        }
        effects = Vec::new();
        for (generation, arn) in requests {
            let n: u32 = arn.rsplit('-').next().unwrap().parse().unwrap();
            asked.push(arn.clone());
            effects.extend(update(
                app,
                Msg::StatsHistory {
                    generation,
                    execution_arn: arn,
                    result: Ok(dash_history(n)),
                },
            ));
        }
    }
}

/// The seed app on the dashboard, its page answered with the day's runs (and `next_token`),
/// every history read.
pub fn dashboard_app(next_token: Option<&str>) -> App {
    let mut app = seed_app();
    let effects = press(&mut app, "g d");
    let (generation, append, _) = dash_listing(&effects).expect("the dashboard lists");
    let effects = update(
        &mut app,
        Msg::Executions {
            generation,
            append,
            result: Ok(Page {
                items: dash_rows(),
                next_token: next_token.map(str::to_string),
            }),
        },
    );
    answer_histories(&mut app, effects);
    app
}
