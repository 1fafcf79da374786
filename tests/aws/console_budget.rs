//! What the console (not just the backend) spends on an account, counted by the proxy in real
//! time as an operator uses it: describes while scrolling a long list, the request rate
//! through a throttling storm and how soon the list is live after it, and a history read that
//! fails or is refused while following a run. The console is driven as console.rs says; the
//! state machines and executions are made on moto directly, so only the console's own calls
//! go through the proxy and are counted.
//!
//! Needs `STEPDECK_TEST_ENDPOINT` and `STEPDECK_TEST_PROXY` (set by `scripts/test.sh`). Without
//! them these tests FAIL when `CI` is set, and print why and return early on a plain
//! `cargo test`.

use crate::common;
use crate::console::Console;
use crate::proxy::{Fault, Proxy, Stats};

use common::{ROLE_ARN, pipeline_definition, pipeline_input, test_endpoint, unique};
use std::sync::Arc;
use std::time::Duration;
use stepdeck::backend::aws::{AwsBackend, AwsOptions};
use stepdeck::backend::{Backend, HistoryRequest, StartExecutionRequest};
use stepdeck::domain::execution::ExecutionStatus;

const PASS_MACHINE: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

/// Both servers, or None when the tests may be skipped.
fn endpoints() -> Option<(String, Proxy)> {
    let moto = test_endpoint()?;
    let proxy = Proxy::from_env()?;
    Some((moto, proxy))
}

/// The backend as the console makes it: default budget share, the given endpoint.
pub async fn connect(endpoint: &str, share: Option<f64>) -> AwsBackend {
    common::use_dummy_credentials();
    AwsBackend::connect(AwsOptions {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.to_string()),
        api_budget_share: share,
    })
    .await
    .expect("connect")
}

/// A Pass state machine on moto with `runs` finished executions; its name.
pub async fn machine_with_runs(moto: &str, runs: usize) -> String {
    // Made directly on moto, with the whole of each bucket: set-up is not what is measured.
    let setup = Arc::new(connect(moto, Some(1.0)).await);
    let name = unique("Scrolled");
    let arn = setup
        .create_state_machine(&name, PASS_MACHINE, ROLE_ARN)
        .await
        .unwrap();
    for batch in (0..runs).collect::<Vec<_>>().chunks(16) {
        let starts: Vec<_> = batch
            .iter()
            .map(|i| {
                let setup = Arc::clone(&setup);
                let request = StartExecutionRequest {
                    state_machine_arn: arn.clone(),
                    name: Some(format!("run-{i:05}")),
                    input: format!(r#"{{"userId":"user_{i:05}"}}"#),
                };
                tokio::spawn(async move { setup.start_execution(request).await })
            })
            .collect();
        for start in starts {
            start.await.unwrap().expect("start");
        }
    }
    name
}

/// The most calls of `api` after `since` in any `width` window, on the proxy's clock.
fn worst_window(stats: &Stats, api: &str, since: f64, width: f64) -> usize {
    let times: Vec<f64> = stats
        .calls(api)
        .into_iter()
        .filter(|t| *t >= since)
        .collect();
    times
        .iter()
        .map(|start| {
            times
                .iter()
                .filter(|t| **t >= *start && **t < start + width)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Every call between two readings of the proxy's clock, all APIs.
fn calls_between(stats: &Stats, from: f64, to: f64) -> usize {
    stats
        .calls
        .values()
        .map(|times| times.iter().filter(|t| **t >= from && **t < to).count())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrolling_a_thousand_rows_describes_at_most_two_a_second() {
    let Some((moto, proxy)) = endpoints() else {
        return;
    };
    let machine = machine_with_runs(&moto, 1_000).await;
    let backend: Arc<dyn Backend> = Arc::new(connect(&proxy.endpoint, None).await);
    let mut console = Console::open(backend, &machine);
    console.run_for(Duration::from_secs(5)).await;
    assert!(
        console.screen().contains("run-00999"),
        "{}",
        console.screen()
    );

    let start = proxy.now();
    // Three hundred rows down, a key every 50 ms, as fast as key repeat; then to the end.
    for _ in 0..300 {
        console.press("j");
        console.run_for(Duration::from_millis(50)).await;
    }
    console.press("G");
    let at_end = console
        .run_until(Duration::from_secs(60), |c| {
            c.app.executions.list.rows.len() == 1_000 && c.app.executions.next_token.is_none()
        })
        .await;
    assert!(at_end, "G reached the real end: {}", console.screen());
    console.run_for(Duration::from_secs(5)).await;
    assert!(
        console.screen().contains("run-00000"),
        "{}",
        console.screen()
    );

    let stats = proxy.stats();
    let describes = stats
        .calls("DescribeExecution")
        .iter()
        .filter(|t| **t >= start)
        .count();
    let worst = worst_window(&stats, "DescribeExecution", start, 10.0);
    eprintln!(
        "scrolling 300 rows of 1,000 then G: {describes} DescribeExecution in {:.0} s, \
         worst 10 s window {worst}",
        stats.now - start
    );
    // Rows on screen were described as the cursor went by: the budget was spent, not idle.
    assert!(describes >= 20, "{describes} describes");
    assert!(worst <= 20, "{worst} DescribeExecution in one 10 s window");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttling_storm_lowers_the_request_rate_and_the_list_is_live_soon_after() {
    let Some((moto, proxy)) = endpoints() else {
        return;
    };
    let machine = machine_with_runs(&moto, 20).await;
    let backend: Arc<dyn Backend> = Arc::new(connect(&proxy.endpoint, None).await);
    let mut console = Console::open(backend, &machine);
    console.run_for(Duration::from_secs(5)).await;

    let before = proxy.now();
    console.run_for(Duration::from_secs(20)).await;
    let storm = proxy.now();
    proxy.set_faults(&[Fault::throttle("*")]);
    console.run_for(Duration::from_secs(30)).await;
    let after = proxy.now();
    assert!(
        console.screen().contains("STALE") || console.screen().contains("⚠"),
        "the list does not look live while every answer is a throttle: {}",
        console.screen()
    );
    proxy.clear();
    let live = console
        .run_until(Duration::from_secs(15), |c| {
            let screen = c.screen();
            screen.contains("● LIVE") && !screen.contains("STALE")
        })
        .await;
    let stats = proxy.stats();
    let rate_before = calls_between(&stats, before, storm) as f64 / (storm - before);
    let rate_during = calls_between(&stats, storm, after) as f64 / (after - storm);
    eprintln!(
        "requests per second before a storm {rate_before:.2}, during it {rate_during:.2} \
         ({:.2}x); live {:.1} s after",
        rate_during / rate_before,
        stats.now - after
    );
    assert!(rate_before > 0.0, "the list refreshed before the storm");
    assert!(
        rate_during <= rate_before,
        "{rate_during:.2}/s during the storm, {rate_before:.2}/s before"
    );
    assert!(
        live,
        "LIVE within 15 s after the storm: {}",
        console.screen()
    );
}

/// A run of the pipeline held RUNNING for `hold` seconds, opened in the console and followed.
async fn following(moto: &str, proxy: &Proxy, hold: u64) -> (Console, String) {
    let setup = connect(moto, Some(1.0)).await;
    let name = unique("Followed");
    let arn = setup
        .create_state_machine(&name, &pipeline_definition(), ROLE_ARN)
        .await
        .unwrap();
    let run = setup
        .start_execution(StartExecutionRequest {
            state_machine_arn: arn,
            name: Some("followed".into()),
            input: pipeline_input("1_happy_face.jpg", "user_a", hold),
        })
        .await
        .unwrap();
    let backend: Arc<dyn Backend> = Arc::new(connect(&proxy.endpoint, None).await);
    let mut console = Console::open(backend, &name);
    let listed = console
        .run_until(Duration::from_secs(10), |c| c.screen().contains("followed"))
        .await;
    assert!(listed, "{}", console.screen());
    console.press("Enter");
    let opened = console
        .run_until(Duration::from_secs(10), |c| {
            c.screen().contains("FOLLOW") && events_shown(c) > 0
        })
        .await;
    assert!(opened, "following the run: {}", console.screen());
    (console, run.arn)
}

/// The whole history as moto holds it: how many events.
async fn full_history(moto: &str, arn: &str) -> usize {
    connect(moto, Some(1.0))
        .await
        .get_execution_history(HistoryRequest {
            execution_arn: arn.to_string(),
            after_event_id: None,
            include_data: false,
        })
        .await
        .unwrap()
        .len()
}

fn events_shown(console: &Console) -> usize {
    console.app.execution.as_ref().map_or(0, |e| e.events.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_denied_while_following_is_marked_incomplete_until_asked_again() {
    let Some((moto, proxy)) = endpoints() else {
        return;
    };
    let (mut console, arn) = following(&moto, &proxy, 4).await;
    proxy.set_faults(&[Fault::deny("GetExecutionHistory")]);
    // The run ends meanwhile; the console must not pass the part it read for the whole.
    console.run_for(Duration::from_secs(8)).await;
    let screen = console.screen();
    assert!(screen.contains("history incomplete"), "{screen}");
    assert!(screen.contains("ctrl-r asks again"), "{screen}");
    assert!(!screen.contains("FOLLOW"), "{screen}");

    proxy.clear();
    console.press("ctrl-r");
    catches_up(&mut console, &moto, &arn, Duration::from_secs(15)).await;
    assert_eq!(
        console.app.execution.as_ref().unwrap().status(),
        ExecutionStatus::Succeeded
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_that_fails_while_following_catches_up_by_itself() {
    let Some((moto, proxy)) = endpoints() else {
        return;
    };
    let (mut console, arn) = following(&moto, &proxy, 4).await;
    proxy.set_faults(&[Fault::server_error("GetExecutionHistory", 500)]);
    console.run_for(Duration::from_secs(8)).await;
    let screen = console.screen();
    assert!(screen.contains("history incomplete"), "{screen}");

    proxy.clear();
    // No key: polling resumes with backoff and reads the rest.
    catches_up(&mut console, &moto, &arn, Duration::from_secs(20)).await;
}

/// Within `patience` the timeline holds the whole history and is no longer marked incomplete.
async fn catches_up(console: &mut Console, moto: &str, arn: &str, patience: Duration) {
    let whole = full_history(moto, arn).await;
    let caught_up = console
        .run_until(patience, |c| events_shown(c) == whole)
        .await;
    let screen = console.screen();
    assert!(
        caught_up,
        "{} of {whole} events: {screen}",
        events_shown(console)
    );
    assert!(!screen.contains("history incomplete"), "{screen}");
}
