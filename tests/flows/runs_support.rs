//! Shared helpers for the run flow tests and snapshots: an app with the seed's test cases,
//! the start request among effects, and the summary the backend answers a start with.
#![allow(dead_code)]

use crate::app_support::*;
use std::path::PathBuf;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::{App, AppOptions, update::update};
use stepdeck::backend::{BackendInfo, Page, StartExecutionRequest};
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary};
use stepdeck::domain::test_case::seed_test_cases;
use stepdeck::keymap::Keymap;

pub const PHOTOS: &str = "stepdeck-sandbox-riderphotos3bucket";

pub fn settings_path() -> PathBuf {
    PathBuf::from("/home/u/.config/stepdeck/config.toml")
}

/// The seed list (`seed_rows`) with the seed's four test cases, optionally read-only.
pub fn runs_app(read_only: bool) -> App {
    let options = AppOptions {
        read_only,
        test_cases: seed_test_cases(PHOTOS),
        settings_path: Some(settings_path()),
        ..AppOptions::default()
    };
    let mut app = App::new(options, Keymap::defaults(), NOW);
    update(&mut app, Msg::Resize(120, 32));
    update(
        &mut app,
        Msg::BackendInfo(BackendInfo {
            kind: "local sandbox".into(),
            identity: "sandbox".into(),
            region: "us-east-1".into(),
            endpoint: None,
        }),
    );
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    let (generation, _) = list_request(&effects);
    update(
        &mut app,
        Msg::Executions {
            generation,
            append: false,
            result: Ok(Page {
                items: seed_rows(),
                next_token: None,
            }),
        },
    );
    app
}

/// The single StartExecution request among `effects`.
pub fn start_request(effects: &[Effect]) -> StartExecutionRequest {
    let found: Vec<&StartExecutionRequest> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartExecution(request) => Some(request),
            _ => None,
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one StartExecution in {effects:#?}"
    );
    found[0].clone()
}

/// The answer to the start of `request`.
pub fn answer(
    request: &StartExecutionRequest,
    result: Result<ExecutionSummary, stepdeck::backend::BackendError>,
) -> stepdeck::app::msg::Msg {
    stepdeck::app::msg::Msg::Started {
        request: request.clone(),
        result,
    }
}

/// What the backend answers a start with: the new execution, running.
pub fn started(request: &StartExecutionRequest) -> ExecutionSummary {
    let name = request.name.clone().expect("the console names its runs");
    ExecutionSummary {
        arn: exec_arn(&name),
        name,
        state_machine_arn: request.state_machine_arn.clone(),
        status: ExecutionStatus::Running,
        start: NOW,
        stop: None,
        input_label: stepdeck::domain::execution::input_label(&request.input),
        outcome: None,
    }
}

/// Moves the list cursor to the row named `name`.
pub fn select_row(app: &mut App, name: &str) {
    let index = app
        .executions
        .list
        .visible
        .iter()
        .position(|&i| app.executions.list.rows[i].name == name)
        .unwrap();
    let page = app.page_rows();
    app.executions.list.set_cursor(index, page);
}
