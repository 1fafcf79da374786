//! Shared helpers for the sandbox tests that drive it through the `Backend` trait: a quiet
//! sandbox (no seed runs, no trickle, no transient failures) and running one photo to its end.
#![allow(dead_code)]

use serde_json::json;
use std::time::Duration;
use stepdeck::backend::local::{
    PHOTO_BUCKET, RIDER_PHOTO_PROCESSING, SandboxOptions, state_machine_arn,
};
use stepdeck::backend::{Backend, StartExecutionRequest};
use stepdeck::domain::execution::{ExecutionStatus, ExecutionSummary};

pub const EPOCH_MS: i64 = 1_764_064_800_000;

/// A sandbox that does only what the test asks.
pub fn quiet_options() -> SandboxOptions {
    SandboxOptions {
        epoch_base_ms: EPOCH_MS,
        rng_seed: 7,
        seed_runs: false,
        backfill: false,
        trickle_every: None,
        transient_failure_rate: 0.0,
    }
}

/// Runs the pipeline on `key` of the photo bucket for `user` and waits (in paused tokio
/// time) until it ends; returns its final summary.
pub async fn run_photo(sandbox: &dyn Backend, user: &str, key: &str) -> ExecutionSummary {
    let started = sandbox
        .start_execution(StartExecutionRequest {
            state_machine_arn: state_machine_arn(RIDER_PHOTO_PROCESSING),
            name: None,
            input: json!({"userId": user, "s3Bucket": PHOTO_BUCKET, "s3Key": key}).to_string(),
        })
        .await
        .unwrap();
    wait_until_done(sandbox, &started.arn).await
}

/// Waits (in paused tokio time) until the execution ends; returns its final summary.
pub async fn wait_until_done(sandbox: &dyn Backend, execution_arn: &str) -> ExecutionSummary {
    for _ in 0..600 {
        let detail = sandbox.describe_execution(execution_arn).await.unwrap();
        if detail.summary.status != ExecutionStatus::Running {
            return detail.summary;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{execution_arn} still running after 150 s");
}
