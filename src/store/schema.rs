//! The store's tables and their versioned migrations: `PRAGMA user_version` is the number of
//! entries of `MIGRATIONS` applied. A shipped entry never changes (a test holds it to the text
//! it shipped with); a new schema is one more entry at the end.

use rusqlite::{Connection, TransactionBehavior};

/// `PRAGMA application_id` of a stepdeck store ("STDK"), so that another program's database
/// at our path is refused rather than written into.
pub(super) const APPLICATION_ID: i32 = 0x5354_444B;

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4];

/// Tables whose rows carry a `region` column (every table): `clear` goes through them.
pub(super) const TABLES: [&str; 8] = [
    "descriptions",
    "histories",
    "state_machine_lists",
    "state_machines",
    "accounts",
    "journal_lines",
    "verdicts",
    "lookalike_searches",
];

/// The first schema. Times are epoch milliseconds; `region` and `account` are taken from the
/// ARN (or given) so that rows can be cleared or listed by region.
const V1: &str = "
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

/// Histories say whether they carry the states' inputs and outputs (`includeExecutionData`):
/// one read without them must not answer a request for them. Those stored by version 1 were
/// read without (the timeline's read).
const V2: &str = "
ALTER TABLE histories ADD COLUMN with_data INTEGER NOT NULL DEFAULT 0;
";

/// The verdicts of test suites' steps, the last few of each step (the console's flaky mark),
/// recorded by the console and by `stepdeck test`. A step is its suite's name, its position
/// and its label; `region` and `scope` as for executions (the sandbox's scope is its own).
const V3: &str = "
CREATE TABLE verdicts (
    scope TEXT NOT NULL,
    region TEXT NOT NULL,
    suite TEXT NOT NULL,
    step INTEGER NOT NULL,
    label TEXT NOT NULL,
    passed INTEGER NOT NULL,
    detail TEXT NOT NULL,
    finished_at INTEGER NOT NULL,
    execution_arn TEXT
);
CREATE INDEX verdicts_by_step ON verdicts (scope, region, suite, step, label, finished_at);
";

/// The faces screen's lookalike searches: one row per face searched (`SearchFaces`), with the
/// ids of the faces it matched (newline-separated), so a second scan of the collection does not
/// search again what a first one already did. Forgotten when the face is deleted.
const V4: &str = "
CREATE TABLE lookalike_searches (
    scope TEXT NOT NULL,
    region TEXT NOT NULL,
    collection TEXT NOT NULL,
    face_id TEXT NOT NULL,
    matched TEXT NOT NULL,
    searched_at INTEGER NOT NULL,
    PRIMARY KEY (scope, region, collection, face_id)
);
";

/// Why the schema could not be brought to ours.
#[derive(Debug)]
pub(super) enum MigrateError {
    /// Written by a newer stepdeck: this version of the schema is above ours.
    Newer(i64),
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(error: rusqlite::Error) -> Self {
        MigrateError::Sql(error)
    }
}

/// Applies `migrations[user_version..]`, each in its own write transaction with the version
/// bump, rereading the version inside the transaction: two consoles opening an old store at
/// once migrate it once.
pub(super) fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<(), MigrateError> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let Some(migration) = usize::try_from(version)
            .ok()
            .and_then(|v| migrations.get(v..))
        else {
            return Err(MigrateError::Newer(version));
        };
        let Some(next) = migration.first() else {
            return Ok(());
        };
        tx.execute_batch(next)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}
