//! Test suites' verdicts: each step's last `KEPT_PER_STEP`, written as they land (by the
//! console or `stepdeck test`) and read back per suite for the flaky mark. A step's older
//! verdicts are evicted as its newer ones are written, so the table stays a few rows per step.

use super::{Store, StoreError};
use crate::domain::suites::recorded::{KEPT_PER_STEP, VerdictRecord};
use rusqlite::params;

impl Store {
    /// Records `verdict` under `scope` and `region`, then drops that step's verdicts beyond
    /// the newest `KEPT_PER_STEP`.
    pub fn put_verdict(
        &self,
        scope: &str,
        region: &str,
        verdict: &VerdictRecord,
    ) -> Result<(), StoreError> {
        let step = i64::try_from(verdict.step).unwrap_or(i64::MAX);
        self.write("recording a verdict", |tx| {
            tx.prepare_cached(
                "INSERT INTO verdicts (scope, region, suite, step, label, passed, detail, \
                 finished_at, execution_arn) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                scope,
                region,
                verdict.suite,
                step,
                verdict.label,
                verdict.passed,
                verdict.detail,
                verdict.finished_at,
                verdict.execution_arn,
            ])?;
            tx.prepare_cached(
                "DELETE FROM verdicts WHERE rowid IN (SELECT rowid FROM verdicts \
                 WHERE scope = ?1 AND region = ?2 AND suite = ?3 AND step = ?4 AND label = ?5 \
                 ORDER BY finished_at DESC, rowid DESC LIMIT -1 OFFSET ?6)",
            )?
            .execute(params![
                scope,
                region,
                verdict.suite,
                step,
                verdict.label,
                KEPT_PER_STEP as i64
            ])
            .map(drop)
        })
    }

    /// The kept verdicts of every step of `suite`, in step order, each step's oldest first.
    pub fn verdicts(
        &self,
        scope: &str,
        region: &str,
        suite: &str,
    ) -> Result<Vec<VerdictRecord>, StoreError> {
        self.read("reading verdicts", |conn| {
            conn.prepare_cached(
                "SELECT step, label, passed, detail, finished_at, execution_arn FROM verdicts \
                 WHERE scope = ?1 AND region = ?2 AND suite = ?3 \
                 ORDER BY step, label, finished_at, rowid",
            )?
            .query_map(params![scope, region, suite], |r| {
                Ok(VerdictRecord {
                    suite: suite.to_string(),
                    step: usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX),
                    label: r.get(1)?,
                    passed: r.get(2)?,
                    detail: r.get(3)?,
                    finished_at: r.get(4)?,
                    execution_arn: r.get(5)?,
                })
            })?
            .collect()
        })
    }
}
