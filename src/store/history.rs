//! Finished executions' whole histories: stored deflated in the AWS CLI's JSON (written by
//! `to_history_json`, read back by `parse_history`, the one reader of every history), and
//! evicted least recently read first while the store is over its limit.

use super::{Store, StoreError, region_and_account, release_free_pages, used_bytes};
use crate::domain::Millis;
use crate::domain::history::HistoryEvent;
use crate::domain::history_json::{parse_history, to_history_json};
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use rusqlite::{OptionalExtension, Transaction, params};
use std::io::{Read, Write};

impl Store {
    /// Stores a finished execution's WHOLE history (the caller guarantees it is whole and the
    /// run finished), replacing any stored before unless that one has the data this one lacks;
    /// `with_data`: read with the states' inputs and outputs. Then, while the store is over its limit,
    /// evicts the least recently read histories (this one last: it counts as read now; alone
    /// over the limit, it goes too). Descriptions are never evicted.
    pub fn put_history(
        &self,
        scope: &str,
        execution_arn: &str,
        events: &[HistoryEvent],
        with_data: bool,
        now: Millis,
    ) -> Result<(), StoreError> {
        let json = to_history_json(events).to_string();
        let deflated =
            deflate(json.as_bytes()).map_err(|e| StoreError::during("compressing a history", e))?;
        let (region, account) = region_and_account(execution_arn);
        let evicted = self.write("storing a history", |tx| {
            // A history with the data answers every request: it is not replaced by one without.
            tx.prepare_cached(
                "INSERT INTO histories (scope, arn, region, account, events, json_bytes, \
                 deflated, stored_at, last_read_at, with_data) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) \
                 ON CONFLICT (scope, arn) DO UPDATE SET events = excluded.events, \
                 json_bytes = excluded.json_bytes, deflated = excluded.deflated, \
                 stored_at = excluded.stored_at, last_read_at = excluded.last_read_at, \
                 with_data = excluded.with_data \
                 WHERE excluded.with_data >= histories.with_data",
            )?
            .execute(params![
                scope,
                execution_arn,
                region,
                account,
                events.len() as i64,
                json.len() as i64,
                deflated,
                now,
                with_data,
            ])?;
            evict(tx, self.limit)
        })?;
        if evicted > 0 {
            // Gives the freed pages back to the file system; the rows are gone either way.
            if let Err(error) = release_free_pages(&self.lock()) {
                tracing::warn!("store: incremental vacuum after eviction: {error}");
            }
        }
        Ok(())
    }

    /// The stored history of a finished execution, None if not stored (or, when `need_data`,
    /// stored without the states' inputs and outputs). Reading it makes it the most recently
    /// read (last to be evicted). A stored history that no longer reads back
    /// (damaged) is dropped and reported as not stored, so it is fetched again.
    pub fn history(
        &self,
        scope: &str,
        execution_arn: &str,
        need_data: bool,
        now: Millis,
    ) -> Result<Option<Vec<HistoryEvent>>, StoreError> {
        let found: Option<(i64, i64, Vec<u8>)> = self.read("reading a history", |conn| {
            conn.prepare_cached(
                "SELECT events, json_bytes, deflated FROM histories \
                 WHERE scope = ?1 AND arn = ?2 AND with_data >= ?3",
            )?
            .query_row(params![scope, execution_arn, need_data], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
        })?;
        let Some((count, json_bytes, deflated)) = found else {
            return Ok(None);
        };
        let events = inflate(&deflated, json_bytes)
            .map_err(|e| e.to_string())
            .and_then(|json| parse_history(&json))
            .and_then(|events| match events.len() as i64 {
                n if n == count => Ok(events),
                n => Err(format!("{n} events where {count} were stored")),
            });
        // The history is read whatever happens to this bookkeeping.
        let bookkeeping = match &events {
            Ok(_) => self.write("noting a history was read", |tx| {
                tx.prepare_cached(
                    "UPDATE histories SET last_read_at = ?3 WHERE scope = ?1 AND arn = ?2",
                )?
                .execute(params![scope, execution_arn, now])
            }),
            Err(_) => self.write("dropping a damaged history", |tx| {
                tx.execute(
                    "DELETE FROM histories WHERE scope = ?1 AND arn = ?2",
                    [scope, execution_arn],
                )
            }),
        };
        if let Err(error) = bookkeeping {
            tracing::warn!("{error}");
        }
        match events {
            Ok(events) => Ok(Some(events)),
            Err(why) => {
                tracing::warn!("store: the history of {execution_arn} is damaged ({why}): dropped");
                Ok(None)
            }
        }
    }
}

/// Deletes the least recently read histories while the used pages exceed `limit`; returns how
/// many went.
fn evict(tx: &Transaction<'_>, limit: u64) -> rusqlite::Result<u64> {
    let mut evicted = 0;
    let mut oldest = tx.prepare_cached(
        "SELECT rowid FROM histories ORDER BY last_read_at, stored_at, rowid LIMIT 1",
    )?;
    let mut delete = tx.prepare_cached("DELETE FROM histories WHERE rowid = ?1")?;
    while used_bytes(tx)? > limit {
        let Some(rowid) = oldest.query_row([], |r| r.get::<_, i64>(0)).optional()? else {
            break;
        };
        delete.execute([rowid])?;
        evicted += 1;
    }
    Ok(evicted)
}

fn deflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    // JSON of histories deflates about 10 to 20 times; start with room for that.
    let mut encoder =
        DeflateEncoder::new(Vec::with_capacity(bytes.len() / 8), Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

fn inflate(deflated: &[u8], json_bytes: i64) -> std::io::Result<String> {
    // The stored size is a hint for the allocation only, bounded in case it is wrong.
    let hint = usize::try_from(json_bytes).unwrap_or(0).min(1 << 30);
    let mut json = String::with_capacity(hint);
    DeflateDecoder::new(deflated).read_to_string(&mut json)?;
    Ok(json)
}
