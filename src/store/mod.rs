//! The embedded on-disk store of facts that never change: finished executions' descriptions and
//! whole histories (compressed), the state machines and account last listed (for an offline
//! start), and the index of the deletion journal. One SQLite file per machine (WAL mode, shared
//! safely by every console on it), keyed by scope (the endpoint: `""` for AWS, else the custom
//! endpoint URL, so a local emulator's data never mixes with AWS data) and ARN, which carries the
//! account and the region. Optional at run time: a store that cannot be opened or written says
//! why in a `StoreError` and the console goes on without it.
//!
//! Bounded: after each history is stored, the least recently read histories are evicted while
//! the database is over its limit. Descriptions, state machine lists, accounts and the journal
//! index are small (a few hundred bytes a row) and are kept until `clear`. Test suites'
//! verdicts are kept for the last ten runs of each step; the faces screen's lookalike searches
//! until their face is deleted.

mod catalog;
mod descriptions;
mod history;
mod journal;
mod lookalikes;
mod open;
pub mod remembering;
mod schema;
mod verdicts;

use crate::domain::Millis;
use crate::domain::execution::ExecutionDetail;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The store: one connection behind a mutex (`Send + Sync`: share it in an `Arc`). Every call
/// blocks on SQLite for a few milliseconds at most (up to the busy timeout while another
/// console writes); call it off the UI thread.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    limit: u64,
}

/// A finished execution's description as stored: `stored_at` is when this content was
/// written, `confirmed_at` when the execution was last seen in a listing (or described again).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDescription {
    pub detail: ExecutionDetail,
    pub stored_at: Millis,
    pub confirmed_at: Millis,
}

/// What `:cache` shows. `bytes` is what the limit is measured against: the database's pages
/// that hold data (the file may also have a write-ahead log beside it of a few MB).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreStats {
    pub path: PathBuf,
    pub bytes: u64,
    pub limit_bytes: u64,
    pub descriptions: u64,
    pub histories: u64,
    pub history_events: u64,
    pub journal_entries: u64,
}

/// What opening said once, for the user: e.g. "the store at X was corrupt: moved aside to
/// X.corrupt-20261203T150102Z; starting afresh".
pub type OpenNote = Option<String>;

/// Why the store could not do something, as a sentence for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// `doing` says what failed, e.g. "storing a history": "the store: storing a history:
    /// database or disk is full".
    fn during(doing: &str, error: impl fmt::Display) -> StoreError {
        StoreError(format!("the store: {doing}: {error}"))
    }
}

impl Store {
    pub const DEFAULT_LIMIT_BYTES: u64 = 256 * 1024 * 1024;

    /// `$XDG_DATA_HOME/stepdeck/store.sqlite3` (the platform's data folder), None when there
    /// is no data folder.
    pub fn default_path() -> Option<PathBuf> {
        dirs::data_dir().map(|dir| dir.join("stepdeck").join("store.sqlite3"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection; a thread that panicked while holding it left no transaction open
    /// (a dropped transaction rolls back), so a poisoned lock is taken as is.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one write transaction, taken up front (`BEGIN IMMEDIATE`) so that two
    /// consoles writing at once wait for each other (busy timeout) instead of failing on a
    /// lock upgrade. An error rolls everything back: the store stays as it was, usable.
    fn write<T>(
        &self,
        doing: &str,
        f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::during(doing, e))?;
        let value = f(&tx).map_err(|e| StoreError::during(doing, e))?;
        tx.commit().map_err(|e| StoreError::during(doing, e))?;
        Ok(value)
    }

    /// Runs `f` on the connection for reading.
    fn read<T>(
        &self,
        doing: &str,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        f(&self.lock()).map_err(|e| StoreError::during(doing, e))
    }

    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        self.read("reading its size", |conn| {
            let count = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, i64>(0));
            Ok(StoreStats {
                path: self.path.clone(),
                bytes: used_bytes(conn)?,
                limit_bytes: self.limit,
                descriptions: count("SELECT count(*) FROM descriptions")? as u64,
                histories: count("SELECT count(*) FROM histories")? as u64,
                history_events: count("SELECT coalesce(sum(events), 0) FROM histories")? as u64,
                journal_entries: count("SELECT count(*) FROM journal_lines")? as u64,
            })
        })
    }

    /// Removes everything (`None`) or the rows of one region (`Some("eu-west-1")`: the
    /// executions, histories and state machines whose ARN names that region, the accounts and
    /// journal lines recorded for it), then gives the space back to the file system (VACUUM).
    /// Returns how many rows were removed. The journal file itself is never touched.
    pub fn clear(&self, region: Option<&str>) -> Result<u64, StoreError> {
        let removed = self.write("clearing it", |tx| {
            let mut removed = 0;
            for table in schema::TABLES {
                removed += match region {
                    None => tx.execute(&format!("DELETE FROM {table}"), [])?,
                    Some(region) => {
                        tx.execute(&format!("DELETE FROM {table} WHERE region = ?1"), [region])?
                    }
                };
            }
            Ok(removed as u64)
        })?;
        // The rows are gone whatever happens here; VACUUM only shrinks the file, and waits
        // for (or gives up on) another console reading at the same time.
        if let Err(error) = self.lock().execute_batch("VACUUM") {
            tracing::warn!("store: VACUUM after clear: {error}");
        }
        Ok(removed)
    }
}

/// Bytes of the pages that hold data: what the limit is measured against (freed pages wait in
/// the free list until the incremental vacuum gives them back).
fn used_bytes(conn: &Connection) -> rusqlite::Result<u64> {
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0));
    let pages = pragma("page_count")? - pragma("freelist_count")?;
    Ok((pages.max(0) * pragma("page_size")?) as u64)
}

/// Gives the free pages back to the file system. The pragma frees one page per step, so it is
/// stepped to its end (`execute_batch` would step it once).
fn release_free_pages(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA incremental_vacuum")?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// The region and account an ARN names (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`), empty
/// when it is not of that shape.
fn region_and_account(arn: &str) -> (&str, &str) {
    let mut parts = arn.split(':');
    match (parts.next(), parts.nth(2), parts.next()) {
        (Some("arn"), Some(region), Some(account)) => (region, account),
        _ => ("", ""),
    }
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod catalog_tests;
#[cfg(test)]
#[path = "descriptions_tests.rs"]
mod descriptions_tests;
#[cfg(test)]
#[path = "history_tests.rs"]
mod history_tests;
#[cfg(test)]
#[path = "journal_tests.rs"]
mod journal_tests;
#[cfg(test)]
#[path = "migration_tests.rs"]
mod migration_tests;
#[cfg(test)]
#[path = "open_tests.rs"]
mod open_tests;
#[cfg(test)]
#[path = "support_tests.rs"]
mod support;
#[cfg(test)]
#[path = "verdicts_tests.rs"]
mod verdicts_tests;
