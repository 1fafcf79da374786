//! The dashboard against moto through the real SDK, its calls counted by the proxy: on a state
//! machine with runs of every status, its counts per outcome equal the server's executions per
//! status (accepted + rejected = SUCCEEDED; the rejections told apart by their histories), and
//! a second start on the warm store reads no finished execution again — no DescribeExecution,
//! no GetExecutionHistory. The console is driven as console.rs says.
//!
//! Needs `STEPDECK_TEST_ENDPOINT` and `STEPDECK_TEST_PROXY` (set by `scripts/test.sh`).

use crate::common::{ROLE_ARN, test_endpoint, unique, use_dummy_credentials};
use crate::console::Console;
use crate::console_budget::connect;
use crate::proxy::Proxy;
use crate::store::{StoreFile, remembering};

use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::backend::{Backend, ListExecutionsRequest, StartExecutionRequest};
use stepdeck::domain::execution::ExecutionStatus;
use stepdeck::domain::stats::OutcomeKind;

/// Routes on `$.kind`: `ok` is accepted, `reject` is turned down (a caught error, as the
/// pipeline rejects a photo), `refuse` fails, `hold` waits an hour. With `timeout` the whole
/// run times out after that many seconds.
fn definition(timeout: Option<u32>) -> String {
    let mut machine = serde_json::json!({
        "StartAt": "Route",
        "States": {
            "Route": {"Type": "Choice", "Choices": [
                {"Variable": "$.kind", "StringEquals": "reject", "Next": "Check"},
                {"Variable": "$.kind", "StringEquals": "refuse", "Next": "Refuse"},
                {"Variable": "$.kind", "StringEquals": "hold", "Next": "Hold"}],
                "Default": "Accept"},
            "Accept": {"Type": "Pass", "End": true},
            "Check": {"Type": "Parallel",
                "Branches": [{"StartAt": "Deny", "States": {"Deny": {"Type": "Fail",
                    "Error": "PhotoDoesNotMeetRequirementError",
                    "Cause": "Face is wearing sunglasses"}}}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Rejected"}],
                "End": true},
            "Rejected": {"Type": "Pass", "End": true},
            "Refuse": {"Type": "Fail", "Error": "Order.Refused", "Cause": "kind is refuse"},
            "Hold": {"Type": "Wait", "Seconds": 3600, "End": true}
        }
    });
    if let Some(seconds) = timeout {
        machine["TimeoutSeconds"] = seconds.into();
    }
    machine.to_string()
}

/// Starts `kind` runs named `{kind}-{i}`; their ARNs.
async fn start(backend: &dyn Backend, machine: &str, kind: &str, runs: usize) -> Vec<String> {
    let mut arns = Vec::new();
    for i in 0..runs {
        let run = backend
            .start_execution(StartExecutionRequest {
                state_machine_arn: machine.to_string(),
                name: Some(format!("{kind}-{i}")),
                input: serde_json::json!({ "kind": kind }).to_string(),
            })
            .await
            .expect("start");
        arns.push(run.arn);
    }
    arns
}

/// The server's count of `machine`'s executions per status, asked per status.
async fn server_counts(backend: &dyn Backend, machine: &str) -> BTreeMap<ExecutionStatus, usize> {
    let mut counts = BTreeMap::new();
    for status in [
        ExecutionStatus::Running,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted,
    ] {
        let page = backend
            .list_executions(ListExecutionsRequest {
                state_machine_arn: machine.to_string(),
                status: Some(status),
                next_token: None,
                page_size: 1_000,
            })
            .await
            .unwrap();
        assert!(page.next_token.is_none());
        counts.insert(status, page.items.len());
    }
    counts
}

async fn wait_for_status(backend: &dyn Backend, arns: &[String], status: ExecutionStatus) {
    for _ in 0..80 {
        let mut all = true;
        for arn in arns {
            all &= backend
                .describe_execution(arn)
                .await
                .unwrap()
                .summary
                .status
                == status;
        }
        if all {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{arns:?} never became {status:?}");
}

/// The dashboard has listed the window and read every finished history it can.
fn dashboard_filled(console: &Console) -> bool {
    let dashboard = &console.app.dashboard;
    dashboard.machine_arn.is_some()
        && dashboard.listing.is_none()
        && dashboard.listed_back
        && dashboard.reading.is_empty()
        && dashboard.figures.coverage().executions > 0
        && dashboard.figures.coverage().histories_unread() == 0
}

/// The console opened on `machine` (its 18 runs listed), then `g d` until the dashboard
/// has filled in, within `patience`.
async fn dashboard_of(backend: Arc<dyn Backend>, machine: &str, patience: Duration) -> Console {
    let mut console = Console::open(backend, machine);
    let listed = console
        .run_until(Duration::from_secs(20), |c| {
            c.app.executions.list.rows.len() == 18
        })
        .await;
    assert!(listed, "{}", console.screen());
    console.press("g");
    console.press("d");
    let filled = console.run_until(patience, dashboard_filled).await;
    assert!(filled, "{}", console.screen());
    console
}

fn totals(console: &Console) -> [u64; OutcomeKind::COUNT] {
    console.app.dashboard.figures.totals()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_what_the_server_holds_and_a_warm_start_reads_no_finished_run() {
    let Some(moto) = test_endpoint() else {
        return;
    };
    let Some(proxy) = Proxy::from_env() else {
        return;
    };
    let setup = connect(&moto, Some(1.0)).await;
    let name = unique("Counted");
    let machine = setup
        .create_state_machine(&name, &definition(Some(1)), ROLE_ARN)
        .await
        .unwrap();
    // Two runs time out under the first definition; the rest run under one without a limit.
    let timed_out = start(&setup, &machine, "hold", 2).await;
    wait_for_status(&setup, &timed_out, ExecutionStatus::TimedOut).await;
    use_dummy_credentials();
    // The SDK straight (the console never updates a definition), on the adapter's HTTP stack.
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http_client)
        .region("us-east-1")
        .endpoint_url(&moto)
        .load()
        .await;
    aws_sdk_sfn::Client::new(&config)
        .update_state_machine()
        .state_machine_arn(&machine)
        .definition(definition(None))
        .send()
        .await
        .expect("the limit lifted");
    start(&setup, &machine, "ok", 6).await;
    let rejected = start(&setup, &machine, "reject", 4).await;
    let failed = start(&setup, &machine, "refuse", 3).await;
    let running: Vec<String> = {
        let mut arns = Vec::new();
        for i in 0..3 {
            let run = setup
                .start_execution(StartExecutionRequest {
                    state_machine_arn: machine.clone(),
                    name: Some(format!("wait-{i}")),
                    input: r#"{"kind": "hold"}"#.into(),
                })
                .await
                .unwrap();
            arns.push(run.arn);
        }
        arns
    };
    setup
        .stop_execution(&running[0], Some("Stopped.ByTest".into()), None)
        .await
        .unwrap();
    wait_for_status(&setup, &rejected, ExecutionStatus::Succeeded).await;
    wait_for_status(&setup, &failed, ExecutionStatus::Failed).await;
    let server = server_counts(&setup, &machine).await;
    assert_eq!(
        server.values().sum::<usize>(),
        18,
        "the set-up made 18 runs: {server:?}"
    );

    // The first start: the dashboard fills in through the proxy and the store.
    let file = StoreFile::new();
    let first = remembering(connect(&proxy.endpoint, None).await, file.open());
    let mut console = dashboard_of(Arc::clone(&first), &name, Duration::from_secs(60)).await;
    let counted = totals(&console);
    let of = |kind: OutcomeKind| counted[kind.index()] as usize;
    let screen = console.screen();
    assert_eq!(
        of(OutcomeKind::Accepted) + of(OutcomeKind::Rejected),
        server[&ExecutionStatus::Succeeded],
        "{screen}"
    );
    assert_eq!(of(OutcomeKind::Rejected), rejected.len(), "{screen}");
    assert_eq!(of(OutcomeKind::Failed), server[&ExecutionStatus::Failed]);
    assert_eq!(of(OutcomeKind::Running), server[&ExecutionStatus::Running]);
    assert_eq!(of(OutcomeKind::Aborted), server[&ExecutionStatus::Aborted]);
    assert_eq!(
        of(OutcomeKind::TimedOut),
        server[&ExecutionStatus::TimedOut]
    );
    assert!(screen.contains("18 runs"), "{screen}");
    assert!(screen.contains("Face is wearing sunglasses"), "{screen}");

    // The held runs end: the dashboard, live while shown, counts them aborted.
    for arn in &running[1..] {
        setup.stop_execution(arn, None, None).await.unwrap();
    }
    let ended = console
        .run_until(Duration::from_secs(60), |c| {
            totals(c)[OutcomeKind::Running.index()] == 0 && dashboard_filled(c)
        })
        .await;
    assert!(ended, "{}", console.screen());
    let server = server_counts(&setup, &machine).await;
    assert_eq!(
        totals(&console)[OutcomeKind::Aborted.index()] as usize,
        server[&ExecutionStatus::Aborted]
    );
    // The list shows each run's outcome (described once, kept in the store).
    console.press("g");
    console.press("e");
    let described = console
        .run_until(Duration::from_secs(30), |c| {
            c.app.executions.list.rows.len() == 18
                && c.app
                    .executions
                    .list
                    .rows
                    .iter()
                    .all(|r| r.status != ExecutionStatus::Running && r.outcome.is_some())
        })
        .await;
    assert!(described, "{}", console.screen());
    drop(console);
    drop(first);

    // The second start, on the warm store: every run finished and seen before.
    proxy.reset();
    let second = remembering(connect(&proxy.endpoint, None).await, file.open());
    let mut console = dashboard_of(second, &name, Duration::from_secs(30)).await;
    console.run_for(Duration::from_secs(3)).await;
    let again = totals(&console);
    let server = server_counts(&setup, &machine).await;
    assert_eq!(
        again[OutcomeKind::Accepted.index()] + again[OutcomeKind::Rejected.index()],
        server[&ExecutionStatus::Succeeded] as u64
    );
    assert_eq!(
        again[OutcomeKind::Rejected.index()],
        4,
        "from stored histories"
    );
    let stats = proxy.stats();
    eprintln!(
        "dashboard, second start on 18 finished runs: {} ListExecutions, {} DescribeExecution, \
         {} GetExecutionHistory",
        stats.count("ListExecutions"),
        stats.count("DescribeExecution"),
        stats.count("GetExecutionHistory")
    );
    assert!(stats.count("ListExecutions") >= 1, "{stats:?}");
    assert_eq!(stats.count("DescribeExecution"), 0, "{stats:?}");
    assert_eq!(stats.count("GetExecutionHistory"), 0, "{stats:?}");
}
