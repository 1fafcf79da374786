//! The store through the real SDK against moto, its calls counted by the proxy: a second
//! start on finished executions makes no DescribeExecution, a stored history opens with no
//! GetExecutionHistory, and with the endpoint down the console lists and opens what the store
//! holds. The console is driven as console.rs says; each "start" opens the store file afresh,
//! as a new process would.
//!
//! Needs `STEPDECK_TEST_ENDPOINT` and `STEPDECK_TEST_PROXY` (set by `scripts/test.sh`).
//! `STEPDECK_STORE_ROWS` (default 200) sets how many executions the second start lists: the
//! closing figure of issue #13 is this test run with 1,000.

use crate::common;
use crate::console::Console;
use crate::console_budget::{connect, machine_with_runs};
use crate::proxy::{Fault, Proxy};

use common::{ROLE_ARN, test_endpoint, unique};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use stepdeck::backend::{Backend, HistoryRequest, ListExecutionsRequest, StartExecutionRequest};
use stepdeck::domain::execution::ExecutionStatus;
use stepdeck::runtime::wall_clock_ms;
use stepdeck::store::Store;
use stepdeck::store::remembering::Remembering;

/// A Map over `items` Pass iterations: 450 items make a history of 1,806 events.
fn map_definition() -> String {
    serde_json::json!({
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
            "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "End": true}}
    })
    .to_string()
}

/// A store file of this test's own, removed when dropped.
pub struct StoreFile(PathBuf);

impl StoreFile {
    pub fn new() -> StoreFile {
        let dir = std::env::temp_dir().join(unique("stepdeck-store-test"));
        std::fs::create_dir_all(&dir).unwrap();
        StoreFile(dir.join("store.sqlite3"))
    }

    /// The store as a new process opens it.
    pub fn open(&self) -> Arc<Store> {
        let (store, note) = Store::open(&self.0, Store::DEFAULT_LIMIT_BYTES, wall_clock_ms())
            .expect("open the store");
        assert_eq!(note, None);
        Arc::new(store)
    }
}

impl Drop for StoreFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub fn remembering(inner: impl Backend, store: Arc<Store>) -> Arc<dyn Backend> {
    Arc::new(Remembering::new(
        Arc::new(inner),
        store,
        "environment",
        Arc::new(wall_clock_ms),
    ))
}

/// Every execution of `state_machine_arn`, every page.
async fn list_all(backend: &dyn Backend, state_machine_arn: &str) -> Vec<String> {
    let mut arns = Vec::new();
    let mut next_token = None;
    loop {
        let page = backend
            .list_executions(ListExecutionsRequest {
                state_machine_arn: state_machine_arn.to_string(),
                status: None,
                next_token,
                page_size: 1000,
            })
            .await
            .unwrap();
        arns.extend(page.items.into_iter().map(|e| e.arn));
        next_token = page.next_token;
        if next_token.is_none() {
            return arns;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_describes_nothing_stored_and_opens_a_stored_history_without_a_call() {
    let Some(moto) = test_endpoint() else {
        return;
    };
    let Some(proxy) = Proxy::from_env() else {
        return;
    };
    let rows: usize = std::env::var("STEPDECK_STORE_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let machine = machine_with_runs(&moto, rows).await;
    let setup = connect(&moto, Some(1.0)).await;
    let map_name = unique("Mapped");
    let map_arn = setup
        .create_state_machine(&map_name, &map_definition(), ROLE_ARN)
        .await
        .unwrap();
    let mapped = setup
        .start_execution(StartExecutionRequest {
            state_machine_arn: map_arn,
            name: Some("mapped".into()),
            input: serde_json::json!({"items": (0..450).collect::<Vec<_>>()}).to_string(),
        })
        .await
        .unwrap();
    let file = StoreFile::new();

    // The first start: every row described once and the long run opened, through the store.
    {
        let first = remembering(connect(&proxy.endpoint, Some(1.0)).await, file.open());
        first.caller_identity().await.unwrap();
        let machines = first.list_state_machines().await.unwrap();
        let scrolled = machines.iter().find(|m| m.name == machine).unwrap();
        let arns = list_all(first.as_ref(), &scrolled.arn).await;
        assert_eq!(arns.len(), rows);
        for batch in arns.chunks(16) {
            let describes: Vec<_> = batch
                .iter()
                .map(|arn| {
                    let first = Arc::clone(&first);
                    let arn = arn.clone();
                    tokio::spawn(async move { first.describe_execution(&arn).await })
                })
                .collect();
            for describe in describes {
                describe.await.unwrap().expect("described");
            }
        }
        let mut done = false;
        for _ in 0..60 {
            let status = first
                .describe_execution(&mapped.arn)
                .await
                .unwrap()
                .summary
                .status;
            if status != ExecutionStatus::Running {
                done = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(done, "the Map run finished");
        let events = first
            .get_execution_history(HistoryRequest {
                execution_arn: mapped.arn.clone(),
                after_event_id: None,
                include_data: false,
            })
            .await
            .unwrap();
        assert_eq!(events.len(), 1_806);
    }

    // The second start: the console as a user starts it, on the same store.
    proxy.reset();
    let second = remembering(connect(&proxy.endpoint, None).await, file.open());
    let mut console = Console::open(Arc::clone(&second), &machine);
    let listed = console
        .run_until(Duration::from_secs(15), |c| {
            !c.app.executions.list.rows.is_empty()
        })
        .await;
    assert!(listed, "{}", console.screen());
    console.press("G");
    let all = console
        .run_until(Duration::from_secs(120), |c| {
            c.app.executions.list.rows.len() == rows && c.app.executions.next_token.is_none()
        })
        .await;
    assert!(all, "every row listed: {}", console.screen());
    for _ in 0..60 {
        console.press("k");
        console.run_for(Duration::from_millis(20)).await;
    }
    console.run_for(Duration::from_secs(3)).await;
    let rows_complete = console
        .app
        .executions
        .list
        .rows
        .iter()
        .filter(|r| r.input_label.is_some() && r.outcome.is_some())
        .count();
    assert_eq!(
        rows_complete, rows,
        "stored rows show their input and outcome"
    );
    let stats = proxy.stats();
    eprintln!(
        "second start on {rows} stored finished executions: {} ListExecutions, {} \
         DescribeExecution",
        stats.count("ListExecutions"),
        stats.count("DescribeExecution")
    );
    assert!(stats.count("ListExecutions") >= 1, "{stats:?}");
    assert_eq!(stats.count("DescribeExecution"), 0, "{stats:?}");

    // The stored 1,806-event history opens at once, with no history call.
    let mut console = Console::open(second, &map_name);
    let listed = console
        .run_until(Duration::from_secs(10), |c| c.screen().contains("mapped"))
        .await;
    assert!(listed, "{}", console.screen());
    proxy.reset();
    console.press("Enter");
    let opened = console
        .run_until(Duration::from_secs(10), |c| {
            c.app
                .execution
                .as_ref()
                .is_some_and(|e| e.events.len() == 1_806)
        })
        .await;
    assert!(opened, "{}", console.screen());
    console.run_for(Duration::from_secs(2)).await;
    let stats = proxy.stats();
    eprintln!(
        "opening a stored {}-event history: {} GetExecutionHistory, {} DescribeExecution",
        1_806,
        stats.count("GetExecutionHistory"),
        stats.count("DescribeExecution")
    );
    assert_eq!(stats.count("GetExecutionHistory"), 0, "{stats:?}");
    assert_eq!(stats.count("DescribeExecution"), 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_endpoint_down_the_console_lists_and_opens_what_the_store_holds() {
    let Some(moto) = test_endpoint() else {
        return;
    };
    let Some(proxy) = Proxy::from_env() else {
        return;
    };
    let machine = machine_with_runs(&moto, 5).await;
    let file = StoreFile::new();
    let (run_arn, whole) = {
        let first = remembering(connect(&proxy.endpoint, Some(1.0)).await, file.open());
        first.caller_identity().await.unwrap();
        let machines = first.list_state_machines().await.unwrap();
        let arn = &machines.iter().find(|m| m.name == machine).unwrap().arn;
        let arns = list_all(first.as_ref(), arn).await;
        for arn in &arns {
            first.describe_execution(arn).await.unwrap();
        }
        let events = first
            .get_execution_history(HistoryRequest {
                execution_arn: arns[0].clone(),
                after_event_id: None,
                include_data: false,
            })
            .await
            .unwrap();
        (arns[0].clone(), events.len())
    };

    // Every connection reset before it reaches the service, as with the network gone.
    proxy.set_faults(&[Fault::reset("*")]);
    let offline = remembering(connect(&proxy.endpoint, None).await, file.open());
    let mut console = Console::open(offline, &machine);
    let listed = console
        .run_until(Duration::from_secs(60), |c| {
            c.app.executions.list.rows.len() == 5 && c.screen().contains("OFFLINE")
        })
        .await;
    let screen = console.screen();
    assert!(listed, "{screen}");
    assert!(screen.contains("user_00004"), "{screen}");
    assert!(
        console
            .app
            .messages
            .newest_first()
            .any(|m| m.text.starts_with("offline: showing what the store holds")),
        "{screen}"
    );
    // Open the newest (the one whose history was stored).
    console.press("Enter");
    let opened = console
        .run_until(Duration::from_secs(15), |c| {
            c.app
                .execution
                .as_ref()
                .is_some_and(|e| e.arn == run_arn && e.events.len() == whole)
        })
        .await;
    assert!(opened, "{}", console.screen());

    // The service back: online again, and the badge goes.
    proxy.clear();
    console.press("Esc");
    let online = console
        .run_until(Duration::from_secs(30), |c| c.screen().contains("● LIVE"))
        .await;
    assert!(online, "{}", console.screen());
}
