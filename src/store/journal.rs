//! The index of the deletion journal: one row per JSON line (where it is in which file, when,
//! its status, the face id or object key and its collection or bucket), to find every record
//! of a face or an object at once. The JSON-lines file stays the record a person reads.

use super::{Store, StoreError};
use crate::domain::Millis;
use crate::domain::time::parse_timestamp_text;
use rusqlite::params;
use serde_json::Value;
use std::path::Path;

impl Store {
    /// Indexes the journal line that starts at byte `offset` of `journal` (indexing it again
    /// replaces the row). Read tolerantly: a line that is not a JSON object with a `status`
    /// and a `face_id` or `key` (a torn last line, a record of a later version) is skipped
    /// with `Ok`. A time that does not read is taken as 0.
    pub fn index_journal_line(
        &self,
        journal: &Path,
        offset: u64,
        line: &str,
    ) -> Result<(), StoreError> {
        let Ok(Value::Object(record)) = serde_json::from_str::<Value>(line.trim_end()) else {
            return Ok(());
        };
        let text = |key: &str| record.get(key).and_then(Value::as_str);
        let (Some(status), Some(target)) = (text("status"), text("face_id").or(text("key"))) else {
            return Ok(());
        };
        let kind = text("kind").unwrap_or(if text("face_id").is_some() {
            "face"
        } else {
            "object"
        });
        let time = text("time").and_then(parse_timestamp_text).unwrap_or(0);
        let offset = i64::try_from(offset)
            .map_err(|_| StoreError(format!("the store: journal offset {offset} is too large")))?;
        self.write("indexing the journal", |tx| {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO journal_lines (journal, byte_offset, time_ms, status, \
                 record_kind, target, container, region, account, line) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                journal.to_string_lossy(),
                offset,
                time,
                status,
                kind,
                target,
                text("collection").or(text("bucket")),
                text("region"),
                text("account"),
                line.trim_end(),
            ])
            .map(drop)
        })
    }

    /// Every indexed record of a face id or object key, oldest first: (time, status, the
    /// journal line).
    pub fn journal_entries_for(
        &self,
        target: &str,
    ) -> Result<Vec<(Millis, String, String)>, StoreError> {
        self.read("reading the journal index", |conn| {
            conn.prepare_cached(
                "SELECT time_ms, status, line FROM journal_lines WHERE target = ?1 \
                 ORDER BY time_ms, journal, byte_offset",
            )?
            .query_map([target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })
    }
}
