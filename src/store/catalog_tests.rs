//! State machine lists and accounts.

use super::Store;
use super::support::{LIMIT, T0, TempDir};
use crate::domain::execution::{StateMachineKind, StateMachineSummary};

fn open(dir: &TempDir) -> Store {
    Store::open(&dir.store_path(), LIMIT, T0).unwrap().0
}

fn machine(name: &str, kind: StateMachineKind, created: i64) -> StateMachineSummary {
    StateMachineSummary {
        arn: format!("arn:aws:states:eu-west-1:123456789012:stateMachine:{name}"),
        name: name.into(),
        kind,
        created,
    }
}

#[test]
fn state_machines_are_replaced_wholesale_and_read_back_in_order() {
    let dir = TempDir::new("machines");
    let store = open(&dir);
    let (acct, region) = ("123456789012", "eu-west-1");
    assert_eq!(store.state_machines("", acct, region).unwrap(), None);
    let first = vec![
        machine("Zeta", StateMachineKind::Standard, T0),
        machine("Alpha", StateMachineKind::Express, T0 - 5),
        machine("Mid", StateMachineKind::Standard, 0),
    ];
    store
        .put_state_machines("", acct, region, &first, T0 + 1)
        .unwrap();
    assert_eq!(
        store.state_machines("", acct, region).unwrap(),
        Some((first.clone(), T0 + 1))
    );
    let second = vec![machine("Only", StateMachineKind::Express, 9)];
    store
        .put_state_machines("", acct, region, &second, T0 + 2)
        .unwrap();
    assert_eq!(
        store.state_machines("", acct, region).unwrap(),
        Some((second, T0 + 2))
    );
    // Listed and empty is not never listed.
    store
        .put_state_machines("", acct, "us-east-1", &[], T0 + 3)
        .unwrap();
    assert_eq!(
        store.state_machines("", acct, "us-east-1").unwrap(),
        Some((vec![], T0 + 3))
    );
    assert_eq!(
        store.state_machines("http://x", acct, region).unwrap(),
        None
    );
    assert_eq!(store.state_machines("", "999", region).unwrap(), None);
}

#[test]
fn the_account_last_seen_is_kept_per_scope_identity_and_region() {
    let dir = TempDir::new("account");
    let store = open(&dir);
    assert_eq!(store.account("", "default", "eu-west-1").unwrap(), None);
    store
        .put_account("", "default", "eu-west-1", "111111111111", T0)
        .unwrap();
    store
        .put_account("", "default", "eu-west-1", "222222222222", T0 + 1)
        .unwrap();
    store
        .put_account("", "environment", "eu-west-1", "333333333333", T0)
        .unwrap();
    store
        .put_account(
            "http://127.0.0.1:5000",
            "default",
            "eu-west-1",
            "123456789012",
            T0,
        )
        .unwrap();
    let seen = |scope, identity, region| store.account(scope, identity, region).unwrap();
    assert_eq!(
        seen("", "default", "eu-west-1").as_deref(),
        Some("222222222222")
    );
    assert_eq!(
        seen("", "environment", "eu-west-1").as_deref(),
        Some("333333333333")
    );
    assert_eq!(
        seen("http://127.0.0.1:5000", "default", "eu-west-1").as_deref(),
        Some("123456789012")
    );
    assert_eq!(seen("", "default", "us-east-1"), None);
}
