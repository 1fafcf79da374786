//! What an offline start needs to know before any call succeeds: the state machines last
//! listed for an account and region, and the account last seen for a profile and region.

use super::{Store, StoreError};
use crate::domain::Millis;
use crate::domain::execution::{StateMachineKind, StateMachineSummary};
use rusqlite::{OptionalExtension, params};

impl Store {
    /// Replaces wholesale the state machines listed for (scope, account, region), in the order
    /// given.
    pub fn put_state_machines(
        &self,
        scope: &str,
        account: &str,
        region: &str,
        machines: &[StateMachineSummary],
        now: Millis,
    ) -> Result<(), StoreError> {
        self.write("storing the state machines", |tx| {
            let key = params![scope, account, region];
            tx.execute(
                "DELETE FROM state_machines WHERE scope = ?1 AND account = ?2 AND region = ?3",
                key,
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO state_machine_lists (scope, account, region, listed_at) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![scope, account, region, now],
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO state_machines (scope, account, region, position, arn, name, kind, \
                 created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for (position, machine) in machines.iter().enumerate() {
                insert.execute(params![
                    scope,
                    account,
                    region,
                    position as i64,
                    machine.arn,
                    machine.name,
                    kind_name(machine.kind),
                    machine.created,
                ])?;
            }
            Ok(())
        })
    }

    /// The state machines last listed for (scope, account, region) and when; None if never.
    pub fn state_machines(
        &self,
        scope: &str,
        account: &str,
        region: &str,
    ) -> Result<Option<(Vec<StateMachineSummary>, Millis)>, StoreError> {
        self.read("reading the state machines", |conn| {
            let key = params![scope, account, region];
            let Some(listed_at) = conn
                .query_row(
                    "SELECT listed_at FROM state_machine_lists \
                     WHERE scope = ?1 AND account = ?2 AND region = ?3",
                    key,
                    |r| r.get::<_, Millis>(0),
                )
                .optional()?
            else {
                return Ok(None);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT arn, name, kind, created_ms FROM state_machines \
                 WHERE scope = ?1 AND account = ?2 AND region = ?3 ORDER BY position",
            )?;
            let machines = stmt
                .query_map(key, |r| {
                    Ok(StateMachineSummary {
                        arn: r.get(0)?,
                        name: r.get(1)?,
                        kind: kind_from_name(r.get_ref(2)?.as_str()?),
                        created: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Some((machines, listed_at)))
        })
    }

    /// Records the account seen for (scope, identity, region): the identity is the profile, or
    /// `"environment"` for credentials from the environment.
    pub fn put_account(
        &self,
        scope: &str,
        identity: &str,
        region: &str,
        account: &str,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.write("storing the account", |tx| {
            tx.execute(
                "INSERT OR REPLACE INTO accounts (scope, identity, region, account, seen_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![scope, identity, region, account, now],
            )
            .map(drop)
        })
    }

    /// The account last seen for (scope, identity, region).
    pub fn account(
        &self,
        scope: &str,
        identity: &str,
        region: &str,
    ) -> Result<Option<String>, StoreError> {
        self.read("reading the account", |conn| {
            conn.query_row(
                "SELECT account FROM accounts WHERE scope = ?1 AND identity = ?2 AND region = ?3",
                [scope, identity, region],
                |r| r.get(0),
            )
            .optional()
        })
    }
}

fn kind_name(kind: StateMachineKind) -> &'static str {
    match kind {
        StateMachineKind::Standard => "STANDARD",
        StateMachineKind::Express => "EXPRESS",
    }
}

fn kind_from_name(name: &str) -> StateMachineKind {
    match name {
        "EXPRESS" => StateMachineKind::Express,
        _ => StateMachineKind::Standard,
    }
}
