//! Migrations: a store written by the first schema opens and reads; the runner applies later
//! entries once each; a shipped entry stays as it shipped.

use super::Store;
use super::schema::{MIGRATIONS, MigrateError, migrate};
use super::support::{LIMIT, MACHINE, T0, TempDir, execution_arn};
use crate::domain::execution::{ExecutionStatus, Outcome, StateMachineKind};
use rusqlite::Connection;

/// The first schema exactly as it shipped. A store written by it may be on any machine: the
/// entry in `MIGRATIONS` must never change; a change of schema is a new entry.
const V1_AS_SHIPPED: &str = "
CREATE TABLE descriptions (
    scope TEXT NOT NULL,
    arn TEXT NOT NULL,
    region TEXT NOT NULL,
    account TEXT NOT NULL,
    state_machine_arn TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    stop_ms INTEGER,
    input_label TEXT,
    outcome TEXT,
    input TEXT,
    output TEXT,
    error TEXT,
    cause TEXT,
    redrive_count INTEGER NOT NULL,
    stored_at INTEGER NOT NULL,
    confirmed_at INTEGER NOT NULL,
    PRIMARY KEY (scope, arn)
);
CREATE INDEX descriptions_by_machine ON descriptions (scope, state_machine_arn, start_ms DESC);

CREATE TABLE histories (
    scope TEXT NOT NULL,
    arn TEXT NOT NULL,
    region TEXT NOT NULL,
    account TEXT NOT NULL,
    events INTEGER NOT NULL,
    json_bytes INTEGER NOT NULL,
    deflated BLOB NOT NULL,
    stored_at INTEGER NOT NULL,
    last_read_at INTEGER NOT NULL,
    PRIMARY KEY (scope, arn)
);
CREATE INDEX histories_by_last_read ON histories (last_read_at);

CREATE TABLE state_machine_lists (
    scope TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    listed_at INTEGER NOT NULL,
    PRIMARY KEY (scope, account, region)
);
CREATE TABLE state_machines (
    scope TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    position INTEGER NOT NULL,
    arn TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (scope, account, region, position)
);

CREATE TABLE accounts (
    scope TEXT NOT NULL,
    identity TEXT NOT NULL,
    region TEXT NOT NULL,
    account TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (scope, identity, region)
);

CREATE TABLE journal_lines (
    journal TEXT NOT NULL,
    byte_offset INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    container TEXT,
    region TEXT,
    account TEXT,
    line TEXT NOT NULL,
    PRIMARY KEY (journal, byte_offset)
);
CREATE INDEX journal_lines_by_target ON journal_lines (target);
";

/// A store as the first version wrote it, by hand: the v1 tables, version 1, and rows written
/// with SQL as a v1 console would have (no application id: set on first open).
fn write_v1_store(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL;").unwrap();
    conn.execute_batch(V1_AS_SHIPPED).unwrap();
    let arn = execution_arn(MACHINE, "old-run");
    conn.execute(
        "INSERT INTO descriptions VALUES ('', ?1, 'eu-west-1', '123456789012', ?2, 'old-run', \
         'FAILED', ?3, ?4, 'a.jpg (user_a)', '{\"kind\":\"error\",\"error\":\"E\",\"cause\":\"C\"}', \
         '{}', NULL, 'E', 'C', 1, ?3, ?4)",
        rusqlite::params![arn, MACHINE, T0, T0 + 5],
    )
    .unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO state_machine_lists VALUES ('', '123456789012', 'eu-west-1', {T0});
         INSERT INTO state_machines VALUES ('', '123456789012', 'eu-west-1', 0, '{MACHINE}',
             'RiderPhotoProcessing', 'EXPRESS', 7);
         INSERT INTO accounts VALUES ('', 'default', 'eu-west-1', '123456789012', {T0});
         PRAGMA user_version = 1;"
    ))
    .unwrap();
}

#[test]
fn the_first_migration_is_the_schema_as_it_shipped() {
    assert_eq!(MIGRATIONS[0], V1_AS_SHIPPED);
}

#[test]
fn a_store_of_the_first_schema_opens_migrated_and_reads_its_rows() {
    let dir = TempDir::new("v1");
    let path = dir.store_path();
    write_v1_store(&path);
    let (store, note) = Store::open(&path, LIMIT, T0 + 10).unwrap();
    assert_eq!(note, None);
    let version: i64 = store
        .lock()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    let stored = store
        .description("", &execution_arn(MACHINE, "old-run"))
        .unwrap()
        .unwrap();
    assert_eq!(stored.detail.summary.status, ExecutionStatus::Failed);
    assert_eq!(stored.detail.redrive_count, 1);
    assert_eq!(
        stored.detail.summary.outcome,
        Some(Outcome::Error {
            error: "E".into(),
            cause: "C".into()
        })
    );
    assert_eq!((stored.stored_at, stored.confirmed_at), (T0, T0 + 5));
    let (machines, listed_at) = store
        .state_machines("", "123456789012", "eu-west-1")
        .unwrap()
        .unwrap();
    assert_eq!(listed_at, T0);
    assert_eq!(machines[0].kind, StateMachineKind::Express);
    assert_eq!(
        store
            .account("", "default", "eu-west-1")
            .unwrap()
            .as_deref(),
        Some("123456789012")
    );
}

#[test]
fn a_later_migration_is_applied_once_on_top_of_the_shipped_ones() {
    let dir = TempDir::new("next");
    let path = dir.store_path();
    write_v1_store(&path);
    let next = "ALTER TABLE descriptions ADD COLUMN note TEXT; \
                UPDATE descriptions SET note = 'from the next version';";
    let with_next: Vec<&str> = MIGRATIONS.iter().copied().chain([next]).collect();
    let newer = with_next.len() as i64;
    let mut conn = Connection::open(&path).unwrap();
    migrate(&mut conn, &with_next).unwrap();
    // Again: nothing left to do (a second UPDATE or ALTER would fail or show).
    conn.execute("UPDATE descriptions SET note = 'kept'", [])
        .unwrap();
    migrate(&mut conn, &with_next).unwrap();
    let (version, note): (i64, String) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), note FROM descriptions",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((version, note.as_str()), (newer, "kept"));
    // The runner from an empty database goes through every entry.
    let mut empty = Connection::open_in_memory().unwrap();
    migrate(&mut empty, &with_next).unwrap();
    let columns: i64 = empty
        .query_row(
            "SELECT count(*) FROM pragma_table_info('descriptions') WHERE name = 'note'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(columns, 1);
    // This build knows only MIGRATIONS: the next version is newer than it.
    assert!(matches!(
        migrate(&mut conn, MIGRATIONS),
        Err(MigrateError::Newer(v)) if v == newer
    ));
    drop(conn);
    let error = Store::open(&path, LIMIT, T0).err().unwrap();
    assert!(
        error.0.contains(&format!("schema version {newer}")),
        "{error}"
    );
}

#[test]
fn a_store_of_the_second_schema_opens_with_the_verdicts_table_and_keeps_its_rows() {
    let dir = TempDir::new("v2");
    let path = dir.store_path();
    write_v1_store(&path);
    // What a console of the second schema left: versions 1 and 2, nothing of verdicts.
    let mut conn = Connection::open(&path).unwrap();
    migrate(&mut conn, &MIGRATIONS[..2]).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
    drop(conn);
    let (store, note) = Store::open(&path, LIMIT, T0 + 10).unwrap();
    assert_eq!(note, None);
    assert!(
        store
            .description("", &execution_arn(MACHINE, "old-run"))
            .unwrap()
            .is_some()
    );
    let verdict = crate::domain::suites::recorded::VerdictRecord {
        suite: "duplicates".into(),
        step: 1,
        label: "1_happy_face as user_a".into(),
        passed: true,
        detail: "passed".into(),
        finished_at: T0 + 20,
        execution_arn: Some(execution_arn(MACHINE, "dup-1")),
    };
    store.put_verdict("", "eu-west-1", &verdict).unwrap();
    assert_eq!(
        store.verdicts("", "eu-west-1", "duplicates").unwrap(),
        vec![verdict]
    );
}
