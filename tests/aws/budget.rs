//! The API budget through the real SDK against moto server: fifty DescribeExecution calls asked
//! for at once go out no faster than the governor's budget for that API in the region, each
//! answered. The send times are the adapter's own (`ApiCallStats::sent_at`, taken when the
//! governor lets a call go); moto answers every one, so all fifty reached it.
//!
//! Needs `STEPDECK_TEST_ENDPOINT` (set by `scripts/test.sh`). Without it this test FAILS when
//! `CI` is set, and prints why and returns early on a plain `cargo test` (see tests/aws/common.rs).

use crate::common;

use common::{ROLE_ARN, pipeline_definition, pipeline_input, test_endpoint, unique};
use std::sync::Arc;
use std::time::Duration;
use stepdeck::backend::aws::quotas;
use stepdeck::backend::aws::{AwsBackend, AwsOptions};
use stepdeck::backend::{Backend, StartExecutionRequest};
use tokio::time::Instant;

/// Half of each bucket: the budget is then 7.5 DescribeExecution/s with a burst of 22.5 in
/// us-east-1, so fifty calls take under 4 s (at the default 10%, 30 s).
const SHARE: f64 = 0.5;

/// The most send times in any window of `width`.
fn most_in_window(sent: &[Instant], width: Duration) -> usize {
    let mut most = 0;
    let mut first = 0;
    for (last, at) in sent.iter().enumerate() {
        while at.duration_since(sent[first]) > width {
            first += 1;
        }
        most = most.max(last - first + 1);
    }
    most
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_describes_at_once_go_out_at_the_budgeted_rate() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    common::use_dummy_credentials();
    let backend = AwsBackend::connect(AwsOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint),
        api_budget_share: Some(SHARE),
    })
    .await
    .expect("connect to the test server");
    let arn = backend
        .create_state_machine(&unique("Budget"), &pipeline_definition(), ROLE_ARN)
        .await
        .unwrap();
    let run = backend
        .start_execution(StartExecutionRequest {
            state_machine_arn: arn,
            name: Some("budget".into()),
            input: pipeline_input("1_happy_face.jpg", "user_a", 0),
        })
        .await
        .unwrap();

    let budget = quotas::quota("DescribeExecution").budget("us-east-1", SHARE);
    let backend = Arc::new(backend);
    let asked = Instant::now();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let backend = Arc::clone(&backend);
            let arn = run.arn.clone();
            tokio::spawn(async move { backend.describe_execution(&arn).await })
        })
        .collect();
    for call in calls {
        let detail = call.await.unwrap().expect("every call is answered");
        assert_eq!(detail.summary.arn, run.arn);
    }

    let sent = backend.api_calls().sent_at("DescribeExecution");
    assert_eq!(sent.len(), 50, "one attempt each, nothing retried");
    // One call of slack: the times are read just after the governor let each call go.
    for width in [0.0, 0.5, 1.0, 2.0] {
        let most = most_in_window(&sent, Duration::from_secs_f64(width));
        let allowed = budget.burst + budget.rate * width + 1.0;
        assert!(
            most as f64 <= allowed,
            "{most} calls within {width} s; the budget allows {allowed}"
        );
    }
    // And the budget was used, not more: the last call went when its token came.
    let span = sent[49].duration_since(asked).as_secs_f64();
    let expected = (50.0 - budget.burst) / budget.rate;
    assert!(
        span >= expected - 0.05 && span <= expected + 2.0,
        "the 50th call went after {span:.2} s; the budget says {expected:.2} s"
    );
}
