//! Descriptions: written and read back whole, running ones refused, listed newest first per
//! machine and scope, confirmed, replaced by a later run; stats and clearing.

use super::Store;
use super::support::{LIMIT, MACHINE, T0, TempDir, execution_arn, finished, history};
use crate::domain::execution::{ExecutionStatus, Outcome};

const OTHER_MACHINE: &str = "arn:aws:states:eu-west-1:123456789012:stateMachine:Other";
const US_MACHINE: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:RiderPhotoProcessing";
const MOTO: &str = "http://127.0.0.1:5000";

fn open(dir: &TempDir) -> Store {
    Store::open(&dir.store_path(), LIMIT, T0).unwrap().0
}

#[test]
fn a_description_reads_back_as_it_was_written() {
    let dir = TempDir::new("describe");
    let store = open(&dir);
    for (i, status) in [
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted,
    ]
    .into_iter()
    .enumerate()
    {
        let mut detail = finished(MACHINE, &format!("run-{i}"), status, T0 + i as i64);
        detail.redrive_count = i as u32;
        if i == 3 {
            // Nothing optional known: absent stays absent.
            detail.input = None;
            detail.summary.input_label = None;
            detail.summary.outcome = None;
        }
        if i == 2 {
            detail.summary.outcome = Some(Outcome::Completed);
        }
        assert!(store.put_description("", &detail, T0 + 100).unwrap());
        let stored = store.description("", &detail.summary.arn).unwrap().unwrap();
        assert_eq!(stored.detail, detail);
        assert_eq!(
            (stored.stored_at, stored.confirmed_at),
            (T0 + 100, T0 + 100)
        );
    }
    assert_eq!(
        store
            .description("", &execution_arn(MACHINE, "never"))
            .unwrap(),
        None
    );
}

#[test]
fn running_executions_are_refused_and_a_redriven_one_is_forgotten() {
    let dir = TempDir::new("running");
    let store = open(&dir);
    for status in [ExecutionStatus::Running, ExecutionStatus::PendingRedrive] {
        let detail = finished(MACHINE, "live", status, T0);
        assert!(!store.put_description("", &detail, T0).unwrap());
        assert_eq!(store.description("", &detail.summary.arn).unwrap(), None);
    }
    // A failed run, stored with its history, then redriven: running again, not final.
    let failed = finished(MACHINE, "redriven", ExecutionStatus::Failed, T0);
    let arn = failed.summary.arn.clone();
    assert!(store.put_description("", &failed, T0).unwrap());
    store.put_history("", &arn, &history(3), false, T0).unwrap();
    let mut running = failed.clone();
    running.summary.status = ExecutionStatus::Running;
    running.summary.stop = None;
    running.redrive_count = 1;
    assert!(!store.put_description("", &running, T0 + 50).unwrap());
    assert_eq!(store.description("", &arn).unwrap(), None);
    assert_eq!(store.history("", &arn, false, T0 + 50).unwrap(), None);
}

#[test]
fn a_description_seen_again_moves_its_confirmation_a_changed_one_is_rewritten() {
    let dir = TempDir::new("refresh");
    let store = open(&dir);
    let failed = finished(MACHINE, "run", ExecutionStatus::Failed, T0);
    let arn = failed.summary.arn.clone();
    store.put_description("", &failed, T0 + 10).unwrap();
    assert!(store.put_description("", &failed, T0 + 20).unwrap());
    let stored = store.description("", &arn).unwrap().unwrap();
    assert_eq!((stored.stored_at, stored.confirmed_at), (T0 + 10, T0 + 20));
    // Redriven and succeeded: another run, so the history of the failed one goes.
    store
        .put_history("", &arn, &history(3), false, T0 + 20)
        .unwrap();
    let mut succeeded = finished(MACHINE, "run", ExecutionStatus::Succeeded, T0);
    succeeded.redrive_count = 1;
    succeeded.summary.stop = Some(T0 + 99_000);
    assert!(store.put_description("", &succeeded, T0 + 30).unwrap());
    let stored = store.description("", &arn).unwrap().unwrap();
    assert_eq!(stored.detail, succeeded);
    assert_eq!((stored.stored_at, stored.confirmed_at), (T0 + 30, T0 + 30));
    assert_eq!(store.history("", &arn, false, T0 + 30).unwrap(), None);
}

#[test]
fn descriptions_of_a_machine_come_newest_first_within_their_scope() {
    let dir = TempDir::new("listing");
    let store = open(&dir);
    for (name, start) in [("b", 2), ("d", 4), ("a", 1), ("c", 3), ("tie-1", 3)] {
        let detail = finished(MACHINE, name, ExecutionStatus::Succeeded, T0 + start);
        store.put_description("", &detail, T0).unwrap();
    }
    let other = finished(OTHER_MACHINE, "x", ExecutionStatus::Succeeded, T0 + 9);
    store.put_description("", &other, T0).unwrap();
    let moto = finished(MACHINE, "moto-run", ExecutionStatus::Succeeded, T0 + 9);
    store.put_description(MOTO, &moto, T0).unwrap();
    let names: Vec<String> = store
        .descriptions_of("", MACHINE)
        .unwrap()
        .into_iter()
        .map(|d| d.detail.summary.name)
        .collect();
    assert_eq!(names, ["d", "tie-1", "c", "b", "a"]);
    let moto_names: Vec<String> = store
        .descriptions_of(MOTO, MACHINE)
        .unwrap()
        .into_iter()
        .map(|d| d.detail.summary.name)
        .collect();
    assert_eq!(moto_names, ["moto-run"]);
    assert_eq!(store.description(MOTO, &other.summary.arn).unwrap(), None);
    assert!(store.descriptions_of("", US_MACHINE).unwrap().is_empty());
}

#[test]
fn confirming_marks_only_the_listed_executions() {
    let dir = TempDir::new("confirm");
    let store = open(&dir);
    let arns: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|name| {
            let detail = finished(MACHINE, name, ExecutionStatus::Succeeded, T0);
            store.put_description("", &detail, T0).unwrap();
            detail.summary.arn
        })
        .collect();
    let listed = vec![
        arns[0].clone(),
        arns[2].clone(),
        execution_arn(MACHINE, "not-stored"),
    ];
    store.confirm("", &listed, T0 + 500).unwrap();
    store.confirm(MOTO, &arns, T0 + 900).unwrap();
    store.confirm("", &[], T0 + 900).unwrap();
    let confirmed: Vec<_> = arns
        .iter()
        .map(|arn| store.description("", arn).unwrap().unwrap().confirmed_at)
        .collect();
    assert_eq!(confirmed, [T0 + 500, T0, T0 + 500]);
}

#[test]
fn stats_count_what_is_held_and_clearing_a_region_leaves_the_others() {
    let dir = TempDir::new("clear");
    let store = open(&dir);
    let events = history(20);
    for (machine, n) in [(MACHINE, 3), (US_MACHINE, 2)] {
        for i in 0..n {
            let detail = finished(machine, &format!("r{i}"), ExecutionStatus::Succeeded, T0);
            store.put_description("", &detail, T0).unwrap();
            store
                .put_history("", &detail.summary.arn, &events, false, T0)
                .unwrap();
        }
    }
    store
        .put_account("", "default", "us-east-1", "123456789012", T0)
        .unwrap();
    store
        .put_account("", "default", "eu-west-1", "123456789012", T0)
        .unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.descriptions, stats.histories, stats.history_events),
        (5, 5, 5 * events.len() as u64)
    );
    assert_eq!(stats.path, dir.store_path());
    assert_eq!(stats.limit_bytes, LIMIT);
    assert!(stats.bytes > 0 && stats.bytes < LIMIT, "{}", stats.bytes);
    // 2 descriptions + 2 histories + 1 account of us-east-1.
    assert_eq!(store.clear(Some("us-east-1")).unwrap(), 5);
    assert!(store.descriptions_of("", US_MACHINE).unwrap().is_empty());
    assert_eq!(store.account("", "default", "us-east-1").unwrap(), None);
    assert_eq!(store.descriptions_of("", MACHINE).unwrap().len(), 3);
    let kept = execution_arn(MACHINE, "r0");
    assert_eq!(
        store.history("", &kept, false, T0).unwrap().unwrap(),
        events
    );
    let stats = store.stats().unwrap();
    assert_eq!((stats.descriptions, stats.histories), (3, 3));
    // Everything: 3 + 3 + 1 rows.
    assert_eq!(store.clear(None).unwrap(), 7);
    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.descriptions, stats.histories, stats.history_events),
        (0, 0, 0)
    );
    assert_eq!(store.clear(None).unwrap(), 0);
    // Still usable after VACUUM.
    let detail = finished(MACHINE, "after", ExecutionStatus::Aborted, T0);
    assert!(store.put_description("", &detail, T0).unwrap());
    assert_eq!(store.descriptions_of("", MACHINE).unwrap().len(), 1);
}
