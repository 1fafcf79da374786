//! When the state machines cannot be listed at start, the list area says why and the console
//! asks again on its own (a network drop, an outage), or not (a refused permission).

use crate::app_support;

use app_support::*;
use stepdeck::app::effect::Effect;
use stepdeck::app::msg::Msg;
use stepdeck::app::{STATE_MACHINES_RETRY_MS, update::update};
use stepdeck::backend::BackendError;

fn asks_for_state_machines(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::LoadStateMachines))
}

#[test]
fn a_network_drop_at_start_is_shown_and_asked_again() {
    let mut app = new_app();
    update(
        &mut app,
        Msg::StateMachines(Err(BackendError::Network("connection refused".into()))),
    );
    let shown = screen(&app, 100, 12);
    assert!(
        shown.contains("listing state machines failed: network: connection refused"),
        "{shown}"
    );
    assert!(shown.contains("ctrl-r asks now"), "{shown}");

    // Not before the retry interval; then once, and not again while it is out.
    assert!(!asks_for_state_machines(&update(
        &mut app,
        Msg::Tick(NOW + 1_000)
    )));
    assert_eq!(app.next_wakeup(), Some(NOW + STATE_MACHINES_RETRY_MS));
    let effects = update(&mut app, Msg::Tick(NOW + STATE_MACHINES_RETRY_MS));
    assert!(asks_for_state_machines(&effects), "{effects:#?}");
    assert!(!asks_for_state_machines(&update(
        &mut app,
        Msg::Tick(NOW + 60_000)
    )));
    assert!(!asks_for_state_machines(&press(&mut app, "ctrl-r")));

    // The answer comes: the executions are listed and the problem is gone.
    let effects = update(
        &mut app,
        Msg::StateMachines(Ok(vec![state_machine("RiderPhotoProcessing")])),
    );
    list_request(&effects);
    assert_eq!(app.executions.machines.problem, None);
}

#[test]
fn ctrl_r_asks_at_once() {
    let mut app = new_app();
    update(
        &mut app,
        Msg::StateMachines(Err(BackendError::Network("timed out".into()))),
    );
    assert!(asks_for_state_machines(&press(&mut app, "ctrl-r")));
}

#[test]
fn a_refused_listing_is_not_asked_again_on_its_own() {
    let mut app = new_app();
    update(
        &mut app,
        Msg::StateMachines(Err(BackendError::AccessDenied {
            action: "states:ListStateMachines".into(),
            message: "not authorized".into(),
        })),
    );
    let shown = screen(&app, 120, 12);
    assert!(
        shown.contains("states:ListStateMachines denied: pass the state machine's ARN"),
        "{shown}"
    );
    assert!(shown.contains("not asked again on its own"), "{shown}");
    assert!(!asks_for_state_machines(&update(
        &mut app,
        Msg::Tick(NOW + 600_000)
    )));
}
