//! Verdicts: written and read back whole, each step's last ten in order, kept apart by scope,
//! region, suite and step, and cleared with their region.

use super::Store;
use super::support::{LIMIT, MACHINE, T0, TempDir, execution_arn};
use crate::domain::suites::recorded::{KEPT_PER_STEP, VerdictRecord};

fn open(dir: &TempDir) -> Store {
    Store::open(&dir.store_path(), LIMIT, T0).unwrap().0
}

fn verdict(step: usize, label: &str, passed: bool, finished_at: i64) -> VerdictRecord {
    VerdictRecord {
        suite: "duplicates".into(),
        step,
        label: label.into(),
        passed,
        detail: if passed {
            "passed".into()
        } else {
            "expected rejected: already in the system, got accepted".into()
        },
        finished_at,
        execution_arn: Some(execution_arn(MACHINE, &format!("run-{finished_at}"))),
    }
}

#[test]
fn a_verdict_reads_back_as_it_was_written() {
    let dir = TempDir::new("verdict");
    let store = open(&dir);
    let failed = verdict(2, "1_happy_face as user_a again", false, T0);
    let mut setup = verdict(0, "clear the faces of 1_happy_face.jpg", true, T0 + 1);
    setup.execution_arn = None;
    store.put_verdict("", "eu-west-1", &failed).unwrap();
    store.put_verdict("", "eu-west-1", &setup).unwrap();
    // Step order, whatever the order written.
    assert_eq!(
        store.verdicts("", "eu-west-1", "duplicates").unwrap(),
        vec![setup, failed]
    );
    // Reopened: still there.
    drop(store);
    let store = open(&dir);
    assert_eq!(
        store.verdicts("", "eu-west-1", "duplicates").unwrap().len(),
        2
    );
}

#[test]
fn each_step_keeps_its_last_ten_verdicts_oldest_first() {
    let dir = TempDir::new("verdict-last");
    let store = open(&dir);
    let label = "1_happy_face as user_a";
    // Written out of order of time: the newest by time are kept.
    for i in (0..15).rev() {
        store
            .put_verdict("", "eu-west-1", &verdict(1, label, i % 3 != 0, T0 + i))
            .unwrap();
    }
    store
        .put_verdict("", "eu-west-1", &verdict(2, "another step", true, T0))
        .unwrap();
    let all = store.verdicts("", "eu-west-1", "duplicates").unwrap();
    let step1: Vec<i64> = all
        .iter()
        .filter(|v| v.is_of(1, label))
        .map(|v| v.finished_at - T0)
        .collect();
    assert_eq!(step1, (5..15).collect::<Vec<i64>>());
    assert_eq!(step1.len(), KEPT_PER_STEP);
    // The other step's one verdict was not evicted with them.
    assert_eq!(all.iter().filter(|v| v.is_of(2, "another step")).count(), 1);
    let rows: i64 = store
        .lock()
        .query_row("SELECT count(*) FROM verdicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 11);
}

#[test]
fn verdicts_are_kept_apart_by_scope_region_and_suite_and_cleared_by_region() {
    let dir = TempDir::new("verdict-scope");
    let store = open(&dir);
    let mut other_suite = verdict(0, "x", true, T0);
    other_suite.suite = "workshop photos".into();
    store
        .put_verdict("", "eu-west-1", &verdict(0, "x", true, T0))
        .unwrap();
    store
        .put_verdict("", "us-east-1", &verdict(0, "x", false, T0))
        .unwrap();
    store
        .put_verdict("sandbox", "eu-west-1", &verdict(0, "x", false, T0))
        .unwrap();
    store.put_verdict("", "eu-west-1", &other_suite).unwrap();
    let passed = |scope: &str, region: &str| -> Vec<bool> {
        store
            .verdicts(scope, region, "duplicates")
            .unwrap()
            .iter()
            .map(|v| v.passed)
            .collect()
    };
    assert_eq!(passed("", "eu-west-1"), vec![true]);
    assert_eq!(passed("", "us-east-1"), vec![false]);
    assert_eq!(passed("sandbox", "eu-west-1"), vec![false]);
    assert_eq!(
        store.verdicts("", "eu-west-1", "workshop photos").unwrap(),
        vec![other_suite]
    );
    store.clear(Some("us-east-1")).unwrap();
    assert!(passed("", "us-east-1").is_empty());
    assert_eq!(passed("", "eu-west-1"), vec![true]);
    store.clear(None).unwrap();
    assert!(passed("", "eu-west-1").is_empty());
}
