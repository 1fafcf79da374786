//! Finished executions' descriptions: written when first seen finished, read back instead of a
//! `DescribeExecution`, listed per state machine for the offline list and the filter; and when
//! each was last confirmed by a listing.

use super::{Store, StoreError, StoredDescription, region_and_account};
use crate::domain::Millis;
use crate::domain::execution::{ExecutionDetail, ExecutionStatus, ExecutionSummary, Outcome};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::{Deserialize, Serialize};

/// The columns `from_row` reads, in its order.
const COLUMNS: &str = "arn, name, state_machine_arn, status, start_ms, stop_ms, input_label, \
                       outcome, input, output, error, cause, redrive_count, stored_at, confirmed_at";

impl Store {
    /// Stores a finished execution's description (with its summary fields and outcome) and
    /// returns `Ok(true)`; described again unchanged, only `confirmed_at` moves. A running or
    /// pending-redrive execution is not final: `Ok(false)`, and whatever was stored for it (a
    /// failed run since redriven) is forgotten, description and history. A description that
    /// changed (a redrive that finished) replaces the old one and drops the history stored for
    /// the earlier run.
    pub fn put_description(
        &self,
        scope: &str,
        detail: &ExecutionDetail,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let summary = &detail.summary;
        if !summary.status.is_terminal() {
            let stored = self.read("looking up a description", |conn| {
                conn.prepare_cached("SELECT 1 FROM descriptions WHERE scope = ?1 AND arn = ?2")?
                    .exists([scope, &summary.arn])
            })?;
            if stored {
                self.write("forgetting a redriven execution", |tx| {
                    forget(tx, scope, &summary.arn)
                })?;
            }
            return Ok(false);
        }
        self.write("storing a description", |tx| {
            let before: Option<(String, Option<Millis>, i64, Millis)> = tx
                .prepare_cached(
                    "SELECT status, stop_ms, redrive_count, stored_at FROM descriptions \
                     WHERE scope = ?1 AND arn = ?2",
                )?
                .query_row([scope, &summary.arn], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let stored_at = match before {
                Some((status, stop, redrives, stored_at))
                    if status == summary.status.as_str()
                        && stop == summary.stop
                        && redrives == i64::from(detail.redrive_count) =>
                {
                    stored_at
                }
                Some(_) => {
                    tx.execute(
                        "DELETE FROM histories WHERE scope = ?1 AND arn = ?2",
                        [scope, &summary.arn],
                    )?;
                    now
                }
                None => now,
            };
            let (region, account) = region_and_account(&summary.arn);
            let outcome = summary
                .outcome
                .as_ref()
                .map(|o| serde_json::to_string(&StoredOutcome::from(o)).unwrap_or_default());
            tx.prepare_cached(
                "INSERT OR REPLACE INTO descriptions (scope, arn, region, account, \
                 state_machine_arn, name, status, start_ms, stop_ms, input_label, outcome, \
                 input, output, error, cause, redrive_count, stored_at, confirmed_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                 ?17, ?18)",
            )?
            .execute(params![
                scope,
                summary.arn,
                region,
                account,
                summary.state_machine_arn,
                summary.name,
                summary.status.as_str(),
                summary.start,
                summary.stop,
                summary.input_label,
                outcome,
                detail.input,
                detail.output,
                detail.error,
                detail.cause,
                detail.redrive_count,
                stored_at,
                now,
            ])?;
            Ok(true)
        })
    }

    pub fn description(
        &self,
        scope: &str,
        execution_arn: &str,
    ) -> Result<Option<StoredDescription>, StoreError> {
        self.read("reading a description", |conn| {
            let found = conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM descriptions WHERE scope = ?1 AND arn = ?2"
                ))?
                .query_row([scope, execution_arn], from_row)
                .optional()?;
            Ok(found.flatten())
        })
    }

    /// Stored descriptions of one state machine, newest start first (ties by ARN, descending).
    pub fn descriptions_of(
        &self,
        scope: &str,
        state_machine_arn: &str,
    ) -> Result<Vec<StoredDescription>, StoreError> {
        self.read("listing descriptions", |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM descriptions WHERE scope = ?1 AND state_machine_arn = ?2 \
                 ORDER BY start_ms DESC, arn DESC"
            ))?;
            let rows = stmt.query_map([scope, state_machine_arn], from_row)?;
            rows.filter_map(Result::transpose).collect()
        })
    }

    /// Marks these ARNs as confirmed (seen in a listing) at `now`; ARNs not stored are skipped.
    pub fn confirm(
        &self,
        scope: &str,
        execution_arns: &[String],
        now: Millis,
    ) -> Result<(), StoreError> {
        if execution_arns.is_empty() {
            return Ok(());
        }
        self.write("confirming descriptions", |tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE descriptions SET confirmed_at = ?3 WHERE scope = ?1 AND arn = ?2",
            )?;
            for arn in execution_arns {
                stmt.execute(params![scope, arn, now])?;
            }
            Ok(())
        })
    }
}

impl Store {
    /// Forgets the description and history of an execution that may no longer be final (it
    /// was redriven, or listed with another status than the stored one).
    pub fn forget_execution(&self, scope: &str, execution_arn: &str) -> Result<(), StoreError> {
        self.write("forgetting an execution", |tx| {
            forget(tx, scope, execution_arn)
        })
    }
}

/// Forgets what is stored for an execution that is no longer final.
fn forget(tx: &Transaction<'_>, scope: &str, arn: &str) -> rusqlite::Result<()> {
    for table in ["descriptions", "histories"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE scope = ?1 AND arn = ?2"),
            [scope, arn],
        )?;
    }
    Ok(())
}

/// A row of `COLUMNS`; None for a status this version does not know (written by a later one).
fn from_row(row: &Row<'_>) -> rusqlite::Result<Option<StoredDescription>> {
    let Some(status) = ExecutionStatus::parse(row.get_ref(3)?.as_str()?) else {
        return Ok(None);
    };
    let outcome = row
        .get_ref(7)?
        .as_str_or_null()?
        .and_then(|text| serde_json::from_str::<StoredOutcome>(text).ok())
        .map(Outcome::from);
    Ok(Some(StoredDescription {
        detail: ExecutionDetail {
            summary: ExecutionSummary {
                arn: row.get(0)?,
                name: row.get(1)?,
                state_machine_arn: row.get(2)?,
                status,
                start: row.get(4)?,
                stop: row.get(5)?,
                input_label: row.get(6)?,
                outcome,
            },
            input: row.get(8)?,
            output: row.get(9)?,
            error: row.get(10)?,
            cause: row.get(11)?,
            redrive_count: row.get(12)?,
        },
        stored_at: row.get(13)?,
        confirmed_at: row.get(14)?,
    }))
}

/// `Outcome` as the store writes it (`{"kind": "rejected", "state": …}`): the store owns its
/// format, so renaming a domain field cannot silently change what is on disk.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum StoredOutcome {
    Completed,
    Rejected {
        state: String,
        error: String,
        message: String,
    },
    Error {
        error: String,
        cause: String,
    },
}

impl From<&Outcome> for StoredOutcome {
    fn from(outcome: &Outcome) -> Self {
        match outcome.clone() {
            Outcome::Completed => StoredOutcome::Completed,
            Outcome::Rejected {
                state,
                error,
                message,
            } => StoredOutcome::Rejected {
                state,
                error,
                message,
            },
            Outcome::Error { error, cause } => StoredOutcome::Error { error, cause },
        }
    }
}

impl From<StoredOutcome> for Outcome {
    fn from(outcome: StoredOutcome) -> Self {
        match outcome {
            StoredOutcome::Completed => Outcome::Completed,
            StoredOutcome::Rejected {
                state,
                error,
                message,
            } => Outcome::Rejected {
                state,
                error,
                message,
            },
            StoredOutcome::Error { error, cause } => Outcome::Error { error, cause },
        }
    }
}
