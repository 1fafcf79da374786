//! `stepdeck test` on the AWS path: the binary against moto through the real SDK, on a small
//! state machine whose outcome depends on its input (a Choice: `ok` is approved, anything
//! else fails). A passing suite exits 0; with a suite expecting the wrong outcome it exits 1;
//! both write JUnit XML that a JUnit parser reads back with the right counts and difference.

use crate::common::{ROLE_ARN, backend, test_endpoint, unique};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const ORDERS: &str = r#"{
  "Comment": "An order is approved or refused by its kind",
  "StartAt": "Route",
  "States": {
    "Route": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.kind", "StringEquals": "ok", "Next": "Approve"}],
      "Default": "Refuse"
    },
    "Approve": {
      "Type": "Pass",
      "Result": {"approved": true, "by": "suite"},
      "ResultPath": "$.decision",
      "End": true
    },
    "Refuse": {"Type": "Fail", "Error": "Order.Refused", "Cause": "kind is not ok"}
  }
}"#;

const SUITES: &str = r#"
[[suites]]
name = "orders"
independent = true

[[suites.steps]]
run = "approved"
input = '{"kind": "ok"}'
expect = "accepted"
within_seconds = 60
entered = ["Route", "Approve"]
not_entered = ["Refuse"]
output = [
  { path = "$.decision.approved", equals = true },
  { path = "$.decision.by", matches = "/^su.te$/" },
  { path = "$.kind", exists = true },
]

[[suites.steps]]
run = "refused"
input = '{"kind": "odd"}'
expect = "failed"
error = "/^Order\\./"
entered = ["Refuse"]
not_entered = ["Approve"]

[[suites]]
name = "wrong"

[[suites.steps]]
run = "refused"
input = '{"kind": "odd"}'
expect = "accepted"
"#;

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stepdeck_test(endpoint: &str, machine: &str, scratch: &Scratch, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepdeck"))
        .args(["test", "--region", "us-east-1", "--endpoint-url", endpoint])
        .args(["--state-machine", machine])
        .arg("--config")
        .arg(scratch.0.join("config.toml"))
        .arg("--suites")
        .arg(scratch.0.join("suites.toml"))
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", "AKIASTEPDECKTESTING")
        .env("AWS_SECRET_ACCESS_KEY", "stepdeck-testing-secret")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn junit(path: &std::path::Path) -> quick_junit::Report {
    let xml = std::fs::read_to_string(path).unwrap();
    quick_junit::Report::deserialize_from_str(&xml).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suite_runs_headless_on_moto_and_writes_junit() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let name = unique("Orders");
    backend(&endpoint)
        .await
        .create_state_machine(&name, ORDERS, ROLE_ARN)
        .await
        .unwrap();
    let scratch = Scratch(std::env::temp_dir().join(format!("stepdeck-aws-suites-{name}")));
    std::fs::create_dir_all(&scratch.0).unwrap();
    std::fs::write(scratch.0.join("suites.toml"), SUITES).unwrap();
    let journal = scratch.0.join("journal.jsonl");
    std::fs::write(
        scratch.0.join("config.toml"),
        format!("journal_path = {:?}\n", journal.display().to_string()),
    )
    .unwrap();

    // The passing suite alone: exit 0.
    let report = scratch.0.join("orders.xml");
    let out = stepdeck_test(
        &endpoint,
        &name,
        &scratch,
        &["--suite", "orders", "--junit", report.to_str().unwrap()],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.ends_with("1 suite, 2 steps: 2 passed, 0 failed, 0 errors\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("failed: Order.Refused: kind is not ok"),
        "{stdout}"
    );
    let parsed = junit(&report);
    assert_eq!((parsed.tests, parsed.failures, parsed.errors), (2, 0, 0));
    let case = &parsed.test_suites[0].test_cases[0];
    assert_eq!(case.classname.as_ref().unwrap().as_str(), "orders");
    assert!(
        case.system_out
            .as_ref()
            .unwrap()
            .as_str()
            .contains(&format!(":execution:{name}:test-orders-approved-")),
        "{:?}",
        case.system_out
    );

    // Both suites: the wrong expectation fails with its difference, exit 1.
    let report = scratch.0.join("all.xml");
    let out = stepdeck_test(
        &endpoint,
        &name,
        &scratch,
        &[
            "--suite",
            "orders",
            "--suite",
            "wrong",
            "--junit",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed = junit(&report);
    assert_eq!((parsed.tests, parsed.failures, parsed.errors), (3, 1, 0));
    let wrong = &parsed.test_suites[1];
    assert_eq!(wrong.name.as_str(), "wrong");
    match &wrong.test_cases[0].status {
        quick_junit::TestCaseStatus::NonSuccess { message, .. } => assert_eq!(
            message.as_ref().unwrap().as_str(),
            "expected \"accepted\", got \"failed: Order.Refused: kind is not ok\""
        ),
        other => panic!("{other:?}"),
    }
}
