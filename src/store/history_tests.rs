//! Histories: a round trip through compression and the one reader, eviction by last reading,
//! a damaged row, a full disk.

use super::Store;
use super::support::{LIMIT, MACHINE, T0, TempDir, execution_arn, finished, history};
use crate::domain::execution::ExecutionStatus;

#[test]
fn a_history_of_hundreds_of_events_reads_back_equal_and_compressed() {
    let dir = TempDir::new("history");
    let (store, _) = Store::open(&dir.store_path(), LIMIT, T0).unwrap();
    let events = history(100);
    assert!(events.len() > 700, "{}", events.len());
    let arn = execution_arn(MACHINE, "run");
    assert_eq!(store.history("", &arn, false, T0).unwrap(), None);
    store.put_history("", &arn, &events, false, T0).unwrap();
    assert_eq!(
        store.history("", &arn, false, T0 + 1).unwrap().unwrap(),
        events
    );
    assert_eq!(
        store
            .history("http://127.0.0.1:5000", &arn, false, T0)
            .unwrap(),
        None
    );
    let (deflated, json_bytes): (i64, i64) = store
        .lock()
        .query_row(
            "SELECT length(deflated), json_bytes FROM histories",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(deflated * 5 < json_bytes, "{deflated} of {json_bytes}");
    // Stored again (replaced), it is still one.
    let shorter = history(2);
    store
        .put_history("", &arn, &shorter, false, T0 + 2)
        .unwrap();
    assert_eq!(
        store.history("", &arn, false, T0 + 3).unwrap().unwrap(),
        shorter
    );
    assert_eq!(store.stats().unwrap().histories, 1);
}

/// Bytes used by the store at `path` holding `n` descriptions and then one history of
/// `events`: (before the history, its cost).
fn sizes(dir: &TempDir, n: usize, events: &[crate::domain::history::HistoryEvent]) -> (u64, u64) {
    let (store, _) = Store::open(&dir.path().join("probe.sqlite3"), LIMIT, T0).unwrap();
    for i in 0..n {
        let detail = finished(MACHINE, &format!("r{i}"), ExecutionStatus::Succeeded, T0);
        store.put_description("", &detail, T0).unwrap();
    }
    let base = store.stats().unwrap().bytes;
    store
        .put_history("", &execution_arn(MACHINE, "r0"), events, false, T0)
        .unwrap();
    (base, store.stats().unwrap().bytes - base)
}

#[test]
fn a_history_without_the_data_does_not_answer_for_it_nor_replace_one_with_it() {
    let dir = TempDir::new("with-data");
    let (store, _) = Store::open(&dir.store_path(), LIMIT, T0).unwrap();
    let arn = execution_arn(MACHINE, "run");
    let (without, with) = (history(2), history(3));
    store.put_history("", &arn, &without, false, T0).unwrap();
    assert_eq!(store.history("", &arn, true, T0).unwrap(), None);
    assert_eq!(
        store.history("", &arn, false, T0).unwrap(),
        Some(without.clone())
    );
    // Read with the data, it answers both kinds of request...
    store.put_history("", &arn, &with, true, T0 + 1).unwrap();
    assert_eq!(
        store.history("", &arn, true, T0).unwrap(),
        Some(with.clone())
    );
    assert_eq!(
        store.history("", &arn, false, T0).unwrap(),
        Some(with.clone())
    );
    // ...and a later read without it does not take its place.
    store
        .put_history("", &arn, &without, false, T0 + 2)
        .unwrap();
    assert_eq!(store.history("", &arn, true, T0).unwrap(), Some(with));
    // Forgotten (a redrive): nothing is served.
    store.forget_execution("", &arn).unwrap();
    assert_eq!(store.history("", &arn, false, T0).unwrap(), None);
}

#[test]
fn over_its_limit_the_store_evicts_the_least_recently_read_histories_and_keeps_descriptions() {
    let dir = TempDir::new("evict");
    let events = history(600);
    let (base, per_history) = sizes(&dir, 5, &events);
    assert!(per_history > 8 * 4096, "{per_history}");
    // Room for three histories and a half.
    let limit = base + per_history * 7 / 2;
    let (store, _) = Store::open(&dir.store_path(), limit, T0).unwrap();
    let arns: Vec<String> = (0..5)
        .map(|i| {
            let detail = finished(MACHINE, &format!("r{i}"), ExecutionStatus::Succeeded, T0);
            store.put_description("", &detail, T0).unwrap();
            detail.summary.arn
        })
        .collect();
    for (i, arn) in arns[..3].iter().enumerate() {
        store
            .put_history("", arn, &events, false, T0 + i as i64)
            .unwrap();
    }
    // r0 is read after r1 and r2 were written: r1 is now the least recently read.
    assert!(
        store
            .history("", &arns[0], false, T0 + 10)
            .unwrap()
            .is_some()
    );
    store
        .put_history("", &arns[3], &events, false, T0 + 20)
        .unwrap();
    let stats = store.stats().unwrap();
    assert!(stats.bytes <= limit, "{} over {limit}", stats.bytes);
    assert_eq!(stats.histories, 3);
    assert_eq!(stats.descriptions, 5, "descriptions are never evicted");
    let held: Vec<bool> = arns[..4]
        .iter()
        .map(|arn| store.history("", arn, false, T0 + 30).unwrap().is_some())
        .collect();
    assert_eq!(held, [true, false, true, true]);
    // r0, r2 and r3 were all last read at T0 + 30: of a tie, the one stored first (r0) goes.
    store
        .put_history("", &arns[4], &events, false, T0 + 40)
        .unwrap();
    let held: Vec<bool> = arns
        .iter()
        .map(|arn| store.history("", arn, false, T0 + 50).unwrap().is_some())
        .collect();
    assert_eq!(held, [false, false, true, true, true]);
    // The file itself shrinks back (incremental vacuum), not only the used pages.
    let file = std::fs::metadata(dir.store_path()).unwrap().len();
    let page_count: u64 = store
        .lock()
        .query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))
        .unwrap() as u64;
    assert!(
        page_count * 4096 <= limit + 4096,
        "{page_count} pages, file {file}"
    );
}

#[test]
fn a_history_alone_over_the_limit_is_not_kept_and_descriptions_stay() {
    let dir = TempDir::new("tiny");
    let (store, _) = Store::open(&dir.store_path(), 1, T0).unwrap();
    let detail = finished(MACHINE, "r", ExecutionStatus::Failed, T0);
    store.put_description("", &detail, T0).unwrap();
    store
        .put_history("", &detail.summary.arn, &history(10), false, T0)
        .unwrap();
    assert_eq!(
        store.history("", &detail.summary.arn, false, T0).unwrap(),
        None
    );
    assert_eq!(
        store
            .description("", &detail.summary.arn)
            .unwrap()
            .unwrap()
            .detail,
        detail
    );
}

#[test]
fn a_damaged_history_is_dropped_and_reads_as_not_stored() {
    let dir = TempDir::new("damaged-history");
    let (store, _) = Store::open(&dir.store_path(), LIMIT, T0).unwrap();
    let arn = execution_arn(MACHINE, "run");
    store.put_history("", &arn, &history(5), false, T0).unwrap();
    store
        .lock()
        .execute("UPDATE histories SET deflated = x'00ff00ff'", [])
        .unwrap();
    assert_eq!(store.history("", &arn, false, T0).unwrap(), None);
    assert_eq!(
        store.stats().unwrap().histories,
        0,
        "dropped: fetched again"
    );
}

#[test]
fn a_full_disk_fails_the_write_and_leaves_the_store_usable() {
    let dir = TempDir::new("full");
    let (store, _) = Store::open(&dir.store_path(), LIMIT, T0).unwrap();
    let kept = finished(MACHINE, "kept", ExecutionStatus::Succeeded, T0);
    store.put_description("", &kept, T0).unwrap();
    let pages: i64 = store
        .lock()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    // The file may not grow by more than two pages: as good as a full disk.
    store
        .lock()
        .pragma_update(None, "max_page_count", pages + 2)
        .unwrap();
    let arn = execution_arn(MACHINE, "big");
    let error = store
        .put_history("", &arn, &history(300), false, T0)
        .expect_err("no room");
    assert!(
        error.0.contains("storing a history") && error.0.contains("full"),
        "{error}"
    );
    assert_eq!(
        store.history("", &arn, false, T0).unwrap(),
        None,
        "rolled back whole"
    );
    assert_eq!(
        store
            .description("", &kept.summary.arn)
            .unwrap()
            .unwrap()
            .detail,
        kept
    );
    // Room again: the same store takes the write.
    store
        .lock()
        .pragma_update(None, "max_page_count", 1_000_000)
        .unwrap();
    store
        .put_history("", &arn, &history(300), false, T0)
        .unwrap();
    assert_eq!(
        store.history("", &arn, false, T0).unwrap().unwrap().len(),
        history(300).len()
    );
}
